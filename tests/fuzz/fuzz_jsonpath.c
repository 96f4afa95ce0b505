/* libFuzzer target for the path reader and the diff: the input is a path, a newline and a
 * `--set` value (`meeting.attendees[3].name\nAna`; without a newline, all of it is the
 * path and the value is `null`). It sets, gets and removes that path in a copy of a sample
 * handoff document, diffs the result against the original after each edit, checks that
 * every diff path reads back, and renders the diffs. Nothing may crash, leak or trip the
 * sanitizers, a refused edit must leave the document unchanged, and a diff never fails
 * (it turns coarse rather than refuse a document that grew too deep or too large). */
#include "handoff/jsondiff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sample[] =
    "{\"deal\": {\"crm_id\": \"006A\", \"name\": \"Acme\", \"owner\": {\"name\": \"Ana\"},"
    " \"payment\": null, \"segment\": \"enterprise\"},"
    " \"stakeholders\": [{\"role\": \"champion\", \"name\": \"Bo\"}, {\"role\": \"end_users\","
    " \"user_count\": 40}],"
    " \"meeting\": {\"attendees\": [{\"name\": \"Ana\", \"role\": \"account_executive\"}],"
    " \"cs_questions\": {\"asked\": 3, \"answered\": 2.0}},"
    " \"a.b\": {\"\": [1, [2, {\"c d\": true}]]}, \"commercial\": {\"acv\": 96000},"
    " \"risks\": \"N/A\", \"empty\": {}, \"list\": []}";

/* Every path of the diff of `before` and `after` reads back to its new value. */
static void diff_and_check(const json_t *before, const json_t *after)
{
    hf_diff d;
    hf_error err;
    if (hf_json_diff(before, after, &d, &err) != 0)
        abort();
    {
        for (size_t i = 0; i < d.count; i++) {
            json_t *found = NULL;
            int rc = hf_json_path_get(after, d.entries[i].path, &found, &err);
            if (d.entries[i].new_value && (rc != 0 || !json_equal(found, d.entries[i].new_value)))
                abort();
        }
        json_t *paths = hf_diff_paths_json(&d);
        json_t *full = hf_diff_to_json(&d);
        char *text = json_dumps(full, JSON_COMPACT);
        free(text);
        json_decref(paths);
        json_decref(full);
    }
    hf_diff_free(&d);
    hf_diff_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *original;
    if (!original) {
        original = json_loads(sample, 0, NULL);
        if (!original)
            abort();
    }
    const uint8_t *nl = memchr(data, '\n', size);
    size_t path_len = nl ? (size_t)(nl - data) : size;
    char *path = malloc(path_len + 1);
    char *value_text = malloc(size - path_len + sizeof("null")); /* room for the default */
    if (!path || !value_text)
        goto out;
    memcpy(path, data, path_len);
    path[path_len] = '\0';
    if (nl) {
        memcpy(value_text, nl + 1, size - path_len - 1);
        value_text[size - path_len - 1] = '\0';
    } else {
        memcpy(value_text, "null", 5);
    }

    json_t *doc = json_deep_copy(original);
    if (!doc)
        goto out;
    hf_error err;
    json_t *found = NULL;
    json_t *value = hf_json_value_from_arg(value_text);
    if (value) {
        json_t *expected = json_incref(value);
        if (hf_json_path_set(doc, path, value, &err) == 0) {
            /* The value is where the path says. */
            if (hf_json_path_get(doc, path, &found, &err) != 0 || found != expected)
                abort();
        } else if (!json_equal(doc, original)) {
            abort();
        }
        json_decref(expected);
    }
    diff_and_check(original, doc);
    hf_json_path_get(doc, path, &found, &err);
    hf_json_path_get(original, path, &found, &err);
    json_t *before_remove = json_deep_copy(doc);
    if (hf_json_path_remove(doc, path, &err) != 0 && before_remove &&
        !json_equal(doc, before_remove))
        abort();
    json_decref(before_remove);
    diff_and_check(original, doc);
    diff_and_check(doc, original);
    json_decref(doc);
out:
    free(path);
    free(value_text);
    return 0;
}
