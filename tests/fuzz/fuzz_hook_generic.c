/* libFuzzer target for src/integrations/hook_standard.c: the generic trigger body holds
 * the invariants of fuzz_hook.h; Standard Webhooks verification never accepts the input
 * as a signature, and always accepts what hf_hook_standard_sign made for the input. */
#include "fuzz_hook.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hf_hook_batch b;
    hf_error err;
    const char *body = (const char *)data;
    int rc = hf_hook_generic_parse(body, size, "msg_fuzz", &b, &err);
    check_batch(rc, &b, &err, HF_HOOK_GENERIC);
    if (rc == 0 && strcmp(b.events[0].event_id, "msg_fuzz") != 0)
        abort();
    hf_hook_batch_free(&b);

    char *s = cstr(data, size);
    if (!s)
        return 0;
    if (hf_hook_standard_verify(SECRET, "msg_fuzz", "1700000000", s, "{}", 2, 1700000000, &err) ==
        0)
        abort();
    (void)hf_hook_standard_verify(s, "msg_fuzz", s, "v1,AAAA", body, size, 1700000000, &err);
    char sig[HF_HOOK_STANDARD_SIG_MAX];
    if (hf_hook_standard_sign(SECRET, "msg_fuzz", 1700000000, body, size, sig, &err) == 0 &&
        hf_hook_standard_verify(SECRET, "msg_fuzz", "1700000000", sig, body, size, 1700000100,
                                &err) != 0)
        abort();
    free(s);
    return 0;
}
