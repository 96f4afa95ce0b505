#!/bin/sh
# Integration test of handoffd over HTTP: starts the real server on an ephemeral port
# against a temporary database (SQLite, and PostgreSQL when HANDOFF_TEST_PG is set), then
# walks the authorization matrix — every route x every role x own/other record — and the
# protocol details (ETag/If-Match, problem+json, limits, CSRF, tokens). TAP output.
#
#   HANDOFF_BUILD=build sh tests/integration/test_api.sh [sqlite|sqlite-group|postgresql]
#   (sqlite-group: the server with --group-commit)
set -u
B=${HANDOFF_BUILD:-build}
D=tests/data/evaluate
T=$(mktemp -d)
PID=
SCHEMA=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    [ -n "$SCHEMA" ] && psql "$HANDOFF_TEST_PG" -q -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1
    rm -rf "$T"
}
trap cleanup EXIT
. tests/lib/tap.sh

backend=${1:-sqlite}
if [ "$backend" = postgresql ]; then
    [ -n "${HANDOFF_TEST_PG:-}" ] || { echo "not ok 1 - HANDOFF_TEST_PG is not set"; echo "1..1"; exit 1; }
    # a schema of its own, dropped at exit: the test never touches other tables of the
    # database it is given
    SCHEMA=handoff_api_test_$$
    psql "$HANDOFF_TEST_PG" -q -c "CREATE SCHEMA $SCHEMA" >/dev/null 2>&1 ||
        { echo "not ok 1 - cannot create a schema in the PostgreSQL database"; echo "1..1"; exit 1; }
    case "$HANDOFF_TEST_PG" in *\?*) sep='&' ;; *) sep='?' ;; esac
    DB="$HANDOFF_TEST_PG${sep}options=-csearch_path%3D$SCHEMA"
else
    DB="sqlite:$T/api.db"
fi
EXTRA=
# SQLite runs the group commit by default: "sqlite" tests each write committing on its own
[ "$backend" = sqlite ] && EXTRA=--group-commit=false
[ "$backend" = sqlite-group ] && EXTRA=--group-commit

HANDOFF_ADMIN_PASSWORD=correct-horse-battery "$B/handoffd" --db "$DB" --create-admin admin@vendor.example >/dev/null ||
    { echo "not ok 1 - cannot create the admin"; echo "1..1"; exit 1; }
"$B/handoffd" --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" --quiet --rate 0 --max-body 65536 $EXTRA 2>"$T/server.log" &
PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$T/port" ] || { echo "not ok 1 - server did not start"; cat "$T/server.log"; echo "1..1"; exit 1; }
URL="http://127.0.0.1:$(cat "$T/port")"

# req METHOD PATH [BODY [extra curl args...]]: sets $status, body in $T/body
req() {
    m=$1; p=$2; shift 2
    body=
    if [ $# -gt 0 ]; then body=$1; shift; fi
    if [ -n "$body" ]; then
        status=$(curl -s -o "$T/body" -w '%{http_code}' -X "$m" -H 'Content-Type: application/json' --data-binary "$body" "$@" "$URL$p")
    else
        status=$(curl -s -o "$T/body" -w '%{http_code}' -X "$m" "$@" "$URL$p")
    fi
}
check() { # name expected
    if [ "$status" = "$2" ]; then ok "$1"; else bad "$1" "status $status, expected $2" "$(head -c 300 "$T/body")"; fi
}

# ---- bootstrap: admin session, teams, users, tokens ----
req POST /api/v1/session '{"email":"admin@vendor.example","password":"correct-horse-battery"}' -c "$T/admin.jar"
check "admin logs in" 201
CSRF=$(jq -r .csrf_token "$T/body")
admin() { # METHOD PATH [BODY [curl args]]
    am=$1; ap=$2; shift 2
    ab=
    if [ $# -gt 0 ]; then ab=$1; shift; fi
    req "$am" "$ap" "$ab" -b "$T/admin.jar" -H "X-CSRF-Token: $CSRF" "$@"
}

admin POST /api/v1/teams '{"name":"Sales East","kind":"sales"}'; SALES_A=$(jq -r .id "$T/body")
admin POST /api/v1/teams '{"name":"Sales West","kind":"sales"}'; SALES_B=$(jq -r .id "$T/body")
admin POST /api/v1/teams '{"name":"CS North","kind":"cs"}'; CS_X=$(jq -r .id "$T/body")
admin POST /api/v1/teams '{"name":"CS South","kind":"cs"}'; CS_Y=$(jq -r .id "$T/body")
check "teams created" 201
if [ "$(printf '%s\n' "$SALES_A" "$SALES_B" "$CS_X" "$CS_Y" | grep -c '^[1-9][0-9]*$')" = 4 ] &&
    [ "$(printf '%s\n' "$SALES_A" "$SALES_B" "$CS_X" "$CS_Y" | sort -u | wc -l)" = 4 ]; then
    ok "teams have four distinct ids"
else
    bad "teams have four distinct ids" "got: $SALES_A $SALES_B $CS_X $CS_Y"
fi

# users.want: what each user must be, "email name role team_id capacity active"
: >"$T/users.want"
mkuser() { # email role team
    admin POST /api/v1/users "{\"email\":\"$1\",\"name\":\"$1\",\"role\":\"$2\",\"team_id\":$3,\"password\":\"password-$2-123\",\"capacity\":20}"
    want="$1 $1 $2 $3 20 true"
    echo "$want" >>"$T/users.want"
    got=$(jq -r '"\(.email) \(.name) \(.role) \(.team_id) \(.capacity) \(.active)"' "$T/body" 2>/dev/null)
    if [ "$status" = 201 ] && [ "$got" = "$want" ]; then
        ok "create user $1: 201 with what was sent"
    else
        bad "create user $1: 201 with what was sent" "status $status" "got:      $got" "expected: $want"
    fi
}
mkuser ae1@vendor.example account_executive "$SALES_A"
mkuser ae2@vendor.example account_executive "$SALES_B"
mkuser sm1@vendor.example sales_manager "$SALES_A"
mkuser csm1@vendor.example csm "$CS_X"
mkuser csm2@vendor.example csm "$CS_Y"
mkuser csmgr1@vendor.example cs_manager "$CS_X"
mkuser viewer1@vendor.example viewer null
# and the list holds exactly them (besides the administrator), as stored
admin GET /api/v1/users
jq -r '.items[] | select(.email != "admin@vendor.example")
       | "\(.email) \(.name) \(.role) \(.team_id) \(.capacity) \(.active)"' "$T/body" 2>/dev/null |
    sort >"$T/users.got"
sort "$T/users.want" >"$T/users.want.sorted"
if [ "$status" = 200 ] && [ "$(wc -l <"$T/users.got")" -eq 7 ] &&
    diff "$T/users.want.sorted" "$T/users.got" >"$T/users.diff"; then
    ok "users created: the list has each one's name, role, team, capacity"
else
    bad "users created: the list has each one's name, role, team, capacity" "status $status" \
        "$(cat "$T/users.diff" 2>/dev/null)" "$(head -c 300 "$T/body")"
fi

# a bearer token with read+write for each user, made through their own session
token_for() { # email password -> prints token
    curl -s -c "$T/u.jar" -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" "$URL/api/v1/session" >"$T/login"
    c=$(jq -r .csrf_token "$T/login")
    curl -s -b "$T/u.jar" -H "X-CSRF-Token: $c" -H 'Content-Type: application/json' -d '{"name":"test","scopes":"read write"}' "$URL/api/v1/tokens" | jq -r .token
}
TOK_ae=$(token_for ae1@vendor.example password-account_executive-123)
TOK_sm=$(token_for sm1@vendor.example password-sales_manager-123)
TOK_csm=$(token_for csm1@vendor.example password-csm-123)
TOK_csmgr=$(token_for csmgr1@vendor.example password-cs_manager-123)
TOK_viewer=$(token_for viewer1@vendor.example password-viewer-123)
curl -s -b "$T/admin.jar" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' -d '{"name":"admin","scopes":"read write"}' "$URL/api/v1/tokens" >"$T/tok"
TOK_revops=$(jq -r .token "$T/tok")
ADMIN_TOKEN_ID=$(jq -r .id "$T/tok")
for r in ae sm csm csmgr viewer revops; do
    eval "t=\$TOK_$r"
    case "$t" in hf_*) ok "token for $r" ;; *) bad "token for $r" "got '$t'" ;; esac
done

# two handoffs: OWN (ae1 / csm1) and OTHER (ae2 / csm2)
doc_for() { # owner csm crm (an empty csm: no CS team yet, as sales creates it)
    if [ -n "$2" ]; then
        jq -c --arg o "$1" --arg c "$2" --arg crm "$3" '.deal.owner.email=$o | .team.csm.email=$c | .deal.crm_id=$crm' "$D/acme-complete.json"
    else
        jq -c --arg o "$1" --arg crm "$3" '.deal.owner.email=$o | del(.team, .review) | .deal.crm_id=$crm' "$D/acme-complete.json"
    fi
}
admin POST /api/v1/handoffs "$(doc_for ae1@vendor.example csm1@vendor.example CRM-OWN)"
check "create the own handoff" 201
OWN=$(jq -r .id "$T/body")
admin POST /api/v1/handoffs "$(doc_for ae2@vendor.example csm2@vendor.example CRM-OTHER)"
OTHER=$(jq -r .id "$T/body")

as() { # role METHOD PATH [BODY] [curl args]
    r=$1; shift
    eval "tk=\$TOK_$r"
    m=$1; p=$2; shift 2
    b=
    if [ $# -gt 0 ]; then b=$1; shift; fi
    req "$m" "$p" "$b" -H "Authorization: Bearer $tk" "$@"
}
version_of() {
    curl -s -H "Authorization: Bearer $TOK_revops" "$URL/api/v1/handoffs/$1" | jq -r .version
}

# ---- the matrix ----
# role  own-answer other-answer, per write action; reads are open to every role
ROLES="ae sm csm csmgr viewer revops"
MATRIX=tests/data/authz/handoff-actions.txt
expect_cell() { # action role which -> expected status, from the table the CLI test shares
    o=$(awk -v a="$1" -v r="$2" -v w="$3" '$1 == a && $2 == r && $3 == w { print $4 }' "$MATRIX")
    case "$o" in ok) echo 200 ;; forbidden) echo 403 ;; refused) echo 409 ;; *) echo "no cell $1 $2 $3" ;; esac
}
i=0
for r in $ROLES; do
    for w in own other; do
        if [ $w = own ]; then id=$OWN; else id=$OTHER; fi
        for path in "/api/v1/handoffs/$id" "/api/v1/handoffs/$id/evaluation" "/api/v1/handoffs/$id/history" \
            "/api/v1/handoffs/$id/versions/1" "/api/v1/handoffs/$id/diff?from=1&to=1" "/api/v1/handoffs/$id/checklists"; do
            as $r GET "$path"; check "GET $path as $r ($w)" 200
        done
        i=$((i + 1))
        v=$(version_of $id)
        as $r PATCH "/api/v1/handoffs/$id/document" "{\"scope\":{\"customizations\":\"edit $i by $r\"}}" -H "If-Match: \"$v\""
        check "PATCH document as $r ($w)" "$(expect_cell edit $r $w)"
        v=$(version_of $id)
        as $r PUT "/api/v1/handoffs/$id/meeting" "$(jq -c .meeting "$D/acme-complete.json")" -H "If-Match: \"$v\""
        e=$(expect_cell edit $r $w)
        check "PUT meeting as $r ($w)" "$e"
        v=$(version_of $id)
        as $r PUT "/api/v1/handoffs/$id/document" "$(doc_for "$(curl -s -H "Authorization: Bearer $TOK_revops" "$URL/api/v1/handoffs/$id" | jq -r .owner_email)" "$(curl -s -H "Authorization: Bearer $TOK_revops" "$URL/api/v1/handoffs/$id" | jq -r .csm_email)" CRM-X | jq -c ".scope.customizations=\"put $i\"")" -H "If-Match: \"$v\""
        check "PUT document as $r ($w)" "$(expect_cell edit $r $w)"
        as $r POST "/api/v1/handoffs/$id/transitions" '{"to":"held"}'
        check "transition held as $r ($w)" "$(expect_cell sales $r $w)"
        as $r POST "/api/v1/handoffs/$id/review" '{"decision":"accepted"}'
        check "review as $r ($w)" "$(expect_cell review $r $w)"
        as $r POST "/api/v1/handoffs/$id/transitions" '{"to":"completed"}'
        check "transition completed as $r ($w)" "$(expect_cell complete $r $w)"
        as $r POST "/api/v1/handoffs/$id/pre-close-approval"
        check "pre-close approval as $r ($w)" "$(expect_cell preclose $r $w)"
    done
    # record-independent routes
    for path in /api/v1/me /api/v1/protocol /api/v1/handoffs /api/v1/users /api/v1/users/1 /api/v1/teams /api/v1/csms /api/v1/tokens /api/v1/gate/CRM-OWN /api/v1/deals /api/v1/deals/1; do
        as $r GET "$path"; check "GET $path as $r" 200
    done
    as $r POST /api/v1/evaluate "$(cat $D/messy.json)"
    check "POST evaluate as $r" 200
    case $r in revops) own_email=admin@vendor.example ;; *) own_email=${r}1@vendor.example ;; esac
    as $r POST /api/v1/handoffs "$(doc_for "$own_email" "" "CRM-NEW-$r")"
    case $r in ae | sm | revops) e=201 ;; *) e=403 ;; esac
    check "POST handoffs (own deal) as $r" $e
    as $r POST /api/v1/handoffs "$(doc_for ae2@vendor.example csm1@vendor.example "CRM-NEW2-$r")"
    case $r in revops) e=201 ;; *) e=403 ;; esac
    check "POST handoffs (someone else's deal) as $r" $e
    as $r POST /api/v1/users "{\"email\":\"new-$r@vendor.example\",\"role\":\"viewer\"}"
    case $r in revops) e=201 ;; *) e=403 ;; esac
    check "POST users as $r" $e
    as $r POST /api/v1/teams '{"name":"T","kind":"cs"}'
    case $r in revops) e=201 ;; *) e=403 ;; esac
    check "POST teams as $r" $e
    as $r POST /api/v1/tokens '{"name":"extra","scopes":"read"}'
    check "POST tokens with a token as $r: 403 (sessions make tokens)" 403
    as $r DELETE "/api/v1/tokens/$ADMIN_TOKEN_ID"
    case $r in revops) e=409 ;; *) e=403 ;; esac
    [ $r = revops ] && e=204
    check "DELETE someone else's token as $r" $e
    [ $r = revops ] && break
done

# ---- concurrent writes: each is applied once, none that named no version is refused ----
# (in both server modes: the group commit makes the apply steps of concurrent writes share
# one transaction; without it each commits alone)
race() { # N NAME METHOD PATH BODY [curl args]: N requests at once (@K@ in BODY: 1..N); statuses in $T/race.*
    rn=$1; rname=$2; rm=$3; rp=$4; rb=$5; shift 5
    rm -f "$T"/race.*
    pids=
    for k in $(seq 1 "$rn"); do
        curl -s -o "$T/race.body.$k" -w '%{http_code}\n' -X "$rm" -b "$T/admin.jar" -H "X-CSRF-Token: $CSRF" \
            -H 'Content-Type: application/json' --data-binary "$(echo "$rb" | sed "s/@K@/$k/g")" "$@" "$URL$rp" >"$T/race.$k" &
        pids="$pids $!"
    done
    wait $pids
    cat "$T"/race.[0-9]* | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}' | sed 's/ $//'
}
admin POST /api/v1/handoffs "$(doc_for admin@vendor.example csm1@vendor.example CRM-RACE)"
check "create the raced handoff" 201
RACE=$(jq -r .id "$T/body")
vof() { curl -s -b "$T/admin.jar" "$URL/api/v1/handoffs/$1" | jq -r .version; }
v0=$(vof "$RACE")
got=$(race 24 patch PATCH "/api/v1/handoffs/$RACE/document" '{"scope":{"customizations":"race @K@"}}' -H 'If-Match: *')
[ "$got" = "24×200" ] && ok "24 PATCHes at once with If-Match: * all succeed" || bad "24 PATCHes with If-Match: *" "$got"
v1=$(vof "$RACE")
[ "$v1" = $((v0 + 24)) ] && ok "24 PATCHes at once wrote 24 versions" || bad "versions after 24 PATCHes" "$v0 -> $v1"
ver=$(curl -s -o /dev/null -D - -b "$T/admin.jar" "$URL/api/v1/handoffs/$RACE" | tr -d '\r' | awk 'tolower($1) == "etag:" {print $2}')
got=$(race 8 patch PATCH "/api/v1/handoffs/$RACE/document" '{"scope":{"customizations":"named @K@"}}' -H "If-Match: $ver")
[ "$got" = "1×200 7×412" ] && ok "8 PATCHes at once naming the same version: one wins, 7 get 412" || bad "8 PATCHes naming $ver" "$got"
[ "$(vof "$RACE")" = $((v1 + 1)) ] && ok "the 7 refused PATCHes wrote nothing" || bad "versions after the named race" "$(vof "$RACE")"
got=$(race 16 create POST /api/v1/handoffs "$(doc_for admin@vendor.example "" CRM-RACE-NEW-@K@)")
[ "$got" = "16×201" ] && ok "16 creations of new deals at once all succeed" || bad "16 creations at once" "$got"
n_ids=$(cat "$T"/race.body.* | jq -r .id | sort -u | wc -l)
[ "$n_ids" = 16 ] && ok "16 creations at once made 16 handoffs" || bad "handoffs made by 16 creations" "$n_ids"
got=$(race 8 create POST /api/v1/handoffs "$(doc_for admin@vendor.example "" CRM-RACE-SAME)")
[ "$got" = "1×201 7×409" ] && ok "8 creations for one deal at once: one handoff, 7 conflicts" || bad "8 creations for one deal" "$got"

# one transaction, one commit, per operation (the group commit adds a savepoint's release)
if [ "$backend" != sqlite-group ]; then
    commits() { curl -s "$URL/metrics" | awk '$1 == "handoff_store_operations_total{op=\"commit\"}" {print $2}'; }
    c0=$(commits)
    admin POST /api/v1/handoffs "$(doc_for admin@vendor.example "" CRM-ONE-COMMIT)"
    check "create for the commit count" 201
    c1=$(commits)
    admin PATCH "/api/v1/handoffs/$(jq -r .id "$T/body")/document" '{"scope":{"customizations":"one commit"}}' -H 'If-Match: *'
    check "patch for the commit count" 200
    c2=$(commits)
    [ "$((c1 - c0)) $((c2 - c1))" = "1 1" ] && ok "a creation (deal + handoff) and a patch commit once each" ||
        bad "commits per operation" "create: $((c1 - c0)), patch: $((c2 - c1))"
fi

# ---- protocol details ----
req GET /api/v1/handoffs; check "no credentials: 401" 401
if jq -e '.type and .title and .status == 401' "$T/body" >/dev/null; then ok "401 is problem+json"; else bad "401 is problem+json"; fi
req GET /api/v1/handoffs "" -H "Authorization: Bearer hf_000000000000_nope"; check "unknown token: 401" 401
req GET /api/v1/handoffs "" -H "Authorization: Basic Zm9vOmJhcg=="; check "basic auth refused: 401" 401
# the admin token was revoked by the matrix walk above
req GET /api/v1/handoffs "" -H "Authorization: Bearer $TOK_revops"; check "revoked token: 401" 401
admin GET /api/v1/handoffs/$OWN
check "session read" 200
ETAG=$(curl -s -D - -o /dev/null -b "$T/admin.jar" "$URL/api/v1/handoffs/$OWN" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
req PATCH "/api/v1/handoffs/$OWN/document" '{"churn_risk":"high"}' -b "$T/admin.jar" -H "If-Match: $ETAG"
check "session write without CSRF token: 403" 403
admin PATCH "/api/v1/handoffs/$OWN/document" '{"churn_risk":"high"}'
check "write without If-Match: 428" 428
admin PATCH "/api/v1/handoffs/$OWN/document" '{"churn_risk":"high"}' -H "If-Match: $ETAG"
check "write with the current ETag: 200" 200
admin PATCH "/api/v1/handoffs/$OWN/document" '{"churn_risk":"low"}' -H "If-Match: $ETAG"
check "stale ETag: 412" 412
NEW=$(curl -s -D - -o /dev/null -b "$T/admin.jar" "$URL/api/v1/handoffs/$OWN" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
admin PATCH "/api/v1/handoffs/$OWN/document" '{"meeting":{"held_at":"tomorrow"}}' -H "If-Match: $NEW"
check "invalid document: 422" 422
if [ "$(jq -r .field "$T/body")" = meeting.held_at ]; then ok "422 names the field path"; else bad "422 names the field path" "$(cat "$T/body")"; fi
admin PATCH "/api/v1/handoffs/$OWN/document" '{"churn_risk":' -H "If-Match: $NEW"
check "malformed JSON: 400" 400
status=$(curl -s -o "$T/body" -w '%{http_code}' -X PATCH --data-binary 'x=1' -b "$T/admin.jar" -H "X-CSRF-Token: $CSRF" -H "If-Match: $NEW" -H 'Content-Type: text/plain' "$URL/api/v1/handoffs/$OWN/document")
check "wrong media type: 415" 415
admin GET /api/v1/handoffs/999999; check "missing handoff: 404" 404
admin POST /api/v1/handoffs "$(doc_for ae1@vendor.example csm1@vendor.example CRM-OWN)"
check "a second handoff for the same deal: 409" 409
NEW=$(curl -s -D - -o /dev/null -b "$T/admin.jar" "$URL/api/v1/handoffs/$OWN" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
as ae PATCH "/api/v1/handoffs/$OWN/document" '{"deal":{"pre_close_approved_by":"Me"}}' -H "If-Match: $NEW"
check "a rep cannot approve their own pre-close handoff: 403" 403
if [ "$(jq -r .field "$T/body")" = deal.pre_close_approved_by ]; then ok "403 names the protected field"; else bad "protected field" "$(cat "$T/body")"; fi
as ae PATCH "/api/v1/handoffs/$OWN/document" '{"review":null}' -H "If-Match: $NEW"
check "a rep cannot erase the review history: 403" 403
admin GET "/api/v1/handoffs/$OWN/evaluation?now=yesterday"; check "unparsable ?now: 400" 400
status=$(curl -s -o "$T/body" -w '%{http_code}' -H 'Content-Type: text/plain' --data-binary '{"email":"admin@vendor.example","password":"correct-horse-battery"}' "$URL/api/v1/session")
check "login from a text/plain form: 415" 415
curl -s -b "$T/admin.jar" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' -d '{"name":"w","scopes":"write"}' "$URL/api/v1/tokens" >"$T/tok"
req GET /api/v1/handoffs "" -H "Authorization: Bearer $(jq -r .token "$T/tok")"
check "a write-only token cannot read: 403" 403
admin POST /api/v1/tokens '{"name":"empty","scopes":""}'; check "a token without scopes: 422" 422
admin DELETE /api/v1/handoffs; check "wrong method: 405" 405
admin GET /api/v1/nothing; check "unknown route: 404" 404
big=$(head -c 70000 /dev/zero | tr '\0' 'a')
admin POST /api/v1/evaluate "{\"x\":\"$big\"}"; check "body over the limit: 413" 413
admin POST "/api/v1/handoffs/$OWN/transitions" '{"to":"submitted"}'; check "submit" 200
admin POST "/api/v1/handoffs/$OWN/transitions" '{"to":"completed"}'; check "illegal transition: 409" 409
if jq -r .detail "$T/body" | grep -q 'allowed from "submitted"'; then ok "409 names the allowed states"; else bad "409 names the allowed states" "$(cat "$T/body")"; fi
admin POST "/api/v1/handoffs/$OWN/transitions" '{"to":"scheduled"}'; check "schedule" 200
admin POST "/api/v1/handoffs/$OWN/transitions" '{"to":"held"}'; check "hold" 200
admin POST "/api/v1/handoffs/$OWN/review" '{"decision":"rejected"}'; check "a rejection without a reason: 422" 422
admin POST "/api/v1/handoffs/$OWN/review" '{"decision":"rejected","reasons":["info_gaps"],"comment":"ROI missing"}'; check "reject" 200
admin POST "/api/v1/handoffs/$OWN/review" '{"decision":"rejected","reasons":["bogus"]}'; check "unknown reason: 422" 422
admin GET "/api/v1/handoffs/$OWN/evaluation"
if jq -e '.sla[-1].activity == "revision"' "$T/body" >/dev/null; then ok "a rejection adds the revision SLA"; else bad "revision SLA" "$(jq -c .sla "$T/body")"; fi
admin GET "/api/v1/handoffs?limit=1"
NEXT=$(jq -r .next_cursor "$T/body")
if [ "$(jq '.items | length' "$T/body")" = 1 ] && [ "$NEXT" != null ]; then ok "cursor pagination gives a next cursor"; else bad "cursor" "$(cat "$T/body")"; fi
admin GET "/api/v1/handoffs?limit=1&cursor=$NEXT"
if [ "$(jq -r '.items[0].id' "$T/body")" -gt "$NEXT" ]; then ok "next page starts after the cursor"; else bad "next page" "$(cat "$T/body")"; fi
admin GET "/api/v1/handoffs?limit=0"; check "bad limit: 400" 400
admin GET "/api/v1/deals?limit=1"
if [ "$(jq '.items | length' "$T/body")" = 1 ] && [ "$(jq -r .next_cursor "$T/body")" != null ] && [ "$(jq -r '.items[0].crm_id' "$T/body")" = CRM-OWN ]; then ok "deals list pages by cursor"; else bad "deals list" "$(cat "$T/body")"; fi
# users: RevOps changes a role; the CLI bootstraps tokens the server accepts
admin PATCH /api/v1/users/2 '{"capacity":30,"role":"sales_manager"}'
check "PATCH a user as RevOps" 200
if [ "$(jq -r .role "$T/body")" = sales_manager ] && [ "$(jq -r .capacity "$T/body")" = 30 ]; then ok "user changes are kept"; else bad "user changes" "$(cat "$T/body")"; fi
as viewer PATCH /api/v1/users/2 '{"role":"revops"}'
check "PATCH a user as a viewer: 403" 403
CLI_TOKEN=$("$B/handoff" token create --db "$DB" --user csmgr1@vendor.example --scopes "gate" 2>/dev/null)
req GET /api/v1/gate/CRM-OWN "" -H "Authorization: Bearer $CLI_TOKEN"
check "a token made by 'handoff token create' opens the close gate" 200
req GET /api/v1/handoffs "" -H "Authorization: Bearer $CLI_TOKEN"
check "a gate-only token cannot list handoffs: 403" 403

# ---- the guarded lifecycle: blockers, overrides ----
jq -c '.deal.owner.email="ae1@vendor.example" | .deal.crm_id="CRM-GATE" | del(.team, .review) | .customer.industry=null' "$D/acme-complete.json" >"$T/gate.json"
as ae POST /api/v1/handoffs "$(cat "$T/gate.json")"; check "a rep creates an incomplete handoff" 201
GATE=$(jq -r .id "$T/body")
as ae POST "/api/v1/handoffs/$GATE/transitions" '{"to":"submitted"}'
check "submitting with blockers: 409" 409
if jq -e '.blockers == ["docs.incomplete"]' "$T/body" >/dev/null; then ok "the refusal lists the blocker ids"; else bad "blockers listed" "$(cat "$T/body")"; fi
as ae POST "/api/v1/handoffs/$GATE/transitions" '{"to":"submitted","override_reason":"trust me"}'
check "a rep cannot override: 403" 403
admin POST "/api/v1/handoffs/$GATE/transitions" '{"to":"submitted","override_reason":"industry confirmed by phone"}'
check "RevOps overrides with a reason" 200
admin GET "/api/v1/handoffs/$GATE/history"
if jq -e '.transitions[-1].override == "industry confirmed by phone"' "$T/body" >/dev/null; then ok "the override is in the history"; else bad "override in history" "$(cat "$T/body")"; fi
admin POST "/api/v1/handoffs/$GATE/assignment" '{}'
check "the CSM is assigned by capacity" 200
if [ "$(jq -r .csm_email "$T/body")" != null ]; then ok "assignment names a CSM"; else bad "assignment" "$(cat "$T/body")"; fi
admin GET "/api/v1/handoffs?count=true"
if [ "$(jq -r .count "$T/body")" -ge 3 ]; then ok "count=true counts"; else bad "count" "$(cat "$T/body")"; fi

# ---- errors in the language asked for ----
lang_detail() { # curl args... -> "Content-Language|detail"
    curl -s -D "$T/h" -o "$T/body" "$@" >/dev/null
    printf '%s|%s' "$(tr -d '\r' <"$T/h" | awk -F': ' 'tolower($1)=="content-language"{print $2}')" "$(jq -r .detail "$T/body")"
}
EN=$(lang_detail -H "Authorization: Bearer $TOK_ae" "$URL/api/v1/handoffs/999999")
for l in pt-BR es id; do
    got=$(lang_detail -H "Authorization: Bearer $TOK_ae" "$URL/api/v1/handoffs/999999?lang=$l")
    if [ "${got%%|*}" = "$l" ] && [ "${got#*|}" != "${EN#*|}" ] && [ -n "${got#*|}" ]; then ok "?lang=$l: 404 answered in $l"; else bad "?lang=$l" "$got" "english: $EN"; fi
done
got=$(lang_detail -H "Authorization: Bearer $TOK_ae" -H "Accept-Language: es-MX,es;q=0.9" "$URL/api/v1/handoffs/999999")
if [ "${got%%|*}" = es ] && [ "${got#*|}" != "${EN#*|}" ]; then ok "Accept-Language: es answers in Spanish"; else bad "Accept-Language" "$got"; fi
got=$(lang_detail -H "Authorization: Bearer $TOK_ae" -H 'Content-Type: application/json' -X POST --data-binary '{"to":"submitted"}' "$URL/api/v1/handoffs/$GATE/transitions?lang=pt-BR")
if [ "${got%%|*}" = pt-BR ] && ! printf '%s' "$got" | grep -q 'cannot move'; then ok "a refused move names the blockers in pt-BR"; else bad "refusal in pt-BR" "$got"; fi
admin PATCH /api/v1/users/3 '{"lang":"id"}'; check "a user saves a language" 200
AE2=$(jq -r .email "$T/body")
req POST /api/v1/session "{\"email\":\"$AE2\",\"password\":\"password-account_executive-123\"}" -c "$T/ae2.jar"
got=$(lang_detail -b "$T/ae2.jar" "$URL/api/v1/handoffs/999999")
if [ "${got%%|*}" = id ]; then ok "the saved language answers ($AE2: id)"; else bad "saved language" "$got"; fi
got=$(lang_detail -b "$T/ae2.jar" "$URL/api/v1/handoffs/999999?lang=es")
if [ "${got%%|*}" = es ]; then ok "?lang= wins over the saved language"; else bad "?lang over saved" "$got"; fi

req DELETE /api/v1/session "" -b "$T/admin.jar"; check "logout" 204
req GET /api/v1/me "" -b "$T/admin.jar"; check "after logout: 401" 401
for k in 1 2 3 4 5; do req POST /api/v1/session '{"email":"ae1@vendor.example","password":"wrong password"}'; done
check "fifth wrong password: 401" 401
req POST /api/v1/session '{"email":"ae1@vendor.example","password":"password-account_executive-123"}'
check "account locked after 5 failures: 429" 429
req GET /healthz; check "healthz" 200
req GET /readyz; check "readyz" 200
req GET /metrics; check "metrics from loopback" 200
if grep -q 'handoff_http_requests_total{route="/api/v1/handoffs/{}/document",method="PATCH",status="412"}' "$T/body"; then ok "metrics count by route and status"; else bad "metrics" "$(head -5 "$T/body")"; fi
if grep -q 'handoff_store_operations_total{op="handoff_get"}' "$T/body" && grep -q 'handoff_http_request_duration_seconds_bucket{le="+Inf"}' "$T/body"; then ok "metrics time store operations and requests"; else bad "store metrics" "$(grep store "$T/body" | head -3)"; fi

# graceful shutdown
kill -TERM "$PID"
if wait "$PID"; then ok "SIGTERM stops the server cleanly"; else bad "SIGTERM exit status"; fi
PID=
grep -q "handoffd: stopped" "$T/server.log" && ok "shutdown is logged" || bad "shutdown is logged" "$(cat "$T/server.log")"

echo "1..$n"
if [ "$fails" -ne 0 ]; then
    echo "# server log:"
    sed 's/^/#   /' "$T/server.log" | head -60
fi
[ "$fails" -eq 0 ]
