/* libFuzzer target for src/integrations/hook_pipedrive.c: the v1/v2 webhook parser holds
 * the invariants of fuzz_hook.h on any input, and the input as an Authorization header
 * is never accepted for other credentials. */
#include "fuzz_hook.h"

#include <stdint.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hf_hook_batch b;
    hf_error err;
    int rc = hf_hook_pipedrive_parse((const char *)data, size, &b, &err);
    check_batch(rc, &b, &err, HF_HOOK_PIPEDRIVE);
    if (rc == 0 && b.count != 1)
        abort();
    hf_hook_batch_free(&b);

    char *s = cstr(data, size);
    if (!s)
        return 0;
    /* "Basic dXNlcjpwYXNz" is user:pass; anything else must be refused */
    int v = hf_hook_pipedrive_verify_basic(s, "user", "pass", &err);
    if (v == 0 && strncasecmp(s, "basic ", 6) != 0)
        abort();
    free(s);
    return 0;
}
