# lib.sh - a small harness for end-to-end tests of the real `netra` binary
# (in the spirit of git's t/test-lib.sh). Each test script sources it, runs
# the binary on real files in a fresh directory and checks exit codes,
# stdout, stderr and the database. Ends with "N passed, M failed".
#
# Environment (set by CTest): NETRA, NT_MKDB, NT_FIXTURES, NT_SRC, NT_TMP.

set -u
: "${NETRA:?NETRA must point at the netra binary}"
: "${NT_FIXTURES:?}"
: "${NT_TMP:?}"

rm -rf "$NT_TMP"
mkdir -p "$NT_TMP"
cd "$NT_TMP" || exit 1

# A fixed "today" so NIP checks and age bands do not drift with the clock.
export NETRA_NOW=2026-11-23
export NETRA_USER=uji
unset NETRA_DB NETRA_DATA

nt_passed=0
nt_failed=0
nt_title=""

# On PostgreSQL (NT_ENGINE=postgresql, the e2e-pg/ copies of some tests):
# the same script, its database files mapped to databases of the test
# server. NETRA becomes a wrapper that maps --db FILE and NETRA_DB=FILE
# (every *.db name: a database "e2e_TEST_FILE", made on first use) and
# names the audit key and checkpoint log where SQLite keeps them (beside
# the file); sql and db_digest read the mapped database.
NT_ENGINE=${NT_ENGINE:-sqlite}
if [ "$NT_ENGINE" = postgresql ]; then
    : "${NETRA_TEST_PG_FILE:?the PostgreSQL test server (ctest starts it)}"
    nt_pg_base=$(head -1 "$NETRA_TEST_PG_FILE")
    nt_pg_prefix=e2e_$(basename "$NT_TMP" | tr -c 'a-z0-9\n' '_' | cut -c1-30)
    for n in $(psql "$nt_pg_base" -qAtc "SELECT datname FROM pg_database WHERE datname LIKE '${nt_pg_prefix}_%'"); do
        PGOPTIONS="-c client_min_messages=warning" psql "$nt_pg_base" -qAtc "DROP DATABASE IF EXISTS $n" >/dev/null
    done
    cat >"$NT_TMP/.netra-pg" <<EOF_WRAPPER
#!/bin/bash
# maps SQLite file names to the test server's databases (lib.sh)
map() {
    case "\$1" in
    *.db)
        local n="${nt_pg_prefix}_\$(basename "\$1" .db | tr -c 'a-zA-Z0-9\\n' '_' | tr A-Z a-z)"
        if [ "\$(psql "$nt_pg_base" -qAtc "SELECT count(*) FROM pg_database WHERE datname = '\$n'")" = 0 ]; then
            psql "$nt_pg_base" -qAtc "CREATE DATABASE \$n" >/dev/null 2>&1
            # SQLite's group_concat for the tests' own queries
            psql "\$(echo "$nt_pg_base" | sed "s|///[a-z_0-9]*?|///\$n?|")" -qAt >/dev/null 2>&1 <<'EOF_SQL'
CREATE FUNCTION nt_gc_step(text, anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS
\$\$ SELECT CASE WHEN \$2 IS NULL THEN \$1 WHEN \$1 IS NULL THEN CAST(\$2 AS text) ELSE \$1 || ',' || CAST(\$2 AS text) END \$\$;
CREATE AGGREGATE group_concat(anyelement) (SFUNC = nt_gc_step, STYPE = text);
CREATE FUNCTION nt_gc_step2(text, anyelement, text) RETURNS text LANGUAGE sql IMMUTABLE AS
\$\$ SELECT CASE WHEN \$2 IS NULL THEN \$1 WHEN \$1 IS NULL THEN CAST(\$2 AS text) ELSE \$1 || \$3 || CAST(\$2 AS text) END \$\$;
CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = nt_gc_step2, STYPE = text);
CREATE FUNCTION instr(text, text) RETURNS int LANGUAGE sql IMMUTABLE AS \$\$ SELECT strpos(\$1, \$2) \$\$;
CREATE FUNCTION json_extract(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS
\$\$ SELECT CASE jsonb_typeof(CAST(\$1 AS jsonb) #> string_to_array(substr(\$2, 3), '.'))
WHEN 'boolean' THEN CASE WHEN CAST(CAST(\$1 AS jsonb) #>> string_to_array(substr(\$2, 3), '.') AS boolean) THEN '1' ELSE '0' END
ELSE CAST(\$1 AS jsonb) #>> string_to_array(substr(\$2, 3), '.') END \$\$;
EOF_SQL
        fi
        echo "$nt_pg_base" | sed "s|///[a-z_0-9]*?|///\$n?|"
        ;;
    *) echo "\$1" ;;
    esac
}
[ "\$1" = --nt-map ] && { map "\$2"; exit; }
file=""
case "\${NETRA_DB:-}" in *.db) file=\$NETRA_DB; NETRA_DB=\$(map "\$NETRA_DB"); export NETRA_DB ;; esac
args=()
prev=""
for a in "\$@"; do
    if [ "\$prev" = --db ]; then file=\$a; a=\$(map "\$a"); fi
    case "\$a" in --db=*.db) file=\${a#--db=}; a="--db=\$(map "\${a#--db=}")" ;; esac
    args+=("\$a")
    prev=\$a
done
if [ -n "\$file" ]; then
    export NETRA_AUDIT_KEY=\${NETRA_AUDIT_KEY:-\$file.audit-key}
    export NETRA_AUDIT_CHECKPOINTS=\${NETRA_AUDIT_CHECKPOINTS:-\$file.audit-checkpoints}
fi
exec "$NETRA" "\${args[@]}"
EOF_WRAPPER
    chmod +x "$NT_TMP/.netra-pg"
    NETRA=$NT_TMP/.netra-pg
fi

# test_case TITLE: start a named check (shown on failure).
test_case() {
    nt_title=$1
}

fail() {
    nt_failed=$((nt_failed + 1))
    echo "FAIL: ${nt_title}: $*" >&2
    echo "  --- stdout:" >&2
    sed 's/^/  | /' out.txt >&2 2>/dev/null
    echo "  --- stderr:" >&2
    sed 's/^/  | /' err.txt >&2 2>/dev/null
}

pass() {
    nt_passed=$((nt_passed + 1))
}

# run CMD...: run it, keep stdout in out.txt, stderr in err.txt, status in $rc.
run() {
    "$@" >out.txt 2>err.txt
    rc=$?
}

# netra ARGS...: run the binary under test. With --as NAME it acts as that
# person the way a script does: their password ("sandi-NAME-123", what
# add_admin and add_user give) on the first line of stdin, --password-stdin.
netra() {
    local as="" prev="" a
    for a in "$@"; do
        case "$a" in --as=*) as=${a#--as=} ;; esac
        [ "$prev" = "--as" ] && as=$a
        prev=$a
    done
    if [ -n "$as" ]; then
        printf 'sandi-%s-123\n' "$as" | "$NETRA" --password-stdin "$@" >out.txt 2>err.txt
        rc=$?
    else
        run "$NETRA" "$@"
    fi
}

# add_admin [GLOBAL OPTIONS...]: the first user, admin, password "sandi-admin-123".
add_admin() {
    printf 'sandi-admin-123\n' | "$NETRA" "$@" user add admin --role admin --password-stdin >out.txt 2>err.txt
    rc=$?
}

# add_user NAME ARGS...: admin adds NAME (password "sandi-NAME-123"); the
# database is $NETRA_DB.
add_user() {
    local name=$1
    shift
    printf 'sandi-admin-123\nsandi-%s-123\n' "$name" |
        "$NETRA" --password-stdin --as admin user add "$name" "$@" --password-stdin >out.txt 2>err.txt
    rc=$?
}

# add_users "NAME ROLE AGENCY..." ...: add_user for each (password
# "sandi-NAME-123"), the agency as the words after the role.
add_users() {
    local u name role
    for u in "$@"; do
        set -- $u
        name=$1 role=$2
        shift 2
        add_user "$name" --role "$role" --agency "$*"
    done
}

expect_rc() {
    if [ "$rc" -eq "$1" ]; then pass; else fail "exit status $rc, expected $1"; fi
}

expect_out() {
    if grep -qF -- "$1" out.txt; then pass; else fail "stdout lacks \"$1\""; fi
}

expect_err() {
    if grep -qF -- "$1" err.txt; then pass; else fail "stderr lacks \"$1\""; fi
}

expect_no_out() {
    if grep -qF -- "$1" out.txt; then fail "stdout has \"$1\""; else pass; fi
}

expect_no_err() {
    if grep -qF -- "$1" err.txt; then fail "stderr has \"$1\""; else pass; fi
}

expect_err_empty() {
    if [ -s err.txt ]; then fail "stderr not empty"; else pass; fi
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
    if [ "$1" = "$2" ]; then pass; else fail "$3: got \"$1\", expected \"$2\""; fi
}

# sql DB QUERY: one value from the database, through the sqlite3 shell.
sql() {
    if [ "$NT_ENGINE" = postgresql ]; then
        # booleans as SQLite shows them
        psql "$("$NETRA" --nt-map "$1")" -qAtc "$2" |
            awk -F'|' -v OFS='|' '{ for (i = 1; i <= NF; i++) { if ($i == "t") $i = 1; else if ($i == "f") $i = 0 } print }'
    else
        sqlite3 "$1" "$2"
    fi
}

# db_copy FROM TO: a copy of a test database (a file, or a database of
# the server made from the other as its template), TO replaced.
db_copy() {
    if [ "$NT_ENGINE" = postgresql ]; then
        local from to
        from=$("$NETRA" --nt-map "$1" | sed 's|^postgresql:///\([^?]*\)?.*|\1|')
        to=$("$NETRA" --nt-map "$2" | sed 's|^postgresql:///\([^?]*\)?.*|\1|')
        PGOPTIONS="-c client_min_messages=warning" psql "$nt_pg_base" -qAt \
            -c "DROP DATABASE IF EXISTS $to" -c "CREATE DATABASE $to TEMPLATE $from" >/dev/null
    else
        rm -f "$2-wal" "$2-shm"
        cp "$1" "$2"
    fi
}

# db_edit DB SQL: rows changed behind Netra's back, foreign keys not
# enforced (SQLite: as the SQL's own PRAGMA says; PostgreSQL: the session
# as a replica, which also leaves its triggers out).
db_edit() {
    if [ "$NT_ENGINE" = postgresql ]; then
        psql "$("$NETRA" --nt-map "$1")" -qAt -c "SET session_replication_role = replica" \
            -c "$(printf '%s' "$2" | sed 's/PRAGMA foreign_keys = OFF;//')" >/dev/null
    else
        sqlite3 "$1" "$2"
    fi
}

# blob_of 'TEXT': SQL for TEXT's bytes as a payload (BLOB, BYTEA).
blob_of() {
    if [ "$NT_ENGINE" = postgresql ]; then echo "convert_to($1, 'UTF8')"; else echo "CAST($1 AS BLOB)"; fi
}

# raw_text COLUMN: SQL for a stored payload (BLOB, BYTEA) as its text.
raw_text() {
    if [ "$NT_ENGINE" = postgresql ]; then echo "convert_from($1, 'UTF8')"; else echo "CAST($1 AS TEXT)"; fi
}

# db_digest DB: a digest of everything stored, to prove nothing changed.
db_digest() {
    # PostgreSQL: the rows (identity counters aside: a rolled-back insert
    # moves them, as SQLite's would not; and pg_dump's session keys).
    if [ "$NT_ENGINE" = postgresql ]; then
        pg_dump --data-only --no-owner "$("$NETRA" --nt-map "$1")" | grep -v -e "^--" -e '^\\restrict' -e '^\\unrestrict' -e '^SELECT pg_catalog.setval' | sha256sum | cut -d" " -f1
        return
    fi
    sqlite3 "$1" .dump | sha256sum | cut -d' ' -f1
}

# start_server: the test HTTP server ($NT_SERVER) on www/, logging to
# server.log and stopped when the script exits; sets P (port) and B (base URL).
start_server() {
    "$NT_SERVER" "$PWD/www" port.txt >server.log 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null' EXIT
    for _ in $(seq 1 50); do
        [ -s port.txt ] && break
        sleep 0.1
    done
    P=$(cat port.txt)
    B="http://127.0.0.1:$P"
}

# fresh_db NAME: an empty database of the PostgreSQL test server (ctest's
# pg fixture, NETRA_TEST_PG_FILE); prints its target for --db.
fresh_db() {
    local base
    base=$(head -1 "${NETRA_TEST_PG_FILE:?the PostgreSQL test server (ctest starts it)}")
    PGOPTIONS="-c client_min_messages=warning" psql "$base" -qAt \
        -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
    echo "$base" | sed "s|///netra?|///$1?|"
}

# drop_db NAME...: the test server's databases dropped (a test's end).
drop_db() {
    local base n
    base=$(head -1 "$NETRA_TEST_PG_FILE")
    for n in "$@"; do
        PGOPTIONS="-c client_min_messages=warning" psql "$base" -qAtc "DROP DATABASE IF EXISTS $n" >/dev/null
    done
}

# pg TARGET QUERY: the query's rows from a PostgreSQL database, unaligned.
pg() {
    psql "$1" -qAtc "$2"
}

# crawlers PREFIX NOW DB ARGS...: four `netra --db DB crawl ARGS` at once
# in the background (NETRA_NOW=NOW), their output in PREFIX1.json ..
# PREFIX4.json and .err; their pids in $pids. wait_crawlers then waits for
# them all and sets $ok to how many exited 0.
crawlers() {
    local prefix=$1 now=$2 db=$3 w
    shift 3
    pids=""
    for w in 1 2 3 4; do
        NETRA_NOW=$now "$NETRA" --db "$db" crawl "$@" >"$prefix$w.json" 2>"$prefix$w.err" &
        pids="$pids $!"
    done
}
wait_crawlers() {
    local p
    ok=0
    for p in $pids; do wait "$p" 2>/dev/null && ok=$((ok + 1)); done
}

# lease_holders QUERY...: the pids of up to two crawlers holding a lease,
# QUERY (`sql DB` or `pg DB`) asked with the SQL appended, in $victims. A
# loaded machine (the sanitizer build, tests side by side) may not have
# started them yet: it waits for a lease held, up to ten seconds.
lease_holders() {
    local _
    for _ in $(seq 1 100); do
        victims=$("$@" "SELECT DISTINCT owner FROM crawl_leases WHERE done_at IS NULL" | cut -d: -f2 | head -2)
        [ -n "$victims" ] && return
        sleep 0.1
    done
}

# feeds_fixture N DB...: N feeds with distinct items (two each) written from
# the RSS fixture and served by the test server (start_server), and each
# DB made with one employee whose N accounts are those feeds.
feeds_fixture() {
    local n=$1 i db
    shift
    mkdir www
    i=1
    while [ $i -le "$n" ]; do
        sed "s/andi-rapat-2023-12-01/f$i-a/; s/andi-dukung-2023-12-02/f$i-b/" \
            "$NT_FIXTURES/feeds/rss.xml" >"www/f$i.xml"
        i=$((i + 1))
    done
    start_server
    {
        echo "nip,platform,account,endpoint"
        i=1
        while [ $i -le "$n" ]; do
            echo "198503122010011003,feed,http://127.0.0.1:$P/f$i.xml,"
            i=$((i + 1))
        done
    } >acc.csv
    for db in "$@"; do
        netra --db "$db" init
        netra --db "$db" employees import "$NT_FIXTURES/employees-ok.csv"
        netra --db "$db" accounts import acc.csv
    done
}

# review_fixture: the review tests' database in $NETRA_DB - five employees
# in four agencies, their accounts, posts-review.ndjson (r1..r6 flagged,
# r7 neutral) scored with the bundled lexicon.
MAMUJU="Pemerintah Kabupaten Mamuju"
SEMARANG="Pemerintah Kota Semarang"
review_fixture() {
    export NETRA_DATA="$NT_SRC/data"
    netra init
    netra employees import "$NT_FIXTURES/employees-ok.csv"
    netra accounts import "$NT_FIXTURES/accounts-ok.csv"
    netra ingest "$NT_FIXTURES/posts-review.ndjson"
    netra lexicon import --activate "$NT_SRC/data/lexicon/default-2024.json"
    netra scan
}

# start_netra_serve: `netra serve` on a free port of 127.0.0.1, logging to
# serve.log and stopped when the script exits; sets srv (pid) and U (URL).
start_netra_serve() {
    "$NETRA" serve --listen 127.0.0.1:0 >serve.log 2>&1 &
    srv=$!
    trap 'kill $srv 2>/dev/null' EXIT
    for _ in $(seq 1 50); do
        grep -q "melayani di" serve.log && break
        sleep 0.1
    done
    U=$(sed -n 's/.*melayani di \(http[^ ]*\) .*/\1/p' serve.log)
}

finish() {
    echo "$nt_passed passed, $nt_failed failed"
    [ "$nt_failed" -eq 0 ]
}
