/*
 * schema.h - the versioned schema migrations (internal to the store module).
 */
#ifndef NT_STORE_SCHEMA_H
#define NT_STORE_SCHEMA_H

/* SQL that takes the schema from version `v - 1` to `v`, for v in 1..N. */
const char *nt_store_schema_migration(int v);

/* PostgreSQL's views and triggers for this schema version (schema_pg.c):
 * statement i, NULL past the last. Applied in order by migrate-store and
 * init; their version is recorded with the database. */
#define NT_STORE_PG_COMPANION 3
const char *nt_store_pg_companion(int i);

#endif
