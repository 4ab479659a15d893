# `netra crawl` as an unattended job: one account, a configuration file
# (with errors named by line), a --json summary, --watch that repeats at its
# interval, and SIGTERM/SIGINT that stop cleanly - during a crawl, the
# accounts not yet fetched are left for the next run, not marked failed.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
F=$NT_FIXTURES

mkdir www
cp "$F"/feeds/rss.xml "$F"/feeds/atom.xml "$F"/feeds/busy.xml www/
start_server

netra --db w.db init
netra --db w.db employees import "$F/employees-ok.csv"
{
    echo "nip,platform,account,endpoint"
    echo "198503122010011003,feed,$B/rss.xml,"
    echo "199001152015032001,feed,$B/atom.xml,"
} >acc.csv
netra --db w.db accounts import acc.csv

cat >netra.conf <<CONF
# Crawl settings for the tests
contact = tim-internal@instansi.example
allow_http = yes
allow_networks = 127.0.0.1/32
rate = 50
per_host = 2
timeout = 20s
interval = 1s
CONF

test_case "configuration errors name the file and line"
printf 'rate = 50\nkecepatan = 3\n' >bad.conf
netra --db w.db crawl --config bad.conf
expect_rc 1
expect_err "bad.conf:2: kunci \"kecepatan\" tidak dikenal"
printf 'interval = sebentar\n' >bad2.conf
netra --db w.db crawl --config bad2.conf
expect_rc 1
expect_err "bad2.conf:1: interval: harus durasi"
netra --db w.db crawl --config netra.conf --rate 0
expect_rc 2
expect_err "--rate"
netra --db w.db crawl --config tidak-ada.conf
expect_rc 1
expect_err "tidak-ada.conf: tidak dapat dibuka"
expect_eq "$(sql w.db 'SELECT count(*) FROM posts')" "0" "nothing crawled on bad settings"

test_case "without the configuration the local server is refused"
netra --db w.db crawl --json --account "$B/rss.xml"
expect_rc 0
expect_out '"failed":1'

test_case "--account and the configuration file (also from NETRA_CONFIG)"
NETRA_CONFIG=netra.conf netra --db w.db crawl --json --account "$B/rss.xml"
expect_rc 0
expect_out '"accounts":1'
expect_out '"fetched":1'
expect_eq "$(sql w.db "SELECT count(DISTINCT account_id) FROM posts")" "1" "one account crawled"

test_case "--account in any case; an account that is not there is an error"
NETRA_CONFIG=netra.conf netra --db w.db crawl --json --account "$(printf '%s' "$B/rss.xml" | tr '[:lower:]' '[:upper:]')"
expect_rc 0
expect_out '"accounts":1'
NETRA_CONFIG=netra.conf netra --db w.db crawl --account "$B/tidak-ada.xml"
expect_rc 1
expect_err "tidak terdaftar atau tidak aktif"
grep -q "tim-internal@instansi.example" server.log && pass || fail "User-Agent without the contact"

test_case "--watch repeats at the interval and stops cleanly on SIGTERM"
"$NETRA" --db w.db crawl --config netra.conf --watch --json >watch.txt 2>watch.err &
pid=$!
for _ in $(seq 1 100); do
    [ "$(wc -l <watch.txt)" -ge 2 ] && break
    sleep 0.1
done
kill -TERM $pid
wait $pid
rc=$?
expect_rc 0
[ "$(wc -l <watch.txt)" -ge 2 ] && pass || fail "fewer than two rounds: $(cat watch.txt)"
expect_eq "$(head -1 watch.txt | grep -c '"accounts":2')" "1" "first round covers both accounts"
expect_eq "$(sed -n 2p watch.txt | grep -c '"not_modified":2')" "1" "second round: conditional GETs"
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's own checks
    expect_eq "$(sql w.db "PRAGMA integrity_check")" "ok" "database intact"
fi

test_case "SIGINT during a crawl: fetched accounts kept, the rest left for next time"
# Twelve more accounts on one host at one request per second.
{
    echo "nip,platform,account,endpoint"
    for i in $(seq 1 12); do echo "197012011995031002,feed,$B/rss.xml?k=$i,"; done
} >more.csv
netra --db w.db accounts import --partial more.csv
expect_rc 0
"$NETRA" --db w.db crawl --config netra.conf --rate 1 --per-host 1 --json >stop.txt 2>stop.err &
pid=$!
sleep 2.5
kill -INT $pid
wait $pid
rc=$?
expect_rc 0
expect_eq "$(grep -c '"stopped":true' stop.txt)" "1" "summary says stopped"
cancelled=$(sed 's/.*"cancelled":\([0-9]*\).*/\1/' stop.txt)
[ "$cancelled" -ge 5 ] && pass || fail "only $cancelled accounts cancelled: $(cat stop.txt)"
expect_eq "$(sql w.db "SELECT count(*) FROM crawl_state WHERE state != 'ok'")" "0" "no account marked failed"
done_before=$(sql w.db "SELECT count(*) FROM crawl_state")
[ "$done_before" -lt 14 ] && pass || fail "every account was crawled before the stop"
netra --db w.db crawl --config netra.conf --json
expect_rc 0
expect_eq "$(sql w.db "SELECT count(*) FROM crawl_state WHERE state = 'ok'")" "14" "the next run finishes the rest"
expect_eq "$(sql w.db "SELECT count(*) FROM (SELECT account_id, remote_id FROM posts GROUP BY 1, 2 HAVING count(*) > 1) AS t")" "0" "nothing twice"

test_case "rate-limit waits are counted in the summary"
printf 'nip,platform,account,endpoint\n198811302012122001,feed,%s/busy,\n' "$B" >busy.csv
netra --db w.db accounts import --partial busy.csv
netra --db w.db crawl --config netra.conf --json --account "$B/busy"
expect_rc 0
expect_out '"rate_limited":1'
expect_out '"fetched":1'

test_case "a token in a file others can read is warned about"
printf 'x_bearer_token = abc\n' >token.conf
chmod 644 token.conf
netra --db w.db crawl --config token.conf --platform x
expect_err "chmod 600"
chmod 600 token.conf
netra --db w.db crawl --config token.conf --platform x
expect_err_empty

# unscored DB: post versions past the mark of the active lexicon and model
# (scan_progress), and so without a score of theirs
unscored() {
    sql "$1" "SELECT count(*) FROM scan_pending"
}

test_case "activating a lexicon scores what the crawler stored before"
export NETRA_DATA="$NT_SRC/data"
[ "$(unscored w.db)" -gt 0 ] && pass || fail "nothing to score"
netra --db w.db lexicon import "$NT_SRC/data/lexicon/default-2024.json"
expect_rc 0
expect_out "versi unggahan dinilai"
expect_eq "$(unscored w.db)" "0" "every stored version scored"

test_case "a crawl scores and queues new posts without netra scan"
cat >www/baru.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Baru</title><link>https://baru.blog.example/</link>
<item><title>Kampanye</title><link>https://baru.blog.example/1</link><guid>baru-1</guid>
<pubDate>Mon, 04 Dec 2023 08:00:00 GMT</pubDate>
<description>Ayo coblos nomor 3 tanggal 14 Februari, Ganjar Mahfud pasti menang! #GanjarMahfud2024</description></item>
</channel></rss>
XML
printf 'nip,platform,account,endpoint\n198503122010011003,feed,%s/baru.xml,\n' "$B" >baru.csv
netra --db w.db accounts import --partial baru.csv
netra --db w.db crawl --config netra.conf --json --account "$B/baru.xml"
expect_rc 0
expect_eq "$(jq -r '.scan.scanned' out.txt)" "1" "the run's summary says what it scored"
expect_eq "$(jq -r '.scan.queued' out.txt)" "1" "and what it queued"
expect_eq "$(sql w.db "SELECT count(*) FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'baru-1' AND i.status = 'pending'")" "1" "in the queue"
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's own checks
    expect_eq "$(sql w.db "SELECT count(*) FROM review_items_fts f JOIN review_items i ON i.id = f.rowid JOIN posts p ON p.id = i.post_id WHERE review_items_fts MATCH '\"ganjar mahfud pasti\"' AND p.remote_id = 'baru-1'")" "1" "found by search: the crawl indexed it before its commit"
fi
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's own checks
    expect_eq "$(sql w.db "INSERT INTO review_items_fts(review_items_fts) VALUES ('integrity-check'); SELECT count(*) FROM review_items_fts_defer")" "0" "the index consistent, nothing left deferred"
fi
expect_eq "$(unscored w.db)" "0" "nothing left unscored"

test_case "a crawl killed with SIGKILL: every post it committed is already scored, and the next run finishes"
{
    echo "nip,platform,account,endpoint"
    for i in $(seq 1 8); do echo "199001152015032001,feed,$B/baru.xml?n=$i,"; done
} >kill.csv
netra --db w.db accounts import --partial kill.csv
"$NETRA" --db w.db crawl --config netra.conf --rate 2 --per-host 1 --json >kill.txt 2>kill.err &
pid=$!
# Killed as soon as a first post is committed (rate 2/s: most are not yet).
killed_at() {
    sql w.db "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.account LIKE '%baru.xml?n=%'"
}
for _ in $(seq 1 200); do
    [ "$(killed_at)" -ge 1 ] && break
    sleep 0.05
done
kill -KILL $pid
wait $pid 2>/dev/null
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's own checks
    expect_eq "$(sql w.db "PRAGMA integrity_check")" "ok" "database intact after SIGKILL"
fi
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's own checks
    expect_eq "$(sql w.db "INSERT INTO review_items_fts(review_items_fts) VALUES ('integrity-check'); SELECT count(*) FROM review_items_fts_defer")" "0" "the search index too, nothing deferred left committed"
fi
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's own checks
    expect_eq "$(sql w.db "SELECT count(*) FROM review_items i WHERE NOT EXISTS (SELECT 1 FROM review_items_fts_docsize z WHERE z.id = i.id)")" "0" "every committed item indexed"
fi
# Scored in the transaction that stored each post: the killed run never
# reached its end-of-round scan, yet nothing it committed lacks a score.
stored=$(sql w.db "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.account LIKE '%baru.xml?n=%'")
[ "$stored" -ge 1 ] && pass || fail "the kill came before any post was stored"
expect_eq "$(unscored w.db)" "0" "every post the killed run committed has its score"
expect_eq "$(sql w.db "SELECT count(*) FROM review_items i JOIN posts p ON p.id = i.post_id JOIN accounts a ON a.id = p.account_id WHERE a.account LIKE '%baru.xml?n=%'")" "$stored" "and its queue item"
netra --db w.db crawl --config netra.conf --json
expect_rc 0
expect_eq "$(unscored w.db)" "0" "the next run scored what the killed one stored"
expect_eq "$(sql w.db "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.account LIKE '%baru.xml?n=%'")" "8" "every account's post stored once"

test_case "netra run: one JSON line per round, and retention once a day as the admin linked to this OS user"
cp netra.conf run.conf
echo "retention = 30d" >>run.conf
run_once() {
    "$NETRA" --db w.db run --config run.conf >run.txt 2>run.err &
    pid=$!
    for _ in $(seq 1 300); do
        grep -q '"stage":"retention"' run.txt && break
        sleep 0.1
    done
    kill -TERM $pid
    wait $pid
}
run_once
expect_eq "$(head -1 run.txt | jq -r '.level')" "info" "the round's line has a level"
expect_eq "$(head -1 run.txt | jq -r '.scan.scanned')" "0" "and its scan"
expect_eq "$(grep '"stage":"retention"' run.txt | jq -r '.level')" "warning" "no linked admin: a warning"
grep '"stage":"retention"' run.txt | grep -q "tidak ditautkan" && pass || fail "says why: $(cat run.txt)"
printf 'sandi-admin-123\n' | "$NETRA" --db w.db user add admin --role admin --os-user "$(id -un)" --password-stdin >out.txt 2>err.txt
expect_eq "$?" "0" "an admin linked to this OS user"
run_once
expect_eq "$(grep '"stage":"retention"' run.txt | jq -r '.level')" "info" "retention ran"
expect_eq "$(grep '"stage":"retention"' run.txt | jq -r '.cutoff')" "2026-10-24T00:00:00Z" "30 days before now"
expect_eq "$(sql w.db "SELECT actor FROM audit_log WHERE action LIKE 'retention%' ORDER BY id DESC LIMIT 1")" "admin" "audited as the linked admin"
printf 'retention = 2h\n' >bad-ret.conf
netra --db w.db run --config bad-ret.conf
expect_rc 1
expect_err "bad-ret.conf:1: retention: harus jumlah hari"

test_case "a server-given wait never stalls the crawl: Retry-After 999999999 ends the host's turn at once"
printf 'nip,platform,account,endpoint\n198503122010011003,feed,%s/stall,\n199001152015032001,feed,%s/rss.xml?after-stall,\n' "$B" "$B" >stall.csv
netra --db w.db --as admin accounts import --partial stall.csv
expect_rc 0
start=$(date +%s)
netra --db w.db crawl --config netra.conf --per-host 1 --json --all --no-scan
expect_rc 0
[ $(($(date +%s) - start)) -lt 60 ] && pass || fail "the crawl waited for the server's word"
expect_eq "$(sql w.db "SELECT c.last_error FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account LIKE '%/stall'")" \
    "dibatasi server; waktu tunggu terlalu lama" "the stalling account fails, saying why"
expect_eq "$(sql w.db "SELECT coalesce(c.state, 'new') FROM accounts a LEFT JOIN crawl_state c ON c.account_id = a.id WHERE a.account LIKE '%rss.xml?after-stall'")" \
    "rate_limited" "the host's account still waiting is left for the next run, not stalled"
grep -q '"level":"warning"' out.txt && pass || fail "the run's line is a warning"

test_case "a proxy in the environment is not used (the address check would see only the proxy)"
http_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9 \
    netra --db w.db crawl --config netra.conf --json --no-scan --account "$B/rss.xml"
expect_rc 0
expect_out '"failed":0'

finish
