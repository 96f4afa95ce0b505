/* The pages of the web application, for web.c's route table, and the pieces they share:
 * the handoff overview and history (page_handoff.c), the editor (page_editor.c), the inbox
 * and the list (page_inbox.c), the meeting (page_meeting.c), the CS review
 * (page_review.c), the administration and the account (page_admin.c). Each handler is a
 * transport: it parses, builds the actor, calls the service (include/handoff/service.h)
 * and renders. docs/internals/web.md. */
#ifndef HANDOFF_SERVER_PAGES_H
#define HANDOFF_SERVER_PAGES_H

#include "server/web.h"

#include "handoff/document.h"
#include "handoff/evaluate.h"
#include "handoff/service.h"

/* page_handoff.c */
int page_handoff_overview(hf_page *pg);
int page_handoff_transition(hf_page *pg);
int page_handoff_history(hf_page *pg);

/* page_editor.c */
int page_handoff_new(hf_page *pg);
int page_handoff_new_post(hf_page *pg);
int page_handoff_edit(hf_page *pg);
int page_handoff_edit_post(hf_page *pg);
int page_handoff_preview(hf_page *pg);

/* shared helpers (page_handoff.c) */
/* The {} of /handoffs/{}: true and *id, or answers the 404 page and returns false. */
bool hf_pages_id(hf_page *pg, int64_t *id);
/* Answers a service error as an error page (403, 404, 409, 503 ...). Returns 0. */
int hf_pages_fail(hf_page *pg, const hf_error *err);
/* The translated label of a status / band. */
const char *hf_pages_band_label(hf_lang lang, hf_band band);
/* Where a blocker is fixed: an editor field, the overview's team card, the meeting. */
void hf_pages_blocker_href(int64_t id, int blocker, uint64_t missing, char *buf, size_t cap);
/* A JSON value as one line of text for people ("N/A", 12, ["a","b"] -> a, b). */
char *hf_pages_value_text(const json_t *v);

int page_inbox(hf_page *pg);
int page_handoffs(hf_page *pg);
int page_meeting(hf_page *pg);
int page_meeting_post(hf_page *pg);
int page_review(hf_page *pg);
int page_review_post(hf_page *pg);
int page_admin(hf_page *pg);
int page_admin_post(hf_page *pg);
int page_admin_user(hf_page *pg);
int page_account(hf_page *pg);

/* A handoff of hf_svc_handoff_json made ready for a list row: status_label, band_label,
 * score, percent, due_text and due_relative (the reader's language) added to `item`
 * (borrowed, changed in place). */
void pages_handoff_row(const hf_page *pg, json_t *item, hf_time now);
/* The label msgid of a band. */
const char *pages_band_label(int band);
/* The id of the route's first {} as a handoff id; 0 when it is not one. */
int64_t pages_handoff_id(const hf_page *pg);

#endif
