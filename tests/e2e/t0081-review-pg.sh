# The review library on PostgreSQL (issue 17): the same review session -
# users, claims, four-eyes decisions, an escalation, an undo, cases moved
# through the SOP with a document, an employee moved to another agency,
# old unflagged content purged by retention -
# run against a SQLite file and against PostgreSQL leaves the same queue,
# decisions, cases, audit trail, purged content and counts (entry_counts, entry_decided,
# reviewer_days, the items' report keys: kept by triggers on both
# engines). Then two `netra serve` processes on the PostgreSQL database:
# a reviewer on each races for one item (one claim wins), and both append
# to the audit trail at once: one unbroken chain.
. "$(dirname "$0")/lib.sh"
: "${NETRA_TEST_PG_FILE:?the PostgreSQL test server (ctest starts it)}"
PGDB=$(fresh_db t0081_review)
export NETRA_DATA="$NT_SRC/data"
printf '%%PDF-1.4\n%% BAP pemeriksaan\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' >bap.pdf
# A draft lexicon whose terms match nothing: most flagged posts would leave
# the queue.
jq '.version = "uji-1" | .entries |= map(.terms = ["zzqx" + .id])' \
    "$NETRA_DATA/lexicon/default-2024.json" >draft.json
sed "s/^198503122010011003,Budi Santoso,$MAMUJU,Dinas Pendidikan/198503122010011003,Budi Santoso,$SEMARANG,Dinas Pendidikan dan Kebudayaan/" \
    "$NT_FIXTURES/employees-ok.csv" >moved.csv

# session DB: the same review session on DB; each step's exit status and
# output appended to steps-NAME.txt.
session() {
    local log=steps-$2.txt
    export NETRA_DB=$1
    : >"$log"
    step() { # step NOW ARGS...: netra at NOW, its outcome logged
        local now=$1
        shift
        NETRA_NOW=$now netra "$@"
        # Each database has its own audit key: its id and the rows' hashes differ.
        { echo "== $* -> $rc"; cat out.txt err.txt; } |
            sed -e 's/berkunci [0-9a-f]*/berkunci KUNCI/' -e '/"hash": /d' >>"$log"
    }
    review_fixture
    add_admin
    add_users "rina reviewer $MAMUJU" "sari reviewer $MAMUJU" "tono reviewer $SEMARANG" \
        "wati reviewer $SEMARANG" "budi supervisor $MAMUJU"
    step 2026-12-01T09:00:00Z --as rina review claim 1
    step 2026-12-01T09:01:00Z --as sari review claim 1
    step 2026-12-01T09:02:00Z --as admin config set four_eyes yes
    step 2026-12-01T09:03:00Z --as rina review decide 1 --decision confirm
    step 2026-12-01T09:04:00Z --as rina review decide 1 --decision confirm
    step 2026-12-01T09:05:00Z --as sari review decide 1 --decision confirm
    step 2026-12-01T09:06:00Z --as sari review decide 2 --decision dismiss --reason-code berita
    step 2026-12-01T09:07:00Z --as sari review undo 2
    step 2026-12-01T09:08:00Z --as sari review decide 2 --decision dismiss --reason-code netral
    step 2026-12-01T09:09:00Z --as rina review decide 3 --decision escalate --reason "akun resmi atau pribadi?"
    step 2026-12-01T09:10:00Z --as budi review decide 3 --decision confirm --category MEDSOS
    step 2026-12-01T09:11:00Z --as budi case advance 1 --to verifikasi --note "bukti lengkap"
    step 2026-12-01T09:12:00Z --as budi case assign 1 --to sari
    step 2026-12-01T09:13:00Z --as budi case note 1 --text "dipanggil tanggal 3"
    step 2026-12-01T09:14:00Z --as budi case attach 1 bap.pdf --name "BAP 1.pdf"
    step 2026-12-01T09:15:00Z --as budi case advance 1 --to pemeriksaan --note "dijadwalkan"
    step 2026-12-01T09:16:00Z --as admin employees import moved.csv
    step 2026-12-01T09:17:00Z --as budi queue --json
    step 2026-12-01T09:18:00Z --as rina queue --json --search coblos
    step 2026-12-01T09:18:10Z --as admin queue --json --status confirmed --search "budi"
    step 2026-12-01T09:18:20Z --as admin queue --json --status dismissed --search "GANJAR"
    step 2026-12-01T09:19:00Z --as admin case show 1 --json
    step 2026-12-01T09:20:00Z --as admin case list
    step 2026-12-01T09:21:00Z --as admin user list
    step 2026-12-01T09:22:00Z --as admin audit list --json --limit 500 --to 2026-12-01
    # Statistics and coverage: the same tables from both engines.
    step 2026-12-01T09:23:00Z --as admin stats --by agency,category --json
    step 2026-12-01T09:23:10Z --as admin stats --by week
    step 2026-12-01T09:23:20Z --as admin stats --by period,age --format csv
    step 2026-12-01T09:23:30Z --as admin stats --by unit,position --from 2023-11-01 --to 2024-06-30
    step 2026-12-01T09:23:40Z --as admin stats --by entry
    step 2026-12-01T09:23:50Z --as admin stats --by reviewer
    step 2026-12-01T09:24:00Z --as budi stats --by month,sex
    step 2026-12-01T09:24:10Z --as admin accounts status --json
    step 2027-06-01T00:00:00Z --as admin retention run --older-than 90d
    step 2027-06-01T00:01:00Z --as budi audit verify
    # The lexicon lab: a draft tried on the stored posts, stored, compared,
    # activated and the old one back; the model's versions.
    step 2027-06-01T00:02:00Z --as admin lexicon test --json draft.json
    step 2027-06-01T00:03:00Z --as admin lexicon import draft.json
    step 2027-06-01T00:04:00Z --as admin lexicon diff 1 2
    step 2027-06-01T00:05:00Z --as admin lexicon activate 2
    step 2027-06-01T00:06:00Z --as admin lexicon versions
    step 2027-06-01T00:07:00Z --as admin lexicon test --json --top 5 "$NETRA_DATA/lexicon/default-2024.json"
    step 2027-06-01T00:08:00Z --as admin lexicon activate 1
    step 2027-06-01T00:09:00Z --as admin model versions
    step 2027-06-01T00:10:00Z --as admin model evaluate --from-decisions --folds 2
}

test_case "the same review session on SQLite and on PostgreSQL"
session r.db sqlite
expect_eq "$(grep -c -- '-> 0$' steps-sqlite.txt)" "42" "the session's steps that succeed on SQLite"
(
    export NETRA_AUDIT_KEY=$PWD/pg.audit-key NETRA_AUDIT_CHECKPOINTS=$PWD/pg.audit-checkpoints
    session "$PGDB" pg
)
if diff steps-sqlite.txt steps-pg.txt >steps.diff; then pass; else fail "the session's outcomes differ: $(head -20 steps.diff)"; fi
grep -q "Jejak audit utuh" steps-pg.txt && pass || fail "the PostgreSQL audit trail verified"
grep -q "sedang diklaim rina" steps-pg.txt && pass || fail "a claim held is refused on PostgreSQL"
grep -q "prinsip empat mata" steps-pg.txt && pass || fail "four-eyes on PostgreSQL"
expect_eq "$(pg "$PGDB" "SELECT count(*) FROM pg_indexes WHERE indexname IN ('review_items_text_trgm', 'employees_name_trgm')")" "2" "the search's trigram indexes"
grep -A3 -- "--by reviewer ->" steps-pg.txt | grep -q "^sari" && pass || fail "a reviewer's decisions counted on PostgreSQL"
grep -A30 -- "lexicon test --json draft.json ->" steps-pg.txt | grep -q '"level_changed": [1-9]' && pass || fail "the draft changes levels on PostgreSQL"
grep -A3 -- "--by entry ->" steps-pg.txt | grep -q "[0-9]" && pass || fail "hits per entry counted on PostgreSQL"
grep -A3 -- "--search budi ->" steps-pg.txt | grep -q '"total": [1-9]' && pass || fail "a name found by the search on PostgreSQL"

test_case "rows and counts equal on both engines (triggers on both)"
same() { # same WHAT SQL [PG_SQL]
    expect_eq "$(pg "$PGDB" "${3:-$2}")" "$(sql r.db "$2")" "$1"
}
same "items: status, category, report keys, agency, claim" \
    "SELECT id || '|' || status || '|' || COALESCE(category, '') || '|' || COALESCE(age_band, '') || '|' || COALESCE(work_unit, '') || '|' || COALESCE(position_type, '') || '|' || COALESCE(sex, '') || '|' || COALESCE(region, '') || '|' || agency || '|' || COALESCE(claimed_by, 0) FROM review_items ORDER BY id"
same "decisions" \
    "SELECT id || '|' || item_id || '|' || user_id || '|' || decision || '|' || COALESCE(category, '') || '|' || COALESCE(reason_code, '') || '|' || decided_at || '|' || COALESCE(undoes, 0) FROM decisions ORDER BY id"
same "cases" "SELECT id || '|' || employee_id || '|' || election || '|' || state || '|' || COALESCE(assignee, 0) FROM cases ORDER BY id"
same "case transitions" "SELECT id || '|' || case_id || '|' || COALESCE(from_state, '') || '|' || to_state || '|' || user_id || '|' || note || '|' || at FROM case_transitions ORDER BY id"
same "retention: the content purged, the unflagged posts' only" \
    "SELECT id || '|' || CASE WHEN text IS NULL THEN 1 ELSE 0 END || '|' || CASE WHEN raw IS NULL THEN 1 ELSE 0 END || '|' || COALESCE(purged_at, '') FROM post_versions ORDER BY id"
expect_eq "$(pg "$PGDB" "SELECT count(*) > 0 FROM post_versions WHERE purged_at IS NOT NULL")" "t" "something was purged on PostgreSQL"
same "case documents" "SELECT id || '|' || case_id || '|' || name || '|' || sha256 || '|' || size FROM case_documents ORDER BY id"
same "the audit trail's rows (hashes differ: each database has its own key)" \
    "SELECT id || '|' || at || '|' || actor || '|' || action || '|' || object_type || '|' || COALESCE(object_id, '') || '|' || COALESCE(before, '') || '|' || COALESCE(after, '') FROM audit_log ORDER BY id"
same "hits per entry (entry_counts, moved with the employee)" \
    "SELECT lexicon_id || '|' || entry_id || '|' || agency || '|' || day || '|' || n FROM entry_counts WHERE n <> 0 ORDER BY 1"
same "decided items per entry (entry_decided)" \
    "SELECT lexicon_id || '|' || entry_id || '|' || agency || '|' || day || '|' || status || '|' || n FROM entry_decided WHERE n <> 0 ORDER BY 1"
same "decisions per reviewer, agency and day (reviewer_days)" \
    "SELECT user_id || '|' || agency || '|' || day || '|' || n || '|' || confirmed || '|' || dismissed || '|' || escalated || '|' || CAST(round(days * 86400) AS INTEGER) FROM reviewer_days WHERE n <> 0 ORDER BY 1" \
    "SELECT user_id || '|' || agency || '|' || day || '|' || n || '|' || confirmed || '|' || dismissed || '|' || escalated || '|' || CAST(round(CAST(days * 86400 AS numeric)) AS BIGINT) FROM reviewer_days WHERE n <> 0 ORDER BY 1"
expect_eq "$(pg "$PGDB" "SELECT count(*) FROM reviewer_days WHERE agency = '$SEMARANG' AND n > 0")" "$(sql r.db "SELECT count(*) FROM reviewer_days WHERE agency = '$SEMARANG' AND n > 0")" "Budi's items' decisions moved to his new agency"
[ "$(pg "$PGDB" "SELECT count(*) FROM reviewer_days WHERE n > 0")" -gt 0 ] && pass || fail "no decisions counted on PostgreSQL"
expect_eq "$(pg "$PGDB" "SELECT DISTINCT work_unit FROM review_items WHERE employee_id = 1")" "Dinas Pendidikan dan Kebudayaan" "the item's work unit follows the employee"

test_case "a PostgreSQL database without this build's triggers is refused to writers until init"
pg "$PGDB" "UPDATE netra_migrate_source SET companion = 0" >/dev/null
NETRA_DB=$PGDB NETRA_AUDIT_KEY=$PWD/pg.audit-key NETRA_AUDIT_CHECKPOINTS=$PWD/pg.audit-checkpoints netra --as tono review claim 5
expect_rc 1
expect_err "jalankan 'netra init'"
NETRA_DB=$PGDB netra init
expect_rc 0
expect_eq "$(pg "$PGDB" "SELECT companion > 0 FROM netra_migrate_source")" "t" "init brought the triggers up to date"
NETRA_DB=$PGDB netra --as tono review claim 5
expect_rc 1
expect_err "NETRA_AUDIT_KEY"

test_case "two servers on PostgreSQL: one claim wins across them; concurrent appends keep one chain"
export NETRA_DB=$PGDB NETRA_AUDIT_KEY=$PWD/pg.audit-key NETRA_AUDIT_CHECKPOINTS=$PWD/pg.audit-checkpoints
start_netra_serve
"$NETRA" serve --listen 127.0.0.1:0 >serve2.log 2>&1 &
srv2=$!
trap 'kill $srv $srv2 2>/dev/null' EXIT
for _ in $(seq 1 50); do grep -q "melayani di" serve2.log && break; sleep 0.1; done
U2=$(sed -n 's/.*melayani di \(http[^ ]*\) .*/\1/p' serve2.log)
login() { # login URL NAME JAR -> $csrf
    curl -s -o login.txt -c "$3" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$2\",\"password\":\"sandi-$2-123\"}" "${1}api/login"
    csrf=$(jq -r '.csrf // empty' login.txt)
}
claim() { # claim URL JAR CSRF ITEM: the HTTP status
    curl -s -o /dev/null -w '%{http_code}' -b "$2" -H "X-CSRF-Token: $3" \
        -H 'Content-Type: application/json' -d '{}' "${1}api/items/$4/claim"
}
login "$U" tono t.jar
tono=$csrf
login "$U2" wati w.jar
wati=$csrf
[ ${#tono} -eq 64 ] && [ ${#wati} -eq 64 ] && pass || fail "logins on the two servers: $(cat login.txt)"
open=$(pg "$PGDB" "SELECT id FROM review_items WHERE status = 'pending' AND agency = '$SEMARANG' ORDER BY id")
set -- $open
[ $# -ge 2 ] && pass || fail "two open items of Semarang expected: $open"
a=$1 b=$2
wins=0
for round in 1 2 3 4 5; do
    pg "$PGDB" "UPDATE review_items SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $a" >/dev/null
    claim "$U" t.jar "$tono" "$a" >race1 &
    p1=$!
    claim "$U2" w.jar "$wati" "$a" >race2 &
    p2=$!
    wait $p1 $p2
    [ "$(cat race1 race2 | fold -w3 | sort | tr '\n' ' ')" = "200 409 " ] && wins=$((wins + 1))
done
expect_eq "$wins" "5" "each of five races: one claim, one conflict"
rows=$(pg "$PGDB" "SELECT count(*) FROM audit_log")
# Each reviewer renews a claim of their own 20 times, on their own server, at once.
pg "$PGDB" "UPDATE review_items SET claimed_by = NULL, claim_expires_at = NULL WHERE id IN ($a, $b)" >/dev/null
( for _ in $(seq 1 20); do claim "$U" t.jar "$tono" "$a" >>renew1; echo >>renew1; done ) &
p1=$!
( for _ in $(seq 1 20); do claim "$U2" w.jar "$wati" "$b" >>renew2; echo >>renew2; done ) &
p2=$!
wait $p1 $p2
expect_eq "$(cat renew1 renew2 | grep -c '^200$')" "40" "every claim and renewal answered 200"
expect_eq "$(pg "$PGDB" "SELECT count(*) - $rows FROM audit_log")" "40" "one audit row per renewal"
expect_eq "$(pg "$PGDB" "SELECT count(*) = max(id) AND min(id) = 1 FROM audit_log")" "t" "the rows' ids have no gap"
expect_eq "$(pg "$PGDB" "SELECT count(*) FROM audit_log a JOIN audit_log b ON b.id = a.id + 1 WHERE b.prev_hash <> a.hash")" "0" "each row chained to the one before it"
netra --as budi audit verify
expect_rc 0
expect_out "Jejak audit utuh"

test_case "statistics on one server follow a decision made on the other"
# Each server keeps its copy of the items in memory, brought up to date
# from the changes other processes commit (stats_changes by transaction).
stats_api() { # stats_api URL JAR: the table by category without its age column
    curl -s -b "$2" "${1}api/stats?by=category" | jq -c '[.rows[] | .[0:8]]'
}
stats_cli() { # the same table counted by the CLI from the rows
    netra --as wati stats --by category --json
    jq -c '[.[] | [.kategori, .ditandai, .dikonfirmasi, .ditolak, .dieskalasi, .menunggu, .pegawai, .pegawai_terbukti]]' out.txt
}
before=$(stats_api "$U2" w.jar)
expect_eq "$before" "$(stats_cli)" "server 2's table is the rows' count"
code=$(curl -s -o decide.txt -w '%{http_code}' -b t.jar -H "X-CSRF-Token: $tono" \
    -H 'Content-Type: application/json' -d '{"decision":"dismiss","reason_code":"berita"}' \
    "${U}api/items/$a/decide")
expect_eq "$code" "200" "tono's dismissal on server 1: $(cat decide.txt)"
after=$(stats_api "$U2" w.jar)
[ "$after" != "$before" ] && pass || fail "server 2's table did not change: $after"
expect_eq "$after" "$(stats_cli)" "server 2's table counts server 1's decision"

test_case "the lexicon lab on PostgreSQL: a draft tried, an activation rescores in the background"
login "$U2" admin a.jar
adm=$csrf
code=$(curl -s -o body.txt -w '%{http_code}' -b a.jar -H "X-CSRF-Token: $adm" \
    -H 'Content-Type: application/json' --data-binary @draft.json "${U2}api/lexicon/test")
expect_eq "$code" "200" "a draft tried on the stored posts: $(head -c 200 body.txt)"
[ "$(jq -r '.level_changed' body.txt)" -gt 0 ] && pass || fail "the draft changes levels"
rescored() { # rescored VERSION: activate it on server 2, wait for the job
    curl -s -o body.txt -b a.jar -H "X-CSRF-Token: $adm" -H 'Content-Type: application/json' \
        -d '{}' "${U2}api/lexicon/$1/activate"
    for _ in $(seq 1 100); do
        curl -s -o body.txt -b a.jar "${U2}api/lexicon/rescore"
        [ "$(jq -r '.running' body.txt)" = "false" ] && break
        sleep 0.1
    done
}
# Nothing scored yet by either version: the job scores every version.
pg "$PGDB" "DELETE FROM scan_progress" >/dev/null
rescored 2
expect_eq "$(jq -r '.error, .scored == .versions' body.txt | tr '\n' ' ')" "null true " "the job ends without an error, every version scored"
expect_eq "$(jq -r '.scanned' body.txt)" "$(pg "$PGDB" "SELECT count(*) FROM post_versions WHERE text IS NOT NULL")" "the job scored every stored version"
rescored 1
expect_eq "$(jq -r '.error' body.txt)" "null" "and back"

kill $srv $srv2
wait $srv $srv2 2>/dev/null

test_case "a server whose database restarts (a failover) connects again"
# A server of its own: the shared one serves the other tests meanwhile.
own=$PWD/own-pg.txt
sh "$NT_SRC/tests/pg/server.sh" start "$own" || fail "a server of its own did not start"
export NETRA_DB=$(head -1 "$own")
netra init
add_admin
"$NETRA" serve --listen 127.0.0.1:0 --threads 2 >serve3.log 2>&1 &
srv3=$!
trap 'kill $srv3 2>/dev/null; sh "$NT_SRC/tests/pg/server.sh" stop "$own"' EXIT
for _ in $(seq 1 50); do grep -q "melayani di" serve3.log && break; sleep 0.1; done
U3=$(sed -n 's/.*melayani di \(http[^ ]*\) .*/\1/p' serve3.log)
login "$U3" admin a3.jar
codes() { # codes N: N queue pages' HTTP statuses
    for _ in $(seq 1 "$1"); do
        curl -s -o /dev/null -w '%{http_code} ' -b a3.jar "${U3}api/queue"
    done
}
expect_eq "$(codes 4)" "200 200 200 200 " "the queue before the restart"
sh "$NT_SRC/tests/pg/server.sh" restart "$own" || fail "the server did not restart"
expect_eq "$(codes 6)" "200 200 200 200 200 200 " "every page after it: each thread connected again"
kill $srv3
wait $srv3 2>/dev/null
sh "$NT_SRC/tests/pg/server.sh" stop "$own"
trap - EXIT
export NETRA_DB=$PGDB
drop_db t0081_review
finish
