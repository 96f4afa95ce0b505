/* libFuzzer target for src/integrations/integration_config.c: any input, for every source,
 * either parses or fails with HF_EINVAL (a path when the JSON itself parsed) or HF_ENOMEM;
 * a parsed configuration's normalized JSON parses again to the same normalized JSON; the
 * owner and segment lookups and the command-line segment rule parser take any text. */
#include "handoff/integration.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const json_t *any_field(void *ctx, const char *field)
{
    (void)field;
    return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    for (int s = HF_HOOK_HUBSPOT; s <= HF_HOOK_GENERIC; s++) {
        hf_integration_config c;
        hf_error err;
        int rc = hf_integration_config_parse((hf_hook_source)s, text, size, &c, &err);
        if (rc != 0 && rc != HF_EINVAL && rc != HF_ENOMEM)
            abort();
        if (rc) {
            if (c.n_owners || c.n_won_stages || c.n_fields || c.n_segment_rules)
                abort(); /* on error the configuration is empty */
            continue;
        }
        json_t *norm = hf_integration_config_to_json(&c);
        char *once = json_dumps(norm, JSON_COMPACT | JSON_SORT_KEYS);
        hf_integration_config again;
        if (!once ||
            hf_integration_config_parse((hf_hook_source)s, once, strlen(once), &again, &err) != 0)
            abort();
        json_t *norm2 = hf_integration_config_to_json(&again);
        char *twice = json_dumps(norm2, JSON_COMPACT | JSON_SORT_KEYS);
        if (!twice || strcmp(once, twice) != 0)
            abort();
        json_t *num = json_real(12345.5), *str = json_string("Tier 1");
        (void)hf_integration_segment(&c, any_field, num);
        (void)hf_integration_segment(&c, any_field, str);
        (void)hf_integration_owner(&c, "9876543");
        json_decref(num);
        json_decref(str);
        free(once);
        free(twice);
        json_decref(norm);
        json_decref(norm2);
        hf_integration_config_free(&again);
        hf_integration_config_free(&c);
    }
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    json_t *rule = NULL;
    hf_error err;
    if (hf_integration_segment_rule_parse(s, &rule, &err) == 0 && !json_is_object(rule))
        abort();
    json_decref(rule);
    (void)hf_integration_path_allowed(s);
    free(s);
    return 0;
}
