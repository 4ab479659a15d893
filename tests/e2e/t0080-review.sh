# From a flagged post to an exported dossier through the real binary:
# users and roles, agency isolation, claims, decisions with four-eyes,
# escalation to a supervisor, cases through the SOP, the dossier (and its
# refusal when a payload no longer matches its hash), the hash-chained audit
# trail (and what tampering does to it), pseudonymous review, retention, and
# statistics checked against numbers worked out by hand below.
. "$(dirname "$0")/lib.sh"
export NETRA_DB=r.db
F=$NT_FIXTURES

review_fixture
# Items 1..6 are posts r1..r6 (r7 is neutral): 1-3 Mamuju, 4 Sulawesi Barat, 5-6 Semarang.
expect_eq "$(sql r.db "SELECT group_concat(remote_id) FROM (SELECT p.remote_id FROM review_items i JOIN posts p ON p.id = i.post_id ORDER BY i.id) AS t")" \
    "r1,r2,r3,r4,r5,r6" "items of the flagged posts"

test_case "users: the first must be an admin; then only admins add users"
netra user add rina --role reviewer --agency "$MAMUJU"
expect_rc 1
expect_err "pengguna pertama harus admin"
add_admin
expect_rc 0
add_user rina --role reviewer --agency "$MAMUJU"
expect_rc 0
add_user sari --role reviewer --agency "$MAMUJU"
add_user tono --role reviewer --agency "$SEMARANG"
add_user budi --role supervisor --agency "$MAMUJU"
add_user ana --role analyst
netra --as rina user add eko --role reviewer --agency "$MAMUJU"
expect_rc 1
expect_err "hanya admin yang dapat menambah pengguna"
add_user tono --role reviewer --agency "$SEMARANG"
expect_rc 1
expect_err "sudah ada"
add_user dodi --role reviewer
expect_rc 1
expect_err "memerlukan --agency"
printf 'sandi-admin-123\nrahasia-sekali\n' | "$NETRA" --password-stdin --as admin user passwd rina --password-stdin >out.txt 2>err.txt
expect_eq "$?" "0" "password set"
expect_eq "$(sql r.db "SELECT password_hash LIKE '\$argon2id\$%' FROM users WHERE name = 'rina'")" "1" "argon2id hash"

test_case "who acts on the command line: a password or an OS user an admin linked"
printf 'rahasia-sekali\n' | "$NETRA" --password-stdin --as rina queue --json >out.txt 2>err.txt
expect_eq "$?" "0" "the new password works"
printf 'sandi-rina-123\n' | "$NETRA" --password-stdin --as rina queue >out.txt 2>err.txt
expect_eq "$?" "1" "the old one does not"
expect_err "kata sandi salah"
"$NETRA" --as rina queue </dev/null >out.txt 2>err.txt
expect_eq "$?" "1" "--as without a password is refused"
expect_err "memerlukan kata sandinya"
"$NETRA" --as budi review decide 1 --decision confirm </dev/null >out.txt 2>err.txt
expect_eq "$?" "1" "a decision needs the person"
expect_eq "$(sql r.db "SELECT count(*) FROM decisions")" "0" "nothing decided"
me=$(id -un)
netra --as admin user link sari --os-user "$me"
expect_rc 0
expect_out "ditautkan ke pengguna sistem $me"
"$NETRA" --as sari queue --json </dev/null >out.txt 2>err.txt
expect_eq "$?" "0" "the linked OS user acts as sari without a password"
NETRA_USER= "$NETRA" queue --json </dev/null >out.txt 2>err.txt
expect_eq "$?" "0" "without --as: the user linked to this OS user"
"$NETRA" --as rina queue </dev/null >out.txt 2>err.txt
expect_eq "$?" "1" "the link is sari's, not everyone's"
netra --as admin user link tono --os-user "$me"
expect_rc 1
expect_err "sudah ditautkan ke \"sari\""
printf 'rahasia-sekali\n' | "$NETRA" --password-stdin --as rina user link rina --os-user "$me" >out.txt 2>err.txt
expect_eq "$?" "1" "a reviewer cannot link"
expect_err "tidak berwenang"
netra --as admin user unlink sari
expect_rc 0
"$NETRA" --as sari queue </dev/null >out.txt 2>err.txt
expect_eq "$?" "1" "unlinked: a password again"
printf 'sandi-admin-123\nsandi-rina-123\n' | "$NETRA" --password-stdin --as admin user passwd rina --password-stdin >out.txt 2>err.txt
expect_eq "$?" "0" "rina's test password back"
netra --as nobody queue
expect_rc 1
expect_err "pengguna \"nobody\" tidak terdaftar"

test_case "agency isolation: a reviewer sees and decides only their agency's items"
netra --as rina queue --json
expect_rc 0
expect_eq "$(jq -r '.total' out.txt)" "3" "Mamuju items for rina"
expect_eq "$(jq -r '[.items[].agency] | unique | join(",")' out.txt)" "$MAMUJU" "only Mamuju"
netra --as tono queue --json
expect_eq "$(jq -r '[.items[].id] | sort | join(",")' out.txt)" "5,6" "Semarang items for tono"
netra --as rina review show 5
expect_rc 1
expect_err "butir antrean #5 tidak ada"
netra --as rina review decide 5 --decision dismiss --reason-code berita
expect_rc 1
expect_err "butir antrean #5 tidak ada"
netra --as ana queue
expect_rc 1
expect_err "peran analyst tidak berwenang"
netra --as admin queue --json
expect_eq "$(jq -r '.total' out.txt)" "6" "admin sees every agency"
expect_eq "$(jq -r '.total_more' out.txt)" "false" "an exact total below the count's bound"

test_case "the queue page by page on the CLI, and a search"
netra --as admin queue --json
all=$(jq -r '[.items[].id] | join(",")' out.txt)
netra --as admin queue --limit 4
expect_rc 0
expect_out "Halaman berikutnya: netra queue --after "
token=$(sed -n 's/^Halaman berikutnya: netra queue --after \([^ ]*\) .*/\1/p' out.txt)
netra --as admin queue --limit 4 --json
first=$(jq -r '[.items[].id] | join(",")' out.txt)
netra --as admin queue --limit 4 --after "$token" --json
expect_eq "$first,$(jq -r '[.items[].id] | join(",")' out.txt)" "$all" "two pages hold every item once, in order"
expect_eq "$(jq -r '.next' out.txt)" "null" "the last page has no next"
netra --as admin queue --after bukan-token
expect_rc 2
expect_err "bukan token halaman"
netra --as rina queue --search "$(sql r.db "SELECT e.name FROM review_items i JOIN employees e ON e.id = i.employee_id WHERE i.agency = '$MAMUJU' LIMIT 1")" --json
[ "$(jq -r '.total' out.txt)" -ge 1 ] && pass || fail "a search by name finds nothing"
who=$(sql r.db "SELECT e.id FROM review_items i JOIN employees e ON e.id = i.employee_id WHERE i.agency = '$MAMUJU' LIMIT 1")
sql r.db "UPDATE employees SET name = 'Wulandari Pratiwikusuma' WHERE id = $who" >/dev/null
netra --as rina queue --search "Pratiwikusuma" --json
expect_eq "$(jq -r "[.items[] | select(.employee == \"Wulandari Pratiwikusuma\")] | length > 0" out.txt)" "true" "a renamed employee is found by the new name"
netra --as rina queue --search "$(sql r.db "SELECT nip FROM employees WHERE id = $who" | cut -c3-12)" --json
expect_eq "$(jq -r "[.items[] | select(.employee == \"Wulandari Pratiwikusuma\")] | length > 0" out.txt)" "true" "and by part of the NIP"
# A search reads the items one of two ways (the trigram index for rare
# words, each item's text in scope for common ones): both find the same.
for words in coblos Pratiwikusuma "$(sql r.db "SELECT substr(nip, 5, 6) FROM employees WHERE id = $who")" 02 "nomor 3" GANJAR 100%; do
    for who_as in admin rina; do
        NETRA_SEARCH=indeks netra --as $who_as queue --search "$words" --json
        by_index=$(jq -c '[.total, [.items[].id]]' out.txt)
        NETRA_SEARCH=pindai netra --as $who_as queue --search "$words" --json
        expect_eq "$(jq -c '[.total, [.items[].id]]' out.txt)" "$by_index" "\"$words\" as $who_as: the index and the scan find the same items"
    done
done
expect_eq "$(echo "$by_index" | jq '.[0]')" "0" "a word nobody wrote finds nothing"
NETRA_SEARCH=banyak netra --as admin queue --search coblos
expect_rc 2
expect_err "NETRA_SEARCH"
netra --as rina queue
expect_no_out "pending"
expect_out "menunggu"

test_case "queue filters: a value that does not exist is a usage error naming the allowed ones"
netra --as admin queue --category XYZ
expect_rc 2
expect_err "kategori \"XYZ\" tidak dikenal; pilihan: APK, MEDSOS"
netra --as admin queue --platform twitter
expect_rc 2
expect_err "pilihan: mastodon, bluesky, feed, x"
netra --as admin queue --level tinggi
expect_rc 2
expect_err "tingkat \"tinggi\" tidak dikenal"
netra --as admin queue --status selesai
expect_rc 2
expect_err "status \"selesai\" tidak dikenal"
netra --as admin queue --agency "Instansi Fiktif"
expect_rc 2
expect_err "instansi \"Instansi Fiktif\" tidak ada"
netra --as admin queue --from 2024-02-30
expect_rc 2
expect_err "bukan TTTT-BB-HH"
netra --as admin queue --json --category MEDSOS --platform mastodon --level review
expect_rc 0

test_case "review show: hits marked in the original text, evidence, employee"
netra --as rina review show 3
expect_rc 0
expect_out "[[Ayo coblos]] [[02]]!"
expect_out "Sari Dewi"
expect_out "SHA-256 $(sql r.db "SELECT raw_sha256 FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'r3'")"
expect_out "Rujukan SKB 2022 (MEDSOS)"
expect_out "tingkat prioritas"
# Why: the stance model's reading against its thresholds, and what weighed most
grep -Eq '^Sikap penulis menurut model [^:]+: peluang berpihak [0-9]+\.[0-9]% \(ambang tinjau [0-9]+\.[0-9]%, prioritas [0-9]+\.[0-9]%\), (mendukung|menentang)$' out.txt && pass || fail "the stance reading in review show"
grep -Eq '^  .+ \([+-][0-9]+\.[0-9]{2} ke arah (berpihak|netral)\)$' out.txt && pass || fail "the stance evidence in review show"
grep -Eq 'diunggah [0-9]{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) [0-9]{4} [0-9]{2}\.[0-9]{2} WI(B|TA|T)' out.txt && pass || fail "the post's time in the employee's zone"
expect_no_out "pending"
netra --as rina review show 3 --json
expect_eq "$(jq -r '.hits[0].match' out.txt)" "Ayo coblos" "first hit's original substring"
expect_eq "$(jq -r '.post.text[.hits[0].start:.hits[0].end]' out.txt)" "Ayo coblos" "offsets point into the original text"

test_case "claims: one reviewer at a time"
netra --as rina review claim 1
expect_rc 0
netra --as sari review claim 1
expect_rc 1
expect_err "sedang diklaim rina"
netra --as sari review decide 1 --decision dismiss --reason-code netral
expect_rc 1
expect_err "sedang diklaim rina"
NETRA_NOW=2026-11-24 netra --as sari review claim 2
expect_rc 0

test_case "decisions are checked: reasons, categories"
netra --as rina review decide 2 --decision dismiss
expect_rc 1
expect_err "--reason-code"
netra --as rina review decide 2 --decision dismiss --reason-code lainnya
expect_rc 1
expect_err "alasan \"lainnya\" memerlukan --reason"
netra --as rina review decide 2 --decision confirm --category BUKAN
expect_rc 1
expect_err "bukan kode SKB 2022"
netra --as rina review decide 2 --decision setuju
expect_rc 1
expect_err "keputusan \"setuju\" tidak dikenal"

test_case "four-eyes: a confirm needs a second, different reviewer"
netra --as rina config set four_eyes yes
expect_rc 1
expect_err "peran reviewer tidak berwenang untuk mengubah pengaturan"
netra --as admin config set four_eyes yes
expect_rc 0
netra --as rina review decide 1 --decision confirm
expect_rc 0
expect_out "Menunggu konfirmasi peninjau kedua"
expect_eq "$(sql r.db "SELECT status FROM review_items WHERE id = 1")" "awaiting_second" "first confirm waits"
netra --as rina review decide 1 --decision confirm
expect_rc 1
expect_err "prinsip empat mata"
netra --as sari review decide 1 --decision confirm
expect_rc 0
expect_out "Temuan masuk kasus #1"
expect_eq "$(sql r.db "SELECT group_concat(decision) FROM decisions WHERE item_id = 1")" "confirm,agree" "decisions recorded"

test_case "dismiss with a reason; a decided item stays decided"
NETRA_NOW=2026-11-24 netra --as sari review decide 2 --decision dismiss --reason-code berita
expect_rc 0
netra --as rina review decide 2 --decision confirm
expect_rc 1
expect_err "sudah diputuskan"

test_case "escalation goes to a supervisor"
netra --as rina review decide 3 --decision escalate --reason "akun resmi atau pribadi?"
expect_rc 0
netra --as sari review decide 3 --decision confirm
expect_rc 1
expect_err "hanya supervisor atau admin"
netra --as budi queue --json
expect_eq "$(jq -r '[.items[] | select(.status == "escalated") | .id] | join(",")' out.txt)" "3" "escalated item in the supervisor's queue"
netra --as budi review decide 3 --decision confirm --category MEDSOS
expect_rc 0
expect_out "Temuan masuk kasus #2"

test_case "cases follow the SOP, step by step, with notes"
netra --as rina case list
expect_rc 1
expect_err "peran reviewer tidak berwenang"
netra --as budi case list --json
expect_eq "$(jq -r 'length' out.txt)" "2" "two cases (Budi and Sari)"
netra --as budi case advance 1 --to bap --note "loncat"
expect_rc 1
expect_err "langkah berikutnya verifikasi"
netra --as budi case advance 1 --to verifikasi
expect_rc 1
expect_err "memerlukan --note"
netra --as budi case advance 1 --to verifikasi --note "Laporan diterima Tim Internal"
expect_rc 0
netra --as budi case advance 1 --to pemeriksaan --note "Pemanggilan dijadwalkan"
netra --as budi case show 1 --json
expect_eq "$(jq -r '.state' out.txt)" "pemeriksaan" "state"
expect_eq "$(jq -r '[.transitions[].to] | join(",")' out.txt)" "laporan,verifikasi,pemeriksaan" "timeline"
expect_eq "$(jq -r '.sanction_reference[0].discipline' out.txt)" "hukuman disiplin berat" "SKB reference"
# The step's deadline: when pemeriksaan began plus its days (default 14).
began=$(jq -r '.step_started_at' out.txt)
expect_eq "$(jq -r '.due_at' out.txt)" "$(date -u -d "$began + 14 days" +%Y-%m-%dT%H:%M:%SZ)" "pemeriksaan is due 14 days after it began"
netra --as admin config set sop_days "verifikasi=5,pemeriksaan=10"
expect_rc 0
netra --as budi case show 1 --json
expect_eq "$(jq -r '.due_at' out.txt)" "$(date -u -d "$began + 10 days" +%Y-%m-%dT%H:%M:%SZ)" "sop_days is the agency's"
netra --as admin config set sop_days "sidang=3"
expect_rc 1
expect_err "langkah SOP"
# Who carries it: a Tim Internal member who sees the agency; audited.
netra --as budi case assign 1 --to sari
expect_rc 0
expect_out "ditugaskan kepada sari"
netra --as budi case show 1 --json
expect_eq "$(jq -r '.assignee' out.txt)" "sari" "the case's assignee"
expect_eq "$(sql r.db "SELECT actor || ' ' || json_extract(after, '$.assignee') FROM audit_log WHERE action = 'case.assign' ORDER BY id DESC LIMIT 1")" "budi sari" "audited"
netra --as budi case assign 1 --to tono
expect_rc 1
expect_err "tidak melihat instansi"
netra --as budi case assign 1 --to ana
expect_rc 1
expect_err "tidak dapat ditugasi"
netra --as rina case assign 1 --to sari
expect_rc 1
expect_err "tidak berwenang"
netra --as budi case list --json
expect_eq "$(jq -r '.[] | select(.id == 1) | .assignee' out.txt)" "sari" "the list shows it too"
netra --as budi case advance 2 --to ditutup --note "Tidak cukup bukti"
expect_rc 0
netra --as budi case advance 2 --to verifikasi --note "buka lagi"
expect_rc 1
expect_err "sudah selesai"

test_case "the dossier: case.json, printable case.html (escaped), raw payloads"
netra --as budi case export 2 --out berkas
expect_rc 0
[ -f berkas/case.json ] && [ -f berkas/case.html ] && pass || fail "dossier files missing"
v=$(jq -r '.findings[0].evidence.version_id' berkas/case.json)
expect_eq "$(sha256sum "berkas/raw/$v.bin" | cut -d' ' -f1)" "$(jq -r '.findings[0].evidence.raw_sha256' berkas/case.json)" "payload matches its hash"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' berkas/case.html && pass || fail "post text not escaped"
grep -q '<script>' berkas/case.html && fail "raw <script> in the dossier" || pass
grep -q 'Berkas Kasus Netralitas ASN' berkas/case.html && pass || fail "Indonesian title"
grep -Eq '<td>[0-9]{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) [0-9]{4} [0-9]{2}\.[0-9]{2} WI(B|TA|T)</td>' berkas/case.html && pass || fail "times in the employee's zone"
grep -Eq '<td>(confirm|dismiss|escalate|priority|review|mastodon|bluesky|feed)</td>' berkas/case.html && fail "a stored code shown as it is" || pass
grep -q '<td>konfirmasi</td>' berkas/case.html && pass || fail "decisions in words"
# Why Netra flagged it: the lexicon's rules and the stance model's reading,
# each feature escaped (they quote the post's words).
grep -q 'Aturan leksikon yang berlaku' berkas/case.html && pass || fail "the rules in the dossier"
grep -Eq 'Sikap penulis menurut model [^:]+: peluang berpihak [0-9]+\.[0-9]%' berkas/case.html && pass || fail "the stance reading in the dossier"
n=$(jq '.findings[0].score.explanation.stance.evidence | length' berkas/case.json)
[ "$n" -gt 0 ] && pass || fail "no stance evidence in the case"
f=$(jq -r '.findings[0].score.explanation.stance.evidence[0].feature' berkas/case.json |
  sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
grep -qF "<td>$f</td>" berkas/case.html && pass || fail "the weightiest feature ($f), escaped, in the dossier"
expect_eq "$(jq -r '[.findings[0].decisions[].user] | join(",")' berkas/case.json)" "rina,budi" "decisions in the dossier"
db_copy r.db tampered.db
db_edit tampered.db "UPDATE post_versions SET raw = $(blob_of "'diubah'") WHERE id = $v"
NETRA_DB=tampered.db netra --as budi case export 2 --out berkas2
expect_rc 1
expect_err "tidak cocok dengan SHA-256"
[ -e berkas2 ] && fail "a dossier was written from a tampered payload" || pass

test_case "the case file: notes and documents (type by content, size limit, hash checked), audited"
netra --as budi case note 1 --text "Pemeriksaan dijadwalkan Senin; saksi: Kepala Bidang"
expect_rc 0
netra --as budi case note 1 --text "   "
expect_rc 1
expect_err "1 sampai 4000"
netra --as rina case note 1 --text "bukan wewenang"
expect_rc 1
expect_err "tidak berwenang"
netra --as budi case note 99 --text "tidak ada"
expect_rc 1
expect_err "kasus #99 tidak ada"
# A scanned record: PDF by its first bytes (whatever the name says).
printf '%%PDF-1.4\n%% BAP pemeriksaan\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' > bap.pdf
printf 'bukan pdf sama sekali' > palsu.pdf
head -c $((5 * 1024 * 1024 + 1)) /dev/zero > besar.pdf
before=$(sql r.db "SELECT count(*) FROM case_documents")
netra --as budi case attach 1 palsu.pdf
expect_rc 1
expect_err "bukan PDF, PNG atau JPEG"
netra --as budi case attach 1 besar.pdf
expect_rc 1
expect_err "besar.pdf"
netra --as rina case attach 1 bap.pdf
expect_rc 1
expect_err "tidak berwenang"
expect_eq "$(sql r.db "SELECT count(*) FROM case_documents")" "$before" "nothing stored from refused documents"
netra --as budi case attach 1 bap.pdf --name "BAP pemeriksaan 12-12.pdf"
expect_rc 0
expect_out "dilampirkan pada kasus #1"
netra --as budi case attach 1 bap.pdf --name "../../etc/passwd"
expect_rc 1
expect_err "tidak boleh memuat"
netra --as budi case show 1 --json
expect_eq "$(jq -r '.notes[0].text' out.txt)" "Pemeriksaan dijadwalkan Senin; saksi: Kepala Bidang" "the note"
expect_eq "$(jq -r '.notes[0].user' out.txt)" "budi" "who wrote it"
expect_eq "$(jq -r '.documents[0] | .name + " " + .mime + " " + (.size | tostring)' out.txt)" "BAP pemeriksaan 12-12.pdf application/pdf $(wc -c < bap.pdf)" "the document"
expect_eq "$(jq -r '.documents[0].sha256' out.txt)" "$(sha256sum bap.pdf | cut -d' ' -f1)" "its SHA-256"
doc=$(jq -r '.documents[0].id' out.txt)
netra --as budi case show 1
expect_out "BAP pemeriksaan 12-12.pdf (application/pdf"
expect_out "Pemeriksaan dijadwalkan Senin"
# In words and local times, like the web: the platform's name, WITA for Mamuju.
expect_out "Penanggung jawab: sari"
expect_out "MEDSOS Mastodon 1 Des 2023 18.00 WITA"
expect_no_out "T00:00:00Z"
netra --as budi case list
expect_out "PENANGGUNG JAWAB"
expect_no_out "Z  "
expect_eq "$(sql r.db "SELECT group_concat(action) FROM (SELECT action FROM audit_log WHERE action IN ('case.note','case.attach') ORDER BY id) AS t")" "case.note,case.attach" "both audited"
# Another agency's supervisor does not see the case at all.
add_user yuni --role supervisor --agency "$SEMARANG"
netra --as yuni case attach 1 bap.pdf
expect_rc 1
expect_err "kasus #1 tidak ada"
netra --as yuni case document 1 "$doc" --out salinan-yuni.pdf
expect_rc 1
expect_err "kasus #1 tidak ada"
# A copy, byte for byte; never over an existing file; audited.
netra --as budi case document 1 "$doc" --out salinan.pdf
expect_rc 0
cmp -s bap.pdf salinan.pdf && pass || fail "the copy differs from the document"
netra --as budi case document 1 "$doc" --out salinan.pdf
expect_rc 1
expect_err "sudah ada"
expect_eq "$(sql r.db "SELECT json_extract(after, '$.document') FROM audit_log WHERE action = 'case.document' ORDER BY id DESC LIMIT 1")" "$doc" "taking a copy is audited"
# The dossier carries both; a changed document stops it.
netra --as budi case export 1 --out berkas1
expect_rc 0
cmp -s bap.pdf "berkas1/docs/$doc-BAP pemeriksaan 12-12.pdf" && pass || fail "the document in docs/"
grep -q "Catatan Tim Internal" berkas1/case.html && grep -q "Pemeriksaan dijadwalkan Senin" berkas1/case.html && pass || fail "notes in the dossier"
grep -q "$(sha256sum bap.pdf | cut -d' ' -f1)" berkas1/case.html && pass || fail "the document's hash in the dossier"
db_copy r.db doc-tampered.db
db_edit doc-tampered.db "UPDATE case_documents SET body = $(blob_of "'%PDF-diubah'") WHERE id = $doc"
NETRA_DB=doc-tampered.db netra --as budi case document 1 "$doc" --out salinan2.pdf
expect_rc 1
expect_err "tidak cocok dengan SHA-256"
[ -e salinan2.pdf ] && fail "a changed document was copied" || pass
NETRA_DB=doc-tampered.db netra --as budi case export 1 --out berkas3
expect_rc 1
expect_err "tidak cocok dengan SHA-256"

test_case "pseudonymous review hides identities until confirm or escalate"
netra --as admin config set pseudonymous yes
netra --as tono queue
expect_rc 0
expect_out "Pegawai-"
netra --as tono review show 5
expect_rc 0
expect_out "Pegawai-"
expect_no_out "Nur'aini"
netra --as tono queue
expect_no_out "Nur'aini"
netra --as tono review decide 5 --decision escalate --reason "perlu supervisor"
netra --as tono review show 5
expect_out "Nur'aini"

test_case "lexicon changes need an analyst or admin once users exist, and are audited"
netra --as rina lexicon import "$NT_SRC/data/lexicon/default-2024.json"
expect_rc 1
expect_err "peran reviewer tidak berwenang untuk mengubah leksikon"
netra --as ana lexicon import --comment "uji" "$NT_SRC/data/lexicon/default-2024.json"
expect_rc 0
netra --as ana lexicon activate 1
expect_rc 0
netra --as rina employees import "$F/employees-ok.csv"
expect_rc 1
expect_err "peran reviewer tidak berwenang untuk mengubah daftar pegawai dan akun"
netra --as admin employees import "$F/employees-ok.csv"
expect_rc 0

test_case "statistics, checked by hand"
# by agency (admin): Mamuju 3 flagged (r1 confirmed, r2 dismissed, r3
# confirmed), 2 employees, both proven; Sulbar 1 pending; Semarang r5
# escalated, r6 pending.
netra --as admin stats --by agency --format csv
expect_rc 0
expect_out "instansi,ditandai,dikonfirmasi,ditolak,dieskalasi,menunggu,pegawai,pegawai_terbukti,antrean_tertua_hari"
expect_out "$MAMUJU,3,2,1,0,0,2,2,"
expect_out "Pemerintah Provinsi Sulawesi Barat,1,0,0,0,1,1,0,0"
expect_out "$SEMARANG,2,0,0,1,1,2,0,0"
netra --as admin stats --by agency
expect_out "pegawai terbukti"
expect_no_out "pegawai_terbukti"
# periods: r2 before the Pemilu campaign (2023-10-01), r1 r3 r5 during,
# r4 after it (2024-03-01), r6 during the Pilkada campaign (2024-10-01).
netra --as admin stats --by period --format csv
expect_out "pemilu-2024 kampanye,3,2,0,1,0,3,2,"
expect_out "pemilu-2024 sebelum,1,0,1,0,0,1,0,"
expect_out "pemilu-2024 sesudah,1,0,0,0,1,1,0,"
expect_out "pilkada-2024 kampanye,1,0,0,0,1,1,0,"
# age at the post: Budi 38, Sari 33, Nur'aini 35 -> 31-40 (r1 r2 r3 r5);
# Andi 53 -> >=51 (r4); Rizki 30 -> <=30 (r6).
netra --as admin stats --by age --format csv
expect_eq "$(cut -d, -f1,2 out.txt | tr '\n' ' ')" "usia,ditandai <=30,1 31-40,4 >=51,1 " "age bands in order"
# weeks of the year (Monday first), a time series finer than months
netra --as admin stats --by week --format csv
expect_eq "$(head -1 out.txt | cut -d, -f1)" "minggu" "the week key's heading"
expect_eq "$(tail -n +2 out.txt | awk -F, '{ s += $2 } END { print s }')" "6" "every flagged item in some week"
grep -Eq '^20[0-9]{2}-M[0-5][0-9],' out.txt && pass || fail "weeks as YYYY-Mnn: $(cat out.txt)"
netra --as admin stats --by position,sex --format csv
expect_out "Fungsional,L,2,1,1,0,0,1,1,"
expect_out "Pelaksana,P,1,1,0,0,0,1,1,"
# a supervisor's table covers their agencies only
netra --as budi stats --by agency --format csv
expect_eq "$(wc -l <out.txt)" "2" "header and Mamuju only"
netra --as admin stats --by reviewer --format csv
expect_out "rina,2,1,0,1,"
expect_out "sari,2,1,1,0,"
netra --as admin stats --by entry --json
expect_eq "$(jq -r '.[] | select(.entri == "cta-coblos") | "\(.dikonfirmasi) \(.ditolak) \(.presisi)"' out.txt)" "2 1 0.667" "entry precision"
netra --as admin stats --by entry,agency
expect_rc 2
expect_err "kunci entry berdiri sendiri"


# The table by entry, counted the long way (every hit through its score,
# post, account and employee), as "entry:hits:confirmed:dismissed" lines.
entry_scan() { # entry_scan [AGENCY] [FROM TO]
    sql r.db "SELECT group_concat(x, ' ') FROM (SELECT h.entry_id || ':' || count(*) || ':' || count(DISTINCT CASE WHEN i.status = 'confirmed' THEN i.id END) || ':' || count(DISTINCT CASE WHEN i.status = 'dismissed' THEN i.id END) AS x FROM hits h JOIN scores sc ON sc.id = h.score_id JOIN post_versions v ON v.id = sc.version_id JOIN posts p ON p.id = v.post_id JOIN accounts a ON a.id = p.account_id JOIN employees e ON e.id = a.employee_id LEFT JOIN review_items i ON i.score_id = sc.id WHERE sc.lexicon_id = (SELECT id FROM lexicon_versions WHERE active = 1) AND h.weight > 0 AND ('${1:-}' = '' OR e.agency = '${1:-}') AND ('${2:-}' = '' OR COALESCE(p.posted_at, p.first_seen_at) >= '${2:-}') AND ('${3:-}' = '' OR COALESCE(p.posted_at, p.first_seen_at) < date('${3:-2000-01-01}', '+1 day')) GROUP BY h.entry_id ORDER BY count(*) DESC, h.entry_id) AS t"
}
entry_kept() { # entry_kept USER [--from F --to T]: the same from netra, nothing kept
    who=$1; shift
    [ "$NT_ENGINE" = sqlite ] && sql r.db "DELETE FROM stats_cache" >/dev/null
    netra --as "$who" stats --by entry "$@" --json
    jq -r '[.[] | "\(.entri):\(.hit):\(.dikonfirmasi):\(.ditolak)"] | join(" ")' out.txt
}
check_entries() { # check_entries WHAT (the long way is SQLite's dates)
    [ "$NT_ENGINE" = sqlite ] || return 0
    expect_eq "$(entry_kept admin)" "$(entry_scan)" "$1: hits per entry as every hit counts them"
    expect_eq "$(entry_kept budi)" "$(entry_scan "$MAMUJU")" "$1: and for a supervisor's agency"
    expect_eq "$(entry_kept admin --from 2023-11-01 --to 2023-12-31)" "$(entry_scan "" 2023-11-01 2023-12-31)" "$1: and in a date range"
}

# The table by reviewer, counted the long way (every decision that stands,
# through its item and employee), as "name:decisions:confirmed:dismissed:
# escalated:hours:days" lines; and the same from netra, nothing kept.
reviewer_scan() { # reviewer_scan [AGENCY]
    sql r.db "SELECT group_concat(x, ' ') FROM (SELECT u.name || ':' || count(*) || ':' || sum(d.decision IN ('confirm','agree')) || ':' || sum(d.decision IN ('dismiss','disagree')) || ':' || sum(d.decision = 'escalate') || ':' || printf('%g', round(avg(julianday(d.decided_at) - julianday(i.created_at)) * 24, 1)) || ':' || count(DISTINCT date(d.decided_at)) AS x FROM decisions d JOIN users u ON u.id = d.user_id JOIN review_items i ON i.id = d.item_id JOIN employees e ON e.id = i.employee_id WHERE ('${1:-}' = '' OR e.agency = '${1:-}') AND d.decision <> 'undo' AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.undoes = d.id) GROUP BY u.name ORDER BY count(*) DESC, u.name)"
}
reviewer_kept() { # reviewer_kept USER
    [ "$NT_ENGINE" = sqlite ] && sql r.db "DELETE FROM stats_cache" >/dev/null
    netra --as "$1" stats --by reviewer --json
    jq -r '[.[] | "\(.peninjau):\(.keputusan):\(.konfirmasi):\(.tolak):\(.eskalasi):\(.rata2_jam_sampai_putusan):\(.hari_aktif)"] | join(" ")' out.txt
}
check_reviewers() { # check_reviewers WHAT (the long way is SQLite's dates)
    [ "$NT_ENGINE" = sqlite ] || return 0
    expect_eq "$(reviewer_kept admin)" "$(reviewer_scan)" "$1: decisions per reviewer as every decision counts them"
    expect_eq "$(reviewer_kept budi)" "$(reviewer_scan "$MAMUJU")" "$1: and for a supervisor's agency"
}

test_case "statistics are kept between changes, and a kept answer is always the full scan's"
combos="agency unit position category period age sex platform region month week entry reviewer
agency,category unit,position category,period age,sex platform,region month,category week,agency
position,age sex,category region,period"
ask() { # ask USER ARGS...: the table as JSON, in $answer
    who=$1; shift
    netra --as "$who" stats "$@" --json
    expect_rc 0
    answer=$(cat out.txt)
}
for by in $combos; do
    for range in "" "--from 2023-11-01 --to 2024-06-30"; do
        # shellcheck disable=SC2086
        ask admin --by "$by" $range
        kept_gen=1 # PostgreSQL keeps no answers
        [ "$NT_ENGINE" = sqlite ] && kept_gen=$(sql r.db "SELECT count(*) FROM stats_cache WHERE generation = (SELECT n FROM stats_generation)")
        # shellcheck disable=SC2086
        ask admin --by "$by" $range
        kept=$answer
        [ "$NT_ENGINE" = sqlite ] && sql r.db "DELETE FROM stats_cache" >/dev/null
        # shellcheck disable=SC2086
        ask admin --by "$by" $range
        expect_eq "$kept" "$answer" "--by $by $range: the kept answer is the full scan's"
    done
done
[ "$kept_gen" -ge 1 ] && pass || fail "no answer kept at the current generation"
ask budi --by agency
expect_eq "$(echo "$answer" | jq length)" "1" "a supervisor's kept table is still their agencies only"
ask admin --by agency
expect_eq "$(echo "$answer" | jq length)" "3" "and the admin's all of them"
# A change: every kept answer stops counting; the next is the new truth.
before=$(echo "$answer" | jq -c '[.[] | .menunggu]')
gen=$(sql r.db "SELECT n FROM stats_generation")
sql r.db "UPDATE review_items SET status = 'confirmed' WHERE id = (SELECT min(id) FROM review_items WHERE status = 'pending')" >/dev/null
[ "$NT_ENGINE" = sqlite ] && expect_eq "$(sql r.db "SELECT n > $gen FROM stats_generation")" "1" "a change to an item moves the counter"
gen=$(sql r.db "SELECT n FROM stats_generation")
sql r.db "UPDATE review_items SET claimed_by = NULL, claim_expires_at = NULL" >/dev/null
expect_eq "$(sql r.db "SELECT n = $gen FROM stats_generation")" "1" "a claim does not"
ask admin --by agency
expect_eq "$([ "$(echo "$answer" | jq -c '[.[] | .menunggu]')" != "$before" ] && echo changed)" "changed" "the next answer counts the change"
kept=$answer
[ "$NT_ENGINE" = sqlite ] && sql r.db "DELETE FROM stats_cache" >/dev/null
ask admin --by agency
expect_eq "$kept" "$answer" "and is the full scan's"
sql r.db "UPDATE review_items SET status = 'pending' WHERE id = (SELECT min(id) FROM review_items WHERE status = 'confirmed' AND id NOT IN (SELECT item_id FROM decisions))" >/dev/null
gen=$(sql r.db "SELECT n FROM stats_generation")
sql r.db "UPDATE employees SET sex = 'P' WHERE sex = 'L'" >/dev/null
[ "$NT_ENGINE" = sqlite ] && expect_eq "$(sql r.db "SELECT n > $gen FROM stats_generation")" "1" "a change to an employee moves it too"
ask admin --by sex
expect_eq "$(echo "$answer" | jq -r '[.[] | .jenis_kelamin] | join(",")')" "P" "a kept table by sex follows the registry"
expect_eq "$(sql r.db "SELECT count(*) FROM review_items i JOIN employees e ON e.id = i.employee_id WHERE (i.work_unit, i.position_type, i.sex, i.region) IS DISTINCT FROM (e.work_unit, e.position_type, e.sex, substr(e.region_code, 1, 2))")" "0" "every item's employee keys follow the registry"
# The age band kept on each item is the one its dates give, also after a
# birth date is corrected.
band="CASE WHEN i.posted_at IS NULL OR e.birth_date IS NULL THEN NULL ELSE (SELECT CASE WHEN a <= 30 THEN '<=30' WHEN a <= 40 THEN '31-40' WHEN a <= 50 THEN '41-50' ELSE '>=51' END FROM (SELECT CAST(strftime('%Y', i.posted_at) AS INTEGER) - CAST(strftime('%Y', e.birth_date) AS INTEGER) - (strftime('%m-%d', i.posted_at) < strftime('%m-%d', e.birth_date)) AS a)) END"
[ "$NT_ENGINE" = sqlite ] && expect_eq "$(sql r.db "SELECT count(*) FROM review_items i JOIN employees e ON e.id = i.employee_id WHERE i.age_band IS NOT ($band)")" "0" "every kept age band is the dates' own"
sql r.db "UPDATE employees SET birth_date = '1960-05-01' WHERE id = (SELECT employee_id FROM review_items ORDER BY id LIMIT 1)" >/dev/null
[ "$NT_ENGINE" = sqlite ] && expect_eq "$(sql r.db "SELECT count(*) FROM review_items i JOIN employees e ON e.id = i.employee_id WHERE i.age_band IS NOT ($band)")" "0" "and after a birth date is corrected"
ask admin --by age
expect_eq "$(echo "$answer" | jq -r '.[] | select(.usia == ">=51") | .ditandai')" "$(sql r.db "SELECT count(*) FROM review_items WHERE age_band = '>=51'")" "the table by age follows"
# The table by entry, kept, follows a decision at once.
netra --as admin stats --by entry --json
before=$(cat out.txt)
sql r.db "UPDATE review_items SET status = 'dismissed' WHERE id = (SELECT min(id) FROM review_items WHERE status = 'pending' AND score_id IN (SELECT score_id FROM hits WHERE entry_id = 'cta-coblos'))" >/dev/null
netra --as admin stats --by entry --json
after=$(cat out.txt)
[ "$after" != "$before" ] && pass || fail "a dismissal is counted in the entry table at once"
[ "$NT_ENGINE" = sqlite ] && sql r.db "DELETE FROM stats_cache" >/dev/null
netra --as admin stats --by entry --json
expect_eq "$(cat out.txt)" "$after" "and it is the full count's"
# Hits per entry are counted as they are written; every change that moves
# a hit to another agency or day moves its count.
check_entries "as scanned"
check_reviewers "as decided"
[ "$NT_ENGINE" = postgresql ] || { [ -n "$(reviewer_scan)" ] && pass || fail "no decisions to count"; }
[ "$NT_ENGINE" = postgresql ] || { [ -n "$(entry_scan)" ] && pass || fail "no hits to count"; }
moved=$(sql r.db "SELECT a.employee_id FROM accounts a JOIN posts p ON p.account_id = a.id JOIN employees e ON e.id = a.employee_id WHERE e.agency = '$MAMUJU' LIMIT 1")
sql r.db "UPDATE employees SET agency = '$SEMARANG' WHERE id = $moved" >/dev/null
check_entries "an employee moved to another agency"
check_reviewers "an employee moved to another agency"
sql r.db "UPDATE employees SET agency = '$MAMUJU' WHERE id = $moved" >/dev/null
check_entries "and back"
check_reviewers "and back"
item=$(sql r.db "SELECT item_id FROM decisions d JOIN review_items i ON i.id = d.item_id WHERE i.agency = '$MAMUJU' LIMIT 1")
other=$(sql r.db "SELECT id FROM employees WHERE agency != '$MAMUJU' LIMIT 1")
was=$(sql r.db "SELECT employee_id FROM review_items WHERE id = $item")
sql r.db "UPDATE review_items SET employee_id = $other WHERE id = $item" >/dev/null
check_reviewers "a decided item given to an employee of another agency"
sql r.db "UPDATE review_items SET employee_id = $was WHERE id = $item" >/dev/null
check_reviewers "and back"
acc=$(sql r.db "SELECT p.account_id FROM posts p JOIN accounts a ON a.id = p.account_id JOIN employees e ON e.id = a.employee_id WHERE e.agency != '$MAMUJU' LIMIT 1")
owner=$(sql r.db "SELECT employee_id FROM accounts WHERE id = $acc")
sql r.db "UPDATE accounts SET employee_id = (SELECT id FROM employees WHERE agency = '$MAMUJU' LIMIT 1) WHERE id = $acc" >/dev/null
check_entries "an account given to another employee"
sql r.db "UPDATE accounts SET employee_id = $owner WHERE id = $acc" >/dev/null
post=$(sql r.db "SELECT v.post_id FROM hits h JOIN scores sc ON sc.id = h.score_id JOIN post_versions v ON v.id = sc.version_id WHERE h.weight > 0 LIMIT 1")
was=$(sql r.db "SELECT posted_at FROM posts WHERE id = $post")
sql r.db "UPDATE posts SET posted_at = '2023-10-15T08:00:00Z' WHERE id = $post" >/dev/null
check_entries "a post's date corrected"
sql r.db "UPDATE posts SET posted_at = '$was' WHERE id = $post" >/dev/null
check_entries "and put back"
NETRA_NOW=2030-01-01 netra --as admin stats --by agency --json
expect_eq "$(jq -r '[.[] | .antrean_tertua_hari | . > 1000] | any' out.txt)" "true" "the oldest waiting item's age is counted at now, kept or not"

test_case "retention removes old unflagged content only, and says so"
before=$(sql r.db "SELECT count(*) FROM posts")
NETRA_NOW=2027-06-01 netra --as rina retention run --older-than 90d
expect_rc 1
expect_err "peran reviewer tidak berwenang"
NETRA_NOW=2027-06-01 netra --as admin retention run --older-than 90d --dry-run
expect_out "Akan dihapus: isi 1 versi dari 1 unggahan"
NETRA_NOW=2027-06-01 netra --as admin retention run --older-than 90d
expect_rc 0
expect_out "Dihapus: isi 1 versi dari 1 unggahan"
expect_eq "$(sql r.db "SELECT text IS NULL AND raw IS NULL AND length(raw_sha256) = 64 FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.remote_id = 'r7'")" "1" "r7 content gone, hash kept"
expect_eq "$(sql r.db "SELECT count(*) FROM post_versions WHERE text IS NOT NULL")" "6" "flagged posts untouched"
expect_eq "$(sql r.db "SELECT count(*) FROM posts")" "$before" "no post removed"
netra --as budi case export 1 --out berkas3
expect_rc 0

test_case "every action is in the audit trail; the chain holds"
netra --as budi audit verify
expect_rc 0
expect_out "Jejak audit utuh"
netra --as budi audit list --json --limit 500
for a in user.add user.password config.set item.claim item.decide case.open case.advance case.export lexicon.import lexicon.activate employees.import retention.purge; do
    expect_eq "$(jq -r --arg a "$a" '[.[] | select(.action == $a)] | length > 0' out.txt)" "true" "audited: $a"
done
netra --as budi audit list --object item:1 --json
expect_eq "$(jq -r '[.[].action] | join(",")' out.txt)" "item.decide,item.decide,item.claim" "one item's history"
netra --as rina audit verify
expect_rc 1
expect_err "tidak berwenang"

test_case "tampering with the audit trail is found, at the row it happened"
# tamper NAME SQL: a copy of r.db changed by SQL behind Netra's back, then verified.
tamper() {
    db_copy r.db "$1.db"
    db_edit "$1.db" "$2"
    NETRA_DB="$1.db" netra --as budi audit verify
}
expect_eq "$(stat -c %a r.db.audit-key)" "600" "the audit key is the service's alone"
expect_eq "$(wc -c <r.db.audit-key)" "65" "a 256-bit key in hex"
export NETRA_AUDIT_KEY=r.db.audit-key # the copies below are checked with r.db's key
tamper t1 "UPDATE audit_log SET actor = 'orang-lain' WHERE id = 7"
expect_rc 1
expect_out "baris #7 telah diubah"
tamper t2 "DELETE FROM audit_log WHERE id = 9"
expect_rc 1
expect_out "baris #9 sampai #9 hilang"
db_copy r.db t3.db
last=$(sql r.db "SELECT max(id) FROM audit_log")
db_edit t3.db "DELETE FROM audit_log WHERE id = $last"
NETRA_DB=t3.db netra --as budi audit verify
expect_rc 1
expect_out "baris #$last sampai #$last hilang dari ujung rantai"

test_case "the chain is keyed: one who can write the database but lacks the key cannot hide an edit"
# The old attack: drop the newest rows and point the head at the new last row.
db_copy r.db t4.db
db_edit t4.db "DELETE FROM audit_log WHERE id >= $((last - 1))"
db_edit t4.db "UPDATE settings SET value = (SELECT id || ':' || hash FROM audit_log ORDER BY id DESC LIMIT 1) WHERE key = 'audit_head'"
NETRA_DB=t4.db netra --as budi audit verify
expect_rc 1
expect_out "ujung rantai tidak cocok"
# Rewrite a row and recompute its plain SHA-256 as an unkeyed chain would.
db_copy r.db t5.db
arr=json_array
[ "$NT_ENGINE" = postgresql ] && arr=json_build_array
row=$(sql t5.db "SELECT $arr(id, at, 'orang-lain', action, object_type, object_id, before, after, prev_hash) FROM audit_log WHERE id = 2")
db_edit t5.db "UPDATE audit_log SET actor = 'orang-lain', hash = '$(printf '%s' "$row" | sha256sum | cut -d' ' -f1)' WHERE id = 2"
NETRA_DB=t5.db netra --as budi audit verify
expect_rc 1
expect_out "baris #2 telah diubah"
# Without the key, or with another one, the trail is not vouched for.
NETRA_AUDIT_KEY=tidak-ada.key netra --as budi audit verify
expect_rc 1
expect_err "tidak-ada.key tidak ditemukan"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >lain.key
NETRA_AUDIT_KEY=lain.key netra --as budi audit verify
expect_rc 1
expect_out "kunci audit berbeda"
NETRA_AUDIT_KEY=lain.key netra --as admin config set four_eyes yes
expect_rc 1
expect_err "kunci audit berbeda"
expect_eq "$(sql r.db "SELECT count(*) FROM audit_log")" "$last" "nothing recorded under the wrong key"
# An import whose audit row cannot be written is not stored either: one transaction.
nlex=$(sql r.db "SELECT count(*) FROM lexicon_versions")
NETRA_AUDIT_KEY=lain.key netra --as ana lexicon import --comment "tanpa jejak" "$NT_SRC/data/lexicon/default-2024.json"
expect_rc 1
expect_err "kunci audit berbeda"
expect_eq "$(sql r.db "SELECT count(*) FROM lexicon_versions")" "$nlex" "no unaudited lexicon version"
printf 'bukan kunci\n' >rusak.key
NETRA_AUDIT_KEY=rusak.key netra --as budi audit verify
expect_rc 1
expect_err "rusak.key rusak"
# Removing the marker that says the rows are keyed does not help either.
tamper t6 "DELETE FROM settings WHERE key = 'audit_keyed_from'"
expect_rc 1
expect_out "penanda kunci audit hilang"
NETRA_DB=t6.db netra --as admin config set four_eyes yes
expect_rc 1
expect_err "tanpa penanda kunci"
netra --as budi audit verify
expect_rc 0
expect_out "berkunci $(sql r.db "SELECT substr(value, instr(value, ':') + 1, 16) FROM settings WHERE key = 'audit_keyed_from'")"

test_case "a dossier carries the trail's head, signed; an inspector checks it with the public key alone"
netra --as budi case export 1 --out berkas-cp
expect_rc 0
head_now=$(sql r.db "SELECT max(id) - 1 FROM audit_log") # the export's own row came after
expect_eq "$(jq -r '.audit_checkpoint.row' berkas-cp/case.json)" "$head_now" "the head when the dossier was made"
expect_eq "$(jq -r '.audit_checkpoint.hash' berkas-cp/case.json)" "$(sql r.db "SELECT hash FROM audit_log WHERE id = $head_now")" "its hash"
expect_eq "$(jq -r '.audit_checkpoint.public_key' berkas-cp/case.json)" "$(cat r.db.audit-key.pub)" "the published public key"
grep -q "Titik periksa jejak audit" berkas-cp/case.html && pass || fail "the HTML dossier shows the checkpoint"
hex2bin() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')"; }
hex2bin "302a300506032b6570032100$(cat r.db.audit-key.pub)" >pub.der
openssl pkey -pubin -inform DER -in pub.der -out pub.pem 2>/dev/null
hex2bin "$(jq -r '.audit_checkpoint.signature' berkas-cp/case.json)" >sig.bin
jq -j '.audit_checkpoint.message' berkas-cp/case.json >msg.txt
openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in msg.txt -sigfile sig.bin >ossl.txt 2>&1
expect_eq "$?" "0" "openssl verifies the Ed25519 signature"
sed -i 's/checkpoint:[0-9]*/checkpoint:1/' msg.txt
openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in msg.txt -sigfile sig.bin >ossl.txt 2>&1
expect_eq "$?" "1" "and refuses an altered message"

test_case "signed checkpoints outside the database catch a rollback to an older copy"
last=$(sql r.db "SELECT max(id) FROM audit_log")
ncp=$(wc -l <r.db.audit-checkpoints)
expect_eq "$(tail -n 1 r.db.audit-checkpoints | cut -d' ' -f1)" "$last" "the last checkpoint is the head"
[ "$ncp" -ge $((last - 3)) ] && pass || fail "one checkpoint per committed transaction ($ncp for $last rows)"
expect_eq "$(stat -c %a r.db.audit-checkpoints)" "600" "the log is the service's alone"
expect_eq "$(wc -c <r.db.audit-key.pub)" "65" "the public key beside the key"
netra --as budi audit verify
expect_out "$ncp titik periksa bertanda tangan cocok"
db_copy r.db rb.db
cp r.db.audit-checkpoints rb.db.audit-checkpoints
db_copy r.db rb-old.db
NETRA_DB=rb.db netra --as admin config set four_eyes no
expect_rc 0
NETRA_DB=rb.db netra --as admin config set four_eyes yes
expect_rc 0
NETRA_DB=rb.db netra --as budi audit verify
expect_rc 0
# Whoever holds the database file puts back the copy from before the two
# changes: chain, keyed head and decisions are all self-consistent.
db_copy rb-old.db rb.db
NETRA_DB=rb.db netra --as budi audit verify
expect_rc 1
expect_out "baris #$((last + 1)) sampai #$((last + 2)) hilang menurut titik periksa bertanda tangan"
# A forged or altered checkpoint line is refused, naming its line.
cp r.db.audit-checkpoints rb.db.audit-checkpoints
sed -i '3s/ [0-9a-f]\{128\}$/ '"$(printf '%0128d' 0)"'/' rb.db.audit-checkpoints
NETRA_DB=rb.db netra --as budi audit verify
expect_rc 1
expect_out "tanda tangan titik periksa tidak sah: rb.db.audit-checkpoints baris 3"

test_case "decisions are held to the trail: an edited, forged or deleted decision is named"
db_copy r.db t7.db
dec=$(sql t7.db "SELECT max(id) FROM decisions")
db_edit t7.db "UPDATE decisions SET decision = 'dismiss', reason_code = 'berita' WHERE id = $dec"
NETRA_DB=t7.db netra --as budi audit verify
expect_rc 1
expect_out "keputusan #$dec tidak cocok dengan jejak audit"
tamper t8 "INSERT INTO decisions(item_id, user_id, decision, decided_at) SELECT item_id, user_id, 'dismiss', decided_at FROM decisions WHERE id = $dec"
expect_rc 1
expect_out "keputusan #$((dec + 1)) tidak cocok"
tamper t9 "PRAGMA foreign_keys = OFF; DELETE FROM decisions WHERE id = $dec"
expect_rc 1
expect_out "keputusan #$dec tercatat di jejak audit tetapi barisnya telah dihapus"

test_case "case transitions and case states are held to the trail too"
tr=$(sql r.db "SELECT max(id) FROM case_transitions")
[ -n "$tr" ] && pass || fail "the fixture has case transitions"
tamper t10 "UPDATE case_transitions SET note = 'diubah diam-diam' WHERE id = $tr"
expect_rc 1
expect_out "perpindahan status kasus #$tr tidak cocok dengan jejak audit"
tamper t11 "PRAGMA foreign_keys = OFF; DELETE FROM case_transitions WHERE id = $tr"
expect_rc 1
expect_out "perpindahan status kasus #$tr tercatat di jejak audit tetapi barisnya telah dihapus"
db_copy r.db t12.db
cid=$(sql r.db "SELECT case_id FROM case_transitions WHERE id = $tr")
db_edit t12.db "UPDATE cases SET state = CASE WHEN state = 'laporan' THEN 'verifikasi' ELSE 'laporan' END WHERE id = $cid"
NETRA_DB=t12.db netra --as budi audit verify
expect_rc 1
expect_out "kasus #$cid berstatus lain"

test_case "lexicon versions are held to the trail: a swapped body or active flag is named"
lv=$(sql r.db "SELECT object_id FROM audit_log WHERE action IN ('lexicon.activate', 'lexicon.import') AND json_extract(after, '$.sha256') IS NOT NULL ORDER BY id DESC LIMIT 1")
[ -n "$lv" ] && pass || fail "an audited lexicon version with its hash"
tamper t13 "UPDATE lexicon_versions SET body = $(blob_of "replace($(raw_text body), '\"weight\"', '\"weight\" ')"), sha256 = 'x' WHERE id = $lv"
expect_rc 1
expect_out "versi leksikon #$lv berbeda dari isi yang tercatat di jejak audit"
other=$(sql r.db "SELECT id FROM lexicon_versions WHERE active = 0 ORDER BY id LIMIT 1")
if [ -n "$other" ]; then
    db_copy r.db t14.db
    db_edit t14.db "UPDATE lexicon_versions SET active = 0 WHERE active = 1; UPDATE lexicon_versions SET active = 1 WHERE id = $other"
    NETRA_DB=t14.db netra --as budi audit verify
    expect_rc 1
    expect_out "bukan versi terakhir yang diaktifkan"
else
    fail "the fixture should keep an inactive lexicon version"
fi

test_case "a trail from before the key is kept as recorded and held by the first keyed row"
db_copy r.db old.db
# Build what an older release left: one row under plain SHA-256, no key.
db_edit old.db "PRAGMA foreign_keys = OFF; DELETE FROM audit_log; DELETE FROM settings WHERE key IN ('audit_keyed_from', 'audit_head'); DELETE FROM decisions; DELETE FROM case_items; DELETE FROM case_transitions; DELETE FROM cases; UPDATE review_items SET status = 'pending', claimed_by = NULL;"
g=0000000000000000000000000000000000000000000000000000000000000000
row1='[1,"2026-11-01T00:00:00Z","admin","user.add","user","budi",null,null,"'$g'"]'
h1=$(printf '%s' "$row1" | sha256sum | cut -d' ' -f1)
db_edit old.db "INSERT INTO audit_log(id, at, actor, action, object_type, object_id, before, after, prev_hash, hash) VALUES (1, '2026-11-01T00:00:00Z', 'admin', 'user.add', 'user', 'budi', NULL, NULL, '$g', '$h1'); INSERT INTO settings(key, value, updated_at) VALUES ('audit_head', '1:$h1', '2026-11-01T00:00:00Z')"
NETRA_AUDIT_KEY= NETRA_DB=old.db netra --as budi audit verify
expect_rc 0
expect_out "tanpa kunci"
NETRA_AUDIT_KEY= NETRA_DB=old.db netra --as admin config set four_eyes yes
expect_rc 0
expect_eq "$(stat -c %a old.db.audit-key)" "600" "the key is made on the first append"
expect_eq "$(sql old.db "SELECT action || ' ' || json_extract(after, '$.unkeyed_rows') || ' ' || json_extract(after, '$.unkeyed_intact') FROM audit_log WHERE id = 2")" "audit.key 1 1" "the adoption row says what came before"
NETRA_AUDIT_KEY= NETRA_DB=old.db netra --as budi audit verify
expect_rc 0
expect_out "sejak baris #2"
# The old row can be recomputed without the key, but the keyed row after it holds it.
db_edit old.db "UPDATE audit_log SET actor = 'orang-lain', hash = '$(printf '%s' "${row1/admin/orang-lain}" | sha256sum | cut -d' ' -f1)' WHERE id = 1"
NETRA_AUDIT_KEY= NETRA_DB=old.db netra --as budi audit verify
expect_rc 1
expect_out "baris #2 tidak menyambung"
unset NETRA_AUDIT_KEY

test_case "accounts status is the library's scoped coverage, as on the web"
all=$(sql r.db "SELECT count(*) FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE a.active = 1 AND e.active = 1")
mine=$(sql r.db "SELECT count(*) FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE a.active = 1 AND e.active = 1 AND e.agency = '$MAMUJU'")
netra --as admin accounts status --json
expect_rc 0
expect_eq "$(jq length out.txt)" "$all" "an admin sees every account"
netra --as budi accounts status --json
expect_rc 0
expect_eq "$(jq length out.txt)" "$mine" "a supervisor sees their agency's accounts"
expect_eq "$(jq -r '[.[].agency] | unique | join(",")' out.txt)" "$MAMUJU" "and no other agency's"
[ "$mine" -lt "$all" ] && pass || fail "the fixture should span agencies"
netra --as budi accounts status --agency "$SEMARANG"
expect_rc 0
expect_out "0 akun aktif"
netra --as budi accounts status --agency "Tidak Ada"
expect_rc 2
expect_err "Tidak Ada"
netra --as tono accounts status
expect_rc 1
expect_err "tidak berwenang"

# Upgrades of a SQLite file (nt_test_mkdb, SQLite's own catalogue).
if [ "$NT_ENGINE" = sqlite ]; then
    test_case "upgrading past schema 12 (undo) rebuilds decisions with every row kept, the trail intact"
    for f in r.db r.db.audit-key r.db.audit-key.pub r.db.audit-checkpoints; do cp "$f" "v11${f#r}"; done
    db_edit v11.db "PRAGMA foreign_keys = OFF;
    DROP TABLE web_sessions; DROP TABLE login_failures;
    DROP TABLE crawl_leases;
    DROP INDEX review_items_open_agency;
    DROP TRIGGER facts_items_ai; DROP TRIGGER facts_items_au; DROP TRIGGER facts_items_ad; DROP TABLE stats_changes;
    DROP INDEX post_media_url; DROP TABLE follows; ALTER TABLE crawl_state DROP COLUMN follows_state; ALTER TABLE crawl_state DROP COLUMN follows_at; ALTER TABLE crawl_state DROP COLUMN follows_count;
    PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, ',''follow'')', ')') WHERE type = 'table' AND name = 'posts'; PRAGMA writable_schema = RESET;
    DROP TABLE post_media; DROP TABLE media; ALTER TABLE hits DROP COLUMN source; ALTER TABLE hits DROP COLUMN attachment_id; ALTER TABLE hits DROP COLUMN line;
    DROP TRIGGER reviewer_days_ai; DROP TRIGGER reviewer_days_undo; DROP TRIGGER reviewer_days_employee; DROP TRIGGER reviewer_days_item;
    DROP VIEW standing_decisions; DROP VIEW reviewer_days_add; DROP TABLE reviewer_days;
    CREATE TABLE d11 (id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES review_items(id),
      user_id INTEGER NOT NULL REFERENCES users(id), decision TEXT NOT NULL CHECK (decision IN
      ('confirm','dismiss','escalate','agree','disagree')), category TEXT, reason_code TEXT, reason TEXT,
      decided_at TEXT NOT NULL) STRICT;
    INSERT INTO d11 SELECT id, item_id, user_id, decision, category, reason_code, reason, decided_at FROM decisions;
    DROP TABLE decisions; ALTER TABLE d11 RENAME TO decisions;
    CREATE INDEX decisions_item ON decisions(item_id); CREATE INDEX decisions_user ON decisions(user_id, decided_at);
    DROP VIEW scan_pending; DROP TABLE scan_progress; DROP TRIGGER items_keys_ai;
    DROP TRIGGER IF EXISTS stats_items_ai; DROP TRIGGER IF EXISTS stats_items_au; DROP TRIGGER IF EXISTS stats_items_ad; DROP TRIGGER IF EXISTS stats_decisions_ai; DROP TRIGGER IF EXISTS stats_decisions_ad; DROP TRIGGER IF EXISTS stats_employees_ai; DROP TRIGGER IF EXISTS stats_employees_au; DROP TRIGGER IF EXISTS stats_employees_ad; DROP TRIGGER IF EXISTS stats_scores_ai; DROP TRIGGER IF EXISTS stats_scores_ad; DROP TRIGGER IF EXISTS stats_posts_au; DROP TRIGGER IF EXISTS stats_accounts_au; DROP TRIGGER IF EXISTS stats_lexicons_au; DROP TRIGGER IF EXISTS stats_scope_ai; DROP TRIGGER IF EXISTS stats_scope_ad; DROP TRIGGER IF EXISTS stats_users_au;
    DROP TRIGGER IF EXISTS stats_scores_au;
    DROP TABLE stats_generation; DROP TABLE stats_cache;
    DROP TRIGGER entry_counts_employee; DROP TRIGGER entry_counts_account; DROP TRIGGER entry_counts_post;
    DROP TRIGGER entry_decided_item; DROP TRIGGER entry_decided_employee; DROP TRIGGER entry_decided_account; DROP TRIGGER entry_decided_post;
    DROP TABLE entry_decided; DROP VIEW decided_places;
    DROP TABLE entry_counts; DROP VIEW score_places;
    DROP TRIGGER IF EXISTS items_age_ai; DROP TRIGGER items_age_au; DROP TRIGGER employees_age_au; DROP INDEX IF EXISTS review_items_stats;
    DROP TRIGGER IF EXISTS items_employee_ai; DROP TRIGGER items_employee_au; DROP TRIGGER employees_items_au;
    ALTER TABLE review_items DROP COLUMN work_unit; ALTER TABLE review_items DROP COLUMN position_type;
    ALTER TABLE review_items DROP COLUMN sex; ALTER TABLE review_items DROP COLUMN region;
    ALTER TABLE review_items DROP COLUMN age_band;
    CREATE INDEX review_items_stats ON review_items(agency, category, status, employee_id, created_at, posted_at);
    DROP TRIGGER employees_fts_ai; DROP TRIGGER employees_fts_ad; DROP TRIGGER employees_fts_au;
    DROP TABLE employees_fts;
    DROP TRIGGER review_items_fts_ai; DROP TRIGGER review_items_fts_ad; DROP TRIGGER review_items_fts_au;
    DROP TABLE review_items_fts; DROP TABLE review_items_fts_defer;
    DROP INDEX review_items_copies; ALTER TABLE review_items DROP COLUMN text_key; ALTER TABLE review_items DROP COLUMN text;
    CREATE INDEX hits_entry ON hits(entry_id);
    DROP INDEX accounts_employee_active; CREATE INDEX accounts_employee ON accounts(employee_id);
    DROP TRIGGER coverage_accounts_ai; DROP TRIGGER coverage_accounts_au; DROP TRIGGER coverage_accounts_ad;
    DROP TRIGGER coverage_employees_ai; DROP TRIGGER coverage_employees_au; DROP TRIGGER coverage_employees_ad;
    DROP TRIGGER coverage_crawl_ai; DROP TRIGGER coverage_crawl_au; DROP TRIGGER coverage_crawl_ad; DROP TABLE coverage_generation;
    DELETE FROM schema_history WHERE version > 11; PRAGMA user_version = 11;"
    rows=$(sql v11.db "SELECT count(*) || ':' || group_concat(id || decision || item_id || user_id || coalesce(reason, ''), ',') FROM decisions")
    netra --db v11.db init
    expect_rc 0
    expect_out "ditingkatkan dari skema versi 11 ke versi"
    expect_eq "$(sql v11.db "SELECT count(*) || ':' || group_concat(id || decision || item_id || user_id || coalesce(reason, ''), ',') FROM decisions")" "$rows" "every decision kept"
    expect_eq "$(sql v11.db "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'decisions' AND name IN ('decisions_item', 'decisions_user', 'decisions_undoes')")" "3" "its indexes"
    expect_eq "$(sql v11.db "SELECT count(*) || ' ' || sum(i.text IS v.text) FROM review_items i JOIN scores s ON s.id = i.score_id JOIN post_versions v ON v.id = s.version_id")" \
        "$(sql v11.db "SELECT count(*) || ' ' || count(*) FROM review_items")" "every item's text copied from the version it was scored on"
    expect_eq "$(sql v11.db "SELECT count(*) FROM review_items_fts WHERE review_items_fts MATCH '\"coblos\"'")" \
        "$(sql v11.db "SELECT count(*) FROM review_items WHERE text LIKE '%coblos%'")" "the search index finds what LIKE finds"
    expect_eq "$(sql v11.db "INSERT INTO review_items_fts(review_items_fts) VALUES ('integrity-check'); SELECT 'ok'")" "ok" "the search index is consistent"
    expect_eq "$(sql v11.db "SELECT v FROM review_items_fts_config WHERE k = 'automerge'")" "16" "it merges sixteen segments at a time"
    expect_eq "$(sql v11.db "SELECT count(*) FROM review_items WHERE age_band IS NULL")" "0" "every item's age band kept at the upgrade"
    expect_eq "$(sql v11.db "SELECT count(*) FROM review_items i JOIN employees e ON e.id = i.employee_id WHERE (i.work_unit, i.position_type, i.sex, i.region) IS DISTINCT FROM (e.work_unit, e.position_type, e.sex, substr(e.region_code, 1, 2))")" "0" "every item's employee keys kept at the upgrade"
    expect_eq "$(sql v11.db "SELECT sum(n) FROM entry_counts")" "$(sql v11.db "SELECT count(*) FROM hits WHERE weight > 0")" "every weighed hit counted at the upgrade"
    expect_eq "$(sql v11.db "SELECT sum(n) FROM entry_decided")" "$(sql v11.db "SELECT count(*) FROM (SELECT DISTINCT i.id, h.entry_id FROM review_items i JOIN hits h ON h.score_id = i.score_id WHERE i.status IN ('confirmed', 'dismissed') AND h.weight > 0)")" "every decided item's entries counted at the upgrade"
    expect_eq "$(sql v11.db "SELECT count(*) FROM employees_fts WHERE employees_fts MATCH '\"san\"'")" \
        "$(sql v11.db "SELECT count(*) FROM employees WHERE name LIKE '%san%' OR nip LIKE '%san%'")" "the names index finds what LIKE finds"
    expect_eq "$(sql v11.db "SELECT count(*) FROM scan_pending")" "0" "what the scores covered, the mark covers at the upgrade"
    expect_eq "$(sql v11.db "SELECT sum(n) FROM reviewer_days")" "$(sql v11.db "SELECT count(*) FROM decisions d WHERE d.decision <> 'undo' AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.undoes = d.id)")" "every standing decision counted per reviewer at the upgrade"
    NETRA_DB=v11.db netra --as admin audit verify
    expect_rc 0
    expect_out "Jejak audit utuh"
fi

test_case "undo: your own last decision, within two minutes, as a decision of its own; audited"
printf '{"id":"u1","platform":"mastodon","account":"budi_santoso@masto.contoh.example","text":"Ayo coblos 02 sekarang juga! #PrabowoGibran2024","created_at":"2023-12-06T10:00:00Z"}\n' > undo.ndjson
netra ingest undo.ndjson
netra scan
item=$(sql r.db "SELECT i.id FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id = 'u1'")
[ -n "$item" ] && pass || fail "the post reached the queue"
netra --as admin config set four_eyes yes
NETRA_NOW=2026-12-01T10:00:00Z netra --as rina review decide "$item" --decision dismiss --reason-code berita
expect_rc 0
NETRA_NOW=2026-12-01T10:00:30Z netra --as rina review show "$item" --json
expect_eq "$(jq -r '.undo.until' out.txt)" "2026-12-01T10:02:00Z" "the item page offers the undo, and until when"
NETRA_NOW=2026-12-01T10:00:30Z netra --as sari review show "$item" --json
expect_eq "$(jq -r '.undo' out.txt)" "null" "not to someone else"
NETRA_NOW=2026-12-01T10:00:30Z netra --as sari review undo "$item"
expect_rc 1
expect_err "dibuat pengguna lain"
NETRA_NOW=2026-12-01T10:02:01Z netra --as rina review undo "$item"
expect_rc 1
expect_err "batas waktu pembatalan sudah lewat"
NETRA_NOW=2026-12-01T10:00:40Z netra --as rina review undo "$item"
expect_rc 0
expect_out "butir kembali menunggu"
expect_eq "$(sql r.db "SELECT status || ' ' || coalesce(category, '-') FROM review_items WHERE id = $item")" "pending $(sql r.db "SELECT coalesce(json_extract(before, '$.category'), '-') FROM audit_log WHERE action = 'item.decide' AND object_id = '$item'")" "back to pending, its category as before"
expect_eq "$(sql r.db "SELECT group_concat(decision || ':' || coalesce(CAST(undoes AS TEXT), '')) FROM (SELECT decision, undoes FROM decisions WHERE item_id = $item ORDER BY id) AS t")" "dismiss:,undo:$(sql r.db "SELECT min(id) FROM decisions WHERE item_id = $item")" "the dismissal stays, the undo names it"
check_reviewers "a decision undone"
expect_eq "$(sql r.db "SELECT actor || ' ' || json_extract(before, '$.status') || '>' || json_extract(after, '$.status') FROM audit_log WHERE action = 'item.undo'")" "rina dismissed>pending" "audited as item.undo"
NETRA_NOW=2026-12-01T10:00:50Z netra --as rina review undo "$item"
expect_rc 1
expect_err "tidak ada keputusan yang dapat dibatalkan"
# A first confirm under four-eyes can be taken back; a finding cannot.
NETRA_NOW=2026-12-01T10:01:00Z netra --as rina review decide "$item" --decision confirm
expect_eq "$(sql r.db "SELECT status FROM review_items WHERE id = $item")" "awaiting_second" "waits for a second reviewer"
NETRA_NOW=2026-12-01T10:01:10Z netra --as rina review undo "$item"
expect_rc 0
expect_eq "$(sql r.db "SELECT status FROM review_items WHERE id = $item")" "pending" "the first confirm taken back"
NETRA_NOW=2026-12-01T10:01:20Z netra --as rina review decide "$item" --decision confirm
NETRA_NOW=2026-12-01T10:01:30Z netra --as sari review decide "$item" --decision confirm
expect_out "Temuan masuk kasus"
NETRA_NOW=2026-12-01T10:01:40Z netra --as sari review undo "$item"
expect_rc 1
expect_err "tarik lewat kasusnya"
netra --as rina review show "$item" --json
expect_eq "$(jq -r '[.decisions[] | .decision + (if .undone then "(batal)" else "" end)] | join(",")' out.txt)" "dismiss(batal),undo,confirm(batal),undo,confirm,agree" "the item's history shows what was taken back"
netra --as admin audit verify
expect_rc 0
expect_out "Jejak audit utuh"
# Reviewer statistics count the decisions that stand.
NETRA_NOW=2026-12-01T12:00:00Z netra --as budi stats --by reviewer --from 2026-12-01 --to 2026-12-01 --json
expect_eq "$(jq -c '[.[] | [.peninjau, .keputusan]]' out.txt)" '[["rina",1],["sari",1]]' "undone decisions and undos do not count"

test_case "rescoring updates pending items only; decided ones stay as they were"
decided=$(sql r.db "SELECT group_concat(id || status || score_id) FROM review_items WHERE status != 'pending'")
netra scan --rescan
expect_rc 0
expect_eq "$(sql r.db "SELECT group_concat(id || status || score_id) FROM review_items WHERE status != 'pending'")" "$decided" "decided items unchanged"
check_entries "after a rescan"

test_case "a search counts its matches up to a thousand, both ways; past it the total says more"
db_copy r.db many.db
for f in r.db.audit-key r.db.audit-key.pub r.db.audit-checkpoints; do [ -f "$f" ] && cp "$f" "many${f#r}"; done
awk 'BEGIN { for (i = 1; i <= 1005; i++) printf "{\"id\":\"m%d\",\"platform\":\"mastodon\",\"account\":\"budi_santoso@masto.contoh.example\",\"text\":\"Ayo coblos 02 sekarang juga, relawan ke-%d siap! #PrabowoGibran2024\",\"created_at\":\"2023-12-07T10:00:00Z\"}\n", i, i }' >many.ndjson
NETRA_DB=many.db netra ingest many.ndjson
expect_rc 0
expect_eq "$(sql many.db "SELECT count(*) FROM review_items i JOIN posts p ON p.id = i.post_id WHERE p.remote_id LIKE 'm%' AND i.status = 'pending'")" "1005" "1,005 items to find"
for way in indeks pindai; do
    NETRA_DB=many.db NETRA_SEARCH=$way netra --as admin queue --search relawan --json
    expect_eq "$(jq -r '[.total, .total_more] | join(" ")' out.txt)" "1000 true" "$way: the total stops at a thousand and says more"
    NETRA_DB=many.db NETRA_SEARCH=$way netra --as admin queue --search "relawan ke-1000" --json
    expect_eq "$(jq -r '[.total, .total_more] | join(" ")' out.txt)" "1 false" "$way: a total under the bound is exact"
done
NETRA_DB=many.db netra --as admin queue --search relawan
expect_out "lebih dari 1000"

finish
