#!/bin/sh
# Install the Debian 12 packages Handoff needs, only the ones that are missing.
# Idempotent: a second run installs nothing and returns quickly.
#
#   scripts/deps.sh [GROUP...]          install what the groups need
#   scripts/deps.sh --list [GROUP...]   print those packages, install nothing
#
# Groups (the build group is always included):
#   build   compile and run: the compiler and the libraries handoff links (make, make run)
#   test    the test suite: cmocka, a PostgreSQL server, curl, jq, node/npm, chromium
#           (the pages' end-to-end tests, tests/e2e/) (make test)
#   lint    clang-format, cppcheck, gettext's msgfmt (make lint, make format)
#   clang   clang, for a build with CC=clang
#   fuzz    clang and its libFuzzer runtime (make fuzz)
#   bench   what the benchmarks compare against: sqlite3, wrk, nginx, hyperfine, bc
#   web     node, npm and chromium for the web pages' tests
#   all     the full list: build, test, lint, clang and fuzz, plus clang-tidy and the
#           libraries of the integrations being written (libical, libcurl, libcmark);
#           what CI installs (.ci/run)
# The Makefile picks the groups from its goals, so `make` and `make run` install only
# the build group.
set -eu

build="build-essential pkg-config ca-certificates tzdata
libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libmicrohttpd-dev libcsv-dev
libexpat1-dev libcurl4-openssl-dev libcmark-dev"
# npm comes with some nodejs packages (NodeSource) and is a package of its own in Debian
npm_pkg=$(command -v npm >/dev/null 2>&1 || echo npm)
test_pkgs="libcmocka-dev postgresql curl jq nodejs $npm_pkg chromium"
lint="clang-format cppcheck gettext"
clang="clang"
fuzz="clang libclang-rt-14-dev"
bench="sqlite3 wrk nginx-light hyperfine bc curl jq"
web="nodejs $npm_pkg chromium"
extra="clang-tidy libical-dev libcmark-dev"

list=0
if [ "${1:-}" = --list ]; then
    list=1
    shift
fi

pkgs=$build
for group in "$@"; do
    case "$group" in
    build) ;;
    test) pkgs="$pkgs $test_pkgs" ;;
    lint) pkgs="$pkgs $lint" ;;
    clang) pkgs="$pkgs $clang" ;;
    fuzz) pkgs="$pkgs $fuzz" ;;
    bench) pkgs="$pkgs $bench" ;;
    web) pkgs="$pkgs $web" ;;
    all) pkgs="$pkgs $test_pkgs $lint $clang $fuzz $extra" ;;
    *)
        echo "deps.sh: unknown group '$group' (build, test, lint, clang, fuzz, bench, web, all)" >&2
        exit 64
        ;;
    esac
done
# each package once, in a stable order
pkgs=$(printf '%s\n' $pkgs | awk 'NF && !seen[$0]++')

if [ "$list" = 1 ]; then
    printf '%s\n' "$pkgs"
    exit 0
fi

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
