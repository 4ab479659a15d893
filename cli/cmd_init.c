/*
 * cmd_init.c - `netra init`: create the database, or upgrade its schema.
 */
#include "cli.h"
#include "review.h"

const char cmd_init_usage[] =
    "Pemakaian: netra [--db BERKAS] init\n"
    "\n"
    "Membuat basis data baru (SQLite, mode WAL), atau meningkatkan skema basis data\n"
    "lama ke versi yang dikenal program ini dalam satu transaksi. Aman dijalankan\n"
    "berulang kali. Basis data dengan skema lebih baru daripada program ditolak.\n";

int cmd_init(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage_error(c, "init", "argumen \"%s\" tidak dikenal", argv[1]);
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
