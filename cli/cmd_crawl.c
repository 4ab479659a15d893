/*
 * cmd_crawl.c - `netra crawl`: fetch declared accounts' public posts.
 */
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "crawl.h"
#include "engine.h"
#include "review.h"
#include "date.h"

const char cmd_crawl_usage[] =
    "Pemakaian: netra crawl [OPSI]\n"
    "\n"
    "Mengambil unggahan publik setiap akun aktif dan menyimpannya sebagai bukti\n"
    "(byte asli, SHA-256, waktu, URL). Sopan: batas koneksi total dan per host,\n"
    "laju per host, Retry-After dan header rate limit dipatuhi, coba ulang dengan\n"
    "jeda bertambah. Aman: TLS selalu diverifikasi, hanya https, paling banyak 5\n"
    "pengalihan, alamat privat/lokal ditolak kecuali diizinkan. Status setiap akun\n"
    "disimpan dalam transaksi yang sama dengan unggahannya: crawl yang terhenti\n"
    "dapat dijalankan lagi tanpa kehilangan atau menggandakan unggahan.\n"
    "Sumber: feed (RSS, RDF, Atom, JSON Feed), Mastodon, Bluesky, dan X (API v2\n"
    "dengan token dari berkas konfigurasi (x_bearer_token) atau NETRA_X_BEARER_TOKEN;\n"
    "tanpa token akun X dilewati). Akun yang gagal ditunda sebelum dicoba lagi.\n"
    "\n"
    "Opsi:\n"
    "  --platform P           hanya platform ini\n"
    "  --account AKUN         hanya akun ini (seperti terdaftar), juga bila sedang ditunda\n"
    "  --all                  juga akun yang ditunda: setelah gagal, akun menunggu\n"
    "                         5 menit, lalu berlipat dua, paling lama 1 hari\n"
    "  --watch                terus berjalan: crawl lagi setiap --interval, berhenti\n"
    "                         dengan rapi pada SIGINT/SIGTERM (sinyal kedua: berhenti\n"
    "                         seketika; data yang tersimpan tetap utuh)\n"
    "  --interval DURASI      jeda antar-crawl untuk --watch (mis. 30m; bawaan 30m)\n"
    "  --json                 ringkasan sebagai JSON (tanpa baris kemajuan)\n"
    "  --no-scan              jangan menilai unggahan baru (bawaan: setiap crawl diakhiri\n"
    "                         penilaian unggahan baru dan yang berubah, lalu antrean)\n"
    "  --no-ocr               jangan membaca teks dalam gambar sesudah crawl (nanti\n"
    "                         dengan 'netra ocr')\n"
    "  --no-media             jangan mengambil gambar lampiran (hanya URL dan metadata\n"
    "                         dicatat; kunci konfigurasi media = no)\n"
    "  --config BERKAS        berkas konfigurasi (juga NETRA_CONFIG); opsi di baris\n"
    "                         perintah menimpa isinya, lihat README\n"
    "  --contact EMAIL        alamat kontak di User-Agent (disarankan)\n"
    "  --allow-network CIDR   izinkan jaringan privat ini (mis. cermin lokal; uji)\n"
    "  --allow-http           izinkan http tanpa TLS (hanya untuk uji/cermin lokal)\n"
    "  --max-connections N    koneksi bersamaan (bawaan 16)\n"
    "  --per-host N           koneksi bersamaan per host (bawaan 2)\n"
    "  --rate R               permintaan per detik per host (bawaan 1)\n"
    "  --x-token-hosts H,...  host selain api.x.com yang boleh menerima token X (cermin\n"
    "                         tepercaya); endpoint akun X lain tidak pernah menerimanya\n"
    "  --lease DURASI         beberapa proses crawl berbagi daftar akun (mis. di beberapa\n"
    "                         mesin): akun diambil hanya dengan pinjaman (lease) selama\n"
    "                         DURASI (mis. 30m), akun yang sedang atau sudah diambil proses\n"
    "                         lain dalam putaran ini dilewati; pinjaman proses yang mati\n"
    "                         habis dan akunnya diambil proses lain (kunci konfigurasi\n"
    "                         lease; bawaan 0: tidak berbagi)\n"
    "\n"
    "Lampiran: gambar diambil lewat mesin HTTP yang sama (paling besar media_max,\n"
    "bawaan 10M; jenisnya dibaca dari isi berkas, bukan dari header server), disimpan\n"
    "sekali per SHA-256 walau dibagikan banyak unggahan; video dan audio hanya dicatat\n"
    "URL dan metadatanya kecuali video_max diatur. Teks alternatif dinilai bersama\n"
    "keterangan; teks dalam gambar dibaca sesudah crawl dan unggahannya dinilai ulang.\n"
    "\n"
    "Di terminal, kemajuan (akun selesai/total, unggahan baru, galat, waktu tunggu\n"
    "rate limit) ditampilkan di stderr.\n";

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

struct progress {
    FILE *f;
    bool shown;
};

static void show_progress(void *user, const struct nt_crawl_stats *st)
{
    struct progress *p = user;
    fprintf(p->f,
            "\r%zu/%zu akun, %zu unggahan baru, %zu gagal, %zu kali menunggu rate limit%s\033[K",
            nt_crawl_done(st), st->total, st->posts_added, st->failed, st->rate_limited,
            stop_requested ? " (menghentikan...)" : "");
    fflush(p->f);
    p->shown = true;
}

static void print_summary(struct cli *c, const struct nt_crawl_stats *st, bool json, time_t started,
                          json_t *scan)
{
    if (json) {
        char at[32];
        nt_time_iso(started, at, sizeof(at));
        json_t *j = json_pack(
            "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
            "started_at", at, "accounts", (json_int_t)st->total, "fetched", (json_int_t)st->fetched,
            "not_modified", (json_int_t)st->not_modified, "failed", (json_int_t)st->failed,
            "skipped", (json_int_t)st->unsupported, "cancelled", (json_int_t)st->cancelled,
            "posts_added", (json_int_t)st->posts_added, "posts_edited",
            (json_int_t)st->posts_edited, "posts_unchanged", (json_int_t)st->posts_unchanged,
            "posts_deleted", (json_int_t)st->posts_deleted, "done", (json_int_t)nt_crawl_done(st),
            "rate_limited", (json_int_t)st->rate_limited, "deferred", (json_int_t)st->deferred,
            "stopped", stop_requested != 0);
        if (j)
            json_object_set_new(j, "elsewhere", json_integer((json_int_t)st->elsewhere));
        /* journald reads the level; a run with failures is a warning. */
        if (j)
            json_object_set_new(j, "level", json_string(st->failed ? "warning" : "info"));
        if (j && scan)
            json_object_set(j, "scan", scan);
        if (j)
            json_object_set_new(
                j, "media",
                json_pack("{s:I, s:I, s:I, s:I}", "stored", (json_int_t)st->media_stored, "shared",
                          (json_int_t)st->media_shared, "refused", (json_int_t)st->media_refused,
                          "failed", (json_int_t)st->media_failed));
        if (j)
            json_object_set_new(j, "follows",
                                json_pack("{s:I, s:I}", "new", (json_int_t)st->follows_new, "gone",
                                          (json_int_t)st->follows_gone));
        if (j)
            json_dumpf(j, c->out, JSON_COMPACT);
        fputc('\n', c->out);
        json_decref(j);
        fflush(c->out);
        return;
    }
    fprintf(c->out,
            "Crawl: %zu akun; %zu diambil, %zu tidak berubah (304), %zu gagal, %zu dilewati. "
            "Unggahan baru %zu, versi baru %zu, tidak berubah %zu, terhapus %zu.\n",
            st->total, st->fetched, st->not_modified, st->failed, st->unsupported, st->posts_added,
            st->posts_edited, st->posts_unchanged, st->posts_deleted);
    if (st->media_stored || st->media_refused || st->media_failed)
        fprintf(c->out,
                "Lampiran: %zu disimpan (%zu sudah ada dari unggahan lain), %zu ditolak, "
                "%zu gagal diambil.\n",
                st->media_stored, st->media_shared, st->media_refused, st->media_failed);
    if (st->follows_new || st->follows_gone)
        fprintf(c->out, "Akun yang diikuti: %zu baru, %zu berhenti diikuti.\n", st->follows_new,
                st->follows_gone);
    if (st->deferred)
        fprintf(c->out,
                "Ditunda: %zu akun yang gagal berulang menunggu jadwal coba lagi "
                "(--all untuk mengambilnya sekarang).\n",
                st->deferred);
    if (st->cancelled)
        fprintf(c->out,
                "Dihentikan: %zu akun belum diambil (akan diambil pada crawl berikutnya).\n",
                st->cancelled);
    if (st->elsewhere)
        fprintf(c->out,
                "Diambil proses crawl lain: %zu akun (sedang atau sudah dalam putaran ini).\n",
                st->elsewhere);
    if (st->failed)
        fputs("Lihat 'netra accounts status' untuk galat per akun.\n", c->out);
    fflush(c->out);
}

/* `retention` in the configuration: once a day `netra run` purges old
 * content, acting as the Netra user an admin linked to the service's OS
 * user (retention is audited and needs an admin); one line says what it
 * did, or why it could not. */
static void run_retention(struct cli *c, struct nt_store *s, unsigned days, bool json, time_t now)
{
    struct nt_user u = { 0 };
    struct nt_diag d;
    char name[64];
    json_t *out = NULL;
    nt_diag_clear(&d);
    enum nt_err err = nt_user_for_os(s, c->os_user, name, sizeof(name), &d);
    if (!err)
        err = nt_user_authenticate(s, name, NULL, c->os_user, &u, &d);
    if (!err)
        err = nt_retention_run(s, &u, (int)days, false, now, &out, &d);
    if (json) {
        json_t *j = err ? json_pack("{s:s, s:s, s:s}", "level", "warning", "stage", "retention",
                                    "error", d.msg)
                        : json_pack("{s:s, s:s, s:O, s:O, s:O}", "level", "info", "stage",
                                    "retention", "versions", json_object_get(out, "versions"),
                                    "posts", json_object_get(out, "posts"), "cutoff",
                                    json_object_get(out, "cutoff"));
        if (j)
            json_dumpf(j, c->out, JSON_COMPACT);
        fputc('\n', c->out);
        json_decref(j);
    } else if (err) {
        fprintf(c->err, "netra: retensi tidak dijalankan: %s\n", d.msg);
    } else {
        fprintf(c->out, "Retensi: isi %lld versi dari %lld unggahan sebelum %s dihapus.\n",
                (long long)json_integer_value(json_object_get(out, "versions")),
                (long long)json_integer_value(json_object_get(out, "posts")),
                json_string_value(json_object_get(out, "cutoff")));
    }
    fflush(c->out);
    json_decref(out);
    nt_user_release(&u);
}

/* Sleep up to `seconds`, waking early on a stop request. */
static void pause_for(double seconds)
{
    while (seconds > 0 && !stop_requested) {
        double step = seconds < 0.2 ? seconds : 0.2;
        struct timespec ts = { 0, (long)(step * 1e9) };
        nanosleep(&ts, NULL);
        seconds -= step;
    }
}

int cmd_crawl(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "platform", required_argument, NULL, 'p' },
        { "account", required_argument, NULL, 'a' },
        { "all", no_argument, NULL, 'A' },
        { "watch", no_argument, NULL, 'w' },
        { "interval", required_argument, NULL, 'i' },
        { "json", no_argument, NULL, 'j' },
        { "config", required_argument, NULL, 'f' },
        { "contact", required_argument, NULL, 'c' },
        { "allow-network", required_argument, NULL, 'n' },
        { "allow-http", no_argument, NULL, 'h' },
        { "max-connections", required_argument, NULL, 'm' },
        { "per-host", required_argument, NULL, 'H' },
        { "rate", required_argument, NULL, 'r' },
        { "x-token-hosts", required_argument, NULL, 'T' },
        { "no-scan", no_argument, NULL, 'S' },
        { "no-ocr", no_argument, NULL, 'O' },
        { "no-media", no_argument, NULL, 'M' },
        { "lease", required_argument, NULL, 'L' },
        { NULL, 0, NULL, 0 },
    };
    /* Options that are configuration keys are applied after the file. */
    struct {
        const char *key, *value;
    } set[32];
    size_t nset = 0;
    const char *config_path = getenv("NETRA_CONFIG");
    const char *platform = NULL, *account = NULL;
    bool watch = false, json = false, all = false, scan = true, ocr = true;
    int opt;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        const char *key = NULL;
        switch (opt) {
        case 'p':
            platform = optarg;
            break;
        case 'a':
            account = optarg;
            break;
        case 'w':
            watch = true;
            break;
        case 'A':
            all = true;
            break;
        case 'S':
            scan = false;
            break;
        case 'O':
            ocr = false;
            break;
        case 'M':
            key = "media";
            break;
        case 'j':
            json = true;
            break;
        case 'f':
            config_path = optarg;
            break;
        case 'i':
            key = "interval";
            break;
        case 'c':
            key = "contact";
            break;
        case 'n':
            key = "allow_networks";
            break;
        case 'h':
            key = "allow_http";
            break;
        case 'm':
            key = "max_connections";
            break;
        case 'H':
            key = "per_host";
            break;
        case 'T':
            key = "x_token_hosts";
            break;
        case 'r':
            key = "rate";
            break;
        case 'L':
            key = "lease";
            break;
        default:
            return cli_bad_option(c, "crawl", argc, argv);
        }
        if (key && nset < sizeof(set) / sizeof(set[0])) {
            set[nset].key = key;
            set[nset++].value = opt == 'h' ? "yes" : opt == 'M' ? "no" : optarg;
        } else if (key) {
            return cli_usage_error(c, "crawl", "terlalu banyak opsi");
        }
    }
    if (optind != argc)
        return cli_usage_error(c, "crawl", "argumen \"%s\" tidak dikenal", argv[optind]);

    /* The images are read in this process: Tesseract's OpenMP threads
     * held to one (cli_openmp_single re-runs the command once). */
    if (scan && ocr)
        cli_openmp_single(c);
    struct nt_crawl_config cfg;
    struct nt_diag d;
    nt_diag_clear(&d);
    nt_crawl_config_init(&cfg);
    if (config_path && *config_path && nt_crawl_config_load(&cfg, config_path, &d) != NT_OK) {
        nt_crawl_config_free(&cfg);
        return cli_fail(c, &d);
    }
    for (size_t i = 0; i < nset; i++) {
        if (nt_crawl_config_set(&cfg, set[i].key, set[i].value, &d) != NT_OK) {
            char msg[sizeof(d.msg)];
            snprintf(msg, sizeof(msg), "%s", d.msg);
            nt_crawl_config_free(&cfg);
            /* Keys are named as options on the command line. */
            return cli_usage_error(c, "crawl", "opsi --%s: %s", set[i].key, msg);
        }
    }
    if (cfg.token_file_exposed)
        fprintf(c->err,
                "netra: peringatan: %s berisi token X tetapi dapat dibaca pengguna lain "
                "(chmod 600)\n",
                config_path);
    const char *env_token = getenv("NETRA_X_BEARER_TOKEN");
    if (env_token && *env_token)
        cfg.opts.x_token = env_token;
    cfg.opts.platform = platform;
    cfg.opts.account = account;
    cfg.opts.all = all;

    struct progress pr = { .f = c->err };
    if (!json && isatty(fileno(c->err))) {
        cfg.opts.progress = show_progress;
        cfg.opts.progress_user = &pr;
    }
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    /* A second signal ends the process at once: safe, since every account
     * commits on its own (the crash tests kill at random moments). */
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    stop_requested = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    cfg.opts.http.stop = &stop_requested;

    int rc = CLI_OK;
    /* Crawling, scoring and reading images run on PostgreSQL too (many
     * workers, one database). */
    struct nt_store *s = cli_open_store(c, NT_STORE_POSTGRES);
    if (!s)
        rc = CLI_FAIL;
    time_t last_retention = 0;
    for (unsigned round = 0; s && rc == CLI_OK; round++) {
        /* The first round keeps NETRA_NOW (reproducible runs); later rounds
         * of --watch run at the real time. */
        cfg.opts.now = round == 0 ? c->now : time(NULL);
        /* Each round scores with the versions active when it starts (an
         * activation between rounds is picked up), inside the transaction
         * that stores each post. */
        struct cli_scorer scorer = { 0 };
        if (scan && cli_scorer_open(c, s, &scorer) != CLI_OK) {
            rc = CLI_FAIL;
            break;
        }
        cfg.opts.stored = cli_scorer_hook(&scorer);
        struct nt_crawl_stats st;
        enum nt_err cerr = nt_crawl_run(s, &cfg.opts, &st, &d);
        if (cerr != NT_OK) {
            cli_scorer_close(&scorer);
            if (pr.shown)
                fputc('\n', c->err);
            rc = cli_fail(c, &d);
            /* The database went away (a server restarted, a standby
             * promoted): a service connects again and goes on with the
             * next round; what this round did not commit is done again
             * then (a crawl's writes are idempotent). */
            if (watch && cerr == NT_ENET && !stop_requested) {
                nt_store_close(s);
                s = NULL;
                double wait = cfg.interval_s < 30 ? cfg.interval_s : 30;
                while (!s && !stop_requested) {
                    pause_for(wait > 1 ? wait : 1);
                    if (!stop_requested)
                        s = cli_open_store(c, NT_STORE_POSTGRES);
                }
                if (s) {
                    fputs("netra: tersambung kembali ke basis data; putaran berikutnya berjalan\n",
                          c->err);
                    rc = CLI_OK;
                    continue;
                }
            }
            break;
        }
        if (pr.shown) {
            fputc('\n', c->err);
            pr.shown = false;
        }
        /* New and edited posts are scored and queued as each run ends (a
         * run that was killed leaves them unscored for the next); with
         * --json the figures go into the run's one summary line. */
        json_t *sj = NULL;
        if (!json)
            print_summary(c, &st, json, cfg.opts.now, NULL);
        if (scan && cli_score_stored(c, s, NULL, NULL, false, true, cli_scorer_stats(&scorer),
                                     json ? &sj : NULL) != CLI_OK)
            rc = CLI_FAIL;
        /* Then the images the round kept: their text read, their posts
         * scored again (text-only posts were scored as they were stored). */
        json_t *oj = NULL;
        if (rc == CLI_OK && scan && ocr &&
            cli_read_images(c, s, &scorer, 0, 0, &stop_requested, true, json ? &oj : NULL) !=
                CLI_OK)
            rc = CLI_FAIL;
        if (sj && oj)
            json_object_set_new(sj, "ocr", oj);
        else
            json_decref(oj);
        cli_scorer_close(&scorer);
        memset(&cfg.opts.stored, 0, sizeof(cfg.opts.stored));
        if (json)
            print_summary(c, &st, json, cfg.opts.now, sj);
        json_decref(sj);
        if (rc != CLI_OK)
            break;
        if (watch && cfg.retention_days && cfg.opts.now - last_retention >= 86400) {
            run_retention(c, s, cfg.retention_days, json, cfg.opts.now);
            last_retention = cfg.opts.now;
        }
        if (!watch || stop_requested)
            break;
        pause_for(cfg.interval_s);
        if (stop_requested)
            break;
    }
    if (stop_requested && !json)
        fputs("Crawl dihentikan dengan rapi; unggahan yang sudah diambil tersimpan.\n", c->out);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    nt_store_close(s);
    nt_crawl_config_free(&cfg);
    return rc;
}

const char cmd_run_usage[] =
    "Pemakaian: netra run [--config BERKAS] [OPSI crawl ...]\n"
    "\n"
    "Perintah yang berjalan terus di samping 'netra serve' (layanan netra-run):\n"
    "setiap --interval (bawaan 30m, atau 'interval' di berkas konfigurasi) mengambil\n"
    "unggahan semua akun aktif, menilai yang baru dan yang berubah dengan leksikon dan\n"
    "model aktif, dan memasukkan yang perlu ditinjau ke antrean. Satu baris JSON per\n"
    "putaran (crawl dan penilaiannya) untuk journal. Berhenti dengan rapi pada\n"
    "SIGTERM/SIGINT. Sama dengan 'netra crawl --watch --json'; opsi lain seperti\n"
    "netra crawl.\n";

int cmd_run(struct cli *c, int argc, char **argv)
{
    /* crawl --watch --json, followed by the caller's options. */
    char **v = calloc((size_t)argc + 3, sizeof(*v));
    if (!v)
        return cli_failf(c, "memori tidak cukup");
    static char crawl[] = "crawl", watch[] = "--watch", json[] = "--json";
    v[0] = crawl;
    v[1] = watch;
    v[2] = json;
    for (int i = 1; i < argc; i++)
        v[i + 2] = argv[i];
    int rc = cmd_crawl(c, argc + 2, v);
    free(v);
    return rc;
}
