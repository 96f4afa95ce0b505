#!/bin/sh
# make bench-server: wrk on loopback against handoffd, reading one handoff (GET with a
# bearer token) and patching one document (PATCH, If-Match: *), each next to nginx serving
# the same response bytes as a static file, in the same run. Writes
# bench/results/server.md. BENCH_SECONDS (default 8) per round, 3 rounds, medians.
set -eu
B=${HANDOFF_BUILD:-build}
SECS=${BENCH_SECONDS:-8}
W=$(mktemp -d /tmp/handoff-bench-server.XXXXXX)
HPID=
NPID=
cleanup() {
    [ -n "$HPID" ] && kill "$HPID" 2>/dev/null
    [ -n "$NPID" ] && kill "$NPID" 2>/dev/null
    sleep 0.3
    rm -rf "$W"
}
trap cleanup EXIT
OUT=bench/results/server.md

HANDOFF_ADMIN_PASSWORD=bench-password-123 "$B/handoffd" --db "sqlite:$W/db" --create-admin bench@vendor.example >/dev/null
"$B/handoffd" --db "sqlite:$W/db" --listen 127.0.0.1:0 --port-file "$W/port" --quiet --rate 0 --threads 4 --group-commit 2>"$W/server.log" &
HPID=$!
wait_port() {
    i=0
    while [ ! -s "$W/port" ]; do
        i=$((i + 1))
        if [ $i -gt 200 ]; then echo "handoffd did not start:" >&2; cat "$W/server.log" >&2; exit 1; fi
        sleep 0.05
    done
}
wait_port
H="http://127.0.0.1:$(cat "$W/port")"
C=$(curl -s -c "$W/jar" -H 'Content-Type: application/json' -d '{"email":"bench@vendor.example","password":"bench-password-123"}' "$H/api/v1/session" | jq -r .csrf_token)
TOKEN=$(curl -s -b "$W/jar" -H "X-CSRF-Token: $C" -H 'Content-Type: application/json' -d '{"name":"bench","scopes":"read write"}' "$H/api/v1/tokens" | jq -r .token)
curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary @tests/data/evaluate/acme-complete.json "$H/api/v1/handoffs" >/dev/null
curl -s -H "Authorization: Bearer $TOKEN" "$H/api/v1/handoffs/1" >"$W/handoff.json"
curl -s -H "Authorization: Bearer $TOKEN" -X PATCH -H 'If-Match: *' -H 'Content-Type: application/merge-patch+json' -d '{"scope":{"customizations":"x"}}' "$H/api/v1/handoffs/1/document" >"$W/patch.json"

mkdir -p "$W/www" "$W/nginx"
cp "$W/handoff.json" "$W/www/handoff.json"
cp "$W/patch.json" "$W/www/patch.json"
NPORT=$(( $(cat "$W/port") + 1 ))
cat >"$W/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $W/nginx;
    proxy_temp_path $W/nginx;
    fastcgi_temp_path $W/nginx;
    uwsgi_temp_path $W/nginx;
    scgi_temp_path $W/nginx;
    default_type application/json;
    server {
        listen 127.0.0.1:$NPORT;
        root $W/www;
        # answer PATCH with the static bytes too, as handoffd answers it with JSON
        error_page 405 =200 \$uri;
    }
}
CONF
nginx -c "$W/nginx/nginx.conf" &
NPID=$!
sleep 0.5
N="http://127.0.0.1:$NPORT"

# every PATCH changes the document (a body that repeats would be a no-op the store does not
# write): each wrk thread counts with its own prefix
cat >"$W/patch.lua" <<LUA
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("prefix", "t" .. threads .. "-")
end
local n = 0
request = function()
    n = n + 1
    return wrk.format("PATCH", nil, {
        ["Content-Type"] = "application/merge-patch+json",
        ["If-Match"] = "*",
        ["Authorization"] = "Bearer $TOKEN",
    }, '{"scope":{"customizations":"bench ' .. prefix .. n .. '"}}')
end
LUA
cat >"$W/get.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

# run URL SCRIPT -> "rps p50 p99" (ms)
run() {
    wrk -t2 -c16 -d"${SECS}s" --latency -s "$2" "$1" >"$W/wrk.txt" 2>&1
    rps=$(awk '/Requests\/sec/ {print $2}' "$W/wrk.txt")
    p50=$(awk '$1=="50%" {print $2}' "$W/wrk.txt")
    p99=$(awk '$1=="99%" {print $2}' "$W/wrk.txt")
    non2xx=$(awk '/Non-2xx or 3xx responses/ {print $5}' "$W/wrk.txt")
    echo "$rps $(ms "$p50") $(ms "$p99") ${non2xx:-0}"
}
ms() { # wrk latency like 1.23ms / 456.00us / 1.2s -> ms
    case "$1" in
    *ms) echo "${1%ms}" ;;
    *us) echo "$1" | sed 's/us$//' | awk '{printf "%.3f", $1/1000}' ;;
    *s) echo "$1" | sed 's/s$//' | awk '{printf "%.1f", $1*1000}' ;;
    esac
}
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

version() { curl -s -H "Authorization: Bearer $TOKEN" "$H/api/v1/handoffs/1" | jq -r .version; }
results() { # label url script: also the versions the store wrote during the three rounds
    v0=$(version)
    r1=$(run "$2" "$3"); r2=$(run "$2" "$3"); r3=$(run "$2" "$3")
    v1=$(version)
    echo "$1: $((v1 - v0)) versions written in 3 rounds" >&2
    VERSIONS="$VERSIONS
| $1 | $((v1 - v0)) | $(echo "$v1 $v0 $SECS" | awk '{printf "%.0f", ($1 - $2) / (3 * $3)}') |"
    rps=$(median "$(echo "$r1" | cut -d' ' -f1)" "$(echo "$r2" | cut -d' ' -f1)" "$(echo "$r3" | cut -d' ' -f1)")
    p50=$(median "$(echo "$r1" | cut -d' ' -f2)" "$(echo "$r2" | cut -d' ' -f2)" "$(echo "$r3" | cut -d' ' -f2)")
    p99=$(median "$(echo "$r1" | cut -d' ' -f3)" "$(echo "$r2" | cut -d' ' -f3)" "$(echo "$r3" | cut -d' ' -f3)")
    bad=$(echo "$r1 $r2 $r3" | awk '{print $4+$8+$12}')
    echo "$1|$rps|$p50|$p99|$bad"
}
VERSIONS=
echo "reads" >&2
R_H=$(results "handoffd GET /api/v1/handoffs/1" "$H/api/v1/handoffs/1" "$W/get.lua")
R_N=$(results "nginx static file, same bytes" "$N/handoff.json" "$W/get.lua")
echo "writes" >&2
W_H=$(results "handoffd --group-commit PATCH document (durable)" "$H/api/v1/handoffs/1/document" "$W/patch.lua")
W_N=$(results "nginx static file, same bytes" "$N/patch.json" "$W/patch.lua")

# the same writes with one commit (one fsync) per request
kill "$HPID"
wait "$HPID" 2>/dev/null || true
rm -f "$W/port"
"$B/handoffd" --db "sqlite:$W/db" --listen 127.0.0.1:0 --port-file "$W/port" --quiet --rate 0 --threads 4 2>>"$W/server.log" &
HPID=$!
wait_port
H="http://127.0.0.1:$(cat "$W/port")"
W_S=$(results "handoffd PATCH document (durable, a commit per request: the default)" "$H/api/v1/handoffs/1/document" "$W/patch.lua")

row() { echo "$1" | awk -F'|' '{printf "| %s | %.0f | %s | %s | %s |\n", $1, $2, $3, $4, $5}'; }
ratio() { echo "$1 $2" | awk -F'|' '{split($0, a, " "); } END {}'; }
rr=$(echo "$(echo "$R_H" | cut -d'|' -f2) / $(echo "$R_N" | cut -d'|' -f2)" | bc -l)
wr=$(echo "$(echo "$W_S" | cut -d'|' -f2) / $(echo "$W_N" | cut -d'|' -f2)" | bc -l)
gr=$(echo "$(echo "$W_H" | cut -d'|' -f2) / $(echo "$W_S" | cut -d'|' -f2)" | bc -l)
{
    echo "# Server benchmark"
    echo
    echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`make bench-server\`: wrk -t2 -c16, ${SECS}s rounds, median of 3,"
    echo "loopback; handoffd with 4 worker threads on SQLite (synchronous=FULL), nginx with 2 workers."
    echo "Both servers and wrk share the machine's 2 cores."
    echo
    echo '```'
    lscpu | grep -E 'Model name|^CPU\(s\)' | sed 's/  */ /g'
    echo "$(uname -sr); $(nginx -v 2>&1); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
    echo '```'
    echo
    echo "Every PATCH body is different, so every request writes a new version (a repeated body"
    echo "changes nothing and the store writes nothing); the versions the store actually wrote are"
    echo "counted from the handoff's version before and after the rounds."
    echo
    echo "| server | requests/s | p50 ms | p99 ms | non-2xx |"
    echo "|---|---:|---:|---:|---:|"
    row "$R_H"
    row "$R_N"
    row "$W_H"
    row "$W_S"
    row "$W_N"
    echo
    echo "| run | versions written | versions/s |"
    echo "|---|---:|---:|"
    echo "$VERSIONS" | sed '/^$/d'
    echo
    printf 'Reads: handoffd serves %.2f× nginx'"'"'s rate (%s bytes per response: authentication by\n' "$rr" "$(wc -c <"$W/handoff.json")"
    echo "bearer token, a store read and JSON rendering against a static file)."
    printf 'Writes: %.2f× nginx'"'"'s static answer; each PATCH reads, merges, validates, diffs,\n' "$wr"
    echo "evaluates and commits a new version with an fsync before answering."
    printf 'Group commit: %.2f× the writes per second of a commit per request, with the same\n' "$gr"
    echo "durability. It serializes the whole handler (parse, diff, evaluate) on one writer"
    echo "thread, so where fsync is cheap, as here, the CPU-bound writer loses to four threads"
    echo "committing on their own; it pays where fsync is slow (network or spinning disks)."
    echo "Reads ran against the --group-commit server; they do not go through the writer."
} >"$OUT"
cat "$OUT"
