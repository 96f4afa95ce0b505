/* libFuzzer target over the web pages' inputs and the template language: urlencoded form
 * bodies, Accept-Language and Accept-Encoding, the three escapers, and template text
 * compiled and rendered with the input as a value. The input is split at the first NUL
 * byte: before it the request text, after it the template. */
#include "server/tmpl.h"
#include "server/webinput.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t tlen = nul ? (size_t)(nul - text) : size;
    const char *tmpl = nul ? nul + 1 : "";
    size_t plen = nul ? size - tlen - 1 : 0;

    json_t *form = NULL;
    hf_error err;
    if (hf_form_parse(text, tlen, &form, &err) == 0)
        (void)hf_form_get(form, "csrf_token");
    char *header = strndup(text, tlen);
    if (header) {
        hf_lang lang;
        (void)hf_http_accept_language(header, &lang);
        (void)hf_http_accepts_gzip(header);
    }
    hf_strbuf b = {NULL, 0, 0, 1 << 20, false};
    hf_escape_html(&b, text, tlen);
    hf_escape_url(&b, text, tlen);
    hf_escape_url_part(&b, text, tlen);
    free(b.data);

    hf_tmpl_set *set = hf_tmpl_set_new();
    if (set && hf_tmpl_add(set, "t", tmpl, plen, &err) == 0) {
        json_t *ctx = json_object();
        json_object_set_new(ctx, "v", json_stringn(text, tlen));
        json_object_set_new(ctx, "list", json_pack("[s,i,{s:s}]", "a", 2, "k", "x"));
        json_object_set(ctx, "form", form ? form : json_null());
        hf_strbuf out = {NULL, 0, 0, 1 << 20, false};
        (void)hf_tmpl_render(set, "t", ctx, HF_LANG_PT_BR, &out, &err);
        free(out.data);
        json_decref(ctx);
    }
    hf_tmpl_set_free(set);
    json_decref(form);
    free(header);
    return 0;
}
