/*
 * models.c - the model_versions table.
 */
#include "models.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"

/* Deactivate every version, then activate `id` (inside a transaction). */
static enum nt_err set_active(struct nt_store *s, int64_t id, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum nt_err err = nt_store_exec(s, "UPDATE model_versions SET active = 0 WHERE active = 1", d);
    if (!err)
        err = nt_store_prepare(s, "UPDATE model_versions SET active = 1 WHERE id = ?1", &st, d);
    if (err)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        err = nt_store_fail(s, rc, "mengaktifkan versi model gagal", d);
    else if (sqlite3_changes(nt_store_db(s)) != 1)
        err = nt_diag_set(d, NT_ENOTFOUND, "versi model #%lld tidak ada", (long long)id);
    sqlite3_finalize(st);
    return err;
}

enum nt_err nt_model_version_add(struct nt_store *s, const void *bytes, size_t len,
                                 const struct nt_stance_model *m, const char *author,
                                 const char *comment, time_t now, bool activate, int64_t *id,
                                 bool *activated, struct nt_diag *d)
{
    const struct nt_stance_info *in = nt_stance_info(m);
    char at[32];
    sqlite3_stmt *st = NULL;
    nt_time_iso(now, at, sizeof(at));
    enum nt_err err = nt_store_begin(s, d);
    if (err)
        return err;
    err = nt_store_prepare(s, "SELECT count(*) FROM model_versions WHERE active = 1", &st, d);
    if (err)
        goto out;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        err = nt_store_fail(s, rc, "membaca versi model gagal", d);
        goto out;
    }
    activate = activate || sqlite3_column_int(st, 0) == 0;
    sqlite3_finalize(st);
    st = NULL;
    err = nt_store_prepare(s,
                           "INSERT INTO model_versions(label, body, sha256, author, comment, "
                           "created_at, review_at, priority_at, active) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
                           &st, d);
    if (err)
        goto out;
    sqlite3_bind_text(st, 1, in->version, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, bytes, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, in->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, author, -1, SQLITE_STATIC);
    if (comment)
        sqlite3_bind_text(st, 5, comment, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 7, in->review);
    sqlite3_bind_double(st, 8, in->priority);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        err = nt_store_fail(s, rc, "menyimpan versi model gagal", d);
        goto out;
    }
    int64_t new_id = sqlite3_last_insert_rowid(nt_store_db(s));
    if (activate)
        err = set_active(s, new_id, d);
    if (!err)
        err = nt_store_commit(s, d);
    if (!err) {
        *id = new_id;
        if (activated)
            *activated = activate;
    }
out:
    sqlite3_finalize(st);
    nt_store_rollback(s);
    return err;
}

enum nt_err nt_model_version_activate(struct nt_store *s, int64_t id, struct nt_diag *d)
{
    enum nt_err err = nt_store_begin(s, d);
    if (!err)
        err = set_active(s, id, d);
    if (!err)
        err = nt_store_commit(s, d);
    nt_store_rollback(s);
    return err;
}

enum nt_err nt_model_versions_each(struct nt_store *s, nt_model_version_fn fn, void *ctx,
                                   struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum nt_err err = nt_store_prepare(s,
                                       "SELECT id, label, sha256, author, comment, created_at, "
                                       "review_at, priority_at, active FROM model_versions "
                                       "ORDER BY id DESC",
                                       &st, d);
    if (err)
        return err;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct nt_model_version v = {
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
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = nt_store_fail(s, rc, "membaca versi model gagal", d);
    sqlite3_finalize(st);
    return err;
}

enum nt_err nt_model_version_body(struct nt_store *s, int64_t id, void **bytes, size_t *len,
                                  int64_t *found, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum nt_err err = nt_store_prepare(s,
                                       id ? "SELECT id, body FROM model_versions WHERE id = ?1"
                                          : "SELECT id, body FROM model_versions WHERE active = 1",
                                       &st, d);
    if (err)
        return err;
    if (id)
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 1);
        void *p = malloc(n ? n : 1);
        if (!p) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        } else {
            if (n)
                memcpy(p, sqlite3_column_blob(st, 1), n);
            *bytes = p;
            *len = n;
            *found = sqlite3_column_int64(st, 0);
        }
    } else if (rc == SQLITE_DONE) {
        err = id ? nt_diag_set(d, NT_ENOTFOUND, "versi model #%lld tidak ada", (long long)id)
                 : nt_diag_set(d, NT_ENOTFOUND, "belum ada versi model yang aktif");
    } else {
        err = nt_store_fail(s, rc, "membaca versi model gagal", d);
    }
    sqlite3_finalize(st);
    return err;
}
