/*
 * cmd_maint.c - the operator's maintenance commands: `netra backup`,
 * `netra restore` and `netra check`. They act on the database, not for a
 * person: no --as needed (the service user runs them from cron or a
 * timer). The work is in the libraries: the copy and the SQLite checks in
 * store/, the evidence hashes in crawler/, the audit chain in review/.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "evidence.h"
#include "migrate.h"
#include "review.h"
#include "store.h"

const char cmd_backup_usage[] =
    "Pemakaian: netra backup BERKAS\n"
    "\n"
    "Menyalin basis data ke BERKAS (dimampatkan gzip) dengan API cadangan daring\n"
    "SQLite: salinan yang konsisten walau crawl dan serve sedang menulis. Salinan\n"
    "diperiksa (integritas, basis data Netra) sebelum ditulis; BERKAS tidak pernah\n"
    "tertinggal setengah jadi. Contoh harian dari cron:\n"
    "  netra --db /var/lib/netra/netra.db backup /var/backups/netra-$(date +%%F).db.gz\n";

const char cmd_restore_usage[] =
    "Pemakaian: netra restore BERKAS [--force]\n"
    "\n"
    "Memulihkan basis data (--db) dari cadangan buatan 'netra backup'. Cadangan\n"
    "diperiksa dulu; basis data lama dipindahkan ke samping (NAMA.sebelum-pulih-WAKTU),\n"
    "tidak pernah dihapus. Ditolak bila basis data sedang dipakai (hentikan netra\n"
    "serve dan netra run), bila cadangan berskema lebih baru dari program ini, atau\n"
    "bila basis data yang ada berskema lebih baru dari cadangan (--force untuk tetap\n"
    "memulihkan). Setelah memulihkan cadangan lama, 'netra init' meningkatkan skemanya.\n";

const char cmd_check_usage[] =
    "Pemakaian: netra check [--json]\n"
    "\n"
    "Memeriksa basis data untuk operator (juga dari cron): integritas SQLite, kunci\n"
    "asing, rantai jejak audit, dan hash SHA-256 setiap bukti unggahan yang masih\n"
    "disimpan. Satu baris per pemeriksaan; kode keluar 1 bila ada yang tidak beres.\n";

const char cmd_migrate_store_usage[] =
    "Pemakaian: netra migrate-store --to postgresql://... [--batch N] [--json]\n"
    "\n"
    "Memindahkan basis data instansi (--db, berkas SQLite) ke basis data PostgreSQL\n"
    "yang kosong: skema dibuat dari skema berkas ini, setiap tabel disalin per N baris\n"
    "(bawaan 5000) dalam satu transaksi bersama catatan kemajuannya, lalu kunci asing,\n"
    "indeks dan penghitung id. Bila terhenti (Ctrl-C, listrik padam, kill -9), jalankan\n"
    "perintah yang sama lagi: salinan dilanjutkan dari batch terakhir, tidak ada baris\n"
    "yang tersalin dua kali. Selesai hanya setelah diperiksa: jumlah baris dan digest\n"
    "SHA-256 setiap tabel dibaca ulang dari kedua sisi, dan setiap bukti (isi mentah\n"
    "dan teks unggahan, berkas media) di PostgreSQL dicocokkan dengan hash yang dicatat\n"
    "saat diambil. Indeks teks SQLite (FTS5) dan tembolok statistik tidak disalin.\n"
    "Hentikan netra run dan netra serve selama pemindahan. Koneksi memakai TLS dengan\n"
    "verifikasi sertifikat kecuali URI menyatakan lain (sslmode=...).\n"
    "Contoh:\n"
    "  netra --db /var/lib/netra/netra.db migrate-store \\\n"
    "      --to 'postgresql://netra@db.internal/netra?sslmode=verify-full'\n";

static void migrate_progress(void *arg, const char *table, int64_t done, int64_t total)
{
    struct cli_progress *p = arg;
    if (!cli_progress_due(p, (size_t)done, (size_t)total))
        return;
    fprintf(p->f, "\rMenyalin %s: %lld dari %lld baris\033[K", table, (long long)done,
            (long long)total);
    fflush(p->f);
}

int cmd_migrate_store(struct cli *c, int argc, char **argv)
{
    const char *to = NULL;
    bool json = false;
    long batch = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
            to = argv[++i];
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            char *end;
            batch = strtol(argv[++i], &end, 10);
            if (*end || batch < 1 || batch > 1000000)
                return cli_usage_error(c, "migrate-store", "--batch \"%s\" bukan 1..1000000",
                                       argv[i]);
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else {
            return cli_usage_error(c, "migrate-store", "argumen \"%s\" tidak dikenal", argv[i]);
        }
    }
    if (!to || !nt_db_is_postgres(to))
        return cli_usage_error(c, "migrate-store",
                               "--to postgresql://... diperlukan (basis data tujuan)");
    struct nt_diag d;
    nt_diag_clear(&d);
    json_t *report = NULL;
    struct cli_progress p = { isatty(fileno(stderr)) ? stderr : NULL, 0, false };
    enum nt_err err = nt_store_migrate_to(c->db_path, to, (size_t)batch,
                                          p.f ? migrate_progress : NULL, &p, &report, &d);
    if (p.f)
        cli_progress_end(&p);
    if (err)
        return cli_fail(c, &d);
    int rc = CLI_OK;
    if (json) {
        rc = cli_print_json(c, report);
    } else {
        size_t i;
        json_t *t;
        json_int_t rows = 0;
        json_array_foreach(json_object_get(report, "tables"), i, t) rows +=
            json_integer_value(json_object_get(t, "rows"));
        fprintf(c->out,
                "Basis data %s dipindahkan ke PostgreSQL: %zu tabel, %lld baris, skema versi "
                "%d.\n",
                c->db_path, json_array_size(json_object_get(report, "tables")), (long long)rows,
                NT_STORE_SCHEMA_VERSION);
        const char *k;
        json_t *v;
        fprintf(c->out, "Diperiksa: jumlah baris dan digest SHA-256 setiap tabel sama di kedua "
                        "sisi; bukti yang cocok dengan hash-nya:");
        json_object_foreach(json_object_get(report, "evidence"), k, v)
            fprintf(c->out, " %s %lld;", k, (long long)json_integer_value(v));
        json_t *sec = json_object_get(report, "seconds");
        fprintf(c->out, "\nWaktu: menyalin %.1f s, kunci dan indeks %.1f s, pemeriksaan %.1f s.\n",
                json_real_value(json_object_get(sec, "copy")),
                json_real_value(json_object_get(sec, "keys_and_indexes")),
                json_real_value(json_object_get(sec, "verify")));
    }
    json_decref(report);
    return rc;
}

/* A command of the SQLite file refused on PostgreSQL, saying what does
 * its work there. */
static int sqlite_only(struct cli *c, const char *what)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    nt_diag_set(&d, NT_EUSAGE, "%s (lihat README, bagian PostgreSQL)", what);
    return cli_fail(c, &d);
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error(c, "backup", "pemakaian: netra backup BERKAS");
    if (nt_db_is_postgres(c->db_path))
        return sqlite_only(c, "backup menyalin berkas SQLite; basis data PostgreSQL dicadangkan "
                              "dengan pg_dump atau pg_basebackup");
    struct nt_store *s = cli_open_store(c, 0);
    if (!s)
        return CLI_FAIL;
    struct nt_diag d;
    nt_diag_clear(&d);
    int rc = CLI_OK;
    if (nt_store_backup(s, argv[1], &d) != NT_OK)
        rc = cli_fail(c, &d);
    else
        fprintf(c->out, "Cadangan %s ditulis dan diperiksa (skema versi %d).\n", argv[1],
                nt_store_schema_version(s));
    nt_store_close(s);
    return rc;
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
    const char *file = NULL;
    bool force = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0)
            force = true;
        else if (argv[i][0] != '-' && !file)
            file = argv[i];
        else
            return cli_usage_error(c, "restore", "argumen \"%s\" tidak dikenal", argv[i]);
    }
    if (!file)
        return cli_usage_error(c, "restore", "pemakaian: netra restore BERKAS [--force]");
    struct nt_diag d;
    char aside[4200];
    nt_diag_clear(&d);
    char moved[4200];
    if (nt_store_restore(file, c->db_path, force, aside, sizeof(aside), &d) != NT_OK)
        return cli_fail(c, &d);
    fprintf(c->out, "Basis data %s dipulihkan dari %s.", c->db_path, file);
    if (aside[0])
        fprintf(c->out, " Yang lama disimpan sebagai %s.", aside);
    fputc('\n', c->out);
    /* The checkpoints of the replaced database no longer apply. */
    if (nt_audit_log_set_aside(c->db_path, c->now, moved, sizeof(moved), &d) != NT_OK)
        return cli_fail(c, &d);
    if (moved[0])
        fprintf(c->out, "Log titik periksa jejak audit yang lama dipindahkan ke %s.\n", moved);
    return CLI_OK;
}

struct check_line {
    const char *name;
    bool ok;
    char detail[512];
};

int cmd_check(struct cli *c, int argc, char **argv)
{
    bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc > 2 || (argc == 2 && !json))
        return cli_usage_error(c, "check", "pemakaian: netra check [--json]");
    if (nt_db_is_postgres(c->db_path))
        return sqlite_only(c, "check memeriksa berkas SQLite; basis data PostgreSQL diperiksa "
                              "dengan pg_amcheck dan dipulihkan dari pg_dump atau pg_basebackup");
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY);
    if (!s)
        return CLI_FAIL;
    struct check_line lines[3] = { { "basis data", false, "" },
                                   { "jejak audit", false, "" },
                                   { "bukti unggahan", false, "" } };
    struct nt_diag d;
    nt_diag_clear(&d);
    int rc = CLI_OK;
    /* SQLite's own checks first: the others read through it. */
    if (nt_store_check(s, &d) == NT_OK) {
        lines[0].ok = true;
        snprintf(lines[0].detail, sizeof(lines[0].detail),
                 "integritas dan kunci asing baik (skema versi %d)", nt_store_schema_version(s));
    } else if (d.err == NT_EINPUT) {
        snprintf(lines[0].detail, sizeof(lines[0].detail), "%s", d.msg);
    } else {
        rc = cli_fail(c, &d);
        goto out;
    }
    struct nt_audit_check ac;
    nt_diag_clear(&d);
    enum nt_err aerr = nt_audit_verify(s, &ac, &d);
    if (aerr == NT_ENOTFOUND) {
        /* A keyed trail without its key cannot be vouched for: say so. */
        lines[1].ok = false;
        snprintf(lines[1].detail, sizeof(lines[1].detail), "tidak dapat diperiksa: %s", d.msg);
    } else if (aerr != NT_OK) {
        rc = cli_fail(c, &d);
        goto out;
    } else if ((lines[1].ok = !ac.broken))
        snprintf(lines[1].detail, sizeof(lines[1].detail), "%lld baris, rantai utuh%s",
                 (long long)ac.rows, ac.key_id[0] ? " (berkunci)" : "");
    else
        snprintf(lines[1].detail, sizeof(lines[1].detail), "rusak: %s", ac.problem);
    struct nt_evidence_check ec;
    if (nt_evidence_verify(s, &ec, &d) != NT_OK) {
        rc = cli_fail(c, &d);
        goto out;
    }
    lines[2].ok = ec.bad == 0;
    if (lines[2].ok)
        snprintf(lines[2].detail, sizeof(lines[2].detail),
                 "%lld versi cocok dengan SHA-256-nya, %lld sudah dihapus retensi (hash tetap)",
                 (long long)ec.versions, (long long)ec.purged);
    else
        snprintf(lines[2].detail, sizeof(lines[2].detail),
                 "%lld dari %lld versi tidak cocok dengan SHA-256-nya, pertama versi #%lld "
                 "(unggahan #%lld)",
                 (long long)ec.bad, (long long)ec.versions, (long long)ec.first_bad,
                 (long long)ec.first_post);
    bool all = true;
    for (int i = 0; i < 3; i++)
        all &= lines[i].ok;
    if (json) {
        json_t *a = json_array();
        for (int i = 0; i < 3; i++)
            json_array_append_new(a, json_pack("{s:s, s:b, s:s}", "check", lines[i].name, "ok",
                                               lines[i].ok, "detail", lines[i].detail));
        json_t *o = json_pack("{s:b, s:o}", "ok", all, "checks", a);
        rc = cli_print_json(c, o);
        json_decref(o);
    } else {
        for (int i = 0; i < 3; i++)
            fprintf(c->out, "%-15s %-6s %s\n", lines[i].name, lines[i].ok ? "baik" : "RUSAK",
                    lines[i].detail);
    }
    if (!all && rc == CLI_OK)
        rc = CLI_FAIL;
out:
    nt_store_close(s);
    return rc;
}
