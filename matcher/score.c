/*
 * score.c - from hits to a score: which hits count, which rules fire, the
 * level, the categories and the contestants. Deterministic: hits are in
 * position order and rules in file order.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool item_matches(const struct nt_entry_info *info, const struct nt_lex_item *it,
                         const struct nt_hit *h)
{
    switch (it->type) {
    case NT_LEX_ITEM_KIND:
        return info[h->entry].kind == it->index;
    case NT_LEX_ITEM_ENTRY:
        return h->entry == it->index;
    case NT_LEX_ITEM_CONTESTANT:
        return info[h->entry].flags & NT_EI_CONTESTANT;
    }
    return false;
}

/* First counted hit from index `from` on matching `it` whose first token
 * lies in [lo, hi). Hits are in token order, so the search stops at hi. */
static long find(const struct nt_result *r, const struct nt_entry_info *info,
                 const struct nt_lex_item *it, size_t from, uint32_t lo, uint32_t hi)
{
    for (size_t i = from; i < r->nhits && r->hits[i].tok_first < hi; i++) {
        const struct nt_hit *h = &r->hits[i];
        if (h->counted && h->tok_first >= lo && item_matches(info, it, h))
            return (long)i;
    }
    return -1;
}

/* Does `rule` fire within tokens [lo, hi), whose hits start at index
 * `from`? Records the hits that made it. */
static bool fires_in(const struct nt_result *r, const struct nt_entry_info *info,
                     const struct nt_lex_rule *rule, size_t from, uint32_t lo, uint32_t hi,
                     struct nt_fired *f)
{
    f->nhits = 0;
    for (size_t k = 0; k < rule->nall; k++) {
        long h = find(r, info, &rule->all[k], from, lo, hi);
        if (h < 0)
            return false;
        if (f->nhits < 8)
            f->hits[f->nhits++] = (uint32_t)h;
    }
    if (rule->nany) {
        long best = -1;
        for (size_t k = 0; k < rule->nany && best < 0; k++)
            best = find(r, info, &rule->any[k], from, lo, hi);
        if (best < 0)
            return false;
        if (f->nhits < 8)
            f->hits[f->nhits++] = (uint32_t)best;
    }
    return true;
}

/* What a post's counted hits contain: kinds as bits, plus bit 31 for a
 * hit that refers to a contestant. Rules that need something absent are
 * rejected without searching windows. */
#define HAS_CONTESTANT (1u << 31)

static uint32_t present_mask(const struct nt_result *r, const struct nt_entry_info *info)
{
    uint32_t m = 0;
    for (size_t i = 0; i < r->nhits; i++) {
        if (!r->hits[i].counted)
            continue;
        const struct nt_entry_info *e = &info[r->hits[i].entry];
        m |= 1u << e->kind;
        if (e->flags & NT_EI_CONTESTANT)
            m |= HAS_CONTESTANT;
    }
    return m;
}

static bool maybe_present(uint32_t mask, const struct nt_entry_info *info,
                          const struct nt_lex_item *it)
{
    switch (it->type) {
    case NT_LEX_ITEM_KIND:
        return mask & (1u << it->index);
    case NT_LEX_ITEM_CONTESTANT:
        return mask & HAS_CONTESTANT;
    case NT_LEX_ITEM_ENTRY:
        return mask & (1u << info[it->index].kind);
    }
    return false;
}

static bool rule_fires(const struct nt_result *r, const struct nt_entry_info *info,
                       const struct nt_lex_rule *rule, uint32_t mask, struct nt_fired *f)
{
    for (size_t k = 0; k < rule->nall; k++)
        if (!maybe_present(mask, info, &rule->all[k]))
            return false;
    if (rule->nany) {
        bool any = false;
        for (size_t k = 0; k < rule->nany && !any; k++)
            any = maybe_present(mask, info, &rule->any[k]);
        if (!any)
            return false;
    }
    for (size_t k = 0; k < rule->nnone; k++)
        if (maybe_present(mask, info, &rule->none[k]) &&
            find(r, info, &rule->none[k], 0, 0, UINT32_MAX) >= 0)
            return false;
    if (rule->window == 0)
        return fires_in(r, info, rule, 0, 0, UINT32_MAX, f);
    /* Every window of `window` tokens that starts at a counted hit (once
     * per start token: hits are in token order). */
    uint32_t tried = UINT32_MAX;
    for (size_t i = 0; i < r->nhits; i++) {
        uint32_t lo = r->hits[i].tok_first;
        if (!r->hits[i].counted || lo == tried)
            continue;
        tried = lo;
        size_t from = i;
        while (from > 0 && r->hits[from - 1].tok_first == lo)
            from--;
        if (fires_in(r, info, rule, from, lo, lo + rule->window, f))
            return true;
    }
    return false;
}

enum nt_err nt_score(struct nt_scanner *s, const struct nt_scan_ctx *ctx)
{
    struct nt_result *r = &s->res;
    const struct nt_lex *lex = s->m->lex;
    const struct nt_entry_info *info = s->m->info;
    const char *region = ctx ? ctx->region : NULL;
    time_t at = ctx ? ctx->at : 0;

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

    /* Low-specificity hits need other evidence beside them. */
    bool strong = false;
    for (size_t i = 0; i < r->nhits && !strong; i++)
        strong = !(info[r->hits[i].entry].flags & (NT_EI_LOW | NT_EI_NEUTRAL));
    for (size_t i = 0; i < r->nhits && !strong; i++)
        if (info[r->hits[i].entry].flags & NT_EI_LOW)
            r->hits[i].counted = false;

    /* Each entry's weight counts once per post (a 64-bit set of entries
     * tells which hits need the look back). */
    uint64_t entries = 0;
    for (size_t i = 0; i < r->nhits; i++) {
        if (!r->hits[i].counted)
            continue;
        uint64_t bit = 1ULL << ((unsigned)r->hits[i].entry & 63);
        bool seen = false;
        if (!(entries & bit))
            entries |= bit;
        else
            for (size_t j = 0; j < i && !seen; j++)
                seen = r->hits[j].counted && r->hits[j].entry == r->hits[i].entry;
        if (!seen)
            r->entry_score += info[r->hits[i].entry].weight;
    }

    uint32_t mask = present_mask(r, info);
    for (size_t k = 0; k < lex->nrules && mask; k++) {
        uint32_t all = s->m->rule_all[k], any = s->m->rule_any[k];
        if ((all & mask) != all || (any && !(any & mask)))
            continue;
        struct nt_fired f = { .rule = (int)k };
        if (!rule_fires(r, info, &lex->rules[k], mask, &f))
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

    /* Categories of positive rules, largest contribution first. */
    bool used[256];
    if (r->nfired)
        memset(used, 0, sizeof(used));
    for (size_t c = 0; c < r->nfired && r->ncategories < 16; c++) {
        long best = -1;
        for (size_t k = 0; k < r->nfired && k < 256; k++) {
            const struct nt_lex_rule *rule = &lex->rules[r->fired[k].rule];
            if (used[k] || rule->score <= 0)
                continue;
            if (best < 0 || rule->score > lex->rules[r->fired[best].rule].score)
                best = (long)k;
        }
        if (best < 0)
            break;
        used[best] = true;
        const char *cat = lex->rules[r->fired[best].rule].category;
        bool dup = false;
        for (size_t k = 0; k < r->ncategories; k++)
            dup = dup || strcmp(r->categories[k], cat) == 0;
        if (!dup)
            r->categories[r->ncategories++] = cat;
    }

    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_entry_info *e = &info[r->hits[i].entry];
        if (!r->hits[i].counted || !(e->flags & NT_EI_CONTESTANT))
            continue;
        int c = e->contestant;
        bool dup = c < 0;
        for (size_t k = 0; k < r->ncontestants && !dup; k++)
            dup = r->contestants[k] == c;
        if (!dup && r->ncontestants < 64)
            r->contestants[r->ncontestants++] = c;
    }
    return NT_OK;
}
