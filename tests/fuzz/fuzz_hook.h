/* Shared by the webhook fuzz targets (tests/fuzz/fuzz_hook_*.c): the invariants every
 * parse result must hold, checked with abort() so that libFuzzer reports a violation as a
 * crash. */
#ifndef HANDOFF_FUZZ_HOOK_H
#define HANDOFF_FUZZ_HOOK_H

#include "handoff/hooks.h"

#include <stdlib.h>
#include <string.h>

static void check_field(const char *s, size_t cap)
{
    if (strnlen(s, cap) >= cap)
        abort(); /* not NUL-terminated inside its field */
}

/* After a parse returned rc into b (with err). */
static void check_batch(int rc, const hf_hook_batch *b, const hf_error *err, hf_hook_source source)
{
    if (b->source != source)
        abort();
    if (rc != 0) {
        /* a failure leaves nothing behind and says what went wrong */
        if (b->count != 0 || b->events != NULL || err->rc != rc || err->msg[0] == '\0')
            abort();
        if (rc != HF_EINVAL && rc != HF_ENOMEM)
            abort();
        return;
    }
    if (b->count > HF_HOOK_BATCH_MAX)
        abort();
    for (size_t i = 0; i < b->count; i++) {
        const hf_hook_event *e = &b->events[i];
        if (e->source != source || !e->properties || !json_is_object(e->properties))
            abort();
        check_field(e->event_id, sizeof(e->event_id));
        check_field(e->crm_id, sizeof(e->crm_id));
        check_field(e->stage, sizeof(e->stage));
        check_field(e->pipeline, sizeof(e->pipeline));
        check_field(e->name, sizeof(e->name));
        check_field(e->currency, sizeof(e->currency));
        check_field(e->owner_id, sizeof(e->owner_id));
        check_field(e->owner_email, sizeof(e->owner_email));
        check_field(e->account, sizeof(e->account));
        check_field(e->org_id, sizeof(e->org_id));
        check_field(e->document_id, sizeof(e->document_id));
        /* every event can be de-duplicated; every event to act on names its deal */
        if (e->event_id[0] == '\0')
            abort();
        if (e->kind == HF_HOOK_IGNORED ? e->ignored_why == NULL
                                       : (e->ignored_why != NULL || e->crm_id[0] == '\0'))
            abort();
        /* is_duplicate is exactly "an earlier event has this key" */
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = strcmp(b->events[j].event_id, e->event_id) == 0;
        if (dup != e->is_duplicate)
            abort();
    }
}

/* The input as a NUL-terminated copy (for header-like pieces); free it. */
static char *cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

#endif
