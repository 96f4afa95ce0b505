/* The webhook receiver of handoffd, POST /hooks/{source}/{endpoint-id}: a transport like
 * the API handlers. It reads the request — headers, the raw body (the HTTP layer let a
 * known endpoint bring up to HF_HOOK_BODY_MAX bytes), the URI as the sender called it —
 * calls hf_svc_hook_receive() once and renders what it answers. Verification, dedupe,
 * mapping and every change are the service's (src/service/triggers.c). */
#include "server/api.h"

#include "handoff/hooks.h"

#include <stdlib.h>
#include <string.h>

#define MAX_HEADERS 100

typedef struct header_list {
    hf_hook_header items[MAX_HEADERS];
    size_t n;
} header_list;

static int collect(void *ctx, const char *name, const char *value)
{
    header_list *h = ctx;
    if (h->n == MAX_HEADERS)
        return 1;
    h->items[h->n].name = name;
    h->items[h->n].value = value;
    h->n++;
    return 0;
}

static const char *title_of(int status)
{
    switch (status) {
    case 400:
        return N_("Bad Request");
    case 401:
        return "Unauthorized";
    case 404:
        return N_("Not Found");
    case 413:
        return "Payload Too Large";
    case 500:
        return N_("Internal Server Error");
    default:
        return N_("Service Unavailable");
    }
}

int hf_hooks_handle(hf_req *req, hf_resp *resp)
{
    hf_svc *svc = hf_server_service();
    if (!svc) {
        resp->retry_after = 1;
        return hf_resp_problem(resp, 503, N_("Service Unavailable"),
                               N_("the database is not reachable"), NULL);
    }
    header_list *headers = calloc(1, sizeof(*headers));
    char *uri = NULL;
    const char *target = req->raw_target ? req->raw_target : req->path;
    char base[512];
    hf_req_public_base(req, base, sizeof(base));
    size_t n = strlen(base) + strlen(target) + 1;
    uri = malloc(n);
    if (!headers || !uri) {
        free(headers);
        free(uri);
        return hf_resp_problem(resp, 503, N_("Service Unavailable"), N_("out of memory"), NULL);
    }
    snprintf(uri, n, "%s%s", base, target);
    hf_req_each_header(req, collect, headers);
    hf_hook_request hr = {req->nparams > 0 ? req->params[0] : NULL,
                          req->nparams > 1 ? req->params[1] : NULL,
                          req->method,
                          uri,
                          headers->items,
                          headers->n,
                          req->body,
                          req->body_len};
    hf_actor sys;
    hf_actor_system(&sys, 0, "webhook", req->lang);
    hf_hook_answer ans;
    hf_error err;
    hf_error_clear(&err);
    int rc = hf_svc_hook_receive(svc, &sys, &hr, api_clock(), &ans, &err);
    free(uri);
    free(headers);
    if (rc) {
        resp->retry_after = 1;
        hf_hook_answer_free(&ans);
        return hf_resp_problem(resp, 503, N_("Service Unavailable"), N_("out of memory"), NULL);
    }
    if (ans.status < 400) {
        resp->status = ans.status;
        resp->content_type = ans.content_type;
        resp->body = ans.body;
        resp->len = ans.len;
        ans.body = NULL;
    } else {
        char detail[HF_ERROR_MSG_MAX];
        hf_svc_error_text(req->lang, &ans.error, detail, sizeof(detail));
        hf_resp_problem(resp, ans.status, title_of(ans.status), detail, ans.error.path);
        if (ans.status == 503)
            resp->retry_after = 5;
    }
    hf_hook_answer_free(&ans);
    return 0;
}
