/*
 * db_pg.c - the statement API over PostgreSQL (libpq): a connection made
 * with TLS verification unless the URI says otherwise, statements
 * prepared on the server under names of their own, parameters sent as
 * text (blobs as binary), results read as text and converted by column
 * type, SQLSTATEs turned into the errors a caller acts on.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

/* Type OIDs (pg_type.dat), fixed since PostgreSQL 7. */
#define OID_BOOL   16
#define OID_BYTEA  17
#define OID_INT8   20
#define OID_INT2   21
#define OID_INT4   23
#define OID_OID    26
#define OID_FLOAT4 700
#define OID_FLOAT8 701

/* What a SQLSTATE means to the caller. */
static enum nt_err code_of(const char *state)
{
    static const struct {
        const char *prefix;
        enum nt_err err;
    } map[] = {
        { "23", NT_ECONFLICT },   /* integrity constraint violation */
        { "40001", NT_EBUSY },    /* serialization failure: retry */
        { "40P01", NT_EBUSY },    /* deadlock detected: retry */
        { "55P03", NT_EBUSY },    /* lock not available (NOWAIT) */
        { "57014", NT_ETIMEOUT }, /* statement timeout or cancel */
        { "08", NT_ENET },        /* connection exception */
        { "57P01", NT_ENET },     /* admin shutdown (failover) */
        { "53", NT_EIO },         /* insufficient resources (disk full) */
        { "22", NT_EINPUT },      /* data exception */
    };
    if (!state)
        return NT_ENET; /* no result at all: the connection went away */
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strncmp(state, map[i].prefix, strlen(map[i].prefix)) == 0)
            return map[i].err;
    return NT_EDB;
}

static enum nt_err result_fail(struct nt_db *db, const char *sql, PGresult *r, struct nt_diag *d)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : "";
    if (!msg || !*msg)
        msg = PQerrorMessage(db->h);
    enum nt_err err = code_of(state);
    if (PQstatus(db->h) == CONNECTION_BAD)
        err = NT_ENET;
    return nt_db_fail(db, sql, err, msg, d);
}

/* The target for messages: scheme, host and database, no user or password. */
static void describe(struct nt_db *db, const char *uri)
{
    const char *rest = strstr(uri, "://");
    rest = rest ? rest + 3 : uri;
    const char *at = strchr(rest, '@'), *slash = strchr(rest, '/');
    if (at && (!slash || at < slash))
        rest = at + 1;
    size_t n = strcspn(rest, "?");
    snprintf(db->where, sizeof(db->where), "postgresql://%.*s", (int)(n < 120 ? n : 120), rest);
}

static enum nt_err pg_exec(struct nt_db *db, const char *sql, struct nt_diag *d)
{
    PGresult *r = PQexec(db->h, sql);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    enum nt_err err = NT_OK;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        err = result_fail(db, sql, r, d);
    }
    PQclear(r);
    return err;
}

/* The server's notices (a DROP ... IF EXISTS that found nothing, a
 * ROLLBACK with nothing open) are not the user's concern: errors come back
 * with their statement. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static enum nt_err pg_open(struct nt_db *db, const char *target, struct nt_diag *d)
{
    describe(db, target);
    /* Later keywords override earlier ones, and the URI (dbname, expanded)
     * comes last: its own sslmode wins over the default. A Unix socket
     * ignores sslmode. */
    const char *keys[] = { "sslmode", "client_encoding", "dbname", NULL };
    const char *vals[] = { "verify-full", "UTF8", target, NULL };
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    db->h = c;
    if (!c)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    if (PQstatus(c) != CONNECTION_OK) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", PQerrorMessage(c));
        msg[strcspn(msg, "\n")] = '\0';
        PQfinish(c);
        db->h = NULL;
        return nt_diag_set(d, NT_ENET, "tidak dapat tersambung ke %s: %s", db->where, msg);
    }
    PQsetNoticeProcessor(c, quiet, NULL);
    long timeout = 60;
    const char *env = getenv("NETRA_DB_STATEMENT_TIMEOUT");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end || v < 1 || v > 86400) {
            PQfinish(c);
            db->h = NULL;
            return nt_diag_set(d, NT_EUSAGE,
                               "NETRA_DB_STATEMENT_TIMEOUT \"%.20s\" bukan detik 1..86400", env);
        }
        timeout = v;
    }
    char set[96];
    snprintf(set, sizeof(set), "SET statement_timeout = %ld; SET TIME ZONE 'UTC'", timeout * 1000);
    enum nt_err err = pg_exec(db, set, d);
    if (err) {
        PQfinish(c);
        db->h = NULL;
    }
    return err;
}

static void pg_close(struct nt_db *db)
{
    PQfinish(db->h);
}

static enum nt_err pg_prepare(struct nt_db_stmt *st, struct nt_diag *d)
{
    struct nt_db *db = st->db;
    snprintf(st->name, sizeof(st->name), "nt%lu", ++db->names);
    /* A number the SQL skips (SQLite allows it) is declared text, so that
     * PostgreSQL need not infer a type from nowhere; the others are
     * inferred from where they stand. */
    Oid *types = calloc((size_t)(st->nparams ? st->nparams : 1), sizeof(*types));
    if (!types)
        return nt_db_fail(db, st->sql, NT_ENOMEM, "memori tidak cukup", d);
    for (int i = 1; i <= st->nparams; i++)
        types[i - 1] = st->used && st->used[i] ? 0 : 25 /* text */;
    PGresult *r = PQprepare(db->h, st->name, st->sql, st->nparams, types);
    free(types);
    enum nt_err err = NT_OK;
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        err = result_fail(db, st->sql, r, d);
        st->name[0] = '\0';
    }
    PQclear(r);
    return err;
}

static void pg_reset(struct nt_db_stmt *st)
{
    PQclear(st->h);
    st->h = NULL;
    PQfreemem(st->scratch);
    st->scratch = NULL;
    st->row = -1;
    st->nrows = 0;
}

static enum nt_err pg_step(struct nt_db_stmt *st, bool *row, struct nt_diag *d)
{
    if (!st->started) {
        pg_reset(st);
        int n = st->nparams;
        const char **vals = calloc((size_t)(n ? n : 1), sizeof(*vals));
        int *lens = calloc((size_t)(n ? n : 1), sizeof(*lens));
        int *fmts = calloc((size_t)(n ? n : 1), sizeof(*fmts));
        char(*num)[32] = calloc((size_t)(n ? n : 1), sizeof(*num));
        if (!vals || !lens || !fmts || !num) {
            free(vals);
            free(lens);
            free(fmts);
            free(num);
            return nt_db_fail(st->db, st->sql, NT_ENOMEM, "memori tidak cukup", d);
        }
        for (int i = 0; i < n; i++) {
            const struct nt_db_param *p = &st->params[i];
            switch (p->type) {
            case NT_DB_INT:
                snprintf(num[i], sizeof(num[i]), "%lld", (long long)p->i);
                vals[i] = num[i];
                break;
            case NT_DB_REAL:
                snprintf(num[i], sizeof(num[i]), "%.17g", p->r);
                vals[i] = num[i];
                break;
            case NT_DB_TEXT:
                vals[i] = p->p;
                break;
            case NT_DB_BLOB:
                vals[i] = p->p;
                lens[i] = (int)p->n;
                fmts[i] = 1;
                break;
            default:
                vals[i] = NULL;
            }
        }
        PGresult *r = PQexecPrepared(st->db->h, st->name, n, vals, lens, fmts, 0);
        free(vals);
        free(lens);
        free(fmts);
        free(num);
        ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
            enum nt_err err = result_fail(st->db, st->sql, r, d);
            PQclear(r);
            return err;
        }
        st->h = r;
        st->nrows = s == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        const char *ct = PQcmdTuples(r);
        st->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
        st->row = -1;
    }
    PQfreemem(st->scratch);
    st->scratch = NULL;
    if (st->row + 1 < st->nrows) {
        st->row++;
        *row = true;
    } else {
        st->row = st->nrows;
        *row = false;
    }
    return NT_OK;
}

static void pg_finalize(struct nt_db_stmt *st)
{
    pg_reset(st);
    if (st->name[0] && PQstatus(st->db->h) == CONNECTION_OK) {
        char sql[48];
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
        PQclear(PQexec(st->db->h, sql));
    }
}

static bool has_value(const struct nt_db_stmt *st, int c)
{
    return st->h && st->row >= 0 && st->row < st->nrows && c >= 0 && c < PQnfields(st->h) &&
           !PQgetisnull(st->h, st->row, c);
}

static int pg_columns(const struct nt_db_stmt *st)
{
    return st->h ? PQnfields(st->h) : 0;
}

static enum nt_db_type pg_type(const struct nt_db_stmt *st, int c)
{
    if (!has_value(st, c))
        return NT_DB_NULL;
    switch (PQftype(st->h, c)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
        return NT_DB_INT;
    case OID_FLOAT4:
    case OID_FLOAT8:
        return NT_DB_REAL;
    case OID_BYTEA:
        return NT_DB_BLOB;
    default:
        return NT_DB_TEXT;
    }
}

static int64_t pq_int64_of(const struct nt_db_stmt *st, int c)
{
    if (!has_value(st, c))
        return 0;
    const char *v = PQgetvalue(st->h, st->row, c);
    if (PQftype(st->h, c) == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static double pg_real(const struct nt_db_stmt *st, int c)
{
    return has_value(st, c) ? strtod(PQgetvalue(st->h, st->row, c), NULL) : 0.0;
}

static const char *pg_text(const struct nt_db_stmt *st, int c)
{
    return has_value(st, c) ? PQgetvalue(st->h, st->row, c) : NULL;
}

static const void *pg_blob(struct nt_db_stmt *st, int c, size_t *len)
{
    *len = 0;
    if (!has_value(st, c))
        return NULL;
    const char *v = PQgetvalue(st->h, st->row, c);
    if (PQftype(st->h, c) != OID_BYTEA) {
        *len = (size_t)PQgetlength(st->h, st->row, c);
        return v;
    }
    /* bytea arrives as text ("\x" and hex): decoded once per row and
     * column asked, kept until the next step. */
    PQfreemem(st->scratch);
    st->scratch = PQunescapeBytea((const unsigned char *)v, len);
    return st->scratch;
}

/* A connection is lost once a step found it so, or, when idle, once the
 * server's goodbye (a restart, a failover: it closes its end) is read. */
static bool pg_lost(struct nt_db *db)
{
    PGconn *h = db->h;
    if (PQstatus(h) == CONNECTION_BAD)
        return true;
    if (PQtransactionStatus(h) != PQTRANS_IDLE)
        return false;
    return !PQconsumeInput(h) || PQstatus(h) == CONNECTION_BAD;
}

const struct nt_db_ops nt_db_pg_ops = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .begin_write = "BEGIN",
    .prepare = pg_prepare,
    .step = pg_step,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .columns = pg_columns,
    .type = pg_type,
    .int64 = pq_int64_of,
    .real = pg_real,
    .text = pg_text,
    .blob = pg_blob,
    .lost = pg_lost,
};

/* ---- COPY FROM STDIN (FORMAT binary) ---- */

struct nt_db_copy {
    struct nt_db *db;
    char sql[512];
    unsigned char *buf;
    size_t len, cap;
    int ncols, in_row; /* values given for the row being built */
    bool oom;
};

#define COPY_FLUSH (256u << 10)

static void put(struct nt_db_copy *cp, const void *p, size_t n)
{
    if (cp->oom)
        return;
    if (cp->len + n > cp->cap) {
        size_t cap = cp->cap ? cp->cap : COPY_FLUSH + 4096;
        while (cap < cp->len + n)
            cap *= 2;
        unsigned char *b = realloc(cp->buf, cap);
        if (!b) {
            cp->oom = true;
            return;
        }
        cp->buf = b;
        cp->cap = cap;
    }
    memcpy(cp->buf + cp->len, p, n);
    cp->len += n;
}

static void put_be(struct nt_db_copy *cp, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    put(cp, b, (size_t)bytes);
}

static enum nt_err copy_fail(struct nt_db_copy *cp, PGresult *r, struct nt_diag *d)
{
    return result_fail(cp->db, cp->sql, r, d);
}

enum nt_err nt_db_copy_begin(struct nt_db *db, const char *table, const char *const *cols,
                             int ncols, struct nt_db_copy **out, struct nt_diag *d)
{
    *out = NULL;
    if (db->kind != NT_DB_POSTGRES)
        return nt_diag_set(d, NT_EINTERNAL, "COPY hanya untuk PostgreSQL");
    struct nt_db_copy *cp = calloc(1, sizeof(*cp));
    if (!cp)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    cp->db = db;
    cp->ncols = ncols;
    size_t o = (size_t)snprintf(cp->sql, sizeof(cp->sql), "COPY %s (", table);
    for (int i = 0; i < ncols && o < sizeof(cp->sql); i++)
        o += (size_t)snprintf(cp->sql + o, sizeof(cp->sql) - o, "%s%s", i ? ", " : "", cols[i]);
    if (o < sizeof(cp->sql))
        o += (size_t)snprintf(cp->sql + o, sizeof(cp->sql) - o, ") FROM STDIN (FORMAT binary)");
    if (o >= sizeof(cp->sql)) {
        free(cp);
        return nt_diag_set(d, NT_EINTERNAL, "COPY %s: terlalu banyak kolom", table);
    }
    PGresult *r = PQexec(db->h, cp->sql);
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
        enum nt_err err = copy_fail(cp, r, d);
        PQclear(r);
        free(cp);
        return err;
    }
    PQclear(r);
    /* Signature, flags, header extension length. */
    put(cp, "PGCOPY\n\377\r\n\0", 11);
    put_be(cp, 0, 4);
    put_be(cp, 0, 4);
    *out = cp;
    return NT_OK;
}

static void field_start(struct nt_db_copy *cp)
{
    if (cp->in_row++ == 0)
        put_be(cp, (uint64_t)cp->ncols, 2);
}

void nt_db_copy_int64(struct nt_db_copy *cp, int64_t v)
{
    field_start(cp);
    put_be(cp, 8, 4);
    put_be(cp, (uint64_t)v, 8);
}

void nt_db_copy_double(struct nt_db_copy *cp, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    field_start(cp);
    put_be(cp, 8, 4);
    put_be(cp, u, 8);
}

void nt_db_copy_bytes(struct nt_db_copy *cp, const void *p, size_t n)
{
    field_start(cp);
    if (n > INT32_MAX) {
        cp->oom = true;
        return;
    }
    put_be(cp, n, 4);
    put(cp, p, n);
}

void nt_db_copy_null(struct nt_db_copy *cp)
{
    field_start(cp);
    put_be(cp, 0xffffffffu, 4);
}

static enum nt_err flush(struct nt_db_copy *cp, struct nt_diag *d)
{
    if (cp->oom)
        return nt_db_fail(cp->db, cp->sql, NT_ENOMEM, "memori tidak cukup", d);
    if (cp->len && PQputCopyData(cp->db->h, (const char *)cp->buf, (int)cp->len) != 1)
        return copy_fail(cp, NULL, d);
    cp->len = 0;
    return NT_OK;
}

enum nt_err nt_db_copy_row(struct nt_db_copy *cp, struct nt_diag *d)
{
    if (cp->in_row != cp->ncols)
        return nt_db_fail(cp->db, cp->sql, NT_EINTERNAL,
                          "jumlah nilai baris tidak sama dengan kolom", d);
    cp->in_row = 0;
    return cp->len >= COPY_FLUSH ? flush(cp, d) : NT_OK;
}

enum nt_err nt_db_copy_end(struct nt_db_copy *cp, int64_t *rows, struct nt_diag *d)
{
    *rows = 0;
    put_be(cp, 0xffff, 2); /* trailer */
    enum nt_err err = flush(cp, d);
    /* On a failure the server is told, so that it ends the COPY. */
    if (PQputCopyEnd(cp->db->h, err ? "dibatalkan" : NULL) != 1 && !err)
        err = copy_fail(cp, NULL, d);
    PGresult *r;
    while ((r = PQgetResult(cp->db->h)) != NULL) {
        if (PQresultStatus(r) == PGRES_COMMAND_OK) {
            const char *ct = PQcmdTuples(r);
            *rows = ct && *ct ? strtoll(ct, NULL, 10) : 0;
        } else if (!err) {
            err = copy_fail(cp, r, d);
        }
        PQclear(r);
    }
    free(cp->buf);
    free(cp);
    return err;
}
