# The stance model through the real binary: train (deterministic bytes),
# evaluate (cross-validated figures per threshold), show, import, activate,
# versions, diff; a truncated or foreign model file is a clear error naming
# the file; every stored score records the model version that produced it.
. "$(dirname "$0")/lib.sh"
export NETRA_DATA="$NT_SRC/data"
F=$NT_FIXTURES
L="$NT_SRC/data/lexicon/default-2024.json"

test_case "model train writes a model, the same bytes twice"
netra model train --lexicon "$L" --data "$F/stance-train.ndjson" --folds 3 --version uji-1 --out m1.bin
expect_rc 0
expect_out 'Model "uji-1" ditulis ke m1.bin'
netra model train --lexicon "$L" --data "$F/stance-train.ndjson" --folds 3 --version uji-1 --out m1b.bin
expect_rc 0
expect_eq "$(sha256sum <m1.bin)" "$(sha256sum <m1b.bin)" "training is deterministic"
netra model train --lexicon "$L" --data "$F/stance-train.ndjson" --folds 3 --c 0.1 --version uji-2 --out m2.bin
expect_rc 0
[ "$(sha256sum <m1.bin)" != "$(sha256sum <m2.bin)" ] && pass || fail "another C gives the same model"

test_case "model evaluate prints cross-validated figures and thresholds"
netra model evaluate --lexicon "$L" --data "$F/stance-train.ndjson" --folds 3 --recall 0.9 --json
expect_rc 0
expect_eq "$(jq -r '.folds' out.txt)" "3" "folds"
expect_eq "$(jq -r '.examples' out.txt)" "17" "UNCLEAR is left out"
expect_eq "$(jq -r '.curve | length' out.txt)" "19" "precision/recall curve per threshold"
expect_eq "$(jq -r '.at_review.side' out.txt)" "9" "side posts"
netra model evaluate --lexicon "$L" --data "$F/stance-train.ndjson" --folds 3 --predictions p.csv
expect_rc 0
expect_out "Kurva presisi/recall"
expect_eq "$(wc -l <p.csv | tr -d ' ')" "18" "one out-of-fold prediction per example"

test_case "bad labelled data names the file and line"
printf '{"text":"a","label":"SUPPORT"}\n{"text":"b","label":"MAYBE"}\n{"text":3,"label":"NEUTRAL"}\nnot json\n' >bad.ndjson
netra model train --data bad.ndjson --out bad.bin
expect_rc 1
expect_err "bad.ndjson:2: label: harus SUPPORT"
expect_err "bad.ndjson:3: text: harus teks"
expect_err "bad.ndjson:4: JSON tidak sah"
[ ! -e bad.bin ] && pass || fail "a model was written from bad data"
printf 'text,label\nhalo,SUPPORT\n' >one.csv
netra model train --data one.csv --out one.bin
expect_rc 1
expect_err "contoh berpihak dan contoh netral"

test_case "a truncated or foreign model file is refused with its name"
head -c 1000 m1.bin >trunc.bin
netra match --model trunc.bin --text "Ayo coblos 02"
expect_rc 1
expect_err "trunc.bin"
expect_err "SHA-256 tidak cocok"
printf 'bukan model' >foreign.bin
netra match --model foreign.bin --text "Ayo coblos 02"
expect_rc 1
expect_err "foreign.bin: bukan berkas model sikap Netra"
cp m1.bin flipped.bin
printf '\001' | dd of=flipped.bin bs=1 seek=200 conv=notrunc 2>/dev/null
netra model show flipped.bin
expect_rc 1
expect_err "flipped.bin"

test_case "feature names of other scripts stay valid UTF-8 (shown and written as JSON)"
printf '{"text":"Ayo dukung Ganjar привет друзья","label":"SUPPORT"}\n{"text":"Berita Ganjar сегодня утром","label":"NEUTRAL"}\n' >cyr.ndjson
netra model train --lexicon "$L" --data cyr.ndjson --folds 2 --out cyr.bin
expect_rc 0
netra model show cyr.bin --json
expect_rc 0
expect_eq "$(jq '.top_features | length' out.txt)" "$(jq '.weights' out.txt)" "every weighted feature keeps its name"
netra match --model cyr.bin --json --text "Ayo dukung Ganjar привет"
expect_rc 0
expect_eq "$(jq -r '.stance.evidence | length > 0' out.txt)" "true" "evidence with Cyrillic trigrams"

test_case "match explains the stance with the model's version"
netra match --model m1.bin --json --text "Ayo dukung Ganjar Mahfud, pasti menang 🤟"
expect_rc 0
expect_eq "$(jq -r '.model_version' out.txt)" "uji-1" "model version"
expect_eq "$(jq -r '.stance.evidence | length > 0' out.txt)" "true" "stance evidence"
expect_eq "$(jq -r '.stance.side' out.txt)" "support" "side"
netra match --model none --json --text "Ayo dukung Ganjar Mahfud"
expect_rc 0
expect_eq "$(jq -r '.stance' out.txt)" "null" "lexicon only"

test_case "features are candidate-agnostic: another pair's names, the same stance"
netra match --json --text "Ayo dukung Ganjar Mahfud sampai akhir 🤟"
a=$(jq -r '.stance.p_side' out.txt)
netra match --json --text "Ayo dukung Anies Muhaimin sampai akhir ☝️"
b=$(jq -r '.stance.p_side' out.txt)
expect_eq "$a" "$b" "P(side) for pair 03 and pair 01"

test_case "model show, import, activate, versions, diff"
netra model show m1.bin
expect_rc 0
expect_out 'Model "uji-1"'
expect_out "Fitur terkuat"
netra --db m.db init
netra --db m.db model import m1.bin
expect_rc 0
expect_out "versi #1 dan aktif"
netra --db m.db model import m2.bin --comment "C lebih kecil"
expect_rc 0
expect_out "versi #2."
netra --db m.db model versions --json
expect_eq "$(jq -r '[.[] | select(.active)] | .[0].id' out.txt)" "1" "the first import is active"
netra --db m.db model activate 2
expect_rc 0
netra --db m.db model versions --json
expect_eq "$(jq -r '[.[] | select(.active)] | .[0].version' out.txt)" "uji-2" "version 2 active"
netra --db m.db model activate 9
expect_rc 1
expect_err "versi model #9 tidak ada"
netra --db m.db model diff 1 2
expect_rc 0
expect_out 'A = "uji-1"'
netra --db m.db model show 2 --json
expect_eq "$(jq -r '.version' out.txt)" "uji-2" "show a stored version"

test_case "every score records the model version; a new model rescores"
netra --db s.db init
netra --db s.db employees import "$F/employees-ok.csv"
netra --db s.db accounts import "$F/accounts-ok.csv"
netra --db s.db lexicon import "$L"
netra --db s.db ingest "$F/posts.ndjson"
netra --db s.db model import m1.bin
netra --db s.db scan
expect_rc 0
expect_out "model sikap versi #1"
n=$(sql s.db 'SELECT count(*) FROM post_versions')
flagged=$(sql s.db 'SELECT count(*) FROM scores')
[ "$flagged" -ge 1 ] && [ "$flagged" -lt "$n" ] && pass || fail "$flagged score rows for $n versions"
expect_eq "$(sql s.db 'SELECT count(*) FROM scores WHERE model_id = 1')" "$flagged" "model 1 on every score"
# A post at level none has no row: the mark of the pair says who scored it.
expect_eq "$(sql s.db "SELECT count(*) FROM scores WHERE level = 'none'")" "0" "no score row at level none"
expect_eq "$(sql s.db "SELECT model_id || ' ' || model_version || ' ' || CASE WHEN upto = (SELECT max(id) FROM post_versions) THEN 1 ELSE 0 END FROM scan_progress WHERE model_id = 1")" "1 uji-1 1" "the mark names the model and covers every version"
expect_eq "$(sql s.db "SELECT count(*) FROM scores WHERE p_side IS NULL AND COALESCE(CAST(json_extract(explanation, '$.stance.skipped') AS INTEGER), 0) <> 1")" "0" "P(side) wherever the stage ran"
expect_eq "$(sql s.db "SELECT count(*) FROM scores WHERE level != 'none' AND CAST(json_extract(explanation, '$.stance.skipped') AS INTEGER) = 1")" "0" "a skipped post stays at none"
expect_eq "$(sql s.db "SELECT count(*) FROM scores WHERE json_extract(explanation, '$.stance.model_version') = 'uji-1'")" "$flagged" "explanation names the model"
# A score that reaches the queue: its hits are rows (the item page, the CLI
# and the dossier read them), not repeated in its explanation, which keeps
# the rules, the levels and the stance with its evidence.
expect_eq "$(sql s.db "SELECT count(*) FROM scores s WHERE level != 'none' AND (json_extract(explanation, '$.hits') IS NOT NULL OR json_extract(explanation, '$.rules') IS NULL OR COALESCE(json_extract(explanation, '$.stance.evidence'), '[]') = '[]' OR NOT EXISTS (SELECT 1 FROM hits h WHERE h.score_id = s.id))")" "0" "a score that reaches the queue: hits as rows, the rest in its explanation"
expect_eq "$(sql s.db "SELECT count(*) FROM scores WHERE p_side IS NOT NULL AND abs(CAST(json_extract(explanation, '$.stance.p_side') AS DOUBLE PRECISION) - p_side) > 0.0000501")" "0" "the explanation's P(side) is the column's, to the four decimals it shows"
netra --db s.db scan
expect_out "0 versi unggahan dinilai"
netra --db s.db model import m2.bin --activate
expect_out "$n versi unggahan dinilai"
netra --db s.db scan
expect_out "0 versi unggahan dinilai"
expect_eq "$(sql s.db 'SELECT count(*) = count(model_id = 2 OR NULL) FROM scores')" "1" "model 2 replaced model 1"
# A post model 1 flagged and model 2 does not keeps its row (its item points
# at it), with a few bytes of explanation, not the document.
expect_eq "$(sql s.db "SELECT count(*) FROM scores WHERE level = 'none' AND (length(explanation) >= 200 OR json_extract(explanation, '$.hits') IS NOT NULL OR json_extract(explanation, '$.stance.evidence') IS NOT NULL)")" "0" "level none: a compact explanation"
expect_eq "$(sql s.db "SELECT count(*) FROM hits h JOIN scores s ON s.id = h.score_id WHERE s.level = 'none'")" "0" "and no hits"
expect_eq "$(sql s.db "SELECT group_concat(model_id || ':' || CASE WHEN upto = (SELECT max(id) FROM post_versions) THEN 1 ELSE 0 END, ' ') FROM (SELECT * FROM scan_progress ORDER BY model_id) AS t")" "0:1 1:1 2:1" "each model's mark (0: the bundled one, at ingest)"
test_case "lexicon test shows what a new model would change, before it is active"
netra --db s.db model activate 1
# A model that learnt the labels the wrong way round: it must change levels.
sed 's/"SUPPORT"/"X"/; s/"NEUTRAL"/"SUPPORT"/; s/"X"/"NEUTRAL"/; s/"OPPOSE"/"NEUTRAL"/' "$F/stance-train.ndjson" >inverted.ndjson
netra --db s.db model train --lexicon "$L" --data inverted.ndjson --folds 3 --version uji-3 --out m3.bin
netra --db s.db lexicon test --model m3.bin --json
expect_rc 0
expect_eq "$(jq -r '.active_model' out.txt)" "uji-1" "active model"
expect_eq "$(jq -r '.draft_model' out.txt)" "uji-3" "draft model"
changed=$(jq -r '.level_changed' out.txt)
expect_eq "$(jq -r '[.changes[] | select(.level_active != .level_draft)] | length' out.txt)" "$changed" "every level change listed"
expect_eq "$(jq -r '[.changes[] | select(.level_active != .level_draft)] | length > 0' out.txt)" "true" "the inverted model changes levels"
expect_eq "$(jq -r '[.changes[] | select(.p_side_draft == null and .p_side_active == null)] | length' out.txt)" "0" "with P(side) of the models"
expect_eq "$(sql s.db 'SELECT count(*) FROM model_versions WHERE active = 1 AND id = 1')" "1" "nothing activated"
netra --db s.db lexicon test --model m1.bin --json
expect_eq "$(jq -r '.level_changed' out.txt)" "0" "the active model against itself changes nothing"
netra --db s.db lexicon test
expect_rc 2
expect_err "--model"
netra --db s.db scan --slang "$F/slang.csv" --rescan
expect_eq "$(sql s.db 'SELECT count(DISTINCT slang_sha256) FROM scores')" "1" "the slang list's hash"
expect_eq "$(sql s.db 'SELECT slang_sha256 = (SELECT slang_sha256 FROM scores LIMIT 1) FROM scan_progress WHERE model_id = 1')" "1" "on the mark too"

finish
