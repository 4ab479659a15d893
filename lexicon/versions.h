/*
 * versions.h - lexicon versions kept in the store. Every import is a new
 * version (the exact JSON bytes, their SHA-256, author, time, comment); one
 * version is active and scores posts. Nothing is overwritten, so every
 * stored score can name the version that produced it.
 */
#ifndef NT_LEX_VERSIONS_H
#define NT_LEX_VERSIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "docs.h"
#include "lexicon.h"
#include "store.h"

/*
 * Store json[0..len) (already checked: `lex` is its parse) as a new
 * version. It becomes active when `activate` is set or no version is active
 * yet. One transaction. The new id goes to *id.
 */
enum nt_err nt_lex_version_add(struct nt_store *s, const char *json, size_t len,
                               const struct nt_lex *lex, const char *author, const char *comment,
                               time_t now, bool activate, int64_t *id, bool *activated,
                               struct nt_diag *d);

/* Make version `id` the active one. NT_ENOTFOUND if there is no such version. */
enum nt_err nt_lex_version_activate(struct nt_store *s, int64_t id, struct nt_diag *d);

/* All versions, newest first (struct nt_store_doc_version, docs.h). */
enum nt_err nt_lex_versions_each(struct nt_store *s, nt_store_doc_fn fn, void *ctx,
                                 struct nt_diag *d);

/*
 * The stored JSON of version `id` (0 = the active one) as a new
 * NUL-terminated buffer the caller frees; its id goes to *found.
 * NT_ENOTFOUND when there is no such (or no active) version.
 */
enum nt_err nt_lex_version_body(struct nt_store *s, int64_t id, char **json, size_t *len,
                                int64_t *found, struct nt_diag *d);

#endif
