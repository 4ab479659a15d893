/*
 * engine.h - the CLI's way to load the detection engine (detect/detect.h):
 * the database's active versions when it exists, else the bundled files,
 * with every problem printed.
 */
#ifndef NT_CLI_ENGINE_H
#define NT_CLI_ENGINE_H

#include "cli.h"
#include "detect.h"

/*
 * Load `lexicon` (a JSON file; NULL = the database's active version if the
 * database exists, else the bundled lexicon) with an optional slang CSV
 * into a zeroed `e`. Prints every problem; returns a CLI exit code.
 */
int cli_engine_load(struct cli *c, const char *lexicon, const char *slang, struct nt_detect *e);

/* The stance model: a file, "none", or NULL for the database's active
 * version (else the bundled default). */
int cli_engine_load_model(struct cli *c, const char *path, struct nt_detect *e);

/* Import a model file as a stored version (cmd_model.c; the demo too). */
int cli_model_import(struct cli *c, struct nt_store *s, const char *path, const char *author,
                     const char *comment, bool activate, int64_t *id, bool *activated);

#endif
