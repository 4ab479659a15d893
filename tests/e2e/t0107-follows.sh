# Whom employees follow (SKB 2022 form 2): campaign accounts come into the
# lexicon from a CSV; the crawl reads each Mastodon and Bluesky account's
# follow list whole, page by page from the local test server, keeps each
# follow as evidence (the platform's bytes, their hash), queues a follow of
# a campaign account as ENGAGE, records an unfollow when a complete listing
# no longer has it, and says per account when follows could not be read.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
export NETRA_DATA="$NT_SRC/data"
F=$NT_FIXTURES

mkdir -p www/masto www/bsky
cp "$F"/masto/lookup-budi.json www/masto/
printf '[]\n' >www/masto/statuses-1001.json
printf '{"feed": []}\n' >www/bsky/feed-sari-dewi.bsky.example.json
# Budi follows 85 accounts (two Mastodon pages of 80): the campaign team's
# on his own instance (listed without a host), a news outlet, 83 others.
following() { # extra accounts after the first two
    printf '[{"id":"5","acct":"TKN_Uji","display_name":"Tim Kampanye Uji","url":"https://sosial.example/@tkn_uji"},'
    printf '{"id":"6","acct":"berita@media.example","display_name":"Kabar Terkini","url":"https://media.example/@berita"}'
    for i in $(seq 1 "$1"); do printf ',{"id":"%d","acct":"teman%d@lain.example","display_name":"Teman %d"}' $((100 + i)) "$i" "$i"; done
    printf ']\n'
}
following 83 >www/masto/following-1001.json
printf '{"follows": [{"did":"did:plc:relawanuji","handle":"relawan-uji.bsky.example","displayName":"Relawan Uji"},{"did":"did:plc:kawan","handle":"kawan.bsky.example"}]}\n' \
    >www/bsky/follows-sari-dewi.bsky.example.json
start_server

netra --db f.db init
netra --db f.db employees import "$F/employees-ok.csv"
printf 'nip,platform,account,endpoint\n198503122010011003,mastodon,budi@sosial.example,http://127.0.0.1:%s\n199001152015032001,bluesky,sari-dewi.bsky.example,http://127.0.0.1:%s\n198503122010011003,feed,http://127.0.0.1:%s/kosong.xml,\n' "$P" "$P" "$P" >acc.csv
netra --db f.db accounts import acc.csv

test_case "campaign accounts into the lexicon from a CSV, bad rows named"
printf 'platform,akun,kontestan,peran\nmastodon,@tkn_uji@sosial.example,paslon-02,Tim Kampanye Uji\nbluesky,did:plc:relawanuji,paslon-02,relawan\n' >akun.csv
netra --db f.db lexicon import-accounts --activate akun.csv
expect_rc 0
expect_out "2 entri dibuat"
expect_eq "$(sql f.db "SELECT count(*) FROM lexicon_versions")" "1" "one version"
printf 'platform,akun,kontestan,peran\nfacebook,tkn,paslon-02,x\nmastodon,tkn uji,paslon-02,x\nx,ok,tidak-ada,x\n' >buruk.csv
netra --db f.db lexicon import-accounts buruk.csv
expect_rc 1
expect_err "buruk.csv:2: platform: harus mastodon, bluesky atau x"
expect_err "buruk.csv:3: akun: kosong, terlalu panjang atau berspasi"
expect_err "buruk.csv:4: kontestan: \"tidak-ada\" tidak ada"
expect_eq "$(sql f.db "SELECT count(*) FROM lexicon_versions")" "1" "nothing stored"

CRAWL="--allow-http --allow-network 127.0.0.1/32 --rate 50"
test_case "the crawl reads every page of the follow lists and queues the campaign follows"
# shellcheck disable=SC2086
netra --db f.db crawl $CRAWL --json
expect_rc 0
expect_eq "$(jq -r '.follows.new' out.txt)" "87" "follows first seen (85 + 2)"
expect_eq "$(grep -c 'GET /api/v1/accounts/1001/following' server.log)" "2" "two Mastodon pages (the next from the Link header)"
expect_eq "$(sql f.db "SELECT count(*) FROM follows WHERE unfollowed_at IS NULL")" "87" "every follow kept"
expect_eq "$(sql f.db "SELECT target FROM follows WHERE handle = 'tkn_uji@sosial.example'")" "tkn_uji@sosial.example" "a local account gets its instance"
expect_eq "$(printf '%s' "$(sql f.db "SELECT $(raw_text v.raw) FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'follow:tkn_uji@sosial.example'")" | sha256sum | cut -d' ' -f1)" \
    "$(sql f.db "SELECT v.raw_sha256 FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'follow:tkn_uji@sosial.example'")" "kept with its hash"
expect_eq "$(sql f.db "SELECT json_extract($(raw_text v.raw), '$.display_name') FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'follow:tkn_uji@sosial.example'")" "Tim Kampanye Uji" "the platform's bytes as listed"
expect_eq "$(sql f.db "SELECT i.level || ' ' || i.category FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'follow:tkn_uji@sosial.example'")" "review ENGAGE" "the campaign team's follow queued as form 2"
expect_eq "$(sql f.db "SELECT i.category FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'follow:did:plc:relawanuji'")" "ENGAGE" "a Bluesky follow of a volunteer group, by its DID"
expect_eq "$(sql f.db "SELECT count(*) FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.interaction = 'follow'")" "2" "no other follow queued"
expect_eq "$(sql f.db "SELECT h.entry_id || ' ' || h.matched FROM hits h JOIN review_items i ON i.score_id = h.score_id JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'follow:tkn_uji@sosial.example' AND h.kind = 'campaign_account'")" \
    "akun:mastodon:tkn_uji-sosial.example tkn_uji@sosial.example" "the hit names the account"
expect_eq "$(sql f.db "SELECT json_extract(s.explanation, '$.follow.form') FROM review_items i JOIN scores s ON s.id = i.score_id JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'follow:tkn_uji@sosial.example'")" \
    "mengikuti akun kampanye (SKB 2022 bentuk 2)" "the explanation says so"
expect_eq "$(sql f.db "SELECT follows_state || ' ' || follows_count FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.account = 'budi@sosial.example'")" "ok 85" "coverage: complete"

test_case "an unfollow is recorded by the next complete listing; nothing new is queued twice"
following 82 | sed 's/{"id":"5","acct":"TKN_Uji","display_name":"Tim Kampanye Uji","url":"https:\/\/sosial.example\/@tkn_uji"},//' >www/masto/following-1001.json
# shellcheck disable=SC2086
netra --db f.db crawl $CRAWL --json
expect_rc 0
expect_eq "$(jq -r '[.follows.new, .follows.gone] | join(" ")' out.txt)" "0 2" "none new; two gone"
expect_eq "$(sql f.db "SELECT count(*) FROM follows WHERE unfollowed_at IS NOT NULL")" "2" "two unfollows"
expect_eq "$(sql f.db "SELECT p.deleted_at IS NOT NULL FROM follows f JOIN posts p ON p.id = f.post_id WHERE f.target = 'tkn_uji@sosial.example'")" "1" "the follow's evidence kept, marked gone"
expect_eq "$(sql f.db "SELECT count(*) FROM review_items")" "2" "the queue unchanged"

test_case "coverage says where follows cannot be read, and why a listing failed"
rm www/bsky/follows-sari-dewi.bsky.example.json
# shellcheck disable=SC2086
netra --db f.db crawl $CRAWL --all
expect_rc 0
expect_eq "$(sql f.db "SELECT follows_state FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.platform = 'bluesky'" | cut -c1-6)" "galat:" "a failed listing recorded, the posts still crawled"
expect_eq "$(sql f.db "SELECT count(*) FROM follows WHERE target = 'did:plc:kawan' AND unfollowed_at IS NULL")" "1" "a failed listing unfollows nobody"
netra --db f.db accounts status --json
expect_rc 0
expect_eq "$(jq -r '[.[] | select(.platform == "feed") | .follows] | .[0]' out.txt)" "tidak tersedia di platform ini" "feeds have no follows"
expect_eq "$(jq -r '[.[] | select(.platform == "mastodon") | .follows] | .[0]' out.txt)" "ok (83 akun)" "Mastodon: read"

test_case "a hostile follow list is refused whole with a reason"
printf '[{"id":"1","display_name":"tanpa acct"}]\n' >www/masto/following-1001.json
# shellcheck disable=SC2086
netra --db f.db crawl $CRAWL --all --platform mastodon
expect_rc 0
expect_eq "$(sql f.db "SELECT follows_state FROM crawl_state c JOIN accounts a ON a.id = c.account_id WHERE a.platform = 'mastodon'")" "galat: akun yang diikuti tidak sah: tanpa acct yang sah" "why"
expect_eq "$(sql f.db "SELECT count(*) FROM follows WHERE unfollowed_at IS NULL AND account_id = (SELECT id FROM accounts WHERE platform = 'mastodon')")" "83" "nothing unfollowed by a refused list"

test_case "engagement kinds: a share and a reply that take a side are form 2, each explained"
cat >eng.ndjson <<'JSON'
{"id":"e1","platform":"mastodon","account":"budi@sosial.example","type":"repost","text":"Ayo coblos nomor 2! #PrabowoGibran2024 pasti menang","created_at":"2024-01-10T10:00:00Z"}
{"id":"e2","platform":"mastodon","account":"budi@sosial.example","type":"reply","text":"Ayo coblos nomor 2! #PrabowoGibran2024 pasti menang","created_at":"2024-01-10T11:00:00Z"}
{"id":"e3","platform":"mastodon","account":"budi@sosial.example","type":"post","text":"Ayo coblos nomor 2! #PrabowoGibran2024 pasti menang","created_at":"2024-01-10T12:00:00Z"}
JSON
netra --db f.db ingest --no-scan eng.ndjson
expect_rc 0
netra --db f.db scan --model none
expect_rc 0
item() { sql f.db "SELECT i.level || ' ' || i.category || ' ' || COALESCE(json_extract(s.explanation, '$.engagement.interaction'), '-') FROM review_items i JOIN scores s ON s.id = i.score_id JOIN posts p ON p.id = i.post_id WHERE p.remote_id = '$1'"; }
expect_eq "$(item e3)" "priority MEDSOS -" "the words as a post of one's own"
expect_eq "$(item e1)" "priority ENGAGE repost" "a share weighs as the post it shares, as form 2"
expect_eq "$(item e2)" "review ENGAGE reply" "a reply: form 2, and the lexicon alone does not make it a priority"
expect_eq "$(sql f.db "SELECT json_extract(s.explanation, '$.engagement.capped') FROM review_items i JOIN scores s ON s.id = i.score_id JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'e2'")" "1" "and says so"
case "$(sql f.db "SELECT json_extract(s.explanation, '$.engagement.reading') FROM review_items i JOIN scores s ON s.id = i.score_id JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'e1'")" in
membagikan*"bentuk 2"*) pass ;; *) fail "the share's reading" ;; esac
finish
