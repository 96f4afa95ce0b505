#!/bin/sh
# demo-logins.sh URL ADMIN_EMAIL ADMIN_PASSWORD PASSWORD: give one demo person of each role
# a password, so the web app can be tried as each of them; print "ROLE EMAIL NAME" lines.
#
# Demo people (handoff demo) have no password. Through the running server's API, as the
# RevOps administrator, this sets PASSWORD on the first active user of each of the roles
# account_executive, sales_manager, csm and cs_manager, and creates viewer@demo.example
# (the demo has no viewer). The administrator itself is the revops line. Needs curl and jq.
set -eu
URL=$1
ADMIN=$2
ADMIN_PASSWORD=$3
PASSWORD=$4
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

body=$(jq -cn --arg e "$ADMIN" --arg p "$ADMIN_PASSWORD" '{email: $e, password: $p}')
curl -fsS -c "$T/jar" -H 'Content-Type: application/json' -d "$body" "$URL/api/v1/session" >"$T/session"
CSRF=$(jq -r .csrf_token "$T/session")
api() { # METHOD PATH [JSON]
    if [ $# -gt 2 ]; then
        curl -fsS -b "$T/jar" -X "$1" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
            -d "$3" "$URL$2"
    else
        curl -fsS -b "$T/jar" -X "$1" -H "X-CSRF-Token: $CSRF" "$URL$2"
    fi
}
api GET /api/v1/users >"$T/users"
for role in account_executive sales_manager csm cs_manager; do
    jq -r --arg r "$role" '[.items[] | select(.role == $r and .active)][0] | "\(.id)\t\(.email)\t\(.name)"' \
        "$T/users" >"$T/one"
    IFS='	' read -r id email name <"$T/one"
    if [ "$id" = null ]; then
        echo "demo-logins.sh: no $role in the demo data" >&2
        exit 1
    fi
    api PATCH "/api/v1/users/$id" "$(jq -cn --arg p "$PASSWORD" '{password: $p}')" >/dev/null
    printf '%s %s %s\n' "$role" "$email" "$name"
done
viewer=viewer@demo.example
if ! jq -e --arg e "$viewer" '.items[] | select(.email == $e)' "$T/users" >/dev/null; then
    api POST /api/v1/users "$(jq -cn --arg e "$viewer" --arg p "$PASSWORD" \
        '{email: $e, name: "Vera Viewer", role: "viewer", password: $p}')" >/dev/null
fi
printf 'viewer %s %s\n' "$viewer" "Vera Viewer"
printf 'revops %s %s\n' "$ADMIN" "$ADMIN"
