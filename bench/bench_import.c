/*
 * bench_import.c - how fast the registry imports, as ratios against a
 * baseline measured in the same run.
 *
 * Baseline: the same employees written with one prepared INSERT per row in
 * one transaction, no CSV parsing and no validation - the least work any
 * importer must do. Measured: `nt_reg_import_employees` on the equivalent
 * CSV for a first import (all new), a re-import of the same file (all
 * unchanged) and a re-import where 10% of rows changed (updates + history).
 *
 *   bench_import [ROWS]      (default 50000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "registry.h"
#include "common.h"

static struct nt_store *fresh(const char *path)
{
    char p[256];
    struct nt_store *s = NULL;
    struct nt_diag d;
    const char *sfx[] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
        unlink(p);
    }
    if (nt_store_open(path, NT_STORE_CREATE, &s, &d) != NT_OK) {
        fprintf(stderr, "bench: %s\n", d.msg);
        exit(1);
    }
    return s;
}

/* Row i of the synthetic registry; `variant` changes the position. */
static void row(size_t i, int variant, char *nip, char *name, char *pos)
{
    /* Unique NIPs: a distinct birth date per thousand rows, sequence within. */
    size_t k = i / 1000;
    int by = 1960 + (int)(k % 30), bm = 1 + (int)(k / 30 % 12), bd = 1 + (int)(k / 360 % 28);
    snprintf(nip, 19, "%04d%02d%02d%04d%02d%d%03zu", by, bm, bd, by + 20 + (int)(i % 10),
             1 + (int)(i % 12), 1 + (int)(i % 2), i % 1000);
    snprintf(name, 64, "Pegawai Contoh %zu", i);
    snprintf(pos, 64, "%s %zu", variant ? "Kepala Seksi" : "Analis", i % 50);
}

static void make_csv(struct nt_buf *b, size_t n, int change_every)
{
    char nip[19], name[64], pos[64];
    nt_buf_append_str(b, "nip,nama,instansi,unit_kerja,jenis_jabatan,jabatan,kode_wilayah,"
                         "status\n");
    for (size_t i = 0; i < n; i++) {
        row(i, change_every && i % (size_t)change_every == 0, nip, name, pos);
        nt_buf_appendf(b, "%s,%s,Instansi %zu,Unit %zu,Fungsional,%s,76.%02zu,PNS\n", nip, name,
                       i % 40, i % 9, pos, 1 + i % 6);
    }
}

static double baseline(size_t n)
{
    struct nt_store *s = fresh("bench-baseline.db");
    struct nt_diag d;
    sqlite3_stmt *st = NULL;
    char nip[19], name[64], pos[64], agency[32], unit[32], region[8];
    double t0 = bench_now();
    nt_store_begin(s, &d);
    nt_store_prepare(s,
                     "INSERT INTO employees(nip, name, agency, work_unit, position_type, "
                     "position, region_code, status, birth_date, service_start, sex, "
                     "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'Fungsional', ?5, ?6, "
                     "'PNS', '1970-01-01', '1990-01', 'L', 't', 't')",
                     &st, &d);
    for (size_t i = 0; i < n; i++) {
        row(i, 0, nip, name, pos);
        snprintf(agency, sizeof(agency), "Instansi %zu", i % 40);
        snprintf(unit, sizeof(unit), "Unit %zu", i % 9);
        snprintf(region, sizeof(region), "76.%02zu", 1 + i % 6);
        sqlite3_bind_text(st, 1, nip, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, agency, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, unit, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, pos, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, region, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "bench: baseline insert failed: %s\n", sqlite3_errmsg(nt_store_db(s)));
            exit(1);
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    nt_store_commit(s, &d);
    double t = bench_now() - t0;
    nt_store_close(s);
    return t;
}

static double import(struct nt_store *s, const struct nt_buf *csv, size_t expect_rows)
{
    struct nt_reg_import_opts o = { .actor = "bench", .now = 1795392000 };
    struct nt_reg_import_result r;
    struct nt_diag_list errs;
    struct nt_diag d;
    nt_diag_list_init(&errs, 10);
    double t0 = bench_now();
    enum nt_err err =
        nt_reg_import_employees(s, "bench.csv", csv->data, csv->len, &o, &r, &errs, &d);
    double t = bench_now() - t0;
    if (err || r.rows != expect_rows) {
        fprintf(stderr, "bench: import failed: %s (%zu errors)\n", d.msg, errs.count);
        exit(1);
    }
    nt_diag_list_release(&errs);
    return t;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 50000;
    struct nt_buf same, changed;
    nt_buf_init(&same, (size_t)1 << 30);
    nt_buf_init(&changed, (size_t)1 << 30);
    make_csv(&same, n, 0);
    make_csv(&changed, n, 10);

    double base = baseline(n);
    struct nt_store *s = fresh("bench-import.db");
    double first = import(s, &same, n);
    double again = import(s, &same, n);
    double upd = import(s, &changed, n);
    nt_store_close(s);

    printf("bench_import: %zu employees, CSV %.1f MiB\n", n, (double)same.len / 1048576.0);
    printf("  %-34s %8.3f s  %8.0f rows/s  1.00x\n", "baseline (raw INSERT, 1 tx)", base,
           (double)n / base);
    printf("  %-34s %8.3f s  %8.0f rows/s  %.2fx baseline\n", "import, all new", first,
           (double)n / first, first / base);
    printf("  %-34s %8.3f s  %8.0f rows/s  %.2fx baseline\n", "re-import, unchanged", again,
           (double)n / again, again / base);
    printf("  %-34s %8.3f s  %8.0f rows/s  %.2fx baseline\n", "re-import, 10% changed", upd,
           (double)n / upd, upd / base);
    nt_buf_release(&same);
    nt_buf_release(&changed);
    unlink("bench-baseline.db");
    unlink("bench-import.db");
    return 0;
}
