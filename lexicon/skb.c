/*
 * skb.c - the SKB 2022 violation matrix as reviewers and case files need
 * it: each code's form of violation, the ethics and discipline sanctions
 * the decree gives for it, and a severity used to order the review queue.
 * Wording is the project's own summary of the public decree; a sanction
 * shown here is a reference for people, never a decision.
 */
#include <string.h>

#include "lexicon.h"

static const struct nt_skb_category table[NT_LEX_CATEGORY_COUNT] = {
    { "APK", "Memasang spanduk, baliho atau alat peraga kampanye (bakal) calon", "sanksi moral",
      "hukuman disiplin berat", 3 },
    { "MEDSOS", "Kampanye atau sosialisasi (bakal) calon di media sosial/daring", "sanksi moral",
      "hukuman disiplin berat", 3 },
    { "ENGAGE",
      "Mengunggah, mengomentari, membagikan, menyukai, atau mengikuti akun/grup pemenangan calon",
      "sanksi moral", "hukuman disiplin berat", 3 },
    { "FOTO", "Mengunggah foto bersama calon/tim dengan simbol keberpihakan atau atribut partai",
      "sanksi moral", "hukuman disiplin berat", 3 },
    { "HADIR", "Menghadiri deklarasi/kampanye dan ikut mendukung secara aktif", "sanksi moral",
      "hukuman disiplin berat", 3 },
    { "KEGIATAN", "Mengadakan kegiatan yang mengarah pada keberpihakan (ajakan, imbauan, hadiah)",
      NULL, "hukuman disiplin berat", 3 },
    { "TIM", "Menjadi tim ahli, tim pemenangan atau konsultan (bakal) calon", NULL,
      "hukuman disiplin sedang (sebelum penetapan calon) atau berat (sesudahnya)", 3 },
    { "PENDEKATAN", "Melakukan pendekatan ke partai politik sebagai bakal calon tanpa cuti", NULL,
      "hukuman disiplin sedang", 2 },
    { "KTP", "Mendukung calon perseorangan dengan surat dukungan atau fotokopi KTP", NULL,
      "hukuman disiplin berat", 3 },
    { "KEPUTUSAN", "Membuat keputusan/tindakan yang menguntungkan atau merugikan peserta", NULL,
      "hukuman disiplin berat", 3 },
    { "PARPOL", "Menjadi anggota dan/atau pengurus partai politik", NULL,
      "pemberhentian tidak dengan hormat", 4 },
    { "LAIN", "Bentuk pelanggaran lain di luar matriks", NULL, "diputuskan Satgas kasus per kasus",
      1 },
};

const struct nt_skb_category *nt_skb_category(const char *code)
{
    int i = code ? nt_lex_category_index(code) : -1;
    return i >= 0 ? &table[i] : NULL;
}
