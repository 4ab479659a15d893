# The Bluesky source against the local server: getAuthorFeed without
# authentication, reposts with the original's text and author, replies,
# quotes, exact item bytes, paging by cursor down to the known post.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
F=$NT_FIXTURES

mkdir -p www/bsky
cp "$F/bsky/feed-sari-dewi.bsky.example.json" www/bsky/
start_server

netra --db b.db init
netra --db b.db employees import "$F/employees-ok.csv"
printf 'nip,platform,account,endpoint\n199001152015032001,bluesky,sari-dewi.bsky.example,http://127.0.0.1:%s\n198503122010011003,bluesky,tidak-ada.bsky.example,http://127.0.0.1:%s\n' "$P" "$P" >acc.csv
netra --db b.db accounts import acc.csv
CRAWL="--allow-http --allow-network 127.0.0.1/32 --rate 50"

test_case "first crawl: the newest page, every interaction type"
# shellcheck disable=SC2086
netra --db b.db crawl $CRAWL
expect_rc 0
expect_out "Unggahan baru 5"
D=did:plc:abcdefghijklmnopqrstuvwx
expect_eq "$(sql b.db "SELECT interaction FROM posts WHERE remote_id = 'at://$D/app.bsky.feed.post/3k000008'")" "reply" "reply"
expect_eq "$(sql b.db "SELECT interaction FROM posts WHERE remote_id = 'at://$D/app.bsky.feed.post/3k000007'")" "quote" "quote"
expect_eq "$(sql b.db "SELECT interaction || ' ' || author FROM posts WHERE remote_id = 'at://$D/app.bsky.feed.post/3k000006#repost'")" \
    "repost relawan.bsky.example" "repost keeps the original author"
expect_eq "$(sql b.db "SELECT url FROM posts WHERE remote_id = 'at://$D/app.bsky.feed.post/3k000009'")" \
    "https://bsky.app/profile/sari-dewi.bsky.example/post/3k000009" "post URL"
expect_eq "$(sql b.db "SELECT state FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account = 'tidak-ada.bsky.example'")" \
    "error" "unknown actor"
expect_eq "$(sql b.db "SELECT v.entities FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'at://$D/app.bsky.feed.post/3k000009'")" \
    '[{"type":"tag","value":"GanjarMahfud2024","start":35,"end":52}]' "hashtag facet (UTF-8 byte range; a range splitting the emoji or past the end is left out)"
expect_eq "$(sql b.db "SELECT v.entities FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'at://$D/app.bsky.feed.post/3k000005'")" \
    '[{"type":"mention","value":"did:plc:relawan000000000000000000","start":37,"end":58},{"type":"link","value":"https://kabar.example/pagi-ini-di-mamuju","start":65,"end":86}]' "mention and full link"
if [ "$NT_ENGINE" = sqlite ]; then # the bytes as SQLite keeps them
    expect_eq "$(sql b.db "SELECT substr(CAST(v.text AS BLOB), 66, 21) FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'at://$D/app.bsky.feed.post/3k000005'")" \
        "kabar.example/pagi..." "the range covers the shown link"
fi
raw=$(sql b.db "SELECT $(raw_text raw) FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'at://$D/app.bsky.feed.post/3k000005'")
case "$raw" in '{"post":'*) pass ;; *) fail "raw is not the feed item: $raw" ;; esac

test_case "second crawl pages down to the known post, nothing twice"
cp "$F/bsky/feed-sari-dewi.bsky.example-v2.json" www/bsky/feed-sari-dewi.bsky.example.json
# shellcheck disable=SC2086
netra --db b.db crawl $CRAWL
expect_rc 0
expect_out "Unggahan baru 60"
expect_eq "$(sql b.db 'SELECT count(*) FROM posts')" "65" "posts"
expect_eq "$(grep -c 'getAuthorFeed 200' server.log)" "3" "requests: 1 + 2 pages"
# shellcheck disable=SC2086
netra --db b.db crawl $CRAWL
expect_out "Unggahan baru 0"

test_case "a post missing from the newest page's indexedAt range is marked deleted"
expect_eq "$(sql b.db "SELECT count(*) FROM posts WHERE deleted_at IS NOT NULL")" "0" "nothing deleted so far"
# v3 is v2 without 3k000130, which sits inside the first page's range.
cp "$F/bsky/feed-sari-dewi.bsky.example-v3.json" www/bsky/feed-sari-dewi.bsky.example.json
# shellcheck disable=SC2086
netra --db b.db crawl $CRAWL
expect_out "terhapus 1"
expect_eq "$(sql b.db "SELECT remote_id FROM posts WHERE deleted_at IS NOT NULL")" \
    "at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3k000130" "deleted post"

test_case "a recorded real getAuthorFeed response parses (when present)"
real="$NT_SRC/../shared/corpora/api-fixtures/bluesky/getAuthorFeed.json"
if [ -f "$real" ]; then
    cp "$real" www/bsky/feed-rekaman.bsky.example.json
    printf 'nip,platform,account,endpoint\n197012011995031002,bluesky,rekaman.bsky.example,http://127.0.0.1:%s\n' "$P" >real.csv
    netra --db b.db accounts import --partial real.csv
    # shellcheck disable=SC2086
    netra --db b.db crawl --platform bluesky $CRAWL
    expect_rc 0
    n=$(sql b.db "SELECT count(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.account = 'rekaman.bsky.example'")
    [ "$n" -ge 1 ] && pass || fail "no posts from the recorded response"
    expect_eq "$(sql b.db "SELECT state FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account = 'rekaman.bsky.example'")" \
        "ok" "recorded response state"
    # Every facet kept has a range inside its text that starts with the
    # mention's @ or the tag's # (byte offsets, as the platform defines
    # them; read with SQLite's JSON and byte functions).
    if [ "$NT_ENGINE" = sqlite ]; then
        bad=$(sql b.db "SELECT count(*) FROM post_versions v JOIN posts p ON p.id = v.post_id JOIN accounts a ON a.id = p.account_id, json_each(v.entities) e WHERE a.account = 'rekaman.bsky.example' AND (json_extract(e.value, '$.end') > length(CAST(v.text AS BLOB)) OR (json_extract(e.value, '$.type') = 'mention' AND substr(CAST(v.text AS BLOB), json_extract(e.value, '$.start') + 1, 1) != CAST('@' AS BLOB)))")
        expect_eq "$bad" "0" "facet ranges in the recorded response"
        m=$(sql b.db "SELECT count(*) FROM post_versions v JOIN posts p ON p.id = v.post_id JOIN accounts a ON a.id = p.account_id, json_each(v.entities) e WHERE a.account = 'rekaman.bsky.example' AND json_extract(e.value, '$.type') = 'mention'")
        [ "$m" -ge 1 ] && pass || fail "no mention facets from the recorded response"
    fi
else
    echo "skip: $real not present"
fi

finish
