/*
 * cmd_ingest.c - `netra ingest`: posts from NDJSON files into the evidence
 * store (exports of other tools, complaints with the post attached).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "engine.h"
#include "ingest.h"

const char cmd_ingest_usage[] =
    "Pemakaian: netra ingest BERKAS.ndjson [--no-scan]\n"
    "\n"
    "Menyimpan unggahan dari berkas NDJSON sebagai bukti: byte asli setiap baris,\n"
    "SHA-256-nya, waktu dan asal pembacaan. Satu objek per baris dengan \"id\",\n"
    "\"text\", \"platform\" dan \"account\" (akun yang terdaftar), serta opsional\n"
    "\"created_at\", \"type\" (post, repost, reply, quote, comment), \"author\",\n"
    "\"url\", \"lang\". Baris rusak dilaporkan (BERKAS:BARIS: kolom: alasan) dan\n"
    "dilewati; unggahan yang teksnya berubah disimpan sebagai versi baru.\n"
    "\n"
    "Unggahan baru dan yang berubah langsung dinilai dengan leksikon dan model aktif\n"
    "dan yang perlu ditinjau masuk antrean (seperti 'netra scan'), kecuali dengan\n"
    "--no-scan. Tanpa leksikon aktif, penilaian menunggu sampai leksikon diaktifkan.\n";

int cmd_ingest(struct cli *c, int argc, char **argv)
{
    bool scan = true;
    if (argc == 3 && strcmp(argv[2], "--no-scan") == 0) {
        scan = false;
        argc = 2;
    } else if (argc == 3 && strcmp(argv[1], "--no-scan") == 0) {
        scan = false;
        argv[1] = argv[2];
        argc = 2;
    }
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error(c, "ingest", "sebutkan tepat satu berkas NDJSON");
    struct nt_diag_list errs;
    struct nt_diag d;
    struct nt_ingest_result res;
    int rc = CLI_FAIL;
    nt_diag_clear(&d);
    nt_diag_list_init(&errs, 1000);
    struct nt_store *s = NULL;
    /* Streamed: a file of any size, memory of one chunk and one line. */
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        nt_diag_set(&d, errno == ENOENT ? NT_ENOTFOUND : NT_EIO, "%s: tidak dapat dibuka: %s",
                    argv[1], strerror(errno));
        rc = cli_fail(c, &d);
        goto out;
    }
    s = cli_open_store(c, NT_STORE_POSTGRES); /* both engines (db.h) */
    if (!s)
        goto out;
    /* What is stored is scored and queued in the same transaction. */
    struct cli_scorer scorer = { 0 };
    if (scan && cli_scorer_open(c, s, &scorer) != CLI_OK)
        goto out;
    struct nt_stored_hook hook = cli_scorer_hook(&scorer);
    enum nt_err err = nt_crawl_ingest_file(s, argv[1], f, c->now, &hook, &res, &errs, &d);
    for (size_t i = 0; i < errs.count; i++) {
        char line[NT_DIAG_FILE_MAX + NT_DIAG_FIELD_MAX + NT_DIAG_MSG_MAX + 64];
        cli_put_safe(c->err, nt_diag_format(&errs.items[i], line, sizeof(line)));
        fputc('\n', c->err);
    }
    if (err) {
        cli_scorer_close(&scorer);
        rc = cli_fail(c, &d);
        goto out;
    }
    fputs("Ingest '", c->out);
    cli_put_safe(c->out, argv[1]);
    fprintf(c->out,
            "': %zu baris; unggahan baru %zu, versi baru %zu, tidak berubah %zu, ditolak %zu.\n",
            res.lines, res.added, res.edited, res.unchanged, res.rejected);
    rc = res.rejected ? CLI_FAIL : CLI_OK;
    /* What an earlier run left unscored, and the summary of both. */
    if (scan &&
        cli_score_stored(c, s, NULL, NULL, false, true, cli_scorer_stats(&scorer), NULL) != CLI_OK)
        rc = CLI_FAIL;
    cli_scorer_close(&scorer);
    if (res.rejected)
        fprintf(c->err, "netra: %s: %zu baris ditolak; baris lain tersimpan\n", argv[1],
                res.rejected);
out:
    nt_store_close(s);
    if (f)
        fclose(f);
    nt_diag_list_release(&errs);
    return rc;
}
