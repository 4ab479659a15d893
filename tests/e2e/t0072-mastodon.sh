# The Mastodon source against the local server: lookup, statuses newer than
# the cursor, paging, visibility, reblogs with the original's text, replies,
# content warnings, exact bytes kept, edits as versions.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
F=$NT_FIXTURES

mkdir -p www/masto
cp "$F"/masto/lookup-budi.json "$F"/masto/statuses-1001.json www/masto/
start_server

netra --db m.db init
netra --db m.db employees import "$F/employees-ok.csv"
printf 'nip,platform,account,endpoint\n198503122010011003,mastodon,budi@sosial.example,http://127.0.0.1:%s\n199001152015032001,mastodon,hilang@sosial.example,http://127.0.0.1:%s\n' "$P" "$P" >acc.csv
netra --db m.db accounts import acc.csv
CRAWL="--allow-http --allow-network 127.0.0.1/32 --rate 50"

test_case "first crawl: public and unlisted statuses only"
# shellcheck disable=SC2086
netra --db m.db crawl $CRAWL
expect_rc 0
expect_out "Unggahan baru 5"
expect_eq "$(sql m.db "SELECT count(*) FROM posts WHERE remote_id IN ('110000000000000003', '110000000000000004')")" \
    "0" "private and direct statuses"
expect_eq "$(sql m.db "SELECT interaction || ' ' || author FROM posts WHERE remote_id = '110000000000000005'")" \
    "repost relawan@lain.example" "reblog keeps the original author"
expect_eq "$(sql m.db "SELECT v.text FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = '110000000000000005'")" \
    "Jangan lupa coblos nomor 3 🤟" "reblog keeps the original text"
expect_eq "$(sql m.db "SELECT interaction FROM posts WHERE remote_id = '110000000000000006'")" "reply" "reply"
expect_eq "$(sql m.db "SELECT v.text FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = '110000000000000007'")" \
    "Peringatan: politik

isi yang disembunyikan" "content warning kept"
raw=$(sql m.db "SELECT $(raw_text raw) FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = '110000000000000002'")
case "$raw" in '{"id": "110000000000000002"'*|'{"id":"110000000000000002"'*) pass ;; *) fail "raw is not the status object: $raw" ;; esac
expect_eq "$(sql m.db "SELECT cursor || ' ' || remote_id FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account = 'budi@sosial.example'")" \
    "110000000000000007 1001" "cursor and account id"
expect_eq "$(sql m.db "SELECT state FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account = 'hilang@sosial.example'")" \
    "not_found" "unknown account"
grep -q "statuses 200" server.log || grep -q "/statuses 200" server.log && pass || fail "no statuses request"

expect_eq "$(sql m.db "SELECT v.entities FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = '110000000000000002'")" \
    '[{"type":"tag","value":"coblos2"},{"type":"mention","value":"relawan@lain.example"}]' "hashtags and mentions"

test_case "second crawl: only statuses newer than the cursor, paged"
cp "$F/masto/statuses-1001-v2.json" www/masto/statuses-1001.json
# shellcheck disable=SC2086
netra --db m.db crawl $CRAWL
expect_rc 0
expect_out "Unggahan baru 45"
expect_eq "$(grep -c 'GET /api/v1/accounts/lookup 200' server.log)" "1" "the account id is looked up once"
expect_eq "$(sql m.db "SELECT cursor FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account = 'budi@sosial.example'")" \
    "110000000000000144" "cursor after paging"
expect_eq "$(grep -c 'statuses via-link 200' server.log)" "1" "the next page from the Link header (rel=prev)"
# shellcheck disable=SC2086
netra --db m.db crawl $CRAWL
expect_out "Unggahan baru 0"

test_case "a status that disappears from the newest page is marked deleted; an edit is a version"
st() { printf '{"id":"%s","created_at":"2023-12-0%sT01:00:00.000Z","visibility":"public","content":"<p>%s</p>","reblog":null,"in_reply_to_id":null,"spoiler_text":"","url":"https://sosial.example/@hapus/%s"}' "$1" "$2" "$3" "$1"; }
echo '{"id":"2002","username":"hapus","acct":"hapus"}' >www/masto/lookup-hapus.json
printf '[%s,%s,%s]' "$(st 3003 3 'ketiga')" "$(st 3002 2 'kedua')" "$(st 3001 1 'pertama')" >www/masto/statuses-2002.json
printf 'nip,platform,account,endpoint\n199407212019031005,mastodon,hapus@sosial.example,http://127.0.0.1:%s\n' "$P" >hapus.csv
netra --db m.db accounts import --partial hapus.csv
# shellcheck disable=SC2086
netra --db m.db crawl $CRAWL
expect_eq "$(sql m.db "SELECT count(*) FROM posts WHERE remote_id IN ('3001','3002','3003')")" "3" "statuses stored"
edited=$(st 3003 3 'ketiga, diubah' | sed 's/"reblog"/"edited_at":"2023-12-04T02:00:00.000Z","reblog"/')
printf '[%s,%s]' "$edited" "$(st 3001 1 'pertama')" >www/masto/statuses-2002.json
# shellcheck disable=SC2086
netra --db m.db crawl $CRAWL
expect_out "terhapus 1"
expect_eq "$(sql m.db "SELECT remote_id FROM posts WHERE deleted_at IS NOT NULL")" "3002" "deleted status"
expect_eq "$(sql m.db "SELECT count(*) FROM posts WHERE remote_id = '3002'")" "1" "kept, never removed"
expect_eq "$(sql m.db "SELECT group_concat(text, '|') FROM (SELECT v.text FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = '3003' ORDER BY v.seq) AS t")" \
    "ketiga|ketiga, diubah" "both versions of the edited status"
expect_eq "$(sql m.db "SELECT group_concat(e, '|') FROM (SELECT COALESCE(v.edited_at, '-') AS e FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = '3003' ORDER BY v.seq) AS t")" \
    "-|2023-12-04T02:00:00Z" "the platform's edit time kept"

test_case "suspended accounts and malformed pages are recorded, nothing half-stored"
echo '{"id":"4004","username":"beku","acct":"beku","suspended":true}' >www/masto/lookup-beku.json
echo '{"id":"5005","username":"rusak","acct":"rusak"}' >www/masto/lookup-rusak.json
printf '[{"id":"6001","visibility":"public","content":"<p>ok</p>"},{"id":' >www/masto/statuses-5005.json
printf 'nip,platform,account,endpoint\n198811302012122001,mastodon,beku@sosial.example,http://127.0.0.1:%s\n198811302012122001,mastodon,rusak@sosial.example,http://127.0.0.1:%s\n' "$P" "$P" >more.csv
netra --db m.db accounts import --partial more.csv
# shellcheck disable=SC2086
netra --db m.db crawl $CRAWL
expect_eq "$(sql m.db "SELECT state FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account = 'beku@sosial.example'")" \
    "suspended" "suspended account"
expect_eq "$(sql m.db "SELECT state || ': ' || last_error FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account = 'rusak@sosial.example'")" \
    "error: respons Mastodon bukan daftar status JSON yang sah" "malformed page"
expect_eq "$(sql m.db "SELECT count(*) FROM posts WHERE remote_id = '6001'")" "0" "nothing from the malformed page"

test_case "recorded real Mastodon responses parse (when present)"
vcr="$NT_SRC/../shared/corpora/api-fixtures/mastodon"
if [ -d "$vcr" ]; then
    "$NT_VCR" "$vcr/test_account_lookup.yaml" "lookup?acct=mastodonpy_test" >www/masto/lookup-mastodonpy_test.json
    "$NT_VCR" "$vcr/test_fetch_next_previous.yaml" "accounts/117020565966271181/statuses" \
        >www/masto/statuses-117020565966271181.json
    "$NT_VCR" "$vcr/test_public_tl_anonymous.yaml" "timelines/public" >www/masto/statuses-999.json
    echo '{"id":"999","username":"publik","acct":"publik"}' >www/masto/lookup-publik.json
    printf 'nip,platform,account,endpoint\n197012011995031002,mastodon,mastodonpy_test@localhost.example,http://127.0.0.1:%s\n198811302012122001,mastodon,publik@localhost.example,http://127.0.0.1:%s\n' "$P" "$P" >real.csv
    netra --db m.db accounts import --partial real.csv
    # shellcheck disable=SC2086
    netra --db m.db crawl $CRAWL
    expect_rc 0
    expect_eq "$(sql m.db "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.account = 'mastodonpy_test@localhost.example'")" \
        "5" "unlisted statuses of the recorded account"
    n=$(sql m.db "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.account = 'publik@localhost.example'")
    [ "$n" -ge 1 ] && pass || fail "no posts from the recorded public timeline"
    expect_eq "$(sql m.db "SELECT count(*) FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account LIKE '%@localhost.example' AND c.state = 'ok'")" \
        "2" "recorded accounts ok"
else
    echo "skip: $vcr not present"
fi

finish
