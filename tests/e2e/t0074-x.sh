# The X source: skipped with a notice without a token; with one, the user id
# once, tweets since the cursor with pagination, retweets/quotes/replies.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
F=$NT_FIXTURES

mkdir -p www/x
cp "$F"/x/user-rizki_r_demo.json "$F"/x/tweets-5001.json www/x/
start_server

netra --db x.db init
netra --db x.db employees import "$F/employees-ok.csv"
printf 'nip,platform,account,endpoint\n199407212019031005,x,rizki_r_demo,http://127.0.0.1:%s\n' "$P" >acc.csv
netra --db x.db accounts import acc.csv
CRAWL="--allow-http --allow-network 127.0.0.1/32 --rate 50"

test_case "without a token X accounts are skipped with a notice"
unset NETRA_X_BEARER_TOKEN
# shellcheck disable=SC2086
netra --db x.db crawl $CRAWL
expect_rc 0
expect_out "1 dilewati"
expect_eq "$(sql x.db "SELECT state || ': ' || last_error FROM crawl_state")" \
    "skipped: token API X belum diatur (x_bearer_token atau NETRA_X_BEARER_TOKEN)" "notice"
[ "$(wc -l <server.log)" -eq 0 ] && pass || fail "requests were made without a token"

test_case "the token never goes to an endpoint a CSV names unless the operator trusts that host"
# shellcheck disable=SC2086
NETRA_X_BEARER_TOKEN=uji-token netra --db x.db crawl $CRAWL --all
expect_rc 0
expect_eq "$(sql x.db "SELECT state || ': ' || last_error FROM crawl_state")" \
    "error: token API X tidak dikirim ke 127.0.0.1 (bukan api.x.com; tambahkan ke x_token_hosts bila memang cermin yang dipercaya)" "refused, saying why"
[ "$(wc -l <server.log)" -eq 0 ] && pass || fail "the token was sent: $(cat server.log)"
CRAWL="$CRAWL --x-token-hosts 127.0.0.1"

test_case "a wrong token is an access error"
# shellcheck disable=SC2086
NETRA_X_BEARER_TOKEN=salah netra --db x.db crawl $CRAWL --all
expect_eq "$(sql x.db 'SELECT state FROM crawl_state')" "private" "401"

test_case "with a token: tweets, interactions"
# After the failure the account waits; --all takes it now.
# shellcheck disable=SC2086
NETRA_X_BEARER_TOKEN=uji-token netra --db x.db crawl $CRAWL
expect_out "Ditunda: 1 akun"
# shellcheck disable=SC2086
NETRA_X_BEARER_TOKEN=uji-token netra --db x.db crawl $CRAWL --all
expect_rc 0
expect_out "Unggahan baru 4"
expect_eq "$(sql x.db "SELECT group_concat(interaction, ',') FROM (SELECT interaction FROM posts ORDER BY remote_id) AS t")" \
    "post,quote,reply,repost" "interaction types"
expect_eq "$(sql x.db "SELECT url FROM posts WHERE remote_id = '1730000000000000001'")" \
    "https://x.com/rizki_r_demo/status/1730000000000000001" "tweet URL"
expect_eq "$(sql x.db "SELECT v.entities FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = '1730000000000000001'")" \
    '[{"type":"tag","value":"AMIN2024"},{"type":"mention","value":"relawan_amin"},{"type":"link","value":"https://kampanye.example/amin"}]' \
    "hashtags, mentions and the full address behind t.co"

test_case "since the cursor, across pages"
cp "$F/x/tweets-5001-v2.json" www/x/tweets-5001.json
# shellcheck disable=SC2086
NETRA_X_BEARER_TOKEN=uji-token netra --db x.db crawl $CRAWL
expect_out "Unggahan baru 150"
# shellcheck disable=SC2086
NETRA_X_BEARER_TOKEN=uji-token netra --db x.db crawl $CRAWL
expect_out "Unggahan baru 0"
expect_eq "$(grep -c 'username/rizki_r_demo 200' server.log)" "1" "user looked up once"

test_case "a tweet missing from the newest page's range is marked deleted"
grep -v '"1730000000000000200"' www/x/tweets-5001.json >t.json || true
# the file is pretty-printed one field per line: drop the whole object instead
awk 'BEGIN{RS="},"; ORS="},"} !/1730000000000000200/' www/x/tweets-5001.json >t.json
sed -i '$ s/},$//' t.json
cp t.json www/x/tweets-5001.json
# shellcheck disable=SC2086
NETRA_X_BEARER_TOKEN=uji-token netra --db x.db crawl $CRAWL
expect_out "terhapus 1"
expect_eq "$(sql x.db "SELECT remote_id FROM posts WHERE deleted_at IS NOT NULL")" "1730000000000000200" "deleted tweet"

finish
