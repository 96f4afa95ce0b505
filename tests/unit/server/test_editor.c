/* Unit tests of the handoff editor's form -> document mapping (src/server/editor_form.c),
 * the one function save, preview and "add a row" use. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "server/editor_form.h"
#include "server/webinput.h"

#include "handoff/evaluate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *form(const char *body)
{
    json_t *f = NULL;
    hf_error err;
    assert_int_equal(hf_form_parse(body, strlen(body), &f, &err), 0);
    return f;
}

static const char *str(const json_t *doc, const char *path)
{
    const json_t *v = hf_ef_get(doc, path);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void test_fields(void **state)
{
    (void)state;
    json_t *base = json_loads("{\"deal\":{\"crm_id\":\"D-1\",\"owner\":{\"email\":\"r@x\"},"
                              "\"name\":\"Old\"},\"customer\":{\"industry\":\"Old\"},"
                              "\"meeting\":{\"held_at\":\"2026-11-02T15:00:00Z\"},\"x\":1}",
                              0, NULL);
    json_t *f = form("deal.name=+Acme+deal+&customer.industry=&customer.why_now=Budget%0Aline2"
                     "&customer.company_size=x&na%3Acustomer.company_size=1"
                     "&customer.competitors_evaluated=Foo%0D%0A%0D%0A++Bar++%0A"
                     "&commercial.acv=120000&commercial.tcv=12.5&scope.timeline_weeks=six"
                     "&readiness.crm_updated=1&churn_risk=high");
    json_t *doc = hf_ef_document(base, f);
    assert_non_null(doc);
    /* kept: keys the editor does not show */
    assert_string_equal(str(doc, "deal.crm_id"), "D-1");
    assert_string_equal(str(doc, "deal.owner.email"), "r@x");
    assert_string_equal(str(doc, "meeting.held_at"), "2026-11-02T15:00:00Z");
    assert_int_equal(json_integer_value(json_object_get(doc, "x")), 1);
    /* text trimmed, empty removes, textarea kept as typed */
    assert_string_equal(str(doc, "deal.name"), "Acme deal");
    assert_null(hf_ef_get(doc, "customer.industry"));
    assert_string_equal(str(doc, "customer.why_now"), "Budget\nline2");
    /* the N/A box wins over the text */
    assert_string_equal(str(doc, "customer.company_size"), "N/A");
    /* a list: one entry per non-blank line, trimmed */
    json_t *list = hf_ef_get(doc, "customer.competitors_evaluated");
    assert_true(json_is_array(list));
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_array_get(list, 0)), "Foo");
    assert_string_equal(json_string_value(json_array_get(list, 1)), "Bar");
    /* numbers: integers, reals, and what is not a number stays text */
    assert_true(json_is_integer(hf_ef_get(doc, "commercial.acv")));
    assert_int_equal(json_integer_value(hf_ef_get(doc, "commercial.acv")), 120000);
    assert_true(json_is_real(hf_ef_get(doc, "commercial.tcv")));
    assert_string_equal(str(doc, "scope.timeline_weeks"), "six");
    /* checkboxes: ticked is true; unticked stays absent unless the document had it */
    assert_true(json_is_true(hf_ef_get(doc, "readiness.crm_updated")));
    assert_null(hf_ef_get(doc, "readiness.finance_record"));
    assert_string_equal(str(doc, "churn_risk"), "high");
    json_decref(doc);
    json_decref(f);

    json_t *base2 = json_loads("{\"readiness\":{\"finance_record\":true}}", 0, NULL);
    f = form("x=1");
    doc = hf_ef_document(base2, f);
    assert_true(json_is_false(hf_ef_get(doc, "readiness.finance_record")));
    json_decref(doc);
    json_decref(f);
    json_decref(base2);
    json_decref(base);
}

static void test_rows(void **state)
{
    (void)state;
    json_t *f = form("rows%3Astakeholders=3"
                     "&stakeholders.0.role=champion&stakeholders.0.name=Ana&stakeholders.0.title=VP"
                     "&stakeholders.1.role=&stakeholders.1.name=++"
                     "&stakeholders.2.role=end_users&stakeholders.2.user_count=40"
                     "&stakeholders.3.name=beyond+the+count"
                     "&rows%3Acommitments=1&commitments.0.text=SSO&commitments.0.in_contract=1"
                     "&rows%3Arisks=1&risks.0.text=ignored&na%3Arisks=1"
                     "&rows%3Aimplementation.milestones=1&implementation.milestones.0.name=Kickoff"
                     "&implementation.milestones.0.date=2027-01-20"
                     "&rows%3Ameeting.action_items=1&meeting.action_items.0.done=1");
    json_t *doc = hf_ef_document(NULL, f);
    json_t *sh = json_object_get(doc, "stakeholders");
    assert_int_equal(json_array_size(sh), 2); /* the empty row is dropped, row 3 not sent */
    assert_string_equal(str(doc, "stakeholders.0.name"), "Ana");
    assert_string_equal(str(doc, "stakeholders.1.role"), "end_users");
    assert_int_equal(json_integer_value(hf_ef_get(doc, "stakeholders.1.user_count")), 40);
    assert_true(json_is_true(hf_ef_get(doc, "commitments.0.in_contract")));
    assert_true(json_is_false(hf_ef_get(doc, "commitments.0.validated_by_cs")));
    assert_string_equal(str(doc, "risks"), "N/A");
    assert_string_equal(str(doc, "implementation.milestones.0.date"), "2027-01-20");
    /* a row with only a ticked box is empty */
    assert_null(hf_ef_get(doc, "meeting.action_items"));
    json_decref(doc);
    json_decref(f);

    /* rows are capped */
    f = form("rows%3Astakeholders=100000&stakeholders.60.name=x");
    doc = hf_ef_document(NULL, f);
    assert_null(hf_ef_get(doc, "stakeholders"));
    json_decref(doc);
    json_decref(f);
}

static void test_hostile_kept_as_data(void **state)
{
    (void)state;
    json_t *f = form("customer.industry=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
                     "&customer.why_now=%22onmouseover%3D&rows%3Astakeholders=1"
                     "&stakeholders.0.name=javascript%3Aalert(1)&stakeholders.__proto__.x=1");
    json_t *doc = hf_ef_document(NULL, f);
    assert_string_equal(str(doc, "customer.industry"), "<script>alert(1)</script>");
    assert_string_equal(str(doc, "customer.why_now"), "\"onmouseover=");
    assert_string_equal(str(doc, "stakeholders.0.name"), "javascript:alert(1)");
    json_decref(doc);
    json_decref(f);
}

static void test_anchors(void **state)
{
    (void)state;
    char buf[160];
    const char *label = NULL;
    assert_true(hf_ef_anchor("customer.industry", buf, sizeof(buf), &label));
    assert_string_equal(buf, "customer.industry");
    assert_string_equal(label, "Industry");
    assert_true(hf_ef_anchor("stakeholders.champion", buf, sizeof(buf), &label));
    assert_string_equal(buf, "group-stakeholders");
    assert_string_equal(label, "Champion");
    assert_true(hf_ef_anchor("commitments", buf, sizeof(buf), &label));
    assert_string_equal(buf, "group-commitments");
    assert_false(hf_ef_anchor("nothing.here", buf, sizeof(buf), &label));
    assert_string_equal(hf_ef_section_of("commitments"), "scope");
    assert_string_equal(hf_ef_section_of("churn_risk"), "risks");
    assert_string_equal(hf_ef_section_of("implementation.milestones"), "implementation");
    /* every one of the 39 required items has a field in the editor */
    for (int i = 0; i < HF_ITEM_COUNT; i++)
        assert_true(hf_ef_anchor(hf_item_ids[i], buf, sizeof(buf), &label));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_hostile_kept_as_data),
        cmocka_unit_test(test_anchors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
