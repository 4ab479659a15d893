/*
 * docs.c - versioned documents (docs.h). The SQL of each kind is fixed
 * text chosen from a table, never built from input.
 */
#include "docs.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
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

enum nt_err nt_store_doc_set_active(struct nt_store *s, enum nt_store_doc kind, int64_t id,
                                    struct nt_diag *d)
{
    const struct doc_sql *q = &docs[kind];
    sqlite3_stmt *st = NULL;
    enum nt_err err = nt_store_exec(s, q->clear, d);
    if (!err)
        err = nt_store_prepare(s, q->activate, &st, d);
    if (err)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        err = nt_store_fail(s, rc, "mengaktifkan versi gagal", d);
    else if (sqlite3_changes(nt_store_db(s)) != 1)
        err = nt_diag_set(d, NT_ENOTFOUND, "versi %s #%lld tidak ada", q->noun, (long long)id);
    sqlite3_finalize(st);
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
    sqlite3_stmt *st = NULL;
    enum nt_err err = nt_store_prepare(s, id ? q->by_id : q->active, &st, d);
    if (err)
        return err;
    if (id)
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 1);
        char *p = malloc(n + 1);
        if (!p) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        } else {
            if (n)
                memcpy(p, sqlite3_column_blob(st, 1), n);
            p[n] = '\0';
            *body = p;
            *len = n;
            *found = sqlite3_column_int64(st, 0);
        }
    } else if (rc == SQLITE_DONE) {
        err = id ? nt_diag_set(d, NT_ENOTFOUND, "versi %s #%lld tidak ada", q->noun, (long long)id)
                 : nt_diag_set(d, NT_ENOTFOUND, "%s", q->no_active);
    } else {
        err = nt_store_fail(s, rc, "membaca versi gagal", d);
    }
    sqlite3_finalize(st);
    return err;
}

enum nt_err nt_store_doc_add(struct nt_store *s, enum nt_store_doc kind,
                             const struct nt_store_doc_new *doc, time_t now, bool activate,
                             int64_t *id, bool *activated, struct nt_diag *d)
{
    const struct doc_sql *q = &docs[kind];
    char sha[NT_SHA256_HEX_LEN + 1], at[32];
    sqlite3_stmt *st = NULL;
    nt_sha256_hex(doc->body, doc->len, sha);
    nt_time_iso(now, at, sizeof(at));
    bool own = !nt_store_in_tx(s); /* else part of the caller's transaction */
    enum nt_err err = own ? nt_store_begin(s, d) : NT_OK;
    if (err)
        return err;
    err = nt_store_prepare(s, q->count, &st, d);
    if (err)
        goto out;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        err = nt_store_fail(s, rc, "membaca versi gagal", d);
        goto out;
    }
    activate = activate || sqlite3_column_int(st, 0) == 0;
    sqlite3_finalize(st);
    st = NULL;
    err = nt_store_prepare(s, q->insert, &st, d);
    if (err)
        goto out;
    sqlite3_bind_text(st, 1, doc->label, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, doc->body, (int)doc->len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, doc->author, -1, SQLITE_STATIC);
    if (doc->comment)
        sqlite3_bind_text(st, 5, doc->comment, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
    if (kind == NT_DOC_MODEL) {
        sqlite3_bind_double(st, 7, doc->review);
        sqlite3_bind_double(st, 8, doc->priority);
    }
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        err = nt_store_fail(s, rc, "menyimpan versi gagal", d);
        goto out;
    }
    int64_t new_id = sqlite3_last_insert_rowid(nt_store_db(s));
    if (activate)
        err = nt_store_doc_set_active(s, kind, new_id, d);
    if (!err && own)
        err = nt_store_commit(s, d);
    if (!err) {
        *id = new_id;
        if (activated)
            *activated = activate;
    }
out:
    sqlite3_finalize(st);
    if (own)
        nt_store_rollback(s);
    return err;
}

enum nt_err nt_store_docs_each(struct nt_store *s, enum nt_store_doc kind, nt_store_doc_fn fn,
                               void *ctx, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum nt_err err = nt_store_prepare(s, docs[kind].list, &st, d);
    if (err)
        return err;
    while (!err && nt_store_next(s, st, &err, "membaca versi gagal", d)) {
        struct nt_store_doc_version v = {
            .id = sqlite3_column_int64(st, 0),
            .label = (const char *)sqlite3_column_text(st, 1),
            .sha256 = (const char *)sqlite3_column_text(st, 2),
            .author = (const char *)sqlite3_column_text(st, 3),
            .comment = (const char *)sqlite3_column_text(st, 4),
            .created_at = (const char *)sqlite3_column_text(st, 5),
            .review = sqlite3_column_double(st, 6),
            .priority = sqlite3_column_double(st, 7),
            .active = sqlite3_column_int(st, 8) != 0,
        };
        err = fn(&v, ctx);
    }
    sqlite3_finalize(st);
    return err;
}
