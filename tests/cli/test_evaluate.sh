#!/bin/sh
# CLI tests of `handoff evaluate` and `handoff protocol`: exit statuses, the whole error
# line on stderr (file, field path and message) for every refused case of
# tests/data/evaluate, JSON output, languages. TAP output.
set -u
H=${HANDOFF_BUILD:-build}/handoff
D=tests/data/evaluate
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/lib/tap.sh

expect "evaluate --json exits 0" 0 $H evaluate --json --now 2026-11-09T12:00:00Z $D/acme-complete.json
contains "json has the total" "$T/out" '"total": 100'
contains "json prints 2-decimal reals" "$T/out" '"deal_summary": 15.0'

expect "messy evaluates" 0 $H evaluate --json --now 2026-06-06T10:27:49Z $D/messy.json
contains "messy rounds half-up" "$T/out" '"deal_summary": 14.38'

expect "stdin with -" 0 sh -c "$H evaluate --json --now 2026-11-09T12:00:00Z - < $D/acme-complete.json"

expect "human report" 0 $H evaluate --now 2026-11-09T12:00:00Z --lang en $D/acme-complete.json
contains "report shows the gate" "$T/out" "READY"
contains "report shows the band" "$T/out" "excellent"

printf '{"meeting": {"held_at": "yesterday"}}' >"$T/bad.json"
expect "invalid timestamp exits 65" 65 $H evaluate --json $T/bad.json
same "error names the file, the field path and what was expected" "$T/err" \
    "$T/bad.json: field \`meeting.held_at\`: expected an RFC 3339 timestamp with an offset"

printf '{"stakeholders": [{"name": "x"}, {"role": "champion"}, {"role": "ceo"}]}' >"$T/role.json"
expect "missing required role exits 65" 65 $H evaluate $T/role.json
same "role path has the index, the message says required" "$T/err" \
    "$T/role.json: field \`stakeholders[0].role\`: required: expected one of executive_sponsor, champion, economic_buyer, technical_lead, end_users, blocker, influencer"

printf '[1,2]' >"$T/arr.json"
expect "non-object root exits 65" 65 $H evaluate $T/arr.json
same "root error says document" "$T/err" "$T/arr.json: field \`document\`: expected a JSON object"

printf '{"deal": ' >"$T/trunc.json"
expect "truncated JSON exits 65" 65 $H evaluate $T/trunc.json
same "syntax error says where" "$T/err" \
    "$T/trunc.json: field \`document\`: invalid JSON at line 1, column 9: unexpected token near end of file"

# every refused case of tests/data/evaluate: NAME.error is the field path, then the message
# (not $name: tap.sh's expect sets it)
for e in $D/*.error; do
    base=${e%.error}
    path=$(sed -n 1p "$e")
    msg=$(sed -n 2p "$e")
    if [ -f "$base.protocol.json" ]; then
        expect "$(basename "$base") is refused" 65 $H evaluate --protocol "$base.protocol.json" "$base.json"
        same "$(basename "$base"): the protocol's path and message" "$T/err" \
            "$base.protocol.json: field \`$path\`: $msg"
    else
        expect "$(basename "$base") is refused" 65 $H evaluate --json "$base.json"
        same "$(basename "$base"): the document's path and message" "$T/err" \
            "$base.json: field \`$path\`: $msg"
    fi
done

expect "no file is a usage error" 64 $H evaluate
expect "two files is a usage error" 64 $H evaluate a.json b.json
expect "unknown option is a usage error" 64 $H evaluate --frobnicate $D/acme-complete.json
expect "bad --now is a usage error" 64 $H evaluate --now 2026-11-09 $D/acme-complete.json
expect "missing file exits 66" 66 $H evaluate $T/does-not-exist.json
expect "unknown command" 64 $H frobnicate
expect "evaluate --help" 0 $H evaluate --help
contains "help shows usage" "$T/out" "handoff evaluate"

printf '{"timezone": "Mars/Olympus"}' >"$T/tz.json"
expect "bad protocol timezone exits 65" 65 $H evaluate --protocol $T/tz.json $D/acme-complete.json
same "protocol error names the key" "$T/err" \
    "$T/tz.json: field \`timezone\`: expected an IANA time zone name, not \"Mars/Olympus\""
expect "protocol check refuses" 65 $H protocol check $T/tz.json
same "protocol check says why" "$T/err" \
    "$T/tz.json: field \`timezone\`: expected an IANA time zone name, not \"Mars/Olympus\""
expect "protocol check accepts" 0 $H protocol check $D/protocol.protocol.json
expect "protocol show" 0 $H protocol show
contains "protocol show has the version" "$T/out" '"version": "2026.1"'
expect "protocol show with a file" 0 $H protocol show --protocol $D/protocol.protocol.json
contains "protocol show overlays the zone" "$T/out" '"timezone": "Asia/Jakarta"'

for l in pt-BR es id; do
    expect "report in $l" 0 $H evaluate --lang $l --now 2026-11-09T12:00:00Z $D/acme-complete.json
    if grep -q "Completeness" "$T/out"; then bad "report in $l is translated" "found English 'Completeness'"; else ok "report in $l is translated"; fi
done
LANG=pt_BR.UTF-8 $H evaluate --now 2026-11-09T12:00:00Z $D/acme-complete.json >"$T/out" 2>&1
contains "LANG selects Portuguese" "$T/out" "Completude"
LANG=es_ES.UTF-8 $H evaluate --json $T/bad.json 2>"$T/err" >/dev/null
same "errors are translated" "$T/err" \
    "$T/bad.json: campo \`meeting.held_at\`: se esperaba una marca de tiempo RFC 3339 con desplazamiento horario"

expect "unknown --lang is a usage error" 64 $H --lang fr evaluate $D/acme-complete.json
contains "unknown --lang names the languages" "$T/err" "expected en, pt-BR, es or id"

tap_end
