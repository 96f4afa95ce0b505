/* Internals shared by the files of the service layer (src/service/): the service object,
 * the protocol cache, the record engine that keeps a handoff's document, evaluation,
 * index columns and versions in step, and small helpers. Not part of the public API. */
#ifndef HANDOFF_SVC_INT_H
#define HANDOFF_SVC_INT_H

#include "handoff/document.h"
#include "handoff/integration.h"
#include "handoff/service.h"

#include <stdio.h>

/* Most protocol versions one service keeps parsed (each is small). */
#define SVC_PROTOCOL_CACHE 64
/* How many times an overtaken write that named no version is made again (svc_put.redo). */
#define SVC_REDO_ATTEMPTS 32

typedef struct svc_protocol {
    char version[HF_PROTOCOL_VERSION_MAX];
    hf_protocol p;
} svc_protocol;

struct hf_svc {
    hf_store *s;
    hf_svc_hooks hooks;
    bool has_key; /* the key that seals integration secrets */
    unsigned char key[32];
    svc_protocol cache[SVC_PROTOCOL_CACHE]; /* [0] is the built-in default */
    int cached;
};

#define SVC_WS(a) ((a)->workspace_id ? (a)->workspace_id : 1)

/* Run the body of an operation in one transaction: `rc` is the body's result. */
int svc__begin(hf_svc *svc, hf_error *err);
int svc__end(hf_svc *svc, int rc, hf_error *err);

/* The apply step of a write: what must run under the write lock, on the service `svc`
 * it is given (the writer's, under group commit). svc__apply runs it in a transaction of
 * its own, as a savepoint of the caller's open transaction, or through the transport's
 * group commit (hooks.commit_apply) when no transaction is open. */
typedef int (*svc_apply_fn)(hf_svc *svc, void *ctx, hf_error *err);
int svc__apply(hf_svc *svc, svc_apply_fn fn, void *ctx, hf_error *err);

/* Errors in the actor's language. `msgid` is a catalog key (a printf format with at most
 * one %s, which takes `arg`); err->msgid keeps it so that other transports can translate
 * again. */
int svc__fail(hf_error *err, int rc, const char *path, const hf_actor *a, const char *msgid,
              const char *arg);
/* HF_EPERM "you may not …" */
int svc__denied(hf_error *err, const hf_actor *a, const char *msgid);
/* The token scope check: HF_EPERM unless the actor holds `scope`. */
int svc__need_scope(const hf_actor *a, unsigned scope, hf_error *err);

bool svc__same_email(const char *x, const char *y);
/* The team of the user with this e-mail; 0 when unknown or none. */
int64_t svc__team_of(hf_svc *svc, int64_t ws, const char *email);
/* Lower-case copy of an ASCII e-mail address into buf. */
const char *svc__lower(const char *s, char *buf, size_t cap);

/* The protocol of version `version` (cached; "" or NULL: the built-in default). */
int svc__protocol(hf_svc *svc, int64_t ws, const char *version, const hf_protocol **out,
                  hf_error *err);
/* The protocol a handoff with this document is pinned to: an explicit re-pin of handoff
 * `id` (0: a new handoff), else the version in force on the day of its T0, else of
 * `created_at`. */
int svc__pinned(hf_svc *svc, int64_t ws, int64_t id, const json_t *doc, hf_time created_at,
                const hf_protocol **out, hf_error *err);

/* ---- the record engine (record.c) ---- */

/* Index columns from a document and its evaluation (owned strings; e-mail addresses in
 * lower case). */
void svc__index(const json_t *doc, const hf_evaluation *ev, hf_handoff_index *ix);
/* A new handoff's record for `doc`, without storing it: `updated_at` added to `doc` when
 * missing, the document evaluated under `p` at `now`, the index columns, the document text
 * and the changed paths of a first version (*paths, malloc'd). Touches no store and no
 * shared state, so any thread may call it (the importer prepares rows on one thread and
 * stores them on another). On success the caller frees *h (hf_handoff_rec_free) and
 * *paths. */
int svc__record_prepare(const hf_protocol *p, int64_t ws, int64_t deal_id, json_t *doc, hf_time now,
                        hf_handoff_rec *h, char **paths, hf_error *err);
/* Store a new handoff holding `doc` (validated and limited by the caller), pinned to the
 * protocol svc__pinned gives. */
int svc__record_create(hf_svc *svc, int64_t ws, int64_t deal_id, json_t *doc, const char *author,
                       hf_time now, hf_handoff_rec *out, hf_error *err);
/* Store `doc` as the next version of `cur` (the caller checked the version and rights).
 * An identical document writes nothing. *out (may be NULL) receives the stored record.
 * HF_ESTALE when the handoff's version or status moved since `cur` was read. */
int svc__record_put(hf_svc *svc, const hf_handoff_rec *cur, json_t *doc, const char *author,
                    hf_time now, hf_handoff_rec *out, hf_error *err);

/* svc__record_put in its two steps: the preparation (diff, evaluation, index columns, the
 * document text) needs no lock and runs on the caller's thread; the commit writes the new
 * version if `cur` is still the current version and status (HF_ESTALE otherwise). */
typedef struct svc_put {
    hf_handoff_rec h; /* the new record: id, status, index columns, document text */
    int base_version; /* the version it was made from */
    char *paths;      /* the changed paths, JSON array text */
    const char *author;
    bool unchanged; /* identical to `cur`: nothing to write */
    /* When set, a write that another one overtook is made again under the write lock,
     * from the version now current, instead of failing with HF_ESTALE (writes that named
     * no version): redo replaces the prepared write in *p with its own. */
    int (*redo)(hf_svc *svc, struct svc_put *p, hf_error *err);
    void *redo_ctx;
} svc_put;
int svc__put_prepare(hf_svc *svc, const hf_handoff_rec *cur, json_t *doc, const char *author,
                     hf_time now, svc_put *p, hf_error *err);
/* The same, given `old`, cur's document already parsed (the reference is taken and the
 * value changed): a write that read it for its own checks does not parse it again. */
int svc__put_prepare_old(hf_svc *svc, const hf_handoff_rec *cur, json_t *old, json_t *doc,
                         const char *author, hf_time now, svc_put *p, hf_error *err);
int svc__put_commit(hf_svc *svc, svc_put *p, hf_error *err);
/* After a commit: the stored record (moved out of `p`; `cur` when nothing changed). */
int svc__put_result(hf_svc *svc, svc_put *p, const hf_handoff_rec *cur, hf_handoff_rec *out,
                    hf_error *err);
void svc__put_free(svc_put *p);

/* svc__record_create in its two steps likewise: the new record made ready, then the
 * insert. */
int svc__create_prepare(hf_svc *svc, int64_t ws, json_t *doc, hf_time now, hf_handoff_rec *h,
                        char **paths, hf_error *err);
/* Parse the stored document of `h` (a new reference), or HF_EDB. */
int svc__document(const hf_handoff_rec *h, json_t **doc, hf_error *err);
/* Evaluate `h` at `now` under its pinned protocol. */
int svc__evaluate(hf_svc *svc, const hf_handoff_rec *h, hf_time now, hf_evaluation *ev,
                  hf_error *err);
/* Fill team.csm (name, email, accounts, capacity) from the CSM's user record when the
 * document names a known CSM, and team.cs_manager's name likewise. */
int svc__fill_team(hf_svc *svc, int64_t ws, json_t *doc, int64_t exclude_handoff, hf_error *err);
/* Open handoffs assigned to the CSM with this e-mail. */
int svc__csm_open(hf_svc *svc, int64_t ws, const char *email, int64_t *n, hf_error *err);

/* The object at `key` of `doc`, created when missing or not an object. Borrowed. */
json_t *svc__object_at(json_t *doc, const char *key);

/* Size and shape limits of a written document (SPEC §7: bad input never stores). */
int svc__check_limits(const json_t *doc, const hf_actor *a, hf_error *err);

/* ---- integrations and triggers (integrations.c, triggers.c) ---- */

/* RevOps or the system, with the token scope `scope`. */
int svc__need_revops(const hf_actor *a, unsigned scope, const char *msgid, hf_error *err);

/* An integration loaded for use: its record, its parsed configuration and, when asked,
 * its opened secrets (wiped when freed). */
typedef struct svc_integration {
    hf_integration_rec rec;
    hf_integration_config cfg;
    char *secret;    /* NULL: none */
    char *api_token; /* NULL: none */
} svc_integration;

/* By id in workspace `ws`, or by endpoint id (id 0). HF_ENOTFOUND when absent; a stored
 * configuration that no longer parses or secrets that do not open (no key, another key)
 * are HF_EUSAGE: the deployment's problem, not the caller's. */
int svc__integration_load(hf_svc *svc, int64_t ws, int64_t id, const char *endpoint_id,
                          bool open_secrets, svc_integration *out, hf_error *err);
void svc__integration_free(svc_integration *in);

/* One event as the triggers apply it, from a webhook or a CSV row: borrowed strings, NULL
 * or "" when unknown. */
typedef struct svc_trigger {
    const hf_integration_config *cfg;
    const char *source; /* "hubspot", ...: the deal's crm_source and the author in history */
    hf_hook_kind kind;
    const char *crm_id;
    const char *name, *account, *stage, *pipeline, *currency, *type;
    const char *owner_id, *owner_email, *owner_name; /* the CRM's owner, as it names it */
    bool has_amount;
    double amount;
    bool has_close_date;
    int64_t close_day;
    hf_time occurred_at; /* HF_TIME_NONE when unknown */
    hf_time won_time;    /* when the deal was won (else occurred_at, else now) */
    hf_time signed_at;   /* when the contract was completed */
    const char *document_id;
    const json_t *properties; /* the source's own fields, for mappings and rules; may be NULL */
    /* why the deal's details could not be read from the CRM (no API token, the CRM said
     * no): recorded as an alert for RevOps; NULL when they were */
    const char *unverified;
} svc_trigger;

/* What applying one event did. */
typedef struct svc_outcome {
    const char *outcome; /* "handoff_created", "handoff_updated", "handoff_unchanged",
                            "deal_updated", "stale", "ignored", ... (static) */
    int64_t handoff_id;
    bool owner_unmapped;
    bool csm_queued; /* every CSM at capacity: in the CS managers' queue */
    char detail[256];
} svc_outcome;

/* Apply one event in the actor's workspace, inside the caller's transaction: the deal
 * upserted, its trigger facts recorded, and for a won deal or a signed contract the
 * handoff created (or completed), owned and assigned. `a` is the system actor labelled
 * with the source. */
int svc__trigger_apply(hf_svc *svc, const hf_actor *a, const svc_trigger *t, hf_time now,
                       svc_outcome *out, hf_error *err);

#endif
