/* libFuzzer target: hf_json_loadb (src/core/json_parse.c) against jansson's json_loadb on
 * any bytes, under each set of flags the product reads with. Where jansson refuses the text
 * the fast path must refuse it too (and hf_json_loadb give jansson's error); where jansson
 * accepts it, hf_json_loadb must build the same value (the same text when dumped: the same
 * types and member order), and the fast path, when it takes the text, too. */
#include "handoff/document.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dump(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
}

static void check(const char *s, size_t n, int flags)
{
    json_error_t je, he;
    json_t *want = json_loadb(s, n, (size_t)flags, &je);
    json_t *fast = hf_json_loadb_fast(s, n, flags);
    json_t *got = hf_json_loadb(s, n, flags, &he);
    if (!want) {
        if (fast || got || he.line != je.line || he.column != je.column ||
            strcmp(he.text, je.text) != 0)
            abort();
        return;
    }
    char *w = dump(want), *g = got ? dump(got) : NULL, *f = fast ? dump(fast) : NULL;
    if (!g || strcmp(g, w) != 0 || (f && strcmp(f, w) != 0))
        abort();
    free(w);
    free(g);
    free(f);
    json_decref(want);
    json_decref(fast);
    json_decref(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    check(s, size, 0);
    check(s, size, JSON_REJECT_DUPLICATES);
    check(s, size, JSON_DECODE_ANY);
    check(s, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY);
    return 0;
}
