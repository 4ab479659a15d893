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
netra scan
expect_rc 0

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

kill $srv
wait $srv
finish
