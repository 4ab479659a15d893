/*
 * engine.h - the normaliser, lexicon, compiled matcher and one scanner,
 * loaded together by `match`, `scan` and `lexicon test`.
 */
#ifndef NT_CLI_ENGINE_H
#define NT_CLI_ENGINE_H

#include <stdint.h>

#include "cli.h"
#include "lexicon.h"
#include "matcher.h"

struct engine {
    struct nt_norm *norm;
    struct nt_lex *lex;
    struct nt_matcher *m;
    struct nt_scanner *sc;
    int64_t version; /* stored lexicon version, 0 when read from a file */
};

/*
 * Load `lexicon` (a JSON file; NULL = the database's active version if the
 * database exists, else the bundled lexicon) with an optional slang CSV.
 * Prints every problem; returns a CLI exit code.
 */
int cli_engine_load(struct cli *c, const char *lexicon, const char *slang, struct engine *e);
void engine_release(struct engine *e);

#endif
