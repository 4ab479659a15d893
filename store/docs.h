/*
 * docs.h - versioned documents: the tables that keep every imported version
 * of a scoring document (lexicon_versions, model_versions) as exact bytes,
 * one of them active, so that every stored score can name the version that
 * produced it. Nothing is overwritten. Both kinds are kept here: adding,
 * listing, reading a version's bytes and making one the active one.
 */
#ifndef NT_STORE_DOCS_H
#define NT_STORE_DOCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store.h"

enum nt_store_doc { NT_DOC_LEXICON = 0, NT_DOC_MODEL };

/* A stored version (strings borrowed for the callback's duration). */
struct nt_store_doc_version {
    int64_t id;
    const char *label; /* the document's own version name */
    const char *sha256;
    const char *author;
    const char *comment; /* may be NULL */
    const char *created_at;
    double review, priority; /* a model's thresholds (0 for lexicons) */
    bool active;
};

/* A version to add: its exact bytes and what the list shows of it. */
struct nt_store_doc_new {
    const char *label;
    const void *body;
    size_t len;
    const char *author;
    const char *comment;     /* may be NULL */
    double review, priority; /* models only */
};

/*
 * Store a checked document as a new version (SHA-256 of its bytes, the
 * time `now`). It becomes active when `activate` is set or no version is
 * active yet. Its own transaction, or part of the caller's when one is open
 * (then the caller commits or rolls back); the new id goes to *id.
 */
enum nt_err nt_store_doc_add(struct nt_store *s, enum nt_store_doc kind,
                             const struct nt_store_doc_new *doc, time_t now, bool activate,
                             int64_t *id, bool *activated, struct nt_diag *d);

typedef enum nt_err (*nt_store_doc_fn)(const struct nt_store_doc_version *v, void *ctx);

/* All versions of a kind, newest first. */
enum nt_err nt_store_docs_each(struct nt_store *s, enum nt_store_doc kind, nt_store_doc_fn fn,
                               void *ctx, struct nt_diag *d);

/*
 * Inside the caller's transaction: version `id` becomes the only active
 * one. NT_ENOTFOUND ("versi leksikon #N tidak ada") when there is none.
 */
enum nt_err nt_store_doc_set_active(struct nt_store *s, enum nt_store_doc kind, int64_t id,
                                    struct nt_diag *d);

/* The same in a transaction of its own. */
enum nt_err nt_store_doc_activate(struct nt_store *s, enum nt_store_doc kind, int64_t id,
                                  struct nt_diag *d);

/*
 * The bytes of version `id` (0 = the active one) as a new buffer with a
 * NUL after them, which the caller frees; its id goes to *found.
 * NT_ENOTFOUND when there is no such (or no active) version.
 */
enum nt_err nt_store_doc_body(struct nt_store *s, enum nt_store_doc kind, int64_t id, char **body,
                              size_t *len, int64_t *found, struct nt_diag *d);

#endif
