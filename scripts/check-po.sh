#!/bin/sh
# check-po.sh: check the message catalogs; part of `make lint`.
#
#   sh scripts/check-po.sh [PODIR]
#
# The product rule: everything a person reads exists in English, pt-BR, es and id. So,
# for each of PODIR/pt-BR.po, PODIR/es.po and PODIR/id.po, this fails when
#   - msgfmt --check rejects the file (syntax, header, plural forms, c-format
#     directives that differ from the msgid's);
#   - its Plural-Forms header differs from the rule src/core/i18n.c hard-codes;
#   - a msgid of PODIR/handoff.pot is missing from it, untranslated (an empty msgstr or
#     msgstr[N]) or fuzzy.
# Each problem is one line on stderr naming the file and the msgid; the exit status is
# then 1. Prints nothing on success. After changing strings in the code, run
# scripts/update-po.sh first so that handoff.pot is current.
set -eu

LC_ALL=C
export LC_ALL

podir=${1:-po}
pot="$podir/handoff.pot"
status=0

if [ ! -f "$pot" ]; then
    echo "check-po.sh: $pot: no such file (run scripts/update-po.sh)" >&2
    exit 1
fi

for lang in pt-BR es id; do
    po="$podir/$lang.po"
    if [ ! -f "$po" ]; then
        echo "check-po.sh: $po: no such file" >&2
        status=1
        continue
    fi
    if ! out=$(msgfmt --check -o /dev/null "$po" 2>&1); then
        printf '%s\n' "$out" >&2
        echo "check-po.sh: $po: msgfmt --check failed" >&2
        status=1
        continue
    fi
    # The plural rules of src/core/i18n.c, compared without blanks, parentheses or a
    # final semicolon.
    case "$lang" in
    pt-BR) plural="nplurals=2;plural=n>1" ;;
    es) plural="nplurals=2;plural=n!=1" ;;
    id) plural="nplurals=1;plural=0" ;;
    esac
    awk -v po="$po" -v want_plural="$plural" '
    function problem(msg) {
        printf "check-po.sh: %s: %s\n", po, msg > "/dev/stderr"
        bad = 1
    }

    function reset() {
        ctxt = ""
        id = ""
        state = ""
        has_msgid = 0
        is_fuzzy = 0
        is_empty = 0
        str = ""
    }

    # The entry just read is complete. Strings are kept as written, escapes included:
    # both files come from the gettext tools, which write a given string one way.
    function flush(    k) {
        end_msgstr()
        if (has_msgid) {
            k = ctxt "\004" id
            if (in_pot) {
                if (id != "" && !(k in wanted)) {
                    wanted[k] = 1
                    order[++n] = k
                    shown[k] = (ctxt != "" ? "msgctxt \"" ctxt "\" " : "") "msgid \"" id "\""
                }
            } else if (id == "" && ctxt == "") {
                header = str
            } else {
                status[k] = is_fuzzy ? "is fuzzy" : is_empty ? "is untranslated" : "ok"
            }
        }
        reset()
    }

    # A msgstr or msgstr[N] ends: the entry is untranslated if any of them is empty.
    function end_msgstr() {
        if (state == "msgstr" && str == "")
            is_empty = 1
    }

    # The text between the outer quotes of a string line.
    function unquote(s) {
        sub(/^[^"]*"/, "", s)
        sub(/"[ \t]*$/, "", s)
        return s
    }

    BEGIN {
        reset()
    }

    FNR == 1 {
        flush()
        in_pot = FILENAME == ARGV[1]
    }

    {
        sub(/\r$/, "")
    }

    /^[ \t]*$/ || /^#~/ {
        flush()
        next
    }

    /^#/ {
        if (state == "msgstr")
            flush()
        if ($0 ~ /^#,/ && $0 ~ /[, \t]fuzzy([, \t]|$)/)
            is_fuzzy = 1
        next
    }

    /^msgctxt[ \t]/ {
        if (state == "msgstr")
            flush()
        state = "msgctxt"
        ctxt = unquote($0)
        next
    }

    /^msgid_plural[ \t]/ {
        state = "msgid_plural"
        next
    }

    /^msgid[ \t]/ {
        if (state == "msgstr")
            flush()
        state = "msgid"
        has_msgid = 1
        id = unquote($0)
        next
    }

    /^msgstr/ {
        end_msgstr()
        state = "msgstr"
        str = unquote($0)
        next
    }

    /^[ \t]*"/ {
        if (state == "msgctxt")
            ctxt = ctxt unquote($0)
        else if (state == "msgid")
            id = id unquote($0)
        else if (state == "msgstr")
            str = str unquote($0)
        next
    }

    END {
        flush()
        if (!match(header, /Plural-Forms:[^\\]*/)) {
            problem("no Plural-Forms header")
        } else {
            got = substr(header, RSTART + 13, RLENGTH - 13)
            gsub(/[ \t()]/, "", got)
            sub(/;$/, "", got)
            if (got != want_plural)
                problem("Plural-Forms is \"" got "\", src/core/i18n.c uses \"" want_plural "\"")
        }
        for (i = 1; i <= n; i++) {
            k = order[i]
            if (!(k in status))
                problem(shown[k] " is missing")
            else if (status[k] != "ok")
                problem(shown[k] " " status[k])
        }
        exit bad
    }
    ' "$pot" "$po" || status=1
done

exit "$status"
