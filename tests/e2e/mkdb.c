/*
 * mkdb.c - test helper: create a database at an older schema version, the
 * way an earlier release of Netra would have left it, so that tests can
 * check that `netra init` upgrades it and other commands refuse it.
 *
 *   nt_test_mkdb PATH VERSION
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "schema.h"
#include "store.h"

int main(int argc, char **argv)
{
    sqlite3 *db = NULL;
    char sql[128];
    char *end;
    if (argc != 3) {
        fputs("usage: nt_test_mkdb PATH VERSION\n", stderr);
        return 2;
    }
    long version = strtol(argv[2], &end, 10);
    if (*end || version < 1 || version > NT_STORE_SCHEMA_VERSION) {
        fprintf(stderr, "nt_test_mkdb: bad version %s\n", argv[2]);
        return 2;
    }
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        goto fail;
    snprintf(sql, sizeof(sql), "PRAGMA application_id = %ld", (long)NT_STORE_APP_ID);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    for (int v = 1; v <= version; v++)
        if (sqlite3_exec(db, nt_store_schema_migration(v), NULL, NULL, NULL) != SQLITE_OK)
            goto fail;
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %ld", version);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_close(db);
    return 0;
fail:
    fprintf(stderr, "nt_test_mkdb: %s\n", db ? sqlite3_errmsg(db) : "open failed");
    sqlite3_close(db);
    return 1;
}
