/*
 * features.c - a scanned post as hashed, candidate-agnostic features.
 *
 * Works on what the matcher already made: the tokens (with their hashes)
 * and the hits. Words a hit covers become one "unit" standing for the
 * hit's kind, so the unigrams and bigrams around a name are the same for
 * every contestant. Nothing here allocates per post once the vector has
 * grown to the largest post seen; without names the cost is one hash mix
 * per feature.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stance.h"
#include "utf8.h"

#define MAX_CHAR_WORD 24 /* longer words get no character n-grams */

/* Unit hashes for the placeholders (as if they were words). */
#define UNIT_MENTION 0x6d656e74696f6e21ull
#define UNIT_NUMBER  0x616e676b61212121ull
#define UNIT_KIND    0x6b696e6421212121ull

static inline uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static inline uint32_t fid(enum nt_stance_group g, uint64_t h, unsigned bits)
{
    return (uint32_t)(mix(h + (uint64_t)g * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

void nt_stance_vec_init(struct nt_stance_vec *v)
{
    memset(v, 0, sizeof(*v));
}

void nt_stance_vec_release(struct nt_stance_vec *v)
{
    free(v->ids);
    free(v->cover);
    free(v->seen);
    free(v->groups);
    memset(v, 0, sizeof(*v));
}

void nt_stance_names_release(struct nt_stance_names *n)
{
    free(n->v);
    memset(n, 0, sizeof(*n));
}

static enum nt_err grow_ids(struct nt_stance_vec *v, size_t need)
{
    if (need <= v->cap)
        return NT_OK;
    size_t cap = v->cap ? v->cap : 256;
    while (cap < need)
        cap *= 2;
    uint32_t *p = realloc(v->ids, cap * sizeof(*p));
    if (!p)
        return NT_ENOMEM;
    v->ids = p;
    uint8_t *g = realloc(v->groups, cap);
    if (!g)
        return NT_ENOMEM;
    v->groups = g;
    v->cap = cap;
    return NT_OK;
}

struct ex {
    struct nt_stance_vec *v;
    struct nt_stance_names *names;
    unsigned bits;
    enum nt_err err;
};

static void name_add(struct ex *x, uint32_t id, enum nt_stance_group g, const char *s, size_t n)
{
    struct nt_stance_names *nm = x->names;
    if (nm->n == nm->cap) {
        size_t cap = nm->cap ? nm->cap * 2 : 64;
        struct nt_stance_named *p = realloc(nm->v, cap * sizeof(*p));
        if (!p) {
            x->err = NT_ENOMEM;
            return;
        }
        nm->v = p;
        nm->cap = cap;
    }
    struct nt_stance_named *f = &nm->v[nm->n++];
    f->id = id;
    f->group = g;
    if (n >= sizeof(f->text)) {
        /* Never cut a UTF-8 sequence in two (s has more than n bytes). */
        n = sizeof(f->text) - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(f->text, s, n);
    f->text[n] = '\0';
    /* A character 3-gram is three bytes, which can split a letter of a
     * non-Latin script: names are shown and written as JSON, so such bytes
     * become '?'. */
    if (!nt_utf8_valid(f->text, n, NULL))
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)f->text[i] >= 0x80)
                f->text[i] = '?';
}

static inline void emit(struct ex *x, enum nt_stance_group g, uint64_t h, const char *name,
                        size_t nlen)
{
    struct nt_stance_vec *v = x->v;
    if (v->n == v->cap && grow_ids(v, v->n + 1) != NT_OK) {
        x->err = NT_ENOMEM;
        return;
    }
    uint32_t id = fid(g, h, x->bits);
    v->groups[v->n] = (uint8_t)g;
    v->ids[v->n++] = id;
    if (x->names)
        name_add(x, id, g, name, nlen);
}

static void emit_str(struct ex *x, enum nt_stance_group g, const char *s)
{
    emit(x, g, nt_norm_hash(s, strlen(s)), s, strlen(s));
}

/* Word lists for the shape of the post, compared on normalised tokens. */
static const char *const first_person[] = { "saya", "aku",  "gue",  "gua", "gw",  "ane",  "kami",
                                            "kita", "sy",   "aq",   "ak",  "sya", "kulo", "abdi",
                                            "awak", "ambo", "ogut", "ik",  NULL };
static const char *const imperative[] = { "ayo",    "ayok",  "yuk",    "yok",    "mari",
                                          "jangan", "pilih", "coblos", "dukung", "menangkan",
                                          "hayu",   "kuy",   "mangga", "monggo", "coblosen",
                                          "ayuk",   "yuks",  NULL };
static const char *const reported[] = { "kata",       "katanya",    "ujar",      "ujarnya",
                                        "menurut",    "mengatakan", "ungkap",    "ungkapnya",
                                        "tegas",      "tegasnya",   "sebut",     "menyebut",
                                        "jelasnya",   "klaim",      "mengklaim", "dilaporkan",
                                        "menyatakan", "imbau",      "mengimbau", NULL };

static bool contains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, k) == 0)
            return true;
    return false;
}

static bool in_list(const char *const *list, const char *s, size_t n)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
            return true;
    return false;
}

/* Is `kind` evidence that the post is about a contestant? Calls and
 * activities are not on their own ("ayo pilih" what?); praise and attacks
 * are ("pasti menang satu putaran", "asal bukan dia"). */
static bool relevant_kind(enum nt_lex_kind k)
{
    switch (k) {
    case NT_LEX_CANDIDATE:
    case NT_LEX_CONTESTANT_NUMBER:
    case NT_LEX_PARTY:
    case NT_LEX_PARTY_SYMBOL:
    case NT_LEX_HAND_SYMBOL:
    case NT_LEX_HASHTAG:
    case NT_LEX_SLOGAN:
    case NT_LEX_TEAM:
    case NT_LEX_SUPPORT_MATERIAL:
    case NT_LEX_PRAISE:
    case NT_LEX_ATTACK:
        return true;
    default:
        return false;
    }
}

/* The lexicon gate (see stance.h). A hand-symbol emoji alone counts when
 * the post has no words: an emoji-only post is a form of support; beside
 * words ("foto bareng teman kantor ✌️") it needs other evidence like any
 * low-specificity hit. */
static bool relevant(const struct nt_lex *lex, const struct nt_result *r, bool words)
{
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        const struct nt_lex_entry *e = &lex->entries[h->entry];
        if ((h->counted && (relevant_kind(e->kind) || e->refers_to)) ||
            (!words && h->via == NT_VIA_EMOJI && e->kind == NT_LEX_HAND_SYMBOL))
            return true;
    }
    return false;
}

static void shape_features(struct ex *x, const struct nt_normtext *nt, const struct nt_result *r,
                           const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
        i++;
    if (i < len && text[i] == '@')
        emit_str(x, NT_SG_SHAPE, "balasan");
    /* Link at the end: the last word starts with http. */
    size_t e = len;
    while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\n' || text[e - 1] == '\t' ||
                     text[e - 1] == '\r'))
        e--;
    size_t b = e;
    while (b > 0 && text[b - 1] != ' ' && text[b - 1] != '\n' && text[b - 1] != '\t')
        b--;
    bool link = contains(text, len, "http");
    if (e - b >= 4 && memcmp(text + b, "http", 4) == 0)
        emit_str(x, NT_SG_SHAPE, "tautan di akhir");
    else if (link)
        emit_str(x, NT_SG_SHAPE, "ada tautan");
    bool question = memchr(text, '?', len) != NULL, excl = memchr(text, '!', len) != NULL;
    bool quote = memchr(text, '"', len) || contains(text, len, "\xe2\x80\x9c") ||
                 contains(text, len, "\xe2\x80\x9d");
    if (question)
        emit_str(x, NT_SG_SHAPE, "pertanyaan");
    if (excl)
        emit_str(x, NT_SG_SHAPE, "seruan");
    if (quote)
        emit_str(x, NT_SG_SHAPE, "kutipan");

    size_t words = 0, plain = 0, caps = 0, emoji = 0, tags = 0, items = 0;
    bool first = false, imper = false, rep = false, lah = false;
    for (size_t k = 0; k < nt->ntoks; k++) {
        const struct nt_token *t = &nt->toks[k];
        const char *s = nt->text + t->norm_off;
        size_t n = t->norm_len;
        if (t->flags & NT_TOK_EMOJI) {
            emoji++;
            continue;
        }
        if (t->flags & NT_TOK_HASHTAG) {
            tags++;
            continue;
        }
        if (t->flags & NT_TOK_NUMBER) {
            /* "1." "2." at the head of list items */
            items += t->end < len && text[t->end] == '.' && t->end - t->start <= 2;
            continue;
        }
        if (!(t->flags & NT_TOK_WORD))
            continue;
        words++;
        /* Title case among the words no hit covers: names are capitalised
         * in any post, a headline capitalises the rest too. */
        unsigned char c0 = t->start < len ? (unsigned char)text[t->start] : 0;
        if (x->v->cover[k] < 0) {
            plain++;
            caps += c0 >= 'A' && c0 <= 'Z';
        }
        if (n <= 10) {
            first = first || in_list(first_person, s, n);
            imper = imper || in_list(imperative, s, n);
            rep = rep || in_list(reported, s, n);
        }
        if (n > 4 && memcmp(s + n - 3, "lah", 3) == 0)
            lah = true;
    }
    if (first)
        emit_str(x, NT_SG_SHAPE, "orang pertama");
    if (imper || lah)
        emit_str(x, NT_SG_SHAPE, "ajakan atau perintah");
    if (rep)
        emit_str(x, NT_SG_SHAPE, "ucapan orang lain");
    if (plain >= 4 && caps * 2 >= plain && !first && !question && !imper)
        emit_str(x, NT_SG_SHAPE, "bentuk judul berita");
    if (emoji)
        emit_str(x, NT_SG_SHAPE, emoji >= 3 ? "banyak emoji" : "emoji");
    if (emoji && words == 0)
        emit_str(x, NT_SG_SHAPE, "hanya emoji");
    if (tags)
        emit_str(x, NT_SG_SHAPE, tags >= 4 ? "banyak tagar" : "tagar");
    if (items >= 2)
        emit_str(x, NT_SG_SHAPE, "daftar bernomor");
    emit_str(x, NT_SG_SHAPE,
             words >= 120 ? "teks sangat panjang"
             : words < 6  ? "unggahan sangat pendek"
             : words < 20 ? "unggahan pendek"
             : words < 50 ? "unggahan sedang"
                          : "unggahan panjang");
    if (r->ncontestants >= 2)
        emit_str(x, NT_SG_SHAPE, "menyebut beberapa kontestan");
    else if (r->ncontestants == 1)
        emit_str(x, NT_SG_SHAPE, "menyebut satu kontestan");
}

/* Does a hit say which contestant? Then its words become its kind ("a
 * candidate"), so that a model trained on one race works for the next.
 * Generic vocabulary (calls, praise, attacks, activities, teams, support
 * material, neutral context) keeps its words: "ayo coblos" and a headline's
 * "dukung" are not the same thing. */
static bool identifies(const struct nt_lex_entry *e)
{
    switch (e->kind) {
    case NT_LEX_CANDIDATE:
    case NT_LEX_CONTESTANT_NUMBER:
    case NT_LEX_PARTY:
    case NT_LEX_PARTY_SYMBOL:
    case NT_LEX_HAND_SYMBOL:
    case NT_LEX_HASHTAG:
    case NT_LEX_SLOGAN:
        return true;
    default:
        return e->refers_to != NULL;
    }
}

/* Keep the first of each id, in order: a feature is present or not, so
 * thirteen @mentions weigh as one. An open-addressing set twice the size
 * of the vector, cleared per post. */
static enum nt_err dedupe(struct nt_stance_vec *v)
{
    size_t cap = 64;
    while (cap < 2 * v->n)
        cap *= 2;
    if (cap > v->seencap) {
        uint32_t *p = realloc(v->seen, cap * sizeof(*p));
        if (!p)
            return NT_ENOMEM;
        v->seen = p;
        v->seencap = cap;
    }
    memset(v->seen, 0, cap * sizeof(*v->seen));
    size_t k = 0, mask = cap - 1;
    for (size_t i = 0; i < v->n; i++) {
        uint32_t id = v->ids[i];
        size_t h = (id * 0x9e3779b1u) & mask;
        while (v->seen[h] && v->seen[h] != id + 1)
            h = (h + 1) & mask;
        if (v->seen[h])
            continue;
        v->seen[h] = id + 1;
        v->groups[k] = v->groups[i];
        v->ids[k++] = id;
    }
    v->n = k;
    return NT_OK;
}

enum nt_err nt_stance_extract(const struct nt_lex *lex, const struct nt_normtext *nt,
                              const struct nt_result *r, const char *text, size_t len,
                              unsigned bits, struct nt_stance_vec *v, struct nt_stance_names *names)
{
    struct ex x = { v, names, bits, NT_OK };
    v->n = 0;
    if (names)
        names->n = 0;
    if (bits < 8 || bits > 26)
        return NT_EINPUT;
    if (nt->ntoks > v->ccap) {
        int32_t *p = realloc(v->cover, nt->ntoks * sizeof(*p));
        if (!p)
            return NT_ENOMEM;
        v->cover = p;
        v->ccap = nt->ntoks;
    }
    for (size_t i = 0; i < nt->ntoks; i++)
        v->cover[i] = -1;
    if (grow_ids(v, 4 * nt->ntoks + 64) != NT_OK)
        return NT_ENOMEM;

    /* Lexicon: kinds of the hits, categories of the fired rules. */
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        const struct nt_lex_entry *e = &lex->entries[h->entry];
        if (identifies(e))
            for (uint32_t t = h->tok_first; t <= h->tok_last && t < nt->ntoks; t++)
                if (v->cover[t] < 0)
                    v->cover[t] = (int32_t)i;
        char kn[48];
        snprintf(kn, sizeof(kn), "%s%s", nt_lex_kind_name(e->kind), h->counted ? "" : "?");
        emit_str(&x, NT_SG_KIND, kn);
    }
    for (size_t i = 0; i < r->nfired; i++)
        emit_str(&x, NT_SG_RULE, lex->rules[r->fired[i].rule].category);
    double ls = r->entry_score + r->rule_score;
    emit_str(&x, NT_SG_KIND,
             ls <= 0              ? "skor leksikon 0"
             : ls < lex->review   ? "skor leksikon rendah"
             : ls < lex->priority ? "skor leksikon sedang"
                                  : "skor leksikon tinggi");
    bool words = false;
    for (size_t i = 0; i < nt->ntoks && !words; i++)
        words = (nt->toks[i].flags & NT_TOK_WORD) != 0;
    v->relevant = relevant(lex, r, words);
    if (!v->relevant)
        emit_str(&x, NT_SG_KIND, "tanpa kontestan");

    /* Units: words, placeholders for mentions and numbers, one unit per hit. */
    uint64_t prev = 0x5354415254ull; /* start of post */
    const char *pname = "^";
    size_t pnlen = 1;
    char kindname[48], keep[48];
    for (size_t i = 0; i < nt->ntoks && x.err == NT_OK;) {
        const struct nt_token *t = &nt->toks[i];
        uint64_t u;
        const char *name;
        size_t nlen;
        if (v->cover[i] >= 0) {
            const struct nt_hit *h = &r->hits[v->cover[i]];
            enum nt_lex_kind k = lex->entries[h->entry].kind;
            u = UNIT_KIND + (uint64_t)k * 0x100000001b3ull;
            name = kindname;
            nlen = names ? (size_t)snprintf(kindname, sizeof(kindname), "<%s>", nt_lex_kind_name(k))
                         : 0;
            size_t j = i + 1;
            while (j < nt->ntoks && v->cover[j] == v->cover[i])
                j++;
            i = j;
        } else {
            if (t->flags & NT_TOK_MENTION) {
                u = UNIT_MENTION;
                name = "<akun>";
                nlen = 6;
            } else if (t->flags & NT_TOK_NUMBER) {
                u = UNIT_NUMBER;
                name = "<angka>";
                nlen = 7;
            } else {
                u = t->hash;
                name = nt->text + t->norm_off;
                nlen = t->norm_len;
                /* Character 3-grams of a word no hit covers. */
                if ((t->flags & NT_TOK_WORD) && t->norm_len >= 3 && t->norm_len <= MAX_CHAR_WORD) {
                    const unsigned char *w = (const unsigned char *)name;
                    size_t n = t->norm_len;
                    for (size_t c = 0; c < n; c++) {
                        /* "^ab", "abc", ..., "yz$" */
                        uint32_t a = c == 0 ? '^' : w[c - 1];
                        uint32_t bb = w[c];
                        uint32_t cc = c + 1 < n ? w[c + 1] : '$';
                        uint64_t g = (uint64_t)a << 16 | bb << 8 | cc;
                        char tri[3] = { (char)a, (char)bb, (char)cc };
                        emit(&x, NT_SG_CHAR, g, tri, 3);
                    }
                }
            }
            i++;
        }
        emit(&x, NT_SG_WORD, u, name, nlen);
        char bi[96];
        size_t blen = 0;
        if (names) {
            blen =
                (size_t)snprintf(bi, sizeof(bi), "%.*s %.*s", (int)pnlen, pname, (int)nlen, name);
            blen = blen < sizeof(bi) ? blen : sizeof(bi) - 1;
            /* The name of this unit, for the next bigram (kindname is reused). */
            pnlen = nlen < sizeof(keep) - 1 ? nlen : sizeof(keep) - 1;
            memcpy(keep, name, pnlen);
            pname = keep;
        }
        emit(&x, NT_SG_BIGRAM, prev * 0x100000001b3ull ^ u, bi, blen);
        prev = u;
    }
    if (x.err == NT_OK)
        shape_features(&x, nt, r, text, len);
    if (x.err)
        return x.err;
    if (dedupe(v) != NT_OK)
        return NT_ENOMEM;
    v->scale = v->n ? (float)(1.0 / sqrt((double)v->n)) : 0.0f;
    return NT_OK;
}

void nt_stance_describe(const struct nt_stance_named *f, char *out, size_t n)
{
    switch (f->group) {
    case NT_SG_KIND:
        if (strncmp(f->text, "skor ", 5) == 0 || strcmp(f->text, "tanpa kontestan") == 0)
            snprintf(out, n, "%s", f->text);
        else
            snprintf(out, n, "temuan leksikon jenis %s", f->text);
        break;
    case NT_SG_RULE:
        snprintf(out, n, "aturan kategori %s berlaku", f->text);
        break;
    case NT_SG_WORD:
        snprintf(out, n, "kata \"%s\"", f->text);
        break;
    case NT_SG_BIGRAM:
        snprintf(out, n, "frasa \"%s\"", f->text);
        break;
    case NT_SG_CHAR:
        snprintf(out, n, "potongan huruf \"%s\"", f->text);
        break;
    case NT_SG_SHAPE:
        snprintf(out, n, "bentuk: %s", f->text);
        break;
    default:
        snprintf(out, n, "fitur %s", f->text);
    }
}
