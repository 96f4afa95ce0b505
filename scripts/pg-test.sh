#!/bin/sh
# A throwaway PostgreSQL cluster for the tests, in a directory of its own.
#
#   scripts/pg-test.sh start DIR   create the cluster in DIR (empty or missing) and start it
#   scripts/pg-test.sh url DIR     print its libpq URL (database handoff_test)
#   scripts/pg-test.sh stop DIR    stop it and remove DIR
#
# The server listens on no TCP port, only on a unix socket in DIR itself (mode 0700), with
# trust authentication: only the owner of DIR (and root) can reach it. fsync and
# synchronous_commit stay on, as in production, so the tests see real durability costs.
# As root (CI), the cluster belongs to the `postgres` system user of the Debian package,
# since PostgreSQL refuses to run as root; the tests, still root, connect through the
# socket as database user postgres. Otherwise it belongs to the current user.
#
# Each command may be repeated: start on a running cluster, or stop on a missing one,
# does nothing. A start that fails removes everything it made and shows the server log.
# DIR must be short: a unix socket path holds at most 107 bytes.
set -eu

usage() {
    echo "usage: pg-test.sh start|stop|url DIR" >&2
    exit 64
}
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
MARK=.handoff-pg-test
DB=handoff_test

die() {
    echo "pg-test.sh: $*" >&2
    exit 1
}

# the newest installed major version of the Debian layout, else whatever is on PATH
bindir=""
for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] || continue
    v=${d#/usr/lib/postgresql/}
    v=${v%/bin}
    if [ -z "$bindir" ] || [ "$v" -gt "$best" ] 2>/dev/null; then
        bindir=$d
        best=$v
    fi
done
if [ -z "$bindir" ]; then
    initdb_path=$(command -v initdb 2>/dev/null) || true
    [ -n "$initdb_path" ] || die "initdb not found: install the postgresql package (scripts/deps.sh)"
    bindir=$(dirname "$initdb_path")
fi

if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    id "$owner" >/dev/null 2>&1 || die "no '$owner' system user: install the postgresql package"
else
    owner=$(id -un)
fi

# run a PostgreSQL program as the owner of the cluster, from a directory it can enter
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u "$owner" -- "$@")
    else
        (cd / && "$@")
    fi
}

# percent-encode everything but unreserved characters (RFC 3986), for host= in the URL
urlencode() {
    printf '%s' "$1" | od -An -v -tx1 | tr ' ' '\n' | while read -r h; do
        [ -n "$h" ] || continue
        case $h in
        2d | 2e | 5f | 7e | 3[0-9] | 4[1-9a-f] | 5[0-9a] | 6[1-9a-f] | 7[0-9a])
            # shellcheck disable=SC2059
            printf "\\$(printf %03o "0x$h")"
            ;;
        *) printf '%%%s' "$(echo "$h" | tr a-f A-F)" ;;
        esac
    done
}

is_ours() {
    [ -f "$dir/$MARK" ]
}

running() {
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

do_stop() {
    [ -d "$dir" ] || return 0
    if [ -z "$(ls -A "$dir")" ]; then
        rmdir "$dir"
        return 0
    fi
    is_ours || die "$dir is not a test cluster made by pg-test.sh; not removing it"
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
            true
        # a postmaster that ignored both requests must not outlive its data directory
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
        if [ -n "$pid" ] && [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = postgres ]; then
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$dir"
}

# EXIT trap of a start: on failure, show the end of the server log and remove what was made
start_failed() {
    status=$?
    [ "$status" -eq 0 ] && return 0
    [ -f "$dir/log" ] && tail -n 30 "$dir/log" | sed "s/^/pg-test.sh: log: /" >&2
    if is_ours; then
        do_stop
    elif [ -n "$created" ]; then
        rmdir "$dir"
    fi
    exit "$status"
}

do_start() {
    created=""
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir"
        created=1
    fi
    dir=$(cd "$dir" && pwd)
    if is_ours && running; then
        return 0
    fi
    if ! is_ours && [ -n "$(ls -A "$dir")" ]; then
        die "$dir is not empty: give an empty or missing directory"
    fi
    # from here on, a failure removes the cluster and the directory
    trap start_failed EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    [ ${#dir} -le 80 ] || die "$dir is too long for a unix socket path: use a shorter one"
    : >"$dir/$MARK"
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown "$owner" "$dir"
        runuser -u "$owner" -- test -w "$dir" ||
            die "$dir is out of reach of the $owner user: use a directory under /tmp"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        rm -rf "$dir/data"
        as_owner "$bindir/initdb" -D "$dir/data" --auth=trust --username="$owner" \
            --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
            { cat "$dir/initdb.log" >&2; die "initdb failed"; }
        cat >>"$dir/data/postgresql.conf" <<EOF
# pg-test.sh: private socket only, durable as in production
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 50
EOF
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start >/dev/null ||
        die "the server did not start"
    if ! as_owner "$bindir/psql" -h "$dir" -U "$owner" -d postgres -XAtq \
        -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
        as_owner "$bindir/createdb" -h "$dir" -U "$owner" "$DB" || die "createdb failed"
    fi
    trap - EXIT INT TERM
}

case "$cmd" in
start)
    do_start
    ;;
stop)
    [ -d "$dir" ] || exit 0
    dir=$(cd "$dir" && pwd)
    do_stop
    ;;
url)
    [ -d "$dir" ] || die "no test cluster in $dir"
    dir=$(cd "$dir" && pwd)
    is_ours || die "no test cluster in $dir"
    echo "postgresql:///$DB?host=$(urlencode "$dir")&user=$(urlencode "$owner")"
    ;;
*)
    usage
    ;;
esac
