/* The storage interface: one set of operations, two backends (SQLite, PostgreSQL).
 *
 * Design: `hf_store` is a handle whose first member is a table of function pointers
 * (`hf_store_ops`), in the manner of curl's vtls backends. store_sqlite.c and store_pg.c
 * each fill one table; hf_store_open() picks it from the URL (`sqlite:PATH`, a plain path,
 * or `postgresql://…`); nothing above this header knows which one runs, and one test suite
 * (tests/unit/store/test_store.c) runs against both.
 *
 * Every table carries a workspace id, so one database can host many companies; every
 * operation takes the workspace it acts in. Reports and the scheduler filter on real
 * indexed columns (status, segment, owner, CSM, T0, next due time, quality total and band,
 * completeness) that the writer keeps in step with the document: no query parses documents.
 *
 * Concurrency: an update names the version it was based on; the store refuses it with
 * HF_ECONFLICT when another version landed first (optimistic locking, never a blind
 * merge). A status change names the status it expects to leave, likewise.
 *
 * Durability: an operation that returned 0 is on disk (SQLite synchronous=FULL in WAL mode,
 * PostgreSQL synchronous_commit=on); see docs/internals/store.md.
 *
 * Threads: a store handle is used by one thread at a time; a server opens one per worker.
 *
 * Strings in records are owned by the record and freed by the matching *_free function. */
#ifndef HANDOFF_STORE_H
#define HANDOFF_STORE_H

#include "handoff/error.h"
#include "handoff/lifecycle.h"
#include "handoff/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hf_store hf_store;

/* A deal mirrored from a CRM (or entered by hand). */
typedef struct hf_deal_rec {
    int64_t id;
    int64_t workspace_id;
    char *crm_source; /* "salesforce", "hubspot", "pipedrive", "manual" */
    char *crm_id;     /* unique within a workspace */
    char *name;
    char *account;
    char *owner;
    char *stage;
    char *currency;
    bool has_amount;
    double amount;
    bool has_close_date;
    int64_t close_day; /* day number */
    bool is_won;
    hf_time created_at;
    hf_time updated_at;
} hf_deal_rec;

/* The indexed columns of a handoff, derived from its document and evaluation by
 * hf_handoff_index_compute() (handoffs.h). */
typedef struct hf_handoff_index {
    char segment[16];  /* "" when unset */
    char trigger[24];  /* "" when unset */
    char *owner;       /* deal.owner.name, or NULL */
    char *owner_email; /* deal.owner.email, or NULL */
    char *csm;         /* team.csm.name, or NULL */
    char *csm_email;   /* team.csm.email, or NULL */
    char *company;     /* customer.company_name, or NULL */
    hf_time t0;        /* HF_TIME_NONE without T0 */
    hf_time next_due;  /* earliest due time of an SLA line not done yet, or HF_TIME_NONE */
    int quality_total;
    int band;           /* hf_band */
    int completeness_d; /* tenths of a percent */
    bool ready;
    char protocol_version[128];
} hf_handoff_index;

typedef struct hf_handoff_rec {
    int64_t id;
    int64_t workspace_id;
    int64_t deal_id;
    hf_status status;
    int version;    /* current document version, from 1 */
    char *document; /* JSON text of the current version */
    hf_handoff_index index;
    hf_time created_at;
    hf_time updated_at;
} hf_handoff_rec;

typedef struct hf_version_rec {
    int version;
    char *author;
    hf_time at;
    char *changed_paths; /* JSON array text */
    char *document;      /* JSON text; NULL when the listing did not ask for it */
} hf_version_rec;

typedef struct hf_transition_rec {
    int64_t id;
    hf_status from; /* HF_STATUS_COUNT for the creation */
    hf_status to;
    char *actor;
    hf_time at;
    char *reason;          /* NULL when none */
    char *override_reason; /* the written reason of a gate override; NULL: none */
} hf_transition_rec;

/* Filters of hf_store_handoff_list and hf_store_handoff_count. A zeroed filter (or a NULL
 * pointer) means every handoff of the workspace: each member narrows only when set.
 * Strings are matched exactly (e-mail addresses without regard to case). */
typedef struct hf_handoff_filter {
    unsigned status_mask; /* HF_STATUS_BIT()s; 0: any status */
    const char *segment;
    const char *owner;  /* owner name or e-mail */
    const char *csm;    /* CSM name or e-mail */
    unsigned band_mask; /* 1u << hf_band; 0: any band */
    bool open_only;     /* status neither completed nor cancelled */
    bool unassigned;    /* no CSM e-mail yet (the CS manager's queue) */
    bool overdue_only;  /* next_due < now and status not final */
    /* the customer's company name or the deal's CRM id contains this text (case-insensitive
     * for ASCII; % _ and \ match themselves); NULL or "": no search */
    const char *search;
    hf_time now;
    hf_time created_after; /* 0: any creation time */
    int64_t after_id;      /* cursor: only ids greater than this */
    int limit;             /* 0: no limit */
    bool with_documents;   /* list: also read each current document (export) */
} hf_handoff_filter;

/* People and machines (SPEC §1 roles). */
typedef enum hf_role {
    HF_ROLE_ACCOUNT_EXECUTIVE = 0,
    HF_ROLE_SALES_MANAGER,
    HF_ROLE_CSM,
    HF_ROLE_CS_MANAGER,
    HF_ROLE_REVOPS,
    HF_ROLE_VIEWER,
    HF_ROLE_COUNT
} hf_role;

const char *hf_role_name(hf_role r);
bool hf_role_parse(const char *name, hf_role *out);

typedef struct hf_user_rec {
    int64_t id;
    int64_t workspace_id;
    char *email; /* unique within a workspace, lower case */
    char *name;
    hf_role role;
    int64_t team_id;     /* 0: none */
    int capacity;        /* CSMs: accounts they can hold; 0 otherwise */
    char *segments;      /* CSMs: comma-separated segments they take; NULL: every segment */
    char *lang;          /* saved language ("pt-BR"); NULL: none */
    char *password_hash; /* argon2id string (libsodium crypto_pwhash_str); NULL: no login */
    bool active;
    hf_time created_at;
} hf_user_rec;

typedef struct hf_team_rec {
    int64_t id;
    int64_t workspace_id;
    char *name;
    char *kind;         /* "sales" or "cs" */
    int64_t manager_id; /* 0: none */
} hf_team_rec;

/* API tokens: `hf_<prefix>_<secret>`; the store keeps the prefix (to find the row) and a
 * slow hash of the secret, never the secret. */
typedef struct hf_token_rec {
    int64_t id;
    int64_t workspace_id;
    int64_t user_id;
    char *name;
    char *prefix;
    char *secret_hash;
    char *scopes; /* space-separated: "read", "write", "gate" */
    hf_time created_at;
    hf_time expires_at; /* HF_TIME_NONE: never */
    hf_time revoked_at; /* HF_TIME_NONE: active */
} hf_token_rec;

/* Browser sessions: the store keeps a hash of the session id, never the id. */
typedef struct hf_session_rec {
    char *id_hash;
    int64_t user_id;
    int64_t workspace_id;
    char *csrf; /* the per-session CSRF token */
    hf_time created_at;
    hf_time expires_at;
    /* A digest of the user's credentials when the session was opened (the server's auth
     * compares it with the current one at every request, so a password change ends the
     * sessions opened before it); NULL for a session of an older schema, which no longer
     * opens. */
    char *credential_tag;
} hf_session_rec;

typedef int (*hf_user_cb)(void *ctx, const hf_user_rec *rec);
typedef int (*hf_team_cb)(void *ctx, const hf_team_rec *rec);
typedef int (*hf_token_cb)(void *ctx, const hf_token_rec *rec);

typedef int (*hf_handoff_cb)(void *ctx, const hf_handoff_rec *rec);
/* One row of hf_store_query: `ncols` values as text, NULL for SQL NULL; borrowed for the
 * call only. Return non-zero to stop (that value is returned). */
typedef int (*hf_row_cb)(void *ctx, int ncols, const char *const *values);
typedef int (*hf_deal_cb)(void *ctx, const hf_deal_rec *rec);
typedef int (*hf_version_cb)(void *ctx, const hf_version_rec *rec);
typedef int (*hf_transition_cb)(void *ctx, const hf_transition_rec *rec);

/* The backend's operations. All return 0 or a negative hf_rc with `err` filled. */
typedef struct hf_store_ops {
    const char *name; /* "sqlite", "postgresql" */
    void (*close)(hf_store *s);
    int (*schema_version)(hf_store *s, int *current, hf_error *err);
    int (*migrate)(hf_store *s, int *applied, hf_error *err);
    int (*begin)(hf_store *s, hf_error *err);
    int (*commit)(hf_store *s, hf_error *err);
    int (*rollback)(hf_store *s);

    int (*workspace_ensure)(hf_store *s, int64_t id, const char *name, hf_error *err);

    int (*deal_upsert)(hf_store *s, hf_deal_rec *deal, bool *created, hf_error *err);
    int (*deal_get)(hf_store *s, int64_t ws, int64_t id, const char *crm_id, hf_deal_rec *out,
                    hf_error *err);
    /* deals with id > after_id, by id, at most `limit` (> 0) */
    int (*deal_list)(hf_store *s, int64_t ws, int64_t after_id, int limit, hf_deal_cb cb, void *ctx,
                     hf_error *err);

    int (*handoff_create)(hf_store *s, hf_handoff_rec *h, const char *author,
                          const char *changed_paths, hf_error *err);
    int (*handoff_get)(hf_store *s, int64_t ws, int64_t id, hf_handoff_rec *out, hf_error *err);
    int (*handoff_get_by_deal)(hf_store *s, int64_t ws, int64_t deal_id, hf_handoff_rec *out,
                               hf_error *err);
    int (*handoff_update)(hf_store *s, hf_handoff_rec *h, int base_version, const char *author,
                          const char *changed_paths, hf_error *err);
    int (*handoff_transition)(hf_store *s, int64_t ws, int64_t id, hf_status from, hf_status to,
                              const char *actor, const char *reason, const char *override_reason,
                              hf_time at, hf_error *err);
    /* Records come without their document unless f->with_documents. */
    int (*handoff_list)(hf_store *s, int64_t ws, const hf_handoff_filter *f, hf_handoff_cb cb,
                        void *ctx, hf_error *err);
    int (*handoff_count)(hf_store *s, int64_t ws, const hf_handoff_filter *f, int64_t *count,
                         hf_error *err);
    int (*version_list)(hf_store *s, int64_t ws, int64_t id, bool with_documents, hf_version_cb cb,
                        void *ctx, hf_error *err);
    int (*version_get)(hf_store *s, int64_t ws, int64_t id, int version, hf_version_rec *out,
                       hf_error *err);
    int (*transition_list)(hf_store *s, int64_t ws, int64_t id, hf_transition_cb cb, void *ctx,
                           hf_error *err);
    int (*backup)(hf_store *s, const char *path, hf_error *err);
    int (*check)(hf_store *s, char *result, size_t cap, hf_error *err);

    /* users and teams: create sets u->id; an e-mail already taken is HF_ECONFLICT */
    int (*user_create)(hf_store *s, hf_user_rec *u, hf_error *err);
    int (*user_update)(hf_store *s, const hf_user_rec *u, hf_error *err);
    int (*user_get)(hf_store *s, int64_t ws, int64_t id, const char *email, hf_user_rec *out,
                    hf_error *err);
    int (*user_list)(hf_store *s, int64_t ws, hf_user_cb cb, void *ctx, hf_error *err);
    int (*team_create)(hf_store *s, hf_team_rec *t, hf_error *err);
    int (*team_list)(hf_store *s, int64_t ws, hf_team_cb cb, void *ctx, hf_error *err);
    /* tokens: create sets t->id; get by prefix; revoke sets revoked_at */
    int (*token_create)(hf_store *s, hf_token_rec *t, hf_error *err);
    int (*token_get)(hf_store *s, const char *prefix, hf_token_rec *out, hf_error *err);
    int (*token_list)(hf_store *s, int64_t ws, int64_t user_id, hf_token_cb cb, void *ctx,
                      hf_error *err);
    int (*token_revoke)(hf_store *s, int64_t ws, int64_t id, hf_time at, hf_error *err);
    /* sessions */
    int (*session_create)(hf_store *s, const hf_session_rec *r, hf_error *err);
    int (*session_get)(hf_store *s, const char *id_hash, hf_session_rec *out, hf_error *err);
    int (*session_delete)(hf_store *s, const char *id_hash, hf_error *err);

    /* One SQL statement in the dialect both backends share, with `?N` placeholders (1-based)
     * bound to `params` as text (NULL binds SQL NULL); each result row goes to `cb` (may be
     * NULL). *changes (may be NULL) receives the rows changed. Used by the tables that are
     * written once for both backends (store.c): protocol versions, checklist ticks,
     * alerts. */
    int (*query)(hf_store *s, const char *sql, int nparams, const char *const *params, hf_row_cb cb,
                 void *ctx, int64_t *changes, hf_error *err);

    /* every session of one user (a password change, a disabled account, "log out
     * everywhere"); no session is not an error */
    int (*session_delete_user)(hf_store *s, int64_t ws, int64_t user_id, hf_error *err);

    /* Login attempts, for the lockout of password guessing. One counter per key (the
     * caller passes a digest of "account EMAIL" or "address IP", at most 128 bytes), in
     * fixed windows of `window` seconds that start at the first attempt. The store never
     * forgets a live counter to make room: see login_attempt_add.
     *
     * Count one attempt of `key` at `now` and set *count to the attempts of the current
     * window, this one included. A key without a row (or whose window ended) starts a new
     * window at 1. When the key has no row and the table holds `max_keys` rows, the
     * oldest rows whose window has ended are deleted first; when it is still full, nothing
     * is counted and the answer is HF_ENOMEM: the caller must then refuse the attempt
     * (fail closed) rather than let it go uncounted. */
    int (*login_attempt_add)(hf_store *s, const char *key, hf_time now, int window, int max_keys,
                             int *count, hf_error *err);
    /* Take back one attempt of `key` (never below 0), or with `all` delete its counter.
     * A key without a counter is not an error. */
    int (*login_attempt_release)(hf_store *s, const char *key, bool all, hf_error *err);
} hf_store_ops;

struct hf_store {
    const hf_store_ops *ops;
    int tx_depth; /* explicit transactions open through hf_store_begin (kept by store.c) */
};

/* Open the database named by `url`: `sqlite:PATH`, `sqlite::memory:`, a plain file path, or
 * a `postgresql://` / `postgres://` URI. Applies pending migrations when `migrate` is true.
 * On success *out is a new handle closed with hf_store_close. */
int hf_store_open(const char *url, bool migrate, hf_store **out, hf_error *err);
void hf_store_close(hf_store *s);

/* The latest schema version this build knows. */
int hf_store_latest_schema(void);

/* Restore a SQLite backup file over the database at `url` (SQLite only). */
int hf_store_restore(const char *url, const char *backup_path, hf_error *err);

void hf_deal_rec_free(hf_deal_rec *d);
void hf_handoff_rec_free(hf_handoff_rec *h);
void hf_handoff_index_free(hf_handoff_index *ix);
void hf_version_rec_free(hf_version_rec *v);
void hf_transition_rec_free(hf_transition_rec *t);
void hf_user_rec_free(hf_user_rec *u);
void hf_team_rec_free(hf_team_rec *t);
void hf_token_rec_free(hf_token_rec *t);
void hf_session_rec_free(hf_session_rec *r);

/* ---- The operations, as functions ----
 *
 * Callers use these, never s->ops directly (as curl's vtls.c wraps struct Curl_ssl): one
 * place to add tracing or checks, and backends stay replaceable. Each returns 0 or a
 * negative hf_rc with `err` filled. Records passed in are borrowed (const, or filled-in
 * ids only); records passed out are owned by the caller and freed with their *_free.
 *
 * Transactions nest on both backends: an hf_store_begin inside another opens a savepoint,
 * whose rollback undoes only its own work. Every operation outside an explicit
 * transaction commits on its own. */
const char *hf_store_backend(const hf_store *s);
int hf_store_schema_version(hf_store *s, int *current, hf_error *err);
int hf_store_migrate(hf_store *s, int *applied, hf_error *err);
int hf_store_begin(hf_store *s, hf_error *err);
int hf_store_commit(hf_store *s, hf_error *err);
int hf_store_rollback(hf_store *s);
/* Whether an explicit transaction (hf_store_begin) is open on `s`. */
bool hf_store_in_transaction(const hf_store *s);
int hf_store_workspace_ensure(hf_store *s, int64_t id, const char *name, hf_error *err);
int hf_store_deal_upsert(hf_store *s, hf_deal_rec *deal, bool *created, hf_error *err);
/* By id (crm_id NULL) or by CRM id (id 0). HF_ENOTFOUND when absent. */
int hf_store_deal_get(hf_store *s, int64_t ws, int64_t id, const char *crm_id, hf_deal_rec *out,
                      hf_error *err);
int hf_store_deal_list(hf_store *s, int64_t ws, int64_t after_id, int limit, hf_deal_cb cb,
                       void *ctx, hf_error *err);
int hf_store_handoff_create(hf_store *s, hf_handoff_rec *h, const char *author,
                            const char *changed_paths, hf_error *err);
int hf_store_handoff_get(hf_store *s, int64_t ws, int64_t id, hf_handoff_rec *out, hf_error *err);
int hf_store_handoff_get_by_deal(hf_store *s, int64_t ws, int64_t deal_id, hf_handoff_rec *out,
                                 hf_error *err);
int hf_store_handoff_update(hf_store *s, hf_handoff_rec *h, int base_version, const char *author,
                            const char *changed_paths, hf_error *err);
int hf_store_handoff_transition(hf_store *s, int64_t ws, int64_t id, hf_status from, hf_status to,
                                const char *actor, const char *reason, const char *override_reason,
                                hf_time at, hf_error *err);
int hf_store_handoff_list(hf_store *s, int64_t ws, const hf_handoff_filter *f, hf_handoff_cb cb,
                          void *ctx, hf_error *err);
int hf_store_handoff_count(hf_store *s, int64_t ws, const hf_handoff_filter *f, int64_t *count,
                           hf_error *err);
int hf_store_version_list(hf_store *s, int64_t ws, int64_t id, bool with_documents,
                          hf_version_cb cb, void *ctx, hf_error *err);
int hf_store_version_get(hf_store *s, int64_t ws, int64_t id, int version, hf_version_rec *out,
                         hf_error *err);
int hf_store_transition_list(hf_store *s, int64_t ws, int64_t id, hf_transition_cb cb, void *ctx,
                             hf_error *err);
int hf_store_backup(hf_store *s, const char *path, hf_error *err);
int hf_store_check(hf_store *s, char *result, size_t cap, hf_error *err);
int hf_store_user_create(hf_store *s, hf_user_rec *u, hf_error *err);
int hf_store_user_update(hf_store *s, const hf_user_rec *u, hf_error *err);
/* By id (email NULL) or by e-mail, without regard to case (id 0). */
int hf_store_user_get(hf_store *s, int64_t ws, int64_t id, const char *email, hf_user_rec *out,
                      hf_error *err);
int hf_store_user_list(hf_store *s, int64_t ws, hf_user_cb cb, void *ctx, hf_error *err);
int hf_store_team_create(hf_store *s, hf_team_rec *t, hf_error *err);
int hf_store_team_list(hf_store *s, int64_t ws, hf_team_cb cb, void *ctx, hf_error *err);
int hf_store_token_create(hf_store *s, hf_token_rec *t, hf_error *err);
int hf_store_token_get(hf_store *s, const char *prefix, hf_token_rec *out, hf_error *err);
/* user_id 0: every user's tokens */
int hf_store_token_list(hf_store *s, int64_t ws, int64_t user_id, hf_token_cb cb, void *ctx,
                        hf_error *err);
int hf_store_token_revoke(hf_store *s, int64_t ws, int64_t id, hf_time at, hf_error *err);
int hf_store_session_create(hf_store *s, const hf_session_rec *r, hf_error *err);
int hf_store_session_get(hf_store *s, const char *id_hash, hf_session_rec *out, hf_error *err);
int hf_store_session_delete(hf_store *s, const char *id_hash, hf_error *err);
int hf_store_query(hf_store *s, const char *sql, int nparams, const char *const *params,
                   hf_row_cb cb, void *ctx, int64_t *changes, hf_error *err);

/* ---- Tables written once for both backends (over hf_store_query) ---- */

/* An installed protocol version (SPEC §2): never changed once stored. */
typedef struct hf_protocol_rec {
    char *version;
    int64_t effective_day; /* day number */
    char *body;            /* the protocol file, JSON text */
    char *installed_by;
    hf_time installed_at;
    int64_t handoffs; /* how many handoffs it governs (hf_store_protocol_list only) */
} hf_protocol_rec;
typedef int (*hf_protocol_cb)(void *ctx, const hf_protocol_rec *rec);
void hf_protocol_rec_free(hf_protocol_rec *p);

/* Store a new version; HF_ECONFLICT when `version` is installed already. */
int hf_store_protocol_install(hf_store *s, int64_t ws, const hf_protocol_rec *p, hf_error *err);
/* HF_ENOTFOUND when no such version is installed. */
int hf_store_protocol_get(hf_store *s, int64_t ws, const char *version, hf_protocol_rec *out,
                          hf_error *err);
/* The version in force on `day`: the latest effective date not after it (ties: the latest
 * installed). HF_ENOTFOUND when none is (the built-in default then applies). */
int hf_store_protocol_in_force(hf_store *s, int64_t ws, int64_t day, char *version, size_t cap,
                               hf_error *err);
/* Every installed version by effective date, with the number of handoffs each governs. */
int hf_store_protocol_list(hf_store *s, int64_t ws, hf_protocol_cb cb, void *ctx, hf_error *err);
/* Explicit re-pins of a handoff by RevOps: the latest one, or "" when there is none. */
int hf_store_protocol_pin_get(hf_store *s, int64_t ws, int64_t handoff_id, char *version,
                              size_t cap, hf_error *err);
int hf_store_protocol_pin_add(hf_store *s, int64_t ws, int64_t handoff_id, const char *version,
                              const char *by, hf_time at, hf_error *err);

/* A checklist item ticked or unticked by a person (SPEC §6). */
typedef struct hf_tick_rec {
    char *item; /* "pre_handoff.customer_informed" */
    bool done;
    char *by;
    hf_time at;
} hf_tick_rec;
typedef int (*hf_tick_cb)(void *ctx, const hf_tick_rec *rec);
int hf_store_tick_set(hf_store *s, int64_t ws, int64_t handoff_id, const hf_tick_rec *t,
                      hf_error *err);
int hf_store_tick_list(hf_store *s, int64_t ws, int64_t handoff_id, hf_tick_cb cb, void *ctx,
                       hf_error *err);

/* An alert waiting for delivery (the scheduler sends it): e.g. every eligible CSM at
 * capacity. */
typedef struct hf_alert_rec {
    int64_t id;
    char *kind; /* "csm.capacity_exhausted" */
    int64_t handoff_id;
    char *detail; /* JSON text */
    hf_time created_at;
    hf_time delivered_at; /* HF_TIME_NONE: pending */
} hf_alert_rec;
typedef int (*hf_alert_cb)(void *ctx, const hf_alert_rec *rec);
int hf_store_alert_add(hf_store *s, int64_t ws, hf_alert_rec *a, hf_error *err);
int hf_store_alert_list(hf_store *s, int64_t ws, bool pending_only, hf_alert_cb cb, void *ctx,
                        hf_error *err);
int hf_store_session_delete_user(hf_store *s, int64_t ws, int64_t user_id, hf_error *err);

/* ---- Triggers (migration 5): integrations, webhook deliveries, idempotency, deal facts ---- */

/* An integration that triggers handoffs: one CRM or e-signature account of a workspace,
 * with the unguessable endpoint id of its webhook URL (unique across workspaces: the URL
 * names no workspace), its configuration (JSON text, see handoff/integration.h) and its
 * secrets (sealed text, see hf_secret_seal; NULL when it has none). */
typedef struct hf_integration_rec {
    int64_t id;
    int64_t workspace_id;
    char *source; /* "hubspot", "salesforce", "pipedrive", "docusign", "pandadoc", "generic" */
    char *name;
    char *endpoint_id;
    char *config;
    char *secrets;
    int retention_days; /* deliveries are kept this long */
    char *created_by;
    hf_time created_at;
    hf_time updated_at;
} hf_integration_rec;
typedef int (*hf_integration_cb)(void *ctx, const hf_integration_rec *rec);
void hf_integration_rec_free(hf_integration_rec *r);
/* Sets r->id; HF_ECONFLICT when the endpoint id is taken. */
int hf_store_integration_create(hf_store *s, hf_integration_rec *r, hf_error *err);
/* Name, configuration, secrets, retention and updated_at of integration r->id. */
int hf_store_integration_update(hf_store *s, const hf_integration_rec *r, hf_error *err);
/* By id within workspace `ws` (endpoint_id NULL), or by endpoint id in any workspace (id
 * 0). HF_ENOTFOUND when absent. */
int hf_store_integration_get(hf_store *s, int64_t ws, int64_t id, const char *endpoint_id,
                             hf_integration_rec *out, hf_error *err);
int hf_store_integration_list(hf_store *s, int64_t ws, hf_integration_cb cb, void *ctx,
                              hf_error *err);
/* The integration, its deliveries and its idempotency records. HF_ENOTFOUND when absent. */
int hf_store_integration_delete(hf_store *s, int64_t ws, int64_t id, hf_error *err);

/* One inbound webhook delivery as received: the raw body (`body_encoding` "text", or
 * "base64" for bytes that are not UTF-8 text), the request headers without credentials,
 * the URI without signature parameters, the verdict ("accepted", "rejected", "malformed",
 * ...), the HTTP status answered, a detail message and what each event did (`results`,
 * JSON text). A replay is a delivery of its own whose `replay_of` names the original. */
typedef struct hf_hook_event_rec {
    int64_t id;
    int64_t workspace_id;
    int64_t integration_id;
    char *source;
    hf_time received_at;
    char *verdict;
    int status;
    char *detail;
    char *results;
    char *uri;
    char *headers;
    char *body; /* NULL in listings */
    char *body_encoding;
    int64_t replay_of; /* 0: none */
} hf_hook_event_rec;
typedef int (*hf_hook_event_cb)(void *ctx, const hf_hook_event_rec *rec);
void hf_hook_event_rec_free(hf_hook_event_rec *r);
/* Sets r->id. */
int hf_store_hook_event_add(hf_store *s, hf_hook_event_rec *r, hf_error *err);
/* The verdict, status, detail and results of delivery r->id. */
int hf_store_hook_event_finish(hf_store *s, const hf_hook_event_rec *r, hf_error *err);
/* With its body. HF_ENOTFOUND when absent. */
int hf_store_hook_event_get(hf_store *s, int64_t ws, int64_t id, hf_hook_event_rec *out,
                            hf_error *err);
/* Newest first, without bodies: of one integration (0: all), ids below `before_id` (0: no
 * bound), at most `limit` (> 0). */
int hf_store_hook_event_list(hf_store *s, int64_t ws, int64_t integration_id, int64_t before_id,
                             int limit, hf_hook_event_cb cb, void *ctx, hf_error *err);
/* Delete the deliveries and idempotency records of an integration received before
 * `before`; *deleted (may be NULL) receives the deliveries deleted. */
int hf_store_hook_prune(hf_store *s, int64_t integration_id, hf_time before, int64_t *deleted,
                        hf_error *err);
/* Claim an event: the first claim of (integration, key) stores the idempotency record and
 * sets *first; any later one, from this process or another server on the same database,
 * finds it and leaves *first false. Inside a transaction the claim is undone with it. */
int hf_store_hook_claim(hf_store *s, int64_t ws, int64_t integration_id, const char *key,
                        int64_t hook_event_id, hf_time at, bool *first, hf_error *err);
/* Whether (integration, key) is claimed, without claiming it; *by (may be NULL) receives
 * the delivery that claimed it (0 when unknown). */
int hf_store_hook_claimed(hf_store *s, int64_t integration_id, const char *key, bool *claimed,
                          int64_t *by, hf_error *err);

/* What the triggers know of a deal, whatever the order its events came in: the occurred-at
 * time of the last change applied, when it was won and when its contract was signed (the
 * earliest of each), and by which source. */
typedef struct hf_deal_trigger_rec {
    char *crm_id;
    hf_time last_change_at; /* HF_TIME_NONE: none applied */
    hf_time won_at;         /* HF_TIME_NONE: not won */
    char *won_source;
    hf_time signed_at; /* HF_TIME_NONE: not signed */
    char *signed_source;
    char *document_id;
    hf_time updated_at;
} hf_deal_trigger_rec;
void hf_deal_trigger_rec_free(hf_deal_trigger_rec *r);
/* HF_ENOTFOUND when the deal has no trigger facts yet. */
int hf_store_deal_trigger_get(hf_store *s, int64_t ws, const char *crm_id, hf_deal_trigger_rec *out,
                              hf_error *err);
/* Insert or replace the facts of r->crm_id. */
int hf_store_deal_trigger_put(hf_store *s, int64_t ws, const hf_deal_trigger_rec *r, hf_error *err);

int hf_store_login_attempt_add(hf_store *s, const char *key, hf_time now, int window, int max_keys,
                               int *count, hf_error *err);
int hf_store_login_attempt_release(hf_store *s, const char *key, bool all, hf_error *err);

#endif
