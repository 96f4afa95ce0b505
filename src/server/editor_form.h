/* The handoff editor's form: which fields the editor shows, in the seeds' template order,
 * and the one mapping from the posted form to a handoff/1 document that save, preview and
 * the no-JavaScript "add a row" all use (page_editor.c). Kept apart from the pages so the
 * unit tests link it (tests/unit/server/test_editor.c).
 *
 * Form names are document paths: `customer.industry`, `stakeholders.0.name`,
 * `implementation.milestones.1.date`. `na:PATH` (a checkbox) is the explicit "N/A" of an
 * item; `rows:PATH` the number of rows the form shows for a repeatable group. */
#ifndef HANDOFF_SERVER_EDITOR_FORM_H
#define HANDOFF_SERVER_EDITOR_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum hf_ef_kind {
    HF_EF_TEXT,
    HF_EF_TEXTAREA,
    HF_EF_LIST, /* one entry per line -> array of strings */
    HF_EF_DATE,
    HF_EF_NUMBER,
    HF_EF_ENUM,
    HF_EF_BOOL,
} hf_ef_kind;

typedef struct hf_ef_field {
    const char *path; /* full path for a section field, the key inside a row for a group */
    hf_ef_kind kind;
    const char *label;                /* English msgid */
    const char *const *options;       /* HF_EF_ENUM: NULL-terminated values */
    const char *const *option_labels; /* msgids, same order */
    bool na;                          /* offers an explicit N/A */
} hf_ef_field;

typedef struct hf_ef_group {
    const char *path;  /* the array: "stakeholders", "implementation.milestones" */
    const char *label; /* msgid */
    const hf_ef_field *fields;
    size_t nfields;
    bool na; /* the whole list may be "N/A" (commitments, risks) */
} hf_ef_group;

typedef struct hf_ef_section {
    const char *id;    /* anchor: "customer" */
    const char *title; /* msgid */
    const char *hint;  /* msgid: what CS needs from this section */
    const hf_ef_field *fields;
    size_t nfields;
    const hf_ef_group *groups;
    size_t ngroups;
} hf_ef_section;

extern const hf_ef_section hf_ef_sections[];
extern const size_t hf_ef_section_count;

/* Most rows a group keeps from a form. */
#define HF_EF_MAX_ROWS 50

/* The document the form describes: a copy of `base` (the stored document; NULL: empty)
 * with every field the editor shows replaced by the form's value (an empty value removes
 * the key, an N/A box gives "N/A", a number field a JSON number when it reads as one, a list
 * one string per non-blank line, a checkbox true/false; rows whose fields are all empty are
 * dropped). Keys the editor does not show (deal.owner, team, review, meeting times, ...)
 * stay as they were. Returns a new reference, or NULL when out of memory. */
json_t *hf_ef_document(const json_t *base, const json_t *form);

/* The section field or group that shows item / path `id` (a completeness item id such as
 * "customer.industry", "stakeholders.champion", "commitments"): writes the anchor of the
 * input into buf ("customer.industry", "group-stakeholders") and the label msgid into
 * *label. Returns false when the editor has no field for it. */
bool hf_ef_anchor(const char *id, char *buf, size_t cap, const char **label);

/* The section id ("customer") that holds item `id`, or NULL. */
const char *hf_ef_section_of(const char *id);

/* Value at a dotted path ("implementation.milestones.0.name"), or NULL. */
json_t *hf_ef_get(const json_t *doc, const char *path);

#endif
