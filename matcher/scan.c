/*
 * scan.c - one post through the matcher: normalise, walk the token n-gram
 * dictionary from every token, run the pattern alternation over the
 * normalised text, then hand the hits to the scorer.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum nt_err nt_scanner_new(const struct nt_matcher *m, struct nt_scanner **out)
{
    struct nt_scanner *s = calloc(1, sizeof(*s));
    if (!s)
        return NT_ENOMEM;
    s->m = m;
    nt_normtext_init(&s->nt);
    s->sets = malloc(2 * m->words * sizeof(*s->sets));
    if (m->patterns)
        s->md = pcre2_match_data_create_from_pattern(m->patterns, NULL);
    if (!s->sets || (m->patterns && !s->md)) {
        nt_scanner_free(s);
        return NT_ENOMEM;
    }
    *out = s;
    return NT_OK;
}

void nt_scanner_free(struct nt_scanner *s)
{
    if (!s)
        return;
    nt_normtext_release(&s->nt);
    pcre2_match_data_free(s->md);
    free(s->res.hits);
    free(s->res.fired);
    free(s->hset);
    free(s->sets);
    free(s);
}

const struct nt_normtext *nt_scanner_text(const struct nt_scanner *s)
{
    return &s->nt;
}

static bool add_hit(struct nt_scanner *s, int entry, uint32_t a, uint32_t b, enum nt_hit_via via)
{
    struct nt_result *r = &s->res;
    /* The same entry on the same tokens once only (term and pattern alike). */
    for (size_t i = r->nhits; i-- > 0;) {
        if (r->hits[i].tok_first != a)
            break;
        if (r->hits[i].entry == entry && r->hits[i].tok_last == b)
            return true;
    }
    if (r->nhits == s->hitcap) {
        size_t cap = s->hitcap ? s->hitcap * 2 : 32;
        struct nt_hit *h = realloc(r->hits, cap * sizeof(*h));
        if (!h)
            return false;
        r->hits = h;
        s->hitcap = cap;
    }
    const struct nt_token *t = s->nt.toks;
    r->hits[r->nhits++] = (struct nt_hit){ .entry = entry,
                                           .tok_first = a,
                                           .tok_last = b,
                                           .start = t[a].start,
                                           .end = t[b].end,
                                           .via = via,
                                           .counted = true };
    return true;
}

/* Can a pattern start at a token beginning with p[0], p[1]? Only if it
 * begins with a literal the patterns start with (see compile.c). */
static inline bool gate_hit(const struct nt_matcher *m, const unsigned char *p)
{
    unsigned idx = (unsigned)p[0] << 8 | p[1];
    return m->gate[idx >> 6] >> (idx & 63) & 1;
}

/* Terms starting at token i whose first n-gram key is `key`: extend token
 * by token while the dictionary knows the sequence. */
static bool walk(struct nt_scanner *s, size_t i, uint64_t key)
{
    const struct nt_matcher *m = s->m;
    const struct nt_token *t = s->nt.toks;
    size_t n = s->nt.ntoks;
    uint64_t h = key;
    for (size_t j = i; j < n && j - i < NT_MAX_NGRAM; j++) {
        if (j > i)
            h = nt_ngram_step(h, t[j].hash);
        const struct slot *sl = nt_probe(m, h);
        if (!sl)
            break;
        if (sl->term != NO_TERM) {
            /* Verify the text: the key is a hash, the evidence must be exact. */
            size_t off = t[i].norm_off, len = t[j].norm_off + t[j].norm_len - off;
            for (uint32_t k = sl->term; k != NO_TERM; k = m->terms[k].next) {
                const struct term *tm = &m->terms[k];
                if (tm->text_len == len && (t[i].flags & tm->need) == tm->need &&
                    memcmp(m->text + tm->text_off, s->nt.text + off, len) == 0 &&
                    !add_hit(s, tm->entry, (uint32_t)i, (uint32_t)j, tm->via))
                    return false;
            }
        }
        if (!(sl->tag & NT_SLOT_PREFIX) || (j + 1 < n && !(sl->next & nt_next_bit(t[j + 1].hash))))
            break;
    }
    return true;
}

/* Walk the n-gram dictionary from every token, 64 tokens at a time: first
 * the filter bits of all of them (no branch, so the loads overlap), then
 * the slots of those that pass are fetched together, then walked. Also
 * tells whether the pattern pass can match anything (*open). */
static bool dictionary(struct nt_scanner *s, bool *open)
{
    const struct nt_matcher *m = s->m;
    const struct nt_token *t = s->nt.toks;
    const char *text = s->nt.text;
    size_t n = s->nt.ntoks;
    bool gate = !m->gated;
    uint64_t keys[64];
    for (size_t base = 0; base < n; base += 64) {
        size_t cnt = n - base < 64 ? n - base : 64;
        uint64_t cand = 0;
        for (size_t k = 0; k < cnt; k++) {
            const struct nt_token *tk = &t[base + k];
            uint64_t key = nt_ngram_first(tk->hash);
            keys[k] = key;
            cand |= (uint64_t)nt_filter_maybe(m, key) << k;
            if (!gate)
                gate = gate_hit(m, (const unsigned char *)text + tk->norm_off);
        }
        for (uint64_t c = cand; c; c &= c - 1)
            __builtin_prefetch(&m->slots[keys[__builtin_ctzll(c)] & m->mask]);
        for (uint64_t c = cand; c; c &= c - 1) {
            size_t k = (size_t)__builtin_ctzll(c);
            if (!walk(s, base + k, keys[k]))
                return false;
        }
    }
    *open = gate;
    return true;
}

/* Token whose text (or the space after it) holds normalised offset x. */
static size_t token_at(const struct nt_normtext *nt, size_t x)
{
    size_t lo = 0, hi = nt->ntoks;
    while (lo + 1 < hi) {
        size_t mid = (lo + hi) / 2;
        if (nt->toks[mid].norm_off <= x)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static bool patterns(struct nt_scanner *s, bool open)
{
    const struct nt_matcher *m = s->m;
    PCRE2_SIZE at = 0, len = s->nt.len;
    if (!m->patterns || s->nt.ntoks == 0 || !open)
        return true;
    while (at <= len) {
        /* The normalised text is valid UTF-8 by construction: skip the check. */
        int rc = m->jit
                     ? pcre2_jit_match(m->patterns, (PCRE2_SPTR)s->nt.text, len, at, 0, s->md, NULL)
                     : pcre2_match(m->patterns, (PCRE2_SPTR)s->nt.text, len, at, PCRE2_NO_UTF_CHECK,
                                   s->md, NULL);
        if (rc < 0)
            break; /* no match, or a resource limit: patterns are best effort */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        PCRE2_SIZE ms = ov[0], me = ov[1];
        PCRE2_SPTR mark = pcre2_get_mark(s->md);
        if (mark && me > ms) {
            size_t idx = strtoul((const char *)mark, NULL, 10);
            size_t a = token_at(&s->nt, ms), b = token_at(&s->nt, me - 1);
            const struct nt_token *ta = &s->nt.toks[a];
            /* A match that starts in the space after token a begins at a + 1. */
            if (ms >= ta->norm_off + ta->norm_len && a + 1 < s->nt.ntoks)
                a++;
            if (idx < m->npatterns && a <= b &&
                !add_hit(s, m->pattern_entry[idx], (uint32_t)a, (uint32_t)b, NT_VIA_PATTERN))
                return false;
        }
        /* Go on from the next token, not from the end of the match: the
         * patterns are one alternation, so a match must not hide another
         * entry's match that starts inside it ("pilih nomor urut 2" is a
         * call and, from "nomor", a ballot number). */
        size_t t = token_at(&s->nt, ms);
        PCRE2_SIZE next = t + 1 < s->nt.ntoks ? s->nt.toks[t + 1].norm_off : len + 1;
        at = next > ms ? next : ms + 1;
    }
    return true;
}

static int hit_cmp(const void *x, const void *y)
{
    const struct nt_hit *a = x, *b = y;
    if (a->tok_first != b->tok_first)
        return a->tok_first < b->tok_first ? -1 : 1;
    if (a->tok_last != b->tok_last)
        return a->tok_last < b->tok_last ? -1 : 1;
    return (a->entry > b->entry) - (a->entry < b->entry);
}

enum nt_err nt_scan(struct nt_scanner *s, const char *text, size_t len,
                    const struct nt_scan_ctx *ctx, const struct nt_result **out)
{
    struct nt_result *r = &s->res;
    enum nt_err err = nt_norm_run(s->m->norm, text, len, &s->nt);
    if (err)
        return err;
    r->nhits = 0;
    r->nfired = 0;
    r->ncategories = 0;
    r->ncontestants = 0;
    r->score = r->entry_score = r->rule_score = 0;
    r->level = NT_LEVEL_NONE;
    bool open;
    if (!dictionary(s, &open))
        return NT_ENOMEM;
    /* The dictionary's hits come in order (tokens in order, longer
     * sequences after shorter, a sequence's terms in file order); the
     * patterns' hits, when there are any, are merged in by insertion sort
     * (hits are few; no allocation). */
    size_t from_terms = r->nhits;
    if (!patterns(s, open))
        return NT_ENOMEM;
#ifndef NDEBUG
    for (size_t i = 1; i < from_terms; i++)
        assert(hit_cmp(&r->hits[i - 1], &r->hits[i]) <= 0);
#endif
    for (size_t i = from_terms > 0 ? from_terms : 1; i < r->nhits; i++) {
        struct nt_hit h = r->hits[i];
        size_t j = i;
        while (j > 0 && hit_cmp(&r->hits[j - 1], &h) > 0) {
            r->hits[j] = r->hits[j - 1];
            j--;
        }
        r->hits[j] = h;
    }
    /* One entry matching nested spans ("ayo coblos" and "coblos"): keep the
     * widest, so each piece of evidence is shown once. Only hits of one
     * entry whose spans overlap can nest: find those first (a bit per hit,
     * modulo 64, which only adds candidates), then test containment. */
    uint64_t nest = 0;
    uint32_t last = 0;
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        if (i > 0 && h->tok_first <= last) /* overlaps an earlier hit */
            for (size_t j = 0; j < i; j++) {
                uint64_t same =
                    (r->hits[j].entry == h->entry) & (r->hits[j].tok_last >= h->tok_first);
                nest |= same << (i & 63) | same << (j & 63);
            }
        last = h->tok_last > last ? h->tok_last : last;
    }
    size_t o = nest ? 0 : r->nhits;
    for (size_t i = 0; nest && i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        bool inside = false;
        for (size_t j = 0; j < r->nhits && !inside && (nest >> (i & 63) & 1); j++) {
            const struct nt_hit *g = &r->hits[j];
            if (j == i || g->entry != h->entry || g->tok_first > h->tok_first ||
                g->tok_last < h->tok_last)
                continue;
            /* g contains h; of two identical spans keep the first. */
            inside = g->tok_first != h->tok_first || g->tok_last != h->tok_last || j < i;
        }
        if (!inside) {
            if (o != i)
                r->hits[o] = *h;
            o++;
        }
    }
    r->nhits = o;
    err = nt_score(s, ctx);
    if (err)
        return err;
    *out = r;
    return NT_OK;
}
