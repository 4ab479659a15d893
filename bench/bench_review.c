/*
 * bench_review.c - the review queue and the statistics at scale: a database
 * of 1,000,000 posts and 100,000 review items (20,000 employees in 20
 * agencies), then the real `netra` binary timed for
 *   - `netra queue` (first page) as a reviewer of one agency and as an admin,
 *   - `netra stats --by agency,category` as an admin,
 * each the median of 7 runs, against two baselines measured in the same run:
 * `netra version` (starting the program at all) and a full scan of the
 * review items through SQLite (SELECT count(*) over the same rows).
 * Target: each under 200 ms.
 *
 *   bench_review [NETRA] [DB]   (defaults: ./netra, bench-review.db; the
 *                                database is built once and reused)
 */
#include <sqlite3.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POSTS     1000000
#define ITEMS     100000
#define EMPLOYEES 20000
#define AGENCIES  20

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_review: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(db, sql);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(db, sql);
    return st;
}

static void step(sqlite3 *db, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die(db, "insert");
    sqlite3_reset(st);
}

static long scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = prep(db, sql);
    long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static int run(char *const *argv)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median wall time of 7 runs, in ms. */
static double median_ms(char *const *argv)
{
    double t[7];
    for (int i = 0; i < 7; i++) {
        double t0 = now_s();
        if (run(argv) != 0) {
            fprintf(stderr, "bench_review: %s %s failed\n", argv[0], argv[3] ? argv[3] : "");
            exit(1);
        }
        t[i] = (now_s() - t0) * 1000.0;
    }
    qsort(t, 7, sizeof(t[0]), cmp);
    return t[3];
}

static void build(char *netra, char *path)
{
    char db_opt[] = "--db", init_cmd[] = "init";
    char *init[] = { netra, db_opt, path, init_cmd, NULL };
    unlink(path);
    if (run(init) != 0)
        die(NULL, "netra init");
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die(db, path);
    double t0 = now_s();
    exec(db, "PRAGMA synchronous = OFF; BEGIN");
    exec(db, "INSERT INTO lexicon_versions(label, body, sha256, author, created_at, active) "
             "VALUES ('bench', X'7B7D', 'x', 'bench', '2023-11-01T00:00:00Z', 1)");
    exec(db, "INSERT INTO users(name, role, created_at) VALUES ('admin', 'admin', '2023'), "
             "('rina', 'reviewer', '2023')");
    exec(db, "INSERT INTO user_agencies VALUES (2, 'Instansi Contoh 07')");
    static const char *const pos[] = { "JPT", "Administrator", "Pengawas", "Fungsional",
                                       "Pelaksana" };
    sqlite3_stmt *e = prep(
        db, "INSERT INTO employees(id, nip, name, agency, work_unit, position_type, position, "
            "region_code, status, birth_date, service_start, sex, created_at, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, 'Unit', ?5, 'Jabatan', '76.04', 'PNS', ?6, '2010-01-01', ?7, "
            "'2023', '2023')");
    sqlite3_stmt *a = prep(db, "INSERT INTO accounts(id, employee_id, platform, account, "
                               "created_at, updated_at) VALUES (?1, ?2, 'mastodon', ?3, '2023', "
                               "'2023')");
    char buf[256], buf2[64];
    for (int i = 1; i <= EMPLOYEES; i++) {
        int y = 1965 + i % 35, m = 1 + i % 12, dd = 1 + i % 28;
        /* NIP: birth date, start of service (unique per thousand), sex, sequence. */
        char nip[24];
        snprintf(nip, sizeof(nip), "%04d%02d%02d%04d01%d%03d", y, m, dd, 2000 + i / 1000,
                 i % 2 ? 1 : 2, i % 1000);
        sqlite3_bind_int(e, 1, i);
        sqlite3_bind_text(e, 2, nip, -1, SQLITE_TRANSIENT);
        snprintf(buf, sizeof(buf), "Pegawai %d", i);
        sqlite3_bind_text(e, 3, buf, -1, SQLITE_TRANSIENT);
        snprintf(buf2, sizeof(buf2), "Instansi Contoh %02d", i % AGENCIES);
        sqlite3_bind_text(e, 4, buf2, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(e, 5, pos[i % 5], -1, SQLITE_STATIC);
        snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, dd);
        sqlite3_bind_text(e, 6, buf, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(e, 7, i % 2 ? "L" : "P", -1, SQLITE_STATIC);
        step(db, e);
        for (int k = 0; k < 2; k++) {
            sqlite3_bind_int(a, 1, i * 2 + k);
            sqlite3_bind_int(a, 2, i);
            snprintf(buf, sizeof(buf), "pegawai%d_%d@instansi.example", i, k);
            sqlite3_bind_text(a, 3, buf, -1, SQLITE_TRANSIENT);
            step(db, a);
        }
    }
    sqlite3_stmt *p = prep(db, "INSERT INTO posts(id, account_id, remote_id, interaction, "
                               "posted_at, source, first_seen_at, last_seen_at) VALUES (?1, ?2, "
                               "?3, 'post', ?4, 'crawl', ?4, ?4)");
    sqlite3_stmt *v = prep(db, "INSERT INTO post_versions(id, post_id, seq, text, raw, "
                               "raw_sha256, content_sha256, request_url, fetched_at) "
                               "VALUES (?1, ?1, 1, ?2, ?4, 'h', 'h', 'https://x.example/', ?3)");
    sqlite3_stmt *sc = prep(db, "INSERT INTO scores(id, version_id, lexicon_id, score, level, "
                                "categories, contestants, explanation, scored_at) "
                                "VALUES (?1, ?2, 1, ?3, ?4, '[]', '[]', '{}', '2024')");
    sqlite3_stmt *it =
        prep(db, "INSERT INTO review_items(post_id, score_id, status, level, priority, category, "
                 "created_at, updated_at, employee_id, agency, platform, posted_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, 'mastodon', ?10)");
    static const char *const cats[] = { "MEDSOS", "ENGAGE", "FOTO", "KEGIATAN", "TIM", "APK" };
    static const char *const status[] = { "pending",   "pending",  "pending",   "confirmed",
                                          "dismissed", "pending",  "escalated", "dismissed",
                                          "pending",   "confirmed" };
    unsigned rng = 12345;
    int items = 0;
    for (int i = 1; i <= POSTS; i++) {
        /* Posts (and so items) spread over every employee and agency. */
        unsigned h = (unsigned)i * 2654435761u;
        int account = 2 + (int)((h >> 8) % (EMPLOYEES * 2)), emp = account / 2;
        char when[32];
        snprintf(when, sizeof(when), "2023-%02d-%02dT%02d:00:00Z", 10 + i % 3, 1 + i % 28, i % 24);
        sqlite3_bind_int(p, 1, i);
        sqlite3_bind_int(p, 2, account);
        snprintf(buf, sizeof(buf), "%d", i);
        sqlite3_bind_text(p, 3, buf, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p, 4, when, -1, SQLITE_TRANSIENT);
        step(db, p);
        snprintf(buf, sizeof(buf),
                 "Unggahan nomor %d tentang kegiatan kantor dan pelayanan publik hari ini, "
                 "ayo coblos nomor %d",
                 i, i % 3 + 1);
        sqlite3_bind_int(v, 1, i);
        sqlite3_bind_text(v, 2, buf, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(v, 3, when, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(v, 4, buf, (int)strlen(buf), SQLITE_TRANSIENT);
        step(db, v);
        if (i % (POSTS / ITEMS) == 0 && items < ITEMS) {
            rng = rng * 1103515245u + 12345u;
            double score = 4.0 + (rng >> 16) % 300 / 10.0;
            const char *level = score >= 10 ? "priority" : "review";
            items++;
            sqlite3_bind_int(sc, 1, items);
            sqlite3_bind_int(sc, 2, i);
            sqlite3_bind_double(sc, 3, score);
            sqlite3_bind_text(sc, 4, level, -1, SQLITE_STATIC);
            step(db, sc);
            sqlite3_bind_int(it, 1, i);
            sqlite3_bind_int(it, 2, items);
            sqlite3_bind_text(it, 3, status[items % 10], -1, SQLITE_STATIC);
            sqlite3_bind_text(it, 4, level, -1, SQLITE_STATIC);
            sqlite3_bind_double(it, 5, score * 4 - 2.0 * (2460000 + i % 90));
            sqlite3_bind_text(it, 6, cats[items % 6], -1, SQLITE_STATIC);
            sqlite3_bind_text(it, 7, when, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(it, 8, emp);
            snprintf(buf2, sizeof(buf2), "Instansi Contoh %02d", emp % AGENCIES);
            sqlite3_bind_text(it, 9, buf2, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(it, 10, when, -1, SQLITE_TRANSIENT);
            step(db, it);
        }
    }
    sqlite3_finalize(e);
    sqlite3_finalize(a);
    sqlite3_finalize(p);
    sqlite3_finalize(v);
    sqlite3_finalize(sc);
    sqlite3_finalize(it);
    exec(db, "COMMIT; ANALYZE");
    sqlite3_close(db);
    printf("  built %s in %.1f s\n", path, now_s() - t0);
}

/* The Netra user the CLI acts as without --as: the one linked to this
 * process's OS user (no password prompt, no hashing in the timings). */
static void act_as(const char *path, const char *name)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    struct passwd *pw = getpwuid(getuid());
    if (!pw || sqlite3_open(path, &db) != SQLITE_OK)
        die(NULL, path);
    exec(db, "UPDATE users SET os_user = NULL");
    if (sqlite3_prepare_v2(db, "UPDATE users SET os_user = ?1 WHERE name = ?2", -1, &st, NULL) !=
        SQLITE_OK)
        die(db, path);
    sqlite3_bind_text(st, 1, pw->pw_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        die(db, path);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

int main(int argc, char **argv)
{
    static char dnetra[] = "./netra", dpath[] = "bench-review.db";
    static char o_db[] = "--db", queue[] = "queue", stats[] = "stats", by[] = "--by",
                keys[] = "agency,category", version_cmd[] = "version";
    char *netra = argc > 1 ? argv[1] : dnetra;
    char *path = argc > 2 ? argv[2] : dpath;
    sqlite3 *db = NULL;
    int ok = 0;
    if (access(path, R_OK) == 0 &&
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        ok = scalar(db, "SELECT count(*) FROM posts") == POSTS &&
             scalar(db, "SELECT count(*) FROM review_items") == ITEMS;
    sqlite3_close(db);
    printf("bench_review: %d posts, %d review items, %d employees in %d agencies\n", POSTS, ITEMS,
           EMPLOYEES, AGENCIES);
    if (!ok) {
        build(netra, path);
    } else {
        /* A database built by an older Netra: brought to this schema. */
        char db_opt[] = "--db", init_cmd[] = "init";
        char *init[] = { netra, db_opt, path, init_cmd, NULL };
        if (run(init) != 0)
            die(NULL, "netra init");
    }

    /* Baselines: starting the program, and one full scan of the items. */
    char *version[] = { netra, version_cmd, NULL };
    double t_start = median_ms(version);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(db, path);
    /* Median of 7 scans (the first may read the pages from disk). */
    double scans[7];
    long n = 0;
    for (int i = 0; i < 7; i++) {
        double t0 = now_s();
        n = scalar(db, "SELECT count(*) FROM review_items WHERE priority IS NOT NULL");
        scans[i] = (now_s() - t0) * 1000.0;
    }
    qsort(scans, 7, sizeof(scans[0]), cmp);
    double t_scan = scans[3];
    sqlite3_close(db);

    char *q[] = { netra, o_db, path, queue, NULL };
    char *st[] = { netra, o_db, path, stats, by, keys, NULL };
    act_as(path, "rina");
    double a = median_ms(q);
    act_as(path, "admin");
    double b = median_ms(q), c = median_ms(st);
    printf("  baseline: netra version %.1f ms; SQLite full scan of %ld items %.1f ms\n", t_start, n,
           t_scan);
    printf("  netra queue (reviewer of one agency, first page)  %6.1f ms  %s (%.1fx the scan)\n", a,
           a < 200 ? "target <200 ms met" : "TARGET 200 ms MISSED", a / t_scan);
    printf("  netra queue (admin, all agencies, first page)     %6.1f ms  %s (%.1fx the scan)\n", b,
           b < 200 ? "target <200 ms met" : "TARGET 200 ms MISSED", b / t_scan);
    printf("  netra stats --by agency,category (admin)          %6.1f ms  %s (%.1fx the scan)\n", c,
           c < 200 ? "target <200 ms met" : "TARGET 200 ms MISSED", c / t_scan);
    return 0;
}
