/*
 * pg_target.h - the tests' PostgreSQL server for a unit test: the target
 * in the file ctest's pg/start fixture wrote (NETRA_TEST_PG_FILE, first
 * line), or NETRA_TEST_PG itself.
 */
#ifndef NT_TEST_PG_TARGET_H
#define NT_TEST_PG_TARGET_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1: the target in out; 0: none asked for (the PostgreSQL half is
 * skipped, said on stdout); -1: asked for but unreadable (said on
 * stderr: the test fails). */
static inline int pg_target(const char *test, char *out, size_t n)
{
    const char *file = getenv("NETRA_TEST_PG_FILE"), *direct = getenv("NETRA_TEST_PG");
    if (direct && !file) {
        snprintf(out, n, "%s", direct);
        return 1;
    }
    if (!file) {
        printf("%s: NETRA_TEST_PG not set: the PostgreSQL half skipped (ctest runs it)\n", test);
        return 0;
    }
    FILE *fp = fopen(file, "r");
    bool ok = fp && fgets(out, (int)n, fp);
    if (fp)
        fclose(fp);
    if (!ok) {
        fprintf(stderr, "%s: %s: no PostgreSQL test server (pg/start failed?)\n", test, file);
        return -1;
    }
    out[strcspn(out, "\n")] = '\0';
    return 1;
}

/* An empty database `name` on the server `base` names (dropped first if
 * there); its target, the same server and options, in `out`. 0 on
 * success; -1 with the reason on stderr. Needs db.h's nt_db_*. */
#ifdef NT_DB_H
static inline int pg_fresh_db(const char *base, const char *name, char *out, size_t n)
{
    struct nt_db *db;
    struct nt_diag d;
    char sql[160];
    if (nt_db_open(base, &db, &d) != NT_OK) {
        fprintf(stderr, "%s\n", d.msg);
        return -1;
    }
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
    bool ok = nt_db_exec(db, sql, &d) == NT_OK;
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
    ok = ok && nt_db_exec(db, sql, &d) == NT_OK;
    nt_db_close(db);
    const char *p = strstr(base, "://");
    p = p ? p + 3 : base;
    const char *slash = strchr(p, '/'), *q = strchr(p, '?');
    if (!ok || !slash || (q && q < slash)) {
        fprintf(stderr, "%s\n", ok ? "the PostgreSQL target names no database" : d.msg);
        return -1;
    }
    snprintf(out, n, "%.*s/%s%s", (int)(slash - base), base, name, q ? q : "");
    return 0;
}
#endif

#endif
