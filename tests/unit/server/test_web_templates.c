/* The built-in page templates (web/templates, compiled into the library by
 * scripts/embed-web.sh): every one compiles under the context rules of the template
 * language, every partial it names exists, and each renders — with an empty context and
 * with hostile values — without error and without letting markup through. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "server/tmpl.h"
#include "server/web_assets.h"

#include <stdlib.h>
#include <string.h>

static hf_tmpl_set *builtins(void)
{
    hf_tmpl_set *set = hf_tmpl_set_new();
    hf_error err;
    for (size_t i = 0; i < hf__web_template_count; i++) {
        const hf_web_template *t = &hf__web_templates[i];
        int rc = hf_tmpl_add(set, t->name, (const char *)t->text, t->len, &err);
        if (rc)
            print_error("%s\n", err.msg);
        assert_int_equal(rc, 0);
    }
    if (hf_tmpl_link(set, &err))
        fail_msg("%s", err.msg);
    return set;
}

static void test_all_compile(void **state)
{
    (void)state;
    assert_true(hf__web_template_count >= 8);
    hf_tmpl_set *set = builtins();
    const char *needed[] = {"layout",        "login",    "inbox",       "error",
                            "error_summary", "password", "placeholder", "components"};
    for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
        assert_true(hf_tmpl_has(set, needed[i]));
    hf_tmpl_set_free(set);
}

static void test_all_render_empty(void **state)
{
    (void)state;
    hf_tmpl_set *set = builtins();
    json_t *ctx = json_object();
    for (size_t i = 0; i < hf__web_template_count; i++) {
        for (int lang = 0; lang < HF_LANG_COUNT; lang++) {
            hf_strbuf out = {0};
            hf_error err;
            int rc = hf_tmpl_render(set, hf__web_templates[i].name, ctx, (hf_lang)lang, &out, &err);
            if (rc)
                print_error("%s\n", err.msg);
            assert_int_equal(rc, 0);
            free(out.data);
        }
    }
    json_decref(ctx);
    hf_tmpl_set_free(set);
}

static const char HOSTILE[] = "\"><script>alert(1)</script>";

static void test_hostile_values(void **state)
{
    (void)state;
    hf_tmpl_set *set = builtins();
    json_t *ctx = json_pack("{s:s,s:s,s:s,s:[{s:s,s:s}],s:{s:s},s:{s:s,s:s,s:s}}", "email", HOSTILE,
                            "here", HOSTILE, "query", HOSTILE, "errors", "field", "email\"",
                            "message", HOSTILE, "field_errors", "email", HOSTILE, "user", "name",
                            HOSTILE, "role_label", HOSTILE, "email", HOSTILE);
    json_object_set_new(ctx, "content_html", hf_tmpl_html("<p>trusted</p>"));
    const char *pages[] = {"layout", "login", "inbox", "placeholder", "password"};
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        hf_strbuf out = {0};
        hf_error err;
        assert_int_equal(hf_tmpl_render(set, pages[i], ctx, HF_LANG_EN, &out, &err), 0);
        assert_null(strstr(out.data, "<script>alert"));
        if (strcmp(pages[i], "layout") == 0)
            assert_non_null(strstr(out.data, "<p>trusted</p>"));
        if (strcmp(pages[i], "login") == 0) {
            assert_non_null(
                strstr(out.data, "value=\"&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
            assert_non_null(strstr(out.data, "href=\"#email%22\""));
        }
        free(out.data);
    }
    json_decref(ctx);
    hf_tmpl_set_free(set);
}

static void test_assets(void **state)
{
    (void)state;
    const char *names[] = {"app.css", "app.js", "icon.svg"};
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        const hf_web_asset *a = NULL;
        for (size_t i = 0; i < hf__web_asset_count; i++) {
            if (strcmp(hf__web_assets[i].name, names[k]) == 0)
                a = &hf__web_assets[i];
        }
        assert_non_null(a);
        /* /static/STEM.<12 hex>.EXT */
        const char *dot = strchr(a->url + 8, '.');
        assert_non_null(dot);
        assert_int_equal(strspn(dot + 1, "0123456789abcdef"), 12);
        assert_true(a->len > 0);
        assert_true(a->gz_len > 0 && a->gz[0] == 0x1f && a->gz[1] == 0x8b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_compile),
        cmocka_unit_test(test_all_render_empty),
        cmocka_unit_test(test_hostile_values),
        cmocka_unit_test(test_assets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
