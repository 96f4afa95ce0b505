#!/bin/sh
# CLI tests of `handoff import` on real-format exports (tests/data/csv/): the counts, the
# bad-row messages with line and column, re-import updating instead of duplicating, an
# integration's mapping (--integration: owner, CSM, T0 in its time zone, segment), a report
# keyed by name (the warning), and whole-file errors. Each file goes into a fresh SQLite
# database. TAP output.
set -u
H=${HANDOFF_BUILD:-build}/handoff
C=tests/data/csv
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LANG=C LANGUAGE= LC_ALL= HANDOFF_USER=tester
. tests/lib/tap.sh

# counts FILE CREATED UPDATED SKIPPED HANDOFFS
counts() {
    rm -f "$T/db"*
    $H init --db "sqlite:$T/db" >/dev/null
    out=$($H import --db "sqlite:$T/db" --json "$C/$1" 2>"$T/err")
    want="{\"created\":$2,\"updated\":$3,\"skipped\":$4,\"handoffs_created\":$5}"
    if [ "$out" = "$want" ]; then ok "$1: $2 created, $4 skipped, $5 handoffs"; else bad "$1 counts" "got $out" "want $want" "$(head -3 "$T/err")"; fi
}
counts salesforce-dataloader.csv 4 0 0 1
counts salesforce-dataloader-upper.csv 3 0 0 1
counts salesforce-report.csv 4 0 0 1
counts hubspot-ui.csv 4 0 0 2
counts hubspot-api.csv 4 0 0 1
counts hubspot-pt-br.csv 3 0 0 0
counts excel-semicolon-bom-crlf.csv 5 0 0 1
counts bad-rows.csv 3 0 8 0

# every bad row is reported with its line and column
for msg in 'line 3, column 1: missing id in column "Id"' \
    'line 4, column 6: bad date "31/02/2026" in column "CloseDate"' \
    'line 5, column 5: bad amount "12 thousand" in column "Amount"' \
    'line 6, column 8: bad boolean "maybe" in column "IsWon"' \
    'line 7, column 10: too many fields: 10 where the header has 9' \
    'line 14, column 2: unterminated quoted field in column "Name"'; do
    if grep -qF "$msg" "$T/err"; then ok "reports: $msg"; else bad "reports: $msg" "$(cat "$T/err")"; fi
done

# re-importing updates and never duplicates
rm -f "$T/db"*
$H init --db "sqlite:$T/db" >/dev/null
$H import --db "sqlite:$T/db" --json "$C/salesforce-report.csv" >/dev/null 2>&1
out=$($H import --db "sqlite:$T/db" --json "$C/salesforce-report.csv" 2>&1)
if [ "$out" = '{"created":0,"updated":4,"skipped":0,"handoffs_created":0}' ]; then ok "re-import updates"; else bad "re-import updates" "$out"; fi
count=$($H list --db "sqlite:$T/db" --json | wc -l)
if [ "$count" -eq 1 ]; then ok "re-import keeps one handoff"; else bad "re-import keeps one handoff" "$count"; fi
$H list --db "sqlite:$T/db" --json >"$T/list"
if grep -q '"status":"draft"' "$T/list"; then ok "closed-won deal has a draft handoff"; else bad "draft handoff" "$(cat "$T/list")"; fi

# custom won stage (HubSpot custom pipelines use numeric stage ids)
rm -f "$T/db"*
$H init --db "sqlite:$T/db" >/dev/null
out=$($H import --db "sqlite:$T/db" --json --won-stage "Fechado e ganho" "$C/hubspot-pt-br.csv" 2>&1)
case "$out" in *'"handoffs_created":0'*) bad "--won-stage makes handoffs" "$out" ;; *) ok "--won-stage makes handoffs" ;; esac

# importing into a database that does not exist is refused: init creates one
rm -f "$T/db"*
$H import --db "sqlite:$T/db" "$C/salesforce-report.csv" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 66 ] && grep -q "handoff init" "$T/err"; then ok "import into a missing database: exit 66"; else bad "missing database" "rc=$rc" "$(cat "$T/err")"; fi
$H init --db "sqlite:$T/db" >/dev/null

# whole-file problems
printf 'Foo,Bar\n1,2\n' >"$T/noid.csv"
$H import --db "sqlite:$T/db" "$T/noid.csv" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 65 ] && grep -q 'line 1: missing id column' "$T/err"; then ok "no id column: exit 65 with the line"; else bad "no id column" "rc=$rc" "$(cat "$T/err")"; fi
$H import --db "sqlite:$T/db" "$T/missing.csv" >/dev/null 2>&1
rc=$?
if [ $rc -eq 66 ]; then ok "missing file: exit 66"; else bad "missing file" "rc=$rc"; fi
$H import --db "sqlite:$T/db" --format hubspot "$C/salesforce-dataloader.csv" >/dev/null 2>&1
rc=$?
if [ $rc -eq 65 ]; then ok "format that contradicts the header: exit 65"; else bad "contradicting format" "rc=$rc"; fi
$H import --db "sqlite:$T/db" --format excel "$C/salesforce-dataloader.csv" >/dev/null 2>&1
rc=$?
if [ $rc -eq 64 ]; then ok "unknown --format: exit 64"; else bad "unknown --format" "rc=$rc"; fi
# with an integration: the owner mapping, a CSM by capacity, T0 from the close date in the
# integration's time zone, segment rules, the formats of the header's language
rm -f "$T/db"*
$H init --db "sqlite:$T/db" >/dev/null
for u in "maria@vendor.example account_executive" "csm@vendor.example csm"; do
    set -- $u
    HANDOFF_PASSWORD=correct-horse-battery $H user add --db "sqlite:$T/db" "$1" --role "$2" >/dev/null 2>&1
done
HANDOFF_KEY_FILE="$T/key" $H integration add salesforce --db "sqlite:$T/db" --org-id 00D5e000000K9bQEAS \
    --owner "Maria Silva=maria@vendor.example" --timezone America/Sao_Paulo \
    --segment-rule 'enterprise:amount>=100000' --segment-rule smb >/dev/null 2>"$T/err" ||
    bad "integration add" "$(cat "$T/err")"
out=$(HANDOFF_KEY_FILE="$T/key" $H import --db "sqlite:$T/db" --json --integration 1 "$C/salesforce-report.csv" 2>"$T/err")
if [ "$out" = '{"created":4,"updated":0,"skipped":0,"handoffs_created":1,"owners_unmapped":0,"csm_queued":0}' ]; then
    ok "--integration: the counts, the owner mapped"
else
    bad "--integration counts" "$out" "$(cat "$T/err")"
fi
$H list --db "sqlite:$T/db" --json >"$T/list"
got=$(jq -r '[.owner_email, .csm_email, .t0, .segment, .trigger] | @tsv' "$T/list")
# Acme closes 3/31/2026: midnight in São Paulo is 03:00 UTC
if [ "$got" = "$(printf 'maria@vendor.example\tcsm@vendor.example\t2026-03-31T03:00:00Z\tenterprise\tcontract_signature')" ]; then
    ok "the imported handoff is owned, assigned, its T0 the close date in the zone, its segment set"
else
    bad "imported handoff" "$got"
fi
out=$($H import --db "sqlite:$T/db" --json --integration 9 "$C/salesforce-report.csv" 2>"$T/err")
rc=$?
if [ $rc -eq 66 ]; then ok "an unknown integration: exit 66"; else bad "unknown integration" "rc=$rc $out"; fi

# a Salesforce report without its id column: keyed by name, with a warning
rm -f "$T/db"*
$H init --db "sqlite:$T/db" >/dev/null
out=$($H import --db "sqlite:$T/db" --json "$C/salesforce-report-no-id.csv" 2>"$T/err")
if [ "$out" = '{"created":2,"updated":0,"skipped":2,"handoffs_created":1,"keyed_by_name":true}' ]; then
    ok "a report without ids imports keyed by name"
else
    bad "keyed by name" "$out"
fi
contains "it warns that renaming breaks a re-import" "$T/err" "renaming either in Salesforce makes a re-import create another deal"
contains "a row without an account is reported" "$T/err" 'line 4, column 2: missing account name in column "Account Name"'
contains "a short row is reported" "$T/err" "line 5, column 3: too few fields: 2 where the header has 7"

tap_end
