/*
 * models.h - stance model versions kept in the store, like lexicon
 * versions: every import is a new version (the exact file bytes, their
 * SHA-256, the model's own name, author, time, comment); one version is
 * active and scores posts, and every stored score names the model version
 * that produced it.
 */
#ifndef NT_DETECT_MODELS_H
#define NT_DETECT_MODELS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "docs.h"
#include "stance.h"
#include "store.h"

/* Store a checked model file (bytes of `m`) as a new version; active when
 * `activate` or when no version is active yet. One transaction. */
enum nt_err nt_model_version_add(struct nt_store *s, const void *bytes, size_t len,
                                 const struct nt_stance_model *m, const char *author,
                                 const char *comment, time_t now, bool activate, int64_t *id,
                                 bool *activated, struct nt_diag *d);

/* Make version `id` active. NT_ENOTFOUND if there is no such version. */
enum nt_err nt_model_version_activate(struct nt_store *s, int64_t id, struct nt_diag *d);

/* All versions, newest first (struct nt_store_doc_version, docs.h). */
enum nt_err nt_model_versions_each(struct nt_store *s, nt_store_doc_fn fn, void *ctx,
                                   struct nt_diag *d);

/* The bytes of version `id` (0 = the active one), malloc'ed; its id in
 * *found. NT_ENOTFOUND when there is none. */
enum nt_err nt_model_version_body(struct nt_store *s, int64_t id, char **bytes, size_t *len,
                                  int64_t *found, struct nt_diag *d);

#endif
