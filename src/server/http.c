/* The HTTP layer of handoffd on libmicrohttpd 0.9.75.
 *
 * Measured on this machine class: MHD_USE_EPOLL stalled intermittently, so the daemon uses
 * an internal poll() thread pool; a response must not be queued on the first call of the
 * access handler (MHD would then drop keep-alive), so the first call only allocates the
 * request. The body is collected up to the configured limit; past it the rest is drained
 * and the answer is 413. Every response carries the security headers; every request is
 * logged as one JSON line and counted in the metrics. */
#include "server/server.h"

#include "server/parse.h"

#include "handoff/time.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct conn_state {
    char *body;
    size_t len, cap;
    bool too_large;
    double started;
} conn_state;

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *hf_req_header(const hf_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *hf_req_query(const hf_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int hf_resp_json(hf_resp *out, int status, json_t *body)
{
    out->status = status;
    out->content_type = "application/json";
    out->body =
        body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY) : NULL;
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
    json_object_set_new(p, "title", json_string(title));
    json_object_set_new(p, "status", json_integer(status));
    if (detail)
        json_object_set_new(p, "detail", json_string(detail));
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
    json_object_set_new(line, "ts", json_string(hf_time_format_utc((hf_time)time(NULL), ts)));
    json_object_set_new(line, "method", json_string(req->method));
    json_object_set_new(line, "path", json_string(req->path));
    json_object_set_new(line, "route", json_string(req->route ? req->route : "-"));
    json_object_set_new(line, "status", json_integer(status));
    json_object_set_new(line, "ms", json_real((double)(int64_t)(seconds * 1e5) / 100.0));
    json_object_set_new(line, "bytes", json_integer((json_int_t)bytes));
    json_object_set_new(line, "ip", json_string(req->client_ip));
    if (req->who.authenticated)
        json_object_set_new(line, "user", json_integer(req->who.user_id));
    char *s = json_dumps(line, JSON_COMPACT);
    if (s) {
        fprintf(stdout, "%s\n", s);
        free(s);
    }
    json_decref(line);
}

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
    if (r->status == 401)
        MHD_add_response_header(mr, "WWW-Authenticate", "Bearer realm=\"handoff\"");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    const hf_server_config *cfg = hf_server_cfg();
    conn_state *cs = *con_cls;
    if (!cs) {
        cs = calloc(1, sizeof(*cs));
        if (!cs)
            return MHD_NO;
        cs->started = mono_now();
        *con_cls = cs;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cs->too_large) {
            if (cs->len + *upload_size > cfg->max_body) {
                cs->too_large = true;
            } else {
                if (cs->len + *upload_size + 1 > cs->cap) {
                    size_t ncap = cs->cap ? cs->cap : 4096;
                    while (ncap < cs->len + *upload_size + 1)
                        ncap *= 2;
                    char *nb = realloc(cs->body, ncap);
                    if (!nb)
                        return MHD_NO;
                    cs->body = nb;
                    cs->cap = ncap;
                }
                memcpy(cs->body + cs->len, upload_data, *upload_size);
                cs->len += *upload_size;
                cs->body[cs->len] = '\0';
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }

    hf_req req;
    memset(&req, 0, sizeof(req));
    req.method = method;
    req.path = url;
    req.conn = c;
    req.body = cs->body ? cs->body : "";
    req.body_len = cs->len;
    client_ip(c, req.client_ip, sizeof(req.client_ip));
    const char *accept_lang = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
    const char *lang_q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
    /* the first language of Accept-Language ("pt-BR,pt;q=0.9,en;q=0.8" -> pt-BR) */
    char first[32];
    hf_http_first_language(accept_lang, first, sizeof(first));
    req.lang = hf_lang_choose(lang_q, NULL, NULL, NULL, first);
    hf_resp resp;
    memset(&resp, 0, sizeof(resp));

    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    if (cs->too_large) {
        char detail[96];
        snprintf(detail, sizeof(detail), "the request body is larger than %zu bytes",
                 cfg->max_body);
        hf_resp_problem(&resp, 413, "Payload Too Large", detail, NULL);
    } else if (!hf_rate_allow(req.client_ip, now_ms)) {
        hf_resp_problem(&resp, 429, "Too Many Requests",
                        "too many requests from this address; slow down", NULL);
        resp.retry_after = 1;
    } else if (hf_web_owns(req.path)) {
        hf_web_handle(&req, &resp);
    } else {
        hf_api_handle(&req, &resp);
    }
    double seconds = mono_now() - cs->started;
    int status = resp.status;
    size_t bytes = resp.len;
    enum MHD_Result ret = send_response(c, &resp);
    free(resp.body);
    hf_metrics_request(req.route ? req.route : "unmatched", method, status, seconds);
    if (cfg->log_requests)
        log_request(&req, status, seconds, bytes);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_state *cs = *con_cls;
    if (cs) {
        free(cs->body);
        free(cs);
        *con_cls = NULL;
    }
}

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
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
        (uint16_t)cfg->listen_port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->idle_timeout,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)cfg->max_conn_per_ip,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->max_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_END);
    if (d && bound_port) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        *bound_port = info ? info->port : cfg->listen_port;
    }
    return d;
}

void hf__http_stop(struct MHD_Daemon *d)
{
    if (!d)
        return;
    /* stop accepting, then let the requests in flight finish */
    MHD_socket s = MHD_quiesce_daemon(d);
    if (s != MHD_INVALID_SOCKET)
        close(s);
    MHD_stop_daemon(d);
}
