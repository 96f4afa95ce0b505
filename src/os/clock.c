/* The clock (hf_clock_now and hf_clock_mono_ms in os.h): the one place outside the tests
 * where libhandoff's programs read the time. The core never does: every rule takes `now`
 * as a parameter, and the CLI, the server and the scheduler pass hf_clock_now(), so that
 * a test or a replay can pass any instant instead. */
#include "handoff/os.h"

#include <time.h>

hf_time hf_clock_now(void)
{
    return (hf_time)time(NULL);
}

int64_t hf_clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
