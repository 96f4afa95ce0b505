/* Internals shared by the storage backends: the constructors each backend exports, and
 * helpers for records. Not part of the public API. */
#ifndef HANDOFF_STORE_INT_H
#define HANDOFF_STORE_INT_H

#include "handoff/store.h"

/* Backend constructors: parse nothing, just connect. */
int hf__store_sqlite_open(const char *path, hf_store **out, hf_error *err);
int hf__store_pg_open(const char *conninfo, hf_store **out, hf_error *err);
int hf__store_sqlite_restore(const char *path, const char *backup_path, hf_error *err);

/* The schema version a migration goes up to: `latest`, or hf__store_migrate_limit when a
 * test set it lower. */
int hf__store_migration_target(int latest);
/* For tests only (0, the default: no limit): migrate stops at this schema version, so a
 * test can build a database of an older schema, fill it, and open it again as an upgrade
 * does. */
extern int hf__store_migrate_limit;

/* Duplicate a possibly-NULL string; returns NULL for NULL. */
char *hf__strdup_or_null(const char *s);

/* Band names for the text column (hf_band order). */
const char *hf__band_name(int band);
int hf__band_parse(const char *name);

/* The SQL of a handoff list (is_list) or count with the filters of `f`: one condition per
 * filter that is set, each with a numbered placeholder written `mark` + number (`?2` for
 * SQLite, `$2` for PostgreSQL), $1 being the workspace; a list ends with ORDER BY id and,
 * with a limit, LIMIT as the last placeholder. Only the shape is built: values are always
 * bound, never written into the SQL. */
/* The LIKE pattern of a search (hf_handoff_filter.search): %text% with % _ and \ escaped
 * by a backslash (the filter's ESCAPE). malloc'd; NULL without memory. */
char *hf__store_like_pattern(const char *text);
void hf__store_filter_sql(const hf_handoff_filter *f, bool is_list, char mark, char *sql,
                          size_t cap, const char *select);

/* The indexes of the handoffs table, the same SQL on both backends (migration 1): one per
 * column that lists, reports and the scheduler filter on, each led by the workspace. */
#define HF__HANDOFF_INDEXES                                                                        \
    "CREATE INDEX handoffs_workspace ON handoffs (workspace_id, id);"                              \
    "CREATE INDEX handoffs_status ON handoffs (workspace_id, status, id);"                         \
    "CREATE INDEX handoffs_segment ON handoffs (workspace_id, segment, id);"                       \
    "CREATE INDEX handoffs_owner ON handoffs (workspace_id, owner, id);"                           \
    "CREATE INDEX handoffs_owner_email ON handoffs (workspace_id, owner_email, id);"               \
    "CREATE INDEX handoffs_csm ON handoffs (workspace_id, csm, id);"                               \
    "CREATE INDEX handoffs_csm_email ON handoffs (workspace_id, csm_email, id);"                   \
    "CREATE INDEX handoffs_band ON handoffs (workspace_id, band, id);"                             \
    "CREATE INDEX handoffs_next_due ON handoffs (workspace_id, next_due, status);"                 \
    "CREATE INDEX handoffs_t0 ON handoffs (workspace_id, t0);"                                     \
    "CREATE INDEX handoffs_quality ON handoffs (workspace_id, quality_total);"                     \
    "CREATE INDEX handoffs_completeness ON handoffs (workspace_id, completeness_d);"               \
    "CREATE INDEX handoffs_deal ON handoffs (workspace_id, deal_id);"

/* The tables of migration 3 that both backends create with the same SQL but for the type
 * of a generated id column (`INTEGER PRIMARY KEY` on SQLite, a BIGINT identity on
 * PostgreSQL). They are read and written only through hf_store_query (store.c). */
#define HF__SCHEMA_3_COMMON(ID)                                                                    \
    "CREATE TABLE protocol_versions (workspace_id BIGINT NOT NULL, version TEXT NOT NULL, "        \
    "  effective_day BIGINT NOT NULL, body TEXT NOT NULL, installed_by TEXT NOT NULL, "            \
    "  installed_at BIGINT NOT NULL, PRIMARY KEY (workspace_id, version));"                        \
    "CREATE TABLE protocol_pins (id " ID ", workspace_id BIGINT NOT NULL, "                        \
    "  handoff_id BIGINT NOT NULL, version TEXT NOT NULL, pinned_by TEXT NOT NULL, "               \
    "  pinned_at BIGINT NOT NULL);"                                                                \
    "CREATE INDEX protocol_pins_handoff ON protocol_pins (handoff_id, id);"                        \
    "CREATE TABLE checklist_ticks (workspace_id BIGINT NOT NULL, handoff_id BIGINT NOT NULL, "     \
    "  item TEXT NOT NULL, done INTEGER NOT NULL, ticked_by TEXT NOT NULL, "                       \
    "  ticked_at BIGINT NOT NULL, PRIMARY KEY (handoff_id, item));"                                \
    "CREATE TABLE alerts (id " ID ", workspace_id BIGINT NOT NULL, kind TEXT NOT NULL, "           \
    "  handoff_id BIGINT, detail TEXT, created_at BIGINT NOT NULL, delivered_at BIGINT);"          \
    "CREATE INDEX alerts_pending ON alerts (workspace_id, delivered_at, id);"                      \
    "CREATE INDEX handoffs_protocol ON handoffs (workspace_id, protocol_version);"

/* Migration 5, the same on both backends but for the generated id columns: the
 * integrations that trigger handoffs (configuration, endpoint id, sealed secrets), every
 * inbound webhook delivery with its verdict (kept for the integration's retention), the
 * idempotency records that make a re-delivered event change nothing (their primary key is
 * the arbiter when two servers receive the same event at once), and the trigger facts of
 * each deal (won, signed, last change applied) that make out-of-order events end in the
 * state in-order events would. Read and written through hf_store_query (store.c). And two
 * indexes that let choosing a CSM by capacity count a CSM's open and recent handoffs from
 * the index alone: the triggers assign a CSM to every handoff they create. */
#define HF__SCHEMA_5_COMMON(ID)                                                                    \
    "CREATE TABLE integrations (id " ID ", workspace_id BIGINT NOT NULL, source TEXT NOT NULL, "   \
    "  name TEXT NOT NULL, endpoint_id TEXT NOT NULL UNIQUE, config TEXT NOT NULL, "               \
    "  secrets TEXT, retention_days INTEGER NOT NULL, created_by TEXT NOT NULL, "                  \
    "  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"                                   \
    "CREATE INDEX integrations_workspace ON integrations (workspace_id, id);"                      \
    "CREATE TABLE hook_events (id " ID ", workspace_id BIGINT NOT NULL, "                          \
    "  integration_id BIGINT NOT NULL, source TEXT NOT NULL, received_at BIGINT NOT NULL, "        \
    "  verdict TEXT NOT NULL, status INTEGER NOT NULL, detail TEXT, results TEXT, uri TEXT, "      \
    "  headers TEXT, body TEXT, body_encoding TEXT NOT NULL, replay_of BIGINT);"                   \
    "CREATE INDEX hook_events_integration ON hook_events (integration_id, received_at);"           \
    "CREATE INDEX hook_events_workspace ON hook_events (workspace_id, id);"                        \
    "CREATE TABLE hook_dedupe (integration_id BIGINT NOT NULL, event_key TEXT NOT NULL, "          \
    "  workspace_id BIGINT NOT NULL, hook_event_id BIGINT, first_seen BIGINT NOT NULL, "           \
    "  PRIMARY KEY (integration_id, event_key));"                                                  \
    "CREATE INDEX hook_dedupe_age ON hook_dedupe (integration_id, first_seen);"                    \
    "CREATE TABLE deal_triggers (workspace_id BIGINT NOT NULL, crm_id TEXT NOT NULL, "             \
    "  last_change_at BIGINT, won_at BIGINT, won_source TEXT, signed_at BIGINT, "                  \
    "  signed_source TEXT, document_id TEXT, updated_at BIGINT NOT NULL, "                         \
    "  PRIMARY KEY (workspace_id, crm_id));"                                                       \
    "CREATE INDEX handoffs_csm_status ON handoffs (workspace_id, csm_email, status);"              \
    "CREATE INDEX handoffs_csm_created ON handoffs (workspace_id, csm_email, created_at);"

/* Migration 6: fewer, better indexes on handoffs, chosen
 * from the queries the product runs (docs/internals/store.md lists each query and the
 * index that answers it). Every index costs a page per created handoff, and a page per
 * edit that changes one of its columns; these serve no query, or serve it worse than the
 * new ones:
 *  - t0, quality_total, completeness_d: no list, count or report filters on them;
 *  - (workspace_id, next_due, status): an overdue page sorted every match by id (165 ms at
 *    1,000,000 handoffs); replaced by handoffs_open, which holds only the handoffs that
 *    are not completed or cancelled, so overdue, the inbox's open work and their counts
 *    cost what the open handoffs number, however many closed ones pile up. Its shape is
 *    the one place the backends differ (HF__OPEN_INDEX_SQLITE, HF__OPEN_INDEX_PG);
 *  - the three indexes led by csm_email become one, (csm_email, id, status, created_at):
 *    the CSM filter and the unassigned queue in id order, the capacity counts (open, and
 *    created since) read from the index alone;
 *  - (owner_email, id) gains status: a rep's drafts and returns (the inbox) from the index.
 * Kept: workspace (the unfiltered list and cursor), status, segment, owner, csm, band (one
 * per filter, each ending in id so a page is read in index order), deal (one handoff per
 * deal), protocol (the handoffs each protocol version governs). Sixteen become eleven. */
#define HF__SCHEMA_6_COMMON                                                                        \
    "DROP INDEX handoffs_t0;"                                                                      \
    "DROP INDEX handoffs_quality;"                                                                 \
    "DROP INDEX handoffs_completeness;"                                                            \
    "DROP INDEX handoffs_next_due;"                                                                \
    "DROP INDEX handoffs_csm_status;"                                                              \
    "DROP INDEX handoffs_csm_created;"                                                             \
    "DROP INDEX handoffs_csm_email;"                                                               \
    "DROP INDEX handoffs_owner_email;"                                                             \
    "CREATE INDEX handoffs_owner_email ON handoffs (workspace_id, owner_email, id, status);"       \
    "CREATE INDEX handoffs_csm_email ON handoffs "                                                 \
    "  (workspace_id, csm_email, id, status, created_at);"

/* handoffs_open on SQLite: in id order, with what the open queries test in the entry.
 * SQLite plans without statistics, so the index must itself deliver the order a page asks
 * for: an overdue page walks it in id order and stops after its rows, and an overdue or
 * open count reads it alone. */
#define HF__OPEN_INDEX_SQLITE                                                                      \
    "CREATE INDEX handoffs_open ON handoffs (workspace_id, id, next_due, status, trigger_kind) "   \
    "  WHERE status NOT IN ('completed', 'cancelled');"
/* handoffs_open on PostgreSQL: by due time. PostgreSQL chooses each plan from statistics:
 * an overdue count is a range of this index, read alone (it preferred reading the whole
 * table to the id-ordered index, whose next_due is no range), a CSM's overdue too (the CSM
 * in the entry); an overdue page walks the primary key when overdue handoffs are many and
 * sorts this range when they are few. */
#define HF__OPEN_INDEX_PG                                                                          \
    "CREATE INDEX handoffs_open ON handoffs (workspace_id, next_due) "                             \
    "  INCLUDE (status, trigger_kind, csm_email) WHERE status NOT IN ('completed', 'cancelled');"

/* Rows deleted at most per login_attempt_add when the table is full: the oldest ended
 * windows go first, a bounded amount of work per attempt. */
#define HF__LOGIN_EVICT_BATCH 1000

/* The schema version both backends migrate to. */
#define HF_SCHEMA_LATEST 6

#endif
