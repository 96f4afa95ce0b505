/* libFuzzer target for the PandaDoc parser, HMAC check and query parameter reader of
 * src/integrations/hook_esign.c: invariants of fuzz_hook.h on any input, with and
 * without the event id header. */
#include "fuzz_hook.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hf_hook_batch b;
    hf_error err;
    int rc =
        hf_hook_pandadoc_parse((const char *)data, size, NULL, size & 1 ? "evt-1" : NULL, &b, &err);
    check_batch(rc, &b, &err, HF_HOOK_PANDADOC);
    hf_hook_batch_free(&b);

    char *s = cstr(data, size);
    if (!s)
        return 0;
    char value[HF_HOOK_SIG_HEX_MAX];
    long n = hf_hook_query_param(s, "signature", value, sizeof(value));
    if (n >= (long)sizeof(value) || (n >= 0 && (size_t)n != strlen(value)))
        abort();
    if (n >= 0 && hf_hook_pandadoc_verify("shared-key", "[]", 2, value, &err) == 0)
        abort();
    if (hf_hook_pandadoc_verify("shared-key", "[]", 2, s, &err) == 0)
        abort();
    free(s);
    return 0;
}
