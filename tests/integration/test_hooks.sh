#!/bin/sh
# Integration test of the webhook receivers (POST /hooks/{source}/{endpoint-id}) over HTTP:
# the real handoffd on an ephemeral port against a temporary database (SQLite, or
# PostgreSQL when HANDOFF_TEST_PG is set), a fake HubSpot REST API on 127.0.0.1
# (build/tests/fake_hubspot), and requests signed here with the vendors' algorithms
# (build/tests/hook_sign). TAP output.
#
#   HANDOFF_BUILD=build sh tests/integration/test_hooks.sh [sqlite|postgresql]
#
# What it shows: a signed HubSpot closed-won event creates exactly one owned, assigned
# handoff with its T0, delivered three times and five times at once; DocuSign, PandaDoc,
# Salesforce (its acknowledgement byte for byte), Pipedrive and the generic receiver;
# bad and missing signatures, stale timestamps, the wrong organization (401, nothing
# changed); malformed bodies (400, kept with their verdict); bodies too large (413);
# out-of-order events ending as in order; a verbal commit becoming a signed handoff;
# deliveries stored without credentials; unmapped owners fixed by a replay; the API
# (RevOps only, secrets never in an answer); retention pruning.
set -u
B=${HANDOFF_BUILD:-build}
H="$B/handoff"
SIGN="$B/tests/hook_sign"
FX=tests/data/hooks
T=$(mktemp -d)
PID=
FAKE=
SCHEMA=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    [ -n "$FAKE" ] && kill "$FAKE" 2>/dev/null && wait "$FAKE" 2>/dev/null
    [ -n "$SCHEMA" ] && psql "$HANDOFF_TEST_PG" -q -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1
    rm -rf "$T"
}
trap cleanup EXIT
. tests/lib/tap.sh

backend=${1:-sqlite}
if [ "$backend" = postgresql ]; then
    [ -n "${HANDOFF_TEST_PG:-}" ] || { echo "not ok 1 - HANDOFF_TEST_PG is not set"; echo "1..1"; exit 1; }
    SCHEMA=handoff_hooks_test_$$
    psql "$HANDOFF_TEST_PG" -q -c "CREATE SCHEMA $SCHEMA" >/dev/null 2>&1 ||
        { echo "not ok 1 - cannot create a schema in the PostgreSQL database"; echo "1..1"; exit 1; }
    case "$HANDOFF_TEST_PG" in *\?*) sep='&' ;; *) sep='?' ;; esac
    HANDOFF_DB="$HANDOFF_TEST_PG${sep}options=-csearch_path%3D$SCHEMA"
else
    HANDOFF_DB="sqlite:$T/hooks.db"
fi
# the CLI and the server share the database and the key of sealed secrets
HANDOFF_KEY_FILE="$T/secrets.key"
HANDOFF_USER=test
HANDOFF_PUBLIC_URL=https://hooks.example.test
export HANDOFF_DB HANDOFF_KEY_FILE HANDOFF_USER HANDOFF_PUBLIC_URL

fail_early() { echo "not ok 1 - $1"; echo "1..1"; exit 1; }
$H init >/dev/null 2>&1 || fail_early "handoff init"
for u in "ops@vendor.example revops" "rita@vendor.example account_executive" \
    "bob@vendor.example account_executive" "csm1@vendor.example csm" "viewer@vendor.example viewer"; do
    set -- $u
    HANDOFF_PASSWORD=correct-horse-battery $H user add "$1" --role "$2" >/dev/null 2>&1 ||
        fail_early "user add $1"
done
$H user set csm1@vendor.example --capacity 50 >/dev/null 2>&1
TOK_OPS=$($H token create --user ops@vendor.example --scopes "read write" 2>/dev/null)
TOK_VIEWER=$($H token create --user viewer@vendor.example --scopes "read write" 2>/dev/null)
TOK_AE=$($H token create --user rita@vendor.example --scopes "read write" 2>/dev/null)

# ---- the fake HubSpot API: deals and owners in HubSpot's documented shapes ----
mkdir -p "$T/hs/deals" "$T/hs/owners"
hs_deal() { # id name amount owner
    jq --arg id "$1" --arg name "$2" --arg amount "$3" --arg owner "$4" \
        '.id=$id | .properties.hs_object_id=$id | .properties.dealname=$name
         | .properties.amount=$amount | .properties.hubspot_owner_id=$owner
         | .properties.description="Replacing spreadsheets before the audit"' \
        "$FX/hubspot/api-deal.json" >"$T/hs/deals/$1.json"
}
hs_owner() { # id email
    jq --arg id "$2" --arg email "$3" '.id=$id | .email=$email' "$FX/hubspot/api-owner.json" >"$T/hs/owners/$1.json"
}
for d in 7001 7002 7003 7004 7006 7011; do hs_deal $d "Deal $d" 24000.50 501; done
hs_deal 7005 "Deal 7005" 250000 502
jq '.properties.pipeline = "777" | .properties.dealstage = "888"' "$T/hs/deals/7006.json" |
    jq '.id = "7010" | .properties.hs_object_id = "7010" | .properties.dealname = "Deal 7010"' >"$T/hs/deals/7010.json"
hs_owner 501 501 rita@acme-sales.example
hs_owner 502 502 bob@acme-sales.example
"$B/tests/fake_hubspot" --dir "$T/hs" --token pat-test-token --port-file "$T/hs.port" --log "$T/hs.log" &
FAKE=$!
i=0
while [ ! -s "$T/hs.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$T/hs.port" ] || fail_early "the fake HubSpot API did not start"
HS_API="http://127.0.0.1:$(cat "$T/hs.port")"

# ---- integrations, from the command line ----
printf 'hs-client-secret\n' >"$T/hs.secret"
printf 'pat-test-token\n' >"$T/hs.token"
$H integration add hubspot --json --secret-file "$T/hs.secret" --token-file "$T/hs.token" \
    --won-stage closedwon --owner 501=rita@vendor.example --api-base "$HS_API" \
    --segment-rule 'enterprise:amount>=100000' --segment-rule smb \
    --field description=customer.purchase_context >"$T/hs.json" 2>"$T/err"
if [ -s "$T/secrets.key" ] && [ "$(stat -c %a "$T/secrets.key")" = 600 ]; then
    ok "integration add makes the key file, readable by its owner only"
else
    bad "integration add makes the key file, readable by its owner only" "$(cat "$T/err")"
fi
HS_ID=$(jq -r .id "$T/hs.json")
HS_EP=$(jq -r .endpoint_path "$T/hs.json")
case "$(jq -r .endpoint "$T/hs.json")" in
https://hooks.example.test/hooks/hubspot/??????????????????????????) ok "add --json prints the endpoint URL, 128 random bits" ;;
*) bad "add --json prints the endpoint URL, 128 random bits" "$(cat "$T/hs.json")" ;;
esac
lacks "the secret is not printed" "$T/hs.json" hs-client-secret
lacks "the API token is not printed" "$T/hs.json" pat-test-token
DS_EP=$(printf 'ds-connect-key\n' | $H integration add docusign --json 2>/dev/null | jq -r .endpoint_path)
PD_EP=$(printf 'pd-shared-key\n' | $H integration add pandadoc --json --esign-field hubspot_deal 2>/dev/null | jq -r .endpoint_path)
SF_EP=$($H integration add salesforce --json --org-id 00D5e000000K9bQEAS \
    --owner 0055e000003QrStAAK=bob@vendor.example 2>/dev/null | jq -r .endpoint_path)
PIPE_EP=$(printf 'pipe-user:pipe-pass\n' | $H integration add pipedrive --json \
    --owner rita@acme-sales.example=rita@vendor.example 2>/dev/null | jq -r .endpoint_path)
GEN_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
GEN_EP=$(printf '%s\n' "$GEN_SECRET" | $H integration add generic --json 2>/dev/null | jq -r .endpoint_path)
expect "a Salesforce integration without its org id is refused" 65 $H integration add salesforce
expect "a secret on the command line is read as a file name, never as the secret" 66 \
    $H integration add docusign --secret s3cret

# ---- the server ----
# no public URL: the proxy (this test, from 127.0.0.1) says how it was called
env -u HANDOFF_PUBLIC_URL "$B/handoffd" --listen 127.0.0.1:0 --port-file "$T/port" --quiet \
    --rate 0 --trust-proxy 127.0.0.1 2>"$T/server.log" &
PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$T/port" ] || { cat "$T/server.log"; fail_early "server did not start"; }
URL="http://127.0.0.1:$(cat "$T/port")"

# post PATH FILE [curl args]: $status, body in $T/resp, headers in $T/resp.h
post() {
    p=$1; f=$2; shift 2
    status=$(curl -s -o "$T/resp" -D "$T/resp.h" -w '%{http_code}' -X POST --data-binary "@$f" "$@" "$URL$p")
}
check() { if [ "$status" = "$2" ]; then ok "$1"; else bad "$1" "status $status, expected $2" "$(head -c 300 "$T/resp")"; fi; }
# jqtest NAME FILE EXPR: EXPR is true of the JSON in FILE
jqtest() { if jq -e "$3" "$2" >/dev/null 2>&1; then ok "$1"; else bad "$1" "$(head -c 400 "$2")"; fi; }
api() { # METHOD PATH [BODY] -> $status, $T/api
    if [ $# -gt 2 ]; then
        status=$(curl -s -o "$T/api" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOK_OPS" -H 'Content-Type: application/json' --data-binary "$3" "$URL$2")
    else
        status=$(curl -s -o "$T/api" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOK_OPS" "$URL$2")
    fi
}
# the handoff of a CRM deal as the API shows it, with its document; "" when none
handoff_of() {
    id=$(curl -s -H "Authorization: Bearer $TOK_OPS" "$URL/api/v1/gate/$1" | jq -r '.handoff_id // empty')
    if [ -n "$id" ]; then curl -s -H "Authorization: Bearer $TOK_OPS" "$URL/api/v1/handoffs/$id"; fi
}
count_handoffs() { $H list --count 2>/dev/null | grep -o '^[0-9]*'; }
# a HubSpot webhook body: one dealstage change of deal $1 to stage $2, event id $3
hs_body() {
    printf '[{"objectId":%s,"propertyName":"dealstage","propertyValue":"%s","changeSource":"CRM_UI","eventId":%s,"subscriptionId":92894,"portalId":5799819,"appId":186886,"occurredAt":%s000,"subscriptionType":"deal.propertyChange","attemptNumber":0}]' \
        "$1" "$2" "$3" "${4:-1709913600}"
}
# hs_post FILE [TIMESTAMP_MS]: signed with v3 over the URI as the proxy says it was called
hs_post() {
    ts=${2:-$(($(date +%s) * 1000))}
    sig=$("$SIGN" hubspot-sign-v3 hs-client-secret POST "https://hooks.example.test$HS_EP" "$ts" <"$1")
    post "$HS_EP" "$1" -H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' \
        -H 'X-Forwarded-Host: hooks.example.test' -H "X-HubSpot-Signature-v3: $sig" \
        -H "X-HubSpot-Request-Timestamp: $ts"
}
deliveries() { # verdict: how many deliveries of the HubSpot integration have it
    $H integration events --integration "$HS_ID" --limit 500 --json | jq --arg v "$1" '[.items[] | select(.verdict == $v)] | length'
}

# ---- HubSpot: a closed-won deal, delivered three times ----
before=$(count_handoffs)
hs_body 7001 closedwon 1001 >"$T/won7001"
hs_post "$T/won7001"
check "HubSpot closed-won: 200" 200
jqtest "its event created the handoff" "$T/resp" '.verdict == "accepted" and .events == [{"event_id": "1001:1709913600000:7001", "outcome": "handoff_created"}]'
hs_post "$T/won7001"
check "the same event again: 200" 200
contains "the second delivery is a duplicate" "$T/resp" '"outcome":"duplicate"'
hs_post "$T/won7001"
check "and a third time: 200" 200
after=$(count_handoffs)
if [ "$((after - before))" = 1 ]; then ok "three deliveries, exactly one handoff"; else bad "three deliveries, exactly one handoff" "before $before, after $after"; fi
handoff_of 7001 >"$T/h7001"
jqtest "owned by the mapped rep (HubSpot owner 501)" "$T/h7001" '.owner_email == "rita@vendor.example"'
got=$(jq -r '[.owner_email, .csm_email, .status, .trigger, .t0, .segment,
             .document.deal.contract_status, .document.deal.name,
             .document.customer.purchase_context, (.document.timeline.handoff_started_at != null)] | @tsv' "$T/h7001")
want="$(printf 'rita@vendor.example\tcsm1@vendor.example\tdraft\tcontract_signature\t2024-03-08T16:00:00Z\tsmb\tfully_executed\tDeal 7001\tReplacing spreadsheets before the audit\ttrue')"
if [ "$got" = "$want" ]; then ok "owner, CSM by capacity, draft, T0 = the won time, segment, mapped field, started"; else bad "owner, CSM, T0, segment, fields" "got:  $got" "want: $want"; fi
contains "the deal was fetched with the mapped property asked for" "$T/hs.log" "GET /crm/v3/objects/deals/7001 properties=dealname,amount,hubspot_owner_id,closedate,dealstage,pipeline,deal_currency_code,description"
contains "and its owner" "$T/hs.log" "GET /crm/v3/owners/501"
$H history "$(jq -r .id "$T/h7001")" >"$T/hist" 2>&1
contains "history names the source as the author" "$T/hist" hubspot

# ---- five deliveries at once ----
before=$(count_handoffs)
hs_body 7006 closedwon 1006 >"$T/won7006"
for k in 1 2 3 4 5; do
    (
        ts=$(($(date +%s) * 1000))
        sig=$("$SIGN" hubspot-sign-v3 hs-client-secret POST "https://hooks.example.test$HS_EP" "$ts" <"$T/won7006")
        curl -s -o /dev/null -w '%{http_code}\n' -X POST --data-binary "@$T/won7006" -H 'Content-Type: application/json' \
            -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-Host: hooks.example.test' \
            -H "X-HubSpot-Signature-v3: $sig" -H "X-HubSpot-Request-Timestamp: $ts" "$URL$HS_EP" >"$T/conc.$k"
    ) &
done
wait_for() { # the five background requests (not the servers)
    tries=0
    while [ "$(cat "$T"/conc.* 2>/dev/null | grep -c '^200$')" -lt 5 ] && [ $tries -lt 200 ]; do sleep 0.05; tries=$((tries + 1)); done
}
wait_for
if [ "$(cat "$T"/conc.* | grep -c '^200$')" = 5 ]; then ok "five deliveries at once: 200 each"; else bad "five deliveries at once: 200 each" "$(cat "$T"/conc.*)"; fi
after=$(count_handoffs)
if [ "$((after - before))" = 1 ]; then ok "five deliveries at once, exactly one handoff"; else bad "five at once, exactly one handoff" "before $before, after $after"; fi
applied=$($H integration events --integration "$HS_ID" --limit 500 --json |
    jq '[.items[].results[]? | select(.event_id == "1006:1709913600000:7006" and .outcome == "handoff_created")] | length')
if [ "$applied" = 1 ]; then ok "the event was applied once, the four others were duplicates"; else bad "applied once" "applied $applied times"; fi

# ---- bad signatures change nothing ----
before=$(count_handoffs)
rejected_before=$(deliveries rejected)
hs_body 7002 closedwon 1002 >"$T/won7002"
ts=$(($(date +%s) * 1000))
post "$HS_EP" "$T/won7002" -H 'Content-Type: application/json' -H "X-HubSpot-Signature-v3: bm90IHRoZSBzaWduYXR1cmU=" -H "X-HubSpot-Request-Timestamp: $ts"
check "a wrong signature: 401" 401
post "$HS_EP" "$T/won7002" -H 'Content-Type: application/json'
check "no signature: 401" 401
old=$((($(date +%s) - 600) * 1000))
sig=$("$SIGN" hubspot-sign-v3 hs-client-secret POST "https://hooks.example.test$HS_EP" "$old" <"$T/won7002")
post "$HS_EP" "$T/won7002" -H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' \
    -H 'X-Forwarded-Host: hooks.example.test' -H "X-HubSpot-Signature-v3: $sig" -H "X-HubSpot-Request-Timestamp: $old"
check "a valid signature ten minutes old: 401" 401
ts=$(($(date +%s) * 1000))
sig=$("$SIGN" hubspot-sign-v3 hs-client-secret POST "https://elsewhere.example$HS_EP" "$ts" <"$T/won7002")
post "$HS_EP" "$T/won7002" -H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' \
    -H 'X-Forwarded-Host: hooks.example.test' -H "X-HubSpot-Signature-v3: $sig" -H "X-HubSpot-Request-Timestamp: $ts"
check "signed for another URI: 401" 401
after=$(count_handoffs)
if [ "$before" = "$after" ] && [ -z "$(handoff_of 7002)" ]; then ok "rejected deliveries created nothing"; else bad "rejected deliveries created nothing" "before $before, after $after"; fi
if [ "$(($(deliveries rejected) - rejected_before))" = 4 ]; then ok "each rejected delivery is kept with its verdict"; else bad "rejected deliveries kept" "$(deliveries rejected)"; fi
post "/hooks/hubspot/aaaaaaaaaaaaaaaaaaaaaaaaaa" "$T/won7002" -H 'Content-Type: application/json'
check "an unknown endpoint: 404" 404
post "/hooks/docusign${HS_EP#/hooks/hubspot}" "$T/won7002" -H 'Content-Type: application/json'
check "an endpoint under another source: 404" 404

# ---- HubSpot's older signatures only when configured ----
hs_body 7011 closedwon 1011 >"$T/won7011"
v1=$("$SIGN" hubspot-sign-v1 hs-client-secret <"$T/won7011")
post "$HS_EP" "$T/won7011" -H 'Content-Type: application/json' -H "X-HubSpot-Signature: $v1" -H 'X-HubSpot-Signature-Version: v1'
check "a v1 signature while only v3 is accepted: 401" 401
expect "accept the older signatures" 0 $H integration set "$HS_ID" --legacy-signatures
post "$HS_EP" "$T/won7011" -H 'Content-Type: application/json' -H "X-HubSpot-Signature: $v1" -H 'X-HubSpot-Signature-Version: v1'
check "the same v1 signature once configured: 200" 200
v2=$("$SIGN" hubspot-sign-v2 hs-client-secret POST "http://127.0.0.1:${URL##*:}$HS_EP" <"$T/won7011")
post "$HS_EP" "$T/won7011" -H 'Content-Type: application/json' -H "X-HubSpot-Signature: $v2" -H 'X-HubSpot-Signature-Version: v2'
check "a v2 signature over the URI as called: 200 (a duplicate now)" 200
contains "and it is a duplicate" "$T/resp" '"outcome":"duplicate"'
if [ "$(handoff_of 7011 | jq -r .owner_email)" = rita@vendor.example ]; then ok "the v1-signed event made its handoff"; else bad "v1 handoff" ""; fi
$H integration set "$HS_ID" --config /dev/stdin >/dev/null 2>&1 <<'JSON'
{"legacy_signatures": false}
JSON

# ---- malformed and oversized bodies ----
printf '[{"objectId":7002,"eventId":' >"$T/malformed.json"
hs_post "$T/malformed.json"
check "malformed JSON, signed: 400" 400
contains "the answer says where" "$T/resp" 'line 1, column'
if [ "$(deliveries malformed)" = 1 ]; then ok "the malformed delivery is kept with its verdict"; else bad "malformed kept" "$(deliveries malformed)"; fi
head -c 1048577 /dev/zero | tr '\0' ' ' >"$T/big.json"
post "$HS_EP" "$T/big.json" -H 'Content-Type: application/json' -H "X-HubSpot-Signature-v3: x" \
    -H "X-HubSpot-Request-Timestamp: $(($(date +%s) * 1000))"
check "a body over 1 MiB to a known endpoint: 413" 413
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/70k.json"
post "/hooks/hubspot/aaaaaaaaaaaaaaaaaaaaaaaaaa" "$T/70k.json" -H 'Content-Type: application/json'
check "an unknown endpoint gets the unauthenticated body limit: 413" 413

# ---- DocuSign: the contract of deal 7001 fully executed ----
jq -c '.data.envelopeSummary.customFields.textCustomFields[0].value = "7001"
       | .data.envelopeId = "env-7001" | .data.envelopeSummary.completedDateTime = "2024-03-10T09:30:00.0000000Z"' \
    "$FX/docusign/envelope-completed.json" >"$T/ds7001"
dsig=$("$SIGN" hmac-base64 ds-connect-key <"$T/ds7001")
post "$DS_EP" "$T/ds7001" -H 'Content-Type: application/json' -H "X-DocuSign-Signature-1: bm90IHRoaXMgb25l" -H "X-DocuSign-Signature-2: $dsig"
check "DocuSign completion, the second signature valid: 200" 200
handoff_of 7001 >"$T/h7001"
got=$(jq -r '[.document.deal.contract_status, .document.deal.contract_signed_at, .t0] | @tsv' "$T/h7001")
if [ "$got" = "$(printf 'fully_executed\t2024-03-10T09:30:00Z\t2024-03-10T09:30:00Z')" ]; then ok "the contract is fully executed at the signature, which is now T0"; else bad "contract executed" "$got"; fi
post "$DS_EP" "$T/ds7001" -H 'Content-Type: application/json' -H "X-DocuSign-Signature-1: bm90IHRoaXMgb25l"
check "DocuSign without a valid signature: 401" 401

# ---- out of order: the signature of 7002 before its win ends as 7001 in order ----
jq -c '.data.envelopeSummary.customFields.textCustomFields[0].value = "7002"
       | .data.envelopeId = "env-7002" | .data.envelopeSummary.completedDateTime = "2024-03-10T09:30:00.0000000Z"' \
    "$FX/docusign/envelope-completed.json" >"$T/ds7002"
post "$DS_EP" "$T/ds7002" -H 'Content-Type: application/json' -H "X-DocuSign-Signature-1: $("$SIGN" hmac-base64 ds-connect-key <"$T/ds7002")"
check "DocuSign completion before the win: 200" 200
hs_post "$T/won7002"
check "then the win: 200" 200
facts='[.owner_email, .csm_email, .trigger, .t0, .segment, .document.deal.contract_status,
        .document.deal.contract_signed_at, .document.deal.verbal_commit_at, .document.commercial.acv,
        .document.customer.purchase_context] | @tsv'
handoff_of 7002 >"$T/h7002"
if [ "$(jq -r "$facts" "$T/h7001")" = "$(jq -r "$facts" "$T/h7002")" ] && [ -n "$(jq -r "$facts" "$T/h7002")" ]; then
    ok "signature then win ends in the state of win then signature"
else
    bad "out of order ends as in order" "in order:     $(jq -r "$facts" "$T/h7001")" "out of order: $(jq -r "$facts" "$T/h7002")"
fi

# ---- a verbal commit becomes a normal handoff when signed, in either order ----
expect "set won_trigger verbal_commit" 0 $H integration set "$HS_ID" --won-trigger verbal_commit
hs_body 7003 closedwon 1003 >"$T/won7003"
hs_post "$T/won7003"
handoff_of 7003 >"$T/h7003"
got=$(jq -r '[.trigger, .document.deal.verbal_commit_at, .t0, .document.deal.contract_status] | @tsv' "$T/h7003")
if [ "$got" = "$(printf 'verbal_commit\t2024-03-08T16:00:00Z\t2024-03-08T16:00:00Z\tdraft')" ]; then ok "won as a verbal commit: T0 = the won time, contract not executed"; else bad "verbal commit" "$got"; fi
for d in 7003 7004; do
    jq -c --arg d "$d" '.data.envelopeSummary.customFields.textCustomFields[0].value = $d
           | .data.envelopeId = ("env-" + $d) | .data.envelopeSummary.completedDateTime = "2024-03-12T10:00:00Z"' \
        "$FX/docusign/envelope-completed.json" >"$T/ds$d"
done
post "$DS_EP" "$T/ds7003" -H 'Content-Type: application/json' -H "X-DocuSign-Signature-1: $("$SIGN" hmac-base64 ds-connect-key <"$T/ds7003")"
post "$DS_EP" "$T/ds7004" -H 'Content-Type: application/json' -H "X-DocuSign-Signature-1: $("$SIGN" hmac-base64 ds-connect-key <"$T/ds7004")"
hs_body 7004 closedwon 1004 >"$T/won7004"
hs_post "$T/won7004"
handoff_of 7003 >"$T/h7003"
handoff_of 7004 >"$T/h7004"
got=$(jq -r '[.trigger, .document.deal.contract_status, .document.deal.contract_signed_at, .document.deal.verbal_commit_at, .t0] | @tsv' "$T/h7003")
if [ "$got" = "$(printf 'contract_signature\tfully_executed\t2024-03-12T10:00:00Z\t2024-03-08T16:00:00Z\t2024-03-12T10:00:00Z')" ]; then
    ok "signed: a normal handoff, the verbal commit kept"
else
    bad "verbal commit becomes normal" "$got"
fi
versions=$(curl -s -H "Authorization: Bearer $TOK_OPS" "$URL/api/v1/handoffs/$(jq -r .id "$T/h7003")/history" | jq '.versions | length')
if [ "$versions" -ge 2 ]; then ok "its history keeps the verbal commit version"; else bad "history kept" "$versions versions"; fi
if [ "$(jq -r "$facts" "$T/h7003")" = "$(jq -r "$facts" "$T/h7004")" ]; then ok "signature before the verbal commit ends the same"; else bad "verbal out of order" "$(jq -r "$facts" "$T/h7003")" "$(jq -r "$facts" "$T/h7004")"; fi
$H integration set "$HS_ID" --won-trigger contract_signature >/dev/null 2>&1

# ---- an unmapped owner is not lost: the RevOps queue, then a replay ----
hs_body 7005 closedwon 1005 >"$T/won7005"
hs_post "$T/won7005"
check "a won deal whose owner is not mapped: 200" 200
DELIVERY=$(jq -r .delivery "$T/resp")
handoff_of 7005 >"$T/h7005"
got=$(jq -r '[.owner_email, .segment, .csm_email] | @tsv' "$T/h7005")
if [ "$got" = "$(printf '\tenterprise\tcsm1@vendor.example')" ]; then ok "created without an owner (RevOps' queue), segment from the amount rule"; else bad "unmapped owner" "$got"; fi
$H integration event "$DELIVERY" >"$T/delivery"
contains "the delivery says why" "$T/delivery" "no owner mapping for CRM owner bob@acme-sales.example"
expect "map the owner" 0 $H integration set "$HS_ID" --owner bob@acme-sales.example=bob@vendor.example
expect "replay the delivery" 0 $H integration replay "$DELIVERY"
contains "replay says what came of it" "$T/out" "accepted"
handoff_of 7005 >"$T/h7005"
jqtest "after the replay the handoff has its owner" "$T/h7005" '.owner_email == "bob@vendor.example"'
api POST "/api/v1/integrations/events/$DELIVERY/replay"
check "replay over the API: 200" 200
if [ "$(jq -r '.replay_of' "$T/api")" = "$DELIVERY" ]; then ok "a replay is a delivery of its own naming the original"; else bad "replay_of" "$(head -c 300 "$T/api")"; fi
REJECTED=$($H integration events --integration "$HS_ID" --limit 500 --json | jq -r '[.items[] | select(.verdict == "rejected")][0].id')
expect "a rejected delivery cannot be replayed" 69 $H integration replay "$REJECTED"

# ---- an unmapped won stage is not lost either: the delivery says so, a replay fixes it ----
hs_body 7010 888 1010 >"$T/won7010"
hs_post "$T/won7010"
check "a stage change in a pipeline without a configured won stage: 200" 200
STAGE_DELIVERY=$(jq -r .delivery "$T/resp")
jqtest "its outcome is stage_unmapped" "$T/resp" '.events[0].outcome == "stage_unmapped"'
if [ -z "$(handoff_of 7010)" ]; then ok "no handoff: nothing says the deal is won"; else bad "stage_unmapped made a handoff" ""; fi
$H integration event "$STAGE_DELIVERY" >"$T/stage.delivery"
contains "the delivery names the stage and the pipeline" "$T/stage.delivery" "stage 888 of pipeline 777 is not configured"
expect "configure the pipeline's won stage" 0 $H integration set "$HS_ID" --won-stage closedwon --won-stage 777:888
expect "replay the delivery" 0 $H integration replay "$STAGE_DELIVERY"
if [ "$(handoff_of 7010 | jq -r .owner_email)" = rita@vendor.example ]; then ok "after the replay the won deal has its handoff"; else bad "stage replay" "$(handoff_of 7010 | head -c 200)"; fi

# ---- what a delivery keeps ----
$H integration events --integration "$HS_ID" --limit 500 --json >"$T/events"
FIRST=$(jq -r '[.items[] | select(.verdict == "accepted")] | last | .id' "$T/events")
$H integration event "$FIRST" >"$T/first"
jq -j .body "$T/first" >"$T/first.body"
if cmp -s "$T/won7001" "$T/first.body"; then ok "the raw body is kept as received"; else bad "raw body kept" "$(head -c 200 "$T/first.body")"; fi
lacks "no signature header is kept" "$T/first" "x-hubspot-signature"
contains "other headers are kept" "$T/first" "x-hubspot-request-timestamp"

# ---- PandaDoc (?signature=) for deal 7006 via a metadata field ----
jq -c '[.[0] | .data.metadata = {"hubspot_deal": "7006"} | .data.date_completed = "2024-03-11T08:00:00.000000Z"]' "$FX/pandadoc/batch.json" >"$T/pd.json"
psig=$("$SIGN" hmac-hex pd-shared-key <"$T/pd.json")
post "$PD_EP?signature=$psig" "$T/pd.json" -H 'Content-Type: application/json' -H 'X-PandaDoc-Webhook-Event-Id: pd-evt-1'
check "PandaDoc completion: 200" 200
handoff_of 7006 >"$T/h7006"
if [ "$(jq -r '.document.deal.contract_signed_at' "$T/h7006")" = 2024-03-11T08:00:00Z ]; then ok "PandaDoc's configured field finds the deal; the contract is executed"; else bad "pandadoc" "$(jq -c .document.deal "$T/h7006")"; fi
PD_DELIVERY=$(jq -r .delivery "$T/resp")
$H integration event "$PD_DELIVERY" >"$T/pd.delivery"
lacks "the signature query parameter is not kept" "$T/pd.delivery" "$psig"
post "$PD_EP?signature=00$psig" "$T/pd.json" -H 'Content-Type: application/json'
check "PandaDoc with a wrong signature: 401" 401

# ---- Salesforce: the acknowledgement, byte for byte ----
post "$SF_EP" "$FX/salesforce/opportunity-won.xml" -H 'Content-Type: text/xml; charset=utf-8' -H 'SOAPAction: ""'
check "Salesforce Outbound Message: 200" 200
if cmp -s "$T/resp" "$FX/salesforce/ack.xml"; then ok "the acknowledgement is byte for byte the one Salesforce expects"; else bad "ack bytes" "$(od -c "$T/resp" | head -5)"; fi
if grep -qi '^content-type: text/xml' "$T/resp.h"; then ok "as text/xml"; else bad "ack content type" "$(grep -i content-type "$T/resp.h")"; fi
handoff_of 0065e00000AbCdEAAV >"$T/hsf"
if [ "$(jq -r '[.owner_email, .document.deal.name] | @tsv' "$T/hsf")" = "$(printf 'bob@vendor.example\tAcme Corp - Platform & Support')" ]; then ok "the won opportunity has its handoff, owner mapped from OwnerId"; else bad "salesforce handoff" "$(head -c 300 "$T/hsf")"; fi
if [ -z "$(handoff_of 0065e00000AbCdFAAV)" ]; then ok "the open opportunity has none"; else bad "open opportunity" "it has a handoff"; fi
post "$SF_EP" "$FX/salesforce/opportunity-won.xml" -H 'Content-Type: text/xml'
cmp -s "$T/resp" "$FX/salesforce/ack.xml" && ok "a re-delivery is acknowledged the same" || bad "re-delivery ack" "$(head -c 200 "$T/resp")"
sed 's/00D5e000000K9bQEAS/00D5e000000ZZZZEAS/' "$FX/salesforce/opportunity-won.xml" >"$T/sf-other.xml"
post "$SF_EP" "$T/sf-other.xml" -H 'Content-Type: text/xml'
check "another organization: 401" 401
post "$SF_EP" "$FX/salesforce/malformed.xml" -H 'Content-Type: text/xml'
check "malformed XML: 400" 400
post "$SF_EP" "$FX/salesforce/xxe.xml" -H 'Content-Type: text/xml'
check "a DOCTYPE (XXE): 400" 400

# ---- Pipedrive: Basic credentials, won transitions only, older changes ignored ----
AUTH="Authorization: Basic $(printf 'pipe-user:pipe-pass' | base64)"
jq -c '.meta.id = 9001 | .current.id = 9001 | .previous.id = 9001' "$FX/pipedrive/v1-won.json" >"$T/pipe-won.json"
post "$PIPE_EP" "$T/pipe-won.json" -H 'Content-Type: application/json' -H "$AUTH"
check "Pipedrive won: 200" 200
if [ "$(handoff_of 9001 | jq -r .owner_email)" = rita@vendor.example ]; then ok "owner mapped from the CRM owner's e-mail"; else bad "pipedrive owner" "$(handoff_of 9001 | head -c 300)"; fi
post "$PIPE_EP" "$T/pipe-won.json" -H 'Content-Type: application/json' -H "Authorization: Basic $(printf 'pipe-user:wrong' | base64)"
check "Pipedrive with wrong credentials: 401" 401
# two updates of an open deal: the newer one arrives first
jq -c '.meta.id = 9002 | .current.id = 9002 | .previous.id = 9002 | .current.status = "open"
       | .meta.timestamp = 1709913700 | del(.meta.timestamp_micro) | .current.value = 200' "$FX/pipedrive/v1-won.json" >"$T/pipe-new.json"
jq -c '.meta.id = 9002 | .current.id = 9002 | .previous.id = 9002 | .current.status = "open"
       | .meta.timestamp = 1709913600 | del(.meta.timestamp_micro) | .current.value = 100' "$FX/pipedrive/v1-won.json" >"$T/pipe-old.json"
post "$PIPE_EP" "$T/pipe-new.json" -H 'Content-Type: application/json' -H "$AUTH"
post "$PIPE_EP" "$T/pipe-old.json" -H 'Content-Type: application/json' -H "$AUTH"
contains "the older change is ignored" "$T/resp" '"outcome":"stale"'
api GET "/api/v1/deals?limit=500"
if [ "$(jq '[.items[] | select(.crm_id == "9002")][0].amount' "$T/api")" = 200 ]; then ok "the deal keeps the newer amount"; else bad "newer amount kept" "$(jq -c '[.items[] | select(.crm_id == "9002")]' "$T/api")"; fi
if [ -z "$(handoff_of 9002)" ]; then ok "an open deal has no handoff"; else bad "open deal" "has a handoff"; fi

# ---- generic (Standard Webhooks) ----
jq -c '.data.crm_id = "G-1" | .data.owner_email = "rita@vendor.example"' "$FX/generic/deal-won.json" >"$T/gen.json"
now=$(date +%s)
gsig=$("$SIGN" standard-sign "$GEN_SECRET" msg_gen_1 "$now" <"$T/gen.json")
post "$GEN_EP" "$T/gen.json" -H 'Content-Type: application/json' -H 'webhook-id: msg_gen_1' -H "webhook-timestamp: $now" -H "webhook-signature: v1,bm90IHRoaXM= $gsig"
check "generic deal.won, one of two signatures valid: 200" 200
if [ "$(handoff_of G-1 | jq -r .owner_email)" = rita@vendor.example ]; then ok "a CRM owner e-mail that is a Handoff user owns it"; else bad "generic owner" "$(handoff_of G-1 | head -c 200)"; fi
post "$GEN_EP" "$T/gen.json" -H 'Content-Type: application/json' -H 'webhook-id: msg_gen_1' -H "webhook-timestamp: $((now - 600))" -H "webhook-signature: $gsig"
check "generic with a stale timestamp: 401" 401

# ---- the API: RevOps only, secrets never in an answer ----
api GET /api/v1/integrations
check "RevOps lists the integrations" 200
if [ "$(jq '.items | length' "$T/api")" = 6 ]; then ok "six integrations"; else bad "six integrations" "$(jq '.items | length' "$T/api")"; fi
for s in hs-client-secret pat-test-token ds-connect-key pd-shared-key pipe-pass "$GEN_SECRET"; do
    lacks "no secret in the list ($s)" "$T/api" "$s"
done
status=$(curl -s -o "$T/api" -w '%{http_code}' -H "Authorization: Bearer $TOK_VIEWER" "$URL/api/v1/integrations")
check "a viewer may not" 403
status=$(curl -s -o "$T/api" -w '%{http_code}' -H "Authorization: Bearer $TOK_AE" "$URL/api/v1/integrations/events")
check "nor a rep read the deliveries" 403
api POST /api/v1/integrations "{\"source\":\"generic\",\"name\":\"Billing\",\"secret\":\"$GEN_SECRET\",\"retention_days\":7}"
check "RevOps adds one over the API" 201
lacks "its answer has no secret" "$T/api" "$GEN_SECRET"
NEW=$(jq -r .id "$T/api")
case "$(jq -r .endpoint "$T/api")" in "$URL"/hooks/generic/*) ok "its endpoint URL is the server's" ;; *) bad "endpoint URL" "$(jq -r .endpoint "$T/api")" ;; esac
api PATCH "/api/v1/integrations/$NEW" '{"config":{"owners":{"u-7":"rita@vendor.example"}}}'
check "PATCH merges the configuration" 200
if [ "$(jq -r '.config.owners["u-7"]' "$T/api")" = rita@vendor.example ] && [ "$(jq -r .secrets.secret "$T/api")" = true ]; then ok "the secret stays, the mapping is added"; else bad "patch" "$(head -c 300 "$T/api")"; fi
api PATCH "/api/v1/integrations/$NEW" '{"config":{"won_stages":["x"]}}'
check "a key that does not apply to the source: 422" 422
api DELETE "/api/v1/integrations/$NEW"
check "RevOps removes it" 204
api GET "/api/v1/integrations/events?integration=$HS_ID&limit=2"
if [ "$status" = 200 ] && [ "$(jq '.items | length' "$T/api")" = 2 ] && [ "$(jq -r .next_cursor "$T/api")" != null ]; then ok "deliveries page by page"; else bad "deliveries paging" "$status $(head -c 200 "$T/api")"; fi

# ---- the public URL option, and retention ----
kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
PID=
rm -f "$T/port"
"$B/handoffd" --listen 127.0.0.1:0 --port-file "$T/port" --quiet --rate 0 \
    --public-url https://handoff.example.org/ 2>>"$T/server.log" &
PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
URL="http://127.0.0.1:$(cat "$T/port")"
hs_body 7001 closedwon 1101 >"$T/won-again"
ts=$(($(date +%s) * 1000))
sig=$("$SIGN" hubspot-sign-v3 hs-client-secret POST "https://handoff.example.org$HS_EP" "$ts" <"$T/won-again")
post "$HS_EP" "$T/won-again" -H 'Content-Type: application/json' -H "X-HubSpot-Signature-v3: $sig" -H "X-HubSpot-Request-Timestamp: $ts"
check "--public-url: signed over the public URI: 200" 200
total=$($H integration events --limit 500 --json | jq '.items | length')
expect "prune keeps what is within the retention" 0 $H integration prune
if [ "$($H integration events --limit 500 --json | jq '.items | length')" = "$total" ]; then ok "nothing younger than 30 days pruned"; else bad "prune too eager" "$total before"; fi
expect "prune as of 40 days later" 0 $H integration prune --now "$(date -u -d '+40 days' +%Y-%m-%dT%H:%M:%SZ)"
if [ "$($H integration events --limit 500 --json | jq '.items | length')" = 0 ]; then ok "every delivery older than its retention is gone"; else bad "prune" "$($H integration events --limit 500 --json | jq '.items | length') left"; fi
expect "remove an integration" 0 $H integration remove "$HS_ID"
post "$HS_EP" "$T/won-again" -H 'Content-Type: application/json'
check "its endpoint is gone: 404" 404

tap_end
