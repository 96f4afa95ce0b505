/* Unit tests for src/os/tzfile.c, the loader that reads zones from the system's zoneinfo:
 * TZDIR over the default directory, what counts as no such zone (missing, a directory, a
 * FIFO, a file too big), symbolic links followed, unreadable files, and the loader wired
 * into hf_tz_load. The zone directory is read once per process, so each check that sets
 * TZDIR runs in a child process of its own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/os.h"
#include "handoff/tz.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A minimal TZif v1 image (RFC 8536 §3): the header (magic, version 0, 15 reserved bytes,
 * then the six counts: isut 0, isstd 0, leap 0, time 0, type 1, char 4), one local time type
 * (UT offset 7200, not DST, designation at 0) and the designation "EET" with its NUL (the
 * literal's own). */
static const unsigned char v1_image[54] = "TZif\0"
                                          "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
                                          "\0\0\0\0"
                                          "\0\0\0\0"
                                          "\0\0\0\0"
                                          "\0\0\0\0"
                                          "\0\0\0\1"
                                          "\0\0\0\4"
                                          "\0\0\x1c\x20\0\0"
                                          "EET";

/* The files planted in the test directory, in creation order (removed in reverse). */
enum { F_DIR_GOOD, F_ZONE, F_LINK, F_DIR_BAD, F_TEXT, F_CORRUPT, F_EMPTY, F_FIFO, F_BIG, F_NONE };
static const char *const planted[F_NONE] = {"Good",      "Good/Zone", "Good/Link",
                                            "Bad",       "Bad/Text",  "Bad/Corrupt",
                                            "Bad/Empty", "Bad/Fifo",  "Bad/Big"};

typedef struct fixture {
    char dir[64];
} fixture;

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && n == len) ? 0 : -1;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    *state = f;
    snprintf(f->dir, sizeof(f->dir), "/tmp/test_tzfile.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char path[256];
    for (int i = 0; i < F_NONE; i++) {
        snprintf(path, sizeof(path), "%s/%s", f->dir, planted[i]);
        int rc = 0;
        switch (i) {
        case F_DIR_GOOD:
        case F_DIR_BAD:
            rc = mkdir(path, 0700);
            break;
        case F_ZONE:
            rc = write_file(path, v1_image, sizeof(v1_image));
            break;
        case F_LINK:
            rc = symlink("Zone", path);
            break;
        case F_TEXT:
            rc = write_file(path, "not a zone\n", 11);
            break;
        case F_CORRUPT:
            rc = write_file(path, "TZif2", 5);
            break;
        case F_EMPTY:
            rc = write_file(path, "", 0);
            break;
        case F_FIFO:
            rc = mkfifo(path, 0600);
            break;
        case F_BIG: {
            /* one byte over the cap, sparse: no disk used */
            int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            rc = fd < 0 || ftruncate(fd, HF_TZ_IMAGE_MAX + 1) != 0 ? -1 : 0;
            if (fd >= 0)
                close(fd);
            break;
        }
        }
        if (rc != 0) {
            fprintf(stderr, "cannot create %s\n", path);
            return -1;
        }
    }
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return 0;
    char path[256];
    for (int i = F_NONE; i-- > 0;) {
        snprintf(path, sizeof(path), "%s/%s", f->dir, planted[i]);
        remove(path);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Run `check` in a child with TZDIR set to `tzdir` (unset when NULL); returns its exit
 * status: 0, or the number of the check that failed. */
static int in_child(int (*check)(void), const char *tzdir)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (tzdir ? setenv("TZDIR", tzdir, 1) : unsetenv("TZDIR"))
            _exit(100);
        _exit(check());
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* The loader asked directly: its result code, and on success the image's length. */
static int load_raw(const char *name, size_t *len, char *msg, size_t cap)
{
    unsigned char *data = (unsigned char *)"not touched";
    hf_error err;
    hf_error_clear(&err);
    *len = 0;
    int rc = hf_tz_system_loader(NULL, name, &data, len, &err);
    if (rc == 0)
        free(data);
    else if (data != NULL)
        return 99; /* *data must be NULL on failure */
    if (msg)
        snprintf(msg, cap, "%s", err.msg);
    return rc;
}

static int check_planted(void)
{
    size_t len;
    char msg[HF_ERROR_MSG_MAX];
    if (load_raw("Good/Zone", &len, NULL, 0) != 0 || len != sizeof(v1_image))
        return 1;
    if (load_raw("Good/Link", &len, NULL, 0) != 0 || len != sizeof(v1_image))
        return 2; /* links are followed: tzdata's backward names are links */
    if (load_raw("Good/Missing", &len, NULL, 0) != HF_ENOTFOUND)
        return 3;
    if (load_raw("Bad", &len, NULL, 0) != HF_ENOTFOUND) /* a directory */
        return 4;
    if (load_raw("Bad/Fifo", &len, NULL, 0) != HF_ENOTFOUND) /* and it did not hang */
        return 5;
    if (load_raw("Bad/Big", &len, NULL, 0) != HF_ENOTFOUND)
        return 6;
    if (load_raw("Bad/Empty", &len, NULL, 0) != 0 || len != 0)
        return 7; /* read whole; hf_tz_load decides it is no zone */
    if (load_raw("Bad/Text/Deeper", &len, NULL, 0) != HF_ENOTFOUND) /* ENOTDIR */
        return 8;
    /* an unreadable file is an I/O error naming the path (root reads it anyway) */
    char path[256];
    snprintf(path, sizeof(path), "%s/Bad/Text", getenv("TZDIR"));
    if (geteuid() != 0 && chmod(path, 0) == 0) {
        int rc = load_raw("Bad/Text", &len, msg, sizeof(msg));
        chmod(path, 0600);
        char want[512];
        snprintf(want, sizeof(want), "cannot read time zone file %s (errno 13)", path);
        if (rc != HF_EIO || strcmp(msg, want) != 0)
            return 9;
    }

    /* through hf_tz_load */
    const hf_tz *z = NULL;
    hf_error err;
    hf_tz_set_loader(hf_tz_system_loader, NULL);
    if (hf_tz_load("Good/Zone", &z, &err) != 0 || hf_tz_offset_at(z, 1700000000) != 7200)
        return 10;
    if (hf_tz_load("Good/Link", &z, &err) != 0 || strcmp(hf_tz_name(z), "Good/Link") != 0)
        return 11;
    if (hf_tz_load("America/New_York", &z, &err) != HF_ENOTFOUND ||
        strcmp(err.msg, "unknown time zone \"America/New_York\"") != 0)
        return 12; /* TZDIR replaces the system directory */
    if (hf_tz_load("Bad/Text", &z, &err) != HF_ENOTFOUND ||
        strcmp(err.msg, "unknown time zone \"Bad/Text\"") != 0)
        return 13;
    if (hf_tz_load("Bad/Corrupt", &z, &err) != HF_EINVAL ||
        strcmp(err.msg, "truncated header in TZif data for \"Bad/Corrupt\"") != 0)
        return 14;
    if (hf_tz_load("Bad/Empty", &z, &err) != HF_ENOTFOUND)
        return 15;
    hf_tz_cache_clear();
    return 0;
}

static void test_tzdir(void **state)
{
    fixture *f = *state;
    assert_int_equal(in_child(check_planted, f->dir), 0);
}

static int check_default_directory(void)
{
    size_t len;
    if (load_raw("Good/Zone", &len, NULL, 0) != HF_ENOTFOUND)
        return 1;
    if (access("/usr/share/zoneinfo/America/Sao_Paulo", R_OK) != 0)
        return 0; /* no system zones to compare with */
    FILE *f = fopen("/usr/share/zoneinfo/America/Sao_Paulo", "rb");
    if (!f)
        return 2;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    if (load_raw("America/Sao_Paulo", &len, NULL, 0) != 0 || (long)len != size)
        return 3;
    return 0;
}

/* Without TZDIR, or with an empty one, the system directory is read. */
static void test_default_directory(void **state)
{
    (void)state;
    assert_int_equal(in_child(check_default_directory, NULL), 0);
    assert_int_equal(in_child(check_default_directory, ""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tzdir),
        cmocka_unit_test(test_default_directory),
    };
    return cmocka_run_group_tests_name("tzfile", tests, setup, teardown);
}
