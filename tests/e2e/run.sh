#!/bin/sh
# End-to-end tests of the web pages in a real browser: headless Chromium (Debian's
# package) driven by playwright-core, every page checked by axe-core, with and without
# JavaScript, in each language. TAP output (node --test).
#
#   HANDOFF_BUILD=build sh tests/e2e/run.sh
#
# Starts handoffd on an ephemeral port against a fresh SQLite database made with
# `handoff init` and `handoff demo`, gives one person of each role a password
# (scripts/demo-logins.sh), then runs tests/e2e/*.test.mjs. Screenshots of every page in
# each language go to $HANDOFF_BUILD/screenshots/. The npm packages are installed into
# tests/e2e/node_modules from the committed package-lock.json (npm ci) when missing.
# Nothing is skipped: without chromium, node or the packages the run fails.
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${HANDOFF_BUILD:-build}
T=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bail() {
    echo "not ok 1 - e2e setup: $1"
    [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/#   /'
    echo "1..1"
    exit 1
}

CHROMIUM=${HANDOFF_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || bail "$CHROMIUM not found (Debian package chromium: scripts/deps.sh installs it)"
command -v node >/dev/null 2>&1 || bail "node not found (Debian package nodejs)"
if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ] ||
    [ tests/e2e/package-lock.json -nt tests/e2e/node_modules ]; then
    (cd tests/e2e && npm ci --no-audit --no-fund >"$T/npm.log" 2>&1) ||
        bail "npm ci in tests/e2e failed" "$(tail -20 "$T/npm.log")"
    touch tests/e2e/node_modules
fi

# a fresh database: schema, 30 demo handoffs with their people, the administrator
DB="sqlite:$T/e2e.db"
ADMIN=admin@e2e.example
PASSWORD=e2e-password-0123
"$B/handoff" init --db "$DB" >/dev/null 2>"$T/err" || bail "handoff init failed" "$(cat "$T/err")"
"$B/handoff" demo --db "$DB" --deals 30 >/dev/null 2>"$T/err" || bail "handoff demo failed" "$(cat "$T/err")"
HANDOFF_ADMIN_PASSWORD=$PASSWORD "$B/handoffd" --db "$DB" --create-admin "$ADMIN" >/dev/null 2>"$T/err" ||
    bail "cannot create the administrator" "$(cat "$T/err")"
"$B/handoffd" --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" --quiet --rate 0 2>"$T/server.log" &
PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$T/port" ] || bail "handoffd did not start" "$(cat "$T/server.log")"
URL="http://127.0.0.1:$(cat "$T/port")"
sh scripts/demo-logins.sh "$URL" "$ADMIN" "$PASSWORD" "$PASSWORD" >"$T/logins" 2>"$T/err" ||
    bail "could not give the demo people passwords" "$(cat "$T/err")"

mkdir -p "$B/screenshots"
HANDOFF_URL=$URL HANDOFF_LOGINS=$T/logins HANDOFF_PASSWORD=$PASSWORD HANDOFF_CHROMIUM=$CHROMIUM \
    HANDOFF_SCREENSHOTS=$B/screenshots HANDOFF_ADMIN=$ADMIN \
    node --test --test-reporter=tap --test-concurrency=1 ${HANDOFF_E2E_FILES:-tests/e2e/*.test.mjs}
rc=$?
if ! kill -0 "$PID" 2>/dev/null; then
    echo "not ok - handoffd died during the tests"
    cat "$T/server.log" | sed 's/^/#   /'
    rc=1
fi
exit $rc
