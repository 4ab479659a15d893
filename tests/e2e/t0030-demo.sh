# `netra demo` on the bundled sample data: a fresh database each run, with
# at least 300 fictional employees over 6 agencies and 4 regions, every
# position type, and 1-3 accounts each over every platform.
. "$(dirname "$0")/lib.sh"
export NETRA_DATA="$NT_SRC/data"

test_case "demo runs and reports"
netra demo --dir d
expect_rc 0
expect_out "Basis data baru: d/netra.db"
expect_out "Impor pegawai"
expect_out "Impor akun"
expect_out "Pegawai aktif per instansi"
expect_out "Akun yang diawasi per platform"
expect_out "Leksikon bawaan \"2024.8\" disimpan sebagai versi #1"
expect_out "Antrean teratas"
expect_out "Statistik per instansi"
expect_out "peninjau    reviewer"
expect_out "6. Crawl: 3 blog contoh dan 1 akun Mastodon"
expect_out "blog-1.xml): 3 unggahan baru"
expect_out "blog-3.xml): 1 unggahan baru"
expect_out "[priority "
expect_err_empty

db=d/netra.db
test_case "the sample registry has the promised shape"
n=$(sql $db 'SELECT count(*) FROM employees WHERE active = 1')
[ "$n" -ge 300 ] && pass || fail "only $n employees"
n=$(sql $db 'SELECT count(DISTINCT agency) FROM employees')
[ "$n" -ge 6 ] && pass || fail "only $n agencies"
n=$(sql $db 'SELECT count(DISTINCT region_code) FROM employees')
[ "$n" -ge 4 ] && pass || fail "only $n regions"
expect_eq "$(sql $db 'SELECT count(DISTINCT position_type) FROM employees')" "5" "position types"
expect_eq "$(sql $db 'SELECT count(DISTINCT platform) FROM accounts')" "4" "platforms"
expect_eq "$(sql $db 'SELECT count(*) FROM employees e WHERE (SELECT count(*) FROM accounts a WHERE a.employee_id = e.id) NOT BETWEEN 1 AND 3')" \
    "0" "employees without 1-3 accounts"
expect_eq "$(sql $db "SELECT count(*) FROM accounts WHERE platform IN ('mastodon','bluesky','feed') AND account NOT LIKE '%.example%'")" \
    "0" "sample accounts outside the reserved .example domain"

test_case "the offline pipeline ran: posts stored, scored, queued"
n=$(sql $db 'SELECT count(*) FROM posts')
[ "$n" -ge 300 ] && pass || fail "only $n posts"
expect_eq "$(sql $db 'SELECT count(*) FROM post_versions WHERE raw_sha256 IS NULL OR raw IS NULL')" "0" "evidence"
expect_eq "$(sql $db 'SELECT count(*) FROM scan_pending')" "0" "every post scored"
expect_eq "$(sql $db "SELECT count(*) FROM scores WHERE level = 'none'")" "0" "a post at level none writes no score row"
q=$(sql $db "SELECT count(*) FROM review_items")
[ "$q" -ge 10 ] && pass || fail "only $q items queued"
expect_eq "$(sql $db "SELECT count(*) FROM scores WHERE level != 'none'")" "$q" "queue = flagged posts"
expect_eq "$(sql $db "SELECT group_concat(status) FROM (SELECT status FROM review_items WHERE status != 'pending' ORDER BY status)")" "confirmed,dismissed" "the demo reviewer's two decisions"
expect_eq "$(sql $db "SELECT count(*) FROM cases")" "1" "the finding opened a case"

test_case "the demo crawl stored feed posts as evidence"
expect_eq "$(sql $db "SELECT count(*) FROM posts WHERE source = 'crawl' AND interaction <> 'follow'")" "7" "crawled posts"

test_case "the demo's Mastodon account follows a campaign account: queued as form 2"
expect_out "3 akun kampanye (netra lexicon import-accounts)"
expect_out "3 akun yang diikuti dicatat"
expect_out "mengikuti akun kampanye relawan_maju02@relawan.contoh.example (SKB 2022 bentuk 2)"
expect_eq "$(sql $db "SELECT count(*) FROM follows")" "3" "three follows recorded"
expect_eq "$(sql $db "SELECT target FROM follows WHERE target LIKE 'pemkab_contoh@%'")" "pemkab_contoh@masto.contoh.example" "a local account on the employee's instance"
expect_eq "$(sql $db "SELECT i.category FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.interaction = 'follow'")" "ENGAGE" "only the campaign follow queued"

test_case "the demo's flyer: fetched from a feed enclosure, read, its words queue an innocent caption"
expect_out "1 gambar lampiran disimpan"
expect_out "8. Teks dalam gambar (OCR): 1 gambar dibaca, 2 baris teks"
expect_eq "$(sql $db "SELECT m.sha256 FROM media m")" "$(sha256sum "$NT_SRC/data/sample/feeds/spanduk.png" | cut -d' ' -f1)" "the flyer kept with its hash"
expect_eq "$(sql $db "SELECT pm.url LIKE 'http://127.0.0.1:%/spanduk.png' FROM post_media pm")" "1" "the relative enclosure URL resolved against the feed's"
expect_eq "$(sql $db "SELECT i.level FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'd1-3'")" "priority" "the post with the flyer queued"
expect_eq "$(sql $db "SELECT count(*) > 0 FROM hits h JOIN review_items i ON i.score_id = h.score_id JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'd1-3' AND h.source = 'ocr'")" "1" "by the text in its image"
expect_eq "$(sql $db "SELECT count(*) FROM crawl_state WHERE state = 'ok'")" "4" "crawled accounts (3 blogs, 1 Mastodon)"

test_case "running the demo again starts from scratch"
sql $db "INSERT INTO settings VALUES ('marker', 'x', 't')"
netra demo --dir d
expect_rc 0
expect_eq "$(sql $db "SELECT count(*) FROM settings WHERE key = 'marker'")" "0" "old data gone"

test_case "the demo's case dossier names its emoji for readers without an emoji font"
printf 'supervisor-demo-123\n' | NETRA_DB=$db "$NETRA" --password-stdin --as supervisor case export 1 --out berkas >out.txt 2>err.txt
expect_eq "$?" "0" "export"
grep -q 'U+270C VICTORY HAND' berkas/case.html && pass || fail "no name for the victory hand: $(grep -o 'Emoji[^<]*' berkas/case.html)"

test_case "a missing data directory is a clear error"
NETRA_DATA=/nonexistent netra demo --dir d2
expect_rc 1
expect_err "NETRA_DATA"

finish
