/* Unit tests of the page template language (src/server/tmpl.c): syntax, contexts and the
 * escaping of hostile values in each, refused templates, trusted markup, translation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "server/tmpl.h"

#include <stdlib.h>
#include <string.h>

/* Compile `text` as "t" (plus partials given as name, text pairs), render it with the JSON
 * context `json` in `lang`; returns the output (static buffer) or "ERROR: msg". */
static char result[65536];

static const char *render_lang(hf_lang lang, const char *text, const char *json, ...)
{
    hf_tmpl_set *set = hf_tmpl_set_new();
    hf_error err;
    va_list ap;
    va_start(ap, json);
    const char *pname;
    while ((pname = va_arg(ap, const char *)) != NULL) {
        const char *ptext = va_arg(ap, const char *);
        assert_int_equal(hf_tmpl_add(set, pname, ptext, strlen(ptext), &err), 0);
    }
    va_end(ap);
    if (hf_tmpl_add(set, "t", text, strlen(text), &err) || hf_tmpl_link(set, &err)) {
        snprintf(result, sizeof(result), "ERROR: %s", err.msg);
        hf_tmpl_set_free(set);
        return result;
    }
    json_error_t je;
    json_t *ctx = json ? json_loads(json, JSON_ALLOW_NUL, &je) : json_object();
    assert_non_null(ctx);
    hf_strbuf out = {0};
    int rc = hf_tmpl_render(set, "t", ctx, lang, &out, &err);
    if (rc)
        snprintf(result, sizeof(result), "ERROR: %s", err.msg);
    else
        snprintf(result, sizeof(result), "%s", out.data ? out.data : "");
    free(out.data);
    json_decref(ctx);
    hf_tmpl_set_free(set);
    return result;
}

/* the end of the partials of render_lang */
#define END ((const char *)NULL)
#define R(text, json) render_lang(HF_LANG_EN, text, json, END)

/* The compile error of `text`, or "" when it compiles. */
static const char *compile_error(const char *text)
{
    hf_tmpl_set *set = hf_tmpl_set_new();
    hf_error err;
    int rc = hf_tmpl_add(set, "t", text, strlen(text), &err);
    snprintf(result, sizeof(result), "%s", rc ? err.msg : "");
    hf_tmpl_set_free(set);
    return result;
}

static void test_variables(void **state)
{
    (void)state;
    assert_string_equal(
        R("<p>{{a}} {{b.c}} {{n}} {{x}} {{t}} {{z}}</p>",
          "{\"a\":\"A\",\"b\":{\"c\":\"C\"},\"n\":42,\"x\":1.5,\"t\":true,\"z\":null}"),
        "<p>A C 42 1.5 true </p>");
    assert_string_equal(R("[{{missing}}][{{a.b.c}}]", "{\"a\":\"s\"}"), "[][]");
    assert_string_equal(R("{{list.1}}", "{\"list\":[\"a\",\"b\"]}"), "b");
    assert_string_equal(R("{{! a comment }}x", NULL), "x");
    assert_string_equal(R("{{ a }}", "{\"a\":\"spaced\"}"), "spaced");
    assert_string_equal(R("{{o}}", "{\"o\":{\"k\":1}}"),
                        "ERROR: t:1: o is a list or an object, not a text value");
}

static void test_sections(void **state)
{
    (void)state;
    const char *ctx =
        "{\"yes\":true,\"no\":false,\"empty\":\"\",\"zero\":0,\"items\":[{\"n\":\"a\"},"
        "{\"n\":\"b\"},{\"n\":\"c\"}],\"none\":[],\"title\":\"T\"}";
    assert_string_equal(R("{{#if yes}}Y{{else}}N{{/if}}{{#if no}}Y{{else}}N{{/if}}", ctx), "YN");
    assert_string_equal(R("{{#if empty}}Y{{/if}}{{#if zero}}Y{{/if}}{{#if none}}Y{{/if}}", ctx),
                        "");
    assert_string_equal(R("{{#unless no}}U{{/unless}}", ctx), "U");
    assert_string_equal(R("{{#if missing}}Y{{else}}N{{/if}}{{#unless a.b}}U{{/unless}}", ctx),
                        "NU");
    assert_string_equal(
        R("<ul>{{#each items}}<li>{{@number}}/{{@index}} {{n}} {{title}}{{#if @first}} first{{/if}}"
          "{{#if @last}} last{{/if}}</li>{{/each}}</ul>",
          ctx),
        "<ul><li>1/0 a T first</li><li>2/1 b T</li><li>3/2 c T last</li></ul>");
    assert_string_equal(R("{{#each none}}x{{else}}nothing{{/each}}", ctx), "nothing");
    assert_string_equal(R("{{#each strings}}[{{.}}]{{/each}}", "{\"strings\":[\"p\",\"q\"]}"),
                        "[p][q]");
    assert_string_equal(R("{{#each title}}x{{/each}}", ctx), "ERROR: t:1: #each title: not a list");
    assert_string_equal(compile_error("{{#if a}}x"), "t:1: {{#if}} is not closed");
    assert_string_equal(compile_error("{{#if a}}x{{/each}}"),
                        "t:1: {{/each}} closes {{#if}} of line 1");
    assert_string_equal(compile_error("x{{/if}}"), "t:1: {{/if}} closes nothing");
    assert_string_equal(compile_error("{{else}}"), "t:1: {{else}} outside a section");
    assert_string_equal(compile_error("{{#with a}}{{/with}}"),
                        "t:1: unknown section {{#with}} (if, unless, each)");
    assert_string_equal(compile_error("\n\n{{a b}}"), "t:3: unknown tag {{a …}}");
    assert_string_equal(compile_error("{{a"), "t:1: {{ without }}");
    assert_string_equal(compile_error("{{a..b}}"), "t:1: expected a name (a.b.c, ., @index) here");
}

static void test_partials(void **state)
{
    (void)state;
    assert_string_equal(render_lang(HF_LANG_EN, "<div>{{> field email}}{{> field}}</div>",
                                    "{\"label\":\"outer\",\"email\":{\"label\":\"E-mail\"}}",
                                    "field", "<label>{{label}}</label>", END),
                        "<div><label>E-mail</label><label>outer</label></div>");
    assert_string_equal(render_lang(HF_LANG_EN, "{{> loop}}", NULL, "loop", "{{> loop}}", END),
                        "ERROR: loop:1: partials nest more than 16 deep");
    assert_string_equal(R("{{> nowhere}}", NULL), "ERROR: t:1: no template nowhere");
    /* a loop of partials that multiplies without writing anything is stopped */
    char nested[512] = "";
    for (int i = 0; i < 8; i++)
        strcat(nested, "{{#each l}}");
    for (int i = 0; i < 8; i++)
        strcat(nested, "{{/each}}");
    assert_string_equal(R(nested, "{\"l\":[1,2,3,4,5,6,7,8]}"),
                        "ERROR: t:1: the render takes more than 4194304 steps");
    assert_string_equal(compile_error("<a href=\"{{> p}}\">"),
                        "t:1: a partial must stand in text, not in an attribute value");
}

/* Every hostile string, in every context, comes out inert. */
static void test_hostile_text(void **state)
{
    (void)state;
    assert_string_equal(R("<p>{{v}}</p>", "{\"v\":\"<script>alert(1)</script>\"}"),
                        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    assert_string_equal(R("<p>{{v}}</p>", "{\"v\":\"a & b 'c' \\\"d\\\"\"}"),
                        "<p>a &amp; b &#39;c&#39; &#34;d&#34;</p>");
    /* </textarea> cannot close the element early */
    assert_string_equal(
        R("<textarea name=\"n\">{{v}}</textarea>", "{\"v\":\"</textarea><script>x()</script>\"}"),
        "<textarea name=\"n\">&lt;/textarea&gt;&lt;script&gt;x()&lt;/script&gt;"
        "</textarea>");
    assert_string_equal(R("<title>{{v}}</title>", "{\"v\":\"</title><b>\"}"),
                        "<title>&lt;/title&gt;&lt;b&gt;</title>");
    /* NUL bytes and C0 controls become U+FFFD; tab and newline stay */
    assert_string_equal(R("{{v}}", "{\"v\":\"a\\u0000b\\u0001c\\td\\ne\"}"), "a\xEF\xBF\xBD"
                                                                             "b\xEF\xBF\xBD"
                                                                             "c\td\ne");
}

static void test_hostile_attribute(void **state)
{
    (void)state;
    assert_string_equal(R("<input value=\"{{v}}\">", "{\"v\":\"\\\" onmouseover=\\\"alert(1)\"}"),
                        "<input value=\"&#34; onmouseover=&#34;alert(1)\">");
    assert_string_equal(R("<input value='{{v}}'>", "{\"v\":\"' onfocus='x\"}"),
                        "<input value='&#39; onfocus=&#39;x'>");
    assert_string_equal(R("<input title=\"{{v}}\">", "{\"v\":\"><script>\"}"),
                        "<input title=\"&gt;&lt;script&gt;\">");
}

static void test_hostile_url(void **state)
{
    (void)state;
    const char *t = "<a href=\"{{u}}\">x</a>";
    assert_string_equal(R(t, "{\"u\":\"javascript:alert(1)\"}"), "<a href=\"#\">x</a>");
    assert_string_equal(R(t, "{\"u\":\"JaVaScRiPt:alert(1)\"}"), "<a href=\"#\">x</a>");
    assert_string_equal(R(t, "{\"u\":\" \\u0001java\\tscript:alert(1)\"}"), "<a href=\"#\">x</a>");
    assert_string_equal(R(t, "{\"u\":\"java\\nscript:alert(1)\"}"), "<a href=\"#\">x</a>");
    assert_string_equal(R(t, "{\"u\":\"data:text/html,<script>\"}"), "<a href=\"#\">x</a>");
    assert_string_equal(R(t, "{\"u\":\"vbscript:x\"}"), "<a href=\"#\">x</a>");
    assert_string_equal(R(t, "{\"u\":\"https://example.com/a?b=1&c=\\\"x\\\"\"}"),
                        "<a href=\"https://example.com/a?b=1&amp;c=%22x%22\">x</a>");
    assert_string_equal(R(t, "{\"u\":\"HTTP://example.com/é\"}"),
                        "<a href=\"HTTP://example.com/%C3%A9\">x</a>");
    assert_string_equal(R(t, "{\"u\":\"mailto:a@b.example\"}"),
                        "<a href=\"mailto:a@b.example\">x</a>");
    assert_string_equal(R(t, "{\"u\":\"/handoffs/1?x=<y>\"}"),
                        "<a href=\"/handoffs/1?x=%3Cy%3E\">x</a>");
    assert_string_equal(R(t, "{\"u\":\"relative/path:with-colon-later\"}"),
                        "<a href=\"relative/path:with-colon-later\">x</a>");
    assert_string_equal(R(t, "{\"u\":\"a:b\"}"), "<a href=\"#\">x</a>");
    /* a value after the start of a URL is one component: nothing can start a scheme */
    assert_string_equal(R("<a href=\"/handoffs/{{id}}?q={{q}}\">x</a>",
                          "{\"id\":\"1/../admin\",\"q\":\"javascript:a b&c\"}"),
                        "<a href=\"/handoffs/1%2F..%2Fadmin?q=javascript%3Aa%20b%26c\">x</a>");
    assert_string_equal(R("<form action=\"{{u}}\"></form>", "{\"u\":\"javascript:x\"}"),
                        "<form action=\"#\"></form>");
    assert_string_equal(R("<img src=\"{{u}}\" alt=\"\">", "{\"u\":\"data:image/png,xx\"}"),
                        "<img src=\"#\" alt=\"\">");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    hf_strbuf b = {0};
    /* overlong '<', a lone continuation byte, a surrogate, a truncated sequence */
    const char bad[] = "a\xC0\xBC"
                       "b\x80"
                       "c\xED\xA0\x80"
                       "d\xE2\x82";
    hf_escape_html(&b, bad, sizeof(bad) - 1);
    assert_string_equal(b.data, "a\xEF\xBF\xBD\xEF\xBF\xBD"
                                "b\xEF\xBF\xBD"
                                "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                "d\xEF\xBF\xBD\xEF\xBF\xBD");
    b.len = 0;
    hf_escape_html(&b, "ação €𝄞", strlen("ação €𝄞"));
    assert_string_equal(b.data, "ação €𝄞");
    b.len = 0;
    hf_escape_url(&b, "/x\xC0", 3);
    assert_string_equal(b.data, "/x%C0");
    free(b.data);
    /* a NUL in a value cannot cut an attribute short */
    assert_string_equal(R("<input value=\"{{v}}\">", "{\"v\":\"a\\u0000\\\"b\"}"),
                        "<input value=\"a\xEF\xBF\xBD&#34;b\">");
}

static void test_refused_contexts(void **state)
{
    (void)state;
    assert_string_equal(compile_error("<a href={{u}}>"),
                        "t:1: attribute values with a value in them must be quoted");
    assert_string_equal(compile_error("<div {{attrs}}>"),
                        "t:1: a value inside a tag must be in a quoted attribute value");
    assert_string_equal(compile_error("<{{tag}}>"),
                        "t:1: a value inside a tag must be in a quoted attribute value");
    assert_string_equal(compile_error("</{{tag}}>"),
                        "t:1: a value inside a tag must be in a quoted attribute value");
    assert_string_equal(compile_error("<{{> p}}"),
                        "t:1: a partial must stand in text, not in a tag");
    assert_string_equal(compile_error("<a onclick=\"go({{x}})\">"),
                        "t:1: no values in event-handler attributes");
    assert_string_equal(compile_error("<p style=\"color: {{c}}\">"),
                        "t:1: no values in style or srcset attributes");
    assert_string_equal(compile_error("<script>var x = {{x}};</script>"),
                        "t:1: no values in <script> or <style>");
    assert_string_equal(compile_error("<style>p { color: {{c}} }</style>"),
                        "t:1: no values in <script> or <style>");
    assert_string_equal(compile_error("<!-- {{x}} -->"),
                        "t:1: no values in HTML comments or declarations");
    assert_string_equal(compile_error("<p title=\"x"),
                        "t:1: the template ends inside an attribute value");
    assert_string_equal(compile_error("<p {{#if a}}title=\"{{/if}}\">"),
                        "t:1: {{#if}}: its branches end in different HTML contexts (an attribute "
                        "value and a tag); keep tags and quotes balanced inside it");
    assert_string_equal(compile_error("{{#each a}}<p{{/each}}>"),
                        "t:1: {{#each}}: its branches end in different HTML contexts (a tag and "
                        "text); keep tags and quotes balanced inside it");
    /* after </script> values are fine again; an attribute may be added conditionally */
    assert_string_equal(compile_error("<script src=\"/s.js\"></script><p>{{x}}</p>"), "");
    assert_string_equal(compile_error("<input type=\"checkbox\"{{#if c}} checked{{/if}} "
                                      "value=\"{{v}}\">"),
                        "");
    assert_string_equal(compile_error("<a href=\"{{#if a}}/x{{else}}/y{{/if}}\">{{t}}</a>"), "");
    assert_string_equal(compile_error("<!DOCTYPE html><html lang=\"{{lang}}\">"), "");
}

static void test_raw(void **state)
{
    (void)state;
    hf_tmpl_set *set = hf_tmpl_set_new();
    hf_error err;
    const char *t = "<div>{{raw svg_html}}</div>";
    assert_int_equal(hf_tmpl_add(set, "t", t, strlen(t), &err), 0);
    json_t *ctx = json_object();
    json_object_set_new(ctx, "svg_html", hf_tmpl_html("<svg><text>A &amp; B</text></svg>"));
    hf_strbuf out = {0};
    assert_int_equal(hf_tmpl_render(set, "t", ctx, HF_LANG_EN, &out, &err), 0);
    assert_string_equal(out.data, "<div><svg><text>A &amp; B</text></svg></div>");
    /* a plain string, or an object that looks like the marker, is refused */
    json_object_set_new(ctx, "svg_html", json_string("<script>"));
    out.len = 0;
    assert_int_equal(hf_tmpl_render(set, "t", ctx, HF_LANG_EN, &out, &err), HF_EINVAL);
    assert_string_equal(err.msg, "t:1: raw svg_html: not markup made by hf_tmpl_html");
    json_error_t je;
    assert_null(json_loads("{\"\\u0000hf-trusted-html\":\"<script>\"}", 0, &je));
    json_object_set_new(ctx, "svg_html", json_pack("{s:s}", "hf-trusted-html", "<script>"));
    assert_int_equal(hf_tmpl_render(set, "t", ctx, HF_LANG_EN, &out, &err), HF_EINVAL);
    /* markup printed without raw is an error, not escaped markup */
    const char *t2 = "{{svg_html}}";
    assert_int_equal(hf_tmpl_add(set, "t2", t2, strlen(t2), &err), 0);
    json_object_set_new(ctx, "svg_html", hf_tmpl_html("<b>"));
    assert_int_equal(hf_tmpl_render(set, "t2", ctx, HF_LANG_EN, &out, &err), HF_EINVAL);
    assert_string_equal(compile_error("<a title=\"{{raw x_html}}\">"),
                        "t:1: raw markup must stand in text, not in an attribute value");
    free(out.data);
    json_decref(ctx);
    hf_tmpl_set_free(set);
}

static void test_translation(void **state)
{
    (void)state;
    /* an msgid the catalogs translate: "Handoffs by status" (the demo command's) */
    assert_string_equal(
        render_lang(HF_LANG_PT_BR, "<h1>{{_ \"Handoffs by status\"}}</h1>", NULL, END),
        "<h1>Handoffs por status</h1>");
    assert_string_equal(render_lang(HF_LANG_EN, "<h1>{{_ \"Handoffs by status\"}}</h1>", NULL, END),
                        "<h1>Handoffs by status</h1>");
    /* arguments are escaped like any value; %% is a percent sign */
    assert_string_equal(R("<p>{{_ \"Hello, %s (100%%)\" name}}</p>", "{\"name\":\"<b>Ana</b>\"}"),
                        "<p>Hello, &lt;b&gt;Ana&lt;/b&gt; (100%)</p>");
    assert_string_equal(R("<p title=\"{{_ \"Say \\\"%s\\\"\" w}}\"></p>", "{\"w\":\"x\"}"),
                        "<p title=\"Say &#34;x&#34;\"></p>");
    assert_string_equal(R("{{_n \"%d handoff\" \"%d handoffs\" n}}", "{\"n\":1}"), "1 handoff");
    assert_string_equal(R("{{_n \"%d handoff\" \"%d handoffs\" n}}", "{\"n\":3}"), "3 handoffs");
    assert_string_equal(R("{{_n \"%d handoff\" \"%d handoffs\" n}}", "{\"n\":\"3\"}"),
                        "ERROR: t:1: n: expected a count");
    assert_string_equal(compile_error("{{_ \"Hello, %s\"}}"),
                        "t:1: the message has 1 %s but 0 names follow it");
    assert_string_equal(compile_error("{{_ \"%d things\" n}}"),
                        "t:1: only %s and %% may follow % in a message");
    assert_string_equal(compile_error("{{_ \"unterminated}}"), "t:1: unterminated string");
}

static void test_limits(void **state)
{
    (void)state;
    hf_tmpl_set *set = hf_tmpl_set_new();
    hf_error err;
    const char *t = "{{#each a}}{{.}}{{/each}}";
    assert_int_equal(hf_tmpl_add(set, "t", t, strlen(t), &err), 0);
    json_t *ctx = json_object();
    json_t *a = json_array();
    for (int i = 0; i < 100; i++)
        json_array_append_new(a, json_string("0123456789"));
    json_object_set_new(ctx, "a", a);
    hf_strbuf out = {NULL, 0, 0, 500, false};
    assert_int_equal(hf_tmpl_render(set, "t", ctx, HF_LANG_EN, &out, &err), HF_ENOMEM);
    assert_true(out.len < 500);
    free(out.data);
    assert_int_equal(hf_tmpl_add(set, "bad", "a\0b", 3, &err), HF_EINVAL);
    assert_int_equal(hf_tmpl_render(set, "nope", ctx, HF_LANG_EN, &out, &err), HF_ENOTFOUND);
    json_decref(ctx);
    hf_tmpl_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variables),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_partials),
        cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_hostile_attribute),
        cmocka_unit_test(test_hostile_url),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_refused_contexts),
        cmocka_unit_test(test_raw),
        cmocka_unit_test(test_translation),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
