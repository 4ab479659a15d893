# Posts in, scores out: `netra ingest` keeps evidence (raw bytes, SHA-256,
# versions on edit), `netra lexicon` keeps versions, `netra scan` scores with
# the active one and hands review-level posts to the queue, `lexicon test`
# reports what a draft would change. Regional entries follow the employee.
. "$(dirname "$0")/lib.sh"
export NETRA_DATA="$NT_SRC/data"
F=$NT_FIXTURES
L="$NT_SRC/data/lexicon/default-2024.json"

netra --db p.db init
netra --db p.db employees import "$F/employees-ok.csv"
netra --db p.db accounts import "$F/accounts-ok.csv"

test_case "ingest stores each line's bytes and hash as evidence"
netra --db p.db ingest "$F/posts.ndjson"
expect_rc 0
expect_out "5 baris; unggahan baru 5"
expect_eq "$(sql p.db 'SELECT count(*) FROM posts')" "5" "posts"
expect_eq "$(sql p.db "SELECT raw_sha256 FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 't1'")" \
    "$(sed -n 1p "$F/posts.ndjson" | tr -d '\n' | sha256sum | cut -d' ' -f1)" "raw SHA-256 of line 1"
expect_eq "$(sql p.db "SELECT interaction FROM posts WHERE remote_id = 't3'")" "reply" "comment is a reply"
expect_eq "$(sql p.db "SELECT request_url FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 't2'")" \
    "file:$F/posts.ndjson#L2" "where it was read"

test_case "ingest again: nothing new; an edited text is a new version"
netra --db p.db ingest "$F/posts.ndjson"
expect_out "unggahan baru 0, versi baru 0, tidak berubah 5"
netra --db p.db ingest "$F/posts-edit.ndjson"
expect_out "versi baru 1, tidak berubah 1"
expect_eq "$(sql p.db "SELECT count(*) FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 't1'")" \
    "2" "versions of t1"

test_case "bad lines are named and skipped, the good ones kept"
before=$(sql p.db 'SELECT count(*) FROM posts')
netra --db p.db ingest "$F/posts-bad.ndjson"
expect_rc 1
B="$F/posts-bad.ndjson"
expect_err "$B:2: JSON tidak sah"
expect_err "$B:3: account: akun mastodon orang_lain@masto.contoh.example tidak terdaftar"
expect_err "$B:4: text: wajib diisi"
expect_err "$B:5: created_at:"
expect_err "$B:6: type: \"like\" tidak dikenal"
expect_err "$B:7: warna: kolom tidak dikenal"
expect_out "ditolak 6"
expect_eq "$(sql p.db 'SELECT count(*) FROM posts')" "$((before + 1))" "only the good line stored"

test_case "ingest streams: lines across its read chunks, an over-long line skipped, batches committed"
# 12,500 posts (more than a batch of 10,000), about 3 MB (lines cross the
# 1 MiB chunks), CRLF endings, a 5 MiB line in the middle, no final newline.
acc=$(sed -n 1p "$F/posts.ndjson" | jq -r .account)
awk -v acc="$acc" 'BEGIN {
    for (i = 1; i <= 12500; i++) {
        if (i == 6000) { printf("{\"id\":\"panjang\",\"platform\":\"mastodon\",\"account\":\"%s\",\"text\":\"", acc)
            for (k = 0; k < 5 * 1024 * 16; k++) printf("%s", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
            printf("\"}\r\n") }
        printf("{\"id\":\"alir-%d\",\"platform\":\"mastodon\",\"account\":\"%s\",\"text\":\"Kegiatan kantor nomor %d berjalan lancar, terima kasih semua rekan kerja di unit kami yang sudah hadir tepat waktu hari ini, sampai jumpa pada rapat koordinasi berikutnya minggu depan ya\"}%s", i, acc, i, i < 12500 ? "\r\n" : "")
    } }' >alir.ndjson
[ "$(wc -c <alir.ndjson)" -gt 8000000 ] && pass || fail "the file should be over 8 MB"
before=$(sql p.db 'SELECT count(*) FROM posts')
netra --db p.db ingest alir.ndjson --no-scan
expect_rc 1
expect_err "alir.ndjson:6000: baris lebih dari 4 MiB"
expect_out "12501 baris; unggahan baru 12500"
expect_eq "$(sql p.db 'SELECT count(*) FROM posts')" "$((before + 12500))" "every other line stored"
expect_eq "$(sql p.db "SELECT request_url FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'alir-12500'")" \
    "file:alir.ndjson#L12501" "line numbers count the skipped line"
expect_eq "$(sql p.db "SELECT raw_sha256 FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'alir-7000'")" \
    "$(sed -n 7001p alir.ndjson | tr -d '\r\n' | sha256sum | cut -d' ' -f1)" "a line's bytes as read, without its CR LF"
netra --db p.db ingest tidak-ada.ndjson
expect_rc 1
expect_err "tidak-ada.ndjson: tidak dapat dibuka"

test_case "scan needs an active lexicon"
netra --db p.db scan
expect_rc 1
expect_err "belum ada versi leksikon yang aktif"

test_case "lexicon versions: import, show, export, validate"
netra --db p.db lexicon import --comment "versi awal" "$L"
expect_rc 0
expect_out "Versi leksikon #1"
expect_out "dan aktif"
expect_out "$(sql p.db 'SELECT count(*) FROM post_versions') versi unggahan dinilai"
netra --db p.db lexicon versions
expect_out "versi awal"
expect_out "aktif"
netra --db p.db lexicon export 1 --out exported.json
expect_rc 0
cmp -s exported.json "$L" && pass || fail "export differs from the imported file"
netra --db p.db lexicon show
expect_out "Kontestan: 27"
netra lexicon validate "$L"
expect_rc 0
expect_out "Leksikon sah."

test_case "activation scored every stored version once, with the active version; scan finds nothing left"
netra --db p.db scan
expect_rc 0
expect_out "leksikon versi #1"
n=$(sql p.db 'SELECT count(*) FROM post_versions')
expect_out "0 versi unggahan dinilai"
expect_eq "$(sql p.db 'SELECT count(*) FROM scan_pending')" "0" "every version scored"
expect_eq "$(sql p.db 'SELECT upto FROM scan_progress WHERE lexicon_id = 1')" "$(sql p.db 'SELECT max(id) FROM post_versions')" "the mark covers every version"
flagged=$(sql p.db "SELECT count(*) FROM scores WHERE lexicon_id = 1")
expect_eq "$(sql p.db "SELECT count(*) FROM scores WHERE lexicon_id = 1 AND level != 'none'")" "$flagged" "score rows only for posts at review or above"
[ "$flagged" -ge 2 ] && [ "$flagged" -lt "$n" ] && pass || fail "$flagged score rows for $n versions"
expect_eq "$(sql p.db "SELECT s.level FROM scores s JOIN post_versions v ON v.id = s.version_id JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 't3'")" \
    "priority" "t3 level"
expect_eq "$(sql p.db "SELECT matched FROM hits h JOIN scores s ON s.id = h.score_id JOIN post_versions v ON v.id = s.version_id JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 't3' AND h.entry_id = 'tag-03'")" \
    "GanjarMahfud2024" "hit text from the original"
expect_eq "$(sql p.db "SELECT count(*) FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id IN ('t1', 't3') AND status = 'pending'")" \
    "2" "review items"
# The scan indexes its batch's new items for search at the batch's end.
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's FTS5 index
    expect_eq "$(sql p.db "INSERT INTO review_items_fts(review_items_fts) VALUES ('integrity-check'); SELECT count(*) FROM review_items_fts_defer")" "0" "the search index is consistent, nothing left deferred"
fi
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's FTS5 index
    expect_eq "$(sql p.db "SELECT count(*) FROM review_items_fts WHERE review_items_fts MATCH '\"coblos\"'")" \
        "$(sql p.db "SELECT count(*) FROM review_items WHERE text LIKE '%coblos%'")" "it finds what LIKE finds"
fi
netra --db p.db scan
expect_out "0 versi unggahan dinilai"
items=$(sql p.db "SELECT group_concat(id || ':' || score_id || ':' || level || ':' || round(CAST(priority AS NUMERIC), 6) || ':' || updated_at, ',') FROM (SELECT * FROM review_items ORDER BY id) AS t")
netra --db p.db scan --rescan
expect_out "$n versi unggahan dinilai"
expect_eq "$(sql p.db 'SELECT count(*) FROM scores WHERE lexicon_id = 1')" "$flagged" "rescan replaces, never duplicates"
# What a rescan finds again changes no item: not its priority, not its
# time (none of the queue's indexes is rewritten).
expect_out "; 0 butir antrean dibuat atau diperbarui"
expect_eq "$(sql p.db "SELECT group_concat(id || ':' || score_id || ':' || level || ':' || round(CAST(priority AS NUMERIC), 6) || ':' || updated_at, ',') FROM (SELECT * FROM review_items ORDER BY id) AS t")" \
    "$items" "a rescan that finds the same leaves its items as they were"
# An item whose score changed is updated (here: its level, set back by hand).
sql p.db "UPDATE review_items SET level = CASE level WHEN 'review' THEN 'priority' ELSE 'review' END WHERE id = (SELECT min(id) FROM review_items)" >/dev/null
netra --db p.db scan --rescan
expect_out "; 1 butir antrean dibuat atau diperbarui"
expect_eq "$(sql p.db "SELECT group_concat(id || ':' || score_id || ':' || level || ':' || round(CAST(priority AS NUMERIC), 6), ',') FROM (SELECT * FROM review_items ORDER BY id) AS t")" \
    "$(echo "$items" | tr ',' '\n' | cut -d: -f1-4 | paste -sd, -)" "and set right again"
expect_eq "$(sql p.db 'SELECT count(*) FROM scan_pending')" "0" "and leaves the mark at the end"

test_case "the employee's region decides regional entries"
expect_eq "$(sql p.db "SELECT count(*) FROM scores s JOIN post_versions v ON v.id = s.version_id JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 't5'")" \
    "0" "Aceh party for an employee in Semarang: level none, no score row"
expect_eq "$(sql p.db "SELECT count(*) FROM scan_pending s JOIN post_versions v ON v.id = s.version_id JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 't5'")" \
    "0" "and scored all the same"

test_case "lexicon test compares a draft without changing anything"
sed 's/"weight": 4,/"weight": 1,/; s/"version": "2024.8"/"version": "2024.8-uji"/' "$L" >draft.json
before=$(db_digest p.db)
netra --db p.db lexicon test --labels "$F/labels.ndjson" draft.json
expect_rc 0
expect_out "Uji draf \"2024.8-uji\" terhadap versi aktif #1"
expect_out "Penurunan terbesar:"
expect_out "t3: "
expect_out "keseluruhan"
netra --db p.db lexicon test --json draft.json
expect_rc 0
expect_out '"draft_version": "2024.8-uji"'
expect_eq "$(db_digest p.db)" "$before" "database after lexicon test"

test_case "a new version rescored: pending items follow, diff explains"
netra --db p.db lexicon import draft.json
expect_out "belum aktif"
netra --db p.db lexicon diff 1 2
expect_out "~ entri tag-01: bobot 4 -> 1"
expect_out "perbedaan dari versi #1 ke versi #2"
# A decision before the activation: it must survive the rescoring.
add_admin --db p.db
NETRA_DB=p.db add_user rina --role reviewer --agency "Pemerintah Kabupaten Mamuju"
first=$(sql p.db "SELECT min(id) FROM review_items WHERE agency = 'Pemerintah Kabupaten Mamuju'")
netra --db p.db --as rina review decide "$first" --decision dismiss --reason-code berita
expect_rc 0
decided=$(sql p.db "SELECT group_concat(i.id || i.status || i.score_id || ':' || d.decision, ',') FROM review_items i JOIN decisions d ON d.item_id = i.id WHERE i.status != 'pending'")
netra --db p.db --as admin lexicon activate 2
expect_rc 0
expect_out "Versi leksikon #2 aktif"
expect_out "leksikon versi #2"
expect_out "$(sql p.db 'SELECT count(*) FROM post_versions') versi unggahan dinilai"
netra --db p.db scan
expect_out "0 versi unggahan dinilai"
expect_eq "$(sql p.db 'SELECT count(DISTINCT lexicon_id) FROM scores')" "2" "both versions' scores kept"
# On a terminal a rescoring shows how far it is (never in pipes or logs).
n=$(sql p.db 'SELECT count(*) FROM post_versions WHERE text IS NOT NULL')
script -qec "'$NETRA' --db p.db scan --rescan" /dev/null >tty.txt 2>&1
grep -q "Menilai: 0 dari $n versi unggahan (0%)" tty.txt && pass || fail "no progress at the start: $(cat tty.txt)"
grep -q "Menilai: $n dari $n versi unggahan (100%)" tty.txt && pass || fail "no progress at the end: $(cat tty.txt)"
netra --db p.db scan --rescan
expect_rc 0
grep -q "Menilai:" err.txt && fail "a progress line in a pipe" || pass
[ -n "$decided" ] && pass || fail "no decided item to protect"
expect_eq "$(sql p.db "SELECT group_concat(i.id || i.status || i.score_id || ':' || d.decision, ',') FROM review_items i JOIN decisions d ON d.item_id = i.id WHERE i.status != 'pending'")" "$decided" "decided items untouched by the rescoring"
expect_eq "$(sql p.db "SELECT count(*) FROM review_items i JOIN scores s ON s.id = i.score_id WHERE i.status = 'pending' AND s.lexicon_id != 2")" "0" "pending items follow the new version"

test_case "posts that enter are scored and queued as they are stored"
printf '{"id":"baru1","platform":"mastodon","account":"budi_santoso@masto.contoh.example","text":"Ayo coblos nomor 3, Ganjar Mahfud pasti menang! #GanjarMahfud2024","created_at":"2023-12-05T10:00:00Z"}\n' >baru.ndjson
netra --db p.db ingest baru.ndjson
expect_rc 0
expect_out "1 versi unggahan dinilai"
expect_eq "$(sql p.db "SELECT count(*) FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'baru1' AND i.status = 'pending'")" "1" "queued without netra scan"
# An edit of a pending item: the queue's copy of the text follows the new version.
printf '{"id":"baru1","platform":"mastodon","account":"budi_santoso@masto.contoh.example","text":"Ayo coblos nomor 3 ya, Ganjar Mahfud pasti menang! #GanjarMahfud2024","created_at":"2023-12-05T10:00:00Z"}\n' >baru1b.ndjson
netra --db p.db ingest baru1b.ndjson
expect_rc 0
expect_eq "$(sql p.db "SELECT i.text FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'baru1'")" \
    "Ayo coblos nomor 3 ya, Ganjar Mahfud pasti menang! #GanjarMahfud2024" "the queue's text is the edited version's"
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's FTS5 index
    expect_eq "$(sql p.db "SELECT count(*) FROM review_items_fts WHERE review_items_fts MATCH '\"3 YA, GANJAR MAHFUD PASTI\"'")" "1" "the search index has the edit (case aside)"
fi
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's FTS5 index
    expect_eq "$(sql p.db "INSERT INTO review_items_fts(review_items_fts) VALUES ('integrity-check'); SELECT 'ok'")" "ok" "and stays consistent"
fi
printf '{"id":"baru2","platform":"mastodon","account":"budi_santoso@masto.contoh.example","text":"Rapat pagi di aula.","created_at":"2023-12-05T11:00:00Z"}\n' >baru2.ndjson
netra --db p.db ingest --no-scan baru2.ndjson
expect_rc 0
expect_no_out "dinilai"
expect_eq "$(sql p.db "SELECT count(*) FROM scan_pending s JOIN post_versions v ON v.id = s.version_id JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'baru2'")" "1" "--no-scan leaves it for the next scan"
# An ingest scores each post as it stores it (baru3), then what the mark
# has not reached (baru2, stored with --no-scan): the mark did not jump
# over baru2 when baru3 was scored, so the scan after the ingest scores
# both (three scorings for two versions).
printf '{"id":"baru3","platform":"mastodon","account":"budi_santoso@masto.contoh.example","text":"Coblos nomor 2 ya! #PrabowoGibran2024","created_at":"2023-12-05T12:00:00Z"}\n' >baru3.ndjson
netra --db p.db ingest baru3.ndjson
expect_rc 0
expect_out "3 versi unggahan dinilai"
expect_eq "$(sql p.db "SELECT count(*) FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'baru3'")" "1" "baru3 scored and queued"
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's FTS5 index
    expect_eq "$(sql p.db "SELECT count(*) FROM review_items_fts f JOIN review_items i ON i.id = f.rowid JOIN posts p ON p.id = i.post_id WHERE review_items_fts MATCH '\"coblos nomor 2 ya\"' AND p.remote_id = 'baru3'")" "1" "and found by search: the ingest indexed it before its commit"
fi
if [ "$NT_ENGINE" = sqlite ]; then # SQLite's FTS5 index
    expect_eq "$(sql p.db "INSERT INTO review_items_fts(review_items_fts) VALUES ('integrity-check'); SELECT count(*) FROM review_items_fts_defer")" "0" "the index consistent, nothing left deferred"
fi
expect_eq "$(sql p.db "SELECT count(*) FROM scan_pending")" "0" "nothing left for the scan"
netra --db p.db scan
expect_out "0 versi unggahan dinilai"
printf '{"id":"baru4","platform":"mastodon","account":"budi_santoso@masto.contoh.example","text":"Rapat sore di aula.","created_at":"2023-12-05T13:00:00Z"}\n' >baru4.ndjson
netra --db p.db ingest baru4.ndjson
expect_eq "$(sql p.db "SELECT upto FROM scan_progress WHERE lexicon_id = 2")" "$(sql p.db "SELECT max(id) FROM post_versions")" "caught up, the mark follows each stored post"
audits=$(sql p.db "SELECT count(*) FROM audit_log")
netra --db p.db --as admin lexicon activate 9
expect_rc 1
expect_eq "$(sql p.db "SELECT count(*) FROM audit_log")" "$audits" "a failed activation leaves no audit row"
expect_eq "$(sql p.db "SELECT actor || ' ' || object_id FROM audit_log WHERE action = 'lexicon.activate' ORDER BY id DESC LIMIT 1")" "admin 2" "the activation's audit row"
expect_err "tidak ada"

finish
