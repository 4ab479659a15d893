# `netra match` with the bundled lexicon: golden posts written by the project
# (every normalisation form, every SKB form in posts: calls, symbols, teams,
# KTP, banners, handouts, attendance, party office, following, Pilkada and
# caleg, dialect, attacks, an emoji-only post; and the hard negatives: colliding
# words, news, socialisation, civic calls, spouses, questions), exact
# original offsets, the seeds' neutral paragraphs, and bad input.
. "$(dirname "$0")/lib.sh"
: "${NT_GOLDEN:?}"
export NETRA_DATA="$NT_SRC/data"
G="$NT_SRC/tests/golden/posts.ndjson"

test_case "golden posts score as intended, hits are the original bytes"
netra match --json --slang "$NT_FIXTURES/slang.csv" --file "$G"
expect_rc 0
expect_eq "$(wc -l <out.txt | tr -d ' ')" "$(grep -c . "$G")" "one result per post"
cp out.txt golden.out
if "$NT_GOLDEN" "$G" golden.out >golden.txt; then pass; else fail "$(grep FAIL golden.txt)"; fi

test_case "every result names the lexicon version and explains itself"
expect_out '"lexicon_version":"2024.8"'
expect_out '"rules":[{"id":"ajakan-memilih"'
expect_out '"breakdown":'

test_case "--text and the human summary"
netra match --text "Ayo coblos 02! #PrabowoGibran2024"
expect_rc 0
expect_out "tingkat priority"
expect_out '"Ayo coblos" -> cta-coblos'
expect_out "aturan ajakan-memilih -> MEDSOS"

test_case "--region keeps regional entries to their region"
netra match --json --text "Ayo pilih Partai Aceh" --region 11.01
expect_out '"level":"review"'
netra match --json --text "Ayo pilih Partai Aceh" --region 76
expect_out '"level":"none"'
netra match --text x --region 99
expect_rc 2

test_case "the seeds' paragraphs (neutral material) never reach priority"
seeds="$NT_SRC/../shared/seeds"
if [ -d "$seeds" ]; then
    : >seeds.out
    for f in "$seeds"/*.txt; do
        "$NETRA" match --json --paragraphs "$f" >>seeds.out 2>>err.txt || fail "match $f"
    done
    cp seeds.out out.txt
    n=$(grep -c . seeds.out)
    [ "$n" -gt 50 ] && pass || fail "only $n paragraphs"
    expect_eq "$(grep -c '"level":"priority"' out.txt)" "0" "seed paragraphs at priority"
else
    echo "skip: $seeds not present"
fi

test_case "bad NDJSON lines are named and skipped, the rest is scored"
printf '%s\n' '{"id":1,"text":"Ayo coblos 02"}' 'bukan json' '{"id":2}' \
    '{"id":3,"text":"halo","created_at":"kemarin"}' '{"id":[1],"text":"x"}' \
    '{"id":4,"text":"Ganjar"}' >bad.ndjson
netra match --json --file bad.ndjson
expect_rc 1
expect_err "bad.ndjson:2: JSON tidak sah"
expect_err "bad.ndjson:3: text: wajib diisi"
expect_err "bad.ndjson:4: created_at:"
expect_err "bad.ndjson:5: id: harus teks atau bilangan bulat"
expect_err "4 baris dilewati karena rusak, 2 dinilai"
expect_eq "$(wc -l <out.txt | tr -d ' ')" "2" "good lines scored"
printf '{"id":1,"text":"\377"}\n' >utf.ndjson
netra match --json --file utf.ndjson
expect_rc 1
expect_err "utf.ndjson:1: JSON tidak sah"

test_case "a broken lexicon is refused with the entry and field"
cat >lex.json <<'JSON'
{"format":"netra-lexicon","version":"t","election":"x","thresholds":{"review":5,"priority":3},
 "contestants":[{"id":"a","type":"pair","label":"A"}],
 "entries":[{"id":"e1","kind":"candidate","terms":["a"],"refers_to":"zz"},
            {"id":"e2","kind":"kandidat","terms":["b"]},
            {"id":"e3","kind":"slogan","patterns":["(ab"]},
            {"id":"e1","kind":"slogan","terms":["c"],"wieght":2}],
 "rules":[{"id":"r","category":"XYZ","score":1,"all":["nothing"]}]}
JSON
netra match --text x --lexicon lex.json
expect_rc 1
expect_err "thresholds.priority: harus lebih besar daripada review"
expect_err "entries[0](e1).refers_to: kontestan \"zz\" tidak ada"
expect_err "entries[1](e2).kind: jenis \"kandidat\" tidak dikenal"
expect_err "entries[2](e3).patterns[0]: pola PCRE2 salah pada posisi 3"
expect_err "entries[3](e1).wieght: kolom tidak dikenal"
expect_err "entries[3].id: id \"e1\" sudah dipakai entries[0]"
expect_err "rules[0](r).category: kategori \"XYZ\" bukan kode SKB 2022"
expect_err "rules[0](r).all[0]: \"nothing\" bukan jenis"
printf '{"format": "netra-lexicon",\n "version": }' >syntax.json
netra match --text x --lexicon syntax.json
expect_rc 1
expect_err "syntax.json:2:"
expect_err "JSON tidak sah"

test_case "a syntax error inside one entry names its line"
printf '{"format":"netra-lexicon","version":"t","election":"x",\n"thresholds":{"review":5,"priority":9},\n"entries":[\n{"id":"a","kind":"slogan","terms":["x"]},\n{"id":"b","kind":"slogan","terms":["y"] "z"}\n]}\n' >entry.json
netra lexicon validate entry.json
expect_rc 1
expect_err "entry.json:5: JSON tidak sah"

test_case "the real colloquial dictionary loads and is used (when present)"
slang="$NT_SRC/../shared/corpora/slang/colloquial-indonesian-lexicon.csv"
if [ -f "$slang" ]; then
    netra match --slang "$slang" --json --text "jgn lupa coblos no 2 ya gaes"
    expect_rc 0
    expect_out '"level":"priority"'
    expect_out '"lexicon_level":"review"'
else
    echo "skip: $slang not present"
fi

test_case "usage errors"
netra match
expect_rc 2
netra match --text a --file b
expect_rc 2
netra match --paragraphs nothing.txt
expect_rc 1
expect_err "nothing.txt"

test_case "text shown on a terminal cannot drive it: controls neutralised, lines joined"
netra match --text "$(printf 'Ayo\ncoblos \033[31mnomor 2 \302\233x')"
expect_rc 0
expect_out '"Ayo coblos"'
if LC_ALL=C grep -q "$(printf '\033')" out.txt; then fail "ESC reached the terminal"; else pass; fi
if LC_ALL=C grep -q "$(printf '\302\233')" out.txt; then fail "C1 CSI reached the terminal"; else pass; fi

test_case "a ballot number means a presidential pair until the Pemilu, a Pilkada pair after it"
printf '{"id":1,"text":"Ayo nyoblos paslon bupati nomor urut 2","created_at":"2024-11-20"}\n{"id":2,"text":"Ayo nyoblos paslon nomor urut 2","created_at":"2024-01-20"}\n' >dated.ndjson
netra match --json --file dated.ndjson
expect_rc 0
expect_eq "$(sed -n 1p out.txt | jq -r '.contestants | length')" "0" "Pilkada season: no presidential pair"
expect_eq "$(sed -n 1p out.txt | jq -r '.level')" "priority" "still a call for a pair"
expect_eq "$(sed -n 2p out.txt | jq -r '.contestants[0]')" "paslon-02" "Pemilu season: pair 02"

finish
