# `netra lexicon import-candidates`: KPU candidate lists become scoped,
# title-free candidate entries in a new lexicon version.
. "$(dirname "$0")/lib.sh"
export NETRA_DATA="$NT_SRC/data"
F=$NT_FIXTURES

netra --db c.db init
netra --db c.db lexicon import "$NT_SRC/data/lexicon/default-2024.json"

test_case "candidates become entries of a new, inactive version"
netra --db c.db lexicon import-candidates --dapil "$F/dapil.json" "$F/dct.csv"
expect_rc 0
expect_out "5 baris; 5 entri dibuat (2 berspesifisitas rendah)"
expect_out "Versi leksikon #2 disimpan"
expect_out "belum aktif"
netra --db c.db lexicon export 2 --out v2.json
grep -q '"Andi Mappasau Tandilolo"' v2.json && pass || fail "titles not stripped"
grep -q '"Aco Lopi"' v2.json && pass || fail "nickname missing"
grep -q '"Bambang Wicaksono Hadipuro"' v2.json && pass || fail "comma after titles"
netra --db c.db lexicon diff 1 2
expect_out "+ entri dct-dpr-7601-1-1 (candidate)"
expect_out "+ entri dct-dpd-76-0-1 (candidate)"
expect_out "5 perbedaan"

test_case "scope follows the electoral district; party is referred to"
netra --db c.db match --json --lexicon v2.json --region 76.04 --text "Ayo pilih Andi Mappasau Tandilolo"
expect_out '"entry":"dct-dpr-7601-1-1"'
expect_out '"contestants":["pkb"]'
netra --db c.db match --json --lexicon v2.json --region 33.74 --text "Ayo pilih Andi Mappasau Tandilolo"
expect_no_out "dct-dpr-7601-1-1"
netra --db c.db match --json --lexicon v2.json --region 76.02 --text "Ayo pilih Rahmawati Dg Tallasa"
expect_out '"entry":"dct-dpd-76-0-1"'

test_case "a second import of the same level replaces the first"
netra --db c.db lexicon import-candidates --base 2 --out v3.json "$F/dct.csv"
expect_rc 0
expect_out "5 entri impor sebelumnya diganti"
expect_eq "$(grep -c '"id": "dct-' v3.json)" "5" "candidate entries in v3"

test_case "bad rows reject the file and name line and field"
before=$(db_digest c.db)
netra --db c.db lexicon import-candidates "$F/dct-bad.csv"
expect_rc 1
expect_err "dct-bad.csv:3: level: \"DPR PUSAT\" tidak dikenal"
expect_err "dct-bad.csv:4: kode_dapil: harus angka"
expect_err "dct-bad.csv:5: nomor_urut: harus angka"
expect_err "dct-bad.csv:6: nama: kosong setelah gelar dihapus"
expect_err "leksikon tidak diubah"
expect_eq "$(db_digest c.db)" "$before" "database after rejected candidates"

finish
