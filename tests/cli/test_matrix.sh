#!/bin/sh
# The authorization matrix over the command line: the same cells as the API test
# (tests/data/authz/handoff-actions.txt), each run as `handoff ... --as EMAIL` against a
# SQLite database, so the CLI and the API must give the same answers. Also: one handoff
# per deal, the guarded lifecycle with an override kept in history, and protocol
# versions pinned at T0. TAP output.
set -u
H=${HANDOFF_BUILD:-build}/handoff
D=tests/data/evaluate
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HANDOFF_DB="sqlite:$T/m.db" HANDOFF_USER=operator LANG=C LANGUAGE= LC_ALL=
. tests/lib/tap.sh
MATRIX=tests/data/authz/handoff-actions.txt

expect "init" 0 $H init
$H team add "Sales East" --kind sales >/dev/null && $H team add "Sales West" --kind sales >/dev/null &&
    $H team add "CS North" --kind cs >/dev/null && $H team add "CS South" --kind cs >/dev/null
expect "team list" 0 $H team list --json
if [ "$(jq '.items | length' "$T/out")" = 4 ]; then ok "four teams"; else bad "four teams" "$(cat "$T/out")"; fi
mk() { # email role team
    HANDOFF_PASSWORD=password-for-$2 $H user add "$1" --role "$2" --team "$3" --capacity 20 >/dev/null 2>"$T/err" ||
        bad "user add $1" "$(cat "$T/err")"
}
mk ae1@vendor.example account_executive 1
mk ae2@vendor.example account_executive 2
mk sm1@vendor.example sales_manager 1
mk csm1@vendor.example csm 3
mk csm2@vendor.example csm 4
mk csmgr1@vendor.example cs_manager 3
mk viewer1@vendor.example viewer none
mk ops@vendor.example revops none
expect "user list --json" 0 $H user list --json
if [ "$(jq '[.items[].email] | length' "$T/out")" = 8 ] && [ "$(jq -r '.items[] | select(.email == "csm1@vendor.example") | .capacity' "$T/out")" = 20 ]; then
    ok "eight users with their capacity"
else
    bad "eight users" "$(cat "$T/out")"
fi

# OWN (ae1 / csm1) and OTHER (ae2 / csm2), both drafts, made by the operator
jq '.deal.owner.email="ae1@vendor.example" | .team.csm.email="csm1@vendor.example" | .deal.crm_id="CRM-OWN"' $D/acme-complete.json >"$T/own.json"
jq '.deal.owner.email="ae2@vendor.example" | .team.csm.email="csm2@vendor.example" | .deal.crm_id="CRM-OTHER"' $D/acme-complete.json >"$T/other.json"
expect "add the own handoff" 0 $H add "$T/own.json" --json
OWN=$(jq -r .id "$T/out")
expect "add the other handoff" 0 $H add "$T/other.json" --json
OTHER=$(jq -r .id "$T/out")
expect "a second handoff for a deal is refused" 73 $H add "$T/own.json"
contains "the refusal names the first" "$T/err" "already has a handoff: handoff $OWN"
expect "the CSM is filled from the user record" 0 $H show "$OWN" --json
if [ "$(jq -r .document.team.csm.capacity "$T/out")" = 20 ] && [ "$(jq -r .document.team.csm.accounts "$T/out")" = 0 ]; then
    ok "team.csm capacity and accounts come from the CSM's record"
else
    bad "team.csm from the record" "$(jq -c .document.team.csm "$T/out")"
fi

email_of() {
    case $1 in
    ae) echo ae1@vendor.example ;; sm) echo sm1@vendor.example ;; csm) echo csm1@vendor.example ;;
    csmgr) echo csmgr1@vendor.example ;; revops) echo ops@vendor.example ;; viewer) echo viewer1@vendor.example ;;
    esac
}
exit_of() { case $1 in ok) echo 0 ;; forbidden) echo 77 ;; refused) echo 69 ;; *) echo "?" ;; esac; }
i=0
grep -v '^#' "$MATRIX" | while read -r action role which outcome; do
    [ -n "$action" ] || continue
    i=$((i + 1))
    if [ "$which" = own ]; then id=$OWN; else id=$OTHER; fi
    as=$(email_of "$role")
    case $action in
    edit) set -- edit "$id" --set "scope.customizations=edit $i by $role" ;;
    sales) set -- transition "$id" held ;;
    review) set -- transition "$id" accepted ;;
    complete) set -- transition "$id" completed ;;
    preclose) set -- approve "$id" ;;
    esac
    $H "$@" --as "$as" >"$T/out" 2>"$T/err"
    rc=$?
    want=$(exit_of "$outcome")
    if [ "$rc" = "$want" ]; then ok "$action as $role ($which): $outcome"; else bad "$action as $role ($which)" "exit $rc, expected $want ($outcome)" "$(cat "$T/err")"; fi
done >"$T/cells"
cat "$T/cells"
n=$((n + $(grep -c '^ok ' "$T/cells"))) fails=$((fails + $(grep -c '^not ok ' "$T/cells")))
[ "$(grep -c . "$T/cells")" -ge 60 ] && ok "every cell of the matrix was walked" || bad "cells walked" "$(grep -c . "$T/cells")"
expect "an unknown --as is refused" 66 $H show "$OWN" --as nobody@vendor.example
expect "a disabled account cannot act" 0 $H user set viewer1@vendor.example --disable
expect "the disabled account is refused" 77 $H show "$OWN" --as viewer1@vendor.example

# ---- the guarded lifecycle ----
jq '.deal.crm_id="CRM-GATE" | .deal.owner.email="ae1@vendor.example" | del(.team, .review) | .customer.industry=null' $D/acme-complete.json >"$T/gate.json"
expect "a rep adds an incomplete handoff" 0 $H add "$T/gate.json" --as ae1@vendor.example --json
G=$(jq -r .id "$T/out")
expect "submitting with the document incomplete is refused" 69 $H transition "$G" submitted --as ae1@vendor.example
contains "the refusal names the blocker" "$T/err" "not complete enough"
expect "a rep cannot override the gate" 77 $H transition "$G" submitted --as ae1@vendor.example --override "the customer will send it"
expect "RevOps overrides with a reason" 0 $H transition "$G" submitted --as ops@vendor.example --override "industry confirmed by phone; the CRM field is late"
expect "the history keeps the override" 0 $H history "$G" --json
if jq -e '.transitions[-1].override == "industry confirmed by phone; the CRM field is late"' "$T/out" >/dev/null; then ok "override on the transition"; else bad "override in history" "$(jq -c .transitions "$T/out")"; fi
expect "scheduling without a CSM or a meeting is refused" 69 $H transition "$G" scheduled --as ae1@vendor.example
contains "both blockers are named" "$T/err" "no CSM is assigned"
expect "the CS manager assigns automatically" 0 $H assign "$G" --auto --as csmgr1@vendor.example
contains "the least-loaded CSM of the segment gets it" "$T/out" "csm"
expect "a CSM at capacity is refused" 0 $H user set csm2@vendor.example --capacity 1
expect "assigning a CSM at capacity needs an override" 69 $H assign "$OWN" csm2@vendor.example --as csmgr1@vendor.example
contains "capacity is the reason" "$T/err" "at capacity"

# ---- protocol versions: pinned at T0 ----
expect "show before a new version" 0 $H show "$OWN" --json --now 2026-11-20T00:00:00Z
DUE_BEFORE=$(jq -r '.evaluation.sla[] | select(.activity == "kickoff_held") | .due' "$T/out")
PROTO_BEFORE=$(jq -r .protocol "$T/out")
cat >"$T/p2027.json" <<'JSON'
{"version": "2027.1", "effective": "2026-01-01",
 "sla": [{"activity": "handoff_started", "hours": 12}, {"activity": "meeting_held", "hours": 24},
         {"activity": "kickoff_held", "days": 20}]}
JSON
expect "a viewer cannot install a protocol" 77 $H protocol install "$T/p2027.json" --as viewer1@vendor.example
expect "install 2027.1" 0 $H protocol install "$T/p2027.json"
expect "installing it again is refused" 73 $H protocol install "$T/p2027.json"
expect "show after the new version" 0 $H show "$OWN" --json --now 2026-11-20T00:00:00Z
if [ "$(jq -r '.evaluation.sla[] | select(.activity == "kickoff_held") | .due' "$T/out")" = "$DUE_BEFORE" ] && [ "$(jq -r .protocol "$T/out")" = "$PROTO_BEFORE" ]; then
    ok "an old handoff keeps its version and its due times"
else
    bad "old handoff keeps its due times" "$(jq -c '[.protocol, .evaluation.sla]' "$T/out")"
fi
jq '.deal.crm_id="CRM-NEW" | .deal.contract_signed_at="2026-11-10T10:00:00Z"' "$T/own.json" >"$T/new.json"
expect "a handoff signed after 2027.1 is effective" 0 $H add "$T/new.json" --json
NEW=$(jq -r .id "$T/out")
if [ "$(jq -r .protocol "$T/out")" = 2027.1 ]; then ok "the new handoff is pinned to 2027.1"; else bad "new handoff's version" "$(cat "$T/out")"; fi
expect "show the new handoff" 0 $H show "$NEW" --json
if [ "$(jq -r '.evaluation.sla[] | select(.activity == "kickoff_held") | .due' "$T/out")" = 2026-11-30T10:00:00Z ]; then ok "its due times follow 2027.1"; else bad "2027.1 due" "$(jq -c .evaluation.sla "$T/out")"; fi
expect "protocol list" 0 $H protocol list --json
if [ "$(jq -r '.items[] | select(.version == "2027.1") | .handoffs' "$T/out")" = 1 ]; then ok "list counts the handoffs 2027.1 governs"; else bad "protocol list" "$(cat "$T/out")"; fi
expect "a rep cannot re-pin" 77 $H protocol pin "$OWN" 2027.1 --as ae1@vendor.example
expect "RevOps re-pins an open handoff" 0 $H protocol pin "$OWN" 2027.1 --as ops@vendor.example
expect "the re-pin is in the history" 0 $H history "$OWN" --json
if jq -e '.protocol_pins[-1].version == "2027.1"' "$T/out" >/dev/null; then ok "re-pin recorded"; else bad "re-pin recorded" "$(cat "$T/out")"; fi
expect "gate by CRM id" 0 $H gate CRM-OTHER --json
if jq -e '.handoff_id and (.blockers | type == "array")' "$T/out" >/dev/null; then ok "the gate answers with its blockers"; else bad "gate" "$(cat "$T/out")"; fi

tap_end
