/* libFuzzer target for the DocuSign Connect parser and HMAC check of
 * src/integrations/hook_esign.c: invariants of fuzz_hook.h on any input; a completion
 * always names its envelope; the input as signature headers is never accepted. */
#include "fuzz_hook.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hf_hook_esign_config cfg = {"Opportunity"};
    hf_hook_batch b;
    hf_error err;
    int rc = hf_hook_docusign_parse((const char *)data, size, size & 1 ? &cfg : NULL, &b, &err);
    check_batch(rc, &b, &err, HF_HOOK_DOCUSIGN);
    for (size_t i = 0; i < b.count; i++)
        if (b.events[i].document_id[0] == '\0' || (b.events[i].kind == HF_HOOK_CONTRACT_COMPLETED &&
                                                   b.events[i].signed_at == HF_TIME_NONE))
            abort();
    hf_hook_batch_free(&b);

    char *s = cstr(data, size);
    if (!s)
        return 0;
    const char *sigs[] = {s, NULL, s};
    if (hf_hook_docusign_verify("connect-key", "{}", 2, sigs, 3, &err) == 0)
        abort();
    free(s);
    return 0;
}
