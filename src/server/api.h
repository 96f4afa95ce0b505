/* Internals of the JSON API shared by its files: api.c (routing and the common request and
 * answer helpers), api_handoffs.c, api_people.c, api_integrations.c and api_misc.c (the
 * handlers by resource).
 *
 * Every handler is a transport: it parses the request, builds the actor from the
 * authenticated principal, calls one service function and renders the record or the
 * error. No handler decides a rule or an authorization. */
#ifndef HANDOFF_SERVER_API_H
#define HANDOFF_SERVER_API_H

#include "server/server.h"

#include "handoff/service.h"

#include <jansson.h>

/* The actor of the request: the principal's user, role, team, scopes and language. */
void api_actor(const hf_req *req, hf_actor *a);

/* Answer a service error as a problem document: the status of its hf_rc (HF_EINVAL 422,
 * HF_EUSAGE 400, HF_EPERM 403, HF_ENOTFOUND 404, HF_ECONFLICT / HF_ESTATE / HF_EBLOCKED
 * 409, HF_ESTALE 412, HF_EBUSY and database failures 503), the message in the request's
 * language, the field path, and for HF_EBLOCKED the blocker ids. Returns 0. */
int api_fail(hf_resp *resp, const hf_req *req, const hf_error *err);

/* The JSON body; answers 415 (`merge_patch_ok`: application/merge-patch+json too) or 400
 * itself and returns NULL. */
json_t *api_body(const hf_req *req, hf_resp *resp, bool merge_patch_ok);

/* ?now=RFC3339, else the clock; false (answered 400) for an unparsable value. */
bool api_now(const hf_req *req, hf_resp *resp, hf_time *now);

/* The clock. */
hf_time api_clock(void);

/* Path parameter `i` as a record id; false (answered 404 with `what`) when it is not one. */
bool api_id(const hf_req *req, hf_resp *resp, int i, int64_t *id, const char *what);

/* A query parameter as a positive number up to `max`; false (answered 400) when malformed.
 * *out is left alone when the parameter is absent. */
bool api_query_number(const hf_req *req, hf_resp *resp, const char *name, int64_t max,
                      int64_t *out);

/* A string member of an object, or NULL. */
const char *api_string(const json_t *o, const char *key);

/* A handoff record as the answer, with its document spliced in as stored when asked, and
 * its ETag. */
int api_handoff(hf_resp *resp, int status, const hf_handoff_rec *h, bool with_document);

/* A list page {items, next_cursor}: `items` holds up to limit + 1 records (the extra one
 * says there is a next page); the cursor is the id of the last one kept. Steals items. */
int api_page(hf_resp *resp, json_t *items, int64_t limit);

/* The handlers, by file. */
int api_health(hf_req *req, hf_resp *resp);
int api_ready(hf_req *req, hf_resp *resp);
int api_metrics(hf_req *req, hf_resp *resp);
int api_openapi(hf_req *req, hf_resp *resp);
int api_me(hf_req *req, hf_resp *resp);
int api_protocol(hf_req *req, hf_resp *resp);
int api_protocols_list(hf_req *req, hf_resp *resp);
int api_protocols_install(hf_req *req, hf_resp *resp);
int api_evaluate(hf_req *req, hf_resp *resp);
int api_gate(hf_req *req, hf_resp *resp);
int api_deals_list(hf_req *req, hf_resp *resp);
int api_deal_get(hf_req *req, hf_resp *resp);

int api_handoffs_list(hf_req *req, hf_resp *resp);
int api_handoff_create(hf_req *req, hf_resp *resp);
int api_handoff_get(hf_req *req, hf_resp *resp);
int api_document_put(hf_req *req, hf_resp *resp);
int api_document_patch(hf_req *req, hf_resp *resp);
int api_meeting_put(hf_req *req, hf_resp *resp);
int api_evaluation(hf_req *req, hf_resp *resp);
int api_transition(hf_req *req, hf_resp *resp);
int api_review(hf_req *req, hf_resp *resp);
int api_pre_close_approval(hf_req *req, hf_resp *resp);
int api_assignment(hf_req *req, hf_resp *resp);
int api_repin(hf_req *req, hf_resp *resp);
int api_history(hf_req *req, hf_resp *resp);
int api_version(hf_req *req, hf_resp *resp);
int api_diff(hf_req *req, hf_resp *resp);
int api_checklists(hf_req *req, hf_resp *resp);
int api_checklist_tick(hf_req *req, hf_resp *resp);

int api_users_list(hf_req *req, hf_resp *resp);
int api_users_create(hf_req *req, hf_resp *resp);
int api_user_get(hf_req *req, hf_resp *resp);
int api_users_patch(hf_req *req, hf_resp *resp);
int api_teams_list(hf_req *req, hf_resp *resp);
int api_teams_create(hf_req *req, hf_resp *resp);
int api_csms(hf_req *req, hf_resp *resp);
int api_tokens_list(hf_req *req, hf_resp *resp);
int api_tokens_create(hf_req *req, hf_resp *resp);
int api_tokens_revoke(hf_req *req, hf_resp *resp);

int api_integrations_list(hf_req *req, hf_resp *resp);
int api_integrations_create(hf_req *req, hf_resp *resp);
int api_integration_get(hf_req *req, hf_resp *resp);
int api_integration_patch(hf_req *req, hf_resp *resp);
int api_integration_delete(hf_req *req, hf_resp *resp);
int api_hook_events_list(hf_req *req, hf_resp *resp);
int api_hook_event_get(hf_req *req, hf_resp *resp);
int api_hook_event_replay(hf_req *req, hf_resp *resp);

#endif
