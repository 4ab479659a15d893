/*
 * test_matcher.c - unit tests of the lexicon and the matcher: candidate
 * name cleaning, lexicon checks, every normalisation form with its original
 * offsets, and scoring (weights, low specificity, windows, "not" items,
 * region scope and validity, more than 64 distinct rule items).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "diff.h"
#include "lexicon.h"
#include "matcher.h"
#include "names.h"

static struct nt_norm *norm;

static int setup(void **state)
{
    struct nt_diag d;
    (void)state;
    return nt_norm_new(&norm, &d) == NT_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    nt_norm_free(norm);
    return 0;
}

static void test_clean_names(void **state)
{
    char n[128], k[64];
    (void)state;
    assert_int_equal(nt_lex_clean_name("H. IRMAWAN, S.Sos., M.M.", n, sizeof(n), k, sizeof(k)), 1);
    assert_string_equal(n, "Irmawan");
    assert_true(nt_lex_name_is_common(n, 1));
    assert_int_equal(
        nt_lex_clean_name("Dr. (H.C.) H. A. MUHAIMIN ISKANDAR", n, sizeof(n), k, sizeof(k)), 2);
    assert_string_equal(n, "Muhaimin Iskandar");
    assert_string_equal(k, "");
    assert_int_equal(
        nt_lex_clean_name("MUNAWAR AR (NGOH WAN), S.Sos.I., M.Si", n, sizeof(n), k, sizeof(k)), 2);
    assert_string_equal(n, "Munawar Ar");
    assert_string_equal(k, "Ngoh Wan");
    assert_int_equal(nt_lex_clean_name("Tgk. H. SYARIFUDDIN, M.A.", n, sizeof(n), k, sizeof(k)), 1);
    assert_string_equal(n, "Syarifuddin");
    nt_lex_clean_name("Prof. Dr. H. M. MAHFUD MD", n, sizeof(n), k, sizeof(k));
    assert_string_equal(n, "Mahfud Md");
    assert_true(nt_lex_name_is_common("Siti Aminah", 2));
    assert_false(nt_lex_name_is_common("Ramadhana Rusli Bintang", 3));
}

/* Normalised text of s, and the original substring of token i. */
static const char *norm_text(struct nt_normtext *t, const char *s)
{
    assert_int_equal(nt_norm_run(norm, s, strlen(s), t), NT_OK);
    return t->text;
}

static void expect_span(const struct nt_normtext *t, const char *s, size_t i, const char *orig)
{
    assert_true(i < t->ntoks);
    size_t n = t->toks[i].end - t->toks[i].start;
    if (n != strlen(orig) || memcmp(s + t->toks[i].start, orig, n) != 0)
        fail_msg("token %zu spans \"%.*s\", expected \"%s\"", i, (int)n, s + t->toks[i].start,
                 orig);
}

static void test_normalize_forms(void **state)
{
    struct nt_normtext t;
    (void)state;
    nt_normtext_init(&t);
    assert_string_equal(norm_text(&t, "Ayo COBLOS no.2!!"), "ayo coblos no 2");
    const char *s = "pr4b0w0 g4nj4r 4mien 2024 no2 paslon02";
    assert_string_equal(norm_text(&t, s), "prabowo ganjar amien 2024 no 2 paslon 02");
    expect_span(&t, s, 0, "pr4b0w0");
    expect_span(&t, s, 5, "2");
    s = "𝐀𝐧𝐢𝐞𝐬 Ｇａｎｊａｒ ᴀɴɪᴇs Ⓟⓡⓐⓑⓞⓦⓞ Mahfúd";
    assert_string_equal(norm_text(&t, s), "anies ganjar anies prabowo mahfud");
    expect_span(&t, s, 1, "Ｇａｎｊａｒ");
    expect_span(&t, s, 4, "Mahfúd");
    s = "menaaangkan G A N J A R  M A H F U D";
    assert_string_equal(norm_text(&t, s), "menangkan ganjar mahfud");
    expect_span(&t, s, 1, "G A N J A R");
    s = "Pra\xE2\x80\x8B"
        "bo\xE2\x80\x8Dwo";
    assert_string_equal(norm_text(&t, s), "prabowo");
    expect_span(&t, s, 0, s);
    s = "#PrabowoGibran2024 #KodeKita08Gemoy #AMIN #amin_aja_dulu";
    assert_string_equal(norm_text(&t, s),
                        "prabowo gibran 2024 kode kita 08 gemoy amin amin aja dulu");
    assert_true(t.toks[0].flags & NT_TOK_HASHTAG);
    expect_span(&t, s, 1, "Gibran");
    s = "☝🏻 ☝️ ☝ ✌🏽";
    assert_string_equal(norm_text(&t, s), "☝ ☝ ☝ ✌");
    assert_true(t.toks[0].flags & NT_TOK_EMOJI);
    assert_string_equal(norm_text(&t, "1\xEF\xB8\x8F\xE2\x83\xA3 2\xEF\xB8\x8F\xE2\x83\xA3"),
                        "1 2");
    s = "cek https://x.example/prabowo @Gerindra Nur'aini";
    assert_string_equal(norm_text(&t, s), "cek gerindra nuraini");
    assert_true(t.toks[1].flags & NT_TOK_MENTION);
    /* Invalid UTF-8 separates, it never breaks offsets. */
    s = "abc\xFF\xFE"
        "def";
    assert_string_equal(norm_text(&t, s), "abc def");
    expect_span(&t, s, 1, "def");
    assert_string_equal(norm_text(&t, ""), "");
    assert_int_equal(t.ntoks, 0);
    nt_normtext_release(&t);
}

/* Copies of one message share a key: other case, spacing, punctuation,
 * links, accounts addressed, fancy letters; other words, numbers or order
 * do not. */
static void test_text_key(void **state)
{
    struct nt_normtext t;
    char a[NT_TEXT_KEY_LEN + 1], b[NT_TEXT_KEY_LEN + 1];
    (void)state;
    nt_normtext_init(&t);
    static const char *const same[] = {
        "Ayo coblos 02 di TPS 5! #PrabowoGibran2024",
        "@warga_biasa AYO   COBLOS 02 di tps 5!!! #prabowogibran2024 https://contoh.example/x",
        "ayo coblos 02 di 𝐓𝐏𝐒 5 ... #PrabowoGibran2024 @kawan",
    };
    static const char *const other[] = {
        "Ayo coblos 03 di TPS 5! #PrabowoGibran2024",
        "Coblos ayo 02 di TPS 5! #PrabowoGibran2024",
        "Ayo coblos 02 di TPS 5! #PrabowoGibran2024 ✌",
    };
    norm_text(&t, same[0]);
    assert_int_equal(nt_norm_text_key(&t, a), NT_OK);
    assert_int_equal(strlen(a), NT_TEXT_KEY_LEN);
    for (size_t i = 1; i < sizeof(same) / sizeof(same[0]); i++) {
        norm_text(&t, same[i]);
        assert_int_equal(nt_norm_text_key(&t, b), NT_OK);
        if (strcmp(a, b) != 0)
            fail_msg("\"%s\" should share the key of \"%s\"", same[i], same[0]);
    }
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        norm_text(&t, other[i]);
        assert_int_equal(nt_norm_text_key(&t, b), NT_OK);
        if (strcmp(a, b) == 0)
            fail_msg("\"%s\" should not share the key of \"%s\"", other[i], same[0]);
    }
    /* Nothing but accounts and links: no key. */
    norm_text(&t, "@a @b https://contoh.example");
    assert_int_equal(nt_norm_text_key(&t, b), NT_OK);
    assert_string_equal(b, "");
    nt_normtext_release(&t);
}

static void test_slang(void **state)
{
    struct nt_norm *n2;
    struct nt_diag d;
    struct nt_diag_list errs;
    struct nt_normtext t;
    size_t loaded = 0;
    const char *csv = "slang,formal\njgn,jangan\ngk,tidak\nbgt,banget sekali\nyg,yang\n";
    (void)state;
    nt_diag_list_init(&errs, 10);
    assert_int_equal(nt_norm_new(&n2, &d), NT_OK);
    assert_int_equal(nt_norm_load_slang(n2, "s.csv", csv, strlen(csv), &loaded, &errs, &d), NT_OK);
    assert_int_equal(loaded, 4);
    nt_normtext_init(&t);
    const char *s = "Jgn lupa, bagus bgt";
    assert_int_equal(nt_norm_run(n2, s, strlen(s), &t), NT_OK);
    assert_string_equal(t.text, "jangan lupa bagus banget sekali");
    expect_span(&t, s, 3, "bgt");
    expect_span(&t, s, 4, "bgt");
    nt_normtext_release(&t);
    nt_norm_free(n2);
    nt_diag_list_release(&errs);
}

static const char small[] =
    "{\"format\":\"netra-lexicon\",\"version\":\"u1\",\"election\":\"uji\","
    "\"thresholds\":{\"review\":3,\"priority\":6},"
    "\"contestants\":[{\"id\":\"p1\",\"type\":\"pair\",\"label\":\"P\"}],"
    "\"entries\":["
    "{\"id\":\"nama\",\"kind\":\"candidate\",\"refers_to\":\"p1\",\"weight\":2,"
    "\"terms\":[\"budi santoso\",\"budi\"]},"
    "{\"id\":\"ajak\",\"kind\":\"call_to_action\",\"weight\":1,\"terms\":[\"ayo pilih\"],"
    "\"patterns\":[\"\\\\bcoblos\\\\b\"]},"
    "{\"id\":\"jari\",\"kind\":\"hand_symbol\",\"refers_to\":\"p1\",\"weight\":1,"
    "\"specificity\":\"low\",\"emoji\":[\"☝\"]},"
    "{\"id\":\"tag\",\"kind\":\"hashtag\",\"refers_to\":\"p1\",\"weight\":3,"
    "\"terms\":[\"#BudiMenang\"],\"scope\":[\"76\"],\"valid_from\":\"2024-01-01\","
    "\"valid_to\":\"2024-02-14\"},"
    "{\"id\":\"netral\",\"kind\":\"neutral_context\",\"weight\":-2,\"terms\":[\"netralitas\"]}],"
    "\"rules\":[{\"id\":\"ajakan\",\"category\":\"MEDSOS\",\"score\":3,"
    "\"all\":[\"call_to_action\",\"@contestant\"],\"window\":4,\"not\":[\"netral\"]}]}";

struct fx {
    struct nt_lex *lex;
    struct nt_matcher *m;
    struct nt_scanner *sc;
};

static void load_small(struct fx *f)
{
    struct nt_diag_list errs;
    struct nt_diag d;
    nt_diag_list_init(&errs, 10);
    assert_int_equal(nt_lex_parse("small", small, strlen(small), &f->lex, &errs, &d), NT_OK);
    assert_int_equal(nt_match_compile(f->lex, norm, &f->m, &errs, &d), NT_OK);
    assert_int_equal(nt_scanner_new(f->m, &f->sc), NT_OK);
    nt_diag_list_release(&errs);
}

static void free_small(struct fx *f)
{
    nt_scanner_free(f->sc);
    nt_match_free(f->m);
    nt_lex_free(f->lex);
}

static const struct nt_result *score(struct fx *f, const char *s, const char *region, time_t at)
{
    const struct nt_result *r;
    struct nt_scan_ctx ctx = { region, at };
    assert_int_equal(nt_scan(f->sc, s, strlen(s), &ctx, &r), NT_OK);
    return r;
}

static void test_scoring(void **state)
{
    struct fx f;
    (void)state;
    load_small(&f);
    /* A bare name stays below review. */
    const struct nt_result *r = score(&f, "Pak Budi Santoso datang", NULL, 0);
    assert_int_equal(r->level, NT_LEVEL_NONE);
    assert_int_equal(r->nhits, 1); /* "budi" nested in "budi santoso" is not repeated */
    assert_true(r->score == 2.0);
    /* Call + name within 4 tokens: the rule fires. */
    const char *s = "Ayo pilih Budi Santoso!";
    r = score(&f, s, NULL, 0);
    assert_int_equal(r->level, NT_LEVEL_PRIORITY);
    assert_true(r->score == 6.0);
    assert_int_equal(r->nfired, 1);
    assert_int_equal(r->ncategories, 1);
    assert_string_equal(r->categories[0], "MEDSOS");
    assert_int_equal(r->ncontestants, 1);
    assert_int_equal(r->hits[0].start, 0);
    assert_int_equal(r->hits[0].end, 9);
    /* Too far apart for the window. */
    r = score(&f, "coblos satu dua tiga empat lima budi", NULL, 0);
    assert_int_equal(r->nfired, 0);
    assert_int_equal(r->hits[0].via, NT_VIA_PATTERN);
    /* "not": neutral context blocks the rule and lowers the score. */
    r = score(&f, "Ayo pilih Budi, jaga netralitas", NULL, 0);
    assert_int_equal(r->nfired, 0);
    assert_true(r->score == 1.0);
    /* Low specificity: the emoji alone counts for nothing ... */
    r = score(&f, "☝🏻", NULL, 0);
    assert_int_equal(r->nhits, 1);
    assert_false(r->hits[0].counted);
    assert_true(r->score == 0.0);
    /* ... but counts beside a name. */
    r = score(&f, "☝️ budi", NULL, 0);
    assert_true(r->hits[0].counted);
    assert_true(r->score == 3.0);
    free_small(&f);
}

static void test_scope_and_validity(void **state)
{
    struct fx f;
    time_t in, before, after;
    (void)state;
    load_small(&f);
    assert_true(nt_time_parse("2024-02-14T10:00:00Z", &in)); /* valid_to is inclusive */
    assert_true(nt_time_parse("2023-12-31T23:59:59Z", &before));
    assert_true(nt_time_parse("2024-02-15", &after));
    /* The hashtag (regional, dated) and the name inside it (national). */
    const char *s = "#BudiMenang";
    assert_int_equal(score(&f, s, "76.04", in)->nhits, 2);
    assert_int_equal(score(&f, s, "33.74", in)->nhits, 1);
    assert_int_equal(score(&f, s, "76", before)->nhits, 1);
    assert_int_equal(score(&f, s, "76", after)->nhits, 1);
    assert_int_equal(score(&f, s, NULL, 0)->nhits, 2);
    /* Hashtag terms match hashtags only. */
    assert_int_equal(score(&f, "budi menang", "76", in)->nhits, 1); /* the name only */
    free_small(&f);
}

static void test_determinism(void **state)
{
    struct fx f;
    (void)state;
    load_small(&f);
    const char *s = "☝ Ayo pilih Budi Santoso #BudiMenang coblos budi";
    const struct nt_result *r = score(&f, s, NULL, 0);
    double first = r->score;
    size_t nhits = r->nhits;
    uint32_t starts[16];
    for (size_t i = 0; i < nhits && i < 16; i++)
        starts[i] = r->hits[i].start;
    for (int k = 0; k < 50; k++) {
        r = score(&f, s, NULL, 0);
        assert_true(r->score == first);
        assert_int_equal(r->nhits, nhits);
        for (size_t i = 0; i < nhits && i < 16; i++) {
            assert_int_equal(r->hits[i].start, starts[i]);
            if (i)
                assert_true(r->hits[i].start >= r->hits[i - 1].start);
        }
    }
    free_small(&f);
}

/* Patterns that start with \b and literal words are skipped when no token
 * starts with those words; others always run. Either way results are exact. */
static void test_pattern_gate(void **state)
{
    static const char lexj[] =
        "{\"format\":\"netra-lexicon\",\"version\":\"g\",\"election\":\"e\","
        "\"thresholds\":{\"review\":3,\"priority\":6},\"entries\":["
        "{\"id\":\"gated\",\"kind\":\"contestant_number\",\"patterns\":[\"\\\\b(?:no|nomor) "
        "0?2\\\\b\"]},"
        "{\"id\":\"inner\",\"kind\":\"call_to_action\",\"patterns\":[\"blos\\\\b\"]}]}";
    struct nt_lex *lex;
    struct nt_matcher *m;
    struct nt_scanner *sc;
    struct nt_diag_list errs;
    struct nt_diag d;
    const struct nt_result *r;
    (void)state;
    nt_diag_list_init(&errs, 10);
    assert_int_equal(nt_lex_parse("g", lexj, strlen(lexj), &lex, &errs, &d), NT_OK);
    assert_int_equal(nt_match_compile(lex, norm, &m, &errs, &d), NT_OK);
    assert_int_equal(nt_scanner_new(m, &sc), NT_OK);
    const char *s = "jangan lupa Nomor 02 ya";
    assert_int_equal(nt_scan(sc, s, strlen(s), NULL, &r), NT_OK);
    assert_int_equal(r->nhits, 1);
    assert_int_equal(r->hits[0].start, 12);
    assert_int_equal(r->hits[0].end, 20);
    s = "ayo mencoblos";
    assert_int_equal(nt_scan(sc, s, strlen(s), NULL, &r), NT_OK);
    assert_int_equal(r->nhits, 1);
    nt_scanner_free(sc);
    nt_match_free(m);
    nt_lex_free(lex);
    nt_diag_list_release(&errs);
}

/* Patterns are one alternation, yet a match must not hide another entry's
 * match that starts inside it. */
static void test_overlapping_patterns(void **state)
{
    static const char lexj[] =
        "{\"format\":\"netra-lexicon\",\"version\":\"o\",\"election\":\"e\","
        "\"thresholds\":{\"review\":3,\"priority\":6},\"entries\":["
        "{\"id\":\"ajakan\",\"kind\":\"call_to_action\",\"patterns\":[\"\\\\bpilih nomor "
        "[1-9]\\\\b\"]},"
        "{\"id\":\"dua\",\"kind\":\"contestant_number\",\"patterns\":[\"\\\\bnomor 2\\\\b\"]}]}";
    struct nt_lex *lex;
    struct nt_matcher *m;
    struct nt_scanner *sc;
    struct nt_diag_list errs;
    struct nt_diag d;
    const struct nt_result *r;
    (void)state;
    nt_diag_list_init(&errs, 10);
    assert_int_equal(nt_lex_parse("o", lexj, strlen(lexj), &lex, &errs, &d), NT_OK);
    assert_int_equal(nt_match_compile(lex, norm, &m, &errs, &d), NT_OK);
    assert_int_equal(nt_scanner_new(m, &sc), NT_OK);
    const char *s = "ayo pilih nomor 2 ya";
    assert_int_equal(nt_scan(sc, s, strlen(s), NULL, &r), NT_OK);
    assert_int_equal(r->nhits, 2);
    assert_string_equal(lex->entries[r->hits[0].entry].id, "ajakan");
    assert_int_equal(r->hits[0].start, 4);
    assert_int_equal(r->hits[0].end, 17);
    assert_string_equal(lex->entries[r->hits[1].entry].id, "dua");
    assert_int_equal(r->hits[1].start, 10);
    assert_int_equal(r->hits[1].end, 17);
    nt_scanner_free(sc);
    nt_match_free(m);
    nt_lex_free(lex);
    nt_diag_list_release(&errs);
}

/* More than 64 distinct rule items: the item sets take two words, and rules
 * still fire exactly (windows, "not"). */
static const char *word_of(int i, char *buf)
{
    static const char v[] = "aeiou", c[] = "bdfghjklmnprstvz";
    snprintf(buf, 8, "k%c%co", v[i % 5], c[i / 5]);
    return buf;
}

static bool fired(const struct nt_result *r, const struct nt_lex *lex, const char *id)
{
    for (size_t k = 0; k < r->nfired; k++)
        if (strcmp(lex->rules[r->fired[k].rule].id, id) == 0)
            return true;
    return false;
}

static void test_many_rule_items(void **state)
{
    char *j = malloc(64 * 1024), w[8];
    size_t o = 0;
    (void)state;
    o += (size_t)snprintf(j + o, 64 * 1024 - o,
                          "{\"format\":\"netra-lexicon\",\"version\":\"m\",\"election\":\"e\","
                          "\"thresholds\":{\"review\":3,\"priority\":6},\"entries\":[");
    for (int i = 0; i < 80; i++)
        o += (size_t)snprintf(j + o, 64 * 1024 - o,
                              "%s{\"id\":\"e%d\",\"kind\":\"activity\",\"weight\":0,"
                              "\"terms\":[\"%s\"]}",
                              i ? "," : "", i, word_of(i, w));
    o += (size_t)snprintf(j + o, 64 * 1024 - o, "],\"rules\":[");
    for (int i = 0; i < 80; i++)
        o += (size_t)snprintf(j + o, 64 * 1024 - o,
                              "{\"id\":\"r%d\",\"category\":\"MEDSOS\",\"score\":1,"
                              "\"all\":[\"e%d\"]},",
                              i, i);
    o += (size_t)snprintf(j + o, 64 * 1024 - o,
                          "{\"id\":\"pair\",\"category\":\"TIM\",\"score\":5,"
                          "\"all\":[\"e70\",\"e75\"],\"window\":3},"
                          "{\"id\":\"excl\",\"category\":\"APK\",\"score\":4,"
                          "\"all\":[\"e66\"],\"not\":[\"e67\"]}]}");
    struct nt_lex *lex;
    struct nt_matcher *m;
    struct nt_scanner *sc;
    struct nt_diag_list errs;
    struct nt_diag d;
    const struct nt_result *r;
    char post[128], a[8], b[8];
    nt_diag_list_init(&errs, 10);
    assert_int_equal(nt_lex_parse("m", j, o, &lex, &errs, &d), NT_OK);
    assert_int_equal(nt_match_compile(lex, norm, &m, &errs, &d), NT_OK);
    assert_int_equal(nt_scanner_new(m, &sc), NT_OK);

    snprintf(post, sizeof(post), "hari ini %s saja", word_of(77, w));
    assert_int_equal(nt_scan(sc, post, strlen(post), NULL, &r), NT_OK);
    assert_int_equal(r->nfired, 1);
    assert_true(fired(r, lex, "r77"));

    snprintf(post, sizeof(post), "%s dan %s", word_of(70, a), word_of(75, b));
    assert_int_equal(nt_scan(sc, post, strlen(post), NULL, &r), NT_OK);
    assert_true(fired(r, lex, "pair") && fired(r, lex, "r70") && fired(r, lex, "r75"));
    assert_int_equal(r->nfired, 3);
    snprintf(post, sizeof(post), "%s satu dua tiga %s", word_of(70, a), word_of(75, b));
    assert_int_equal(nt_scan(sc, post, strlen(post), NULL, &r), NT_OK);
    assert_false(fired(r, lex, "pair")); /* outside the window of 3 tokens */

    snprintf(post, sizeof(post), "%s", word_of(66, w));
    assert_int_equal(nt_scan(sc, post, strlen(post), NULL, &r), NT_OK);
    assert_true(fired(r, lex, "excl"));
    snprintf(post, sizeof(post), "%s %s", word_of(66, a), word_of(67, b));
    assert_int_equal(nt_scan(sc, post, strlen(post), NULL, &r), NT_OK);
    assert_false(fired(r, lex, "excl"));
    assert_true(fired(r, lex, "r66") && fired(r, lex, "r67"));

    nt_scanner_free(sc);
    nt_match_free(m);
    nt_lex_free(lex);
    nt_diag_list_release(&errs);
    free(j);
}

/* Compile once, scan many: one matcher shared by threads, a scanner each. */
struct worker {
    struct nt_matcher *m;
    double score;
    int ok;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct nt_scanner *sc;
    const struct nt_result *r;
    const char *s = "Ayo pilih Budi Santoso ☝ #BudiMenang";
    w->ok = nt_scanner_new(w->m, &sc) == NT_OK;
    for (int i = 0; i < 2000 && w->ok; i++) {
        w->ok = nt_scan(sc, s, strlen(s), NULL, &r) == NT_OK;
        if (i == 0)
            w->score = r->score;
        else if (r->score != w->score)
            w->ok = 0;
    }
    nt_scanner_free(sc);
    return NULL;
}

static void test_threads(void **state)
{
    struct fx f;
    pthread_t th[4];
    struct worker w[4];
    (void)state;
    load_small(&f);
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){ f.m, 0, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_true(w[i].ok);
        assert_true(w[i].score == w[0].score);
    }
    assert_true(w[0].score > 0);
    free_small(&f);
}

static void test_diff(void **state)
{
    struct nt_lex *a, *b;
    struct nt_diag_list errs;
    struct nt_diag d;
    struct nt_buf out;
    size_t n;
    (void)state;
    nt_diag_list_init(&errs, 10);
    char *changed = strdup(small);
    char *w = strstr(changed, "\"weight\":2,");
    w[9] = '5';
    assert_int_equal(nt_lex_parse("a", small, strlen(small), &a, &errs, &d), NT_OK);
    assert_int_equal(nt_lex_parse("b", changed, strlen(changed), &b, &errs, &d), NT_OK);
    nt_buf_init(&out, 1 << 16);
    assert_int_equal(nt_lex_diff(a, b, &out, &n), NT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(nt_buf_str(&out), "~ entri nama: bobot 2 -> 5\n");
    nt_buf_release(&out);
    nt_lex_free(a);
    nt_lex_free(b);
    free(changed);
    nt_diag_list_release(&errs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_names),
        cmocka_unit_test(test_normalize_forms),
        cmocka_unit_test(test_text_key),
        cmocka_unit_test(test_slang),
        cmocka_unit_test(test_scoring),
        cmocka_unit_test(test_scope_and_validity),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_pattern_gate),
        cmocka_unit_test(test_overlapping_patterns),
        cmocka_unit_test(test_many_rule_items),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
