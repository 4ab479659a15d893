#!/bin/sh
# bench_web_pg.sh - the review queue under 8 clients while workers write
# (issue 17's measure), on PostgreSQL beside SQLite in the same run.
#
# bench_review's database (1,000,000 posts; its queue) is served by `netra
# serve` from a copy of the SQLite file and from a PostgreSQL copy made by
# `netra migrate-store` on the server PG_BASE names. For each engine: wrk, 8
# clients for 10 s, on the queue's pages (a reviewer's first page, the
# admin's, the admin's under a category filter, the app's request with the
# filter bar's counts, a search for a common word and for a rare name)
# and statistics tables (by agency and category, by week and age: from
# the server's copy of the items, kept up to date from the writers'
# commits; by lexicon entry: from its counts), first idle, then while two `netra ingest` workers
# store, score and queue new posts into the same database (one in seven
# political, written by this script; batches of 20,000, one after
# another). Reported: p50 and p95 per page idle and while writing, and the
# posts per second the workers stored meanwhile.
#
#   bench/bench_web_pg.sh NETRA DB PG_BASE   (from the build directory; DB is
#                                             bench_review's)
set -eu
NETRA=${1:?the netra binary}
DB=${2:?the database of bench_review}
BASE=${3:?the PostgreSQL server, postgresql:///netra?host=...}
command -v wrk >/dev/null || { echo "bench_web_pg: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$DB" ] || ./bench/bench_review "$NETRA" "$DB" >/dev/null

# The PostgreSQL copy: a database of its own, made afresh.
psql "$BASE" -qAt -c "DROP DATABASE IF EXISTS netra_bench_web" -c "CREATE DATABASE netra_bench_web" >/dev/null
PG=$(echo "$BASE" | sed "s|///[a-z_]*?|///netra_bench_web?|")
t0=$(date +%s)
"$NETRA" --db "$DB" migrate-store --to "$PG" >/dev/null
echo "bench_web_pg: $DB moved into PostgreSQL in $(($(date +%s) - t0)) s"
# The SQLite side on a copy: the writers must not grow bench_review's file.
cp "$DB" bench-web-pg.db
# A shared database names its audit key and checkpoint log (the copy's:
# the same key, a log of its own).
export NETRA_AUDIT_KEY="$PWD/$DB.audit-key"
log_of() { echo "$PWD/bench-web-pg.$1.audit-checkpoints"; }
for engine in sqlite postgresql; do
    target=bench-web-pg.db
    [ "$engine" = postgresql ] && target=$PG
    for u in admin rina; do
        echo "bench-sandi-123" | NETRA_AUDIT_CHECKPOINTS=$(log_of $engine) \
            "$NETRA" --db "$target" --as admin user passwd "$u" --password-stdin >/dev/null
    done
done

. "$(dirname "$0")/web.sh"

# gen WORKER BATCH: 20,000 new posts of bench_review's accounts as NDJSON.
gen() {
    awk -v w="$1" -v b="$2" 'BEGIN {
        for (i = 1; i <= 20000; i++) {
            e = 1 + (i * 7919 + b * 104729 + w * 31) % 20000
            t = i % 7 == 0 ? "Ayo coblos nomor 2, Prabowo Gibran satu putaran! #PrabowoGibran2024" \
                           : "Rapat koordinasi unit kerja berjalan lancar hari ini, terima kasih"
            printf "{\"id\":\"wr%d-%d-%d\",\"platform\":\"mastodon\",\"account\":\"pegawai%d_%d@instansi.example\",\"text\":\"%s (%d-%d)\",\"created_at\":\"2023-11-%02dT%02d:%02d:00Z\"}\n",
                w, b, i, e, i % 2, t, b, i, 1 + i % 28, i % 24, i % 60
        }
    }'
}
# writer TARGET W: ingests batch after batch until killed.
writer() {
    b=0
    while :; do
        b=$((b + 1))
        gen "$2" "$b" >"bench-web-pg-w$2.ndjson"
        "$NETRA" --db "$1" --as admin ingest "bench-web-pg-w$2.ndjson" >/dev/null 2>&1 &
        echo $! >"bench-web-pg-w$2.pid"
        wait $! || exit 1
    done
}
posts() { # posts TARGET: how many posts it holds
    case "$1" in
    postgresql:*) psql "$1" -qAtc "SELECT count(*) FROM posts" ;;
    *) sqlite3 "$1" "SELECT count(*) FROM posts" ;;
    esac
}

for engine in sqlite postgresql; do
    target=bench-web-pg.db
    [ "$engine" = postgresql ] && target=$PG
    export NETRA_AUDIT_CHECKPOINTS="$(log_of $engine)"
    serve_start "$NETRA" "$target" bench-web-pg.log
    R=$(cookie rina)
    A=$(cookie admin)
    open=$(curl -s -H "Cookie: $A" "${U}api/queue?limit=1&facets=1" | jq -r '.total')
    echo "$engine: $open items in the admin's queue"
    for phase in idle writing; do
        if [ "$phase" = writing ]; then
            before=$(posts "$target")
            w0=$(date +%s.%N)
            writer "$target" 1 &
            w1=$!
            writer "$target" 2 &
            w2=$!
            sleep 3 # the writers under way
        fi
        for page in "queue-reviewer $R api/queue?limit=50" "queue-admin $A api/queue?limit=50" \
            "queue-admin-category $A api/queue?limit=50&category=MEDSOS" \
            "app-queue-reviewer $R api/queue?limit=100&facets=1" \
            "search-reviewer-common $R api/queue?limit=50&q=prabowo" \
            "search-admin-rare $A api/queue?limit=50&q=pegawai%2012345" \
            "stats-agency-category $A api/stats?by=agency,category" \
            "stats-week-age $A api/stats?by=week,age" "stats-entry $A api/stats?by=entry"; do
            set -- $page
            out=$(wrk_line "$2" "$3")
            echo "$out" | { read -r rps p50 p95 errors
                printf '  %-10s %-8s %-22s %7s req/s  p50 %6s ms  p95 %6s ms  non-2xx %s\n' \
                    "$engine" "$phase" "$1" "$rps" "$p50" "$p95" "$errors"; }
        done
        if [ "$phase" = writing ]; then
            # The writers, then the ingest each was running.
            kill $w1 $w2 2>/dev/null || true
            wait $w1 $w2 2>/dev/null || true
            for w in 1 2; do
                p=$(cat "bench-web-pg-w$w.pid")
                kill "$p" 2>/dev/null || true
                while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
            done
            after=$(posts "$target")
            echo "$before $after $w0 $(date +%s.%N)" | awk '{ printf "  %-10s writers: %d posts stored by 2 ingest workers in %.0f s (%.0f posts/s), scored and queued as they came\n", "'"$engine"'", $2 - $1, $4 - $3, ($2 - $1) / ($4 - $3) }'
        fi
    done
    kill $srv
    wait $srv 2>/dev/null || true
done
rm -f "$WRK_LUA" bench-web-pg-w[12].ndjson bench-web-pg-w[12].pid bench-web-pg.db bench-web-pg.db-wal \
    bench-web-pg.db-shm bench-web-pg.*.audit-checkpoints
psql "$BASE" -qAtc "DROP DATABASE netra_bench_web" >/dev/null
