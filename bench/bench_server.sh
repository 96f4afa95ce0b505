#!/bin/sh
# make bench-server: wrk on loopback against handoffd, in one run:
#   - reads: GET one handoff (bearer token), next to nginx serving the same bytes;
#   - durable creates: POST /api/v1/handoffs, every request a new deal (so every request
#     inserts a deal, a handoff, its first version and its creation transition);
#   - durable patches: PATCH one document (If-Match: *), every body different (a repeated
#     body changes nothing and the store writes nothing);
#   each write twice, with one commit per request and with the group commit, and next to
#   nginx answering the same bytes and to the bare rate of one-row SQLite transactions with
#   an fsync each (bench_fsync.c: the most a server committing once per request can do);
#   - the same writes on a slow disk: an LD_PRELOAD shim (fsync_delay.c) adds
#     BENCH_FSYNC_DELAY_US (default 2000) to every fsync and fdatasync.
# The rows and versions the store really wrote are counted (sqlite3 count(*), the
# handoff's version), and wrk's non-2xx answers are read from its summary.
# Writes bench/results/server.md. BENCH_SECONDS (default 5) per round, 3 rounds, medians.
set -eu
B=${HANDOFF_BUILD:-build}
SECS=${BENCH_SECONDS:-5}
THREADS=${BENCH_THREADS:-16}
DELAY=${BENCH_FSYNC_DELAY_US:-2000}
SHIM="$(pwd)/$B/bench/fsync_delay.so"
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
DB="$W/db"

# start_server PRELOAD ARGS...: handoffd on $DB; sets H
start_server() {
    preload=$1
    shift
    [ -n "$HPID" ] && { kill "$HPID"; wait "$HPID" 2>/dev/null || true; }
    rm -f "$W/port"
    LD_PRELOAD="$preload" HANDOFF_FSYNC_DELAY_US=$DELAY "$B/handoffd" --db "sqlite:$DB" \
        --listen 127.0.0.1:0 --port-file "$W/port" --quiet --rate 0 --threads "$THREADS" "$@" \
        >>"$W/server.log" 2>&1 &
    HPID=$!
    i=0
    while [ ! -s "$W/port" ]; do
        i=$((i + 1))
        if [ $i -gt 200 ]; then echo "handoffd did not start:" >&2; cat "$W/server.log" >&2; exit 1; fi
        sleep 0.05
    done
    H="http://127.0.0.1:$(cat "$W/port")"
    # warm the token cache of every worker thread before measuring
    wrk -t2 -c"$THREADS" -d1s -s "$W/get.lua" "$H/api/v1/handoffs/1" >/dev/null 2>&1 || true
}

HANDOFF_ADMIN_PASSWORD=bench-password-123 "$B/handoffd" --db "sqlite:$DB" --create-admin bench@vendor.example >/dev/null
echo 'wrk.headers["Authorization"] = "Bearer none"' >"$W/get.lua"
start_server ""
C=$(curl -s -c "$W/jar" -H 'Content-Type: application/json' -d '{"email":"bench@vendor.example","password":"bench-password-123"}' "$H/api/v1/session" | jq -r .csrf_token)
TOKEN=$(curl -s -b "$W/jar" -H "X-CSRF-Token: $C" -H 'Content-Type: application/json' -d '{"name":"bench","scopes":"read write"}' "$H/api/v1/tokens" | jq -r .token)
curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary @tests/data/evaluate/acme-complete.json "$H/api/v1/handoffs" >"$W/created.json"
curl -s -H "Authorization: Bearer $TOKEN" "$H/api/v1/handoffs/1" >"$W/handoff.json"
curl -s -H "Authorization: Bearer $TOKEN" -X PATCH -H 'If-Match: *' -H 'Content-Type: application/merge-patch+json' -d '{"scope":{"customizations":"x"}}' "$H/api/v1/handoffs/1/document" >"$W/patch.json"
[ "$(jq -r .id "$W/handoff.json")" = 1 ] || { echo "setup failed: $(cat "$W/handoff.json")" >&2; exit 1; }

cat >"$W/get.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
# every PATCH changes the document: each wrk thread counts with its own prefix
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
# the same, spread over the handoffs 1..64 (made by the creates before): writers that do
# not all queue for one document
sed -e 's|^request = function()|request = function()\n    local id = math.random(64)|' \
    -e 's|wrk.format("PATCH", nil,|wrk.format("PATCH", "/api/v1/handoffs/" .. id .. "/document",|' \
    "$W/patch.lua" >"$W/patch-many.lua"
# every POST is a new deal: the example handoff with a CRM id of its own
cat >"$W/create.lua" <<LUA
local f = io.open("$(pwd)/tests/data/evaluate/acme-complete.json")
local body = f:read("*a")
f:close()
local threads = 0
local run = os.time() .. "-" .. math.random(1000000)
function setup(thread)
    threads = threads + 1
    thread:set("prefix", "b" .. run .. "-" .. threads .. "-")
end
local n = 0
request = function()
    n = n + 1
    local b = body:gsub('"0067F000003pmdWQAQ"', '"' .. prefix .. n .. '"')
    return wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer $TOKEN",
    }, b)
end
LUA

mkdir -p "$W/www" "$W/nginx"
chmod 755 "$W" "$W/www" # nginx's workers run as another user: they must read the files
cp "$W/handoff.json" "$W/www/handoff.json"
cp "$W/patch.json" "$W/www/patch.json"
cp "$W/created.json" "$W/www/created.json"
chmod 644 "$W/www/"*
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
        # answer POST and PATCH with the static bytes too, as handoffd answers with JSON
        error_page 405 =200 \$uri;
    }
}
CONF
nginx -c "$W/nginx/nginx.conf" &
NPID=$!
sleep 0.5
N="http://127.0.0.1:$NPORT"

# run URL SCRIPT CONNS -> "rps p50 p99 non2xx" (ms)
run() {
    wrk -t2 -c"$3" -d"${SECS}s" --latency -s "$2" "$1" >"$W/wrk.txt" 2>&1
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

# what the store wrote: handoff rows and versions (of every handoff)
written() { sqlite3 "$DB" "SELECT (SELECT count(*) FROM handoffs) || ' ' || (SELECT count(*) FROM handoff_versions)"; }
clock() { date +%s.%N; }

# results LABEL URL SCRIPT CONNS KIND(create|patch|read) -> "label|rps|p50|p99|non2xx|written/s"
results() {
    w0=$(written)
    t0=$(clock)
    r1=$(run "$2" "$3" "$4"); r2=$(run "$2" "$3" "$4"); r3=$(run "$2" "$3" "$4")
    t1=$(clock)
    w1=$(written)
    case "$5" in
    create) n=$(( ${w1% *} - ${w0% *} )) ;;
    patch) n=$(( ${w1#* } - ${w0#* } )) ;;
    *) n= ;;
    esac
    per= # over the wall time of the three rounds
    [ -n "$n" ] && per=$(echo "$n $t0 $t1" | awk '{printf "%.0f", $1 / ($3 - $2)}')
    rps=$(median "$(echo "$r1" | cut -d' ' -f1)" "$(echo "$r2" | cut -d' ' -f1)" "$(echo "$r3" | cut -d' ' -f1)")
    p50=$(median "$(echo "$r1" | cut -d' ' -f2)" "$(echo "$r2" | cut -d' ' -f2)" "$(echo "$r3" | cut -d' ' -f2)")
    p99=$(median "$(echo "$r1" | cut -d' ' -f3)" "$(echo "$r2" | cut -d' ' -f3)" "$(echo "$r3" | cut -d' ' -f3)")
    bad=$(echo "$r1 $r2 $r3" | awk '{print $4+$8+$12}')
    echo "$1: $rps/s, $bad non-2xx, ${per:--} written/s" >&2
    echo "$1|$rps|$p50|$p99|$bad|${per:--}"
}
# bare LABEL PRELOAD -> "label|tx/s" (median of 3 rounds)
bare() {
    b1=$(LD_PRELOAD="$2" HANDOFF_FSYNC_DELAY_US=$DELAY "$B/bench/bench_fsync" "$W/bare.db" "$SECS" 6000)
    b2=$(LD_PRELOAD="$2" HANDOFF_FSYNC_DELAY_US=$DELAY "$B/bench/bench_fsync" "$W/bare.db" "$SECS" 6000)
    b3=$(LD_PRELOAD="$2" HANDOFF_FSYNC_DELAY_US=$DELAY "$B/bench/bench_fsync" "$W/bare.db" "$SECS" 6000)
    rm -f "$W/bare.db"*
    echo "$1: $(median "$b1" "$b2" "$b3") tx/s" >&2
    echo "$1|$(median "$b1" "$b2" "$b3")"
}

echo "reads" >&2
R_H=$(results "handoffd GET /api/v1/handoffs/1" "$H/api/v1/handoffs/1" "$W/get.lua" 16 read)
R_N=$(results "nginx static file, same bytes" "$N/handoff.json" "$W/get.lua" 16 read)

echo "writes, this machine's disk" >&2
F_BARE=$(bare "bare SQLite: one-row transactions, an fsync each (6 KB rows)" "")
F_NC=$(results "nginx: POST answered with the same bytes" "$N/created.json" "$W/create.lua" 32 none)
start_server "" --group-commit=false
F_C1=$(results "handoffd POST /api/v1/handoffs, a commit per request" "$H/api/v1/handoffs" "$W/create.lua" 32 create)
F_P1=$(results "handoffd PATCH 64 documents, a commit per request" "$H/" "$W/patch-many.lua" 32 patch)
F_H1=$(results "handoffd PATCH one document (32 writers on it), a commit per request" "$H/api/v1/handoffs/1/document" "$W/patch.lua" 32 patch)
start_server "" --group-commit
F_CG=$(results "handoffd POST /api/v1/handoffs, group commit" "$H/api/v1/handoffs" "$W/create.lua" 32 create)
F_PG=$(results "handoffd PATCH 64 documents, group commit" "$H/" "$W/patch-many.lua" 32 patch)
F_HG=$(results "handoffd PATCH one document (32 writers on it), group commit" "$H/api/v1/handoffs/1/document" "$W/patch.lua" 32 patch)

echo "writes, a slow disk (+${DELAY} µs per fsync)" >&2
S_BARE=$(bare "bare SQLite: one-row transactions, an fsync each (6 KB rows)" "$SHIM")
start_server "$SHIM" --group-commit=false
S_C1=$(results "handoffd POST /api/v1/handoffs, a commit per request" "$H/api/v1/handoffs" "$W/create.lua" 32 create)
S_P1=$(results "handoffd PATCH 64 documents, a commit per request" "$H/" "$W/patch-many.lua" 32 patch)
start_server "$SHIM" --group-commit
S_CG=$(results "handoffd POST /api/v1/handoffs, group commit" "$H/api/v1/handoffs" "$W/create.lua" 32 create)
S_PG=$(results "handoffd PATCH 64 documents, group commit" "$H/" "$W/patch-many.lua" 32 patch)

row() { echo "$1" | awk -F'|' '{printf "| %s | %.0f | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}'; }
brow() { echo "$1" | awk -F'|' '{printf "| %s | %.0f | | | | %.0f |\n", $1, $2, $2}'; }
f() { echo "$1" | cut -d'|' -f"$2"; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }
{
    echo "# Server benchmark"
    echo
    echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`make bench-server\`: wrk -t2, ${SECS}s rounds, median of 3,"
    echo "loopback; handoffd with $THREADS worker threads on SQLite (WAL, synchronous=FULL), nginx with"
    echo "2 workers; reads with 16 connections, writes with 32. Servers, wrk and the bare SQLite loop"
    echo "share the machine's 2 cores."
    echo
    echo '```'
    lscpu | grep -E 'Model name|^CPU\(s\)' | sed 's/  */ /g'
    echo "$(uname -sr); $(nginx -v 2>&1); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'); SQLite $(sqlite3 --version | cut -d' ' -f1)"
    echo '```'
    echo
    echo "\"written/s\" is what the store really wrote: new handoff rows (creates) or new versions"
    echo "of the patched handoff (patches), counted in the database before and after the rounds."
    echo "Every create is a new deal; every PATCH body is different."
    echo
    echo "## Reads"
    echo
    echo "| server | requests/s | p50 ms | p99 ms | non-2xx | written/s |"
    echo "|---|---:|---:|---:|---:|---:|"
    row "$R_H"
    row "$R_N"
    echo
    printf 'handoffd serves %s× nginx'"'"'s rate for the same %s bytes (authentication by bearer\n' "$(ratio "$(f "$R_H" 2)" "$(f "$R_N" 2)")" "$(wc -c <"$W/handoff.json")"
    echo "token, a store read and the rendering, against a static file)."
    echo
    echo "## Durable writes on this machine's disk"
    echo
    echo "| what | requests/s | p50 ms | p99 ms | non-2xx | written/s |"
    echo "|---|---:|---:|---:|---:|---:|"
    brow "$F_BARE"
    row "$F_NC"
    row "$F_C1"
    row "$F_CG"
    row "$F_P1"
    row "$F_PG"
    row "$F_H1"
    row "$F_HG"
    echo
    echo "Group commit against a commit per request: creates $(ratio "$(f "$F_CG" 6)" "$(f "$F_C1" 6)")×, patches $(ratio "$(f "$F_PG" 6)" "$(f "$F_P1" 6)")×,"
    echo "patches of one document $(ratio "$(f "$F_HG" 6)" "$(f "$F_H1" 6)")×."
    echo "Against the bare one-row-per-fsync rate: creates $(ratio "$(f "$F_CG" 6)" "$(f "$F_BARE" 2)")×, patches $(ratio "$(f "$F_PG" 6)" "$(f "$F_BARE" 2)")×."
    echo
    echo "## Durable writes on a slow disk (+$DELAY µs per fsync, \`fsync_delay.so\`)"
    echo
    echo "| what | requests/s | p50 ms | p99 ms | non-2xx | written/s |"
    echo "|---|---:|---:|---:|---:|---:|"
    brow "$S_BARE"
    row "$S_C1"
    row "$S_CG"
    row "$S_P1"
    row "$S_PG"
    echo
    echo "Group commit against a commit per request: creates $(ratio "$(f "$S_CG" 6)" "$(f "$S_C1" 6)")×, patches $(ratio "$(f "$S_PG" 6)" "$(f "$S_P1" 6)")×."
    echo "Against the bare one-row-per-fsync rate: creates $(ratio "$(f "$S_CG" 6)" "$(f "$S_BARE" 2)")×, patches $(ratio "$(f "$S_PG" 6)" "$(f "$S_BARE" 2)")×."
} >"$OUT"
cat "$OUT"
