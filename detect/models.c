/*
 * models.c - the model_versions table.
 */
#include "models.h"

#include "docs.h"

enum nt_err nt_model_version_add(struct nt_store *s, const void *bytes, size_t len,
                                 const struct nt_stance_model *m, const char *author,
                                 const char *comment, time_t now, bool activate, int64_t *id,
                                 bool *activated, struct nt_diag *d)
{
    const struct nt_stance_info *in = nt_stance_info(m);
    struct nt_store_doc_new doc = { .label = in->version,
                                    .body = bytes,
                                    .len = len,
                                    .author = author,
                                    .comment = comment,
                                    .review = in->review,
                                    .priority = in->priority };
    return nt_store_doc_add(s, NT_DOC_MODEL, &doc, now, activate, id, activated, d);
}

enum nt_err nt_model_version_activate(struct nt_store *s, int64_t id, struct nt_diag *d)
{
    return nt_store_doc_activate(s, NT_DOC_MODEL, id, d);
}

enum nt_err nt_model_versions_each(struct nt_store *s, nt_store_doc_fn fn, void *ctx,
                                   struct nt_diag *d)
{
    return nt_store_docs_each(s, NT_DOC_MODEL, fn, ctx, d);
}

enum nt_err nt_model_version_body(struct nt_store *s, int64_t id, char **bytes, size_t *len,
                                  int64_t *found, struct nt_diag *d)
{
    return nt_store_doc_body(s, NT_DOC_MODEL, id, bytes, len, found, d);
}
