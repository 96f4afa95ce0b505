#!/bin/sh
# The webhook signatures of src/integrations/ against the vendors' reference code from npm,
# both ways: @hubspot/api-client's Signature (HubSpot v1, v2, v3) and standardwebhooks
# (Standard Webhooks 1.0) check what build/tests/hook_sign signs, and hook_sign checks what
# they sign (tests/hooks-peers/peers.mjs). TAP output.
#
# Needs node and npm (scripts/deps.sh installs them). The packages are installed into
# tests/hooks-peers/node_modules from the committed package-lock.json when that folder is
# missing (npm ci, so the npm registry must be reachable the first time); when that fails
# the test fails: it never skips.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${HANDOFF_BUILD:-build}
HOOK_SIGN=$BUILD/tests/hook_sign
PEERS=tests/hooks-peers
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

. tests/lib/tap.sh

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        bad "$tool is installed" "install it: sh scripts/deps.sh"
        tap_end
        exit 1
    fi
done
if [ ! -x "$HOOK_SIGN" ]; then
    bad "hook_sign is built" "no $HOOK_SIGN: make BUILD=$BUILD $HOOK_SIGN"
    tap_end
    exit 1
fi
if [ ! -d "$PEERS/node_modules/@hubspot/api-client" ] || [ ! -d "$PEERS/node_modules/standardwebhooks" ]; then
    if npm ci --prefix "$PEERS" --no-audit --no-fund >"$T/npm.log" 2>&1; then
        echo "# npm ci installed the reference packages into $PEERS/node_modules"
    else
        bad "npm ci installs @hubspot/api-client and standardwebhooks" "$(tail -20 "$T/npm.log")"
        tap_end
        exit 1
    fi
fi

# peers.mjs prints the TAP stream (plan included) and exits 1 on a failure
node "$PEERS/peers.mjs" "$HOOK_SIGN"
