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
#include <assert.h>
#include <math.h>
#if defined(__SSE2__) && !defined(NT_NO_SIMD)
#include <emmintrin.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "utf8.h"

/* Unit hashes for the placeholders (as if they were words). */
#define UNIT_MENTION 0x6d656e74696f6e21ull
#define UNIT_NUMBER  0x616e676b61212121ull
#define UNIT_KIND    0x6b696e6421212121ull
#define UNIT_UNKNOWN 0x3f3f3f3f3f3f3f3full

/* A feature's id: the group and the content's hash, folded and spread by
 * one multiplication (Fibonacci hashing), top `bits` bits. */
static inline uint32_t fid(enum nt_stance_group g, uint64_t h, unsigned bits)
{
    uint64_t x = h ^ (uint64_t)g * 0x9e3779b97f4a7c15ull;
    x ^= x >> 29;
    return (uint32_t)((x * 0xbf58476d1ce4e5b9ull) >> (64 - bits));
}

void nt_stance_vec_init(struct nt_stance_vec *v)
{
    memset(v, 0, sizeof(*v));
}

void nt_stance_vec_release(struct nt_stance_vec *v)
{
    free(v->ids);
    free(v->cover);
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
    const float *w;     /* scoring: add each feature's weights, store nothing */
    float side, oppose; /* the two sums */
    size_t n;           /* features so far (v->n when done) */
};

/* Not given the extraction's state: nothing outside the inlined
 * extraction takes its address, so the compiler keeps it in registers. */
static enum nt_err name_add(struct nt_stance_names *nm, uint32_t id, enum nt_stance_group g,
                            const char *s, size_t n)
{
    if (nm->n == nm->cap) {
        size_t cap = nm->cap ? nm->cap * 2 : 64;
        struct nt_stance_named *p = realloc(nm->v, cap * sizeof(*p));
        if (!p)
            return NT_ENOMEM;
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
    return NT_OK;
}

static inline void emit_id(struct ex *x, enum nt_stance_group g, uint32_t id, const char *name,
                           size_t nlen)
{
    struct nt_stance_vec *v = x->v;
    if (x->w) {
        /* The same sums, in the same order, as nt_stance_predict. */
        const float *p = x->w + 2 * (size_t)id;
        x->side += p[0];
        x->oppose += p[1];
        x->n++;
        return;
    }
    assert(x->n < v->cap); /* nt_stance_extract grew it for the post */
    v->groups[x->n] = (uint8_t)g;
    v->ids[x->n++] = id;
    if (x->names && name_add(x->names, id, g, name, nlen) != NT_OK)
        x->err = NT_ENOMEM;
}

static inline void emit(struct ex *x, enum nt_stance_group g, uint64_t h, const char *name,
                        size_t nlen)
{
    emit_id(x, g, fid(g, h, x->bits), name, nlen);
}

/* A feature known by a number (a kind, a rule category, a shape), named
 * `name` only when names are asked for: no hashing of strings per post. */
static inline void emit_code(struct ex *x, enum nt_stance_group g, uint64_t code, const char *name)
{
    emit(x, g, code * 0x100000001b3ull + 0x636f6465ull, name, x->names ? strlen(name) : 0);
}

enum shape {
    SH_REPLY,
    SH_LINK_END,
    SH_LINK,
    SH_QUESTION,
    SH_EXCLAIM,
    SH_QUOTE,
    SH_FIRST,
    SH_IMPERATIVE,
    SH_REPORTED,
    SH_HEADLINE,
    SH_EMOJI,
    SH_EMOJIS,
    SH_ONLY_EMOJI,
    SH_TAG,
    SH_TAGS,
    SH_LIST,
    SH_LONGEST,
    SH_SHORTEST,
    SH_SHORT,
    SH_MEDIUM,
    SH_LONG,
    SH_CONTESTANTS,
    SH_CONTESTANT,
    SH_MANY_CONTESTANTS,
    SH_COUNT
};

static const char *const shape_names[SH_COUNT] = {
    [SH_REPLY] = "balasan",
    [SH_LINK_END] = "tautan di akhir",
    [SH_LINK] = "ada tautan",
    [SH_QUESTION] = "pertanyaan",
    [SH_EXCLAIM] = "seruan",
    [SH_QUOTE] = "kutipan",
    [SH_FIRST] = "orang pertama",
    [SH_IMPERATIVE] = "ajakan atau perintah",
    [SH_REPORTED] = "ucapan orang lain",
    [SH_HEADLINE] = "bentuk judul berita",
    [SH_EMOJI] = "emoji",
    [SH_EMOJIS] = "banyak emoji",
    [SH_ONLY_EMOJI] = "hanya emoji",
    [SH_TAG] = "tagar",
    [SH_TAGS] = "banyak tagar",
    [SH_LIST] = "daftar bernomor",
    [SH_LONGEST] = "teks sangat panjang",
    [SH_SHORTEST] = "unggahan sangat pendek",
    [SH_SHORT] = "unggahan pendek",
    [SH_MEDIUM] = "unggahan sedang",
    [SH_LONG] = "unggahan panjang",
    [SH_CONTESTANTS] = "menyebut beberapa kontestan",
    [SH_CONTESTANT] = "menyebut satu kontestan",
    [SH_MANY_CONTESTANTS] = "menyebut tiga kontestan atau lebih",
};

static inline void emit_shape(struct ex *x, enum shape sh)
{
    emit_code(x, NT_SG_SHAPE, (uint64_t)sh, shape_names[sh]);
}

/* Words that shape a post, by class, found by the token's hash in a small
 * table built once (the token already carries nt_norm_hash of its text). */
enum { WC_FIRST = 1, WC_IMPERATIVE = 2, WC_REPORTED = 4 };

static const struct {
    const char *w;
    uint8_t cls;
} class_words[] = {
    { "saya", WC_FIRST },
    { "aku", WC_FIRST },
    { "gue", WC_FIRST },
    { "gua", WC_FIRST },
    { "gw", WC_FIRST },
    { "ane", WC_FIRST },
    { "kami", WC_FIRST },
    { "kita", WC_FIRST },
    { "sy", WC_FIRST },
    { "aq", WC_FIRST },
    { "ak", WC_FIRST },
    { "sya", WC_FIRST },
    { "kulo", WC_FIRST },
    { "abdi", WC_FIRST },
    { "awak", WC_FIRST },
    { "ambo", WC_FIRST },
    { "ogut", WC_FIRST },
    { "ik", WC_FIRST },
    { "ayo", WC_IMPERATIVE },
    { "ayok", WC_IMPERATIVE },
    { "yuk", WC_IMPERATIVE },
    { "yok", WC_IMPERATIVE },
    { "mari", WC_IMPERATIVE },
    { "jangan", WC_IMPERATIVE },
    { "pilih", WC_IMPERATIVE },
    { "coblos", WC_IMPERATIVE },
    { "dukung", WC_IMPERATIVE },
    { "menangkan", WC_IMPERATIVE },
    { "hayu", WC_IMPERATIVE },
    { "kuy", WC_IMPERATIVE },
    { "mangga", WC_IMPERATIVE },
    { "monggo", WC_IMPERATIVE },
    { "coblosen", WC_IMPERATIVE },
    { "ayuk", WC_IMPERATIVE },
    { "yuks", WC_IMPERATIVE },
    { "kata", WC_REPORTED },
    { "katanya", WC_REPORTED },
    { "ujar", WC_REPORTED },
    { "ujarnya", WC_REPORTED },
    { "menurut", WC_REPORTED },
    { "mengatakan", WC_REPORTED },
    { "ungkap", WC_REPORTED },
    { "ungkapnya", WC_REPORTED },
    { "tegas", WC_REPORTED },
    { "tegasnya", WC_REPORTED },
    { "sebut", WC_REPORTED },
    { "menyebut", WC_REPORTED },
    { "jelasnya", WC_REPORTED },
    { "klaim", WC_REPORTED },
    { "mengklaim", WC_REPORTED },
    { "dilaporkan", WC_REPORTED },
    { "menyatakan", WC_REPORTED },
    { "imbau", WC_REPORTED },
    { "mengimbau", WC_REPORTED },
};

#define WC_SLOTS 256 /* a power of two, over four times the words */
static struct {
    uint64_t hash;
    uint8_t cls;
} wc_table[WC_SLOTS];
static uint64_t wc_filter[64]; /* a bit per (hash & 4095) of the class words: 1 % pass */
static pthread_once_t wc_once = PTHREAD_ONCE_INIT;

static void wc_build(void)
{
    for (size_t i = 0; i < sizeof(class_words) / sizeof(class_words[0]); i++) {
        uint64_t h = nt_norm_hash(class_words[i].w, strlen(class_words[i].w));
        size_t k = h & (WC_SLOTS - 1);
        while (wc_table[k].cls && wc_table[k].hash != h)
            k = (k + 1) & (WC_SLOTS - 1);
        wc_table[k].hash = h;
        wc_table[k].cls |= class_words[i].cls;
        wc_filter[(h >> 6) & 63] |= 1ull << (h & 63);
    }
}

static inline unsigned word_class(uint64_t h)
{
    if (!(wc_filter[(h >> 6) & 63] >> (h & 63) & 1))
        return 0;
    for (size_t k = h & (WC_SLOTS - 1); wc_table[k].cls; k = (k + 1) & (WC_SLOTS - 1))
        if (wc_table[k].hash == h)
            return wc_table[k].cls;
    return 0;
}

/* The punctuation the shape of a post looks for, in one pass over its
 * bytes (it was five memchr calls, 7 % of the stage). */
enum { MK_QUOTE = 1, MK_QUESTION = 2, MK_EXCLAIM = 4, MK_E2 = 8, MK_COLON = 16 };

static const uint8_t mark_of[256] = {
    ['"'] = MK_QUOTE, ['?'] = MK_QUESTION, ['!'] = MK_EXCLAIM, [0xE2] = MK_E2, [':'] = MK_COLON,
};

static unsigned text_marks(const char *s, size_t n)
{
    unsigned m = 0;
    size_t i = 0;
#if defined(__SSE2__) && !defined(NT_NO_SIMD)
    const __m128i q = _mm_set1_epi8('"'), qm = _mm_set1_epi8('?'), ex = _mm_set1_epi8('!'),
                  e2 = _mm_set1_epi8((char)0xE2), co = _mm_set1_epi8(':');
    __m128i aq = _mm_setzero_si128(), aqm = aq, aex = aq, ae2 = aq, aco = aq;
    /* The blocks, then the last 16 bytes again, overlapping (no byte loop
     * for the tail). */
    while (n >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        aq = _mm_or_si128(aq, _mm_cmpeq_epi8(x, q));
        aqm = _mm_or_si128(aqm, _mm_cmpeq_epi8(x, qm));
        aex = _mm_or_si128(aex, _mm_cmpeq_epi8(x, ex));
        ae2 = _mm_or_si128(ae2, _mm_cmpeq_epi8(x, e2));
        aco = _mm_or_si128(aco, _mm_cmpeq_epi8(x, co));
        if (i + 16 >= n) {
            i = n;
            break;
        }
        i = i + 32 <= n ? i + 16 : n - 16;
    }
    m |= (_mm_movemask_epi8(aq) ? MK_QUOTE : 0u) | (_mm_movemask_epi8(aqm) ? MK_QUESTION : 0u) |
         (_mm_movemask_epi8(aex) ? MK_EXCLAIM : 0u) | (_mm_movemask_epi8(ae2) ? MK_E2 : 0u) |
         (_mm_movemask_epi8(aco) ? MK_COLON : 0u);
#endif
    for (; i < n; i++)
        m |= mark_of[(unsigned char)s[i]];
    return m;
}

/* A little-endian 32-bit value as the host holds it. */
static inline uint32_t le32(uint32_t x)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(x);
#else
    return x;
#endif
}

/* Where the word that ends at e starts: after the last space, newline or
 * tab before e (16 bytes at a time from the end). */
static size_t word_start(const char *s, size_t e)
{
    size_t b = e;
#if defined(__SSE2__) && !defined(NT_NO_SIMD)
    const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n'), tb = _mm_set1_epi8('\t');
    while (b >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + b - 16));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, sp), _mm_cmpeq_epi8(x, nl)), _mm_cmpeq_epi8(x, tb)));
        if (m)
            return b - 16 + (size_t)(31 - __builtin_clz(m)) + 1;
        b -= 16;
    }
#endif
    while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '\n' && s[b - 1] != '\t')
        b--;
    return b;
}

static bool contains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    const char *p = s, *end = s + n;
    while (p + k <= end && (p = memchr(p, needle[0], (size_t)(end - p) - k + 1)) != NULL) {
        if (memcmp(p, needle, k) == 0)
            return true;
        p++;
    }
    return false;
}

/* What each kind of hit does in the stance stage, by kind:
 *   names: it says which contestant, so its words become its kind ("a
 *          candidate") and a model trained on one race works for the next;
 *          generic vocabulary keeps its words ("ayo coblos" and a headline's
 *          "dukung" are not the same thing);
 *   gate:  counted, it makes the post about the election. Calls and
 *          activities do not on their own ("ayo pilih" what?); praise and
 *          attacks do ("pasti menang satu putaran", "asal bukan dia"). */
static const struct {
    bool names, gate;
} kind_role[NT_LEX_KIND_COUNT] = {
    [NT_LEX_CANDIDATE] = { true, true },
    [NT_LEX_CONTESTANT_NUMBER] = { true, true },
    [NT_LEX_PARTY] = { true, true },
    [NT_LEX_PARTY_SYMBOL] = { true, true },
    [NT_LEX_HAND_SYMBOL] = { true, true },
    [NT_LEX_HASHTAG] = { true, true },
    [NT_LEX_SLOGAN] = { true, true },
    [NT_LEX_TEAM] = { false, true },
    [NT_LEX_SUPPORT_MATERIAL] = { false, true },
    [NT_LEX_PRAISE] = { false, true },
    [NT_LEX_ATTACK] = { false, true },
    [NT_LEX_CALL_TO_ACTION] = { false, false },
    [NT_LEX_ACTIVITY] = { false, false },
    [NT_LEX_NEUTRAL_CONTEXT] = { false, false },
    /* "Pilkada", "pilbup": a post about the contest (a local candidate the
     * lexicon cannot know by name, "menangkan Pak Hendra di Pilbup") */
    [NT_LEX_ELECTION] = { false, true },
    [NT_LEX_CAMPAIGN_ACCOUNT] = { true, true },
};

/* The lexicon gate (see stance.h). A hand-symbol emoji alone counts when
 * the post has no words: an emoji-only post is a form of support; beside
 * words ("foto bareng teman kantor ✌️") it needs other evidence like any
 * low-specificity hit. The accounts a reply is addressed to (the run of
 * mentions that opens it, "@prabowo @gibran_tweet ...") do not make a post
 * about the election: X puts them there for every answer in a thread, on
 * bicycles as on ballots; named in the text they count. */
static bool identifies(const struct nt_lex_entry *e);

static bool relevant(const struct nt_lex *lex, const struct nt_normtext *nt,
                     const struct nt_result *r, bool words)
{
    size_t lead = 0;
    while (lead < nt->ntoks && (nt->toks[lead].flags & NT_TOK_MENTION))
        lead++;
    /* The matcher counts a low-specificity hit (a ✌ beside words) when
     * other evidence is in the post; the opening mentions are not that
     * evidence here either. */
    bool strong = false, low = false;
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        const struct nt_lex_entry *e = &lex->entries[h->entry];
        if (h->tok_last < lead)
            continue;
        if (!words && h->via == NT_VIA_EMOJI && e->kind == NT_LEX_HAND_SYMBOL)
            return true;
        if (!h->counted || !(kind_role[e->kind].gate || e->refers_to))
            continue;
        if (e->low_specificity)
            low = true;
        else
            strong = true;
    }
    if (strong)
        return true;
    if (!low || lead == 0)
        return low;
    /* Praise or an attack in a reply to a contestant's own account
     * ("@prabowo ... suka bohong") speaks to the contestant addressed. */
    bool addressed = false, judged = false;
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        const struct nt_lex_entry *e = &lex->entries[h->entry];
        if (h->tok_last < lead)
            addressed |= h->counted && identifies(e);
        else
            judged |= h->counted && (e->kind == NT_LEX_PRAISE || e->kind == NT_LEX_ATTACK);
    }
    if (addressed && judged)
        return true;
    /* Only low hits past the mentions: they count if something other than
     * the mentions (a call, an activity) stands beside them. */
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        const struct nt_lex_entry *e = &lex->entries[h->entry];
        if (h->tok_last >= lead && h->counted && !e->low_specificity &&
            e->kind != NT_LEX_NEUTRAL_CONTEXT)
            return true;
    }
    return false;
}

bool nt_stance_gate(const struct nt_lex *lex, const struct nt_normtext *nt,
                    const struct nt_result *r)
{
    bool words = false;
    for (size_t i = 0; i < nt->ntoks && !words; i++)
        words = (nt->toks[i].flags & NT_TOK_WORD) != 0;
    return relevant(lex, nt, r, words);
}

/* The first and the last letter 3-gram of a word, "^ny" and "os$" of
 * "nyoblos": dialect and alay live in prefixes and endings (cross-validated
 * as good as every 3-gram of the word, at a third of the features). */
static inline __attribute__((always_inline)) void edge_trigrams(struct ex *x,
                                                                const unsigned char *w, size_t n)
{
    char head[3] = { '^', (char)w[0], (char)w[1] },
         tail[3] = { (char)w[n - 2], (char)w[n - 1], '$' };
    emit(x, NT_SG_CHAR, (uint64_t)'^' << 16 | (uint64_t)w[0] << 8 | w[1], head, 3);
    emit(x, NT_SG_CHAR, (uint64_t)w[n - 2] << 16 | (uint64_t)w[n - 1] << 8 | '$', tail, 3);
}

bool nt_stance_vocab_has(const uint64_t *vocab, uint32_t id)
{
    return vocab[id / 64] >> (id % 64) & 1;
}

static bool identifies(const struct nt_lex_entry *e)
{
    return kind_role[e->kind].names || e->refers_to != NULL;
}

/* Counts for the shape of the post, gathered in the token pass. */
struct shape_counts {
    size_t words, plain, caps, emoji, tags, items;
    unsigned cls; /* the word classes met (WC_*) */
    bool lah;
};

static inline __attribute__((always_inline)) void shape_text(struct ex *x, const char *text,
                                                             size_t len, bool *question)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
        i++;
    if (i < len && text[i] == '@')
        emit_shape(x, SH_REPLY);
    /* Link at the end: the last word starts with http. */
    size_t e = len;
    while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\n' || text[e - 1] == '\t' ||
                     text[e - 1] == '\r'))
        e--;
    size_t b = word_start(text, e);
    unsigned marks = text_marks(text, len);
    if (e - b >= 4 && memcmp(text + b, "http", 4) == 0)
        emit_shape(x, SH_LINK_END);
    else if ((marks & MK_COLON) && contains(text, len, "://"))
        emit_shape(x, SH_LINK);
    /* Quotation: ASCII or typographic (U+201C, U+201D) quotes. */
    bool quote = (marks & MK_QUOTE) != 0;
    for (const char *p = text, *end = text + len; !quote && (marks & MK_E2) && p + 2 < end;) {
        p = memchr(p, '\xe2', (size_t)(end - p) - 2);
        if (!p)
            break;
        quote = p[1] == '\x80' && (p[2] == '\x9c' || p[2] == '\x9d');
        p++;
    }
    *question = (marks & MK_QUESTION) != 0;
    if (*question)
        emit_shape(x, SH_QUESTION);
    if (marks & MK_EXCLAIM)
        emit_shape(x, SH_EXCLAIM);
    if (quote)
        emit_shape(x, SH_QUOTE);
}

static inline __attribute__((always_inline)) void
shape_tokens(struct ex *x, const struct shape_counts *c, bool question, const struct nt_result *r)
{
    bool first = c->cls & WC_FIRST, imper = c->cls & WC_IMPERATIVE;
    if (first)
        emit_shape(x, SH_FIRST);
    if (imper || c->lah)
        emit_shape(x, SH_IMPERATIVE);
    if (c->cls & WC_REPORTED)
        emit_shape(x, SH_REPORTED);
    if (c->plain >= 4 && c->caps * 2 >= c->plain && !first && !question && !imper)
        emit_shape(x, SH_HEADLINE);
    if (c->emoji)
        emit_shape(x, c->emoji >= 3 ? SH_EMOJIS : SH_EMOJI);
    if (c->emoji && c->words == 0)
        emit_shape(x, SH_ONLY_EMOJI);
    if (c->tags)
        emit_shape(x, c->tags >= 4 ? SH_TAGS : SH_TAG);
    if (c->items >= 2)
        emit_shape(x, SH_LIST);
    emit_shape(x, c->words >= 120 ? SH_LONGEST
                  : c->words < 6  ? SH_SHORTEST
                  : c->words < 20 ? SH_SHORT
                  : c->words < 50 ? SH_MEDIUM
                                  : SH_LONG);
    /* Every pair of a race named (a poll, a news round-up, "whoever you
     * choose") reads differently from one pair against another. */
    if (r->ncontestants >= 3)
        emit_shape(x, SH_MANY_CONTESTANTS);
    if (r->ncontestants >= 2)
        emit_shape(x, SH_CONTESTANTS);
    else if (r->ncontestants == 1)
        emit_shape(x, SH_CONTESTANT);
}

/* The features of a post into x (stored, or summed when x->w). Inlined
 * into both callers: the scoring copy, which never names, is simpler
 * (measured: about a tenth of the stage). */
static inline __attribute__((always_inline)) enum nt_err
extract(const struct nt_lex *lex, const struct nt_normtext *nt, const struct nt_result *r,
        const char *text, size_t len, unsigned bits, const uint64_t *vocab, const float *w,
        struct nt_stance_vec *v, struct nt_stance_names *names, float sum[2])
{
    /* Built here from the arguments, not copied in: the scoring caller's
     * constant NULL names then removes the naming code, and x stays in
     * registers. */
    struct ex x = { v, names, bits, NT_OK, w, 0.0f, 0.0f, 0 };
    pthread_once(&wc_once, wc_build);
    v->n = 0;
    x.n = 0;
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
    /* At most: a kind per hit, a category per rule, four per token
     * (unigram, bigram, two 3-grams), the shapes and the lexicon's score. */
    if (!x.w && grow_ids(v, 4 * nt->ntoks + r->nhits + r->nfired + SH_COUNT + 8) != NT_OK)
        return NT_ENOMEM;

    /* Lexicon: kinds of the hits, categories of the fired rules. */
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        const struct nt_lex_entry *e = &lex->entries[h->entry];
        if (identifies(e))
            for (uint32_t t = h->tok_first; t <= h->tok_last && t < nt->ntoks; t++)
                if (v->cover[t] < 0)
                    v->cover[t] = (int32_t)i;
        /* Two entries of one kind on the same words (a ballot number
         * before and after the Pemilu, when the post has no date) are one
         * piece of evidence: dated and undated posts give the same features. */
        if (i > 0 && r->hits[i - 1].tok_first == h->tok_first &&
            r->hits[i - 1].tok_last == h->tok_last &&
            lex->entries[r->hits[i - 1].entry].kind == e->kind)
            continue;
        /* A contestant's account addressed (@prabowo in a reply) is not
         * the same as naming them: its own kind feature. */
        bool at = h->tok_first < nt->ntoks && (nt->toks[h->tok_first].flags & NT_TOK_MENTION);
        char kn[48] = "";
        if (names)
            snprintf(kn, sizeof(kn), "%s%s%s", nt_lex_kind_label(e->kind), at ? " (akun)" : "",
                     h->counted ? "" : " (tidak dihitung)");
        emit_code(&x, NT_SG_KIND, (uint64_t)e->kind * 2 + !h->counted + (at ? 64 : 0), kn);
    }
    for (size_t i = 0; i < r->nfired; i++) {
        const struct nt_lex_rule *rule = &lex->rules[r->fired[i].rule];
        emit_code(&x, NT_SG_RULE, (uint64_t)(rule->category_index + 1), rule->category);
    }
    /* Codes past the kinds' (2 x NT_LEX_KIND_COUNT) for the score and the gate. */
    static const char *const bucket[] = { "skor leksikon 0", "skor leksikon rendah",
                                          "skor leksikon sedang", "skor leksikon tinggi" };
    double ls = r->entry_score + r->rule_score;
    int b = ls <= 0 ? 0 : ls < lex->review ? 1 : ls < lex->priority ? 2 : 3;
    emit_code(&x, NT_SG_KIND, 100 + (uint64_t)b, bucket[b]);
    bool question;
    shape_text(&x, text, len, &question);

    /* One pass over the tokens: units (words, placeholders for mentions and
     * numbers, one unit per identifying hit) and the counts of the shape. */
    struct shape_counts sc = { 0 };
    uint64_t prev = 0x5354415254ull; /* start of post */
    const char *pname = "^";
    size_t pnlen = 1;
    char kindname[48], keep[48];
    for (size_t i = 0; i < nt->ntoks; i++) {
        const struct nt_token *t = &nt->toks[i];
        const char *tx = nt->text + t->norm_off;
        size_t n = t->norm_len;
        uint32_t fl = t->flags;
        int32_t cov = v->cover[i];
        if (fl & NT_TOK_EMOJI)
            sc.emoji++;
        else if (fl & NT_TOK_HASHTAG)
            sc.tags++;
        else if (fl & NT_TOK_NUMBER)
            /* "1." "2." at the head of list items */
            sc.items += t->end < len && text[t->end] == '.' && t->end - t->start <= 2;
        else if (fl & NT_TOK_WORD) {
            sc.words++;
            /* Title case among the words no hit covers: names are
             * capitalised in any post, a headline capitalises the rest. */
            if (cov < 0) {
                sc.plain++;
                sc.caps += (unsigned char)(text[t->start] - 'A') < 26; /* start < len: a word */
            }
            if (n <= 10)
                sc.cls |= word_class(t->hash);
            /* "-lah" (pilihlah, dukunglah): the word's last four bytes in
             * one load (n > 4: inside the word), the top three compared */
            if (n > 4) {
                uint32_t tail4;
                memcpy(&tail4, tx + n - 4, 4);
                sc.lah |= le32(tail4) >> 8 == ((uint32_t)'h' << 16 | (uint32_t)'a' << 8 | 'l');
            }
        }
        if (cov >= 0 && i > 0 && v->cover[i - 1] == cov)
            continue; /* the rest of a hit's unit */
        uint64_t u, uword = 0;
        uint32_t uid = 0;
        const char *name;
        size_t nlen;
        if (cov >= 0) {
            enum nt_lex_kind k = lex->entries[r->hits[cov].entry].kind;
            bool at = (fl & NT_TOK_MENTION) != 0;
            u = UNIT_KIND + (uint64_t)k * 0x100000001b3ull + (at ? UNIT_MENTION : 0);
            name = kindname;
            nlen = names ? (size_t)snprintf(kindname, sizeof(kindname), "<%s%s>",
                                            nt_lex_kind_label(k), at ? " @" : "")
                         : 0;
        } else if (fl & NT_TOK_MENTION) {
            u = UNIT_MENTION;
            name = "<akun>";
            nlen = 6;
        } else if (fl & NT_TOK_NUMBER) {
            u = UNIT_NUMBER;
            name = "<angka>";
            nlen = 7;
        } else {
            u = t->hash;
            name = tx;
            nlen = n;
            /* A word the vocabulary does not know (alay, dialect, a rare
             * word) is its edge 3-grams, and "<kata lain>" in the unigram
             * and bigrams; without a vocabulary every word is both (what
             * training counts the vocabulary from). */
            bool word = (fl & NT_TOK_WORD) != 0;
            uid = fid(NT_SG_WORD, u, bits);
            uword = u;
            bool known = !vocab || !word || nt_stance_vocab_has(vocab, uid);
            if (!known) {
                u = UNIT_UNKNOWN;
                name = "<kata lain>";
                nlen = 11;
            }
            if ((!vocab || !known) && word && n >= 3)
                edge_trigrams(&x, (const unsigned char *)tx, n);
        }
        /* A run of one unit ("@a @b @c ...", "wkwk wkwk") is one unit:
         * thirteen mentions weigh as one. */
        if (u == prev)
            continue;
        /* The unigram's id, computed once for the vocabulary check. */
        emit_id(&x, NT_SG_WORD, u == uword ? uid : fid(NT_SG_WORD, u, bits), name, nlen);
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
    shape_tokens(&x, &sc, question, r);
    /* Scoring runs only past the gate (nt_stance_score asked it first). */
    v->relevant = x.w ? true : relevant(lex, nt, r, sc.words > 0);
    if (!v->relevant)
        emit_code(&x, NT_SG_KIND, 200, "tanpa kontestan");
    if (x.err)
        return x.err;
    v->n = x.n;
    v->scale = v->n ? (float)(1.0 / sqrt((double)v->n)) : 0.0f;
    if (sum) {
        sum[0] = x.side;
        sum[1] = x.oppose;
    }
    return NT_OK;
}

enum nt_err nt_stance_extract(const struct nt_lex *lex, const struct nt_normtext *nt,
                              const struct nt_result *r, const char *text, size_t len,
                              unsigned bits, const uint64_t *vocab, struct nt_stance_vec *v,
                              struct nt_stance_names *names)
{
    return extract(lex, nt, r, text, len, bits, vocab, NULL, v, names, NULL);
}

enum nt_err nt_stance_extract_sum(const struct nt_lex *lex, const struct nt_normtext *nt,
                                  const struct nt_result *r, const char *text, size_t len,
                                  unsigned bits, const uint64_t *vocab, const float *w,
                                  struct nt_stance_vec *v, float sum[2])
{
    /* Known non-NULL from here on: the inlined extraction drops its
     * storing branches. */
    if (!w || !sum)
        return NT_EINPUT;
    return extract(lex, nt, r, text, len, bits, vocab, w, v, NULL, sum);
}

/* How a reviewer reads a feature of each group: words around its text. */
static const struct {
    const char *before, *after;
} describe_as[] = {
    [NT_SG_KIND] = { "temuan leksikon jenis ", "" },
    [NT_SG_RULE] = { "aturan kategori ", " berlaku" },
    [NT_SG_WORD] = { "kata \"", "\"" },
    [NT_SG_BIGRAM] = { "frasa \"", "\"" },
    [NT_SG_CHAR] = { "potongan huruf \"", "\"" },
    [NT_SG_SHAPE] = { "bentuk: ", "" },
};

void nt_stance_describe(const struct nt_stance_named *f, char *out, size_t n)
{
    unsigned g = (unsigned)f->group;
    /* The lexicon's score band and the gate are already words. */
    bool plain = g == NT_SG_KIND &&
                 (strncmp(f->text, "skor ", 5) == 0 || strcmp(f->text, "tanpa kontestan") == 0);
    if (plain || g >= sizeof(describe_as) / sizeof(describe_as[0]) || !describe_as[g].before)
        snprintf(out, n, "%s%s", plain ? "" : "fitur ", f->text);
    else
        snprintf(out, n, "%s%s%s", describe_as[g].before, f->text, describe_as[g].after);
}

enum nt_err nt_stance_vocab_build(const struct nt_stance_set *s, unsigned min_df, uint64_t **out)
{
    size_t dim = (size_t)1 << s->bits;
    uint16_t *df = calloc(dim, sizeof(*df));
    uint64_t *bits = calloc(dim / 64 ? dim / 64 : 1, sizeof(*bits));
    if (!df || !bits) {
        free(df);
        free(bits);
        return NT_ENOMEM;
    }
    for (size_t i = 0; i < s->n; i++)
        for (size_t k = 0; k < s->v[i].n; k++)
            if (s->v[i].groups[k] == NT_SG_WORD && df[s->v[i].ids[k]] < UINT16_MAX)
                df[s->v[i].ids[k]]++;
    for (size_t id = 0; id < dim; id++)
        if (df[id] >= min_df)
            bits[id / 64] |= 1ull << (id % 64);
    free(df);
    *out = bits;
    return NT_OK;
}
