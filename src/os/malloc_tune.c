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
    /* under valgrind the program's allocator is valgrind's: nothing to tune, and an exec
     * would leave the tool */
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload"))
        return;
    /* the program's own path: under a loader or a tool /proc/self/exe itself may be
     * another program, the link's text is what was started */
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (len <= 0 || (size_t)len >= sizeof(self) - 1)
        return;
    self[len] = '\0';
    char value[4096];
    int n = snprintf(value, sizeof(value), "%s%s" TUNABLE "=%u", have ? have : "",
                     have && *have ? ":" : "", tcache_count);
    if (n < 0 || (size_t)n >= sizeof(value) || setenv("GLIBC_TUNABLES", value, 1) != 0)
        return;
    execv(self, argv);
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
