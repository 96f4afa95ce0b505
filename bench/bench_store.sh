#!/bin/sh
# make bench-store: CSV import of N rows against `sqlite3 .import` of the same file, then
# list/filter queries and durable single-document edits at N handoffs (bench_store).
# Writes bench/results/store.md. N defaults to 1,000,000; BENCH_ROWS overrides.
set -eu
B=${HANDOFF_BUILD:-build}
N=${BENCH_ROWS:-1000000}
W=$(mktemp -d /tmp/handoff-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
OUT=bench/results/store.md

now() { date +%s.%N; }
median3() { printf '%s\n%s\n%s\n' "$1" "$2" "$3" | sort -g | sed -n 2p; }

echo "generating $N rows" >&2
sh bench/gen_deals.sh "$N" >"$W/deals.csv"
SIZE=$(du -m "$W/deals.csv" | cut -f1)

raw() {
    rm -f "$W/raw.db"
    t0=$(now)
    sqlite3 "$W/raw.db" ".import --csv $W/deals.csv deals"
    t1=$(now)
    echo "$t1 - $t0" | bc
}
echo "sqlite3 .import x3" >&2
r1=$(raw); r2=$(raw); r3=$(raw)
RAW=$(median3 "$r1" "$r2" "$r3")

parse_only() {
    # the CSV reader alone: import into a database that refuses nothing, without handoffs
    t0=$(now)
    "$B/bench/bench_csv" "$W/deals.csv" >/dev/null
    t1=$(now)
    echo "$t1 - $t0" | bc
}
p1=$(parse_only); p2=$(parse_only); p3=$(parse_only)
PARSE=$(median3 "$p1" "$p2" "$p3")

echo "handoff import (one run)" >&2
t0=$(now)
"$B/handoff" import --db "sqlite:$W/h.db" --json "$W/deals.csv" >"$W/import.json" 2>/dev/null
t1=$(now)
IMPORT=$(echo "$t1 - $t0" | bc)
DBSIZE=$(du -m "$W/h.db" | cut -f1)

echo "queries and edits" >&2
"$B/bench/bench_store" "sqlite:$W/q.db" "$N" 2000 >"$W/store.txt" 2>/dev/null

{
    echo "# Storage benchmark"
    echo
    echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`make bench-store\` (BENCH_ROWS=$N)."
    echo
    echo "## Machine"
    echo
    echo '```'
    lscpu | grep -E 'Model name|^CPU\(s\)|Thread|MHz' | sed 's/  */ /g'
    free -g | sed -n 2p | awk '{print "Memory: " $2 " GiB"}'
    df -h /tmp | tail -1 | awk '{print "Disk (/tmp): " $1 " " $2}'
    echo "SQLite $(sqlite3 --version | cut -d' ' -f1), $(uname -sr)"
    echo '```'
    echo
    echo "The machine is shared and noisy: import times are single runs, the others medians."
    echo
    echo "## Import of a $N-row Salesforce export ($SIZE MB), every row closed-won"
    echo
    echo "| what | seconds | rows/s |"
    echo "|---|---:|---:|"
    printf '| `sqlite3 .import` into one bare table (median of 3) | %.2f | %.0f |\n' "$RAW" "$(echo "$N / $RAW" | bc -l)"
    printf '| CSV reader alone: parse and normalize every row (median of 3) | %.2f | %.0f |\n' "$PARSE" "$(echo "$N / $PARSE" | bc -l)"
    printf '| `handoff import`: upsert deal + create and evaluate a draft handoff, versioned, indexed, durable | %.2f | %.0f |\n' "$IMPORT" "$(echo "$N / $IMPORT" | bc -l)"
    echo
    printf 'Import / `sqlite3 .import`: %.1f× the time. Result: `%s`; database %s MB.\n' "$(echo "$IMPORT / $RAW" | bc -l)" "$(cat "$W/import.json")" "$DBSIZE"
    echo
    echo "## Queries and durable edits at $N handoffs (varied documents made by bench_store: 4 segments, 10 owners, 6 CSMs, every band and status)"
    echo
    echo '```'
    cat "$W/store.txt"
    echo '```'
} >"$OUT"
cat "$OUT"
