/*
 * test_stance.c - unit tests of the stance engine: feature extraction is
 * candidate-agnostic (another pair's names give the same features), a run
 * of one unit (thirteen mentions) counts once, generic vocabulary keeps its words, feature names
 * stay valid UTF-8; the lexicon gate ignores the accounts a reply opens
 * with and counts the contest named; training is deterministic and
 * balances each source's classes; a model survives saving and
 * loading with the same predictions; a truncated, altered or foreign model
 * file is refused with its name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lexicon.h"
#include "matcher.h"
#include "stance.h"
#include "utf8.h"

/* Two pairs written alike, so that only the names differ. */
static const char lexj[] =
    "{\"format\":\"netra-lexicon\",\"version\":\"u\",\"election\":\"e\","
    "\"thresholds\":{\"review\":3,\"priority\":6},"
    "\"contestants\":[{\"id\":\"p1\",\"type\":\"pair\",\"number\":\"1\",\"label\":\"A\"},"
    "{\"id\":\"p3\",\"type\":\"pair\",\"number\":\"3\",\"label\":\"G\"}],\"entries\":["
    "{\"id\":\"c1\",\"kind\":\"candidate\",\"refers_to\":\"p1\",\"weight\":2,"
    "\"terms\":[\"anies muhaimin\",\"aniesmuhaimin\"]},"
    "{\"id\":\"c3\",\"kind\":\"candidate\",\"refers_to\":\"p3\",\"weight\":2,"
    "\"terms\":[\"ganjar mahfud\",\"ganjarmahfud\"]},"
    "{\"id\":\"ev\",\"kind\":\"election_event\",\"weight\":0,\"terms\":[\"pilkada\"]},"
    "{\"id\":\"jelek\",\"kind\":\"attack\",\"specificity\":\"low\",\"terms\":[\"suka bohong\"]},"
    "{\"id\":\"h1\",\"kind\":\"hand_symbol\",\"refers_to\":\"p1\",\"specificity\":\"low\","
    "\"emoji\":[\"\\u261d\"]},"
    "{\"id\":\"h3\",\"kind\":\"hand_symbol\",\"refers_to\":\"p3\",\"specificity\":\"low\","
    "\"emoji\":[\"\\ud83e\\udd1f\"]},"
    "{\"id\":\"cta\",\"kind\":\"call_to_action\",\"terms\":[\"ayo dukung\",\"coblos\"]},"
    "{\"id\":\"net\",\"kind\":\"neutral_context\",\"weight\":-3,\"terms\":[\"netralitas\"]}],"
    "\"rules\":[{\"id\":\"r\",\"label\":\"r\",\"category\":\"MEDSOS\",\"score\":4,"
    "\"all\":[\"call_to_action\",\"@contestant\"]}]}";

struct fx {
    struct nt_norm *norm;
    struct nt_lex *lex;
    struct nt_matcher *m;
    struct nt_scanner *sc;
    struct nt_stance_vec v;
    struct nt_stance_names names;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct nt_diag d;
    struct nt_diag_list errs;
    nt_diag_list_init(&errs, 10);
    *state = NULL;
    if (!f || nt_norm_new(&f->norm, &d) != NT_OK ||
        nt_lex_parse("u", lexj, strlen(lexj), &f->lex, &errs, &d) != NT_OK ||
        nt_match_compile(f->lex, f->norm, &f->m, &errs, &d) != NT_OK ||
        nt_scanner_new(f->m, &f->sc) != NT_OK)
        return -1;
    nt_diag_list_release(&errs);
    nt_stance_vec_init(&f->v);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    if (!f)
        return 0;
    nt_stance_vec_release(&f->v);
    nt_stance_names_release(&f->names);
    nt_scanner_free(f->sc);
    nt_match_free(f->m);
    nt_lex_free(f->lex);
    nt_norm_free(f->norm);
    free(f);
    return 0;
}

/* Features of `text` into f->v (and names when `named`). */
static void extract(struct fx *f, const char *text, bool named)
{
    const struct nt_result *r;
    assert_int_equal(nt_scan(f->sc, text, strlen(text), NULL, &r), NT_OK);
    assert_int_equal(nt_stance_extract(f->lex, nt_scanner_text(f->sc), r, text, strlen(text), 16,
                                       NULL, &f->v, named ? &f->names : NULL),
                     NT_OK);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void test_candidate_agnostic(void **state)
{
    struct fx *f = *state;
    uint32_t a[512], b[512];
    extract(f, "Ayo dukung Ganjar Mahfud sampai akhir \xf0\x9f\xa4\x9f", false);
    size_t na = f->v.n;
    assert_true(na > 10 && na < 512);
    memcpy(a, f->v.ids, na * sizeof(*a));
    assert_true(f->v.relevant);
    extract(f, "Ayo dukung Anies Muhaimin sampai akhir \xe2\x98\x9d\xef\xb8\x8f", false);
    assert_int_equal(f->v.n, na);
    memcpy(b, f->v.ids, na * sizeof(*b));
    qsort(a, na, sizeof(*a), cmp_u32);
    qsort(b, na, sizeof(*b), cmp_u32);
    assert_memory_equal(a, b, na * sizeof(*a));
    /* A word that differs does change the features. */
    extract(f, "Ayo dukung Anies Muhaimin sampai menang \xe2\x98\x9d\xef\xb8\x8f", false);
    memcpy(b, f->v.ids, f->v.n * sizeof(*b));
    qsort(b, f->v.n, sizeof(*b), cmp_u32);
    assert_true(f->v.n != na || memcmp(a, b, na * sizeof(*a)) != 0);
}

static void test_runs_count_once(void **state)
{
    struct fx *f = *state;
    extract(f, "@a @b @c @d @e @f @g @h @i @j @k @l @m Ganjar Mahfud coblos", false);
    uint32_t ids[512];
    memcpy(ids, f->v.ids, f->v.n * sizeof(*ids));
    qsort(ids, f->v.n, sizeof(*ids), cmp_u32);
    for (size_t i = 1; i < f->v.n; i++)
        assert_true(ids[i] != ids[i - 1]);
}

static bool has_name(const struct nt_stance_names *n, enum nt_stance_group g, const char *text)
{
    for (size_t i = 0; i < n->n; i++)
        if (n->v[i].group == g && strcmp(n->v[i].text, text) == 0)
            return true;
    return false;
}

static void test_names(void **state)
{
    struct fx *f = *state;
    extract(f, "Ayo dukung Ganjar Mahfud, coblos! \xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
            true);
    /* The names stand for the features that were made, in order. */
    assert_true(f->names.n >= f->v.n);
    for (size_t i = 0; i < f->names.n; i++)
        assert_true(nt_utf8_valid(f->names.v[i].text, strlen(f->names.v[i].text), NULL));
    /* The name became its kind; the generic call kept its words. */
    assert_true(has_name(&f->names, NT_SG_WORD, "<calon>"));
    assert_true(has_name(&f->names, NT_SG_WORD, "coblos"));
    assert_true(has_name(&f->names, NT_SG_BIGRAM, "ayo dukung"));
    assert_false(has_name(&f->names, NT_SG_WORD, "ganjar"));
    assert_true(has_name(&f->names, NT_SG_KIND, "calon"));
    assert_true(has_name(&f->names, NT_SG_RULE, "MEDSOS"));
    /* Without a contestant the post does not pass the lexicon gate. */
    extract(f, "Ayo dukung tim voli kantor", false);
    assert_false(f->v.relevant);
}

/* The shape of a post's punctuation, wherever it stands: in the first
 * bytes, in a 16-byte block the vector pass reads, or in the short tail
 * after the last block. */
static void test_shape_marks(void **state)
{
    struct fx *f = *state;
    static const char pad[] = "Ganjar Mahfud menang di sini sekali lagi dan lagi ";
    static const struct {
        const char *mark, *shape;
    } marks[] = {
        { "?", "pertanyaan" },
        { "!", "seruan" },
        { "\"kata\"", "kutipan" },
        { "\xe2\x80\x9ckata\xe2\x80\x9d", "kutipan" },
        { "lihat https://contoh.example/a lagi", "ada tautan" },
    };
    char text[256];
    for (size_t k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
        for (size_t at = 0; at < sizeof(pad); at += 7) {
            snprintf(text, sizeof(text), "%.*s %s %s", (int)at, pad, marks[k].mark, pad + at);
            extract(f, text, true);
            if (!has_name(&f->names, NT_SG_SHAPE, marks[k].shape))
                fail_msg("\"%s\" in \"%s\" gives no \"%s\"", marks[k].mark, text, marks[k].shape);
        }
    /* Without them, none of those shapes; an ellipsis (E2 80 A6) is no quote. */
    extract(f, "Ganjar Mahfud menang di sini sekali lagi dan lagi \xe2\x80\xa6 ya", true);
    assert_false(has_name(&f->names, NT_SG_SHAPE, "pertanyaan"));
    assert_false(has_name(&f->names, NT_SG_SHAPE, "seruan"));
    assert_false(has_name(&f->names, NT_SG_SHAPE, "kutipan"));
    assert_false(has_name(&f->names, NT_SG_SHAPE, "ada tautan"));
}

/* A link at the end: the last word (after a space, newline or tab, trailing
 * whitespace aside) starts with "http", whatever its length; "-lah" is a
 * command ("pilihlah"), a short word ending so is not. */
static void test_shape_link_end(void **state)
{
    struct fx *f = *state;
    static const char *const yes[] = {
        "Ganjar Mahfud menang http",
        "Ganjar Mahfud menang https://t.co/a",
        "Ganjar Mahfud menang\nhttps://contoh.example/sangat/panjang/sekali/jalurnya/ya",
        "Ganjar Mahfud menang\thttps://contoh.example/x  \n",
        "https://contoh.example/hanya-tautan-yang-panjang-sekali-lebih-dari-32-byte",
    };
    static const char *const no[] = {
        "Ganjar Mahfud menang https://t.co/a ya",
        "Ganjar Mahfud menang lihat:https://contoh.example/sangat/panjang/sekali/jalurnya",
        "Ganjar Mahfud menang xhttps",
    };
    for (size_t k = 0; k < sizeof(yes) / sizeof(yes[0]); k++) {
        extract(f, yes[k], true);
        if (!has_name(&f->names, NT_SG_SHAPE, "tautan di akhir"))
            fail_msg("no link at the end in \"%s\"", yes[k]);
    }
    for (size_t k = 0; k < sizeof(no) / sizeof(no[0]); k++) {
        extract(f, no[k], true);
        if (has_name(&f->names, NT_SG_SHAPE, "tautan di akhir"))
            fail_msg("a link at the end in \"%s\"", no[k]);
    }
    extract(f, "Pilihlah Ganjar Mahfud", true);
    assert_true(has_name(&f->names, NT_SG_SHAPE, "ajakan atau perintah"));
    extract(f, "Sudah lah, Ganjar Mahfud menang", true);
    assert_false(has_name(&f->names, NT_SG_SHAPE, "ajakan atau perintah"));
}

/* The gate: the accounts a reply opens with do not make a post about the
 * election, a name in the text does (a mention too, past the opening run);
 * the contest named ("pilkada") does, for a local candidate the lexicon
 * cannot know. */
static void test_gate(void **state)
{
    struct fx *f = *state;
    extract(f, "@aniesmuhaimin @warga_biasa kapan main ke Solo lagi?", false);
    assert_false(f->v.relevant);
    extract(f, "@warga_biasa kapan debat Anies Muhaimin?", false);
    assert_true(f->v.relevant);
    extract(f, "@warga_biasa setuju, @ganjarmahfud memang hebat", false);
    assert_true(f->v.relevant);
    /* A finger emoji beside words needs other evidence, and the opening
     * mentions are not that; a call is. */
    extract(f, "@aniesmuhaimin @warga_biasa setuju \xe2\x98\x9d berpolitik yang gembira", false);
    assert_false(f->v.relevant);
    extract(f, "@aniesmuhaimin @warga_biasa setuju \xe2\x98\x9d ayo dukung", false);
    assert_true(f->v.relevant);
    /* An attack (or praise) in a reply to the contestant's own account
     * speaks to the contestant addressed; to anyone else's it does not. */
    extract(f, "@aniesmuhaimin @warga_biasa dasar suka bohong", false);
    assert_true(f->v.relevant);
    extract(f, "@warga_biasa @teman_kantor dasar suka bohong", false);
    assert_false(f->v.relevant);
    extract(f, "Ayo dukung Pak Hendra di pilkada nanti", false);
    assert_true(f->v.relevant);
    extract(f, "Ayo dukung Pak Hendra di lomba voli nanti", false);
    assert_false(f->v.relevant);
}

/* A small labelled set: calls for a pair against neutral talk. */
static void build_set(struct fx *f, struct nt_stance_set *set)
{
    static const char *const side[] = {
        "Ayo dukung Ganjar Mahfud sampai menang",
        "coblos Anies Muhaimin ya teman-teman",
        "Saya pilih Ganjar Mahfud, pasti menang",
        "Ayo dukung Anies Muhaimin \xe2\x98\x9d",
        "Jangan lupa coblos Ganjar Mahfud \xf0\x9f\xa4\x9f",
        "Anies Muhaimin terbaik, ayo dukung",
    };
    static const char *const neutral[] = {
        "Debat Ganjar Mahfud dan Anies Muhaimin semalam membahas pangan",
        "Netralitas ASN wajib dijaga, termasuk soal Anies Muhaimin",
        "Jadwal kampanye Ganjar Mahfud minggu ini menurut KPU",
        "Survei terbaru: Anies Muhaimin dan Ganjar Mahfud bersaing",
        "Sosialisasi netralitas di kantor hari ini",
        "Berita: Ganjar Mahfud hadiri acara di Solo",
    };
    nt_stance_set_init(set, 16);
    for (int rep = 0; rep < 3; rep++)
        for (size_t i = 0; i < 6; i++) {
            extract(f, side[i], false);
            assert_int_equal(
                nt_stance_set_add(set, &f->v, i % 3 ? NT_LABEL_SUPPORT : NT_LABEL_OPPOSE, 0),
                NT_OK);
            extract(f, neutral[i], false);
            assert_int_equal(nt_stance_set_add(set, &f->v, NT_LABEL_NEUTRAL, 0), NT_OK);
        }
}

static void test_train_save_load(void **state)
{
    struct fx *f = *state;
    struct nt_stance_set set;
    struct nt_stance_params p;
    struct nt_stance_model *m1, *m2, *m3, *bad = NULL;
    struct nt_diag d;
    void *b1, *b2;
    size_t n1, n2;
    build_set(f, &set);
    nt_stance_params_default(&p);
    p.folds = 3;
    assert_int_equal(nt_stance_train(&set, &p, NULL, NULL, &m1, &d), NT_OK);
    assert_int_equal(nt_stance_train(&set, &p, NULL, NULL, &m2, &d), NT_OK);
    assert_int_equal(nt_stance_save(m1, &b1, &n1, &d), NT_OK);
    assert_int_equal(nt_stance_save(m2, &b2, &n2, &d), NT_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1); /* deterministic */
    assert_int_equal(nt_stance_load("m.bin", b1, n1, &m3, &d), NT_OK);
    assert_string_equal(nt_stance_info(m3)->sha256, nt_stance_info(m1)->sha256);
    /* The same predictions after a round trip, and the classes apart. */
    struct nt_stance_result r1, r3;
    extract(f, "Ayo dukung Ganjar Mahfud, pasti menang", false);
    nt_stance_predict(m1, &f->v, &r1);
    nt_stance_predict(m3, &f->v, &r3);
    assert_true(r1.p_side == r3.p_side && r1.p_oppose == r3.p_oppose);
    assert_true(r1.p_side > 0.5);
    extract(f, "Survei terbaru: jadwal debat Ganjar Mahfud menurut KPU", false);
    nt_stance_predict(m3, &f->v, &r3);
    assert_true(r3.p_side < r1.p_side);
    /* The scoring path (weights summed as features are made, nothing
     * stored) gives exactly what extraction and prediction give; a post
     * that fails the gate is skipped. */
    static const char *const texts[] = { "Ayo dukung Ganjar Mahfud, pasti menang",
                                         "Survei terbaru: jadwal debat Anies Muhaimin menurut KPU",
                                         "@aniesmuhaimin dasar suka bohong \xe2\x98\x9d",
                                         "coblos Anies Muhaimin kata wartawan?" };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const struct nt_result *r;
        struct nt_stance_vec sv;
        struct nt_stance_result a, b;
        nt_stance_vec_init(&sv);
        extract(f, texts[i], false);
        nt_stance_predict(m3, &f->v, &a);
        assert_int_equal(nt_scan(f->sc, texts[i], strlen(texts[i]), NULL, &r), NT_OK);
        assert_int_equal(nt_stance_score(m3, f->lex, nt_scanner_text(f->sc), r, texts[i],
                                         strlen(texts[i]), &sv, &b),
                         NT_OK);
        assert_false(b.skipped);
        assert_true(a.p_side == b.p_side && a.p_oppose == b.p_oppose && a.level == b.level);
        assert_int_equal(sv.n, f->v.n);
        nt_stance_vec_release(&sv);
    }
    {
        const struct nt_result *r;
        struct nt_stance_vec sv;
        struct nt_stance_result b;
        const char *t = "Ayo dukung tim voli kantor";
        nt_stance_vec_init(&sv);
        assert_int_equal(nt_scan(f->sc, t, strlen(t), NULL, &r), NT_OK);
        assert_int_equal(
            nt_stance_score(m3, f->lex, nt_scanner_text(f->sc), r, t, strlen(t), &sv, &b), NT_OK);
        assert_true(b.skipped && b.level == NT_LEVEL_NONE);
        assert_int_equal(nt_stance_level(&sv, &b), NT_LEVEL_NONE);
        nt_stance_vec_release(&sv);
    }

    /* Truncated, altered, foreign: refused with the file's name. */
    assert_int_equal(nt_stance_load("cut.bin", b1, n1 - 40, &bad, &d), NT_EINPUT);
    assert_string_equal(d.file, "cut.bin");
    ((unsigned char *)b2)[n2 / 2] ^= 1;
    assert_int_equal(nt_stance_load("flip.bin", b2, n2, &bad, &d), NT_EINPUT);
    assert_non_null(strstr(d.msg, "SHA-256"));
    assert_int_equal(nt_stance_load("x.json", "{\"format\":\"netra-lexicon\"}", 26, &bad, &d),
                     NT_EINPUT);
    assert_string_equal(d.file, "x.json");
    assert_null(bad);
    free(b1);
    free(b2);
    nt_stance_free(m3);
    nt_stance_free(m1);
    nt_stance_free(m2);
    nt_stance_set_release(&set);
}

/* Per-source balance: a source where most posts take a side (source 1:
 * twelve calls, three news items in the same words) no longer teaches its
 * own words as a sign of taking a side. Its neutral items score lower with
 * the balance than without, and the models differ. */
static void test_source_balance(void **state)
{
    struct fx *f = *state;
    struct nt_stance_set set;
    struct nt_stance_params p;
    struct nt_stance_model *with, *without;
    struct nt_diag d;
    build_set(f, &set);
    static const char *const side[] = { "Ganjar Mahfud di Solo, ayo dukung",
                                        "Ganjar Mahfud di Solo, coblos",
                                        "Ganjar Mahfud di Solo pasti menang" };
    for (int rep = 0; rep < 4; rep++)
        for (size_t i = 0; i < 3; i++) {
            extract(f, side[i], false);
            assert_int_equal(nt_stance_set_add(&set, &f->v, NT_LABEL_SUPPORT, 1), NT_OK);
        }
    for (int rep = 0; rep < 3; rep++) {
        extract(f, "Ganjar Mahfud di Solo hari ini", false);
        assert_int_equal(nt_stance_set_add(&set, &f->v, NT_LABEL_NEUTRAL, 1), NT_OK);
    }
    nt_stance_params_default(&p);
    p.folds = 3;
    assert_true(p.balance); /* the default */
    assert_int_equal(nt_stance_train(&set, &p, NULL, NULL, &with, &d), NT_OK);
    p.balance = false;
    assert_int_equal(nt_stance_train(&set, &p, NULL, NULL, &without, &d), NT_OK);
    struct nt_stance_result a, b;
    extract(f, "Ganjar Mahfud di Solo hari ini", false);
    nt_stance_predict(with, &f->v, &a);
    nt_stance_predict(without, &f->v, &b);
    assert_true(a.p_side < b.p_side);
    assert_string_not_equal(nt_stance_info(with)->sha256, nt_stance_info(without)->sha256);
    nt_stance_free(with);
    nt_stance_free(without);
    nt_stance_set_release(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_candidate_agnostic),
        cmocka_unit_test(test_runs_count_once),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_train_save_load),
        cmocka_unit_test(test_gate),
        cmocka_unit_test(test_shape_marks),
        cmocka_unit_test(test_shape_link_end),
        cmocka_unit_test(test_source_balance),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
