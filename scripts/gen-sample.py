#!/usr/bin/env python3
"""Generate Netra's bundled sample registry (data/sample/*.csv).

Every person here is fictional: names are random combinations of common
Indonesian given names, NIPs are random but valid, and every account lives
under the reserved .example top-level domain (or an obviously fake X handle)
so that no sample account can belong to a real person.

Deterministic: the same seed gives the same files. Run from the repository
root:  python3 scripts/gen-sample.py
"""
import csv
import json
import random

SEED = 20241127
rng = random.Random(SEED)

AGENCIES = [
    # (agency, region codes its employees sit in, units)
    ("Pemerintah Provinsi Sulawesi Barat", ["76", "76.04"],
     ["Sekretariat Daerah", "Dinas Pendidikan dan Kebudayaan", "Badan Kepegawaian Daerah",
      "Dinas Kesehatan", "Inspektorat"]),
    ("Pemerintah Kabupaten Mamuju", ["76.04"],
     ["Sekretariat Daerah", "Dinas Pertanian", "Dinas Kependudukan dan Pencatatan Sipil",
      "RSUD Mamuju"]),
    ("Pemerintah Kabupaten Polewali Mandar", ["76.02"],
     ["Sekretariat Daerah", "Dinas Pendidikan", "Dinas Sosial", "Bappeda"]),
    ("Pemerintah Provinsi Jawa Tengah", ["33", "33.74"],
     ["Sekretariat Daerah", "Dinas Pekerjaan Umum", "Badan Pendapatan Daerah",
      "Dinas Komunikasi dan Informatika"]),
    ("Pemerintah Kota Semarang", ["33.74"],
     ["Sekretariat Daerah", "Dinas Kesehatan", "Dinas Perhubungan", "Kecamatan Tembalang"]),
    ("Pemerintah Kota Samarinda", ["64.72"],
     ["Sekretariat Daerah", "Dinas Lingkungan Hidup", "Dinas Pendidikan", "Inspektorat"]),
    ("Badan Kepegawaian Contoh Nasional", ["31", "31.71"],
     ["Direktorat Pengawasan", "Biro Umum", "Pusat Data dan Informasi"]),
]

POSITIONS = {
    "JPT": ["Sekretaris Daerah", "Kepala Dinas", "Kepala Badan", "Asisten Pemerintahan",
            "Inspektur"],
    "Administrator": ["Kepala Bagian Umum", "Sekretaris Dinas", "Kepala Bidang Pelayanan",
                      "Kepala Bidang Perencanaan"],
    "Pengawas": ["Kepala Subbagian Keuangan", "Kepala Seksi Pendataan",
                 "Kepala Subbagian Umum dan Kepegawaian", "Kepala Seksi Pelayanan"],
    "Fungsional": ["Guru Ahli Pertama", "Analis Kebijakan Ahli Muda", "Perawat Terampil",
                   "Pranata Komputer Ahli Pertama", "Auditor Ahli Madya",
                   "Penyuluh Pertanian Ahli Muda", "Dokter Ahli Pertama", "Arsiparis Terampil"],
    "Pelaksana": ["Pengadministrasi Umum", "Pengelola Keuangan", "Operator Layanan Operasional",
                  "Pengemudi", "Pengelola Data"],
}
# Rough shape of a regional government: few leaders, many staff.
TYPE_WEIGHTS = [("JPT", 3), ("Administrator", 8), ("Pengawas", 15), ("Fungsional", 44),
                ("Pelaksana", 30)]

MALE = ["Andi", "Budi", "Eko", "Gilang", "Hendra", "Joko", "Rahmat", "Teguh", "Wahyu", "Zainal",
        "Bambang", "Arif", "Dedi", "Fajar", "Irfan", "Yusuf", "Rizki", "Agus", "Hasan", "Made",
        "Putu", "Syamsul", "Muhammad", "Taufik", "Ilham", "Rudi", "Sultan", "Aswin", "Fadli"]
FEMALE = ["Citra", "Dewi", "Fitri", "Indah", "Kartika", "Lestari", "Sari", "Utami", "Yuni", "Ayu",
          "Rina", "Wulan", "Nurul", "Siti", "Anisa", "Dian", "Maya", "Ratna", "Hasnah", "Nur'aini",
          "Sri", "Evi", "Kadek", "Rosmini", "Fatimah", "Intan", "Mega", "Aulia"]
FAMILY = ["Pratama", "Saputra", "Wijaya", "Hidayat", "Kurniawan", "Santoso", "Nugroho", "Rahayu",
          "Setiawan", "Permana", "Syahputra", "Hamzah", "Rasyid", "Mappanyompa", "Lolo", "Tandiarrang",
          "Wulandari", "Handayani", "Puspitasari", "Maharani", "Firmansyah", "Ramadhan", "Halim",
          "Susanti", "Anggraini", "Purnomo", "Sitompul", "Batubara", "Mahmud", "Daeng"]
DEGREES = ["", "", "", "S.Pd.", "S.Kom.", "S.E.", "S.H., M.H.", "S.Kep., Ns.", "S.T.", "M.Si."]

INSTANCES = ["masto.contoh.example", "sosial.example", "warga.example"]


def nip_for(birth_y, rng):
    while True:
        m = rng.randint(1, 12)
        d = rng.randint(1, 28)
        start_y = rng.randint(birth_y + 19, min(birth_y + 35, 2024))
        start_m = rng.randint(1, 12)
        return birth_y, m, d, start_y, start_m


# Post texts written for the demo: everyday office life, news and
# neutrality socialisation (most of them), and campaigning in the forms the
# matcher must see through (a minority).
NEUTRAL = [
    "Selamat pagi rekan-rekan, rapat koordinasi dimulai jam 9 di aula.",
    "Alhamdulillah pelayanan KTP elektronik hari ini lancar, terima kasih warga.",
    "Apel pagi bersama Sekda, semangat melayani masyarakat!",
    "Ingat ya, ASN wajib menjaga netralitas pada Pemilu 2024. Dilarang ikut kampanye.",
    "Sosialisasi netralitas ASN bersama Bawaslu di kantor kecamatan siang ini.",
    "Hasil survei elektabilitas capres menurut lembaga survei minggu ini, sekadar info.",
    "Debat capres semalam dibahas di berita pagi, kata pengamat berlangsung panas.",
    "Distribusi logistik pemilu: surat suara tiba di gudang KPU kabupaten.",
    "Antrean nomor 2 silakan menuju loket pelayanan, terima kasih.",
    "Kucing kantor makin gemoy aja, dikasih makan terus sama satpam.",
    "Banteng di peternakan desa binaan sudah divaksin semua.",
    "Bayar PKB sekarang bisa di Samsat keliling depan kantor camat.",
    "Selamat hari guru untuk semua pendidik hebat!",
    "Pohon beringin di alun-alun dipangkas petugas DLH pagi ini.",
    "Pak Anies dari bagian umum tolong cek surat masuk ya.",
    "Relawan banjir dari dinas sosial sudah tiba di posko bencana.",
    "Workshop penyusunan SKP tahun depan, jangan lupa bawa laptop.",
    "Ganjaran bagi yang disiplin: tunjangan kinerja penuh.",
]
CAMPAIGN = [
    "Ayo coblos 02! #PrabowoGibran2024",
    "Salam dua jari ✌🏻 nomor urut 2 pasti menang",
    "pr4b0w0 g1br4n m4ntap, ayo pilih nomor 2",
    "𝐀𝐲𝐨 𝐝𝐮𝐤𝐮𝐧𝐠 𝐆𝐚𝐧𝐣𝐚𝐫 𝐌𝐚𝐡𝐟𝐮𝐝 🤟",
    "#AMIN #AminAjaDulu semangat perubahan",
    "Jangan lupa coblos nomor 3 ya 🤟 #GanjarMahfud2024",
    "Malam ini rapat relawan Prabowo Gibran di posko pemenangan kecamatan",
    "Yuk kumpulin fotokopi KTP buat dukung calon kita",
    "Sudah pasang baliho Anies Muhaimin di depan rumah",
    "ᴀᴍɪɴ ᴀᴊᴀ ᴅᴜʟᴜ, jangan lupa coblos ☝️",
    "Coblos G A N J A R sekarang juga",
    "Ayo menangkan PDI Perjuangan di pileg!",
]


def make_posts(accounts):
    rng2 = random.Random(SEED + 1)
    posts = []
    for n, a in enumerate(accounts):
        k = rng2.choice([0, 1, 1, 2])
        for j in range(k):
            campaign = rng2.random() < 0.12
            text = rng2.choice(CAMPAIGN if campaign else NEUTRAL)
            day = 1 + rng2.randrange(28)
            posts.append({
                "id": f"demo-{n}-{j}",
                "platform": a["platform"],
                "account": a["account"],
                "text": text,
                "created_at": f"2023-12-{day:02d}T{rng2.randrange(24):02d}:{rng2.randrange(60):02d}:00Z",
                "type": rng2.choice(["post", "post", "post", "repost", "reply"]),
            })
    return posts


def main():
    employees = []
    used = set()
    per_agency = [52, 44, 44, 48, 46, 46, 50]  # 330 people
    for (agency, regions, units), count in zip(AGENCIES, per_agency):
        types = [t for t, w in TYPE_WEIGHTS for _ in range(w)]
        for i in range(count):
            ptype = "JPT" if i == 0 else rng.choice(types)
            sex = rng.choice([1, 2])
            first = rng.choice(MALE if sex == 1 else FEMALE)
            second = rng.choice(FAMILY)
            degree = rng.choice(DEGREES) if ptype != "Pelaksana" else ""
            name = f"{first} {second}" + (f", {degree}" if degree else "")
            birth_y = rng.randint(1966, 2001)
            by, bm, bd, sy, sm = nip_for(birth_y, rng)
            while True:
                seq = rng.randint(1, 999)
                nip = f"{by:04d}{bm:02d}{bd:02d}{sy:04d}{sm:02d}{sex}{seq:03d}"
                if nip not in used:
                    used.add(nip)
                    break
            status = "PPPK" if ptype in ("Fungsional", "Pelaksana") and rng.random() < 0.2 else "PNS"
            employees.append({
                "nip": nip, "nama": name, "instansi": agency,
                "unit_kerja": rng.choice(units), "jenis_jabatan": ptype,
                "jabatan": rng.choice(POSITIONS[ptype]), "kode_wilayah": rng.choice(regions),
                "status": status, "_first": first, "_second": second,
            })

    accounts = []
    platforms = ["mastodon", "bluesky", "feed", "x"]
    for n, e in enumerate(employees):
        slug = (e["_first"] + "_" + e["_second"]).lower().replace("'", "")
        k = rng.choice([1, 1, 2, 2, 3])
        chosen = [platforms[n % 4]] + rng.sample(platforms, 3)
        seen = []
        for p in chosen:
            if p not in seen:
                seen.append(p)
        for p in seen[:k]:
            endpoint = ""
            if p == "mastodon":
                inst = rng.choice(INSTANCES)
                acct = f"{slug}{n}@{inst}"
                if inst == "warga.example" and n % 3 == 0:
                    endpoint = "https://api.warga.example"
            elif p == "bluesky":
                acct = f"{slug.replace('_', '-')}{n}.bsky.example"
            elif p == "feed":
                acct = f"https://{slug.replace('_', '-')}{n}.blog.example/feed.xml"
            else:
                acct = f"ntdemo_{n:04d}"
            accounts.append({"nip": e["nip"], "platform": p, "account": acct,
                             "endpoint": endpoint})

    with open("data/sample/employees.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["nip", "nama", "instansi", "unit_kerja",
                                          "jenis_jabatan", "jabatan", "kode_wilayah", "status"],
                           extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(employees)
    with open("data/sample/accounts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["nip", "platform", "account", "endpoint"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(accounts)
    posts = make_posts(accounts)
    with open("data/sample/posts.ndjson", "w", encoding="utf-8") as f:
        for p in posts:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{len(employees)} employees, {len(accounts)} accounts, {len(posts)} posts")


if __name__ == "__main__":
    main()
