# `netra match --image`: the text printed on a picture (a flyer, a banner)
# is read by Tesseract and scored like a caption, each hit marked as text
# in the image with its line; hostile files are refused with a reason.
# Images are drawn here by nt_test_mkimage (Leptonica's built-in font).
. "$(dirname "$0")/lib.sh"
export NETRA_DATA="$NT_SRC/data"

if ! ls /usr/share/tesseract-ocr/*/tessdata/ind.traineddata >/dev/null 2>&1 &&
    [ ! -f "${TESSDATA_PREFIX:-/nonexistent}/ind.traineddata" ]; then
    echo "SKIP: Tesseract's Indonesian data (tesseract-ocr-ind) is not installed; make test installs it"
    finish
    exit 0
fi

"$NT_MKIMAGE" text flyer.png "AYO COBLOS NOMOR 2|PRABOWO GIBRAN PASTI MENANG"
"$NT_MKIMAGE" text flyer.jpg "AYO COBLOS NOMOR 2|PRABOWO GIBRAN PASTI MENANG"
"$NT_MKIMAGE" text rapat.png "RAPAT KOORDINASI KANTOR|SENIN PUKUL 09.00 DI AULA"

test_case "a campaign flyer's printed words reach the queue, each hit from its line of the image"
netra match --image flyer.png --json
expect_rc 0
expect_eq "$(jq -r '.source' out.txt)" "teks dalam gambar" "the text's source"
expect_eq "$(jq -r '[.image.lines[].text] | join("|")' out.txt)" "AYO COBLOS NOMOR 2|PRABOWO GIBRAN PASTI MENANG" "the lines read"
expect_eq "$(jq -r '.level' out.txt)" "priority" "level"
expect_eq "$(jq -r '[.hits[] | select(.source != "teks dalam gambar")] | length' out.txt)" "0" "every hit marked as text in the image"
expect_eq "$(jq -r '.hits[] | select(.entry == "num-02") | .line' out.txt)" "1" "the number on line 1"
expect_eq "$(jq -r '.hits[] | select(.entry == "pair-02") | .line' out.txt)" "2" "the pair on line 2"
expect_eq "$(jq -r '.image.sha256' out.txt)" "$(sha256sum flyer.png | cut -d' ' -f1)" "the image's hash"
expect_eq "$(jq -r '[.image.width, .image.height, (.image.lines | length)] | map(. > 0) | all' out.txt)" "true" "its size and line boxes"

test_case "the same flyer as JPEG, and a summary for people"
netra match --image flyer.jpg
expect_rc 0
expect_out "Teks dalam gambar flyer.jpg (jpeg"
expect_out "2: PRABOWO GIBRAN PASTI MENANG"
expect_out "tingkat priority"

test_case "an office notice in an image stays at none"
netra match --image rapat.png --json
expect_rc 0
expect_eq "$(jq -r '.level' out.txt)" "none" "level"
expect_eq "$(jq -r '.image.lines[0].text' out.txt)" "RAPAT KOORDINASI KANTOR" "read all the same"

test_case "hostile files: a page named .png, a decompression bomb, a truncated PNG, too large"
printf '<!doctype html><html><body>bukan gambar</body></html>\n' >page.png
netra match --image page.png
expect_rc 1
expect_err "page.png"
expect_err "bukan gambar yang dikenal"
"$NT_MKIMAGE" bomb bomb.png
[ "$(wc -c <bomb.png)" -lt 200 ] && pass || fail "the bomb is not small"
netra match --image bomb.png
expect_rc 1
expect_err "100000x100000 piksel, melebihi batas"
"$NT_MKIMAGE" truncated cut.png "AYO COBLOS NOMOR 2"
netra match --image cut.png
expect_rc 1
expect_err "cut.png: gambar png terpotong"
expect_eq "$(wc -l <err.txt)" "1" "one line, no decoder's complaint beside it"
head -c 2000 flyer.jpg >cut.jpg
netra match --image cut.jpg
expect_rc 1
expect_err "cut.jpg: gambar jpeg terpotong"
head -c 21000000 /dev/zero >big.png
netra match --image big.png
expect_rc 1
expect_err "lebih besar dari batas"
netra match --image missing.png
expect_rc 1
expect_err "missing.png"
netra match --image flyer.png --text "dua sumber"
expect_rc 2
expect_err "tepat satu"

finish
