/*
 * bench_ingest.c - `netra ingest` at 100,000 and 1,000,000 posts against a
 * baseline measured in the same run, and its peak memory.
 *
 * Baseline: what a plain bulk loader into the same schema does for the same
 * file - read it line by line, parse each line (Jansson), hash the line and
 * the text (the schema keeps both SHA-256), and insert into posts and
 * post_versions with two prepared statements in one transaction; no
 * validation, no registry lookup, no edit detection. Measured: the real
 * binary, `netra ingest FILE --no-scan` (scoring is the scan's benchmark),
 * on a copy of the same database. Both are timed from the start to the
 * database closed (the binary: its whole process, start-up included). The
 * ratio is baseline time / ingest time (1.00x: as fast). Peak memory is
 * the child's max RSS: streaming keeps it the same for 100k and 1M posts
 * (the file is 10x larger).
 *
 * Texts: the x-posts-2023 corpus (read at run time) in turn; generated
 * sentences without it. Accounts: 1,000 declared through `netra employees
 * import` and `netra accounts import`.
 *
 *   bench_ingest [NETRA] [CORPORA_DIR] [POSTS]   (run from the build
 *                                                directory; POSTS: one size)
 */
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "corpus.h"
#include "common.h"

#define ACCOUNTS 1000

static void die(const char *what)
{
    fprintf(stderr, "bench_ingest: %s\n", what);
    exit(1);
}

/* Run argv; its wall time, and its peak RSS in MiB. */
static double run(const char *const *argv, double *rss_mb)
{
    fflush(stdout);
    double t0 = bench_now();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(126);
        execv(argv[0], (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        die("wait4");
    double t = bench_now() - t0;
    /* netra ingest exits 1 when it rejected a line; the file has none. */
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_ingest: %s %s failed (%d)\n", argv[0], argv[3], status);
        exit(1);
    }
    if (rss_mb)
        *rss_mb = (double)ru.ru_maxrss / 1024.0;
    return t;
}

static void write_file(const char *path, const char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
        die(path);
}

/* bench_corpus's callback: each non-empty text into a JSON array. */
static void add_text(const char *text, size_t len, void *out)
{
    if (len)
        json_array_append_new(out, json_stringn(text, len));
}

/* Texts of the corpus's "text" column, or generated ones. */
static void texts(const char *corpora, json_t *out)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/x-posts-2023/posts_2023-11-15_to_2023-11-30.csv", corpora);
    bench_corpus(path, "text", add_text, out);
    for (int i = 0; json_array_size(out) < 100; i++) {
        char t[160];
        snprintf(t, sizeof(t),
                 "Rapat koordinasi nomor %d berjalan lancar, terima kasih rekan kerja", i);
        json_array_append_new(out, json_string(t));
    }
}

/* A registry of ACCOUNTS employees with one Mastodon account each, imported
 * through the binary into `db`. */
static void registry(const char *netra, const char *db)
{
    struct nt_buf e, a;
    nt_buf_init(&e, (size_t)1 << 24);
    nt_buf_init(&a, (size_t)1 << 24);
    nt_buf_append_str(&e,
                      "nip,nama,instansi,unit_kerja,jenis_jabatan,jabatan,kode_wilayah,status\n");
    nt_buf_append_str(&a, "nip,platform,account\n");
    for (int i = 0; i < ACCOUNTS; i++) {
        char nip[19];
        int k = i / 1000, by = 1960 + k % 30;
        snprintf(nip, sizeof(nip), "%04d%02d%02d%04d%02d%d%03d", by, 1 + k / 30 % 12,
                 1 + k / 360 % 28, by + 20 + i % 10, 1 + i % 12, 1 + i % 2, i % 1000);
        nt_buf_appendf(&e, "%s,Pegawai Contoh %d,Instansi %d,Unit %d,Fungsional,Analis,76.01,PNS\n",
                       nip, i, i % 20, i % 9);
        nt_buf_appendf(&a, "%s,mastodon,pegawai%d@masto.contoh.example\n", nip, i);
    }
    write_file("bench-ingest-employees.csv", e.data, e.len);
    write_file("bench-ingest-accounts.csv", a.data, a.len);
    nt_buf_release(&e);
    nt_buf_release(&a);
    const char *init[] = { netra, "--db", db, "init", NULL };
    const char *emp[] = { netra, "--db", db, "employees", "import", "bench-ingest-employees.csv",
                          NULL };
    const char *acc[] = {
        netra, "--db", db, "accounts", "import", "bench-ingest-accounts.csv", NULL
    };
    run(init, NULL);
    run(emp, NULL);
    run(acc, NULL);
}

/* n posts as NDJSON into `path`; its size in bytes. */
static size_t posts_file(const char *path, json_t *tx, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        die(path);
    size_t bytes = 0, nt = json_array_size(tx);
    for (size_t i = 0; i < n; i++) {
        char id[32], acc[64];
        snprintf(id, sizeof(id), "p%zu", i);
        snprintf(acc, sizeof(acc), "pegawai%zu@masto.contoh.example", i % ACCOUNTS);
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:O, s:s}", "id", id, "platform", "mastodon", "account", acc,
                      "text", json_array_get(tx, i % nt), "created_at", "2023-11-20T08:00:00Z");
        char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (!line)
            die("json_dumps");
        bytes += (size_t)fprintf(f, "%s\n", line);
        free(line);
    }
    if (fclose(f) != 0)
        die(path);
    return bytes;
}

static void copy_db(const char *from, const char *to)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -f '%s' '%s-wal' '%s-shm' && cp '%s' '%s'", to, to, to, from,
             to);
    if (system(cmd) != 0)
        die("copy");
}

static void hex(const void *p, size_t n, char out[65])
{
    unsigned char h[32];
    crypto_hash_sha256(h, p, n);
    sodium_bin2hex(out, 65, h, 32);
}

/* The baseline loader (see the top). */
static double baseline(const char *db, const char *path)
{
    sqlite3 *s;
    sqlite3_stmt *post, *ver, *acc;
    if (sqlite3_open(db, &s) != SQLITE_OK)
        die("open");
    double t0 = bench_now();
    sqlite3_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; BEGIN", NULL, NULL, NULL);
    if (sqlite3_prepare_v2(s,
                           "INSERT INTO posts(account_id, remote_id, interaction, posted_at, "
                           "source, first_seen_at, last_seen_at) VALUES (?1, ?2, 'post', ?3, "
                           "'ingest', ?4, ?4)",
                           -1, &post, NULL) ||
        sqlite3_prepare_v2(s,
                           "INSERT INTO post_versions(post_id, seq, text, raw, raw_sha256, "
                           "content_sha256, request_url, fetched_at) VALUES (?1, 1, ?2, ?3, ?4, "
                           "?5, ?6, ?7)",
                           -1, &ver, NULL) ||
        sqlite3_prepare_v2(s,
                           "SELECT id FROM accounts WHERE platform = 'mastodon' AND account = ?1",
                           -1, &acc, NULL))
        die(sqlite3_errmsg(s));
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path);
    char *line = NULL, rh[65], th[65], url[64];
    size_t cap = 0;
    ssize_t n;
    unsigned long no = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        no++;
        json_t *o = json_loadb(line, (size_t)n - 1, 0, NULL);
        if (!o)
            die("baseline: bad line");
        const char *text = json_string_value(json_object_get(o, "text"));
        sqlite3_bind_text(acc, 1, json_string_value(json_object_get(o, "account")), -1,
                          SQLITE_STATIC);
        if (sqlite3_step(acc) != SQLITE_ROW)
            die("baseline: account");
        sqlite3_int64 account = sqlite3_column_int64(acc, 0);
        sqlite3_reset(acc);
        sqlite3_bind_int64(post, 1, account);
        sqlite3_bind_text(post, 2, json_string_value(json_object_get(o, "id")), -1, SQLITE_STATIC);
        sqlite3_bind_text(post, 3, json_string_value(json_object_get(o, "created_at")), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(post, 4, "2026-12-07T00:00:00Z", -1, SQLITE_STATIC);
        if (sqlite3_step(post) != SQLITE_DONE)
            die(sqlite3_errmsg(s));
        sqlite3_reset(post);
        hex(line, (size_t)n - 1, rh);
        hex(text, strlen(text), th);
        snprintf(url, sizeof(url), "file:bench#L%lu", no);
        sqlite3_bind_int64(ver, 1, sqlite3_last_insert_rowid(s));
        sqlite3_bind_text(ver, 2, text, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ver, 3, line, (int)n - 1, SQLITE_STATIC);
        sqlite3_bind_text(ver, 4, rh, -1, SQLITE_STATIC);
        sqlite3_bind_text(ver, 5, th, -1, SQLITE_STATIC);
        sqlite3_bind_text(ver, 6, url, -1, SQLITE_STATIC);
        sqlite3_bind_text(ver, 7, "2026-12-07T00:00:00Z", -1, SQLITE_STATIC);
        if (sqlite3_step(ver) != SQLITE_DONE)
            die(sqlite3_errmsg(s));
        sqlite3_reset(ver);
        json_decref(o);
    }
    free(line);
    fclose(f);
    if (sqlite3_exec(s, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(s));
    sqlite3_finalize(post);
    sqlite3_finalize(ver);
    sqlite3_finalize(acc);
    /* Timed to the database closed, as the binary is (its process ends
     * with the close): closing checkpoints what is left and deletes the
     * WAL, tens of milliseconds at 100k posts. */
    if (sqlite3_close(s) != SQLITE_OK)
        die("close");
    return bench_now() - t0;
}

int main(int argc, char **argv)
{
    const char *netra = argc > 1 ? argv[1] : "./netra";
    const char *corpora = argc > 2 ? argv[2] : "../../shared/corpora";
    size_t sizes[] = { 100000, 1000000 }, nsizes = 2;
    if (argc > 3)
        sizes[0] = strtoul(argv[3], NULL, 10), nsizes = 1;
    if (sodium_init() < 0)
        die("libsodium");
    json_t *tx = json_array();
    texts(corpora, tx);
    registry(netra, "bench-ingest-base.db");
    printf("bench_ingest: netra ingest --no-scan against a plain loader into the same schema "
           "(parse, SHA-256, two prepared INSERTs, one transaction); %zu texts in turn, %d "
           "accounts\n",
           json_array_size(tx), ACCOUNTS);
    double rss[2] = { 0, 0 };
    for (size_t k = 0; k < nsizes; k++) {
        size_t n = sizes[k];
        size_t bytes = posts_file("bench-ingest.ndjson", tx, n);
        /* Baseline and binary alternate, twice; the better of each. */
        double tb = 1e30, ti = 1e30;
        for (int r = 0; r < 2; r++) {
            copy_db("bench-ingest-base.db", "bench-ingest-b.db");
            double t = baseline("bench-ingest-b.db", "bench-ingest.ndjson");
            tb = t < tb ? t : tb;
            copy_db("bench-ingest-base.db", "bench-ingest-n.db");
            const char *ing[] = {
                netra,       "--db", "bench-ingest-n.db", "ingest", "bench-ingest.ndjson",
                "--no-scan", NULL
            };
            t = run(ing, &rss[k]);
            ti = t < ti ? t : ti;
        }
        printf("  %8zu posts (%6.1f MB): baseline %6.2f s %8.0f posts/s | netra ingest %6.2f s "
               "%8.0f posts/s  %.2fx baseline | peak memory %6.1f MB\n",
               n, (double)bytes / 1e6, tb, (double)n / tb, ti, (double)n / ti, tb / ti, rss[k]);
        fflush(stdout);
    }
    printf("  target: >= 1.0x the baseline; peak memory independent of the file's size "
           "(1M / 100k: %.2f)\n",
           rss[0] > 0 ? rss[1] / rss[0] : 0.0);
    json_decref(tx);
    const char *files[] = { "bench-ingest.ndjson", "bench-ingest-b.db", "bench-ingest-n.db",
                            "bench-ingest-employees.csv", "bench-ingest-accounts.csv" };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        unlink(files[i]);
    return 0;
}
