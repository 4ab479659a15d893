/*
 * db.c - the statement API's shared half: choosing the backend, keeping
 * bound values until a statement runs, dispatching to the backend's
 * operations, the ?N -> $N rewrite and diagnostics that say which
 * statement failed (see db.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

bool nt_db_is_postgres(const char *target)
{
    return target &&
           (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0);
}

enum nt_err nt_db_open(const char *target, struct nt_db **out, struct nt_diag *d)
{
    *out = NULL;
    struct nt_db *db = calloc(1, sizeof(*db));
    if (!db)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    bool pg = nt_db_is_postgres(target);
    db->ops = pg ? &nt_db_pg_ops : &nt_db_sqlite_ops;
    db->kind = pg ? NT_DB_POSTGRES : NT_DB_SQLITE;
    enum nt_err err = db->ops->open(db, target, d);
    if (err) {
        free(db);
        return err;
    }
    *out = db;
    return NT_OK;
}

enum nt_err nt_db_borrow_sqlite(void *h, const char *where, struct nt_db **out, struct nt_diag *d)
{
    struct nt_db *db = calloc(1, sizeof(*db));
    if (!db)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    db->ops = &nt_db_sqlite_ops;
    db->kind = NT_DB_SQLITE;
    db->h = h;
    db->borrowed = true;
    snprintf(db->where, sizeof(db->where), "%s", where);
    *out = db;
    return NT_OK;
}

void nt_db_close(struct nt_db *db)
{
    if (!db)
        return;
    db->ops->close(db);
    free(db);
}

enum nt_err nt_db_prepare_insert(struct nt_db *db, const char *sql, struct nt_db_stmt **out,
                                 struct nt_diag *d)
{
    if (db->ops->last_id)
        return nt_db_prepare(db, sql, out, d);
    size_t n = strlen(sql);
    char *with = malloc(n + sizeof(" RETURNING id"));
    if (!with)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    memcpy(with, sql, n);
    memcpy(with + n, " RETURNING id", sizeof(" RETURNING id"));
    enum nt_err err = nt_db_prepare(db, with, out, d);
    free(with);
    return err;
}

enum nt_err nt_db_insert(struct nt_db_stmt *st, int64_t *id, struct nt_diag *d)
{
    enum nt_err err = NT_OK;
    *id = 0;
    if (st->db->ops->last_id) {
        err = nt_db_run(st, d);
        if (!err && st->changes > 0)
            *id = st->db->ops->last_id(st->db);
        return err;
    }
    if (nt_db_next(st, &err, d))
        *id = nt_db_int64(st, 0);
    nt_db_reset(st);
    return err;
}

enum nt_err nt_db_prepare_for(struct nt_db *db, const char *sqlite_sql, const char *pg_sql,
                              struct nt_db_stmt **out, struct nt_diag *d)
{
    return nt_db_prepare(db, db->kind == NT_DB_POSTGRES ? pg_sql : sqlite_sql, out, d);
}

const char *nt_db_where(const struct nt_db *db)
{
    return db->where;
}

enum nt_db_kind nt_db_kind(const struct nt_db *db)
{
    return db->kind;
}

enum nt_err nt_db_exec(struct nt_db *db, const char *sql, struct nt_diag *d)
{
    return db->ops->exec(db, sql, d);
}

bool nt_db_lost(struct nt_db *db)
{
    return db->ops->lost && db->ops->lost(db);
}

enum nt_err nt_db_begin(struct nt_db *db, bool write, struct nt_diag *d)
{
    return nt_db_exec(db, write ? db->ops->begin_write : "BEGIN", d);
}

enum nt_err nt_db_commit(struct nt_db *db, struct nt_diag *d)
{
    return nt_db_exec(db, "COMMIT", d);
}

void nt_db_rollback(struct nt_db *db)
{
    struct nt_diag ignored;
    db->ops->exec(db, "ROLLBACK", &ignored);
}

/* Savepoint names are the caller's constants; anything but letters,
 * digits and '_' is refused rather than quoted. */
static enum nt_err savepoint_sql(struct nt_db *db, const char *verb, const char *name,
                                 struct nt_diag *d)
{
    char sql[96];
    size_t n = strlen(name);
    if (n == 0 || n > 48 || strspn(name, "abcdefghijklmnopqrstuvwxyz_0123456789") != n)
        return nt_diag_set(d, NT_EINTERNAL, "nama savepoint tidak sah: %.48s", name);
    snprintf(sql, sizeof(sql), "%s%s", verb, name);
    return nt_db_exec(db, sql, d);
}

enum nt_err nt_db_savepoint(struct nt_db *db, const char *name, struct nt_diag *d)
{
    return savepoint_sql(db, "SAVEPOINT ", name, d);
}

enum nt_err nt_db_release(struct nt_db *db, const char *name, struct nt_diag *d)
{
    return savepoint_sql(db, "RELEASE SAVEPOINT ", name, d);
}

enum nt_err nt_db_rollback_to(struct nt_db *db, const char *name, struct nt_diag *d)
{
    return savepoint_sql(db, "ROLLBACK TO SAVEPOINT ", name, d);
}

/* ---- the ?N rewrite ---- */

char *nt_db_dollar_params(const char *sql, int *nparams)
{
    unsigned char *used = NULL;
    char *out = nt_db_dollar_params_used(sql, nparams, &used);
    free(used);
    return out;
}

char *nt_db_dollar_params_used(const char *sql, int *nparams, unsigned char **used)
{
    size_t n = strlen(sql);
    /* "?" becomes "$" and digits may be added to a bare "?": at most five
     * more bytes per "?". */
    size_t q = 0;
    for (const char *c = sql; *c; c++)
        q += *c == '?';
    char *out = malloc(n + 5 * q + 1), *o = out;
    unsigned char *mark = calloc(q + 1 > 32767 ? 32767 : q + 1, 1); /* by number, below */
    size_t marks = q + 1 > 32767 ? 32767 : q + 1;
    *used = NULL;
    if (!out || !mark) {
        free(out);
        free(mark);
        return NULL;
    }
    int high = 0;
    for (const char *c = sql; *c;) {
        if (*c == '\'' || *c == '"') {
            /* quoted text or name: to the closing quote (doubled quotes
             * inside are two quoted runs back to back) */
            char end = *c;
            *o++ = *c++;
            while (*c && *c != end)
                *o++ = *c++;
            if (*c)
                *o++ = *c++;
        } else if (c[0] == '-' && c[1] == '-') {
            while (*c && *c != '\n')
                *o++ = *c++;
        } else if (c[0] == '/' && c[1] == '*') {
            const char *e = strstr(c + 2, "*/");
            size_t len = e ? (size_t)(e + 2 - c) : strlen(c);
            memcpy(o, c, len);
            o += len;
            c += len;
        } else if (*c == '?') {
            c++;
            long v = 0;
            if (*c >= '0' && *c <= '9') {
                while (*c >= '0' && *c <= '9' && v <= 32766)
                    v = v * 10 + (*c++ - '0');
            } else {
                v = high + 1;
            }
            if (v < 1 || v > 32766) {
                free(out);
                free(mark);
                return NULL;
            }
            if ((size_t)v >= marks) { /* numbers past the count of ?s: grow the marks */
                unsigned char *m = realloc(mark, (size_t)v + 1);
                if (!m) {
                    free(out);
                    free(mark);
                    return NULL;
                }
                memset(m + marks, 0, (size_t)v + 1 - marks);
                mark = m;
                marks = (size_t)v + 1;
            }
            mark[v] = 1;
            if (v > high)
                high = (int)v;
            o += snprintf(o, 7, "$%ld", v);
        } else {
            *o++ = *c++;
        }
    }
    *o = '\0';
    *nparams = high;
    *used = mark;
    return out;
}

/* ---- statements ---- */

enum nt_err nt_db_fail(const struct nt_db *db, const char *sql, enum nt_err err, const char *msg,
                       struct nt_diag *d)
{
    /* The statement's first words, on one line. */
    char head[72];
    size_t k = 0;
    for (const char *c = sql ? sql : ""; *c && k < sizeof(head) - 4; c++)
        if (!(k && head[k - 1] == ' ' && (*c == ' ' || *c == '\n' || *c == '\t')))
            head[k++] = *c == '\n' || *c == '\t' ? ' ' : *c;
    head[k] = '\0';
    if (sql && strlen(sql) > k)
        memcpy(head + k, "...", 4);
    size_t ml = strlen(msg);
    while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
        ml--;
    return nt_diag_set(d, err, "basis data %s: %.*s (pernyataan: %s)", db->where, (int)ml, msg,
                       head);
}

enum nt_err nt_db_prepare(struct nt_db *db, const char *sql, struct nt_db_stmt **out,
                          struct nt_diag *d)
{
    *out = NULL;
    struct nt_db_stmt *st = calloc(1, sizeof(*st));
    if (!st)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    st->db = db;
    st->row = -1;
    st->sql = db->kind == NT_DB_POSTGRES ? nt_db_dollar_params_used(sql, &st->nparams, &st->used)
                                         : strdup(sql);
    if (!st->sql) {
        free(st);
        return db->kind == NT_DB_POSTGRES
                   ? nt_diag_set(d, NT_EINTERNAL, "parameter pernyataan tidak sah: %.60s", sql)
                   : nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    enum nt_err err = db->ops->prepare(st, d);
    if (!err && st->nparams > 0 && !(st->params = calloc((size_t)st->nparams, sizeof(*st->params))))
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    if (err) {
        nt_db_finalize(st);
        return err;
    }
    *out = st;
    return NT_OK;
}

/* Back to NULL; the buffer stays for the next value (a statement run a
 * million times allocates once per parameter, not once per run). */
static void param_clear(struct nt_db_param *p)
{
    p->type = NT_DB_NULL;
    p->n = 0;
}

void nt_db_finalize(struct nt_db_stmt *st)
{
    if (!st)
        return;
    st->db->ops->finalize(st);
    for (int i = 0; i < st->nparams && st->params; i++)
        free(st->params[i].p);
    free(st->params);
    free(st->used);
    free(st->sql);
    free(st);
}

void nt_db_reset(struct nt_db_stmt *st)
{
    st->db->ops->reset(st);
    st->started = false;
}

/* The slot of parameter i, the statement reset if it had run. */
static struct nt_db_param *slot(struct nt_db_stmt *st, int i)
{
    if (st->started)
        nt_db_reset(st);
    if (i < 1 || i > st->nparams) {
        st->bind_err = NT_EINPUT;
        return NULL;
    }
    param_clear(&st->params[i - 1]);
    return &st->params[i - 1];
}

void nt_db_bind_int64(struct nt_db_stmt *st, int i, int64_t v)
{
    struct nt_db_param *p = slot(st, i);
    if (p) {
        p->type = NT_DB_INT;
        p->i = v;
    }
}

void nt_db_bind_double(struct nt_db_stmt *st, int i, double v)
{
    struct nt_db_param *p = slot(st, i);
    if (p) {
        p->type = NT_DB_REAL;
        p->r = v;
    }
}

static void bind_bytes(struct nt_db_stmt *st, int i, enum nt_db_type t, const void *v, size_t n)
{
    struct nt_db_param *p = slot(st, i);
    if (!p)
        return;
    if (!v)
        return; /* NULL */
    if (p->cap < n + 1) {
        char *b = realloc(p->p, n + 1);
        if (!b) {
            st->bind_err = NT_ENOMEM;
            return;
        }
        p->p = b;
        p->cap = n + 1;
    }
    if (n)
        memcpy(p->p, v, n);
    p->p[n] = '\0';
    p->n = n;
    p->type = t;
}

void nt_db_bind_text(struct nt_db_stmt *st, int i, const char *v)
{
    bind_bytes(st, i, NT_DB_TEXT, v, v ? strlen(v) : 0);
}

void nt_db_bind_text_n(struct nt_db_stmt *st, int i, const char *v, size_t n)
{
    bind_bytes(st, i, NT_DB_TEXT, v, n);
}

void nt_db_bind_blob(struct nt_db_stmt *st, int i, const void *v, size_t n)
{
    bind_bytes(st, i, NT_DB_BLOB, v ? v : "", n);
}

void nt_db_bind_null(struct nt_db_stmt *st, int i)
{
    slot(st, i);
}

bool nt_db_next(struct nt_db_stmt *st, enum nt_err *err, struct nt_diag *d)
{
    if (st->bind_err) {
        *err = nt_db_fail(st->db, st->sql, st->bind_err,
                          st->bind_err == NT_ENOMEM ? "memori tidak cukup"
                                                    : "nomor parameter di luar pernyataan",
                          d);
        return false;
    }
    bool row = false;
    *err = st->db->ops->step(st, &row, d);
    st->started = true;
    return !*err && row;
}

enum nt_err nt_db_run(struct nt_db_stmt *st, struct nt_diag *d)
{
    enum nt_err err = NT_OK;
    while (nt_db_next(st, &err, d))
        ;
    return err;
}

int64_t nt_db_changes(const struct nt_db_stmt *st)
{
    return st->changes;
}

int nt_db_columns(const struct nt_db_stmt *st)
{
    return st->db->ops->columns(st);
}

enum nt_db_type nt_db_type(const struct nt_db_stmt *st, int c)
{
    return st->db->ops->type(st, c);
}

int64_t nt_db_int64(const struct nt_db_stmt *st, int c)
{
    return st->db->ops->int64(st, c);
}

double nt_db_double(const struct nt_db_stmt *st, int c)
{
    return st->db->ops->real(st, c);
}

const char *nt_db_text(const struct nt_db_stmt *st, int c)
{
    return st->db->ops->text(st, c);
}

const void *nt_db_blob(struct nt_db_stmt *st, int c, size_t *len)
{
    return st->db->ops->blob(st, c, len);
}
