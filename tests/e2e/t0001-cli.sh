# The command-line contract: help for every command, version, exit codes,
# global options, and one-line Indonesian errors.
. "$(dirname "$0")/lib.sh"

test_case "netra --version names the version and libraries"
netra --version
expect_rc 0
expect_out "netra 0."
expect_out "SQLite"
expect_out "PCRE2"

test_case "netra without a command is a usage error"
netra
expect_rc 2
expect_err "Pemakaian: netra"

test_case "netra help lists every command"
netra help
expect_rc 0
for cmd in init employees accounts crawl run ingest scan lexicon match demo backup restore check help version; do
    expect_out "  $cmd "
done

test_case "every command and subcommand has --help"
for cmd in init employees accounts match demo help version "employees import" "employees list" \
    "employees show" "accounts import" "accounts list" "accounts status" "crawl" "lexicon validate" "lexicon import" "lexicon activate" "lexicon versions" "lexicon show" "lexicon export" "lexicon diff" "lexicon test" "lexicon import-candidates" \
    run backup restore check "user link" "user unlink"; do
    # shellcheck disable=SC2086
    netra $cmd --help
    expect_rc 0
    expect_out "Pemakaian: netra"
    expect_err_empty
done
netra help employees
expect_rc 0
expect_out "employees SUBPERINTAH"

test_case "unknown commands, subcommands and options are usage errors"
netra frobnicate
expect_rc 2
expect_err "\"frobnicate\" bukan perintah netra"
netra employees frobnicate
expect_rc 2
expect_err "'frobnicate' bukan subperintah 'employees'"
netra employees
expect_rc 2
netra employees list --bogus
expect_rc 2
expect_err "--bogus"
expect_err "netra employees list --help"
netra --bogus help
expect_rc 2
netra --db
expect_rc 2
expect_err "--db memerlukan nilai"
netra employees list --region 99
expect_rc 2
expect_err "tidak dikenal"
netra employees show 123
expect_rc 2
expect_err "18 angka"
netra employees import
expect_rc 2
netra init extra
expect_rc 2

test_case "a bad NETRA_NOW is a usage error"
NETRA_NOW=kemarin netra --version
expect_rc 2
expect_err "NETRA_NOW"

test_case "commands on a database that does not exist fail with advice"
netra --db nothing.db employees list
expect_rc 1
expect_err "nothing.db"
expect_err "netra init"
[ ! -e nothing.db ] && pass || fail "a database was created"
test "$(wc -l <err.txt)" -eq 1 && pass || fail "error is not one line"

test_case "--db, --db= and NETRA_DB choose the database; default is ./netra.db"
netra --db a.db init
expect_rc 0
expect_out "Basis data dibuat: a.db"
netra --db=b.db init
expect_out "Basis data dibuat: b.db"
NETRA_DB=c.db netra init
expect_out "Basis data dibuat: c.db"
netra init
expect_out "Basis data dibuat: netra.db"
[ -f a.db ] && [ -f b.db ] && [ -f c.db ] && [ -f netra.db ] && pass || fail "files missing"

finish
