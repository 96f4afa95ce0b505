/* The CRM CSV export reader (include/handoff/csv_import.h, docs/internals/csv-import.md):
 * a push parser over libcsv that turns Salesforce and HubSpot deal exports into
 * hf_csv_deal values, one callback per good row and one error per bad row.
 *
 * Design. libcsv does the quoting; everything it cannot tell us is rebuilt from its two
 * callbacks, so that the results never depend on how the input was split into chunks:
 *
 * - Physical line numbers. libcsv runs with CSV_REPALL_NL, so every unquoted CR or LF
 *   produces an end-of-row callback (an empty one for a blank line or for the LF of a
 *   CRLF), and every quoted CR or LF stays in the field text. Counting the line breaks of
 *   both gives exact physical lines without a second scan of the input. A lone CR counts
 *   as a line break, a CRLF as one.
 * - The delimiter is sniffed from the first non-blank line before libcsv sees a byte: the
 *   bytes of that line are held back (at most SNIFF_MAX), then replayed.
 * - The UTF-8 BOM is matched byte by byte, so a chunk boundary inside it does not matter.
 * - Bounded memory. libcsv grows its field buffer without limit, so input goes in slices
 *   of at most SLICE bytes and after each slice an over-long field is cut back in place
 *   (cap_entry). Only the cells of the columns we map are copied, into one reused arena
 *   of at most max_field_bytes per mapped column; nothing is allocated per row. */
#include "handoff/csv_import.h"

#include "handoff/time.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes handed to csv_parse at a time: the field buffer can overshoot the field limit by
 * at most this much before cap_entry cuts it back. */
#define SLICE 16384
/* Longest first line the delimiter sniffer looks at; a longer header is sniffed from its
 * first SNIFF_MAX bytes. */
#define SNIFF_MAX 65536
/* Header names are kept, cut to this many bytes, for the error messages. No known header
 * comes close, so a longer name never matches one. */
#define HEADER_NAME_MAX 128
/* A cell value quoted in an error message is cut to this many bytes. */
#define SHOWN_VALUE_MAX 80
#define DEFAULT_MAX_FIELD 65536
/* The field limit while the header is read, when max_field_bytes is smaller. */
#define HEADER_FIELD_MIN 4096
#define DEFAULT_MAX_COLUMNS 512
/* Hard ceilings for the options, so that no size computation can overflow. */
#define CEILING_MAX_FIELD ((size_t)1 << 28)
#define CEILING_MAX_COLUMNS 65536

/* The deal fields a column can map to. */
enum field {
    F_ID,
    F_NAME,
    F_ACCOUNT,
    F_OWNER,
    F_STAGE,
    F_PIPELINE,
    F_TYPE,
    F_AMOUNT,
    F_CURRENCY,
    F_CLOSE,
    F_ISWON,
    F_ISCLOSED,
    F_COUNT
};

/* Which export a header name belongs to. */
enum { FMT_SF = 1, FMT_HS = 2, FMT_ANY = 3 };

typedef struct alias {
    const char *name; /* normalized: lower case (ASCII and Latin-1 letters), single blanks */
    unsigned char field;
    unsigned char fmt;
    bool day_first; /* a header in a language that writes 28/11/2026 and 1.234,56 */
} alias;

/* Every header we recognize. Names of one export that mean the same thing in the other
 * ("Amount", "Close Date") are FMT_ANY: only the id column decides the format. Keep
 * docs/internals/csv-import.md in step with this table. */
static const alias ALIASES[] = {
    /* Salesforce API names (Data Loader, Bulk API; Data Loader writes them upper case) */
    {"id", F_ID, FMT_SF, false},
    {"name", F_NAME, FMT_SF, false},
    {"accountid", F_ACCOUNT, FMT_SF, false},
    {"account.name", F_ACCOUNT, FMT_SF, false},
    {"ownerid", F_OWNER, FMT_SF, false},
    {"owner.name", F_OWNER, FMT_SF, false},
    {"stagename", F_STAGE, FMT_SF, false},
    {"type", F_TYPE, FMT_SF, false},
    {"amount", F_AMOUNT, FMT_ANY, false},
    {"currencyisocode", F_CURRENCY, FMT_SF, false},
    {"closedate", F_CLOSE, FMT_ANY, false}, /* also HubSpot's internal property name */
    {"iswon", F_ISWON, FMT_SF, false},
    {"isclosed", F_ISCLOSED, FMT_SF, false},
    /* Salesforce report labels ("details only" export) */
    {"opportunity id", F_ID, FMT_SF, false},
    {"opportunity name", F_NAME, FMT_SF, false},
    {"account name", F_ACCOUNT, FMT_SF, false},
    {"opportunity owner", F_OWNER, FMT_SF, false},
    {"stage", F_STAGE, FMT_SF, false},
    {"opportunity currency", F_CURRENCY, FMT_SF, false},
    {"close date", F_CLOSE, FMT_ANY, false},
    {"won", F_ISWON, FMT_SF, false},
    {"closed", F_ISCLOSED, FMT_SF, false},
    /* HubSpot, English UI labels */
    {"record id", F_ID, FMT_HS, false},
    {"deal id", F_ID, FMT_HS, false},
    {"deal name", F_NAME, FMT_HS, false},
    {"associated company", F_ACCOUNT, FMT_HS, false},
    {"deal owner", F_OWNER, FMT_HS, false},
    {"deal stage", F_STAGE, FMT_HS, false},
    {"pipeline", F_PIPELINE, FMT_HS, false},
    {"deal type", F_TYPE, FMT_HS, false},
    {"deal currency code", F_CURRENCY, FMT_HS, false},
    /* HubSpot internal property names (API exports) */
    {"hs_object_id", F_ID, FMT_HS, false},
    {"dealname", F_NAME, FMT_HS, false},
    {"hubspot_owner_id", F_OWNER, FMT_HS, false},
    {"dealstage", F_STAGE, FMT_HS, false},
    {"dealtype", F_TYPE, FMT_HS, false},
    {"deal_currency_code", F_CURRENCY, FMT_HS, false},
    /* HubSpot, Portuguese (Brazil) UI labels */
    {"id do registro", F_ID, FMT_HS, true},
    {"nome do negócio", F_NAME, FMT_HS, true},
    {"empresa associada", F_ACCOUNT, FMT_HS, true},
    {"proprietário do negócio", F_OWNER, FMT_HS, true},
    {"etapa do negócio", F_STAGE, FMT_HS, true},
    {"tipo de negócio", F_TYPE, FMT_HS, true},
    {"valor", F_AMOUNT, FMT_ANY, true},
    {"data de fechamento", F_CLOSE, FMT_ANY, true},
    /* HubSpot, Spanish UI labels */
    {"id de registro", F_ID, FMT_HS, true},
    {"id del registro", F_ID, FMT_HS, true},
    {"nombre del negocio", F_NAME, FMT_HS, true},
    {"empresa asociada", F_ACCOUNT, FMT_HS, true},
    {"propietario del negocio", F_OWNER, FMT_HS, true},
    {"etapa del negocio", F_STAGE, FMT_HS, true},
    {"tipo de negocio", F_TYPE, FMT_HS, true},
    {"importe", F_AMOUNT, FMT_ANY, true},
    {"fecha de cierre", F_CLOSE, FMT_ANY, true},
    /* Salesforce report labels, Portuguese (Brazil) and Spanish */
    {"id da oportunidade", F_ID, FMT_SF, true},
    {"nome da oportunidade", F_NAME, FMT_SF, true},
    {"nome da conta", F_ACCOUNT, FMT_SF, true},
    {"proprietário da oportunidade", F_OWNER, FMT_SF, true},
    {"fase", F_STAGE, FMT_SF, true},
    {"tipo", F_TYPE, FMT_SF, true},
    {"id de la oportunidad", F_ID, FMT_SF, true},
    {"nombre de la oportunidad", F_NAME, FMT_SF, true},
    {"nombre de la cuenta", F_ACCOUNT, FMT_SF, true},
    {"propietario de la oportunidad", F_OWNER, FMT_SF, true},
    {"etapa", F_STAGE, FMT_SF, true},
};

#define SF_ID_HEADERS "\"Id\" or \"Opportunity ID\""
#define HS_ID_HEADERS                                                                              \
    "\"Record ID\", \"Deal ID\", \"hs_object_id\", \"ID do registro\", \"ID de registro\" or "     \
    "\"ID del registro\""

/* Why a row is bad, for the structural problems found while its fields arrive. The value
 * problems (dates, amounts, ...) are found when the row is complete. */
enum row_problem { RP_NONE, RP_TOO_MANY, RP_TOO_LONG, RP_UNTERMINATED };

/* Counts line breaks across pieces of text: LF, CRLF and a lone CR each count once. */
typedef struct line_counter {
    long lines;
    bool cr; /* the last byte seen was a CR */
} line_counter;

struct hf_csv_reader {
    hf_csv_options opts;
    char **won_stages; /* owned copies of opts.won_stages */
    size_t max_field;
    size_t max_columns;

    struct csv_parser parser;
    bool parser_ready;

    /* Input before libcsv: BOM and delimiter sniffing */
    unsigned bom_matched; /* bytes of the BOM matched so far, 0-3 */
    bool bom_done;
    bool delim_known;
    unsigned char delim;
    char *sniff;
    size_t sniff_len;
    bool sniff_in_quotes;
    bool sniff_line_has_text;
    long sniff_count[3]; /* ',' ';' '\t' outside quotes on the current line */

    /* Lines */
    long line;              /* physical line the parser is on (1-based) */
    bool prev_cr;           /* the last row ended with a CR and no field has come since */
    long row_line;          /* line where the current row started */
    line_counter cut_lines; /* line breaks in the bytes cap_entry dropped */
    bool field_cut;         /* the field being read was cut back by cap_entry */

    /* The row being read */
    size_t nfields;
    size_t nonempty;
    enum row_problem problem;
    size_t problem_index; /* 0-based field position of the problem */
    bool unterminated;    /* csv_fini found an open quoted field */
    size_t voff[F_COUNT];
    size_t vlen[F_COUNT];
    bool vset[F_COUNT];
    char *vbuf;
    size_t vused, vcap;

    /* The header */
    bool have_header;
    size_t ncols;         /* header columns stored (at most max_columns) */
    size_t header_fields; /* header fields seen, may exceed max_columns */
    char *hnames;         /* names, each NUL-terminated, at hoff[i] */
    size_t *hoff;         /* max_columns entries */
    bool *hcut;           /* the name was longer than HEADER_NAME_MAX */
    size_t hused, hcap;
    signed char *col_field; /* column -> field, or -1 */
    long field_col[F_COUNT];
    unsigned char order[F_COUNT]; /* mapped fields by column position */
    size_t norder;
    long header_line;

    hf_csv_format format;
    bool decimal_comma; /* "1.200,50": ';' files, Portuguese and Spanish headers, or asked */
    bool day_first;     /* D/M/YYYY: the same */
    bool keyed_by_name; /* a Salesforce report without its id column */
    size_t min_fields;  /* fields a row must have: up to the header's last named column */
    char *keybuf;       /* the crm_id of a row keyed by name */
    size_t keycap;
    bool after_blank; /* a blank row was seen; single-cell rows are report trailer */

    hf_csv_stats stats;
    bool halted; /* a fatal error or a callback's stop: ignore the rest */
    int fatal_rc;
    hf_error fatal;
    int stop_status;
    bool finished;
    char currency[4];
};

/* ---- small text helpers ---- */

static bool is_blank_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Length of the blank at s (ASCII blank or U+00A0 no-break space), 0 if none. */
static size_t blank_at(const char *s, size_t n)
{
    if (n && is_blank_byte((unsigned char)s[0]))
        return 1;
    if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

/* Length of the blank ending at s + n, 0 if none. */
static size_t blank_before(const char *s, size_t n)
{
    if (n && is_blank_byte((unsigned char)s[n - 1]))
        return 1;
    if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0)
        return 2;
    return 0;
}

static void trim(const char **s, size_t *n)
{
    size_t k;
    while ((k = blank_at(*s, *n)) != 0) {
        *s += k;
        *n -= k;
    }
    while ((k = blank_before(*s, *n)) != 0)
        *n -= k;
}

static bool all_blank(const char *s, size_t n)
{
    if (n && blank_at(s, n) == 0)
        return false; /* the usual case, decided by the first byte */
    trim(&s, &n);
    return n == 0;
}

/* Case folding for header and stage comparisons: ASCII letters, and the Latin-1 capitals
 * U+00C0-U+00DE (except U+00D7) which in UTF-8 are C3 80-C3 9E and fold to C3 A0-C3 BE by
 * adding 0x20 to the second byte. That covers Portuguese and Spanish headers. `prev` is
 * the byte before c. */
static unsigned char fold(unsigned char prev, unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return (unsigned char)(c + 32);
    if (prev == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97)
        return (unsigned char)(c + 0x20);
    return c;
}

/* Normalize a header name: trimmed, folded, runs of blanks made one space. Returns false
 * when the result does not fit in `cap` bytes (no known header is that long). */
static bool normalize(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    unsigned char prev = 0;
    bool pending_space = false;
    trim(&s, &n);
    for (size_t i = 0; i < n;) {
        size_t k = blank_at(s + i, n - i);
        if (k) {
            pending_space = true;
            i += k;
            continue;
        }
        if (o + 2 >= cap)
            return false;
        if (pending_space) {
            out[o++] = ' ';
            pending_space = false;
        }
        unsigned char c = (unsigned char)s[i++];
        out[o++] = (char)fold(prev, c);
        prev = c;
    }
    out[o] = '\0';
    return true;
}

/* Case-insensitive equality (fold()) of two byte strings. */
static bool fold_equal(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return false;
    unsigned char pa = 0, pb = 0;
    for (size_t i = 0; i < an; i++) {
        unsigned char ca = (unsigned char)a[i], cb = (unsigned char)b[i];
        if (fold(pa, ca) != fold(pb, cb))
            return false;
        pa = ca;
        pb = cb;
    }
    return true;
}

/* Copy at most `max` bytes of s into out (cap > max), cut at a UTF-8 character boundary;
 * control characters become '?' so that a message stays on one line. Returns true when
 * the text was cut. */
static bool copy_shown(char *out, size_t cap, const char *s, size_t n, size_t max)
{
    bool cut = false;
    if (max >= cap)
        max = cap - 1;
    if (n > max) {
        n = max;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        cut = true;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (char)(c < 0x20 || c == 0x7F ? '?' : c);
    }
    out[n] = '\0';
    return cut;
}

/* True when s holds a CR or LF. Most cells are short: a plain loop beats two memchr. */
static bool has_line_break(const char *s, size_t n)
{
    if (n > 64)
        return memchr(s, '\n', n) || memchr(s, '\r', n);
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n' || s[i] == '\r')
            return true;
    return false;
}

static void lc_feed(line_counter *lc, const char *s, size_t n)
{
    if (!lc->cr && !has_line_break(s, n))
        return;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n') {
            lc->lines++;
            lc->cr = false;
        } else {
            if (lc->cr)
                lc->lines++;
            lc->cr = c == '\r';
        }
    }
}

static long lc_finish(line_counter *lc)
{
    long n = lc->lines + (lc->cr ? 1 : 0);
    lc->lines = 0;
    lc->cr = false;
    return n;
}

/* ---- value parsers ---- */

static bool digits_at(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* Length of the run of ASCII digits at s. */
static size_t digit_run(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

static bool make_day(unsigned y, unsigned m, unsigned d, int64_t *out)
{
    if (!hf_date_valid(y, m, d))
        return false;
    *out = hf_days_from_civil(y, m, d);
    return true;
}

/* The part after `YYYY-MM-DD`: nothing, or `T`/space, HH:MM, optional :SS and fraction,
 * optional zone (Z, +HH:MM, +HHMM). The zone does not move the date: a close date is a
 * calendar day and Salesforce writes date fields at midnight UTC. */
static bool valid_time_suffix(const char *s, size_t n)
{
    unsigned hh, mm, ss;
    if (n == 0)
        return true;
    if (s[0] != 'T' && s[0] != 't' && s[0] != ' ')
        return false;
    s++;
    n--;
    if (n < 5 || !digits_at(s, 2, &hh) || s[2] != ':' || !digits_at(s + 3, 2, &mm) || hh > 23 ||
        mm > 59)
        return false;
    s += 5;
    n -= 5;
    if (n >= 3 && s[0] == ':') {
        if (!digits_at(s + 1, 2, &ss) || ss > 60)
            return false;
        s += 3;
        n -= 3;
        if (n >= 2 && s[0] == '.') {
            size_t k = digit_run(s + 1, n - 1);
            if (k == 0)
                return false;
            s += 1 + k;
            n -= 1 + k;
        }
    }
    if (n == 0)
        return true;
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z'))
        return true;
    if (s[0] == '+' || s[0] == '-') {
        unsigned oh, om;
        if (n == 6 && s[3] == ':')
            return digits_at(s + 1, 2, &oh) && digits_at(s + 4, 2, &om) && oh <= 23 && om <= 59;
        if (n == 5)
            return digits_at(s + 1, 2, &oh) && digits_at(s + 3, 2, &om) && oh <= 23 && om <= 59;
    }
    return false;
}

/* Close dates: YYYY-MM-DD with an optional time (Bulk API, HubSpot), M/D/YYYY (D/M/YYYY in
 * ';' files), D.M.YYYY. The day and month may have one or two digits. */
static bool parse_date(const char *s, size_t n, bool day_first, int64_t *out)
{
    unsigned a, b, y;
    trim(&s, &n);
    if (n >= 10 && s[4] == '-' && s[7] == '-') {
        if (!hf_date_parse(s, 10, out))
            return false;
        return valid_time_suffix(s + 10, n - 10);
    }
    size_t k1 = digit_run(s, n);
    if (k1 < 1 || k1 > 2 || k1 == n)
        return false;
    char sep = s[k1];
    if (sep != '/' && sep != '.')
        return false;
    size_t k2 = digit_run(s + k1 + 1, n - k1 - 1);
    size_t at = k1 + 1 + k2;
    if (k2 < 1 || k2 > 2 || at + 5 != n || s[at] != sep)
        return false;
    if (!digits_at(s, k1, &a) || !digits_at(s + k1 + 1, k2, &b) || !digits_at(s + at + 1, 4, &y))
        return false;
    if (sep == '.' || day_first)
        return make_day(y, b, a, out);
    return make_day(y, a, b, out);
}

static bool parse_bool(const char *s, size_t n, bool *out)
{
    static const struct {
        const char *word;
        bool value;
    } words[] = {{"true", true}, {"false", false}, {"1", true},
                 {"0", false},   {"yes", true},    {"no", false}};
    trim(&s, &n);
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (fold_equal(s, n, words[i].word, strlen(words[i].word))) {
            *out = words[i].value;
            return true;
        }
    }
    return false;
}

/* Currency symbols accepted around an amount and dropped. Longer ones first so that
 * "R$" is not read as "R" + "$". */
static const char *const CURRENCY_SYMBOLS[] = {"US$", "R$", "A$", "C$",  "$", "€",  "£",
                                               "¥",   "₹",  "₩",  "₽", "₺", "zł", "kr"};

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_alpha(char c)
{
    return is_upper(c) || (c >= 'a' && c <= 'z');
}

/* A currency at the start of s: an ISO code (three capitals not followed by a letter; it
 * goes to `code`) or a symbol. Returns its length, 0 if none. */
static size_t currency_prefix(const char *s, size_t n, char code[4])
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    if (n >= 3 && is_upper(s[0]) && is_upper(s[1]) && is_upper(s[2]) &&
        (n == 3 || !is_alpha(s[3]))) {
        memcpy(code, s, 3);
        code[3] = '\0';
        return 3;
    }
    for (size_t i = 0; i < sizeof(CURRENCY_SYMBOLS) / sizeof(CURRENCY_SYMBOLS[0]); i++) {
        size_t k = strlen(CURRENCY_SYMBOLS[i]);
        if (n >= k && memcmp(s, CURRENCY_SYMBOLS[i], k) == 0)
            return k;
    }
    return 0;
}

/* The same at the end of s. */
static size_t currency_suffix(const char *s, size_t n, char code[4])
{
    if (n == 0 || (s[n - 1] >= '0' && s[n - 1] <= '9'))
        return 0;
    if (n >= 3 && is_upper(s[n - 3]) && is_upper(s[n - 2]) && is_upper(s[n - 1]) &&
        (n == 3 || !is_alpha(s[n - 4]))) {
        memcpy(code, s + n - 3, 3);
        code[3] = '\0';
        return 3;
    }
    for (size_t i = 0; i < sizeof(CURRENCY_SYMBOLS) / sizeof(CURRENCY_SYMBOLS[0]); i++) {
        size_t k = strlen(CURRENCY_SYMBOLS[i]);
        if (n >= k && memcmp(s + n - k, CURRENCY_SYMBOLS[i], k) == 0)
            return k;
    }
    return 0;
}

/* Length of a digit-group separator at s other than the locale's one: a blank, a
 * no-break space (U+00A0, U+202F) or an apostrophe (Swiss). 0 if none. */
static size_t group_blank_at(const char *s, size_t n)
{
    if (n && (s[0] == ' ' || s[0] == '\''))
        return 1;
    if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        (unsigned char)s[2] == 0xAF)
        return 3;
    return 0;
}

/* True when s starts with exactly three digits followed by a non-digit or the end: what
 * must follow a thousands separator. */
static bool three_digits(const char *s, size_t n)
{
    return digit_run(s, n) == 3;
}

/* Amounts: "1,200.50", "1.200,50" (decimal_comma), "$1,200", "USD 1200", "-250", "(250)",
 * "1 200,50 €". A lone separator that cannot be a thousands separator (not followed by
 * exactly three digits) in a number without a decimal separator is read as the decimal
 * separator, so "1200.5" reads the same in every file. The number is built from an exact
 * integer mantissa and one division, without strtod (which obeys LC_NUMERIC). */
static bool parse_amount(const char *s, size_t n, bool decimal_comma, double *out, char code[4])
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                   1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
    bool neg = false, signed_ = false, cur_seen = false;
    size_t k;
    code[0] = '\0';
    trim(&s, &n);
    if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
        neg = signed_ = true; /* accounting notation */
        s++;
        n -= 2;
    }
    /* before the number: a sign and a currency in either order, at most one of each */
    for (;;) {
        trim(&s, &n);
        if (!signed_ && n && (s[0] == '-' || s[0] == '+')) {
            neg = s[0] == '-';
            signed_ = true;
            s++;
            n--;
        } else if (!cur_seen && (k = currency_prefix(s, n, code)) != 0) {
            cur_seen = true;
            s += k;
            n -= k;
        } else {
            break;
        }
    }
    /* or a currency after it; a second currency is left in and fails below */
    if (!cur_seen && (k = currency_suffix(s, n, code)) != 0) {
        n -= k;
        trim(&s, &n);
    }
    if (n == 0)
        return false;

    char dec = decimal_comma ? ',' : '.';
    char grp = decimal_comma ? '.' : ',';
    size_t ndec = 0, ngrp = 0, grp_at = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == dec)
            ndec++;
        else if (s[i] == grp) {
            ngrp++;
            grp_at = i;
        }
    }
    if (ndec == 1 && ngrp > 0) {
        /* both separators: the last one is the decimal separator, whatever the locale
         * ("1,500.25" in a Spanish export from Mexico, "1.500,25" in an English one) */
        size_t dec_at = 0;
        for (size_t i = 0; i < n; i++)
            if (s[i] == dec)
                dec_at = i;
        if (grp_at > dec_at) {
            if (ngrp > 1)
                return false;
            char t = dec;
            dec = grp;
            grp = t;
            ndec = 1;
        }
    }
    if (ndec > 1)
        return false;
    if (ndec == 0 && ngrp == 1 && !three_digits(s + grp_at + 1, n - grp_at - 1)) {
        char t = dec;
        dec = grp;
        grp = t;
    }

    uint64_t mant = 0;
    unsigned ndigits = 0, nfrac = 0;
    bool in_frac = false, any_digit = false;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (mant != 0 || c != '0')
                ndigits++;
            if (ndigits > 18)
                return false;
            mant = mant * 10 + (uint64_t)(c - '0');
            if (in_frac)
                nfrac++;
            any_digit = true;
            i++;
            if (in_frac && nfrac > 18)
                return false;
            continue;
        }
        if (c == dec) {
            if (in_frac)
                return false;
            in_frac = true;
            i++;
            continue;
        }
        k = c == grp ? 1 : group_blank_at(s + i, n - i);
        if (k == 0 || in_frac || i == 0 || s[i - 1] < '0' || s[i - 1] > '9' ||
            !three_digits(s + i + k, n - i - k))
            return false;
        i += k;
    }
    if (!any_digit)
        return false;
    double v = (double)mant / pow10[nfrac];
    *out = neg ? -v : v;
    return true;
}

/* ---- reader state ---- */

static void row_reset(hf_csv_reader *r)
{
    r->nfields = 0;
    r->nonempty = 0;
    r->problem = RP_NONE;
    r->unterminated = false;
    r->vused = 0;
    memset(r->vset, 0, sizeof(r->vset));
}

/* Stop the import with a whole-file error, kept for every later call. */
static void halt(hf_csv_reader *r, int rc, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void halt(hf_csv_reader *r, int rc, long line, const char *fmt, ...)
{
    if (r->halted)
        return;
    r->halted = true;
    r->fatal_rc = rc;
    hf_error_clear(&r->fatal);
    r->fatal.rc = rc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->fatal.msg, sizeof(r->fatal.msg), fmt, ap);
    va_end(ap);
    r->fatal.line = line;
}

static void set_problem(hf_csv_reader *r, enum row_problem p, size_t index)
{
    if (r->problem == RP_NONE) {
        r->problem = p;
        r->problem_index = index;
    }
}

static const char *header_name(const hf_csv_reader *r, size_t col)
{
    return r->hnames + r->hoff[col];
}

static bool grow(char **buf, size_t *cap, size_t need, size_t max)
{
    if (need <= *cap)
        return true;
    if (need > max)
        return false;
    size_t ncap = *cap ? *cap : 1024;
    while (ncap < need)
        ncap *= 2;
    if (ncap > max)
        ncap = max;
    char *p = realloc(*buf, ncap);
    if (!p)
        return false;
    *buf = p;
    *cap = ncap;
    return true;
}

static void store_header_name(hf_csv_reader *r, const char *s, size_t n)
{
    size_t col = r->header_fields++;
    if (col >= r->max_columns)
        return;
    const char *t = s;
    size_t tn = n;
    trim(&t, &tn);
    char shown[HEADER_NAME_MAX + 1];
    bool cut = copy_shown(shown, sizeof(shown), t, tn, HEADER_NAME_MAX);
    size_t len = strlen(shown);
    if (!grow(&r->hnames, &r->hcap, r->hused + len + 1, r->max_columns * (HEADER_NAME_MAX + 1))) {
        halt(r, HF_ENOMEM, r->row_line, "out of memory reading the header");
        return;
    }
    memcpy(r->hnames + r->hused, shown, len + 1);
    r->hoff[col] = r->hused;
    r->hcut[col] = cut;
    r->hused += len + 1;
    r->ncols = col + 1;
}

/* The longest field allowed now: a small max_field_bytes must not reject the header. */
static size_t field_limit(const hf_csv_reader *r)
{
    if (!r->have_header && r->max_field < HEADER_FIELD_MIN)
        return HEADER_FIELD_MIN;
    return r->max_field;
}

/* libcsv field callback. */
static void on_field(void *data, size_t len, void *ctx)
{
    hf_csv_reader *r = ctx;
    const char *s = data ? data : "";
    if (r->halted)
        return;
    size_t idx = r->nfields++;
    if (idx == 0)
        r->row_line = r->line;
    r->prev_cr = false;

    /* Line accounting. A field cut by cap_entry holds a placeholder byte first. */
    long breaks;
    if (r->field_cut) {
        if (len > 1)
            lc_feed(&r->cut_lines, s + 1, len - 1);
        breaks = lc_finish(&r->cut_lines);
    } else {
        line_counter lc = {0, false};
        lc_feed(&lc, s, len);
        breaks = lc_finish(&lc);
    }
    r->line += breaks;

    size_t limit = field_limit(r);
    bool too_long = r->field_cut || len > limit;
    r->field_cut = false;
    if (too_long || !all_blank(s, len))
        r->nonempty++;

    if (!r->have_header) {
        /* a cut field has lost its text: no name to show, so the whole file fails */
        if (too_long)
            halt(r, HF_EINVAL, r->row_line, "header field longer than %zu bytes in column %zu",
                 limit, idx + 1);
        else
            store_header_name(r, s, len);
        return;
    }
    if (idx >= r->ncols) {
        set_problem(r, RP_TOO_MANY, r->ncols);
        return;
    }
    if (too_long) {
        set_problem(r, RP_TOO_LONG, idx);
        return;
    }
    if (r->unterminated)
        set_problem(r, RP_UNTERMINATED, idx);
    int f = r->col_field[idx];
    if (f < 0)
        return;
    trim(&s, &len);
    if (!grow(&r->vbuf, &r->vcap, r->vused + len + 1, (size_t)F_COUNT * (r->max_field + 1))) {
        halt(r, HF_ENOMEM, r->row_line, "out of memory reading a row");
        return;
    }
    memcpy(r->vbuf + r->vused, s, len);
    r->vbuf[r->vused + len] = '\0';
    r->voff[f] = r->vused;
    r->vlen[f] = len;
    r->vset[f] = len > 0;
    r->vused += len + 1;
}

/* libcsv keeps the whole current field in its buffer, however long. Called after each
 * slice: once the field is certainly longer than the limit (even after libcsv drops its
 * trailing blanks and closing quote, which are the last spaces + 1 bytes at most), the
 * buffer is cut back to a placeholder byte, after counting the line breaks dropped. The
 * parser's `spaces` stays non-zero if it was (after a closing quote it decides how the
 * next quote is read), with one placeholder blank to match, so entry_pos >= spaces + 1
 * holds and libcsv's own arithmetic cannot underflow in any state. A long run of blanks
 * after a closing quote is shortened the same way, to one byte over the limit: enough to
 * tell later whether the field is too long. This reaches into struct csv_parser, which
 * csv.h declares in full; libcsv has no size limit of its own. */
static void cap_entry(hf_csv_reader *r)
{
    struct csv_parser *p = &r->parser;
    size_t max = field_limit(r);
    if (p->entry_pos <= max + 1)
        return;
    if (p->entry_pos > p->spaces + 1 && p->entry_pos - p->spaces - 1 > max) {
        size_t start = r->field_cut ? 1 : 0;
        size_t keep = p->spaces ? 1 : 0;
        lc_feed(&r->cut_lines, (const char *)p->entry_buf + start, p->entry_pos - start);
        p->entry_buf[0] = 'x';
        if (keep)
            p->entry_buf[1] = ' ';
        p->entry_pos = 1 + keep;
        p->spaces = keep;
        r->field_cut = true;
    } else if (p->spaces > max + 1) {
        size_t drop = p->spaces - (max + 1);
        p->entry_pos -= drop;
        p->spaces -= drop;
    }
}

static const alias *alias_find(const char *name, int fmt_mask)
{
    char norm[HEADER_NAME_MAX + 1];
    if (!normalize(name, strlen(name), norm, sizeof(norm)))
        return NULL;
    for (size_t i = 0; i < sizeof(ALIASES) / sizeof(ALIASES[0]); i++)
        if ((ALIASES[i].fmt & fmt_mask) && strcmp(ALIASES[i].name, norm) == 0)
            return &ALIASES[i];
    return NULL;
}

static int alias_lookup(const char *name, int fmt_mask, int *field)
{
    const alias *a = alias_find(name, fmt_mask);
    if (!a)
        return 0;
    *field = a->field;
    return a->fmt;
}

/* A Salesforce report without its id column can still be keyed: by its account and
 * opportunity name columns, when it has both. */
static bool has_name_key(const hf_csv_reader *r)
{
    bool account = false, name = false;
    for (size_t c = 0; c < r->ncols; c++) {
        const alias *a = r->hcut[c] ? NULL : alias_find(header_name(r, c), FMT_SF);
        if (!a || a->fmt != FMT_SF || strcmp(a->name, "accountid") == 0 ||
            strcmp(a->name, "name") == 0)
            continue;
        account |= a->field == F_ACCOUNT;
        name |= a->field == F_NAME;
    }
    return account && name;
}

/* First column whose name is an id header of format `fmt`, or -1. */
static long find_id_column(const hf_csv_reader *r, int fmt)
{
    for (size_t c = 0; c < r->ncols; c++) {
        int f;
        if (!r->hcut[c] && alias_lookup(header_name(r, c), fmt, &f) && f == F_ID)
            return (long)c;
    }
    return -1;
}

static void read_header(hf_csv_reader *r)
{
    r->header_line = r->row_line;
    if (r->header_fields > r->max_columns) {
        halt(r, HF_EINVAL, r->header_line, "too many columns in the header: more than %zu",
             r->max_columns);
        return;
    }
    long sf = find_id_column(r, FMT_SF), hs = find_id_column(r, FMT_HS);
    hf_csv_format want = r->opts.format;
    if (sf < 0 && hs < 0 && want != HF_CSV_HUBSPOT && has_name_key(r)) {
        r->keyed_by_name = true;
        r->stats.keyed_by_name = true;
        r->format = HF_CSV_SALESFORCE;
    } else if (want == HF_CSV_AUTO) {
        if (sf < 0 && hs < 0) {
            halt(r, HF_EINVAL, r->header_line,
                 "missing id column in the header: expected %s, or %s", SF_ID_HEADERS,
                 HS_ID_HEADERS);
            return;
        }
        r->format = (hs < 0 || (sf >= 0 && sf < hs)) ? HF_CSV_SALESFORCE : HF_CSV_HUBSPOT;
    } else {
        long own = want == HF_CSV_SALESFORCE ? sf : hs;
        long other = want == HF_CSV_SALESFORCE ? hs : sf;
        const char *own_name = hf_csv_format_name(want);
        if (own < 0 && other >= 0) {
            halt(r, HF_EINVAL, r->header_line,
                 "header does not match the %s format: \"%s\" is a header of the other format",
                 own_name, header_name(r, (size_t)other));
            return;
        }
        if (own < 0) {
            halt(r, HF_EINVAL, r->header_line, "missing id column in the header: expected %s",
                 want == HF_CSV_SALESFORCE ? SF_ID_HEADERS : HS_ID_HEADERS);
            return;
        }
        r->format = want;
    }
    int mask = r->format == HF_CSV_SALESFORCE ? FMT_SF : FMT_HS;
    bool latin = false;
    for (int f = 0; f < F_COUNT; f++)
        r->field_col[f] = -1;
    r->norder = 0;
    r->min_fields = 0;
    for (size_t c = 0; c < r->ncols; c++) {
        const alias *a = r->hcut[c] ? NULL : alias_find(header_name(r, c), mask);
        r->col_field[c] = -1;
        if (header_name(r, c)[0])
            r->min_fields = c + 1;
        if (!a || r->field_col[a->field] >= 0)
            continue;
        latin |= a->day_first;
        r->field_col[a->field] = (long)c;
        r->col_field[c] = (signed char)a->field;
        r->order[r->norder++] = a->field;
    }
    /* how dates and amounts are written: as asked, else the header's language, else the
     * delimiter's custom (decide_delimiter set decimal_comma for ';') */
    bool european = r->decimal_comma || latin;
    r->decimal_comma =
        r->opts.decimal == HF_CSV_DECIMAL_AUTO ? european : r->opts.decimal == HF_CSV_DECIMAL_COMMA;
    r->day_first =
        r->opts.dates == HF_CSV_DATES_AUTO ? european : r->opts.dates == HF_CSV_DATES_DMY;
    r->have_header = true;
}

/* ---- rows ---- */

static const char *value(const hf_csv_reader *r, int f)
{
    return r->vset[f] ? r->vbuf + r->voff[f] : NULL;
}

static bool is_won_stage(const hf_csv_reader *r, const char *stage, size_t n)
{
    if (fold_equal(stage, n, "closed won", 10) || fold_equal(stage, n, "closedwon", 9))
        return true;
    for (char **w = r->won_stages; w && *w; w++) {
        const char *t = *w;
        size_t tn = strlen(t);
        trim(&t, &tn);
        if (fold_equal(stage, n, t, tn))
            return true;
    }
    return false;
}

static bool is_lost_stage(const char *stage, size_t n)
{
    return fold_equal(stage, n, "closed lost", 11) || fold_equal(stage, n, "closedlost", 10);
}

/* Hand a bad row to on_error: `column` is 0-based here, 1-based in the error. */
static int report_bad(hf_csv_reader *r, long line, size_t column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int report_bad(hf_csv_reader *r, long line, size_t column, const char *fmt, ...)
{
    hf_error e;
    hf_error_clear(&e);
    e.rc = HF_EINVAL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
    va_end(ap);
    e.line = line;
    e.column = (long)column + 1;
    r->stats.bad++;
    if (r->opts.on_error)
        return r->opts.on_error(r->opts.ctx, &e);
    return 0;
}

static int report_value(hf_csv_reader *r, long line, int f, const char *what)
{
    size_t col = (size_t)r->field_col[f];
    char shown[SHOWN_VALUE_MAX + 4];
    bool cut = copy_shown(shown, SHOWN_VALUE_MAX + 1, value(r, f), r->vlen[f], SHOWN_VALUE_MAX);
    return report_bad(r, line, col, "bad %s \"%s%s\" in column \"%s\"", what, shown,
                      cut ? "..." : "", header_name(r, col));
}

/* Check the cells of a complete data row left to right; the first problem makes the row
 * bad, otherwise the deal goes to on_deal. Returns the callback's status. */
static int emit_row(hf_csv_reader *r, long line)
{
    if (r->problem != RP_NONE) {
        size_t i = r->problem_index;
        switch (r->problem) {
        case RP_TOO_MANY:
            return report_bad(r, line, i, "too many fields: %zu where the header has %zu",
                              r->nfields, r->ncols);
        case RP_TOO_LONG:
            return report_bad(r, line, i, "field longer than %zu bytes in column \"%s\"",
                              r->max_field, header_name(r, i));
        case RP_UNTERMINATED:
            return report_bad(r, line, i, "unterminated quoted field in column \"%s\"",
                              header_name(r, i));
        case RP_NONE:
            break;
        }
    }

    if (r->nfields < r->min_fields)
        return report_bad(r, line, r->nfields, "too few fields: %zu where the header has %zu",
                          r->nfields, r->ncols);

    hf_csv_deal d;
    memset(&d, 0, sizeof(d));
    d.line = line;
    d.format = r->format;
    d.keyed_by_name = r->keyed_by_name;
    bool won_flag = false, closed_flag = false;
    if (r->keyed_by_name) {
        const char *acc = value(r, F_ACCOUNT), *name = value(r, F_NAME);
        if (!acc || !name) {
            size_t col = (size_t)r->field_col[acc ? F_NAME : F_ACCOUNT];
            return report_bad(r, line, col,
                              "missing %s in column \"%s\": without an id column, deals are "
                              "keyed by account and opportunity name",
                              acc ? "opportunity name" : "account name", header_name(r, col));
        }
        size_t need = 5 + r->vlen[F_ACCOUNT] + 3 + r->vlen[F_NAME] + 1;
        if (!grow(&r->keybuf, &r->keycap, need, need + 1)) {
            halt(r, HF_ENOMEM, line, "out of memory reading a row");
            return 0;
        }
        snprintf(r->keybuf, r->keycap, "name:%s | %s", acc, name);
        d.crm_id = r->keybuf;
    }
    for (size_t k = 0; k < r->norder; k++) {
        int f = r->order[k];
        const char *v = value(r, f);
        size_t n = r->vlen[f];
        switch (f) {
        case F_ID:
            if (!v) {
                size_t col = (size_t)r->field_col[F_ID];
                return report_bad(r, line, col, "missing id in column \"%s\"", header_name(r, col));
            }
            d.crm_id = v;
            break;
        case F_NAME:
            d.name = v;
            break;
        case F_ACCOUNT:
            d.account = v;
            break;
        case F_OWNER:
            d.owner = v;
            break;
        case F_STAGE:
            d.stage = v;
            break;
        case F_PIPELINE:
            d.pipeline = v;
            break;
        case F_TYPE:
            d.type = v;
            break;
        case F_CURRENCY:
            if (v)
                d.currency = v;
            break;
        case F_AMOUNT:
            if (v) {
                if (!parse_amount(v, n, r->decimal_comma, &d.amount, r->currency))
                    return report_value(r, line, f, "amount");
                d.has_amount = true;
            }
            break;
        case F_CLOSE:
            if (v) {
                if (!parse_date(v, n, r->day_first, &d.close_day))
                    return report_value(r, line, f, "date");
                d.has_close_date = true;
            }
            break;
        case F_ISWON:
            if (v && !parse_bool(v, n, &won_flag))
                return report_value(r, line, f, "boolean");
            break;
        case F_ISCLOSED:
            if (v && !parse_bool(v, n, &closed_flag))
                return report_value(r, line, f, "boolean");
            break;
        }
    }
    /* the ISO code of a currency column wins over one written in the amount cell */
    if (!d.currency && d.has_amount && r->currency[0])
        d.currency = r->currency;
    d.is_won = won_flag || (d.stage && is_won_stage(r, d.stage, r->vlen[F_STAGE]));
    d.is_closed = closed_flag || d.is_won || (d.stage && is_lost_stage(d.stage, r->vlen[F_STAGE]));
    r->stats.good++;
    if (r->opts.on_deal)
        return r->opts.on_deal(r->opts.ctx, &d);
    return 0;
}

static void end_row(hf_csv_reader *r)
{
    if (!r->have_header) {
        if (r->nonempty > 0 || r->unterminated) {
            read_header(r);
        } else {
            /* a blank line before the header: forget its empty names */
            r->ncols = 0;
            r->header_fields = 0;
            r->hused = 0;
        }
        return;
    }
    if (!r->unterminated && r->nonempty == 0) {
        r->after_blank = true;
        return;
    }
    if (!r->unterminated && r->after_blank && r->nonempty <= 1 && r->format == HF_CSV_SALESFORCE) {
        r->stats.trailer++;
        return;
    }
    r->after_blank = false;
    r->stats.rows++;
    r->currency[0] = '\0';
    int status = emit_row(r, r->row_line);
    if (status != 0 && !r->halted) {
        halt(r, HF_EUSAGE, r->row_line, "import stopped by a callback (status %d)", status);
        r->stop_status = status;
    }
}

/* libcsv row callback: c is the CR or LF that ended the row, or -1 at the end of input. */
static void on_row(int c, void *ctx)
{
    hf_csv_reader *r = ctx;
    if (r->halted)
        return;
    bool empty = r->nfields == 0;
    if (empty && c == '\n' && r->prev_cr) {
        /* the LF of a CRLF whose CR already ended the row */
        r->prev_cr = false;
        return;
    }
    r->prev_cr = c == '\r';
    if (empty)
        r->row_line = r->line;
    if (c == '\r' || c == '\n')
        r->line++;
    end_row(r);
    row_reset(r);
}

/* ---- feeding ---- */

static int space_only(unsigned char c)
{
    return c == ' ';
}

/* Push bytes through libcsv, SLICE at a time so that cap_entry bounds its buffer. */
static void parse(hf_csv_reader *r, const char *buf, size_t len)
{
    while (len && !r->halted) {
        size_t n = len < SLICE ? len : SLICE;
        size_t done = csv_parse(&r->parser, buf, n, on_field, on_row, r);
        if (done != n && !r->halted) {
            halt(r, HF_ENOMEM, r->line, "csv parser failed: %s",
                 csv_strerror(csv_error(&r->parser)));
            return;
        }
        cap_entry(r);
        buf += n;
        len -= n;
    }
}

/* Choose the delimiter from the counts of the first non-blank line, set up libcsv and
 * replay the held-back bytes. Ties go to ',', then ';'. */
static void decide_delimiter(hf_csv_reader *r)
{
    static const unsigned char cands[3] = {',', ';', '\t'};
    size_t best = 0;
    for (size_t i = 1; i < 3; i++)
        if (r->sniff_count[i] > r->sniff_count[best])
            best = i;
    r->delim = cands[best];
    r->delim_known = true;
    r->decimal_comma = r->delim == ';';
    csv_set_delim(&r->parser, r->delim);
    if (r->delim == '\t')
        csv_set_space_func(&r->parser, space_only); /* a tab is a delimiter, not a blank */
    char *held = r->sniff;
    size_t n = r->sniff_len;
    r->sniff = NULL;
    r->sniff_len = 0;
    parse(r, held, n);
    free(held);
}

/* Bytes after the BOM: held for sniffing until the first non-blank line is complete,
 * then straight to libcsv. */
static void consume(hf_csv_reader *r, const char *buf, size_t len)
{
    if (!r->delim_known) {
        size_t i = 0;
        bool decided = false;
        if (!r->sniff) {
            r->sniff = malloc(SNIFF_MAX);
            if (!r->sniff) {
                halt(r, HF_ENOMEM, 1, "out of memory reading the header");
                return;
            }
        }
        while (i < len && r->sniff_len + i < SNIFF_MAX) {
            char c = buf[i++];
            if (c == '"') {
                r->sniff_in_quotes = !r->sniff_in_quotes;
                r->sniff_line_has_text = true;
            } else if (r->sniff_in_quotes) {
                continue;
            } else if (c == '\r' || c == '\n') {
                if (r->sniff_line_has_text) {
                    decided = true;
                    break;
                }
            } else if (c == ',') {
                r->sniff_count[0]++;
            } else if (c == ';') {
                r->sniff_count[1]++;
            } else if (c == '\t') {
                r->sniff_count[2]++;
            } else if (c != ' ') {
                r->sniff_line_has_text = true;
            }
        }
        memcpy(r->sniff + r->sniff_len, buf, i);
        r->sniff_len += i;
        buf += i;
        len -= i;
        if (!decided && r->sniff_len < SNIFF_MAX)
            return;
        decide_delimiter(r);
    }
    parse(r, buf, len);
}

static const unsigned char BOM[3] = {0xEF, 0xBB, 0xBF};

static int fail(hf_csv_reader *r, hf_error *err)
{
    if (err)
        *err = r->fatal;
    return r->fatal_rc;
}

int hf_csv_reader_feed(hf_csv_reader *r, const char *buf, size_t len, hf_error *err)
{
    hf_error_clear(err);
    if (!r)
        return hf_error_set(err, HF_EUSAGE, NULL, "no csv reader");
    if (r->halted)
        return fail(r, err);
    if (r->finished)
        return hf_error_set(err, HF_EUSAGE, NULL, "csv input fed after its end");
    if (!buf)
        len = 0;
    r->stats.bytes += len;
    while (!r->bom_done && len) {
        if ((unsigned char)buf[0] == BOM[r->bom_matched]) {
            buf++;
            len--;
            if (++r->bom_matched == 3)
                r->bom_done = true;
            continue;
        }
        /* not a BOM after all: the bytes matched so far are data */
        r->bom_done = true;
        consume(r, (const char *)BOM, r->bom_matched);
    }
    if (len && !r->halted)
        consume(r, buf, len);
    return r->halted ? fail(r, err) : 0;
}

int hf_csv_reader_finish(hf_csv_reader *r, hf_error *err)
{
    hf_error_clear(err);
    if (!r)
        return hf_error_set(err, HF_EUSAGE, NULL, "no csv reader");
    if (r->halted)
        return fail(r, err);
    if (r->finished)
        return 0;
    r->finished = true;
    if (!r->bom_done) {
        r->bom_done = true;
        consume(r, (const char *)BOM, r->bom_matched);
    }
    if (!r->halted && !r->delim_known)
        decide_delimiter(r);
    if (!r->halted) {
        /* Strict mode makes csv_fini refuse an open quoted field; then flush it leniently
         * with the row marked unterminated. */
        unsigned char opts = (unsigned char)csv_get_opts(&r->parser);
        csv_set_opts(&r->parser, (unsigned char)(opts | CSV_STRICT | CSV_STRICT_FINI));
        if (csv_fini(&r->parser, on_field, on_row, r) != 0) {
            csv_set_opts(&r->parser, opts);
            r->unterminated = true;
            csv_fini(&r->parser, on_field, on_row, r);
        }
    }
    if (!r->halted && !r->have_header)
        halt(r, HF_EINVAL, 1, "missing header row: expected one with an id column (%s, or %s)",
             SF_ID_HEADERS, HS_ID_HEADERS);
    return r->halted ? fail(r, err) : 0;
}

/* ---- lifetime and accessors ---- */

hf_csv_reader *hf_csv_reader_new(const hf_csv_options *opts)
{
    hf_csv_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    if (opts)
        r->opts = *opts;
    r->max_field = r->opts.max_field_bytes ? r->opts.max_field_bytes : DEFAULT_MAX_FIELD;
    if (r->max_field > CEILING_MAX_FIELD)
        r->max_field = CEILING_MAX_FIELD;
    r->max_columns = r->opts.max_columns ? r->opts.max_columns : DEFAULT_MAX_COLUMNS;
    if (r->max_columns > CEILING_MAX_COLUMNS)
        r->max_columns = CEILING_MAX_COLUMNS;
    r->line = 1;
    r->row_line = 1;
    r->format = HF_CSV_AUTO;

    size_t nwon = 0;
    for (const char *const *w = r->opts.won_stages; w && *w; w++)
        nwon++;
    r->won_stages = calloc(nwon + 1, sizeof(char *));
    r->hoff = calloc(r->max_columns, sizeof(size_t));
    r->hcut = calloc(r->max_columns, sizeof(bool));
    r->col_field = calloc(r->max_columns, sizeof(signed char));
    if (!r->won_stages || !r->hoff || !r->hcut || !r->col_field)
        goto fail;
    for (size_t i = 0; i < nwon; i++) {
        size_t n = strlen(r->opts.won_stages[i]);
        r->won_stages[i] = malloc(n + 1);
        if (!r->won_stages[i])
            goto fail;
        memcpy(r->won_stages[i], r->opts.won_stages[i], n + 1);
    }
    r->opts.won_stages = NULL; /* only the copies are used */

    if (csv_init(&r->parser, CSV_REPALL_NL) != 0)
        goto fail;
    r->parser_ready = true;
    /* grow the field buffer in steps that make a 64 KiB field a few reallocs, not 512 */
    csv_set_blk_size(&r->parser, 4096);
    row_reset(r);

    if (r->opts.format != HF_CSV_AUTO && r->opts.format != HF_CSV_SALESFORCE &&
        r->opts.format != HF_CSV_HUBSPOT)
        halt(r, HF_EUSAGE, 0, "unknown csv format %d in the options", (int)r->opts.format);
    return r;
fail:
    hf_csv_reader_free(r);
    return NULL;
}

void hf_csv_reader_free(hf_csv_reader *r)
{
    if (!r)
        return;
    if (r->parser_ready)
        csv_free(&r->parser);
    for (char **w = r->won_stages; w && *w; w++)
        free(*w);
    free(r->won_stages);
    free(r->sniff);
    free(r->vbuf);
    free(r->hnames);
    free(r->hoff);
    free(r->hcut);
    free(r->col_field);
    free(r->keybuf);
    free(r);
}

const hf_csv_stats *hf_csv_reader_stats(const hf_csv_reader *r)
{
    return &r->stats;
}

hf_csv_format hf_csv_reader_format(const hf_csv_reader *r)
{
    return r->format;
}

int hf_csv_reader_stop_status(const hf_csv_reader *r)
{
    return r->stop_status;
}

bool hf_csv_format_parse(const char *name, hf_csv_format *out)
{
    static const struct {
        const char *name;
        hf_csv_format f;
    } names[] = {
        {"auto", HF_CSV_AUTO}, {"salesforce", HF_CSV_SALESFORCE}, {"hubspot", HF_CSV_HUBSPOT}};
    if (!name)
        return false;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i].name) == 0) {
            if (out)
                *out = names[i].f;
            return true;
        }
    }
    return false;
}

const char *hf_csv_format_name(hf_csv_format f)
{
    switch (f) {
    case HF_CSV_AUTO:
        return "auto";
    case HF_CSV_SALESFORCE:
        return "salesforce";
    case HF_CSV_HUBSPOT:
        return "hubspot";
    }
    return "unknown";
}
