/*
 * store.h - the Netra database: one SQLite file holding the registry, the
 * evidence, the lexicon versions, scores, review work and the audit trail.
 *
 * The store owns the connection, the schema and its migrations, and the
 * transaction discipline. Modules above it (registry, crawler, matcher,
 * review) keep their own SQL, always as prepared statements with bound
 * parameters, and make every multi-row write inside one transaction.
 *
 * Connection settings: WAL journal, foreign keys on, a busy timeout so the
 * CLI and the web server can share the file, synchronous=NORMAL (durable
 * against process crashes, which is what WAL needs for kill -9 safety).
 */
#ifndef NT_STORE_H
#define NT_STORE_H

#include <sqlite3.h>
#include <stdbool.h>

#include "diag.h"

/* The schema version this build creates and understands. */
#define NT_STORE_SCHEMA_VERSION 40

/* PRAGMA application_id of every Netra database ("NTRA"). */
#define NT_STORE_APP_ID 0x4E545241

/* How long a writer waits for another one before giving up (ms). */
#define NT_STORE_BUSY_TIMEOUT_MS 10000

enum nt_store_flags {
    /* Create the file if missing and migrate it to the current schema. */
    NT_STORE_CREATE = 1 << 0,
    /* Upgrade an older schema (implied by NT_STORE_CREATE). */
    NT_STORE_MIGRATE = 1 << 1,
    /* Open read-only; never writes. */
    NT_STORE_READONLY = 1 << 2,
    /* A long-lived connection that reads the same rows request after
     * request (a server thread's): a page cache of up to 64 MiB instead of
     * SQLite's 2 MiB. */
    NT_STORE_LONG_LIVED = 1 << 3,
    /* The caller's SQL runs on both engines (store/db.h): `path` may be a
     * postgresql:// URI. Without it such a target is refused. */
    NT_STORE_POSTGRES = 1 << 4,
};

struct nt_store;

/*
 * Open the database at `path`. Without NT_STORE_CREATE a missing file is
 * NT_ENOTFOUND; without NT_STORE_MIGRATE an older schema is NT_ESCHEMA (the
 * message tells the user to run `netra init`). A schema newer than
 * NT_STORE_SCHEMA_VERSION is always NT_ESCHEMA; a file that is not a Netra
 * database is NT_EINPUT. With NT_STORE_POSTGRES `path` may be a
 * postgresql:// URI: a database made by `netra init` or `netra
 * migrate-store` at this schema (one without Netra's schema is
 * NT_ENOTFOUND, as a missing file; a move not finished or another schema
 * version NT_ESCHEMA). On success `*out` owns the connection.
 */
enum nt_err nt_store_open(const char *path, unsigned flags, struct nt_store **out,
                          struct nt_diag *d);

/* Another connection to the database `s` is open on (a reader thread's),
 * with its own `flags`; a PostgreSQL target with the credentials it was
 * opened with, which nt_store_path() leaves out. */
enum nt_err nt_store_reopen(struct nt_store *s, unsigned flags, struct nt_store **out,
                            struct nt_diag *d);

/* Close and free; NULL is a no-op. Rolls back an open transaction. */
void nt_store_close(struct nt_store *s);

/* The store's connection through the statement API of db.h (the same
 * connection and transaction as nt_store_db()): what code moving off
 * sqlite3_* uses. */
struct nt_db;
struct nt_db *nt_store_dbh(struct nt_store *s);

/*
 * Migrate to `target` (1..NT_STORE_SCHEMA_VERSION) in one transaction.
 * Migrating down is refused. Exposed so tests can build older schemas.
 */
enum nt_err nt_store_migrate(struct nt_store *s, int target, struct nt_diag *d);

/*
 * Backup, restore, check (backup.c).
 *
 * nt_store_backup: a consistent copy of the open database at `dest`,
 * taken with SQLite's online backup API while other processes write,
 * checked (integrity, a Netra database) before it is compressed (gzip)
 * and renamed into place; `dest` is never left half written.
 *
 * nt_store_restore: unpack `backup`, check it, and put it at `path`. A
 * database already at `path` is moved aside (its name into `aside`), never
 * while another process uses it (NT_EBUSY), and never replaced by an older
 * schema unless `force` (NT_ECONFLICT); a backup of a schema newer than
 * this build is NT_ESCHEMA. `path` must not be open in this process.
 *
 * nt_store_check: SQLite's integrity check and foreign keys; the first
 * problem in `d` as NT_EINPUT.
 */
enum nt_err nt_store_backup(struct nt_store *s, const char *dest, struct nt_diag *d);
enum nt_err nt_store_restore(const char *backup, const char *path, bool force, char *aside,
                             size_t aside_len, struct nt_diag *d);
enum nt_err nt_store_check(struct nt_store *s, struct nt_diag *d);

/* Remove a database file's WAL and shared-memory files, if any (a file
 * deleted or replaced; `path` itself is the caller's). */
void nt_store_unlink_sides(const char *path);

/* Current schema version (PRAGMA user_version). */
int nt_store_schema_version(struct nt_store *s);

/* Version the file had when it was opened (0 for a new file). */
int nt_store_opened_version(const struct nt_store *s);
/* PostgreSQL: the version of the views and triggers the database has
 * (schema_pg.c; 0 on SQLite or before they were recorded). */
int nt_store_pg_companion_version(const struct nt_store *s);

/* The connection, borrowed, for modules' own prepared statements. */
sqlite3 *nt_store_db(struct nt_store *s);

/* The path the store was opened with (a PostgreSQL URI without user and
 * password); borrowed. */
const char *nt_store_path(const struct nt_store *s);

/* True for a PostgreSQL store: nt_store_db() is NULL, everything goes
 * through nt_store_dbh(). */
bool nt_store_is_postgres(const struct nt_store *s);
/* The store's connection is gone (nt_db_lost): close it, open another. */
bool nt_store_lost(struct nt_store *s);

/*
 * Transactions. nt_store_begin() takes the write lock at once (BEGIN
 * IMMEDIATE) so that two writers never deadlock on an upgrade. Nesting is
 * not supported: begin while a transaction is open is NT_EINTERNAL.
 * nt_store_rollback() is safe to call when no transaction is open.
 */
enum nt_err nt_store_begin(struct nt_store *s, struct nt_diag *d);
/* A read transaction (BEGIN); ended by nt_store_commit or
 * nt_store_rollback. On SQLite one snapshot for all its statements; on
 * PostgreSQL (READ COMMITTED) each statement sees what was committed when
 * it began, and the transaction may write. */
enum nt_err nt_store_begin_read(struct nt_store *s, struct nt_diag *d);
/* A reader's snapshot on both engines: every statement sees the same
 * commits (PostgreSQL: REPEATABLE READ, READ ONLY). For answers put
 * together from several statements (statistics). */
enum nt_err nt_store_begin_snapshot(struct nt_store *s, struct nt_diag *d);
/* True when the store was opened read-only. */
bool nt_store_is_readonly(const struct nt_store *s);
enum nt_err nt_store_commit(struct nt_store *s, struct nt_diag *d);
void nt_store_rollback(struct nt_store *s);
/*
 * Run fn(arg) once the open transaction has committed (at once when none is
 * open); on rollback it is not run. `arg` is malloc'd and the store frees it
 * after. One per transaction: a later call replaces the earlier one. For
 * what must only follow a durable change, such as a signed checkpoint
 * written outside the database.
 */
void nt_store_after_commit(struct nt_store *s, void (*fn)(void *arg), void *arg);
bool nt_store_in_tx(const struct nt_store *s);

/* Prepare `sql` on the store's connection; errors name the statement. */
enum nt_err nt_store_prepare(struct nt_store *s, const char *sql, sqlite3_stmt **stmt,
                             struct nt_diag *d);

/*
 * Translate an SQLite result code into an nt_err, with `what` and SQLite's
 * message in `d`: BUSY/LOCKED -> NT_EBUSY, CONSTRAINT -> NT_ECONFLICT,
 * NOMEM -> NT_ENOMEM, IOERR/FULL -> NT_EIO, anything else -> NT_EDB.
 */
enum nt_err nt_store_fail(struct nt_store *s, int rc, const char *what, struct nt_diag *d);

/*
 * The one way to walk rows, so that a failed step is an error and never a
 * short result:
 *
 *     enum nt_err err = NT_OK;
 *     while (!err && nt_store_next(s, st, &err, "membaca X gagal", d)) { ... }
 *
 * True with a row; false at the end, having set *err (if still NT_OK) and
 * `d` when the step failed (busy, I/O, an interrupt) rather than finished.
 */
bool nt_store_next(struct nt_store *s, sqlite3_stmt *st, enum nt_err *err, const char *what,
                   struct nt_diag *d);

/* Step a statement that writes (or returns one row nobody reads) once and
 * reset it: NT_OK when it ran, the nt_store_fail error with `what` when
 * not. The bindings stay for the next call. */
enum nt_err nt_store_done(struct nt_store *s, sqlite3_stmt *st, const char *what,
                          struct nt_diag *d);

/* Execute statements without parameters or results (schema work). */
enum nt_err nt_store_exec(struct nt_store *s, const char *sql, struct nt_diag *d);

/*
 * Bulk work on this connection (a scan, an ingest) or back to ordinary
 * work: a page cache of up to 64 MiB, so the indexes a long run writes
 * stay in memory, and the write-ahead log folded into the database every
 * 64 MiB instead of every 4 MiB (fewer checkpoints, each page written back
 * once per checkpoint however often it changed).
 */
enum nt_err nt_store_bulk(struct nt_store *s, bool on, struct nt_diag *d);

/*
 * Streaming work (an ingest, whose memory must not grow with its file):
 * bulk work's fewer checkpoints with a page cache of 16 MiB, not 64.
 * `on` false: back to ordinary work.
 */
enum nt_err nt_store_stream(struct nt_store *s, bool on, struct nt_diag *d);

/*
 * Settings (key/value, e.g. "review.four_eyes"). get writes a copy into
 * `out` (truncating to n) and returns NT_ENOTFOUND when unset.
 */
enum nt_err nt_store_setting_get(struct nt_store *s, const char *key, char *out, size_t n,
                                 struct nt_diag *d);
enum nt_err nt_store_setting_set(struct nt_store *s, const char *key, const char *value,
                                 const char *now_iso, struct nt_diag *d);

#endif
