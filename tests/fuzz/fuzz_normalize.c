/*
 * fuzz_normalize.c - fuzz target for the normaliser and the scanner: any
 * bytes as post text. Checks the invariants reviewers rely on: every token
 * and every hit lies inside the original text, in order; and that the
 * normaliser's fast lane gives exactly what the reference path gives,
 * without and with a slang dictionary (NT_FUZZ_SLANG). Built twice: as is,
 * and with NT_NO_SIMD (the lane's portable planes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "lexicon.h"
#include "matcher.h"

static struct nt_norm *norm;
static struct nt_lex *lex;
static struct nt_matcher *m;
static struct nt_scanner *sc;
static struct nt_norm *slang; /* a second normaliser, with slang loaded */
static struct nt_normtext ref, fast;

void nt_fuzz_cleanup(void)
{
    nt_scanner_free(sc);
    nt_match_free(m);
    nt_lex_free(lex);
    nt_norm_free(norm);
    nt_norm_free(slang);
    nt_normtext_release(&ref);
    nt_normtext_release(&fast);
    slang = NULL;
    sc = NULL;
    m = NULL;
    lex = NULL;
    norm = NULL;
}

static void setup(void)
{
    struct nt_diag d;
    struct nt_diag_list errs;
    struct nt_buf b;
    const char *path = getenv("NT_FUZZ_LEXICON");
    nt_diag_list_init(&errs, 5);
    nt_buf_init(&b, 1 << 24);
    if (nt_norm_new(&norm, &d) != NT_OK || !path || nt_file_read(path, &b, &d) != NT_OK ||
        nt_lex_parse(path, b.data, b.len, &lex, &errs, &d) != NT_OK ||
        nt_match_compile(lex, norm, &m, &errs, &d) != NT_OK || nt_scanner_new(m, &sc) != NT_OK)
        abort();
    const char *sp = getenv("NT_FUZZ_SLANG");
    size_t loaded = 0;
    nt_buf_reset(&b);
    if (nt_norm_new(&slang, &d) != NT_OK ||
        (sp && (nt_file_read(sp, &b, &d) != NT_OK ||
                nt_norm_load_slang(slang, sp, b.data, b.len, &loaded, &errs, &d) != NT_OK ||
                loaded == 0)))
        abort();
    nt_buf_release(&b);
    nt_diag_list_release(&errs);
}

/* The fast lane and the reference path agree token for token. */
static void same_tokens(const struct nt_normtext *a, const struct nt_normtext *b)
{
    if (a->ntoks != b->ntoks || a->len != b->len || memcmp(a->text, b->text, a->len) != 0)
        abort();
    for (size_t i = 0; i < a->ntoks; i++) {
        const struct nt_token *x = &a->toks[i], *y = &b->toks[i];
        if (x->norm_off != y->norm_off || x->norm_len != y->norm_len || x->start != y->start ||
            x->end != y->end || x->hash != y->hash || x->flags != y->flags)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct nt_result *r;
    if (!norm)
        setup();
    if (nt_scan(sc, (const char *)data, size, NULL, &r) != NT_OK)
        return 0;
    const struct nt_normtext *t = nt_scanner_text(sc);
    uint32_t last = 0;
    for (size_t i = 0; i < t->ntoks; i++) {
        const struct nt_token *k = &t->toks[i];
        if (k->start > k->end || k->end > size || k->start < last ||
            k->norm_off + k->norm_len > t->len)
            abort();
        last = k->start;
    }
    for (size_t i = 0; i < r->nhits; i++)
        if (r->hits[i].start > r->hits[i].end || r->hits[i].end > size ||
            r->hits[i].tok_last >= t->ntoks)
            abort();
    if (nt_norm_run_reference(norm, (const char *)data, size, &ref) != NT_OK)
        abort();
    same_tokens(t, &ref);
    if (nt_norm_run(slang, (const char *)data, size, &fast) != NT_OK ||
        nt_norm_run_reference(slang, (const char *)data, size, &ref) != NT_OK)
        abort();
    same_tokens(&fast, &ref);
    return 0;
}
