#!/bin/sh
# bench_web.sh - `netra serve` under load: wrk with 8 concurrent clients for
# 10 s each against the queue and statistics API on the bench_review
# database (its item counts are printed), and against a static asset in
# the same run as the baseline (what the server costs without any query).
# Reports requests/s and p95 latency; targets: p95 under 50 ms for the
# queue's first page under each filter and its page 500 (keyset, beside the
# same page by offset, also with a filter); under 100 ms for a search, also
# as the app asks for it (100 rows with the filter bar's counts), for a rare
# word and a common one; statistics under 100 ms for every key and the
# pairs reports use, while a reviewer decides an item about every second
# (each decision makes the next answer of most tables a count again);
# under 50 ms for a page of the monitoring coverage.
#
#   bench/bench_web.sh [NETRA] [DB]   (run from the build directory; the
#                                      database is bench_review's)
set -eu
NETRA=${1:-./netra}
DB=${2:-bench-review.db}
command -v wrk >/dev/null || { echo "bench_web: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$DB" ] || ./bench/bench_review "$NETRA" "$DB" >/dev/null
for u in admin rina; do
    echo "bench-sandi-123" | "$NETRA" --db "$DB" --as admin user passwd "$u" --password-stdin >/dev/null
done
. "$(dirname "$0")/web.sh"
serve_start "$NETRA" "$DB" bench-web.log
run() { # run NAME COOKIE PATH
    set -- "$1" "$2" "$3" "$(wrk_line "$2" "$3")"
    echo "$4" | { read -r rps p50 p95 errors
        printf '  %-44s %7s req/s  p50 %6s ms  p95 %6s ms  non-2xx %s\n' "$1" "$rps" "$p50" "$p95" "$errors"
        echo "$p95" >"bench-web-$1.p95"; }
}
R=$(cookie rina)
A=$(cookie admin)
# The exact totals (counted with the filter bar's facets; a page alone
# counts up to 10,000).
open=$(curl -s -H "Cookie: $A" "${U}api/queue?limit=1&facets=1" | jq -r '.total')
mine=$(curl -s -H "Cookie: $R" "${U}api/queue?limit=1&facets=1" | jq -r '.total')
echo "bench_web: netra serve, 8 concurrent clients, 10 s each; $open items in the admin's queue, $mine in the reviewer's"
run static-asset "$R" app.css
run queue-reviewer "$R" "api/queue?limit=50"
run queue-admin "$A" "api/queue?limit=50"
run stats-agency-category "$A" "api/stats?by=agency,category"
# Statistics while a reviewer works: a decision through the real binary
# about every second, so that answers kept between changes (stats_cache)
# are computed again after each one.
decide_loop() {
    while :; do
        id=$(echo "bench-sandi-123" | "$NETRA" --db "$DB" --as rina --password-stdin queue --limit 1 --json | jq -r '.items[0].id')
        echo "bench-sandi-123" | "$NETRA" --db "$DB" --as rina --password-stdin review decide "$id" \
            --decision dismiss --reason-code netral >/dev/null 2>&1
        sleep 1
    done
}
decide_loop &
dl=$!
before=$(sqlite3 "$DB" "SELECT count(*) FROM decisions")
# Every report key, and pairs a supervisor's report uses.
for by in agency,category age entry reviewer unit position category period month week sex \
    platform region unit,sex position,age month,category; do
    run "stats-$by-while-deciding" "$A" "api/stats?by=$by"
done
kill $dl
echo "  ($(($(sqlite3 "$DB" "SELECT count(*) FROM decisions") - before)) decisions made during the statistics runs above)"
# The queue's first page under each filter (the admin's view: every agency).
ag=$(sqlite3 "$DB" "SELECT agency FROM review_items GROUP BY agency ORDER BY count(*) DESC LIMIT 1" | sed 's/ /%20/g')
run queue-admin-level "$A" "api/queue?limit=50&level=priority"
run queue-admin-category "$A" "api/queue?limit=50&category=MEDSOS"
run queue-admin-platform "$A" "api/queue?limit=50&platform=mastodon"
run queue-admin-agency "$A" "api/queue?limit=50&agency=$ag"
run queue-admin-dates "$A" "api/queue?limit=50&from=2023-11-01&to=2023-11-30"
# By status: pending reads the open queue's index; a status past pending
# (the escalations tab, decided items) its own index, for the admin and for
# a reviewer's agency (what each tab and filter bar asks for).
for st in pending escalated confirmed dismissed; do
    run "queue-admin-status-$st" "$A" "api/queue?limit=50&status=$st"
    run "queue-reviewer-status-$st" "$R" "api/queue?limit=50&status=$st"
done
# The filter bar's counts come from the server's in-memory copy of the
# items' keys (review/facts.c) for every filter without search words: the
# admin's whole open queue, a status, two filters at once.
run app-queue-admin "$A" "api/queue?limit=100&facets=1"
run app-queue-admin-status-pending "$A" "api/queue?limit=100&facets=1&status=pending"
run app-queue-admin-status-confirmed "$A" "api/queue?limit=100&facets=1&status=confirmed"
run app-queue-admin-level-category "$A" "api/queue?limit=100&facets=1&level=priority&category=MEDSOS"
# Deep in the queue: page 500 of the admin's open items, reached the way
# the app pages (each page's "next" token), against the same page by offset.
token=""
for _ in $(seq 1 499); do
    token=$(curl -s -H "Cookie: $A" "${U}api/queue?limit=50${token:+&after=$token}" | jq -r '.next' | sed 's/:/%3A/')
done
run queue-admin-page500-keyset "$A" "api/queue?limit=50&after=$token"
run queue-admin-page500-offset "$A" "api/queue?limit=50&offset=24950"
token=""
for _ in $(seq 1 499); do
    token=$(curl -s -H "Cookie: $A" "${U}api/queue?limit=50&level=review${token:+&after=$token}" | jq -r '.next' | sed 's/:/%3A/')
done
run queue-admin-level-page500-keyset "$A" "api/queue?limit=50&level=review&after=$token"
run queue-reviewer-search "$R" "api/queue?limit=50&q=coblos"
# A word in most posts: the page stops at 50 matches, the total at 1,000.
run queue-reviewer-search-common "$R" "api/queue?limit=50&q=prabowo"
run queue-admin-search-common "$A" "api/queue?limit=50&q=prabowo"
# What the app asks for: 100 rows and the filter bar's counts (facets).
run app-queue-reviewer "$R" "api/queue?limit=100&facets=1"
run app-search-reviewer "$R" "api/queue?limit=100&facets=1&q=coblos"
run app-search-reviewer-common "$R" "api/queue?limit=100&facets=1&q=prabowo"
run app-search-admin "$A" "api/queue?limit=100&facets=1&q=coblos"
run app-search-admin-common "$A" "api/queue?limit=100&facets=1&q=prabowo"
# The monitoring coverage (a supervisor's page of accounts, failing first,
# with its summary), its first page, a state filter and a page deep in it.
run coverage-admin "$A" "api/coverage?limit=50"
run coverage-admin-failing "$A" "api/coverage?state=failing&limit=50"
run coverage-admin-deep "$A" "api/coverage?limit=50&offset=30000"
# Targets: a queue page (any filter, page 1 or 500) and a coverage page
# under 50 ms; searches,
# the app's requests and statistics under 100 ms.
for f in bench-web-*.p95; do
    t=${f#bench-web-}
    t=${t%.p95}
    [ "$t" = static-asset ] && continue
    case "$t" in
    queue-*-search) limit=100 ;;
    queue-* | coverage-*) limit=50 ;;
    *) limit=100 ;;
    esac
    p95=$(cat "$f")
    # No request finished in the run (each past wrk's 2 s timeout): missed.
    awk -v p="$p95" -v t="$t" -v l="$limit" 'BEGIN { if (p > 0 && p < l) print "  " t " p95 " p " ms: target <" l " ms met"; else if (p == 0) print "  " t ": no request finished within 2 s: TARGET " l " ms MISSED"; else print "  " t " p95 " p " ms: TARGET " l " ms MISSED" }'
done
rm -f "$WRK_LUA" bench-web-*.p95
