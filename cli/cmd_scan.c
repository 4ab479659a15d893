/*
 * cmd_scan.c - `netra scan`: score stored posts with the active lexicon.
 */
#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "engine.h"
#include "scan.h"

const char cmd_scan_usage[] =
    "Pemakaian: netra scan [--rescan] [--slang BERKAS.csv] [--model BERKAS|none]\n"
    "\n"
    "Menilai setiap versi unggahan tersimpan yang belum dinilai oleh versi leksikon\n"
    "dan versi model sikap yang aktif, untuk wilayah pegawainya dan waktu unggahannya.\n"
    "Skor, penjelasan (temuan leksikon dan bukti sikap) dan temuan disimpan bersama\n"
    "nomor versi leksikon, versi model dan hash kamus slang. Unggahan bertingkat\n"
    "review atau priority masuk antrean tinjauan; butir yang sudah diputuskan tidak\n"
    "diubah.\n"
    "\n"
    "Opsi:\n"
    "  --rescan        nilai ulang semua unggahan\n"
    "  --slang BERKAS  kamus slang CSV (kolom slang,formal)\n"
    "  --model BERKAS  model sikap (bawaan: versi aktif; tanpa versi tersimpan, model\n"
    "                  bawaan Netra); \"none\" untuk leksikon saja\n";

static void show_progress(void *user, size_t done, size_t total)
{
    struct cli_progress *p = user;
    if (!cli_progress_due(p, done, total))
        return;
    fprintf(p->f, "\rMenilai: %zu dari %zu versi unggahan (%.0f%%)\033[K", done, total,
            total ? 100.0 * (double)done / (double)total : 100.0);
    fflush(p->f);
}

static void add_stats(struct nt_scan_stats *to, const struct nt_scan_stats *from)
{
    if (!from)
        return;
    to->scanned += from->scanned;
    for (size_t i = 0; i < 3; i++)
        to->levels[i] += from->levels[i];
    to->queued += from->queued;
}

int cli_score_stored(struct cli *c, struct nt_store *s, const char *slang, const char *model,
                     bool rescan, bool optional, const struct nt_scan_stats *before, json_t **out)
{
    if (out)
        *out = NULL;
    struct nt_detect e;
    int rc = cli_engine_load(c, NULL, slang, &e);
    if (rc == CLI_OK && e.lexicon_id == 0) {
        nt_detect_release(&e);
        if (optional) {
            /* A database still being set up: scored once a lexicon is active. */
            if (out) {
                *out = json_pack("{s:s}", "skipped", "belum ada versi leksikon yang aktif");
                return CLI_OK;
            }
            fputs("Belum dinilai: belum ada versi leksikon yang aktif ('netra lexicon import "
                  "--activate BERKAS.json' menilai semua unggahan tersimpan).\n",
                  c->out);
            return CLI_OK;
        }
        return cli_failf(c, "belum ada versi leksikon yang aktif; impor dengan 'netra lexicon "
                            "import BERKAS.json'");
    }
    if (rc == CLI_OK && (rc = cli_engine_load_model(c, model, &e)) != CLI_OK)
        nt_detect_release(&e);
    if (rc != CLI_OK)
        return rc;
    struct nt_scan_stats st;
    struct nt_diag d;
    nt_diag_clear(&d);
    struct nt_scan_stage stage;
    nt_detect_stage(&e, &stage);
    /* Progress on a terminal (an activation may rescore a whole election's
     * posts); never in JSON lines or logs. */
    struct cli_progress sp = { c->err, 0.0, false };
    struct nt_scan_progress pr = { show_progress, &sp };
    bool tty = !out && isatty(fileno(c->err));
    enum nt_err err = nt_detect_scan_store(s, e.m, e.lexicon_id, &stage, rescan, c->now,
                                           tty ? &pr : NULL, &st, &d);
    cli_progress_end(&sp);
    if (err != NT_OK) {
        rc = cli_fail(c, &d);
    } else if ((add_stats(&st, before), out)) {
        *out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "lexicon_id",
                         (json_int_t)e.lexicon_id, "model_id", (json_int_t)e.model_id, "scanned",
                         (json_int_t)st.scanned, "none", (json_int_t)st.levels[NT_LEVEL_NONE],
                         "review", (json_int_t)st.levels[NT_LEVEL_REVIEW], "priority",
                         (json_int_t)st.levels[NT_LEVEL_PRIORITY], "queued", (json_int_t)st.queued);
    } else {
        char mv[128];
        if (!e.model)
            snprintf(mv, sizeof(mv), "tanpa model sikap");
        else if (e.model_id)
            snprintf(mv, sizeof(mv), "model sikap versi #%lld", (long long)e.model_id);
        else
            snprintf(mv, sizeof(mv), "model sikap bawaan \"%s\" (belum diimpor)",
                     nt_stance_info(e.model)->version);
        fprintf(c->out,
                "Pindai dengan leksikon versi #%lld dan %s: %zu versi unggahan dinilai; none "
                "%zu, review %zu, priority %zu; %zu butir antrean dibuat atau diperbarui.\n",
                (long long)e.lexicon_id, mv, st.scanned, st.levels[NT_LEVEL_NONE],
                st.levels[NT_LEVEL_REVIEW], st.levels[NT_LEVEL_PRIORITY], st.queued);
    }
    nt_detect_release(&e);
    return rc;
}

int cmd_scan(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "rescan", no_argument, NULL, 'r' },
        { "slang", required_argument, NULL, 's' },
        { "model", required_argument, NULL, 'm' },
        { NULL, 0, NULL, 0 },
    };
    const char *slang = NULL, *model = NULL;
    bool rescan = false;
    int opt;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'r')
            rescan = true;
        else if (opt == 's')
            slang = optarg;
        else if (opt == 'm')
            model = optarg;
        else
            return cli_bad_option(c, "scan", argc, argv);
    }
    if (optind != argc)
        return cli_usage_error(c, "scan", "argumen \"%s\" tidak dikenal", argv[optind]);
    /* Scoring runs on both engines (store/db.h). */
    struct nt_store *s = cli_open_store(c, NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    int rc = cli_score_stored(c, s, slang, model, rescan, false, NULL, NULL);
    nt_store_close(s);
    return rc;
}

int cli_scorer_open(struct cli *c, struct nt_store *s, struct cli_scorer *sc)
{
    memset(sc, 0, sizeof(*sc));
    int rc = cli_engine_load(c, NULL, NULL, &sc->e);
    if (rc == CLI_OK && sc->e.lexicon_id == 0)
        return CLI_OK; /* nothing active yet: scored at activation */
    if (rc == CLI_OK)
        rc = cli_engine_load_model(c, NULL, &sc->e);
    if (rc != CLI_OK) {
        nt_detect_release(&sc->e);
        memset(sc, 0, sizeof(*sc));
        return rc;
    }
    nt_detect_stage(&sc->e, &sc->stage);
    struct nt_diag d;
    nt_diag_clear(&d);
    if (nt_scan_writer_open(s, sc->e.m, sc->e.lexicon_id, &sc->stage, c->now, &sc->w, &d) !=
        NT_OK) {
        nt_detect_release(&sc->e);
        memset(sc, 0, sizeof(*sc));
        return cli_fail(c, &d);
    }
    return CLI_OK;
}

static enum nt_err scorer_stored(void *user, int64_t version_id, struct nt_diag *d)
{
    return nt_scan_writer_version(user, version_id, d);
}

static enum nt_err scorer_before_commit(void *user, struct nt_diag *d)
{
    return nt_scan_writer_unit_end(user, d);
}

struct nt_stored_hook cli_scorer_hook(struct cli_scorer *sc)
{
    struct nt_stored_hook h = { sc->w ? scorer_stored : NULL, sc->w ? scorer_before_commit : NULL,
                                sc->w };
    return h;
}

const struct nt_scan_stats *cli_scorer_stats(const struct cli_scorer *sc)
{
    return sc->w ? nt_scan_writer_stats(sc->w) : NULL;
}

void cli_scorer_close(struct cli_scorer *sc)
{
    nt_scan_writer_close(sc->w);
    nt_detect_release(&sc->e);
    memset(sc, 0, sizeof(*sc));
}
