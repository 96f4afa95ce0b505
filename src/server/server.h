/* handoffd internals: the request and response types the HTTP layer (http.c) hands to the
 * API handlers (api.c), authentication (auth.c) and metrics (metrics.c).
 *
 * Design: libmicrohttpd runs an internal poll()-based thread pool. The HTTP layer collects
 * a request (headers, a body capped at the configured size) into an `hf_req`, calls the
 * router, and turns the `hf_resp` it gets back into an MHD response. Each pool thread keeps
 * its own store handle (a SQLite connection or a PostgreSQL connection), opened on first
 * use, so handlers never share a connection and never lock each other out. */
#ifndef HANDOFF_SERVER_H
#define HANDOFF_SERVER_H

#include "handoff/i18n.h"
#include "handoff/os.h"
#include "handoff/protocol.h"
#include "handoff/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct hf_server_config {
    const char *db_url;
    const char *listen_host; /* "127.0.0.1" */
    unsigned listen_port;    /* 0: ephemeral */
    const char *protocol_path;
    unsigned threads;     /* pool size, 2-16 */
    size_t max_body;      /* bytes, for an authenticated request */
    size_t max_anon_body; /* bytes, for a request whose credentials are missing or wrong */
    size_t max_buffered;  /* bytes of request bodies held at once (a quarter unauthenticated) */
    unsigned max_conn_per_ip;
    unsigned max_connections;
    unsigned idle_timeout;   /* seconds: an idle connection, the next request of keep-alive */
    unsigned header_timeout; /* seconds: the whole request head */
    unsigned body_timeout;   /* seconds: the whole request body, from the end of the head */
    unsigned rate_per_ip;    /* requests per second per address, 0: unlimited */
    bool secure_cookies;     /* Secure flag on cookies (behind TLS) */
    bool log_requests;
    bool group_commit;     /* SQLite: commit concurrent writes together (default on) */
    const char *port_file; /* write the bound port here when set */
    /* The scheme, host (and any path prefix) the server is reached at from outside
     * (`https://handoff.example.com`): webhook signatures that cover the URI (HubSpot v3)
     * are checked against it, and integrations show their endpoint URLs with it. NULL:
     * from the request (trusted proxy headers, else http:// and Host). */
    const char *public_url;
    /* Addresses (comma-separated) of the reverse proxies whose X-Forwarded-Proto and
     * X-Forwarded-Host (or Forwarded) headers are believed; NULL: none. */
    const char *trust_proxy;
    /* The key file of integration secrets, and its key when it could be read. */
    const char *key_file;
    bool has_key;
    unsigned char key[32];
} hf_server_config;

/* The authenticated caller. */
typedef struct hf_principal {
    bool authenticated;
    bool via_token;
    int64_t user_id;
    int64_t workspace_id;
    hf_role role;
    int64_t team_id;
    char email[256];
    char name[256];
    char scopes[128]; /* tokens: "read write gate"; sessions: all */
    char csrf[80];    /* sessions: the CSRF token */
    char lang[8];     /* the user's saved language, "" when none */
} hf_principal;

typedef struct hf_req {
    const char *method;
    const char *path;
    void *conn; /* struct MHD_Connection * */
    const char *body;
    size_t body_len;
    char client_ip[64];
    hf_lang lang;         /* ?lang=, else the user's saved language, else Accept-Language */
    bool lang_from_query; /* ?lang= named a language: it wins over the saved one */
    hf_principal who;
    /* path parameters, filled by the router */
    const char *params[4];
    char param_buf[4][128]; /* HF_ROUTE_PARAMS x HF_ROUTE_PARAM_MAX (parse.h) */
    int nparams;
    const char *route; /* route pattern, for metrics and logs */
    /* The request target as received, undecoded (path and query): for /hooks/ requests
     * only, whose signatures may cover it; NULL otherwise. */
    const char *raw_target;
} hf_req;

typedef struct hf_resp {
    int status;
    char *body; /* malloc'd; NULL for none */
    size_t len;
    const char *content_type;
    char etag[32];
    char location[128];
    char set_cookie[512];
    int retry_after; /* seconds, 0: none */
    const char *allow;
    hf_lang lang; /* of the answer: Content-Language, and problem titles and details */
    /* Set by the web pages and assets (web.c); NULL keeps the API's value. Static strings. */
    const char *csp;              /* Content-Security-Policy; API: default-src 'none'; ... */
    const char *cache_control;    /* API: no-store */
    const char *content_encoding; /* none */
    const char *vary;             /* none */
} hf_resp;

/* Header of the request (case-insensitive), or NULL. */
const char *hf_req_header(const hf_req *r, const char *name);
/* Query argument, or NULL. */
const char *hf_req_query(const hf_req *r, const char *name);
/* Call `cb` for each header of the request in the order received; it returns non-zero to
 * stop. */
void hf_req_each_header(const hf_req *r, int (*cb)(void *ctx, const char *name, const char *value),
                        void *ctx);
/* The scheme and authority (and path prefix) the client called, without a final slash:
 * --public-url, else a trusted proxy's forwarded headers, else http:// and the Host
 * header. */
void hf_req_public_base(const hf_req *r, char *out, size_t cap);

/* The webhook receiver, POST /hooks/{source}/{endpoint-id} (hooks.c). */
int hf_hooks_handle(hf_req *req, hf_resp *resp);

/* Response helpers. Each returns 0. */
int hf_resp_json(hf_resp *out, int status, json_t *body); /* steals body */
int hf_resp_problem(hf_resp *out, int status, const char *title, const char *detail,
                    const char *field);
int hf_resp_text(hf_resp *out, int status, const char *content_type, const char *text);

/* The server's shared state. */
typedef struct hf_server hf_server;
const hf_server_config *hf_server_cfg(void);
/* This thread's store handle (opened on first use); NULL when the database is down. */
hf_store *hf_server_store(void);
/* This thread's service over its store (opened with it); NULL when the database is down. */
struct hf_svc *hf_server_service(void);

/* Route a complete request. */
void hf_api_handle(hf_req *req, hf_resp *resp);
/* Print the route table, one "METHOD PATTERN ACCESS" a line, ACCESS being anon, read or
 * write (handoffd --routes). */
void hf_api_routes(FILE *out);
/* The web application (web.c): does it serve this path (everything but /api/ and the
 * operational endpoints), and serve it: pages, forms, static assets. */
bool hf_web_owns(const char *path);
void hf_web_handle(hf_req *req, hf_resp *resp);

typedef int (*hf_handler)(hf_req *req, hf_resp *resp);

/* Group commit (group.c, SQLite only): run a write handler on the writer thread inside the
 * group transaction; returns once the group is durable (or the answer is an error).
 * hf_group_apply is the service's commit_apply hook (the apply step of a write only). */
int hf_group_start(void);
void hf_group_stop(void);
bool hf_group_enabled(void);
void hf_group_run(hf_handler fn, hf_req *req, hf_resp *resp);
int hf_group_apply(int (*fn)(struct hf_svc *svc, void *ctx, hf_error *err), void *ctx,
                   hf_error *err);
void hf_group_stats(unsigned long *groups, unsigned long *jobs);

/* Authentication: fills req->who from the session cookie or bearer token; returns 0, or
 * fills `resp` with a problem (401, 429) and returns -1. Anonymous routes skip it. */
int hf_auth_identify(hf_req *req, hf_resp *resp);
int hf_auth_login(hf_req *req, hf_resp *resp);
/* Check an e-mail and password as the JSON login does (failure windows per account and
 * address, hashing slots, the dummy hash for unknown e-mails) and, when they match an
 * active account, start a session: its cookie goes in resp->set_cookie and the signed-in
 * user, with the session's CSRF token, in *who. Returns 0, or the HTTP status of the
 * refusal: 401 wrong e-mail or password (or a disabled account), 429 too many failures
 * (resp->retry_after set), 503 no hashing slot (resp->retry_after 1) or no database, 500
 * the session could not be stored. Shared by the JSON login and the web form (web.c). */
int hf_auth_start_session(hf_req *req, const char *email, const char *password, hf_resp *resp,
                          hf_principal *who);
int hf_auth_logout(hf_req *req, hf_resp *resp);
/* Hash a password with argon2id (slots capped); returns 0 or -1 when busy/failed. */
int hf_auth_hash_password(const char *password, char out[128]);
/* Make a token: writes the full token (shown once) and fills rec->prefix/secret_hash. */
int hf_auth_make_token(char token_out[96], hf_token_rec *rec);
void hf_auth_init(unsigned hash_slots);
/* Forget every cached principal (after a revocation or a user change). */
void hf_auth_forget(void);
/* A user's password, role or status changed, or the user asked to log out everywhere:
 * end every session of the user now (hf_store_session_delete_user) and forget this
 * process's cached principals. The service layer calls it after storing the change.
 * A new password ends the sessions opened before it even without this call (each session
 * carries the credential tag it was opened with), and a disabled account is refused at
 * its next request; other server processes honour a cached token principal for at most
 * one more second. Returns 0 or a negative hf_rc with `err` filled. */
int hf_auth_user_changed(hf_store *s, int64_t ws, int64_t user_id, hf_error *err);
void hf_auth_shutdown(void);
/* Per-address request rate limit (an IPv6 address counts by its /64); true when the
 * request may go on. */
bool hf_rate_allow(const char *ip, int64_t now_ms);

/* Wrap a store so that its operations are timed into the metrics. Takes ownership of
 * `inner` (closing the wrapper closes it). */
hf_store *hf_timed_store(hf_store *inner);

/* Metrics */
void hf_metrics_request(const char *route, const char *method, int status, double seconds);
void hf_metrics_store(const char *op, double seconds);
char *hf_metrics_render(void);

#endif
