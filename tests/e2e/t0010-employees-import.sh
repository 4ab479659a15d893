# Importing the employee registry from real CSV files: the formats agencies
# export, and every kind of bad row rejected with FILE:LINE: field: reason
# while the database stays exactly as it was.
. "$(dirname "$0")/lib.sh"
F=$NT_FIXTURES

netra --db r.db init

test_case "a valid file: quoted fields, doubled quotes, case-insensitive values"
netra --db r.db employees import "$F/employees-ok.csv"
expect_rc 0
expect_out "5 baris; ditambah 5"
expect_err_empty
expect_eq "$(sql r.db "SELECT name FROM employees WHERE nip='197012011995031002'")" \
    'Andi "Ancu" Mappanyompa' "doubled quotes"
expect_eq "$(sql r.db "SELECT name FROM employees WHERE nip='199001152015032001'")" \
    'Sari Dewi, S.Pd.' "comma inside quotes"
expect_eq "$(sql r.db "SELECT position_type||' '||status||' '||region_code FROM employees WHERE nip='199407212019031005'")" \
    'Administrator PNS 33.74' "canonical values"
expect_eq "$(sql r.db "SELECT name FROM employees WHERE nip='198811302012122001'")" \
    "Nur'aini Ténri Ajeng" "UTF-8 name"

test_case "BOM, CRLF and blank lines are accepted"
{ printf '\357\273\277'; sed 's/$/\r/' "$F/employees-ok.csv"; printf '\r\n\r\n'; } >bom-crlf.csv
netra --db bom.db init
netra --db bom.db employees import bom-crlf.csv
expect_rc 0
expect_out "5 baris; ditambah 5"
expect_eq "$(sql bom.db "SELECT count(*) FROM employees WHERE name LIKE '%$(printf '\r')%'")" "0" \
    "no carriage returns stored"

test_case "semicolon-separated exports are accepted"
netra --db semi.db init
netra --db semi.db employees import "$F/employees-semicolon.csv"
expect_rc 0
expect_out "2 baris; ditambah 2"
expect_eq "$(sql semi.db "SELECT name FROM employees WHERE nip='199001152015032001'")" \
    'Sari Dewi, S.Pd.' "comma inside a semicolon file"

test_case "a file with bad rows is rejected whole, every error listed, nothing written"
before=$(db_digest r.db)
netra --db r.db employees import "$F/employees-bad.csv"
expect_rc 1
B="$F/employees-bad.csv"
expect_err "$B:3: nip: tanggal lahir dalam NIP tidak sah (19850230)"
expect_err "$B:4: nip: TMT dalam NIP (200303) sebelum pegawai berusia 18 tahun"
expect_err "$B:6: nip: NIP 198503122010011003 sudah ada di baris 2"
expect_err "$B:7: jenis_jabatan: \"Kepala\" tidak dikenal"
expect_err "$B:8: status: \"Honorer\" tidak dikenal"
expect_err "$B:9: kode_wilayah: kode provinsi \"99\" tidak dikenal"
expect_err "$B:10: baris berisi 3 kolom, baris judul 8 kolom"
expect_err "$B:11: nip: NIP hanya boleh berisi angka"
expect_err "$B:12: nip: digit jenis kelamin dalam NIP harus 1 atau 2"
expect_err "impor ditolak: 9 dari 10 baris bermasalah; basis data tidak diubah"
expect_eq "$(wc -l <err.txt | tr -d ' ')" "10" "one line per error plus the summary"
expect_eq "$(db_digest r.db)" "$before" "database content after rejected import"

test_case "invalid UTF-8 and control characters are named by line and field"
{ head -1 "$F/employees-ok.csv"
  printf '198503122010011003,Budi \377 Santoso,Pemkab,,JPT,Kepala,76,PNS\n'
  printf '199001152015032001,Sari,Pemkab \033[31m,,JPT,Kepala,76,PNS\n'; } >enc.csv
netra --db r.db employees import enc.csv
expect_rc 1
expect_err "enc.csv:2: nama: bukan UTF-8 yang sah (byte ke-6)"
expect_err "enc.csv:3: instansi: mengandung karakter kendali"
expect_eq "$(db_digest r.db)" "$before" "database content after rejected import"

test_case "unterminated quotes are reported at the line they open"
{ head -1 "$F/employees-ok.csv"
  printf '198503122010011003,"Budi Santoso,Pemkab,,JPT,Kepala,76,PNS\n'
  printf '199001152015032001,Sari,Pemkab,,JPT,Kepala,76,PNS\n'; } >quote.csv
netra --db r.db employees import quote.csv
expect_rc 1
expect_err "quote.csv:2:2: kolom ke-2: tanda kutip pembuka tidak pernah ditutup"

test_case "missing columns in the header are named"
netra --db r.db employees import "$F/employees-missing-column.csv"
expect_rc 1
expect_err "employees-missing-column.csv:1: unit_kerja: kolom wajib tidak ada di baris judul"
expect_err "employees-missing-column.csv:1: kode_wilayah: kolom wajib tidak ada"
expect_eq "$(db_digest r.db)" "$before" "database content"

test_case "empty files and files that are not there"
: >empty.csv
netra --db r.db employees import empty.csv
expect_rc 1
expect_err "empty.csv:1: berkas kosong"
head -1 "$F/employees-ok.csv" >header-only.csv
netra --db r.db employees import header-only.csv
expect_rc 1
expect_err "tidak ada baris pegawai yang sah"
netra --db r.db employees import nonexistent.csv
expect_rc 1
expect_err "nonexistent.csv: tidak dapat membuka berkas"
expect_eq "$(db_digest r.db)" "$before" "database content"

test_case "--skip-invalid imports the good rows and reports the rest"
netra --db skip.db init
netra --db skip.db employees import --skip-invalid "$F/employees-bad.csv"
expect_rc 0
expect_out "10 baris; ditambah 1"
expect_out "ditolak 9"
expect_out "9 baris yang ditolak dilewati"
expect_err "employees-bad.csv:3: nip:"
expect_eq "$(sql skip.db 'SELECT count(*) FROM employees')" "1" "employees imported"

test_case "--dry-run counts but writes nothing"
netra --db dry.db init
before=$(db_digest dry.db)
netra --db dry.db employees import --dry-run "$F/employees-ok.csv"
expect_rc 0
expect_out "Uji coba impor pegawai"
expect_out "ditambah 5"
expect_out "tidak ada yang disimpan"
expect_eq "$(db_digest dry.db)" "$before" "database content after dry run"

test_case "a SIASN-style export through the bundled profile and a region table"
netra --db siasn.db init
netra --db siasn.db employees import --profile siasn --regions "$F/regions-units.csv" "$F/employees-siasn.csv"
expect_rc 0
expect_out "ditambah 5"
expect_out "Catatan: 1 pegawai berstatus CPNS dicatat sebagai PNS"
expect_eq "$(sql siasn.db "SELECT group_concat(nip || ':' || position_type || ':' || status || ':' || region_code, ' ') FROM (SELECT * FROM employees ORDER BY nip) AS t")" \
    "197012011995031002:JPT:PNS:76.04 198503122010011003:Fungsional:PNS:76.04 198811302012122001:Pengawas:PNS:76.04.01 199001152015032001:Administrator:PNS:76.04 199305052019031004:Pelaksana:PPPK:33.74" \
    "types by echelon and spelling, CPNS as PNS, regions by unit then agency"

test_case "a SIASN export without its profile, or with values nobody can map, is refused naming each line"
netra --db siasn2.db init
before=$(db_digest siasn2.db)
netra --db siasn2.db employees import "$F/employees-siasn.csv"
expect_rc 1
expect_err "employees-siasn.csv:1: nip: kolom wajib tidak ada di baris judul"
netra --db siasn2.db employees import --profile siasn --regions "$F/regions-units.csv" "$F/employees-siasn-bad.csv"
expect_rc 1
expect_err "employees-siasn-bad.csv:2: jenis_jabatan: \"Jabatan Rahasia\" tidak dikenal"
expect_err "employees-siasn-bad.csv:3: eselon: jabatan \"Struktural\" memerlukan eselon"
expect_err "employees-siasn-bad.csv:4: status: \"Honorer\" tidak dikenal"
expect_err "employees-siasn-bad.csv:5: kode_wilayah: unit \"Biro Umum\" dan instansi \"Pemerintah Provinsi Fiktif\" tidak ada di tabel wilayah"
expect_eq "$(db_digest siasn2.db)" "$before" "database unchanged"
netra --db siasn2.db employees import --profile sapk "$F/employees-siasn.csv"
expect_rc 2
expect_err "profil \"sapk\" tidak dikenal; pilihan: siasn"
printf 'unit,kode_wilayah\nBiro Umum,99.99.99.99.99\n' >bad-regions.csv
netra --db siasn2.db employees import --profile siasn --regions bad-regions.csv "$F/employees-siasn.csv"
expect_rc 1
netra --db siasn2.db accounts import --profile siasn "$F/accounts-ok.csv"
expect_rc 2

finish
