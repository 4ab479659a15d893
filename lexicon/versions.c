/*
 * versions.c - the lexicon_versions table.
 */
#include "versions.h"

#include "docs.h"

enum nt_err nt_lex_version_add(struct nt_store *s, const char *json, size_t len,
                               const struct nt_lex *lex, const char *author, const char *comment,
                               time_t now, bool activate, int64_t *id, bool *activated,
                               struct nt_diag *d)
{
    struct nt_store_doc_new doc = {
        .label = lex->version, .body = json, .len = len, .author = author, .comment = comment
    };
    return nt_store_doc_add(s, NT_DOC_LEXICON, &doc, now, activate, id, activated, d);
}

enum nt_err nt_lex_version_activate(struct nt_store *s, int64_t id, struct nt_diag *d)
{
    return nt_store_doc_activate(s, NT_DOC_LEXICON, id, d);
}

enum nt_err nt_lex_versions_each(struct nt_store *s, nt_store_doc_fn fn, void *ctx,
                                 struct nt_diag *d)
{
    return nt_store_docs_each(s, NT_DOC_LEXICON, fn, ctx, d);
}

enum nt_err nt_lex_version_body(struct nt_store *s, int64_t id, char **json, size_t *len,
                                int64_t *found, struct nt_diag *d)
{
    return nt_store_doc_body(s, NT_DOC_LEXICON, id, json, len, found, d);
}
