/*
 * compile.c - building the immutable matcher: the token n-gram dictionary
 * (open addressing, linear probing, load <= 50%) and the PCRE2-JIT pattern
 * alternation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool add_text(struct nt_matcher *m, const char *s, size_t n, size_t *cap, uint32_t *off)
{
    if (m->tlen + n > *cap) {
        size_t c = *cap ? *cap * 2 : 65536;
        while (c < m->tlen + n)
            c *= 2;
        char *p = realloc(m->text, c);
        if (!p)
            return false;
        m->text = p;
        *cap = c;
    }
    memcpy(m->text + m->tlen, s, n);
    *off = (uint32_t)m->tlen;
    m->tlen += n;
    return true;
}

static struct slot *probe(struct slot *slots, size_t mask, uint64_t key)
{
    size_t i = (size_t)key & mask;
    uint16_t tag = nt_slot_tag(key);
    while (slots[i].tag && (slots[i].tag & ~3u) != tag)
        i = (i + 1) & mask;
    return &slots[i];
}

/* A term waiting to be inserted once the table is sized. */
struct pending {
    uint64_t keys[NT_MAX_NGRAM];
    uint16_t next[NT_MAX_NGRAM]; /* nt_next_bit() of each token */
    size_t n;
    uint32_t term;
};

static void perr(struct nt_diag_list *errs, const char *path, const char *what, const char *v)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    nt_diag_at(&d, NULL, 0, path);
    nt_diag_set(&d, NT_EINPUT, "\"%s\" %s", v, what);
    nt_diag_list_add(errs, &d);
}

static void gate_add(struct nt_matcher *m, const char *lit, size_t n)
{
    unsigned a = (unsigned char)lit[0];
    if (n == 1) { /* a one-letter literal: every token starting with it */
        for (unsigned k = 0; k < 4; k++)
            m->gate[(a << 8 >> 6) + k] = ~0ULL;
        return;
    }
    unsigned idx = a << 8 | (unsigned char)lit[1];
    m->gate[idx >> 6] |= 1ULL << (idx & 63);
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool quantifier(char c)
{
    return c == '?' || c == '*' || c == '{';
}

/* Record the literal words a pattern must start with; false when it does
 * not start with \b and literal words (then every post runs the patterns). */
static bool gate_pattern(struct nt_matcher *m, const char *pat)
{
    char low[512];
    size_t n = strlen(pat), i = 2;
    if (n < 3 || n >= sizeof(low) || pat[0] != '\\' || pat[1] != 'b')
        return false;
    for (size_t k = 0; k < n; k++)
        low[k] = (char)(pat[k] >= 'A' && pat[k] <= 'Z' ? pat[k] + 32 : pat[k]);
    low[n] = '\0';
    if (strncmp(low + i, "(?:", 3) == 0) {
        const char *alts[32];
        size_t lens[32], na = 0;
        i += 3;
        for (;;) {
            size_t s0 = i;
            while (i < n && word_char(low[i]))
                i++;
            if (i == s0 || na == 32)
                return false;
            size_t l = i - s0;
            if (i < n && quantifier(low[i]))
                l--; /* the last letter is optional */
            if (l == 0)
                return false;
            alts[na] = low + s0;
            lens[na++] = l;
            if (i < n && quantifier(low[i]))
                return false; /* a quantifier inside: keep it simple */
            if (low[i] == '|') {
                i++;
                continue;
            }
            if (low[i] != ')')
                return false;
            i++;
            if (i < n && quantifier(low[i]))
                return false; /* the whole group is optional */
            break;
        }
        for (size_t k = 0; k < na; k++)
            gate_add(m, alts[k], lens[k] > 2 ? 2 : lens[k]);
        return true;
    }
    size_t s0 = i;
    while (i < n && word_char(low[i]))
        i++;
    size_t l = i - s0;
    if (l && i < n && quantifier(low[i]))
        l--;
    if (l == 0)
        return false;
    gate_add(m, low + s0, l > 2 ? 2 : l);
    return true;
}

static enum nt_err compile_patterns(struct nt_matcher *m, struct nt_diag *d)
{
    const struct nt_lex *lex = m->lex;
    size_t total = 0, n = 0;
    for (size_t i = 0; i < lex->nentries; i++)
        for (size_t k = 0; k < lex->entries[i].npatterns; k++) {
            total += strlen(lex->entries[i].patterns[k]) + 32;
            n++;
        }
    if (!n)
        return NT_OK;
    m->gate = calloc(65536 / 64, sizeof(*m->gate));
    if (!m->gate)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    m->gated = true;
    for (size_t i = 0; i < lex->nentries; i++)
        for (size_t k = 0; k < lex->entries[i].npatterns; k++)
            m->gated = gate_pattern(m, lex->entries[i].patterns[k]) && m->gated;
    char *alt = malloc(total + 16);
    m->pattern_entry = calloc(n, sizeof(*m->pattern_entry));
    if (!alt || !m->pattern_entry) {
        free(alt);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    size_t o = 0;
    alt[o++] = '(';
    alt[o++] = '?';
    alt[o++] = ':';
    for (size_t i = 0; i < lex->nentries; i++)
        for (size_t k = 0; k < lex->entries[i].npatterns; k++) {
            if (m->npatterns)
                alt[o++] = '|';
            o += (size_t)snprintf(alt + o, total + 16 - o, "(?:%s)(*MARK:%zu)",
                                  lex->entries[i].patterns[k], m->npatterns);
            m->pattern_entry[m->npatterns++] = (int)i;
        }
    alt[o++] = ')';
    alt[o] = '\0';
    int code;
    PCRE2_SIZE off;
    m->patterns = pcre2_compile((PCRE2_SPTR)alt, o, PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code,
                                &off, NULL);
    free(alt);
    if (!m->patterns) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof(msg));
        return nt_diag_set(d, NT_EINPUT, "pola gabungan tidak dapat dikompilasi: %s",
                           (const char *)msg);
    }
    /* JIT is an optimisation: without it matching is slower, not wrong. */
    m->jit = pcre2_jit_compile(m->patterns, PCRE2_JIT_COMPLETE) == 0;
    return NT_OK;
}

/* Number the distinct items of the rules and build the bit sets that
 * scoring tests instead of comparing items with hits (see internal.h). */
static bool compile_items(struct nt_matcher *m, const struct nt_lex *lex)
{
    size_t cap = 1;
    for (size_t k = 0; k < lex->nrules; k++)
        cap += lex->rules[k].nall + lex->rules[k].nany + lex->rules[k].nnone;
    struct nt_lex_item *items = malloc(cap * sizeof(*items));
    uint32_t *num = malloc(cap * sizeof(*num)); /* item number per rule position */
    m->rule_item = malloc(cap * sizeof(*m->rule_item));
    m->rule_item_off = calloc(lex->nrules + 1, sizeof(*m->rule_item_off));
    if (!items || !num || !m->rule_item || !m->rule_item_off) {
        free(items);
        free(num);
        return false;
    }
    size_t nitems = 0, npos = 0, ri = 0;
    for (size_t k = 0; k < lex->nrules; k++) {
        const struct nt_lex_rule *r = &lex->rules[k];
        const struct nt_lex_item *lists[3] = { r->all, r->any, r->none };
        size_t counts[3] = { r->nall, r->nany, r->nnone };
        m->rule_item_off[k] = ri;
        for (int w = 0; w < 3; w++)
            for (size_t i = 0; i < counts[w]; i++) {
                const struct nt_lex_item *it = &lists[w][i];
                size_t x = 0;
                while (x < nitems && (items[x].type != it->type || items[x].index != it->index))
                    x++;
                if (x == nitems)
                    items[nitems++] = *it;
                num[npos++] = (uint32_t)x;
                if (w < 2)
                    m->rule_item[ri++] = (uint32_t)x;
            }
    }
    m->rule_item_off[lex->nrules] = ri;
    size_t W = nitems ? (nitems + 63) / 64 : 1;
    m->words = W;
    m->rule_sets = calloc(lex->nrules * 3 * W + 1, sizeof(*m->rule_sets));
    m->entry_items = calloc(lex->nentries * W + 1, sizeof(*m->entry_items));
    uint64_t *kind_set = calloc((NT_LEX_KIND_COUNT + 1) * W, sizeof(*kind_set));
    if (!m->rule_sets || !m->entry_items || !kind_set) {
        free(items);
        free(num);
        free(kind_set);
        return false;
    }
    npos = 0;
    for (size_t k = 0; k < lex->nrules; k++) {
        const struct nt_lex_rule *r = &lex->rules[k];
        size_t counts[3] = { r->nall, r->nany, r->nnone };
        for (int w = 0; w < 3; w++)
            for (size_t i = 0; i < counts[w]; i++, npos++)
                m->rule_sets[(k * 3 + (size_t)w) * W + num[npos] / 64] |= 1ULL << (num[npos] % 64);
    }
    /* Kind items through a per-kind set (the last one: "@contestant"),
     * entry items on their entry. */
    for (size_t x = 0; x < nitems; x++) {
        uint64_t bit = 1ULL << (x % 64);
        if (items[x].type == NT_LEX_ITEM_KIND)
            kind_set[(size_t)items[x].index * W + x / 64] |= bit;
        else if (items[x].type == NT_LEX_ITEM_CONTESTANT)
            kind_set[NT_LEX_KIND_COUNT * W + x / 64] |= bit;
        else
            m->entry_items[(size_t)items[x].index * W + x / 64] |= bit;
    }
    for (size_t e = 0; e < lex->nentries; e++)
        for (size_t w = 0; w < W; w++)
            m->entry_items[e * W + w] |=
                kind_set[(size_t)m->info[e].kind * W + w] |
                (m->info[e].flags & NT_EI_CONTESTANT ? kind_set[NT_LEX_KIND_COUNT * W + w] : 0);
    free(items);
    free(num);
    free(kind_set);
    return true;
}

enum nt_err nt_match_compile(const struct nt_lex *lex, const struct nt_norm *norm,
                             struct nt_matcher **out, struct nt_diag_list *errs, struct nt_diag *d)
{
    struct nt_matcher *m = calloc(1, sizeof(*m));
    struct nt_normtext nt;
    struct pending *pend = NULL;
    size_t npend = 0, pcap = 0, tcap = 0, termcap = 0, prefixes = 0, bad = 0;
    enum nt_err err = NT_OK;
    char path[NT_DIAG_FIELD_MAX];

    if (!m)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    m->lex = lex;
    m->norm = norm;
    nt_normtext_init(&nt);

    for (size_t i = 0; i < lex->nentries; i++) {
        const struct nt_lex_entry *e = &lex->entries[i];
        for (int which = 0; which < 2; which++) {
            char **v = which ? e->emoji : e->terms;
            size_t nv = which ? e->nemoji : e->nterms;
            for (size_t k = 0; k < nv; k++) {
                snprintf(path, sizeof(path), "entries[%zu](%s).%s[%zu]", i, e->id,
                         which ? "emoji" : "terms", k);
                err = nt_norm_run(norm, v[k], strlen(v[k]), &nt);
                if (err)
                    goto fail;
                if (nt.ntoks == 0) {
                    perr(errs, path, "kosong setelah normalisasi", v[k]);
                    bad++;
                    continue;
                }
                if (nt.ntoks > NT_MAX_NGRAM) {
                    perr(errs, path, "lebih dari 16 kata", v[k]);
                    bad++;
                    continue;
                }
                if (npend == pcap) {
                    pcap = pcap ? pcap * 2 : 1024;
                    struct pending *p = realloc(pend, pcap * sizeof(*p));
                    if (!p)
                        goto oom;
                    pend = p;
                }
                if (m->nterms == termcap) {
                    termcap = termcap ? termcap * 2 : 1024;
                    struct term *t = realloc(m->terms, termcap * sizeof(*t));
                    if (!t)
                        goto oom;
                    m->terms = t;
                }
                struct term *t = &m->terms[m->nterms];
                t->entry = (int)i;
                t->next = NO_TERM;
                t->via = which ? NT_VIA_EMOJI : NT_VIA_TERM;
                t->text_len = (uint32_t)nt.len;
                t->need = nt.toks[0].flags & (NT_TOK_HASHTAG | NT_TOK_MENTION);
                if (!add_text(m, nt.text, nt.len, &tcap, &t->text_off))
                    goto oom;
                struct pending *p = &pend[npend++];
                uint64_t h = 0;
                p->n = nt.ntoks;
                p->term = (uint32_t)m->nterms++;
                for (size_t j = 0; j < nt.ntoks; j++) {
                    h = j ? nt_ngram_step(h, nt.toks[j].hash) : nt_ngram_first(nt.toks[j].hash);
                    p->keys[j] = h;
                    p->next[j] = nt_next_bit(nt.toks[j].hash);
                }
                prefixes += nt.ntoks;
            }
        }
    }
    if (bad) {
        err = nt_diag_set(d, NT_EINPUT, "leksikon ditolak: %zu istilah tidak dapat dipakai", bad);
        goto fail;
    }

    size_t size = 1024;
    while (size < prefixes * 2 + 2)
        size *= 2;
    m->slots = calloc(size, sizeof(*m->slots));
    if (!m->slots)
        goto oom;
    m->mask = size - 1;
    size_t fbits = 1u << 16;
    while (fbits < npend * 16 && fbits < (1u << 24))
        fbits *= 2;
    m->filter = calloc(fbits / 64, sizeof(*m->filter));
    if (!m->filter)
        goto oom;
    m->fmask = fbits - 1;
    for (size_t i = 0; i < npend; i++) {
        size_t b = (size_t)(pend[i].keys[0] >> 7) & m->fmask;
        m->filter[b >> 6] |= 1ULL << (b & 63);
    }
    for (size_t i = 0; i < npend; i++) {
        struct pending *p = &pend[i];
        for (size_t j = 0; j < p->n; j++) {
            struct slot *s = probe(m->slots, m->mask, p->keys[j]);
            if (!s->tag) {
                s->tag = nt_slot_tag(p->keys[j]) | NT_SLOT_USED;
                s->term = NO_TERM;
            }
            if (j + 1 < p->n) {
                s->tag |= NT_SLOT_PREFIX;
                s->next |= p->next[j + 1];
            } else {
                /* Append, keeping file order for deterministic output. */
                uint32_t *link = &s->term;
                while (*link != NO_TERM)
                    link = &m->terms[*link].next;
                *link = p->term;
            }
        }
    }
    m->info = calloc(lex->nentries + 1, sizeof(*m->info));
    if (!m->info)
        goto oom;
    for (size_t i = 0; i < lex->nentries; i++) {
        const struct nt_lex_entry *e = &lex->entries[i];
        struct nt_entry_info *in = &m->info[i];
        bool neutral = e->kind == NT_LEX_NEUTRAL_CONTEXT;
        in->weight = e->weight;
        in->contestant = e->refers_to ? nt_lex_find_contestant(lex, e->refers_to) : -1;
        in->kind = (uint8_t)e->kind;
        in->flags = (uint8_t)((e->low_specificity ? NT_EI_LOW : 0) |
                              (e->refers_to && !neutral ? NT_EI_CONTESTANT : 0) |
                              (e->nscope || e->valid_from || e->valid_to ? NT_EI_RESTRICTED : 0) |
                              (neutral ? NT_EI_NEUTRAL : 0));
    }
    if (!compile_items(m, lex))
        goto oom;
    err = compile_patterns(m, d);
    if (err)
        goto fail;
    free(pend);
    nt_normtext_release(&nt);
    *out = m;
    return NT_OK;
oom:
    err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
fail:
    free(pend);
    nt_normtext_release(&nt);
    nt_match_free(m);
    return err;
}

void nt_match_free(struct nt_matcher *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m->info);
    free(m->entry_items);
    free(m->rule_sets);
    free(m->rule_item);
    free(m->rule_item_off);
    free(m->gate);
    free(m->filter);
    free(m->terms);
    free(m->text);
    pcre2_code_free(m->patterns);
    free(m->pattern_entry);
    free(m);
}

const struct nt_lex *nt_match_lexicon(const struct nt_matcher *m)
{
    return m->lex;
}

size_t nt_match_nterms(const struct nt_matcher *m)
{
    return m->nterms + m->npatterns;
}

const char *nt_level_name(enum nt_level l)
{
    return l == NT_LEVEL_PRIORITY ? "priority" : l == NT_LEVEL_REVIEW ? "review" : "none";
}
