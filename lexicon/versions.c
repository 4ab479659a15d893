/*
 * versions.c - the lexicon_versions table.
 */
#include "versions.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "hash.h"

enum nt_err nt_lex_version_add(struct nt_store *s, const char *json, size_t len,
                               const struct nt_lex *lex, const char *author, const char *comment,
                               time_t now, bool activate, int64_t *id, bool *activated,
                               struct nt_diag *d)
{
    char sha[NT_SHA256_HEX_LEN + 1], at[32];
    sqlite3_stmt *st = NULL;
    enum nt_err err;
    int rc;

    nt_sha256_hex(json, len, sha);
    nt_time_iso(now, at, sizeof(at));
    err = nt_store_begin(s, d);
    if (err)
        return err;
    err = nt_store_prepare(s, "SELECT count(*) FROM lexicon_versions WHERE active = 1", &st, d);
    if (err)
        goto out;
    rc = sqlite3_step(st);
    bool none_active = rc == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
    sqlite3_finalize(st);
    st = NULL;
    activate = activate || none_active;
    if (activate) {
        err = nt_store_exec(s, "UPDATE lexicon_versions SET active = 0 WHERE active = 1", d);
        if (err)
            goto out;
    }
    err = nt_store_prepare(s,
                           "INSERT INTO lexicon_versions(label, body, sha256, author, comment, "
                           "created_at, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           &st, d);
    if (err)
        goto out;
    sqlite3_bind_text(st, 1, lex->version, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, json, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, author, -1, SQLITE_STATIC);
    if (comment)
        sqlite3_bind_text(st, 5, comment, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, activate);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        err = nt_store_fail(s, rc, "menyimpan versi leksikon gagal", d);
        goto out;
    }
    int64_t new_id = sqlite3_last_insert_rowid(nt_store_db(s));
    sqlite3_finalize(st);
    st = NULL;
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

enum nt_err nt_lex_version_activate(struct nt_store *s, int64_t id, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum nt_err err = nt_store_begin(s, d);
    if (err)
        return err;
    err = nt_store_prepare(s, "SELECT 1 FROM lexicon_versions WHERE id = ?1", &st, d);
    if (err)
        goto out;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        err = nt_diag_set(d, NT_ENOTFOUND, "versi leksikon #%lld tidak ada", (long long)id);
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    err = nt_store_exec(s, "UPDATE lexicon_versions SET active = 0 WHERE active = 1", d);
    if (!err)
        err = nt_store_prepare(s, "UPDATE lexicon_versions SET active = 1 WHERE id = ?1", &st, d);
    if (err)
        goto out;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_DONE) {
        err = nt_store_fail(s, sqlite3_errcode(nt_store_db(s)), "mengaktifkan versi gagal", d);
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    err = nt_store_commit(s, d);
out:
    sqlite3_finalize(st);
    nt_store_rollback(s);
    return err;
}

enum nt_err nt_lex_versions_each(struct nt_store *s, nt_lex_version_fn fn, void *ctx,
                                 struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum nt_err err = nt_store_prepare(s,
                                       "SELECT id, label, sha256, author, comment, created_at, "
                                       "active FROM lexicon_versions ORDER BY id DESC",
                                       &st, d);
    if (err)
        return err;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct nt_lex_version v = {
            .id = sqlite3_column_int64(st, 0),
            .label = (const char *)sqlite3_column_text(st, 1),
            .sha256 = (const char *)sqlite3_column_text(st, 2),
            .author = (const char *)sqlite3_column_text(st, 3),
            .comment = (const char *)sqlite3_column_text(st, 4),
            .created_at = (const char *)sqlite3_column_text(st, 5),
            .active = sqlite3_column_int(st, 6) != 0,
        };
        err = fn(&v, ctx);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = nt_store_fail(s, rc, "membaca versi leksikon gagal", d);
    sqlite3_finalize(st);
    return err;
}

enum nt_err nt_lex_version_body(struct nt_store *s, int64_t id, char **json, size_t *len,
                                int64_t *found, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum nt_err err =
        nt_store_prepare(s,
                         id ? "SELECT id, body FROM lexicon_versions WHERE id = ?1"
                            : "SELECT id, body FROM lexicon_versions WHERE active = 1",
                         &st, d);
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
            *json = p;
            *len = n;
            *found = sqlite3_column_int64(st, 0);
        }
    } else if (rc == SQLITE_DONE) {
        err = id ? nt_diag_set(d, NT_ENOTFOUND, "versi leksikon #%lld tidak ada", (long long)id)
                 : nt_diag_set(d, NT_ENOTFOUND,
                               "belum ada versi leksikon yang aktif (impor dengan 'netra "
                               "lexicon import')");
    } else {
        err = nt_store_fail(s, rc, "membaca versi leksikon gagal", d);
    }
    sqlite3_finalize(st);
    return err;
}
