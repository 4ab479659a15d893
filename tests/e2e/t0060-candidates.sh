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

test_case "Pilkada lists: regional heads scoped to their race's region, the pair a contestant"
netra --db c.db lexicon import-candidates --out pk.json "$F/pilkada.csv"
expect_rc 0
expect_out "5 entri dibuat"
expect_eq "$(jq -r '.entries[] | select(.id == "dct-pilbup-7604-0-1") | .scope[0]' pk.json)" "76.04" "regency race scope"
expect_eq "$(jq -r '.entries[] | select(.id == "dct-pilgub-33-0-1") | .scope[0]' pk.json)" "33" "province race scope"
expect_eq "$(jq -r '.entries[] | select(.id == "dct-pilbup-7604-0-1-w") | .refers_to' pk.json)" "pilbup-7604-1" "running mate refers to the pair"
expect_eq "$(jq -r '.contestants[] | select(.id == "pilbup-7604-2") | .label' pk.json)" "Paslon Bupati MAMUJU no. urut 2" "pair as contestant"
netra match --lexicon pk.json --region 76.04 --model none --json --text "Ayo pilih Darmawan Sukri jadi bupati"
expect_eq "$(jq -r '.contestants[0]' out.txt)" "pilbup-7604-1" "the pair is named in its region"
netra match --lexicon pk.json --region 33 --model none --json --text "Ayo pilih Darmawan Sukri jadi bupati"
expect_eq "$(jq -r '[.hits[] | select(.entry == "dct-pilbup-7604-0-1")] | length' out.txt)" "0" "not outside its region"
before=$(db_digest c.db)
netra --db c.db lexicon import-candidates "$F/pilkada-bad.csv"
expect_rc 1
expect_err "pilkada-bad.csv:2: kode_dapil: harus kode wilayah Kemendagri 2 atau 4 angka"
expect_err "pilkada-bad.csv:3: level: \"Walikota Raya\" tidak dikenal"
expect_eq "$(db_digest c.db)" "$before" "database after rejected Pilkada list"

finish
