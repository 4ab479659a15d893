/*
 * score.c - from hits to a score: which hits count, which rules fire, the
 * level, the categories and the contestants. Deterministic: hits are in
 * position order and rules in file order.
 *
 * Rules are decided on bit sets (compile.c numbers every distinct rule
 * item): each counted hit carries the set of items it satisfies, a rule
 * needs its "all" set covered, its "any" set met and its "none" set
 * untouched, by the whole post or by the hits of one window. Only a rule
 * that fires is searched again for the hits to show as its evidence.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static inline bool has_item(const uint64_t *set, uint32_t x)
{
    return set[x / 64] >> (x % 64) & 1;
}

/* Does `have` contain all of a rule's "all" set and some of its "any" set
 * (when that is not empty)? `rs` is the rule's three sets. */
static inline bool covers(const uint64_t *have, const uint64_t *rs, size_t W)
{
    if (W == 1) /* the usual case: up to 64 distinct rule items */
        return (have[0] & rs[0]) == rs[0] && (!rs[1] || (have[0] & rs[1]));
    const uint64_t *all = rs, *any = rs + W;
    uint64_t anyset = 0, met = 0;
    for (size_t w = 0; w < W; w++) {
        if ((have[w] & all[w]) != all[w])
            return false;
        anyset |= any[w];
        met |= have[w] & any[w];
    }
    return !anyset || met;
}

/* ... and none of its "none" set. */
static inline bool avoids(const uint64_t *have, const uint64_t *rs, size_t W)
{
    if (W == 1)
        return !(have[0] & rs[2]);
    for (size_t w = 0; w < W; w++)
        if (have[w] & rs[2 * W + w])
            return false;
    return true;
}

/* First counted hit from index `from` satisfying item x whose first token
 * lies in [lo, hi). Hits are in token order, so the search stops at hi. */
static long find(const struct nt_scanner *s, uint32_t x, size_t from, uint32_t lo, uint32_t hi)
{
    const struct nt_result *r = &s->res;
    size_t W = s->m->words;
    for (size_t i = from; i < r->nhits && r->hits[i].tok_first < hi; i++)
        if (r->hits[i].tok_first >= lo && has_item(s->hset + i * W, x))
            return (long)i;
    return -1;
}

/* Record the hits that made rule k fire within tokens [lo, hi), whose hits
 * start at index `from`: the first for each "all" item, then the first of
 * the first "any" item present. */
static void evidence(const struct nt_scanner *s, size_t k, size_t from, uint32_t lo, uint32_t hi,
                     struct nt_fired *f)
{
    const struct nt_matcher *m = s->m;
    const struct nt_lex_rule *rule = &m->lex->rules[k];
    const uint32_t *items = m->rule_item + m->rule_item_off[k];
    f->nhits = 0;
    for (size_t i = 0; i < rule->nall; i++) {
        long h = find(s, items[i], from, lo, hi);
        if (h >= 0 && f->nhits < 8)
            f->hits[f->nhits++] = (uint32_t)h;
    }
    long best = -1;
    for (size_t i = 0; i < rule->nany && best < 0; i++)
        best = find(s, items[rule->nall + i], from, lo, hi);
    if (best >= 0 && f->nhits < 8)
        f->hits[f->nhits++] = (uint32_t)best;
}

/* Does rule k, whose needs the whole post meets, fire? Within its window:
 * some window of `window` tokens that starts at a counted hit (tried once
 * per start token) holds what it needs. */
static bool rule_fires(struct nt_scanner *s, size_t k, struct nt_fired *f)
{
    const struct nt_matcher *m = s->m;
    const struct nt_result *r = &s->res;
    const struct nt_lex_rule *rule = &m->lex->rules[k];
    const uint64_t *rs = m->rule_sets + k * 3 * m->words;
    size_t W = m->words;
    if (rule->window == 0) {
        evidence(s, k, 0, 0, UINT32_MAX, f);
        return true;
    }
    /* "none" is about the whole post (the caller checked it). */
    uint64_t *win = s->sets + W;
    uint32_t tried = UINT32_MAX;
    for (size_t i = 0; i < r->nhits; i++) {
        uint32_t lo = r->hits[i].tok_first;
        if (!r->hits[i].counted || lo == tried)
            continue;
        tried = lo;
        size_t from = i;
        while (from > 0 && r->hits[from - 1].tok_first == lo)
            from--;
        uint32_t hi = lo + rule->window;
        memset(win, 0, W * sizeof(*win));
        for (size_t j = from; j < r->nhits && r->hits[j].tok_first < hi; j++) {
            if (W == 1)
                win[0] |= s->hset[j];
            else
                for (size_t w = 0; w < W; w++)
                    win[w] |= s->hset[j * W + w];
        }
        if (covers(win, rs, W)) {
            evidence(s, k, from, lo, hi, f);
            return true;
        }
    }
    return false;
}

/* Room for the per-hit item sets. */
static bool hset_reserve(struct nt_scanner *s, size_t nhits)
{
    size_t need = nhits * s->m->words;
    if (need <= s->hsetcap)
        return true;
    size_t cap = s->hsetcap ? s->hsetcap : 64;
    while (cap < need)
        cap *= 2;
    uint64_t *p = realloc(s->hset, cap * sizeof(*p));
    if (!p)
        return false;
    s->hset = p;
    s->hsetcap = cap;
    return true;
}

/* Categories of positive rules, largest contribution first (ties in firing
 * order), each once, at most 16. */
static void categories(struct nt_result *r, const struct nt_lex *lex)
{
    size_t order[256], n = 0;
    for (size_t k = 0; k < r->nfired && k < 256; k++) {
        double sc = lex->rules[r->fired[k].rule].score;
        if (sc <= 0)
            continue;
        size_t j = n++;
        while (j > 0 && lex->rules[r->fired[order[j - 1]].rule].score < sc) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    for (size_t i = 0; i < n && r->ncategories < 16; i++) {
        const char *cat = lex->rules[r->fired[order[i]].rule].category;
        bool dup = false;
        for (size_t k = 0; k < r->ncategories && !dup; k++)
            dup = strcmp(r->categories[k], cat) == 0;
        if (!dup)
            r->categories[r->ncategories++] = cat;
    }
}

enum nt_err nt_score(struct nt_scanner *s, const struct nt_scan_ctx *ctx)
{
    struct nt_result *r = &s->res;
    const struct nt_matcher *m = s->m;
    const struct nt_lex *lex = m->lex;
    const struct nt_entry_info *info = m->info;
    const char *region = ctx ? ctx->region : NULL;
    time_t at = ctx ? ctx->at : 0;
    size_t W = m->words;

    if (r->nhits == 0)
        return NT_OK; /* score 0, level none */

    /* Entries that do not apply to this employee or time give no hits. */
    if (region || at) {
        size_t o = 0;
        for (size_t i = 0; i < r->nhits; i++) {
            int en = r->hits[i].entry;
            if ((info[en].flags & NT_EI_RESTRICTED) &&
                !nt_lex_entry_applies(&lex->entries[en], region, at))
                continue;
            if (o != i)
                r->hits[o] = r->hits[i];
            o++;
        }
        r->nhits = o;
    }
    if (!hset_reserve(s, r->nhits))
        return NT_ENOMEM;

    /* Low-specificity hits need other evidence beside them. */
    bool strong = false;
    for (size_t i = 0; i < r->nhits && !strong; i++)
        strong = !(info[r->hits[i].entry].flags & (NT_EI_LOW | NT_EI_NEUTRAL));

    /* One pass: what counts, each entry's weight once per post (a 64-bit
     * set of entries tells which hits need the look back), the item sets,
     * the contestants in order of first mention. */
    uint64_t entries = 0, *present = s->sets;
    bool counted = false;
    memset(present, 0, W * sizeof(*present));
    for (size_t i = 0; i < r->nhits; i++) {
        struct nt_hit *h = &r->hits[i];
        const struct nt_entry_info *e = &info[h->entry];
        uint64_t *set = s->hset + i * W;
        if (!strong && (e->flags & NT_EI_LOW))
            h->counted = false;
        if (!h->counted) {
            memset(set, 0, W * sizeof(*set));
            continue;
        }
        counted = true;
        const uint64_t *items = m->entry_items + (size_t)h->entry * W;
        if (W == 1)
            present[0] |= set[0] = items[0];
        else
            for (size_t w = 0; w < W; w++)
                present[w] |= set[w] = items[w];
        uint64_t bit = 1ULL << ((unsigned)h->entry & 63);
        bool seen = false;
        if (!(entries & bit))
            entries |= bit;
        else
            for (size_t j = 0; j < i && !seen; j++)
                seen = r->hits[j].counted && r->hits[j].entry == h->entry;
        if (!seen)
            r->entry_score += e->weight;
        if (e->flags & NT_EI_CONTESTANT) {
            int c = e->contestant;
            bool dup = c < 0;
            for (size_t k = 0; k < r->ncontestants && !dup; k++)
                dup = r->contestants[k] == c;
            if (!dup && r->ncontestants < 64)
                r->contestants[r->ncontestants++] = c;
        }
    }

    for (size_t k = 0; k < lex->nrules && counted; k++) {
        const uint64_t *rs = m->rule_sets + k * 3 * W;
        if (!covers(present, rs, W) || !avoids(present, rs, W))
            continue; /* the whole post lacks what it needs, or has what it must not */
        struct nt_fired f = { .rule = (int)k };
        if (!rule_fires(s, k, &f))
            continue;
        if (r->nfired == s->firedcap) {
            size_t cap = s->firedcap ? s->firedcap * 2 : 8;
            struct nt_fired *p = realloc(r->fired, cap * sizeof(*p));
            if (!p)
                return NT_ENOMEM;
            r->fired = p;
            s->firedcap = cap;
        }
        r->fired[r->nfired++] = f;
        r->rule_score += lex->rules[k].score;
    }

    r->score = r->entry_score + r->rule_score;
    if (r->score < 0)
        r->score = 0;
    r->level = r->score >= lex->priority ? NT_LEVEL_PRIORITY
               : r->score >= lex->review ? NT_LEVEL_REVIEW
                                         : NT_LEVEL_NONE;
    categories(r, lex);
    return NT_OK;
}
