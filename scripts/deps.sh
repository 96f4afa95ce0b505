#!/bin/sh
# Install the Debian 12 packages Handoff needs, only the ones that are missing.
# Idempotent: a second run installs nothing and returns quickly.
#
#   scripts/deps.sh            build + test dependencies (chromium: the web pages'
#                              end-to-end tests, tests/e2e/)
#   scripts/deps.sh bench      also the tools the benchmarks compare against
#   scripts/deps.sh fuzz       also clang's libFuzzer runtime
set -eu

pkgs="build-essential pkg-config ca-certificates tzdata curl jq nodejs $(command -v npm >/dev/null 2>&1 || echo npm)
libjansson-dev libsqlite3-dev sqlite3 libpq-dev postgresql
libsodium-dev libmicrohttpd-dev libcsv-dev libical-dev libcurl4-openssl-dev
libcmark-dev libcmocka-dev gettext
clang clang-format clang-tidy cppcheck
chromium"

for group in "$@"; do
    case "$group" in
    bench) pkgs="$pkgs wrk nginx-light hyperfine bc" ;;
    fuzz) pkgs="$pkgs clang libclang-rt-14-dev" ;;
    web) pkgs="$pkgs nodejs npm chromium" ;;
    *) echo "deps.sh: unknown group '$group' (bench, fuzz, web)" >&2; exit 64 ;;
    esac
done

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "deps.sh: missing packages:$missing; run as root to install them" >&2
        exit 1
    fi
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
