/*
 * audit.c - the append-only, hash-chained audit trail.
 *
 * Row hash = SHA-256 of the compact JSON array
 *   [id, at, actor, action, object_type, object_id, before, after, prev_hash]
 * (strings as stored, JSON null for NULL). The first row's prev_hash is 64
 * zeros. The head (last id and hash) is also kept in settings under
 * "audit_head", so that deleting the newest rows is caught as well.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "hash.h"
#include "internal.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static json_t *str_or_null(const char *v)
{
    return v ? json_string(v) : json_null();
}

static enum nt_err row_hash(int64_t id, const char *at, const char *actor, const char *action,
                            const char *otype, const char *oid, const char *before,
                            const char *after, const char *prev, char out[NT_SHA256_HEX_LEN + 1])
{
    json_t *a =
        json_pack("[I, o, o, o, o, o, o, o, o]", (json_int_t)id, str_or_null(at),
                  str_or_null(actor), str_or_null(action), str_or_null(otype), str_or_null(oid),
                  str_or_null(before), str_or_null(after), str_or_null(prev));
    char *txt = a ? json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(a);
    if (!txt)
        return NT_ENOMEM;
    nt_sha256_hex(txt, strlen(txt), out);
    free(txt);
    return NT_OK;
}

enum nt_err nt_audit_append(struct nt_store *s, const char *actor, const char *action,
                            const char *object_type, const char *object_id, json_t *before,
                            json_t *after, time_t now, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    char at[32], prev[NT_SHA256_HEX_LEN + 1] = GENESIS, hash[NT_SHA256_HEX_LEN + 1];
    char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int64_t id = 1;
    json_decref(before);
    json_decref(after);
    nt_time_iso(now, at, sizeof(at));
    enum nt_err err = NT_OK;
    if ((before && !b) || (after && !a)) {
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        goto out;
    }
    err = nt_store_prepare(s, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", &st, d);
    if (err)
        goto out;
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0) + 1;
        snprintf(prev, sizeof(prev), "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    st = NULL;
    if (row_hash(id, at, actor, action, object_type, object_id, b, a, prev, hash)) {
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        goto out;
    }
    err = nt_store_prepare(s,
                           "INSERT INTO audit_log(id, at, actor, action, object_type, object_id, "
                           "before, after, prev_hash, hash) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           &st, d);
    if (err)
        goto out;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, object_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, object_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, b, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, hash, -1, SQLITE_STATIC);
    err = nt_rv_done(s, st, "mencatat jejak audit gagal", d);
    if (!err) {
        char head[128];
        snprintf(head, sizeof(head), "%lld:%s", (long long)id, hash);
        err = nt_store_setting_set(s, "audit_head", head, at, d);
    }
out:
    sqlite3_finalize(st);
    free(b);
    free(a);
    return err;
}

enum nt_err nt_audit_record(struct nt_store *s, const char *actor, const char *action,
                            const char *object_type, const char *object_id, json_t *after,
                            time_t now, struct nt_diag *d)
{
    enum nt_err err = nt_store_begin(s, d);
    if (err) {
        json_decref(after);
        return err;
    }
    err = nt_audit_append(s, actor, action, object_type, object_id, NULL, after, now, d);
    return nt_rv_finish(s, err, d);
}

enum nt_err nt_audit_verify(struct nt_store *s, struct nt_audit_check *out, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    char prev[NT_SHA256_HEX_LEN + 1] = GENESIS, hash[NT_SHA256_HEX_LEN + 1];
    int64_t expect = 1;
    memset(out, 0, sizeof(*out));
    enum nt_err err = nt_store_prepare(s,
                                       "SELECT id, at, actor, action, object_type, object_id, "
                                       "before, after, prev_hash, hash FROM audit_log ORDER BY id",
                                       &st, d);
    if (err)
        return err;
#define T(i) ((const char *)sqlite3_column_text(st, i))
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        out->rows++;
        if (id != expect) {
            out->broken_at = id;
            snprintf(out->problem, sizeof(out->problem),
                     "baris #%lld sampai #%lld hilang (rantai terputus sebelum #%lld)",
                     (long long)expect, (long long)id - 1, (long long)id);
            break;
        }
        if (!T(8) || strcmp(T(8), prev) != 0) {
            out->broken_at = id;
            snprintf(out->problem, sizeof(out->problem),
                     "baris #%lld tidak menyambung ke baris sebelumnya (prev_hash berbeda)",
                     (long long)id);
            break;
        }
        if (row_hash(id, T(1), T(2), T(3), T(4), T(5), T(6), T(7), T(8), hash)) {
            sqlite3_finalize(st);
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        }
        if (!T(9) || strcmp(T(9), hash) != 0) {
            out->broken_at = id;
            snprintf(out->problem, sizeof(out->problem),
                     "baris #%lld telah diubah (hash isinya tidak cocok)", (long long)id);
            break;
        }
        snprintf(prev, sizeof(prev), "%s", hash);
        expect = id + 1;
    }
#undef T
    sqlite3_finalize(st);
    if (out->broken_at)
        return NT_OK;
    /* A failed read is not tampering: an error, named as one. */
    if (rc != SQLITE_DONE)
        return nt_store_fail(s, rc, "membaca jejak audit", d);
    char head[128] = "", want[128];
    err = nt_store_setting_get(s, "audit_head", head, sizeof(head), d);
    if (err && err != NT_ENOTFOUND)
        return err;
    if (out->rows == 0 && !head[0])
        return NT_OK;
    snprintf(want, sizeof(want), "%lld:%s", (long long)(expect - 1), prev);
    if (strcmp(head, want) != 0) {
        out->broken_at = expect;
        snprintf(out->problem, sizeof(out->problem),
                 "ujung rantai tidak cocok: baris terakhir yang tercatat (%.*s) hilang atau diubah",
                 (int)strcspn(head, ":"), head[0] ? head : "?");
    }
    return NT_OK;
}

enum nt_err nt_audit_list(struct nt_store *s, const struct nt_user *actor,
                          const struct nt_audit_filter *f, json_t **out, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum nt_err err =
        nt_user_require(actor, NT_ROLE_ADMIN | NT_ROLE_SUPERVISOR, "melihat jejak audit", d);
    if (!err)
        err = nt_store_prepare(
            s,
            "SELECT id, at, actor, action, object_type, object_id, before, after, hash "
            "FROM audit_log WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action = ?2 "
            "OR action LIKE ?2 || '.%') AND (?3 IS NULL OR object_type = ?3) "
            "AND (?4 IS NULL OR object_id = ?4) AND (?5 IS NULL OR at >= ?5) "
            "AND (?6 IS NULL OR at < date(?6, '+1 day')) ORDER BY id DESC LIMIT ?7",
            &st, d);
    if (err)
        return err;
    const char *v[] = { f->actor, f->action, f->object_type, f->object_id, f->from, f->to };
    for (int i = 0; i < 6; i++)
        if (v[i])
            sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, f->limit ? (sqlite3_int64)f->limit : 100);
    json_t *a = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *before = sqlite3_column_text(st, 6)
                             ? json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL)
                             : NULL;
        json_t *after = sqlite3_column_text(st, 7)
                            ? json_loads((const char *)sqlite3_column_text(st, 7), 0, NULL)
                            : NULL;
        json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                                           (json_int_t)sqlite3_column_int64(st, 0), "at",
                                           nt_rv_col(st, 1), "actor", nt_rv_col(st, 2), "action",
                                           nt_rv_col(st, 3), "object_type", nt_rv_col(st, 4),
                                           "object_id", nt_rv_col(st, 5), "before",
                                           before ? before : json_null(), "after",
                                           after ? after : json_null(), "hash", nt_rv_col(st, 8)));
    }
    sqlite3_finalize(st);
    err = nt_rv_rows_end(s, rc, "membaca jejak audit", d);
    if (err) {
        json_decref(a);
        return err;
    }
    *out = a;
    return NT_OK;
}

enum nt_err nt_doc_activate_audited(struct nt_store *s, const struct nt_user *u,
                                    enum nt_store_doc kind, int64_t id, time_t now,
                                    struct nt_diag *d)
{
    bool lexicon = kind == NT_DOC_LEXICON;
    if (u) {
        enum nt_err err =
            nt_user_require(u, NT_ROLE_ANALYST | NT_ROLE_ADMIN,
                            lexicon ? "mengubah leksikon" : "mengubah model sikap", d);
        if (err)
            return err;
    }
    char oid[32];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    enum nt_err err = nt_store_begin(s, d);
    if (!err)
        err = nt_store_doc_set_active(s, kind, id, d);
    if (!err && u)
        err = nt_audit_append(s, u->name, lexicon ? "lexicon.activate" : "model.activate",
                              lexicon ? "lexicon" : "model", oid, NULL,
                              json_pack("{s:I}", "version", (json_int_t)id), now, d);
    if (!err)
        err = nt_store_commit(s, d);
    nt_store_rollback(s);
    return err;
}
