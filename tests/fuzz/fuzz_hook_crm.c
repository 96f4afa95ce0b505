/* libFuzzer target for the answer parsers of src/integrations/crm_fetch.c (a HubSpot deal
 * and owner, as the CRM's REST API sends them): any bytes give an error or a deal whose
 * fields are terminated and whose properties are an object. */
#include "handoff/crm_fetch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hf_crm_deal d;
    hf_error err;
    int rc = hf_crm_hubspot_deal_parse((const char *)data, size, &d, &err);
    if (rc == 0) {
        if (!json_is_object(d.properties) || d.id[0] == '\0' ||
            strnlen(d.name, sizeof(d.name)) >= sizeof(d.name))
            abort();
        hf_hook_event ev;
        memset(&ev, 0, sizeof(ev));
        hf_crm_deal_apply(&d, &ev);
        if (strcmp(ev.crm_id, d.id) != 0)
            abort();
    } else if (d.properties != NULL || err.msg[0] == '\0') {
        abort();
    }
    hf_crm_deal_free(&d);
    char email[HF_HOOK_EMAIL_MAX];
    rc = hf_crm_hubspot_owner_parse((const char *)data, size, email, &err);
    if (rc == 0 && !strchr(email, '@'))
        abort();
    return 0;
}
