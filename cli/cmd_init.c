/*
 * cmd_init.c - `netra init`: create the database, or upgrade its schema.
 */
#include "cli.h"
#include "db.h"
#include "migrate.h"
#include "review.h"

const char cmd_init_usage[] =
    "Pemakaian: netra [--db BERKAS|postgresql://...] init\n"
    "\n"
    "Membuat basis data baru (SQLite, mode WAL), atau meningkatkan skema basis data\n"
    "lama ke versi yang dikenal program ini dalam satu transaksi. Aman dijalankan\n"
    "berulang kali. Basis data dengan skema lebih baru daripada program ditolak.\n"
    "\n"
    "Dengan URI postgresql:// basis data PostgreSQL yang kosong diberi skema yang\n"
    "sama (lewat jalur 'netra migrate-store'); lihat docs/scale.md.\n";

/* A PostgreSQL target: made once, then left alone. */
static int init_postgres(struct cli *c)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    bool created = false;
    int from = 0;
    if (nt_store_init_postgres(c->db_path, &created, &from, &d) != NT_OK)
        return cli_fail(c, &d);
    struct nt_store *s = NULL;
    if (nt_store_open(c->db_path, NT_STORE_POSTGRES | NT_STORE_READONLY, &s, &d) != NT_OK)
        return cli_fail(c, &d);
    fputs(created ? "Basis data PostgreSQL dibuat: " : "Basis data PostgreSQL: ", c->out);
    cli_put_safe(c->out, nt_store_path(s));
    if (from)
        fprintf(c->out, " ditingkatkan dari skema versi %d ke versi %d\n", from,
                nt_store_schema_version(s));
    else
        fprintf(c->out, created ? " (skema versi %d)\n" : " sudah mutakhir (skema versi %d)\n",
                nt_store_schema_version(s));
    nt_store_close(s);
    return CLI_OK;
}

int cmd_init(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage_error(c, "init", "argumen \"%s\" tidak dikenal", argv[1]);
    if (nt_db_is_postgres(c->db_path))
        return init_postgres(c);
    struct nt_store *s = cli_open_store(c, NT_STORE_CREATE);
    if (!s)
        return CLI_FAIL;
    int before = nt_store_opened_version(s);
    int after = nt_store_schema_version(s);
    char moved[4200] = "";
    struct nt_diag d;
    nt_diag_clear(&d);
    if (before == 0 && nt_audit_log_set_aside(c->db_path, c->now, moved, sizeof(moved), &d)) {
        nt_store_close(s);
        return cli_fail(c, &d);
    }
    fputs(before == 0 ? "Basis data dibuat: " : "Basis data: ", c->out);
    cli_put_safe(c->out, c->db_path);
    if (before == 0)
        fprintf(c->out, " (skema versi %d)\n", after);
    else if (before < after)
        fprintf(c->out, " ditingkatkan dari skema versi %d ke versi %d\n", before, after);
    else
        fprintf(c->out, " sudah mutakhir (skema versi %d)\n", after);
    if (moved[0]) {
        fputs("Log titik periksa jejak audit dari basis data sebelumnya dipindahkan ke ", c->out);
        cli_put_safe(c->out, moved);
        fputs(".\n", c->out);
    }
    nt_store_close(s);
    return CLI_OK;
}
