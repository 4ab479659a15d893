#!/bin/sh
# server.sh start|restart|stop FILE - a throwaway PostgreSQL server for the tests,
# from Debian's postgresql package: initdb in a new directory under /tmp
# (as root the server runs as the unprivileged `postgres` user, which
# initdb requires and which may not be able to enter the build directory),
# listening only on a Unix socket there (no TCP port, nothing shared with
# the machine's own clusters), trust authentication for its one local
# user, started with pg_ctl and stopped (fast) by `stop`.
#
# NETRA_PG_DURABLE=1: the server's own durability defaults (fsync,
# synchronous commit, full pages) and 128 MB of shared buffers, as a
# deployment would run it: what the benchmarks measure.
#
# `start` writes FILE: its first line the target the tests give to --db
# (postgresql:///netra?host=DIR&user=USER), its second the directory.
set -eu
cmd=${1:?start, restart or stop}
file=${2:?the file naming the server}
bin=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bin/initdb" ] || bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "server.sh: PostgreSQL's initdb not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() { # run "$@" as the server's owner
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case $cmd in
start)
    [ -f "$file" ] && sh "$0" stop "$file"
    dir=$(mktemp -d /tmp/netra-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    user=$(as_owner id -un)
    as_owner "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # Small: tests open a few connections; fsync off (a crash of a test
    # server loses nothing anyone needs).
    opts="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB"
    [ "${NETRA_PG_DURABLE:-0}" = 1 ] && opts="-c shared_buffers=128MB"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=60 $opts" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h "$dir" -U "$user" netra
    printf 'postgresql:///netra?host=%s&user=%s\n%s\n' "$dir" "$user" "$dir" >"$file"
    ;;
restart)
    # The same server stopped (fast: connections cut) and started again,
    # as a failover looks to a client.
    dir=$(sed -n 2p "$file")
    case $dir in /tmp/netra-pg.*) ;; *) echo "server.sh: $file names no test server" >&2; exit 1 ;; esac
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 restart >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
stop)
    [ -f "$file" ] || exit 0
    dir=$(sed -n 2p "$file")
    case $dir in /tmp/netra-pg.*) ;; *) echo "server.sh: $file names no test server" >&2; exit 1 ;; esac
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$file"
    ;;
*)
    echo "server.sh: start, restart or stop" >&2
    exit 2
    ;;
esac
