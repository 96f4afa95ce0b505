/* The PostgreSQL backend of the storage interface, for deployments where several servers
 * share one database. Same schema, same semantics and same error codes and messages as
 * store_sqlite.c; tests/unit/store/test_store.c runs against both.
 *
 * Design: one libpq connection per handle (store.h: a handle is used by one thread at a
 * time). Statements are prepared once per connection, on first use (PQprepare under the
 * names in `stmts` below), and run with PQexecPrepared; parameters travel in text format
 * and are never spliced into SQL. The list and count queries, whose WHERE clause depends
 * on the filter, are built from placeholders only (filter_sql) and run with PQexecParams.
 * Times, ids and day numbers are BIGINT, flags BOOLEAN, the deal amount DOUBLE PRECISION.
 *
 * Documents are TEXT, not JSONB: JSONB re-orders keys, drops duplicates and re-spells
 * numbers and blanks, so a stored version would no longer be the bytes that were written
 * (and version documents and diffs would change under their readers); it also refuses
 * \u0000, which JSON allows. JSON-typed columns would keep the text but parse it again on
 * every write for nothing: the writer has validated the document already, and no query
 * looks inside one (reports and the scheduler read the indexed columns).
 *
 * Transactions follow SQLite's: callers may group operations between begin and commit;
 * otherwise each write of several statements runs in its own BEGIN ... COMMIT, and a
 * single statement commits on its own. PostgreSQL aborts a transaction at its first SQL
 * error: later statements fail until the rollback, and a COMMIT of such a transaction
 * rolls back, which commit() reports as an error instead of success. Isolation is READ
 * COMMITTED; the optimistic checks live in the WHERE clause of the UPDATE, which
 * PostgreSQL evaluates again on the newest row version after waiting for a concurrent
 * writer, so two edits based on the same version can never both succeed.
 *
 * Durability: synchronous_commit stays on (a returned write is flushed to the WAL on
 * disk); a session whose server default says `off` turns it back on. The server's notices
 * and warnings are dropped: the library never prints. A connection that broke is re-opened
 * at the next statement outside a transaction. */
#include "store/store_int.h"

#include <libpq-fe.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum stmt_id {
    S_WORKSPACE_ENSURE,
    S_DEAL_UPSERT,
    S_DEAL_GET,
    S_DEAL_GET_CRM,
    S_DEAL_LIST,
    S_HANDOFF_INSERT,
    S_HANDOFF_GET,
    S_HANDOFF_GET_DEAL,
    S_HANDOFF_UPDATE,
    S_HANDOFF_STATUS,
    S_HANDOFF_VERSION,
    S_HANDOFF_CUR_STATUS,
    S_VERSION_INSERT,
    S_TRANSITION_INSERT,
    S_VERSION_LIST,
    S_VERSION_LIST_DOCS,
    S_VERSION_GET,
    S_TRANSITION_LIST,
    S_USER_CREATE,
    S_USER_UPDATE,
    S_USER_GET,
    S_USER_GET_EMAIL,
    S_USER_LIST,
    S_TEAM_CREATE,
    S_TEAM_LIST,
    S_TOKEN_CREATE,
    S_TOKEN_GET,
    S_TOKEN_LIST,
    S_TOKEN_REVOKE,
    S_SESSION_CREATE,
    S_SESSION_SWEEP,
    S_SESSION_GET,
    S_SESSION_DELETE,
    S_SESSION_DELETE_USER,
    S_LOGIN_BUMP,
    S_LOGIN_ROWS,
    S_LOGIN_EVICT,
    S_LOGIN_INSERT,
    S_LOGIN_TAKE_BACK,
    S_LOGIN_FORGET,
    S_COUNT
};

/* The columns read_handoff() reads, in its order; the document comes last, from the
 * version row (the current document is not stored twice). */
#define HANDOFF_COLUMNS                                                                            \
    "h.id, h.workspace_id, h.deal_id, h.status, h.version, h.segment, h.trigger_kind, "            \
    "h.owner, h.owner_email, h.csm, h.csm_email, h.company, h.t0, h.next_due, "                    \
    "h.quality_total, h.band, h.completeness_d, h.ready, h.protocol_version, h.created_at, "       \
    "h.updated_at"
#define HANDOFF_WITH_DOCUMENT                                                                      \
    "SELECT " HANDOFF_COLUMNS ", v.document FROM handoffs h JOIN handoff_versions v "              \
    "ON v.handoff_id = h.id AND v.version = h.version"
#define DEAL_COLUMNS                                                                               \
    "id, workspace_id, crm_source, crm_id, name, account, owner, stage, currency, amount, "        \
    "close_day, is_won, created_at, updated_at"
#define USER_COLUMNS                                                                               \
    "id, workspace_id, email, name, role, team_id, capacity, password_hash, active, created_at, "  \
    "segments, lang"
#define TOKEN_COLUMNS                                                                              \
    "id, workspace_id, user_id, name, prefix, secret_hash, scopes, created_at, expires_at, "       \
    "revoked_at"

static const struct {
    const char *name; /* of the prepared statement, as pg_prepared_statements shows it */
    const char *sql;
} stmts[S_COUNT] = {
    [S_WORKSPACE_ENSURE] = {"hf_workspace_ensure",
                            "INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3) "
                            "ON CONFLICT (id) DO NOTHING"},
    /* `revision` tells an insert (1) from an update (incremented) in one round trip */
    [S_DEAL_UPSERT] =
        {"hf_deal_upsert",
         "INSERT INTO deals (workspace_id, crm_source, crm_id, name, account, owner, stage, "
         "currency, amount, close_day, is_won, created_at, updated_at) "
         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) "
         "ON CONFLICT (workspace_id, crm_id) DO UPDATE SET crm_source = excluded.crm_source, "
         "name = excluded.name, account = excluded.account, owner = excluded.owner, "
         "stage = excluded.stage, currency = excluded.currency, amount = excluded.amount, "
         "close_day = excluded.close_day, is_won = excluded.is_won, "
         "updated_at = excluded.updated_at, revision = deals.revision + 1 "
         "RETURNING id, revision = 1"},
    [S_DEAL_GET] = {"hf_deal_get",
                    "SELECT " DEAL_COLUMNS " FROM deals WHERE workspace_id = $1 AND id = $2"},
    [S_DEAL_GET_CRM] = {"hf_deal_get_crm", "SELECT " DEAL_COLUMNS
                                           " FROM deals WHERE workspace_id = $1 AND crm_id = $2"},
    [S_DEAL_LIST] = {"hf_deal_list",
                     "SELECT " DEAL_COLUMNS " FROM deals WHERE workspace_id = $1 AND id > $2"
                     " ORDER BY id LIMIT $3"},
    /* $4 ... $17: the index columns (param_index) */
    /* the handoff, its first version and its creation in the status history, in one round
     * trip: the foreign keys of the last two are checked at the end of the statement, when
     * the handoff row is there */
    [S_HANDOFF_INSERT] =
        {"hf_handoff_create",
         "WITH h AS (INSERT INTO handoffs (workspace_id, deal_id, status, version, segment, "
         "trigger_kind, owner, owner_email, csm, csm_email, company, t0, next_due, "
         "quality_total, band, completeness_d, ready, protocol_version, created_at, updated_at) "
         "VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
         "$18, $18) RETURNING id), "
         "v AS (INSERT INTO handoff_versions (workspace_id, handoff_id, version, author, at, "
         "changed_paths, document) SELECT $1, id, 1, $19, $18, $20, $21 FROM h), "
         "t AS (INSERT INTO handoff_transitions (workspace_id, handoff_id, from_status, "
         "to_status, actor, at, reason) SELECT $1, id, NULL, $3, $19, $18, 'created' FROM h) "
         "SELECT id FROM h"},
    [S_HANDOFF_GET] = {"hf_handoff_get",
                       HANDOFF_WITH_DOCUMENT " WHERE h.workspace_id = $1 AND h.id = $2"},
    [S_HANDOFF_GET_DEAL] = {"hf_handoff_get_deal",
                            HANDOFF_WITH_DOCUMENT " WHERE h.workspace_id = $1 AND h.deal_id = $2 "
                                                  "ORDER BY h.id DESC LIMIT 1"},
    /* optimistic locking: the row changes only if it is still at the version the edit was
     * based on */
    [S_HANDOFF_UPDATE] =
        {"hf_handoff_update",
         "UPDATE handoffs SET version = version + 1, segment = $4, trigger_kind = $5, "
         "owner = $6, owner_email = $7, csm = $8, csm_email = $9, company = $10, t0 = $11, "
         "next_due = $12, quality_total = $13, band = $14, completeness_d = $15, ready = $16, "
         "protocol_version = $17, updated_at = $18 "
         "WHERE workspace_id = $1 AND id = $2 AND version = $3 AND status = $19 "
         "RETURNING version"},
    [S_HANDOFF_STATUS] = {"hf_handoff_status",
                          "UPDATE handoffs SET status = $4, updated_at = $5 "
                          "WHERE workspace_id = $1 AND id = $2 AND status = $3 RETURNING id"},
    [S_HANDOFF_VERSION] = {"hf_handoff_version",
                           "SELECT version FROM handoffs WHERE workspace_id = $1 AND id = $2"},
    [S_HANDOFF_CUR_STATUS] = {"hf_handoff_cur_status",
                              "SELECT status FROM handoffs WHERE workspace_id = $1 AND id = $2"},
    [S_VERSION_INSERT] = {"hf_version_insert",
                          "INSERT INTO handoff_versions (workspace_id, handoff_id, version, "
                          "author, at, changed_paths, document) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7)"},
    [S_TRANSITION_INSERT] = {"hf_transition_insert",
                             "INSERT INTO handoff_transitions (workspace_id, handoff_id, "
                             "from_status, to_status, actor, at, reason, override_reason) "
                             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"},
    [S_VERSION_LIST] = {"hf_version_list",
                        "SELECT version, author, at, changed_paths, NULL::text "
                        "FROM handoff_versions WHERE workspace_id = $1 AND handoff_id = $2 "
                        "ORDER BY version"},
    [S_VERSION_LIST_DOCS] = {"hf_version_list_docs",
                             "SELECT version, author, at, changed_paths, document "
                             "FROM handoff_versions WHERE workspace_id = $1 AND handoff_id = $2 "
                             "ORDER BY version"},
    [S_VERSION_GET] = {"hf_version_get",
                       "SELECT version, author, at, changed_paths, document FROM handoff_versions "
                       "WHERE workspace_id = $1 AND handoff_id = $2 AND version = $3"},
    [S_TRANSITION_LIST] =
        {"hf_transition_list",
         "SELECT id, from_status, to_status, actor, at, reason, override_reason FROM "
         "handoff_transitions WHERE workspace_id = $1 AND handoff_id = $2 "
         "ORDER BY id"},
    [S_USER_CREATE] = {"hf_user_create",
                       "INSERT INTO users (workspace_id, email, name, role, team_id, capacity, "
                       "password_hash, active, segments, lang, created_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id"},
    [S_USER_UPDATE] = {"hf_user_update",
                       "UPDATE users SET email = $3, name = $4, role = $5, team_id = $6, "
                       "capacity = $7, password_hash = $8, active = $9, segments = $10, lang = $11 "
                       "WHERE workspace_id = $1 AND id = $2"},
    [S_USER_GET] = {"hf_user_get",
                    "SELECT " USER_COLUMNS " FROM users WHERE workspace_id = $1 AND id = $2"},
    [S_USER_GET_EMAIL] = {"hf_user_get_email", "SELECT " USER_COLUMNS " FROM users "
                                               "WHERE workspace_id = $1 AND email = $2"},
    [S_USER_LIST] = {"hf_user_list",
                     "SELECT " USER_COLUMNS " FROM users WHERE workspace_id = $1 ORDER BY id"},
    [S_TEAM_CREATE] = {"hf_team_create", "INSERT INTO teams (workspace_id, name, kind, "
                                         "manager_id) VALUES ($1, $2, $3, $4) RETURNING id"},
    [S_TEAM_LIST] = {"hf_team_list", "SELECT id, workspace_id, name, kind, manager_id FROM teams "
                                     "WHERE workspace_id = $1 ORDER BY id"},
    [S_TOKEN_CREATE] = {"hf_token_create",
                        "INSERT INTO api_tokens (workspace_id, user_id, name, prefix, "
                        "secret_hash, scopes, created_at, expires_at) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"},
    [S_TOKEN_GET] = {"hf_token_get", "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE prefix = $1"},
    [S_TOKEN_LIST] = {"hf_token_list",
                      "SELECT " TOKEN_COLUMNS " FROM api_tokens "
                      "WHERE workspace_id = $1 AND ($2 = 0 OR user_id = $2) ORDER BY id"},
    [S_TOKEN_REVOKE] = {"hf_token_revoke",
                        "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3) "
                        "WHERE workspace_id = $1 AND id = $2"},
    [S_SESSION_CREATE] = {"hf_session_create",
                          "INSERT INTO sessions (id_hash, user_id, workspace_id, csrf, "
                          "created_at, expires_at, credential_tag) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7)"},
    [S_SESSION_SWEEP] = {"hf_session_sweep", "DELETE FROM sessions WHERE expires_at < $1"},
    [S_SESSION_GET] = {"hf_session_get",
                       "SELECT id_hash, user_id, workspace_id, csrf, created_at, expires_at, "
                       "credential_tag FROM sessions WHERE id_hash = $1"},
    [S_SESSION_DELETE] = {"hf_session_delete", "DELETE FROM sessions WHERE id_hash = $1"},
    [S_SESSION_DELETE_USER] = {"hf_session_delete_user",
                               "DELETE FROM sessions WHERE workspace_id = $1 AND user_id = $2"},
    /* login attempts: $1 the key, $2 now, $3 the window in seconds. Each statement is
     * atomic on its own; the insert is an upsert, so two servers counting the first attempt
     * of a key at once both count */
    [S_LOGIN_BUMP] = {"hf_login_bump",
                      "UPDATE login_attempts SET attempts = CASE WHEN window_start > "
                      "$2::bigint - $3::bigint THEN attempts + 1 ELSE 1 END, window_start = "
                      "CASE WHEN window_start > $2::bigint - $3::bigint THEN window_start "
                      "ELSE $2::bigint END WHERE key_hash = $1 RETURNING attempts"},
    [S_LOGIN_ROWS] = {"hf_login_rows", "SELECT count(*) FROM login_attempts"},
    [S_LOGIN_EVICT] = {"hf_login_evict",
                       "DELETE FROM login_attempts WHERE key_hash IN (SELECT key_hash FROM "
                       "login_attempts WHERE window_start <= $1 ORDER BY window_start LIMIT $2)"},
    [S_LOGIN_INSERT] = {"hf_login_insert",
                        "INSERT INTO login_attempts AS l (key_hash, window_start, attempts) "
                        "VALUES ($1, $2, 1) ON CONFLICT (key_hash) DO UPDATE SET attempts = "
                        "CASE WHEN l.window_start > $2::bigint - $3::bigint THEN l.attempts + 1 "
                        "ELSE 1 END, window_start = CASE WHEN l.window_start > "
                        "$2::bigint - $3::bigint THEN l.window_start ELSE $2::bigint END "
                        "RETURNING attempts"},
    [S_LOGIN_TAKE_BACK] = {"hf_login_take_back",
                           "UPDATE login_attempts SET attempts = attempts - 1 "
                           "WHERE key_hash = $1 AND attempts > 0"},
    [S_LOGIN_FORGET] = {"hf_login_forget", "DELETE FROM login_attempts WHERE key_hash = $1"},
};

typedef struct pg_store {
    hf_store base;
    PGconn *conn;
    bool prepared[S_COUNT]; /* per connection: cleared when the connection is re-opened */
    int explicit_tx;        /* depth of hf_store_begin ... commit; inner levels are savepoints */
    bool op_tx;             /* inside the transaction of one operation (or of migrate) */
    locale_t c_numeric;     /* "C" numbers, whatever LC_NUMERIC the program chose */
} pg_store;

/* Schema migrations, forward only. Entry i migrates to version i + 1. The same tables,
 * columns and indexes as SQLite's; see docs/internals/store.md. */
static const char *const migrations[] = {
    /* 1: workspaces, deals, handoffs with their indexed columns, versions, transitions */
    "CREATE TABLE workspaces (id BIGINT PRIMARY KEY, name TEXT NOT NULL, "
    "  created_at BIGINT NOT NULL);"
    "CREATE TABLE deals (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
    "  workspace_id BIGINT NOT NULL REFERENCES workspaces(id), "
    "  crm_source TEXT NOT NULL, crm_id TEXT NOT NULL, name TEXT, account TEXT, owner TEXT, "
    "  stage TEXT, currency TEXT, amount DOUBLE PRECISION, close_day BIGINT, "
    "  is_won BOOLEAN NOT NULL DEFAULT false, revision BIGINT NOT NULL DEFAULT 1, "
    "  created_at BIGINT NOT NULL, "
    "  updated_at BIGINT NOT NULL, UNIQUE (workspace_id, crm_id));"
    "CREATE TABLE handoffs (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
    "  workspace_id BIGINT NOT NULL REFERENCES workspaces(id), "
    "  deal_id BIGINT REFERENCES deals(id), status TEXT NOT NULL, "
    "  version INTEGER NOT NULL, segment TEXT, trigger_kind TEXT, "
    "  owner TEXT, owner_email TEXT, csm TEXT, csm_email TEXT, company TEXT, t0 BIGINT, "
    "  next_due BIGINT, quality_total INTEGER NOT NULL, band TEXT NOT NULL, "
    "  completeness_d INTEGER NOT NULL, ready BOOLEAN NOT NULL, "
    "  protocol_version TEXT NOT NULL, created_at BIGINT NOT NULL, "
    "  updated_at BIGINT NOT NULL);" HF__HANDOFF_INDEXES
    "CREATE TABLE handoff_versions (workspace_id BIGINT NOT NULL, "
    "  handoff_id BIGINT NOT NULL REFERENCES handoffs(id), version INTEGER NOT NULL, "
    "  author TEXT NOT NULL, at BIGINT NOT NULL, changed_paths TEXT NOT NULL, "
    "  document TEXT NOT NULL, PRIMARY KEY (handoff_id, version));"
    "CREATE TABLE handoff_transitions (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
    "  workspace_id BIGINT NOT NULL, handoff_id BIGINT NOT NULL REFERENCES handoffs(id), "
    "  from_status TEXT, to_status TEXT NOT NULL, actor TEXT NOT NULL, at BIGINT NOT NULL, "
    "  reason TEXT);"
    "CREATE INDEX handoff_transitions_handoff ON handoff_transitions (handoff_id, id);",
    /* 2: people, teams, API tokens and browser sessions */
    "CREATE TABLE teams (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
    "  workspace_id BIGINT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, "
    "  manager_id BIGINT);"
    "CREATE TABLE users (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
    "  workspace_id BIGINT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL, "
    "  role TEXT NOT NULL, team_id BIGINT, capacity INTEGER NOT NULL DEFAULT 0, "
    "  password_hash TEXT, active BOOLEAN NOT NULL DEFAULT true, created_at BIGINT NOT NULL, "
    "  UNIQUE (workspace_id, email));"
    "CREATE TABLE api_tokens (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
    "  workspace_id BIGINT NOT NULL, user_id BIGINT NOT NULL REFERENCES users(id), "
    "  name TEXT NOT NULL, prefix TEXT NOT NULL UNIQUE, secret_hash TEXT NOT NULL, "
    "  scopes TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT, "
    "  revoked_at BIGINT);"
    "CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL, "
    "  workspace_id BIGINT NOT NULL, csrf TEXT NOT NULL, created_at BIGINT NOT NULL, "
    "  expires_at BIGINT NOT NULL);"
    "CREATE INDEX sessions_expiry ON sessions (expires_at);",
    /* 3: the service layer (see the SQLite backend) */
    "ALTER TABLE users ADD COLUMN segments TEXT;"
    "ALTER TABLE users ADD COLUMN lang TEXT;"
    "ALTER TABLE handoff_transitions ADD COLUMN override_reason TEXT;"
    "UPDATE users SET email = lower(email);"
    "UPDATE handoffs SET owner_email = lower(owner_email), csm_email = "
    "lower(csm_email);" HF__SCHEMA_3_COMMON("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    /* 4: the login lockout's counters (login_attempt_add), and the credentials each
     * session was opened with (hf_session_rec.credential_tag) */
    "CREATE TABLE login_attempts (key_hash TEXT PRIMARY KEY, "
    "  window_start BIGINT NOT NULL, attempts INTEGER NOT NULL);"
    "CREATE INDEX login_attempts_window ON login_attempts (window_start);"
    "ALTER TABLE sessions ADD COLUMN credential_tag TEXT;",
    /* 5: the triggers: integrations, inbound webhook deliveries, idempotency records and
     * the trigger facts of each deal (HF__SCHEMA_5_COMMON) */
    HF__SCHEMA_5_COMMON("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    /* 6: fewer, better indexes on handoffs (HF__SCHEMA_6_COMMON, HF__OPEN_INDEX_PG); and
     * room left in each page of handoffs, so that an edit that changes no indexed column
     * is a HOT update (the new row version on the same page, no index touched) instead of
     * new entries in every index. It applies to pages written from now on. */
    HF__SCHEMA_6_COMMON HF__OPEN_INDEX_PG "ALTER TABLE handoffs SET (fillfactor = 90);",
};
#define MIGRATION_COUNT ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* The key of the advisory lock that serializes migrations across servers starting at
 * once: "handoff" in ASCII. Advisory locks are per database, so it only has to differ
 * from the keys of other programs sharing the database. */
#define MIGRATION_LOCK "29400045130065510"

/* ---- parameters and results ---- */

#define MAX_PARAMS 24

/* Text-format parameters of one statement: values[i] is NULL for SQL NULL, or points to a
 * caller's string or to text[i]. */
typedef struct params {
    int n;
    const char *values[MAX_PARAMS];
    char text[MAX_PARAMS][32];
} params;

static void param_text(params *p, const char *v)
{
    if (p->n < MAX_PARAMS)
        p->values[p->n++] = v;
}

static void param_int(params *p, int64_t v)
{
    if (p->n >= MAX_PARAMS)
        return;
    snprintf(p->text[p->n], sizeof(p->text[0]), "%" PRId64, v);
    param_text(p, p->text[p->n]);
}

static void param_bool(params *p, bool v)
{
    param_text(p, v ? "t" : "f");
}

static void param_time(params *p, hf_time t)
{
    if (t == HF_TIME_NONE)
        param_text(p, NULL);
    else
        param_int(p, t);
}

/* %.17g round-trips every double; the C locale keeps the decimal point a point. */
static void param_double(const struct pg_store *s, params *p, double v)
{
    if (p->n >= MAX_PARAMS)
        return;
    locale_t old = uselocale(s->c_numeric);
    snprintf(p->text[p->n], sizeof(p->text[0]), "%.17g", v);
    uselocale(old);
    param_text(p, p->text[p->n]);
}

static const char *cell(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static char *col_text(const PGresult *r, int row, int col)
{
    return hf__strdup_or_null(cell(r, row, col));
}

static int64_t col_int64(const PGresult *r, int row, int col)
{
    const char *v = cell(r, row, col);
    return v ? (int64_t)strtoll(v, NULL, 10) : 0;
}

static int col_int(const PGresult *r, int row, int col)
{
    return (int)col_int64(r, row, col);
}

static bool col_bool(const PGresult *r, int row, int col)
{
    const char *v = cell(r, row, col);
    return v && v[0] == 't';
}

static hf_time col_time(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? HF_TIME_NONE : col_int64(r, row, col);
}

static double col_double(const pg_store *s, const PGresult *r, int row, int col)
{
    const char *v = cell(r, row, col);
    if (!v)
        return 0;
    locale_t old = uselocale(s->c_numeric);
    double d = strtod(v, NULL);
    uselocale(old);
    return d;
}

/* Copy a text column into a fixed buffer; NULL becomes "". */
static void col_copy(const PGresult *r, int row, int col, char *buf, size_t cap)
{
    const char *v = cell(r, row, col);
    snprintf(buf, cap, "%s", v ? v : "");
}

static hf_time wall_now(void)
{
    return (hf_time)time(NULL);
}

/* ---- running statements ---- */

/* Record the connection's last error, without libpq's final newline. SQLSTATE class 53
 * (disk full, out of memory, too many connections) maps to HF_ENOMEM as SQLite's FULL and
 * NOMEM do. */
static int conn_error(const pg_store *s, int rc, hf_error *err, const char *what)
{
    const char *msg = PQerrorMessage(s->conn);
    size_t len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        len--;
    return hf_error_set(err, rc, NULL, "%s: %.*s", what, (int)len, msg);
}

static int db_error(const pg_store *s, const PGresult *r, hf_error *err, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    return conn_error(s, state && strncmp(state, "53", 2) == 0 ? HF_ENOMEM : HF_EDB, err, what);
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Settings every session needs, run after each (re)connection: UTF-8 on the wire (the
 * documents are UTF-8 JSON); floats printed exactly by servers older than 12 (later ones
 * always do); synchronous_commit on even where the server default is off. */
static int session_setup(pg_store *s, hf_error *err)
{
    PQsetNoticeProcessor(s->conn, ignore_notice, NULL);
    if (PQsetClientEncoding(s->conn, "UTF8") != 0)
        return db_error(s, NULL, err, "client encoding");
    PGresult *r = PQexec(s->conn, "SET extra_float_digits = 3; "
                                  "SELECT set_config('synchronous_commit', 'on', false) "
                                  "WHERE current_setting('synchronous_commit') = 'off'");
    int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : db_error(s, r, err, "session settings");
    PQclear(r);
    return rc;
}

/* A connection that broke (server restart, failover, idle timeout) is re-opened before the
 * next statement, but never inside a transaction: its earlier statements are gone with the
 * old session, so that transaction must fail as a whole. */
static void reconnect_if_broken(pg_store *s)
{
    if (PQstatus(s->conn) != CONNECTION_BAD || s->explicit_tx || s->op_tx)
        return;
    PQreset(s->conn);
    memset(s->prepared, 0, sizeof(s->prepared));
    if (PQstatus(s->conn) == CONNECTION_OK)
        session_setup(s, NULL);
}

/* Keep a successful result in *out (the caller PQclears it) or clear it; on failure record
 * the error and clear the result. With `unique_is_conflict`, a duplicate key is
 * HF_ECONFLICT "WHAT: already exists", as SQLite's run_simple() reports it. */
static int take_result_ex(pg_store *s, PGresult *r, const char *what, PGresult **out, hf_error *err,
                          bool unique_is_conflict)
{
    ExecStatusType st = PQresultStatus(r);
    if (out)
        *out = NULL;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        int rc = unique_is_conflict && state && strcmp(state, "23505") == 0
                     ? hf_error_set(err, HF_ECONFLICT, NULL, "%s: already exists", what)
                     : db_error(s, r, err, what);
        PQclear(r);
        return rc;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return 0;
}

static int take_result(pg_store *s, PGresult *r, const char *what, PGresult **out, hf_error *err)
{
    return take_result_ex(s, r, what, out, err, false);
}

/* Run statement `id` with `p`, preparing it first if this connection has not yet. */
static int run_ex(pg_store *s, enum stmt_id id, const params *p, const char *what, PGresult **out,
                  hf_error *err, bool unique_is_conflict)
{
    reconnect_if_broken(s);
    if (!s->prepared[id]) {
        PGresult *r = PQprepare(s->conn, stmts[id].name, stmts[id].sql, 0, NULL);
        int rc = take_result(s, r, what, NULL, err);
        if (rc) {
            if (out)
                *out = NULL;
            return rc;
        }
        s->prepared[id] = true;
    }
    PGresult *r = PQexecPrepared(s->conn, stmts[id].name, p->n, p->values, NULL, NULL, 0);
    return take_result_ex(s, r, what, out, err, unique_is_conflict);
}

static int run(pg_store *s, enum stmt_id id, const params *p, const char *what, PGresult **out,
               hf_error *err)
{
    return run_ex(s, id, p, what, out, err, false);
}

/* Run SQL text with parameters (the list and count queries, migrations' bookkeeping). */
static int run_sql_ex(pg_store *s, const char *sql, const params *p, const char *what,
                      PGresult **out, hf_error *err, bool unique_is_conflict)
{
    reconnect_if_broken(s);
    PGresult *r =
        PQexecParams(s->conn, sql, p ? p->n : 0, NULL, p ? p->values : NULL, NULL, NULL, 0);
    return take_result_ex(s, r, what, out, err, unique_is_conflict);
}

static int run_sql(pg_store *s, const char *sql, const params *p, const char *what, PGresult **out,
                   hf_error *err)
{
    return run_sql_ex(s, sql, p, what, out, err, false);
}

/* Run SQL text without parameters; it may hold several statements (migrations). */
static int exec(pg_store *s, const char *sql, const char *what, hf_error *err)
{
    reconnect_if_broken(s);
    return take_result(s, PQexec(s->conn, sql), what, NULL, err);
}

static void quiet_rollback(pg_store *s)
{
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        PQclear(PQexec(s->conn, "ROLLBACK"));
}

/* COMMIT, refusing to call a transaction that PostgreSQL rolled back a success. */
static int commit_tx(pg_store *s, hf_error *err)
{
    if (PQtransactionStatus(s->conn) == PQTRANS_IDLE)
        return hf_error_set(err, HF_EDB, NULL, "commit: no transaction is open");
    PGresult *r = PQexec(s->conn, "COMMIT");
    if (PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        PQclear(r);
        return hf_error_set(err, HF_EDB, NULL,
                            "commit: the transaction was rolled back after an earlier error");
    }
    return take_result(s, r, "commit", NULL, err);
}

/* Per-operation transactions, skipped inside an explicit one. */
static int op_begin(pg_store *s, hf_error *err)
{
    if (s->explicit_tx)
        return 0;
    int rc = exec(s, "BEGIN", "begin", err);
    s->op_tx = rc == 0;
    return rc;
}

static int op_end(pg_store *s, int rc, hf_error *err)
{
    if (s->explicit_tx)
        return rc;
    s->op_tx = false;
    if (rc) {
        quiet_rollback(s);
        return rc;
    }
    return commit_tx(s, err);
}

/* ---- lifecycle of the handle ---- */

static void pg_close(hf_store *base)
{
    pg_store *s = (pg_store *)base;
    PQfinish(s->conn);
    if (s->c_numeric)
        freelocale(s->c_numeric);
    free(s);
}

static int read_schema_version(pg_store *s, int *current, bool *exists, hf_error *err)
{
    PGresult *r = NULL;
    *current = 0;
    int rc = run_sql(s, "SELECT to_regclass('schema_migrations') IS NOT NULL", NULL,
                     "schema version", &r, err);
    if (rc)
        return rc;
    *exists = col_bool(r, 0, 0);
    PQclear(r);
    if (!*exists)
        return 0;
    rc = run_sql(s, "SELECT coalesce(max(version), 0) FROM schema_migrations", NULL,
                 "schema version", &r, err);
    if (rc)
        return rc;
    *current = col_int(r, 0, 0);
    PQclear(r);
    return 0;
}

static int pg_schema_version(hf_store *base, int *current, hf_error *err)
{
    bool exists;
    return read_schema_version((pg_store *)base, current, &exists, err);
}

/* Every server runs this at start. The advisory lock, held to the end of the transaction,
 * makes servers starting together take turns: the first applies the migrations, the
 * others then find nothing to do. DDL is transactional in PostgreSQL, so a migration
 * that fails leaves no trace. schema_migrations is created only when missing, so a role
 * without CREATE on the schema can still open a database its owner migrated. */
static int pg_migrate(hf_store *base, int *applied, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    int current = 0, rc;
    bool exists = false;
    *applied = 0;
    if (s->explicit_tx)
        return hf_error_set(err, HF_EUSAGE, NULL, "a transaction is already open");
    rc = op_begin(s, err);
    if (rc)
        return rc;
    rc = exec(s, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")", "migration lock", err);
    if (rc)
        goto out;
    rc = read_schema_version(s, &current, &exists, err);
    if (rc)
        goto out;
    if (!exists) {
        rc = exec(s,
                  "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                  "applied_at BIGINT NOT NULL)",
                  "schema_migrations", err);
        if (rc)
            goto out;
    }
    if (current > MIGRATION_COUNT) {
        rc = hf_error_set(err, HF_EDB, NULL,
                          "the database schema is version %d, newer than this program "
                          "(%d): upgrade handoff",
                          current, MIGRATION_COUNT);
        goto out;
    }
    for (int v = current; v < hf__store_migration_target(MIGRATION_COUNT); v++) {
        char what[32];
        snprintf(what, sizeof(what), "migration %d", v + 1);
        rc = exec(s, migrations[v], what, err);
        if (rc)
            goto out;
        params p = {0};
        param_int(&p, v + 1);
        param_int(&p, wall_now());
        rc = run_sql(s, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", &p,
                     what, NULL, err);
        if (rc)
            goto out;
        (*applied)++;
    }
    params p = {0};
    param_int(&p, wall_now());
    rc = run_sql(s,
                 "INSERT INTO workspaces (id, name, created_at) VALUES (1, 'default', $1) "
                 "ON CONFLICT (id) DO NOTHING",
                 &p, "default workspace", NULL, err);
out:
    if (rc)
        *applied = 0;
    return op_end(s, rc, err);
}

/* Explicit transactions nest as on SQLite: the outermost is BEGIN ... COMMIT, the inner
 * ones savepoints, whose rollback also clears PostgreSQL's "aborted transaction" state so
 * the outer work can go on. */
static int pg_begin(hf_store *base, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    char sql[32];
    if (s->explicit_tx == 0)
        snprintf(sql, sizeof(sql), "BEGIN");
    else
        snprintf(sql, sizeof(sql), "SAVEPOINT sp%d", s->explicit_tx);
    int rc = exec(s, sql, "begin", err);
    if (!rc)
        s->explicit_tx++;
    return rc;
}

static int pg_commit(hf_store *base, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    char sql[32];
    if (s->explicit_tx <= 0)
        return hf_error_set(err, HF_EUSAGE, NULL, "no transaction is open");
    s->explicit_tx--;
    if (s->explicit_tx == 0)
        return commit_tx(s, err);
    snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT sp%d", s->explicit_tx);
    return exec(s, sql, "commit", err);
}

static int pg_rollback(hf_store *base)
{
    pg_store *s = (pg_store *)base;
    char sql[96];
    if (s->explicit_tx <= 0)
        return 0;
    s->explicit_tx--;
    if (s->explicit_tx == 0) {
        quiet_rollback(s);
    } else {
        snprintf(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT sp%d; RELEASE SAVEPOINT sp%d",
                 s->explicit_tx, s->explicit_tx);
        PQclear(PQexec(s->conn, sql));
    }
    return 0;
}

static int pg_workspace_ensure(hf_store *base, int64_t id, const char *name, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, id);
    param_text(&p, name);
    param_int(&p, wall_now());
    return run(s, S_WORKSPACE_ENSURE, &p, "workspace", NULL, err);
}

/* ---- deals ---- */

static int pg_deal_upsert(hf_store *base, hf_deal_rec *d, bool *created, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    hf_time now = d->updated_at ? d->updated_at : wall_now();
    params p = {0};
    param_int(&p, d->workspace_id);
    param_text(&p, d->crm_source ? d->crm_source : "manual");
    param_text(&p, d->crm_id);
    param_text(&p, d->name);
    param_text(&p, d->account);
    param_text(&p, d->owner);
    param_text(&p, d->stage);
    param_text(&p, d->currency);
    if (d->has_amount)
        param_double(s, &p, d->amount);
    else
        param_text(&p, NULL);
    if (d->has_close_date)
        param_int(&p, d->close_day);
    else
        param_text(&p, NULL);
    param_bool(&p, d->is_won);
    param_int(&p, now);
    PGresult *r;
    int rc = run(s, S_DEAL_UPSERT, &p, "deal upsert", &r, err);
    if (rc)
        return rc;
    d->id = col_int64(r, 0, 0);
    if (created)
        *created = col_bool(r, 0, 1);
    PQclear(r);
    return 0;
}

static void read_deal(const pg_store *s, const PGresult *r, int row, hf_deal_rec *d)
{
    memset(d, 0, sizeof(*d));
    d->id = col_int64(r, row, 0);
    d->workspace_id = col_int64(r, row, 1);
    d->crm_source = col_text(r, row, 2);
    d->crm_id = col_text(r, row, 3);
    d->name = col_text(r, row, 4);
    d->account = col_text(r, row, 5);
    d->owner = col_text(r, row, 6);
    d->stage = col_text(r, row, 7);
    d->currency = col_text(r, row, 8);
    d->has_amount = !PQgetisnull(r, row, 9);
    d->amount = col_double(s, r, row, 9);
    d->has_close_date = !PQgetisnull(r, row, 10);
    d->close_day = col_int64(r, row, 10);
    d->is_won = col_bool(r, row, 11);
    d->created_at = col_int64(r, row, 12);
    d->updated_at = col_int64(r, row, 13);
}

static int pg_deal_list(hf_store *base, int64_t ws, int64_t after_id, int limit, hf_deal_cb cb,
                        void *ctx, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    param_int(&p, after_id);
    param_int(&p, limit);
    PGresult *r;
    int rc = run(s, S_DEAL_LIST, &p, "deals", &r, err);
    if (rc)
        return rc;
    for (int i = 0; i < PQntuples(r) && !rc; i++) {
        hf_deal_rec d;
        read_deal(s, r, i, &d);
        rc = cb(ctx, &d);
        hf_deal_rec_free(&d);
    }
    PQclear(r);
    return rc;
}

static int pg_deal_get(hf_store *base, int64_t ws, int64_t id, const char *crm_id, hf_deal_rec *out,
                       hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    if (crm_id)
        param_text(&p, crm_id);
    else
        param_int(&p, id);
    PGresult *r;
    int rc = run(s, crm_id ? S_DEAL_GET_CRM : S_DEAL_GET, &p, "deal", &r, err);
    if (rc)
        return rc;
    if (PQntuples(r) > 0)
        read_deal(s, r, 0, out);
    else if (crm_id)
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no deal with CRM id %s", crm_id);
    else
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no deal %lld", (long long)id);
    PQclear(r);
    return rc;
}

/* ---- handoffs ---- */

/* Add the index columns, $4 to $17 of S_HANDOFF_INSERT and S_HANDOFF_UPDATE. The document
 * itself goes to handoff_versions only. */
static void param_index(params *p, const hf_handoff_rec *h)
{
    const hf_handoff_index *ix = &h->index;
    param_text(p, ix->segment[0] ? ix->segment : NULL);
    param_text(p, ix->trigger[0] ? ix->trigger : NULL);
    param_text(p, ix->owner);
    param_text(p, ix->owner_email);
    param_text(p, ix->csm);
    param_text(p, ix->csm_email);
    param_text(p, ix->company);
    param_time(p, ix->t0);
    param_time(p, ix->next_due);
    param_int(p, ix->quality_total);
    param_text(p, hf__band_name(ix->band));
    param_int(p, ix->completeness_d);
    param_bool(p, ix->ready);
    param_text(p, ix->protocol_version);
}

/* Read the HANDOFF_COLUMNS of `row`, and the document after them when the query has it. */
static void read_handoff(const PGresult *r, int row, hf_handoff_rec *h, bool with_document)
{
    memset(h, 0, sizeof(*h));
    h->id = col_int64(r, row, 0);
    h->workspace_id = col_int64(r, row, 1);
    h->deal_id = col_int64(r, row, 2);
    hf_status status = HF_STATUS_DRAFT;
    hf_status_parse(cell(r, row, 3), &status);
    h->status = status;
    h->version = col_int(r, row, 4);
    hf_handoff_index *ix = &h->index;
    col_copy(r, row, 5, ix->segment, sizeof(ix->segment));
    col_copy(r, row, 6, ix->trigger, sizeof(ix->trigger));
    ix->owner = col_text(r, row, 7);
    ix->owner_email = col_text(r, row, 8);
    ix->csm = col_text(r, row, 9);
    ix->csm_email = col_text(r, row, 10);
    ix->company = col_text(r, row, 11);
    ix->t0 = col_time(r, row, 12);
    ix->next_due = col_time(r, row, 13);
    ix->quality_total = col_int(r, row, 14);
    ix->band = hf__band_parse(cell(r, row, 15));
    ix->completeness_d = col_int(r, row, 16);
    ix->ready = col_bool(r, row, 17);
    col_copy(r, row, 18, ix->protocol_version, sizeof(ix->protocol_version));
    h->created_at = col_int64(r, row, 19);
    h->updated_at = col_int64(r, row, 20);
    if (with_document)
        h->document = col_text(r, row, 21);
}

static int insert_version(pg_store *s, const hf_handoff_rec *h, int version, const char *author,
                          hf_time at, const char *changed_paths, hf_error *err)
{
    params p = {0};
    param_int(&p, h->workspace_id);
    param_int(&p, h->id);
    param_int(&p, version);
    param_text(&p, author ? author : "system");
    param_int(&p, at);
    param_text(&p, changed_paths ? changed_paths : "[]");
    param_text(&p, h->document);
    return run(s, S_VERSION_INSERT, &p, "version insert", NULL, err);
}

static int insert_transition(pg_store *s, int64_t ws, int64_t id, const char *from, const char *to,
                             const char *actor, hf_time at, const char *reason,
                             const char *override_reason, hf_error *err)
{
    params p = {0};
    param_int(&p, ws);
    param_int(&p, id);
    param_text(&p, from);
    param_text(&p, to);
    param_text(&p, actor ? actor : "system");
    param_int(&p, at);
    param_text(&p, reason);
    param_text(&p, override_reason);
    return run(s, S_TRANSITION_INSERT, &p, "transition insert", NULL, err);
}

static int pg_handoff_create(hf_store *base, hf_handoff_rec *h, const char *author,
                             const char *changed_paths, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    hf_time at = h->created_at ? h->created_at : wall_now();
    params p = {0};
    param_int(&p, h->workspace_id);
    if (h->deal_id)
        param_int(&p, h->deal_id);
    else
        param_text(&p, NULL);
    param_text(&p, hf_status_name(h->status));
    param_index(&p, h);
    param_int(&p, at);
    param_text(&p, author ? author : "system");
    param_text(&p, changed_paths ? changed_paths : "[]");
    param_text(&p, h->document);
    /* one statement: atomic without a transaction of its own */
    PGresult *r;
    int rc = run(s, S_HANDOFF_INSERT, &p, "handoff insert", &r, err);
    if (rc)
        return rc;
    h->id = col_int64(r, 0, 0);
    PQclear(r);
    h->version = 1;
    h->created_at = h->updated_at = at;
    return 0;
}

static int get_one_handoff(pg_store *s, enum stmt_id id, int64_t ws, int64_t key,
                           hf_handoff_rec *out, hf_error *err)
{
    params p = {0};
    param_int(&p, ws);
    param_int(&p, key);
    PGresult *r;
    int rc = run(s, id, &p, "handoff", &r, err);
    if (rc)
        return rc;
    if (PQntuples(r) > 0)
        read_handoff(r, 0, out, true);
    else if (id == S_HANDOFF_GET)
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no handoff %lld", (long long)key);
    else
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no handoff for deal %lld", (long long)key);
    PQclear(r);
    return rc;
}

static int pg_handoff_get(hf_store *base, int64_t ws, int64_t id, hf_handoff_rec *out,
                          hf_error *err)
{
    return get_one_handoff((pg_store *)base, S_HANDOFF_GET, ws, id, out, err);
}

static int pg_handoff_get_by_deal(hf_store *base, int64_t ws, int64_t deal_id, hf_handoff_rec *out,
                                  hf_error *err)
{
    return get_one_handoff((pg_store *)base, S_HANDOFF_GET_DEAL, ws, deal_id, out, err);
}

/* The current value of column 0 of `id` (S_HANDOFF_VERSION or S_HANDOFF_CUR_STATUS) for a
 * handoff, copied into buf; "" when there is no such handoff. */
static int current_value(pg_store *s, enum stmt_id id, int64_t ws, int64_t handoff, char *buf,
                         size_t cap, hf_error *err)
{
    params p = {0};
    param_int(&p, ws);
    param_int(&p, handoff);
    PGresult *r;
    buf[0] = '\0';
    int rc = run(s, id, &p, "handoff", &r, err);
    if (rc)
        return rc;
    if (PQntuples(r) > 0)
        col_copy(r, 0, 0, buf, cap);
    PQclear(r);
    return 0;
}

static int pg_handoff_update(hf_store *base, hf_handoff_rec *h, int base_version,
                             const char *author, const char *changed_paths, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    hf_time at = h->updated_at ? h->updated_at : wall_now();
    int rc = op_begin(s, err);
    if (rc)
        return rc;
    params p = {0};
    param_int(&p, h->workspace_id);
    param_int(&p, h->id);
    param_int(&p, base_version);
    param_index(&p, h);
    param_int(&p, at);
    param_text(&p, hf_status_name(h->status)); /* the status the edit was made under */
    PGresult *r;
    rc = run(s, S_HANDOFF_UPDATE, &p, "handoff update", &r, err);
    if (rc)
        goto out;
    int updated = PQntuples(r);
    if (updated > 0)
        h->version = col_int(r, 0, 0);
    PQclear(r);
    if (!updated) {
        char cur[24];
        rc = current_value(s, S_HANDOFF_VERSION, h->workspace_id, h->id, cur, sizeof(cur), err);
        if (rc)
            goto out;
        rc = !cur[0] ? hf_error_set(err, HF_ENOTFOUND, NULL, "no handoff %lld", (long long)h->id)
                     : hf_error_set(err, HF_ECONFLICT, NULL,
                                    "handoff %lld changed: your edit is based on version %d, "
                                    "the current version is %s",
                                    (long long)h->id, base_version, cur);
        goto out;
    }
    h->updated_at = at;
    rc = insert_version(s, h, h->version, author, at, changed_paths, err);
out:
    return op_end(s, rc, err);
}

static int pg_handoff_transition(hf_store *base, int64_t ws, int64_t id, hf_status from,
                                 hf_status to, const char *actor, const char *reason,
                                 const char *override_reason, hf_time at, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    int rc = op_begin(s, err);
    if (rc)
        return rc;
    params p = {0};
    param_int(&p, ws);
    param_int(&p, id);
    param_text(&p, hf_status_name(from));
    param_text(&p, hf_status_name(to));
    param_int(&p, at);
    PGresult *r;
    rc = run(s, S_HANDOFF_STATUS, &p, "status update", &r, err);
    if (rc)
        goto out;
    int changed = PQntuples(r);
    PQclear(r);
    if (changed != 1) {
        char cur[32];
        rc = current_value(s, S_HANDOFF_CUR_STATUS, ws, id, cur, sizeof(cur), err);
        if (rc)
            goto out;
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

/* `like`: the search's pattern (hf__store_like_pattern), NULL without a search; it must
 * outlive the query. */
static void filter_params(params *p, int64_t ws, const hf_handoff_filter *f, const char *like)
{
    param_int(p, ws);
    if (!f)
        return;
    for (int i = 0; i < HF_STATUS_COUNT; i++)
        if (f->status_mask & HF_STATUS_BIT(i))
            param_text(p, hf_status_name((hf_status)i));
    if (f->segment)
        param_text(p, f->segment);
    if (f->owner)
        param_text(p, f->owner);
    if (f->csm)
        param_text(p, f->csm);
    for (int b = 0; b < 4; b++)
        if (f->band_mask & (1u << b))
            param_text(p, hf__band_name(b));
    if (f->trigger)
        param_text(p, f->trigger);
    if (f->overdue_only)
        param_int(p, f->now);
    if (like) {
        param_text(p, like);
        param_text(p, like);
    }
    if (f->created_after)
        param_int(p, f->created_after);
    if (f->after_id > 0)
        param_int(p, f->after_id);
    if (f->limit > 0)
        param_int(p, f->limit);
}

/* The whole page of rows arrives before the first callback, so a callback may use the
 * store; callers bound the page with `limit` and walk on with `after_id`. */
static int pg_handoff_list(hf_store *base, int64_t ws, const hf_handoff_filter *f, hf_handoff_cb cb,
                           void *ctx, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    char sql[2048];
    bool docs = f && f->with_documents;
    bool ids = f && f->ids_only && !docs;
    hf__store_filter_sql(f, true, '$', sql, sizeof(sql),
                         docs  ? HANDOFF_WITH_DOCUMENT
                         : ids ? "SELECT h.id FROM handoffs h"
                               : "SELECT " HANDOFF_COLUMNS " FROM handoffs h");
    char *like = f && f->search && *f->search ? hf__store_like_pattern(f->search) : NULL;
    if (f && f->search && *f->search && !like)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    params p = {0};
    filter_params(&p, ws, f, like);
    PGresult *r;
    int rc = run_sql(s, sql, &p, "list", &r, err);
    free(like);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(r); i < n && !rc; i++) {
        hf_handoff_rec h;
        if (ids) {
            memset(&h, 0, sizeof(h));
            h.id = col_int64(r, i, 0);
            h.workspace_id = ws;
        } else {
            read_handoff(r, i, &h, docs);
        }
        rc = cb(ctx, &h);
        hf_handoff_rec_free(&h);
    }
    PQclear(r);
    return rc;
}

static int pg_handoff_count(hf_store *base, int64_t ws, const hf_handoff_filter *f, int64_t *count,
                            hf_error *err)
{
    pg_store *s = (pg_store *)base;
    char sql[2048];
    hf_handoff_filter g;
    if (f)
        g = *f;
    else
        memset(&g, 0, sizeof(g));
    g.limit = 0;
    hf__store_filter_sql(&g, false, '$', sql, sizeof(sql), "SELECT count(*) FROM handoffs h");
    char *like = g.search && *g.search ? hf__store_like_pattern(g.search) : NULL;
    if (g.search && *g.search && !like)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    params p = {0};
    filter_params(&p, ws, &g, like);
    PGresult *r;
    int rc = run_sql(s, sql, &p, "count", &r, err);
    free(like);
    if (rc)
        return rc;
    *count = col_int64(r, 0, 0);
    PQclear(r);
    return 0;
}

static void read_version(const PGresult *r, int row, hf_version_rec *v)
{
    memset(v, 0, sizeof(*v));
    v->version = col_int(r, row, 0);
    v->author = col_text(r, row, 1);
    v->at = col_int64(r, row, 2);
    v->changed_paths = col_text(r, row, 3);
    v->document = col_text(r, row, 4);
}

static int pg_version_list(hf_store *base, int64_t ws, int64_t id, bool with_documents,
                           hf_version_cb cb, void *ctx, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    param_int(&p, id);
    PGresult *r;
    int rc = run(s, with_documents ? S_VERSION_LIST_DOCS : S_VERSION_LIST, &p, "versions", &r, err);
    if (rc)
        return rc;
    int n = PQntuples(r);
    for (int i = 0; i < n && !rc; i++) {
        hf_version_rec v;
        read_version(r, i, &v);
        rc = cb(ctx, &v);
        hf_version_rec_free(&v);
    }
    PQclear(r);
    if (!rc && n == 0)
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no handoff %lld", (long long)id);
    return rc;
}

static int pg_version_get(hf_store *base, int64_t ws, int64_t id, int version, hf_version_rec *out,
                          hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    param_int(&p, id);
    param_int(&p, version);
    PGresult *r;
    int rc = run(s, S_VERSION_GET, &p, "version", &r, err);
    if (rc)
        return rc;
    if (PQntuples(r) > 0)
        read_version(r, 0, out);
    else
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "handoff %lld has no version %d", (long long)id,
                          version);
    PQclear(r);
    return rc;
}

static int pg_transition_list(hf_store *base, int64_t ws, int64_t id, hf_transition_cb cb,
                              void *ctx, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    param_int(&p, id);
    PGresult *r;
    int rc = run(s, S_TRANSITION_LIST, &p, "transitions", &r, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(r); i < n && !rc; i++) {
        hf_transition_rec t;
        memset(&t, 0, sizeof(t));
        t.id = col_int64(r, i, 0);
        t.from = HF_STATUS_COUNT;
        if (!PQgetisnull(r, i, 1))
            hf_status_parse(cell(r, i, 1), &t.from);
        hf_status_parse(cell(r, i, 2), &t.to);
        t.actor = col_text(r, i, 3);
        t.at = col_int64(r, i, 4);
        t.reason = col_text(r, i, 5);
        t.override_reason = col_text(r, i, 6);
        rc = cb(ctx, &t);
        hf_transition_rec_free(&t);
    }
    PQclear(r);
    return rc;
}

static int pg_backup(hf_store *base, const char *path, hf_error *err)
{
    (void)base;
    (void)path;
    return hf_error_set(err, HF_EUSAGE, NULL, "use pg_dump for PostgreSQL");
}

/* PostgreSQL checks its own pages (and checksums, when the cluster has them) as it reads;
 * the check here is that the server answers. */
static int pg_check(hf_store *base, char *result, size_t cap, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    int rc = run_sql(s, "SELECT 1", NULL, "check", NULL, err);
    if (rc)
        return rc;
    snprintf(result, cap, "ok");
    return 0;
}

/* ---- people, teams, tokens, sessions ---- */

/* An id column that is 0 in the record is NULL in the table ("none"). */
static void param_id_or_null(params *p, int64_t id)
{
    if (id)
        param_int(p, id);
    else
        param_text(p, NULL);
}

static void read_user(const PGresult *r, int row, hf_user_rec *u)
{
    memset(u, 0, sizeof(*u));
    u->id = col_int64(r, row, 0);
    u->workspace_id = col_int64(r, row, 1);
    u->email = col_text(r, row, 2);
    u->name = col_text(r, row, 3);
    hf_role role = HF_ROLE_VIEWER;
    hf_role_parse(cell(r, row, 4), &role);
    u->role = role;
    u->team_id = col_int64(r, row, 5);
    u->capacity = col_int(r, row, 6);
    u->password_hash = col_text(r, row, 7);
    u->active = col_bool(r, row, 8);
    u->created_at = col_int64(r, row, 9);
    u->segments = col_text(r, row, 10);
    u->lang = col_text(r, row, 11);
}

/* The columns of users, $3 to $11 of S_USER_UPDATE ($2 to $10 of S_USER_CREATE). */
static void param_user(params *p, const hf_user_rec *u)
{
    param_text(p, u->email);
    param_text(p, u->name);
    param_text(p, hf_role_name(u->role));
    param_id_or_null(p, u->team_id);
    param_int(p, u->capacity);
    param_text(p, u->password_hash);
    param_bool(p, u->active);
    param_text(p, u->segments);
    param_text(p, u->lang);
}

static int pg_user_create(hf_store *base, hf_user_rec *u, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, u->workspace_id);
    param_user(&p, u);
    param_int(&p, u->created_at ? u->created_at : wall_now());
    PGresult *r;
    int rc = run_ex(s, S_USER_CREATE, &p, "user", &r, err, true);
    if (rc)
        return rc;
    u->id = col_int64(r, 0, 0);
    PQclear(r);
    return 0;
}

static int pg_user_update(hf_store *base, const hf_user_rec *u, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, u->workspace_id);
    param_int(&p, u->id);
    param_user(&p, u);
    PGresult *r;
    int rc = run_ex(s, S_USER_UPDATE, &p, "user", &r, err, true);
    if (rc)
        return rc;
    if (strcmp(PQcmdTuples(r), "1") != 0)
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no user %lld", (long long)u->id);
    PQclear(r);
    return rc;
}

static int pg_user_get(hf_store *base, int64_t ws, int64_t id, const char *email, hf_user_rec *out,
                       hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    if (email)
        param_text(&p, email);
    else
        param_int(&p, id);
    PGresult *r;
    int rc = run(s, email ? S_USER_GET_EMAIL : S_USER_GET, &p, "user", &r, err);
    if (rc)
        return rc;
    if (PQntuples(r) > 0)
        read_user(r, 0, out);
    else
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no such user");
    PQclear(r);
    return rc;
}

static int pg_user_list(hf_store *base, int64_t ws, hf_user_cb cb, void *ctx, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    PGresult *r;
    int rc = run(s, S_USER_LIST, &p, "users", &r, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(r); i < n && !rc; i++) {
        hf_user_rec u;
        read_user(r, i, &u);
        rc = cb(ctx, &u);
        hf_user_rec_free(&u);
    }
    PQclear(r);
    return rc;
}

static int pg_team_create(hf_store *base, hf_team_rec *t, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, t->workspace_id);
    param_text(&p, t->name);
    param_text(&p, t->kind);
    param_id_or_null(&p, t->manager_id);
    PGresult *r;
    int rc = run_ex(s, S_TEAM_CREATE, &p, "team", &r, err, true);
    if (rc)
        return rc;
    t->id = col_int64(r, 0, 0);
    PQclear(r);
    return 0;
}

static int pg_team_list(hf_store *base, int64_t ws, hf_team_cb cb, void *ctx, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    PGresult *r;
    int rc = run(s, S_TEAM_LIST, &p, "teams", &r, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(r); i < n && !rc; i++) {
        hf_team_rec t = {col_int64(r, i, 0), col_int64(r, i, 1), col_text(r, i, 2),
                         col_text(r, i, 3), col_int64(r, i, 4)};
        rc = cb(ctx, &t);
        hf_team_rec_free(&t);
    }
    PQclear(r);
    return rc;
}

static void read_token(const PGresult *r, int row, hf_token_rec *t)
{
    memset(t, 0, sizeof(*t));
    t->id = col_int64(r, row, 0);
    t->workspace_id = col_int64(r, row, 1);
    t->user_id = col_int64(r, row, 2);
    t->name = col_text(r, row, 3);
    t->prefix = col_text(r, row, 4);
    t->secret_hash = col_text(r, row, 5);
    t->scopes = col_text(r, row, 6);
    t->created_at = col_int64(r, row, 7);
    t->expires_at = col_time(r, row, 8);
    t->revoked_at = col_time(r, row, 9);
}

static int pg_token_create(hf_store *base, hf_token_rec *t, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, t->workspace_id);
    param_int(&p, t->user_id);
    param_text(&p, t->name);
    param_text(&p, t->prefix);
    param_text(&p, t->secret_hash);
    param_text(&p, t->scopes);
    param_int(&p, t->created_at ? t->created_at : wall_now());
    param_time(&p, t->expires_at);
    PGresult *r;
    int rc = run_ex(s, S_TOKEN_CREATE, &p, "token", &r, err, true);
    if (rc)
        return rc;
    t->id = col_int64(r, 0, 0);
    PQclear(r);
    return 0;
}

static int pg_token_get(hf_store *base, const char *prefix, hf_token_rec *out, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_text(&p, prefix);
    PGresult *r;
    int rc = run(s, S_TOKEN_GET, &p, "token", &r, err);
    if (rc)
        return rc;
    if (PQntuples(r) > 0)
        read_token(r, 0, out);
    else
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no such token");
    PQclear(r);
    return rc;
}

static int pg_token_list(hf_store *base, int64_t ws, int64_t user_id, hf_token_cb cb, void *ctx,
                         hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    param_int(&p, user_id);
    PGresult *r;
    int rc = run(s, S_TOKEN_LIST, &p, "tokens", &r, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(r); i < n && !rc; i++) {
        hf_token_rec t;
        read_token(r, i, &t);
        rc = cb(ctx, &t);
        hf_token_rec_free(&t);
    }
    PQclear(r);
    return rc;
}

static int pg_token_revoke(hf_store *base, int64_t ws, int64_t id, hf_time at, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    param_int(&p, id);
    param_int(&p, at);
    PGresult *r;
    int rc = run(s, S_TOKEN_REVOKE, &p, "token", &r, err);
    if (rc)
        return rc;
    if (strcmp(PQcmdTuples(r), "1") != 0)
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no token %lld", (long long)id);
    PQclear(r);
    return rc;
}

static int pg_session_create(hf_store *base, const hf_session_rec *rec, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_text(&p, rec->id_hash);
    param_int(&p, rec->user_id);
    param_int(&p, rec->workspace_id);
    param_text(&p, rec->csrf);
    param_int(&p, rec->created_at);
    param_int(&p, rec->expires_at);
    param_text(&p, rec->credential_tag);
    int rc = run_ex(s, S_SESSION_CREATE, &p, "session", NULL, err, true);
    if (rc)
        return rc;
    /* expired sessions are swept as new ones are made; a failed sweep waits for the next */
    params q = {0};
    param_int(&q, rec->created_at);
    run(s, S_SESSION_SWEEP, &q, "session sweep", NULL, NULL);
    return 0;
}

static int pg_session_get(hf_store *base, const char *id_hash, hf_session_rec *out, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_text(&p, id_hash);
    PGresult *r;
    int rc = run(s, S_SESSION_GET, &p, "session", &r, err);
    if (rc)
        return rc;
    if (PQntuples(r) > 0) {
        memset(out, 0, sizeof(*out));
        out->id_hash = col_text(r, 0, 0);
        out->user_id = col_int64(r, 0, 1);
        out->workspace_id = col_int64(r, 0, 2);
        out->csrf = col_text(r, 0, 3);
        out->created_at = col_int64(r, 0, 4);
        out->expires_at = col_int64(r, 0, 5);
        out->credential_tag = col_text(r, 0, 6);
    } else {
        rc = hf_error_set(err, HF_ENOTFOUND, NULL, "no such session");
    }
    PQclear(r);
    return rc;
}

static int pg_session_delete(hf_store *base, const char *id_hash, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_text(&p, id_hash);
    return run(s, S_SESSION_DELETE, &p, "session", NULL, err);
}

/* The generic statement of hf_store_query: `?N` placeholders become `$N` (outside quoted
 * text), parameters go as text and PostgreSQL infers their types from the context. */
static int pg_query(hf_store *base, const char *sql, int nparams, const char *const *params_in,
                    hf_row_cb cb, void *ctx, int64_t *changes, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    char text[4096];
    size_t n = 0;
    bool quoted = false;
    for (const char *c = sql; *c && n + 1 < sizeof(text); c++) {
        if (*c == '\'')
            quoted = !quoted;
        text[n++] = (!quoted && *c == '?' && c[1] >= '0' && c[1] <= '9') ? '$' : *c;
    }
    text[n] = '\0';
    params p = {0};
    for (int i = 0; i < nparams && i < MAX_PARAMS; i++)
        param_text(&p, params_in[i]);
    PGresult *r;
    /* a duplicate key is HF_ECONFLICT, as SQLite's sq_query reports a constraint */
    int rc = run_sql_ex(s, text, &p, "query", &r, err, true);
    if (rc)
        return rc;
    if (changes) {
        const char *t = PQcmdTuples(r);
        *changes = t && *t ? strtoll(t, NULL, 10) : 0;
    }
    int cols = PQnfields(r);
    if (cols > 16)
        cols = 16;
    const char *vals[16];
    for (int i = 0, rows = PQntuples(r); i < rows && !rc && cb; i++) {
        for (int k = 0; k < cols; k++)
            vals[k] = PQgetisnull(r, i, k) ? NULL : PQgetvalue(r, i, k);
        rc = cb(ctx, cols, vals);
    }
    PQclear(r);
    return rc;
}

static int pg_session_delete_user(hf_store *base, int64_t ws, int64_t user_id, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_int(&p, ws);
    param_int(&p, user_id);
    return run(s, S_SESSION_DELETE_USER, &p, "sessions", NULL, err);
}

/* ---- login attempts ---- */

/* Run one of the login statements; *value gets the first column of the first row (when
 * there is one and `value` is not NULL), *has_row whether there was a row. */
static int login_run(pg_store *s, enum stmt_id id, const params *p, int64_t *value, bool *has_row,
                     hf_error *err)
{
    PGresult *r;
    int rc = run(s, id, p, "login attempts", &r, err);
    if (rc)
        return rc;
    bool row = PQntuples(r) > 0;
    if (has_row)
        *has_row = row;
    if (row && value)
        *value = col_int64(r, 0, 0);
    PQclear(r);
    return 0;
}

static int pg_login_attempt_add(hf_store *base, const char *key, hf_time now, int window,
                                int max_keys, int *count, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    int64_t v = 0, rows = 0;
    bool found = false;
    *count = 0;
    params p = {0};
    param_text(&p, key);
    param_int(&p, now);
    param_int(&p, window);
    /* a live window counts one more attempt; an ended one starts again */
    int rc = login_run(s, S_LOGIN_BUMP, &p, &v, &found, err);
    if (rc)
        return rc;
    if (!found) {
        params none = {0};
        rc = login_run(s, S_LOGIN_ROWS, &none, &rows, NULL, err);
        if (!rc && rows >= max_keys) {
            /* make room from the windows that ended, oldest first; never from live ones */
            params q = {0};
            param_int(&q, now - window);
            param_int(&q, HF__LOGIN_EVICT_BATCH);
            rc = login_run(s, S_LOGIN_EVICT, &q, NULL, NULL, err);
            if (!rc)
                rc = login_run(s, S_LOGIN_ROWS, &none, &rows, NULL, err);
            if (!rc && rows >= max_keys)
                return hf_error_set(err, HF_ENOMEM, NULL,
                                    "login attempts: %d counters are live, none can be dropped",
                                    max_keys);
        }
        if (!rc)
            rc = login_run(s, S_LOGIN_INSERT, &p, &v, NULL, err);
        if (rc)
            return rc;
    }
    *count = (int)(v > 1000000 ? 1000000 : v);
    return 0;
}

static int pg_login_attempt_release(hf_store *base, const char *key, bool all, hf_error *err)
{
    pg_store *s = (pg_store *)base;
    params p = {0};
    param_text(&p, key);
    return run(s, all ? S_LOGIN_FORGET : S_LOGIN_TAKE_BACK, &p, "login attempts", NULL, err);
}

static const hf_store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .schema_version = pg_schema_version,
    .migrate = pg_migrate,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .workspace_ensure = pg_workspace_ensure,
    .deal_upsert = pg_deal_upsert,
    .deal_get = pg_deal_get,
    .deal_list = pg_deal_list,
    .handoff_create = pg_handoff_create,
    .handoff_get = pg_handoff_get,
    .handoff_get_by_deal = pg_handoff_get_by_deal,
    .handoff_update = pg_handoff_update,
    .handoff_transition = pg_handoff_transition,
    .handoff_list = pg_handoff_list,
    .handoff_count = pg_handoff_count,
    .version_list = pg_version_list,
    .version_get = pg_version_get,
    .transition_list = pg_transition_list,
    .backup = pg_backup,
    .check = pg_check,
    .user_create = pg_user_create,
    .user_update = pg_user_update,
    .user_get = pg_user_get,
    .user_list = pg_user_list,
    .team_create = pg_team_create,
    .team_list = pg_team_list,
    .token_create = pg_token_create,
    .token_get = pg_token_get,
    .token_list = pg_token_list,
    .token_revoke = pg_token_revoke,
    .session_create = pg_session_create,
    .session_get = pg_session_get,
    .session_delete = pg_session_delete,
    .query = pg_query,
    .session_delete_user = pg_session_delete_user,
    .login_attempt_add = pg_login_attempt_add,
    .login_attempt_release = pg_login_attempt_release,
};

int hf__store_pg_open(const char *conninfo, hf_store **out, hf_error *err)
{
    *out = NULL;
    pg_store *s = calloc(1, sizeof(*s));
    if (!s)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    s->base.ops = &pg_ops;
    s->c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    s->conn = PQconnectdb(conninfo);
    if (!s->c_numeric || !s->conn) {
        pg_close(&s->base);
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    }
    /* libpq's message names host and database, never the password */
    int rc = PQstatus(s->conn) != CONNECTION_OK
                 ? conn_error(s, HF_EIO, err, "cannot connect to PostgreSQL")
                 : session_setup(s, err);
    if (rc) {
        pg_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}
