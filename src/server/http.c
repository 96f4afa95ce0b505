/* The HTTP layer of handoffd on libmicrohttpd 0.9.75: what a request must look like before
 * it reaches the router, how much memory a client may make the server hold, how long a
 * client may take, and the headers of every answer.
 *
 * Design. MHD_USE_EPOLL stalled intermittently on this machine class, so the daemon uses
 * an internal poll() thread pool. Each request goes through three gates:
 *
 * 1. The request line (URI log callback, before MHD decodes anything): the raw target is
 *    checked by hf_http_target_check() (no NUL, control character, encoded slash, bad
 *    percent-encoding or non-UTF-8 bytes; at most HF_MAX_TARGET bytes), since the decoded
 *    path MHD hands over later is a C string that an encoded NUL would silently cut.
 * 2. The header (first call of the access handler, before any body byte is read and
 *    before MHD may send `100 Continue`): header size and count (431), the per-address
 *    rate (429), the framing (one Content-Length, or Transfer-Encoding: chunked alone;
 *    else 400), the media type of an API body (415), the body size (413: unauthenticated
 *    requests get --max-anon-body, and only a request whose credentials check out at
 *    this point gets --max-body), and a reservation of the body's bytes in a global
 *    budget (503 + Retry-After past --max-buffered; unauthenticated bodies may take a
 *    quarter of it). An answer queued here makes MHD skip `100 Continue`, discard the
 *    body and close the connection after the answer.
 * 3. The body (upload calls): appended up to the request's limit; a chunked body that
 *    outgrows its limit or the budget is drained and answered 413 or 503 at the end.
 *
 * Deadlines. MHD's connection timeout is an idle timeout: a client that sends one byte
 * every few seconds keeps a connection, and the memory behind it, forever. So each
 * connection is also tracked here (MHD_OPTION_NOTIFY_CONNECTION) with an absolute
 * deadline per phase: the request head within --header-timeout of the connection (or of
 * the request line of a later request), the body within --body-timeout of the head, the
 * next request line within --idle-timeout of the previous answer. A reaper thread answers
 * an expired head or body with a 408 problem document itself and shuts the socket down
 * (shutdown(2), never close(2): the descriptor stays MHD's until it reports the connection
 * closed, and the tracking entry goes away under the same lock), which makes MHD close the
 * connection at once.
 *
 * A response must not be queued on the first call of the access handler when the request
 * is fine (MHD would then drop keep-alive: measured ~3x slower), so that call only checks.
 * Every response made here carries the security headers and every error is problem+json;
 * the few answers libmicrohttpd makes by itself are listed in docs/internals/server.md.
 * Every request is logged as one JSON line and counted in the metrics. */
#include "server/server.h"

#include "server/parse.h"

#include "handoff/document.h"
#include "handoff/hooks.h"
#include "handoff/service.h"
#include "handoff/time.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Limits of the request head, below libmicrohttpd's own (its 64 KiB connection pool), so
 * that a client who exceeds them gets our problem document rather than MHD's page. */
#define HF_MAX_TARGET 8192
#define HF_MAX_HEADER_BYTES 16384
#define HF_MAX_HEADERS 100
/* The budget of a chunked body (size unknown in advance) is taken in steps of this. */
#define BUDGET_STEP 16384
#define REAPER_PERIOD_MS 200

/* ---- connections and their deadlines ---- */

typedef enum conn_phase {
    PHASE_HEAD,   /* reading a request head: deadline header_timeout */
    PHASE_BODY,   /* reading a request body: deadline body_timeout */
    PHASE_BUSY,   /* the handler runs or the answer is being sent: no deadline here */
    PHASE_IDLE,   /* keep-alive between requests: deadline idle_timeout */
    PHASE_REAPED, /* the reaper answered and shut the socket down */
} conn_phase;

/* One per TCP connection, from MHD_CONNECTION_NOTIFY_STARTED to _CLOSED, in g_conns. */
typedef struct conn_track {
    struct conn_track *prev, *next;
    MHD_socket fd;
    conn_phase phase;
    int64_t deadline_ms;
} conn_track;

static pthread_mutex_t g_conns_lock = PTHREAD_MUTEX_INITIALIZER;
static conn_track *g_conns;
static pthread_t g_reaper;
static bool g_reaper_running, g_reaper_stop;
static pthread_cond_t g_reaper_cond = PTHREAD_COND_INITIALIZER;

/* One per request, from the URI log callback to MHD_OPTION_NOTIFY_COMPLETED. */
typedef struct conn_state {
    char *body;
    size_t len, cap;
    size_t limit;      /* the most this request may buffer */
    size_t reserved;   /* bytes of the budget it holds */
    bool anonymous;    /* its budget is the unauthenticated share */
    bool checked;      /* the header gate ran (first call of the access handler) */
    bool draining;     /* the body is read and dropped; `verdict` is the answer */
    int verdict;       /* 413 or 503 decided during the upload, 0 for none */
    int target_status; /* hf_http_target_check() of the raw target */
    const char *target_why;
    const char *raw_target; /* where MHD had the raw target, for the hidden-NUL check */
    size_t raw_len;
    char *hook_target; /* a copy of the raw target of a /hooks/ request */
    double started;
} conn_state;

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static conn_track *track_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* Move the connection to `phase` with a deadline `seconds` from now (0: none). Returns
 * false when the reaper got there first: the connection is finished and must be dropped. */
static bool track_set(struct MHD_Connection *c, conn_phase phase, unsigned seconds)
{
    conn_track *t = track_of(c);
    bool alive = true;
    if (!t)
        return true;
    pthread_mutex_lock(&g_conns_lock);
    if (t->phase == PHASE_REAPED) {
        alive = false;
    } else {
        t->phase = phase;
        t->deadline_ms = seconds ? mono_ms() + (int64_t)seconds * 1000 : 0;
    }
    pthread_mutex_unlock(&g_conns_lock);
    return alive;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        conn_track *t = calloc(1, sizeof(*t));
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!t || !ci) {
            free(t);
            *socket_context = NULL;
            return;
        }
        t->fd = ci->connect_fd;
        t->phase = PHASE_HEAD;
        t->deadline_ms = mono_ms() + (int64_t)hf_server_cfg()->header_timeout * 1000;
        pthread_mutex_lock(&g_conns_lock);
        t->next = g_conns;
        if (g_conns)
            g_conns->prev = t;
        g_conns = t;
        pthread_mutex_unlock(&g_conns_lock);
        *socket_context = t;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        conn_track *t = *socket_context;
        if (!t)
            return;
        pthread_mutex_lock(&g_conns_lock);
        if (t->prev)
            t->prev->next = t->next;
        else
            g_conns = t->next;
        if (t->next)
            t->next->prev = t->prev;
        pthread_mutex_unlock(&g_conns_lock);
        free(t);
        *socket_context = NULL;
    }
}

/* ---- the budget of buffered request bodies ---- */

static pthread_mutex_t g_budget_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t g_buffered, g_buffered_anon;

/* Take `n` more bytes for `cs`; false when the budget (or its unauthenticated share) would
 * be exceeded. */
static bool budget_take(conn_state *cs, size_t n)
{
    size_t total = hf_server_cfg()->max_buffered;
    size_t anon = total / 4;
    bool ok;
    pthread_mutex_lock(&g_budget_lock);
    ok = g_buffered + n <= total && (!cs->anonymous || g_buffered_anon + n <= anon);
    if (ok) {
        g_buffered += n;
        if (cs->anonymous)
            g_buffered_anon += n;
        cs->reserved += n;
    }
    pthread_mutex_unlock(&g_budget_lock);
    return ok;
}

static void budget_give_back(conn_state *cs)
{
    pthread_mutex_lock(&g_budget_lock);
    g_buffered -= cs->reserved;
    if (cs->anonymous)
        g_buffered_anon -= cs->reserved;
    pthread_mutex_unlock(&g_budget_lock);
    cs->reserved = 0;
}

/* ---- requests and responses ---- */

const char *hf_req_header(const hf_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *hf_req_query(const hf_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

typedef struct each_header {
    int (*cb)(void *ctx, const char *name, const char *value);
    void *ctx;
} each_header;

static enum MHD_Result each_header_cb(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    each_header *e = cls;
    (void)kind;
    return e->cb(e->ctx, key, value ? value : "") ? MHD_NO : MHD_YES;
}

void hf_req_each_header(const hf_req *r, int (*cb)(void *ctx, const char *name, const char *value),
                        void *ctx)
{
    each_header e = {cb, ctx};
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, each_header_cb, &e);
}

/* The first element of a comma-separated header value, trimmed, into out. */
static bool first_element(const char *v, char *out, size_t cap)
{
    if (!v)
        return false;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strcspn(v, ",");
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= cap)
        return false;
    memcpy(out, v, n);
    out[n] = '\0';
    return true;
}

static bool trusted_proxy(const hf_req *r)
{
    const char *list = hf_server_cfg()->trust_proxy;
    size_t ip = strlen(r->client_ip);
    for (const char *p = list; p && *p && ip;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == ip && strncmp(p, r->client_ip, n) == 0)
            return true;
        p += n;
    }
    return false;
}

/* A host as a header may carry it: letters, digits, dots, dashes, a port, an IPv6
 * literal in brackets. Anything else is not used. */
static bool host_ok(const char *h)
{
    if (!*h || strlen(h) > 255)
        return false;
    for (const char *p = h; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_'))
            return false;
    }
    return true;
}

void hf_req_public_base(const hf_req *r, char *out, size_t cap)
{
    const char *pub = hf_server_cfg()->public_url;
    if (pub && *pub) {
        size_t n = strlen(pub);
        while (n && pub[n - 1] == '/')
            n--;
        snprintf(out, cap, "%.*s", (int)n, pub);
        return;
    }
    char proto[16] = "http", host[256] = "";
    if (trusted_proxy(r)) {
        char v[256];
        const char *fwd = hf_req_header(r, "Forwarded");
        if (fwd && first_element(fwd, v, sizeof(v))) {
            /* RFC 7239: proto=https;host=example.com */
            for (char *p = v; p && *p;) {
                char *semi = strchr(p, ';');
                if (semi)
                    *semi = '\0';
                while (*p == ' ')
                    p++;
                char *val = strchr(p, '=');
                if (val) {
                    *val++ = '\0';
                    size_t vn = strlen(val);
                    if (vn >= 2 && val[0] == '"' && val[vn - 1] == '"') {
                        val[vn - 1] = '\0';
                        val++;
                    }
                    if (strcasecmp(p, "proto") == 0 && strlen(val) < sizeof(proto))
                        snprintf(proto, sizeof(proto), "%s", val);
                    else if (strcasecmp(p, "host") == 0 && strlen(val) < sizeof(host))
                        snprintf(host, sizeof(host), "%s", val);
                }
                p = semi ? semi + 1 : NULL;
            }
        }
        if (first_element(hf_req_header(r, "X-Forwarded-Proto"), v, sizeof(v)) &&
            strlen(v) < sizeof(proto))
            snprintf(proto, sizeof(proto), "%s", v);
        if (first_element(hf_req_header(r, "X-Forwarded-Host"), v, sizeof(v)))
            snprintf(host, sizeof(host), "%s", v);
    }
    if (strcasecmp(proto, "https") != 0)
        snprintf(proto, sizeof(proto), "http");
    else
        snprintf(proto, sizeof(proto), "https");
    if (!host[0] || !host_ok(host)) {
        const char *h = hf_req_header(r, "Host");
        snprintf(host, sizeof(host), "%s", h && host_ok(h) ? h : "localhost");
    }
    snprintf(out, cap, "%s://%s", proto, host);
}

int hf_resp_json(hf_resp *out, int status, json_t *body)
{
    out->status = status;
    out->content_type = "application/json";
    /* objects and arrays by the fast writer (the same text as jansson's, byte for byte) */
    out->body = !body ? NULL
                : json_is_object(body) || json_is_array(body)
                    ? hf_json_dumps_compact(body, 15)
                    : json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY);
    out->len = out->body ? strlen(out->body) : 0;
    json_decref(body);
    return 0;
}

int hf_resp_problem(hf_resp *out, int status, const char *title, const char *detail,
                    const char *field)
{
    json_t *p = json_object();
    char type[96];
    snprintf(type, sizeof(type), "https://handoff.example/problems/%d", status);
    json_object_set_new(p, "type", json_string(type));
    /* titles and fixed details are catalog msgids; details the service wrote are in the
     * caller's language already (a lookup that finds nothing returns the text itself) */
    json_object_set_new(p, "title", json_string(hf_tr(out->lang, title)));
    json_object_set_new(p, "status", json_integer(status));
    if (detail)
        json_object_set_new(p, "detail", json_string(hf_tr(out->lang, detail)));
    if (field && *field)
        json_object_set_new(p, "field", json_string(field));
    hf_resp_json(out, status, p);
    out->content_type = "application/problem+json";
    return 0;
}

int hf_resp_text(hf_resp *out, int status, const char *content_type, const char *text)
{
    out->status = status;
    out->content_type = content_type;
    out->body = strdup(text);
    out->len = out->body ? strlen(out->body) : 0;
    return 0;
}

static void client_ip(struct MHD_Connection *c, char *buf, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    buf[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                  (socklen_t)cap);
}

static void log_request(const hf_req *req, int status, double seconds, size_t bytes)
{
    char ts[HF_TIME_BUFSZ];
    json_t *line = json_object();
    json_object_set_new(line, "ts", json_string(hf_time_format_utc(hf_clock_now(), ts)));
    /* a path may hold bytes that are not UTF-8 when it was refused for that reason */
    json_object_set_new(line, "method", json_string(req->method));
    json_t *path = json_string(req->path);
    json_object_set_new(line, "path", path ? path : json_string("(not UTF-8)"));
    json_object_set_new(line, "route", json_string(req->route ? req->route : "-"));
    json_object_set_new(line, "status", json_integer(status));
    json_object_set_new(line, "ms", json_real((double)(int64_t)(seconds * 1e5) / 100.0));
    json_object_set_new(line, "bytes", json_integer((json_int_t)bytes));
    json_object_set_new(line, "ip", json_string(req->client_ip));
    if (req->who.authenticated)
        json_object_set_new(line, "user", json_integer(req->who.user_id));
    char *s = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(10));
    if (s) {
        fprintf(stdout, "%s\n", s);
        free(s);
    }
    json_decref(line);
}

/* The headers every answer carries, in MHD's and in the reaper's raw form. */
#define SECURITY_HEADERS(X)                                                                        \
    X("X-Content-Type-Options", "nosniff")                                                         \
    X("X-Frame-Options", "DENY")                                                                   \
    X("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")                     \
    X("Referrer-Policy", "no-referrer")                                                            \
    X("Cache-Control", "no-store")

static enum MHD_Result send_response(struct MHD_Connection *c, hf_resp *r)
{
    struct MHD_Response *mr =
        MHD_create_response_from_buffer(r->len, r->body ? r->body : (void *)"",
                                        r->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    r->body = NULL; /* owned by MHD now */
    if (!mr)
        return MHD_NO;
    if (r->content_type)
        MHD_add_response_header(mr, "Content-Type", r->content_type);
    if (r->etag[0])
        MHD_add_response_header(mr, "ETag", r->etag);
    if (r->location[0])
        MHD_add_response_header(mr, "Location", r->location);
    if (r->set_cookie[0])
        MHD_add_response_header(mr, "Set-Cookie", r->set_cookie);
    if (r->allow)
        MHD_add_response_header(mr, "Allow", r->allow);
    if (r->retry_after > 0) {
        char ra[16];
        snprintf(ra, sizeof(ra), "%d", r->retry_after);
        MHD_add_response_header(mr, "Retry-After", ra);
    }
    /* the security headers of every answer; the pages choose their own policy and caching */
    MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(mr, "X-Frame-Options", "DENY");
    MHD_add_response_header(mr, "Content-Security-Policy",
                            r->csp ? r->csp : "default-src 'none'; frame-ancestors 'none'");
    MHD_add_response_header(mr, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(mr, "Cache-Control", r->cache_control ? r->cache_control : "no-store");
    if (r->content_encoding)
        MHD_add_response_header(mr, "Content-Encoding", r->content_encoding);
    if (r->vary)
        MHD_add_response_header(mr, "Vary", r->vary);
    MHD_add_response_header(mr, "Content-Language", hf_lang_code(r->lang));
    if (r->status == 401)
        MHD_add_response_header(mr, "WWW-Authenticate", "Bearer realm=\"handoff\"");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

/* The method as a metrics label: a client may send any token as a method, and the label
 * goes unescaped into the Prometheus text and takes a slot of a fixed table. */
static const char *metric_method(const char *m)
{
    static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (strcmp(m, known[i]) == 0)
            return known[i];
    }
    return "OTHER";
}

/* Send the answer, count it and log it. */
static enum MHD_Result answer(struct MHD_Connection *c, conn_state *cs, hf_req *req, hf_resp *resp)
{
    const hf_server_config *cfg = hf_server_cfg();
    double seconds = mono_now() - cs->started;
    int status = resp->status;
    size_t bytes = resp->len;
    enum MHD_Result ret = send_response(c, resp);
    free(resp->body);
    hf_metrics_request(req->route ? req->route : "unmatched", metric_method(req->method), status,
                       seconds);
    if (cfg->log_requests)
        log_request(req, status, seconds, bytes);
    return ret;
}

/* ---- the header gate ---- */

typedef struct header_count {
    unsigned total, content_length, transfer_encoding;
} header_count;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    (void)value;
    header_count *h = cls;
    h->total++;
    if (strcasecmp(key, "Content-Length") == 0)
        h->content_length++;
    else if (strcasecmp(key, "Transfer-Encoding") == 0)
        h->transfer_encoding++;
    return MHD_YES;
}

/* Media types an API body may have; which one a route takes is the handler's business. */
static bool api_media_type(const char *ct)
{
    return hf_media_type_is(ct, "application/json") ||
           hf_media_type_is(ct, "application/merge-patch+json");
}

/* Do the request's credentials identify someone right now? Only asked for a body larger
 * than the unauthenticated limit; the router authenticates again when the body is in. */
static bool authenticated(hf_req *req)
{
    if (!hf_req_header(req, "Authorization") && !hf_req_header(req, "Cookie"))
        return false;
    hf_resp scratch;
    memset(&scratch, 0, sizeof(scratch));
    hf_principal saved = req->who;
    bool ok = hf_auth_identify(req, &scratch) == 0 && req->who.authenticated;
    free(scratch.body);
    req->who = saved;
    return ok;
}

/* The header gate (see the top of the file). Returns 0 when the request may go on, or
 * fills `resp` with the answer. */
static int check_header(struct MHD_Connection *c, conn_state *cs, hf_req *req, const char *version,
                        hf_resp *resp)
{
    const hf_server_config *cfg = hf_server_cfg();
#if MHD_VERSION < 0x01000000
    /* libmicrohttpd 0.9 keeps the request line in one buffer, the target ending right
     * before the version: when the target seen by the URI callback ends earlier, a raw
     * NUL byte cut it (and would cut the path the router sees) */
    if (cs->raw_target && version != cs->raw_target + cs->raw_len + 1)
        return hf_resp_problem(resp, 400, "Bad Request", "the request target contains a NUL byte",
                               NULL);
#else
    (void)version;
#endif
    if (cs->target_status)
        return hf_resp_problem(resp, cs->target_status,
                               cs->target_status == 414 ? "URI Too Long" : "Bad Request",
                               cs->target_why, NULL);
    header_count h = {0, 0, 0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &h);
    const union MHD_ConnectionInfo *hs =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    if (h.total > HF_MAX_HEADERS || (hs && hs->header_size > HF_MAX_HEADER_BYTES))
        return hf_resp_problem(resp, 431, "Request Header Fields Too Large",
                               "the request head is over 16 KiB or 100 fields", NULL);
    if (!hf_rate_allow(req->client_ip, mono_ms())) {
        resp->retry_after = 1;
        return hf_resp_problem(resp, 429, "Too Many Requests",
                               "too many requests from this address; slow down", NULL);
    }
    /* framing: exactly one way to find the end of the body (RFC 9112 §6.3) */
    const char *te = hf_req_header(req, "Transfer-Encoding");
    const char *cl = hf_req_header(req, "Content-Length");
    bool chunked = false;
    if (h.content_length > 1 || h.transfer_encoding > 1 || (te && cl))
        return hf_resp_problem(resp, 400, "Bad Request",
                               "send one Content-Length or Transfer-Encoding: chunked, not both "
                               "and not twice",
                               NULL);
    if (te) {
        if (strcasecmp(version, "HTTP/1.1") != 0 || !hf_media_type_is(te, "chunked") ||
            strchr(te, ';'))
            return hf_resp_problem(resp, 400, "Bad Request",
                                   "the only Transfer-Encoding understood is chunked (HTTP/1.1)",
                                   NULL);
        chunked = true;
    }
    unsigned long long declared = 0;
    if (cl) {
        /* libmicrohttpd accepted it as digits that fit in 64 bits */
        char *end;
        errno = 0;
        declared = strtoull(cl, &end, 10);
        if (errno || *end)
            return hf_resp_problem(resp, 400, "Bad Request", "a malformed Content-Length", NULL);
    }
    bool has_body = chunked || declared > 0;
    /* a webhook of a known endpoint may bring the body its parser accepts (1 MiB) before
     * its signature is checked; any other unauthenticated request less */
    char hook_params[HF_ROUTE_PARAMS][HF_ROUTE_PARAM_MAX];
    int hook_nparams = 0;
    bool hook = hf_route_match("/hooks/{}/{}", req->path, hook_params, &hook_nparams) &&
                hf_server_service() &&
                hf_svc_hook_endpoint_known(hf_server_service(), hook_params[0], hook_params[1]);
    if (has_body && strncmp(req->path, "/api/", 5) == 0 &&
        !api_media_type(hf_req_header(req, "Content-Type")))
        return hf_resp_problem(resp, 415, "Unsupported Media Type",
                               "send application/json (application/merge-patch+json where a "
                               "route takes a merge patch)",
                               NULL);
    cs->anonymous = true;
    cs->limit = cfg->max_anon_body < cfg->max_body ? cfg->max_anon_body : cfg->max_body;
    if (hook) {
        cs->limit = HF_HOOK_BODY_MAX;
    } else if ((chunked || declared > cs->limit) && authenticated(req)) {
        cs->anonymous = false;
        cs->limit = cfg->max_body;
    }
    if (declared > cs->limit) {
        char detail[160];
        snprintf(detail, sizeof(detail), "the request body is larger than %zu bytes%s", cs->limit,
                 cs->anonymous ? " (the limit before authentication)" : "");
        return hf_resp_problem(resp, 413, "Payload Too Large", detail, NULL);
    }
    if (declared > 0 && !budget_take(cs, (size_t)declared)) {
        resp->retry_after = 5;
        return hf_resp_problem(resp, 503, "Service Unavailable",
                               "the server holds too many request bodies at once; retry", NULL);
    }
    if (!track_set(c, has_body ? PHASE_BODY : PHASE_BUSY, has_body ? cfg->body_timeout : 0))
        return -1;
    return 0;
}

/* Append an upload piece, or drain it once the request is refused. */
static bool take_upload(conn_state *cs, const char *data, size_t n)
{
    if (cs->draining)
        return true;
    if (cs->len + n > cs->limit) {
        cs->draining = true;
        cs->verdict = 413;
        return true;
    }
    if (cs->len + n > cs->reserved) {
        /* a chunked body: reserve as it comes */
        size_t want = cs->len + n - cs->reserved;
        want = (want + BUDGET_STEP - 1) / BUDGET_STEP * BUDGET_STEP;
        if (cs->reserved + want > cs->limit)
            want = cs->limit - cs->reserved;
        if (!budget_take(cs, want)) {
            cs->draining = true;
            cs->verdict = 503;
            return true;
        }
    }
    if (cs->len + n + 1 > cs->cap) {
        size_t ncap = cs->cap ? cs->cap : 4096;
        while (ncap < cs->len + n + 1)
            ncap *= 2;
        if (ncap > cs->limit + 1)
            ncap = cs->limit + 1;
        char *nb = realloc(cs->body, ncap);
        if (!nb)
            return false;
        cs->body = nb;
        cs->cap = ncap;
    }
    memcpy(cs->body + cs->len, data, n);
    cs->len += n;
    cs->body[cs->len] = '\0';
    return true;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    conn_state *cs = calloc(1, sizeof(*cs));
    if (!cs)
        return NULL;
    cs->started = mono_now();
    cs->raw_target = uri;
    cs->raw_len = strlen(uri);
    if (strncmp(uri, "/hooks/", 7) == 0)
        cs->hook_target = strdup(uri);
    cs->target_status = hf_http_target_check(uri, cs->raw_len, HF_MAX_TARGET, &cs->target_why);
    /* a later request of a keep-alive connection: its head is due in header_timeout */
    conn_track *t = track_of(c);
    if (t) {
        pthread_mutex_lock(&g_conns_lock);
        if (t->phase == PHASE_IDLE) {
            t->phase = PHASE_HEAD;
            t->deadline_ms = mono_ms() + (int64_t)hf_server_cfg()->header_timeout * 1000;
        }
        pthread_mutex_unlock(&g_conns_lock);
    }
    return cs;
}

static void fill_req(hf_req *req, struct MHD_Connection *c, const char *url, const char *method,
                     const conn_state *cs)
{
    memset(req, 0, sizeof(*req));
    req->method = method;
    req->path = url;
    req->conn = c;
    req->body = cs->body ? cs->body : "";
    req->body_len = cs->len;
    req->raw_target = cs->hook_target;
    client_ip(c, req->client_ip, sizeof(req->client_ip));
    const char *accept_lang = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
    const char *lang_q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
    /* the first language of Accept-Language ("pt-BR,pt;q=0.9,en;q=0.8" -> pt-BR) */
    char first[32];
    hf_http_first_language(accept_lang, first, sizeof(first));
    hf_lang asked;
    req->lang_from_query = lang_q && hf_lang_parse(lang_q, &asked);
    req->lang = hf_lang_choose(lang_q, NULL, NULL, NULL, first);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    conn_state *cs = *con_cls;
    if (!cs) {
        /* the URI callback could not allocate; try once more, without its target check */
        cs = calloc(1, sizeof(*cs));
        if (!cs)
            return MHD_NO;
        cs->started = mono_now();
        *con_cls = cs;
    }
    hf_req req;
    hf_resp resp;
    memset(&resp, 0, sizeof(resp));
    if (!cs->checked) {
        cs->checked = true;
        fill_req(&req, c, url, method, cs);
        resp.lang = req.lang;
        int rc = check_header(c, cs, &req, version, &resp);
        if (rc < 0)
            return MHD_NO; /* reaped meanwhile */
        if (rc == 0 && resp.status == 0)
            return MHD_YES;
        /* refused at header time: MHD sends no 100 Continue, drops the body, closes */
        track_set(c, PHASE_BUSY, 0);
        return answer(c, cs, &req, &resp);
    }
    if (*upload_size) {
        conn_track *t = track_of(c);
        if (t) {
            pthread_mutex_lock(&g_conns_lock);
            bool reaped = t->phase == PHASE_REAPED;
            pthread_mutex_unlock(&g_conns_lock);
            if (reaped)
                return MHD_NO;
        }
        bool ok = take_upload(cs, upload_data, *upload_size);
        *upload_size = 0;
        return ok ? MHD_YES : MHD_NO;
    }
    if (!track_set(c, PHASE_BUSY, 0))
        return MHD_NO;
    fill_req(&req, c, url, method, cs);
    resp.lang = req.lang;
    if (cs->verdict == 413) {
        char detail[160];
        snprintf(detail, sizeof(detail), "the request body is larger than %zu bytes%s", cs->limit,
                 cs->anonymous ? " (the limit before authentication)" : "");
        hf_resp_problem(&resp, 413, "Payload Too Large", detail, NULL);
    } else if (cs->verdict == 503) {
        hf_resp_problem(&resp, 503, "Service Unavailable",
                        "the server holds too many request bodies at once; retry", NULL);
        resp.retry_after = 5;
    } else if (hf_web_owns(req.path)) {
        hf_web_handle(&req, &resp);
    } else {
        hf_api_handle(&req, &resp);
    }
    return answer(c, cs, &req, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    conn_state *cs = *con_cls;
    if (cs) {
        budget_give_back(cs);
        free(cs->body);
        free(cs->hook_target);
        free(cs);
        *con_cls = NULL;
    }
    /* keep-alive: the next request line is due within the idle timeout */
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        track_set(c, PHASE_IDLE, hf_server_cfg()->idle_timeout);
}

/* ---- the reaper ---- */

/* The 408 the reaper writes itself: a complete HTTP/1.1 answer with the security headers
 * and a problem document, made once. */
static char g_timeout_answer[1024];
static size_t g_timeout_answer_len;

static void make_timeout_answer(void)
{
    static const char body[] =
        "{\"type\":\"https://handoff.example/problems/408\",\"title\":\"Request Timeout\","
        "\"status\":408,\"detail\":\"the request was not received in time\"}";
    size_t n = (size_t)snprintf(g_timeout_answer, sizeof(g_timeout_answer),
                                "HTTP/1.1 408 Request Timeout\r\n"
                                "Content-Type: application/problem+json\r\n"
                                "Content-Length: %zu\r\n"
                                "Connection: close\r\n",
                                sizeof(body) - 1);
#define RAW_HEADER(name, value)                                                                    \
    n += (size_t)snprintf(g_timeout_answer + n, sizeof(g_timeout_answer) - n, "%s: %s\r\n", name,  \
                          value);
    SECURITY_HEADERS(RAW_HEADER)
#undef RAW_HEADER
    n += (size_t)snprintf(g_timeout_answer + n, sizeof(g_timeout_answer) - n, "\r\n%s", body);
    g_timeout_answer_len = n < sizeof(g_timeout_answer) ? n : sizeof(g_timeout_answer) - 1;
}

static void reap_expired(void)
{
    int64_t now = mono_ms();
    pthread_mutex_lock(&g_conns_lock);
    for (conn_track *t = g_conns; t; t = t->next) {
        if (t->phase == PHASE_BUSY || t->phase == PHASE_REAPED || !t->deadline_ms ||
            t->deadline_ms > now)
            continue;
        /* a request that is late gets an answer; an idle keep-alive connection is closed,
         * as MHD's idle timeout would */
        if (t->phase == PHASE_HEAD || t->phase == PHASE_BODY) {
            ssize_t w =
                send(t->fd, g_timeout_answer, g_timeout_answer_len, MSG_NOSIGNAL | MSG_DONTWAIT);
            (void)w;
        }
        t->phase = PHASE_REAPED;
        /* MHD sees end of file at once and closes the connection itself */
        shutdown(t->fd, SHUT_RDWR);
    }
    pthread_mutex_unlock(&g_conns_lock);
}

static void *reaper_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g_conns_lock);
    while (!g_reaper_stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += REAPER_PERIOD_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g_reaper_cond, &g_conns_lock, &until);
        if (g_reaper_stop)
            break;
        pthread_mutex_unlock(&g_conns_lock);
        reap_expired();
        pthread_mutex_lock(&g_conns_lock);
    }
    pthread_mutex_unlock(&g_conns_lock);
    return NULL;
}

/* ---- the daemon ---- */

struct MHD_Daemon *hf__http_start(const hf_server_config *cfg, unsigned *bound_port);
void hf__http_stop(struct MHD_Daemon *d);

struct MHD_Daemon *hf__http_start(const hf_server_config *cfg, unsigned *bound_port)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)cfg->listen_port);
    if (inet_pton(AF_INET, cfg->listen_host, &addr.sin_addr) != 1)
        return NULL;
    make_timeout_answer();
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
        (uint16_t)cfg->listen_port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->idle_timeout,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)cfg->max_conn_per_ip,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->max_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_URI_LOG_CALLBACK,
        on_uri, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d)
        return NULL;
    g_reaper_stop = false;
    g_reaper_running = pthread_create(&g_reaper, NULL, reaper_main, NULL) == 0;
    if (!g_reaper_running) {
        MHD_stop_daemon(d);
        return NULL;
    }
    if (bound_port) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        *bound_port = info ? info->port : cfg->listen_port;
    }
    return d;
}

void hf__http_stop(struct MHD_Daemon *d)
{
    if (!d)
        return;
    /* stop accepting, then let the requests in flight finish (the reaper still bounds a
     * slow client), then stop the reaper */
    MHD_socket s = MHD_quiesce_daemon(d);
    if (s != MHD_INVALID_SOCKET)
        close(s);
    MHD_stop_daemon(d);
    if (g_reaper_running) {
        pthread_mutex_lock(&g_conns_lock);
        g_reaper_stop = true;
        pthread_cond_signal(&g_reaper_cond);
        pthread_mutex_unlock(&g_conns_lock);
        pthread_join(g_reaper, NULL);
        g_reaper_running = false;
    }
}
