/*
 * labels.c - the Indonesian words for the codes Netra stores and shows: one
 * catalogue for the web app (GET /api/labels) and anything else that shows
 * a code to a person. Codes stay as they are in the database and the API
 * (scripts and tests read them); only what a person reads is translated.
 * Kinds of lexicon entries and SKB categories come from the lexicon module;
 * the rest is here, by group.
 */
#include "review.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"

#include "lexicon.h"

struct pair {
    const char *code, *label;
};

static const struct pair levels[] = {
    { "none", "tidak ada" }, { "review", "tinjau" }, { "priority", "prioritas" }, { NULL, NULL }
};
static const struct pair statuses[] = {
    { "pending", "menunggu" },     { "awaiting_second", "menunggu peninjau kedua" },
    { "confirmed", "terbukti" },   { "dismissed", "ditolak" },
    { "escalated", "dieskalasi" }, { NULL, NULL }
};
static const struct pair decisions[] = { { "confirm", "konfirmasi" },
                                         { "dismiss", "tolak" },
                                         { "escalate", "eskalasi" },
                                         { "agree", "konfirmasi kedua" },
                                         { "disagree", "tidak setuju (ke penyelia)" },
                                         { "undo", "pembatalan" },
                                         { NULL, NULL } };
static const struct pair reasons[] = { { "berita", "berita atau kutipan" },
                                       { "netral", "tidak berpihak" },
                                       { "bukan_akun", "bukan akun pegawai" },
                                       { "candaan", "candaan" },
                                       { "lainnya", "lainnya" },
                                       { NULL, NULL } };
static const struct pair roles[] = { { "reviewer", "peninjau" },
                                     { "supervisor", "penyelia" },
                                     { "analyst", "analis" },
                                     { "admin", "admin" },
                                     { NULL, NULL } };
static const struct pair platforms[] = { { "mastodon", "Mastodon" },
                                         { "bluesky", "Bluesky" },
                                         { "x", "X (Twitter)" },
                                         { "feed", "umpan web (RSS/Atom)" },
                                         { NULL, NULL } };
static const struct pair crawl_states[] = { { "new", "belum pernah diambil" },
                                            { "suspended", "akun ditangguhkan" },
                                            { "private", "akun privat" },
                                            { "ok", "terpantau" },
                                            { "not_found", "akun tidak ditemukan" },
                                            { "rate_limited", "dibatasi server" },
                                            { "error", "gagal" },
                                            { "skipped", "dilewati" },
                                            { NULL, NULL } };
static const struct pair sides[] = { { "support", "mendukung" },
                                     { "oppose", "menentang" },
                                     { "neutral", "tidak berpihak" },
                                     { "none", "tidak berpihak" },
                                     { NULL, NULL } };
static const struct pair interactions[] = {
    { "post", "unggahan" }, { "repost", "unggah ulang" }, { "reply", "balasan" },
    { "quote", "kutipan" }, { "comment", "komentar" },    { "follow", "mengikuti akun" },
    { NULL, NULL }
};
static const struct pair actions[] = { { "item.media", "mengunduh lampiran asli" },
                                       { "item.claim", "mengambil butir" },
                                       { "item.decide", "memutuskan butir" },
                                       { "item.raw", "mengambil data asli butir" },
                                       { "item.undo", "membatalkan keputusan" },
                                       { "case.open", "membuka kasus" },
                                       { "case.advance", "memajukan kasus" },
                                       { "case.export", "mengekspor berkas kasus" },
                                       { "case.assign", "menugaskan kasus" },
                                       { "case.note", "menulis catatan kasus" },
                                       { "case.attach", "melampirkan dokumen kasus" },
                                       { "case.document", "mengambil dokumen kasus" },
                                       { "config.set", "mengubah pengaturan" },
                                       { "lexicon.import", "mengimpor leksikon" },
                                       { "lexicon.activate", "mengaktifkan leksikon" },
                                       { "model.import", "mengimpor model sikap" },
                                       { "model.activate", "mengaktifkan model sikap" },
                                       { "employees.import", "mengimpor pegawai" },
                                       { "accounts.import", "mengimpor akun" },
                                       { "user.add", "menambah pengguna" },
                                       { "user.deactivate", "menonaktifkan pengguna" },
                                       { "user.link", "menautkan pengguna OS" },
                                       { "user.password", "mengganti sandi" },
                                       { "retention.purge", "menghapus data lama" },
                                       { "audit.key", "memasang kunci audit" },
                                       { NULL, NULL } };
static const struct pair objects[] = { { "item", "butir" },        { "case", "kasus" },
                                       { "lexicon", "leksikon" },  { "model", "model" },
                                       { "user", "pengguna" },     { "employees", "pegawai" },
                                       { "accounts", "akun" },     { "audit", "audit" },
                                       { "retention", "retensi" }, { NULL, NULL } };
static const struct pair media_kinds[] = { { "image", "gambar" },        { "video", "video" },
                                           { "audio", "audio" },         { "link", "kartu tautan" },
                                           { "other", "lampiran lain" }, { NULL, NULL } };
static const struct pair media_states[] = { { "pending", "menunggu diambil" },
                                            { "stored", "disimpan" },
                                            { "recorded", "hanya URL dan metadata dicatat" },
                                            { "refused", "ditolak" },
                                            { "failed", "gagal diambil" },
                                            { NULL, NULL } };
static const struct pair sources[] = { { "alt", "teks alternatif" },
                                       { "ocr", "teks dalam gambar" },
                                       { NULL, NULL } };

static const struct {
    const char *group;
    const struct pair *v;
} groups[] = {
    { "media_kind", media_kinds },
    { "media_state", media_states },
    { "source", sources },
    { "level", levels },
    { "status", statuses },
    { "decision", decisions },
    { "reason", reasons },
    { "role", roles },
    { "platform", platforms },
    { "crawl_state", crawl_states },
    { "side", sides },
    { "interaction", interactions },
    { "action", actions },
    { "object", objects },
};

const char *nt_label(const char *group, const char *code)
{
    if (!group || !code)
        return NULL;
    if (strcmp(group, "kind") == 0) {
        int k = nt_lex_kind_from_name(code);
        return k >= 0 ? nt_lex_kind_label((enum nt_lex_kind)k) : NULL;
    }
    if (strcmp(group, "category") == 0) {
        const struct nt_skb_category *c = nt_skb_category(code);
        return c ? c->title : NULL;
    }
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
        if (strcmp(groups[g].group, group) == 0)
            for (const struct pair *p = groups[g].v; p->code; p++)
                if (strcmp(p->code, code) == 0)
                    return p->label;
    return NULL;
}

json_t *nt_labels_json(void)
{
    json_t *o = json_object(), *kinds = json_object(), *cats = json_object();
    if (!o || !kinds || !cats) {
        json_decref(o);
        json_decref(kinds);
        json_decref(cats);
        return NULL;
    }
    for (int k = 0; k < NT_LEX_KIND_COUNT; k++)
        json_object_set_new(kinds, nt_lex_kind_name((enum nt_lex_kind)k),
                            json_string(nt_lex_kind_label((enum nt_lex_kind)k)));
    json_object_set_new(o, "kind", kinds);
    for (size_t i = 0; i < NT_LEX_CATEGORY_COUNT; i++) {
        const char *code = nt_lex_category_code((int)i);
        json_object_set_new(cats, code, json_string(nt_skb_category(code)->title));
    }
    json_object_set_new(o, "category", cats);
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        json_t *m = json_object();
        for (const struct pair *p = groups[g].v; p->code; p++)
            json_object_set_new(m, p->code, json_string(p->label));
        json_object_set_new(o, groups[g].group, m);
    }
    /* The zone of each province code that is not WIB: {"51": ["WITA", 8]}. */
    json_t *zones = json_object();
    for (int p = 11; p <= 99; p++) {
        char code[3] = { (char)('0' + p / 10), (char)('0' + p % 10), '\0' };
        int off;
        const char *z = nt_local_zone(code, &off);
        if (off != 7)
            json_object_set_new(zones, code, json_pack("[s, i]", z, off));
    }
    json_object_set_new(o, "zone", zones);
    return o;
}

const char *nt_local_zone(const char *region, int *utc_offset_hours)
{
    /* Kemendagri province codes: WITA for Bali, Nusa Tenggara, South,
     * East and North Kalimantan and Sulawesi; WIT for Maluku and Papua;
     * WIB for the rest (and when the region is not known). */
    int prov =
        region && region[0] >= '0' && region[0] <= '9' && region[1] >= '0' && region[1] <= '9'
            ? (region[0] - '0') * 10 + (region[1] - '0')
            : 0;
    int off = (prov >= 81) ? 9 : (prov >= 51 && prov <= 53) || (prov >= 63 && prov <= 76) ? 8 : 7;
    if (utc_offset_hours)
        *utc_offset_hours = off;
    return off == 9 ? "WIT" : off == 8 ? "WITA" : "WIB";
}

void nt_local_time(const char *iso, const char *region, char *out, size_t n)
{
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "Mei", "Jun",
                                          "Jul", "Agu", "Sep", "Okt", "Nov", "Des" };
    time_t t;
    if (!iso || !nt_time_parse(iso, &t)) {
        snprintf(out, n, "%s", iso ? iso : "-");
        return;
    }
    int off;
    const char *zone = nt_local_zone(region, &off);
    time_t lt = t + (time_t)off * 3600;
    struct tm tm;
    gmtime_r(&lt, &tm);
    snprintf(out, n, "%d %s %d %02d.%02d %s", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
             tm.tm_hour, tm.tm_min, zone);
}
