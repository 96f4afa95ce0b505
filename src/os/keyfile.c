/* The key file of sealed secrets (credentials.h): 32 random bytes written as 64 hex digits,
 * readable by its owner only. It lives outside the database on purpose — a database dump
 * or backup then holds the integrations' secrets only in sealed form — and must be backed
 * up with care of its own (docs/deploy.md). */
#include "handoff/os.h"

#include "handoff/credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hf_key_file_read(const char *path, unsigned char key[HF_SECRET_KEY_BYTES], hf_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return errno == ENOENT ? hf_error_set(err, HF_ENOTFOUND, NULL, "%s: no such key file", path)
                               : hf_error_set(err, HF_EIO, NULL, "%s: %s", path, strerror(errno));
    struct stat st;
    char buf[130];
    ssize_t n = -1;
    int rc = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        rc = hf_error_set(err, HF_EIO, NULL, "%s: not a regular file", path);
    else if (st.st_mode & (S_IRWXG | S_IRWXO))
        rc = hf_error_set(err, HF_EPERM, NULL,
                          "%s: the key file is readable by others: chmod 600 it", path);
    else if ((n = read(fd, buf, sizeof(buf) - 1)) < 0)
        rc = hf_error_set(err, HF_EIO, NULL, "%s: %s", path, strerror(errno));
    close(fd);
    if (rc)
        return rc;
    /* read() returned 0..sizeof(buf) - 1 here; say so to the compiler (and to readers) */
    if (n < 0 || (size_t)n >= sizeof(buf))
        n = 0;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        n--;
    buf[n] = '\0';
    size_t got = 0;
    if (n != 2 * HF_SECRET_KEY_BYTES ||
        sodium_hex2bin(key, HF_SECRET_KEY_BYTES, buf, (size_t)n, NULL, &got, NULL) != 0 ||
        got != HF_SECRET_KEY_BYTES) {
        sodium_memzero(buf, sizeof(buf));
        return hf_error_set(err, HF_EINVAL, NULL, "%s: expected 64 hex digits", path);
    }
    sodium_memzero(buf, sizeof(buf));
    return 0;
}

int hf_key_file_create(const char *path, unsigned char key[HF_SECRET_KEY_BYTES], hf_error *err)
{
    if (hf_credentials_init())
        return hf_error_set(err, HF_ENOMEM, NULL, "libsodium failed to start");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == EEXIST ? hf_error_set(err, HF_ECONFLICT, NULL, "%s: exists already", path)
                               : hf_error_set(err, HF_EIO, NULL, "%s: %s", path, strerror(errno));
    char hex[2 * HF_SECRET_KEY_BYTES + 2];
    randombytes_buf(key, HF_SECRET_KEY_BYTES);
    sodium_bin2hex(hex, sizeof(hex) - 1, key, HF_SECRET_KEY_BYTES);
    size_t n = strlen(hex);
    hex[n++] = '\n';
    ssize_t w = write(fd, hex, n);
    int rc = (w == (ssize_t)n && fsync(fd) == 0) ? 0 : -1;
    if (rc)
        rc = hf_error_set(err, HF_EIO, NULL, "%s: %s", path, strerror(errno));
    sodium_memzero(hex, sizeof(hex));
    if (close(fd) != 0 && !rc)
        rc = hf_error_set(err, HF_EIO, NULL, "%s: %s", path, strerror(errno));
    if (rc)
        unlink(path);
    return rc;
}

bool hf_key_file_default(const char *db_url, char *out, size_t cap)
{
    if (!db_url || strncmp(db_url, "postgres", 8) == 0 || strstr(db_url, ":memory:"))
        return false;
    const char *path = strncmp(db_url, "sqlite:", 7) == 0 ? db_url + 7 : db_url;
    int n = snprintf(out, cap, "%s.key", path);
    return n > 4 && (size_t)n < cap;
}
