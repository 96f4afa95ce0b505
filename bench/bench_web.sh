#!/bin/sh
# make bench-web: the web application's pages against the JSON API for the same handoff, in
# the same run, on the same server and database: wrk on loopback with a signed-in session
# cookie, requests/s and p50/p99 of the inbox (/), the handoff overview (/handoffs/ID), the
# editor (/handoffs/ID/edit) and GET /api/v1/handoffs/ID; then the bytes a browser
# transfers for each page (the HTML, and the CSS and JavaScript it loads, gzip-compressed
# as the server sends them). Writes bench/results/web.md. BENCH_SECONDS (default 6) per
# round, 3 rounds, medians. The aims (issue 9): pages at least half the API's rate, no page
# over 100 KB compressed.
set -eu
B=${HANDOFF_BUILD:-build}
SECS=${BENCH_SECONDS:-6}
W=$(mktemp -d /tmp/handoff-bench-web.XXXXXX)
HPID=
cleanup() {
    [ -n "$HPID" ] && kill "$HPID" 2>/dev/null
    sleep 0.3
    rm -rf "$W"
}
trap cleanup EXIT
OUT=bench/results/web.md
for tool in wrk curl jq gzip; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench-web: $tool is missing (sh scripts/deps.sh bench)" >&2; exit 1; }
done

DB="sqlite:$W/db"
"$B/handoff" init --db "$DB" >/dev/null
"$B/handoff" demo --db "$DB" --deals 200 --now 2026-11-20T12:00:00Z >/dev/null
HANDOFF_ADMIN_PASSWORD=bench-password-123 "$B/handoffd" --db "$DB" --create-admin bench@vendor.example >/dev/null
"$B/handoffd" --db "$DB" --listen 127.0.0.1:0 --port-file "$W/port" --quiet --rate 0 --threads 4 2>"$W/server.log" &
HPID=$!
i=0
while [ ! -s "$W/port" ]; do
    i=$((i + 1))
    [ $i -gt 200 ] && { echo "handoffd did not start:" >&2; cat "$W/server.log" >&2; exit 1; }
    sleep 0.05
done
H="http://127.0.0.1:$(cat "$W/port")"
curl -s -c "$W/jar" -H 'Content-Type: application/json' \
    -d '{"email":"bench@vendor.example","password":"bench-password-123"}' "$H/api/v1/session" >/dev/null
SID=$(awk '$6 == "hf_session" { print $7 }' "$W/jar")
[ -n "$SID" ] || { echo "bench-web: no session" >&2; exit 1; }
ID=$(curl -s -b "$W/jar" "$H/api/v1/handoffs?limit=1&status=submitted" | jq -r '.items[0].id')
[ "$ID" != null ] || ID=1
cat >"$W/cookie.lua" <<LUA
wrk.headers["Cookie"] = "hf_session=$SID"
wrk.headers["Accept-Encoding"] = "gzip"
LUA

ms() { # wrk latency like 1.23ms / 456.00us / 1.2s -> ms
    case $1 in
    *ms) echo "$1" | sed 's/ms$//' ;;
    *us) echo "$1" | sed 's/us$//' | awk '{printf "%.3f", $1/1000}' ;;
    *s) echo "$1" | sed 's/s$//' | awk '{printf "%.1f", $1*1000}' ;;
    *) echo "$1" ;;
    esac
}
once() { # URL -> "rps p50 p99 non2xx"
    wrk -t2 -c16 -d"${SECS}s" --latency -s "$W/cookie.lua" "$1" >"$W/wrk.txt" 2>&1
    rps=$(awk '/Requests\/sec/ {print $2}' "$W/wrk.txt")
    p50=$(ms "$(awk '$1=="50%" {print $2}' "$W/wrk.txt")")
    p99=$(ms "$(awk '$1=="99%" {print $2}' "$W/wrk.txt")")
    bad=$(awk '/Non-2xx or 3xx responses/ {print $5}' "$W/wrk.txt")
    echo "$rps $p50 $p99 ${bad:-0}"
}
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
measure() { # NAME URL: three interleaved-enough rounds, medians
    r1=$(once "$2")
    r2=$(once "$2")
    r3=$(once "$2")
    col() { median "$(echo "$r1" | cut -d' ' -f"$1")" "$(echo "$r2" | cut -d' ' -f"$1")" "$(echo "$r3" | cut -d' ' -f"$1")"; }
    bad=$(echo "$r1 $r2 $r3" | awk '{print $4+$8+$12}')
    printf '%s|%s|%s|%s|%s\n' "$1" "$(col 1)" "$(col 2)" "$(col 3)" "$bad"
}
# the status of each target first: a benchmark of error pages measures nothing
for p in / "/handoffs/$ID" "/handoffs/$ID/edit" "/api/v1/handoffs/$ID"; do
    s=$(curl -s -o /dev/null -w '%{http_code}' -b "$W/jar" "$H$p")
    [ "$s" = 200 ] || { echo "bench-web: $p answers $s, not 200" >&2; exit 1; }
done
api=$(measure "GET /api/v1/handoffs/$ID (JSON)" "$H/api/v1/handoffs/$ID")
inbox=$(measure "inbox /" "$H/")
overview=$(measure "overview /handoffs/$ID" "$H/handoffs/$ID")
editor=$(measure "editor /handoffs/$ID/edit" "$H/handoffs/$ID/edit")
api_rps=$(echo "$api" | cut -d'|' -f2)

bytes() { # PATH -> "html_raw html_gzip css_gzip js_gzip"
    curl -s -b "$W/jar" "$H$1" >"$W/page.html"
    raw=$(wc -c <"$W/page.html")
    gz=$(curl -s -b "$W/jar" -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$H$1")
    [ "$gz" -lt "$raw" ] 2>/dev/null || gz=$(gzip -9 -c "$W/page.html" | wc -c)
    css=0
    js=0
    for a in $(grep -o '/static/[^"]*\.css' "$W/page.html" | sort -u); do
        css=$((css + $(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$H$a")))
    done
    for a in $(grep -o '/static/[^"]*\.js' "$W/page.html" | sort -u); do
        js=$((js + $(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$H$a")))
    done
    echo "$raw $gz $css $js"
}

{
    echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`make bench-web\`: wrk -t2 -c16, ${SECS}s rounds,"
    echo "median of 3, a signed-in session cookie (the pages) and the same cookie on the API."
    echo "Database: 200 demo handoffs (SQLite); handoff $ID. Server and wrk share the 2 cores."
    echo
    echo "| target | requests/s | p50 ms | p99 ms | non-2xx | vs the API |"
    echo "|---|---|---|---|---|---|"
    for r in "$api" "$inbox" "$overview" "$editor"; do
        echo "$r" | awk -F'|' -v a="$api_rps" '{printf "| %s | %.0f | %s | %s | %s | %.2fx |\n", $1, $2, $3, $4, $5, $2 / a}'
    done
    echo
    echo "Bytes per page (gzip as sent to a browser that accepts it; the assets are cached"
    echo "for a year after the first page, content-hashed names):"
    echo
    echo "| page | HTML | HTML gzip | CSS gzip | JS gzip | total gzip |"
    echo "|---|---|---|---|---|---|"
    for p in / "/handoffs/$ID" "/handoffs/$ID/edit" "/handoffs/$ID/history"; do
        set -- $(bytes "$p")
        echo "| $p | $1 | $2 | $3 | $4 | $(($2 + $3 + $4)) |"
    done
} >"$W/result.txt"
cat "$W/result.txt"
sh bench/record.sh web "$W/result.txt"
