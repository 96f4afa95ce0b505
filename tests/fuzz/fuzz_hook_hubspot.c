/* libFuzzer target for src/integrations/hook_hubspot.c: the webhook body parser (with and
 * without custom won stages) must hold the batch invariants of fuzz_hook.h on any input;
 * the signature verifiers, fed the input as body and as header values, and the URI
 * decoder must neither crash nor accept what was not signed. */
#include "fuzz_hook.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const hf_hook_won_stage won[] = {{"default", "closedwon"}, {NULL, "12345678"}};
    hf_hook_hubspot_config cfg = {won, 2};
    hf_hook_batch b;
    hf_error err;
    const char *body = (const char *)data;

    int rc = hf_hook_hubspot_parse(body, size, size & 1 ? &cfg : NULL, &b, &err);
    check_batch(rc, &b, &err, HF_HOOK_HUBSPOT);
    for (size_t i = 0; i < b.count; i++)
        if (b.events[i].kind == HF_HOOK_DEAL_WON &&
            !hf_hook_hubspot_stage_is_won(size & 1 ? &cfg : NULL, NULL, b.events[i].stage))
            abort();
    hf_hook_batch_free(&b);

    char *s = cstr(data, size);
    if (!s)
        return 0;
    char out[512];
    long n = hf_hook_hubspot_uri_decode(s, out, sizeof(out));
    if (n >= 0 && (size_t)n != strlen(out))
        abort();
    /* the input as a signature and as a timestamp: never valid */
    if (hf_hook_hubspot_verify_v3("secret", "POST", "https://h.example/x", "[]", 2, "1700000000000",
                                  s, 1700000000, &err) == 0 ||
        hf_hook_hubspot_verify_v3("secret", "POST", s, body, size, s, "c2ln", 1700000000, &err) ==
            0 ||
        hf_hook_hubspot_verify_v1("secret", body, size, s, &err) == 0 ||
        hf_hook_hubspot_verify_v2("secret", "POST", s, body, size, s, &err) == 0)
        abort();
    /* and what we sign over it verifies */
    char sig[HF_HOOK_SIG_B64_MAX];
    if (hf_hook_hubspot_sign_v3("secret", "POST", s, body, size, 1700000000000LL, sig, &err) == 0 &&
        hf_hook_hubspot_verify_v3("secret", "POST", s, body, size, "1700000000000", sig, 1700000000,
                                  &err) != 0)
        abort();
    free(s);
    return 0;
}
