/*
 * bench_scan.c - `netra scan` of 100,000 and 1,000,000 stored posts against
 * a baseline measured in the same run, the database's growth, and a rescan.
 *
 * The database: an agency's (agency.h) built through the real binary, the
 * posts stored by `netra ingest FILE --no-scan`, so the scan starts with
 * nothing scored. Measured: the real binary, `netra scan` (lexicon, stance
 * model, scores, hits, entry counts, review items), then `netra scan
 * --rescan` (every post scored again by the same pair).
 *
 * Baseline: what the cheapest possible scan would write - the same number
 * of compact score rows (version id, lexicon id, level, score) inserted
 * with raw SQLite, one prepared statement, one transaction, the store's
 * pragmas (WAL, synchronous NORMAL), into a fresh file beside the
 * database: no reading, no matching, no queue. The ratio is baseline time /
 * scan time (1.00x: as fast).
 *
 * Growth: the database file after a checkpoint, before and after the scan,
 * per post; and the rows a post at level none left (none expected).
 *
 *   bench_scan [NETRA] [DIR] [CORPORA_DIR]   (run from the build directory;
 *       defaults ./netra, ., ../../shared/corpora; BENCH_SCAN_POSTS: one
 *       size; NETRA_DATA: the bundled data, ../data by default;
 *       BENCH_SCAN_KEEP: keep each database as the first scan found it,
 *       DB.unscanned, for profiling that scan)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agency.h"

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_scan: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

static long long scalar(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(db, sql);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* The file's size after the WAL is folded into it. */
static long long db_bytes(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
        die(db, "checkpoint");
    sqlite3_close(db);
    struct stat sb;
    if (stat(path, &sb) != 0)
        bench_die(path);
    return (long long)sb.st_size;
}

static double timed(char *const *argv)
{
    double t0 = bench_now();
    bench_must(argv);
    return bench_now() - t0;
}

/* The baseline (see the top): n compact rows in one transaction. */
static double baseline(const char *path, int n)
{
    char old[4096];
    const char *sfx[] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        snprintf(old, sizeof(old), "%s%s", path, sfx[i]);
        unlink(old);
    }
    sqlite3 *db;
    sqlite3_stmt *st;
    double t0 = bench_now();
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                     "CREATE TABLE scores (version_id INTEGER PRIMARY KEY, lexicon_id INTEGER "
                     "NOT NULL, level INTEGER NOT NULL, score REAL NOT NULL) STRICT;"
                     "BEGIN",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO scores VALUES (?1, ?2, ?3, ?4)", -1, &st, NULL) !=
            SQLITE_OK)
        die(db, path);
    for (int i = 1; i <= n; i++) {
        sqlite3_bind_int64(st, 1, i);
        sqlite3_bind_int64(st, 2, 1);
        sqlite3_bind_int(st, 3, i % 7 == 0);
        sqlite3_bind_double(st, 4, (double)(i % 13));
        if (sqlite3_step(st) != SQLITE_DONE)
            die(db, "insert");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die(db, "commit");
    sqlite3_close(db);
    double t = bench_now() - t0;
    for (int i = 0; i < 3; i++) {
        snprintf(old, sizeof(old), "%s%s", path, sfx[i]);
        unlink(old);
    }
    return t;
}

/* One database of n posts, one in `every` political (0: none), scanned
 * and rescanned; the scan's time. */
static double measure(char *netra, const char *dir, const char *corpora, const char *datadir, int n,
                      int every)
{
    char db[4096], posts[4096], base[4096];
    snprintf(db, sizeof(db), "%s/bench-scan-%d%s.db", dir, n, every ? "" : "-ordinary");
    snprintf(posts, sizeof(posts), "%s.ndjson", db);
    snprintf(base, sizeof(base), "%s/bench-scan-baseline.db", dir);
    bench_agency(netra, db, corpora, datadir, n, every, posts);
    char p_db[] = "--db", c_ing[] = "ingest", c_no[] = "--no-scan", c_scan[] = "scan",
         c_re[] = "--rescan";
    char *ing[] = { netra, p_db, db, c_ing, posts, c_no, NULL };
    double ti = timed(ing);
    unlink(posts);
    long long before = db_bytes(db);
    if (getenv("BENCH_SCAN_KEEP")) {
        /* For profiling a first scan: the database as the scan finds it
         * (its WAL folded in above), with the audit key files beside it. */
        char cmd[3 * 4096 + 200];
        snprintf(cmd, sizeof(cmd),
                 "for s in '' .audit-key .audit-key.pub .audit-checkpoints; do "
                 "if [ -e '%s'\"$s\" ]; then cp '%s'\"$s\" '%s.unscanned'\"$s\" || exit 1; fi; "
                 "done",
                 db, db, db);
        if (system(cmd) != 0)
            die(NULL, "BENCH_SCAN_KEEP: copy");
    }
    double tb1 = baseline(base, n);
    char *scan[] = { netra, p_db, db, c_scan, NULL };
    double ts = timed(scan);
    double tb2 = baseline(base, n);
    long long after = db_bytes(db);
    char *rescan[] = { netra, p_db, db, c_scan, c_re, NULL };
    double tr = timed(rescan);
    long long after_re = db_bytes(db);
    double tb = (tb1 + tb2) / 2;
    long long scores = scalar(db, "SELECT count(*) FROM scores"),
              none_rows = scalar(db, "SELECT count(*) FROM scores WHERE level = 'none'"),
              items = scalar(db, "SELECT count(*) FROM review_items"),
              hits = scalar(db, "SELECT count(*) FROM hits"),
              pending = scalar(db, "SELECT count(*) FROM scan_pending");
    if (pending != 0)
        die(NULL, "posts left unscored");
    if (every)
        printf("  %7d posts, one in %d political (ingested --no-scan in %.1f s)\n", n, every, ti);
    else
        printf("  %7d ordinary posts only (ingested --no-scan in %.1f s)\n", n, ti);
    printf("    netra scan          %6.2f s %8.0f posts/s | baseline %5.2f s (%.2f, %.2f) "
           "%8.0f rows/s | %.2fx the baseline\n",
           ts, n / ts, tb, tb1, tb2, n / tb, tb / ts);
    printf("    netra scan --rescan %6.2f s %8.0f posts/s\n", tr, n / tr);
    printf("    growth: %.1f MB by the scan (%.0f bytes per post, %.0f per post that reached the "
           "queue); %.1f MB more by the rescan\n",
           (double)(after - before) / 1e6, (double)(after - before) / n,
           scores ? (double)(after - before) / (double)scores : 0.0,
           (double)(after_re - after) / 1e6);
    printf("    rows: %lld scores (%lld at level none), %lld hits, %lld review items; the %lld "
           "posts at level none wrote no row (0 bytes each)\n",
           scores, none_rows, hits, items, (long long)n - scores);
    return ts;
}

int main(int argc, char **argv)
{
    char dflt[] = "./netra", *netra = argc > 1 ? argv[1] : dflt;
    const char *dir = argc > 2 ? argv[2] : ".";
    const char *corpora = argc > 3 ? argv[3] : "../../shared/corpora";
    const char *datadir = getenv("NETRA_DATA") ? getenv("NETRA_DATA") : "../data";
    int sizes[2] = { 100000, 1000000 }, nsizes = 2;
    if (getenv("BENCH_SCAN_POSTS")) {
        sizes[0] = (int)strtol(getenv("BENCH_SCAN_POSTS"), NULL, 10);
        nsizes = 1;
    }
    printf("bench_scan: netra scan of stored posts (%d employees in %d agencies) against raw "
           "SQLite inserting as many compact score rows in one transaction\n",
           BENCH_EMPLOYEES, BENCH_AGENCIES);
    double scan_t[2] = { 0 };
    for (int k = 0; k < nsizes; k++)
        scan_t[k] = measure(netra, dir, corpora, datadir, sizes[k], 7);
    if (nsizes == 2)
        printf("  1,000,000 posts take %.1fx the time of 100,000 (target: at most 11x)\n",
               scan_t[1] / scan_t[0]);
    measure(netra, dir, corpora, datadir, sizes[0], 0);
    printf("  targets: >= 100,000 posts/s end to end, >= 0.5x the baseline, <= 150 bytes per "
           "post at level none\n");
    return 0;
}
