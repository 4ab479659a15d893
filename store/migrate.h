/*
 * migrate.h - moving an agency's SQLite file into PostgreSQL
 * (`netra migrate-store --to postgresql://...`).
 *
 * The PostgreSQL schema is made from the file's own (every table, column,
 * key, uniqueness, CHECK, default, index and foreign key, in PostgreSQL's
 * words: one schema for both engines), then every table is copied in
 * batches, each batch committed with the copy's progress in the same
 * transaction: a copy killed at any moment resumes where it stopped,
 * nothing twice. Foreign keys and indexes come after the rows; identity
 * counters are moved past the copied ids. The search indexes of SQLite
 * (FTS5) and the statistics cache are not copied: they are rebuilt, not
 * evidence.
 *
 * Verified before it says done: per table, the row count and an
 * order-independent SHA-256 digest of every row, read back from both
 * engines; and in PostgreSQL, every kept post's raw bytes and every kept
 * media file against the SHA-256 recorded when it was fetched.
 */
#ifndef NT_MIGRATE_H
#define NT_MIGRATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* What the copy is doing, for a progress line: the table, rows copied of
 * it, rows in it. */
typedef void (*nt_migrate_progress)(void *arg, const char *table, int64_t done, int64_t total);

/*
 * Move the SQLite database at `src` (at this build's schema) into the
 * empty PostgreSQL database `target`, or resume a move into it. `batch`:
 * rows per transaction (0: 5,000). *report: {tables: [{table, rows,
 * digest}], evidence: {what: rows checked}, verified: true, seconds:
 * {copy, keys_and_indexes, verify}} (a resumed move's copy counts only
 * what it copied). A target
 * that holds other data, or a move of another file, is refused
 * (NT_ECONFLICT); a difference found by the verification is NT_ECONFLICT
 * naming the table.
 */
enum nt_err nt_store_migrate_to(const char *src, const char *target, size_t batch,
                                nt_migrate_progress progress, void *arg, json_t **report,
                                struct nt_diag *d);

/*
 * `netra init` for a PostgreSQL target: an empty database gets this
 * build's schema, made the one way the two engines share it: an empty
 * SQLite file of this schema, made in a temporary directory, moved in by
 * nt_store_migrate_to (its provenance recorded as "netra init"). A
 * database already at this schema is left alone (*created false); one
 * made by an older build is brought up to this schema (*upgraded_from: its
 * version, else 0: the tables, columns, indexes and keys it lacks, then
 * this build's views and triggers); one holding anything else is refused
 * as the move refuses it.
 */
enum nt_err nt_store_init_postgres(const char *target, bool *created, int *upgraded_from,
                                   struct nt_diag *d);

#endif
