/* Placeholder until the PostgreSQL backend lands: refuses to open. */
#include "store/store_int.h"

int hf__store_pg_open(const char *conninfo, hf_store **out, hf_error *err)
{
    (void)conninfo;
    *out = NULL;
    return hf_error_set(err, HF_EUSAGE, NULL, "PostgreSQL backend not built yet");
}
