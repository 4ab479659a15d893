/*
 * internal.h - the compiled matcher's layout, shared by compile.c, scan.c
 * and score.c (not part of the module's interface).
 */
#ifndef NT_MATCH_INTERNAL_H
#define NT_MATCH_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "matcher.h"

#define NT_MAX_NGRAM 16
#define NO_TERM      UINT32_MAX

/* A token sequence the dictionary knows, and which entry it belongs to. */
struct term {
    int entry;
    uint32_t text_off; /* normalised text in matcher->text */
    uint32_t text_len;
    uint32_t next; /* next term with the same sequence, or NO_TERM */
    enum nt_hit_via via;
    uint32_t need; /* token flags the first token must have ("#tag" -> hashtag) */
};

/* Dictionary slot: key is the n-gram hash of a term or of a term's prefix. */
struct slot {
    uint64_t key;    /* 0 = empty */
    uint32_t term;   /* first term with exactly this sequence, or NO_TERM */
    uint32_t prefix; /* 1 when a longer term starts with this sequence */
};

struct nt_matcher {
    const struct nt_lex *lex;
    const struct nt_norm *norm;
    struct slot *slots;
    size_t mask;      /* number of slots - 1 */
    uint64_t *filter; /* bit set of first-token keys: most tokens stop here */
    size_t fmask;     /* number of filter bits - 1 */
    struct term *terms;
    size_t nterms;
    char *text; /* all terms' normalised texts */
    size_t tlen;
    int *contestant; /* entry index -> contestant index, or -1 */
    /* Per rule: kinds (bit 31: a contestant) its "all" items need, and that
     * at least one "any" item offers (0 when it has none): a post's hits
     * must cover them before any window is searched. */
    uint32_t *rule_all, *rule_any;
    pcre2_code *patterns; /* one alternation; NULL when no patterns */
    int *pattern_entry;   /* MARK number -> entry index */
    bool jit;             /* JIT compiled: use the fast entry point */
    /* When every pattern starts with \b and literal words, the patterns
     * can only match at a token that begins with one of them: `gate` holds
     * the first two bytes of those words (one byte: gate1), and a post
     * without such a token skips the pattern pass. */
    bool gated;
    uint64_t *gate;    /* 65536 bits, indexed by the first two bytes */
    uint64_t gate1[4]; /* one-byte literals */
    size_t npatterns;
};

struct nt_scanner {
    const struct nt_matcher *m;
    struct nt_normtext nt;
    pcre2_match_data *md;
    struct nt_result res;
    size_t hitcap;
    size_t firedcap;
};

/* The n-gram hash step: the key of tokens [i..j] is built token by token. */
static inline uint64_t nt_ngram_step(uint64_t h, uint64_t tok)
{
    h = (h << 31 | h >> 33) ^ tok;
    h *= 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    return h ? h : 1;
}
#define NT_NGRAM_SEED 0x6E657472614C6578ULL

/* May a term start with the token whose first n-gram key is `key`? */
static inline bool nt_filter_maybe(const struct nt_matcher *m, uint64_t key)
{
    size_t b = (size_t)(key >> 7) & m->fmask;
    return m->filter[b >> 6] >> (b & 63) & 1;
}

/* Dictionary lookup; NULL when the sequence is unknown. */
static inline const struct slot *nt_probe(const struct nt_matcher *m, uint64_t key)
{
    size_t i = (size_t)(key ^ (key >> 32)) & m->mask;
    const struct slot *s = &m->slots[i];
    while (s->key) {
        if (s->key == key)
            return s;
        i = (i + 1) & m->mask;
        s = &m->slots[i];
    }
    return NULL;
}

/* Score the hits collected in s->res (score.c). */
enum nt_err nt_score(struct nt_scanner *s, const struct nt_scan_ctx *ctx);

#endif
