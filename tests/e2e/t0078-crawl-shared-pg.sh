# Crawl workers sharing one PostgreSQL database (issue 17): `netra init`
# makes the schema in an empty database and the registry is imported into
# it (or an agency's file is moved in by `migrate-store`); the registry is
# listed from it; four crawlers started together against the
# database fetch each of 40 feeds exactly once between them and store every
# post once, with evidence byte for byte the same as a crawl of the SQLite
# file; four started again with two of them killed (SIGKILL) at random
# moments while they hold leases: the leases are respected until they run
# out, a later round takes the accounts over, nothing lost and nothing
# twice; scores, queue and ingest equal SQLite's; a worker whose server
# restarts connects again. A command whose SQL is not yet on both engines
# is refused with a clear message.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
: "${NETRA_TEST_PG_FILE:?the PostgreSQL test server (ctest starts it)}"
feeds_fixture 40 reg.db clean.db
CRAWL="--allow-http --allow-network 127.0.0.1/32 --rate 20 --per-host 1 --no-scan --json"
NOW0=2026-12-01T08:00:00Z
EVIDENCE="SELECT p.remote_id || ' ' || v.seq || ' ' || v.raw_sha256 || ' ' || v.content_sha256 FROM posts p JOIN post_versions v ON v.post_id = p.id ORDER BY 1"

test_case "netra init makes the schema in an empty PostgreSQL database, once"
empty=$(fresh_db t0078_init)
netra --db "$empty" init
expect_rc 0
expect_out "Basis data PostgreSQL dibuat"
expect_eq "$(pg "$empty" "SELECT count(*) FROM pg_tables WHERE tablename IN ('posts', 'post_versions', 'crawl_leases', 'accounts')")" "4" "the crawl's tables made"
expect_eq "$(pg "$empty" "SELECT source || ' ' || schema_version FROM netra_migrate_source")" "netra init $(sql reg.db 'PRAGMA user_version')" "made by init at this build's schema"
netra --db "$empty" init
expect_rc 0
expect_out "sudah mutakhir"
netra --db "$empty" crawl $CRAWL
expect_rc 0
expect_eq "$(jq .accounts out.txt)" "0" "an empty registry crawls nothing"

test_case "posts ingested into PostgreSQL as into a file, scored as they are stored"
export NETRA_DATA="$NT_SRC/data"
netra --db ing.db init
for db in "$empty" ing.db; do
    netra --db "$db" employees import "$NT_FIXTURES/employees-ok.csv"
    netra --db "$db" accounts import "$NT_FIXTURES/accounts-ok.csv"
    netra --db "$db" lexicon import --activate "$NT_SRC/data/lexicon/default-2024.json"
    netra --db "$db" ingest "$NT_FIXTURES/posts.ndjson"
    expect_rc 0
    expect_out "unggahan baru 5"
done
ING="SELECT p.remote_id || ' ' || v.raw_sha256 || ' ' || COALESCE(s.level, '-') FROM posts p JOIN post_versions v ON v.post_id = p.id LEFT JOIN scores s ON s.version_id = v.id ORDER BY 1"
expect_eq "$(pg "$empty" "$ING")" "$(sql ing.db "$ING")" "the same evidence and scores"
for db in "$empty" ing.db; do
    netra --db "$db" ingest "$NT_FIXTURES/posts-bad.ndjson"
    expect_rc 1
    expect_err "posts-bad.ndjson:2: JSON tidak sah"
done
expect_eq "$(pg "$empty" "$ING")" "$(sql ing.db "$ING")" "bad lines refused alike, good ones kept alike"

test_case "a database holding something else is refused by init"
other=$(fresh_db t0078_other)
pg "$other" "CREATE TABLE unrelated(x int)" >/dev/null
netra --db "$other" init
expect_rc 1
expect_err "sudah berisi 1 tabel"

test_case "the SQLite file's own commands point to PostgreSQL's tools"
netra --db "$empty" backup copy.db
expect_rc 2
expect_err "pg_dump"
netra --db "$empty" check
expect_rc 2
expect_err "pg_amcheck"

test_case "the registry imported into PostgreSQL, as into a file"
shared=$(fresh_db t0078_shared)
netra --db "$shared" init
expect_rc 0
netra --db "$shared" employees import "$NT_FIXTURES/employees-ok.csv"
expect_rc 0
expect_out "ditambah 5"
netra --db "$shared" accounts import acc.csv
expect_rc 0
expect_out "ditambah 40"
netra --db "$shared" accounts import acc.csv
expect_rc 0
expect_out "tidak berubah 40"
netra --db "$shared" employees list --json
expect_rc 0
pg_list=$(cat out.txt)
netra --db reg.db employees list --json
expect_eq "$pg_list" "$(cat out.txt)" "the same list from either engine"
netra --db "$shared" accounts list --agency "pemerintah kabupaten mamuju" --json
expect_rc 0
expect_eq "$(jq length out.txt)" "40" "accounts listed, agency in any case"
netra --db "$shared" employees import "$NT_FIXTURES/employees-bad.csv"
expect_rc 1
expect_eq "$(pg "$shared" 'SELECT count(*) FROM employees')" "5" "a bad file changes nothing"

test_case "four crawlers started together against PostgreSQL: every feed fetched once"
: >server.log
# shellcheck disable=SC2086
crawlers w "$NOW0" "$shared" $CRAWL --lease 10m
wait_crawlers
expect_eq "$ok" "4" "every crawler finished ($(cat w1.err w2.err w3.err w4.err | head -3))"
expect_eq "$(grep -c '^GET /f[0-9]*\.xml' server.log)" "40" "feeds requested in all"
expect_eq "$(grep '^GET /f[0-9]*\.xml' server.log | sort | uniq -d | wc -l)" "0" "no feed twice"
expect_eq "$(cat w1.json w2.json w3.json w4.json | jq -s 'map(.fetched) | add')" "40" "fetches counted by the crawlers"
expect_eq "$(cat w1.json w2.json w3.json w4.json | jq -s 'map(.elsewhere) | add')" "120" "each left the others' 120"
expect_eq "$(pg "$shared" 'SELECT count(*) FROM posts')" "80" "every post once"
expect_eq "$(pg "$shared" "SELECT count(*) FROM crawl_state WHERE state = 'ok'")" "40" "every account ok"
expect_eq "$(pg "$shared" 'SELECT count(*) FROM crawl_leases WHERE done_at IS NULL')" "0" "no lease left held"
expect_eq "$(pg "$shared" "SELECT count(*) FROM post_versions WHERE encode(sha256(raw), 'hex') <> raw_sha256")" "0" "every raw body hashes to its record"

test_case "the same evidence as one crawler on the SQLite file"
NETRA_NOW=$NOW0 netra --db clean.db crawl $CRAWL
expect_rc 0
expect_eq "$(pg "$shared" "$EVIDENCE" | sha256sum)" "$(sql clean.db "$EVIDENCE" | sha256sum)" "posts, versions and hashes alike"

test_case "scored on PostgreSQL as on SQLite: the same scores, hits and queue"
export NETRA_DATA="$NT_SRC/data"
L="$NT_SRC/data/lexicon/default-2024.json"
for db in "$shared" clean.db; do
    netra --db "$db" lexicon import --activate "$L"
    expect_rc 0
    expect_out "disimpan dan aktif"
done
SCORES="SELECT p.remote_id || ' ' || s.level || ' ' || s.score || ' ' || COALESCE(s.categories, '-') || ' ' || (SELECT count(*) FROM hits h WHERE h.score_id = s.id) FROM scores s JOIN post_versions v ON v.id = s.version_id JOIN posts p ON p.id = v.post_id ORDER BY 1"
QUEUE="SELECT p.remote_id || ' ' || i.status || ' ' || i.level || ' ' || COALESCE(i.category, '-') || ' ' || i.age_band || ' ' || i.agency || ' ' || CAST(round(i.priority) AS INTEGER) FROM review_items i JOIN posts p ON p.id = i.post_id ORDER BY 1"
expect_eq "$(pg "$shared" "$SCORES" | sha256sum)" "$(sql clean.db "$SCORES" | sha256sum)" "scores alike ($(pg "$shared" "$SCORES" | wc -l) rows)"
[ "$(pg "$shared" 'SELECT count(*) FROM review_items')" -gt 0 ] && pass || fail "nothing reached the queue"
expect_eq "$(pg "$shared" "$QUEUE")" "$(sql clean.db "$QUEUE")" "the queue alike"
expect_eq "$(pg "$shared" 'SELECT sum(n) FROM entry_counts')" "$(sql clean.db 'SELECT sum(n) FROM entry_counts')" "hits counted per entry alike"
netra --db "$shared" scan
expect_rc 0
expect_eq "$(pg "$shared" 'SELECT count(*) FROM scores')" "$(sql clean.db 'SELECT count(*) FROM scores')" "a second scan adds nothing"

test_case "a second round on PostgreSQL: nothing new, nothing twice"
NETRA_NOW=2026-12-01T09:00:00Z netra --db "$shared" crawl $CRAWL --lease 10m
expect_rc 0
expect_eq "$(jq '.posts_added + .posts_edited' out.txt)" "0" "nothing new"
expect_eq "$(pg "$shared" 'SELECT count(*) FROM post_versions')" "80" "no version twice"

test_case "crawlers that score, killed while holding leases: the leases run out, a later round takes over"
killed=$(fresh_db t0078_killed)
netra --db reg.db migrate-store --to "$killed"
expect_rc 0
netra --db "$killed" lexicon import --activate "$L"
expect_rc 0
# Each post scored in the transaction that stores it.
SCAN=$(echo "$CRAWL" | sed 's/--no-scan//')
# shellcheck disable=SC2086
crawlers k "$NOW0" "$killed" $SCAN --rate 4 --lease 30s
# Kill (at a random moment) up to two of the crawlers that hold a lease
# then: the lease's owner names its process ("host:pid:random").
sleep "0.$(shuf -i 5-9 -n 1)"
lease_holders pg "$killed"
for v in $victims; do kill -9 "$v" 2>/dev/null; done
wait_crawlers
held=$(pg "$killed" 'SELECT count(*) FROM crawl_leases WHERE done_at IS NULL')
[ "$held" -gt 0 ] && pass || fail "the killed crawlers held no lease (killed too late?)"
# shellcheck disable=SC2086
NETRA_NOW=2026-12-01T08:00:10Z netra --db "$killed" crawl $SCAN --lease 30s
expect_rc 0
expect_eq "$(jq .elsewhere out.txt)" "$held" "the dead crawlers' accounts left alone while their leases hold"
# shellcheck disable=SC2086
NETRA_NOW=2026-12-01T08:01:00Z netra --db "$killed" crawl $SCAN --lease 30s
expect_rc 0
expect_eq "$(jq .elsewhere out.txt)" "0" "nothing left to others"
expect_eq "$(pg "$killed" 'SELECT count(*) FROM posts')" "80" "every post once"
expect_eq "$(pg "$killed" "$EVIDENCE" | sha256sum)" "$(sql clean.db "$EVIDENCE" | sha256sum)" "the same evidence as the clean crawl"
expect_eq "$(pg "$killed" "SELECT count(*) FROM crawl_state WHERE state = 'ok'")" "40" "every account ok"
expect_eq "$(pg "$killed" 'SELECT count(*) FROM crawl_leases WHERE done_at IS NULL')" "0" "no lease left held"
expect_eq "$(pg "$killed" "$SCORES" | sha256sum)" "$(sql clean.db "$SCORES" | sha256sum)" "every version scored once, as the file's were"
# The same items (their priority ages from when each was scored).
ITEMS="SELECT p.remote_id || ' ' || i.status || ' ' || i.level || ' ' || COALESCE(i.category, '-') || ' ' || i.age_band FROM review_items i JOIN posts p ON p.id = i.post_id ORDER BY 1"
expect_eq "$(pg "$killed" "$ITEMS" | sha256sum)" "$(sql clean.db "$ITEMS" | sha256sum)" "the same queue"

test_case "a worker whose database restarts connects again and goes on"
# A server of its own: the others' tests share the fixture's.
own=$PWD/pg-own.txt
if sh "$NT_SRC/tests/pg/server.sh" start "$own"; then
    t2=$(head -1 "$own")
    netra --db "$t2" init
    netra --db "$t2" employees import "$NT_FIXTURES/employees-ok.csv"
    netra --db "$t2" accounts import acc.csv
    # shellcheck disable=SC2086
    "$NETRA" --db "$t2" run $CRAWL --interval 1s --lease 1m >run.json 2>run.err &
    rp=$!
    for _ in $(seq 1 100); do [ -s run.json ] && break; sleep 0.2; done
    sh "$NT_SRC/tests/pg/server.sh" restart "$own" || fail "the server did not restart"
    rounds=$(wc -l <run.json)
    for _ in $(seq 1 150); do
        grep -q "tersambung kembali" run.err && [ "$(wc -l <run.json)" -gt "$rounds" ] && break
        sleep 0.2
    done
    kill -TERM "$rp"
    wait "$rp"
    expect_eq "$?" "0" "the worker stopped cleanly when asked, not at the restart"
    grep -q "tersambung kembali" run.err && pass || fail "no reconnection said ($(head -3 run.err))"
    [ "$(wc -l <run.json)" -gt "$rounds" ] && pass || fail "no round after the restart"
    expect_eq "$(pg "$t2" 'SELECT count(*) FROM posts')" "80" "every post once"
    sh "$NT_SRC/tests/pg/server.sh" stop "$own"
else
    fail "a second PostgreSQL server did not start"
fi

drop_db t0078_init t0078_other t0078_shared t0078_killed
finish
