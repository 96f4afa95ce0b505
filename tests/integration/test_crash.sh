#!/bin/sh
# Durability through the server: 8 clients at once create handoffs (each a new deal) and
# patch one document, and write down every write the server acknowledged; handoffd is then
# killed with SIGKILL in the middle of the stream. The database must hold every
# acknowledged handoff and version, and pass its integrity check. Runs with the group
# commit (the default) and without it. TAP output.
#   HANDOFF_BUILD=build sh tests/integration/test_crash.sh
set -u
B=${HANDOFF_BUILD:-build}
D=tests/data/evaluate
T=$(mktemp -d /tmp/handoff-crash.XXXXXX)
PID=
CLIENTS=
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
cleanup() {
    [ -n "$CLIENTS" ] && kill $CLIENTS 2>/dev/null
    [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

start() { # DB MODE-ARG
    rm -f "$T/port"
    "$B/handoffd" --db "$1" --listen 127.0.0.1:0 --port-file "$T/port" --quiet --rate 0 "$2" 2>>"$T/server.log" &
    PID=$!
    i=0
    while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    URL="http://127.0.0.1:$(cat "$T/port")"
}

# client K: creates (odd K) or patches (even K) until killed; one line per acknowledged write
client() {
    k=$1
    i=0
    while :; do
        i=$((i + 1))
        if [ $((k % 2)) = 1 ]; then
            crm="CRASH-$k-$i"
            jq -c --arg crm "$crm" '.deal.crm_id = $crm | .deal.owner.email = "admin@vendor.example"' "$D/acme-complete.json" >"$T/body.$k"
            code=$(curl -s -o "$T/out.$k" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
                -H 'Content-Type: application/json' --data-binary @"$T/body.$k" "$URL/api/v1/handoffs")
            [ "$code" = 201 ] && echo "create $crm" >>"$T/acks.$k"
        else
            code=$(curl -s -o "$T/out.$k" -w '%{http_code}' -X PATCH -H "Authorization: Bearer $TOKEN" \
                -H 'If-Match: *' -H 'Content-Type: application/merge-patch+json' \
                --data-binary "{\"scope\":{\"customizations\":\"crash $k $i\"}}" "$URL/api/v1/handoffs/1/document")
            [ "$code" = 200 ] && echo "patch $(jq -r .version "$T/out.$k")" >>"$T/acks.$k"
        fi
    done
}

run_mode() { # MODE-ARG LABEL
    DB="sqlite:$T/$2.db"
    HANDOFF_ADMIN_PASSWORD=correct-horse-battery "$B/handoffd" --db "$DB" --create-admin admin@vendor.example >/dev/null
    TOKEN=$("$B/handoff" token create --db "$DB" --user admin@vendor.example --scopes "read write" 2>/dev/null)
    start "$DB" "$1"
    jq -c '.deal.owner.email = "admin@vendor.example"' "$D/acme-complete.json" |
        curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary @- "$URL/api/v1/handoffs"
    rm -f "$T"/acks.*
    CLIENTS=
    for k in 1 2 3 4 5 6 7 8; do
        client $k &
        CLIENTS="$CLIENTS $!"
    done
    # until the clients have had a few hundred writes acknowledged, then kill the server
    i=0
    while [ "$(cat "$T"/acks.* 2>/dev/null | wc -l)" -lt 300 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
    kill -9 "$PID"
    wait "$PID" 2>/dev/null
    PID=
    kill $CLIENTS 2>/dev/null
    wait $CLIENTS 2>/dev/null
    CLIENTS=
    cat "$T"/acks.* >"$T/acks"
    creates=$(grep -c '^create ' "$T/acks")
    patches=$(grep -c '^patch ' "$T/acks")
    if [ "$creates" -gt 50 ] && [ "$patches" -gt 50 ]; then
        ok "$2: $creates creations and $patches patches acknowledged before SIGKILL"
    else
        bad "$2: writes acknowledged before SIGKILL" "$creates creations, $patches patches" "$(tail -5 "$T/server.log")"
    fi

    if "$B/handoff" db check --db "$DB" >"$T/check" 2>&1; then
        ok "$2: the database passes its integrity check after SIGKILL"
    else
        bad "$2: integrity check after SIGKILL" "$(cat "$T/check")"
    fi
    "$B/handoff" export --db "$DB" >"$T/export" 2>"$T/export.err"
    jq -r '.document.deal.crm_id // .deal.crm_id' "$T/export" | sort -u >"$T/stored"
    sed -n 's/^create //p' "$T/acks" | sort -u >"$T/acked"
    lost=$(comm -23 "$T/acked" "$T/stored" | wc -l)
    if [ "$lost" = 0 ] && [ -s "$T/acked" ]; then
        ok "$2: every acknowledged creation is in the database ($(wc -l <"$T/acked"))"
    else
        bad "$2: acknowledged creations lost" "$lost of $(wc -l <"$T/acked")" "$(comm -23 "$T/acked" "$T/stored" | head -3)" "$(head -c 300 "$T/export.err")"
    fi
    acked_v=$(sed -n 's/^patch //p' "$T/acks" | sort -n | tail -1)
    stored_v=$("$B/handoff" show 1 --json --db "$DB" 2>/dev/null | jq -r .version)
    if [ -n "$acked_v" ] && [ "$stored_v" -ge "$acked_v" ] 2>/dev/null; then
        ok "$2: the patched handoff is at version $stored_v, at least the last acknowledged ($acked_v)"
    else
        bad "$2: acknowledged versions lost" "last acknowledged ${acked_v:-none}, stored ${stored_v:-none}"
    fi
}

run_mode --group-commit group-commit
run_mode --group-commit=false commit-per-request

echo "1..$n"
[ "$fails" -eq 0 ]
