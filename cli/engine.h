/*
 * engine.h - the CLI's way to load the detection engine (detect/detect.h):
 * the database's active versions when it exists, else the bundled files,
 * with every problem printed.
 */
#ifndef NT_CLI_ENGINE_H
#define NT_CLI_ENGINE_H

#include <signal.h>
#include "cli.h"
#include "detect.h"
#include "scan.h"
#include "stored_hook.h"

/*
 * Load `lexicon` (a JSON file; NULL = the database's active version if the
 * database exists, else the bundled lexicon) with an optional slang CSV
 * into a zeroed `e`. Prints every problem; returns a CLI exit code.
 */
int cli_engine_load(struct cli *c, const char *lexicon, const char *slang, struct nt_detect *e);

/* The stance model: a file, "none", or NULL for the database's active
 * version (else the bundled default). */
int cli_engine_load_model(struct cli *c, const char *path, struct nt_detect *e);

/*
 * Score the stored post versions not yet scored by the active lexicon and
 * model (all of them with `rescan`) and hand review-level ones to the
 * queue; one summary line, or with `out` no printing and *out the figures
 * as a JSON object (the caller's; NULL when scoring failed). Without an active lexicon:
 * an error, or with `optional` a notice and CLI_OK (a database still being
 * set up). What `netra scan` runs, and every way posts enter after storing
 * them (ingest, each crawl round) and every activation.
 */
int cli_score_stored(struct cli *c, struct nt_store *s, const char *slang, const char *model,
                     bool rescan, bool optional, const struct nt_scan_stats *before, json_t **out);

/*
 * Scoring as posts are stored (each crawl round, ingest): the active
 * lexicon and model and a writer that the crawler's hook calls inside the
 * transaction that stores each version, so that a committed post always has
 * its score. Without an active lexicon there is no writer (the hook does
 * nothing; activation scores the posts). cli_score_stored afterwards finds
 * only what an earlier, interrupted run left; pass it the writer's counts
 * (`before`) so that the summary says what the round scored.
 */
struct cli_scorer {
    struct nt_detect e;
    struct nt_scan_stage stage;
    struct nt_scan_writer *w;
};
int cli_scorer_open(struct cli *c, struct nt_store *s, struct cli_scorer *sc);
struct nt_stored_hook cli_scorer_hook(struct cli_scorer *sc);
const struct nt_scan_stats *cli_scorer_stats(const struct cli_scorer *sc);
void cli_scorer_close(struct cli_scorer *sc);

/* The OCR stage (cmd_ocr.c): the pending images read with `sc`'s writer
 * scoring their posts again (sc NULL or without a writer: only read). At
 * most `limit` images (0: all), `deadline_ms` each (0: 10 s), until *stop.
 * A summary line unless `quiet` and nothing was read; with `out`, the
 * figures as JSON instead. */
int cli_read_images(struct cli *c, struct nt_store *s, struct cli_scorer *sc, size_t limit,
                    unsigned deadline_ms, volatile sig_atomic_t *stop, bool quiet, json_t **out);

/* Import a model file as a stored version and, with `u` (NULL while
 * setting up, and for the demo), its audit row in the same transaction
 * (cmd_model.c; the demo too). */
int cli_model_import(struct cli *c, struct nt_store *s, const struct nt_user *u, const char *path,
                     const char *author, const char *comment, bool activate, int64_t *id,
                     bool *activated);

#endif
