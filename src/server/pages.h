/* The pages of the inbox, the handoff list, the meeting, the CS review, the administration
 * and the account (page_inbox.c, page_meeting.c, page_review.c, page_admin.c), for web.c's
 * route table, and the pieces they share. */
#ifndef HANDOFF_SERVER_PAGES_H
#define HANDOFF_SERVER_PAGES_H

#include "server/web.h"

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
