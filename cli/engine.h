/*
 * engine.h - the normaliser, lexicon, compiled matcher and one scanner,
 * loaded together by `match`, `scan` and `lexicon test`.
 */
#ifndef NT_CLI_ENGINE_H
#define NT_CLI_ENGINE_H

#include <jansson.h>
#include <stdint.h>

#include "cli.h"
#include "lexicon.h"
#include "matcher.h"
#include "stance.h"

struct engine {
    struct nt_norm *norm;
    struct nt_lex *lex;
    struct nt_matcher *m;
    struct nt_scanner *sc;
    int64_t version;               /* stored lexicon version, 0 when read from a file */
    struct nt_stance_model *model; /* NULL: lexicon only */
    int64_t model_version;         /* stored model version, 0 when read from a file */
    struct nt_stance_vec vec;
    struct nt_stance_names names;
    char slang_sha256[65]; /* of the slang list, "" without one */
};

/* Both stages on one text: the lexicon result, the stance and the level
 * from both (the lexicon's own level when there is no model). */
struct engine_verdict {
    const struct nt_result *r;
    struct nt_stance_result st;
    enum nt_level level;
    bool have_stance;
};
int engine_score(struct engine *e, const char *text, size_t len, const struct nt_scan_ctx *ctx,
                 bool names, struct engine_verdict *v);

/* The stance stage of `netra scan` (persist.h) over this engine. */
struct nt_scan_stage;
void engine_stage(struct engine *e, struct nt_scan_stage *st);

/* The JSON explanation of a verdict (lexicon hits, rules, stance). */
json_t *engine_explain(const struct engine *e, const struct engine_verdict *v, const char *text,
                       size_t len);

/*
 * Load the stance model: `path` a model file, "none" for none, NULL for
 * the database's active version (if the database exists) or else the
 * bundled default. Returns a CLI exit code after printing any problem.
 */
int cli_engine_load_model(struct cli *c, const char *path, struct engine *e);

/*
 * Load `lexicon` (a JSON file; NULL = the database's active version if the
 * database exists, else the bundled lexicon) with an optional slang CSV.
 * Prints every problem; returns a CLI exit code.
 */
int cli_engine_load(struct cli *c, const char *lexicon, const char *slang, struct engine *e);
void engine_release(struct engine *e);

/* Import a model file as a stored version (cmd_model.c; the demo too). */
int cli_model_import(struct cli *c, struct nt_store *s, const char *path, const char *author,
                     const char *comment, bool activate, int64_t *id, bool *activated);

#endif
