/*
 * stance.h - does the author take a side? A second, database-free engine
 * next to the matcher (like libyara: load once, score many, no store).
 *
 * The lexicon answers "who and what" (contestants, numbers, symbols, SKB
 * vocabulary); the stance model answers "for or against, or neither".
 * A post becomes a vector of hashed, candidate-agnostic features built from
 * what the normaliser and the matcher already produced:
 *   - each lexicon hit as its kind ("a candidate", "a support hashtag"),
 *     whether it names a contestant, and the SKB categories of fired rules;
 *   - normalised word unigrams and bigrams, where the words of a hit that
 *     says which contestant (a name, number, party, symbol, hashtag,
 *     slogan) are replaced by the hit's kind, so "dukung <candidate>" is one
 *     feature whichever pair is named; numbers outside hits are "<angka>",
 *     mentions "<akun>";
 *   - the first and last letter 3-grams of the words the model does not
 *     know (alay, dialect, rare words), which count as "<kata lain>"
 *     elsewhere;
 *   - the shape of the post: reply, link at the end, headline form,
 *     quotation, reported speech, question, first person, imperative,
 *     emoji, how many contestants it names.
 * Two logistic models share the features (weights interleaved, one memory
 * access per feature): "takes a side" against "neutral", and "against"
 * against "for" among posts that take a side. Training uses liblinear
 * (train.c); scoring is a dot product over the hashed weights.
 *
 * A model file (layout in model.c) holds the hash size, the weights of the
 * features seen in training, the thresholds for review and priority chosen
 * on cross-validated predictions, the hashes of the words it knows, the
 * names of its strongest features (words, never sentences) for
 * explanations and diffs, and a SHA-256 of the whole file. A truncated,
 * altered or foreign file is an NT_EINPUT naming the file.
 */
#ifndef NT_STANCE_H
#define NT_STANCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "lexicon.h"
#include "matcher.h"
#include "normalize.h"

#define NT_STANCE_MAGIC        "NETRA-STANCE-MDL"
#define NT_STANCE_FORMAT       2u
#define NT_STANCE_FEATURESET   7u /* bump when extraction changes meaning */
#define NT_STANCE_MAX_BYTES    (64u * 1024 * 1024)
#define NT_STANCE_NAME_MAX     64
#define NT_STANCE_DEFAULT_BITS 16

/* Feature groups: a feature's id is hash(group, content) & mask. */
enum nt_stance_group {
    NT_SG_KIND = 1, /* lexicon hit kind */
    NT_SG_RULE,     /* SKB category of a fired rule */
    NT_SG_WORD,     /* unigram */
    NT_SG_BIGRAM,   /* bigram */
    NT_SG_CHAR,     /* character 3-gram of an unknown word */
    NT_SG_SHAPE,    /* shape of the post */
};

struct nt_stance_feat {
    uint32_t id;
    float value;
};

/* A post's features: ids, a repeated one counting again (a run of one unit
 * counts once), each of value 1/sqrt(n). */
struct nt_stance_vec {
    uint32_t *ids;
    size_t n, cap;
    float scale; /* 1 / sqrt(n): every feature's value */
    /* The lexicon gate: a counted hit of a candidate, number, party,
     * symbol, hashtag, slogan, team, support material, praise or attack, or
     * one referring to a contestant, or a hand-symbol emoji in a post
     * without words. A call to action alone does not say for whom. */
    bool relevant;
    int32_t *cover; /* scratch: hit covering each token */
    size_t ccap;
    uint8_t *groups; /* enum nt_stance_group of each id */
};

/* Named feature, for explanations: group and the words it stands for. */
struct nt_stance_named {
    uint32_t id;
    enum nt_stance_group group;
    char text[48];
};

struct nt_stance_names {
    struct nt_stance_named *v;
    size_t n, cap;
};

void nt_stance_vec_init(struct nt_stance_vec *v);
void nt_stance_vec_release(struct nt_stance_vec *v);
void nt_stance_names_release(struct nt_stance_names *n);

/*
 * Extract the features of a scanned post: `nt` and `r` are what
 * nt_scan() produced for text[0..len) with a matcher of `lex`. `bits` is
 * the hash size (the model's). With `names` non-NULL every feature is also
 * named (slower: for explanations and the model's feature table).
 */
enum nt_err nt_stance_extract(const struct nt_lex *lex, const struct nt_normtext *nt,
                              const struct nt_result *r, const char *text, size_t len,
                              unsigned bits, const uint64_t *vocab, struct nt_stance_vec *out,
                              struct nt_stance_names *names);

/* The lexicon gate alone (what nt_stance_extract sets as `relevant`), for
 * a caller that skips the stance stage where it could not change the level. */
bool nt_stance_gate(const struct nt_lex *lex, const struct nt_normtext *nt,
                    const struct nt_result *r);

/* Is unigram feature `id` in the vocabulary (a bit set over 2^bits ids)? */
bool nt_stance_vocab_has(const uint64_t *vocab, uint32_t id);

/* Human-readable description (Indonesian) of a named feature. */
void nt_stance_describe(const struct nt_stance_named *f, char *out, size_t n);

enum nt_stance_side { NT_STANCE_NONE = 0, NT_STANCE_SUPPORT, NT_STANCE_OPPOSE };
/* "tidak berpihak", "mendukung", "menentang" - and the JSON codes. */
const char *nt_stance_side_name(enum nt_stance_side s);
const char *nt_stance_side_code(enum nt_stance_side s);

struct nt_stance_model;

/* One named strong feature kept in the model file (for explanations of
 * features a post has and for diffs between versions). */
struct nt_stance_top {
    struct nt_stance_named f;
    float w_side, w_oppose;
};

struct nt_stance_info {
    char version[NT_STANCE_NAME_MAX]; /* the analyst's name for it */
    unsigned bits, featureset;
    double review, priority; /* thresholds on P(side) */
    double target_recall;    /* what the review threshold was chosen for */
    uint32_t nweights;       /* features with weights */
    uint32_t nvocab;         /* known words */
    uint32_t ntrain, nside, noppose;
    double cv_recall, cv_false_flag, cv_precision; /* at the review threshold */
    char sha256[65];                               /* of the whole file */
};

/*
 * Parse and check a model file (borrowed bytes; `label` names it in `d`).
 * Checks magic, format, feature set, sizes and the file's SHA-256.
 */
enum nt_err nt_stance_load(const char *label, const void *bytes, size_t len,
                           struct nt_stance_model **out, struct nt_diag *d);
void nt_stance_free(struct nt_stance_model *m);
const struct nt_stance_info *nt_stance_info(const struct nt_stance_model *m);
const struct nt_stance_top *nt_stance_tops(const struct nt_stance_model *m, size_t *n);
/* The model's vocabulary for nt_stance_extract (NULL: none). */
const uint64_t *nt_stance_vocab(const struct nt_stance_model *m);

/* Change the thresholds (evaluate --set-thresholds writes a new file). */
void nt_stance_set_thresholds(struct nt_stance_model *m, double review, double priority);

/* Serialise (malloc'ed bytes); recomputes the file's hash in the info. */
enum nt_err nt_stance_save(struct nt_stance_model *m, void **bytes, size_t *len, struct nt_diag *d);

struct nt_stance_result {
    bool skipped;             /* not evaluated: the post failed the lexicon gate */
    double p_side;            /* probability that the author takes a side */
    double p_oppose;          /* if so, probability that it is against */
    enum nt_stance_side side; /* by the thresholds: NONE below review */
    enum nt_level level;      /* by the thresholds alone */
};

/* Score a feature vector. Cheap: one weight pair per feature. */
void nt_stance_predict(const struct nt_stance_model *m, const struct nt_stance_vec *v,
                       struct nt_stance_result *out);

/*
 * The whole stage for a scanned post, as cheap as it gets: the lexicon
 * gate, then the features' weights summed as they are made, nothing
 * stored (no ids, no names). The same result as nt_stance_extract with the
 * model's bits and vocabulary followed by nt_stance_predict; a post that
 * fails the gate comes back `skipped` at NT_LEVEL_NONE. `v` is scratch
 * (its n, scale and relevant are set, as for nt_stance_level).
 */
enum nt_err nt_stance_score(const struct nt_stance_model *m, const struct nt_lex *lex,
                            const struct nt_normtext *nt, const struct nt_result *r,
                            const char *text, size_t len, struct nt_stance_vec *v,
                            struct nt_stance_result *out);

/*
 * The stance part of an explanation: {model_version, p_side, p_oppose,
 * side, side_label, level, review_at, priority_at, evidence: [{feature,
 * weight, toward}]} with the `max` features that pushed the decision most
 * (toward "berpihak" or "netral"). NULL when out of memory.
 */
json_t *nt_stance_explain(const struct nt_stance_model *m, const struct nt_stance_names *names,
                          const struct nt_stance_result *res, size_t max);

/*
 * The final level from both stages, for the post whose features `v` are
 * (their lexicon gate) and whose prediction `s` is. A post that names no
 * contestant and carries no election vocabulary stays at none whatever the
 * model says; a post the model calls neutral stays at none whatever the
 * lexicon says.
 */
enum nt_level nt_stance_level(const struct nt_stance_vec *v, const struct nt_stance_result *s);

/* ---- training (train.c, liblinear) ---- */

enum nt_stance_label { NT_LABEL_NEUTRAL = 0, NT_LABEL_SUPPORT, NT_LABEL_OPPOSE };

/* A labelled example: its features (copied) and its label. */
struct nt_stance_example {
    uint32_t *ids;
    uint8_t *groups;
    size_t n;
    enum nt_stance_label label;
    bool relevant;  /* passes the lexicon gate (nt_stance_level) */
    int source;     /* which file it came from (0..NT_STANCE_MAX_SOURCES-1) */
    uint64_t group; /* examples of one group share a cross-validation fold; 0 = alone */
};

#define NT_STANCE_MAX_SOURCES 32

struct nt_stance_set {
    struct nt_stance_example *v;
    size_t n, cap;
    unsigned bits;
};

void nt_stance_set_init(struct nt_stance_set *s, unsigned bits);
void nt_stance_set_release(struct nt_stance_set *s);
enum nt_err nt_stance_set_add(struct nt_stance_set *s, const struct nt_stance_vec *v,
                              enum nt_stance_label label, int source);

struct nt_stance_params {
    double c;             /* inverse regularisation (liblinear -c) */
    double target_recall; /* review threshold: the highest with this CV recall */
    double priority_ff;   /* priority threshold: at most this share of any source's neutral posts */
    unsigned folds;       /* cross-validation folds for thresholds and figures */
    unsigned repeats;     /* repetitions of the k-fold split, predictions averaged (1..20) */
    uint32_t seed;        /* fold assignment */
    char version[NT_STANCE_NAME_MAX];
    double alpha[8]; /* value of each feature group's features (index: group) */
    bool balance;    /* balance neutral and side within each source (train.c) */
};

void nt_stance_params_default(struct nt_stance_params *p);

/* Out-of-fold predictions of repeated k-fold cross-validation: p_side per
 * example, the mean over p->repeats splits (seeds seed, seed+1, ...). */
enum nt_err nt_stance_crossval(const struct nt_stance_set *s, const struct nt_stance_params *p,
                               double *p_side, struct nt_diag *d);

/* The vocabulary of a training set: the unigram ids (group WORD) found in
 * at least `min_df` of its examples, as a bit set over 2^bits (malloc'ed).
 * Extract the set without a vocabulary first, then again with this one. */
enum nt_err nt_stance_vocab_build(const struct nt_stance_set *s, unsigned min_df, uint64_t **out);

/* Recall, false-flag rate and precision of threshold `t` over predictions
 * `p` (one per example), gated like the product. */
void nt_stance_figures(const struct nt_stance_set *s, const double *p, double t, double *recall,
                       double *false_flag, double *precision);

/* The review threshold: the highest with CV recall >= target_recall; the
 * priority threshold: the lowest at which at most priority_ff of the
 * neutral examples of any source (20 or more of them) would reach
 * priority. Steps of 0.005. */
void nt_stance_choose(const struct nt_stance_set *s, const double *p, double target_recall,
                      double priority_ff, double *review, double *priority);

/* Train on the whole set; thresholds from cross-validation; names from
 * `names` (the union of the training posts' named features, may be NULL);
 * the vocabulary the set was extracted with (may be NULL) goes into the
 * model, which then extracts with it. */
enum nt_err nt_stance_train(const struct nt_stance_set *s, const struct nt_stance_params *p,
                            const struct nt_stance_names *names, const uint64_t *vocab,
                            struct nt_stance_model **out, struct nt_diag *d);

/* Merge `add` into `into` keeping one entry per id (for the name table). */
enum nt_err nt_stance_names_merge(struct nt_stance_names *into, const struct nt_stance_names *add);

#endif
