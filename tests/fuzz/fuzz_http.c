/* libFuzzer target over the parsers of handoffd's inputs: If-Match, Cookie, Content-Type
 * and Accept-Language headers, the raw request target, route matching of request paths,
 * and JSON merge patches applied to a real document. The input is split at NUL bytes into
 * the pieces; the whole input is also checked as a request target, NULs included. */
#include "server/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const patterns[] = {"/api/v1/handoffs/{}", "/api/v1/handoffs/{}/versions/{}",
                                       "/api/v1/gate/{}", "/healthz", "/api/v1/{}/{}/{}/{}/{}"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    /* pieces: header text, path, patch JSON */
    const char *header = buf;
    size_t hl = strlen(header);
    const char *path = hl < size ? buf + hl + 1 : "";
    size_t pl = strlen(path);
    const char *patch = path + pl < buf + size ? path + pl + 1 : "";

    const char *why;
    (void)hf_http_target_check((const char *)data, size, 8192, &why);
    (void)hf_http_target_check(path, pl, 64, &why);
    (void)hf_media_type_is(header, "application/json");
    (void)hf_media_type_is(header, "application/merge-patch+json");
    (void)hf_http_if_match(header);
    char out[64];
    (void)hf_http_cookie(header, "hf_session", out, sizeof(out));
    hf_http_first_language(header, out, sizeof(out));
    char params[HF_ROUTE_PARAMS][HF_ROUTE_PARAM_MAX];
    int n;
    for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
        (void)hf_route_match(patterns[i], path, params, &n);

    json_t *p = json_loads(patch, 0, NULL);
    if (json_is_object(p)) {
        json_t *doc = json_pack("{s:{s:s,s:{s:s}},s:[i,i]}", "deal", "name", "Acme", "owner",
                                "name", "Jane", "risks", 1, 2);
        hf_json_merge_patch(doc, p);
        char *s = json_dumps(doc, JSON_COMPACT);
        free(s);
        json_decref(doc);
    }
    json_decref(p);
    free(buf);
    return 0;
}
