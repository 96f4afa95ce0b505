/* A slow disk for the benchmarks: an LD_PRELOAD shim that makes every fsync and fdatasync
 * take HANDOFF_FSYNC_DELAY_US microseconds longer (default 2000), the time a network
 * block device or a busy spinning disk takes to make a write durable. The real call still
 * runs first, so durability is unchanged; only the wait is longer.
 *
 *   LD_PRELOAD=build/bench/fsync_delay.so HANDOFF_FSYNC_DELAY_US=2000 handoffd ...
 *
 * SQLite calls fsync/fdatasync through the C library, so the shim sees every one. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long delay_us = -1;

static void wait_more(void)
{
    if (delay_us < 0) {
        const char *v = getenv("HANDOFF_FSYNC_DELAY_US");
        delay_us = v ? atol(v) : 2000;
    }
    struct timespec ts = {delay_us / 1000000, (delay_us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

int fsync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    int rc = real(fd);
    wait_more();
    return rc;
}

int fdatasync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    int rc = real(fd);
    wait_more();
    return rc;
}
