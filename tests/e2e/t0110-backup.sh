# Backup, restore and check as an operator runs them: a backup taken while
# another process keeps writing is whole and verified; restore checks the
# copy, keeps the old file aside, refuses a database in use, a newer schema
# or a broken file; `netra check` finds a changed evidence byte and a
# rewritten audit row, and says where.
. "$(dirname "$0")/lib.sh"
F=$NT_FIXTURES
export NETRA_DB=live.db

review_fixture
add_admin
add_user rina --role reviewer --agency "$MAMUJU"
netra --as rina review decide 1 --decision dismiss --reason-code berita
expect_rc 0
expect_eq "$(sql live.db "SELECT count(*) >= 3 FROM audit_log")" "1" "audited actions to protect"

test_case "check on a healthy database: every line says baik"
netra check
expect_rc 0
expect_out "basis data      baik"
expect_out "jejak audit     baik"
expect_out "bukti unggahan  baik"
netra check --json
expect_eq "$(jq -r '.ok' out.txt)" "true" "check --json"

test_case "backup while another process writes: consistent, verified, compressed"
# A writer: new posts ingested one file after another.
(
    for i in $(seq 1 40); do
        printf '{"id":"w%s","platform":"mastodon","account":"budi_santoso@masto.contoh.example","text":"tulisan %s","created_at":"2023-12-02T10:00:00Z"}\n' "$i" "$i" >"w$i.ndjson"
        "$NETRA" ingest "w$i.ndjson" >/dev/null 2>&1
    done
) &
writer=$!
netra backup b1.db.gz
expect_rc 0
expect_out "Cadangan b1.db.gz ditulis dan diperiksa"
wait $writer
expect_eq "$(gzip -t b1.db.gz && echo gzip-ok)" "gzip-ok" "the backup is a gzip file"
expect_eq "$(ls | grep -c '\.salinan-\|\.tulis-')" "0" "no temporary files left"

test_case "restore into a new path: the same rows as the backup, checks pass"
NETRA_DB=copy.db netra restore b1.db.gz
expect_rc 0
expect_out "dipulihkan dari b1.db.gz"
expect_no_out "Yang lama"
# The audit key is not in the backup: without it the trail cannot be vouched for.
NETRA_DB=copy.db netra check
expect_rc 1
expect_out "jejak audit     RUSAK"
expect_out "copy.db.audit-key tidak ditemukan"
expect_out "bukti unggahan  baik"
export NETRA_AUDIT_KEY=live.db.audit-key
NETRA_DB=copy.db netra check
expect_rc 0
expect_out "rantai utuh (berkunci)"
n_copy=$(sql copy.db "SELECT count(*) FROM posts")
n_live=$(sql live.db "SELECT count(*) FROM posts")
[ "$n_copy" -ge 7 ] && [ "$n_copy" -le "$n_live" ] && pass || fail "posts in the copy: $n_copy (live $n_live)"
expect_eq "$(sql copy.db "PRAGMA journal_mode")" "wal" "the restored database keeps WAL"

test_case "restore over an existing database keeps the old one aside"
sql copy.db "DELETE FROM review_items WHERE id = 2" >/dev/null
NETRA_DB=copy.db netra restore b1.db.gz
expect_rc 0
expect_out "Yang lama disimpan sebagai copy.db.sebelum-pulih-"
aside=$(ls copy.db.sebelum-pulih-* | head -n 1)
expect_eq "$(sql "$aside" "SELECT count(*) FROM review_items WHERE id = 2")" "0" "the old file, as it was"
expect_eq "$(sql copy.db "SELECT count(*) FROM review_items WHERE id = 2")" "1" "the backup's rows"

test_case "restore keeps writes a killed process left in the WAL with the old file"
sql copy.db "PRAGMA wal_autocheckpoint = 0; DELETE FROM review_items WHERE id = 3;" >/dev/null
# A process that dies without checkpointing: its writes are only in the WAL.
sqlite3 copy.db "PRAGMA wal_autocheckpoint = 0" "INSERT INTO settings(key, value, updated_at) VALUES ('uji.wal', 'ada', '2026-11-23T00:00:00Z')" ".shell kill -9 \$PPID" >/dev/null 2>&1
[ -s copy.db-wal ] && pass || fail "no WAL left behind"
NETRA_DB=copy.db netra restore b1.db.gz
expect_rc 0
aside=$(sed -n 's/.*disimpan sebagai \(.*\)\./\1/p' out.txt)
expect_eq "$(sql "$aside" "SELECT value FROM settings WHERE key = 'uji.wal'")" "ada" "the WAL's write is in the old file"

test_case "restore refuses a database another process has open"
sqlite3 copy.db "SELECT count(*) FROM posts" ".shell sleep 3" >/dev/null &
holder=$!
sleep 1
NETRA_DB=copy.db netra restore b1.db.gz
expect_rc 1
expect_err "sedang dipakai proses lain"
wait $holder

test_case "restore refuses broken files and newer schemas, changing nothing"
before=$(db_digest copy.db)
echo "bukan cadangan" | gzip >junk.db.gz
NETRA_DB=copy.db netra restore junk.db.gz
expect_rc 1
expect_err "junk.db.gz: bukan basis data SQLite"
head -c 1000 b1.db.gz >cut.db.gz
NETRA_DB=copy.db netra restore cut.db.gz
expect_rc 1
expect_err "cut.db.gz"
NETRA_DB=copy.db netra restore tidak-ada.db.gz
expect_rc 1
expect_err "tidak-ada.db.gz: tidak dapat dibuka"
gzip -dc b1.db.gz >future.db
sql future.db "PRAGMA user_version = 99" >/dev/null
gzip -c future.db >future.db.gz
NETRA_DB=copy.db netra restore future.db.gz
expect_rc 1
expect_err "skema versi 99 lebih baru"
v=$(sql copy.db "PRAGMA user_version")
sql copy.db "PRAGMA user_version = $((v + 1))" >/dev/null
NETRA_DB=copy.db netra restore b1.db.gz
expect_rc 1
expect_err "memundurkan skema"
sql copy.db "PRAGMA user_version = $v" >/dev/null
expect_eq "$(db_digest copy.db)" "$before" "nothing changed"
netra restore
expect_rc 2

test_case "check names a changed evidence byte and a rewritten audit row"
sql copy.db "UPDATE post_versions SET raw = CAST('dipalsukan' AS BLOB) WHERE id = 3" >/dev/null
sql copy.db "UPDATE audit_log SET actor = 'orang lain' WHERE id = 2" >/dev/null
NETRA_DB=copy.db netra check
expect_rc 1
expect_out "bukti unggahan  RUSAK"
expect_out "pertama versi #3"
expect_out "jejak audit     RUSAK"
expect_out "baris #2"
NETRA_DB=copy.db netra check --json
expect_rc 1
expect_eq "$(jq -r '.ok' out.txt)" "false" "check --json says not ok"

test_case "a restored or new database starts a clean checkpoint log; the old one is kept aside"
NETRA_DB=copy.db netra restore b1.db.gz --force
expect_rc 0
NETRA_DB=copy.db netra --as admin config set four_eyes yes
expect_rc 0
[ -s copy.db.audit-checkpoints ] && pass || fail "an audited action on the copy writes its log"
NETRA_DB=copy.db netra restore b1.db.gz --force
expect_rc 0
expect_out "Log titik periksa jejak audit yang lama dipindahkan ke copy.db.audit-checkpoints.sebelum-"
ls copy.db.audit-checkpoints.sebelum-* >/dev/null 2>&1 && pass || fail "the old log is kept"
NETRA_DB=copy.db netra check
expect_rc 0
rm -f fresh.db fresh.db-wal fresh.db-shm
NETRA_DB=fresh.db netra init
expect_rc 0
printf 'sandi-admin-123\n' | NETRA_DB=fresh.db "$NETRA" user add admin --role admin --password-stdin >out.txt 2>err.txt
[ -s fresh.db.audit-checkpoints ] && pass || fail "the first audited action writes the log"
rm -f fresh.db fresh.db-wal fresh.db-shm
NETRA_DB=fresh.db netra init
expect_rc 0
expect_out "dipindahkan ke fresh.db.audit-checkpoints.sebelum-"
printf 'sandi-admin-123\n' | NETRA_DB=fresh.db "$NETRA" user add admin --role admin --password-stdin >out.txt 2>err.txt
NETRA_DB=fresh.db netra check
expect_rc 0

finish
