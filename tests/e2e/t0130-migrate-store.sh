# `netra migrate-store`: an agency's SQLite file (the demo's: posts,
# evidence, media, follows, decisions, cases, the audit trail) moved into
# the PostgreSQL server the tests start (tests/pg/server.sh): every row of
# every table there, keys, indexes and foreign keys made, identity
# counters past the copied ids; killed with SIGKILL at random moments and
# run again, nothing lost and nothing twice; refused into a database that
# holds other data or another file's copy; a copy changed afterwards, or
# evidence whose hash no longer matches, found by the verification.
. "$(dirname "$0")/lib.sh"
: "${NETRA_TEST_PG_FILE:?the PostgreSQL test server (ctest starts it)}"

netra demo --dir d
expect_rc 0
db=d/netra.db
TABLES="imports employees accounts crawl_state posts post_versions scores hits users user_agencies review_items decisions cases case_items case_transitions audit_log media post_media follows entry_counts reviewer_days settings"

same_rows() { # same_rows TARGET WHAT
    for t in $TABLES; do
        expect_eq "$(pg "$1" "SELECT count(*) FROM $t")" "$(sql $db "SELECT count(*) FROM $t")" "$2: rows of $t"
    done
}

test_case "a demo database moved into PostgreSQL, verified"
one=$(fresh_db t0130_one)
netra --db $db migrate-store --to "$one"
expect_rc 0
expect_out "dipindahkan ke PostgreSQL"
expect_out "digest SHA-256 setiap tabel sama"
expect_out "isi mentah unggahan $(sql $db "SELECT count(*) FROM post_versions WHERE raw IS NOT NULL")"
same_rows "$one" "moved"
expect_eq "$(pg "$one" "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")" "$(for t in $(sql $db "SELECT name FROM sqlite_schema WHERE type = 'table'"); do sql $db "SELECT count(DISTINCT id) FROM pragma_foreign_key_list('$t')"; done | awk '{ s += $1 } END { print s }')" "every foreign key made"
expect_eq "$(pg "$one" "SELECT count(*) FROM pg_indexes WHERE indexname = 'review_items_open'")" "1" "the queue's partial index"
expect_eq "$(pg "$one" "SELECT count(*) FROM pg_tables WHERE tablename LIKE '%fts%' OR tablename = 'stats_cache'")" "0" "no SQLite search index or statistics cache"
expect_eq "$(pg "$one" "SELECT nextval(pg_get_serial_sequence('posts', 'id')) > (SELECT max(id) FROM posts)")" "t" "the next post id is past the copied ones"
expect_eq "$(pg "$one" "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('posts', 'review_items', 'entry_counts') AND last_analyze IS NOT NULL")" "3" "the planner's statistics made for the copied rows"
expect_eq "$(pg "$one" "SELECT string_agg(raw_sha256, ',' ORDER BY id) FROM post_versions")" "$(sql $db "SELECT group_concat(raw_sha256, ',') FROM (SELECT raw_sha256 FROM post_versions ORDER BY id)")" "the evidence hashes"
# The schema's rules hold in PostgreSQL too.
psql "$one" -qAtc "UPDATE employees SET sex = 'X' WHERE id = 1" >/dev/null 2>pgerr.txt && fail "a CHECK was lost" || pass
psql "$one" -qAtc "INSERT INTO posts(account_id, remote_id, interaction, source, first_seen_at, last_seen_at) VALUES (999999, 'x', 'post', 'crawl', 'a', 'a')" >/dev/null 2>pgerr.txt && fail "a foreign key was lost" || pass

test_case "run again: nothing copied twice"
netra --db $db migrate-store --to "$one" --json
expect_rc 0
expect_eq "$(jq -r '.verified' out.txt)" "true" "verified again"
same_rows "$one" "again"

test_case "killed at random moments and run again: every row once"
two=$(fresh_db t0130_two)
runs=0
while :; do
    "$NETRA" --db $db migrate-store --to "$two" --batch 7 >out.txt 2>err.txt &
    pid=$!
    sleep "0.0$(shuf -i 2-9 -n 1)"
    kill -9 $pid 2>/dev/null
    wait $pid
    rc=$?
    runs=$((runs + 1))
    [ $rc -eq 0 ] && break
    [ $runs -ge 200 ] && break
done
[ $runs -gt 1 ] && pass || fail "the copy was never killed (finished in the first run)"
netra --db $db migrate-store --to "$two"
expect_rc 0
same_rows "$two" "after $runs runs"

test_case "refused: a database with other data, another file's copy, bad targets"
three=$(fresh_db t0130_three)
pg "$three" "CREATE TABLE other (x int)" >/dev/null
netra --db $db migrate-store --to "$three"
expect_rc 1
expect_err "sudah berisi 1 tabel"
cp $db other.db
netra --db other.db migrate-store --to "$one"
expect_rc 1
expect_err "berisi salinan dari"
netra --db $db migrate-store
expect_rc 2
netra --db $db migrate-store --to /tmp/x.db
expect_rc 2
netra --db $db migrate-store --to "postgresql://netra:rahasia@/netra?host=/nonexistent-dir"
expect_rc 1
expect_err "tidak dapat tersambung"
expect_no_err "rahasia"
netra --db $db migrate-store --to "$one" --batch 0
expect_rc 2

test_case "a copy changed afterwards is found"
pg "$one" "UPDATE posts SET author = 'diubah' WHERE id = (SELECT min(id) FROM posts)" >/dev/null
netra --db $db migrate-store --to "$one"
expect_rc 1
expect_err "tabel posts berbeda"

test_case "evidence whose hash no longer matches is found"
cp $db bad.db
sql bad.db "UPDATE post_versions SET raw = X'00' WHERE id = (SELECT min(id) FROM post_versions WHERE raw IS NOT NULL)"
four=$(fresh_db t0130_four)
netra --db bad.db migrate-store --to "$four"
expect_rc 1
expect_err "1 isi mentah unggahan di PostgreSQL tidak cocok"

test_case "a database of an older build brought up to this schema by init, its rows kept"
old=$(fresh_db t0130_old)
netra --db $db migrate-store --to "$old"
expect_rc 0
# Made to look like an older build's: a table, a column and two indexes
# removed (what later migrations added), the version set back.
pg "$old" "DROP TABLE crawl_leases; ALTER TABLE crawl_state DROP COLUMN follows_count; DROP INDEX post_media_url; DROP INDEX review_items_open_agency; UPDATE netra_migrate_source SET schema_version = 29" >/dev/null
posts=$(pg "$old" "SELECT count(*) FROM posts")
netra --db "$old" employees list
expect_rc 1
expect_err "jalankan 'netra init' untuk meningkatkannya"
netra --db "$old" init
expect_rc 0
expect_out "ditingkatkan dari skema versi 29 ke versi"
expect_eq "$(pg "$old" "SELECT schema_version FROM netra_migrate_source")" "$(sql $db "PRAGMA user_version")" "the schema version recorded"
expect_eq "$(pg "$old" "SELECT to_regclass('crawl_leases') IS NOT NULL")" "t" "the table it lacked"
expect_eq "$(pg "$old" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'crawl_state' AND column_name = 'follows_count'")" "1" "the column it lacked"
expect_eq "$(pg "$old" "SELECT count(*) FROM pg_indexes WHERE indexname IN ('post_media_url', 'review_items_open_agency')")" "2" "the indexes it lacked"
expect_eq "$(pg "$old" "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'crawl_leases_fk%'")" "1" "the new table's foreign key"
expect_eq "$(pg "$old" "SELECT count(*) FROM posts")" "$posts" "the rows kept"
netra --db "$old" employees list
expect_rc 0
netra --db "$old" init
expect_out "sudah mutakhir"
pg "$old" "UPDATE netra_migrate_source SET schema_version = 99" >/dev/null
netra --db "$old" init
expect_rc 1
expect_err "lebih baru dari program ini"

drop_db t0130_one t0130_two t0130_three t0130_four t0130_old
finish
