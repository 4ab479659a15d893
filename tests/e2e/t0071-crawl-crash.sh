# Crash safety: `netra crawl` killed with SIGKILL at random moments and run
# again stores exactly what one clean crawl stores - nothing lost, nothing
# twice - because each account's posts and state commit together.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
# 40 feeds with distinct items.
feeds_fixture 40 clean.db crashed.db
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
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's own check
    expect_eq "$(sql crashed.db 'PRAGMA integrity_check')" "ok" "database integrity"
fi
expect_eq "$(sql crashed.db "SELECT count(*) FROM crawl_state WHERE state = 'ok'")" "40" "every account ok"

finish
