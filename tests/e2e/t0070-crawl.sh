# `netra crawl` against a local HTTP server: feeds in every format become
# evidence, conditional GETs, coverage per account, Retry-After honoured,
# hostile documents and addresses refused, repeat crawls store nothing twice.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
F=$NT_FIXTURES

mkdir www
cp "$F"/feeds/*.xml "$F"/feeds/*.json www/
start_server

netra --db c.db init
netra --db c.db employees import "$F/employees-ok.csv"
cat >acc.csv <<CSV
nip,platform,account,endpoint
198503122010011003,feed,$B/rss.xml,
199001152015032001,feed,$B/atom.xml,
197012011995031002,feed,$B/rdf.xml,
198811302012122001,feed,$B/feed.json,
199407212019031005,feed,$B/gone,
198503122010011003,feed,$B/broken.xml,
199001152015032001,feed,$B/xxe.xml,
197012011995031002,feed,$B/redirect-private,
198811302012122001,feed,$B/busy,
199407212019031005,x,rizki_demo,
CSV
netra --db c.db accounts import acc.csv

CRAWL="--allow-http --allow-network 127.0.0.1/32 --rate 50 --contact tim-internal@instansi.example"

test_case "without permission, the local server is not reachable"
netra --db c.db crawl --platform feed
expect_rc 0
expect_out "0 diambil"
expect_eq "$(sql c.db 'SELECT count(*) FROM posts')" "0" "posts without permission"

test_case "a crawl stores every format as evidence"
# shellcheck disable=SC2086
netra --db c.db crawl $CRAWL
expect_rc 0
expect_out "10 akun"
expect_out "1 dilewati"
expect_eq "$(sql c.db 'SELECT count(*) FROM posts')" "8" "posts (rss 2, atom 1, rdf 1, json 2, busy 2; a feed declaring entities refused)"
expect_eq "$(sql c.db "SELECT posted_at FROM posts WHERE remote_id = 'andi-rapat-2023-12-01'")" \
    "2023-12-01T00:30:00Z" "RSS date in UTC"
expect_eq "$(sql c.db "SELECT posted_at FROM posts WHERE remote_id LIKE 'urn:uuid:%0002'")" \
    "2023-12-03T10:00:00Z" "Atom date in UTC"
expect_eq "$(sql c.db "SELECT v.text FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'andi-rapat-2023-12-01'")" \
    "Rapat koordinasi pagi ini

Rapat koordinasi pelayanan publik berjalan lancar." "HTML turned into text"
expect_eq "$(sql c.db "SELECT request_url FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'rz-2'")" \
    "$B/feed.json" "request URL kept"
expect_eq "$(sql c.db "SELECT count(*) FROM post_versions WHERE raw IS NULL OR length(raw_sha256) != 64")" "0" "raw bytes and hashes"
grep -q "GET /busy 429" server.log && pass || fail "no 429 seen"

test_case "hostile responses are refused and recorded per account"
netra --db c.db accounts status
expect_rc 0
expect_out "akun tidak ditemukan"
expect_out "dilewati"
expect_no_out " not_found "
netra --db c.db accounts status --json
expect_out '"state": "not_found"'
expect_out '"state": "skipped"'
expect_eq "$(sql c.db "SELECT c.state FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account LIKE '%/broken.xml'")" \
    "error" "broken XML"
expect_eq "$(sql c.db "SELECT c.last_error FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account LIKE '%/redirect-private'")" \
    "koneksi ke alamat privat/lokal ditolak (lindungan SSRF)" "redirect to a private address"
expect_eq "$(sql c.db "SELECT count(*) FROM post_versions WHERE text LIKE '%root:%'")" "0" "no external entity read"
expect_eq "$(sql c.db "SELECT c.last_error FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account LIKE '%/xxe.xml'")" \
    "XML mendeklarasikan entitas (<!ENTITY>): ditolak, umpan tidak memerlukannya" "a feed declaring entities is refused"
expect_eq "$(sql c.db "SELECT state FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account LIKE '%/busy'")" \
    "ok" "429 retried after Retry-After"

test_case "a second crawl: conditional GETs, nothing stored twice"
before=$(sql c.db 'SELECT count(*) FROM post_versions')
# shellcheck disable=SC2086
netra --db c.db crawl $CRAWL
expect_rc 0
expect_out "tidak berubah (304)"
expect_eq "$(sql c.db 'SELECT count(*) FROM post_versions')" "$before" "versions after a second crawl"
grep -q "GET /rss.xml 304" server.log && pass || fail "no conditional GET"

test_case "failing accounts wait (5 min, doubling) before they are tried again"
# The refused first crawl and the first real one: two failures in a row.
expect_out "Ditunda: 4 akun"
expect_eq "$(sql c.db "SELECT next_attempt_at || ' ' || consecutive_failures FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account LIKE '%/gone'")" \
    "2026-11-23T00:10:00Z 2" "two failures: 10 minutes"
expect_eq "$(sql c.db "SELECT count(*) FROM crawl_state WHERE next_attempt_at IS NOT NULL AND state = 'ok'")" "0" "successes wait for nothing"
# shellcheck disable=SC2086
NETRA_NOW=2026-11-23T00:06:00Z netra --db c.db crawl $CRAWL --json
expect_out '"deferred":4'
# shellcheck disable=SC2086
NETRA_NOW=2026-11-23T00:11:00Z netra --db c.db crawl $CRAWL --json
expect_out '"deferred":0'
expect_out '"failed":4'
expect_eq "$(sql c.db "SELECT next_attempt_at || ' ' || consecutive_failures FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account LIKE '%/gone'")" \
    "2026-11-23T00:31:00Z 3" "three failures: 20 minutes"
netra --db c.db accounts status --json
expect_out '"next_attempt": "2026-11-23T00:31:00Z"'
netra --db c.db accounts status
expect_out "COBA LAGI"
expect_out "23 Nov 2026 07.31 WIB"
# shellcheck disable=SC2086
NETRA_NOW=2026-11-23T00:12:00Z netra --db c.db crawl $CRAWL --json --all
expect_out '"deferred":0'
expect_out '"failed":4'

test_case "an edited item becomes a new version"
sed -i 's/berjalan lancar/berjalan sangat lancar/' www/rss.xml
touch -d '2030-01-01' www/rss.xml
# shellcheck disable=SC2086
netra --db c.db crawl $CRAWL
expect_out "versi baru 1"
expect_eq "$(sql c.db "SELECT count(*) FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'andi-rapat-2023-12-01'")" \
    "2" "versions of the edited item"

test_case "an item missing between the feed's oldest and newest is marked deleted"
item() { printf '<item><title>%s</title><guid>%s</guid><pubDate>%s</pubDate><description>isi %s</description></item>' "$1" "$1" "$2" "$1"; }
{ printf '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
  item tiga "Wed, 06 Dec 2023 10:00:00 GMT"; item dua "Tue, 05 Dec 2023 10:00:00 GMT"
  item satu "Mon, 04 Dec 2023 10:00:00 GMT"; printf '</channel></rss>'; } >www/three.xml
printf 'nip,platform,account,endpoint\n199001152015032001,feed,%s/three.xml,\n' "$B" >three.csv
netra --db c.db accounts import --partial three.csv
# shellcheck disable=SC2086
netra --db c.db crawl $CRAWL --platform feed
{ printf '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
  item tiga "Wed, 06 Dec 2023 10:00:00 GMT"; item satu "Mon, 04 Dec 2023 10:00:00 GMT"
  printf '</channel></rss>'; } >www/three.xml
touch -d '2031-01-01' www/three.xml
# shellcheck disable=SC2086
netra --db c.db crawl $CRAWL --platform feed
expect_out "terhapus 1"
expect_eq "$(sql c.db "SELECT remote_id FROM posts WHERE deleted_at IS NOT NULL")" "dua" "deleted item"

test_case "invalid UTF-8 in a feed is refused with the line; stored posts untouched"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>t</title>\n<item><guid>x1</guid><description>coblos \377\376 nomor</description></item>\n</channel></rss>\n' >www/bad-utf8.xml
printf 'nip,platform,account,endpoint\n198503122010011003,feed,%s/bad-utf8.xml,\n' "$B" >bad.csv
netra --db c.db accounts import --partial bad.csv
# shellcheck disable=SC2086
netra --db c.db crawl $CRAWL --account "$B/bad-utf8.xml"
expect_rc 0
expect_out "1 gagal"
expect_eq "$(sql c.db "SELECT c.last_error FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account LIKE '%/bad-utf8.xml'" | grep -c 'baris 3.*UTF-8')" \
    "1" "error names the line and the encoding"
expect_eq "$(sql c.db "SELECT count(*) FROM posts WHERE remote_id = 'x1'")" "0" "nothing stored from the bad feed"
if [ "$NT_ENGINE" = sqlite ]; then # the bytes as SQLite keeps them
    expect_eq "$(sql c.db "SELECT count(*) FROM post_versions WHERE instr(CAST(text AS BLOB), x'ff') > 0")" "0" "no invalid text stored"
fi

test_case "crawled posts flow into scanning"
netra --db c.db lexicon import "$NT_SRC/data/lexicon/default-2024.json"
netra --db c.db scan
expect_rc 0
expect_eq "$(sql c.db "SELECT s.level FROM scores s JOIN post_versions v ON v.id = s.version_id JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'andi-dukung-2023-12-02'")" \
    "priority" "campaign post from a feed"

test_case "entity amplification: a feed declaring internal entities is refused before any text is expanded"
{
    # The shape of "billion laughs", small enough for libxml2's own loop
    # check to let it through: only Netra's refusal stands between it and
    # an expansion (x50 per level here, x10 per level at 600 KB in the wild).
    echo '<?xml version="1.0"?>'
    echo '<!DOCTYPE rss ['
    echo '<!ENTITY a "tawa tawa ">'
    printf '<!ENTITY b "'; for _ in $(seq 1 50); do printf '&a;'; done; echo '">'
    echo ']>'
    printf '<rss version="2.0"><channel><title>x</title><item><guid>tawa-1</guid><description>'
    for _ in $(seq 1 50); do printf '&b;'; done
    echo '</description></item></channel></rss>'
} >www/tawa.xml
printf 'nip,platform,account,endpoint\n198503122010011003,feed,%s/tawa.xml,\n' "$B" >tawa.csv
netra --db c.db accounts import --partial tawa.csv
start=$(date +%s)
# shellcheck disable=SC2086
netra --db c.db crawl $CRAWL --account "$B/tawa.xml" --json
expect_rc 0
[ $(($(date +%s) - start)) -lt 20 ] && pass || fail "took too long"
expect_out '"failed":1'
expect_eq "$(sql c.db "SELECT c.last_error FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account LIKE '%/tawa.xml'")" \
    "XML mendeklarasikan entitas (<!ENTITY>): ditolak, umpan tidak memerlukannya" "refused with the reason"
expect_eq "$(sql c.db "SELECT count(*) FROM posts WHERE remote_id = 'tawa-1'")" "0" "nothing of it stored"

finish
