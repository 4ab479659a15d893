/*
 * fuzz_normalize.c - fuzz target for the normaliser and the scanner: any
 * bytes as post text. Checks the invariants reviewers rely on: every token
 * and every hit lies inside the original text, in order; and that the
 * normaliser's fast lane gives exactly what the reference path gives.
 * Built twice: as is, and with NT_NO_SIMD (the lane's portable planes).
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
static struct nt_normtext ref;

void nt_fuzz_cleanup(void)
{
    nt_scanner_free(sc);
    nt_match_free(m);
    nt_lex_free(lex);
    nt_norm_free(norm);
    nt_normtext_release(&ref);
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
    nt_buf_release(&b);
    nt_diag_list_release(&errs);
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
    /* The fast lane and the reference path agree token for token. */
    if (nt_norm_run_reference(norm, (const char *)data, size, &ref) != NT_OK ||
        ref.ntoks != t->ntoks || ref.len != t->len || memcmp(ref.text, t->text, t->len) != 0)
        abort();
    for (size_t i = 0; i < t->ntoks; i++) {
        const struct nt_token *a = &t->toks[i], *b = &ref.toks[i];
        if (a->norm_off != b->norm_off || a->norm_len != b->norm_len || a->start != b->start ||
            a->end != b->end || a->hash != b->hash || a->flags != b->flags)
            abort();
    }
    return 0;
}
