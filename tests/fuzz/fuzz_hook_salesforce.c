/* libFuzzer target for src/integrations/hook_salesforce.c: any bytes as a SOAP Outbound
 * Message must give either an error with its place or a batch that holds the invariants
 * of fuzz_hook.h, with an OrganizationId, and never expand an entity. */
#include "fuzz_hook.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const won[] = {"Fechado e ganho", NULL};
    hf_hook_salesforce_config cfg = {won};
    hf_hook_batch b;
    hf_error err;
    int rc = hf_hook_salesforce_parse((const char *)data, size, size & 1 ? &cfg : NULL, &b, &err);
    check_batch(rc, &b, &err, HF_HOOK_SALESFORCE);
    if (rc == 0) {
        if (b.org_id[0] == '\0')
            abort();
        for (size_t i = 0; i < b.count; i++)
            if (strcmp(b.events[i].org_id, b.org_id) != 0)
                abort();
    }
    hf_hook_batch_free(&b);
    (void)hf_hook_salesforce_org_matches("00D5e000000K9bQ", b.org_id);
    return 0;
}
