/* probe: the raw-socket client of tests/integration/test_hostile.sh. curl cannot send a NUL
 * byte in a path, two Content-Length headers, half a request head or three hundred
 * half-sent bodies at once, and python may be missing on CI, so this small tool does what
 * the suite cannot do with curl. Loopback only: every address it connects to or binds is
 * 127.0.0.0/8.
 *
 *   probe PORT cases FILE [SECONDS [SOURCE]]
 *       One connection per line of FILE (from the loopback address SOURCE when given),
 * `NAME<TAB>EXPECT<TAB>REQUEST`. REQUEST is the raw request with the escapes \r \n \t \\ \0 \xHH,
 * `{REP:N:C}` for N copies of the character C, and `{CL}` for the length of the body (what follows
 * the first empty line). Prints `NAME<TAB>EXPECT<TAB>STATUS<TAB>FLAGS<TAB>MS` per case: STATUS is
 * the status code, 0 when the server closed the connection without an answer, -1 when none came
 * within SECONDS (default 5); FLAGS has `s` when all five security headers are there, `p` for
 * Content-Type application/problem+json, `j` for a body that is a JSON object with type, title and
 * status, `c` when `100 Continue` came first, `h` for an HTML body, `-` for none of these. probe
 * PORT flood N LENGTH SENT HOLD_MS PID Open N connections from 127.0.0.10 to 127.0.0.19 in turn,
 * send on each the head of a login with Content-Length LENGTH and SENT bytes of its body, wait
 * HOLD_MS, then print how many connections are still open without an answer and how many were
 *       answered (by status), and VmRSS/VmHWM of process PID (KiB) at that moment.
 *   probe collide KEY N
 *       Print N e-mail addresses whose slot in the lockout table handoffd used before
 *       (BLAKE2b-64 of "a:EMAIL" modulo 4096) is the slot of KEY ("a:EMAIL" or "i:IP"):
 *       the keys of the collision attack the suite replays. */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQUEST (1 << 20)
#define MAX_ANSWER (1 << 20)

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A decimal number at the start of s (0 when there is none); no atoi (STYLE.md). */
static long num(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return end == s ? 0 : v;
}

static int hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode the escapes of a request line of the case file into out (cap bytes); returns
 * the length, or -1 when it does not fit or is malformed. */
static long decode(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        if (n + 1 >= cap)
            return -1;
        if (*p == '{' && strncmp(p, "{REP:", 5) == 0) {
            char *end;
            unsigned long count = strtoul(p + 5, &end, 10);
            if (*end != ':' || !end[1] || end[2] != '}' || count > cap - n - 1)
                return -1;
            memset(out + n, end[1], count);
            n += count;
            p = end + 2;
            continue;
        }
        if (*p != '\\') {
            out[n++] = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 'r':
            out[n++] = '\r';
            break;
        case 'n':
            out[n++] = '\n';
            break;
        case 't':
            out[n++] = '\t';
            break;
        case '0':
            out[n++] = '\0';
            break;
        case '\\':
            out[n++] = '\\';
            break;
        case 'x':
            if (hex(p[1]) < 0 || hex(p[2]) < 0)
                return -1;
            out[n++] = (char)(hex(p[1]) * 16 + hex(p[2]));
            p += 2;
            break;
        default:
            return -1;
        }
    }
    return (long)n;
}

/* Replace `{CL}` by the length of what follows the first empty line. */
static long fill_length(char *buf, long n, size_t cap)
{
    char *mark = memmem(buf, (size_t)n, "{CL}", 4);
    if (!mark)
        return n;
    char *head_end = memmem(buf, (size_t)n, "\r\n\r\n", 4);
    long body = head_end ? n - (head_end + 4 - buf) : 0;
    char num[24];
    int k = snprintf(num, sizeof(num), "%ld", body);
    if ((size_t)(n - 4 + k) >= cap)
        return -1;
    long tail = n - (mark + 4 - buf);
    memmove(mark + k, mark + 4, (size_t)tail);
    memcpy(mark, num, (size_t)k);
    return n - 4 + k;
}

static int connect_loopback(int port, const char *source)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    if (source) {
        inet_pton(AF_INET, source, &a.sin_addr);
        if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
            close(fd);
            return -1;
        }
    }
    a.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* The value of header `name` in the head [head, end), copied into out; false if absent. */
static bool header_value(const char *head, const char *end, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    for (const char *p = head; p < end;) {
        const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
        if (!eol)
            eol = end;
        if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            size_t len = (size_t)(eol - v);
            if (len >= cap)
                len = cap - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return true;
        }
        p = eol + 2;
    }
    return false;
}

typedef struct result {
    int status;
    char flags[8];
} result;

/* Read one answer (skipping a 100 Continue) within `seconds`. */
static result read_answer(int fd, double seconds, bool is_head)
{
    static char buf[MAX_ANSWER + 1];
    size_t n = 0;
    bool saw_continue = false;
    result r = {-1, ""};
    double deadline = now_ms() + seconds * 1000;
    for (;;) {
        /* a complete answer in the buffer? */
        char *head_end = memmem(buf, n, "\r\n\r\n", 4);
        if (head_end && n >= 12) {
            int status = (int)num(buf + 9);
            size_t head_len = (size_t)(head_end + 4 - buf);
            if (status == 100) {
                saw_continue = true;
                memmove(buf, buf + head_len, n - head_len);
                n -= head_len;
                continue;
            }
            char v[256];
            long length = header_value(buf, head_end, "Content-Length", v, sizeof(v)) ? num(v) : 0;
            if (is_head || (long)(n - head_len) >= length) {
                buf[n] = '\0';
                r.status = status;
                char *f = r.flags;
                bool sec =
                    header_value(buf, head_end, "X-Content-Type-Options", v, sizeof(v)) &&
                    strcmp(v, "nosniff") == 0 &&
                    header_value(buf, head_end, "X-Frame-Options", v, sizeof(v)) &&
                    strcmp(v, "DENY") == 0 &&
                    header_value(buf, head_end, "Content-Security-Policy", v, sizeof(v)) &&
                    (strstr(v, "default-src 'none'") ||
                     (strstr(v, "default-src 'self'") && strstr(v, "frame-ancestors 'none'") &&
                      strstr(v, "script-src 'self'"))) &&
                    header_value(buf, head_end, "Referrer-Policy", v, sizeof(v)) &&
                    header_value(buf, head_end, "Cache-Control", v, sizeof(v)) &&
                    strcmp(v, "no-store") == 0;
                if (sec)
                    *f++ = 's';
                if (header_value(buf, head_end, "Content-Type", v, sizeof(v)) &&
                    strcmp(v, "application/problem+json") == 0)
                    *f++ = 'p';
                const char *body = buf + head_len;
                if (body[0] == '{' && strstr(body, "\"type\":") && strstr(body, "\"title\":") &&
                    strstr(body, "\"status\":"))
                    *f++ = 'j';
                if (saw_continue)
                    *f++ = 'c';
                if (strncasecmp(body, "<html", 5) == 0)
                    *f++ = 'h';
                /* a page of the web application: HTML in the layout, for browser paths */
                if (header_value(buf, head_end, "Content-Type", v, sizeof(v)) &&
                    strcmp(v, "text/html; charset=utf-8") == 0 &&
                    (is_head || strncmp(body, "<!DOCTYPE html>", 15) == 0))
                    *f++ = 'w';
                if (f == r.flags)
                    *f++ = '-';
                *f = '\0';
                return r;
            }
        }
        double left = deadline - now_ms();
        if (left <= 0)
            break;
        struct pollfd pfd = {fd, POLLIN, 0};
        int k = poll(&pfd, 1, (int)left + 1);
        if (k <= 0)
            break;
        ssize_t got = recv(fd, buf + n, MAX_ANSWER - n, 0);
        if (got <= 0) {
            if (n == 0) {
                r.status = 0; /* closed without a byte */
                snprintf(r.flags, sizeof(r.flags), "-");
                return r;
            }
            /* closed in the middle of an answer: report what there is */
            buf[n] = '\0';
            r.status = n >= 12 ? (int)num(buf + 9) : 0;
            snprintf(r.flags, sizeof(r.flags), "x");
            return r;
        }
        n += (size_t)got;
        if (n >= MAX_ANSWER)
            break;
    }
    snprintf(r.flags, sizeof(r.flags), saw_continue ? "c" : "-");
    return r;
}

static int run_cases(int port, const char *path, double seconds, const char *source)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 2;
    }
    static char line[MAX_REQUEST], req[MAX_REQUEST];
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *name = line, *expect = strchr(line, '\t');
        if (!*name || !expect)
            continue;
        *expect++ = '\0';
        char *raw = strchr(expect, '\t');
        if (!raw)
            continue;
        *raw++ = '\0';
        long n = decode(raw, req, sizeof(req));
        if (n >= 0)
            n = fill_length(req, n, sizeof(req));
        if (n < 0) {
            printf("%s\t%s\t-2\tbad-case\t0\n", name, expect);
            continue;
        }
        double t0 = now_ms();
        int fd = connect_loopback(port, source);
        result r = {-3, "noconn"};
        if (fd >= 0) {
            send_all(fd, req, (size_t)n);
            r = read_answer(fd, seconds, strncmp(req, "HEAD ", 5) == 0);
            close(fd);
        }
        printf("%s\t%s\t%d\t%s\t%.0f\n", name, expect, r.status, r.flags, now_ms() - t0);
        fflush(stdout);
    }
    fclose(f);
    return 0;
}

static long status_kib(int pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    long v = -1;
    size_t fl = strlen(field);
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, field, fl) == 0 && line[fl] == ':')
            v = num(line + fl + 1);
    }
    if (f)
        fclose(f);
    return v;
}

static int run_flood(int port, int count, long length, long sent, int hold_ms, int pid)
{
    int *fds = calloc((size_t)count, sizeof(int));
    char *body = malloc((size_t)sent + 1);
    if (!fds || !body)
        return 2;
    memset(body, 'x', (size_t)sent);
    char head[256];
    int hl = snprintf(head, sizeof(head),
                      "POST /api/v1/session HTTP/1.1\r\nHost: probe\r\n"
                      "Content-Type: application/json\r\nContent-Length: %ld\r\n\r\n",
                      length);
    int connected = 0;
    for (int i = 0; i < count; i++) {
        char src[32];
        snprintf(src, sizeof(src), "127.0.0.%d", 10 + i % 10);
        fds[i] = connect_loopback(port, src);
        if (fds[i] < 0)
            continue;
        connected++;
        if (!send_all(fds[i], head, (size_t)hl) || !send_all(fds[i], body, (size_t)sent)) {
            close(fds[i]);
            fds[i] = -1;
        }
    }
    usleep((useconds_t)hold_ms * 1000);
    long rss = status_kib(pid, "VmRSS"), hwm = status_kib(pid, "VmHWM");
    int open = 0, closed = 0, answered[600] = {0};
    for (int i = 0; i < count; i++) {
        if (fds[i] < 0)
            continue;
        struct pollfd pfd = {fds[i], POLLIN, 0};
        if (poll(&pfd, 1, 0) == 0) {
            open++;
        } else {
            char buf[512];
            ssize_t got = recv(fds[i], buf, sizeof(buf) - 1, MSG_DONTWAIT);
            int status = got >= 12 ? (int)num(buf + 9) : 0;
            if (status > 0 && status < 600)
                answered[status]++;
            else
                closed++;
        }
        close(fds[i]);
    }
    printf("connected=%d open=%d closed=%d rss_kib=%ld hwm_kib=%ld", connected, open, closed, rss,
           hwm);
    for (int s = 100; s < 600; s++) {
        if (answered[s])
            printf(" answered_%d=%d", s, answered[s]);
    }
    printf("\n");
    free(fds);
    free(body);
    return 0;
}

static unsigned old_slot(const char *key)
{
    unsigned char h[8];
    crypto_generichash(h, sizeof(h), (const unsigned char *)key, strlen(key), NULL, 0);
    uint64_t v;
    memcpy(&v, h, sizeof(v));
    return (unsigned)(v % 4096);
}

static int run_collide(const char *key, int count)
{
    if (sodium_init() < 0)
        return 2;
    unsigned target = old_slot(key);
    char email[64], k[80];
    for (long i = 0; count > 0 && i < 100000000L; i++) {
        snprintf(email, sizeof(email), "c%ld@attacker.example", i);
        snprintf(k, sizeof(k), "a:%s", email);
        if (old_slot(k) == target && strcmp(k, key) != 0) {
            printf("%s\n", email);
            count--;
        }
    }
    return count == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "collide") == 0)
        return run_collide(argv[2], (int)num(argv[3]));
    if (argc >= 4 && argc <= 6 && strcmp(argv[2], "cases") == 0)
        return run_cases((int)num(argv[1]), argv[3], argc >= 5 ? strtod(argv[4], NULL) : 5.0,
                         argc == 6 ? argv[5] : NULL);
    if (argc == 8 && strcmp(argv[2], "flood") == 0)
        return run_flood((int)num(argv[1]), (int)num(argv[3]), num(argv[4]), num(argv[5]),
                         (int)num(argv[6]), (int)num(argv[7]));
    fprintf(stderr, "usage: probe PORT cases FILE [SECONDS [SOURCE]] | PORT flood N LENGTH SENT "
                    "HOLD_MS PID | collide KEY N\n");
    return 64;
}
