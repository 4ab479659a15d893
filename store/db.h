/*
 * db.h - one statement API over two database engines: SQLite (an agency's
 * file, the embedded default) and PostgreSQL through libpq (a shared store
 * for a national deployment: many crawler workers and web servers).
 *
 * A target is a file path (SQLite) or a postgresql:// URI. Statements are
 * always prepared, with numbered parameters written ?1, ?2 ... in both
 * dialects (sent to PostgreSQL as $1, $2 ...; text in quotes, quoted names
 * and comments are left alone); rows are read by column as typed values.
 * Transactions, savepoints and the errors a caller acts on (a duplicate,
 * a busy or serialisation failure worth retrying, a timeout, a lost
 * connection) are the same on both. The SQL text itself is the caller's:
 * where the dialects differ the caller asks nt_db_kind().
 *
 * The backends are a table of operations (db_sqlite.c, db_pg.c), as curl
 * keeps its protocol handlers; this file holds what both share: parameter
 * storage, dispatch and diagnostics that name the statement.
 *
 * This is the layer the modules move onto from sqlite3_* (issue 17), one
 * at a time (nt_store_dbh() gives the store's connection through it; the
 * settings already use it); test_db runs the same tests on both engines.
 */
#ifndef NT_DB_H
#define NT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

enum nt_db_kind { NT_DB_SQLITE, NT_DB_POSTGRES };

/* A value's type as a row gives it. */
enum nt_db_type { NT_DB_NULL, NT_DB_INT, NT_DB_REAL, NT_DB_TEXT, NT_DB_BLOB };

struct nt_db;
struct nt_db_stmt;

/* True when `target` names a PostgreSQL database (postgresql:// or
 * postgres://). */
bool nt_db_is_postgres(const char *target);

/*
 * Connect. A SQLite path is opened (created when missing) with the
 * store's settings: WAL, foreign keys, a busy timeout. A PostgreSQL URI is
 * connected with TLS certificate and host name verification unless the
 * URI says otherwise (sslmode=...; Unix sockets need none), UTF-8, and a
 * statement timeout (NETRA_DB_STATEMENT_TIMEOUT seconds, 60 by default).
 * The password, if any, never appears in a diagnostic.
 */
enum nt_err nt_db_open(const char *target, struct nt_db **out, struct nt_diag *d);
void nt_db_close(struct nt_db *db);
enum nt_db_kind nt_db_kind(const struct nt_db *db);
/* The target as messages name it: a path, or a URI without user and
 * password. */
const char *nt_db_where(const struct nt_db *db);

/* The API over a SQLite connection someone else owns (the store's, while
 * its modules move onto this API one at a time: old and new code share
 * the connection and so its transactions). nt_db_close leaves the
 * connection open. `h` is a sqlite3 *. */
enum nt_err nt_db_borrow_sqlite(void *h, const char *where, struct nt_db **out, struct nt_diag *d);

/* True when the connection is gone (PostgreSQL: the server restarted or
 * failed over; checked without a round trip). A long-lived holder opens
 * a new one; a file's never is. */
bool nt_db_lost(struct nt_db *db);

/* Statements without parameters, one or more separated by ';' (schema
 * changes, PRAGMA, SET). */
enum nt_err nt_db_exec(struct nt_db *db, const char *sql, struct nt_diag *d);

/* A transaction: a writer's (`write`: SQLite takes the write lock at once,
 * BEGIN IMMEDIATE) or a reader's snapshot. Savepoints nest inside it. */
enum nt_err nt_db_begin(struct nt_db *db, bool write, struct nt_diag *d);
enum nt_err nt_db_commit(struct nt_db *db, struct nt_diag *d);
/* Safe without an open transaction. */
void nt_db_rollback(struct nt_db *db);
enum nt_err nt_db_savepoint(struct nt_db *db, const char *name, struct nt_diag *d);
enum nt_err nt_db_release(struct nt_db *db, const char *name, struct nt_diag *d);
enum nt_err nt_db_rollback_to(struct nt_db *db, const char *name, struct nt_diag *d);

/* Prepare `sql` (?N parameters). */
enum nt_err nt_db_prepare(struct nt_db *db, const char *sql, struct nt_db_stmt **out,
                          struct nt_diag *d);
/* Prepare the text written for this connection's engine, where the two
 * dialects differ (a JSON array's members: SQLite's json_each(?N),
 * PostgreSQL's jsonb_array_elements_text(CAST(?N AS jsonb))). */
enum nt_err nt_db_prepare_for(struct nt_db *db, const char *sqlite_sql, const char *pg_sql,
                              struct nt_db_stmt **out, struct nt_diag *d);
/*
 * An INSERT of one row whose new id the caller wants (a table whose key
 * is an integer `id`), written without RETURNING. nt_db_insert runs it and
 * gives the id; 0 when ON CONFLICT ... DO NOTHING left the row out.
 * PostgreSQL is asked with RETURNING id; SQLite's id is its last rowid
 * (a RETURNING clause makes SQLite set the statement's rows aside: a
 * quarter of an ingest's time). Not for DO UPDATE: SQLite's last rowid is
 * not an updated row's.
 */
enum nt_err nt_db_prepare_insert(struct nt_db *db, const char *sql, struct nt_db_stmt **out,
                                 struct nt_diag *d);
enum nt_err nt_db_insert(struct nt_db_stmt *st, int64_t *id, struct nt_diag *d);
/* Finalize; NULL is a no-op. */
void nt_db_finalize(struct nt_db_stmt *st);

/* Bind parameter i (1-based). Values are copied; a bind after rows were
 * read resets the statement first. NT_ENOMEM or NT_EINPUT (i out of
 * range) surface at the next step. */
void nt_db_bind_int64(struct nt_db_stmt *st, int i, int64_t v);
void nt_db_bind_double(struct nt_db_stmt *st, int i, double v);
void nt_db_bind_text(struct nt_db_stmt *st, int i, const char *v); /* NULL binds NULL */
void nt_db_bind_text_n(struct nt_db_stmt *st, int i, const char *v, size_t n);
void nt_db_bind_blob(struct nt_db_stmt *st, int i, const void *v, size_t n);
void nt_db_bind_null(struct nt_db_stmt *st, int i);

/*
 * The next row: true with a row to read; false at the end (*err NT_OK) or
 * on failure (*err set, `d` names the statement). The first call runs the
 * statement with its parameters.
 */
bool nt_db_next(struct nt_db_stmt *st, enum nt_err *err, struct nt_diag *d);
/* Run a statement that returns no rows (or whose rows are not wanted). */
enum nt_err nt_db_run(struct nt_db_stmt *st, struct nt_diag *d);
/* Back to before the first step; the bound values stay. */
void nt_db_reset(struct nt_db_stmt *st);
/* Rows changed by the last run INSERT, UPDATE or DELETE. */
int64_t nt_db_changes(const struct nt_db_stmt *st);

/* The current row's column c (0-based). Text and blobs stay valid until
 * the next step, reset or finalize. */
int nt_db_columns(const struct nt_db_stmt *st);
enum nt_db_type nt_db_type(const struct nt_db_stmt *st, int c);
int64_t nt_db_int64(const struct nt_db_stmt *st, int c);
double nt_db_double(const struct nt_db_stmt *st, int c);
const char *nt_db_text(const struct nt_db_stmt *st, int c); /* NULL for NULL */
const void *nt_db_blob(struct nt_db_stmt *st, int c, size_t *len);

/*
 * PostgreSQL: rows sent with COPY ... FROM STDIN in binary form, the
 * fastest way in (a bulk move, not the modules' daily writes). Begin with
 * the table and its columns; for each row one value per column, in order,
 * of the column's own type (BIGINT: int64, DOUBLE PRECISION: double,
 * TEXT: text, BYTEA: blob; any: null), then nt_db_copy_row; end. Rows are
 * buffered and sent 256 KiB at a time; the server's verdict (a broken
 * constraint names the row) comes at the end. Inside the caller's
 * transaction. SQLite: NT_EINTERNAL.
 */
struct nt_db_copy;
enum nt_err nt_db_copy_begin(struct nt_db *db, const char *table, const char *const *cols,
                             int ncols, struct nt_db_copy **out, struct nt_diag *d);
void nt_db_copy_int64(struct nt_db_copy *cp, int64_t v);
void nt_db_copy_double(struct nt_db_copy *cp, double v);
void nt_db_copy_bytes(struct nt_db_copy *cp, const void *p, size_t n); /* TEXT or BYTEA */
void nt_db_copy_null(struct nt_db_copy *cp);
enum nt_err nt_db_copy_row(struct nt_db_copy *cp, struct nt_diag *d);
/* Send the rest and read the server's verdict; frees cp. *rows: the rows
 * the server took. */
enum nt_err nt_db_copy_end(struct nt_db_copy *cp, int64_t *rows, struct nt_diag *d);

/* The SQL with ?N placeholders written as $N (PostgreSQL), skipping
 * quoted text, quoted names and comments; a bare ? is one past the
 * highest so far (SQLite's rule). *nparams: the highest number. NULL when
 * out of memory or a number is out of 1..32766. Exposed for tests. */
char *nt_db_dollar_params(const char *sql, int *nparams);

#endif
