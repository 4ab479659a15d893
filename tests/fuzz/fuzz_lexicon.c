/*
 * fuzz_lexicon.c - fuzz target for the lexicon parser and the matcher
 * compiler: any bytes may come in as a lexicon file; a lexicon that parses
 * is compiled and used once.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "lexicon.h"
#include "matcher.h"

static struct nt_norm *norm;

void nt_fuzz_cleanup(void)
{
    nt_norm_free(norm);
    norm = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nt_lex *lex = NULL;
    struct nt_diag_list errs;
    struct nt_diag d;
    if (!norm && nt_norm_new(&norm, &d) != NT_OK)
        abort();
    nt_diag_list_init(&errs, 20);
    if (nt_lex_parse("fuzz.json", (const char *)data, size, &lex, &errs, &d) == NT_OK) {
        struct nt_matcher *m = NULL;
        if (nt_match_compile(lex, norm, &m, &errs, &d) == NT_OK) {
            struct nt_scanner *sc = NULL;
            const struct nt_result *r;
            if (nt_scanner_new(m, &sc) == NT_OK)
                (void)nt_scan(sc, (const char *)data, size < 4096 ? size : 4096, NULL, &r);
            nt_scanner_free(sc);
        }
        nt_match_free(m);
    }
    nt_lex_free(lex);
    nt_diag_list_release(&errs);
    return 0;
}
