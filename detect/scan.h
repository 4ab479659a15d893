/*
 * scan.h - scoring stored posts: every post version not yet scored by the
 * active lexicon and model versions is scored for its employee's region and
 * its own time, and the score, its explanation and its hits are stored with
 * the versions that produced them. Posts at `review` or above are handed to
 * the review library's queue (review.h, nt_review_enqueue). Also what a
 * draft lexicon or model would change on the stored posts (drafttest.c).
 */
#ifndef NT_DETECT_SCAN_H
#define NT_DETECT_SCAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "matcher.h"
#include "store.h"

struct nt_scan_stats {
    size_t scanned;
    size_t levels[3]; /* by enum nt_level */
    size_t queued;    /* review items created or updated */
};

/*
 * A second stage after the lexicon (the stance model, which this module
 * does not know): given the scanner that just scored `text` and its
 * result, it may set the final level and add to the explanation. Its
 * model version and the slang list's hash are recorded with every score.
 */
struct nt_scan_stage {
    enum nt_err (*run)(void *ctx, const struct nt_scanner *sc, const char *text, size_t len,
                       const struct nt_result *r, enum nt_level *level, double *p_side,
                       json_t *explanation /* NULL: none wanted */);
    void *ctx;
    int64_t model_id;          /* 0: none */
    const char *model_version; /* NULL: none */
    const char *slang_sha256;  /* NULL: no slang list */
};

/* How far a scan is: called before the first batch (done 0), after each
 * committed batch and at the end (done == total). */
struct nt_scan_progress {
    void (*fn)(void *user, size_t done, size_t total);
    void *user;
};

/*
 * Score with `m` (compiled from lexicon version `lexicon_id`) and the
 * optional `stage`. Each lexicon and model pair has a mark in
 * scan_progress: every version up to it is scored. A post at review or
 * above gets a score row with its explanation and hits and goes to the
 * queue; a post at level none writes nothing (unless this lexicon version
 * scored it before, when its row is rewritten). `rescan` scores every
 * version again. Work is committed in batches with the mark, so an
 * interrupted scan resumes where it stopped. `pr` (or NULL) hears how far
 * it is.
 */
enum nt_err nt_detect_scan_store(struct nt_store *s, const struct nt_matcher *m, int64_t lexicon_id,
                                 const struct nt_scan_stage *stage, bool rescan, time_t now,
                                 const struct nt_scan_progress *pr, struct nt_scan_stats *st,
                                 struct nt_diag *d);

/*
 * Scoring as posts are stored: one version at a time, inside the caller's
 * transaction (the crawler's unit, an ingest), with the same writes as the
 * scan job (score, hits, review item). A version already scored by these
 * lexicon and model versions is scored again (an edit gets a new version
 * id, so that happens only when asked twice). The pair's mark follows when
 * every version before this one was scored already.
 */
struct nt_scan_writer;
enum nt_err nt_scan_writer_open(struct nt_store *s, const struct nt_matcher *m, int64_t lexicon_id,
                                const struct nt_scan_stage *stage, time_t now,
                                struct nt_scan_writer **out, struct nt_diag *d);
/* Score stored version `version_id` (a version without text is skipped). */
enum nt_err nt_scan_writer_version(struct nt_scan_writer *w, int64_t version_id, struct nt_diag *d);
/* Before the caller commits the versions it had scored: the new queue
 * items' search index, written once for them all. A transaction rolled
 * back instead needs nothing (what was deferred goes with it). */
enum nt_err nt_scan_writer_unit_end(struct nt_scan_writer *w, struct nt_diag *d);
const struct nt_scan_stats *nt_scan_writer_stats(const struct nt_scan_writer *w);
void nt_scan_writer_close(struct nt_scan_writer *w);

/* One stored post version as `lexicon test` and the scanner read it. */
struct nt_stored_post {
    int64_t version_id;
    int64_t post_id;
    const char *remote_id;
    const char *text;
    size_t len;
    const char *region;
    time_t at;
};

typedef enum nt_err (*nt_stored_post_fn)(const struct nt_stored_post *p, void *ctx);

/* The latest version of every stored post (with text), oldest post first. */
enum nt_err nt_detect_each_stored(struct nt_store *s, nt_stored_post_fn fn, void *ctx,
                                  struct nt_diag *d);

/* Reviewers' decisions as labels: remote post id -> 1 confirmed, 0
 * dismissed (*n counts those added). */
struct nt_strmap;
enum nt_err nt_detect_labels_from_decisions(struct nt_store *s, struct nt_strmap *labels, size_t *n,
                                            struct nt_diag *d);

/*
 * What `draft` would change on the stored posts compared with `active`
 * (drafttest.c), each with its optional stance stage (a new model on the
 * same lexicon, a new lexicon with the same model, or both); nothing is
 * written. *out (the caller's):
 *   {draft_version, posts, labelled, level_changed, score_changed,
 *    transitions: [{from, to, posts}],
 *    changes: [{id, score_active, score_draft, level_active, level_draft,
 *               why}] largest gain first,
 *    active_metrics, draft_metrics: {precision, recall, f1, tp, fp, fn, tn},
 *    categories: [{code, active_precision, active_n, draft_precision,
 *                  draft_n}],
 *    entries: [{id, active_precision, active_n, draft_precision, draft_n}]}
 * Precision and recall are null where undefined; "review" or above counts
 * as predicting a violation.
 */
enum nt_err nt_detect_draft_test(struct nt_store *s, const struct nt_matcher *active,
                                 const struct nt_scan_stage *active_stage,
                                 const struct nt_matcher *draft,
                                 const struct nt_scan_stage *draft_stage,
                                 const struct nt_strmap *labels, json_t **out, struct nt_diag *d);

#endif
