/* Internals shared by the storage backends: the constructors each backend exports, and
 * helpers for records. Not part of the public API. */
#ifndef HANDOFF_STORE_INT_H
#define HANDOFF_STORE_INT_H

#include "handoff/store.h"

/* Backend constructors: parse nothing, just connect. */
int hf__store_sqlite_open(const char *path, hf_store **out, hf_error *err);
int hf__store_pg_open(const char *conninfo, hf_store **out, hf_error *err);
int hf__store_sqlite_restore(const char *path, const char *backup_path, hf_error *err);

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
void hf__store_filter_sql(const hf_handoff_filter *f, bool is_list, char mark, char *sql,
                          size_t cap, const char *select);

/* The schema version both backends migrate to. */
#define HF_SCHEMA_LATEST 2

#endif
