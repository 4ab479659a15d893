/*
 * db_internal.h - what db.c shares with the two backends (db_sqlite.c,
 * db_pg.c): the connection and statement structs and the table of
 * operations each backend fills.
 */
#ifndef NT_DB_INTERNAL_H
#define NT_DB_INTERNAL_H

#include "db.h"

/* A bound value, kept until the statement runs (PostgreSQL sends them
 * all at once; SQLite binds them when the statement starts). */
struct nt_db_param {
    enum nt_db_type type;
    int64_t i;
    double r;
    char *p; /* text (NUL-terminated) or blob, owned; kept between values */
    size_t n, cap;
};

struct nt_db_ops {
    const char *name;
    enum nt_err (*open)(struct nt_db *db, const char *target, struct nt_diag *d);
    void (*close)(struct nt_db *db);
    enum nt_err (*exec)(struct nt_db *db, const char *sql, struct nt_diag *d);
    const char *begin_write; /* the statement a writer's transaction starts with */
    enum nt_err (*prepare)(struct nt_db_stmt *st, struct nt_diag *d);
    /* Run (first call, params bound) or advance: *row when a row is there. */
    enum nt_err (*step)(struct nt_db_stmt *st, bool *row, struct nt_diag *d);
    void (*reset)(struct nt_db_stmt *st);
    void (*finalize)(struct nt_db_stmt *st);
    int (*columns)(const struct nt_db_stmt *st);
    enum nt_db_type (*type)(const struct nt_db_stmt *st, int c);
    int64_t (*int64)(const struct nt_db_stmt *st, int c);
    double (*real)(const struct nt_db_stmt *st, int c);
    const char *(*text)(const struct nt_db_stmt *st, int c);
    const void *(*blob)(struct nt_db_stmt *st, int c, size_t *len);
    /* The id the connection's last INSERT added (SQLite's rowid); NULL
     * where the id comes back with RETURNING (PostgreSQL). */
    int64_t (*last_id)(struct nt_db *db);
    /* The connection is gone (NULL: it cannot be, a file). */
    bool (*lost)(struct nt_db *db);
};

extern const struct nt_db_ops nt_db_sqlite_ops;
extern const struct nt_db_ops nt_db_pg_ops;

struct nt_db {
    const struct nt_db_ops *ops;
    enum nt_db_kind kind;
    void *h;             /* sqlite3 * or PGconn * */
    bool borrowed;       /* SQLite: the connection is the store's, not closed here */
    unsigned long names; /* PostgreSQL: prepared statement names handed out */
    char where[160];     /* the target for messages, without a password */
};

struct nt_db_stmt {
    struct nt_db *db;
    char *sql;           /* as given (SQLite) or with $N (PostgreSQL) */
    void *h;             /* sqlite3_stmt * or PGresult * of the last run */
    char name[32];       /* PostgreSQL: the prepared statement's name */
    int nparams;         /* the highest parameter number */
    unsigned char *used; /* PostgreSQL: used[N] when $N is in the SQL */
    struct nt_db_param *params;
    enum nt_err bind_err; /* a bind that failed, reported at the next step */
    bool started;         /* run since the last reset */
    int row, nrows;       /* PostgreSQL: the current row of the result */
    int64_t changes;
    void *scratch; /* PostgreSQL: the last bytea decoded */
};

/* nt_db_dollar_params, and which numbers the SQL uses (*used, malloc'd,
 * indexed by number: SQLite allows gaps, PostgreSQL must be told a type
 * for a parameter the statement never mentions). */
char *nt_db_dollar_params_used(const char *sql, int *nparams, unsigned char **used);

/* Set `d` for a failure of statement `sql` on `db`: the engine's message,
 * then the statement's first words. Returns err. */
enum nt_err nt_db_fail(const struct nt_db *db, const char *sql, enum nt_err err, const char *msg,
                       struct nt_diag *d);

#endif
