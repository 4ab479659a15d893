/*
 * docs.c - versioned documents (docs.h). The SQL of each kind is fixed
 * text chosen from a table, never built from input; through db.h, the same
 * on SQLite and PostgreSQL.
 */
#include "docs.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "hash.h"

static const struct doc_sql {
    const char *noun;      /* "leksikon": "versi leksikon #3 tidak ada" */
    const char *no_active; /* message when nothing is active */
    const char *clear;     /* deactivate all */
    const char *activate;  /* ?1 = id */
    const char *by_id;     /* id, body of ?1 */
    const char *active;    /* id, body of the active one */
    const char *count;     /* how many are active */
    const char *insert;    /* ?1..?6 common columns, ?7 ?8 a model's thresholds */
    const char *list;      /* every version, newest first */
} docs[] = {
    [NT_DOC_LEXICON] = {
        "leksikon",
        "belum ada versi leksikon yang aktif (impor dengan 'netra lexicon import')",
        "UPDATE lexicon_versions SET active = 0 WHERE active = 1",
        "UPDATE lexicon_versions SET active = 1 WHERE id = ?1",
        "SELECT id, body FROM lexicon_versions WHERE id = ?1",
        "SELECT id, body FROM lexicon_versions WHERE active = 1",
        "SELECT count(*) FROM lexicon_versions WHERE active = 1",
        "INSERT INTO lexicon_versions(label, body, sha256, author, comment, created_at, active) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
        "SELECT id, label, sha256, author, comment, created_at, 0, 0, active "
        "FROM lexicon_versions ORDER BY id DESC",
    },
    [NT_DOC_MODEL] = {
        "model",
        "belum ada versi model yang aktif (impor dengan 'netra model import')",
        "UPDATE model_versions SET active = 0 WHERE active = 1",
        "UPDATE model_versions SET active = 1 WHERE id = ?1",
        "SELECT id, body FROM model_versions WHERE id = ?1",
        "SELECT id, body FROM model_versions WHERE active = 1",
        "SELECT count(*) FROM model_versions WHERE active = 1",
        "INSERT INTO model_versions(label, body, sha256, author, comment, created_at, review_at, "
        "priority_at, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
        "SELECT id, label, sha256, author, comment, created_at, review_at, priority_at, active "
        "FROM model_versions ORDER BY id DESC",
    },
};

/* Through db.h: the same SQL on SQLite and PostgreSQL. */
enum nt_err nt_store_doc_set_active(struct nt_store *s, enum nt_store_doc kind, int64_t id,
                                    struct nt_diag *d)
{
    const struct doc_sql *q = &docs[kind];
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_exec(nt_store_dbh(s), q->clear, d);
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s), q->activate, &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, id);
    err = nt_db_run(st, d);
    if (!err && nt_db_changes(st) != 1)
        err = nt_diag_set(d, NT_ENOTFOUND, "versi %s #%lld tidak ada", q->noun, (long long)id);
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_store_doc_activate(struct nt_store *s, enum nt_store_doc kind, int64_t id,
                                  struct nt_diag *d)
{
    enum nt_err err = nt_store_begin(s, d);
    if (!err)
        err = nt_store_doc_set_active(s, kind, id, d);
    if (!err)
        err = nt_store_commit(s, d);
    nt_store_rollback(s);
    return err;
}

enum nt_err nt_store_doc_body(struct nt_store *s, enum nt_store_doc kind, int64_t id, char **body,
                              size_t *len, int64_t *found, struct nt_diag *d)
{
    const struct doc_sql *q = &docs[kind];
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s), id ? q->by_id : q->active, &st, d);
    if (err)
        return err;
    if (id)
        nt_db_bind_int64(st, 1, id);
    if (nt_db_next(st, &err, d)) {
        size_t n = 0;
        const void *v = nt_db_blob(st, 1, &n);
        char *p = malloc(n + 1);
        if (!p) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        } else {
            if (n)
                memcpy(p, v, n);
            p[n] = '\0';
            *body = p;
            *len = n;
            *found = nt_db_int64(st, 0);
        }
    } else if (!err) {
        err = id ? nt_diag_set(d, NT_ENOTFOUND, "versi %s #%lld tidak ada", q->noun, (long long)id)
                 : nt_diag_set(d, NT_ENOTFOUND, "%s", q->no_active);
    }
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_store_doc_add(struct nt_store *s, enum nt_store_doc kind,
                             const struct nt_store_doc_new *doc, time_t now, bool activate,
                             int64_t *id, bool *activated, struct nt_diag *d)
{
    const struct doc_sql *q = &docs[kind];
    char sha[NT_SHA256_HEX_LEN + 1], at[32];
    struct nt_db_stmt *st = NULL;
    struct nt_db *db = nt_store_dbh(s);
    nt_sha256_hex(doc->body, doc->len, sha);
    nt_time_iso(now, at, sizeof(at));
    bool own = !nt_store_in_tx(s); /* else part of the caller's transaction */
    enum nt_err err = own ? nt_store_begin(s, d) : NT_OK;
    if (err)
        return err;
    err = nt_db_prepare(db, q->count, &st, d);
    if (err)
        goto out;
    if (!nt_db_next(st, &err, d)) {
        if (!err)
            err = nt_diag_set(d, NT_EDB, "membaca versi gagal");
        goto out;
    }
    activate = activate || nt_db_int64(st, 0) == 0;
    nt_db_finalize(st);
    st = NULL;
    err = nt_db_prepare_insert(db, q->insert, &st, d);
    if (err)
        goto out;
    nt_db_bind_text(st, 1, doc->label);
    nt_db_bind_blob(st, 2, doc->body, doc->len);
    nt_db_bind_text(st, 3, sha);
    nt_db_bind_text(st, 4, doc->author);
    nt_db_bind_text(st, 5, doc->comment);
    nt_db_bind_text(st, 6, at);
    if (kind == NT_DOC_MODEL) {
        nt_db_bind_double(st, 7, doc->review);
        nt_db_bind_double(st, 8, doc->priority);
    }
    int64_t new_id = 0;
    err = nt_db_insert(st, &new_id, d);
    if (!err && activate)
        err = nt_store_doc_set_active(s, kind, new_id, d);
    if (!err && own)
        err = nt_store_commit(s, d);
    if (!err) {
        *id = new_id;
        if (activated)
            *activated = activate;
    }
out:
    nt_db_finalize(st);
    if (own)
        nt_store_rollback(s);
    return err;
}

enum nt_err nt_store_docs_each(struct nt_store *s, enum nt_store_doc kind, nt_store_doc_fn fn,
                               void *ctx, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s), docs[kind].list, &st, d);
    if (err)
        return err;
    while (!err && nt_db_next(st, &err, d)) {
        struct nt_store_doc_version v = {
            .id = nt_db_int64(st, 0),
            .label = nt_db_text(st, 1),
            .sha256 = nt_db_text(st, 2),
            .author = nt_db_text(st, 3),
            .comment = nt_db_text(st, 4),
            .created_at = nt_db_text(st, 5),
            .review = nt_db_double(st, 6),
            .priority = nt_db_double(st, 7),
            .active = nt_db_int64(st, 8) != 0,
        };
        err = fn(&v, ctx);
    }
    nt_db_finalize(st);
    return err;
}
