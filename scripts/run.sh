#!/bin/sh
# make run: the product on an embedded SQLite database with demo data.
# First run: creates $BUILD/demo.db with 200 demo handoffs and an administrator, then
# starts handoffd on 127.0.0.1:8080 (HANDOFF_LISTEN overrides). Ctrl-C stops it.
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
echo
echo "Handoff is starting on http://$LISTEN  (database $DB)"
echo "  log in:  curl -c jar -H 'Content-Type: application/json' \\"
echo "             -d '{\"email\":\"$ADMIN\",\"password\":\"$PASSWORD\"}' http://$LISTEN/api/v1/session"
echo "  or look: $B/handoff list --db $DB --overdue"
echo "           $B/handoff show --db $DB 1"
echo "  API:     http://$LISTEN/api/v1/openapi.json"
echo
exec "$B/handoffd" --db "$DB" --listen "$LISTEN"
