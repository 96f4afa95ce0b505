#!/bin/sh
# CLI tests of the commands over a database (SQLite in a temporary directory): init, add,
# list, show, edit, put, transition, history, diff, export, db status/check/backup/restore,
# import. TAP output.
set -u
H=${HANDOFF_BUILD:-build}/handoff
D=tests/data/evaluate
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HANDOFF_DB="sqlite:$T/h.db" HANDOFF_USER=tester LANG=C LANGUAGE= LC_ALL=
. tests/lib/tap.sh

expect "init creates the database" 0 $H init
contains "init reports the schema" "$T/out" "schema version 6"
expect "db status" 0 $H db status
contains "status says sqlite" "$T/out" "sqlite, schema version 6 of 6"

expect "add a handoff" 0 $H add $D/acme-complete.json --now 2026-11-03T16:00:00Z
contains "add prints version 1" "$T/out" "handoff 1: version 1, quality 100 (excellent)"
expect "add the same deal twice is refused" 73 $H add $D/acme-complete.json
contains "the refusal names the handoff" "$T/err" "already has a handoff: handoff 1"
jq '.deal.crm_id = "CRM-MESSY-1"' $D/messy.json >"$T/messy.json"
expect "add a second" 0 $H add "$T/messy.json" --now 2026-11-03T16:00:00Z
printf '{"meeting":{"held_at":"soon"}}' >"$T/bad.json"
expect "add an invalid document" 65 $H add "$T/bad.json"
contains "add names the field" "$T/err" 'field `meeting.held_at`'

expect "list" 0 $H list --now 2026-11-20T00:00:00Z
contains "list shows both" "$T/out" "2 handoffs"
expect "list --segment smb" 0 $H list --segment smb --json
contains "filter keeps messy" "$T/out" '"segment":"smb"'
lacks "filter drops acme" "$T/out" '"segment":"enterprise"'
expect "list --band excellent" 0 $H list --band excellent
contains "band filter" "$T/out" "1 handoff"
expect "list --overdue" 0 $H list --overdue --now 2026-11-20T00:00:00Z
contains "overdue" "$T/out" "2 handoffs"
expect "list --status bogus" 64 $H list --status bogus

# --count: the number of rows the same filters list, nothing else
expect "list --count" 0 $H list --count
same "count of every handoff" "$T/out" "2"
expect "list --count --json" 0 $H list --count --json
same "count as JSON" "$T/out" '{"count":2}'
expect "list --segment smb --count" 0 $H list --segment smb --count
same "count with a filter" "$T/out" "1"
expect "list --segment strategic --count" 0 $H list --segment strategic --count
same "count of nothing" "$T/out" "0"
for filters in "" "--segment smb" "--band excellent" "--band substandard" "--status draft" \
    "--owner jane.park@vendor.example" "--owner Jane Park" "--unassigned" \
    "--overdue --now 2026-11-20T00:00:00Z" "--overdue --now 2026-11-04T00:00:00Z" "--after 1"; do
    # shellcheck disable=SC2086 # the filters are words
    case $filters in
    "--owner Jane Park") set -- --owner "Jane Park" ;;
    *) set -- $filters ;;
    esac
    counted=$($H list "$@" --count 2>"$T/err")
    listed=$($H list "$@" --json 2>>"$T/err" | wc -l | tr -d ' ')
    if [ -n "$counted" ] && [ "$counted" = "$listed" ]; then
        ok "list ${filters:-(no filter)}: --count $counted = rows listed"
    else
        bad "list ${filters:-(no filter)}: --count '$counted', rows listed $listed" "$(cat "$T/err")"
    fi
done
expect "list --count --help" 0 $H list --help
contains "help names --count" "$T/out" "--count (only how many)"

expect "show" 0 $H show 1 --now 2026-11-09T12:00:00Z
contains "show has the report" "$T/out" "Quality"
expect "show --json" 0 $H show 1 --json --now 2026-11-09T12:00:00Z
contains "show json has the evaluation" "$T/out" '"band": "excellent"'
expect "show a missing handoff" 66 $H show 99

expect "edit with --set" 0 $H edit 2 --set churn_risk=high --set commercial.acv=120000
contains "edit makes version 2" "$T/out" "version 2"
expect "edit a stale version" 75 $H edit 2 --version 1 --set churn_risk=low
contains "conflict is explained" "$T/err" "now at version 2"
expect "edit an invalid value" 65 $H edit 2 --set churn_risk=extreme
contains "invalid edit names the field" "$T/err" 'field `churn_risk`'
expect "put replaces the document" 0 $H put 2 $D/pre_close.json --version 2
contains "put makes version 3" "$T/out" "version 3"

expect "history" 0 $H history 2
contains "history lists versions" "$T/out" "v3"
contains "history shows changed paths" "$T/out" "churn_risk"
expect "diff" 0 $H diff 2 1 2
contains "diff shows old and new" "$T/out" 'churn_risk: "medium" -> "high"'

expect "a missing database is an error" 66 $H list --db "sqlite:$T/none.db"
contains "the error says how to create it" "$T/err" "handoff init"
expect "illegal transition" 69 $H transition 1 completed
contains "illegal transition names the states" "$T/err" 'allowed from "draft"'
expect "submit" 0 $H transition 1 submitted
expect "schedule" 0 $H transition 1 scheduled
expect "hold" 0 $H transition 1 held
expect "reject needs a reason" 64 $H transition 1 rejected
expect "reject with reasons" 0 $H transition 1 rejected --reason "ROI missing" --reasons info_gaps
expect "resubmit" 0 $H transition 1 submitted
expect "accept" 0 $H transition 1 accepted
expect "history json" 0 $H history 1 --json
contains "transition reason recorded" "$T/out" '"reason": "ROI missing"'

expect "export jsonl" 0 $H export
contains "export has documents" "$T/out" '"document":{'
expect "export csv" 0 $H export --format csv
contains "csv header" "$T/out" "id,status,version,segment"

expect "db check" 0 $H db check
contains "integrity ok" "$T/out" "ok"
expect "db backup" 0 $H db backup "$T/backup.db"
expect "more work after the backup" 0 $H edit 1 --set churn_risk=low
expect "db restore" 0 $H db restore "$T/backup.db"
expect "restored version" 0 $H show 1 --json
lacks "restore rolled back the edit" "$T/out" '"churn_risk": "low"'
printf 'not a database' >"$T/junk.db"
expect "restore refuses junk" 65 $H db restore "$T/junk.db"

# bootstrap of people and tokens
HANDOFF_PASSWORD=correct-horse-battery $H user add ops@vendor.example --role revops --name Ops >"$T/out" 2>"$T/err"
if [ $? -eq 0 ] && grep -q "ops@vendor.example (revops)" "$T/out"; then ok "user add"; else bad "user add" "$(cat "$T/err")"; fi
expect "user add twice is refused" 73 env HANDOFF_PASSWORD=correct-horse-battery $H user add ops@vendor.example --role revops
expect "user add with a short password" 64 env HANDOFF_PASSWORD=short $H user add x@vendor.example --role viewer
expect "user add with an unknown role" 64 env HANDOFF_PASSWORD=correct-horse-battery $H user add y@vendor.example --role boss
expect "user list" 0 $H user list
contains "user list shows the role" "$T/out" "revops"
expect "token create" 0 $H token create --user ops@vendor.example --scopes "read gate" --name crm
if grep -Eq '^hf_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$' "$T/out"; then ok "token has the documented shape"; else bad "token shape" "$(cat "$T/out")"; fi
expect "token for an unknown user" 66 $H token create --user nobody@vendor.example
expect "token with an unknown scope" 64 $H token create --user ops@vendor.example --scopes admin
expect "token list" 0 $H token list
contains "token list shows the scopes" "$T/out" "read gate"
expect "token revoke" 0 $H token revoke 1
expect "token list after revoke" 0 $H token list
contains "revoked token is marked" "$T/out" "revoked"

tap_end
