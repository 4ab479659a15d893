# Several crawl processes sharing one registry (`--lease`): four started
# together fetch each of 40 feeds exactly once between them and store every
# post once; two of four killed with SIGKILL at random moments leave leases
# that the others respect until they run out, then a later round takes the
# accounts over; nothing lost, nothing twice, every account crawled.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
feeds_fixture 40 shared.db killed.db
CRAWL="--allow-http --allow-network 127.0.0.1/32 --rate 20 --per-host 1 --no-scan --json"
NOW0=2026-12-01T08:00:00Z

test_case "four crawlers started together: every feed fetched once between them"
: >server.log
# shellcheck disable=SC2086
crawlers w "$NOW0" shared.db $CRAWL --lease 10m
wait_crawlers
expect_eq "$ok" "4" "every crawler finished"
expect_eq "$(grep -c '^GET /f[0-9]*\.xml' server.log)" "40" "feeds requested in all"
expect_eq "$(grep '^GET /f[0-9]*\.xml' server.log | sort | uniq -d | wc -l)" "0" "no feed twice"
expect_eq "$(cat w1.json w2.json w3.json w4.json | jq -s 'map(.fetched) | add')" "40" "fetches counted by the crawlers"
expect_eq "$(cat w1.json w2.json w3.json w4.json | jq -s 'map(.elsewhere) | add')" "120" "each left the others' 120"
expect_eq "$(sql shared.db 'SELECT count(*) FROM posts')" "80" "every post once"
expect_eq "$(sql shared.db "SELECT count(*) FROM crawl_state WHERE state = 'ok'")" "40" "every account ok"
expect_eq "$(sql shared.db 'SELECT count(*) FROM crawl_leases WHERE done_at IS NULL')" "0" "no lease left held"

test_case "crawlers killed while holding leases: the leases run out, a later round takes over"
# shellcheck disable=SC2086
crawlers k "$NOW0" killed.db $CRAWL --rate 4 --lease 30s
# Kill (at a random moment) up to two of the crawlers that hold a lease
# then: the lease's owner names its process ("host:pid:random").
sleep "0.$(shuf -i 5-9 -n 1)"
lease_holders sql killed.db
for v in $victims; do kill -9 "$v" 2>/dev/null; done
wait_crawlers
held=$(sql killed.db 'SELECT count(*) FROM crawl_leases WHERE done_at IS NULL')
[ "$held" -gt 0 ] && pass || fail "the killed crawlers held no lease (killed too late?)"
# A round started 10 s later: leases of the dead (30 s) still hold.
# shellcheck disable=SC2086
NETRA_NOW=2026-12-01T08:00:10Z netra --db killed.db crawl $CRAWL --lease 30s
expect_rc 0
expect_eq "$(jq .elsewhere out.txt)" "$held" "the dead crawlers' accounts left alone while their leases hold"
# A round after they ran out takes every account again.
# shellcheck disable=SC2086
NETRA_NOW=2026-12-01T08:01:00Z netra --db killed.db crawl $CRAWL --lease 30s
expect_rc 0
expect_eq "$(jq .elsewhere out.txt)" "0" "nothing left to others"
expect_eq "$(sql killed.db 'SELECT count(*) FROM posts')" "80" "every post once"
q="SELECT p.remote_id || ' ' || v.seq || ' ' || v.raw_sha256 FROM posts p JOIN post_versions v ON v.post_id = p.id ORDER BY 1"
expect_eq "$(sql killed.db "$q" | sha256sum)" "$(sql shared.db "$q" | sha256sum)" "the same evidence as the clean crawl"
expect_eq "$(sql killed.db "SELECT count(*) FROM crawl_state WHERE state = 'ok'")" "40" "every account ok"
[ "$NT_ENGINE" = sqlite ] && expect_eq "$(sql killed.db 'PRAGMA integrity_check')" "ok" "database integrity"
expect_eq "$(sql killed.db 'SELECT count(*) FROM crawl_leases WHERE done_at IS NULL')" "0" "no lease left held"

test_case "a bad lease is refused"
netra --db shared.db crawl --lease sebentar
expect_rc 2
expect_err "lease"

finish
