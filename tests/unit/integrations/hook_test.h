/* Helpers shared by the webhook unit tests (tests/unit/integrations/test_hook_*.c):
 * reading a fixture of tests/data/hooks/<source>/ (HANDOFF_HOOK_DATA overrides the
 * directory) and checking that a parse failed with the expected code and path. Include
 * after cmocka.h. */
#ifndef HANDOFF_TEST_HOOK_TEST_H
#define HANDOFF_TEST_HOOK_TEST_H

#include "handoff/hooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bytes of tests/data/hooks/<source>/<name>, NUL-terminated; the caller frees. */
static char *fixture(const char *source, const char *name, size_t *len)
{
    const char *dir = getenv("HANDOFF_HOOK_DATA");
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s/%s", dir && *dir ? dir : "tests/data/hooks", source, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *grown = realloc(buf, cap);
            assert_non_null(grown);
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* A time as an RFC 3339 string, for readable assertions. */
static const char *iso(hf_time t, char buf[HF_TIME_BUFSZ])
{
    if (t == HF_TIME_NONE) {
        snprintf(buf, HF_TIME_BUFSZ, "none");
        return buf;
    }
    return hf_time_format_utc(t, buf);
}

#define assert_time(t, want)                                                                       \
    do {                                                                                           \
        char tb_[HF_TIME_BUFSZ];                                                                   \
        assert_string_equal(iso((t), tb_), (want));                                                \
    } while (0)

#define assert_error(rc, err, want_rc, want_path)                                                  \
    do {                                                                                           \
        if ((rc) != (want_rc))                                                                     \
            fail_msg("rc %d, expected %d (%s at %s)", (rc), (want_rc), (err).msg, (err).path);     \
        assert_string_equal((err).path, (want_path));                                              \
        assert_true((err).msg[0] != '\0');                                                         \
    } while (0)

#endif
