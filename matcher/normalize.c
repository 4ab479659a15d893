/*
 * normalize.c - the normaliser.
 *
 * Two paths give the same tokens (nt_norm_run_reference() runs the second
 * alone, and the fuzz target checks they agree):
 *
 *  - The fast lane, for the common case of plain ASCII words, numbers,
 *    @mentions, #hashtags and URLs: the post is first indexed as bit
 *    planes, one bit per byte (letter or digit, letter, "special", a letter
 *    repeating the one before), with SSE2 16 bytes at a time (8 bytes in a
 *    register without SSE2), and a copy with ASCII letters in lower case.
 *    A word is then two bit scans, a few masks, two 8-byte loads and one
 *    token; its hash comes from registers. With a slang dictionary, a bit
 *    set of the slang words' hashes lets most words skip the lookup.
 *  - The general path, one character at a time, for everything else:
 *    non-ASCII text, alay digits inside words, single letters that may be
 *    spaced-out writing, apostrophes. Every BMP code point's class and
 *    folded form are computed once with ICU when the normaliser is built
 *    (one table lookup per character afterwards); ICU is called at run
 *    time only for rare astral-plane characters outside the precomputed
 *    blocks.
 *
 * The lane stops at the first thing it does not handle and the general
 * path takes over until the word ends; then the lane resumes.
 */
#include "normalize.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#if defined(__SSE2__) && !defined(NT_NO_SIMD)
#include <emmintrin.h>
#endif

#include "csv.h"
#include "hash.h"
#include "strmap.h"
#include "utf8.h"

#define MAX_INPUT (64u * 1024 * 1024)
#define MAX_WORD  256 /* characters; longer runs are cut into pieces */
#define POOL_MAX  (1u << 24)

enum cls {
    C_SEP = 0,
    C_LETTER,
    C_DIGIT,
    C_IGNORE,
    C_EMOJI,
    C_HASH,
    C_AT,
    C_APOS,
    C_UNDERSCORE,
    C_KEYCAP_END,
};

/* Table entry: class (4 bits), upper-case flag (1), folded length (7),
 * offset of the folded bytes in the pool (20..24 bits). */
#define E_CLS(e)   ((e)&0xF)
#define E_UPPER(e) (((e) >> 4) & 1)
#define E_LEN(e)   (((e) >> 5) & 0x7F)
#define E_OFF(e)   ((e) >> 12)

struct astral {
    uint32_t cp;
    uint32_t e;
};

struct nt_norm {
    uint32_t bmp[0x10000];
    struct astral *astral; /* sorted by cp */
    size_t nastral;
    char *pool; /* folded forms */
    size_t plen, pcap;
    struct nt_strmap slang; /* slang -> index into slang_formal */
    char **slang_formal;
    size_t nslang, slangcap;
    uint64_t slang_bits[1024]; /* token hashes of slang words, 16 bits each */
};

/* Token hash: 8 bytes per multiply (tokens are short; this is on the hot
 * path of every post and every lexicon term). Bytes are read little-endian
 * on every host, so a block can also be hashed from a register. */
static inline uint64_t hash_seed(size_t n)
{
    return 0x9E3779B97F4A7C15ULL ^ (n * 0xFF51AFD7ED558CCDULL);
}

static inline uint64_t hash_block(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 31);
}

static inline uint64_t load_le64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline uint64_t token_hash(const char *s, size_t n)
{
    uint64_t h = hash_seed(n);
    while (n >= 8) {
        h = hash_block(h, load_le64(s));
        s += 8;
        n -= 8;
    }
    if (n) {
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++)
            v |= (uint64_t)(unsigned char)s[i] << (8 * i);
        h = hash_block(h, v);
    }
    h ^= h >> 29;
    return h;
}

/* token_hash() of a token of n <= 16 bytes whose bytes, little-endian and
 * zero past byte n, are b0 and b1 (b1 = 0 when n <= 8), from registers;
 * both blocks are hashed and one result kept, without a branch. */
static inline uint64_t token_hash16(size_t n, uint64_t b0, uint64_t b1)
{
    uint64_t h1 = hash_block(hash_seed(n), b0), h2 = hash_block(h1, b1);
    uint64_t two = -(uint64_t)(n > 8);
    uint64_t h = (h2 & two) | (h1 & ~two);
    return h ^ (h >> 29);
}

/* Eight ASCII bytes at a time (SWAR): which bytes lie in a range. Every
 * byte is tested with its high bit clear, so the additions never carry
 * into the next byte. */
#define REP8(b) (0x0101010101010101ULL * (uint64_t)(b))

static inline uint64_t bytes_in_range(uint64_t x7, unsigned lo, unsigned hi)
{
    return (x7 + REP8(128 - lo)) & ~(x7 + REP8(127 - hi)) & REP8(0x80);
}

uint64_t nt_norm_hash(const char *s, size_t n)
{
    return token_hash(s, n);
}

/* Look-alike letters NFKC does not fold: small capitals, Cyrillic and Greek
 * confusables, a few IPA letters. Keys are the case-folded forms. */
static const struct {
    uint16_t cp;
    char to;
} lookalikes[] = {
    { 0x1D00, 'a' }, { 0x0299, 'b' }, { 0x1D04, 'c' }, { 0x1D05, 'd' }, { 0x1D07, 'e' },
    { 0xA730, 'f' }, { 0x0262, 'g' }, { 0x029C, 'h' }, { 0x026A, 'i' }, { 0x1D0A, 'j' },
    { 0x1D0B, 'k' }, { 0x029F, 'l' }, { 0x1D0D, 'm' }, { 0x0274, 'n' }, { 0x1D0F, 'o' },
    { 0x1D18, 'p' }, { 0x01EB, 'q' }, { 0x0280, 'r' }, { 0xA731, 's' }, { 0x1D1B, 't' },
    { 0x1D1C, 'u' }, { 0x1D20, 'v' }, { 0x1D21, 'w' }, { 0x028F, 'y' }, { 0x1D22, 'z' },
    { 0x0430, 'a' }, { 0x0435, 'e' }, { 0x043E, 'o' }, { 0x0440, 'p' }, { 0x0441, 'c' },
    { 0x0443, 'y' }, { 0x0445, 'x' }, { 0x0456, 'i' }, { 0x0458, 'j' }, { 0x0455, 's' },
    { 0x0501, 'd' }, { 0x04BB, 'h' }, { 0x04CF, 'l' }, { 0x051B, 'q' }, { 0x051D, 'w' },
    { 0x043A, 'k' }, { 0x043C, 'm' }, { 0x0442, 't' }, { 0x043D, 'h' }, { 0x044C, 'b' },
    { 0x03B1, 'a' }, { 0x03BF, 'o' }, { 0x03BD, 'v' }, { 0x03C1, 'p' }, { 0x03C4, 't' },
    { 0x03B9, 'i' }, { 0x03BA, 'k' }, { 0x03C5, 'u' }, { 0x03C7, 'x' }, { 0x03B5, 'e' },
    { 0x03B2, 'b' }, { 0x03B7, 'n' }, { 0x0251, 'a' }, { 0x0261, 'g' }, { 0x0131, 'i' },
};

static char lookalike(UChar32 cp)
{
    for (size_t i = 0; i < sizeof(lookalikes) / sizeof(lookalikes[0]); i++)
        if (lookalikes[i].cp == cp)
            return lookalikes[i].to;
    return 0;
}

static bool pool_add(struct nt_norm *n, const char *s, size_t len, uint32_t *off)
{
    if (n->plen + len > POOL_MAX)
        return false;
    if (n->plen + len > n->pcap) {
        size_t cap = n->pcap ? n->pcap * 2 : 65536;
        while (cap < n->plen + len)
            cap *= 2;
        char *p = realloc(n->pool, cap);
        if (!p)
            return false;
        n->pool = p;
        n->pcap = cap;
    }
    memcpy(n->pool + n->plen, s, len);
    *off = (uint32_t)n->plen;
    n->plen += len;
    return true;
}

static bool is_mark(UChar32 c)
{
    int8_t t = u_charType(c);
    return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
}

/* Compute the table entry of one code point with ICU. */
static uint32_t classify(struct nt_norm *n, const UNormalizer2 *nfkc_cf, const UNormalizer2 *nfd,
                         UChar32 cp, bool *ok)
{
    UChar src[2], a[32], b[64];
    char out[64];
    int32_t slen = 0, alen, blen, olen = 0;
    UErrorCode st = U_ZERO_ERROR;
    uint32_t upper = u_isupper(cp) ? 1u : 0u;

    if (cp == 0x20E3)
        return C_KEYCAP_END;
    if (cp == 0x2019 || cp == 0x02BC || cp == 0x2018)
        return C_APOS;
    if (cp == 0xFF03 || cp == 0xFE5F)
        return C_HASH;
    if (cp >= 0x1F3FB && cp <= 0x1F3FF)
        return C_IGNORE; /* skin tones */
    if (u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || is_mark(cp))
        return C_IGNORE;
    if (u_hasBinaryProperty(cp, UCHAR_EXTENDED_PICTOGRAPHIC) || (cp >= 0x1F1E6 && cp <= 0x1F1FF))
        return C_EMOJI;
    if (u_isUWhiteSpace(cp))
        return C_SEP;

    U16_APPEND_UNSAFE(src, slen, cp);
    alen = unorm2_normalize(nfkc_cf, src, slen, a, 32, &st);
    if (U_FAILURE(st))
        return C_SEP;
    blen = unorm2_normalize(nfd, a, alen, b, 64, &st);
    if (U_FAILURE(st))
        return C_SEP;
    bool ascii = true, digits = true, alnum = true;
    for (int32_t i = 0; i < blen;) {
        UChar32 c;
        U16_NEXT(b, i, blen, c);
        if (is_mark(c))
            continue;
        char l = c < 0x80 ? 0 : lookalike(c);
        if (l)
            c = (UChar32)l;
        if (olen + 4 > (int32_t)sizeof(out))
            break;
        if (c < 0x80) {
            out[olen++] = (char)c;
            digits = digits && c >= '0' && c <= '9';
            alnum = alnum && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'));
        } else {
            ascii = false;
            digits = false;
            alnum = alnum && u_isalnum(c);
            U8_APPEND_UNSAFE(out, olen, c);
        }
    }
    (void)ascii;
    if (olen == 0)
        return u_isalnum(cp) ? C_IGNORE : C_SEP;
    if (!alnum)
        return C_SEP; /* symbols, punctuation, "1." and the like */
    uint32_t off;
    if (olen > 0x7F || !pool_add(n, out, (size_t)olen, &off)) {
        *ok = false;
        return C_SEP;
    }
    return (digits ? C_DIGIT : C_LETTER) | upper << 4 | (uint32_t)olen << 5 | off << 12;
}

static int astral_cmp(const void *a, const void *b)
{
    uint32_t x = ((const struct astral *)a)->cp, y = ((const struct astral *)b)->cp;
    return x < y ? -1 : x > y;
}

enum nt_err nt_norm_new(struct nt_norm **out, struct nt_diag *d)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    if (U_FAILURE(st))
        return nt_diag_set(d, NT_EINTERNAL, "ICU tidak dapat dimulai: %s", u_errorName(st));
    struct nt_norm *n = calloc(1, sizeof(*n));
    if (!n)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    bool ok = true;
    /* ASCII: letters fold to lower case inline, so only the class is kept. */
    for (UChar32 cp = 0; cp < 0x80; cp++) {
        uint32_t c = C_SEP;
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
            c = C_LETTER;
        else if (cp >= '0' && cp <= '9')
            c = C_DIGIT;
        else if (cp == '#')
            c = C_HASH;
        else if (cp == '@')
            c = C_AT;
        else if (cp == '\'')
            c = C_APOS;
        else if (cp == '_')
            c = C_UNDERSCORE;
        n->bmp[cp] = c;
    }
    for (UChar32 cp = 0x80; cp < 0x10000 && ok; cp++)
        n->bmp[cp] = (cp >= 0xD800 && cp <= 0xDFFF) ? C_SEP : classify(n, nfkc_cf, nfd, cp, &ok);

    /* Astral blocks used for "fancy" letters: mathematical alphanumerics,
     * enclosed alphanumeric supplement. */
    static const UChar32 ranges[][2] = { { 0x1D400, 0x1D7FF }, { 0x1F100, 0x1F1FF } };
    size_t cap = 0;
    for (size_t r = 0; r < 2; r++)
        cap += (size_t)(ranges[r][1] - ranges[r][0] + 1);
    n->astral = calloc(cap, sizeof(*n->astral));
    if (!n->astral)
        ok = false;
    for (size_t r = 0; r < 2 && ok; r++)
        for (UChar32 cp = ranges[r][0]; cp <= ranges[r][1] && ok; cp++) {
            uint32_t e = classify(n, nfkc_cf, nfd, cp, &ok);
            n->astral[n->nastral++] = (struct astral){ (uint32_t)cp, e };
        }
    qsort(n->astral, n->nastral, sizeof(*n->astral), astral_cmp);
    nt_strmap_init(&n->slang);
    if (!ok) {
        nt_norm_free(n);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup untuk tabel normalisasi");
    }
    *out = n;
    return NT_OK;
}

void nt_norm_free(struct nt_norm *n)
{
    if (!n)
        return;
    free(n->astral);
    free(n->pool);
    nt_strmap_release(&n->slang);
    for (size_t i = 0; i < n->nslang; i++)
        free(n->slang_formal[i]);
    free(n->slang_formal);
    free(n);
}

/* Class and folded form of an astral code point. */
static uint32_t astral_entry(const struct nt_norm *n, UChar32 cp)
{
    size_t lo = 0, hi = n->nastral;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (n->astral[mid].cp < (uint32_t)cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n->nastral && n->astral[lo].cp == (uint32_t)cp)
        return n->astral[lo].e;
    if (cp >= 0x1F3FB && cp <= 0x1F3FF)
        return C_IGNORE;
    if (u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || is_mark(cp))
        return C_IGNORE;
    if (u_hasBinaryProperty(cp, UCHAR_EXTENDED_PICTOGRAPHIC) || (cp >= 0x1F1E6 && cp <= 0x1F1FF))
        return C_EMOJI;
    return C_SEP;
}

void nt_normtext_init(struct nt_normtext *t)
{
    memset(t, 0, sizeof(*t));
}

void nt_normtext_release(struct nt_normtext *t)
{
    free(t->toks);
    free(t->text);
    free(t->raw);
    free(t->scratch);
    free(t->word);
    free(t->bits);
    free(t->fold);
    memset(t, 0, sizeof(*t));
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* One character of the word being built. */
struct wchar {
    uint32_t start, end; /* original span */
    uint16_t foff;       /* offset of its folded bytes in word.bytes */
    uint8_t flen;
    uint8_t kind; /* C_LETTER, C_DIGIT, or C_UNDERSCORE (hashtag split mark) */
    uint8_t upper;
};

enum mode { M_PLAIN, M_HASHTAG, M_MENTION };

struct word {
    struct wchar c[MAX_WORD];
    size_t n;
    char bytes[MAX_WORD * 8];
    size_t blen;
    enum mode mode;
};

struct run {
    const struct nt_norm *norm;
    struct nt_normtext *out;
    const char *src;
    bool oom;
    bool slang; /* replace slang words (off while the dictionary loads) */
    bool lane;  /* take the fast lane where it applies (off: the reference) */
};

static void final_token_fold(struct run *r, const char *text, size_t len, uint32_t start,
                             uint32_t end, uint32_t flags, bool lower);
static bool spacing_gap(const char *src, uint32_t a, uint32_t b);

/* A token that is one letter: a candidate for spaced-out writing. */
static bool is_single_letter(const char *p, size_t len, uint32_t flags)
{
    if (!(flags & NT_TOK_WORD) || (flags & (NT_TOK_HASHTAG | NT_TOK_MENTION)))
        return false;
    if (len == 1)
        return !(p[0] >= '0' && p[0] <= '9');
    /* One multi-byte code point: its lead byte says how long it is. */
    unsigned char b = (unsigned char)p[0];
    size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
    return n == len;
}

/* The formal words of slang entry idx, in place of a word: the formal form
 * may be several words; each keeps the word's span. */
static void emit_formal(struct run *r, size_t idx, uint32_t start, uint32_t end, uint32_t flags)
{
    const char *f = r->norm->slang_formal[idx];
    while (*f) {
        size_t wl = strcspn(f, " ");
        if (wl)
            final_token_fold(r, f, wl, start, end, flags, false);
        f += wl;
        while (*f == ' ')
            f++;
    }
}

/* A finished token: slang replacement, then letter runs and hashing. */
static void emit_final(struct run *r, const char *text, size_t len, uint32_t start, uint32_t end,
                       uint32_t flags, bool lower)
{
    const struct nt_norm *n = r->norm;
    if (r->slang && n->nslang && (flags & NT_TOK_WORD) && !(flags & NT_TOK_MENTION) &&
        len < MAX_WORD * 8) {
        /* Keys are stored normalised (lower case, letter runs collapsed). */
        char key[MAX_WORD * 8 + 1];
        size_t idx, k = 0;
        for (size_t i = 0; i < len; i++) {
            char c = lower ? (char)(text[i] | ((unsigned char)(text[i] - 'A') < 26 ? 0x20 : 0))
                           : text[i];
            if (k && key[k - 1] == c && c >= 'a' && c <= 'z')
                continue;
            key[k++] = c;
        }
        key[k] = '\0';
        if (nt_strmap_get(&n->slang, key, &idx)) {
            emit_formal(r, idx, start, end, flags);
            return;
        }
    }
    final_token_fold(r, text, len, start, end, flags, lower);
}

/* Single letters wait in `raw`: three or more in a row, one separator apart,
 * are one spaced-out word (G A N J A R); fewer are tokens of their own. */
static void flush_pending(struct run *r)
{
    struct nt_normtext *t = r->out;
    if (t->nraw >= 3) {
        const struct nt_token *a = &t->raw[0], *b = &t->raw[t->nraw - 1];
        emit_final(r, t->scratch, t->slen, a->start, b->end, NT_TOK_WORD, false);
    } else {
        for (size_t i = 0; i < t->nraw; i++)
            emit_final(r, t->scratch + t->raw[i].norm_off, t->raw[i].norm_len, t->raw[i].start,
                       t->raw[i].end, t->raw[i].flags, false);
    }
    t->nraw = 0;
    t->slen = 0;
}

static void raw_token_fold(struct run *r, const char *text, size_t len, uint32_t start,
                           uint32_t end, uint32_t flags, bool lower)
{
    struct nt_normtext *t = r->out;
    if (!is_single_letter(text, len, flags)) {
        if (t->nraw)
            flush_pending(r);
        emit_final(r, text, len, start, end, flags, lower);
        return;
    }
    if (t->nraw && !spacing_gap(r->src, t->raw[t->nraw - 1].end, start))
        flush_pending(r);
    if (!grow((void **)&t->raw, &t->rawcap, t->nraw + 1, sizeof(*t->raw)) ||
        !grow((void **)&t->scratch, &t->scap, t->slen + len + 1, 1)) {
        r->oom = true;
        return;
    }
    char *o = t->scratch + t->slen;
    for (size_t i = 0; i < len; i++)
        o[i] = lower ? (char)(text[i] | ((unsigned char)(text[i] - 'A') < 26 ? 0x20 : 0)) : text[i];
    t->raw[t->nraw++] = (struct nt_token){ .norm_off = (uint32_t)t->slen,
                                           .norm_len = (uint32_t)len,
                                           .start = start,
                                           .end = end,
                                           .flags = flags };
    t->slen += len;
}

static void raw_token(struct run *r, const char *text, size_t len, uint32_t start, uint32_t end,
                      uint32_t flags)
{
    raw_token_fold(r, text, len, start, end, flags, false);
}

/* Emit characters [a, b) of the word as one token. */
static void emit_piece(struct run *r, const struct word *w, size_t a, size_t b, uint32_t flags,
                       const char *alay_map)
{
    char buf[MAX_WORD * 8];
    size_t len = 0;
    bool letters = false, digits = false;
    for (size_t i = a; i < b; i++) {
        const struct wchar *c = &w->c[i];
        if (c->kind == C_DIGIT && alay_map) {
            buf[len++] = alay_map[(unsigned char)w->bytes[c->foff] - '0'];
            letters = true;
            continue;
        }
        memcpy(buf + len, w->bytes + c->foff, c->flen);
        len += c->flen;
        if (c->kind == C_DIGIT)
            digits = true;
        else
            letters = true;
    }
    if (len == 0)
        return;
    if (!(flags & (NT_TOK_MENTION)))
        flags |= letters ? NT_TOK_WORD : (digits ? NT_TOK_NUMBER : 0);
    else
        flags |= NT_TOK_WORD;
    raw_token(r, buf, len, w->c[a].start, w->c[b - 1].end, flags);
}

/* Words written with digits for letters stay words; these prefixes mark a
 * number instead ("no2", "paslon3", "capres02"). */
static bool number_prefix(const char *s, size_t n)
{
    static const char *const p[] = { "no",     "nmr",    "nomor",    "nomer",  "urut",
                                     "paslon", "capres", "cawapres", "coblos", "pilih",
                                     "kode",   "angka",  "jari",     "nomer",  "salam" };
    for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
        if (strlen(p[i]) == n && memcmp(p[i], s, n) == 0)
            return true;
    return false;
}

/* Split [a, b) at letter/digit boundaries (and hashtag case changes). */
static void emit_split(struct run *r, const struct word *w, size_t a, size_t b, uint32_t flags,
                       bool by_case)
{
    size_t s = a;
    for (size_t i = a + 1; i <= b; i++) {
        bool cut = i == b;
        if (!cut) {
            const struct wchar *p = &w->c[i - 1], *c = &w->c[i];
            if (c->kind == C_UNDERSCORE) {
                emit_piece(r, w, s, i, flags, NULL);
                s = i + 1;
                continue;
            }
            if (p->kind == C_UNDERSCORE)
                continue;
            cut = (p->kind == C_DIGIT) != (c->kind == C_DIGIT);
            if (!cut && by_case && c->kind == C_LETTER && p->kind == C_LETTER) {
                /* aB -> a|B ; ABc -> A|Bc */
                cut =
                    (!p->upper && c->upper) || (p->upper && c->upper && i + 1 < b &&
                                                w->c[i + 1].kind == C_LETTER && !w->c[i + 1].upper);
            }
        }
        if (cut) {
            if (i > s)
                emit_piece(r, w, s, i, flags, NULL);
            s = i;
        }
    }
}

static void flush_word(struct run *r, struct word *w)
{
    static const char alay[10] = { 'o', 'i', 'z', 'e', 'a', 's', 'g', 't', 'b', 'g' };
    size_t n = w->n;
    if (n == 0) {
        w->mode = M_PLAIN;
        return;
    }
    if (w->mode == M_HASHTAG) {
        emit_split(r, w, 0, n, NT_TOK_HASHTAG, true);
    } else if (w->mode == M_MENTION) {
        emit_piece(r, w, 0, n, NT_TOK_MENTION, NULL);
    } else {
        size_t letters = 0, digits = 0, longest_digits = 0, runlen = 0;
        char lettersonly[MAX_WORD * 8];
        size_t llen = 0;
        bool has2 = false;
        for (size_t i = 0; i < n; i++) {
            if (w->c[i].kind == C_DIGIT) {
                digits++;
                runlen++;
                if (runlen > longest_digits)
                    longest_digits = runlen;
                if (w->bytes[w->c[i].foff] == '2')
                    has2 = true;
            } else {
                letters++;
                runlen = 0;
                memcpy(lettersonly + llen, w->bytes + w->c[i].foff, w->c[i].flen);
                llen += w->c[i].flen;
            }
        }
        if (!digits || !letters) {
            emit_piece(r, w, 0, n, 0, NULL);
        } else if (longest_digits >= 2 || letters < 2 || digits > letters || has2 ||
                   number_prefix(lettersonly, llen)) {
            emit_split(r, w, 0, n, 0, false);
        } else {
            emit_piece(r, w, 0, n, 0, alay);
        }
    }
    w->n = 0;
    w->blen = 0;
    w->mode = M_PLAIN;
}

static void add_char(struct run *r, struct word *w, uint32_t start, uint32_t end,
                     const char *folded, size_t flen, uint8_t kind, uint8_t upper)
{
    if (w->n == MAX_WORD || w->blen + flen > sizeof(w->bytes)) {
        enum mode m = w->mode;
        flush_word(r, w);
        w->mode = m;
    }
    struct wchar *c = &w->c[w->n++];
    c->start = start;
    c->end = end;
    c->foff = (uint16_t)w->blen;
    c->flen = (uint8_t)flen;
    c->kind = kind;
    c->upper = upper;
    memcpy(w->bytes + w->blen, folded, flen);
    w->blen += flen;
}

static bool url_at(const char *s, size_t i, size_t len)
{
    size_t rest = len - i;
    return (rest >= 8 &&
            (memcmp(s + i, "https://", 8) == 0 || memcmp(s + i, "HTTPS://", 8) == 0)) ||
           (rest >= 7 && (memcmp(s + i, "http://", 7) == 0 || memcmp(s + i, "HTTP://", 7) == 0)) ||
           (rest >= 4 && memcmp(s + i, "www.", 4) == 0);
}

/* An ASCII token s[a, b) (already known to be one): straight to the output
 * when nothing is pending, else through the general path. */
static inline void emit_fast(struct run *r, const char *s, size_t a, size_t b, uint32_t flags)
{
    struct nt_normtext *t = r->out;
    size_t wl = b - a;
    if (t->nraw || (r->slang && r->norm->nslang) ||
        (wl == 1 && !(flags & NT_TOK_NUMBER) && !(flags & (NT_TOK_HASHTAG | NT_TOK_MENTION))) ||
        t->ntoks >= t->tokcap || t->len + wl + 2 > t->textcap) {
        raw_token_fold(r, s + a, wl, (uint32_t)a, (uint32_t)b, flags, true);
        return;
    }
    if (t->ntoks)
        t->text[t->len++] = ' ';
    char *o = t->text + t->len, prev = 0;
    size_t k = 0;
    for (size_t q = a; q < b; q++) {
        char c = s[q];
        c = (char)(c | ((unsigned char)(c - 'A') < 26 ? 0x20 : 0));
        if (c == prev && c >= 'a' && c <= 'z')
            continue;
        prev = c;
        o[k++] = c;
    }
    t->toks[t->ntoks++] = (struct nt_token){ .norm_off = (uint32_t)t->len,
                                             .norm_len = (uint32_t)k,
                                             .start = (uint32_t)a,
                                             .end = (uint32_t)b,
                                             .hash = token_hash(o, k),
                                             .flags = flags };
    t->len += k;
    t->text[t->len] = '\0';
}

/* #KodeKita08Gemoy -> kode kita 08 gemoy: cut at '_', at letter/digit
 * changes, before an upper-case letter that follows a lower-case one, and
 * before the last capital of a capital run followed by lower case
 * ("AMINMenang" -> amin menang). Same cuts as emit_split(). */
static void split_ascii_hashtag(struct run *r, const char *s, size_t a, size_t b)
{
    size_t start = a;
    for (size_t i = a + 1; i <= b; i++) {
        bool cut = i == b;
        if (!cut) {
            unsigned char p = (unsigned char)s[i - 1], c = (unsigned char)s[i];
            if (c == '_' || p == '_') {
                cut = true;
            } else {
                bool pd = p >= '0' && p <= '9', cd = c >= '0' && c <= '9';
                bool pu = p >= 'A' && p <= 'Z', cu = c >= 'A' && c <= 'Z';
                bool nl = i + 1 < b && s[i + 1] >= 'a' && s[i + 1] <= 'z';
                cut = pd != cd || (!pd && !cd && ((!pu && cu) || (pu && cu && nl)));
            }
        }
        if (!cut)
            continue;
        size_t e = i;
        while (start < e && s[start] == '_')
            start++;
        if (e > start) {
            bool digits = s[start] >= '0' && s[start] <= '9';
            emit_fast(r, s, start, e, NT_TOK_HASHTAG | (digits ? NT_TOK_NUMBER : NT_TOK_WORD));
        }
        start = i;
    }
}

/* Class of the character at s[i]; sets its length, and for letters and
 * digits the folded bytes. */
static uint32_t char_at(const struct nt_norm *n, const char *s, size_t i, size_t len, size_t *clen,
                        UChar32 *cpo)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *clen = 1;
        *cpo = b;
        return n->bmp[b];
    }
    UChar32 cp;
    int32_t j = (int32_t)i;
    U8_NEXT(s, j, (int32_t)len, cp);
    *clen = (size_t)j - i;
    *cpo = cp;
    if (cp < 0)
        return C_SEP;
    return cp < 0x10000 ? n->bmp[cp] : astral_entry(n, cp);
}

/* Up to 8 bytes of s[j..len), little-endian, zero past the end (a zero
 * byte is a separator). */
static inline uint64_t load_tail(const char *s, size_t j, size_t len)
{
    if (j + 8 <= len)
        return load_le64(s + j);
    uint64_t v = 0;
    for (size_t q = 0; j + q < len; q++)
        v |= (uint64_t)(unsigned char)s[j + q] << (8 * q);
    return v;
}

static inline void store_le64(char *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, 8);
}

/*
 * The fast lane's view of a post: one bit per byte in four planes of
 * `nbits` 64-bit words each, and the post with ASCII letters in lower
 * case. P_WORD: ASCII letters and digits. P_LETTER: ASCII letters.
 * P_SPECIAL: what ends or starts something other than a plain word: '#',
 * '@', the apostrophe, '_' and every byte >= 0x80. P_RUN: a letter equal
 * to the byte before it (a run to collapse). Bytes from len on are zero,
 * separators.
 */
enum { P_WORD, P_LETTER, P_SPECIAL, P_RUN, P_COUNT };

#if !defined(__SSE2__) || defined(NT_NO_SIMD)
/* The high bits of the eight bytes of m (only 0x80 bits set) as 8 bits. */
static inline uint64_t gather8(uint64_t m)
{
    return ((m >> 7) * 0x0102040810204080ULL) >> 56;
}
#endif

/* Build the planes and the folded copy of s[0..len); SSE2 where there is
 * SSE2 (every x86-64), eight bytes in a register elsewhere. */
static bool lane_index(struct nt_normtext *t, const char *s, size_t len)
{
    size_t nw = len / 64 + 1, flen = nw * 64 + 16;
    if (!grow((void **)&t->bits, &t->bitscap, nw * P_COUNT, sizeof(*t->bits)) ||
        !grow((void **)&t->fold, &t->foldcap, flen, 1))
        return false;
    uint64_t *b = t->bits;
    char *f = t->fold;
    t->nbits = nw;
    memset(f + nw * 64, 0, 16);
#if defined(__SSE2__) && !defined(NT_NO_SIMD)
    const __m128i c20 = _mm_set1_epi8(0x20), ca = _mm_set1_epi8('a'), c0 = _mm_set1_epi8('0'),
                  c25 = _mm_set1_epi8(25), c9 = _mm_set1_epi8(9), hash = _mm_set1_epi8('#'),
                  at = _mm_set1_epi8('@'), apos = _mm_set1_epi8('\''), under = _mm_set1_epi8('_'),
                  zero = _mm_setzero_si128();
    __m128i prev = zero;
    for (size_t p = 0; p < nw * 64; p += 16) {
        __m128i x;
        if (p + 16 <= len) {
            x = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
        } else {
            char tmp[16] = { 0 };
            if (p < len)
                memcpy(tmp, s + p, len - p);
            x = _mm_loadu_si128((const __m128i *)(const void *)tmp);
        }
        __m128i l = _mm_sub_epi8(_mm_or_si128(x, c20), ca);
        __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(l, c25), l);
        __m128i d = _mm_sub_epi8(x, c0);
        __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(d, c9), d);
        __m128i special = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, hash), _mm_cmpeq_epi8(x, at)),
                         _mm_or_si128(_mm_cmpeq_epi8(x, apos), _mm_cmpeq_epi8(x, under))),
            _mm_cmplt_epi8(x, zero));
        __m128i fx = _mm_or_si128(x, _mm_and_si128(letter, c20));
        _mm_storeu_si128((__m128i *)(void *)(f + p), fx);
        __m128i before = _mm_or_si128(_mm_slli_si128(fx, 1), _mm_srli_si128(prev, 15));
        __m128i same = _mm_and_si128(_mm_cmpeq_epi8(fx, before), letter);
        prev = fx;
        /* x86 is little-endian: 16 bits at byte p / 8 are bits p..p+15. */
        uint16_t m0 = (uint16_t)_mm_movemask_epi8(_mm_or_si128(letter, digit)),
                 m1 = (uint16_t)_mm_movemask_epi8(letter),
                 m2 = (uint16_t)_mm_movemask_epi8(special), m3 = (uint16_t)_mm_movemask_epi8(same);
        memcpy((char *)(b + P_WORD * nw) + p / 8, &m0, 2);
        memcpy((char *)(b + P_LETTER * nw) + p / 8, &m1, 2);
        memcpy((char *)(b + P_SPECIAL * nw) + p / 8, &m2, 2);
        memcpy((char *)(b + P_RUN * nw) + p / 8, &m3, 2);
    }
#else
    uint64_t prev = 0;
    memset(b, 0, nw * P_COUNT * sizeof(*b));
    for (size_t p = 0; p < nw * 64; p += 8) {
        uint64_t x = load_tail(s, p, len);
        uint64_t hi = x & REP8(0x80), x7 = x & REP8(0x7F);
        uint64_t letter = bytes_in_range(x7 | REP8(0x20), 'a', 'z') & ~hi;
        uint64_t digit = bytes_in_range(x7, '0', '9') & ~hi;
        uint64_t special = ((bytes_in_range(x7, '#', '#') | bytes_in_range(x7, '@', '@') |
                             bytes_in_range(x7, '\'', '\'') | bytes_in_range(x7, '_', '_')) &
                            ~hi) |
                           hi;
        uint64_t fx = x | letter >> 2;
        store_le64(f + p, fx);
        uint64_t d = fx ^ (fx << 8 | prev);
        uint64_t same = ~(((d & REP8(0x7F)) + REP8(0x7F)) | d | REP8(0x7F));
        prev = fx >> 56;
        size_t wi = p >> 6;
        unsigned sh = p & 63;
        b[P_WORD * nw + wi] |= gather8(letter | digit) << sh;
        b[P_LETTER * nw + wi] |= gather8(letter) << sh;
        b[P_SPECIAL * nw + wi] |= gather8(special) << sh;
        b[P_RUN * nw + wi] |= gather8(same & letter) << sh;
    }
#endif
    return true;
}

/* First set (flip = 0) or clear (flip = ~0) bit of a plane at or after p;
 * nw * 64 when there is none. The usual answer is in p's own word. */
static size_t next_bit_far(const uint64_t *plane, size_t nw, size_t w, uint64_t flip)
{
    for (; w < nw; w++)
        if (plane[w] ^ flip)
            return w * 64 + (size_t)__builtin_ctzll(plane[w] ^ flip);
    return nw * 64;
}

static inline size_t next_bit(const uint64_t *plane, size_t nw, size_t p, uint64_t flip)
{
    /* p <= len always, and the planes cover len + 1 bits */
    uint64_t x = (plane[p >> 6] ^ flip) >> (p & 63);
    if (x)
        return p + (size_t)__builtin_ctzll(x);
    return next_bit_far(plane, nw, (p >> 6) + 1, flip);
}

/* The bits of a plane for [a, b), 0 < b - a <= 64, as bit 0 = a. */
static inline uint64_t bits_of(const uint64_t *plane, size_t a, size_t b)
{
    uint64_t x = plane[a >> 6] >> (a & 63);
    if ((a & 63) && ((b - 1) >> 6) != (a >> 6))
        x |= plane[(a >> 6) + 1] << (64 - (a & 63));
    return x & (~0ULL >> (64 - (b - a)));
}

/* Where a URL that starts at f[i] ends: the first byte <= ' ', '"' or
 * '<' of the folded copy (which has zero bytes after the text). */
static inline size_t url_end(const char *f, size_t i)
{
    for (;;) {
        uint64_t x = load_le64(f + i);
        uint64_t hi = x & REP8(0x80), x7 = x & REP8(0x7F);
        uint64_t stop = (bytes_in_range(x7, 0, ' ') | bytes_in_range(x7, '"', '"') |
                         bytes_in_range(x7, '<', '<')) &
                        ~hi;
        if (stop)
            return i + (size_t)__builtin_ctzll(stop) / 8;
        i += 8;
    }
}

/* The bytes of a word of n <= 16 bytes in two little-endian blocks. */
#define M8(k) ((k) >= 8 ? ~0ULL : (1ULL << (8 * (k))) - 1)
#define WM(n)                                                                                      \
    {                                                                                              \
        M8(n), (n) > 8 ? M8((n)-8) : 0                                                             \
    }
static const uint64_t word_mask[17][2] = { WM(0),  WM(1),  WM(2),  WM(3),  WM(4),  WM(5),
                                           WM(6),  WM(7),  WM(8),  WM(9),  WM(10), WM(11),
                                           WM(12), WM(13), WM(14), WM(15), WM(16) };
#undef WM
#undef M8

/* The output's cursors while the fast lane writes (kept in registers). */
struct lane_out {
    struct nt_token *toks;
    char *text;
    size_t ntoks, tlen, tokcap, textcap;
};

/* Room for one more token of n bytes (and the 16-byte stores)? */
static inline bool lane_room(const struct lane_out *o, size_t n)
{
    return o->ntoks < o->tokcap && o->tlen + n + 18 <= o->textcap;
}

/* Append the token of original bytes [a, b) (b - a < 64), whose folded
 * bytes are f[a..b) and whose letter-run bits (bit 0 = a) are rbits. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void
lane_emit(struct lane_out *o, const char *f, size_t a, size_t b, uint64_t rbits, uint32_t flags)
{
    size_t n = b - a, base = o->tlen + (o->ntoks ? 1 : 0), len = n;
    char *out = o->text + base;
    uint64_t h;
    /* The separating space (before the first token it is overwritten). */
    o->text[o->tlen] = ' ';
    if (n <= 16 && !(rbits >> 1 & (~0ULL >> (64 - n)))) {
        /* The common case: the folded bytes as they are, hashed from
         * registers (as token_hash() would). */
        uint64_t b0 = load_le64(f + a) & word_mask[n][0];
        uint64_t b1 = load_le64(f + a + 8) & word_mask[n][1];
        h = token_hash16(n, b0, b1);
        store_le64(out, b0);
        store_le64(out + 8, b1);
    } else {
        /* Longer, or a letter run to collapse: every byte is written, the
         * cursor moves past those that are not repeats. */
        len = 0;
        for (size_t q = 0; q < n; q++) {
            out[len] = f[a + q];
            len += q == 0 || !(rbits >> q & 1); /* n < 64 */
        }
        h = token_hash(out, len);
    }
    o->toks[o->ntoks++] = (struct nt_token){ .norm_off = (uint32_t)base,
                                             .norm_len = (uint32_t)len,
                                             .start = (uint32_t)a,
                                             .end = (uint32_t)b,
                                             .hash = h,
                                             .flags = flags };
    o->tlen = base + len;
}

/* Might the word the lane just wrote be slang? (A bit per hash: most
 * words are answered here, without a lookup.) */
static inline bool lane_maybe_slang(const struct run *r, const struct lane_out *o)
{
    uint64_t h = o->toks[o->ntoks - 1].hash;
    return r->norm->slang_bits[(h >> 6) & 1023] >> (h & 63) & 1;
}

/* The word the lane just wrote, if it is slang: replaced by its formal
 * words (as emit_final() does), written through the output itself, which
 * then keeps room for what a hashtag's other pieces need (the lane's own
 * room checks are made per word or per hashtag). Takes and returns the
 * cursors by value, so that the lane keeps them in registers; sets
 * r->oom when memory runs out. */
static struct lane_out lane_slang(struct run *r, struct lane_out o)
{
    const struct nt_token *tk = &o.toks[o.ntoks - 1];
    char key[64]; /* lane words are shorter */
    size_t idx;
    memcpy(key, o.text + tk->norm_off, tk->norm_len);
    key[tk->norm_len] = '\0';
    if (!nt_strmap_get(&r->norm->slang, key, &idx))
        return o;
    struct nt_normtext *t = r->out;
    uint32_t start = tk->start, end = tk->end, flags = tk->flags;
    t->ntoks = o.ntoks - 1;
    t->len = tk->norm_off - (t->ntoks ? 1 : 0);
    emit_formal(r, idx, start, end, flags);
    if (!grow((void **)&t->toks, &t->tokcap, t->ntoks + 64, sizeof(*t->toks)) ||
        !grow((void **)&t->text, &t->textcap, t->len + 2 * 64 + 18, 1))
        r->oom = true;
    return (struct lane_out){ t->toks, t->text, t->ntoks, t->len, t->tokcap, t->textcap };
}

/*
 * The fast lane: runs of plain ASCII words, numbers, @mentions, #hashtags,
 * URLs and separators, found through the bit planes of lane_index() and
 * written straight to the output with its cursors in registers. It stops
 * (returning the index) at the first thing it leaves to the general path:
 * a byte >= 0x80, a single letter (it may be spaced-out writing), a word
 * mixing letters and digits (alay), a word followed by an apostrophe, an
 * underscore or a non-ASCII byte, a word of 64 bytes or more, or a full output
 * buffer. Called with no word in progress and no single letters pending;
 * *mode is the word mode (after '#' or '@') in and out.
 */
static size_t ascii_lane(struct run *r, const char *s, size_t i, size_t len, enum mode *mode)
{
    struct nt_normtext *t = r->out;
    size_t nw = t->nbits;
    const uint64_t *word = t->bits + P_WORD * nw, *letter = t->bits + P_LETTER * nw,
                   *special = t->bits + P_SPECIAL * nw, *run = t->bits + P_RUN * nw;
    const char *f = t->fold;
    struct lane_out o = { t->toks, t->text, t->ntoks, t->len, t->tokcap, t->textcap };
    enum mode m = *mode;
    bool slang = r->slang && r->norm->nslang;

    size_t xs = next_bit(special, nw, i, 0); /* the next special byte at or after i */
    while (i < len) {
        size_t ws = next_bit(word, nw, i, 0);
        if (ws > len)
            ws = len;
        if (ws > i) {
            /* Separators before the word; anything special among them? */
            if (xs < i)
                xs = next_bit(special, nw, i, 0);
            if (xs < ws) {
                unsigned char c = (unsigned char)s[xs];
                if (c >= 0x80 ||
                    ((c == '#' || c == '@') && xs + 1 < len && (unsigned char)s[xs + 1] >= 0x80)) {
                    if (xs > i)
                        m = M_PLAIN; /* separators came first */
                    i = xs; /* non-ASCII, or is a non-ASCII letter next? the general path knows */
                    break;
                }
                m = (c == '#' || c == '@') && xs + 1 == ws ? (c == '#' ? M_HASHTAG : M_MENTION)
                                                           : M_PLAIN;
                i = xs + 1;
                continue;
            }
            m = M_PLAIN;
            i = ws;
            if (i == len)
                break;
        }
        unsigned char c = (unsigned char)s[i];
        if (m == M_PLAIN && ((c | 0x20) == 'h' || c == 'w') && url_at(s, i, len)) {
            i = url_end(f, i);
            continue;
        }
        size_t e = next_bit(word, nw, i, ~0ULL);
        if (m != M_PLAIN) /* "@user_name" */
            while (e < len && s[e] == '_')
                e = next_bit(word, nw, e + 1, ~0ULL);
        if (e > len)
            e = len;
        if (xs < e)
            xs = next_bit(special, nw, e, 0);
        if (e < len && xs == e && ((unsigned char)s[e] >= 0x80 || s[e] == '\'' || s[e] == '_'))
            break;
        size_t n = e - i;
        if (n > 63) /* the general path takes very long words */
            break;
        uint64_t lbits, wbits, rbits;
        if ((i >> 6) == ((e - 1) >> 6)) {
            size_t c6 = i >> 6;
            unsigned sh = i & 63;
            uint64_t seg = ~0ULL >> (64 - n);
            lbits = letter[c6] >> sh & seg;
            wbits = word[c6] >> sh & seg;
            rbits = run[c6] >> sh & seg;
        } else {
            lbits = bits_of(letter, i, e);
            wbits = bits_of(word, i, e);
            rbits = bits_of(run, i, e);
        }
        bool letters = lbits != 0, digits = (wbits & ~lbits) != 0;
        if (m == M_PLAIN && ((letters && digits) || (n == 1 && letters)))
            break;
        if (m == M_HASHTAG) {
            /* #KodeKita08Gemoy -> kode kita 08 gemoy, the cuts of
             * split_ascii_hashtag() as bits: at '_' (either side), at
             * letter/digit changes, before an upper-case letter after a
             * lower-case one, before the last capital of a run of capitals
             * followed by lower case ("AMINMenang" -> amin menang). */
            if (o.ntoks + n > o.tokcap || o.tlen + 2 * n + 18 > o.textcap)
                break;
            uint64_t ub = 0, seg = ~0ULL >> (64 - n);
            for (size_t q = 0; q < n; q++)
                ub |= (uint64_t)((unsigned char)(s[i + q] - 'A') < 26) << q;
            uint64_t us = ~wbits & seg, db = wbits & ~lbits, lower = lbits & ~ub;
            uint64_t cut = us | us << 1 | (db ^ db << 1) |
                           (~db & ~(db << 1) & ((~(ub << 1) & ub) | (ub << 1 & ub & lower >> 1)));
            cut = (cut & seg & ~1ULL) | 1ULL << n; /* and the end */
            size_t from = 0;
            while (cut) {
                size_t to = (size_t)__builtin_ctzll(cut);
                cut &= cut - 1;
                while (from < to && (us >> from & 1))
                    from++;
                if (from < to) {
                    uint32_t fl = NT_TOK_HASHTAG | (db >> from & 1 ? NT_TOK_NUMBER : NT_TOK_WORD);
                    lane_emit(&o, f, i + from, i + to, rbits >> from, fl);
                    if (slang && (fl & NT_TOK_WORD) && lane_maybe_slang(r, &o)) {
                        o = lane_slang(r, o);
                        if (r->oom)
                            goto out;
                    }
                }
                from = to;
            }
            m = M_PLAIN;
            i = e;
            continue;
        }
        if (!lane_room(&o, n))
            break;
        lane_emit(&o, f, i, e, rbits,
                  m == M_MENTION ? NT_TOK_MENTION | NT_TOK_WORD
                  : letters      ? NT_TOK_WORD
                                 : NT_TOK_NUMBER);
        if (slang && m == M_PLAIN && letters && lane_maybe_slang(r, &o)) {
            o = lane_slang(r, o);
            if (r->oom)
                break;
        }
        m = M_PLAIN;
        i = e;
    }
out:
    t->ntoks = o.ntoks;
    t->len = o.tlen;
    o.text[o.tlen] = '\0';
    *mode = m;
    return i;
}

/* Phase A: characters -> raw tokens. */
static void tokenize(struct run *r, const char *s, size_t len)
{
    const struct nt_norm *n = r->norm;
    if (!r->out->word)
        r->out->word = malloc(sizeof(struct word));
    struct word *w = r->out->word;
    if (!w) {
        r->oom = true;
        return;
    }
    w->n = 0;
    w->blen = 0;
    w->mode = M_PLAIN;
    bool lane = r->lane;
    if (lane && !lane_index(r->out, s, len)) {
        r->oom = true;
        return;
    }
    for (size_t i = 0; i < len && !r->oom;) {
        size_t clen;
        UChar32 cp;
        if (lane && w->n == 0 && r->out->nraw == 0) {
            i = ascii_lane(r, s, i, len, &w->mode);
            if (i >= len)
                break;
        }
        unsigned char b0 = (unsigned char)s[i];
        if (b0 < 0x80 && n->bmp[b0] == C_SEP && w->n == 0) {
            /* Spaces and punctuation between words: nothing to do. */
            w->mode = M_PLAIN;
            i++;
            continue;
        }
        uint32_t e = char_at(n, s, i, len, &clen, &cp);
        uint32_t cls = E_CLS(e);
        if ((cls == C_LETTER) && w->n == 0 && w->mode == M_PLAIN &&
            (cp == 'h' || cp == 'H' || cp == 'w') && url_at(s, i, len)) {
            while (i < len && (unsigned char)s[i] > ' ' && s[i] != '"' && s[i] != '<')
                i++;
            continue;
        }
        /* Outside the fast lane (single letters pending, or the reference
         * path): pure ASCII runs ended by ASCII punctuation or space still
         * become tokens without the per-character machinery. */
        if (cp < 0x80 && (cls == C_LETTER || cls == C_DIGIT) && w->n == 0) {
            size_t j = i;
            unsigned kinds = 0;
            bool under = w->mode != M_PLAIN;
            while (j < len && (unsigned char)s[j] < 0x80) {
                uint32_t k = n->bmp[(unsigned char)s[j]];
                if (k != C_LETTER && k != C_DIGIT && !(under && k == C_UNDERSCORE))
                    break;
                kinds |= 1u << k;
                j++;
            }
            uint32_t next =
                j < len && (unsigned char)s[j] < 0x80 ? n->bmp[(unsigned char)s[j]] : C_SEP;
            bool ends =
                j == len || ((unsigned char)s[j] < 0x80 && next != C_APOS && next != C_UNDERSCORE);
            if (ends && w->mode == M_PLAIN && kinds != ((1u << C_LETTER) | (1u << C_DIGIT))) {
                uint32_t flags = kinds & (1u << C_LETTER) ? NT_TOK_WORD : NT_TOK_NUMBER;
                emit_fast(r, s, i, j, flags);
                i = j;
                continue;
            }
            if (ends && w->mode == M_MENTION) {
                emit_fast(r, s, i, j, NT_TOK_MENTION | NT_TOK_WORD);
                w->mode = M_PLAIN;
                i = j;
                continue;
            }
            if (ends && w->mode == M_HASHTAG) {
                split_ascii_hashtag(r, s, i, j);
                w->mode = M_PLAIN;
                i = j;
                continue;
            }
        }
        switch (cls) {
        case C_LETTER:
        case C_DIGIT:
            if (cp < 0x80) {
                char f = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
                add_char(r, w, (uint32_t)i, (uint32_t)(i + 1), &f, 1, (uint8_t)cls,
                         cp >= 'A' && cp <= 'Z');
            } else {
                add_char(r, w, (uint32_t)i, (uint32_t)(i + clen), n->pool + E_OFF(e), E_LEN(e),
                         (uint8_t)cls, (uint8_t)E_UPPER(e));
            }
            break;
        case C_IGNORE:
            /* Marks and invisible characters extend the previous character. */
            if (w->n)
                w->c[w->n - 1].end = (uint32_t)(i + clen);
            break;
        case C_APOS: {
            size_t nl;
            UChar32 ncp;
            bool next_letter =
                i + clen < len && E_CLS(char_at(n, s, i + clen, len, &nl, &ncp)) == C_LETTER;
            if (!(w->n && next_letter))
                flush_word(r, w);
            break;
        }
        case C_UNDERSCORE:
            if (w->mode != M_PLAIN && w->n) {
                add_char(r, w, (uint32_t)i, (uint32_t)(i + 1), "_", 1, C_UNDERSCORE, 0);
                break;
            }
            flush_word(r, w);
            break;
        case C_HASH:
        case C_AT: {
            size_t nl;
            UChar32 ncp;
            uint32_t next = i + clen < len ? E_CLS(char_at(n, s, i + clen, len, &nl, &ncp)) : C_SEP;
            flush_word(r, w);
            if (next == C_LETTER || next == C_DIGIT)
                w->mode = cls == C_HASH ? M_HASHTAG : M_MENTION;
            break;
        }
        case C_EMOJI: {
            flush_word(r, w);
            size_t end = i + clen;
            /* Keep the emoji's own bytes; modifiers that follow are skipped. */
            raw_token(r, s + i, clen, (uint32_t)i, (uint32_t)end, NT_TOK_EMOJI);
            break;
        }
        default:
            flush_word(r, w);
            break;
        }
        i += clen;
    }
    flush_word(r, w);
}

/* Spaced-out letters are separated by exactly one space, dot, dash or star;
 * a wider gap ends the word ("G A N J A R  M A H F U D" is two words). */
static bool spacing_gap(const char *src, uint32_t a, uint32_t b)
{
    return b == a + 1 && (src[a] == ' ' || src[a] == '.' || src[a] == '-' || src[a] == '*');
}

static void final_token_fold(struct run *r, const char *text, size_t len, uint32_t start,
                             uint32_t end, uint32_t flags, bool lower)
{
    struct nt_normtext *t = r->out;
    if ((t->ntoks >= t->tokcap &&
         !grow((void **)&t->toks, &t->tokcap, t->ntoks + 1, sizeof(*t->toks))) ||
        (t->len + len + 2 > t->textcap &&
         !grow((void **)&t->text, &t->textcap, t->len + len + 2, 1))) {
        r->oom = true;
        return;
    }
    if (t->ntoks)
        t->text[t->len++] = ' ';
    /* Copy, collapsing runs of one letter (digits keep their runs). */
    char *o = t->text + t->len;
    size_t n = 0;
    char prev = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (lower)
            c = (char)(c | ((unsigned char)(c - 'A') < 26 ? 0x20 : 0));
        if (c == prev && c >= 'a' && c <= 'z')
            continue;
        prev = c;
        o[n++] = c;
    }
    uint64_t h = token_hash(o, n);
    t->toks[t->ntoks++] = (struct nt_token){ .norm_off = (uint32_t)t->len,
                                             .norm_len = (uint32_t)n,
                                             .start = start,
                                             .end = end,
                                             .hash = h,
                                             .flags = flags };
    t->len += n;
    t->text[t->len] = '\0';
}

static enum nt_err run_norm(const struct nt_norm *n, const char *s, size_t len,
                            struct nt_normtext *out, bool slang, bool lane)
{
    struct run r = { n, out, s, false, slang, lane };
    if (len > MAX_INPUT)
        return NT_ETOOBIG;
    out->ntoks = 0;
    out->nraw = 0;
    out->slen = 0;
    out->len = 0;
    /* Room for the common case up front: folded text rarely outgrows the
     * input by much, and there are at most as many tokens as bytes. */
    if (!grow((void **)&out->text, &out->textcap, len * 2 + 64, 1) ||
        !grow((void **)&out->toks, &out->tokcap, len / 2 + 16, sizeof(*out->toks)))
        return NT_ENOMEM;
    out->text[0] = '\0';
    tokenize(&r, s, len);
    if (!r.oom)
        flush_pending(&r);
    return r.oom ? NT_ENOMEM : NT_OK;
}

enum nt_err nt_norm_run(const struct nt_norm *n, const char *s, size_t len, struct nt_normtext *out)
{
    return run_norm(n, s, len, out, true, true);
}

enum nt_err nt_norm_run_reference(const struct nt_norm *n, const char *s, size_t len,
                                  struct nt_normtext *out)
{
    return run_norm(n, s, len, out, true, false);
}

enum nt_err nt_norm_load_slang(struct nt_norm *n, const char *label, const char *csv, size_t len,
                               size_t *loaded, struct nt_diag_list *errs, struct nt_diag *d)
{
    static const char *const cols[] = { "slang", "formal" };
    struct nt_csv c;
    struct nt_csv_record rec;
    struct nt_diag e;
    struct nt_normtext tmp;
    int idx[2];
    enum nt_err err = NT_OK;
    size_t count = 0;

    nt_csv_init(&c, label, csv, len);
    nt_normtext_init(&tmp);
    nt_diag_clear(&e);
    if (nt_csv_next(&c, &rec, &e) != NT_OK || rec.count == 0) {
        err = nt_diag_set(d, NT_EINPUT, "kamus slang kosong atau baris judul rusak");
        nt_diag_at(d, label, 1, NULL);
        goto out;
    }
    if (nt_csv_map_header(label, &rec, cols, 2, 2, idx, errs) != NT_OK) {
        nt_diag_at(d, label, 1, NULL);
        err = nt_diag_set(d, NT_EINPUT, "kamus slang harus memiliki kolom slang dan formal");
        goto out;
    }
    while (nt_csv_next_valid(&c, &rec, errs)) {
        if (rec.count <= (size_t)idx[0] || rec.count <= (size_t)idx[1])
            continue;
        const char *slang = rec.fields[idx[0]], *formal = rec.fields[idx[1]];
        if (!nt_utf8_valid(slang, rec.lens[idx[0]], NULL) ||
            !nt_utf8_valid(formal, rec.lens[idx[1]], NULL)) {
            nt_diag_clear(&e);
            nt_diag_at(&e, label, rec.line, NULL);
            nt_diag_set(&e, NT_EUTF8, "bukan UTF-8 yang sah");
            nt_diag_list_add(errs, &e);
            continue;
        }
        /* Keys and values in normalised form, so lookups compare like with like. */
        if (run_norm(n, slang, strlen(slang), &tmp, false, true) != NT_OK) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            goto out;
        }
        if (tmp.ntoks != 1 || !(tmp.toks[0].flags & NT_TOK_WORD))
            continue; /* multi-word slang cannot be a token replacement */
        char key[512];
        snprintf(key, sizeof(key), "%s", tmp.text);
        if (run_norm(n, formal, strlen(formal), &tmp, false, true) != NT_OK) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            goto out;
        }
        if (tmp.ntoks == 0 || strcmp(key, tmp.text) == 0)
            continue;
        if (!grow((void **)&n->slang_formal, &n->slangcap, n->nslang + 1,
                  sizeof(*n->slang_formal))) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            goto out;
        }
        char *f = strdup(tmp.text);
        if (!f) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            goto out;
        }
        enum nt_err pe = nt_strmap_put(&n->slang, key, n->nslang, NULL);
        if (pe == NT_OK) {
            n->slang_formal[n->nslang++] = f;
            uint64_t h = token_hash(key, strlen(key));
            n->slang_bits[(h >> 6) & 1023] |= 1ULL << (h & 63);
            count++;
        } else {
            free(f); /* first definition wins */
            if (pe == NT_ENOMEM) {
                err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
                goto out;
            }
        }
    }
    if (loaded)
        *loaded = count;
out:
    nt_normtext_release(&tmp);
    nt_csv_release(&c);
    return err;
}

enum nt_err nt_norm_text_key(const struct nt_normtext *t, char out[NT_TEXT_KEY_LEN + 1])
{
    char hex[NT_SHA256_HEX_LEN + 1];
    char *b = malloc(t->len + 1);
    size_t n = 0;
    out[0] = '\0';
    if (!b)
        return NT_ENOMEM;
    const struct nt_token *prev = NULL;
    for (size_t i = 0; i < t->ntoks; i++) {
        const struct nt_token *k = &t->toks[i];
        if (k->flags & NT_TOK_MENTION)
            continue;
        /* The words of one hashtag are one word here: #PrabowoGibran2024
         * splits at its capitals, #prabowogibran2024 cannot. */
        bool glued = prev && (k->flags & prev->flags & NT_TOK_HASHTAG) && k->start <= prev->end + 1;
        if (n && !glued)
            b[n++] = ' ';
        prev = k;
        memcpy(b + n, t->text + k->norm_off, k->norm_len);
        n += k->norm_len;
    }
    if (n) {
        nt_sha256_hex(b, n, hex);
        memcpy(out, hex, NT_TEXT_KEY_LEN);
        out[NT_TEXT_KEY_LEN] = '\0';
    }
    free(b);
    return NT_OK;
}
