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

/* Dictionary slot, 8 bytes so that 10,000 entries stay in the L2 cache.
 * The n-gram key's low bits choose the slot; its high bits are the tag,
 * a fingerprint (two keys sharing a tag only cost a text comparison, as
 * every term is verified against the post's text). Tag bit 0 marks a used
 * slot, bit 1 a sequence that longer terms continue; for those, `next`
 * has a bit for each token that may come next (nt_next_bit), so that most
 * sequences that go nowhere stop without probing a random slot. */
struct slot {
    uint16_t tag;  /* 0 = empty */
    uint16_t next; /* tokens that longer terms continue with, as bits */
    uint32_t term; /* first term with exactly this sequence, or NO_TERM */
};
#define NT_SLOT_USED   1u
#define NT_SLOT_PREFIX 2u

static inline uint16_t nt_slot_tag(uint64_t key)
{
    return (uint16_t)(key >> 48) & (uint16_t)~3u;
}

/* The `next` bit of a token, from its nt_norm_hash(). */
static inline uint16_t nt_next_bit(uint64_t tokhash)
{
    return (uint16_t)(1u << (tokhash >> 60));
}

enum {
    NT_EI_LOW = 1,        /* low specificity */
    NT_EI_CONTESTANT = 2, /* refers to a contestant, and is not neutral context */
    NT_EI_RESTRICTED = 4, /* has a scope or a validity period */
    NT_EI_NEUTRAL = 8,    /* neutral context */
};

struct nt_entry_info {
    double weight;
    int contestant; /* contestant index, or -1 */
    uint8_t kind;   /* enum nt_lex_kind */
    uint8_t flags;  /* NT_EI_* */
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
    /* Per entry, what scoring needs of it, packed (16 bytes instead of the
     * entry's 120, so that scoring touches a table that stays in cache). */
    struct nt_entry_info *info;
    /* Rule items as bit sets: each distinct item of the rules (a kind, an
     * entry, "@contestant") is one bit, a set is `words` 64-bit words.
     * entry_items: per entry, the items it satisfies. rule_sets: per rule,
     * three sets (all, any, none). rule_item: per rule, the item numbers of
     * its "all" then "any" lists, starting at rule_item_off[k]. */
    size_t words;
    uint64_t *entry_items;
    uint64_t *rule_sets;
    uint32_t *rule_item;
    size_t *rule_item_off;
    pcre2_code *patterns; /* one alternation; NULL when no patterns */
    int *pattern_entry;   /* MARK number -> entry index */
    bool jit;             /* JIT compiled: use the fast entry point */
    /* When every pattern starts with \b and literal words, the patterns
     * can only match at a token that begins with one of them: `gate` has
     * a bit for the first two bytes of those words (a one-letter word sets
     * its whole row), and a post without such a token skips the pattern
     * pass. A token of one byte is looked up with the byte after it in
     * the normalised text, a space or the end: no literal has those. */
    bool gated;
    uint64_t *gate; /* 65536 bits, indexed by the first two bytes */
    size_t npatterns;
};

struct nt_scanner {
    const struct nt_matcher *m;
    struct nt_normtext nt;
    pcre2_match_data *md;
    struct nt_result res;
    size_t hitcap;
    size_t firedcap;
    uint64_t *hset; /* per hit, the items it satisfies (words each) */
    size_t hsetcap;
    uint64_t *sets; /* scratch: the present and the window set (words each) */
};

/* The n-gram key of tokens [i..j], built token by token: the key of one
 * token is its hash (already mixed), each next token is stepped in. */
static inline uint64_t nt_ngram_first(uint64_t tok)
{
    return tok;
}

static inline uint64_t nt_ngram_step(uint64_t h, uint64_t tok)
{
    h = (h << 31 | h >> 33) ^ tok;
    h *= 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    return h;
}

/* May a term start with the token whose first n-gram key is `key`? */
static inline bool nt_filter_maybe(const struct nt_matcher *m, uint64_t key)
{
    size_t b = (size_t)(key >> 7) & m->fmask;
    return m->filter[b >> 6] >> (b & 63) & 1;
}

/* Dictionary lookup; NULL when the sequence is unknown. */
static inline const struct slot *nt_probe(const struct nt_matcher *m, uint64_t key)
{
    size_t i = (size_t)key & m->mask;
    uint16_t tag = nt_slot_tag(key);
    const struct slot *s = &m->slots[i];
    while (s->tag) {
        if ((s->tag & ~3u) == tag)
            return s;
        i = (i + 1) & m->mask;
        s = &m->slots[i];
    }
    return NULL;
}

/* Score the hits collected in s->res (score.c). */
enum nt_err nt_score(struct nt_scanner *s, const struct nt_scan_ctx *ctx);

#endif
