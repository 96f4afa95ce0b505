/* libFuzzer target for the TZif parser (src/core/tz.c): zone files are outside input, so
 * any byte string must be either rejected or parsed into a zone whose lookups stay in
 * bounds. After a successful parse it probes offsets and wall-clock conversion at the
 * ends of the int64 range, around the table/footer boundaries and at an instant taken from
 * the input, and traps if an offset leaves the range the parser promises. */
#include "handoff/tz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* RFC 8536's plausible UT offsets, which the parser enforces for the table and footer. */
#define OFFSET_MIN (-89999)
#define OFFSET_MAX 93599

static void probe(const hf_tz *tz, int64_t t)
{
    int32_t off = hf_tz_offset_at(tz, t);
    if (off < OFFSET_MIN || off > OFFSET_MAX)
        abort();
    int64_t utc = hf_tz_local_to_utc(tz, t);
    /* Away from the int64 ends, converting wall-clock time moves it by one offset. */
    if (t > INT64_MIN / 2 && t < INT64_MAX / 2) {
        int64_t moved = t - utc;
        if (moved < OFFSET_MIN || moved > OFFSET_MAX)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int64_t instants[] = {
        INT64_MIN,
        INT64_MIN + 1,
        -(INT64_C(1) << 59),
        -2208988800,
        -1,
        0,
        1710054000,
        2147483647,
        2147483648,
        7258118400,
        7258118400 + 172800,
        18318700800,
        INT64_MAX,
    };
    hf_tz *tz = NULL;
    hf_error err;
    if (hf_tz_parse("fuzz", data, size, &tz, &err) != 0)
        return 0;
    for (size_t i = 0; i < sizeof(instants) / sizeof(instants[0]); i++)
        probe(tz, instants[i]);
    if (size >= 8) {
        int64_t t; /* the last 8 bytes, usually footer text: an arbitrary instant */
        memcpy(&t, data + size - 8, sizeof(t));
        probe(tz, t);
    }
    hf_tz_free(tz);
    return 0;
}
