# Re-importing: updates in place with history, people who leave the file are
# marked inactive (never deleted) and come back when they reappear; listing,
# filters and the derived age band and sex.
. "$(dirname "$0")/lib.sh"
F=$NT_FIXTURES

netra --db r.db init
netra --db r.db employees import "$F/employees-ok.csv"

test_case "list shows active employees with derived age band and sex"
netra --db r.db employees list
expect_rc 0
expect_out "5 pegawai"
expect_eq "$(grep 198503122010011003 out.txt | grep -c '41-50  *L ')" "1" "Budi: 41, male"
expect_eq "$(grep 199001152015032001 out.txt | grep -c '31-40  *P ')" "1" "Sari: 36, female"
expect_eq "$(grep 199407212019031005 out.txt | grep -c '31-40  *L ')" "1" "Rizki: 32"

test_case "filters by agency and region"
netra --db r.db employees list --agency "pemerintah kota semarang"
expect_rc 0
expect_out "2 pegawai"
netra --db r.db employees list --region 76
expect_out "3 pegawai"
netra --db r.db employees list --region 7604
expect_out "2 pegawai"
netra --db r.db employees list --region 33 --position-type pengawas
expect_out "1 pegawai"
expect_out "198811302012122001"
netra --db r.db employees list --status PPPK --json
expect_rc 0
expect_eq "$(grep -c '"nip"' out.txt)" "1" "one PPPK employee as JSON"
expect_out '"kelompok_usia": "31-40"'
expect_out '"jenis_kelamin": "P"'
netra --db r.db employees list --agency "Tidak Ada"
expect_rc 2
expect_err "instansi \"Tidak Ada\" tidak ada; yang ada: Pemerintah Kabupaten Mamuju"
netra --db r.db employees list --agency "Pemerintah Kota Semarang" --status PPPK
expect_rc 0
expect_out "Tidak ada pegawai yang cocok"

test_case "re-import: update in place, deactivate the missing, keep history"
netra --db r.db employees import "$F/employees-v2.csv"
expect_rc 0
expect_out "4 baris; ditambah 0, diperbarui 1, tidak berubah 3"
expect_out "dinonaktifkan 1"
expect_eq "$(sql r.db 'SELECT count(*) FROM employees')" "5" "nobody deleted"
expect_eq "$(sql r.db "SELECT active FROM employees WHERE nip='198811302012122001'")" "0" \
    "Nur'aini inactive"
netra --db r.db employees list
expect_out "4 pegawai"
expect_no_out "198811302012122001"
netra --db r.db employees list --all
expect_out "5 pegawai"
netra --db r.db employees show 198503122010011003
expect_rc 0
expect_out "Kepala Sekolah (Fungsional)"
expect_out 'jabatan: "Guru Ahli Muda" -> "Kepala Sekolah"'
expect_out "employees-v2.csv"
expect_out "kelompok 41-50"
expect_out "Laki-laki"

test_case "show finds inactive employees and accepts grouped NIPs"
netra --db r.db employees show "19881130 201212 2 001"
expect_rc 0
expect_out "Aktif          : tidak"
expect_out 'aktif: "1" -> "0"'
netra --db r.db employees show --json 198811302012122001
expect_rc 0
expect_out '"aktif": false'
netra --db r.db employees show 196001011985031001
expect_rc 1
expect_err "tidak terdaftar"

test_case "reappearing employees are reactivated"
netra --db r.db employees import "$F/employees-ok.csv"
expect_rc 0
expect_out "diaktifkan kembali 1"
expect_eq "$(sql r.db "SELECT active FROM employees WHERE nip='198811302012122001'")" "1" \
    "Nur'aini active again"

test_case "--partial adds and updates without deactivating"
netra --db r.db employees import --partial "$F/employees-semicolon.csv"
expect_rc 0
expect_out "dinonaktifkan 0"
expect_eq "$(sql r.db 'SELECT count(*) FROM employees WHERE active = 1')" "5" "all still active"
expect_eq "$(sql r.db 'SELECT count(*) FROM imports')" "4" "every import recorded"
expect_eq "$(sql r.db "SELECT actor FROM imports ORDER BY id DESC LIMIT 1")" "uji" "actor"

finish
