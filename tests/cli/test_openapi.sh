#!/bin/sh
# The OpenAPI document that handoffd serves at /api/v1/openapi.json: it is valid OpenAPI 3.1
# (checked by a real validator from npm, tests/openapi/validate.mjs) and it documents exactly
# the routes of the server's route table (handoffd --routes), with their access rules.
# TAP output.
#
# Needs node, npm, curl and jq (scripts/deps.sh test installs them). The validator's
# packages are installed into tests/openapi/node_modules from the committed
# package-lock.json when they are missing (npm ci): the npm registry must be reachable the
# first time. When it is not, the test fails saying so (network or registry) and still runs
# the checks that do not need the validator.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${HANDOFF_BUILD:-build}
HANDOFFD=$BUILD/handoffd
T=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() {
    n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; shift
    for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}
finish() { echo "1..$n"; [ "$fails" -eq 0 ]; exit $?; }

for tool in curl jq; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        bad "$tool is installed" "install it: sh scripts/deps.sh test"
        finish
    fi
done
if [ ! -x "$HANDOFFD" ]; then
    bad "handoffd is built" "no $HANDOFFD: make BUILD=$BUILD $HANDOFFD"
    finish
fi

# 1. the server's own route table (handoffd --routes): method, pattern (`{}` is one path
#    segment), access (anon; read: signed in, a token needs the read scope; write: a token
#    needs the write scope)
"$HANDOFFD" --routes >"$T/want" 2>"$T/routes.err"
if [ -s "$T/want" ] && awk 'NF != 3 || $3 !~ /^(anon|read|write)$/ { exit 1 }' "$T/want"; then
    ok "handoffd --routes lists $(wc -l <"$T/want") routes"
else
    bad "handoffd --routes lists the route table" "$(head -5 "$T/want")" "$(cat "$T/routes.err")"
fi

# The validator, from the committed lock file. Installing it needs the npm registry
# (once: node_modules stays). When that fails, say why, loudly, and still run every check
# that does not need it; check 3 then fails too, rather than pass unchecked.
validator=""
npm_why() { # npm's log -> why npm ci failed, for a person
    registry=$(npm config get registry 2>/dev/null || echo "the npm registry")
    if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|proxy' "$1"; then
        echo "network: npm cannot reach the registry $registry"
    elif grep -Eq 'E40[0-9]|E5[0-9][0-9]|ETARGET|notarget|Not Found' "$1"; then
        echo "registry: $registry refused the packages of tests/openapi/package-lock.json"
    elif grep -Eq 'EINTEGRITY|integrity' "$1"; then
        echo "integrity: a package from $registry does not match package-lock.json"
    else
        echo "npm ci failed; its log says why"
    fi
}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    bad "node and npm are installed (the OpenAPI validator runs on node)" \
        "install them: sh scripts/deps.sh test"
elif [ -d tests/openapi/node_modules/@seriousme/openapi-schema-validator ] &&
    [ -d tests/openapi/node_modules/ajv ]; then
    validator=tests/openapi/validate.mjs
elif npm ci --prefix tests/openapi --no-audit --no-fund >"$T/npm.log" 2>&1; then
    ok "npm ci installs the validator"
    validator=tests/openapi/validate.mjs
else
    bad "npm ci installs the validator from the npm registry" "$(npm_why "$T/npm.log")" \
        "this test needs the registry once, to install tests/openapi/node_modules from the" \
        "committed package-lock.json: connect to it, point npm_config_registry at a mirror," \
        "or copy a node_modules installed elsewhere; npm said:" "$(tail -15 "$T/npm.log")"
fi

# the server, on a fresh database and a free port
"$HANDOFFD" --db "sqlite:$T/db" --listen 127.0.0.1:0 --port-file "$T/port" --quiet \
    >"$T/server.log" 2>&1 &
pid=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
done
if [ ! -s "$T/port" ]; then
    bad "handoffd starts" "no port file after 10 s" "$(tail -5 "$T/server.log")"
    finish
fi
URL="http://127.0.0.1:$(cat "$T/port")"

# 2. served as JSON, and the very file docs/openapi.json
code=$(curl -s --max-time 10 -o "$T/openapi.json" -w '%{http_code} %{content_type}' \
    "$URL/api/v1/openapi.json")
if [ "$code" != "200 application/json" ]; then
    bad "GET /api/v1/openapi.json answers 200 application/json" "got: $code"
    finish
fi
if ! jq -e . "$T/openapi.json" >/dev/null 2>"$T/jq.err"; then
    bad "the served document is JSON" "$(cat "$T/jq.err")"
    finish
fi
if jq -S . docs/openapi.json >"$T/file.json" 2>&1 && jq -S . "$T/openapi.json" | cmp -s - "$T/file.json"; then
    ok "the served document is docs/openapi.json"
else
    bad "the served document is docs/openapi.json" "rebuild handoffd after changing docs/openapi.json"
fi

# 3. valid OpenAPI 3.1 for a real validator
if [ -z "$validator" ]; then
    bad "openapi document is valid OpenAPI 3.1" "not checked: no validator (see above)"
elif node "$validator" "$T/openapi.json" >"$T/validate.out" 2>&1; then
    ok "openapi document is valid OpenAPI 3.1"
else
    bad "openapi document is valid OpenAPI 3.1" "$(grep -v '^1\.\.' "$T/validate.out" | head -60)"
fi

# The document's operations as "METHOD /pattern access", path parameters turned into `{}`
# and access read from the effective security: anon when a requirement is empty, write
# when every bearer alternative needs the write scope, else read.
jq -r '
  (.security // []) as $global
  | .paths | to_entries[] | .key as $path | .value | to_entries[]
  | select(.key | IN("get", "put", "post", "delete", "patch", "head", "options", "trace"))
  | (.value.security // $global) as $sec
  | [$sec[] | select(has("bearerToken")) | .bearerToken] as $bearer
  | (if ($sec | length) == 0 or any($sec[]; . == {}) then "anon"
     elif ($bearer | length) > 0 and all($bearer[]; any(.[]; . == "write")) then "write"
     else "read" end) as $access
  | "\(.key | ascii_upcase) \($path | gsub("\\{[^}/]*\\}"; "{}")) \($access)"
' "$T/openapi.json" >"$T/doc" 2>"$T/jq.err" || bad "jq reads the paths" "$(cat "$T/jq.err")"

cut -d' ' -f1,2 "$T/want" | sort >"$T/want.routes"
cut -d' ' -f1,2 "$T/doc" | sort >"$T/doc.routes"

# 4. every route of the table is documented
missing=$(comm -23 "$T/want.routes" "$T/doc.routes")
if [ -z "$missing" ]; then
    ok "every route of the route table is in the document's paths"
else
    bad "every route of the route table is in the document's paths" "missing:" "$missing"
fi

# 5. and nothing else
extra=$(comm -13 "$T/want.routes" "$T/doc.routes")
if [ -z "$extra" ]; then
    ok "the document has no operation the server does not route"
else
    bad "the document has no operation the server does not route" "not routed:" "$extra"
fi

# 6. anonymous routes say so, authenticated ones require credentials, write routes the
#    write scope
sort "$T/want" >"$T/want.sorted"
sort "$T/doc" >"$T/doc.sorted"
wrong=$(comm -23 "$T/want.sorted" "$T/doc.sorted" | while read -r m p a; do
    got=$(grep "^$m $p " "$T/doc.sorted" | cut -d' ' -f3)
    [ -n "$got" ] && echo "$m $p: $a in the route table, $got in the document"
done)
if [ -z "$wrong" ]; then
    ok "security of every operation matches the route table (anonymous, read, write)"
else
    bad "security of every operation matches the route table (anonymous, read, write)" "$wrong"
fi

# 7. operation ids are unique
dups=$(jq -r '[.paths[][] | objects | .operationId] | group_by(.) | map(select(length > 1) | .[0]) | .[]' \
    "$T/openapi.json")
if [ -z "$dups" ]; then
    ok "operationIds are unique"
else
    bad "operationIds are unique" "$dups"
fi

finish
