#!/bin/sh
# po2c.sh: compile the message catalogs into the C tables src/core/i18n.c searches.
#
#   sh scripts/po2c.sh PODIR > i18n_catalog.c
#
# Reads PODIR/pt-BR.po, PODIR/es.po and PODIR/id.po (the file name is the language;
# English needs no file: it is the msgid) and writes to stdout a C file that defines
# hf__i18n_catalogs (declared in src/core/i18n_catalog.h): for each language, the
# translated messages and the translated plural messages, each array sorted by strcmp()
# of msgid so that i18n.c can bsearch() it.
#
# Skipped, so that the lookup falls back to English: the header entry (msgid ""), fuzzy
# entries, untranslated entries (an empty msgstr, or any empty msgstr[N]) and obsolete
# entries (#~). Rejected, with "FILE:LINE: reason" on stderr and exit status 1: syntax
# the tables cannot represent (msgctxt, more than HF__I18N_MAX_FORMS plural forms, a NUL
# byte), malformed strings and duplicate msgids. The .po syntax proper is msgfmt's job
# (scripts/check-po.sh); this script only checks what it needs to produce valid C.
#
# Strings keep their C escapes (\n, \t, \", \\, octal, hex): PO and C share that syntax.
# Each quoted PO string becomes its own C literal so that adjacent-literal concatenation
# means in C what it means in PO. Two things are rewritten: a "?" that follows a "?" is
# written "\?" (with -std=c11 the compiler would read "??=" as a trigraph), and control
# characters become three-digit octal escapes. The sort key is the decoded bytes, not the
# escaped text, so that the order is strcmp()'s: "a\n" sorts before "aZ".
#
# POSIX sh and awk only (Debian's awk is mawk): no gawk extensions. The output depends
# only on the input files, never on the locale or the environment.
set -eu

LC_ALL=C
export LC_ALL

podir=${1:-po}
files=""
for lang in pt-BR es id; do
    if [ ! -f "$podir/$lang.po" ]; then
        echo "po2c.sh: $podir/$lang.po: no such file" >&2
        exit 1
    fi
    files="$files $podir/$lang.po"
done

# The most plural forms an entry may have: the size of hf__i18n_plural.msgstr.
header="$(dirname "$0")/../src/core/i18n_catalog.h"
max_forms=$(sed -n 's/^#define HF__I18N_MAX_FORMS \([0-9][0-9]*\).*/\1/p' "$header" 2>/dev/null || true)
if [ -z "$max_forms" ]; then
    echo "po2c.sh: $header: no HF__I18N_MAX_FORMS definition" >&2
    exit 1
fi

# shellcheck disable=SC2086 # $files is a list of paths without blanks
exec awk -v max_forms="$max_forms" '
BEGIN {
    for (i = 1; i < 256; i++)
        ord[sprintf("%c", i)] = i
    hexdigits = "0123456789abcdef"
    nlangs = 0
    failed = 0
    reset()
}

function fail(where, msg) {
    printf "po2c.sh: %s: %s\n", where, msg > "/dev/stderr"
    failed = 1
    exit 1
}

function here() {
    return FILENAME ":" FNR
}

function reset() {
    has_msgid = 0
    has_plural = 0
    in_msgstr = 0
    is_fuzzy = 0
    field = ""
    nforms = 0
    split("", lit)
    split("", key)
}

function hex2(v) {
    return substr(hexdigits, int(v / 16) + 1, 1) substr(hexdigits, v % 16 + 1, 1)
}

function octal3(v) {
    return "\\" int(v / 64) (int(v / 8) % 8) (v % 8)
}

# Append the quoted strings in `s` (one or more, separated by blanks) to the current
# field: each as a C literal to lit[field], their decoded bytes (two hex digits each) to
# key[field].
function addstr(s,    n, i, c, v, d, out, k, esc, closed, found) {
    if (field == "")
        fail(here(), "string continuation without a keyword")
    n = length(s)
    i = 1
    for (found = 0;; found++) {
        while (i <= n && substr(s, i, 1) ~ /[ \t]/)
            i++
        if (i > n) {
            if (!found)
                fail(here(), "expected a string in double quotes")
            break
        }
        if (substr(s, i, 1) != "\"")
            fail(here(), "expected a string in double quotes")
        out = ""
        k = ""
        closed = 0
        for (i++; i <= n; i++) {
            c = substr(s, i, 1)
            if (c == "\"") {
                closed = 1
                i++
                break
            }
            if (c == "\\") {
                if (i == n)
                    break
                c = substr(s, ++i, 1)
                esc = "\\" c
                if (c == "n") v = 10
                else if (c == "t") v = 9
                else if (c == "r") v = 13
                else if (c == "a") v = 7
                else if (c == "b") v = 8
                else if (c == "f") v = 12
                else if (c == "v") v = 11
                else if (c == "\"" || c == "\\" || c == "?" || c == "\047") v = ord[c]
                else if (c ~ /[0-7]/) {
                    v = c + 0
                    for (d = 0; d < 2 && i < n && substr(s, i + 1, 1) ~ /[0-7]/; d++) {
                        c = substr(s, ++i, 1)
                        v = v * 8 + c
                        esc = esc c
                    }
                } else if (c == "x") {
                    if (i == n || substr(s, i + 1, 1) !~ /[0-9A-Fa-f]/)
                        fail(here(), "\\x without hex digits")
                    v = 0
                    while (i < n && substr(s, i + 1, 1) ~ /[0-9A-Fa-f]/) {
                        c = substr(s, ++i, 1)
                        v = v * 16 + index(hexdigits, tolower(c)) - 1
                        esc = esc c
                        if (v > 255)
                            fail(here(), "hex escape out of range")
                    }
                } else
                    fail(here(), "unknown escape sequence \\" c)
                if (v == 0 || v > 255)
                    fail(here(), "escape sequence " esc " is out of range or NUL")
                out = out esc
                k = k hex2(v)
                continue
            }
            v = ord[c]
            if (c == "?" && substr(out, length(out), 1) == "?")
                out = out "\\?"
            else if (v < 32 || v == 127)
                out = out octal3(v)
            else
                out = out c
            k = k hex2(v)
        }
        if (!closed)
            fail(here(), "string without a closing double quote")
        if (out != "")
            lit[field] = lit[field] (lit[field] == "" ? "" : " ") "\"" out "\""
        key[field] = key[field] k
    }
}

function cstr(f) {
    return lit[f] == "" ? "\"\"" : lit[f]
}

# The entry just read is complete: keep it when it is a translation.
function flush(    i, id, line, L, kind) {
    if (!has_msgid) {
        reset()
        return
    }
    if (!in_msgstr)
        fail(entry_at, "msgid without msgstr")
    id = "k" key["msgid"]
    L = nlangs
    if (id == "k" || is_fuzzy) {
        reset()
        return
    }
    if (has_plural) {
        if (nforms > max_forms)
            fail(entry_at, "more than " max_forms " plural forms")
        for (i = 0; i < nforms; i++) {
            if (!(("msgstr" i) in key))
                fail(entry_at, "msgstr[" i "] is missing")
            if (key["msgstr" i] == "") {
                reset()
                return
            }
        }
        if (nforms == 0) {
            reset()
            return
        }
        line = "{" cstr("msgid") ", " cstr("msgid_plural") ", {"
        for (i = 0; i < max_forms; i++)
            line = line (i ? ", " : "") (i < nforms ? cstr("msgstr" i) : "NULL")
        line = line "}}"
        kind = "p"
    } else {
        if (key["msgstr"] == "") {
            reset()
            return
        }
        line = "{" cstr("msgid") ", " cstr("msgstr") "}"
        kind = "m"
    }
    if ((L, id) in seen)
        fail(entry_at, "duplicate msgid (first at line " seen[L, id] ")")
    seen[L, id] = entry_line
    count[L, kind]++
    keys[L, kind, count[L, kind]] = id
    lines[L, kind, count[L, kind]] = line
    reset()
}

function start_field(name, rest) {
    field = name
    if (name in lit)
        fail(here(), "repeated " name)
    lit[name] = ""
    key[name] = ""
    addstr(rest)
}

FNR == 1 {
    flush()
    nlangs++
    name = FILENAME
    sub(/^.*\//, "", name)
    sub(/\.po$/, "", name)
    ident = name
    gsub(/-/, "_", ident)
    lang_file[nlangs] = FILENAME
    lang_ident[nlangs] = ident
    lang_enum[nlangs] = "HF_LANG_" toupper(ident)
    count[nlangs, "m"] = 0
    count[nlangs, "p"] = 0
}

{
    sub(/\r$/, "")
}

/^[ \t]*$/ {
    flush()
    next
}

/^#/ {
    if (in_msgstr)
        flush()
    else if (has_msgid)
        fail(here(), "comment inside an entry")
    if ($0 ~ /^#~/) {
        is_fuzzy = 0
    } else if ($0 ~ /^#,/ && $0 ~ /[, \t]fuzzy([, \t]|$)/) {
        is_fuzzy = 1
    }
    next
}

/^msgctxt([ \t]|$)/ {
    fail(here(), "msgctxt is not supported (hf_tr has no context argument)")
}

/^msgid_plural([ \t]|$)/ {
    if (!has_msgid || in_msgstr || has_plural)
        fail(here(), "msgid_plural out of place")
    has_plural = 1
    start_field("msgid_plural", substr($0, 13))
    next
}

/^msgid([ \t]|$)/ {
    if (in_msgstr)
        flush()
    else if (has_msgid)
        fail(here(), "msgid without msgstr")
    has_msgid = 1
    entry_at = here()
    entry_line = FNR
    start_field("msgid", substr($0, 6))
    next
}

/^msgstr\[[0-9]+\]([ \t]|$)/ {
    if (!has_plural)
        fail(here(), "msgstr[N] without msgid_plural")
    in_msgstr = 1
    i = substr($0, 8, index($0, "]") - 8) + 0
    if (i + 1 > nforms)
        nforms = i + 1
    start_field("msgstr" i, substr($0, index($0, "]") + 1))
    next
}

/^msgstr([ \t]|$)/ {
    if (!has_msgid || has_plural)
        fail(here(), has_plural ? "plain msgstr after msgid_plural" : "msgstr without msgid")
    in_msgstr = 1
    start_field("msgstr", substr($0, 7))
    next
}

/^[ \t]*"/ {
    addstr($0)
    next
}

{
    fail(here(), "syntax error")
}

# Shell sort of the entries of one table by key: keys are "k" and hex digits, so plain
# string comparison is strcmp() order of the decoded msgids; keys are unique, so the
# result does not depend on the algorithm.
function sort_table(L, kind,    n, gap, i, j, tk, tl) {
    n = count[L, kind]
    for (gap = int(n / 2); gap > 0; gap = int(gap / 2)) {
        for (i = gap + 1; i <= n; i++) {
            tk = keys[L, kind, i]
            tl = lines[L, kind, i]
            for (j = i; j > gap && keys[L, kind, j - gap] > tk; j -= gap) {
                keys[L, kind, j] = keys[L, kind, j - gap]
                lines[L, kind, j] = lines[L, kind, j - gap]
            }
            keys[L, kind, j] = tk
            lines[L, kind, j] = tl
        }
    }
}

function emit_table(L, kind, type, name,    i) {
    if (count[L, kind] == 0)
        return
    sort_table(L, kind)
    printf "static const %s %s[] = {\n", type, name
    for (i = 1; i <= count[L, kind]; i++)
        printf "    %s,\n", lines[L, kind, i]
    printf "};\n"
}

function ref(L, kind, name) {
    if (count[L, kind] == 0)
        return "NULL, 0"
    return name ", sizeof " name " / sizeof " name "[0]"
}

END {
    if (failed)
        exit 1
    flush()
    if (failed)
        exit 1
    srcs = ""
    for (L = 1; L <= nlangs; L++)
        srcs = srcs " " lang_file[L]
    printf "/* Generated by scripts/po2c.sh from%s: do not edit.\n", srcs
    printf " * Each table is sorted by strcmp() of msgid: src/core/i18n.c bsearch()es it. */\n"
    printf "#include \"core/i18n_catalog.h\"\n\n"
    printf "#include <stddef.h>\n"
    for (L = 1; L <= nlangs; L++) {
        printf "\n/* %s: messages %d, plural messages %d */\n", lang_file[L], count[L, "m"], count[L, "p"]
        emit_table(L, "m", "hf__i18n_msg", "msgs_" lang_ident[L])
        emit_table(L, "p", "hf__i18n_plural", "plurals_" lang_ident[L])
    }
    printf "\nconst hf__i18n_catalog hf__i18n_catalogs[HF_LANG_COUNT] = {\n"
    printf "    [HF_LANG_EN] = {NULL, 0, NULL, 0},\n"
    for (L = 1; L <= nlangs; L++)
        printf "    [%s] = {%s, %s},\n", lang_enum[L], ref(L, "m", "msgs_" lang_ident[L]), ref(L, "p", "plurals_" lang_ident[L])
    printf "};\n"
}
' $files
