# Importing declared accounts: canonical names per platform, owners must be
# active employees, atomic rejection, deactivation, listing.
. "$(dirname "$0")/lib.sh"
F=$NT_FIXTURES

netra --db r.db init
netra --db r.db employees import "$F/employees-ok.csv"

test_case "accounts are imported in canonical form"
netra --db r.db accounts import "$F/accounts-ok.csv"
expect_rc 0
expect_out "6 baris; ditambah 6"
expect_eq "$(sql r.db "SELECT account FROM accounts WHERE platform='mastodon' ORDER BY id LIMIT 1")" \
    "budi_santoso@masto.contoh.example" "mastodon handle"
expect_eq "$(sql r.db "SELECT account FROM accounts a JOIN employees e ON e.id=a.employee_id WHERE e.nip='199407212019031005'")" \
    "rizki_r_demo" "X profile URL"
expect_eq "$(sql r.db "SELECT endpoint FROM accounts WHERE account='nuraini@warga.example'")" \
    "https://api.warga.example" "endpoint"

test_case "list and filter accounts"
netra --db r.db accounts list
expect_rc 0
expect_out "6 akun"
netra --db r.db accounts list --platform x
expect_out "2 akun"
netra --db r.db accounts list --region 33.74 --json
expect_eq "$(grep -c '"platform"' out.txt)" "2" "accounts in Semarang"
netra --db r.db employees show 198503122010011003
expect_out "Akun media sosial (2):"
expect_out "budi_s_demo"

test_case "bad rows reject the whole file"
before=$(db_digest r.db)
netra --db r.db accounts import "$F/accounts-bad.csv"
expect_rc 1
B="$F/accounts-bad.csv"
expect_err "$B:3: nip: NIP 196001011985031001 tidak ada dalam daftar pegawai"
expect_err "$B:4: platform: \"instagram\" tidak dikenal"
expect_err "$B:5: account: akun Mastodon harus berbentuk pengguna@instance"
expect_err "$B:6: account: akun mastodon budi@masto.contoh.example sudah ada di baris 2"
expect_err "$B:7: account: harus URL yang diawali https:// atau http://"
expect_err "$B:8: endpoint: URL tidak boleh memuat nama pengguna atau sandi"
expect_err "impor ditolak: 6 dari 7 baris bermasalah"
expect_eq "$(db_digest r.db)" "$before" "database content after rejected import"

test_case "accounts of inactive employees are refused"
netra --db r.db employees import "$F/employees-v2.csv"
netra --db r.db accounts import "$F/accounts-ok.csv"
expect_rc 1
expect_err "accounts-ok.csv:6: nip: pegawai dengan NIP 198811302012122001 sudah tidak aktif"

test_case "accounts missing from a later file are deactivated, not deleted"
grep -v nuraini "$F/accounts-ok.csv" | grep -v budi_s_demo >fewer.csv
netra --db r.db accounts import fewer.csv
expect_rc 0
expect_out "4 baris; ditambah 0, diperbarui 0, tidak berubah 4"
expect_out "dinonaktifkan 2"
expect_eq "$(sql r.db 'SELECT count(*) FROM accounts')" "6" "nothing deleted"
netra --db r.db accounts list
expect_out "4 akun"
netra --db r.db accounts list --all
expect_out "6 akun"

finish
