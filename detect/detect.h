/*
 * detect.h - the two stages loaded together, where they come from, and one
 * call that scores a text with both: what `netra match`, `netra scan`,
 * `lexicon test`, `model train` and the web app's lexicon lab share, so that
 * they cannot load or combine the stages differently.
 *
 * A `struct nt_detect` holds the normaliser (with the slang list), the
 * lexicon and its compiled matcher, the stance model and one scanner with
 * its stance scratch: one per thread. Loading reads the store's active
 * versions (or files, or the bundled defaults) and never prints; the caller
 * reports the diagnostics.
 */
#ifndef NT_DETECT_H
#define NT_DETECT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "lexicon.h"
#include "matcher.h"
#include "scan.h"
#include "stance.h"
#include "store.h"

struct nt_detect {
    struct nt_norm *norm;
    struct nt_lex *lex;
    struct nt_matcher *m;
    struct nt_scanner *sc;
    int64_t lexicon_id;            /* stored lexicon version, 0 when read from a file */
    struct nt_stance_model *model; /* NULL: the lexicon alone */
    int64_t model_id;              /* stored model version, 0 when read from a file */
    struct nt_stance_vec vec;
    struct nt_stance_names names;
    char slang_sha256[65]; /* of the slang list, "" without one */
};

/* Where the stages come from. */
struct nt_detect_src {
    struct nt_store *store;   /* the active versions; NULL: none */
    const char *lexicon;      /* a file; NULL: the store's active, else bundled_lexicon */
    const char *lexicon_json; /* or the text of one (a draft sent to the web app) */
    size_t lexicon_len;
    const char *bundled_lexicon; /* data/lexicon/default-2024.json */
    const char *slang;           /* a CSV file (slang,formal), or NULL */
    const char *model;           /* a file, "none"; NULL: the store's active, else bundled */
    const char *bundled_model;   /* data/model/stance-default.bin */
};

/*
 * Load the normaliser, the slang list and the lexicon into a zeroed `e`.
 * Problems of the slang list and the lexicon go to `errs` (file, line,
 * field); on failure `e` is released and `d` says what failed.
 */
enum nt_err nt_detect_load_lexicon(struct nt_detect *e, const struct nt_detect_src *src,
                                   struct nt_diag_list *errs, struct nt_diag *d);

/* Load the stance model (after the lexicon); "none" leaves it out. */
enum nt_err nt_detect_load_model(struct nt_detect *e, const struct nt_detect_src *src,
                                 struct nt_diag *d);

void nt_detect_release(struct nt_detect *e);

/* Both stages on one text: the lexicon result, the stance and the level
 * from both (the lexicon's own level when there is no model). */
struct nt_detect_verdict {
    const struct nt_result *r;
    struct nt_stance_result st;
    enum nt_level level;
    bool have_stance;
};

/* Score text[0..len); `names` names the stance features for an
 * explanation. The verdict is valid until the next call on `e`. */
enum nt_err nt_detect_score(struct nt_detect *e, const char *text, size_t len,
                            const struct nt_scan_ctx *ctx, bool names, struct nt_detect_verdict *v);

/* The explanation of a verdict scored with names: lexicon hits and rules,
 * both levels, the stance with its evidence and the model's version. */
json_t *nt_detect_explain(const struct nt_detect *e, const struct nt_detect_verdict *v,
                          const char *text, size_t len);

/* The stance stage of the scan job and the draft test (persist.h) over
 * this engine, with its model version and slang hash. */
void nt_detect_stage(struct nt_detect *e, struct nt_scan_stage *st);

#endif
