/* The service layer: every operation people and systems perform on Handoff, and every rule
 * that decides whether they may.
 *
 * Design. The API handlers, the web pages, the CLI, the webhook receivers and the scheduler
 * are transports: they parse a request, call one function here with an *actor* (who is
 * acting: a user with a role, a team and token scopes, or the trusted system), and render
 * the result or the error. Authorization by role and ownership, the protected fields of
 * the document, one handoff per deal, the guarded lifecycle (SPEC §2), protocol versions
 * and pinning, CSM assignment with capacity and the checklists are decided here and only
 * here; the core (evaluate, lifecycle, protocol) computes, the store persists.
 *
 * Errors come back as a negative hf_rc with an hf_error: HF_EPERM (not allowed: HTTP 403),
 * HF_ENOTFOUND (404), HF_EINVAL (invalid input, with the field path: 422), HF_EUSAGE (a
 * malformed request: 400), HF_ESTALE (the record changed since the version named: 412),
 * HF_ECONFLICT (conflicts with a record that exists: 409), HF_ESTATE (not allowed in the
 * current status: 409), HF_EBLOCKED (the gate blocks the move: 409, the blockers named),
 * HF_EBUSY (try again shortly: 503), HF_EDB (the database failed: 503). Messages are in
 * the actor's language (hf_svc_error_text() for those that carry a msgid).
 *
 * Each operation commits once: its reads and writes run in one store transaction (a
 * savepoint when the caller holds one already).
 *
 * Threads: an hf_svc wraps one store handle and is used by one thread at a time (the server
 * keeps one per worker). Time is always a parameter (`now`): nothing here reads the clock. */
#ifndef HANDOFF_SERVICE_H
#define HANDOFF_SERVICE_H

#include "handoff/credentials.h"
#include "handoff/error.h"
#include "handoff/evaluate.h"
#include "handoff/i18n.h"
#include "handoff/lifecycle.h"
#include "handoff/protocol.h"
#include "handoff/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Token scopes (SPEC §7): what a bearer token may do. Sessions and the CLI hold all. */
enum {
    HF_SCOPE_READ = 1u << 0,
    HF_SCOPE_WRITE = 1u << 1,
    HF_SCOPE_GATE = 1u << 2,
    HF_SCOPE_ALL = (1u << 3) - 1
};

/* Parse a space-separated scope list ("read write gate"): each word once at most, at
 * least one. Returns true and sets *out; false for anything else. */
bool hf_scopes_parse(const char *text, unsigned *out);
/* "read write gate" order; buf of 32 bytes. */
const char *hf_scopes_format(unsigned scopes, char buf[32]);

/* Who is acting. */
typedef struct hf_actor {
    int64_t workspace_id; /* 0 counts as 1 */
    int64_t user_id;      /* 0 for the system */
    hf_role role;
    int64_t team_id; /* 0: none */
    bool is_system;  /* the trusted CLI without --as, the scheduler, the receivers */
    bool via_token;  /* a bearer token: scopes apply */
    unsigned scopes; /* HF_SCOPE_*; HF_SCOPE_ALL for people and the system */
    hf_lang lang;    /* the language of messages */
    char email[256]; /* lower case; for the system a label ("cli", "hubspot") */
    char name[256];
} hf_actor;

/* The system actor of workspace `ws`: every right, recorded in history as `label`. */
void hf_actor_system(hf_actor *a, int64_t ws, const char *label, hf_lang lang);

typedef struct hf_svc hf_svc;

/* Extra behaviour a transport supplies. Every member may be NULL. */
typedef struct hf_svc_hooks {
    /* Hash a password (the server caps how many run at once); NULL: hf_password_hash.
     * Returns 0, or -1 when busy (the operation answers HF_EBUSY). */
    int (*hash_password)(const char *password, char out[HF_HASH_MAX]);
    /* A user's credentials or rights changed (password, role, disabled; user_id 0: a token
     * was revoked): the server ends the user's sessions and drops what it caches. */
    void (*credentials_changed)(int64_t ws, int64_t user_id);
    /* The wait between two attempts of a CRM fetch (the triggers); NULL: nanosleep. Tests
     * record the waits instead of sleeping. */
    void (*crm_sleep_ms)(void *ctx, long ms);
    void *crm_sleep_ctx;
    /* Group commit: run `fn`, the apply step of a write (the part that must hold the write
     * lock), on the transport's writer with the writer's service, inside a transaction the
     * writer commits for many writes at once, and return fn's result once the commit that
     * covers it is durable (HF_EDB when that commit failed). Everything else of the write
     * (parsing, validation, the diff, the evaluation) has run on the caller's thread.
     * NULL: each write commits on its own. Writes inside a caller's transaction never come
     * here. */
    int (*commit_apply)(int (*fn)(hf_svc *svc, void *ctx, hf_error *err), void *ctx, hf_error *err);
} hf_svc_hooks;

/* A service over `store` (borrowed: it must outlive the service). `hooks` is copied and may
 * be NULL. Returns 0 or HF_ENOMEM. */
int hf_svc_open(hf_store *store, const hf_svc_hooks *hooks, hf_svc **out, hf_error *err);
/* Accepts NULL. Does not close the store. */
void hf_svc_close(hf_svc *svc);
hf_store *hf_svc_store(hf_svc *svc);

/* The actor for the user with this id (or e-mail when id is 0), with the user's role, team,
 * saved language (else `fallback_lang`) and every scope. HF_ENOTFOUND for an unknown
 * user, HF_EPERM for a disabled one. */
int hf_svc_actor_for_user(hf_svc *svc, int64_t ws, int64_t user_id, const char *email,
                          hf_lang fallback_lang, hf_actor *a, hf_error *err);

/* The message of `err` in `lang`: the translated msgid with its argument when it has one,
 * else err->msg. Writes into buf (cap bytes) and returns it. */
const char *hf_svc_error_text(hf_lang lang, const hf_error *err, char *buf, size_t cap);

/* ---- authorization ---- */

/* What an actor wants to do with a handoff. */
typedef enum hf_action {
    HF_ACTION_READ,
    HF_ACTION_EDIT,     /* change the document */
    HF_ACTION_SALES,    /* submit, schedule, hold, cancel, resubmit */
    HF_ACTION_REVIEW,   /* accept, ask for revision, reject, approve pre-close */
    HF_ACTION_COMPLETE, /* mark completed */
    HF_ACTION_ASSIGN,   /* choose the CSM */
    HF_ACTION_OVERRIDE, /* move past the gate with a written reason */
    HF_ACTION_REPIN,    /* pin to another protocol version */
} hf_action;

/* May `a` do `what` on handoff `h`? Pages use it to decide which controls to show; every
 * operation below checks it itself. Ownership: a rep owns the handoffs of their deals
 * (deal.owner.email), a CSM those assigned to them (team.csm.email); managers act for the
 * members of their team (a CS manager also for unassigned handoffs); RevOps and the
 * system for everyone; a viewer reads. E-mail addresses compare without regard to case. */
bool hf_svc_may(hf_svc *svc, const hf_actor *a, hf_action what, const hf_handoff_rec *h);

/* May `a` open the administration (users, teams, tokens of everyone, protocol versions)?
 * RevOps and the system. Pages use it to show the Admin navigation and page; each
 * operation checks again. */
bool hf_svc_may_administer(const hf_actor *a);

/* The statuses `a` may move `h` to now (lifecycle, role and ownership; the gate is not
 * asked: a blocked move is refused with the blockers named), as HF_STATUS_BIT()s. */
unsigned hf_svc_transitions_allowed(hf_svc *svc, const hf_actor *a, const hf_handoff_rec *h);

/* ---- handoffs ---- */

/* Create a deal's handoff (status draft) from a handoff/1 document (borrowed; validated and
 * size-checked here). With deal.crm_id the deal is created or updated from the document,
 * and a deal that has a handoff already is refused (HF_ECONFLICT; *existing_id, when not
 * NULL, receives its id). The handoff is pinned to the protocol in force at its T0 (or now).
 * `source` names where it came from ("api", "cli", "import", "hubspot"). A rep creates
 * handoffs for their own deals, a sales manager for their team's, RevOps and the system
 * for any. On success *out (may be NULL) receives the stored record. */
int hf_svc_handoff_create(hf_svc *svc, const hf_actor *a, const json_t *doc, const char *source,
                          hf_time now, hf_handoff_rec *out, int64_t *existing_id, hf_error *err);
/* The same, taking the caller's reference to `doc` (which it may change): no copy. */
int hf_svc_handoff_create_take(hf_svc *svc, const hf_actor *a, json_t *doc, const char *source,
                               hf_time now, hf_handoff_rec *out, int64_t *existing_id,
                               hf_error *err);

int hf_svc_handoff_get(hf_svc *svc, const hf_actor *a, int64_t id, hf_handoff_rec *out,
                       hf_error *err);
/* By the CRM id of its deal. */
int hf_svc_handoff_get_by_crm(hf_svc *svc, const hf_actor *a, const char *crm_id,
                              hf_handoff_rec *out, hf_error *err);
int hf_svc_handoff_list(hf_svc *svc, const hf_actor *a, const hf_handoff_filter *f,
                        hf_handoff_cb cb, void *ctx, hf_error *err);
int hf_svc_handoff_count(hf_svc *svc, const hf_actor *a, const hf_handoff_filter *f, int64_t *count,
                         hf_error *err);

typedef enum hf_write_kind {
    HF_WRITE_PUT,     /* replace the whole document */
    HF_WRITE_PATCH,   /* RFC 7396 merge patch */
    HF_WRITE_SECTION, /* replace one top-level section (`meeting`) */
} hf_write_kind;

/* Change the document of handoff `id`. `base_version` is the version the caller edited
 * (HF_ESTALE when another landed since); 0 means "whatever is current" (unconditional).
 * Protected fields (deal.owner, team, review, deal.pre_close_approved_by) change only for
 * the roles that own them (HF_EPERM naming the field). A closed handoff is HF_ESTATE. An
 * identical document writes nothing. *out (may be NULL) receives the stored record. */
int hf_svc_handoff_write(hf_svc *svc, const hf_actor *a, int64_t id, int base_version,
                         hf_write_kind kind, const char *section, const json_t *body, hf_time now,
                         hf_handoff_rec *out, hf_error *err);

/* `PATH=VALUE` assignments (hf_json_value_from_arg values), as `handoff edit` takes them. */
int hf_svc_handoff_edit(hf_svc *svc, const hf_actor *a, int64_t id, int base_version,
                        const char *const *assignments, size_t count, hf_time now,
                        hf_handoff_rec *out, hf_error *err);

/* Evaluate handoff `id` at `now` under its pinned protocol. *rec (may be NULL) receives the
 * record; *ev must be freed with hf_evaluation_free on success. */
int hf_svc_handoff_evaluate(hf_svc *svc, const hf_actor *a, int64_t id, hf_time now,
                            hf_handoff_rec *rec, hf_evaluation *ev, hf_error *err);

/* Evaluate a document that is not stored, under the protocol in force now (or `protocol`,
 * a protocol file's JSON, when not NULL). */
int hf_svc_evaluate_document(hf_svc *svc, const hf_actor *a, const json_t *doc,
                             const json_t *protocol, hf_time now, hf_evaluation *ev, hf_error *err);

/* The close gate a CRM asks before closing a deal (SPEC §6): the verdict of the deal's
 * handoff at `now`. A token needs the gate or the read scope. *out: {ready,
 * pending_contract, blockers, handoff_id, crm_id, completeness}. */
int hf_svc_gate(hf_svc *svc, const hf_actor *a, const char *crm_id, hf_time now, json_t **out,
                hf_error *err);

/* A status change (SPEC §2). */
typedef struct hf_transition_req {
    hf_status to;
    const char *comment;        /* the reason or review comment; NULL: none */
    const char *const *reasons; /* rejection reason codes (checked here); may be NULL */
    size_t reason_count;
    const char *override_reason; /* move past the gate: CS manager or RevOps only */
    hf_time held_at;             /* `held`: when the meeting was held; 0: now */
} hf_transition_req;

/* Move handoff `id`: the actor's right (role and ownership), the lifecycle (HF_ESTATE with
 * the allowed moves named), then the gate: the blockers the protocol's
 * `transition_requires` lists for the target must be absent (HF_EBLOCKED, err->msg naming
 * them in the actor's language) unless an override reason is given by a CS manager or
 * RevOps, which is kept on the transition. Review decisions are appended to the document's
 * review.history; a resubmission sets timeline.resubmitted_at; `held` records the time
 * (refusing one before meeting.scheduled_for less the protocol's tolerance) and checks
 * the meeting's duration (30 minutes at least, 60 for strategic deals). */
int hf_svc_handoff_transition(hf_svc *svc, const hf_actor *a, int64_t id,
                              const hf_transition_req *req, hf_time now, hf_handoff_rec *out,
                              hf_error *err);

/* The blockers (bit set over hf_blocker) that stand between `h` and `to` now. */
int hf_svc_transition_blockers(hf_svc *svc, const hf_handoff_rec *h, hf_status to, hf_time now,
                               unsigned *blockers, hf_error *err);

/* The CS manager approves a pre-close (verbal commit) handoff. */
int hf_svc_pre_close_approve(hf_svc *svc, const hf_actor *a, int64_t id, hf_time now,
                             hf_handoff_rec *out, hf_error *err);

/* {versions: [...], transitions: [...]}, overrides and re-pins included. */
int hf_svc_handoff_history(hf_svc *svc, const hf_actor *a, int64_t id, json_t **out, hf_error *err);
int hf_svc_handoff_version(hf_svc *svc, const hf_actor *a, int64_t id, int version, json_t **out,
                           hf_error *err);
/* {from, to, changes: [{path, op, from, to}]} */
int hf_svc_handoff_diff(hf_svc *svc, const hf_actor *a, int64_t id, int from, int to, json_t **out,
                        hf_error *err);

/* The three checklists of SPEC §6 at `now`: {pre_handoff: [...], meeting: [...],
 * post_handoff: [...]}, each item {id, done, automatic, by, at}. Items the system knows
 * tick themselves; the others are ticked by their owners. */
int hf_svc_checklists(hf_svc *svc, const hf_actor *a, int64_t id, hf_time now, json_t **out,
                      hf_error *err);
/* Tick or untick a manual item ("meeting.recording_shared"); HF_EINVAL for an automatic or
 * unknown item, HF_EPERM when the item is not the actor's to tick. */
int hf_svc_checklist_tick(hf_svc *svc, const hf_actor *a, int64_t id, const char *item, bool done,
                          hf_time now, hf_error *err);

/* ---- the inbox ---- */

/* What needs actor `a` at `now`, by role, most urgent first. *out (a new reference):
 * {to_fill, to_review, to_approve, meetings, overdue, queue, counts}, each list at most 50
 * handoffs (hf_svc_handoff_json) and counts.{list} the whole number, counts.total their sum:
 *   to_fill     sellers (rep: their deals; sales manager: their team's): draft,
 *               needs_revision, rejected; the returned ones first, then by next_due;
 *   to_review   CS manager and RevOps: held handoffs they may decide;
 *   to_approve  CS manager and RevOps: pre-close (verbal commit) handoffs not yet approved;
 *   meetings    scheduled meetings from a day ago to 7 days ahead of handoffs the actor takes
 *               part in, by time, with scheduled_for and duration_minutes;
 *   overdue     open handoffs the actor takes part in with an SLA past due, with the worst
 *               line's activity, due and escalation (0-3), the highest escalation first;
 *   queue       CS manager and RevOps: open handoffs past draft without a CSM.
 * A viewer's inbox is empty. */
int hf_svc_inbox(hf_svc *svc, const hf_actor *a, hf_time now, json_t **out, hf_error *err);

/* The attendee roles the meeting of handoff `id` requires (a bit set over
 * hf_attendee_roles): the protocol the handoff is pinned to, for the deal's segment, else
 * its default. */
int hf_svc_meeting_required(hf_svc *svc, const hf_actor *a, int64_t id, unsigned *roles,
                            hf_error *err);

/* ---- CSM assignment (SPEC §6) ---- */

/* Assign the CSM with e-mail `csm_email`, or with NULL the least-loaded eligible CSM for
 * the deal's segment (ties: fewest assignments in the last 30 days, then id). A CSM at
 * capacity is refused (HF_ESTATE) unless `override_reason` is given by a CS manager or
 * RevOps. When every eligible CSM is at capacity the handoff stays in the CS managers'
 * queue and an alert is recorded (HF_ESTATE, err->msg says so). The document's
 * team.csm (name, email, accounts, capacity) is filled from the user record. */
int hf_svc_csm_assign(hf_svc *svc, const hf_actor *a, int64_t id, const char *csm_email,
                      const char *override_reason, hf_time now, hf_handoff_rec *out, hf_error *err);

/* The CSMs with their open handoffs and capacity: {items: [user + open_handoffs,
 * at_capacity]}. */
int hf_svc_csm_load(hf_svc *svc, const hf_actor *a, json_t **out, hf_error *err);

/* ---- deals ---- */

int hf_svc_deal_get(hf_svc *svc, const hf_actor *a, int64_t id, hf_deal_rec *out, hf_error *err);
int hf_svc_deal_list(hf_svc *svc, const hf_actor *a, int64_t after_id, int limit, hf_deal_cb cb,
                     void *ctx, hf_error *err);

/* ---- people ---- */

/* A user to create, or the changes to one: members left NULL / has_* false stay. */
typedef struct hf_user_input {
    const char *email;
    const char *name;
    bool has_role;
    hf_role role;
    bool has_team;
    int64_t team_id; /* 0: none; otherwise the team must exist */
    bool has_capacity;
    int64_t capacity;     /* 0 to 10000 */
    const char *segments; /* "enterprise,mid_market"; "" clears */
    const char *lang;     /* "pt-BR"; "" clears */
    bool has_active;
    bool active;
    const char *password; /* 10 to 1024 characters */
} hf_user_input;

/* RevOps (and the system) manage users. A password change or a disabled account ends the
 * user's sessions (hooks.credentials_changed). */
int hf_svc_user_create(hf_svc *svc, const hf_actor *a, const hf_user_input *in, hf_time now,
                       hf_user_rec *out, hf_error *err);
int hf_svc_user_update(hf_svc *svc, const hf_actor *a, int64_t id, const hf_user_input *in,
                       hf_user_rec *out, hf_error *err);
/* By id, or by e-mail when id is 0. */
int hf_svc_user_get(hf_svc *svc, const hf_actor *a, int64_t id, const char *email, hf_user_rec *out,
                    hf_error *err);
int hf_svc_user_list(hf_svc *svc, const hf_actor *a, hf_user_cb cb, void *ctx, hf_error *err);

/* kind "sales" or "cs"; manager_id 0 or an existing user. */
int hf_svc_team_create(hf_svc *svc, const hf_actor *a, const char *name, const char *kind,
                       int64_t manager_id, int64_t *id, hf_error *err);
int hf_svc_team_list(hf_svc *svc, const hf_actor *a, hf_team_cb cb, void *ctx, hf_error *err);

/* A token for user `user_id` (0: the actor). People make their own tokens from a session;
 * RevOps and the system make them for anyone; a token never makes a token. `token` gets
 * the secret (shown once). */
int hf_svc_token_create(hf_svc *svc, const hf_actor *a, int64_t user_id, const char *name,
                        const char *scopes, hf_time now, char token[HF_TOKEN_MAX],
                        hf_token_rec *out, hf_error *err);
/* RevOps see every token, others their own. */
int hf_svc_token_list(hf_svc *svc, const hf_actor *a, hf_token_cb cb, void *ctx, hf_error *err);
int hf_svc_token_revoke(hf_svc *svc, const hf_actor *a, int64_t id, hf_time now, hf_error *err);

/* ---- protocol versions (SPEC §2, §5) ---- */

/* Install a protocol file (JSON text) as a new version, effective from its `effective`
 * date (else the day of `now`). RevOps and the system only. A version already stored is
 * HF_ECONFLICT unless its text is identical and `same_ok` is true (a server restarted with
 * the same file). */
int hf_svc_protocol_install(hf_svc *svc, const hf_actor *a, const char *text, size_t len,
                            bool same_ok, hf_time now, hf_protocol_rec *out, hf_error *err);
/* {items: [{version, effective, installed_at, installed_by, handoffs, builtin}]} */
int hf_svc_protocol_list(hf_svc *svc, const hf_actor *a, json_t **out, hf_error *err);
/* The protocol of a version ("" or NULL: the one in force at `now`); borrowed, valid until
 * the service is closed. */
int hf_svc_protocol_get(hf_svc *svc, const char *version, hf_time now, const hf_protocol **out,
                        hf_error *err);
/* RevOps pins an open handoff to another installed version; recorded in its history. */
int hf_svc_handoff_repin(hf_svc *svc, const hf_actor *a, int64_t id, const char *version,
                         hf_time now, hf_handoff_rec *out, hf_error *err);

/* ---- integrations and triggers (SPEC §6 "Triggers") ----
 *
 * An integration is one CRM or e-signature account that starts handoffs: its source, the
 * unguessable endpoint id of its webhook URL (`/hooks/{source}/{endpoint-id}`), its
 * configuration (handoff/integration.h: won stages, owner mapping, segment rules, field
 * mapping, ...) and its secrets. Secrets are write-only: stored sealed with the key given
 * to hf_svc_set_secret_key, used to check signatures and call the CRM, and never put in
 * any answer (which says only whether each is set). RevOps (and the system) manage
 * integrations, read their deliveries and replay them; a token needs the read scope to
 * read and the write scope to change. docs/internals/triggers.md tells the whole story. */

/* The key that seals integration secrets (HF_SECRET_KEY_BYTES, copied); NULL forgets it.
 * Without a key, an operation that must store or use a secret is HF_EUSAGE. */
void hf_svc_set_secret_key(hf_svc *svc, const unsigned char *key);

/* An integration to create, or the changes to one. */
typedef struct hf_integration_input {
    const char *source; /* create: hubspot, salesforce, pipedrive, docusign, pandadoc, generic */
    const char *name;   /* NULL: unchanged (create: the source's name) */
    /* create: the whole configuration (NULL: defaults); update: an RFC 7396 merge patch of
     * it (NULL: unchanged). Checked with hf_integration_config_from_json. */
    const json_t *config;
    /* The signing secret: HubSpot's client secret, DocuSign's Connect key, PandaDoc's
     * shared key, the generic receiver's `whsec_...` secret, Pipedrive's `user:password`.
     * NULL: unchanged; "": removed. */
    const char *secret;
    const char *api_token; /* HubSpot: a private app token for fetching deals; as above */
    bool has_retention;
    int retention_days; /* deliveries are kept this many days: 1 to 3650 (default 30) */
} hf_integration_input;

/* The integration as JSON: {id, source, name, endpoint_path, config, secrets: {secret:
 * bool, api_token: bool}, retention_days, created_by, created_at, updated_at}. New
 * reference in *out (may be NULL). */
int hf_svc_integration_create(hf_svc *svc, const hf_actor *a, const hf_integration_input *in,
                              hf_time now, json_t **out, hf_error *err);
int hf_svc_integration_update(hf_svc *svc, const hf_actor *a, int64_t id,
                              const hf_integration_input *in, hf_time now, json_t **out,
                              hf_error *err);
int hf_svc_integration_get(hf_svc *svc, const hf_actor *a, int64_t id, json_t **out, hf_error *err);
/* {items: [...]} */
int hf_svc_integration_list(hf_svc *svc, const hf_actor *a, json_t **out, hf_error *err);
/* The integration, its deliveries and its idempotency records. */
int hf_svc_integration_delete(hf_svc *svc, const hf_actor *a, int64_t id, hf_error *err);

/* Deliveries, newest first: {items: [{id, integration_id, source, received_at, verdict,
 * status, detail, results, replay_of}], next_cursor}; of one integration (0: all), below
 * id `before_id` (0: the newest), at most `limit` (1 to 500). */
int hf_svc_hook_events(hf_svc *svc, const hf_actor *a, int64_t integration_id, int64_t before_id,
                       int limit, json_t **out, hf_error *err);
/* One delivery with its URI, headers (credentials left out at receipt) and raw body. */
int hf_svc_hook_event_get(hf_svc *svc, const hf_actor *a, int64_t id, json_t **out, hf_error *err);
/* Apply a delivery again with the integration's current configuration (after a mapping or
 * a won stage was added): its events are applied whether or not they were before (what
 * they do is idempotent: one handoff per deal, facts that converge). Only a delivery
 * whose signature was verified can be replayed (HF_ESTATE otherwise). The replay is a
 * delivery of its own, replay_of naming the original; *out (may be NULL) is it. */
int hf_svc_hook_replay(hf_svc *svc, const hf_actor *a, int64_t id, hf_time now, json_t **out,
                       hf_error *err);
/* Delete the deliveries (and idempotency records) older than each integration's retention
 * (of one integration, or 0: all); *deleted (may be NULL) counts the deliveries. */
int hf_svc_hook_prune(hf_svc *svc, const hf_actor *a, int64_t integration_id, hf_time now,
                      int64_t *deleted, hf_error *err);

/* ---- the webhook receiver ---- */

typedef struct hf_hook_header {
    const char *name;
    const char *value;
} hf_hook_header;

/* A webhook request as the transport read it. */
typedef struct hf_hook_request {
    const char *source;      /* the {source} path segment */
    const char *endpoint_id; /* the {endpoint-id} path segment */
    const char *method;
    /* The URI as the sender called it: scheme, host, path and query, undecoded
     * (`https://handoff.example.com/hooks/hubspot/abc?x=1`). HubSpot signs it. */
    const char *uri;
    const hf_hook_header *headers;
    size_t n_headers;
    const char *body;
    size_t len;
} hf_hook_request;

/* What to answer. A 2xx carries body and content_type (Salesforce: its acknowledgement,
 * text/xml); another status carries `error` (its message in the actor's language, for a
 * problem document). */
typedef struct hf_hook_answer {
    int status;
    const char *content_type; /* static */
    char *body;               /* owned: hf_hook_answer_free */
    size_t len;
    hf_error error;
    int64_t delivery_id; /* the stored delivery, 0 when none was stored (unknown endpoint) */
    char verdict[24];
} hf_hook_answer;
void hf_hook_answer_free(hf_hook_answer *ans);

/* Receive one webhook delivery (docs/internals/triggers.md): find the integration by
 * endpoint id (404 when none, or when the source differs), verify the request with its
 * secret (401, changing nothing, when a signature is missing or wrong or its timestamp
 * stale; Salesforce: its OrganizationId), parse it (400 malformed, with the place), then
 * for each event claim its idempotency key — an event delivered again changes nothing —
 * and apply it: deals upserted (older changes ignored), a won deal's handoff created and
 * owned by the mapped rep with a CSM assigned by capacity and its T0 set, a signed
 * contract marked fully executed. HubSpot deals are fetched first (retried with backoff;
 * when the CRM does not answer, 503 so that the sender retries). Every delivery is stored
 * with its verdict, headers without credentials and raw body; those older than the
 * integration's retention are pruned. `a` must be the system actor: the work is recorded
 * under the source's name ("hubspot") in the integration's workspace. Returns 0 with
 * *out filled (whatever the status), or a negative hf_rc when even the answer could not
 * be made (out of memory). */
int hf_svc_hook_receive(hf_svc *svc, const hf_actor *a, const hf_hook_request *req, hf_time now,
                        hf_hook_answer *out, hf_error *err);

/* Is there an integration of `source` with this endpoint id? For the HTTP layer, which
 * lets such a request bring a body up to HF_HOOK_BODY_MAX before any signature is
 * checked (other unauthenticated requests get less). */
bool hf_svc_hook_endpoint_known(hf_svc *svc, const char *source, const char *endpoint_id);

/* ---- the JSON form of each record: one for every transport ---- */

/* The caller owns the returned reference. */
json_t *hf_svc_handoff_json(const hf_handoff_rec *h, bool with_document);
json_t *hf_svc_deal_json(const hf_deal_rec *d);
json_t *hf_svc_user_json(const hf_user_rec *u);
json_t *hf_svc_team_json(const hf_team_rec *t);
json_t *hf_svc_token_json(const hf_token_rec *t);
json_t *hf_svc_actor_json(const hf_actor *a);
/* A time as JSON: the UTC string, or null. */
json_t *hf_svc_time_json(hf_time t);

#endif
