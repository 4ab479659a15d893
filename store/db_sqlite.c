/*
 * db_sqlite.c - the statement API over SQLite (an agency's file): the
 * store's connection settings, parameters bound when a statement starts,
 * rows read straight from the sqlite3_stmt.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "store.h"

static enum nt_err code_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return NT_EBUSY;
    case SQLITE_CONSTRAINT:
        return NT_ECONFLICT;
    case SQLITE_NOMEM:
        return NT_ENOMEM;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
        return NT_EIO;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return NT_EINPUT;
    case SQLITE_INTERRUPT:
        return NT_ETIMEOUT;
    default:
        return NT_EDB;
    }
}

static enum nt_err fail(struct nt_db *db, const char *sql, int rc, struct nt_diag *d)
{
    const char *msg = db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);
    if (sql)
        return nt_db_fail(db, sql, code_of(rc), msg, d);
    return nt_diag_set(d, code_of(rc), "basis data %s: %s", db->where, msg);
}

static enum nt_err lite_exec(struct nt_db *db, const char *sql, struct nt_diag *d)
{
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return NT_OK;
    return fail(db, sql, rc, d);
}

static enum nt_err lite_open(struct nt_db *db, const char *target, struct nt_diag *d)
{
    snprintf(db->where, sizeof(db->where), "%s", target);
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(
        target, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    db->h = h;
    if (rc != SQLITE_OK) {
        enum nt_err err = fail(db, NULL, rc, d);
        sqlite3_close(h);
        db->h = NULL;
        return err;
    }
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, NT_STORE_BUSY_TIMEOUT_MS);
    enum nt_err err = lite_exec(db,
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                                "PRAGMA foreign_keys = ON",
                                d);
    if (err) {
        sqlite3_close(h);
        db->h = NULL;
    }
    return err;
}

static void lite_close(struct nt_db *db)
{
    if (!db->borrowed)
        sqlite3_close(db->h);
}

static enum nt_err lite_prepare(struct nt_db_stmt *st, struct nt_diag *d)
{
    sqlite3_stmt *h = NULL;
    int rc = sqlite3_prepare_v3(st->db->h, st->sql, -1, SQLITE_PREPARE_PERSISTENT, &h, NULL);
    if (rc != SQLITE_OK)
        return fail(st->db, st->sql, rc, d);
    st->h = h;
    st->nparams = sqlite3_bind_parameter_count(h);
    return NT_OK;
}

static enum nt_err lite_step(struct nt_db_stmt *st, bool *row, struct nt_diag *d)
{
    sqlite3_stmt *h = st->h;
    if (!st->started) {
        sqlite3_reset(h);
        for (int i = 0; i < st->nparams; i++) {
            const struct nt_db_param *p = &st->params[i];
            int rc = p->type == NT_DB_INT    ? sqlite3_bind_int64(h, i + 1, p->i)
                     : p->type == NT_DB_REAL ? sqlite3_bind_double(h, i + 1, p->r)
                     : p->type == NT_DB_TEXT
                         ? sqlite3_bind_text(h, i + 1, p->p, (int)p->n, SQLITE_STATIC)
                     : p->type == NT_DB_BLOB
                         ? sqlite3_bind_blob(h, i + 1, p->p, (int)p->n, SQLITE_STATIC)
                         : sqlite3_bind_null(h, i + 1);
            if (rc != SQLITE_OK)
                return fail(st->db, st->sql, rc, d);
        }
    }
    int rc = sqlite3_step(h);
    if (rc == SQLITE_ROW) {
        *row = true;
        return NT_OK;
    }
    *row = false;
    if (rc == SQLITE_DONE) {
        st->changes = sqlite3_changes64(st->db->h);
        return NT_OK;
    }
    enum nt_err err = fail(st->db, st->sql, rc, d);
    sqlite3_reset(h);
    return err;
}

static void lite_reset(struct nt_db_stmt *st)
{
    sqlite3_reset(st->h);
}

static void lite_finalize(struct nt_db_stmt *st)
{
    sqlite3_finalize(st->h);
}

static int lite_columns(const struct nt_db_stmt *st)
{
    return sqlite3_column_count(st->h);
}

static enum nt_db_type lite_type(const struct nt_db_stmt *st, int c)
{
    switch (sqlite3_column_type(st->h, c)) {
    case SQLITE_INTEGER:
        return NT_DB_INT;
    case SQLITE_FLOAT:
        return NT_DB_REAL;
    case SQLITE_TEXT:
        return NT_DB_TEXT;
    case SQLITE_BLOB:
        return NT_DB_BLOB;
    default:
        return NT_DB_NULL;
    }
}

static int64_t lite_int64(const struct nt_db_stmt *st, int c)
{
    return sqlite3_column_int64(st->h, c);
}

static double lite_real(const struct nt_db_stmt *st, int c)
{
    return sqlite3_column_double(st->h, c);
}

static const char *lite_text(const struct nt_db_stmt *st, int c)
{
    return (const char *)sqlite3_column_text(st->h, c);
}

static const void *lite_blob(struct nt_db_stmt *st, int c, size_t *len)
{
    const void *p = sqlite3_column_blob(st->h, c);
    *len = (size_t)sqlite3_column_bytes(st->h, c);
    return p;
}

static int64_t lite_last_id(struct nt_db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

const struct nt_db_ops nt_db_sqlite_ops = {
    .name = "sqlite",
    .open = lite_open,
    .close = lite_close,
    .exec = lite_exec,
    .begin_write = "BEGIN IMMEDIATE",
    .prepare = lite_prepare,
    .step = lite_step,
    .reset = lite_reset,
    .finalize = lite_finalize,
    .columns = lite_columns,
    .type = lite_type,
    .int64 = lite_int64,
    .real = lite_real,
    .text = lite_text,
    .blob = lite_blob,
    .last_id = lite_last_id,
};
