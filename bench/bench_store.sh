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

floor_sql() {
    # the rows an import writes for each line, by INSERT ... SELECT from the table
    # `sqlite3 .import` loaded: no C code, no evaluation, one statement per table
    rm -f "$W/floor.db" "$W/floor.db-wal" "$W/floor.db-shm"
    "$B/handoff" init --db "sqlite:$W/floor.db" >/dev/null
    t0=$(now)
    sqlite3 "$W/floor.db" >/dev/null <<EOF
PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
ATTACH '$W/raw.db' AS r;
BEGIN IMMEDIATE;
INSERT INTO deals (workspace_id, crm_source, crm_id, name, account, owner, stage, amount,
  close_day, is_won, created_at, updated_at)
  SELECT 1, 'salesforce', Id, Name, AccountId, OwnerId, StageName, Amount, 20486, 1,
  1796105222, 1796105222 FROM r.deals;
INSERT INTO handoffs (workspace_id, deal_id, status, version, trigger_kind, owner, company,
  quality_total, band, completeness_d, ready, protocol_version, created_at, updated_at)
  SELECT 1, id, 'draft', 1, 'contract_signature', owner, account, 1, 'substandard', 51, 0,
  '2026.1', 1796105222, 1796105222 FROM deals;
INSERT INTO handoff_versions SELECT 1, h.id, 1, 'bench', 1796105222,
  '["schema","deal","customer","commercial","updated_at"]',
  '{"schema":"handoff/1","deal":{"crm_id":"' || d.crm_id || '","name":"' || d.name ||
  '","owner":{"name":"' || d.owner || '"},"trigger":"contract_signature","contract_status":' ||
  '"draft"},"customer":{"company_name":"' || d.account || '"},"commercial":{"acv":' ||
  d.amount || '},"updated_at":"2026-12-01T06:07:02Z"}'
  FROM handoffs h JOIN deals d ON d.id = h.deal_id;
INSERT INTO handoff_transitions (workspace_id, handoff_id, from_status, to_status, actor, at,
  reason) SELECT 1, id, NULL, 'draft', 'bench', 1796105222, 'created' FROM handoffs;
COMMIT;
EOF
    t1=$(now)
    echo "$t1 - $t0" | bc
}
echo "the same rows by INSERT ... SELECT x3" >&2
f1=$(floor_sql); f2=$(floor_sql); f3=$(floor_sql)
FLOOR=$(median3 "$f1" "$f2" "$f3")

echo "handoff import (one run), then again (every deal known)" >&2
"$B/handoff" init --db "sqlite:$W/h.db" >/dev/null
t0=$(now)
"$B/handoff" import --db "sqlite:$W/h.db" --json "$W/deals.csv" >"$W/import.json" 2>/dev/null
t1=$(now)
IMPORT=$(echo "$t1 - $t0" | bc)
DBSIZE=$(du -m "$W/h.db" | cut -f1)
t0=$(now)
"$B/handoff" import --db "sqlite:$W/h.db" --json "$W/deals.csv" >"$W/reimport.json" 2>/dev/null
t1=$(now)
REIMPORT=$(echo "$t1 - $t0" | bc)

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
    printf '| the same rows as `handoff import` writes (deal, handoff, version, history; every index) by `INSERT ... SELECT` from that table, SQL alone (median of 3) | %.2f | %.0f |\n' "$FLOOR" "$(echo "$N / $FLOOR" | bc -l)"
    printf '| `handoff import`: upsert deal + create and evaluate a draft handoff, versioned, indexed, durable | %.2f | %.0f |\n' "$IMPORT" "$(echo "$N / $IMPORT" | bc -l)"
    printf '| `handoff import` of the same file again: every deal updated, no handoff to create | %.2f | %.0f |\n' "$REIMPORT" "$(echo "$N / $REIMPORT" | bc -l)"
    echo
    printf 'Import / `sqlite3 .import`: %.1f× the time (the SQL alone: %.1f×). Result: `%s`, then `%s`; database %s MB.\n' "$(echo "$IMPORT / $RAW" | bc -l)" "$(echo "$FLOOR / $RAW" | bc -l)" "$(cat "$W/import.json")" "$(cat "$W/reimport.json")" "$DBSIZE"
    echo
    echo "## Queries and durable edits at $N handoffs (varied documents made by bench_store: 4 segments, 10 owners, 6 CSMs, every band and status)"
    echo
    echo '```'
    cat "$W/store.txt"
    echo '```'
} >"$OUT"
cat "$OUT"
