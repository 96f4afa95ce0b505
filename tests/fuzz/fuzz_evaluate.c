/* libFuzzer target: parse + validate + evaluate an arbitrary document under the default
 * protocol and a business-day protocol, then render the JSON; and check the limits of a
 * written document on any JSON value, with tight limits so that each is reached: the
 * check returns 0 or HF_EINVAL, and a refusal has a non-empty path that fits
 * HF_ERROR_PATH_MAX as valid UTF-8 and a message that is its catalog key applied to its
 * argument. Nothing may crash, leak or trip the sanitizers. */
#include "handoff/document.h"
#include "handoff/evaluate.h"
#include "handoff/os.h"
#include "handoff/protocol.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int utf8_is_valid(const unsigned char *s)
{
    while (*s) {
        size_t n = *s < 0x80             ? 1
                   : (*s & 0xe0) == 0xc0 ? 2
                   : (*s & 0xf0) == 0xe0 ? 3
                   : (*s & 0xf8) == 0xf0 ? 4
                                         : 0;
        if (n == 0)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((s[k] & 0xc0) != 0x80)
                return 0;
        }
        s += n;
    }
    return 1;
}

static void check_limits(const uint8_t *data, size_t size)
{
    json_t *any = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!any)
        return;
    hf_doc_limits tight = {.max_depth = 3,
                           .max_key_bytes = 8,
                           .max_string_bytes = 16,
                           .max_array_items = 4,
                           .max_members = 24,
                           .max_total_bytes = 256,
                           .max_indexed_bytes = 6};
    for (int k = 0; k < 2; k++) {
        hf_error err;
        hf_error_clear(&err);
        int rc = hf_document_check_limits(any, k ? NULL : &tight, &err);
        if (rc == 0)
            continue;
        char again[HF_ERROR_MSG_MAX];
        if (rc != HF_EINVAL || !err.path[0] || strlen(err.path) >= HF_ERROR_PATH_MAX ||
            !utf8_is_valid((const unsigned char *)err.path) || !err.msgid)
            abort();
        snprintf(again, sizeof(again), err.msgid, err.arg);
        if (strcmp(again, err.msg) != 0)
            abort();
    }
    json_decref(any);
}

static void evaluate_under(const json_t *doc, const hf_protocol *p, hf_time now)
{
    hf_evaluation ev;
    hf_error err;
    if (hf_evaluate(doc, p, now, &ev, &err) == 0) {
        json_t *j = hf_evaluation_to_json(&ev);
        char *s = json_dumps(j, HF_EVALUATION_JSON_FLAGS);
        free(s);
        json_decref(j);
    }
    hf_evaluation_free(&ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hf_protocol def, business;
    static int ready;
    if (!ready) {
        static const char proto[] =
            "{\"timezone\":\"America/Sao_Paulo\",\"holidays\":[\"2026-12-25\",\"2027-01-01\"],"
            "\"sla\":[{\"activity\":\"meeting_held\",\"business_days\":2},"
            "{\"activity\":\"kickoff_held\",\"business_days\":400}],\"revision_hours\":1e300}";
        hf_tz_set_loader(hf_tz_system_loader, NULL); /* the protocol's zone, any input's */
        hf_protocol_default(&def);
        if (hf_protocol_parse(proto, sizeof(proto) - 1, &business, NULL) != 0)
            hf_protocol_default(&business);
        ready = 1;
    }
    json_t *doc = NULL;
    hf_error err;
    if (hf_document_parse((const char *)data, size, &doc, &err) == 0) {
        evaluate_under(doc, &def, 1793534400);
        evaluate_under(doc, &business, -1000000000000);
        json_decref(doc);
    }
    check_limits(data, size);
    /* the same bytes as a protocol file */
    hf_protocol p;
    if (hf_protocol_parse((const char *)data, size, &p, &err) == 0)
        hf_protocol_free(&p);
    return 0;
}
