/* handoffd: configuration (file, then environment, then flags), the per-thread store
 * handles, and a graceful shutdown on SIGTERM/SIGINT (stop accepting, finish the requests
 * in flight, close the stores). */
#include "server/server.h"
#include "server/web.h"

#include "handoff/os.h"
#include "handoff/service.h"
#include "handoff/time.h"

#include <errno.h>
#include <getopt.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct MHD_Daemon *hf__http_start(const hf_server_config *cfg, unsigned *bound_port);
void hf__http_stop(struct MHD_Daemon *d);

static hf_server_config g_cfg;
static pthread_key_t g_store_key;
static char g_listen[256] = "127.0.0.1:8080";

const hf_server_config *hf_server_cfg(void)
{
    return &g_cfg;
}

/* Each pool thread keeps a store handle and the service over it. */
typedef struct thread_state {
    hf_store *s;
    hf_svc *svc;
} thread_state;

static void close_thread_state(void *p)
{
    thread_state *t = p;
    hf_svc_close(t->svc);
    hf_store_close(t->s);
    free(t);
}

/* The service's hooks: password hashing capped like logins, and cached principals
 * dropped when someone's credentials change. */
static int hash_capped(const char *password, char out[HF_HASH_MAX])
{
    return hf_auth_hash_password(password, out);
}

static void credentials_changed(int64_t ws, int64_t user_id)
{
    hf_error err;
    hf_store *s = hf_server_store();
    if (s && hf_auth_user_changed(s, ws, user_id, &err))
        fprintf(stderr, "handoffd: ending the sessions of user %lld: %s\n", (long long)user_id,
                err.msg);
}

/* commit_apply is set when the group commit runs (main) */
static hf_svc_hooks g_hooks = {hash_capped, credentials_changed, NULL, NULL, NULL};

static thread_state *thread_state_get(void)
{
    thread_state *t = pthread_getspecific(g_store_key);
    if (t)
        return t;
    hf_error err;
    hf_store *s;
    if (hf_store_open(g_cfg.db_url, false, &s, &err) != 0) {
        fprintf(stderr, "handoffd: database: %s\n", err.msg);
        return NULL;
    }
    t = calloc(1, sizeof(*t));
    if (!t) {
        hf_store_close(s);
        return NULL;
    }
    t->s = hf_timed_store(s);
    if (hf_svc_open(t->s, &g_hooks, &t->svc, &err)) {
        hf_store_close(t->s);
        free(t);
        return NULL;
    }
    if (g_cfg.has_key)
        hf_svc_set_secret_key(t->svc, g_cfg.key);
    pthread_setspecific(g_store_key, t);
    return t;
}

hf_store *hf_server_store(void)
{
    thread_state *t = thread_state_get();
    return t ? t->s : NULL;
}

hf_svc *hf_server_service(void)
{
    thread_state *t = thread_state_get();
    return t ? t->svc : NULL;
}

static void usage(FILE *f)
{
    fputs("Usage: handoffd [--db URL] [--listen HOST:PORT] [--config FILE] [options]\n\n"
          "The Handoff HTTP API server.\n\n"
          "  --db URL            sqlite:PATH or postgresql://... (HANDOFF_DB; default "
          "sqlite:handoff.db)\n"
          "  --listen HOST:PORT  address to listen on (HANDOFF_LISTEN; default 127.0.0.1:8080;\n"
          "                      port 0 picks a free port)\n"
          "  --config FILE       key = value lines with the long option names\n"
          "  --protocol FILE     protocol file (HANDOFF_PROTOCOL; default built-in 2026.1)\n"
          "  --threads N         worker threads (default 16)\n"
          "  --max-body BYTES    largest request body (default 1048576)\n"
          "  --max-anon-body BYTES  largest body before authentication (default 65536)\n"
          "  --max-buffered BYTES   request bodies held at once, a quarter of it for\n"
          "                      unauthenticated requests (default 33554432)\n"
          "  --max-conn-per-ip N (default 64)   --max-connections N (default 1024)\n"
          "  --idle-timeout S    seconds before an idle connection is closed (default 30)\n"
          "  --header-timeout S  seconds for a whole request head (default 5)\n"
          "  --body-timeout S    seconds for a whole request body (default 10)\n"
          "  --rate N            requests per second per address (default 200, 0 = off)\n"
          "  --secure-cookies    mark cookies Secure (when behind TLS)\n"
          "  --quiet             no request log\n"
          "  --group-commit[=false]  SQLite: concurrent writes share one durable commit, made\n"
          "                      by one writer thread (default on; =false commits each write\n"
          "                      on its own)\n"
          "  --port-file FILE    write the bound port to FILE\n"
          "  --public-url URL    the scheme and host webhooks call (HANDOFF_PUBLIC_URL;\n"
          "                      e.g. https://handoff.example.com): HubSpot signs the URI\n"
          "  --trust-proxy ADDRS believe X-Forwarded-Proto/Host (or Forwarded) from these\n"
          "                      proxy addresses, comma-separated\n"
          "  --key-file FILE     the key of integration secrets (HANDOFF_KEY_FILE; default\n"
          "                      the SQLite database's path + .key)\n"
          "  --create-admin EMAIL  create a revops user (password from HANDOFF_ADMIN_PASSWORD)\n"
          "                      and exit\n",
          f);
}

static int parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Apply one setting by its long name; returns 0 or -1 with a message printed. */
static int apply(const char *key, const char *val)
{
    unsigned long v;
#define NUM(name, lo, hi, field)                                                                   \
    if (strcmp(key, name) == 0) {                                                                  \
        if (parse_uint(val, lo, hi, &v)) {                                                         \
            fprintf(stderr, "handoffd: %s: expected a number from %lu to %lu\n", name,             \
                    (unsigned long)(lo), (unsigned long)(hi));                                     \
            return -1;                                                                             \
        }                                                                                          \
        g_cfg.field = (__typeof__(g_cfg.field))v;                                                  \
        return 0;                                                                                  \
    }
    NUM("threads", 1, 64, threads)
    NUM("max-body", 1024, 64ul << 20, max_body)
    NUM("max-anon-body", 1024, 64ul << 20, max_anon_body)
    NUM("max-buffered", 1ul << 20, 4096ul << 20, max_buffered)
    NUM("header-timeout", 1, 3600, header_timeout)
    NUM("body-timeout", 1, 3600, body_timeout)
    NUM("max-conn-per-ip", 1, 100000, max_conn_per_ip)
    NUM("max-connections", 1, 100000, max_connections)
    NUM("idle-timeout", 1, 3600, idle_timeout)
    NUM("rate", 0, 1000000, rate_per_ip)
#undef NUM
    if (strcmp(key, "db") == 0) {
        g_cfg.db_url = strdup(val);
    } else if (strcmp(key, "listen") == 0) {
        snprintf(g_listen, sizeof(g_listen), "%s", val);
    } else if (strcmp(key, "protocol") == 0) {
        g_cfg.protocol_path = strdup(val);
    } else if (strcmp(key, "port-file") == 0) {
        g_cfg.port_file = strdup(val);
    } else if (strcmp(key, "public-url") == 0) {
        if (strncmp(val, "http://", 7) != 0 && strncmp(val, "https://", 8) != 0) {
            fprintf(stderr, "handoffd: public-url: expected http://HOST or https://HOST\n");
            return -1;
        }
        g_cfg.public_url = strdup(val);
    } else if (strcmp(key, "trust-proxy") == 0) {
        g_cfg.trust_proxy = strdup(val);
    } else if (strcmp(key, "key-file") == 0) {
        g_cfg.key_file = strdup(val);
    } else if (strcmp(key, "secure-cookies") == 0) {
        g_cfg.secure_cookies = strcmp(val, "false") != 0 && strcmp(val, "0") != 0;
    } else if (strcmp(key, "group-commit") == 0) {
        g_cfg.group_commit = strcmp(val, "false") != 0 && strcmp(val, "0") != 0;
    } else if (strcmp(key, "quiet") == 0) {
        g_cfg.log_requests = !(strcmp(val, "false") != 0 && strcmp(val, "0") != 0);
    } else {
        fprintf(stderr, "handoffd: unknown setting '%s'\n", key);
        return -1;
    }
    return 0;
}

static int load_config_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "handoffd: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\0')
            continue;
        char *eq = strchr(p, '=');
        if (!eq) {
            fprintf(stderr, "handoffd: %s:%d: expected key = value\n", path, lineno);
            rc = -1;
            break;
        }
        char *kend = eq;
        while (kend > p && (kend[-1] == ' ' || kend[-1] == '\t'))
            kend--;
        *kend = '\0';
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t n = strlen(v);
        while (n && (v[n - 1] == '\n' || v[n - 1] == '\r' || v[n - 1] == ' '))
            v[--n] = '\0';
        if (apply(p, v)) {
            fprintf(stderr, "handoffd: %s:%d: in this line\n", path, lineno);
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}

static int create_admin(const char *email)
{
    const char *pw = getenv("HANDOFF_ADMIN_PASSWORD");
    if (!pw || strlen(pw) < 10) {
        fprintf(stderr, "handoffd: set HANDOFF_ADMIN_PASSWORD (10 characters or more)\n");
        return 64;
    }
    hf_store *s;
    hf_svc *svc = NULL;
    hf_error err;
    if (hf_store_open(g_cfg.db_url, true, &s, &err)) {
        fprintf(stderr, "handoffd: %s\n", err.msg);
        return 66;
    }
    hf_actor system;
    hf_actor_system(&system, 1, "handoffd", HF_LANG_EN);
    hf_user_input in = {.email = email, .has_role = true, .role = HF_ROLE_REVOPS, .password = pw};
    hf_user_rec u;
    memset(&u, 0, sizeof(u));
    int rc = hf_svc_open(s, NULL, &svc, &err);
    if (!rc)
        rc = hf_svc_user_create(svc, &system, &in, hf_clock_now(), &u, &err);
    hf_svc_close(svc);
    hf_store_close(s);
    if (rc) {
        fprintf(stderr, "handoffd: %s: %s\n", email, err.msg);
        return rc == HF_ECONFLICT ? 65 : 70;
    }
    printf("created revops user %s (id %lld)\n", email, (long long)u.id);
    hf_user_rec_free(&u);
    return 0;
}

int main(int argc, char **argv)
{
    hf_malloc_tuning(argv, 256);
    g_cfg.threads = 16; /* a write waiting for its commit holds its thread: 16 let a group
                         * commit gather 16 writes (bench/results/server.md) */
    g_cfg.group_commit = true;
    g_cfg.max_body = 1u << 20;
    g_cfg.max_anon_body = 64u << 10;
    g_cfg.max_buffered = 32u << 20;
    g_cfg.header_timeout = 5;
    g_cfg.body_timeout = 10;
    g_cfg.max_conn_per_ip = 64;
    g_cfg.max_connections = 1024;
    g_cfg.idle_timeout = 30;
    g_cfg.rate_per_ip = 200;
    g_cfg.log_requests = true;
    if (sodium_init() < 0) {
        fprintf(stderr, "handoffd: libsodium failed to start\n");
        return 70;
    }
    /* protocols name IANA zones: the core reads them through the system's zoneinfo */
    hf_tz_set_loader(hf_tz_system_loader, NULL);
    const char *env = getenv("HANDOFF_DB");
    if (env && *env)
        g_cfg.db_url = env;
    env = getenv("HANDOFF_LISTEN");
    if (env && *env)
        snprintf(g_listen, sizeof(g_listen), "%s", env);
    env = getenv("HANDOFF_PROTOCOL");
    if (env && *env)
        g_cfg.protocol_path = env;
    env = getenv("HANDOFF_PUBLIC_URL");
    if (env && *env && apply("public-url", env))
        return 64;
    env = getenv("HANDOFF_KEY_FILE");
    if (env && *env)
        g_cfg.key_file = env;

    static const struct option opts[] = {{"db", required_argument, NULL, 1},
                                         {"listen", required_argument, NULL, 2},
                                         {"config", required_argument, NULL, 3},
                                         {"protocol", required_argument, NULL, 4},
                                         {"threads", required_argument, NULL, 5},
                                         {"max-body", required_argument, NULL, 6},
                                         {"max-conn-per-ip", required_argument, NULL, 7},
                                         {"max-connections", required_argument, NULL, 8},
                                         {"idle-timeout", required_argument, NULL, 9},
                                         {"rate", required_argument, NULL, 10},
                                         {"secure-cookies", no_argument, NULL, 11},
                                         {"quiet", no_argument, NULL, 12},
                                         {"port-file", required_argument, NULL, 13},
                                         {"create-admin", required_argument, NULL, 14},
                                         {"group-commit", optional_argument, NULL, 15},
                                         {"max-anon-body", required_argument, NULL, 16},
                                         {"max-buffered", required_argument, NULL, 17},
                                         {"header-timeout", required_argument, NULL, 18},
                                         {"body-timeout", required_argument, NULL, 19},
                                         {"routes", no_argument, NULL, 20},
                                         {"public-url", required_argument, NULL, 21},
                                         {"trust-proxy", required_argument, NULL, 22},
                                         {"key-file", required_argument, NULL, 23},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *admin = NULL;
    int c;
    /* the config file first, so that flags override it */
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && load_config_file(argv[i + 1]))
            return 64;
    }
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int rc = 0;
        switch (c) {
        case 'h':
            usage(stdout);
            return 0;
        case 3:
            break;
        case 11:
            g_cfg.secure_cookies = true;
            break;
        case 12:
            g_cfg.log_requests = false;
            break;
        case 14:
            admin = optarg;
            break;
        case 15:
            g_cfg.group_commit =
                !optarg || (strcmp(optarg, "false") != 0 && strcmp(optarg, "0") != 0);
            break;
        case 20:
            hf_api_routes(stdout);
            return 0;
        default:
            if ((c >= 1 && c <= 13) || (c >= 16 && c <= 19) || (c >= 21 && c <= 23)) {
                const char *name = opts[c - 1].name;
                rc = apply(name, optarg);
            } else {
                usage(stderr);
                return 64;
            }
        }
        if (rc)
            return 64;
    }
    if (optind != argc) {
        usage(stderr);
        return 64;
    }
    if (!g_cfg.db_url)
        g_cfg.db_url = "sqlite:handoff.db";
    char host[200];
    const char *colon = strrchr(g_listen, ':');
    unsigned long port;
    if (!colon || (size_t)(colon - g_listen) >= sizeof(host) ||
        parse_uint(colon + 1, 0, 65535, &port)) {
        fprintf(stderr, "handoffd: --listen: expected HOST:PORT, not '%s'\n", g_listen);
        return 64;
    }
    memcpy(host, g_listen, (size_t)(colon - g_listen));
    host[colon - g_listen] = '\0';
    g_cfg.listen_host = host;
    g_cfg.listen_port = (unsigned)port;

    hf_auth_init(2);
    if (admin)
        return create_admin(admin);

    hf_error err;
    if (hf_web_init(&err)) {
        fprintf(stderr, "handoffd: web templates: %s\n", err.msg);
        return 70;
    }
    /* migrate once, before any worker opens its own connection */
    hf_store *s;
    if (hf_store_open(g_cfg.db_url, true, &s, &err)) {
        fprintf(stderr, "handoffd: %s: %s\n", g_cfg.db_url, err.msg);
        return 66;
    }
    if (g_cfg.protocol_path) {
        /* --protocol installs the file as a protocol version (SPEC §2): handoffs keep the
         * version they are pinned to, and a restart with the same file changes nothing */
        FILE *f = fopen(g_cfg.protocol_path, "rb");
        char buf[1 << 16];
        size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
        if (f)
            fclose(f);
        hf_svc *svc = NULL;
        hf_actor system;
        hf_actor_system(&system, 1, "handoffd", HF_LANG_EN);
        int rc = f ? hf_svc_open(s, NULL, &svc, &err) : HF_EIO;
        if (!rc)
            rc = hf_svc_protocol_install(svc, &system, buf, n, true, hf_clock_now(), NULL, &err);
        hf_svc_close(svc);
        if (rc) {
            fprintf(stderr, "handoffd: %s: %s\n", g_cfg.protocol_path,
                    f ? err.msg : strerror(errno));
            hf_store_close(s);
            return 65;
        }
    }
    hf_store_close(s);
    /* the key of integration secrets: without it the webhook receivers answer 500 (and say
     * why in an alert) until it is there */
    char key_path[1100];
    if (!g_cfg.key_file && hf_key_file_default(g_cfg.db_url, key_path, sizeof(key_path)))
        g_cfg.key_file = key_path;
    if (g_cfg.key_file) {
        int krc = hf_key_file_read(g_cfg.key_file, g_cfg.key, &err);
        if (krc == 0)
            g_cfg.has_key = true;
        else if (krc != HF_ENOTFOUND) {
            fprintf(stderr, "handoffd: %s\n", err.msg);
            return 66;
        }
    }
    pthread_key_create(&g_store_key, close_thread_state);

    /* signals go to sigwait() below, not to the pool threads */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    bool is_pg = strncmp(g_cfg.db_url, "postgres", 8) == 0;
    if (g_cfg.group_commit && !is_pg) {
        if (hf_group_start() != 0) {
            fprintf(stderr, "handoffd: cannot start the writer thread\n");
            return 71;
        }
        g_hooks.commit_apply = hf_group_apply;
    }
    unsigned bound = 0;
    struct MHD_Daemon *d = hf__http_start(&g_cfg, &bound);
    if (!d) {
        fprintf(stderr, "handoffd: cannot listen on %s\n", g_listen);
        return 71;
    }
    if (g_cfg.port_file) {
        FILE *pf = fopen(g_cfg.port_file, "w");
        if (pf) {
            fprintf(pf, "%u\n", bound);
            fclose(pf);
        }
    }
    fprintf(stderr, "handoffd: listening on http://%s:%u (database %s)\n", host, bound,
            g_cfg.db_url);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "handoffd: %s: finishing requests in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    hf__http_stop(d);
    hf_group_stop(); /* after the pool: requests in flight may still be in a group */
    hf_auth_shutdown();
    hf_web_shutdown();
    hf_tz_cache_clear();
    fprintf(stderr, "handoffd: stopped\n");
    return 0;
}
