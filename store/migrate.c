/*
 * migrate.c - an agency's SQLite file moved into PostgreSQL, resumable and
 * verified (see migrate.h). Both ends are read and written through the
 * statement API (db.h); the PostgreSQL schema is derived from the file's
 * catalogue (PRAGMA table_xinfo, index_list, foreign_key_list) and its
 * CHECK clauses, so the two engines hold one schema.
 */
#define _GNU_SOURCE /* strcasestr, realpath */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "migrate.h"
#include "schema.h"
#include "store.h"

#define NAME_MAX_LEN 63

struct col {
    char name[NAME_MAX_LEN + 1];
    const char *pgtype;
    bool notnull;
    char *dflt;
    int pk;
};

struct table {
    char name[NAME_MAX_LEN + 1];
    char *sql;
    bool rowid; /* a rowid table: copied in rowid order, by batches */
    int id_col; /* the INTEGER PRIMARY KEY (the rowid), or -1 */
    struct col *cols;
    int ncols;
};

struct move {
    struct nt_db *src, *dst;
    struct table *t;
    size_t nt;
    size_t batch;
    nt_migrate_progress progress;
    void *arg;
};

static bool plain_name(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= NAME_MAX_LEN && strspn(s, "abcdefghijklmnopqrstuvwxyz_0123456789") == n;
}

static void tables_free(struct table *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].sql);
        for (int c = 0; c < t[i].ncols; c++)
            free(t[i].cols[c].dflt);
        free(t[i].cols);
    }
    free(t);
}

static const char *pg_type_of(const char *sqlite_type)
{
    static const struct {
        const char *from, *to;
    } map[] = {
        { "INTEGER", "BIGINT" }, { "INT", "BIGINT" }, { "REAL", "DOUBLE PRECISION" },
        { "TEXT", "TEXT" },      { "BLOB", "BYTEA" },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcasecmp(sqlite_type, map[i].from) == 0)
            return map[i].to;
    return NULL;
}

/* The columns of t, from the source's catalogue. */
static enum nt_err read_columns(struct move *m, struct table *t, struct nt_diag *d)
{
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(m->src,
                                    "SELECT name, type, \"notnull\", dflt_value, pk FROM "
                                    "pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid",
                                    &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, t->name);
    size_t cap = 0;
    int npk = 0;
    t->id_col = -1;
    while (nt_db_next(st, &err, d)) {
        if (nt_grow(&t->cols, &cap, (size_t)t->ncols, sizeof(*t->cols), 16) != NT_OK) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            break;
        }
        struct col *c = &t->cols[t->ncols];
        memset(c, 0, sizeof(*c));
        const char *name = nt_db_text(st, 0), *type = nt_db_text(st, 1);
        if (!name || !plain_name(name)) {
            err =
                nt_diag_set(d, NT_EINPUT, "tabel %s: nama kolom \"%.40s\" tidak dapat dipindahkan",
                            t->name, name ? name : "");
            break;
        }
        snprintf(c->name, sizeof(c->name), "%s", name);
        c->pgtype = pg_type_of(type ? type : "");
        if (!c->pgtype) {
            err = nt_diag_set(d, NT_EINPUT, "tabel %s kolom %s: tipe \"%.20s\" tidak dikenal",
                              t->name, name, type ? type : "");
            break;
        }
        c->notnull = nt_db_int64(st, 2) != 0;
        const char *dflt = nt_db_text(st, 3);
        if (dflt && !(c->dflt = strdup(dflt))) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            break;
        }
        c->pk = (int)nt_db_int64(st, 4);
        npk += c->pk > 0;
        t->ncols++;
    }
    nt_db_finalize(st);
    if (!err && t->rowid && npk == 1)
        for (int i = 0; i < t->ncols; i++)
            if (t->cols[i].pk && strcmp(t->cols[i].pgtype, "BIGINT") == 0)
                t->id_col = i;
    return err;
}

/* The tables to move: every table but SQLite's own, the full-text
 * indexes (virtual tables and their shadow tables) and the statistics
 * cache. */
static enum nt_err read_tables(struct move *m, struct nt_diag *d)
{
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(
        m->src,
        "SELECT t.name, t.sql FROM sqlite_schema t WHERE t.type = 'table' "
        "AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND t.sql NOT LIKE 'CREATE VIRTUAL%' "
        "AND t.name != 'stats_cache' AND NOT EXISTS (SELECT 1 FROM sqlite_schema v WHERE "
        "v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL%' AND t.name LIKE v.name || '\\_%' "
        "ESCAPE '\\') ORDER BY t.rowid",
        &st, d);
    if (err)
        return err;
    size_t cap = 0;
    while (nt_db_next(st, &err, d)) {
        if (nt_grow(&m->t, &cap, m->nt, sizeof(*m->t), 64) != NT_OK) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            break;
        }
        struct table *t = &m->t[m->nt];
        memset(t, 0, sizeof(*t));
        const char *name = nt_db_text(st, 0), *sql = nt_db_text(st, 1);
        if (!name || !plain_name(name) || !sql) {
            err = nt_diag_set(d, NT_EINPUT, "nama tabel \"%.40s\" tidak dapat dipindahkan",
                              name ? name : "");
            break;
        }
        snprintf(t->name, sizeof(t->name), "%s", name);
        if (!(t->sql = strdup(sql))) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            break;
        }
        t->rowid = !strcasestr(sql, "WITHOUT ROWID");
        m->nt++;
    }
    nt_db_finalize(st);
    for (size_t i = 0; !err && i < m->nt; i++)
        err = read_columns(m, &m->t[i], d);
    return err;
}

/* The CHECK clauses of a CREATE TABLE, in PostgreSQL's words: SQLite's
 * GLOB for "digits only" becomes a regular expression; any other GLOB
 * would be refused by PostgreSQL when the table is made. */
static void append_checks(struct nt_buf *b, const char *sql)
{
    for (const char *p = sql; (p = strcasestr(p, "CHECK")) != NULL;) {
        const char *q = p + 5;
        bool word = (p == sql || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                   (p[-1] >= 'A' && p[-1] <= 'Z')));
        while (*q == ' ' || *q == '\n')
            q++;
        if (!word || *q != '(') {
            p += 5;
            continue;
        }
        /* The balanced parentheses, quoted text skipped. */
        const char *e = q;
        int depth = 0;
        for (; *e; e++) {
            if (*e == '\'') {
                for (e++; *e && *e != '\''; e++)
                    ;
                if (!*e)
                    break;
            } else if (*e == '(') {
                depth++;
            } else if (*e == ')' && --depth == 0) {
                break;
            }
        }
        if (!*e)
            return;
        struct nt_buf body;
        nt_buf_init(&body, 1 << 16);
        nt_buf_append(&body, q, (size_t)(e - q + 1));
        const char *glob = " NOT GLOB '*[^0-9]*'";
        const char *text = nt_buf_str(&body), *g = text ? strstr(text, glob) : NULL;
        nt_buf_append_str(b, ", CHECK ");
        if (g) {
            nt_buf_append(b, text, (size_t)(g - text));
            nt_buf_append_str(b, " !~ '[^0-9]'");
            nt_buf_append_str(b, g + strlen(glob));
        } else if (text) {
            nt_buf_append_str(b, text);
        }
        nt_buf_release(&body);
        p = e + 1;
    }
}

/* CREATE TABLE for PostgreSQL: columns, key, uniqueness, CHECKs. Foreign
 * keys come after the rows (finish()). */
static enum nt_err create_sql(struct move *m, const struct table *t, struct nt_buf *b,
                              struct nt_diag *d)
{
    nt_buf_appendf(b, "CREATE TABLE IF NOT EXISTS %s (", t->name);
    bool pk_nullable = false;
    int npk = 0;
    for (int i = 0; i < t->ncols; i++) {
        const struct col *c = &t->cols[i];
        nt_buf_appendf(b, "%s%s %s", i ? ", " : "", c->name, c->pgtype);
        if (i == t->id_col)
            nt_buf_append_str(b, " GENERATED BY DEFAULT AS IDENTITY");
        if (c->notnull)
            nt_buf_append_str(b, " NOT NULL");
        if (c->dflt)
            nt_buf_appendf(b, " DEFAULT %s", c->dflt);
        npk += c->pk > 0;
        /* A rowid table lets a key column hold NULL; a WITHOUT ROWID one
         * does not. */
        pk_nullable |= c->pk > 0 && !c->notnull && t->rowid && i != t->id_col;
    }
    if (npk) {
        nt_buf_append_str(b, pk_nullable ? ", UNIQUE NULLS NOT DISTINCT (" : ", PRIMARY KEY (");
        for (int k = 1, first = 1; k <= npk; k++)
            for (int i = 0; i < t->ncols; i++)
                if (t->cols[i].pk == k) {
                    nt_buf_appendf(b, "%s%s", first ? "" : ", ", t->cols[i].name);
                    first = 0;
                }
        nt_buf_append_str(b, ")");
    }
    /* UNIQUE constraints (SQLite's automatic indexes of origin 'u'). */
    struct nt_db_stmt *ix, *cols;
    enum nt_err err = nt_db_prepare(
        m->src, "SELECT name FROM pragma_index_list(?1) WHERE origin = 'u' ORDER BY name", &ix, d);
    if (!err)
        err = nt_db_prepare(m->src, "SELECT name FROM pragma_index_info(?1) ORDER BY seqno", &cols,
                            d);
    if (err) {
        nt_db_finalize(ix);
        return err;
    }
    nt_db_bind_text(ix, 1, t->name);
    while (nt_db_next(ix, &err, d)) {
        nt_db_bind_text(cols, 1, nt_db_text(ix, 0));
        nt_buf_append_str(b, ", UNIQUE (");
        for (int k = 0; nt_db_next(cols, &err, d); k++)
            nt_buf_appendf(b, "%s%s", k ? ", " : "", nt_db_text(cols, 0));
        nt_buf_append_str(b, ")");
        nt_db_reset(cols);
    }
    nt_db_finalize(cols);
    nt_db_finalize(ix);
    append_checks(b, t->sql);
    nt_buf_append_str(b, ")");
    return err;
}

/* ---- the target's state ---- */

static enum nt_err one_int(struct nt_db *db, const char *sql, const char *arg, int64_t *out,
                           struct nt_diag *d)
{
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(db, sql, &st, d);
    if (err)
        return err;
    if (arg)
        nt_db_bind_text(st, 1, arg);
    *out = nt_db_next(st, &err, d) ? nt_db_int64(st, 0) : 0;
    nt_db_finalize(st);
    return err;
}

/* The bookkeeping tables and the schema, once; the same file again to
 * resume, never another one or a database with other tables. */
static enum nt_err prepare_target(struct move *m, const char *source, struct nt_diag *d)
{
    int64_t has = 0, tables = 0;
    enum nt_err err =
        one_int(m->dst, "SELECT to_regclass('netra_migrate') IS NOT NULL", NULL, &has, d);
    if (!err && !has)
        err = one_int(m->dst, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
                      NULL, &tables, d);
    if (err)
        return err;
    if (!has && tables)
        return nt_diag_set(d, NT_ECONFLICT,
                           "basis data tujuan sudah berisi %lld tabel: pindahkan hanya ke "
                           "basis data PostgreSQL yang kosong",
                           (long long)tables);
    if (has) {
        struct nt_db_stmt *st;
        err = nt_db_prepare(m->dst, "SELECT source FROM netra_migrate_source", &st, d);
        if (err)
            return err;
        if (nt_db_next(st, &err, d) && strcmp(nt_db_text(st, 0), source) != 0)
            err = nt_diag_set(d, NT_ECONFLICT,
                              "basis data tujuan berisi salinan dari %s, bukan dari %s",
                              nt_db_text(st, 0), source);
        nt_db_finalize(st);
        if (err)
            return err;
    }
    err = nt_db_begin(m->dst, true, d);
    if (!err)
        err = nt_db_exec(m->dst,
                         "CREATE TABLE IF NOT EXISTS netra_migrate_source (one INT PRIMARY KEY "
                         "CHECK (one = 1), source TEXT NOT NULL, schema_version INT NOT NULL, "
                         "started_at TIMESTAMPTZ NOT NULL DEFAULT now(), finished_at "
                         "TIMESTAMPTZ);"
                         "CREATE TABLE IF NOT EXISTS netra_migrate (tbl TEXT PRIMARY KEY, "
                         "last_rowid BIGINT NOT NULL DEFAULT 0, rows BIGINT NOT NULL DEFAULT "
                         "0, done BOOLEAN NOT NULL DEFAULT false)",
                         d);
    struct nt_db_stmt *st = NULL;
    if (!err)
        err = nt_db_prepare(m->dst,
                            "INSERT INTO netra_migrate_source(one, source, schema_version) "
                            "VALUES (1, ?1, ?2) ON CONFLICT (one) DO NOTHING",
                            &st, d);
    if (!err) {
        nt_db_bind_text(st, 1, source);
        nt_db_bind_int64(st, 2, NT_STORE_SCHEMA_VERSION);
        err = nt_db_run(st, d);
    }
    nt_db_finalize(st);
    st = NULL;
    if (!err)
        err = nt_db_prepare(
            m->dst, "INSERT INTO netra_migrate(tbl) VALUES (?1) ON CONFLICT DO NOTHING", &st, d);
    for (size_t i = 0; !err && i < m->nt; i++) {
        struct nt_buf b;
        nt_buf_init(&b, 1 << 20);
        err = create_sql(m, &m->t[i], &b, d);
        if (!err)
            err = nt_db_exec(m->dst, nt_buf_str(&b), d);
        nt_buf_release(&b);
        if (!err) {
            nt_db_bind_text(st, 1, m->t[i].name);
            err = nt_db_run(st, d);
        }
    }
    nt_db_finalize(st);
    if (!err)
        return nt_db_commit(m->dst, d);
    nt_db_rollback(m->dst);
    return err;
}

/* ---- copying ---- */

/* One value into the COPY, as the target column's type: the file's
 * types are its declared ones (STRICT tables; the affinity of the others
 * converts), so anything else is refused rather than guessed. */
static enum nt_err copy_value(struct nt_db_copy *cp, const struct table *t, int c,
                              struct nt_db_stmt *rd, int at, struct nt_diag *d)
{
    enum nt_db_type ty = nt_db_type(rd, at);
    const char *pg = t->cols[c].pgtype;
    size_t n;
    if (ty == NT_DB_NULL) {
        nt_db_copy_null(cp);
    } else if (strcmp(pg, "BIGINT") == 0 && ty == NT_DB_INT) {
        nt_db_copy_int64(cp, nt_db_int64(rd, at));
    } else if (strcmp(pg, "DOUBLE PRECISION") == 0 && (ty == NT_DB_REAL || ty == NT_DB_INT)) {
        nt_db_copy_double(cp, nt_db_double(rd, at));
    } else if ((strcmp(pg, "TEXT") == 0 && ty == NT_DB_TEXT) ||
               (strcmp(pg, "BYTEA") == 0 && ty == NT_DB_TEXT)) {
        const char *v = nt_db_text(rd, at);
        nt_db_copy_bytes(cp, v, strlen(v));
    } else if (strcmp(pg, "BYTEA") == 0 && ty == NT_DB_BLOB) {
        const void *v = nt_db_blob(rd, at, &n);
        nt_db_copy_bytes(cp, v, n);
    } else {
        return nt_diag_set(d, NT_EINPUT,
                           "tabel %s kolom %s: nilai bertipe %d tidak dapat disalin sebagai %s",
                           t->name, t->cols[c].name, (int)ty, pg);
    }
    return NT_OK;
}

static void column_list(struct nt_buf *b, const struct table *t)
{
    for (int i = 0; i < t->ncols; i++)
        nt_buf_appendf(b, "%s%s", i ? ", " : "", t->cols[i].name);
}

/* One table, batch by batch (COPY): each batch and its progress in one
 * transaction of the target. */
static enum nt_err copy_table(struct move *m, const struct table *t, struct nt_diag *d)
{
    struct nt_db_stmt *prog = NULL, *rd = NULL, *upd = NULL;
    int64_t last = 0, rows = 0, done = 0, total = 0;
    enum nt_err err = nt_db_prepare(
        m->dst, "SELECT last_rowid, rows, done::int FROM netra_migrate WHERE tbl = ?1", &prog, d);
    if (!err) {
        nt_db_bind_text(prog, 1, t->name);
        if (nt_db_next(prog, &err, d)) {
            last = nt_db_int64(prog, 0);
            rows = nt_db_int64(prog, 1);
            done = nt_db_int64(prog, 2);
        }
    }
    nt_db_finalize(prog);
    if (err || done)
        return err;
    struct nt_buf q;
    nt_buf_init(&q, 1 << 16);
    nt_buf_appendf(&q, "SELECT count(*) FROM %s", t->name);
    err = one_int(m->src, nt_buf_str(&q), NULL, &total, d);
    nt_buf_reset(&q);
    nt_buf_appendf(&q, "SELECT %s", t->rowid ? "rowid, " : "");
    column_list(&q, t);
    nt_buf_appendf(&q, " FROM %s%s", t->name,
                   t->rowid ? " WHERE rowid > ?1 ORDER BY rowid LIMIT ?2" : "");
    if (!err)
        err = nt_db_prepare(m->src, nt_buf_str(&q), &rd, d);
    nt_buf_release(&q);
    if (!err)
        err = nt_db_prepare(m->dst,
                            "UPDATE netra_migrate SET last_rowid = ?2, rows = ?3, done = (?4 = 1) "
                            "WHERE tbl = ?1",
                            &upd, d);
    const char *cols[256];
    if (t->ncols > 256)
        err = nt_diag_set(d, NT_EINPUT, "tabel %s: terlalu banyak kolom", t->name);
    for (int i = 0; i < t->ncols && i < 256; i++)
        cols[i] = t->cols[i].name;
    int off = t->rowid ? 1 : 0;
    while (!err) {
        err = nt_db_begin(m->dst, true, d);
        if (err)
            break;
        struct nt_db_copy *cp = NULL;
        err = nt_db_copy_begin(m->dst, t->name, cols, t->ncols, &cp, d);
        if (t->rowid) {
            nt_db_bind_int64(rd, 1, last);
            nt_db_bind_int64(rd, 2, (int64_t)m->batch);
        }
        int64_t n = 0, taken = 0;
        while (!err && nt_db_next(rd, &err, d)) {
            for (int i = 0; !err && i < t->ncols; i++)
                err = copy_value(cp, t, i, rd, i + off, d);
            if (!err)
                err = nt_db_copy_row(cp, d);
            if (t->rowid)
                last = nt_db_int64(rd, 0);
            n++;
        }
        nt_db_reset(rd);
        if (cp) {
            /* Ended even after a failure: the connection leaves COPY. */
            struct nt_diag ignored;
            enum nt_err e = nt_db_copy_end(cp, &taken, err ? &ignored : d);
            if (!err)
                err = e;
        }
        if (!err && taken != n)
            err = nt_diag_set(d, NT_EDB, "tabel %s: PostgreSQL menerima %lld dari %lld baris",
                              t->name, (long long)taken, (long long)n);
        rows += n;
        bool finished = !t->rowid || n < (int64_t)m->batch;
        if (!err) {
            nt_db_bind_text(upd, 1, t->name);
            nt_db_bind_int64(upd, 2, last);
            nt_db_bind_int64(upd, 3, rows);
            nt_db_bind_int64(upd, 4, finished);
            err = nt_db_run(upd, d);
        }
        if (!err)
            err = nt_db_commit(m->dst, d);
        if (err) {
            nt_db_rollback(m->dst);
            break;
        }
        if (m->progress)
            m->progress(m->arg, t->name, rows, total);
        if (finished)
            break;
    }
    nt_db_finalize(upd);
    nt_db_finalize(rd);
    return err;
}

/* ---- after the rows ---- */

/* Identity counters past the copied ids, the indexes, the foreign keys:
 * each step safe to repeat. */
static enum nt_err finish(struct move *m, const bool *made, struct nt_diag *d)
{
    enum nt_err err = NT_OK;
    struct nt_buf q;
    nt_buf_init(&q, 1 << 16);
    /* Identity counters past the copied ids (an upgrade: of the tables it
     * made only; the others' counters are live). */
    for (size_t i = 0; !err && i < m->nt; i++) {
        const struct table *t = &m->t[i];
        if (t->id_col < 0 || (made && !made[i]))
            continue;
        nt_buf_reset(&q);
        nt_buf_appendf(&q,
                       "SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE((SELECT "
                       "max(%s) FROM %s), 0) + 1, false)",
                       t->name, t->cols[t->id_col].name, t->cols[t->id_col].name, t->name);
        err = nt_db_exec(m->dst, nt_buf_str(&q), d);
    }
    /* Indexes: SQLite's own text, which PostgreSQL reads the same. */
    struct nt_db_stmt *ix = NULL;
    if (!err)
        err = nt_db_prepare(m->src,
                            "SELECT tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND "
                            "sql IS NOT NULL ORDER BY rowid",
                            &ix, d);
    while (!err && nt_db_next(ix, &err, d)) {
        const char *tbl = nt_db_text(ix, 0), *sql = nt_db_text(ix, 1);
        bool moved = false;
        for (size_t i = 0; i < m->nt && !moved; i++)
            moved = strcmp(m->t[i].name, tbl) == 0;
        const char *on = strstr(sql, "INDEX ");
        if (!moved || !on)
            continue;
        nt_buf_reset(&q);
        nt_buf_append(&q, sql, (size_t)(on + 6 - sql));
        nt_buf_append_str(&q, "IF NOT EXISTS ");
        nt_buf_append_str(&q, on + 6);
        err = nt_db_exec(m->dst, nt_buf_str(&q), d);
    }
    nt_db_finalize(ix);
    /* Foreign keys, one constraint per SQLite key, named after it. */
    struct nt_db_stmt *fk = NULL, *exists = NULL;
    if (!err)
        err = nt_db_prepare(m->src,
                            "SELECT id, \"table\", \"from\", \"to\", on_delete FROM "
                            "pragma_foreign_key_list(?1) ORDER BY id, seq",
                            &fk, d);
    if (!err)
        err = nt_db_prepare(m->dst, "SELECT count(*) FROM pg_constraint WHERE conname = ?1",
                            &exists, d);
    for (size_t i = 0; !err && i < m->nt; i++) {
        nt_db_bind_text(fk, 1, m->t[i].name);
        struct nt_buf from, to;
        nt_buf_init(&from, 1 << 12);
        nt_buf_init(&to, 1 << 12);
        int64_t id = -1;
        char parent[NAME_MAX_LEN + 1] = "", action[32] = "";
        bool more = nt_db_next(fk, &err, d), all_to = true;
        for (;;) {
            if (id >= 0 && (!more || nt_db_int64(fk, 0) != id)) {
                /* One key read: add it unless it is there. */
                char name[NAME_MAX_LEN + 1];
                snprintf(name, sizeof(name), "%.40s_fk%lld", m->t[i].name, (long long)id);
                nt_db_bind_text(exists, 1, name);
                int64_t n = nt_db_next(exists, &err, d) ? nt_db_int64(exists, 0) : 0;
                nt_db_reset(exists);
                if (!err && !n) {
                    nt_buf_reset(&q);
                    nt_buf_appendf(&q,
                                   "ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) "
                                   "REFERENCES %s",
                                   m->t[i].name, name, nt_buf_str(&from), parent);
                    if (all_to)
                        nt_buf_appendf(&q, " (%s)", nt_buf_str(&to));
                    if (strcmp(action, "NO ACTION") != 0)
                        nt_buf_appendf(&q, " ON DELETE %s", action);
                    err = nt_db_exec(m->dst, nt_buf_str(&q), d);
                }
                nt_buf_reset(&from);
                nt_buf_reset(&to);
                all_to = true;
            }
            if (!more || err)
                break;
            const char *p = nt_db_text(fk, 1), *f = nt_db_text(fk, 2), *t = nt_db_text(fk, 3),
                       *od = nt_db_text(fk, 4);
            if (!p || !plain_name(p) || !f || !plain_name(f) || (t && !plain_name(t))) {
                err = nt_diag_set(d, NT_EINPUT, "tabel %s: kunci asing tidak dapat dipindahkan",
                                  m->t[i].name);
                break;
            }
            id = nt_db_int64(fk, 0);
            snprintf(parent, sizeof(parent), "%s", p);
            snprintf(action, sizeof(action), "%s", od ? od : "NO ACTION");
            nt_buf_appendf(&from, "%s%s", from.len ? ", " : "", f);
            if (t)
                nt_buf_appendf(&to, "%s%s", to.len ? ", " : "", t);
            else
                all_to = false;
            more = nt_db_next(fk, &err, d);
        }
        nt_db_reset(fk);
        nt_buf_release(&from);
        nt_buf_release(&to);
    }
    nt_db_finalize(exists);
    nt_db_finalize(fk);
    nt_buf_release(&q);
    return err;
}

/* The views and triggers SQLite's schema has and the catalogue does not
 * carry (schema_pg.c), in one transaction, and their version. */
static enum nt_err companion_apply(struct nt_db *db, struct nt_diag *d)
{
    enum nt_err err = nt_db_begin(db, true, d);
    for (int i = 0; !err && nt_store_pg_companion(i); i++)
        err = nt_db_exec(db, nt_store_pg_companion(i), d);
    if (!err)
        err = nt_db_exec(db,
                         "ALTER TABLE netra_migrate_source ADD COLUMN IF NOT EXISTS companion INT "
                         "NOT NULL DEFAULT 0",
                         d);
    struct nt_db_stmt *st = NULL;
    if (!err)
        err = nt_db_prepare(db, "UPDATE netra_migrate_source SET companion = ?1", &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, NT_STORE_PG_COMPANION);
        err = nt_db_run(st, d);
    }
    nt_db_finalize(st);
    if (!err)
        err = nt_db_commit(db, d);
    nt_db_rollback(db);
    return err;
}

/* ---- verification ---- */

struct digest {
    int64_t rows;
    uint64_t sum[2]; /* the rows' SHA-256 (first 16 bytes) added up, mod 2^128 */
};

/* Add one row: each value typed, so 1 and '1' and 1.0 differ. */
static void digest_row(struct digest *g, struct nt_db_stmt *st, int ncols)
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    for (int c = 0; c < ncols; c++) {
        enum nt_db_type t = nt_db_type(st, c);
        unsigned char tag = (unsigned char)t, num[8];
        crypto_hash_sha256_update(&h, &tag, 1);
        if (t == NT_DB_INT || t == NT_DB_REAL) {
            int64_t i = nt_db_int64(st, c);
            double r = nt_db_double(st, c);
            if (t == NT_DB_INT)
                memcpy(num, &i, 8);
            else
                memcpy(num, &r, 8);
            crypto_hash_sha256_update(&h, num, 8);
        } else if (t == NT_DB_TEXT || t == NT_DB_BLOB) {
            size_t n = 0;
            const void *p =
                t == NT_DB_TEXT ? (const void *)nt_db_text(st, c) : nt_db_blob(st, c, &n);
            if (t == NT_DB_TEXT)
                n = strlen(p);
            uint64_t len = n;
            memcpy(num, &len, 8);
            crypto_hash_sha256_update(&h, num, 8);
            crypto_hash_sha256_update(&h, p, n);
        }
    }
    unsigned char out[32];
    crypto_hash_sha256_final(&h, out);
    uint64_t lo, hi;
    memcpy(&lo, out, 8);
    memcpy(&hi, out + 8, 8);
    uint64_t s = g->sum[0] + lo;
    g->sum[1] += hi + (s < lo);
    g->sum[0] = s;
    g->rows++;
}

/* Every row of t in `db`; a target's table with an integer key read in
 * pages of the key (libpq holds a whole result in memory). */
static enum nt_err digest_table(struct nt_db *db, const struct table *t, bool paged,
                                struct digest *g, struct nt_diag *d)
{
    struct nt_buf q;
    nt_buf_init(&q, 1 << 16);
    nt_buf_append_str(&q, "SELECT ");
    column_list(&q, t);
    nt_buf_appendf(&q, " FROM %s", t->name);
    if (paged)
        nt_buf_appendf(&q, " WHERE %s > ?1 ORDER BY %s LIMIT 5000", t->cols[t->id_col].name,
                       t->cols[t->id_col].name);
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(db, nt_buf_str(&q), &st, d);
    nt_buf_release(&q);
    memset(g, 0, sizeof(*g));
    int64_t last = INT64_MIN, n;
    do {
        n = 0;
        if (paged)
            nt_db_bind_int64(st, 1, last);
        while (!err && nt_db_next(st, &err, d)) {
            digest_row(g, st, t->ncols);
            if (paged)
                last = nt_db_int64(st, t->id_col);
            n++;
        }
        nt_db_reset(st);
    } while (!err && paged && n == 5000);
    nt_db_finalize(st);
    return err;
}

/* Evidence in the target against the hashes recorded at fetch time. */
static const struct {
    const char *table, *what, *kept, *bad;
} evidence[] = {
    { "post_versions", "isi mentah unggahan", "raw IS NOT NULL",
      "raw IS NOT NULL AND encode(sha256(raw), 'hex') <> raw_sha256" },
    { "post_versions", "teks unggahan", "text IS NOT NULL",
      "text IS NOT NULL AND encode(sha256(convert_to(text, 'UTF8')), 'hex') <> content_sha256" },
    { "media", "berkas media", "bytes IS NOT NULL",
      "bytes IS NOT NULL AND encode(sha256(bytes), 'hex') <> sha256" },
};

static enum nt_err verify(struct move *m, json_t *tables, json_t *ev, struct nt_diag *d)
{
    enum nt_err err = NT_OK;
    for (size_t i = 0; !err && i < m->nt; i++) {
        const struct table *t = &m->t[i];
        struct digest a, b;
        err = digest_table(m->src, t, false, &a, d);
        if (!err)
            err = digest_table(m->dst, t, t->id_col >= 0, &b, d);
        if (err)
            break;
        if (a.rows != b.rows || a.sum[0] != b.sum[0] || a.sum[1] != b.sum[1]) {
            err = nt_diag_set(d, NT_ECONFLICT,
                              "tabel %s berbeda setelah dipindahkan: %lld baris di SQLite, %lld "
                              "di PostgreSQL%s",
                              t->name, (long long)a.rows, (long long)b.rows,
                              a.rows == b.rows ? ", isinya tidak sama" : "");
            break;
        }
        char hex[33];
        snprintf(hex, sizeof(hex), "%016llx%016llx", (unsigned long long)a.sum[1],
                 (unsigned long long)a.sum[0]);
        json_array_append_new(tables, json_pack("{s:s, s:I, s:s}", "table", t->name, "rows",
                                                (json_int_t)a.rows, "digest", hex));
    }
    struct nt_buf q;
    nt_buf_init(&q, 1 << 12);
    for (size_t k = 0; !err && k < sizeof(evidence) / sizeof(evidence[0]); k++) {
        int64_t kept = 0, bad = 0;
        nt_buf_reset(&q);
        nt_buf_appendf(&q, "SELECT count(*) FROM %s WHERE %s", evidence[k].table, evidence[k].kept);
        err = one_int(m->dst, nt_buf_str(&q), NULL, &kept, d);
        nt_buf_reset(&q);
        nt_buf_appendf(&q, "SELECT count(*) FROM %s WHERE %s", evidence[k].table, evidence[k].bad);
        if (!err)
            err = one_int(m->dst, nt_buf_str(&q), NULL, &bad, d);
        if (!err && bad)
            err = nt_diag_set(d, NT_ECONFLICT,
                              "%lld %s di PostgreSQL tidak cocok dengan hash SHA-256 yang dicatat "
                              "saat diambil",
                              (long long)bad, evidence[k].what);
        if (!err)
            json_object_set_new(ev, evidence[k].what, json_integer((json_int_t)kept));
    }
    nt_buf_release(&q);
    return err;
}

enum nt_err nt_store_migrate_to(const char *src, const char *target, size_t batch,
                                nt_migrate_progress progress, void *arg, json_t **report,
                                struct nt_diag *d)
{
    *report = NULL;
    if (!nt_db_is_postgres(target))
        return nt_diag_set(d, NT_EUSAGE, "tujuan harus URI postgresql://");
    /* The file must be a Netra database at this build's schema. */
    struct nt_store *s;
    enum nt_err err = nt_store_open(src, NT_STORE_READONLY, &s, d);
    if (err)
        return err;
    int version = nt_store_schema_version(s);
    nt_store_close(s);
    if (version != NT_STORE_SCHEMA_VERSION)
        return nt_diag_set(d, NT_ESCHEMA,
                           "basis data berskema versi %d; jalankan 'netra init' dulu (versi %d)",
                           version, NT_STORE_SCHEMA_VERSION);
    if (sodium_init() < 0)
        return nt_diag_set(d, NT_EINTERNAL, "libsodium tidak dapat dimulai");
    char *real = realpath(src, NULL);
    if (!real)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    struct move m = { .batch = batch ? batch : 5000, .progress = progress, .arg = arg };
    err = nt_db_open(src, &m.src, d);
    if (!err)
        err = nt_db_open(target, &m.dst, d);
    if (!err)
        err = read_tables(&m, d);
    if (!err)
        err = prepare_target(&m, real, d);
    double t0 = nt_mono();
    for (size_t i = 0; !err && i < m.nt; i++)
        err = copy_table(&m, &m.t[i], d);
    double t1 = nt_mono();
    if (!err)
        err = finish(&m, NULL, d);
    if (!err)
        err = companion_apply(m.dst, d);
    /* The planner's statistics of the copied rows now, not when
     * autovacuum gets to them: without them PostgreSQL guesses a
     * thousandth of the rows and picks index walks over scans. */
    if (!err)
        err = nt_db_exec(m.dst, "ANALYZE", d);
    double t2 = nt_mono();
    json_t *tables = json_array(), *ev = json_object();
    if (!err)
        err = verify(&m, tables, ev, d);
    double t3 = nt_mono();
    if (!err)
        err = nt_db_exec(m.dst, "UPDATE netra_migrate_source SET finished_at = now()", d);
    if (!err)
        *report = json_pack("{s:s, s:s, s:i, s:o, s:o, s:b, s:{s:f, s:f, s:f}}", "source", real,
                            "target", "postgresql", "schema_version", NT_STORE_SCHEMA_VERSION,
                            "tables", tables, "evidence", ev, "verified", 1, "seconds", "copy",
                            t1 - t0, "keys_and_indexes", t2 - t1, "verify", t3 - t2);
    else {
        json_decref(tables);
        json_decref(ev);
    }
    free(real);
    tables_free(m.t, m.nt);
    nt_db_close(m.dst);
    nt_db_close(m.src);
    return err;
}

/* An empty SQLite file of this build's schema in a new temporary
 * directory (dir: its template, filled in; path: the file). */
static enum nt_err fresh_file(char *dir, char *path, size_t n, struct nt_diag *d)
{
    if (!mkdtemp(dir))
        return nt_diag_set(d, NT_EIO, "tidak dapat membuat direktori sementara: %s",
                           strerror(errno));
    snprintf(path, n, "%s/netra.db", dir);
    struct nt_store *s;
    enum nt_err err = nt_store_open(path, NT_STORE_CREATE, &s, d);
    if (!err)
        nt_store_close(s);
    return err;
}

static void fresh_file_remove(const char *dir, const char *path)
{
    unlink(path);
    nt_store_unlink_sides(path);
    rmdir(dir);
}

/* Column c of table t is in the target. */
static enum nt_err has_column(struct nt_db *db, const char *t, const char *c, bool *has,
                              struct nt_diag *d)
{
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(db,
                                    "SELECT count(*) FROM information_schema.columns WHERE "
                                    "table_schema = current_schema() AND table_name = ?1 AND "
                                    "column_name = ?2",
                                    &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, t);
    nt_db_bind_text(st, 2, c);
    *has = nt_db_next(st, &err, d) && nt_db_int64(st, 0) > 0;
    nt_db_finalize(st);
    return err;
}

/*
 * A database made by an older build brought up to this schema, in one
 * transaction, from the catalogue of an empty file of this schema: the
 * tables it lacks made, the columns it lacks added (with their defaults),
 * the indexes and foreign keys it lacks made. The schema's migrations
 * since have been additive; one that moves data needs its PostgreSQL
 * words here too (DEVELOPERS.md). A second init at the same time waits
 * for the first (the lock) and finds nothing to do.
 */
static enum nt_err upgrade(const char *target, int *from, struct nt_diag *d)
{
    char dir[] = "/tmp/netra-init.XXXXXX", path[sizeof(dir) + 16];
    enum nt_err err = fresh_file(dir, path, sizeof(path), d);
    struct move m = { 0 };
    bool *made = NULL;
    int64_t version = 0;
    if (!err)
        err = nt_db_open(path, &m.src, d);
    if (!err)
        err = nt_db_open(target, &m.dst, d);
    if (!err)
        err = read_tables(&m, d);
    if (!err && !(made = calloc(m.nt + 1, sizeof(*made))))
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    if (!err)
        err = nt_db_begin(m.dst, true, d);
    if (!err)
        err = nt_db_exec(m.dst, "LOCK TABLE netra_migrate_source IN SHARE ROW EXCLUSIVE MODE", d);
    if (!err)
        err = one_int(m.dst, "SELECT schema_version FROM netra_migrate_source", NULL, &version, d);
    if (!err && version > NT_STORE_SCHEMA_VERSION)
        err = nt_diag_set(d, NT_ESCHEMA,
                          "skema basis data versi %lld lebih baru dari program ini (versi %d); "
                          "pakai program yang lebih baru",
                          (long long)version, NT_STORE_SCHEMA_VERSION);
    *from = version < NT_STORE_SCHEMA_VERSION ? (int)version : 0;
    struct nt_buf q;
    nt_buf_init(&q, 1 << 20);
    for (size_t i = 0; !err && version < NT_STORE_SCHEMA_VERSION && i < m.nt; i++) {
        const struct table *t = &m.t[i];
        int64_t exists = 0;
        err = one_int(m.dst, "SELECT to_regclass(?1) IS NOT NULL", t->name, &exists, d);
        if (!err && !exists) {
            nt_buf_reset(&q);
            err = create_sql(&m, t, &q, d);
            if (!err)
                err = nt_db_exec(m.dst, nt_buf_str(&q), d);
            made[i] = true;
            continue;
        }
        for (int c = 0; !err && c < t->ncols; c++) {
            bool has = false;
            err = has_column(m.dst, t->name, t->cols[c].name, &has, d);
            if (err || has)
                continue;
            nt_buf_reset(&q);
            nt_buf_appendf(&q, "ALTER TABLE %s ADD COLUMN %s %s", t->name, t->cols[c].name,
                           t->cols[c].pgtype);
            if (t->cols[c].dflt)
                nt_buf_appendf(&q, " DEFAULT %s", t->cols[c].dflt);
            if (t->cols[c].notnull)
                nt_buf_append_str(&q, " NOT NULL");
            err = nt_db_exec(m.dst, nt_buf_str(&q), d);
        }
    }
    nt_buf_release(&q);
    if (!err && version < NT_STORE_SCHEMA_VERSION)
        err = finish(&m, made, d);
    struct nt_db_stmt *st = NULL;
    if (!err && version < NT_STORE_SCHEMA_VERSION)
        err = nt_db_prepare(m.dst, "UPDATE netra_migrate_source SET schema_version = ?1", &st, d);
    if (st) {
        nt_db_bind_int64(st, 1, NT_STORE_SCHEMA_VERSION);
        err = nt_db_run(st, d);
        nt_db_finalize(st);
    }
    if (!err)
        err = nt_db_commit(m.dst, d);
    if (m.dst)
        nt_db_rollback(m.dst);
    /* The views and triggers of this build, in a transaction of their own. */
    if (!err)
        err = companion_apply(m.dst, d);
    free(made);
    tables_free(m.t, m.nt);
    nt_db_close(m.dst);
    nt_db_close(m.src);
    fresh_file_remove(dir, path);
    return err;
}

enum nt_err nt_store_init_postgres(const char *target, bool *created, int *upgraded_from,
                                   struct nt_diag *d)
{
    *upgraded_from = 0;
    *created = false;
    struct nt_store *s;
    struct nt_diag quiet;
    nt_diag_clear(&quiet);
    /* Made already (by init or a finished move) at this schema: its views
     * and triggers brought up to this build's. */
    if (nt_store_open(target, NT_STORE_POSTGRES | NT_STORE_READONLY, &s, &quiet) == NT_OK) {
        int companion = nt_store_pg_companion_version(s);
        nt_store_close(s);
        if (companion >= NT_STORE_PG_COMPANION)
            return NT_OK;
        struct nt_db *db = NULL;
        enum nt_err err = nt_db_open(target, &db, d);
        if (!err)
            err = companion_apply(db, d);
        nt_db_close(db);
        return err;
    }
    /* Made by another build: brought up to this schema (upgrade refuses a
     * newer one). */
    if (quiet.err == NT_ESCHEMA) {
        struct nt_db *db = NULL;
        int64_t v = 0;
        enum nt_err err = nt_db_open(target, &db, d);
        if (!err)
            err = one_int(db,
                          "SELECT schema_version FROM netra_migrate_source WHERE finished_at IS "
                          "NOT NULL",
                          NULL, &v, d);
        nt_db_close(db);
        if (err)
            return err;
        if (v > 0 && v < NT_STORE_SCHEMA_VERSION)
            return upgrade(target, upgraded_from, d);
    }
    /* Anything but "no Netra schema here" (NT_ENOTFOUND) is the open's to
     * explain: a connection refused, a move not finished, a newer schema. */
    if (quiet.err != NT_ENOTFOUND) {
        *d = quiet;
        return quiet.err;
    }
    char dir[] = "/tmp/netra-init.XXXXXX", path[sizeof(dir) + 16];
    enum nt_err err = fresh_file(dir, path, sizeof(path), d);
    json_t *report = NULL;
    if (!err)
        err = nt_store_migrate_to(path, target, 0, NULL, NULL, &report, d);
    json_decref(report);
    fresh_file_remove(dir, path);
    struct nt_db *db = NULL;
    if (!err)
        err = nt_db_open(target, &db, d);
    if (!err)
        err = nt_db_exec(db, "UPDATE netra_migrate_source SET source = 'netra init'", d);
    nt_db_close(db);
    *created = !err;
    return err;
}
