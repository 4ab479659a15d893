/*
 * main.c - `netra`: global options, the command table, help and version.
 * Each command lives in its own cmd_<name>.c with its usage text.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/uversion.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cli.h"
#include "date.h"

#ifndef NT_VERSION
#define NT_VERSION "0.0.0"
#endif
#ifndef NT_DATADIR
#define NT_DATADIR "data"
#endif

static int cmd_help(struct cli *c, int argc, char **argv);
static int cmd_version(struct cli *c, int argc, char **argv);

static const char help_usage[] = "Pemakaian: netra help [PERINTAH]\n"
                                 "\n"
                                 "Menampilkan daftar perintah, atau bantuan satu perintah.\n";

static const char version_usage[] = "Pemakaian: netra version\n"
                                    "\n"
                                    "Menampilkan versi Netra dan pustaka yang dipakainya.\n";

static const struct cli_cmd commands[] = {
    { "init", cmd_init, "membuat basis data atau meningkatkan skemanya", cmd_init_usage, false },
    { "employees", cmd_employees, "daftar pegawai: impor, lihat, cari", cmd_employees_usage, true },
    { "accounts", cmd_accounts, "akun media sosial pegawai: impor, lihat", cmd_accounts_usage,
      true },
    { "crawl", cmd_crawl, "mengambil unggahan publik akun yang diawasi", cmd_crawl_usage, false },
    { "run", cmd_run, "menjalankan crawl, penilaian dan antrean terus-menerus (layanan)",
      cmd_run_usage, false },
    { "ingest", cmd_ingest, "menyimpan unggahan dari berkas NDJSON sebagai bukti", cmd_ingest_usage,
      false },
    { "scan", cmd_scan, "menilai unggahan tersimpan dengan leksikon aktif", cmd_scan_usage, false },
    { "ocr", cmd_ocr, "membaca teks dalam gambar tersimpan dan menilai ulang unggahannya",
      cmd_ocr_usage, false },
    { "lexicon", cmd_lexicon, "leksikon pemilu: periksa, impor, versi, bandingkan",
      cmd_lexicon_usage, true },
    { "match", cmd_match, "menilai teks atau unggahan dengan leksikon dan menjelaskannya",
      cmd_match_usage, false },
    { "model", cmd_model, "model sikap: latih, evaluasi, impor, aktifkan, bandingkan",
      cmd_model_usage, true },
    { "queue", cmd_queue, "antrean tinjauan instansi Anda", cmd_queue_usage, false },
    { "review", cmd_review, "melihat, mengklaim dan memutuskan butir", cmd_review_usage, true },
    { "case", cmd_case, "kasus menurut SOP dan berkas bukti", cmd_case_usage, true },
    { "stats", cmd_stats, "statistik untuk laporan dan analis", cmd_stats_usage, false },
    { "audit", cmd_audit, "jejak audit berantai hash", cmd_audit_usage, true },
    { "serve", cmd_serve, "aplikasi web untuk peninjau, analis dan supervisor", cmd_serve_usage,
      false },
    { "user", cmd_user, "pengguna dan perannya", cmd_user_usage, true },
    { "config", cmd_config, "pengaturan tinjauan", cmd_config_usage, true },
    { "retention", cmd_retention, "menghapus isi unggahan lama yang tidak diperlukan",
      cmd_retention_usage, false },
    { "backup", cmd_backup, "menyalin basis data dengan aman saat layanan berjalan",
      cmd_backup_usage, false },
    { "restore", cmd_restore, "memulihkan basis data dari cadangan", cmd_restore_usage, false },
    { "migrate-store", cmd_migrate_store, "memindahkan basis data ke PostgreSQL, terverifikasi",
      cmd_migrate_store_usage, false },
    { "check", cmd_check, "memeriksa basis data, jejak audit dan hash bukti", cmd_check_usage,
      false },
    { "demo", cmd_demo, "menjalankan contoh lengkap dengan data contoh bawaan", cmd_demo_usage,
      false },
    { "help", cmd_help, "bantuan perintah", help_usage, false },
    { "version", cmd_version, "versi program dan pustaka", version_usage, false },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char main_usage_head[] =
    "Pemakaian: netra [--db BERKAS] [--as NAMA [--password-stdin]] PERINTAH [ARGUMEN...]\n"
    "\n"
    "Netra membantu Tim Internal instansi mengawasi netralitas ASN di media sosial:\n"
    "mengumpulkan unggahan publik, menandai yang perlu ditinjau, dan mencatat\n"
    "keputusan manusia. Netra menandai; manusia yang memutuskan.\n"
    "\n"
    "Opsi umum:\n"
    "  --db BERKAS    basis data (bawaan: $NETRA_DB, atau ./netra.db); atau\n"
    "                 postgresql://... untuk init, employees, accounts, crawl, run,\n"
    "                 ingest, scan, ocr, lexicon/model import\n"
    "  --as NAMA      nama pengguna yang bertindak (bawaan: $NETRA_USER, atau pengguna\n"
    "                 yang ditautkan ke pengguna sistem Anda); perlu kata sandinya\n"
    "  --password-stdin  kata sandi pengguna itu dari baris pertama masukan standar\n"
    "                 (tanpa opsi ini ditanyakan di terminal)\n"
    "  -h, --help     bantuan ini\n"
    "  -V, --version  versi program\n"
    "\n"
    "Perintah:\n";

static const char main_usage_tail[] =
    "\n"
    "Bantuan satu perintah: netra PERINTAH --help\n"
    "Kode keluar: 0 berhasil, 1 gagal saat berjalan, 2 penggunaan salah.\n";

static void print_main_usage(FILE *f)
{
    fputs(main_usage_head, f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fputs(main_usage_tail, f);
}

static const struct cli_cmd *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int cmd_help(struct cli *c, int argc, char **argv)
{
    if (argc < 2) {
        print_main_usage(c->out);
        return CLI_OK;
    }
    const struct cli_cmd *cmd = find_command(argv[1]);
    if (!cmd)
        return cli_usage_error(c, "help", "'%s' bukan perintah netra", argv[1]);
    fputs(cmd->usage, c->out);
    return CLI_OK;
}

static int cmd_version(struct cli *c, int argc, char **argv)
{
    char pcre[64] = "";
    UVersionInfo icu;
    char icu_s[U_MAX_VERSION_STRING_LENGTH];
    (void)argv;
    if (argc > 1)
        return cli_usage_error(c, "version", "argumen tidak dikenal");
    pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    u_getVersion(icu);
    u_versionToString(icu, icu_s);
    fprintf(c->out, "netra %s\n", NT_VERSION);
    fprintf(c->out, "pustaka: SQLite %s, libcurl %s, PCRE2 %s, ICU %s, Jansson %s, libsodium %s\n",
            sqlite3_libversion(), curl_version_info(CURLVERSION_NOW)->version, pcre, icu_s,
            jansson_version_str(), sodium_version_string());
    fprintf(c->out, "skema basis data: versi %d\n", NT_STORE_SCHEMA_VERSION);
    fprintf(c->out, "data bawaan: %s\n", c->datadir);
    return CLI_OK;
}

/*
 * Where the bundled data is: NETRA_DATA; else share/netra beside the
 * installed binary (PREFIX/bin/netra -> PREFIX/share/netra, what `cmake
 * --install` lays out); else the source tree the binary was built from.
 */
static const char *find_datadir(void)
{
    const char *env = getenv("NETRA_DATA");
    if (env && *env)
        return env;
    static char dir[4096];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 32);
    if (n > 0) {
        dir[n] = '\0';
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            slash = strrchr(dir, '/');
            if (slash && strcmp(slash, "/bin") == 0) {
                snprintf(slash, sizeof(dir) - (size_t)(slash - dir), "/share/netra");
                char probe[4200];
                snprintf(probe, sizeof(probe), "%s/lexicon/default-2024.json", dir);
                if (access(probe, R_OK) == 0)
                    return dir;
            }
        }
    }
    return NT_DATADIR;
}

/* NETRA_NOW pins "now" for reproducible runs: YYYY-MM-DD or an ISO time. */
static bool init_now(struct cli *c)
{
    const char *env = getenv("NETRA_NOW");
    if (!env || !*env) {
        c->now = time(NULL);
        return true;
    }
    if (!nt_time_parse(env, &c->now)) {
        fprintf(c->err,
                "netra: NETRA_NOW \"%s\" tidak sah (pakai YYYY-MM-DD atau "
                "YYYY-MM-DDTHH:MM:SSZ)\n",
                env);
        return false;
    }
    return true;
}

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

void cli_openmp_single(struct cli *c)
{
    if (getenv("OMP_THREAD_LIMIT") || setenv("OMP_THREAD_LIMIT", "1", 1) != 0)
        return;
    fflush(c->out);
    fflush(c->err);
    execv("/proc/self/exe", c->argv);
}

int main(int argc, char **argv)
{
    struct cli c = { 0 };
    int i;

    c.prog = argv[0];
    c.argv = argv;
    c.out = stdout;
    c.err = stderr;
    c.db_path = env_or("NETRA_DB", "netra.db");
    c.actor = env_or("NETRA_USER", env_or("USER", "netra"));
    c.actor_named = getenv("NETRA_USER") && *getenv("NETRA_USER");
    cli_os_user(c.os_user, sizeof(c.os_user));
    c.datadir = find_datadir();
    if (!init_now(&c))
        return CLI_USAGE;
    if (sodium_init() < 0) {
        fputs("netra: libsodium tidak dapat dimulai\n", c.err);
        return CLI_FAIL;
    }

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            print_main_usage(c.out);
            return CLI_OK;
        } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
            return cmd_version(&c, 1, argv + i);
        } else if (strcmp(a, "--db") == 0 || strcmp(a, "--as") == 0) {
            if (i + 1 >= argc || !argv[i + 1][0]) {
                fprintf(c.err, "netra: opsi %s memerlukan nilai (lihat 'netra --help')\n", a);
                return CLI_USAGE;
            }
            if (a[2] == 'd') {
                c.db_path = argv[++i];
            } else {
                c.actor = argv[++i];
                c.actor_named = true;
            }
        } else if (strncmp(a, "--db=", 5) == 0 && a[5]) {
            c.db_path = a + 5;
        } else if (strncmp(a, "--as=", 5) == 0 && a[5]) {
            c.actor = a + 5;
            c.actor_named = true;
        } else if (strcmp(a, "--password-stdin") == 0) {
            /* The acting user's password, first line of stdin (scripts);
             * a command's own --password-stdin reads the next line. */
            static char pw[256];
            if (!fgets(pw, sizeof(pw), stdin)) {
                fputs("netra: --password-stdin: tidak ada kata sandi di masukan standar\n", c.err);
                return CLI_USAGE;
            }
            pw[strcspn(pw, "\r\n")] = '\0';
            c.password = pw;
        } else {
            fprintf(c.err, "netra: opsi umum \"%s\" tidak dikenal (lihat 'netra --help')\n", a);
            return CLI_USAGE;
        }
    }
    if (i >= argc) {
        print_main_usage(c.err);
        return CLI_USAGE;
    }
    const struct cli_cmd *cmd = find_command(argv[i]);
    if (!cmd) {
        fprintf(c.err, "netra: \"%s\" bukan perintah netra (lihat 'netra help')\n", argv[i]);
        return CLI_USAGE;
    }
    int sub_argc = argc - i;
    char **sub_argv = argv + i;
    /* Groups handle --help per subcommand themselves. */
    if (!cmd->group && cli_wants_help(&c, cmd->usage, sub_argc, sub_argv))
        return CLI_OK;
    int rc = cmd->run(&c, sub_argc, sub_argv);
    if (c.password)
        sodium_memzero(c.password, strlen(c.password));
    if (fflush(c.out) != 0 || ferror(c.out)) {
        fputs("netra: gagal menulis keluaran\n", c.err);
        return CLI_FAIL;
    }
    return rc;
}
