/*
 * bench_crawl.c - `netra crawl` throughput against a local server, with the
 * transport limit measured in the same run: the same URLs fetched by
 * `curl --parallel` (same number of parallel transfers).
 *
 * The server (libmicrohttpd, in this process) answers /f/N.xml with an RSS
 * feed of 20 items generated from N. The crawl stores every item as
 * evidence in a fresh database. Reported: wall time, CPU time per post,
 * peak memory of the crawl (in its own process image), and curl's wall time.
 *
 * With --media, one item in four also carries an image (RSS enclosure, a
 * 24 KiB PNG-typed file from /img/), half of them one flyer shared by every
 * account: the same feeds crawled text-only (media off) and with media,
 * A B A B, give the cost of fetching and keeping images and the database
 * growth per post, the shared flyer kept once.
 *
 * With --pipeline NETRA FLYER.png the images are that flyer (the shared
 * one as it is, each other one with bytes of its own after the PNG's end,
 * so that every image is distinct and readable): the crawl with media,
 * then `NETRA ocr` (the real binary) reading every kept image, against the
 * text-only crawl: posts per second end to end with images, and images per
 * second read on one core.
 *
 * With --workers, the accounts are shared by 1, 2 and 4 crawl processes
 * on one SQLite file (`lease`: each account under a lease, crawl.h),
 * against one process without leases in the same round: posts per second,
 * CPU per post over all the processes, database bytes per post, and that
 * every post was stored once.
 *
 * With --workers-pg URI, the same with PostgreSQL as the shared store
 * (issue 17's simulation): 1, 2 and 4 crawl processes against a database
 * made afresh each round on the server URI names (its registry moved in
 * from the SQLite file by migrate-store), beside 1 process on the SQLite
 * file in the same round. Reported as well: the CPU of the whole machine
 * per post (the PostgreSQL server's work is not the crawlers'), and the
 * database's growth per post (pg_database_size).
 *
 *   bench_crawl [ACCOUNTS] [PARALLEL] [--media | --pipeline NETRA FLYER.png | --workers |
 *                                      --workers-pg URI]
 *   (default 10000, 32)
 */
#include <microhttpd.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crawl.h"
#include "db.h"
#include "migrate.h"
#include "pg_target.h" /* the tests' fresh database on a server */
#include "registry.h"
#include "store.h"
#include "common.h"

#define ITEMS     20
#define IMAGE_LEN (24 * 1024)

/* The pipeline's flyer (--pipeline), or NULL. */
static struct nt_buf flyer;

/* The flyer itself, or with 16 bytes of its own after the PNG's end. */
static enum MHD_Result real_image(struct MHD_Connection *c, const char *url)
{
    size_t n = flyer.len + (strcmp(url, "/img/flyer.png") == 0 ? 0 : 16);
    char *b = malloc(n);
    if (!b)
        return MHD_NO;
    memcpy(b, flyer.data, flyer.len);
    if (n > flyer.len)
        snprintf(b + flyer.len, 17, "%-16.16s", url + 5);
    struct MHD_Response *r = MHD_create_response_from_buffer(n, b, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "image/png");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

/* An image's bytes: a PNG signature, then bytes that differ by name (the
 * crawler sniffs the type and hashes the rest; nothing decodes them). */
static enum MHD_Result image(struct MHD_Connection *c, const char *url)
{
    if (flyer.data)
        return real_image(c, url);
    unsigned char *b = malloc(IMAGE_LEN);
    if (!b)
        return MHD_NO;
    uint64_t x = 1469598103934665603ull;
    for (const char *p = url; *p; p++)
        x = (x ^ (unsigned char)*p) * 1099511628211ull;
    memcpy(b, "\x89PNG\r\n\x1a\n", 8);
    for (size_t i = 8; i < IMAGE_LEN; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b[i] = (unsigned char)x;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(IMAGE_LEN, b, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "image/png");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result feed(void *cls, struct MHD_Connection *c, const char *url,
                            const char *method, const char *version, const char *upload,
                            size_t *upload_size, void **state)
{
    long n = -1;
    struct nt_buf b;
    bool media = *(const bool *)cls;
    (void)method;
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)state;
    if (strncmp(url, "/img/", 5) == 0)
        return image(c, url);
    sscanf(url, "/f/%ld.xml", &n);
    nt_buf_init(&b, 1 << 20);
    nt_buf_append_str(&b, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>b</title>");
    for (int i = 0; i < ITEMS; i++) {
        /* One item in four with an image: every other one the shared flyer. */
        char enc[128] = "";
        if (media && i % 8 == 0)
            snprintf(enc, sizeof(enc), "<enclosure url=\"/img/flyer.png\" type=\"image/png\"/>");
        else if (media && i % 8 == 4)
            snprintf(enc, sizeof(enc), "<enclosure url=\"/img/%ld-%d.png\" type=\"image/png\"/>", n,
                     i);
        nt_buf_appendf(&b,
                       "<item><title>Kabar %ld-%d</title><guid>g-%ld-%d</guid>"
                       "<pubDate>Fri, 01 Dec 2023 08:%02d:00 +0700</pubDate>"
                       "<description>Kegiatan pelayanan masyarakat hari ini nomor %d di unit "
                       "%ld berjalan lancar, terima kasih rekan-rekan.</description>%s</item>",
                       n, i, n, i, i % 60, i, n, enc);
    }
    nt_buf_append_str(&b, "</channel></rss>");
    size_t len;
    char *body = nt_buf_detach(&b, &len);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result ret = MHD_queue_response(c, n >= 0 ? 200 : 404, r);
    MHD_destroy_response(r);
    return ret;
}

/* A registry of `n` employees, one feed account each. */
static void setup_db(const char *path, unsigned port, long n)
{
    struct nt_store *s;
    struct nt_diag d;
    struct nt_diag_list errs;
    struct nt_reg_import_opts o = { .actor = "bench", .now = 1795392000 };
    struct nt_reg_import_result r;
    struct nt_buf emp, acc;
    char p[512];
    const char *sfx[] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
        unlink(p);
    }
    nt_buf_init(&emp, 1u << 30);
    nt_buf_init(&acc, 1u << 30);
    nt_buf_append_str(&emp, "nip,nama,instansi,unit_kerja,jenis_jabatan,jabatan,kode_wilayah,"
                            "status\n");
    nt_buf_append_str(&acc, "nip,platform,account\n");
    for (long i = 0; i < n; i++) {
        long k = i / 1000;
        char nip[19];
        snprintf(nip, sizeof(nip), "%04ld%02ld%02ld%04ld%02ld%ld%03ld", 1960 + k % 30,
                 1 + k / 30 % 12, 1 + k / 360 % 28, 1960 + k % 30 + 20, 1 + i % 12, 1 + i % 2,
                 i % 1000);
        nt_buf_appendf(&emp, "%s,Pegawai %ld,Instansi,Unit,Fungsional,Analis,76,PNS\n", nip, i);
        nt_buf_appendf(&acc, "%s,feed,http://127.0.0.1:%u/f/%ld.xml\n", nip, port, i);
    }
    nt_diag_list_init(&errs, 5);
    if (nt_store_open(path, NT_STORE_CREATE, &s, &d) != NT_OK ||
        nt_reg_import_employees(s, "e", emp.data, emp.len, &o, &r, &errs, &d) != NT_OK ||
        nt_reg_import_accounts(s, "a", acc.data, acc.len, &o, &r, &errs, &d) != NT_OK) {
        fprintf(stderr, "bench_crawl: setup: %s %s\n", d.msg, errs.count ? errs.items[0].msg : "");
        exit(1);
    }
    nt_store_close(s);
    nt_diag_list_release(&errs);
    nt_buf_release(&emp);
    nt_buf_release(&acc);
}

static void crawl_child(const char *path, unsigned parallel, bool media, double lease)
{
    struct nt_store *s;
    struct nt_diag d;
    struct nt_crawl_opts o;
    struct nt_crawl_stats st;
    memset(&o, 0, sizeof(o));
    nt_http_config_defaults(&o.http);
    o.http.allow_http = true;
    o.http.allow_networks = "127.0.0.1/32";
    o.http.max_connections = parallel;
    o.http.max_per_host = parallel;
    o.http.host_rate = 1e6;
    o.http.host_burst = parallel;
    o.now = 1795392000;
    o.media.no_images = !media;
    o.lease_s = lease;
    if (nt_store_open(path, NT_STORE_POSTGRES, &s, &d) != NT_OK ||
        nt_crawl_run(s, &o, &st, &d) != NT_OK) {
        fprintf(stderr, "bench_crawl: crawl: %s\n", d.msg);
        _exit(1);
    }
    nt_store_close(s);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    /* Peak resident memory of this process image: VmHWM, which starts
     * afresh at exec (ru_maxrss would also count the pages a forked child
     * shares with the bench's own heap, which grows with the setup). */
    long hwm_kb = 0;
    char line[256];
    FILE *st_f = fopen("/proc/self/status", "r");
    while (st_f && fgets(line, sizeof(line), st_f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            hwm_kb = strtol(line + 6, NULL, 10);
    if (st_f)
        fclose(st_f);
    printf("  crawl%s%s: %zu accounts fetched, %zu posts stored, %zu images kept (%zu shared); "
           "CPU %.1f us/post; peak %.1f MB\n",
           media ? " with media" : "", lease > 0 ? " (shared)" : "", st.fetched, st.posts_added,
           st.media_stored, st.media_shared,
           ((double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6) *
               1e6 / (double)(st.posts_added ? st.posts_added : 1),
           (double)hwm_kb / 1024.0);
    fflush(stdout);
    _exit(st.posts_added || lease > 0 ? 0 : 1);
}

/* `workers` crawl processes at once on `path` (with leases when more than
 * one, or when `lease`); the wall time until the last ends; the CPU time of
 * all of them in *cpu. */
static double run_crawls(const char *path, unsigned parallel, bool media, int workers, bool lease,
                         double *cpu)
{
    double t0 = bench_now();
    pid_t pids[8];
    for (int w = 0; w < workers && w < 8; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            /* A fresh image, so that the crawl's memory is its own. */
            char par[16];
            snprintf(par, sizeof(par), "%u", parallel);
            execl("/proc/self/exe", "bench_crawl", "--crawl-child", path, par, media ? "1" : "0",
                  lease ? "600" : "0", (char *)NULL);
            _exit(127);
        }
    }
    for (int w = 0; w < workers && w < 8; w++) {
        int status;
        waitpid(pids[w], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "bench_crawl: crawl failed\n");
            exit(1);
        }
    }
    double t = bench_now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    if (cpu)
        *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    return t;
}

static double run_crawl(const char *path, unsigned parallel, bool media)
{
    return run_crawls(path, parallel, media, 1, false, NULL);
}

static double run_curl(unsigned port, long n, unsigned parallel)
{
    char cfg[] = "/tmp/bench_crawl_curl_XXXXXX";
    int fd = mkstemp(cfg);
    FILE *f = fdopen(fd, "w");
    for (long i = 0; i < n; i++)
        fprintf(f, "url = \"http://127.0.0.1:%u/f/%ld.xml\"\noutput = \"/dev/null\"\n", port, i);
    fclose(f);
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "curl -s --parallel --parallel-max %u --config %s >/dev/null 2>&1",
             parallel, cfg);
    double t0 = bench_now();
    int rc = system(cmd);
    double t = bench_now() - t0;
    unlink(cfg);
    if (rc != 0)
        return -1;
    return t;
}

/* The database's bytes after a crawl (file and WAL). */
static double db_bytes(const char *path)
{
    struct stat sb;
    char p[512];
    double total = 0;
    const char *sfx[] = { "", "-wal" };
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
        if (stat(p, &sb) == 0)
            total += (double)sb.st_size;
    }
    return total;
}

static int sort_ratios(double *ratio, int n)
{
    for (int i = 1; i < n; i++) /* insertion sort: a few values */
        for (int j = i; j > 0 && ratio[j] < ratio[j - 1]; j--) {
            double t = ratio[j];
            ratio[j] = ratio[j - 1];
            ratio[j - 1] = t;
        }
    return n / 2;
}

/* Text-only and with media, A B A B, on the same feeds. */
static void media_rounds(bool *media, unsigned port, long n, unsigned parallel)
{
    enum { ROUNDS = 3 };
    double ratio[ROUNDS], grow[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        *media = false;
        setup_db("bench-crawl.db", port, n);
        double ta = run_crawl("bench-crawl.db", parallel, false);
        double sa = db_bytes("bench-crawl.db");
        *media = true;
        setup_db("bench-crawl.db", port, n);
        double tb = run_crawl("bench-crawl.db", parallel, true);
        double sb = db_bytes("bench-crawl.db");
        ratio[r] = tb / ta;
        grow[r] = (sb - sa) / (double)(n * ITEMS);
        printf("  round %d: text-only %.2f s (%.0f bytes/post); with media %.2f s (%.0f "
               "bytes/post) = %.2fx the time, +%.0f bytes per post\n",
               r + 1, ta, sa / (double)(n * ITEMS), tb, sb / (double)(n * ITEMS), ratio[r],
               grow[r]);
        fflush(stdout);
    }
    int m = sort_ratios(ratio, ROUNDS);
    sort_ratios(grow, ROUNDS);
    printf("  median: crawl with media %.2fx the text-only crawl; +%.0f bytes stored per post "
           "(images of %d KiB on one post in four, half of them one shared flyer kept once)\n",
           ratio[m], grow[m], IMAGE_LEN / 1024);
}

/* The crawl with real flyers, then the real binary's OCR stage, against
 * the text-only crawl of the same feeds. */
static void pipeline(bool *media, unsigned port, long n, unsigned parallel, char *netra)
{
    char p_db[] = "--db", db[] = "bench-crawl.db", c_ocr[] = "ocr";
    *media = false;
    setup_db("bench-crawl.db", port, n);
    double ta = run_crawl("bench-crawl.db", parallel, false);
    *media = true;
    setup_db("bench-crawl.db", port, n);
    double tb = run_crawl("bench-crawl.db", parallel, true);
    char *const ocr[] = { netra, p_db, db, c_ocr, NULL };
    double t0 = bench_now();
    bench_must(ocr);
    double tc = bench_now() - t0;
    long images = n * 2 + 1; /* two of their own per account, one shared */
    printf("  text-only crawl %.2f s (%.0f posts/s); with images: crawl %.2f s + OCR stage %.2f s "
           "= %.0f posts/s end to end (%.2fx the text-only time); %ld distinct images read at "
           "%.1f images/s on one core (%.0f ms each)\n",
           ta, (double)(n * ITEMS) / ta, tb, tc, (double)(n * ITEMS) / (tb + tc), (tb + tc) / ta,
           images, (double)images / tc, 1000.0 * tc / (double)images);
}

/* The first value of `sql` on the database at `target` (either engine);
 * -1 when it could not be read. */
static long long one_value(const char *target, const char *sql)
{
    struct nt_db *db = NULL;
    struct nt_db_stmt *st = NULL;
    struct nt_diag d;
    enum nt_err err = NT_OK;
    long long n = -1;
    if (nt_db_open(target, &db, &d) == NT_OK && nt_db_prepare(db, sql, &st, &d) == NT_OK &&
        nt_db_next(st, &err, &d))
        n = nt_db_int64(st, 0);
    nt_db_finalize(st);
    nt_db_close(db);
    return n;
}

/* Rows in a table of the crawl's database. */
static long long count_rows(const char *path, const char *table)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    return one_value(path, sql);
}

/* 1, 2 and 4 processes sharing the accounts by leases, each round beside
 * one process alone (no leases) on the same feeds. */
static void worker_rounds(unsigned port, long n, unsigned parallel)
{
    static const int counts[] = { 1, 2, 4 };
    long posts = n * ITEMS;
    for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
        double cpu0, cpu1, cpu2;
        setup_db("bench-crawl.db", port, n);
        run_crawls("bench-crawl.db", parallel, false, 0, false, &cpu0);
        double ta = run_crawls("bench-crawl.db", parallel, false, 1, false, &cpu1);
        setup_db("bench-crawl.db", port, n);
        double tb = run_crawls("bench-crawl.db", parallel, false, counts[k], true, &cpu2);
        long long stored = count_rows("bench-crawl.db", "posts");
        printf("  %d process%s sharing by leases: %.2f s, %.0f posts/s, CPU %.1f us/post over all "
               "of them, %.0f bytes/post; alone without leases %.2f s (%.0f posts/s): %.2fx its "
               "time; %lld posts stored for %ld served%s\n",
               counts[k], counts[k] > 1 ? "es" : "", tb, (double)posts / tb,
               (cpu2 - cpu1) * 1e6 / (double)posts, db_bytes("bench-crawl.db") / (double)posts, ta,
               (double)posts / ta, tb / ta, stored, posts,
               stored == posts ? "" : " - NOT every post once");
        (void)cpu0;
        fflush(stdout);
    }
}

/* The machine's busy CPU seconds so far (all processes: /proc/stat). */
static double machine_cpu(void)
{
    FILE *f = fopen("/proc/stat", "r");
    unsigned long long v[8] = { 0 };
    if (!f)
        return 0;
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (n != 8)
        return 0;
    /* user nice system (idle iowait) irq softirq steal */
    unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    return (double)busy / (double)sysconf(_SC_CLK_TCK);
}

/* A database of its own on the server `base` names (dropped and made
 * again), with the SQLite file's registry moved in; its URI in `out`. */
static void pg_setup(const char *base, const char *sqlite_path, char *out, size_t n)
{
    struct nt_diag d;
    if (pg_fresh_db(base, "netra_bench_crawl", out, n) != 0)
        exit(1);
    json_t *report = NULL;
    if (nt_store_migrate_to(sqlite_path, out, 0, NULL, NULL, &report, &d) != NT_OK) {
        fprintf(stderr, "bench_crawl: migrate-store: %s\n", d.msg);
        exit(1);
    }
    json_decref(report);
}

/* 1, 2 and 4 processes sharing the accounts through PostgreSQL, each
 * round beside one process on the SQLite file (with a lease, as the
 * shared crawls take theirs). */
static void pg_worker_rounds(const char *base, unsigned port, long n, unsigned parallel)
{
    static const int counts[] = { 1, 2, 4 };
    long posts = n * ITEMS;
    char target[1024];
    for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
        double c0, c1, m0, m1;
        setup_db("bench-crawl.db", port, n);
        run_crawls("bench-crawl.db", parallel, false, 0, false, &c0);
        m0 = machine_cpu();
        double ta = run_crawls("bench-crawl.db", parallel, false, 1, true, &c1);
        m1 = machine_cpu();
        double sqlite_bytes = db_bytes("bench-crawl.db");
        double sqlite_machine = m1 - m0, sqlite_cpu = c1 - c0;
        setup_db("bench-crawl.db", port, n);
        pg_setup(base, "bench-crawl.db", target, sizeof(target));
        long long size0 = one_value(target, "SELECT pg_database_size(current_database())");
        run_crawls(target, parallel, false, 0, false, &c0);
        m0 = machine_cpu();
        double tb = run_crawls(target, parallel, false, counts[k], true, &c1);
        m1 = machine_cpu();
        long long size1 = one_value(target, "SELECT pg_database_size(current_database())");
        long long stored = count_rows(target, "posts");
        long long versions = count_rows(target, "post_versions");
        printf("  PostgreSQL, %d process%s: %.2f s, %.0f posts/s; CPU %.1f us/post in the "
               "crawlers, %.1f us/post on the whole machine (the server's work included); "
               "%.0f bytes/post; %lld posts and %lld versions stored for %ld served%s\n"
               "  SQLite, 1 process (same round): %.2f s, %.0f posts/s; CPU %.1f us/post in the "
               "crawler, %.1f us/post on the whole machine; %.0f bytes/post; PostgreSQL "
               "%.2fx its time\n",
               counts[k], counts[k] > 1 ? "es" : "", tb, (double)posts / tb,
               (c1 - c0) * 1e6 / (double)posts, (m1 - m0) * 1e6 / (double)posts,
               (double)(size1 - size0) / (double)posts, stored, versions, posts,
               stored == posts && versions == posts ? "" : " - NOT every post once", ta,
               (double)posts / ta, sqlite_cpu * 1e6 / (double)posts,
               sqlite_machine * 1e6 / (double)posts, sqlite_bytes / (double)posts, tb / ta);
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "--crawl-child") == 0) {
        crawl_child(argv[2], (unsigned)strtoul(argv[3], NULL, 10), argv[4][0] == '1',
                    strtod(argv[5], NULL));
        return 1;
    }
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
    unsigned parallel = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 32;
    static bool media = false;
    bool media_mode = argc > 3 && strcmp(argv[3], "--media") == 0;
    bool workers_mode = argc > 3 && strcmp(argv[3], "--workers") == 0;
    const char *pg_base = argc > 4 && strcmp(argv[3], "--workers-pg") == 0 ? argv[4] : NULL;
    bool pipeline_mode = argc > 5 && strcmp(argv[3], "--pipeline") == 0;
    if (pipeline_mode) {
        struct nt_diag fd;
        nt_buf_init(&flyer, (size_t)1 << 24);
        if (nt_file_read(argv[5], &flyer, &fd) != NT_OK) {
            fprintf(stderr, "bench_crawl: %s: %s\n", argv[5], fd.msg);
            return 1;
        }
    }
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, feed,
                         &media, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024, MHD_OPTION_END);
    if (!d)
        return 1;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    printf("bench_crawl: %ld feed accounts x %d items on 127.0.0.1, %u parallel transfers%s\n", n,
           ITEMS, parallel,
           pipeline_mode  ? ", text-only against crawl and OCR of real flyers"
           : media_mode   ? ", text-only against with media"
           : workers_mode ? ", 1, 2 and 4 crawl processes sharing the accounts"
           : pg_base      ? ", 1, 2 and 4 crawl processes sharing a PostgreSQL database"
                          : "");
    fflush(stdout);
    if (media_mode || pipeline_mode || workers_mode || pg_base) {
        if (pg_base)
            pg_worker_rounds(pg_base, port, n, parallel);
        else if (workers_mode)
            worker_rounds(port, n, parallel);
        else if (pipeline_mode)
            pipeline(&media, port, n, parallel, argv[4]);
        else
            media_rounds(&media, port, n, parallel);
        MHD_stop_daemon(d);
        unlink("bench-crawl.db");
        unlink("bench-crawl.db-wal");
        unlink("bench-crawl.db-shm");
        return 0;
    }
    /* Three rounds, each against a baseline measured right before it; the
     * median ratio is the result (one round swings by about 10%). */
    enum { ROUNDS = 3 };
    double ratio[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        setup_db("bench-crawl.db", port, n);
        double tc = run_curl(port, n, parallel);
        double tn = run_crawl("bench-crawl.db", parallel, false);
        ratio[r] = tc > 0 ? tn / tc : 0.0;
        printf("  round %d: curl --parallel (transport limit) %.2f s; netra crawl (fetch, parse, "
               "store %ld posts) %.2f s = %.2fx\n",
               r + 1, tc, n * ITEMS, tn, ratio[r]);
        fflush(stdout);
    }
    printf("  median: %.2fx the transport limit (target: within 3x)\n",
           ratio[sort_ratios(ratio, ROUNDS)]);
    MHD_stop_daemon(d);
    unlink("bench-crawl.db");
    unlink("bench-crawl.db-wal");
    unlink("bench-crawl.db-shm");
    return 0;
}
