/* Header, path and merge-patch parsing for handoffd (see parse.h). */
#include "server/parse.h"

#include <stdlib.h>
#include <string.h>

int hf_http_if_match(const char *h)
{
    if (!h)
        return 0;
    if (strcmp(h, "*") == 0)
        return HF_IF_MATCH_ANY;
    if (strncmp(h, "W/", 2) == 0)
        h += 2;
    if (*h == '"')
        h++;
    if (*h < '0' || *h > '9')
        return -1;
    char *end;
    long v = strtol(h, &end, 10);
    if (end == h || v <= 0 || v > 1000000000 || (*end != '"' && *end != '\0'))
        return -1;
    return (int)v;
}

const char *hf_http_cookie(const char *h, const char *name, char *buf, size_t cap)
{
    size_t n = strlen(name);
    while (h && *h) {
        while (*h == ' ' || *h == ';')
            h++;
        if (strncmp(h, name, n) == 0 && h[n] == '=') {
            const char *v = h + n + 1;
            size_t len = strcspn(v, ";");
            if (len >= cap)
                return NULL;
            memcpy(buf, v, len);
            buf[len] = '\0';
            return buf;
        }
        h = strchr(h, ';');
    }
    return NULL;
}

void hf_http_first_language(const char *h, char *out, size_t cap)
{
    out[0] = '\0';
    if (!h || cap == 0)
        return;
    while (*h == ' ')
        h++;
    size_t n = strcspn(h, ",; ");
    if (n < cap) {
        memcpy(out, h, n);
        out[n] = '\0';
    }
}

bool hf_route_match(const char *pattern, const char *path, char (*params)[HF_ROUTE_PARAM_MAX],
                    int *n)
{
    int count = 0;
    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            size_t len = strcspn(path, "/");
            if (len == 0 || len >= HF_ROUTE_PARAM_MAX || count >= HF_ROUTE_PARAMS)
                return false;
            if (params) {
                memcpy(params[count], path, len);
                params[count][len] = '\0';
            }
            count++;
            path += len;
            pattern += 2;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    if (*pattern || *path)
        return false;
    if (n)
        *n = count;
    return true;
}
