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

#endif
