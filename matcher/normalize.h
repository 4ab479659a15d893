/*
 * normalize.h - turning post text into matchable tokens, with a map back to
 * the original bytes.
 *
 * What it folds: case (Unicode case folding), compatibility forms (NFKC:
 * fullwidth, mathematical bold/italic/script, circled and squared letters,
 * ligatures), diacritics, small capitals and common confusables, zero-width
 * characters and variation selectors, skin-tone modifiers. Words with "alay"
 * digits (pr4b0w0, g4nj4r, 4mien) get letters back, while numbers stay
 * numbers (02, 2024, "no 2"). Runs of a repeated letter collapse to one
 * letter (menaaangkan -> menangkan, and so "maaf" -> "maf" on both sides of
 * every comparison). Spaced-out letters join (G A N J A R). Hashtags split at
 * case and digit boundaries (#KodeKita08Gemoy -> kode kita 08 gemoy). Emoji
 * become one token per pictograph. URLs are skipped; @mentions are tokens.
 * An optional slang dictionary (CSV slang,formal) replaces informal words.
 *
 * Every token keeps the byte span of the original text it came from, so a
 * hit on tokens i..j highlights original[tok[i].start, tok[j].end).
 *
 * A `struct nt_norm` is built once (ICU tables, slang) and is immutable
 * afterwards: share it across threads. Each thread uses its own
 * `struct nt_normtext` for output, reused from post to post.
 */
#ifndef NT_MATCH_NORMALIZE_H
#define NT_MATCH_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

enum nt_tok_flags {
    NT_TOK_WORD = 1 << 0,
    NT_TOK_NUMBER = 1 << 1,
    NT_TOK_EMOJI = 1 << 2,
    NT_TOK_HASHTAG = 1 << 3, /* part of a #hashtag */
    NT_TOK_MENTION = 1 << 4, /* an @handle */
};

struct nt_token {
    uint32_t norm_off; /* offset of the text in nt_normtext.text */
    uint32_t norm_len;
    uint32_t start, end; /* original byte span [start, end) */
    uint64_t hash;       /* nt_norm_hash() of the text */
    uint32_t flags;
};

/* Per-post output: tokens and their texts joined by single spaces (the form
 * PCRE2 patterns run on). Owned by its user; reuse across posts. */
struct nt_normtext {
    struct nt_token *toks;
    size_t ntoks, tokcap;
    char *text; /* NUL-terminated */
    size_t len, textcap;
    /* scratch space */
    struct nt_token *raw;
    size_t nraw, rawcap;
    char *scratch;
    size_t slen, scap;
    void *word;     /* the word being built */
    uint64_t *bits; /* the fast lane's bit planes, nbits words each */
    size_t nbits, bitscap;
    char *fold; /* the post with ASCII letters in lower case */
    size_t foldcap;
};

struct nt_norm;

/* Build the normaliser (ICU fold tables). NT_EINTERNAL if ICU fails. */
enum nt_err nt_norm_new(struct nt_norm **out, struct nt_diag *d);
void nt_norm_free(struct nt_norm *n);

/*
 * Load a slang dictionary (CSV with columns slang,formal; other columns are
 * ignored) before the normaliser is shared. Bad rows are reported in `errs`
 * as "FILE:LINE: field: reason" and skipped; returns the number loaded in
 * *loaded.
 */
enum nt_err nt_norm_load_slang(struct nt_norm *n, const char *label, const char *csv, size_t len,
                               size_t *loaded, struct nt_diag_list *errs, struct nt_diag *d);

void nt_normtext_init(struct nt_normtext *t);
void nt_normtext_release(struct nt_normtext *t);

/*
 * Normalise s[0..len) into `out` (previous contents replaced). Invalid
 * UTF-8 bytes act as separators, so hostile input cannot break offsets.
 * Only NT_ENOMEM can fail; inputs over 64 MiB are NT_ETOOBIG.
 */
enum nt_err nt_norm_run(const struct nt_norm *n, const char *s, size_t len,
                        struct nt_normtext *out);

/* The same without the fast lane for plain ASCII words: slower, simpler,
 * and what the fast lane must agree with (differential tests). */
enum nt_err nt_norm_run_reference(const struct nt_norm *n, const char *s, size_t len,
                                  struct nt_normtext *out);

/*
 * A post's words, as the normaliser reads them, in order, mentions aside:
 * the key under which copies of one message meet (other case, spacing,
 * punctuation, links, accounts addressed, fancy letters or slang spelling;
 * numbers and emoji count). 32 hex digits (128 bits of SHA-256) and a NUL;
 * "" for a post without words. NT_ENOMEM only.
 */
#define NT_TEXT_KEY_LEN 32
enum nt_err nt_norm_text_key(const struct nt_normtext *t, char out[NT_TEXT_KEY_LEN + 1]);

/* The token hash used everywhere (64-bit FNV-1a). */
uint64_t nt_norm_hash(const char *s, size_t n);

#endif
