/* The SQLite backend of the storage interface: the embedded default.
 *
 * Settings and why: WAL journal (readers never block the writer); synchronous=FULL (a
 * committed transaction is on disk before the call returns, so an acknowledged write
 * survives kill -9 and power loss); busy_timeout so two processes on one file wait for
 * each other instead of failing; foreign_keys on. Writes use BEGIN IMMEDIATE so a writer
 * takes the lock up front and never fails half-way with SQLITE_BUSY on upgrade.
 * Prepared statements are compiled once per handle and reused (`stmt()` below).
 *
 * Callers may group many operations in one explicit transaction (hf_store_begin ...
 * commit), which the importer does for throughput; each operation otherwise runs in its
 * own transaction. */
#include "store/store_int.h"

#include "handoff/evaluate.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum stmt_id {
    S_DEAL_INSERT,
    S_DEAL_UPSERT,
    S_DEAL_GET,
    S_DEAL_GET_CRM,
    S_DEAL_LIST,
    S_HANDOFF_INSERT,
    S_HANDOFF_GET,
    S_HANDOFF_GET_DEAL,
    S_HANDOFF_UPDATE,
    S_HANDOFF_STATUS,
    S_VERSION_INSERT,
    S_TRANSITION_INSERT,
    S_VERSION_LIST,
    S_VERSION_LIST_DOCS,
    S_VERSION_GET,
    S_TRANSITION_LIST,
    S_TOKEN_GET,
    S_SESSION_GET,
    S_USER_GET,
    S_USER_GET_EMAIL,
    S_COUNT
};

/* The columns read_handoff() reads, in its order; the document comes last, from the
 * version row (the current document is not stored twice). */
#define HANDOFF_COLS                                                                               \
    "h.id, h.workspace_id, h.deal_id, h.status, h.version, h.segment, h.trigger_kind, "            \
    "h.owner, h.owner_email, h.csm, h.csm_email, h.company, h.t0, h.next_due, "                    \
    "h.quality_total, h.band, h.completeness_d, h.ready, h.protocol_version, h.created_at, "       \
    "h.updated_at"

/* The index columns, in the order of index_values() and of S_HANDOFF_INSERT's ?5..?18. */
#define INDEX_COLS                                                                                 \
    "segment, trigger_kind, owner, owner_email, csm, csm_email, company, t0, next_due, "           \
    "quality_total, band, completeness_d, ready, protocol_version"
#define INDEX_NCOLS 14
/* Statements of set_index_columns(), one per set of changed columns, reused round-robin. */
#define SET_CACHE 8

static const char *const stmt_sql[S_COUNT] = {
    [S_DEAL_INSERT] =
        "INSERT INTO deals (workspace_id, crm_source, crm_id, name, account, owner, stage, "
        "currency, amount, close_day, is_won, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) "
        "ON CONFLICT (workspace_id, crm_id) DO NOTHING",
    [S_DEAL_UPSERT] =
        "INSERT INTO deals (workspace_id, crm_source, crm_id, name, account, owner, stage, "
        "currency, amount, close_day, is_won, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) "
        "ON CONFLICT (workspace_id, crm_id) DO UPDATE SET crm_source = excluded.crm_source, "
        "name = excluded.name, account = excluded.account, owner = excluded.owner, "
        "stage = excluded.stage, currency = excluded.currency, amount = excluded.amount, "
        "close_day = excluded.close_day, is_won = excluded.is_won, "
        "updated_at = excluded.updated_at, revision = deals.revision + 1 "
        "RETURNING id, revision = 1",
    [S_DEAL_GET] = "SELECT id, workspace_id, crm_source, crm_id, name, account, owner, stage, "
                   "currency, amount, close_day, is_won, created_at, updated_at FROM deals "
                   "WHERE workspace_id = ?1 AND id = ?2",
    [S_DEAL_GET_CRM] = "SELECT id, workspace_id, crm_source, crm_id, name, account, owner, "
                       "stage, currency, amount, close_day, is_won, created_at, updated_at "
                       "FROM deals WHERE workspace_id = ?1 AND crm_id = ?2",
    [S_DEAL_LIST] = "SELECT id, workspace_id, crm_source, crm_id, name, account, owner, stage, "
                    "currency, amount, close_day, is_won, created_at, updated_at FROM deals "
                    "WHERE workspace_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    [S_HANDOFF_INSERT] =
        "INSERT INTO handoffs (workspace_id, deal_id, status, version, segment, "
        "trigger_kind, owner, owner_email, csm, csm_email, company, t0, next_due, "
        "quality_total, band, completeness_d, ready, protocol_version, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, 1, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
        "?18, ?19, ?19)",
    [S_HANDOFF_GET] = "SELECT " HANDOFF_COLS ", v.document FROM handoffs h JOIN handoff_versions v "
                      "ON v.handoff_id = h.id AND v.version = h.version "
                      "WHERE h.workspace_id = ?1 AND h.id = ?2",
    [S_HANDOFF_GET_DEAL] =
        "SELECT " HANDOFF_COLS ", v.document FROM handoffs h JOIN handoff_versions v "
        "ON v.handoff_id = h.id AND v.version = h.version "
        "WHERE h.workspace_id = ?1 AND h.deal_id = ?2 ORDER BY h.id DESC LIMIT 1",
    /* the index columns come back as they were: set_index_columns() writes only those that
     * change (see there); the status guards against an edit made under another status */
    [S_HANDOFF_UPDATE] = "UPDATE handoffs SET version = version + 1, updated_at = ?5 "
                         "WHERE workspace_id = ?1 AND id = ?2 AND version = ?3 AND status = ?4 "
                         "RETURNING version, " INDEX_COLS,
    [S_HANDOFF_STATUS] = "UPDATE handoffs SET status = ?4, updated_at = ?5 "
                         "WHERE workspace_id = ?1 AND id = ?2 AND status = ?3",
    [S_VERSION_INSERT] = "INSERT INTO handoff_versions (workspace_id, handoff_id, version, "
                         "author, at, changed_paths, document) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_TRANSITION_INSERT] = "INSERT INTO handoff_transitions (workspace_id, handoff_id, "
                            "from_status, to_status, actor, at, reason, override_reason) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_VERSION_LIST] = "SELECT version, author, at, changed_paths, NULL FROM handoff_versions "
                       "WHERE workspace_id = ?1 AND handoff_id = ?2 ORDER BY version",
    [S_VERSION_LIST_DOCS] = "SELECT version, author, at, changed_paths, document FROM "
                            "handoff_versions WHERE workspace_id = ?1 AND handoff_id = ?2 "
                            "ORDER BY version",
    [S_VERSION_GET] = "SELECT version, author, at, changed_paths, document FROM handoff_versions "
                      "WHERE workspace_id = ?1 AND handoff_id = ?2 AND version = ?3",
    [S_TRANSITION_LIST] =
        "SELECT id, from_status, to_status, actor, at, reason, override_reason FROM "
        "handoff_transitions WHERE workspace_id = ?1 AND handoff_id = ?2 "
        "ORDER BY id",
    [S_TOKEN_GET] = "SELECT id, workspace_id, user_id, name, prefix, secret_hash, scopes, "
                    "created_at, expires_at, revoked_at FROM api_tokens WHERE prefix = ?1",
    [S_SESSION_GET] = "SELECT id_hash, user_id, workspace_id, csrf, created_at, expires_at, "
                      "credential_tag FROM sessions WHERE id_hash = ?1",
    [S_USER_GET] = "SELECT id, workspace_id, email, name, role, team_id, capacity, "
                   "password_hash, active, created_at, segments, lang FROM users WHERE "
                   "workspace_id = ?1 AND id = ?2",
    [S_USER_GET_EMAIL] = "SELECT id, workspace_id, email, name, role, team_id, capacity, "
                         "password_hash, active, created_at, segments, lang FROM users WHERE "
                         "workspace_id = ?1 AND email = ?2",
};

#define QCACHE 64 /* 32 sets of two */

typedef struct sqlite_store {
    hf_store base;
    sqlite3 *db;
    sqlite3_stmt *stmts[S_COUNT];
    int explicit_tx; /* depth of hf_store_begin ... commit; inner levels are savepoints */
    /* hf_store_query's statements, prepared once: the callers pass the same SQL text again
     * and again (protocol pins, users, integrations), and preparing cost more than running */
    sqlite3_stmt *qcache[QCACHE];
    char path[1024];
    struct {
        unsigned mask; /* bit i: column i of INDEX_COLS */
        sqlite3_stmt *st;
    } set_cache[SET_CACHE];
    int set_next;
} sqlite_store;

/* Schema migrations, forward only. Entry i migrates to version i + 1. */
static const char *const migrations[] = {
    /* 1: workspaces, deals, handoffs with their indexed columns, versions, transitions */
    "CREATE TABLE workspaces (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE deals (id INTEGER PRIMARY KEY, "
    "  workspace_id INTEGER NOT NULL REFERENCES workspaces(id), "
    "  crm_source TEXT NOT NULL, crm_id TEXT NOT NULL, name TEXT, account TEXT, owner TEXT, "
    "  stage TEXT, currency TEXT, amount REAL, close_day INTEGER, "
    "  is_won INTEGER NOT NULL DEFAULT 0, revision INTEGER NOT NULL DEFAULT 1, "
    "  created_at INTEGER NOT NULL, "
    "  updated_at INTEGER NOT NULL, UNIQUE (workspace_id, crm_id));"
    "CREATE TABLE handoffs (id INTEGER PRIMARY KEY, "
    "  workspace_id INTEGER NOT NULL REFERENCES workspaces(id), "
    "  deal_id INTEGER REFERENCES deals(id), status TEXT NOT NULL, "
    "  version INTEGER NOT NULL, segment TEXT, trigger_kind TEXT, "
    "  owner TEXT, owner_email TEXT, csm TEXT, csm_email TEXT, company TEXT, t0 INTEGER, "
    "  next_due INTEGER, quality_total INTEGER NOT NULL, band TEXT NOT NULL, "
    "  completeness_d INTEGER NOT NULL, ready INTEGER NOT NULL, "
    "  protocol_version TEXT NOT NULL, created_at INTEGER NOT NULL, "
    "  updated_at INTEGER NOT NULL);" HF__HANDOFF_INDEXES
    "CREATE TABLE handoff_versions (workspace_id INTEGER NOT NULL, "
    "  handoff_id INTEGER NOT NULL REFERENCES handoffs(id), version INTEGER NOT NULL, "
    "  author TEXT NOT NULL, at INTEGER NOT NULL, changed_paths TEXT NOT NULL, "
    "  document TEXT NOT NULL, PRIMARY KEY (handoff_id, version));"
    "CREATE TABLE handoff_transitions (id INTEGER PRIMARY KEY, "
    "  workspace_id INTEGER NOT NULL, handoff_id INTEGER NOT NULL REFERENCES handoffs(id), "
    "  from_status TEXT, to_status TEXT NOT NULL, actor TEXT NOT NULL, at INTEGER NOT NULL, "
    "  reason TEXT);"
    "CREATE INDEX handoff_transitions_handoff ON handoff_transitions (handoff_id, id);",
    /* 2: people, teams, API tokens and browser sessions */
    "CREATE TABLE teams (id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL, "
    "  name TEXT NOT NULL, kind TEXT NOT NULL, manager_id INTEGER);"
    "CREATE TABLE users (id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL, "
    "  email TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, team_id INTEGER, "
    "  capacity INTEGER NOT NULL DEFAULT 0, password_hash TEXT, "
    "  active INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL, "
    "  UNIQUE (workspace_id, email));"
    "CREATE TABLE api_tokens (id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL, "
    "  user_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL, "
    "  prefix TEXT NOT NULL UNIQUE, secret_hash TEXT NOT NULL, scopes TEXT NOT NULL, "
    "  created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER);"
    "CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL, "
    "  workspace_id INTEGER NOT NULL, csrf TEXT NOT NULL, created_at INTEGER NOT NULL, "
    "  expires_at INTEGER NOT NULL);"
    "CREATE INDEX sessions_expiry ON sessions (expires_at);",
    /* 3: the service layer: CSM segments and saved languages, gate overrides on
     * transitions, protocol versions and explicit re-pins, checklist ticks, alerts; e-mail
     * addresses compared in lower case */
    "ALTER TABLE users ADD COLUMN segments TEXT;"
    "ALTER TABLE users ADD COLUMN lang TEXT;"
    "ALTER TABLE handoff_transitions ADD COLUMN override_reason TEXT;"
    "UPDATE users SET email = lower(email);"
    "UPDATE handoffs SET owner_email = lower(owner_email), csm_email = "
    "lower(csm_email);" HF__SCHEMA_3_COMMON("INTEGER PRIMARY KEY"),
    /* 4: the login lockout's counters (login_attempt_add), and the credentials each
     * session was opened with (hf_session_rec.credential_tag) */
    "CREATE TABLE login_attempts (key_hash TEXT PRIMARY KEY, "
    "  window_start INTEGER NOT NULL, attempts INTEGER NOT NULL);"
    "CREATE INDEX login_attempts_window ON login_attempts (window_start);"
    "ALTER TABLE sessions ADD COLUMN credential_tag TEXT;",
    /* 5: the triggers: integrations, inbound webhook deliveries, idempotency records and
     * the trigger facts of each deal (HF__SCHEMA_5_COMMON) */
    HF__SCHEMA_5_COMMON("INTEGER PRIMARY KEY"),
    /* 6: fewer, better indexes on handoffs (HF__SCHEMA_6_COMMON, HF__OPEN_INDEX_SQLITE) */
    HF__SCHEMA_6_COMMON HF__OPEN_INDEX_SQLITE,
};
#define MIGRATION_COUNT ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int db_error(sqlite_store *s, hf_error *err, const char *what)
{
    int code = sqlite3_errcode(s->db);
    int rc = (code == SQLITE_FULL || code == SQLITE_NOMEM) ? HF_ENOMEM : HF_EDB;
    return hf_error_set(err, rc, NULL, "%s: %s", what, sqlite3_errmsg(s->db));
}

static sqlite3_stmt *stmt(sqlite_store *s, enum stmt_id id, hf_error *err)
{
    if (!s->stmts[id]) {
        if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmts[id],
                               NULL) != SQLITE_OK) {
            db_error(s, err, "prepare");
            return NULL;
        }
    } else {
        sqlite3_reset(s->stmts[id]);
        sqlite3_clear_bindings(s->stmts[id]);
    }
    return s->stmts[id];
}

static int exec(sqlite_store *s, const char *sql, hf_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        hf_error_set(err, HF_EDB, NULL, "%s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return HF_EDB;
    }
    return 0;
}

/* Per-operation transactions, skipped inside an explicit one. */
static int op_begin(sqlite_store *s, hf_error *err)
{
    return s->explicit_tx ? 0 : exec(s, "BEGIN IMMEDIATE", err);
}

static int op_end(sqlite_store *s, int rc, hf_error *err)
{
    if (s->explicit_tx)
        return rc;
    if (rc) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return exec(s, "COMMIT", err);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_time(sqlite3_stmt *st, int i, hf_time t)
{
    if (t == HF_TIME_NONE)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, t);
}

static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

static hf_time col_time(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? HF_TIME_NONE : sqlite3_column_int64(st, i);
}

static hf_time wall_now(void)
{
    return (hf_time)time(NULL);
}

/* ---- lifecycle of the handle ---- */

static void sq_close(hf_store *base)
{
    sqlite_store *s = (sqlite_store *)base;
    for (int i = 0; i < SET_CACHE; i++)
        sqlite3_finalize(s->set_cache[i].st);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->stmts[i]);
    for (int i = 0; i < QCACHE; i++)
        sqlite3_finalize(s->qcache[i]);
    sqlite3_close(s->db);
    free(s);
}

static int sq_schema_version(hf_store *base, int *current, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    *current = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "schema version");
    int exists = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    if (!exists)
        return 0;
    if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
                           &st, NULL) != SQLITE_OK)
        return db_error(s, err, "schema version");
    if (sqlite3_step(st) == SQLITE_ROW)
        *current = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return 0;
}

static int sq_migrate(hf_store *base, int *applied, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    int current, rc;
    *applied = 0;
    rc = exec(s, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    rc = exec(s,
              "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
              "applied_at INTEGER NOT NULL)",
              err);
    if (rc)
        goto out;
    rc = sq_schema_version(base, &current, err);
    if (rc)
        goto out;
    if (current > MIGRATION_COUNT) {
        rc = hf_error_set(err, HF_EDB, NULL,
                          "the database schema is version %d, newer than this program "
                          "(%d): upgrade handoff",
                          current, MIGRATION_COUNT);
        goto out;
    }
    for (int v = current; v < hf__store_migration_target(MIGRATION_COUNT); v++) {
        rc = exec(s, migrations[v], err);
        if (rc)
            goto out;
        char sql[128];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO schema_migrations (version, applied_at) VALUES (%d, %lld)", v + 1,
                 (long long)wall_now());
        rc = exec(s, sql, err);
        if (rc)
            goto out;
        (*applied)++;
    }
    char sql[160];
    snprintf(sql, sizeof(sql),
             "INSERT OR IGNORE INTO workspaces (id, name, created_at) VALUES (1, 'default', %lld)",
             (long long)wall_now());
    rc = exec(s, sql, err);
out:
    if (rc) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return exec(s, "COMMIT", err);
}

/* Explicit transactions nest: the outermost is BEGIN IMMEDIATE ... COMMIT, the inner ones
 * savepoints, so that work that opens its own transaction (a status change) can run
 * inside a larger one (the server's group commit, an import batch) and still fail alone. */
static int sq_begin(hf_store *base, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    char sql[32];
    if (s->explicit_tx == 0)
        snprintf(sql, sizeof(sql), "BEGIN IMMEDIATE");
    else
        snprintf(sql, sizeof(sql), "SAVEPOINT sp%d", s->explicit_tx);
    int rc = exec(s, sql, err);
    if (!rc)
        s->explicit_tx++;
    return rc;
}

static int sq_commit(hf_store *base, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    char sql[32];
    if (s->explicit_tx <= 0)
        return hf_error_set(err, HF_EUSAGE, NULL, "no transaction is open");
    s->explicit_tx--;
    if (s->explicit_tx == 0)
        return exec(s, "COMMIT", err);
    snprintf(sql, sizeof(sql), "RELEASE sp%d", s->explicit_tx);
    return exec(s, sql, err);
}

static int sq_rollback(hf_store *base)
{
    sqlite_store *s = (sqlite_store *)base;
    char sql[64];
    if (s->explicit_tx <= 0)
        return 0;
    s->explicit_tx--;
    if (s->explicit_tx == 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    } else {
        snprintf(sql, sizeof(sql), "ROLLBACK TO sp%d; RELEASE sp%d", s->explicit_tx,
                 s->explicit_tx);
        sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    }
    return 0;
}

static int sq_workspace_ensure(hf_store *base, int64_t id, const char *name, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR IGNORE INTO workspaces (id, name, created_at) "
                           "VALUES (?1, ?2, ?3)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "workspace");
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, name);
    sqlite3_bind_int64(st, 3, wall_now());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(s, err, "workspace");
    sqlite3_finalize(st);
    return rc;
}

/* ---- deals ---- */

/* Bind a deal's columns in the order of S_DEAL_INSERT and S_DEAL_UPSERT. */
static void bind_deal(sqlite3_stmt *st, const hf_deal_rec *d, hf_time now)
{
    sqlite3_bind_int64(st, 1, d->workspace_id);
    bind_text(st, 2, d->crm_source ? d->crm_source : "manual");
    bind_text(st, 3, d->crm_id);
    bind_text(st, 4, d->name);
    bind_text(st, 5, d->account);
    bind_text(st, 6, d->owner);
    bind_text(st, 7, d->stage);
    bind_text(st, 8, d->currency);
    if (d->has_amount)
        sqlite3_bind_double(st, 9, d->amount);
    if (d->has_close_date)
        sqlite3_bind_int64(st, 10, d->close_day);
    sqlite3_bind_int(st, 11, d->is_won);
    sqlite3_bind_int64(st, 12, now);
}

/* A new deal is a plain insert: the id is the new rowid. Only a deal that exists already
 * takes the upsert, whose RETURNING clause makes SQLite gather the row in a temporary
 * table (a sixth of an import's writing when every deal went that way). */
static int sq_deal_upsert(hf_store *base, hf_deal_rec *d, bool *created, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    hf_time now = d->updated_at ? d->updated_at : wall_now();
    sqlite3_stmt *st = stmt(s, S_DEAL_INSERT, err);
    if (!st)
        return HF_EDB;
    bind_deal(st, d, now);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        return db_error(s, err, "deal upsert");
    if (sqlite3_changes(s->db) == 1) {
        d->id = sqlite3_last_insert_rowid(s->db);
        if (created)
            *created = true;
        return 0;
    }
    st = stmt(s, S_DEAL_UPSERT, err);
    if (!st)
        return HF_EDB;
    bind_deal(st, d, now);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return db_error(s, err, "deal upsert");
    }
    d->id = sqlite3_column_int64(st, 0);
    if (created)
        *created = sqlite3_column_int(st, 1) != 0;
    sqlite3_reset(st);
    return 0;
}

static void read_deal(sqlite3_stmt *st, hf_deal_rec *d)
{
    memset(d, 0, sizeof(*d));
    d->id = sqlite3_column_int64(st, 0);
    d->workspace_id = sqlite3_column_int64(st, 1);
    d->crm_source = col_text(st, 2);
    d->crm_id = col_text(st, 3);
    d->name = col_text(st, 4);
    d->account = col_text(st, 5);
    d->owner = col_text(st, 6);
    d->stage = col_text(st, 7);
    d->currency = col_text(st, 8);
    d->has_amount = sqlite3_column_type(st, 9) != SQLITE_NULL;
    d->amount = sqlite3_column_double(st, 9);
    d->has_close_date = sqlite3_column_type(st, 10) != SQLITE_NULL;
    d->close_day = sqlite3_column_int64(st, 10);
    d->is_won = sqlite3_column_int(st, 11) != 0;
    d->created_at = sqlite3_column_int64(st, 12);
    d->updated_at = sqlite3_column_int64(st, 13);
}

static int sq_deal_get(hf_store *base, int64_t ws, int64_t id, const char *crm_id, hf_deal_rec *out,
                       hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = stmt(s, crm_id ? S_DEAL_GET_CRM : S_DEAL_GET, err);
    if (!st)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, ws);
    if (crm_id)
        bind_text(st, 2, crm_id);
    else
        sqlite3_bind_int64(st, 2, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_deal(st, out);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (r == SQLITE_DONE)
        return crm_id ? hf_error_set(err, HF_ENOTFOUND, NULL, "no deal with CRM id %s", crm_id)
                      : hf_error_set(err, HF_ENOTFOUND, NULL, "no deal %lld", (long long)id);
    return db_error(s, err, "deal");
}

static int sq_deal_list(hf_store *base, int64_t ws, int64_t after_id, int limit, hf_deal_cb cb,
                        void *ctx, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = stmt(s, S_DEAL_LIST, err);
    if (!st)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int(st, 3, limit);
    int rc = 0, r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hf_deal_rec d;
        read_deal(st, &d);
        rc = cb(ctx, &d);
        hf_deal_rec_free(&d);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_error(s, err, "deals");
    sqlite3_reset(st);
    return rc;
}

/* ---- handoffs ---- */

/* Bind the index columns at positions first+1..first+14 in the order of S_HANDOFF_INSERT
 * (?5 segment ... ?18 protocol_version). */
static void bind_index(sqlite3_stmt *st, int first, const hf_handoff_rec *h)
{
    const hf_handoff_index *ix = &h->index;
    (void)h->document; /* ?4 is the caller's: the document lives in handoff_versions */
    bind_text(st, first + 1, ix->segment[0] ? ix->segment : NULL);
    bind_text(st, first + 2, ix->trigger[0] ? ix->trigger : NULL);
    bind_text(st, first + 3, ix->owner);
    bind_text(st, first + 4, ix->owner_email);
    bind_text(st, first + 5, ix->csm);
    bind_text(st, first + 6, ix->csm_email);
    bind_text(st, first + 7, ix->company);
    bind_time(st, first + 8, ix->t0);
    bind_time(st, first + 9, ix->next_due);
    sqlite3_bind_int(st, first + 10, ix->quality_total);
    bind_text(st, first + 11, hf__band_name(ix->band));
    sqlite3_bind_int(st, first + 12, ix->completeness_d);
    sqlite3_bind_int(st, first + 13, ix->ready);
    bind_text(st, first + 14, ix->protocol_version);
}

static void read_handoff(sqlite3_stmt *st, hf_handoff_rec *h, bool with_document)
{
    memset(h, 0, sizeof(*h));
    h->id = sqlite3_column_int64(st, 0);
    h->workspace_id = sqlite3_column_int64(st, 1);
    h->deal_id = sqlite3_column_int64(st, 2);
    hf_status status = HF_STATUS_DRAFT;
    hf_status_parse((const char *)sqlite3_column_text(st, 3), &status);
    h->status = status;
    h->version = sqlite3_column_int(st, 4);
    hf_handoff_index *ix = &h->index;
    const unsigned char *seg = sqlite3_column_text(st, 5);
    snprintf(ix->segment, sizeof(ix->segment), "%s", seg ? (const char *)seg : "");
    const unsigned char *trig = sqlite3_column_text(st, 6);
    snprintf(ix->trigger, sizeof(ix->trigger), "%s", trig ? (const char *)trig : "");
    ix->owner = col_text(st, 7);
    ix->owner_email = col_text(st, 8);
    ix->csm = col_text(st, 9);
    ix->csm_email = col_text(st, 10);
    ix->company = col_text(st, 11);
    ix->t0 = col_time(st, 12);
    ix->next_due = col_time(st, 13);
    ix->quality_total = sqlite3_column_int(st, 14);
    ix->band = hf__band_parse((const char *)sqlite3_column_text(st, 15));
    ix->completeness_d = sqlite3_column_int(st, 16);
    ix->ready = sqlite3_column_int(st, 17) != 0;
    const unsigned char *pv = sqlite3_column_text(st, 18);
    snprintf(ix->protocol_version, sizeof(ix->protocol_version), "%s", pv ? (const char *)pv : "");
    h->created_at = sqlite3_column_int64(st, 19);
    h->updated_at = sqlite3_column_int64(st, 20);
    if (with_document)
        h->document = col_text(st, 21);
}

static int insert_version(sqlite_store *s, const hf_handoff_rec *h, int version, const char *author,
                          hf_time at, const char *changed_paths, hf_error *err)
{
    sqlite3_stmt *st = stmt(s, S_VERSION_INSERT, err);
    if (!st)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, h->workspace_id);
    sqlite3_bind_int64(st, 2, h->id);
    sqlite3_bind_int(st, 3, version);
    bind_text(st, 4, author ? author : "system");
    sqlite3_bind_int64(st, 5, at);
    bind_text(st, 6, changed_paths ? changed_paths : "[]");
    bind_text(st, 7, h->document);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? 0 : db_error(s, err, "version insert");
}

static int insert_transition(sqlite_store *s, int64_t ws, int64_t id, const char *from,
                             const char *to, const char *actor, hf_time at, const char *reason,
                             const char *override_reason, hf_error *err)
{
    sqlite3_stmt *st = stmt(s, S_TRANSITION_INSERT, err);
    if (!st)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, id);
    bind_text(st, 3, from);
    bind_text(st, 4, to);
    bind_text(st, 5, actor ? actor : "system");
    sqlite3_bind_int64(st, 6, at);
    bind_text(st, 7, reason);
    bind_text(st, 8, override_reason);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? 0 : db_error(s, err, "transition insert");
}

static int sq_handoff_create(hf_store *base, hf_handoff_rec *h, const char *author,
                             const char *changed_paths, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    hf_time at = h->created_at ? h->created_at : wall_now();
    int rc = op_begin(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = stmt(s, S_HANDOFF_INSERT, err);
    if (!st) {
        rc = HF_EDB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, h->workspace_id);
    if (h->deal_id)
        sqlite3_bind_int64(st, 2, h->deal_id);
    bind_text(st, 3, hf_status_name(h->status));
    bind_index(st, 4, h);
    sqlite3_bind_int64(st, 19, at);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = db_error(s, err, "handoff insert");
        sqlite3_reset(st);
        goto out;
    }
    sqlite3_reset(st);
    h->id = sqlite3_last_insert_rowid(s->db);
    h->version = 1;
    h->created_at = h->updated_at = at;
    rc = insert_version(s, h, 1, author, at, changed_paths, err);
    if (rc)
        goto out;
    rc = insert_transition(s, h->workspace_id, h->id, NULL, hf_status_name(h->status), author, at,
                           "created", NULL, err);
out:
    return op_end(s, rc, err);
}

static int get_one_handoff(sqlite_store *s, enum stmt_id id, int64_t ws, int64_t key,
                           hf_handoff_rec *out, hf_error *err)
{
    sqlite3_stmt *st = stmt(s, id, err);
    if (!st)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, key);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_handoff(st, out, true);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (r == SQLITE_DONE)
        return id == S_HANDOFF_GET
                   ? hf_error_set(err, HF_ENOTFOUND, NULL, "no handoff %lld", (long long)key)
                   : hf_error_set(err, HF_ENOTFOUND, NULL, "no handoff for deal %lld",
                                  (long long)key);
    return db_error(s, err, "handoff");
}

static int sq_handoff_get(hf_store *base, int64_t ws, int64_t id, hf_handoff_rec *out,
                          hf_error *err)
{
    return get_one_handoff((sqlite_store *)base, S_HANDOFF_GET, ws, id, out, err);
}

static int sq_handoff_get_by_deal(hf_store *base, int64_t ws, int64_t deal_id, hf_handoff_rec *out,
                                  hf_error *err)
{
    return get_one_handoff((sqlite_store *)base, S_HANDOFF_GET_DEAL, ws, deal_id, out, err);
}

static int current_version(sqlite_store *s, int64_t ws, int64_t id, int *version)
{
    sqlite3_stmt *st = NULL;
    *version = -1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT version FROM handoffs WHERE workspace_id = ?1 AND id = ?2", -1,
                           &st, NULL) != SQLITE_OK)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return 0;
}

/* A new value of an index column, as bind_index() binds it. */
typedef struct col_value {
    const char *text; /* the text of a TEXT column; NULL with is_null */
    int64_t num;
    bool is_text, is_null;
} col_value;

static col_value text_value(const char *v)
{
    return (col_value){v, 0, true, v == NULL};
}

static col_value int_value(int64_t v)
{
    return (col_value){NULL, v, false, false};
}

static col_value time_value(hf_time t)
{
    return (col_value){NULL, t, false, t == HF_TIME_NONE};
}

static void index_values(const hf_handoff_rec *h, col_value v[INDEX_NCOLS])
{
    const hf_handoff_index *ix = &h->index;
    v[0] = text_value(ix->segment[0] ? ix->segment : NULL);
    v[1] = text_value(ix->trigger[0] ? ix->trigger : NULL);
    v[2] = text_value(ix->owner);
    v[3] = text_value(ix->owner_email);
    v[4] = text_value(ix->csm);
    v[5] = text_value(ix->csm_email);
    v[6] = text_value(ix->company);
    v[7] = time_value(ix->t0);
    v[8] = time_value(ix->next_due);
    v[9] = int_value(ix->quality_total);
    v[10] = text_value(hf__band_name(ix->band));
    v[11] = int_value(ix->completeness_d);
    v[12] = int_value(ix->ready);
    v[13] = text_value(ix->protocol_version);
}

/* Does column `col` of the current row of `st` hold `v`? */
static bool same_value(sqlite3_stmt *st, int col, const col_value *v)
{
    int type = sqlite3_column_type(st, col);
    if (v->is_null || type == SQLITE_NULL)
        return v->is_null && type == SQLITE_NULL;
    if (v->is_text) {
        const unsigned char *t = sqlite3_column_text(st, col);
        return type == SQLITE_TEXT && t && strcmp((const char *)t, v->text) == 0;
    }
    return type == SQLITE_INTEGER && sqlite3_column_int64(st, col) == v->num;
}

/* Write the index columns of `changed` (bit i: column i of INDEX_COLS) of handoff h->id.
 *
 * Why not one UPDATE that sets them all: SQLite rewrites the entry of every index that
 * holds a column the UPDATE sets, whether its value changes or not, and each such index
 * page is one more page in the WAL and on disk. An edit usually changes the document but
 * few index columns (the score, the next due time), so setting only those writes a few
 * pages instead of one per index. */
static int set_index_columns(sqlite_store *s, const hf_handoff_rec *h, unsigned changed,
                             hf_error *err)
{
    static const char *const names[INDEX_NCOLS] = {
        "segment",   "trigger_kind",   "owner", "owner_email",     "csm",
        "csm_email", "company",        "t0",    "next_due",        "quality_total",
        "band",      "completeness_d", "ready", "protocol_version"};
    sqlite3_stmt *st = NULL;
    for (int i = 0; i < SET_CACHE && !st; i++)
        if (s->set_cache[i].st && s->set_cache[i].mask == changed)
            st = s->set_cache[i].st;
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        char sql[512];
        size_t n = (size_t)snprintf(sql, sizeof(sql), "UPDATE handoffs SET ");
        int p = 1;
        for (int i = 0; i < INDEX_NCOLS; i++) {
            if (!(changed & (1u << i)))
                continue;
            n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s%s = ?%d", p > 1 ? ", " : "",
                                  names[i], p);
            p++;
        }
        snprintf(sql + n, sizeof(sql) - n, " WHERE id = ?%d", p);
        if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
            return db_error(s, err, "handoff update");
        int slot = s->set_next;
        s->set_next = (s->set_next + 1) % SET_CACHE;
        sqlite3_finalize(s->set_cache[slot].st);
        s->set_cache[slot].st = st;
        s->set_cache[slot].mask = changed;
    }
    col_value v[INDEX_NCOLS];
    index_values(h, v);
    int p = 1;
    for (int i = 0; i < INDEX_NCOLS; i++) {
        if (!(changed & (1u << i)))
            continue;
        if (v[i].is_null)
            sqlite3_bind_null(st, p++);
        else if (v[i].is_text)
            sqlite3_bind_text(st, p++, v[i].text, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(st, p++, v[i].num);
    }
    sqlite3_bind_int64(st, p, h->id);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? 0 : db_error(s, err, "handoff update");
}

static int sq_handoff_update(hf_store *base, hf_handoff_rec *h, int base_version,
                             const char *author, const char *changed_paths, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    hf_time at = h->updated_at ? h->updated_at : wall_now();
    int rc = op_begin(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = stmt(s, S_HANDOFF_UPDATE, err);
    if (!st) {
        rc = HF_EDB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, h->workspace_id);
    sqlite3_bind_int64(st, 2, h->id);
    sqlite3_bind_int(st, 3, base_version);
    bind_text(st, 4, hf_status_name(h->status)); /* the status the edit was made under */
    sqlite3_bind_int64(st, 5, at);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        h->version = sqlite3_column_int(st, 0);
        col_value v[INDEX_NCOLS];
        index_values(h, v);
        unsigned changed = 0;
        for (int i = 0; i < INDEX_NCOLS; i++)
            if (!same_value(st, i + 1, &v[i]))
                changed |= 1u << i;
        sqlite3_reset(st);
        if (changed && (rc = set_index_columns(s, h, changed, err)) != 0)
            goto out;
    } else {
        sqlite3_reset(st);
        if (r != SQLITE_DONE) {
            rc = db_error(s, err, "handoff update");
            goto out;
        }
        int cur;
        current_version(s, h->workspace_id, h->id, &cur);
        rc = cur < 0 ? hf_error_set(err, HF_ENOTFOUND, NULL, "no handoff %lld", (long long)h->id)
                     : hf_error_set(err, HF_ECONFLICT, NULL,
                                    "handoff %lld changed: your edit is based on version %d, "
                                    "the current version is %d",
                                    (long long)h->id, base_version, cur);
        goto out;
    }
    h->updated_at = at;
    rc = insert_version(s, h, h->version, author, at, changed_paths, err);
out:
    return op_end(s, rc, err);
}

static int current_status(sqlite_store *s, int64_t ws, int64_t id, char *buf, size_t cap)
{
    sqlite3_stmt *st = NULL;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(s->db, "SELECT status FROM handoffs WHERE workspace_id = ?1 AND id = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return 0;
}

static int sq_handoff_transition(hf_store *base, int64_t ws, int64_t id, hf_status from,
                                 hf_status to, const char *actor, const char *reason,
                                 const char *override_reason, hf_time at, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    int rc = op_begin(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = stmt(s, S_HANDOFF_STATUS, err);
    if (!st) {
        rc = HF_EDB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, id);
    bind_text(st, 3, hf_status_name(from));
    bind_text(st, 4, hf_status_name(to));
    sqlite3_bind_int64(st, 5, at);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_reset(st);
        rc = db_error(s, err, "status update");
        goto out;
    }
    sqlite3_reset(st);
    if (sqlite3_changes(s->db) != 1) {
        char cur[32];
        current_status(s, ws, id, cur, sizeof(cur));
        rc = cur[0] ? hf_error_set(err, HF_ECONFLICT, "status",
                                   "handoff %lld is now \"%s\", not \"%s\": reload and retry",
                                   (long long)id, cur, hf_status_name(from))
                    : hf_error_set(err, HF_ENOTFOUND, NULL, "no handoff %lld", (long long)id);
        goto out;
    }
    rc = insert_transition(s, ws, id, hf_status_name(from), hf_status_name(to), actor, at, reason,
                           override_reason, err);
out:
    return op_end(s, rc, err);
}

/* `like`: the search's pattern (hf__store_like_pattern), NULL without a search. */
static void filter_bind(sqlite3_stmt *st, int64_t ws, const hf_handoff_filter *f, const char *like)
{
    int p = 1;
    sqlite3_bind_int64(st, p++, ws);
    if (!f)
        return;
    for (int i = 0; i < HF_STATUS_COUNT; i++)
        if (f->status_mask & HF_STATUS_BIT(i))
            bind_text(st, p++, hf_status_name((hf_status)i));
    if (f->segment)
        bind_text(st, p++, f->segment);
    if (f->owner)
        bind_text(st, p++, f->owner);
    if (f->csm)
        bind_text(st, p++, f->csm);
    for (int b = 0; b < HF_BAND_COUNT; b++)
        if (f->band_mask & (1u << b))
            bind_text(st, p++, hf__band_name(b));
    if (f->trigger)
        bind_text(st, p++, f->trigger);
    if (f->overdue_only)
        sqlite3_bind_int64(st, p++, f->now);
    if (like) {
        bind_text(st, p++, like);
        bind_text(st, p++, like);
    }
    if (f->created_after)
        sqlite3_bind_int64(st, p++, f->created_after);
    if (f->after_id > 0)
        sqlite3_bind_int64(st, p++, f->after_id);
    if (f->limit > 0) /* only a list has the placeholder; binding past the end is ignored */
        sqlite3_bind_int(st, p++, f->limit);
}

static int sq_handoff_list(hf_store *base, int64_t ws, const hf_handoff_filter *f, hf_handoff_cb cb,
                           void *ctx, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    char sql[2048];
    bool docs = f && f->with_documents;
    bool ids = f && f->ids_only && !docs;
    hf__store_filter_sql(f, true, '?', sql, sizeof(sql),
                         docs ? "SELECT " HANDOFF_COLS
                                ", v.document FROM handoffs h JOIN handoff_versions "
                                "v ON v.handoff_id = h.id AND v.version = h.version"
                         : ids ? "SELECT h.id FROM handoffs h"
                               : "SELECT " HANDOFF_COLS " FROM handoffs h");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "list");
    char *like = f && f->search && *f->search ? hf__store_like_pattern(f->search) : NULL;
    if (f && f->search && *f->search && !like) {
        sqlite3_finalize(st);
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    }
    filter_bind(st, ws, f, like);
    int rc = 0, r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hf_handoff_rec h;
        if (ids) {
            memset(&h, 0, sizeof(h));
            h.id = sqlite3_column_int64(st, 0);
            h.workspace_id = ws;
        } else {
            read_handoff(st, &h, docs);
        }
        rc = cb(ctx, &h);
        hf_handoff_rec_free(&h);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_error(s, err, "list");
    sqlite3_finalize(st);
    free(like);
    return rc;
}

static int sq_handoff_count(hf_store *base, int64_t ws, const hf_handoff_filter *f, int64_t *count,
                            hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    char sql[2048];
    hf_handoff_filter g;
    if (f)
        g = *f;
    else
        memset(&g, 0, sizeof(g));
    g.limit = 0;
    hf__store_filter_sql(&g, false, '?', sql, sizeof(sql), "SELECT count(*) FROM handoffs h");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "count");
    char *like = g.search && *g.search ? hf__store_like_pattern(g.search) : NULL;
    if (g.search && *g.search && !like) {
        sqlite3_finalize(st);
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    }
    filter_bind(st, ws, &g, like);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        *count = sqlite3_column_int64(st, 0);
    else
        rc = db_error(s, err, "count");
    sqlite3_finalize(st);
    free(like);
    return rc;
}

static void read_version(sqlite3_stmt *st, hf_version_rec *v)
{
    memset(v, 0, sizeof(*v));
    v->version = sqlite3_column_int(st, 0);
    v->author = col_text(st, 1);
    v->at = sqlite3_column_int64(st, 2);
    v->changed_paths = col_text(st, 3);
    v->document = col_text(st, 4);
}

static int sq_version_list(hf_store *base, int64_t ws, int64_t id, bool with_documents,
                           hf_version_cb cb, void *ctx, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = stmt(s, with_documents ? S_VERSION_LIST_DOCS : S_VERSION_LIST, err);
    if (!st)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, id);
    int rc = 0, r, n = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hf_version_rec v;
        read_version(st, &v);
        n++;
        rc = cb(ctx, &v);
        hf_version_rec_free(&v);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_error(s, err, "versions");
    sqlite3_reset(st);
    if (!rc && n == 0)
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no handoff %lld", (long long)id);
    return rc;
}

static int sq_version_get(hf_store *base, int64_t ws, int64_t id, int version, hf_version_rec *out,
                          hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = stmt(s, S_VERSION_GET, err);
    if (!st)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int(st, 3, version);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        read_version(st, out);
    sqlite3_reset(st);
    if (r == SQLITE_ROW)
        return 0;
    if (r == SQLITE_DONE)
        return hf_error_set(err, HF_ENOTFOUND, NULL, "handoff %lld has no version %d",
                            (long long)id, version);
    return db_error(s, err, "version");
}

static int sq_transition_list(hf_store *base, int64_t ws, int64_t id, hf_transition_cb cb,
                              void *ctx, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = stmt(s, S_TRANSITION_LIST, err);
    if (!st)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, id);
    int rc = 0, r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hf_transition_rec t;
        memset(&t, 0, sizeof(t));
        t.id = sqlite3_column_int64(st, 0);
        t.from = HF_STATUS_COUNT;
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            hf_status_parse((const char *)sqlite3_column_text(st, 1), &t.from);
        hf_status_parse((const char *)sqlite3_column_text(st, 2), &t.to);
        t.actor = col_text(st, 3);
        t.at = sqlite3_column_int64(st, 4);
        t.reason = col_text(st, 5);
        t.override_reason = col_text(st, 6);
        rc = cb(ctx, &t);
        hf_transition_rec_free(&t);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_error(s, err, "transitions");
    sqlite3_reset(st);
    return rc;
}

/* Copy `from` into `to` with the online backup API, a few pages at a time, so a backup of a
 * live database neither blocks writers for long nor copies a torn state. */
static int copy_database(sqlite3 *from, sqlite3 *to, hf_error *err)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b)
        return hf_error_set(err, HF_EDB, NULL, "backup: %s", sqlite3_errmsg(to));
    int r;
    do {
        r = sqlite3_backup_step(b, 1024);
        if (r == SQLITE_BUSY || r == SQLITE_LOCKED)
            sqlite3_sleep(10);
    } while (r == SQLITE_OK || r == SQLITE_BUSY || r == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (r != SQLITE_DONE)
        return hf_error_set(err, HF_EDB, NULL, "backup: %s", sqlite3_errstr(r));
    return 0;
}

static int sq_backup(hf_store *base, const char *path, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        int rc = hf_error_set(err, HF_EIO, NULL, "%s: %s", path, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return rc;
    }
    int rc = copy_database(s->db, dst, err);
    sqlite3_close(dst);
    return rc;
}

static int sq_check(hf_store *base, char *result, size_t cap, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "integrity_check");
    result[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(result, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return 0;
}

/* ---- people, teams, tokens, sessions ---- */

/* Prepare, bind with a callback-free helper style: each of these runs rarely except the
 * cached lookups (S_TOKEN_GET, S_SESSION_GET, S_USER_GET*), which run per request. */
static int run_simple(sqlite_store *s, sqlite3_stmt *st, const char *what, hf_error *err)
{
    int r = sqlite3_step(st);
    int code = sqlite3_extended_errcode(s->db);
    if (r == SQLITE_DONE || r == SQLITE_ROW)
        return 0;
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
        return hf_error_set(err, HF_ECONFLICT, NULL, "%s: already exists", what);
    return db_error(s, err, what);
}

static void read_user(sqlite3_stmt *st, hf_user_rec *u)
{
    memset(u, 0, sizeof(*u));
    u->id = sqlite3_column_int64(st, 0);
    u->workspace_id = sqlite3_column_int64(st, 1);
    u->email = col_text(st, 2);
    u->name = col_text(st, 3);
    hf_role role = HF_ROLE_VIEWER;
    hf_role_parse((const char *)sqlite3_column_text(st, 4), &role);
    u->role = role;
    u->team_id = sqlite3_column_int64(st, 5);
    u->capacity = sqlite3_column_int(st, 6);
    u->password_hash = col_text(st, 7);
    u->active = sqlite3_column_int(st, 8) != 0;
    u->created_at = sqlite3_column_int64(st, 9);
    u->segments = col_text(st, 10);
    u->lang = col_text(st, 11);
}

static int sq_user_create(hf_store *base, hf_user_rec *u, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO users (workspace_id, email, name, role, team_id, capacity, "
                           "password_hash, active, created_at, segments, lang) VALUES (?1, ?2, ?3, "
                           "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "user");
    sqlite3_bind_int64(st, 1, u->workspace_id);
    bind_text(st, 2, u->email);
    bind_text(st, 3, u->name);
    bind_text(st, 4, hf_role_name(u->role));
    if (u->team_id)
        sqlite3_bind_int64(st, 5, u->team_id);
    sqlite3_bind_int(st, 6, u->capacity);
    bind_text(st, 7, u->password_hash);
    sqlite3_bind_int(st, 8, u->active);
    sqlite3_bind_int64(st, 9, u->created_at ? u->created_at : wall_now());
    bind_text(st, 10, u->segments);
    bind_text(st, 11, u->lang);
    int rc = run_simple(s, st, "user", err);
    sqlite3_finalize(st);
    if (!rc)
        u->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int sq_user_update(hf_store *base, const hf_user_rec *u, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            s->db,
            "UPDATE users SET email = ?3, name = ?4, role = ?5, team_id = ?6, "
            "capacity = ?7, password_hash = ?8, active = ?9, segments = ?10, lang = ?11 "
            "WHERE workspace_id = ?1 AND id = ?2",
            -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "user");
    sqlite3_bind_int64(st, 1, u->workspace_id);
    sqlite3_bind_int64(st, 2, u->id);
    bind_text(st, 3, u->email);
    bind_text(st, 4, u->name);
    bind_text(st, 5, hf_role_name(u->role));
    if (u->team_id)
        sqlite3_bind_int64(st, 6, u->team_id);
    sqlite3_bind_int(st, 7, u->capacity);
    bind_text(st, 8, u->password_hash);
    sqlite3_bind_int(st, 9, u->active);
    bind_text(st, 10, u->segments);
    bind_text(st, 11, u->lang);
    int rc = run_simple(s, st, "user", err);
    sqlite3_finalize(st);
    if (!rc && sqlite3_changes(s->db) != 1)
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no user %lld", (long long)u->id);
    return rc;
}

static int sq_user_get(hf_store *base, int64_t ws, int64_t id, const char *email, hf_user_rec *out,
                       hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = stmt(s, email ? S_USER_GET_EMAIL : S_USER_GET, err);
    if (!st)
        return HF_EDB;
    sqlite3_bind_int64(st, 1, ws);
    if (email)
        bind_text(st, 2, email);
    else
        sqlite3_bind_int64(st, 2, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        read_user(st, out);
    sqlite3_reset(st);
    if (r == SQLITE_ROW)
        return 0;
    if (r == SQLITE_DONE)
        return hf_error_set(err, HF_ENOTFOUND, NULL, "no such user");
    return db_error(s, err, "user");
}

static int sq_user_list(hf_store *base, int64_t ws, hf_user_cb cb, void *ctx, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, workspace_id, email, name, role, team_id, capacity, "
                           "password_hash, active, created_at, segments, lang FROM users WHERE "
                           "workspace_id = ?1 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "users");
    sqlite3_bind_int64(st, 1, ws);
    int rc = 0, r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hf_user_rec u;
        read_user(st, &u);
        rc = cb(ctx, &u);
        hf_user_rec_free(&u);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_error(s, err, "users");
    sqlite3_finalize(st);
    return rc;
}

static int sq_team_create(hf_store *base, hf_team_rec *t, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO teams (workspace_id, name, kind, manager_id) "
                           "VALUES (?1, ?2, ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "team");
    sqlite3_bind_int64(st, 1, t->workspace_id);
    bind_text(st, 2, t->name);
    bind_text(st, 3, t->kind);
    if (t->manager_id)
        sqlite3_bind_int64(st, 4, t->manager_id);
    int rc = run_simple(s, st, "team", err);
    sqlite3_finalize(st);
    if (!rc)
        t->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int sq_team_list(hf_store *base, int64_t ws, hf_team_cb cb, void *ctx, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, workspace_id, name, kind, manager_id FROM teams "
                           "WHERE workspace_id = ?1 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "teams");
    sqlite3_bind_int64(st, 1, ws);
    int rc = 0, r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hf_team_rec t = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), col_text(st, 2),
                         col_text(st, 3), sqlite3_column_int64(st, 4)};
        rc = cb(ctx, &t);
        hf_team_rec_free(&t);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_error(s, err, "teams");
    sqlite3_finalize(st);
    return rc;
}

static void read_token(sqlite3_stmt *st, hf_token_rec *t)
{
    memset(t, 0, sizeof(*t));
    t->id = sqlite3_column_int64(st, 0);
    t->workspace_id = sqlite3_column_int64(st, 1);
    t->user_id = sqlite3_column_int64(st, 2);
    t->name = col_text(st, 3);
    t->prefix = col_text(st, 4);
    t->secret_hash = col_text(st, 5);
    t->scopes = col_text(st, 6);
    t->created_at = sqlite3_column_int64(st, 7);
    t->expires_at = col_time(st, 8);
    t->revoked_at = col_time(st, 9);
}

static int sq_token_create(hf_store *base, hf_token_rec *t, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO api_tokens (workspace_id, user_id, name, prefix, "
                           "secret_hash, scopes, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, "
                           "?5, ?6, ?7, ?8)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "token");
    sqlite3_bind_int64(st, 1, t->workspace_id);
    sqlite3_bind_int64(st, 2, t->user_id);
    bind_text(st, 3, t->name);
    bind_text(st, 4, t->prefix);
    bind_text(st, 5, t->secret_hash);
    bind_text(st, 6, t->scopes);
    sqlite3_bind_int64(st, 7, t->created_at ? t->created_at : wall_now());
    bind_time(st, 8, t->expires_at);
    int rc = run_simple(s, st, "token", err);
    sqlite3_finalize(st);
    if (!rc)
        t->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int sq_token_get(hf_store *base, const char *prefix, hf_token_rec *out, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = stmt(s, S_TOKEN_GET, err);
    if (!st)
        return HF_EDB;
    bind_text(st, 1, prefix);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        read_token(st, out);
    sqlite3_reset(st);
    if (r == SQLITE_ROW)
        return 0;
    if (r == SQLITE_DONE)
        return hf_error_set(err, HF_ENOTFOUND, NULL, "no such token");
    return db_error(s, err, "token");
}

static int sq_token_list(hf_store *base, int64_t ws, int64_t user_id, hf_token_cb cb, void *ctx,
                         hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, workspace_id, user_id, name, prefix, secret_hash, scopes, "
                           "created_at, expires_at, revoked_at FROM api_tokens "
                           "WHERE workspace_id = ?1 AND (?2 = 0 OR user_id = ?2) ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "tokens");
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, user_id);
    int rc = 0, r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hf_token_rec t;
        read_token(st, &t);
        rc = cb(ctx, &t);
        hf_token_rec_free(&t);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_error(s, err, "tokens");
    sqlite3_finalize(st);
    return rc;
}

static int sq_token_revoke(hf_store *base, int64_t ws, int64_t id, hf_time at, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?3) "
                           "WHERE workspace_id = ?1 AND id = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "token");
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int64(st, 3, at);
    int rc = run_simple(s, st, "token", err);
    sqlite3_finalize(st);
    if (!rc && sqlite3_changes(s->db) != 1)
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no token %lld", (long long)id);
    return rc;
}

static int sq_session_create(hf_store *base, const hf_session_rec *r, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO sessions (id_hash, user_id, workspace_id, csrf, "
                           "created_at, expires_at, credential_tag) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "session");
    bind_text(st, 1, r->id_hash);
    sqlite3_bind_int64(st, 2, r->user_id);
    sqlite3_bind_int64(st, 3, r->workspace_id);
    bind_text(st, 4, r->csrf);
    sqlite3_bind_int64(st, 5, r->created_at);
    sqlite3_bind_int64(st, 6, r->expires_at);
    bind_text(st, 7, r->credential_tag);
    int rc = run_simple(s, st, "session", err);
    sqlite3_finalize(st);
    /* expired sessions are swept as new ones are made */
    if (!rc) {
        char sql[96];
        snprintf(sql, sizeof(sql), "DELETE FROM sessions WHERE expires_at < %lld",
                 (long long)r->created_at);
        sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    }
    return rc;
}

static int sq_session_get(hf_store *base, const char *id_hash, hf_session_rec *out, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = stmt(s, S_SESSION_GET, err);
    if (!st)
        return HF_EDB;
    bind_text(st, 1, id_hash);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        out->id_hash = col_text(st, 0);
        out->user_id = sqlite3_column_int64(st, 1);
        out->workspace_id = sqlite3_column_int64(st, 2);
        out->csrf = col_text(st, 3);
        out->created_at = sqlite3_column_int64(st, 4);
        out->expires_at = sqlite3_column_int64(st, 5);
        out->credential_tag = col_text(st, 6);
    }
    sqlite3_reset(st);
    if (r == SQLITE_ROW)
        return 0;
    if (r == SQLITE_DONE)
        return hf_error_set(err, HF_ENOTFOUND, NULL, "no such session");
    return db_error(s, err, "session");
}

static int sq_session_delete(hf_store *base, const char *id_hash, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM sessions WHERE id_hash = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return db_error(s, err, "session");
    bind_text(st, 1, id_hash);
    int rc = run_simple(s, st, "session", err);
    sqlite3_finalize(st);
    return rc;
}

/* The generic statement of hf_store_query: `?N` placeholders are SQLite's own syntax. */
static int sq_query(hf_store *base, const char *sql, int nparams, const char *const *params,
                    hf_row_cb cb, void *ctx, int64_t *changes, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    /* the cached statement of this text, unless a caller up the stack is still stepping it:
     * two ways per set, so that two texts of one operation that hash alike do not prepare
     * each other out at every call (the protocol lookup of a document write did) */
    size_t h = 0;
    for (const char *c = sql; *c; c++)
        h = h * 31 + (unsigned char)*c;
    sqlite3_stmt **set = &s->qcache[(h % (QCACHE / 2)) * 2];
    sqlite3_stmt *st = NULL;
    bool cached = false;
    for (int k = 0; k < 2 && !cached; k++) {
        if (set[k] && !sqlite3_stmt_busy(set[k]) && strcmp(sqlite3_sql(set[k]), sql) == 0) {
            st = set[k];
            cached = true;
        }
    }
    if (!cached) {
        if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
            return db_error(s, err, "query");
        /* the newest in the first way, the one it displaces in the second; a statement
         * being stepped is never finalized */
        if (!set[1] || !sqlite3_stmt_busy(set[1])) {
            sqlite3_finalize(set[1]);
            set[1] = set[0];
            set[0] = st;
            cached = true;
        }
    }
    for (int i = 0; i < nparams; i++)
        bind_text(st, i + 1, params[i]);
    int rc = 0, r;
    const char *vals[16];
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_count(st);
        if (n > 16)
            n = 16;
        for (int i = 0; i < n; i++)
            vals[i] = (const char *)sqlite3_column_text(st, i);
        rc = cb ? cb(ctx, n, vals) : 0;
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE) {
        if (sqlite3_errcode(s->db) == SQLITE_CONSTRAINT)
            rc = hf_error_set(err, HF_ECONFLICT, NULL, "%s", sqlite3_errmsg(s->db));
        else
            rc = db_error(s, err, "query");
    }
    if (changes)
        *changes = sqlite3_changes(s->db);
    if (cached) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
    return rc;
}

static int sq_session_delete_user(hf_store *base, int64_t ws, int64_t user_id, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM sessions WHERE workspace_id = ?1 AND user_id = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "sessions");
    sqlite3_bind_int64(st, 1, ws);
    sqlite3_bind_int64(st, 2, user_id);
    int rc = run_simple(s, st, "sessions", err);
    sqlite3_finalize(st);
    return rc;
}

/* ---- login attempts ---- */

/* Prepare `sql`, bind the text `key` as ?1 and the integers `a` (?2) and `b` (?3) when
 * they are not HF_TIME_NONE, step once; a row's first column goes to *value (when there is
 * a row and `value` is not NULL) and *has_row says whether there was one. */
static int login_step(sqlite_store *s, const char *sql, const char *key, int64_t a, int64_t b,
                      int64_t *value, bool *has_row, hf_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err, "login attempts");
    if (key)
        bind_text(st, 1, key);
    if (a != HF_TIME_NONE)
        sqlite3_bind_int64(st, 2, a);
    if (b != HF_TIME_NONE)
        sqlite3_bind_int64(st, 3, b);
    int r = sqlite3_step(st);
    if (has_row)
        *has_row = r == SQLITE_ROW;
    if (r == SQLITE_ROW && value)
        *value = sqlite3_column_int64(st, 0);
    int rc = r == SQLITE_ROW || r == SQLITE_DONE ? 0 : db_error(s, err, "login attempts");
    sqlite3_finalize(st);
    return rc;
}

static int sq_login_attempt_add(hf_store *base, const char *key, hf_time now, int window,
                                int max_keys, int *count, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    int64_t v = 0, rows = 0;
    bool found = false, full = false;
    *count = 0;
    int rc = op_begin(s, err);
    if (rc)
        return rc;
    /* a live window counts one more attempt; an ended one starts again */
    rc = login_step(s,
                    "UPDATE login_attempts SET "
                    "attempts = CASE WHEN window_start > ?2 - ?3 THEN attempts + 1 ELSE 1 END, "
                    "window_start = CASE WHEN window_start > ?2 - ?3 THEN window_start ELSE ?2 END "
                    "WHERE key_hash = ?1 RETURNING attempts",
                    key, now, window, &v, &found, err);
    if (rc || found)
        goto out;
    rc = login_step(s, "SELECT count(*) FROM login_attempts", NULL, HF_TIME_NONE, HF_TIME_NONE,
                    &rows, NULL, err);
    if (!rc && rows >= max_keys) {
        /* make room from the windows that ended, oldest first; never from live ones */
        rc = login_step(s,
                        "DELETE FROM login_attempts WHERE key_hash IN (SELECT key_hash FROM "
                        "login_attempts WHERE window_start <= ?2 ORDER BY window_start LIMIT ?3)",
                        NULL, now - window, HF__LOGIN_EVICT_BATCH, NULL, NULL, err);
        if (!rc)
            rc = login_step(s, "SELECT count(*) FROM login_attempts", NULL, HF_TIME_NONE,
                            HF_TIME_NONE, &rows, NULL, err);
        full = !rc && rows >= max_keys;
    }
    if (rc || full)
        goto out;
    rc = login_step(s,
                    "INSERT INTO login_attempts (key_hash, window_start, attempts) "
                    "VALUES (?1, ?2, 1)",
                    key, now, HF_TIME_NONE, NULL, NULL, err);
    v = 1;
out:
    rc = op_end(s, rc, err);
    if (!rc && full)
        rc = hf_error_set(err, HF_ENOMEM, NULL,
                          "login attempts: %d counters are live, none can be dropped", max_keys);
    if (!rc && !full)
        *count = (int)(v > 1000000 ? 1000000 : v);
    return rc;
}

static int sq_login_attempt_release(hf_store *base, const char *key, bool all, hf_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    return login_step(s,
                      all ? "DELETE FROM login_attempts WHERE key_hash = ?1"
                          : "UPDATE login_attempts SET attempts = attempts - 1 "
                            "WHERE key_hash = ?1 AND attempts > 0",
                      key, HF_TIME_NONE, HF_TIME_NONE, NULL, NULL, err);
}

static const hf_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .schema_version = sq_schema_version,
    .migrate = sq_migrate,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .workspace_ensure = sq_workspace_ensure,
    .deal_upsert = sq_deal_upsert,
    .deal_get = sq_deal_get,
    .deal_list = sq_deal_list,
    .handoff_create = sq_handoff_create,
    .handoff_get = sq_handoff_get,
    .handoff_get_by_deal = sq_handoff_get_by_deal,
    .handoff_update = sq_handoff_update,
    .handoff_transition = sq_handoff_transition,
    .handoff_list = sq_handoff_list,
    .handoff_count = sq_handoff_count,
    .version_list = sq_version_list,
    .version_get = sq_version_get,
    .transition_list = sq_transition_list,
    .backup = sq_backup,
    .check = sq_check,
    .user_create = sq_user_create,
    .user_update = sq_user_update,
    .user_get = sq_user_get,
    .user_list = sq_user_list,
    .team_create = sq_team_create,
    .team_list = sq_team_list,
    .token_create = sq_token_create,
    .token_get = sq_token_get,
    .token_list = sq_token_list,
    .token_revoke = sq_token_revoke,
    .session_create = sq_session_create,
    .session_get = sq_session_get,
    .session_delete = sq_session_delete,
    .query = sq_query,
    .session_delete_user = sq_session_delete_user,
    .login_attempt_add = sq_login_attempt_add,
    .login_attempt_release = sq_login_attempt_release,
};

/* Process-wide settings, made once before the first connection. SQLite's memory
 * statistics take a global mutex on every allocation (nearly 10% of an import's writes);
 * nothing here reads them (sqlite3_memory_used, a soft heap limit). When SQLite was already
 * initialized by someone else in the process, sqlite3_config refuses and nothing changes. */
static pthread_once_t configured = PTHREAD_ONCE_INIT;

static void configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int hf__store_sqlite_open(const char *path, hf_store **out, hf_error *err)
{
    pthread_once(&configured, configure);
    sqlite_store *s = calloc(1, sizeof(*s));
    if (!s)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    s->base.ops = &sqlite_ops;
    snprintf(s->path, sizeof(s->path), "%s", path);
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        int rc = hf_error_set(err, HF_EIO, NULL, "%s: %s", path,
                              s->db ? sqlite3_errmsg(s->db) : "cannot open");
        sqlite3_close(s->db);
        free(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, 10000);
    sqlite3_extended_result_codes(s->db, 1);
    int rc = exec(s,
                  "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                  "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
                  err);
    if (rc) {
        sq_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}

int hf__store_sqlite_restore(const char *path, const char *backup_path, hf_error *err)
{
    sqlite3 *src = NULL, *dst = NULL;
    int rc = 0;
    if (sqlite3_open_v2(backup_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = hf_error_set(err, HF_EIO, NULL, "%s: %s", backup_path, sqlite3_errmsg(src));
        goto out;
    }
    /* refuse a file that is not a Handoff database before overwriting anything */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(src, "SELECT max(version) FROM schema_migrations", -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        rc = hf_error_set(err, HF_EINVAL, NULL, "%s: not a Handoff database backup", backup_path);
        goto out;
    }
    sqlite3_finalize(st);
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = hf_error_set(err, HF_EIO, NULL, "%s: %s", path, sqlite3_errmsg(dst));
        goto out;
    }
    sqlite3_busy_timeout(dst, 10000);
    rc = copy_database(src, dst, err);
out:
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc;
}
