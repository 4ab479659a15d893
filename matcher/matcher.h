/*
 * matcher.h - compile a lexicon once, scan many posts: explainable scores.
 *
 * nt_match_compile() turns a checked lexicon into an immutable matcher:
 * every term and emoji sequence is normalised exactly like post text and
 * stored in a hash dictionary of token n-grams (one probe per token and
 * extension, whatever the lexicon size); patterns are compiled with PCRE2
 * JIT into one alternation tagged with (*MARK). A matcher may be shared by
 * many threads; each thread scans with its own nt_scanner.
 *
 * Scanning yields hits (entry, token span, original byte span), drops the
 * hits whose entry does not apply to the employee's region or the post's
 * time, and scores in three steps (as rspamd does): detection (hits),
 * scoring (entry weights plus the rules that fire: kinds combined with
 * all / any / not within a window of tokens), action (thresholds -> level).
 * Low-specificity entries count only beside other evidence. Deterministic:
 * the same lexicon and text always give the same result.
 */
#ifndef NT_MATCHER_H
#define NT_MATCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "diag.h"
#include "lexicon.h"
#include "normalize.h"

enum nt_level { NT_LEVEL_NONE = 0, NT_LEVEL_REVIEW, NT_LEVEL_PRIORITY };

/* "none", "review", "priority". */
const char *nt_level_name(enum nt_level l);

enum nt_hit_via { NT_VIA_TERM, NT_VIA_EMOJI, NT_VIA_PATTERN };

struct nt_hit {
    int entry;                    /* index into lex->entries */
    uint32_t tok_first, tok_last; /* token span (inclusive) */
    uint32_t start, end;          /* original bytes [start, end) */
    enum nt_hit_via via;
    bool counted; /* false: dropped as low-specificity without other evidence */
};

struct nt_fired {
    int rule;         /* index into lex->rules */
    uint32_t hits[8]; /* indices into result hits that satisfied it */
    size_t nhits;
};

struct nt_result {
    double score;
    double entry_score; /* sum of counted entries' weights */
    double rule_score;  /* sum of fired rules' scores */
    enum nt_level level;
    struct nt_hit *hits; /* sorted by position */
    size_t nhits;
    struct nt_fired *fired;
    size_t nfired;
    const char *categories[16]; /* SKB codes, highest contribution first; borrowed */
    size_t ncategories;
    int contestants[64]; /* indices into lex->contestants, first mention first */
    size_t ncontestants;
};

/* Who and when a post is scored for; NULL region = no region filter,
 * 0 time = no validity filter. */
struct nt_scan_ctx {
    const char *region;
    time_t at;
};

struct nt_matcher;
struct nt_scanner;

/*
 * Compile `lex` (borrowed: it and `norm` must outlive the matcher).
 * Terms that normalise to nothing are reported in `errs` with their path.
 */
enum nt_err nt_match_compile(const struct nt_lex *lex, const struct nt_norm *norm,
                             struct nt_matcher **out, struct nt_diag_list *errs, struct nt_diag *d);
void nt_match_free(struct nt_matcher *m);

const struct nt_lex *nt_match_lexicon(const struct nt_matcher *m);

/* Number of dictionary sequences and patterns (for reports and benchmarks). */
size_t nt_match_nterms(const struct nt_matcher *m);

enum nt_err nt_scanner_new(const struct nt_matcher *m, struct nt_scanner **out);
void nt_scanner_free(struct nt_scanner *s);

/*
 * Score text[0..len). The result and the normalised text (nt_scanner_text)
 * are owned by the scanner and valid until its next scan.
 */
enum nt_err nt_scan(struct nt_scanner *s, const char *text, size_t len,
                    const struct nt_scan_ctx *ctx, const struct nt_result **out);

/* The normalised form of the last scanned text. */
const struct nt_normtext *nt_scanner_text(const struct nt_scanner *s);

#endif
