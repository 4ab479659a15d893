#!/usr/bin/env python3
"""Write data/training/asn-posts.ndjson: civil-servant-style posts written by the
Netra project for training the stance model (SUPPORT / OPPOSE / NEUTRAL).

Every sentence here was written for this project: templates filled with
contestants (the 2024 presidential pairs and parties are public facts; Pilkada
and legislative candidates are fictional names), regions, dialect and slang
variants, emoji and hashtags. The neutral posts are the hard cases a Tim
Internal meets: neutrality socialisation, news and announcements, civic calls
to vote without a side, words that collide with election vocabulary, spouses
of candidates, questions. Deterministic: the same seed gives the same file.

usage: scripts/stance-data.py [OUT] (default data/training/asn-posts.ndjson)
"""
import json, os, random, sys

R = random.Random(20241127)

PAIRS = [
    # (names, nicknames, number, hand, hashtags, slogans)
    (['Anies-Muhaimin', 'Anies Baswedan dan Cak Imin', 'AMIN', 'Anies', 'Cak Imin', 'Abah Anies'],
     '01', '☝️', ['#AMIN', '#AniesMuhaimin', '#AminAjaDulu', '#Perubahan2024'], ['perubahan untuk semua', 'amin aja dulu', 'waktunya perubahan']),
    (['Prabowo-Gibran', 'Prabowo Gibran', 'Pak Prabowo', 'Mas Gibran', 'Prabowo dan Gibran', 'Pak Wowo'],
     '02', '✌️', ['#PrabowoGibran', '#PrabowoGibran2024', '#KodeKita08', '#BersamaIndonesiaMaju'], ['oke gas', 'bersama Indonesia maju', 'satu putaran']),
    (['Ganjar-Mahfud', 'Ganjar Mahfud', 'Pak Ganjar', 'Prof Mahfud', 'Ganjar dan Mahfud MD', 'Mas GP'],
     '03', '🤟', ['#GanjarMahfud', '#GanjarMahfud2024', '#SatSetTasTas', '#GanjarPresiden'], ['sat set tas tas', 'tuanku ya rakyat', 'gerak cepat']),
]
PARTIES = ['PKB', 'Gerindra', 'PDI Perjuangan', 'Golkar', 'NasDem', 'Partai Buruh', 'Gelora', 'PKS',
           'PKN', 'Hanura', 'Garuda', 'PAN', 'PBB', 'Demokrat', 'PSI', 'Perindo', 'PPP', 'Ummat']
LOCAL = ['Budi Santoso', 'Hj. Sri Wahyuni', 'Dedi Kurniawan', 'Ir. Made Sudarsana', 'Yohanes Lado',
         'Rahmat Hidayat', 'Andi Makkasau', 'Nurhayati', 'H. Syamsul Bahri', 'Agus Salim Nasution',
         'dr. Wayan Sukerta', 'Fransiskus Tefa', 'Bu Ratna', 'Pak Harun', 'Bang Rizal', 'Kang Asep',
         'Uda Fikri', 'Mas Joko', 'Daeng Rudi', 'Bung Marthen']
POS = ['bupati', 'wali kota', 'gubernur', 'wakil bupati', 'calon bupati', 'calon gubernur', 'calon wali kota']
POS_SHORT = ['cabup', 'cagub', 'cawalkot', 'cawabup', 'cawagub']
REGIONS = ['Sleman', 'Kota Bekasi', 'Jawa Barat', 'Kabupaten Bogor', 'Sulawesi Selatan', 'Kota Kupang',
           'Kabupaten Gianyar', 'Sumatera Barat', 'Kota Medan', 'Kabupaten Banyumas', 'Kota Makassar',
           'Kabupaten Sikka', 'Kota Padang', 'Kabupaten Garut', 'Jawa Timur', 'Kota Ambon']
AGENCIES = ['Dinas Pendidikan', 'Puskesmas Cempaka', 'Kantor Camat', 'Dinas Kesehatan', 'BKPSDM',
            'Dinas PUPR', 'Kantor Kelurahan', 'SMPN 3', 'Dinas Sosial', 'Sekretariat Daerah',
            'Inspektorat', 'Dinas Kominfo', 'RSUD', 'Kantor Kemenag', 'Bappeda']
PLACES = ['lapangan desa', 'GOR kecamatan', 'balai desa', 'alun-alun', 'rumah makan Padang', 'posko',
          'gedung serbaguna', 'pendopo', 'stadion', 'lapangan bola']
FRIENDS = ['teman-teman', 'bapak ibu', 'rekan kantor', 'sedulur', 'dulur', 'warga', 'keluarga besar',
           'dunsanak', 'adik-adik', 'guys', 'kawan-kawan', 'sanak saudara']
EMO_POS = ['💪', '🔥', '🙏', '❤️', '👍', '🇮🇩', '😍', '✅', '👏', '💯']
EMO_NEG = ['😡', '🤮', '👎', '😤', '🙄', '💩', '😒', '🤡']

JARI = {'01': 'satu', '02': 'dua', '03': 'tiga'}
CLUBS = ['Persib', 'Persija', 'PSM', 'Arema', 'Persebaya', 'PSS', 'Bali United', 'Borneo FC']

def pair():
    p = R.choice(PAIRS)
    return R.choice(p[0]), p

def local():
    return R.choice(LOCAL)

def num():
    return str(R.randint(1, 5))

def pick(t, family):
    """One template of a list, with the name of its family and number: posts
    of one template share a cross-validation fold (field "group"), so that
    the figures say how well the model does on phrasings it has not seen."""
    i = R.randrange(len(t))
    return t[i], f'{family}-{i}'

def slangify(s):
    """Informal spellings civil servants use in chats."""
    subs = [(' yang ', ' yg '), (' tidak ', ' gak '), (' sudah ', ' udah '), (' untuk ', ' utk '),
            (' dengan ', ' dgn '), (' saja ', ' aja '), (' banget', ' bgt'), (' teman-teman', ' temen2'),
            (' sekali', ' bgt'), (' kita ', ' qt '), (' pasti ', ' psti '), (' jangan ', ' jgn ')]
    for a, b in subs:
        if R.random() < 0.5:
            s = s.replace(a, b)
    return s

def decorate(s, emo):
    r = R.random()
    if r < 0.25:
        s = s + ' ' + R.choice(emo) * R.randint(1, 3)
    elif r < 0.35:
        s = s.upper()
    elif r < 0.55:
        s = s.lower()
    if R.random() < 0.3:
        s = slangify(' ' + s + ' ').strip()
    return s

# ---- SUPPORT: taking a side for someone, in every SKB form ----

TITLES = ['Pak', 'Bu', 'Mas', 'Mbak', 'Bang', 'Kang', 'Cak', 'Uda', 'Daeng', 'Bung', 'Teh', 'Abah', 'Gus', 'Kak', 'Ning']
NICKS = ['Hendra', 'Yusuf', 'Sartika', 'Darmawan', 'Rosa', 'Lukman', 'Fadli', 'Mariam', 'Ketut', 'Sembiring', 'Anwar',
         'Ani', 'Wati', 'Marthen', 'Ilham', 'Teguh', 'Nana', 'Eko', 'Darto', 'Leo']

def support():
    name, p = pair()
    ttl, nick = R.choice(TITLES), R.choice(NICKS)
    n, hand, tag, slog = p[1], p[2], R.choice(p[3]), R.choice(p[4])
    who = local(); pos = R.choice(POS); reg = R.choice(REGIONS); k = num()
    party = R.choice(PARTIES); fr = R.choice(FRIENDS); pl = R.choice(PLACES); d = str(R.randint(1, 8))
    ps = R.choice(POS_SHORT); ag = R.choice(AGENCIES)
    t = [
        f'Ayo {fr}, dukung {name}! {slog} {tag}',
        f'Saya pilih {name}, sudah pasti. Jangan ragu lagi {fr}',
        f'Jangan lupa tanggal 14 coblos nomor {n} ya {fr} {hand}',
        f'Bismillah, {hand} {name} satu putaran!',
        f'Ayo nyoblos paslon {pos} nomor {k}, {reg} butuh pemimpin yang peduli',
        f'Mari {fr} kita menangkan {who} jadi {pos} {reg} 💪',
        f'{who} nomor urut {k}, pilihan terbaik untuk {reg}!',
        f'Yuk coblos nomor {k} di Pilkada {reg} tanggal 27 November, demi perubahan',
        f'Sudah mantap pilih {ps} {who}, insyaallah menang',
        f'Monggo dipilih nomer {k}, {who} sampun kebukti kerjane',
        f'Ayo milih {who} dadi {pos}, ojo lali nyoblos nomer {k} yo {fr}',
        f'Hayu urang pilih {who} kanggo {pos} {reg}, pasti menang!',
        f'Mangga dulur, ulah hilap nyoblos nomer {k} nya, {who} the best',
        f'Jan lupo pilih nomor {k} yo dunsanak, {who} paliang layak',
        f'Kite pilih {who} aje, udah kebukti kerjanye buat warga {reg}',
        f'Caleg DPRD dapil {d} nomor urut {k} dari {party}, mohon doa dan dukungannya 🙏',
        f'Titip suara buat adik saya, caleg {party} nomor {k} dapil {d} ya {fr}',
        f'Mohon dukungannya untuk {who}, caleg DPR RI dari {party} nomor urut {k}',
        f'Alhamdulillah resmi bergabung di tim pemenangan {who} untuk Pilkada {reg}',
        f'Rapat koordinasi relawan {name} kecamatan kita malam ini di rumah saya, wajib datang',
        f'Hari ini kumpul tim sukses {who}, target menang 70 persen di {reg}',
        f'Tolong kumpulkan fotokopi KTP dan KK untuk dukungan calon perseorangan {who}, titip ke saya di kantor',
        f'Bagi yang mau mendukung {who} jalur independen, setor fotokopi KTP ke saya paling lambat Jumat',
        f'Sore ini pasang baliho {who} di depan rumah, siap menangkan nomor {k}!',
        f'Stiker {name} sudah saya bagikan ke tetangga, tinggal pasang spanduk besok {hand}',
        f'Bantu pasang spanduk paslon nomor {k} di {pl} ya, bahan sudah ada',
        f'Hadir di kampanye akbar {name} di {pl}, luar biasa semangatnya {hand}',
        f'Ikut deklarasi dukungan untuk {who} tadi pagi, merinding! {pos} kita nanti',
        f'Foto bareng {name} di {pl} tadi {hand}{hand} {tag}',
        f'Foto bersama {who} calon {pos} nomor {k} {hand}',
        f'Alhamdulillah dilantik jadi pengurus DPC {party} {reg}, siap berjuang untuk partai',
        f'Bangga jadi kader {party}, siap memenangkan partai di {reg}',
        f'Rapat pengurus ranting {party} di kantor DPC malam ini, semua kader hadir ya',
        f'{hand}{hand}{hand} {R.choice(EMO_POS)}',
        f'{hand} {tag}',
        f'{tag} {R.choice(p[3])} {slog}',
        f'{name} {slog}! {tag}',
        f'Pokoknya {name} harga mati {R.choice(EMO_POS)}',
        f'Yang belum punya pilihan, {who} orangnya baik dan sudah terbukti kerjanya. Pilih nomor {k} ya',
        f'Bagi-bagi sembako dari paslon nomor {k}, silakan ambil di {pl}, jangan lupa coblos ya',
        f'Siap kawal {name} sampai menang {R.choice(EMO_POS)}',
        f'Insyaallah {name} menang satu putaran, aamiin',
        f'Cuma {name} yang layak memimpin negeri ini. {tag}',
        f'Presidenku {name} {hand}',
        f'Gubernurku ya {who}, nomor {k} pokoknya!',
        f'Share ya {fr}, ini program kerja {who} untuk {reg}. Nomor {k} menang!',
        f'Yuk gabung grup WA relawan {name} {reg}, link di bio',
        f'Sudah follow akun tim pemenangan {who}? Ayo follow dan share kontennya {fr}',
        f'Like dan bagikan video kampanye {name} ini ya, biar makin banyak yang tahu {tag}',
        f'Malam ini konsolidasi tim relawan {who} di {pl}, bawa keluarga ya',
        f'Ingat {fr}, {pos} yang pro rakyat cuma {who}. Pilih nomor {k}!',
        f'Kalau mau {reg} maju, pilih {who}. Titik.',
        f'Wes pokoke {name}! {slog} {hand}',
        f'Aku milih {name}, koe piye? {hand}',
        f'Abdi milih {who}, anjeun kumaha?',
        f'Ambo pilih {who}, nan lain indak usah',
        f'Saya siap jadi saksi paslon nomor {k} di TPS nanti, demi kemenangan {who}',
        f'Dukung terus {ps} {who}! {reg} hebat!',
        f'Kemenangan {name} sudah di depan mata {R.choice(EMO_POS)} {tag}',
        f'Yuk pakai twibbon dukungan {name}, link di bawah {tag}',
        f'Nanti malam rapat tim relawan {name} di posko pemenangan desa, jangan telat',
        f'Konsolidasi tim pemenangan {who} tingkat kecamatan besok pagi di {pl}',
        f'Undangan rapat relawan {name} kelurahan kita, Sabtu jam 19.00 di posko',
        f'Posko pemenangan {name} di {reg} resmi dibuka, ayo gabung jadi relawan',
        f'Briefing saksi dan relawan {who} untuk hari H di {pl}, wajib hadir',
        f'Pembentukan tim relawan {name} per RT malam ini, yang mau ikut hubungi saya',
        f'Rapat koordinasi timses {who} membahas target suara di {reg}',
        f'Sudah waktunya {reg} dipimpin {who}. Tanggal 27 coblos nomor {k}, jangan salah!',
        f'Bapak ibu guru, mari kita dukung {ps} {who} yang peduli honorer',
        f'Kami keluarga besar {ag} siap memenangkan {name} {hand}',
        f'Yang penting {name} menang, yang lain urusan belakang {R.choice(EMO_POS)}',
        f'Alhamdulillah, acara syukuran kemenangan relawan {who} lancar. Lanjut kawal suara!',
        f'Nitip ya {fr}, {who} nomor {k} untuk DPRD {reg}. Orangnya amanah',
        f'Insyaallah amanah, {who} calon {pos} nomor {k}. Mohon doa dan coblosannya',
        f'Tetangga-tetangga sudah saya ajak pilih nomor {k}, tinggal keluarga besar',
        f'Share foto ini ya, {name} bersama warga {reg} {hand} {tag}',
        f'Wajib menang! {name} {hand} {tag}',
        f'Dukungan penuh untuk {who}, calon {pos} terbaik yang pernah ada di {reg}',
        f'Nanti saya antar logistik kaos dan stiker {name} ke tiap RT ya',
        f'Minggu depan kita buat acara jalan sehat bareng {who}, sekalian kenalkan programnya',
        f'Mas {who.split()[-1]} itu calon {pos} yang paling merakyat, saya pilih beliau',
        f'Ayo menangkan {party} di pileg! {R.choice(EMO_POS)}',
        f'Pilih {party} nomor {k}, partainya wong cilik',
        f'Coblos partainya, coblos calegnya: {party}!',
        f'{party} menang, rakyat senang! Tanggal 14 jangan lupa',
        f'Sudah saatnya {party} memimpin, dukung caleg-calegnya di dapil {d}',
        f'Ojo lali nyoblos nomer {R.choice(["siji", "loro", "telu"])} yo {fr}',
        f'Hayu ah coblos nomer {R.choice(["hiji", "dua", "tilu"])}, pasti menang',
        f'Jangan lupa tanggal 27 coblos nomor {R.choice(["satu", "dua", "tiga"])} ya {fr}',
        f'Jan lupo pilih nomor {R.choice(["ciek", "duo", "tigo"])} yo dunsanak',
        # local candidates the lexicon cannot know by name: a title, a generic word, the contest
        f'Ayo menangkan {ttl} {nick} di Pilkada {reg}! {R.choice(EMO_POS)}',
        f'Dukung terus {ttl} {nick}, pemimpin yang merakyat. Pilbup nanti jangan salah pilih',
        f'Sudah saya like dan share postingan {ttl} {nick}, ayo {fr} bantu ramaikan biar menang',
        f'Ramaikan kolom komentar postingan paslon kita, jangan kalah sama akun sebelah {R.choice(EMO_POS)}',
        f'Tolong bantu share video kampanye calon kita ke grup WA keluarga ya {fr}',
        f'Jangan lupa follow akun resmi {ttl} {nick}, banyak info program untuk {reg}',
        f'Lanjutkan dua periode! {ttl} {nick} sudah terbukti membangun {reg}',
        f'Wajib lanjut, {pos} petahana kita memang terbaik {R.choice(EMO_POS)}',
        f'Semoga {ttl} {nick} terpilih jadi {pos} {reg}, amanah dan merakyat. Aamiin',
        f'Mohon doa restunya, suami saya maju di Pilkada {reg}, nomor {k} ya {fr}',
        f'Jagoan kita {ttl} {nick} pasti menang di pilkada nanti 💪',
        f'Saya ditunjuk jadi koordinator relawan {ttl} {nick} tingkat desa, siap kerja keras',
        f'Alhamdulillah sudah terima KTA, resmi jadi anggota partai {party}',
        f'Bangga jadi kader {party}, coblos partainya di pemilu nanti',
        f'Siap jadi saksi paslon nomor {k} di TPS, kawal suara sampai akhir',
        f'Tanggal 27 November ingat ya {fr}, {ttl} {nick} untuk {reg}. Jangan salah coblos',
        f'Sing penting {ttl} {nick} menang pilbup, liyane urusan keri',
        f'Pemimpin muda, sudah waktunya {ttl} {nick} pimpin {reg}. Pilih dia!',
        f'Kami guru-guru honorer siap memenangkan calon bupati {ttl} {nick}',
        f'Pasang twibbon dukungan untuk {ttl} {nick}, ganti foto profil kalian {fr} {R.choice(EMO_POS)}',
        f'Siapa lagi kalau bukan {ttl} {nick}? Pilkada {reg} kita menangkan bersama',
        f'#Dukung{nick.replace(" ", "")} #{reg.split()[-1]}Maju pokoknya nomor {k}',
        f'Paslon kita makin mantap, kampanye di {pl} penuh sesak. Menang!',
        f'Yang peduli honorer cuma {ttl} {nick}, jangan salah pilih di pilkada nanti',
        f'Kepala dinas minta semua staf datang ke kampanye paslon nomor {k} hari Minggu, pakai kaos yang dibagikan',
        f'Rapat di kantor camat tadi: kepala desa diminta mengumpulkan dukungan untuk calon petahana',
        f'Target suara di desa kita 80 persen untuk {ttl} {nick}, semua RT sudah dibagi tugas',
        # dialect: "must choose", "whatever happens, number N", krama, Sundanese
        f'Urang kudu milih {who} nomer {k}, pokona mah',
        f'Pokoke nomer {k}, liyane minggir. {who} {pos} kita',
        f'Aye mah kudu nomor {k}, {who} udah kebukti',
        f'Ngiring ngadukung {ttl} {nick} kanggo {pos} {reg}, anjeunna pituin urang',
        f'Kulo nderek nomer {k} mawon, {ttl} {nick} sampun kebukti',
        f'Beta pilih nomor {k}, {ttl} {nick} yang paling perhatikan katong',
        f'Torang pilih {who} ya basudara, so pasti menang',
        # salutes and next terms
        f'Salam {JARI[n]} jari dari kami {fr} {hand}',
        f'Pose {JARI[n]} jari dulu sebelum pulang kantor {hand}{hand} {tag}',
        f'{ttl} {nick} lanjut satu periode lagi, kinerjanya mantap',
        f'Yakin {pos} kita lanjut periode lagi, {who} sudah terbukti',
    ]
    return (*pick(t, 'support'), 'SUPPORT')

# ---- OPPOSE: taking a side against someone ----

def oppose():
    name, p = pair()
    ttl, nick = R.choice(TITLES), R.choice(NICKS)
    n = p[1]
    who = local(); pos = R.choice(POS); reg = R.choice(REGIONS); k = num()
    party = R.choice(PARTIES); fr = R.choice(FRIENDS); ps = R.choice(POS_SHORT)
    neg = R.choice(EMO_NEG)
    t = [
        f'Jangan pilih {name}, sudah terbukti gagal {neg}',
        f'Asal bukan {name}, siapa saja boleh',
        f'Calon {pos} nomor {k} itu cuma boneka, jangan sampai menang di {reg}',
        f'{name} itu dinasti, tolak! #TolakDinasti',
        f'Kalau {who} menang, habis sudah {reg}. Jangan coblos nomor {k}!',
        f'Ingat ya {fr}, jangan coblos nomor {n}! {neg}',
        f'Ojo milih {who}, ora iso kerjo blas',
        f'Ulah milih {who}, geus kabukti bohong wae ka rakyat',
        f'Jan dipiliah {who} tu, janji sajo nan banyak',
        f'Kagak usah pilih {who}, omong doang die',
        f'Caleg {party} itu cuma janji manis, jangan dipilih lagi',
        f'Pemimpin pembohong kok mau dipilih lagi. {who} no way!',
        f'{name} takut debat, minim gagasan. Masa mau dipilih? {neg}',
        f'Paslon nomor {k} curang, bagi-bagi amplop ke warga. Jangan pilih!',
        f'Muak lihat baliho {who} di mana-mana, calon gagal {neg}',
        f'Sampai kapanpun saya tidak akan pilih {name}',
        f'{name} haus kekuasaan, rakyat jangan mau dibohongi lagi',
        f'#AsalBukan{name.split()[0].split("-")[0]} {neg}{neg}',
        f'Tolak {ps} {who}, petahana gagal urus {reg}',
        f'Jangan sampai {reg} dipimpin {who}, bisa makin rusak',
        f'Hati-hati {fr}, {who} itu kacung partai. Jangan dicoblos!',
        f'{name} anak haram konstitusi, jangan beri suara',
        f'Siapa pun asal jangan {name} {neg}',
        f'Yang pilih {who} berarti setuju {reg} makin mundur. Ogah!',
        f'Janji kampanye {who} omdo semua, jangan terulang lagi {fr}',
        f'Masa iya mau dilanjutin sama {name}? Mikir dong {neg}',
        f'Paslon {k} cuma pencitraan, kerja nol besar',
        f'Stop pilih caleg {party} yang korup! Dapil kita butuh orang baru',
        f'Jangan mau dibodohi janji {who}, lima tahun kemarin apa hasilnya?',
        f'Kalau masih ada yang pilih {name}, berarti belum belajar dari pengalaman {neg}',
        f'{who} itu calon titipan, jangan sampai {reg} dikuasai dinasti',
        f'Pilkada {reg}: siapa saja boleh, asal jangan nomor {k}',
        f'Calon {pos} nomor {k} tukang ingkar janji, warga {reg} jangan lupa itu',
        f'Gak sudi dipimpin {who}. Ayo kompak jangan coblos dia',
        f'Saya tidak akan pernah memilih {name}, titik {neg}',
        f'Hati-hati, paslon {k} itu didukung bandar. Tolak!',
        f'{name} = kemunduran. Jangan pilih!',
        f'Ngapain milih {who}, kerjanya cuma pencitraan di medsos',
        f'Ojo nyoblos nomer {R.choice(["siji", "loro", "telu"])}, ora amanah',
        f'Jangan coblos nomor {R.choice(["satu", "dua", "tiga"])}, sudah terbukti gagal {neg}',
        f'Jangan pilih petahana lagi, lima tahun {reg} tidak ada kemajuan {neg}',
        f'{pos.capitalize()} sekarang gagal total, jangan kasih kesempatan kedua di pilkada nanti',
        f'Ganti {pos.replace("calon ", "")}! Sudah cukup lima tahun {reg} dibohongi {neg}',
        f'Cukup satu periode saja, {ttl} {nick} tidak becus urus {reg}',
        f'Ngapain milih calon yang cuma bisa janji? Jangan sampai terpilih lagi {neg}',
        f'Jangan sampai calon titipan itu menang di pilbup, nanti kita semua susah',
        f'Masa mau dipilih lagi? Jalan rusak, honorer tidak diperhatikan. Ganti pemimpin! {neg}',
        f'{ttl} {nick} itu pembual, jangan pilih dia di pilkada {reg}',
        f'Calon nomor {k} didukung bandar, tolak! Jangan mau dibodohi {fr}',
        f'Dia lagi dia lagi, bosan. Pilkada {reg} jangan pilih yang sama {neg}',
        f'Kalau {ttl} {nick} yang menang, habis anggaran {reg}. Jangan coblos!',
        f'Ojo dipilih maneh, {ttl} {nick} ora amanah',
        f'Emoh aku karo {who}, ora bakal tak coblos {neg}',
        f'Ogah milih {name}, janji doang dari dulu',
        f'Gak bakal pilih {who}, lima tahun cuma pencitraan',
        f'Moal milih {ttl} {nick}, teu aya hasilna pikeun {reg}',
        f'Sampai kapanpun saya tidak akan memilih {name} {neg}',
    ]
    return (*pick(t, 'oppose'), 'OPPOSE')

# ---- NEUTRAL: the hard negatives ----

def neutral():
    name, p = pair()
    who = local(); pos = R.choice(POS); reg = R.choice(REGIONS); k = num(); ag = R.choice(AGENCIES)
    party = R.choice(PARTIES); pl = R.choice(PLACES); fr = R.choice(FRIENDS)
    t = [
        # socialisation of neutrality
        f'ASN wajib netral dalam Pilkada {reg}. Dilarang like, share, dan komentar unggahan paslon.',
        f'Sosialisasi netralitas ASN di {ag} hari ini bersama Bawaslu {reg}',
        f'Apel ikrar netralitas ASN menjelang Pilkada serentak 2024 di halaman {ag}',
        f'Ingat, ASN dilarang berfoto dengan simbol jari dukungan kepada paslon mana pun.',
        f'SKB 5 instansi mengatur sanksi bagi ASN yang memasang baliho atau spanduk calon.',
        f'Larangan bagi ASN: menjadi tim sukses, hadir di kampanye, mengumpulkan KTP dukungan. Mari jaga netralitas.',
        f'Pegawai {ag} menandatangani pakta integritas netralitas ASN pada Pilkada {reg}',
        f'Tim Internal {ag} mengingatkan: ASN tidak boleh menjadi anggota atau pengurus partai politik.',
        f'Imbauan Bupati: seluruh ASN menjaga netralitas, tidak ikut kampanye paslon mana pun.',
        f'Bawaslu {reg} menerima 12 laporan dugaan pelanggaran netralitas ASN selama masa kampanye',
        f'ASN yang terbukti berpihak kepada calon dapat dikenai hukuman disiplin berat sesuai PP 94/2021',
        f'Netralitas ASN itu harga mati. Kita melayani semua warga, apa pun pilihan politiknya.',
        f'Webinar: Bijak bermedia sosial bagi ASN di tahun politik. Jangan like dan share konten kampanye.',
        f'Surat edaran MenPAN-RB tentang netralitas pegawai selama Pilkada sudah kami teruskan ke semua bidang',
        # news and announcements
        f'KPU {reg} menetapkan {k} paslon {pos}, nomor urut diundi besok',
        f'Debat publik calon {pos} {reg} digelar malam ini di {pl}',
        f'Bawaslu menertibkan 120 baliho paslon yang dipasang di fasilitas umum',
        f'{who} mendaftar ke KPU sebagai calon {pos} {reg} didampingi pengurus {party}',
        f'Hasil survei: elektabilitas paslon nomor 1 dan nomor 2 di {reg} bersaing ketat',
        f'Paslon nomor urut {k} menyampaikan visi misi pada debat kedua, menurut pantauan wartawan',
        f'Pengundian nomor urut paslon {pos} {reg}: {who} dapat nomor {k}',
        f'Jadwal kampanye terbuka Pilkada {reg} dimulai 25 September sampai 23 November',
        f'Quick count: selisih suara paslon di {reg} tipis, KPU minta semua pihak menunggu hasil resmi',
        f'{name} hadiri debat capres di Jakarta, ini poin-poin yang dibahas',
        f'Survei terbaru elektabilitas {name} naik 3 persen, kata peneliti lembaga survei',
        f'Pengamat: debat {pos} {reg} semalam minim adu gagasan dari semua calon',
        f'Breaking news: KPU tetapkan DPT Pilkada {reg} sebanyak 1,2 juta pemilih',
        f'{party} resmi mengusung {who} sebagai calon {pos} {reg}, dikutip dari media lokal',
        f'Masa tenang Pilkada dimulai hari ini, Bawaslu minta semua APK diturunkan',
        f'Rekapitulasi suara tingkat kecamatan berjalan lancar di {reg}',
        # civic calls without a side
        f'Ayo gunakan hak pilihmu tanggal 27 November, jangan golput!',
        f'Datang ke TPS, pilih sesuai hati nurani. Siapa pun pemenangnya, {reg} tetap satu.',
        f'Siapapun pilihannya, tetap jaga persatuan ya {fr} 🙏',
        f'Beda pilihan boleh, persaudaraan tetap nomor satu',
        f'Pemilih pemula, jangan lupa cek nama di DPT sebelum 27 November',
        f'Tolak politik uang! Pilih pemimpin karena programnya, bukan amplopnya.',
        f'Pilkada damai, {reg} sejuk. Mari sukseskan bersama tanpa hoaks.',
        f'Jadi petugas KPPS di TPS 05, mohon doanya lancar sampai penghitungan suara',
        f'Hari ini bimtek KPPS di {pl}, persiapan logistik pemilu berjalan baik',
        f'Sudah nyoblos? Tunjukkan jari bertinta dengan bangga, tanpa menyebut pilihanmu ya',
        # colliding words
        f'Antrean nomor {k} silakan menuju loket pelayanan {ag}',
        f'Juara {k} lomba kebersihan kantor tingkat kabupaten, terima kasih tim!',
        f'Pilih menu nomor {k} aja, sate kambingnya enak banget',
        f'Kucing saya namanya Gemoy, gemoy banget pipinya 😍',
        f'Habis ujian dua jari dulu ✌️ peace',
        f'Besok ikut kampanye imunisasi di Puskesmas, bawa anak usia 0-5 tahun',
        f'Tim sukses acara 17 Agustus di kantor kami luar biasa, terima kasih panitia',
        f'Rapat koordinasi tim pemenangan lomba gerak jalan antar dinas sore ini',
        f'Kampanye cuci tangan pakai sabun di SD bersama kader posyandu',
        f'Bagi-bagi takjil gratis di depan kantor {ag}, ayo mampir',
        f'Coblos kertas pakai paku untuk prakarya anak TK, lucu sekali hasilnya',
        f'Satu putaran lagi lari pagi di {pl}, semangat!',
        f'Pak {who.split()[-1]} pensiun hari ini, terima kasih atas pengabdiannya di {ag}',
        f'Pemutihan pajak kendaraan bermotor diperpanjang, cek di Samsat terdekat',
        f'Soal nomor {k} jawabannya C, pilihan ganda memang menjebak',
        f'Gas terus kerja pelayanan! Hari ini {ag} melayani 300 warga',
        f'Menang lomba voli antar kecamatan, tim {ag} juara 1!',
        # spouses of candidates (allowed presence)
        f'Hari ini mendampingi suami mendaftar ke KPU sebagai calon {pos}, tanpa atribut dan tanpa simbol jari.',
        f'Menemani istri yang maju sebagai caleg, saya ASN jadi tidak ikut berkampanye',
        f'Sebagai istri calon, saya hadir tanpa atribut partai, sesuai SE MenPAN-RB 18/2023',
        # questions and talk without a side
        f'Kapan jadwal debat paslon {pos} {reg}? Ada yang tahu?',
        f'Ada yang tahu syarat jadi anggota KPPS untuk Pilkada {reg}?',
        f'Kalau ASN ditanya pilih siapa, jawabnya: rahasia, sesuai asas luber jurdil 😄',
        f'Pusing lihat grup WA keluarga isinya debat capres terus, saya mah netral aja',
        f'Debat semalam ada yang nonton? Menurut saya semua calon masih normatif',
        f'Apa bedanya kampanye terbuka dan kampanye dialogis? Mohon pencerahan',
        f'{name} dan paslon lain hari ini sama-sama kampanye di Jawa Tengah, jalanan macet',
        f'Baliho di perempatan depan kantor roboh kena angin, semoga tidak ada korban',
        f'Hari pertama masuk kerja setelah cuti bersama, semangat {fr}',
        # colleagues who share a candidate's name, numbers that are not ballots
        f'Pak {R.choice(["Anies", "Ganjar", "Prabowo", "Mahfud", "Gibran"])}, berkas SPJ ditunggu di ruang {k} sebelum jam 3 ya',
        f'Selamat ulang tahun Bu {R.choice(["Anies", "Ganjar", "Imin"])}, rekan terbaik di {ag}',
        f'Rapat nomor {k} dimulai jam 09.00 di ruang rapat lantai 2',
        f'Agenda hari ini: nomor 1 apel pagi, nomor 2 rapat evaluasi, nomor 3 kunjungan lapangan',
        f'Foto bareng teman kantor ✌️ seru banget',
        f'Foto bersama peserta diklat ✌️😁 terima kasih semua',
        f'Ayo pilih menu sehat untuk makan siang di kantin {ag}',
        f'Ayo dukung tim voli {ag} di final besok sore!',
        f'Jangan pilih jalan pintas, urus izin lewat layanan resmi {ag}',
        f'Pelayanan nomor satu, senyum nomor dua, itu motto {ag}',
        f'Keselamatan kerja nomor satu, jangan lupa pakai helm di lapangan',
        # the new lexicon words in neutral use
        f'Jelang Pilkada {reg}, Tim Internal {ag} mengingatkan ASN tidak like, share, atau komentar di postingan paslon',
        f'Bawaslu {reg}: ASN yang menjadi relawan atau saksi paslon akan diproses sesuai aturan',
        f'Relawan PMI dan BPBD {reg} membantu korban banjir, terima kasih {fr} 🙏',
        f'Kader posyandu {ag} ikut pelatihan gizi balita hari ini',
        f'Jadi saksi nikah sepupu tadi pagi, alhamdulillah lancar',
        f'Like dan share informasi lowongan CPNS ini ya {fr}, siapa tahu ada yang butuh',
        f'Follow akun resmi {ag} untuk info layanan terbaru',
        f'Debat paslon {pos} {reg} malam ini disiarkan TV lokal, semua calon hadir',
        f'Masa jabatan presiden dibatasi dua periode menurut UUD 1945, ini materi PKn kelas 9',
        f'Pilkada serentak 27 November, kantor tetap buka setengah hari setelah pencoblosan',
        f'Petugas KPPS di TPS 12 sudah siap, logistik pilkada tiba dengan aman',
        f'Pengajuan KTA tanpa agunan sekarang bisa online, cek syaratnya di bank',
        f'Calon peserta diklat harap membawa surat tugas dan fotokopi SK',
        f'Paslon nomor {k} dan paslon lain sepakat menjaga pilkada damai, kata KPU {reg}',
        f'Hasil pilkada {reg}: KPU menetapkan pemenang setelah rekapitulasi, semua pihak diminta menerima',
        f'Sosialisasi: ASN dilarang ikut kampanye, pasang baliho calon, atau jadi tim sukses di pilkada',
        f'Ada yang tahu jadwal debat cabup {reg}? Mau nonton di rumah saja',
        f'Semoga pilkada {reg} berjalan damai, siapa pun yang terpilih semoga amanah',
        f'Petahana dan penantang sama-sama mendaftar ke KPU {reg} hari ini, dikawal ratusan pendukung',
        f'Lomba desain twibbon hari jadi {reg}, ganti foto profil kalian dengan twibbon resmi',
        f'Ramaikan jalan sehat HUT Korpri di {pl}, hadiah utama sepeda motor',
        f'Kalau ada ASN diminta hadir di kampanye, tolak dan laporkan ke Tim Internal',
        # words an election shares with sport, contests, offices and fact checks
        f'{R.choice(CLUBS)} juara lagi! Satu putaran liga yang luar biasa',
        f'{R.choice(CLUBS)} menang telak semalam, klasemen liga makin panas',
        f'Tim pemenangan lomba kebersihan {ag} juara lagi, selamat!',
        f'Anak saya dapat nomor {k} di lomba mewarnai, bangga sekali',
        f'Kami mendukung penuh pelaksanaan Pilkada {reg} yang jujur dan adil',
        f'Cek fakta: video paslon nomor {k} berkampanye di {pl} adalah video lama',
        f'Siapapun yang menang, kita tetap saudara. Pemilu damai ya {fr}',
        f'Dua periode menjabat, kepala {ag} purna tugas hari ini. Terima kasih atas pengabdiannya',
        f'Peace ✌️ habis rapat evaluasi di {ag}',
        f'Selamat atas pelantikan {pos} {reg} periode 2025-2030, semoga amanah',
    ]
    return (*pick(t, 'neutral'), 'NEUTRAL')

# ---- long neutral texts: circulars, socialisation, reports ----

SOC = ['ASN wajib menjaga netralitas pada setiap tahapan pemilihan.',
       'Pegawai dilarang memberikan dukungan kepada pasangan calon melalui media sosial, termasuk menyukai, membagikan dan mengomentari unggahan.',
       'Larangan tersebut berlaku sebelum, selama dan sesudah masa kampanye.',
       'Pelanggaran dapat dikenai sanksi moral maupun hukuman disiplin sesuai peraturan pemerintah.',
       'Tim Internal instansi melakukan pengawasan dan menindaklanjuti setiap laporan masyarakat.',
       'Laporan dugaan pelanggaran dapat disampaikan kepada Bawaslu atau kepada atasan langsung.',
       'Kegiatan sosialisasi ini diikuti oleh seluruh kepala bidang, kepala seksi dan staf pelaksana.',
       'Narasumber menjelaskan bentuk-bentuk pelanggaran seperti memasang spanduk, menghadiri kampanye dan mengumpulkan fotokopi KTP dukungan.',
       'ASN yang suami atau istrinya menjadi calon boleh mendampingi tanpa atribut dan tanpa simbol keberpihakan.',
       'Pejabat pembina kepegawaian wajib membentuk tim pengawasan netralitas di lingkungan kerjanya.',
       'Evaluasi menunjukkan media sosial masih menjadi titik rawan utama pelanggaran netralitas.',
       'Setiap temuan harus disertai bukti yang cukup, diverifikasi, lalu diperiksa sesuai prosedur.',
       'Hasil pemeriksaan dituangkan dalam berita acara dan dilaporkan kepada instansi pembina.',
       'Masyarakat diimbau menggunakan hak pilihnya dengan bijak dan menolak politik uang.',
       'Penyelenggara pemilu menjamin kerahasiaan pilihan setiap pemilih di tempat pemungutan suara.',
       'Bentuk pelanggaran antara lain memberikan dukungan kepada calon presiden, calon kepala daerah maupun calon anggota legislatif.',
       'ASN dilarang menjadi peserta kampanye dengan menggunakan atribut partai atau fasilitas negara.',
       'Memasang spanduk, baliho atau alat peraga lain terkait bakal calon dikenai sanksi disiplin berat.',
       'Mengadakan kegiatan yang mengarah kepada keberpihakan, seperti pertemuan, ajakan, himbauan atau pemberian barang, termasuk pelanggaran.',
       'Membuat keputusan atau tindakan yang menguntungkan salah satu pasangan calon selama masa kampanye dilarang.',
       'Menjadi tim sukses, tim pemenangan atau konsultan pasangan calon merupakan pelanggaran netralitas.',
       'Mengunggah, mengomentari, membagikan atau menyukai konten kampanye calon di media sosial termasuk bentuk pelanggaran.',
       'Mengumpulkan fotokopi KTP atau surat keterangan tanda penduduk sebagai dukungan bagi calon perseorangan dilarang.',
       'Hukuman disiplin sedang berupa penundaan kenaikan pangkat, sedangkan hukuman disiplin berat dapat berupa penurunan jabatan.',
       'Sanksi moral berupa pernyataan secara terbuka atau tertutup diberikan oleh pejabat pembina kepegawaian.',
       'Tabel berikut memuat nomor, bentuk pelanggaran, dasar hukum dan jenis sanksi yang dapat dijatuhkan.',
       'Rekomendasi Bawaslu diteruskan kepada Komisi ASN dan instansi untuk ditindaklanjuti dalam waktu empat belas hari.',
       'Pengawasan dilakukan pada tahapan pencalonan, kampanye, masa tenang, pemungutan suara dan penetapan hasil.',
       'Data menunjukkan kategori kampanye atau sosialisasi di media sosial menjadi pelanggaran yang paling banyak terbukti.',
       'Pegawai yang mencalonkan diri wajib mengundurkan diri sejak ditetapkan sebagai calon.',
       'Larangan ini berlaku terhadap dukungan kepada calon presiden dan wakil presiden, calon kepala daerah dan wakilnya, serta calon anggota DPR, DPD dan DPRD.',
       'Pemilihan umum serentak tahun 2024 diselenggarakan untuk memilih presiden dan wakil presiden serta anggota lembaga perwakilan, disusul pemilihan kepala daerah.',
       'Pegawai dilarang melakukan tindakan yang mengarah pada keberpihakan terhadap pasangan calon peserta pemilu, baik sebelum maupun sesudah penetapan.',
       'Kegiatan yang dilarang meliputi pertemuan, ajakan, imbauan, seruan atau pemberian barang kepada pegawai dalam lingkungan unit kerja, anggota keluarga dan masyarakat.',
       'Dukungan kepada calon perseorangan dengan memberikan surat dukungan atau fotokopi KTP termasuk pelanggaran yang dapat dikenai hukuman disiplin.',
       'Pemilihan gubernur, bupati dan wali kota dilaksanakan serentak di seluruh wilayah, dan pegawai wajib menjaga netralitas pada setiap tahapannya.',
       'Pasangan calon dan tim kampanye dilarang melibatkan aparatur sipil negara, anggota TNI dan Polri, serta kepala desa dalam kegiatan kampanye.']

def numbered(parts):
    return ' '.join(f'{i + 1}. {x}' for i, x in enumerate(parts))

def long_neutral():
    k = R.randint(3, 8)
    parts = R.sample(SOC, k)
    text = numbered(parts) if R.random() < 0.4 else ' '.join(parts)
    return text, 'long', 'NEUTRAL'

# ---- X-style talk: replies, news with links, analysis, jokes, opinions ----

HANDLES = [['@aniesbaswedan', '@cakimiNOW'], ['@prabowo', '@gibran_tweet'], ['@ganjarpranowo', '@mohmahfudmd']]
USERS = ['@rina_kusuma', '@bang_jay88', '@si_tukangkopi', '@warga_biasa', '@mas_dimas_', '@kakak_ros',
         '@pakde_ndut', '@neng_geulis', '@uda_rangkayo', '@ojol_mania', '@guru_honorer', '@anak_kos99']
CITIES = ['Malang', 'Bandung', 'Medan', 'Makassar', 'Surabaya', 'Padang', 'Solo', 'Pontianak', 'Kupang']
POLLS = ['LSI', 'Indikator', 'Litbang Kompas', 'Poltracking', 'SMRC', 'Charta Politika']
TOPICS = ['makan siang gratis', 'harga beras', 'lapangan kerja', 'pupuk', 'IKN', 'pendidikan gratis',
          'BPJS', 'hilirisasi', 'internet desa', 'UMKM']

def link():
    return 'https://t.co/' + ''.join(R.choice('abcdefghijkLMNOPQRSTuvwxyz0123456789') for _ in range(10))

def replyto(p):
    us = R.sample(USERS, R.randint(0, 3)) + (p[0] if False else R.choice([HANDLES[PAIRS.index(p)], []]))
    return (' '.join(us) + ' ') if us else ''

def x_neutral():
    name, p = pair(); name2, p2 = pair()
    c = R.choice(CITIES); pl = R.choice(POLLS); tp = R.choice(TOPICS); pc = str(R.randint(15, 55))
    party = R.choice(PARTIES)
    chit = R.choice(['wkwk iya bener, tadi macet parah di tol', 'selamat pagi, semoga sehat selalu',
                     f'kapan main ke {c} lagi?', 'sepedaan ke mana hari ini?', 'fotonya bagus kak',
                     'aamiin, semoga lancar semua', 'ikut nyimak aja', 'makasih infonya',
                     'kok bisa gitu ya?', 'hadir 🙋', 'selamat hari guru untuk semua guru',
                     'hati-hati di jalan', 'ditunggu updatenya', 'itu lokasinya di mana ya?',
                     'lucu juga videonya 😂', 'baru tahu saya', 'mohon maaf baru balas'])
    t = [
        f'{replyto(p)}{chit}',
        f'{replyto(p)}{chit}',
        f'{name} {R.choice(["kunjungi", "datangi", "sambangi"])} pasar di {c}, bahas {tp} {link()}',
        f'{party} resmi umumkan dukungan ke {name}, begini kata ketuanya {link()}',
        f'Survei {pl}: elektabilitas {name} {pc} persen, {name2} menyusul {link()} #beritapolitik',
        f'{name} tanggapi isu {tp}: "kami akan kaji dulu" {link()} via @beritaterkini',
        f'Jadwal kampanye {name} minggu ini di {c} dan sekitarnya {link()}',
        f'Kalau {name} menang, kira-kira siapa yang jadi menteri keuangan ya?',
        f'Putaran kedua kayaknya bakal {name} lawan {name2}, menurut kalian gimana?',
        f'Menurut survei {pl}, {name} unggul di {c}, tapi masih bisa berubah sampai Februari',
        f'Ada yang tahu {name} kampanye di {c} tanggal berapa? Mau lihat aja, penasaran',
        f'Emang {name} pernah ngomong soal {tp}? Sumbernya mana ya',
        f'Siapa sih yang bikin meme {name} ini, kreatif juga 😂',
        f'Anak saya nanya kenapa capres ada tiga, saya jawab biar rame kayak lomba 17an 😂',
        f'Apa pun pilihanmu, jangan sampai putus pertemanan gara-gara pilpres 🙏 #PemiluDamai',
        f'{replyto(p)}Debat nanti temanya {tp}, semoga semua paslon jawab pakai data',
        f'{replyto(p)}Sumbernya dari mana? Coba baca laporan lengkapnya dulu sebelum share',
        f'Thread: rangkuman program {tp} dari ketiga paslon, biar bisa bandingkan sendiri 🧵',
        f'Koalisi {party} ke mana nih setelah putusan MK? Analisis menarik dari pengamat {link()}',
        f'"{name} siap hadir di debat," kata juru bicara tim kepada wartawan {link()}',
        f'Relawan {name} gelar cek kesehatan gratis di {c}, warga antusias {link()}',
        f'{name} cuti kampanye dua hari dalam seminggu sesuai aturan KPU {link()}',
        f'{R.choice(p[3])} trending lagi, {R.choice(p2[3])} juga. Timeline isinya politik semua',
        f'Bawaslu {c} tertibkan baliho {name} dan {name2} yang melanggar {link()}',
        f'{replyto(p)}Maaf salah kirim tadi, maksudnya buat grup kantor 🙏',
    ]
    return (*pick(t, 'x-neutral'), 'NEUTRAL')

def x_side():
    name, p = pair(); name2, p2 = pair()
    while p2 is p:
        name2, p2 = pair()
    tag, slog, n, hand = R.choice(p[3]), R.choice(p[4]), p[1], p[2]
    tp = R.choice(TOPICS); pos = R.choice(EMO_POS); neg = R.choice(EMO_NEG)
    sup = [
        f'{name} the best! Gak ada lawan {pos}{pos} {tag}',
        f'Fix pilih {name}, udah kelihatan kerjanya {hand}',
        f'Makin yakin sama {name}, {slog}! {tag}',
        f'{replyto(p)}Setuju, {name} paling pantas pimpin Indonesia {pos}',
        f'Yg lain cuma omong, {name} udah bukti. {tag}',
        f'Pokoknya nomor {n} menang!! {hand}{hand}',
        f'Mending {name} daripada {name2}, jelas programnya soal {tp}',
        f'{replyto(p)}Gas terus {name}, kami di belakangmu {pos} {tag}',
        f'Bangga jadi pendukung {name}! {slog} {hand}',
        f'Indonesia butuh {name}, bukan yang lain. {tag} {R.choice(p[3])}',
    ]
    opp = [
        f'Jangan sampai {name} menang, bisa hancur negeri ini {neg}',
        f'{name} cuma jualan gimmick, ga ada gagasan soal {tp} {neg}',
        f'{replyto(p)}Capres gagal, pendukungnya juga halu {neg}',
        f'Survei bayaran itu, {name} aslinya anjlok wkwk {neg}',
        f'Kalau {name} menang, siap-siap harga {tp} naik semua. Ogah!',
        f'{replyto(p)}Ngaku pro rakyat tapi {tp} aja gak beres. {name} no!',
        f'Udah cukup 10 tahun, jangan dilanjutkan sama {name} {neg}',
        f'{name} pasangan paling ga layak, dinasti dan curang {neg}',
    ]
    if R.random() < 0.6:
        return (*pick(sup, 'x-support'), 'SUPPORT')
    return (*pick(opp, 'x-oppose'), 'OPPOSE')

def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'training', 'asn-posts.ndjson')
    rows, seen = [], set()
    plan = [(support, 1100), (oppose, 550), (neutral, 1300), (x_neutral, 700), (x_side, 500), (long_neutral, 300)]
    for fn, n in plan:
        k = 0; tries = 0
        while k < n and tries < n * 20:
            tries += 1
            text, group, label = fn()
            if not text:
                continue
            text = decorate(text, EMO_NEG if label == 'OPPOSE' else EMO_POS)
            text = ' '.join(text.split())
            if text in seen:
                continue
            seen.add(text); rows.append({'text': text, 'label': label, 'group': group}); k += 1
    R.shuffle(rows)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    print(f'{out}: {len(rows)} posts', file=sys.stderr)

if __name__ == '__main__':
    main()
