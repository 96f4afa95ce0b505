/* glibc's malloc tuned for the server's allocation pattern (handoff/os.h). */
#include "handoff/os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TUNABLE "glibc.malloc.tcache_count"

void hf_malloc_tuning(char **argv, unsigned tcache_count)
{
#ifdef __GLIBC__
    const char *have = getenv("GLIBC_TUNABLES");
    if (!argv || !argv[0] || tcache_count == 0 || (have && strstr(have, TUNABLE)))
        return; /* set already (by us before the exec, or by the operator): leave it */
    char value[4096];
    int n = snprintf(value, sizeof(value), "%s%s" TUNABLE "=%u", have ? have : "",
                     have && *have ? ":" : "", tcache_count);
    if (n < 0 || (size_t)n >= sizeof(value) || setenv("GLIBC_TUNABLES", value, 1) != 0)
        return;
    execv("/proc/self/exe", argv);
    /* no /proc, or the exec failed: carry on with glibc's defaults */
    if (have)
        setenv("GLIBC_TUNABLES", have, 1);
    else
        unsetenv("GLIBC_TUNABLES");
#else
    (void)argv;
    (void)tcache_count;
#endif
}
