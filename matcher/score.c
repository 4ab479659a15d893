/*
 * score.c - from hits to a score: which hits count, which rules fire, the
 * level, the categories and the contestants. Deterministic: hits are in
 * position order and rules in file order.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool item_matches(const struct nt_lex *lex, const struct nt_lex_item *it,
                         const struct nt_hit *h)
{
    const struct nt_lex_entry *e = &lex->entries[h->entry];
    switch (it->type) {
    case NT_LEX_ITEM_KIND:
        return (int)e->kind == it->index;
    case NT_LEX_ITEM_ENTRY:
        return h->entry == it->index;
    case NT_LEX_ITEM_CONTESTANT:
        return e->refers_to && e->kind != NT_LEX_NEUTRAL_CONTEXT;
    }
    return false;
}

/* First counted hit matching `it` whose first token lies in [lo, hi). */
static long find(const struct nt_result *r, const struct nt_lex *lex, const struct nt_lex_item *it,
                 uint32_t lo, uint32_t hi)
{
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        if (h->counted && h->tok_first >= lo && h->tok_first < hi && item_matches(lex, it, h))
            return (long)i;
    }
    return -1;
}

/* Does `rule` fire within tokens [lo, hi)? Records the hits that made it. */
static bool fires_in(const struct nt_result *r, const struct nt_lex *lex,
                     const struct nt_lex_rule *rule, uint32_t lo, uint32_t hi, struct nt_fired *f)
{
    f->nhits = 0;
    for (size_t k = 0; k < rule->nall; k++) {
        long h = find(r, lex, &rule->all[k], lo, hi);
        if (h < 0)
            return false;
        if (f->nhits < 8)
            f->hits[f->nhits++] = (uint32_t)h;
    }
    if (rule->nany) {
        long best = -1;
        for (size_t k = 0; k < rule->nany && best < 0; k++)
            best = find(r, lex, &rule->any[k], lo, hi);
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

static uint32_t present_mask(const struct nt_result *r, const struct nt_lex *lex)
{
    uint32_t m = 0;
    for (size_t i = 0; i < r->nhits; i++) {
        if (!r->hits[i].counted)
            continue;
        const struct nt_lex_entry *e = &lex->entries[r->hits[i].entry];
        m |= 1u << e->kind;
        if (e->refers_to && e->kind != NT_LEX_NEUTRAL_CONTEXT)
            m |= HAS_CONTESTANT;
    }
    return m;
}

static bool maybe_present(uint32_t mask, const struct nt_lex *lex, const struct nt_lex_item *it)
{
    switch (it->type) {
    case NT_LEX_ITEM_KIND:
        return mask & (1u << it->index);
    case NT_LEX_ITEM_CONTESTANT:
        return mask & HAS_CONTESTANT;
    case NT_LEX_ITEM_ENTRY:
        return mask & (1u << lex->entries[it->index].kind);
    }
    return false;
}

static bool rule_fires(const struct nt_result *r, const struct nt_lex *lex,
                       const struct nt_lex_rule *rule, uint32_t mask, struct nt_fired *f)
{
    for (size_t k = 0; k < rule->nall; k++)
        if (!maybe_present(mask, lex, &rule->all[k]))
            return false;
    if (rule->nany) {
        bool any = false;
        for (size_t k = 0; k < rule->nany && !any; k++)
            any = maybe_present(mask, lex, &rule->any[k]);
        if (!any)
            return false;
    }
    for (size_t k = 0; k < rule->nnone; k++)
        if (maybe_present(mask, lex, &rule->none[k]) &&
            find(r, lex, &rule->none[k], 0, UINT32_MAX) >= 0)
            return false;
    if (rule->window == 0)
        return fires_in(r, lex, rule, 0, UINT32_MAX, f);
    /* Every window of `window` tokens that starts at a counted hit. */
    for (size_t i = 0; i < r->nhits; i++) {
        if (!r->hits[i].counted)
            continue;
        uint32_t lo = r->hits[i].tok_first;
        if (fires_in(r, lex, rule, lo, lo + rule->window, f))
            return true;
    }
    return false;
}

enum nt_err nt_score(struct nt_scanner *s, const struct nt_scan_ctx *ctx)
{
    struct nt_result *r = &s->res;
    const struct nt_lex *lex = s->m->lex;
    const char *region = ctx ? ctx->region : NULL;
    time_t at = ctx ? ctx->at : 0;

    if (r->nhits == 0)
        return NT_OK; /* score 0, level none */

    /* Entries that do not apply to this employee or time give no hits. */
    if (region || at) {
        size_t o = 0;
        for (size_t i = 0; i < r->nhits; i++) {
            const struct nt_lex_entry *e = &lex->entries[r->hits[i].entry];
            bool restricted = e->nscope || e->valid_from || e->valid_to;
            if (restricted && !nt_lex_entry_applies(e, region, at))
                continue;
            if (o != i)
                r->hits[o] = r->hits[i];
            o++;
        }
        r->nhits = o;
    }

    /* Low-specificity hits need other evidence beside them. */
    bool strong = false;
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_lex_entry *e = &lex->entries[r->hits[i].entry];
        strong = strong || (!e->low_specificity && e->kind != NT_LEX_NEUTRAL_CONTEXT);
    }
    for (size_t i = 0; i < r->nhits; i++)
        if (lex->entries[r->hits[i].entry].low_specificity && !strong)
            r->hits[i].counted = false;

    /* Each entry's weight counts once per post. */
    for (size_t i = 0; i < r->nhits; i++) {
        if (!r->hits[i].counted)
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = r->hits[j].counted && r->hits[j].entry == r->hits[i].entry;
        if (!seen)
            r->entry_score += lex->entries[r->hits[i].entry].weight;
    }

    uint32_t mask = present_mask(r, lex);
    for (size_t k = 0; k < lex->nrules && mask; k++) {
        struct nt_fired f = { .rule = (int)k };
        if ((s->m->rule_all[k] & mask) != s->m->rule_all[k] ||
            (s->m->rule_any[k] && !(s->m->rule_any[k] & mask)))
            continue;
        if (!rule_fires(r, lex, &lex->rules[k], mask, &f))
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
    bool used[256] = { false };
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
        const struct nt_lex_entry *e = &lex->entries[r->hits[i].entry];
        if (!r->hits[i].counted || !e->refers_to || e->kind == NT_LEX_NEUTRAL_CONTEXT)
            continue;
        int c = s->m->contestant[r->hits[i].entry];
        bool dup = c < 0;
        for (size_t k = 0; k < r->ncontestants && !dup; k++)
            dup = r->contestants[k] == c;
        if (!dup && r->ncontestants < 64)
            r->contestants[r->ncontestants++] = c;
    }
    return NT_OK;
}
