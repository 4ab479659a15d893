# Creating and upgrading the database: WAL mode, idempotent init, upgrades
# from every earlier schema keep data, newer schemas and foreign files refused.
. "$(dirname "$0")/lib.sh"
: "${NT_MKDB:?}"

test_case "init creates a WAL database at the current schema"
netra --db n.db init
expect_rc 0
expect_out "skema versi"
expect_eq "$(sql n.db 'PRAGMA journal_mode')" "wal" "journal mode"
expect_eq "$(sql n.db 'PRAGMA application_id')" "1314148929" "application id"
version=$(sql n.db 'PRAGMA user_version')

test_case "init again is harmless"
netra --db n.db init
expect_rc 0
expect_out "sudah mutakhir"

test_case "upgrade from every previous schema keeps the data"
v=1
while [ "$v" -lt "$version" ]; do
    rm -f old.db old.db-wal old.db-shm
    "$NT_MKDB" old.db "$v" || fail "mkdb $v"
    sql old.db "INSERT INTO employees(nip, name, agency, work_unit, position_type, position,
        region_code, status, birth_date, service_start, sex, created_at, updated_at)
        VALUES ('198503122010011003', 'Budi', 'Dinas', '', 'JPT', 'Kepala', '76', 'PNS',
        '1985-03-12', '2010-01', 'L', 't', 't')"
    netra --db old.db employees list
    expect_rc 1
    expect_err "versi $v perlu ditingkatkan"
    netra --db old.db init
    expect_rc 0
    expect_out "ditingkatkan dari skema versi $v ke versi $version"
    expect_eq "$(sql old.db 'PRAGMA user_version')" "$version" "schema after upgrade from $v"
    netra --db old.db employees list
    expect_rc 0
    expect_out "198503122010011003"
    v=$((v + 1))
done

test_case "a newer schema is refused, not touched"
"$NT_MKDB" newer.db "$version"
sql newer.db "PRAGMA user_version = $((version + 1))"
before=$(db_digest newer.db)
netra --db newer.db init
expect_rc 1
expect_err "lebih baru"
netra --db newer.db employees list
expect_rc 1
expect_eq "$(db_digest newer.db)" "$before" "newer database content"

test_case "files that are not Netra databases are refused"
sql other.db "CREATE TABLE notes(x); INSERT INTO notes VALUES (1)"
netra --db other.db init
expect_rc 1
expect_err "bukan milik Netra"
expect_eq "$(sql other.db 'SELECT count(*) FROM notes')" "1" "foreign table"
cp "$NT_FIXTURES/employees-ok.csv" notadb.db
netra --db notadb.db init
expect_rc 1
expect_err "notadb.db"
mkdir adir.db
netra --db adir.db init
expect_rc 1

finish
