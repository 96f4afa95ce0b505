#!/bin/sh
# make run: the product on an embedded SQLite database with demo data.
# First run: creates $BUILD/demo.db with 200 demo handoffs and an administrator. Then starts
# handoffd on 127.0.0.1:8080 (HANDOFF_LISTEN overrides), gives one demo person of each role
# a password (scripts/demo-logins.sh) and prints the web app's address with a log-in for
# each role. Ctrl-C stops it.
set -eu
B=${HANDOFF_BUILD:-build}
DB=${HANDOFF_DB:-sqlite:$B/demo.db}
LISTEN=${HANDOFF_LISTEN:-127.0.0.1:8080}
ADMIN=admin@handoff.example
PASSWORD=${HANDOFF_ADMIN_PASSWORD:-handoff-demo-password}
if [ ! -f "$B/demo.db" ] || [ "$DB" != "sqlite:$B/demo.db" ]; then
    "$B/handoff" init --db "$DB" >/dev/null
    if [ "$("$B/handoff" list --db "$DB" --json --limit 1 | wc -l)" -eq 0 ]; then
        echo "Creating demo data (200 handoffs)..."
        "$B/handoff" demo --db "$DB" --deals 200
    fi
    HANDOFF_ADMIN_PASSWORD=$PASSWORD "$B/handoffd" --db "$DB" --create-admin "$ADMIN" >/dev/null 2>&1 || true
fi

"$B/handoffd" --db "$DB" --listen "$LISTEN" &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; exit 0' INT TERM
URL="http://$LISTEN"
i=0
until curl -fsS "$URL/healthz" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$PID" 2>/dev/null; then
        echo "run.sh: handoffd did not start on $LISTEN" >&2
        exit 1
    fi
    sleep 0.1
done
LOGINS=$(sh scripts/demo-logins.sh "$URL" "$ADMIN" "$PASSWORD" "$PASSWORD") || {
    echo "run.sh: could not set the demo passwords" >&2
    kill "$PID"
    exit 1
}
echo
echo "Handoff is running: open $URL/  (database $DB)"
echo
echo "Log in as any of these, each with the password  $PASSWORD"
printf '%s\n' "$LOGINS" | while read -r role email name; do
    printf '  %-18s %-40s %s\n' "$role" "$email" "$name"
done
echo
echo "  API:     $URL/api/v1/openapi.json"
echo "  CLI:     $B/handoff list --db $DB --overdue"
echo "Ctrl-C stops the server."
echo
wait "$PID"
