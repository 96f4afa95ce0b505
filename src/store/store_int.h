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

/* The schema version both backends migrate to. */
#define HF_SCHEMA_LATEST 2

#endif
