/* The handoff overview (GET /handoffs/{id}), its status changes (POST
 * /handoffs/{id}/transition) and its history (GET /handoffs/{id}/history). The stakeholder
 * map and the SLA timeline are SVG drawn here, every text escaped with hf_escape_html, and
 * each has a table equivalent. Rules and rights come from the service (pages.h). */
#include "server/pages.h"

#include "server/api.h"
#include "server/editor_form.h"
#include "server/tmpl.h"

#include "handoff/id.h"
#include "handoff/lifecycle.h"
#include "handoff/os.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- shared helpers ---- */

bool hf_pages_id(hf_page *pg, int64_t *id)
{
    if (pg->req->nparams > 0 && hf_id_parse(pg->req->params[0], id))
        return true;
    hf_page_error(pg, 404, N_("Page not found"),
                  N_("Check the address, or go back to your inbox."));
    return false;
}

int hf_pages_fail(hf_page *pg, const hf_error *err)
{
    switch (err->rc) {
    case HF_ENOTFOUND:
        return hf_page_error(pg, 404, N_("Handoff not found"),
                             N_("It does not exist, or it is not yours to see."));
    case HF_EPERM:
        return hf_page_error(pg, 403, N_("You cannot do that"),
                             N_("Your role does not allow this on this handoff."));
    case HF_EBUSY:
    case HF_EDB:
        return hf_page_error(pg, 503, N_("Handoff is busy"),
                             N_("The database cannot be reached. Try again in a moment."));
    default:
        return hf_page_error(pg, 409, N_("That cannot be done now"),
                             N_("The handoff changed or is in a state that does not allow it. "
                                "Reload the page and try again."));
    }
}

static const char *const band_msgids[HF_BAND_COUNT] = {N_("excellent"), N_("good"),
                                                       N_("acceptable"), N_("substandard")};

const char *hf_pages_band_label(hf_lang lang, hf_band band)
{
    return hf_tr(lang, band_msgids[band % HF_BAND_COUNT]);
}

void hf_pages_blocker_href(int64_t id, int blocker, uint64_t missing, char *buf, size_t cap)
{
    char anchor[160] = "";
    const char *label;
    switch (blocker) {
    case HF_BLOCK_CONTRACT_NOT_EXECUTED:
        snprintf(buf, cap, "/handoffs/%lld/edit#deal.contract_status", (long long)id);
        return;
    case HF_BLOCK_PAYMENT_UNCONFIRMED:
        snprintf(buf, cap, "/handoffs/%lld/edit#deal.payment.terms", (long long)id);
        return;
    case HF_BLOCK_SYSTEMS_NOT_UPDATED:
        snprintf(buf, cap, "/handoffs/%lld/edit#readiness.crm_updated", (long long)id);
        return;
    case HF_BLOCK_DOCS_INCOMPLETE:
        for (int i = 0; i < HF_ITEM_COUNT; i++)
            if ((missing >> i) & 1u) {
                hf_ef_anchor(hf_item_ids[i], anchor, sizeof(anchor), &label);
                break;
            }
        snprintf(buf, cap, "/handoffs/%lld/edit#%s", (long long)id,
                 anchor[0] ? anchor : "customer");
        return;
    case HF_BLOCK_MEETING_NOT_SCHEDULED:
        snprintf(buf, cap, "/handoffs/%lld/meeting", (long long)id);
        return;
    default: /* the CSM: assigned by a CS manager, shown on the overview */
        snprintf(buf, cap, "/handoffs/%lld#team", (long long)id);
        return;
    }
}

char *hf_pages_value_text(const json_t *v)
{
    if (!v || json_is_null(v))
        return strdup("—");
    if (json_is_string(v))
        return strdup(json_string_value(v));
    if (json_is_array(v)) {
        hf_strbuf b = {0};
        size_t i;
        const json_t *e;
        json_array_foreach(v, i, e)
        {
            char *t = json_is_string(e) ? strdup(json_string_value(e))
                                        : json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
            if (i)
                hf_strbuf_puts(&b, ", ");
            hf_strbuf_puts(&b, t ? t : "");
            free(t);
        }
        return b.data ? b.data : strdup("");
    }
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
}

/* ---- SVG helpers ---- */

static void svg_text(hf_strbuf *b, const char *s)
{
    hf_escape_html(b, s ? s : "", s ? strlen(s) : 0);
}

/* At most `max` characters (code points) of s, escaped, with "…" when cut. */
static void svg_text_cut(hf_strbuf *b, const char *s, size_t max)
{
    if (!s)
        return;
    size_t n = 0, chars = 0;
    while (s[n] && chars < max) {
        n++;
        while ((s[n] & 0xC0) == 0x80)
            n++;
        chars++;
    }
    hf_escape_html(b, s, n);
    if (s[n])
        hf_strbuf_puts(b, "…");
}

static void bprintf(hf_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bprintf(hf_strbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    hf_strbuf_puts(b, tmp);
}

static const char *str_at(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- the stakeholder map ---- */

static const char *const sh_roles[] = {"executive_sponsor", "economic_buyer", "champion",
                                       "technical_lead",    "influencer",     "blocker",
                                       "end_users"};
static const char *const sh_role_labels[] = {
    N_("Executive sponsor"), N_("Economic buyer"), N_("Champion"), N_("Technical lead"),
    N_("Influencer"),        N_("Blocker"),        N_("End users")};
static const int sh_tier[] = {0, 0, 1, 1, 1, 1, 2};

static const char *label_of(hf_lang lang, const char *value, const char *const *values,
                            const char *const *labels, size_t n)
{
    if (!value)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(value, values[i]) == 0)
            return hf_tr(lang, labels[i]);
    return value;
}

static const char *const enth_values[] = {"champion", "supporter", "neutral", "skeptic"};
static const char *const enth_labels[] = {N_("Champion"), N_("Supporter"), N_("Neutral"),
                                          N_("Skeptic")};
static const char *const enth_marks[] = {"★★", "★", "○", "✕"};
static const char *const rel_values[] = {"strong", "moderate", "new"};
static const char *const rel_labels[] = {N_("Strong"), N_("Moderate"), N_("New")};
static const char *const lvl_values[] = {"high", "medium", "low"};
static const char *const lvl_labels[] = {N_("High"), N_("Medium"), N_("Low")};

static int role_index(const char *role)
{
    for (size_t i = 0; role && i < COUNT(sh_roles); i++)
        if (strcmp(role, sh_roles[i]) == 0)
            return (int)i;
    return 4; /* unknown roles sit with the influencers */
}

#define NODE_W 190
#define NODE_H 104
#define GAP_X 16
#define GAP_Y 44

static void stakeholder_map(hf_page *pg, const json_t *doc, json_t *data)
{
    const json_t *list = json_object_get(doc, "stakeholders");
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    json_t *rows = json_array();
    if (n > 40)
        n = 40;
    int tier_count[3] = {0, 0, 0};
    int pos[40], tier[40];
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(list, i);
        int r = role_index(str_at(s, "role"));
        tier[i] = sh_tier[r];
        pos[i] = tier_count[tier[i]]++;
    }
    int widest = 1;
    for (int t = 0; t < 3; t++)
        if (tier_count[t] > widest)
            widest = tier_count[t];
    int w = widest * (NODE_W + GAP_X) + GAP_X, used_tiers = 0, ty[3];
    for (int t = 0; t < 3; t++) {
        ty[t] = 12 + used_tiers * (NODE_H + GAP_Y);
        if (tier_count[t])
            used_tiers++;
    }
    int h = used_tiers * (NODE_H + GAP_Y) - GAP_Y + 24;
    hf_strbuf b = {0};
    bprintf(&b,
            "<svg class=\"stakeholder-map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d "
            "%d\" width=\"%d\" role=\"img\" aria-labelledby=\"map-title\"><title "
            "id=\"map-title\">",
            w, h < 60 ? 60 : h, w);
    svg_text(&b, hf_tr(pg->lang, "Stakeholder map; the table below lists the same people."));
    hf_strbuf_puts(&b, "</title>");
    /* node centres */
    int cx[40], cy[40];
    for (size_t i = 0; i < n; i++) {
        int t = tier[i];
        int row_w = tier_count[t] * (NODE_W + GAP_X) - GAP_X;
        int x0 = (w - row_w) / 2;
        cx[i] = x0 + pos[i] * (NODE_W + GAP_X) + NODE_W / 2;
        cy[i] = ty[t] + NODE_H / 2;
    }
    /* lines: each person to the first person of the tier above (org chart); the line's
     * style is the relationship with that person's account team */
    for (size_t i = 0; i < n; i++) {
        int parent = -1;
        for (int t = tier[i] - 1; t >= 0 && parent < 0; t--)
            for (size_t j = 0; j < n && parent < 0; j++)
                if (tier[j] == t)
                    parent = (int)j;
        if (parent < 0)
            continue;
        const char *rel = str_at(json_array_get(list, i), "relationship");
        const char *cls = rel && strcmp(rel, "strong") == 0     ? "rel-strong"
                          : rel && strcmp(rel, "moderate") == 0 ? "rel-moderate"
                          : rel && strcmp(rel, "new") == 0      ? "rel-new"
                                                                : "rel-unknown";
        bprintf(&b, "<line class=\"map-link %s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", cls,
                cx[parent], cy[parent] + NODE_H / 2, cx[i], cy[i] - NODE_H / 2);
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(list, i);
        const char *role = str_at(s, "role");
        int r = role_index(role);
        bool blocker = role && strcmp(role, "blocker") == 0;
        const char *infl = str_at(s, "influence");
        const char *enth = str_at(s, "enthusiasm");
        const char *rel = str_at(s, "relationship");
        int x = cx[i] - NODE_W / 2, y = cy[i] - NODE_H / 2;
        const char *icls = infl && strcmp(infl, "high") == 0  ? "infl-high"
                           : infl && strcmp(infl, "low") == 0 ? "infl-low"
                                                              : "infl-medium";
        const char *rcls = rel && strcmp(rel, "strong") == 0     ? "rel-strong"
                           : rel && strcmp(rel, "moderate") == 0 ? "rel-moderate"
                           : rel && strcmp(rel, "new") == 0      ? "rel-new"
                                                                 : "rel-unknown";
        bprintf(&b, "<g class=\"map-node%s\">", blocker ? " map-blocker" : "");
        bprintf(&b,
                "<rect class=\"map-box %s %s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                "rx=\"6\"/>",
                icls, rcls, x, y, NODE_W, NODE_H);
        if (blocker)
            bprintf(&b,
                    "<rect class=\"map-box-inner\" x=\"%d\" y=\"%d\" width=\"%d\" "
                    "height=\"%d\" rx=\"3\"/>",
                    x + 4, y + 4, NODE_W - 8, NODE_H - 8);
        const char *name = str_at(s, "name");
        if (!name)
            name = str_at(s, "department");
        bprintf(&b, "<text class=\"map-name\" x=\"%d\" y=\"%d\">", x + 10, y + 20);
        if (blocker)
            hf_strbuf_puts(&b, "⚠ ");
        svg_text_cut(&b, name ? name : "—", 22);
        bprintf(&b, "</text><text class=\"map-line\" x=\"%d\" y=\"%d\">", x + 10, y + 37);
        svg_text_cut(&b, str_at(s, "title") ? str_at(s, "title") : "", 26);
        bprintf(&b, "</text><text class=\"map-role\" x=\"%d\" y=\"%d\">", x + 10, y + 54);
        svg_text_cut(&b,
                     role ? label_of(pg->lang, role, sh_roles, sh_role_labels, COUNT(sh_roles))
                          : hf_tr(pg->lang, sh_role_labels[r]),
                     26);
        bprintf(&b, "</text><text class=\"map-line\" x=\"%d\" y=\"%d\">", x + 10, y + 71);
        char line[256];
        snprintf(line, sizeof(line), hf_tr(pg->lang, "Influence: %s"),
                 infl ? label_of(pg->lang, infl, lvl_values, lvl_labels, 3) : "—");
        svg_text_cut(&b, line, 26);
        bprintf(&b, "</text><text class=\"map-line\" x=\"%d\" y=\"%d\">", x + 10, y + 88);
        const char *mark = "";
        for (size_t k = 0; enth && k < 4; k++)
            if (strcmp(enth, enth_values[k]) == 0)
                mark = enth_marks[k];
        snprintf(line, sizeof(line), "%s %s · %s", mark,
                 enth ? label_of(pg->lang, enth, enth_values, enth_labels, 4) : "—",
                 rel ? label_of(pg->lang, rel, rel_values, rel_labels, 3) : "—");
        svg_text_cut(&b, line, 28);
        hf_strbuf_puts(&b, "</text></g>");

        json_t *row = json_object();
        json_object_set_new(row, "name", json_string(name ? name : ""));
        json_object_set_new(row, "title",
                            json_string(str_at(s, "title") ? str_at(s, "title") : ""));
        json_object_set_new(
            row, "role",
            json_string(role ? label_of(pg->lang, role, sh_roles, sh_role_labels, COUNT(sh_roles))
                             : ""));
        json_object_set_new(
            row, "influence",
            json_string(infl ? label_of(pg->lang, infl, lvl_values, lvl_labels, 3) : ""));
        json_object_set_new(
            row, "enthusiasm",
            json_string(enth ? label_of(pg->lang, enth, enth_values, enth_labels, 4) : ""));
        json_object_set_new(
            row, "relationship",
            json_string(rel ? label_of(pg->lang, rel, rel_values, rel_labels, 3) : ""));
        json_object_set_new(row, "concerns",
                            json_string(str_at(s, "concerns") ? str_at(s, "concerns") : ""));
        json_object_set_new(row, "blocker", json_boolean(blocker));
        json_array_append_new(rows, row);
    }
    hf_strbuf_puts(&b, "</svg>");
    if (n && !b.failed)
        json_object_set_new(data, "map_svg", hf_tmpl_htmln(b.data, b.len));
    free(b.data);
    json_object_set_new(data, "stakeholders", rows);
}

/* ---- the SLA timeline ---- */

#define TL_W 760
#define TL_LABEL 200
#define TL_CHART 400
#define TL_ROW 30

static int tl_x(hf_time t, hf_time t0, hf_time t1)
{
    if (t1 <= t0)
        return TL_LABEL;
    if (t < t0)
        t = t0;
    if (t > t1)
        t = t1;
    return TL_LABEL + (int)((double)(t - t0) / (double)(t1 - t0) * TL_CHART);
}

static void sla_timeline(hf_page *pg, const hf_evaluation *ev, json_t *data)
{
    json_t *rows = json_array();
    hf_time now = ev->now;
    /* the scale runs from T0 to the last due or done time; "now" joins it only while
     * something is still open, so a finished handoff is not squeezed against today */
    hf_time t0 = ev->t0, t1 = t0;
    bool open = false;
    for (size_t i = 0; i < ev->sla_count; i++) {
        const hf_sla_line *l = &ev->sla[i];
        if (l->due != HF_TIME_NONE && l->due > t1)
            t1 = l->due;
        if (l->done_at != HF_TIME_NONE && l->done_at > t1)
            t1 = l->done_at;
        if (l->due != HF_TIME_NONE && l->done_at == HF_TIME_NONE)
            open = true;
    }
    if (open && now > t1)
        t1 = now;
    if (t0 != HF_TIME_NONE)
        t1 += (t1 - t0) / 20 + 3600;
    hf_strbuf b = {0};
    int h = (int)ev->sla_count * TL_ROW + 56;
    bprintf(&b,
            "<svg class=\"sla-timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d "
            "%d\" width=\"%d\" role=\"img\" aria-labelledby=\"tl-title\"><title id=\"tl-title\">",
            TL_W, h, TL_W);
    svg_text(&b, hf_tr(pg->lang, "SLA timeline from T0; the table below gives the same dates."));
    hf_strbuf_puts(&b, "</title><defs><pattern id=\"tl-hatch\" width=\"6\" height=\"6\" "
                       "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                       "<line class=\"tl-hatch-line\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\"/>"
                       "</pattern></defs>");
    if (t0 != HF_TIME_NONE) {
        int nx = now <= t1 + (t1 - t0) / 20 + 3600 ? tl_x(now, t0, t1) : -1;
        bprintf(&b, "<line class=\"tl-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", TL_LABEL,
                h - 30, TL_LABEL + TL_CHART, h - 30);
        bprintf(&b, "<text class=\"tl-tick\" x=\"%d\" y=\"%d\">T0</text>", TL_LABEL, h - 12);
        if (nx >= 0) {
            bprintf(&b, "<line class=\"tl-now\" x1=\"%d\" y1=\"6\" x2=\"%d\" y2=\"%d\"/>", nx, nx,
                    h - 30);
            bprintf(&b, "<text class=\"tl-tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", nx,
                    h - 12);
            svg_text(&b, hf_tr(pg->lang, "now"));
            hf_strbuf_puts(&b, "</text>");
        }
    }
    for (size_t i = 0; i < ev->sla_count; i++) {
        const hf_sla_line *l = &ev->sla[i];
        int y = 8 + (int)i * TL_ROW;
        const char *act = hf_tr(pg->lang, hf_activity_labels[l->activity % HF_ACT_COUNT]);
        const char *st = hf_tr(pg->lang, hf_sla_status_labels[l->status % HF_SLA_STATUS_COUNT]);
        bprintf(&b, "<text class=\"tl-label\" x=\"0\" y=\"%d\">", y + 16);
        svg_text_cut(&b, act, 28);
        hf_strbuf_puts(&b, "</text>");
        if (t0 != HF_TIME_NONE && l->due != HF_TIME_NONE) {
            int dx = tl_x(l->due, t0, t1);
            bprintf(&b, "<line class=\"tl-track\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                    TL_LABEL, y + 12, dx, y + 12);
            hf_time end = l->done_at != HF_TIME_NONE ? l->done_at : now;
            if (end > l->due) {
                int ex = tl_x(end, t0, t1);
                bprintf(&b,
                        "<rect class=\"tl-over\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"10\"/>",
                        dx, y + 7, ex - dx > 2 ? ex - dx : 2);
            }
            bprintf(&b, "<path class=\"tl-due\" d=\"M%d %d l6 6 l-6 6 l-6 -6 z\"/>", dx, y + 6);
            if (l->done_at != HF_TIME_NONE)
                bprintf(&b, "<circle class=\"tl-done\" cx=\"%d\" cy=\"%d\" r=\"5\"/>",
                        tl_x(l->done_at, t0, t1), y + 12);
        }
        bprintf(&b, "<text class=\"tl-status sla-text-%s\" x=\"%d\" y=\"%d\">",
                hf_sla_status_names[l->status % HF_SLA_STATUS_COUNT], TL_LABEL + TL_CHART + 14,
                y + 16);
        char text[160];
        if (l->escalation > 0)
            snprintf(text, sizeof(text), hf_tr(pg->lang, "%s, escalation %d"), st, l->escalation);
        else
            snprintf(text, sizeof(text), "%s", st);
        svg_text_cut(&b, text, 24);
        hf_strbuf_puts(&b, "</text>");

        json_t *row = json_object();
        json_object_set_new(row, "activity", json_string(act));
        json_object_set_new(row, "status",
                            json_string(hf_sla_status_names[l->status % HF_SLA_STATUS_COUNT]));
        json_object_set_new(row, "status_label", json_string(st));
        json_object_set_new(row, "escalation", json_integer(l->escalation));
        if (l->due != HF_TIME_NONE) {
            json_object_set_new(row, "due", hf_page_datetime(pg, l->due));
            if (l->done_at == HF_TIME_NONE)
                json_object_set_new(row, "due_relative", hf_page_relative(pg, l->due, now));
        }
        if (l->done_at != HF_TIME_NONE)
            json_object_set_new(row, "done", hf_page_datetime(pg, l->done_at));
        json_array_append_new(rows, row);
    }
    hf_strbuf_puts(&b, "</svg>");
    if (t0 != HF_TIME_NONE && !b.failed) {
        json_object_set_new(data, "timeline_svg", hf_tmpl_htmln(b.data, b.len));
        json_object_set_new(data, "t0", hf_page_datetime(pg, t0));
    }
    free(b.data);
    json_object_set_new(data, "sla", rows);
}

/* ---- the brief: what the document says, section by section ---- */

/* A field's value as text: an enum by its label, a box as yes / no. */
static char *field_text(hf_page *pg, const hf_ef_field *f, const json_t *v)
{
    if (f->kind == HF_EF_BOOL)
        return strdup(hf_tr(pg->lang, json_is_true(v) ? "yes" : "no"));
    if (f->kind == HF_EF_ENUM && json_is_string(v))
        for (size_t i = 0; f->options[i]; i++)
            if (strcmp(f->options[i], json_string_value(v)) == 0)
                return strdup(hf_tr(pg->lang, f->option_labels[i]));
    return hf_pages_value_text(v);
}

static void brief(hf_page *pg, const json_t *doc, json_t *data)
{
    json_t *sections = json_array();
    for (size_t s = 0; s < hf_ef_section_count; s++) {
        const hf_ef_section *sec = &hf_ef_sections[s];
        json_t *items = json_array();
        for (size_t i = 0; i < sec->nfields; i++) {
            const json_t *v = hf_ef_get(doc, sec->fields[i].path);
            if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)) ||
                json_is_object(v))
                continue;
            char *text = field_text(pg, &sec->fields[i], v);
            json_array_append_new(items, json_pack("{s:s,s:s}", "label",
                                                   hf_tr(pg->lang, sec->fields[i].label), "value",
                                                   text ? text : ""));
            free(text);
        }
        for (size_t g = 0; g < sec->ngroups; g++) {
            const hf_ef_group *gr = &sec->groups[g];
            const json_t *arr = hf_ef_get(doc, gr->path);
            if (json_is_string(arr)) {
                json_array_append_new(items,
                                      json_pack("{s:s,s:s}", "label", hf_tr(pg->lang, gr->label),
                                                "value", json_string_value(arr)));
                continue;
            }
            size_t r;
            const json_t *row;
            json_array_foreach(arr, r, row)
            {
                hf_strbuf b = {0};
                for (size_t k = 0; k < gr->nfields; k++) {
                    const json_t *v = json_object_get(row, gr->fields[k].path);
                    if (!json_is_string(v) && !json_is_number(v))
                        continue;
                    char *t = field_text(pg, &gr->fields[k], v);
                    if (b.len)
                        hf_strbuf_puts(&b, " · ");
                    hf_strbuf_puts(&b, t ? t : "");
                    free(t);
                }
                if (b.len)
                    json_array_append_new(items,
                                          json_pack("{s:s,s:s}", "label",
                                                    hf_tr(pg->lang, gr->label), "value", b.data));
                free(b.data);
            }
        }
        if (json_array_size(items))
            json_array_append_new(sections, json_pack("{s:s,s:o}", "title",
                                                      hf_tr(pg->lang, sec->title), "items", items));
        else
            json_decref(items);
    }
    json_object_set_new(data, "brief", sections);
}

/* ---- the overview ---- */

static const char *const comp_labels[HF_COMP_COUNT] = {
    N_("Deal summary"), N_("Stakeholder map"), N_("Commitments"),
    N_("Risk factors"), N_("Attendance"),      N_("Agenda"),
    N_("CS questions"), N_("Handoff SLA"),     N_("Intro within 48 h")};
static const int comp_max[HF_COMP_COUNT] = {15, 10, 15, 10, 10, 10, 10, 15, 5};

static json_t *hundredths(int64_t c)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
    return json_string(buf);
}

/* Score, completeness, gate and flags of an evaluation, for the overview and the editor. */
json_t *hf_pages_evaluation(hf_page *pg, int64_t id, const hf_evaluation *ev);
json_t *hf_pages_evaluation(hf_page *pg, int64_t id, const hf_evaluation *ev)
{
    json_t *e = json_object();
    char buf[200], anchor[160];
    json_object_set_new(e, "total", json_integer(ev->total));
    json_object_set_new(e, "band", json_string(hf_band_names[ev->band % HF_BAND_COUNT]));
    json_object_set_new(e, "band_label", json_string(hf_pages_band_label(pg->lang, ev->band)));
    json_object_set_new(e, "documentation", hundredths(ev->documentation_c));
    json_object_set_new(e, "meeting", hundredths(ev->meeting_c));
    json_object_set_new(e, "timeliness", hundredths(ev->timeliness_c));
    json_t *comps = json_array();
    for (int i = 0; i < HF_COMP_COUNT; i++)
        json_array_append_new(comps, json_pack("{s:s,s:o,s:i}", "label",
                                               hf_tr(pg->lang, comp_labels[i]), "value",
                                               hundredths(ev->component_c[i]), "max", comp_max[i]));
    json_object_set_new(e, "components", comps);
    snprintf(buf, sizeof(buf), "%lld.%lld", (long long)(ev->percent_d / 10),
             (long long)(ev->percent_d % 10));
    json_object_set_new(e, "percent", json_string(buf));
    json_object_set_new(e, "percent_int", json_integer(ev->percent_d / 10));
    json_object_set_new(e, "filled", json_integer(ev->filled));
    json_object_set_new(e, "required", json_integer(HF_ITEM_COUNT));
    json_object_set_new(e, "complete", json_boolean(ev->percent_d == 1000));
    json_t *missing = json_array();
    for (int i = 0; i < HF_ITEM_COUNT; i++) {
        if (!((ev->missing >> i) & 1u))
            continue;
        const char *label = hf_item_ids[i];
        if (!hf_ef_anchor(hf_item_ids[i], anchor, sizeof(anchor), &label))
            snprintf(anchor, sizeof(anchor), "%s", hf_item_ids[i]);
        snprintf(buf, sizeof(buf), "/handoffs/%lld/edit#%s", (long long)id, anchor);
        json_array_append_new(missing,
                              json_pack("{s:s,s:s,s:s,s:s,s:b}", "id", hf_item_ids[i], "label",
                                        hf_tr(pg->lang, label), "href", buf, "anchor", anchor,
                                        "invalid", (ev->invalid >> i) & 1u));
    }
    json_object_set_new(e, "missing", missing);
    json_t *sections = json_object();
    for (size_t s = 0; s < hf_ef_section_count; s++) {
        int total = 0, ok = 0;
        for (int i = 0; i < HF_ITEM_COUNT; i++) {
            const char *sec = hf_ef_section_of(hf_item_ids[i]);
            if (!sec || strcmp(sec, hf_ef_sections[s].id) != 0)
                continue;
            total++;
            ok += !((ev->missing >> i) & 1u);
        }
        if (total)
            json_object_set_new(sections, hf_ef_sections[s].id,
                                json_integer((ok * 100 + total / 2) / total));
    }
    json_object_set_new(e, "sections", sections);
    json_object_set_new(e, "ready", json_boolean(ev->ready));
    json_object_set_new(e, "pending_contract", json_boolean(ev->pending_contract));
    json_t *blockers = json_array();
    for (int i = 0; i < HF_BLOCK_COUNT; i++) {
        if (!((ev->blockers >> i) & 1u))
            continue;
        hf_pages_blocker_href(id, i, ev->missing, buf, sizeof(buf));
        json_t *bl = json_pack("{s:s,s:s,s:s}", "id", hf_blocker_ids[i], "label",
                               hf_tr(pg->lang, hf_blocker_labels[i]), "href", buf);
        const char *hash = strstr(buf, "/edit#");
        if (hash) /* in the editor, the field is on the same page */
            json_object_set_new(bl, "anchor", json_string(hash + 6));
        json_array_append_new(blockers, bl);
    }
    json_object_set_new(e, "blockers", blockers);
    json_t *flags = json_array();
    for (int i = 0; i < HF_FLAG_COUNT; i++)
        if ((ev->flags >> i) & 1u)
            json_array_append_new(flags, json_pack("{s:s,s:s}", "id", hf_flag_ids[i], "label",
                                                   hf_tr(pg->lang, hf_flag_labels[i])));
    json_object_set_new(e, "flags", flags);
    return e;
}

/* Statuses whose move asks for a written reason (the review decisions, cancelling). */
static bool wants_reason(hf_status to)
{
    return to == HF_STATUS_NEEDS_REVISION || to == HF_STATUS_REJECTED || to == HF_STATUS_CANCELLED;
}

static const char *const reject_codes[] = {"info_gaps", "undocumented_commitments",
                                           "stakeholders_incomplete", "technical_unclear", "other"};
static const char *const reject_labels[] = {N_("Information gaps"), N_("Undocumented commitments"),
                                            N_("Stakeholders incomplete"),
                                            N_("Technical details unclear"), N_("Other")};

static int render_overview(hf_page *pg, int64_t id, int status, json_t *data)
{
    hf_svc *svc = hf_server_service();
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_handoff_rec h;
    hf_evaluation ev;
    hf_error err;
    hf_error_clear(&err);
    if (hf_svc_handoff_evaluate(svc, &a, id, hf_clock_now(), &h, &ev, &err)) {
        json_decref(data);
        return hf_pages_fail(pg, &err);
    }
    json_t *doc = hf_json_loads_fast(h.document);
    if (!doc)
        doc = json_object();
    json_object_set_new(data, "id", json_integer(id));
    json_object_set_new(data, "version", json_integer(h.version));
    const json_t *deal = json_object_get(doc, "deal");
    const char *company = str_at(json_object_get(doc, "customer"), "company_name");
    const char *deal_name = str_at(deal, "name");
    json_object_set_new(data, "customer",
                        json_string(company     ? company
                                    : deal_name ? deal_name
                                                : ""));
    json_object_set_new(data, "deal_name", json_string(deal_name ? deal_name : ""));
    json_object_set_new(data, "crm_id",
                        json_string(str_at(deal, "crm_id") ? str_at(deal, "crm_id") : ""));
    const char *seg = str_at(deal, "segment");
    static const char *const seg_values[] = {"strategic", "enterprise", "mid_market", "smb"};
    static const char *const seg_labels[] = {N_("Strategic"), N_("Enterprise"), N_("Mid-market"),
                                             N_("SMB")};
    json_object_set_new(data, "segment",
                        json_string(seg ? label_of(pg->lang, seg, seg_values, seg_labels, 4) : ""));
    const json_t *owner = json_object_get(deal, "owner");
    json_object_set_new(data, "owner",
                        json_string(str_at(owner, "name")    ? str_at(owner, "name")
                                    : str_at(owner, "email") ? str_at(owner, "email")
                                                             : ""));
    const json_t *team = json_object_get(doc, "team");
    const char *csm = str_at(json_object_get(team, "csm"), "name");
    json_object_set_new(data, "csm", json_string(csm ? csm : ""));
    json_object_set_new(data, "status", json_string(hf_status_name(h.status)));
    json_object_set_new(data, "status_label",
                        json_string(hf_tr(pg->lang, hf_status_label_msgid(h.status))));
    json_object_set_new(data, "updated", hf_page_datetime(pg, h.updated_at));
    json_object_set_new(data, "ev", hf_pages_evaluation(pg, id, &ev));
    json_object_set_new(
        data, "may_edit",
        json_boolean(hf_svc_may(svc, &a, HF_ACTION_EDIT, &h) && !hf_status_is_final(h.status)));
    bool may_override = hf_svc_may(svc, &a, HF_ACTION_OVERRIDE, &h);
    unsigned allowed = hf_svc_transitions_allowed(svc, &a, &h);
    json_t *moves = json_array();
    for (int s = 0; s < HF_STATUS_COUNT; s++) {
        if (!(allowed & HF_STATUS_BIT((hf_status)s)))
            continue;
        json_t *m = json_pack("{s:s,s:s,s:b,s:b,s:b}", "to", hf_status_name((hf_status)s), "label",
                              hf_tr(pg->lang, hf_status_label_msgid((hf_status)s)), "reason",
                              wants_reason((hf_status)s), "override", may_override, "danger",
                              s == HF_STATUS_CANCELLED || s == HF_STATUS_REJECTED);
        if (s == HF_STATUS_REJECTED) {
            json_t *codes = json_array();
            for (size_t k = 0; k < COUNT(reject_codes); k++)
                json_array_append_new(codes, json_pack("{s:s,s:s}", "code", reject_codes[k],
                                                       "label", hf_tr(pg->lang, reject_labels[k])));
            json_object_set_new(m, "reject_codes", codes);
        }
        json_array_append_new(moves, m);
    }
    json_object_set_new(data, "moves", moves);
    stakeholder_map(pg, doc, data);
    sla_timeline(pg, &ev, data);
    brief(pg, doc, data);
    hf_evaluation_free(&ev);
    hf_handoff_rec_free(&h);
    json_decref(doc);
    return hf_page_render(pg, status, "handoff", N_("Handoff"), data);
}

int page_handoff_overview(hf_page *pg)
{
    int64_t id;
    if (!hf_pages_id(pg, &id))
        return 0;
    json_t *data = json_object();
    const char *done = hf_req_query(pg->req, "moved");
    if (done && *done)
        json_object_set_new(data, "moved", json_true());
    return render_overview(pg, id, 200, data);
}

int page_handoff_transition(hf_page *pg)
{
    int64_t id;
    if (!hf_pages_id(pg, &id))
        return 0;
    hf_status to;
    const char *target = hf_page_field(pg, "to");
    json_t *data = json_object();
    if (!target || !hf_status_parse(target, &to) || to == HF_STATUS_DRAFT) {
        hf_page_field_error(data, "transitions", hf_tr(pg->lang, "Choose a status to move to"));
        return render_overview(pg, id, 422, data);
    }
    const char *reasons[COUNT(reject_codes)];
    size_t n = 0;
    const json_t *list = json_object_get(pg->form, "reasons");
    if (json_is_string(list))
        reasons[n++] = json_string_value(list);
    size_t i;
    const json_t *r;
    json_array_foreach(list, i, r)
    {
        if (n < COUNT(reasons) && json_is_string(r))
            reasons[n++] = json_string_value(r);
    }
    const char *comment = hf_page_field(pg, "reason");
    const char *override = hf_page_field(pg, "override_reason");
    hf_transition_req t = {to, comment && *comment ? comment : NULL,    reasons,
                           n,  override && *override ? override : NULL, 0};
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_svc *svc = hf_server_service();
    hf_time now = hf_clock_now();
    int rc = hf_svc_handoff_transition(svc, &a, id, &t, now, NULL, &err);
    if (rc == 0) {
        json_decref(data);
        char loc[64];
        snprintf(loc, sizeof(loc), "/handoffs/%lld?moved=1", (long long)id);
        return hf_page_redirect(pg, loc);
    }
    if (rc == HF_EBLOCKED) {
        hf_handoff_rec h;
        unsigned blockers = 0;
        hf_error e2;
        hf_evaluation ev;
        memset(&ev, 0, sizeof(ev));
        if (hf_svc_handoff_evaluate(svc, &a, id, now, &h, &ev, &e2) == 0) {
            hf_svc_transition_blockers(svc, &h, to, now, &blockers, &e2);
            for (int b = 0; b < HF_BLOCK_COUNT; b++) {
                if (!((blockers >> b) & 1u))
                    continue;
                char href[200];
                hf_pages_blocker_href(id, b, ev.missing, href, sizeof(href));
                json_t *errors = json_object_get(data, "blocked");
                if (!errors) {
                    errors = json_array();
                    json_object_set_new(data, "blocked", errors);
                }
                json_array_append_new(errors, json_pack("{s:s,s:s}", "href", href, "message",
                                                        hf_tr(pg->lang, hf_blocker_labels[b])));
            }
            /* an incomplete document: each missing item, a link to its field */
            json_t *errors = json_object_get(data, "blocked");
            for (int it = 0;
                 errors && (blockers >> HF_BLOCK_DOCS_INCOMPLETE) & 1u && it < HF_ITEM_COUNT;
                 it++) {
                if (!((ev.missing >> it) & 1u))
                    continue;
                char anchor[160], href[200], text[300];
                const char *label = hf_item_ids[it];
                if (!hf_ef_anchor(hf_item_ids[it], anchor, sizeof(anchor), &label))
                    snprintf(anchor, sizeof(anchor), "%s", hf_item_ids[it]);
                snprintf(href, sizeof(href), "/handoffs/%lld/edit#%s", (long long)id, anchor);
                snprintf(text, sizeof(text), hf_tr(pg->lang, "Missing: %s"),
                         hf_tr(pg->lang, label));
                json_array_append_new(errors,
                                      json_pack("{s:s,s:s}", "href", href, "message", text));
            }
            hf_evaluation_free(&ev);
            hf_handoff_rec_free(&h);
        }
        char msg[512];
        json_object_set_new(data, "blocked_heading",
                            json_string(hf_svc_error_text(pg->lang, &err, msg, sizeof(msg))));
        return render_overview(pg, id, 409, data);
    }
    if (rc == HF_ENOTFOUND || rc == HF_EBUSY || rc == HF_EDB) {
        json_decref(data);
        return hf_pages_fail(pg, &err);
    }
    char msg[512];
    hf_page_field_error(data, "transitions", hf_svc_error_text(pg->lang, &err, msg, sizeof(msg)));
    return render_overview(pg, id, rc == HF_EPERM ? 403 : 409, data);
}

/* ---- history ---- */

int page_handoff_history(hf_page *pg)
{
    int64_t id;
    if (!hf_pages_id(pg, &id))
        return 0;
    hf_svc *svc = hf_server_service();
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *hist = NULL;
    if (hf_svc_handoff_history(svc, &a, id, &hist, &err))
        return hf_pages_fail(pg, &err);
    json_t *data = json_object();
    json_object_set_new(data, "id", json_integer(id));
    json_t *versions = json_array();
    const json_t *v;
    size_t i;
    int latest = 0;
    json_array_foreach(json_object_get(hist, "versions"), i, v)
    {
        int num = (int)json_integer_value(json_object_get(v, "version"));
        if (num > latest)
            latest = num;
        hf_time at = 0;
        const char *ats = str_at(v, "at");
        if (ats)
            hf_time_parse_rfc3339(ats, strlen(ats), &at);
        char *changed = hf_pages_value_text(json_object_get(v, "changed"));
        json_array_append_new(versions, json_pack("{s:i,s:s,s:o,s:s}", "version", num, "author",
                                                  str_at(v, "author") ? str_at(v, "author") : "",
                                                  "at", hf_page_datetime(pg, at), "changed",
                                                  changed ? changed : ""));
        free(changed);
    }
    json_object_set_new(data, "versions", versions);
    json_t *moves = json_array();
    json_array_foreach(json_object_get(hist, "transitions"), i, v)
    {
        hf_status from, to;
        const char *fs = str_at(v, "from"), *ts = str_at(v, "to"), *ats = str_at(v, "at");
        hf_time at = 0;
        if (ats)
            hf_time_parse_rfc3339(ats, strlen(ats), &at);
        json_t *m = json_object();
        json_object_set_new(m, "from",
                            json_string(fs && hf_status_parse(fs, &from)
                                            ? hf_tr(pg->lang, hf_status_label_msgid(from))
                                            : hf_tr(pg->lang, "created")));
        json_object_set_new(m, "to",
                            json_string(ts && hf_status_parse(ts, &to)
                                            ? hf_tr(pg->lang, hf_status_label_msgid(to))
                                            : ""));
        json_object_set_new(m, "actor", json_string(str_at(v, "actor") ? str_at(v, "actor") : ""));
        json_object_set_new(m, "at", hf_page_datetime(pg, at));
        if (str_at(v, "reason"))
            json_object_set_new(m, "reason", json_string(str_at(v, "reason")));
        if (str_at(v, "override"))
            json_object_set_new(m, "override", json_string(str_at(v, "override")));
        json_array_append_new(moves, m);
    }
    json_object_set_new(data, "transitions", moves);
    json_t *pins = json_array();
    json_array_foreach(json_object_get(hist, "protocol_pins"), i, v)
    {
        hf_time at = 0;
        const char *ats = str_at(v, "at");
        if (ats)
            hf_time_parse_rfc3339(ats, strlen(ats), &at);
        json_array_append_new(pins, json_pack("{s:s,s:s,s:o}", "version",
                                              str_at(v, "version") ? str_at(v, "version") : "",
                                              "by", str_at(v, "by") ? str_at(v, "by") : "", "at",
                                              hf_page_datetime(pg, at)));
    }
    json_object_set_new(data, "pins", pins);
    json_decref(hist);

    /* the diff between two versions chosen with the GET form */
    int64_t from = latest > 1 ? latest - 1 : 1, to = latest;
    const char *q;
    if ((q = hf_req_query(pg->req, "from")) && !hf_id_parse(q, &from))
        from = 0;
    if ((q = hf_req_query(pg->req, "to")) && !hf_id_parse(q, &to))
        to = 0;
    json_t *choices_from = json_array(), *choices_to = json_array();
    for (int k = latest; k >= 1; k--) {
        json_array_append_new(choices_from, json_pack("{s:i,s:b}", "v", k, "selected", k == from));
        json_array_append_new(choices_to, json_pack("{s:i,s:b}", "v", k, "selected", k == to));
    }
    json_object_set_new(data, "choices_from", choices_from);
    json_object_set_new(data, "choices_to", choices_to);
    json_t *diff = NULL;
    if (latest > 1 && from >= 1 && to >= 1 && from <= latest && to <= latest && from != to &&
        hf_svc_handoff_diff(svc, &a, id, (int)from, (int)to, &diff, &err) == 0) {
        json_t *changes = json_array();
        json_array_foreach(json_object_get(diff, "changes"), i, v)
        {
            char *old = hf_pages_value_text(json_object_get(v, "old"));
            char *new = hf_pages_value_text(json_object_get(v, "new"));
            json_array_append_new(changes, json_pack("{s:s,s:s,s:s}", "path",
                                                     str_at(v, "path") ? str_at(v, "path") : "",
                                                     "from", old ? old : "", "to", new ? new : ""));
            free(old);
            free(new);
        }
        json_object_set_new(data, "diff",
                            json_pack("{s:I,s:I,s:o}", "from", (json_int_t)from, "to",
                                      (json_int_t)to, "changes", changes));
        json_decref(diff);
    }
    return hf_page_render(pg, 200, "history", N_("History"), data);
}
