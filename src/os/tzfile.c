/* The system's zoneinfo files as a source of time zones (hf_tz_system_loader in os.h).
 *
 * The core parses TZif images and caches zones but does no I/O (src/core/tz.c); this file is
 * the I/O it used to do: find the zone directory ($TZDIR, else /usr/share/zoneinfo), open
 * DIR/NAME without following it into anything but a regular file, and read it whole, with
 * the size capped at HF_TZ_IMAGE_MAX so no file can make the process grow. The name has
 * been validated by hf_tz_load (no leading `/`, no `..`), so the path stays inside the
 * directory. */
#include "handoff/os.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TZ_DIR_MAX 1024
#define TZ_NAME_MAX 255

static pthread_once_t dir_once = PTHREAD_ONCE_INIT;
static char zone_dir[TZ_DIR_MAX];

static void dir_init(void)
{
    /* Read once: getenv is not safe against a concurrent setenv, and the directory must
     * not change under cached zones. An unusable TZDIR falls back to the default. */
    const char *env = getenv("TZDIR");
    if (env && env[0] && strlen(env) < sizeof(zone_dir))
        snprintf(zone_dir, sizeof(zone_dir), "%s", env);
    else
        snprintf(zone_dir, sizeof(zone_dir), "%s", "/usr/share/zoneinfo");
}

/* Read a whole zone file. Returns 0, HF_ENOTFOUND (missing, not a regular file, or too big
 * to be a zone file), HF_EIO (with *sys_errno set) or HF_ENOMEM. *data is the caller's to
 * free. */
static int zone_file_read(const char *path, unsigned char **data, size_t *len, int *sys_errno)
{
    struct stat st;
    unsigned char *buf = NULL;
    size_t cap, n = 0;
    int rc = 0;
    /* O_NONBLOCK: a FIFO planted in the zone directory must not hang the caller. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    *sys_errno = errno;
    if (fd < 0)
        return (errno == ENOENT || errno == ENOTDIR || errno == ELOOP || errno == ENAMETOOLONG)
                   ? HF_ENOTFOUND
                   : HF_EIO;
    if (fstat(fd, &st) != 0) {
        *sys_errno = errno;
        rc = HF_EIO;
        goto out;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > HF_TZ_IMAGE_MAX) {
        rc = HF_ENOTFOUND;
        goto out;
    }
    /* One spare byte detects a file that grew since fstat. */
    cap = (size_t)st.st_size + 1;
    buf = malloc(cap);
    if (!buf) {
        rc = HF_ENOMEM;
        goto out;
    }
    while (n < cap) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            *sys_errno = errno;
            rc = HF_EIO;
            goto out;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n == cap) {
        *sys_errno = 0; /* the file changed while being read */
        rc = HF_EIO;
        goto out;
    }
    *data = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}

int hf_tz_system_loader(void *ctx, const char *name, unsigned char **data, size_t *len,
                        hf_error *err)
{
    char path[TZ_DIR_MAX + TZ_NAME_MAX + 2];
    int sys_errno = 0;
    (void)ctx;
    *data = NULL;
    *len = 0;
    pthread_once(&dir_once, dir_init);
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", zone_dir, name) >= sizeof(path))
        return HF_ENOTFOUND;
    int rc = zone_file_read(path, data, len, &sys_errno);
    if (rc == HF_EIO)
        /* errno number, not strerror(): strerror is not thread-safe */
        hf_error_set(err, rc, NULL, "cannot read time zone file %s (errno %d)", path, sys_errno);
    return rc;
}
