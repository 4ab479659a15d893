# The web app in a real browser (Debian's Chromium, driven by playwright-core
# from npm; both installed by `make test`): a reviewer's and a supervisor's
# day on the demo database, with an XSS payload planted in a flagged post.
# Screenshots of every page are kept in the test's directory (screenshots/).
. "$(dirname "$0")/lib.sh"
export NETRA_DATA="$NT_SRC/data"
B="$NT_SRC/tests/browser"

test_case "the browser test's tools are installed"
command -v node >/dev/null && pass || fail "node missing (make test installs it)"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] && pass || fail "chromium missing (make test installs it)"
[ -d "$B/node_modules/playwright-core" ] && pass || fail "playwright-core missing (make test runs npm ci)"

netra demo --dir d
expect_rc 0
export NETRA_DB=d/netra.db
acc=$(sql d/netra.db "SELECT account FROM accounts WHERE platform = 'mastodon' AND active = 1 ORDER BY id LIMIT 1")
printf '{"id":"xss-1","platform":"mastodon","account":"%s","text":"Ayo coblos 02! <img src=x onerror=window.__xss=1> #PrabowoGibran2024","created_at":"2023-12-03T09:00:00Z"}\n' "$acc" >xss.ndjson
netra ingest xss.ndjson
expect_rc 0
# A shift's worth: 330 more campaign posts (written here, each text its own),
# spread over the demo's accounts, for the keyboard-only shift below.
sql d/netra.db "SELECT platform, account FROM accounts WHERE active = 1 AND platform != 'feed' ORDER BY id LIMIT 330" |
    awk -F'|' '{
        n = NR; d = 1 + n % 28
        if (n % 3 == 0) t = sprintf("Ayo coblos nomor 2 di TPS %d, posko kami siap bantu! #PrabowoGibran2024", n)
        else if (n % 3 == 1) t = sprintf("Pilih Anies Muhaimin ya, posko RT %d siap menangkan AMIN #AMINajaDulu", n)
        else t = sprintf("Dukung terus Ganjar Mahfud, posko relawan nomor %d sudah buka #GanjarMahfud2024", n)
        printf("{\"id\":\"shift-%d\",\"platform\":\"%s\",\"account\":\"%s\",\"text\":\"%s\",\"created_at\":\"2023-12-%02dT0%d:00:00Z\"}\n", n, $1, $2, t, d, n % 10)
    }' >shift.ndjson
expect_eq "$(wc -l <shift.ndjson)" "330" "the shift's posts"
netra ingest shift.ndjson
expect_rc 0
netra scan
expect_rc 0
expect_eq "$(sql d/netra.db "SELECT count(*) >= 300 FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id LIKE 'shift-%'")" "1" "at least 300 of them in the queue"

start_netra_serve

test_case "a reviewer's and a supervisor's day in Chromium"
# A draft that weakens the call-to-action entries, for the analyst.
sed 's/"version": "2024.8"/"version": "2024.8-draf"/; s/"weight": 1,/"weight": 0.5,/' \
    "$NT_SRC/data/lexicon/default-2024.json" >draft.json
run node "$B/day.mjs" "$U" "$PWD/screenshots" "$PWD/draft.json"
expect_rc 0
expect_out "browser day: all checks passed"
[ "$(ls screenshots/*.png 2>/dev/null | wc -l)" -ge 8 ] && pass || fail "screenshots missing"
expect_eq "$(sql d/netra.db "SELECT count(*) FROM audit_log WHERE actor = 'supervisor' AND action = 'case.advance'")" "1" "the browser's advance is in the audit trail"
expect_eq "$(sql d/netra.db "SELECT count(*) >= 300 FROM decisions d JOIN users u ON u.id = d.user_id JOIN review_items i ON i.id = d.item_id JOIN posts p ON p.id = i.post_id WHERE u.name = 'peninjau' AND d.decision = 'dismiss' AND p.remote_id LIKE 'shift-%'")" "1" "the shift's items decided by the reviewer, each with its decision row"
expect_eq "$(sql d/netra.db "SELECT count(*) FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id LIKE 'shift-%' AND i.status = 'pending'")" "0" "none of them left"

kill $srv
wait $srv
finish
