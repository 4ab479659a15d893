/*
 * schema.h - the versioned schema migrations (internal to the store module).
 */
#ifndef NT_STORE_SCHEMA_H
#define NT_STORE_SCHEMA_H

/* SQL that takes the schema from version `v - 1` to `v`, for v in 1..N. */
const char *nt_store_schema_migration(int v);

#endif
