/* What the meeting page asks of the service: the roles the handoff meeting needs. */
#include "service/svc_int.h"

#include <string.h>

int hf_svc_meeting_required(hf_svc *svc, const hf_actor *a, int64_t id, unsigned *roles,
                            hf_error *err)
{
    *roles = 0;
    hf_handoff_rec h;
    int rc = hf_svc_handoff_get(svc, a, id, &h, err);
    if (rc)
        return rc;
    json_t *doc = NULL;
    const hf_protocol *p = NULL;
    rc = svc__document(&h, &doc, err);
    if (!rc)
        rc = svc__pinned(svc, SVC_WS(a), h.id, doc, h.created_at, &p, err);
    if (!rc) {
        hf_segment seg;
        const json_t *v = hf_doc_get(doc, "deal.segment");
        if (json_is_string(v) && hf_segment_parse(json_string_value(v), &seg) &&
            p->has_required[seg])
            *roles = p->required[seg];
        else if (p->has_required_default)
            *roles = p->required_default;
    }
    json_decref(doc);
    hf_handoff_rec_free(&h);
    return rc;
}
