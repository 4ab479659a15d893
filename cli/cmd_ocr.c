/*
 * cmd_ocr.c - `netra ocr`: the OCR stage on its own (the crawl runs it after
 * each round): the kept images nobody has read yet are read, their text
 * stored and their posts scored again. Also what the crawl calls.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "engine.h"
#include "imagetext.h"

const char cmd_ocr_usage[] =
    "Pemakaian: netra ocr [--limit N] [--deadline DETIK] [--json]\n"
    "\n"
    "Membaca teks dalam gambar yang disimpan crawl dan belum dibaca (Tesseract,\n"
    "bahasa Indonesia dan Inggris), membuat gambar kecilnya, lalu menilai ulang\n"
    "unggahan yang membawa gambar itu dengan leksikon dan model aktif: temuan dari\n"
    "gambar ditandai \"teks dalam gambar\" dengan nomor barisnya. 'netra crawl' dan\n"
    "'netra run' menjalankannya sesudah setiap putaran; perintah ini untuk sisa\n"
    "yang tertunda atau crawl dengan --no-ocr.\n"
    "\n"
    "Opsi:\n"
    "  --limit N         paling banyak N gambar (bawaan: semua yang menunggu)\n"
    "  --deadline DETIK  batas waktu baca per gambar (bawaan 10; baris yang sudah\n"
    "                    terbaca disimpan)\n"
    "  --json            ringkasan sebagai JSON\n";

static void show_progress(void *user, size_t done, size_t total)
{
    struct cli_progress *p = user;
    if (!cli_progress_due(p, done, total))
        return;
    fprintf(p->f, "\rMembaca gambar: %zu dari %zu\033[K", done, total);
    fflush(p->f);
}

static json_t *stats_json(const struct nt_imagetext_stats *st)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "pending", (json_int_t)st->pending,
                     "read", (json_int_t)st->read, "with_text", (json_int_t)st->with_text,
                     "timed_out", (json_int_t)st->timed_out, "failed", (json_int_t)st->failed,
                     "lines", (json_int_t)st->lines, "rescored", (json_int_t)st->rescored,
                     "seconds", st->ms / 1000.0);
}

int cli_read_images(struct cli *c, struct nt_store *s, struct cli_scorer *sc, size_t limit,
                    unsigned deadline_ms, volatile sig_atomic_t *stop, bool quiet, json_t **out)
{
    struct nt_diag d;
    size_t pending = 0;
    nt_diag_clear(&d);
    if (nt_detect_imagetext_pending(s, &pending, &d) != NT_OK)
        return cli_fail(c, &d);
    struct nt_imagetext_stats st = { .pending = pending };
    if (pending) {
        struct nt_ocr *o = NULL;
        if (nt_ocr_new(NULL, "ind+eng", &o, &d) != NT_OK)
            return cli_fail(c, &d);
        struct cli_progress pr = { .f = c->err };
        struct nt_imagetext_opts opts = {
            .now = c->now,
            .deadline_ms = deadline_ms,
            .limit = limit,
            .stop = stop,
            .progress = !quiet && isatty(fileno(c->err)) ? show_progress : NULL,
            .progress_user = &pr,
        };
        enum nt_err err = nt_detect_imagetext_run(s, o, sc ? sc->w : NULL, &opts, &st, &d);
        nt_ocr_free(o);
        cli_progress_end(&pr);
        if (err)
            return cli_fail(c, &d);
    }
    if (out) {
        *out = stats_json(&st);
        return CLI_OK;
    }
    if (!quiet || st.read || st.failed)
        fprintf(c->out,
                "Teks dalam gambar: %zu gambar dibaca (%zu berteks, %zu baris%s), %zu gagal; "
                "%zu unggahan dinilai ulang; %.1f detik.\n",
                st.read, st.with_text, st.lines,
                st.timed_out ? ", ada yang melewati batas waktu" : "", st.failed, st.rescored,
                st.ms / 1000.0);
    return CLI_OK;
}

int cmd_ocr(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "limit", required_argument, NULL, 'l' },
        { "deadline", required_argument, NULL, 'd' },
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 },
    };
    size_t limit = 0;
    unsigned deadline = 0;
    bool json = false;
    int opt;
    char *end;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'l') {
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*end || end == optarg || v == 0 || v > 100000000ULL)
                return cli_usage_error(c, "ocr", "--limit harus bilangan 1 sampai 100000000");
            limit = (size_t)v;
        } else if (opt == 'd') {
            double v = strtod(optarg, &end);
            if (*end || end == optarg || !(v >= 0.1 && v <= 600))
                return cli_usage_error(c, "ocr", "--deadline harus 0.1 sampai 600 detik");
            deadline = (unsigned)(v * 1000);
        } else if (opt == 'j') {
            json = true;
        } else {
            return cli_bad_option(c, "ocr", argc, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error(c, "ocr", "argumen \"%s\" tidak dikenal", argv[optind]);
    cli_openmp_single(c);
    struct nt_store *s = cli_open_store(c, NT_STORE_POSTGRES); /* both engines (db.h) */
    if (!s)
        return CLI_FAIL;
    struct cli_scorer sc;
    int rc = cli_scorer_open(c, s, &sc);
    json_t *j = NULL;
    if (rc == CLI_OK) {
        rc = cli_read_images(c, s, &sc, limit, deadline, NULL, false, json ? &j : NULL);
        cli_scorer_close(&sc);
    }
    if (rc == CLI_OK && j)
        rc = cli_print_json(c, j);
    json_decref(j);
    nt_store_close(s);
    return rc;
}
