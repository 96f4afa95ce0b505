/* fake_hubspot: HubSpot's CRM REST API, as much of it as the triggers read, on 127.0.0.1
 * for tests/integration/test_hooks.sh and bench/bench_triggers.sh. A test tool, not part
 * of the product: messages are English.
 *
 *   fake_hubspot --dir DIR --token TOKEN --port-file FILE [--log FILE]
 *
 * GET /crm/v3/objects/deals/{id} answers DIR/deals/{id}.json and GET /crm/v3/owners/{id}
 * DIR/owners/{id}.json (200, application/json), in the documented shapes the test
 * writes there; a deal without its own file gets DIR/deals/any.json when there is one,
 * with every `{{id}}` in it replaced by the id (the benchmark's thousands of deals); a
 * missing file is 404 with HubSpot's error object; a bearer token other
 * than TOKEN is 401. Each request is appended to --log as "METHOD PATH?QUERY" so the
 * test can see what was asked (the properties, the owner). Ids are digits only: nothing
 * outside DIR can be named. It listens on an ephemeral port written to --port-file and
 * runs until SIGTERM or SIGINT. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *g_dir, *g_token, *g_log;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *body,
                                 size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json;charset=utf-8");
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result not_found(struct MHD_Connection *c)
{
    static const char body[] = "{\"status\":\"error\",\"message\":\"resource not found\","
                               "\"correlationId\":\"00000000-0000-0000-0000-000000000000\","
                               "\"category\":\"OBJECT_NOT_FOUND\"}";
    return send_text(c, 404, body, sizeof(body) - 1);
}

static enum MHD_Result serve_file(struct MHD_Connection *c, const char *kind, const char *id)
{
    for (const char *p = id; *p; p++)
        if (*p < '0' || *p > '9')
            return not_found(c);
    if (!*id || strlen(id) > 40)
        return not_found(c);
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s/%s.json", g_dir, kind, id);
    FILE *f = fopen(path, "rb");
    bool any = false;
    if (!f && strcmp(kind, "deals") == 0) {
        snprintf(path, sizeof(path), "%s/deals/any.json", g_dir);
        f = fopen(path, "rb");
        any = f != NULL;
    }
    if (!f)
        return not_found(c);
    char buf[32768], out[65536];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (!any)
        return send_text(c, 200, buf, n);
    size_t o = 0;
    for (const char *p = buf; *p && o + 64 < sizeof(out);) {
        if (strncmp(p, "{{id}}", 6) == 0) {
            o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", id);
            p += 6;
        } else {
            out[o++] = *p++;
        }
    }
    return send_text(c, 200, out, o);
}

static enum MHD_Result log_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    FILE *f = cls;
    fprintf(f, " %s=%s", key, value ? value : "");
    return MHD_YES;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    (void)cls, (void)version, (void)upload, (void)upload_size, (void)con_cls;
    if (g_log) {
        pthread_mutex_lock(&g_lock);
        FILE *f = fopen(g_log, "a");
        if (f) {
            fprintf(f, "%s %s", method, url);
            MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, log_arg, f);
            fputc('\n', f);
            fclose(f);
        }
        pthread_mutex_unlock(&g_lock);
    }
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    char want[1024];
    snprintf(want, sizeof(want), "Bearer %s", g_token);
    if (!auth || strcmp(auth, want) != 0) {
        static const char body[] = "{\"status\":\"error\",\"message\":\"Authentication credentials "
                                   "not found.\",\"category\":\"INVALID_AUTHENTICATION\"}";
        return send_text(c, 401, body, sizeof(body) - 1);
    }
    if (strcmp(method, "GET") != 0)
        return send_text(c, 405, "{}", 2);
    static const char deals[] = "/crm/v3/objects/deals/", owners[] = "/crm/v3/owners/";
    if (strncmp(url, deals, sizeof(deals) - 1) == 0)
        return serve_file(c, "deals", url + sizeof(deals) - 1);
    if (strncmp(url, owners, sizeof(owners) - 1) == 0)
        return serve_file(c, "owners", url + sizeof(owners) - 1);
    return not_found(c);
}

int main(int argc, char **argv)
{
    const char *port_file = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--dir") == 0)
            g_dir = argv[i + 1];
        else if (strcmp(argv[i], "--token") == 0)
            g_token = argv[i + 1];
        else if (strcmp(argv[i], "--port-file") == 0)
            port_file = argv[i + 1];
        else if (strcmp(argv[i], "--log") == 0)
            g_log = argv[i + 1];
    }
    if (!g_dir || !g_token || !port_file) {
        fprintf(stderr, "usage: fake_hubspot --dir DIR --token TOKEN --port-file FILE "
                        "[--log FILE]\n");
        return 64;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL, 0, NULL,
        NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "fake_hubspot: cannot listen\n");
        return 71;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    FILE *pf = fopen(port_file, "w");
    if (!pf || !info) {
        MHD_stop_daemon(d);
        return 73;
    }
    fprintf(pf, "%u\n", (unsigned)info->port);
    fclose(pf);
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return 0;
}
