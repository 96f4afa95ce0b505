/* What every webhook parser and verifier shares (src/integrations/hook_int.h): the
 * batch container of include/handoff/hooks.h, bounded copies into the event's fixed
 * fields, the lenient readers of the JSON values vendors send in more than one form (ids
 * as numbers or strings, timestamps as epoch seconds, milliseconds or text), and HMAC and
 * constant-time comparison over libsodium. Numbers are read without strtod, which obeys
 * LC_NUMERIC. */
#include "hook_int.h"

#include "handoff/document.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Instants beyond 9999-12-31 (and before year 0) are refused, so that no arithmetic on
 * them can overflow. */
#define EPOCH_S_MAX 253402300799LL
#define EPOCH_S_MIN -62167219200LL
/* A bare number at least this large is milliseconds (in seconds it would be past the
 * year 5000). */
#define MILLIS_FROM 100000000000LL

void hf__hook_path(char buf[HF_ERROR_PATH_MAX], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, HF_ERROR_PATH_MAX, fmt, ap);
    va_end(ap);
}

int hf__hook_check_body(const char *body, size_t len, hf_error *err)
{
    if (!body && len)
        return hf_error_set(err, HF_EUSAGE, NULL, "no body");
    if (len > HF_HOOK_BODY_MAX)
        return hf_error_set(err, HF_ENOMEM, NULL, "body of %zu bytes is over the limit of %d", len,
                            HF_HOOK_BODY_MAX);
    return 0;
}

json_t *hf__hook_json_load(const char *body, size_t len, hf_error *err)
{
    if (hf__hook_check_body(body, len, err))
        return NULL;
    json_error_t je;
    json_t *j = hf_json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        hf_error_set(err, HF_EINVAL, NULL, "invalid JSON: %s", je.text);
        if (err) {
            err->line = je.line > 0 ? je.line : 1;
            err->column = je.column > 0 ? je.column : 1;
        }
    }
    return j;
}

void hf_hook_batch_init(hf_hook_batch *b)
{
    if (b)
        memset(b, 0, sizeof(*b));
}

void hf_hook_batch_free(hf_hook_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->count; i++)
        json_decref(b->events[i].properties);
    free(b->events);
    memset(b, 0, sizeof(*b));
}

static void event_init(hf_hook_event *ev, hf_hook_source source)
{
    memset(ev, 0, sizeof(*ev));
    ev->source = source;
    ev->kind = HF_HOOK_IGNORED;
    ev->occurred_at = HF_TIME_NONE;
    ev->won_time = HF_TIME_NONE;
    ev->signed_at = HF_TIME_NONE;
}

hf_hook_event *hf__hook_batch_add(hf_hook_batch *b, hf_error *err)
{
    if (b->count >= HF_HOOK_BATCH_MAX) {
        hf_error_set(err, HF_EUSAGE, NULL, "batch full");
        return NULL;
    }
    json_t *props = json_object();
    hf_hook_event *grown = props ? realloc(b->events, (b->count + 1) * sizeof(*grown)) : NULL;
    if (!grown) {
        json_decref(props);
        hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    b->events = grown;
    hf_hook_event *ev = &b->events[b->count++];
    event_init(ev, b->source);
    ev->properties = props;
    return ev;
}

int hf__hook_batch_alloc(hf_hook_batch *b, hf_hook_source source, size_t n, hf_error *err)
{
    hf_hook_batch_init(b);
    b->source = source;
    if (n == 0)
        return 0;
    if (n > HF_HOOK_BATCH_MAX)
        return hf_error_set(err, HF_EUSAGE, NULL, "batch of %zu events", n);
    b->events = calloc(n, sizeof(*b->events));
    if (!b->events)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        hf_hook_event *ev = &b->events[i];
        event_init(ev, source);
        ev->properties = json_object();
        b->count = i + 1; /* so that a failure below frees what exists */
        if (!ev->properties) {
            hf_hook_batch_free(b);
            b->source = source;
            return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        }
    }
    return 0;
}

void hf__hook_mark_duplicates(hf_hook_batch *b)
{
    /* At most 100 events: the quadratic scan is 5,000 short compares. */
    for (size_t i = 1; i < b->count; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(b->events[i].event_id, b->events[j].event_id) == 0) {
                b->events[i].is_duplicate = true;
                break;
            }
}

const char *hf_hook_source_name(hf_hook_source s)
{
    switch (s) {
    case HF_HOOK_HUBSPOT:
        return "hubspot";
    case HF_HOOK_SALESFORCE:
        return "salesforce";
    case HF_HOOK_PIPEDRIVE:
        return "pipedrive";
    case HF_HOOK_DOCUSIGN:
        return "docusign";
    case HF_HOOK_PANDADOC:
        return "pandadoc";
    case HF_HOOK_GENERIC:
        return "generic";
    case HF_HOOK_SOURCE_NONE:
        break;
    }
    return "none";
}

bool hf_hook_source_parse(const char *name, hf_hook_source *out)
{
    if (!name)
        return false;
    for (int s = HF_HOOK_HUBSPOT; s <= HF_HOOK_GENERIC; s++)
        if (strcmp(name, hf_hook_source_name((hf_hook_source)s)) == 0) {
            if (out)
                *out = (hf_hook_source)s;
            return true;
        }
    return false;
}

const char *hf_hook_kind_name(hf_hook_kind k)
{
    switch (k) {
    case HF_HOOK_DEAL_WON:
        return "deal_won";
    case HF_HOOK_DEAL_CHANGED:
        return "deal_changed";
    case HF_HOOK_CONTRACT_COMPLETED:
        return "contract_completed";
    case HF_HOOK_IGNORED:
        break;
    }
    return "ignored";
}

int hf__hook_copy_id(char *dst, size_t cap, const char *s, size_t n, const char *path,
                     hf_error *err)
{
    if (memchr(s, '\0', n))
        return hf_error_set(err, HF_EINVAL, path, "NUL byte in an id");
    if (n >= cap)
        return hf_error_set(err, HF_EINVAL, path, "id longer than %zu bytes", cap - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

void hf__hook_copy_text(char *dst, size_t cap, const char *s, size_t n)
{
    const char *nul = memchr(s, '\0', n);
    if (nul)
        n = (size_t)(nul - s);
    if (n >= cap) {
        n = cap - 1;
        /* back off to the start of a UTF-8 character */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static bool absent(const json_t *v)
{
    return !v || json_is_null(v);
}

int hf__hook_json_id(const json_t *v, char *dst, size_t cap, const char *path, hf_error *err)
{
    if (absent(v))
        return 0;
    if (json_is_string(v))
        return hf__hook_copy_id(dst, cap, json_string_value(v), json_string_length(v), path, err);
    if (json_is_integer(v)) {
        char buf[32];
        int n = snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return hf__hook_copy_id(dst, cap, buf, (size_t)n, path, err);
    }
    return hf_error_set(err, HF_EINVAL, path, "expected an id (a string or an integer)");
}

int hf__hook_json_text(const json_t *v, char *dst, size_t cap, const char *path, hf_error *err)
{
    if (absent(v))
        return 0;
    if (json_is_string(v)) {
        hf__hook_copy_text(dst, cap, json_string_value(v), json_string_length(v));
        return 0;
    }
    if (json_is_integer(v)) {
        snprintf(dst, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return 0;
    }
    return hf_error_set(err, HF_EINVAL, path, "expected a string");
}

int hf__hook_json_amount(const json_t *v, bool *has, double *out, const char *path, hf_error *err)
{
    if (absent(v))
        return 0;
    if (json_is_number(v)) {
        *out = json_number_value(v);
        *has = true;
        return 0;
    }
    if (json_is_string(v)) {
        if (json_string_length(v) == 0)
            return 0;
        if (!hf__hook_parse_decimal(json_string_value(v), json_string_length(v), out))
            return hf_error_set(err, HF_EINVAL, path, "expected an amount");
        *has = true;
        return 0;
    }
    return hf_error_set(err, HF_EINVAL, path, "expected an amount");
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool epoch_to_time(int64_t v, bool millis, hf_time *out)
{
    if (millis || v >= MILLIS_FROM || v <= -MILLIS_FROM)
        v /= 1000;
    if (v > EPOCH_S_MAX || v < EPOCH_S_MIN)
        return false;
    *out = v;
    return true;
}

int hf__hook_json_time(const json_t *v, bool millis, hf_time *out, const char *path, hf_error *err)
{
    if (absent(v))
        return 0;
    if (json_is_integer(v)) {
        if (!epoch_to_time(json_integer_value(v), millis, out))
            return hf_error_set(err, HF_EINVAL, path, "timestamp out of range");
        return 0;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        if (n == 0)
            return 0;
        int64_t num;
        if (all_digits(s, n)) {
            if (!hf__hook_parse_int64(s, n, &num) || !epoch_to_time(num, millis, out))
                return hf_error_set(err, HF_EINVAL, path, "timestamp out of range");
            return 0;
        }
        if (!hf__hook_parse_time(s, n, out))
            return hf_error_set(err, HF_EINVAL, path, "expected a timestamp");
        return 0;
    }
    return hf_error_set(err, HF_EINVAL, path, "expected a timestamp");
}

int hf__hook_json_date(const json_t *v, bool *has, int64_t *day, const char *path, hf_error *err)
{
    if (absent(v))
        return 0;
    if (json_is_string(v) && json_string_length(v) == 0)
        return 0;
    if (json_is_string(v) && hf_date_parse(json_string_value(v), json_string_length(v), day)) {
        *has = true;
        return 0;
    }
    hf_time t = HF_TIME_NONE;
    int rc = hf__hook_json_time(v, false, &t, path, err);
    if (rc)
        return hf_error_set(err, rc, path, "expected a date");
    if (t == HF_TIME_NONE)
        return 0;
    *day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    *has = true;
    return 0;
}

bool hf__hook_parse_int64(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (n && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n)
        return false;
    uint64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_C(9223372036854775807) - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

bool hf__hook_parse_decimal(const char *s, size_t n, double *out)
{
    /* [+-] digits [. digits] [(e|E) [+-] digits], at most 40 digits in the mantissa */
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    uint64_t mant = 0;
    int scale = 0; /* value = mant * 10^scale */
    size_t digits = 0, kept = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (kept < 19) {
            mant = mant * 10 + (uint64_t)(s[i] - '0');
            if (mant)
                kept++;
        } else {
            scale++;
        }
    }
    if (i < n && s[i] == '.') {
        i++;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
            if (kept < 19) {
                mant = mant * 10 + (uint64_t)(s[i] - '0');
                if (mant)
                    kept++;
                scale--;
            }
        }
    }
    if (digits == 0 || digits > 40)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        int e = 0;
        size_t edigits = 0;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, edigits++)
            if (e < 1000)
                e = e * 10 + (s[i] - '0');
        if (edigits == 0)
            return false;
        scale += eneg ? -e : e;
    }
    if (i != n || scale > 300 || scale < -300)
        return false;
    double v = (double)mant;
    double p = 1.0;
    for (int k = 0; k < (scale < 0 ? -scale : scale); k++)
        p *= 10.0;
    v = scale < 0 ? v / p : v * p;
    *out = neg ? -v : v;
    return true;
}

bool hf__hook_parse_time(const char *s, size_t n, hf_time *out)
{
    if (hf_time_parse_rfc3339(s, n, out))
        return true;
    /* Pipedrive's `2024-03-08 16:00:00` (UTC, no offset) */
    if (n == 19 && s[10] == ' ') {
        char buf[21];
        memcpy(buf, s, 19);
        buf[19] = 'Z';
        buf[20] = '\0';
        return hf_time_parse_rfc3339(buf, 20, out);
    }
    int64_t day;
    if (n == 10 && hf_date_parse(s, n, &day)) {
        *out = day * 86400;
        return true;
    }
    return false;
}

bool hf__hook_within(int64_t a, int64_t b, int64_t w)
{
    /* the unsigned difference of the larger minus the smaller is exact */
    uint64_t d = a >= b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
    return d <= (uint64_t)w;
}

int hf__hook_crypto_init(hf_error *err)
{
    if (sodium_init() < 0)
        return hf_error_set(err, HF_ENOMEM, NULL, "libsodium did not start");
    return 0;
}

void hf__hook_hmac_sha256(const unsigned char *key, size_t keylen, const hf__hook_piece *pieces,
                          size_t n, unsigned char mac[32])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, keylen);
    for (size_t i = 0; i < n; i++)
        if (pieces[i].n)
            crypto_auth_hmacsha256_update(&st, pieces[i].p, pieces[i].n);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof(st));
}

void hf__hook_sha256(const hf__hook_piece *pieces, size_t n, unsigned char digest[32])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    for (size_t i = 0; i < n; i++)
        if (pieces[i].n)
            crypto_hash_sha256_update(&st, pieces[i].p, pieces[i].n);
    crypto_hash_sha256_final(&st, digest);
    sodium_memzero(&st, sizeof(st));
}

bool hf__hook_b64_matches(const unsigned char mac[32], const char *text, size_t n)
{
    unsigned char got[48];
    size_t got_len = 0;
    const char *end = NULL;
    if (n == 0 || n > 64)
        return false;
    if (sodium_base642bin(got, sizeof(got), text, n, NULL, &got_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text + n) {
        if (sodium_base642bin(got, sizeof(got), text, n, NULL, &got_len, &end,
                              sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
            end != text + n)
            return false;
    }
    return got_len == 32 && sodium_memcmp(got, mac, 32) == 0;
}

bool hf__hook_hex_matches(const unsigned char mac[32], const char *text, size_t n)
{
    unsigned char got[32];
    size_t got_len = 0;
    const char *end = NULL;
    if (n != 64)
        return false;
    if (sodium_hex2bin(got, sizeof(got), text, n, NULL, &got_len, &end) != 0 || end != text + n ||
        got_len != 32)
        return false;
    return sodium_memcmp(got, mac, 32) == 0;
}

size_t hf__hook_header_len(const char *s)
{
    return strnlen(s, HF__HOOK_HEADER_MAX + 1);
}
