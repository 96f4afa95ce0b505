/* libFuzzer target: parse + validate + evaluate an arbitrary document under the default
 * protocol and a business-day protocol, then render the JSON. Nothing may crash, leak or
 * trip the sanitizers. */
#include "handoff/document.h"
#include "handoff/evaluate.h"
#include "handoff/os.h"
#include "handoff/protocol.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    /* the same bytes as a protocol file */
    hf_protocol p;
    if (hf_protocol_parse((const char *)data, size, &p, &err) == 0)
        hf_protocol_free(&p);
    return 0;
}
