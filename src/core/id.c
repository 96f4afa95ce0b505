/* hf_id_parse(): the one strict reader of record ids (see include/handoff/id.h). */
#include "handoff/id.h"

#include <stddef.h>

bool hf_id_parse(const char *s, int64_t *out)
{
    if (!s || *s < '1' || *s > '9')
        return false;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        /* 17 digits already exceed 2^53; stop before the multiplication could overflow */
        if (v > HF_ID_MAX / 10)
            return false;
        v = v * 10 + (*s - '0');
        if (v > HF_ID_MAX)
            return false;
    }
    if (out)
        *out = v;
    return true;
}
