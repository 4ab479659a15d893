# Crash safety: `netra crawl` killed with SIGKILL at random moments and run
# again stores exactly what one clean crawl stores - nothing lost, nothing
# twice - because each account's posts and state commit together.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
F=$NT_FIXTURES

mkdir www
# 40 feeds with distinct items, written from the RSS fixture.
i=1
while [ $i -le 40 ]; do
    sed "s/andi-rapat-2023-12-01/f$i-a/; s/andi-dukung-2023-12-02/f$i-b/" "$F/feeds/rss.xml" >"www/f$i.xml"
    i=$((i + 1))
done
start_server

{
    echo "nip,platform,account,endpoint"
    i=1
    while [ $i -le 40 ]; do
        echo "198503122010011003,feed,http://127.0.0.1:$P/f$i.xml,"
        i=$((i + 1))
    done
} >acc.csv
for db in clean crashed; do
    netra --db $db.db init
    netra --db $db.db employees import "$F/employees-ok.csv"
    netra --db $db.db accounts import acc.csv
done
CRAWL="--allow-http --allow-network 127.0.0.1/32 --rate 40 --per-host 2"

test_case "a clean crawl"
# shellcheck disable=SC2086
netra --db clean.db crawl $CRAWL
expect_rc 0
expect_out "Unggahan baru 80"

test_case "killed at random points, then resumed"
kills=0
for delay in 0.05 0.15 0.3 0.45 0.6 0.1 0.25; do
    # shellcheck disable=SC2086
    "$NETRA" --db crashed.db crawl $CRAWL >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
    wait "$pid" 2>/dev/null
done
# shellcheck disable=SC2086
netra --db crashed.db crawl $CRAWL
expect_rc 0
[ "$kills" -ge 3 ] && pass || fail "only $kills crawls were killed in flight"
q="SELECT p.remote_id || ' ' || v.seq || ' ' || v.raw_sha256 FROM posts p JOIN post_versions v ON v.post_id = p.id ORDER BY 1"
expect_eq "$(sql crashed.db "$q" | sha256sum)" "$(sql clean.db "$q" | sha256sum)" "posts after crashes"
expect_eq "$(sql crashed.db 'SELECT count(*) FROM posts')" "80" "no duplicates"
expect_eq "$(sql crashed.db 'PRAGMA integrity_check')" "ok" "database integrity"
expect_eq "$(sql crashed.db "SELECT count(*) FROM crawl_state WHERE state = 'ok'")" "40" "every account ok"

finish
