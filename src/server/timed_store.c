/* A store that times its operations for /metrics (`handoff_store_seconds_total{op}` and
 * `handoff_store_operations_total{op}`): a copy of the backend's function table in which
 * the operations a request makes are wrapped by a timer, the others passed through. The
 * wrapped handle keeps the real one right behind it, so nothing else changes for the
 * handlers: they call s->ops->... as always. */
#include "server/server.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct timed_store {
    hf_store base;
    hf_store *inner;
    hf_store_ops ops;
} timed_store;

static double secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define INNER(s) (((timed_store *)(s))->inner)
#define TIMED(name, call)                                                                          \
    do {                                                                                           \
        double t0_ = secs();                                                                       \
        int rc_ = (call);                                                                          \
        hf_metrics_store(name, secs() - t0_);                                                      \
        return rc_;                                                                                \
    } while (0)

static void t_close(hf_store *s)
{
    hf_store_close(INNER(s));
    free(s);
}

static int t_begin(hf_store *s, hf_error *e)
{
    return INNER(s)->ops->begin(INNER(s), e);
}

static int t_commit(hf_store *s, hf_error *e)
{
    TIMED("commit", INNER(s)->ops->commit(INNER(s), e));
}

static int t_rollback(hf_store *s)
{
    return INNER(s)->ops->rollback(INNER(s));
}

static int t_deal_get(hf_store *s, int64_t ws, int64_t id, const char *crm, hf_deal_rec *o,
                      hf_error *e)
{
    TIMED("deal_get", INNER(s)->ops->deal_get(INNER(s), ws, id, crm, o, e));
}

static int t_deal_upsert(hf_store *s, hf_deal_rec *d, bool *created, hf_error *e)
{
    TIMED("deal_upsert", INNER(s)->ops->deal_upsert(INNER(s), d, created, e));
}

static int t_handoff_create(hf_store *s, hf_handoff_rec *h, const char *a, const char *p,
                            hf_error *e)
{
    TIMED("handoff_create", INNER(s)->ops->handoff_create(INNER(s), h, a, p, e));
}

static int t_handoff_get(hf_store *s, int64_t ws, int64_t id, hf_handoff_rec *o, hf_error *e)
{
    TIMED("handoff_get", INNER(s)->ops->handoff_get(INNER(s), ws, id, o, e));
}

static int t_handoff_get_by_deal(hf_store *s, int64_t ws, int64_t deal, hf_handoff_rec *o,
                                 hf_error *e)
{
    TIMED("handoff_get_by_deal", INNER(s)->ops->handoff_get_by_deal(INNER(s), ws, deal, o, e));
}

static int t_handoff_update(hf_store *s, hf_handoff_rec *h, int base, const char *a, const char *p,
                            hf_error *e)
{
    TIMED("handoff_update", INNER(s)->ops->handoff_update(INNER(s), h, base, a, p, e));
}

static int t_handoff_transition(hf_store *s, int64_t ws, int64_t id, hf_status from, hf_status to,
                                const char *actor, const char *reason, const char *override,
                                hf_time at, hf_error *e)
{
    TIMED("handoff_transition", INNER(s)->ops->handoff_transition(INNER(s), ws, id, from, to, actor,
                                                                  reason, override, at, e));
}

static int t_query(hf_store *s, const char *sql, int n, const char *const *params, hf_row_cb cb,
                   void *ctx, int64_t *changes, hf_error *e)
{
    TIMED("query", INNER(s)->ops->query(INNER(s), sql, n, params, cb, ctx, changes, e));
}

static int t_handoff_list(hf_store *s, int64_t ws, const hf_handoff_filter *f, hf_handoff_cb cb,
                          void *ctx, hf_error *e)
{
    TIMED("handoff_list", INNER(s)->ops->handoff_list(INNER(s), ws, f, cb, ctx, e));
}

static int t_handoff_count(hf_store *s, int64_t ws, const hf_handoff_filter *f, int64_t *n,
                           hf_error *e)
{
    TIMED("handoff_count", INNER(s)->ops->handoff_count(INNER(s), ws, f, n, e));
}

static int t_version_get(hf_store *s, int64_t ws, int64_t id, int v, hf_version_rec *o, hf_error *e)
{
    TIMED("version_get", INNER(s)->ops->version_get(INNER(s), ws, id, v, o, e));
}

static int t_token_get(hf_store *s, const char *prefix, hf_token_rec *o, hf_error *e)
{
    TIMED("token_get", INNER(s)->ops->token_get(INNER(s), prefix, o, e));
}

static int t_session_get(hf_store *s, const char *id, hf_session_rec *o, hf_error *e)
{
    TIMED("session_get", INNER(s)->ops->session_get(INNER(s), id, o, e));
}

static int t_user_get(hf_store *s, int64_t ws, int64_t id, const char *email, hf_user_rec *o,
                      hf_error *e)
{
    TIMED("user_get", INNER(s)->ops->user_get(INNER(s), ws, id, email, o, e));
}

/* ---- the rest, passed to the real handle ---- */

static int p_schema_version(hf_store *s, int *current, hf_error *err)
{
    return INNER(s)->ops->schema_version(INNER(s), current, err);
}

static int p_migrate(hf_store *s, int *applied, hf_error *err)
{
    return INNER(s)->ops->migrate(INNER(s), applied, err);
}

static int p_workspace_ensure(hf_store *s, int64_t id, const char *name, hf_error *err)
{
    return INNER(s)->ops->workspace_ensure(INNER(s), id, name, err);
}

static int p_deal_list(hf_store *s, int64_t ws, int64_t after, int limit, hf_deal_cb cb, void *ctx,
                       hf_error *err)
{
    return INNER(s)->ops->deal_list(INNER(s), ws, after, limit, cb, ctx, err);
}

static int p_version_list(hf_store *s, int64_t ws, int64_t id, bool docs, hf_version_cb cb,
                          void *ctx, hf_error *err)
{
    return INNER(s)->ops->version_list(INNER(s), ws, id, docs, cb, ctx, err);
}

static int p_transition_list(hf_store *s, int64_t ws, int64_t id, hf_transition_cb cb, void *ctx,
                             hf_error *err)
{
    return INNER(s)->ops->transition_list(INNER(s), ws, id, cb, ctx, err);
}

static int p_backup(hf_store *s, const char *path, hf_error *err)
{
    return INNER(s)->ops->backup(INNER(s), path, err);
}

static int p_check(hf_store *s, char *result, size_t cap, hf_error *err)
{
    return INNER(s)->ops->check(INNER(s), result, cap, err);
}

static int p_user_create(hf_store *s, hf_user_rec *u, hf_error *err)
{
    return INNER(s)->ops->user_create(INNER(s), u, err);
}

static int p_user_update(hf_store *s, const hf_user_rec *u, hf_error *err)
{
    return INNER(s)->ops->user_update(INNER(s), u, err);
}

static int p_user_list(hf_store *s, int64_t ws, hf_user_cb cb, void *ctx, hf_error *err)
{
    return INNER(s)->ops->user_list(INNER(s), ws, cb, ctx, err);
}

static int p_team_create(hf_store *s, hf_team_rec *t, hf_error *err)
{
    return INNER(s)->ops->team_create(INNER(s), t, err);
}

static int p_team_list(hf_store *s, int64_t ws, hf_team_cb cb, void *ctx, hf_error *err)
{
    return INNER(s)->ops->team_list(INNER(s), ws, cb, ctx, err);
}

static int p_token_create(hf_store *s, hf_token_rec *t, hf_error *err)
{
    return INNER(s)->ops->token_create(INNER(s), t, err);
}

static int p_token_list(hf_store *s, int64_t ws, int64_t user, hf_token_cb cb, void *ctx,
                        hf_error *err)
{
    return INNER(s)->ops->token_list(INNER(s), ws, user, cb, ctx, err);
}

static int p_token_revoke(hf_store *s, int64_t ws, int64_t id, hf_time at, hf_error *err)
{
    return INNER(s)->ops->token_revoke(INNER(s), ws, id, at, err);
}

static int p_session_create(hf_store *s, const hf_session_rec *r, hf_error *err)
{
    return INNER(s)->ops->session_create(INNER(s), r, err);
}

static int p_session_delete(hf_store *s, const char *id, hf_error *err)
{
    return INNER(s)->ops->session_delete(INNER(s), id, err);
}

static int p_session_delete_user(hf_store *s, int64_t ws, int64_t user, hf_error *err)
{
    return INNER(s)->ops->session_delete_user(INNER(s), ws, user, err);
}

static int t_login_attempt_add(hf_store *s, const char *key, hf_time now, int window, int max_keys,
                               int *count, hf_error *e)
{
    TIMED("login_attempt_add",
          INNER(s)->ops->login_attempt_add(INNER(s), key, now, window, max_keys, count, e));
}

static int p_login_attempt_release(hf_store *s, const char *key, bool all, hf_error *err)
{
    return INNER(s)->ops->login_attempt_release(INNER(s), key, all, err);
}

hf_store *hf_timed_store(hf_store *inner)
{
    timed_store *t = calloc(1, sizeof(*t));
    if (!t)
        return inner;
    t->inner = inner;
    /* every entry is a wrapper: a backend's function must always get its own handle */
    t->ops.name = inner->ops->name;
    t->ops.close = t_close;
    t->ops.begin = t_begin;
    t->ops.commit = t_commit;
    t->ops.rollback = t_rollback;
    t->ops.deal_get = t_deal_get;
    t->ops.deal_upsert = t_deal_upsert;
    t->ops.handoff_create = t_handoff_create;
    t->ops.handoff_get = t_handoff_get;
    t->ops.handoff_get_by_deal = t_handoff_get_by_deal;
    t->ops.handoff_update = t_handoff_update;
    t->ops.handoff_transition = t_handoff_transition;
    t->ops.handoff_list = t_handoff_list;
    t->ops.handoff_count = t_handoff_count;
    t->ops.version_get = t_version_get;
    t->ops.token_get = t_token_get;
    t->ops.session_get = t_session_get;
    t->ops.user_get = t_user_get;
    t->ops.schema_version = p_schema_version;
    t->ops.migrate = p_migrate;
    t->ops.workspace_ensure = p_workspace_ensure;
    t->ops.deal_list = p_deal_list;
    t->ops.version_list = p_version_list;
    t->ops.transition_list = p_transition_list;
    t->ops.backup = p_backup;
    t->ops.check = p_check;
    t->ops.user_create = p_user_create;
    t->ops.user_update = p_user_update;
    t->ops.user_list = p_user_list;
    t->ops.team_create = p_team_create;
    t->ops.team_list = p_team_list;
    t->ops.token_create = p_token_create;
    t->ops.token_list = p_token_list;
    t->ops.token_revoke = p_token_revoke;
    t->ops.session_create = p_session_create;
    t->ops.session_delete = p_session_delete;
    t->ops.query = t_query;
    t->ops.session_delete_user = p_session_delete_user;
    t->ops.login_attempt_add = t_login_attempt_add;
    t->ops.login_attempt_release = p_login_attempt_release;
    t->base.ops = &t->ops;
    return &t->base;
}
