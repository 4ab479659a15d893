# Media as evidence: a Mastodon account's statuses carry images, a video, a
# link card and hostile attachments, all served by the local test server.
# The crawl keeps each image once per SHA-256 (two posts share one flyer),
# refuses what is not an image (an HTML page served as image/png), what is
# too large and what redirects to a private address; the alt text is
# scored with the caption as the post is stored; the OCR stage then reads
# the flyer, stores its lines and a thumbnail, and scores the posts again:
# the flyer's words bring an innocent caption to the queue, every hit
# marked as text in the image with its line.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}" "${NT_MKIMAGE:?}"
export NETRA_DATA="$NT_SRC/data"
F=$NT_FIXTURES

if ! ls /usr/share/tesseract-ocr/*/tessdata/ind.traineddata >/dev/null 2>&1 &&
    [ ! -f "${TESSDATA_PREFIX:-/nonexistent}/ind.traineddata" ]; then
    echo "SKIP: Tesseract's Indonesian data (tesseract-ocr-ind) is not installed; make test installs it"
    finish
    exit 0
fi

mkdir -p www/masto www/media
"$NT_MKIMAGE" text www/media/flyer.png "AYO COBLOS NOMOR 2|PRABOWO GIBRAN PASTI MENANG"
cp www/media/flyer.png www/media/flyer-lagi.png
"$NT_MKIMAGE" text www/media/rapat.png "RAPAT KOORDINASI KANTOR|SENIN PUKUL 09.00 DI AULA"
printf '<!doctype html><html><body>bukan gambar</body></html>\n' >www/media/halaman.png
"$NT_MKIMAGE" bomb www/media/bom.png
head -c 4 www/media/flyer.png >www/media/besar.png
head -c 52428800 /dev/zero >>www/media/besar.png
printf '\0\0\0\030ftypmp42\0\0\0\0mp42isom' >www/media/klip.mp4
cp "$F"/masto/lookup-budi.json www/masto/
start_server

# A status with the given id, caption and attachments (JSON array text).
status() {
    printf '{"id":"%s","created_at":"2024-01-%02dT08:00:00.000Z","in_reply_to_id":null,"visibility":"public","language":"id","uri":"https://sosial.example/users/budi/statuses/%s","url":"https://sosial.example/@budi/%s","content":"<p>%s</p>","reblog":null,"account":{"id":"1001","acct":"budi"},"tags":[],"media_attachments":%s%s}' \
        "$1" "$(($1 - 200))" "$1" "$1" "$2" "$3" "${4:-}"
}
img() { # URL [ALT]
    printf '{"id":"9%s","type":"image","url":"%s","preview_url":"%s","description":%s,"meta":{"original":{"width":400,"height":120}}}' \
        "$RANDOM" "$1" "$1" "${2:-null}"
}
{
    printf '[\n'
    status 210 "Semangat pagi rekan-rekan" "[$(img "$B/media/flyer.png")]"; printf ',\n'
    status 209 "Info dari grup sebelah" "[$(img "$B/media/flyer-lagi.png")]"; printf ',\n'
    status 208 "Foto kegiatan" "[$(img "$B/media/halaman.png")]"; printf ',\n'
    status 207 "Gambar aneh" "[$(img "$B/media/bom.png")]"; printf ',\n'
    status 206 "Dokumentasi besar" "[$(img "$B/media/besar.png")]"; printf ',\n'
    status 205 "Lihat ini" "[$(img "$B/redirect-private-image")]"; printf ',\n'
    status 204 "Rapat tadi pagi" "[$(img "$B/media/rapat.png" '"Spanduk: coblos nomor 2 Prabowo Gibran"')]"; printf ',\n'
    status 203 "Video acara" "[{\"id\":\"77\",\"type\":\"video\",\"url\":\"$B/media/klip.mp4\",\"description\":null,\"meta\":{\"length\":\"0:00:12\"}}]" \
        ',"card":{"url":"https://berita.example/artikel","title":"Jadwal libur nasional","description":"Kalender 2024","type":"link"}'
    printf '\n]\n'
} >www/masto/statuses-1001.json
jq -e length www/masto/statuses-1001.json >/dev/null && pass || fail "the fixture is not JSON"

netra --db m.db init
netra --db m.db employees import "$F/employees-ok.csv"
printf 'nip,platform,account,endpoint\n198503122010011003,mastodon,budi@sosial.example,http://127.0.0.1:%s\n' "$P" >acc.csv
netra --db m.db accounts import acc.csv
netra --db m.db lexicon import --activate "$NT_SRC/data/lexicon/default-2024.json"
CRAWL="--allow-http --allow-network 127.0.0.1/32 --rate 50"
hexof() { # FILE [OFFSET COUNT]: upper-case hex of its bytes
    od -An -v -tx1 -j "${2:-0}" ${3:+-N "$3"} "$1" | tr -d ' \n' | tr a-f A-F
}
pm() { # remote id -> state of its first attachment
    sql m.db "SELECT pm.state FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '$1' ORDER BY pm.seq LIMIT 1"
}

test_case "the crawl keeps each image once, refuses what is not one, records videos and cards"
# shellcheck disable=SC2086
netra --db m.db crawl $CRAWL --json
expect_rc 0
expect_eq "$(jq -r '.posts_added' out.txt)" "8" "posts"
expect_eq "$(jq -r '[.media.stored, .media.shared, .media.refused] | join(" ")' out.txt)" "4 1 3" "media stored, shared, refused"
expect_eq "$(pm 210) $(pm 209) $(pm 204) $(pm 207)" "stored stored stored stored" "images kept"
expect_eq "$(sql m.db "SELECT count(DISTINCT media_id) FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE p.remote_id IN ('210', '209')")" "1" "the same flyer from two posts is one file"
expect_eq "$(sql m.db "SELECT count(*) FROM media")" "3" "three files in all (flyer, meeting, bomb)"
expect_eq "$(sql m.db "SELECT sha256 FROM media m JOIN post_media pm ON pm.media_id = m.id JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '210'")" \
    "$(sha256sum www/media/flyer.png | cut -d' ' -f1)" "its SHA-256"
expect_eq "$(sql m.db "SELECT hex(bytes) = '$(hexof www/media/flyer.png)' FROM media WHERE sha256 = '$(sha256sum www/media/flyer.png | cut -d' ' -f1)'")" "1" "its exact bytes"
expect_eq "$(sql m.db "SELECT mime FROM media WHERE sha256 = '$(sha256sum www/media/flyer.png | cut -d' ' -f1)'")" "image/png" "its type, sniffed"
expect_eq "$(pm 208)" "refused" "an HTML page served as image/png"
case "$(sql m.db "SELECT error FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '208'")" in
*"bukan gambar"*"text/html"*|*"bukan gambar"*"image/png"*) pass ;; *) fail "the refusal does not say why" ;; esac
expect_eq "$(pm 206)" "refused" "a 50 MB file"
expect_eq "$(sql m.db "SELECT error FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '206'")" "respons melebihi batas ukuran" "why"
expect_eq "$(pm 205)" "refused" "a redirect to a private address"
expect_eq "$(sql m.db "SELECT error FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '205'")" "koneksi ke alamat privat/lokal ditolak (lindungan SSRF)" "why"
expect_eq "$(sql m.db "SELECT group_concat(pm.kind || ':' || pm.state, ' ') FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '203'")" "video:recorded link:recorded" "a video and a card recorded, not fetched"
expect_eq "$(sql m.db "SELECT json_extract(meta, '$.title') FROM post_media WHERE kind = 'link'")" "Jadwal libur nasional" "the card's metadata"
expect_eq "$(grep -c 'GET /media/klip.mp4' server.log)" "0" "the video is not fetched"
expect_eq "$(sql m.db "SELECT alt FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '204'")" "Spanduk: coblos nomor 2 Prabowo Gibran" "alt text kept"

test_case "the alt text is scored with the caption, its hits marked as alt text"
expect_eq "$(sql m.db "SELECT count(*) FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = '204'")" "1" "the post with the alt text reached the queue"
# The item keeps the text of the version it was scored on (the caption,
# searched in the queue), never the attachments' text scored beside it.
expect_eq "$(sql m.db "SELECT count(*) || ' ' || sum(i.text IS v.text) || ' ' || sum(instr(i.text, 'Spanduk') > 0) FROM review_items i JOIN scores s ON s.id = i.score_id JOIN post_versions v ON v.id = s.version_id")" \
    "$(sql m.db "SELECT count(*) || ' ' || count(*) || ' 0' FROM review_items")" "every item's text is its version's, without the alt text"
expect_eq "$(sql m.db "SELECT count(*) FROM hits h JOIN scores s ON s.id = h.score_id JOIN post_versions v ON v.id = s.version_id JOIN posts p ON p.id = v.post_id WHERE p.remote_id = '204' AND (h.source IS NOT 'alt' OR h.attachment_id IS NULL)")" "0" "every hit from the alt text"
expect_eq "$(sql m.db "SELECT h.matched FROM hits h JOIN scores s ON s.id = h.score_id JOIN post_versions v ON v.id = s.version_id JOIN posts p ON p.id = v.post_id WHERE p.remote_id = '204' AND h.entry_id = 'num-02'")" \
    "nomor 2" "the matched words"
expect_eq "$(sql m.db "SELECT substr(pm.alt, h.start_byte + 1, h.end_byte - h.start_byte) FROM hits h JOIN post_media pm ON pm.id = h.attachment_id JOIN scores s ON s.id = h.score_id JOIN post_versions v ON v.id = s.version_id JOIN posts p ON p.id = v.post_id WHERE p.remote_id = '204' AND h.entry_id = 'num-02'")" \
    "nomor 2" "the span within the alt text"

test_case "the OCR stage read the flyer once: its lines, a thumbnail, the posts scored again"
expect_eq "$(jq -r '.scan.ocr | [.read, .with_text, .failed] | join(" ")' out.txt)" "2 2 1" "read, with text, failed (the bomb)"
expect_eq "$(sql m.db "SELECT ocr_state FROM media WHERE sha256 = '$(sha256sum www/media/flyer.png | cut -d' ' -f1)'")" "done" "flyer read"
expect_eq "$(sql m.db "SELECT ocr_text FROM media WHERE sha256 = '$(sha256sum www/media/flyer.png | cut -d' ' -f1)'")" "AYO COBLOS NOMOR 2
PRABOWO GIBRAN PASTI MENANG" "its lines"
expect_eq "$(sql m.db "SELECT json_array_length(ocr_lines) || ' ' || width || 'x' || height FROM media WHERE sha256 = '$(sha256sum www/media/flyer.png | cut -d' ' -f1)'")" \
    "2 $((0x$(hexof www/media/flyer.png 16 4)))x$((0x$(hexof www/media/flyer.png 20 4)))" "its line boxes and size (from the PNG header)"
expect_eq "$(sql m.db "SELECT hex(substr(thumb, 1, 3)) FROM media WHERE sha256 = '$(sha256sum www/media/flyer.png | cut -d' ' -f1)'")" "FFD8FF" "a JPEG thumbnail"
expect_eq "$(sql m.db "SELECT ocr_state FROM media WHERE ocr_error LIKE '%melebihi batas%piksel%'")" "failed" "the decompression bomb refused, not opened"
for id in 210 209; do
    expect_eq "$(sql m.db "SELECT i.level FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = '$id'")" "priority" "post $id reached the queue by its image"
    expect_eq "$(sql m.db "SELECT h.source || ':' || h.line FROM hits h JOIN review_items i ON i.score_id = h.score_id JOIN posts p ON p.id = i.post_id WHERE p.remote_id = '$id' AND h.entry_id = 'pair-02'")" "ocr:2" "the pair from line 2 of the image"
done
expect_eq "$(sql m.db "SELECT h.source || ':' || h.line || ':' || h.matched FROM hits h JOIN review_items i ON i.score_id = h.score_id JOIN posts p ON p.id = i.post_id WHERE p.remote_id = '210' AND h.entry_id = 'num-02'")" \
    "ocr:1:NOMOR 2" "the hit names its source, its line and the words"
expect_eq "$(sql m.db "SELECT count(*) FROM review_items i JOIN scores s ON s.id = i.score_id WHERE json_extract(s.explanation, '$.hits') IS NOT NULL")" "0" "the stored explanation does not repeat the hits"
expect_eq "$(sql m.db "SELECT count(*) FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id IN ('208', '206', '205', '203')")" "0" "posts whose attachments were refused stay out"

test_case "a second crawl fetches nothing again and reads nothing again"
# shellcheck disable=SC2086
netra --db m.db crawl $CRAWL --json
expect_rc 0
expect_eq "$(jq -r '[.media.stored, .scan.ocr.read] | join(" ")' out.txt)" "0 0" "nothing new"
expect_eq "$(grep -c 'GET /media/flyer.png' server.log)" "1" "the flyer fetched once in all"
netra --db m.db ocr
expect_rc 0
expect_out "0 gambar dibaca"

test_case "the item page shows the image, its text with the hits, and gives the file as kept"
export NETRA_DB=m.db
add_admin
add_user rina --role reviewer --agency "$MAMUJU"
add_user tono --role reviewer --agency "$SEMARANG"
start_netra_serve
get() { # PATH JAR: status in $code, body in body.bin, headers in head.txt
    code=$(curl -s -o body.bin -D head.txt -w '%{http_code}' -b "$2" -c "$2" "$U${1#/}")
}
login() { # NAME JAR
    curl -s -o /dev/null -c "$2" -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"password\":\"sandi-$1-123\"}" "${U}api/login"
}
login rina r.jar
login tono t.jar
item=$(sql m.db "SELECT i.id FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = '210'")
sha_flyer=$(sha256sum www/media/flyer.png | cut -d' ' -f1)
att=$(sql m.db "SELECT pm.id FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '210'")
get "/api/items/$item" r.jar
expect_eq "$code" "200" "the item"
expect_eq "$(jq -r '.media[0] | [.kind, .state, .file.sha256, .file.ocr_state, .file.thumb] | join(" ")' body.bin)" \
    "image stored $(sha256sum www/media/flyer.png | cut -d' ' -f1) done true" "its attachment, file and reading"
expect_eq "$(jq -r '.media[0].file.ocr_lines[1].text' body.bin)" "PRABOWO GIBRAN PASTI MENANG" "the lines read"
expect_eq "$(jq -r --argjson a "$att" '[.hits[] | select(.source == "ocr" and .attachment == $a and .entry == "pair-02") | .line] | join(" ")' body.bin)" "2" "the hit's image and line"
expect_eq "$(jq -r '.media[0].file.ocr_text' body.bin | head -c "$(jq -r '.hits[] | select(.entry == "pair-02") | .end' body.bin)" | tail -c 14)" "PRABOWO GIBRAN" "its span in the image's text"
get "/api/items/$item/media?a=$att" r.jar
expect_eq "$code $(grep -i '^Content-Type:' head.txt | tr -d '\r')" "200 Content-Type: image/jpeg" "the thumbnail"
expect_eq "$(hexof body.bin 0 3)" "FFD8FF" "a JPEG"
get "/api/items/$item/media?a=$att&original=1" r.jar
expect_eq "$code" "200" "the original"
expect_eq "$(sha256sum <body.bin | cut -d' ' -f1)" "$(sha256sum www/media/flyer.png | cut -d' ' -f1)" "the file as kept, byte for byte"
grep -qi '^Content-Disposition: attachment' head.txt && pass || fail "the original is a download"
grep -qi '^X-Content-Type-Options: nosniff' head.txt && pass || fail "nosniff"
expect_eq "$(sql m.db "SELECT count(*) FROM audit_log WHERE action = 'item.media' AND actor = 'rina'")" "1" "the download audited"
get "/api/items/$item/media?a=$att" t.jar
expect_eq "$code" "404" "another agency's reviewer"
other=$(sql m.db "SELECT pm.id FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '204'")
get "/api/items/$item/media?a=$other" r.jar
expect_eq "$code" "404" "another post's attachment through this item"
get "/api/items/$item/media?a=x" r.jar
expect_eq "$code" "400" "a malformed attachment number"
kill "$srv" 2>/dev/null
netra --as rina review show "$item"
expect_rc 0
expect_out "lampiran $att: gambar, disimpan"
expect_out "SHA-256 $sha_flyer"
expect_out "[[NOMOR 2]]"
expect_out "(teks dalam gambar, lampiran $att, baris 2)"
# The explanation gets its hits back from the rows, in the order its rules
# count them by.
netra --as rina review show "$item" --json
expect_eq "$(jq -r '.score.explanation.hits[] | select(.entry == "num-02") | [.source, .line, .match] | join(":")' out.txt)" \
    "ocr:1:NOMOR 2" "the explanation's hits, rebuilt from the rows"
expect_eq "$(jq -r '(.score.explanation.hits | length) as $n | [$n == (.hits | length), $n > 0, ([.score.explanation.rules[].hits[]] | all(. < $n))] | map(tostring) | join(" ")' out.txt)" \
    "true true true" "every hit, and every rule's hit among them"

test_case "the dossier shows the image and its text, the export keeps the file, every hash checked"
add_user budi --role supervisor --agency "$MAMUJU"
netra --as rina review decide "$item" --decision confirm --category MEDSOS
expect_rc 0
case_id=$(sql m.db "SELECT case_id FROM case_items WHERE item_id = $item")
netra --as budi case export "$case_id" --out berkas
expect_rc 0
sha=$(sha256sum www/media/flyer.png | cut -d' ' -f1)
expect_eq "$(sha256sum <"berkas/media/$sha.png" | cut -d' ' -f1)" "$sha" "the flyer in the export, byte for byte"
expect_eq "$(jq -r --arg f "media/$sha.png" '.attachments[] | select(.file == $f) | .sha256' berkas/case.json)" "$sha" "listed with its hash"
expect_eq "$(jq -r '[.findings[0].media[0].file | has("thumb_data")] | .[0]' berkas/case.json)" "false" "case.json without the thumbnail's bytes"
grep -q 'src="data:image/jpeg;base64,/9j/' berkas/case.html && pass || fail "the thumbnail in the dossier page"
grep -q '<mark>NOMOR 2</mark>' berkas/case.html && pass || fail "the image's words marked in the dossier"
grep -q "media/$sha.png" berkas/case.html && pass || fail "the dossier names the file"
cp m.db tampered.db
for f in m.db.audit-key m.db.audit-key.pub m.db.audit-checkpoints; do [ -f "$f" ] && cp "$f" "tampered${f#m}"; done
sql tampered.db "UPDATE media SET bytes = CAST('palsu' AS BLOB) WHERE sha256 = '$sha'"
NETRA_DB=tampered.db netra --as budi case export "$case_id" --out berkas2
expect_rc 1
expect_err "berkas lampiran $sha tidak cocok dengan SHA-256"
[ ! -e berkas2/case.html ] && pass || fail "nothing written after a mismatch"

test_case "retention: a file no kept post carries goes, the queued flyer and every hash stay"
NETRA_NOW=2027-06-01 netra --as admin retention run --older-than 90d
expect_rc 0
rapat=$(sha256sum www/media/rapat.png | cut -d' ' -f1)
expect_eq "$(sql m.db "SELECT (bytes IS NULL) || (thumb IS NULL) || (ocr_text IS NULL) || (purged_at IS NOT NULL) FROM media WHERE sha256 = (SELECT m.sha256 FROM media m JOIN post_media pm ON pm.media_id = m.id JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '207')")" "1111" "the bomb's file, carried by a purged post, purged"
expect_eq "$(sql m.db "SELECT bytes IS NOT NULL FROM media WHERE sha256 = '$sha'")" "1" "the flyer of the queued posts kept"
expect_eq "$(sql m.db "SELECT bytes IS NOT NULL FROM media WHERE sha256 = '$rapat'")" "1" "the meeting photo of a queued post kept"
expect_eq "$(sql m.db "SELECT count(*) FROM media WHERE length(sha256) = 64")" "3" "every hash kept"
expect_eq "$(sql m.db "SELECT alt FROM post_media pm JOIN posts p ON p.id = pm.post_id WHERE p.remote_id = '204'")" "Spanduk: coblos nomor 2 Prabowo Gibran" "a queued post's alt text kept"
unset NETRA_DB

test_case "crawl --no-media records attachments without fetching them"
netra --db n.db init
netra --db n.db employees import "$F/employees-ok.csv"
netra --db n.db accounts import acc.csv
# shellcheck disable=SC2086
netra --db n.db crawl $CRAWL --no-media
expect_rc 0
expect_eq "$(sql n.db "SELECT count(*) || ' ' || sum(state = 'recorded') FROM post_media")" "9 9" "every attachment recorded"
expect_eq "$(sql n.db "SELECT count(*) FROM media")" "0" "no bytes kept"

# The same crawl into PostgreSQL (ctest starts the tests' server).
if [ -n "${NETRA_TEST_PG_FILE:-}" ]; then
    test_case "the same crawl into PostgreSQL: images kept once, read, their posts scored again"
    mp=$(fresh_db t0106_media)
    netra --db "$mp" init
    netra --db "$mp" employees import "$F/employees-ok.csv"
    netra --db "$mp" accounts import acc.csv
    netra --db "$mp" lexicon import --activate "$NT_SRC/data/lexicon/default-2024.json"
    # shellcheck disable=SC2086
    netra --db "$mp" crawl $CRAWL --json
    expect_rc 0
    expect_eq "$(jq -r '[.posts_added, .media.stored, .scan.ocr.read, .scan.ocr.with_text, .scan.ocr.failed] | join(" ")' out.txt)" \
        "8 $(sql m.db "SELECT count(*) FROM post_media WHERE state = 'stored'") 2 2 1" "posts, images kept, read, with text, refused"
    flyer=$(sha256sum www/media/flyer.png | cut -d' ' -f1)
    expect_eq "$(pg "$mp" "SELECT ocr_text FROM media WHERE sha256 = '$flyer'")" "$(sql m.db "SELECT ocr_text FROM media WHERE sha256 = '$flyer'")" "the flyer's lines"
    expect_eq "$(pg "$mp" "SELECT count(*) FROM media")" "$(sql m.db "SELECT count(*) FROM media")" "each image once"
    expect_eq "$(pg "$mp" "SELECT encode(substr(thumb, 1, 3), 'hex') FROM media WHERE sha256 = '$flyer'")" "ffd8ff" "a JPEG thumbnail"
    for id in 210 209; do
        expect_eq "$(pg "$mp" "SELECT i.level || ' ' || h.source || ':' || h.line FROM hits h JOIN review_items i ON i.score_id = h.score_id JOIN posts p ON p.id = i.post_id WHERE p.remote_id = '$id' AND h.entry_id = 'pair-02'")" "priority ocr:2" "post $id queued by line 2 of its image"
    done
    drop_db t0106_media
fi
finish
