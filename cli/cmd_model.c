/*
 * cmd_model.c - `netra model`: train, evaluate, import, activate and
 * compare stance models. Training and evaluation read labelled files (and
 * reviewers' decisions); the versions live in the store like lexicons.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "engine.h"
#include "labelled.h"
#include "models.h"
#include "scan.h"
#include "review.h"
#include "strmap.h"
#include "stance.h"

const char cmd_model_usage[] =
    "Pemakaian: netra model PERINTAH [OPSI]\n"
    "\n"
    "Model sikap: apakah penulis unggahan berpihak (mendukung atau menentang)\n"
    "kontestan. Leksikon menjawab siapa dan apa; model menjawab berpihak atau tidak.\n"
    "\n"
    "Perintah:\n"
    "  train      latih model dari berkas berlabel (dan keputusan peninjau)\n"
    "  evaluate   validasi silang k-lipatan: recall, salah tandai, presisi per ambang\n"
    "  show       tampilkan model (berkas atau versi tersimpan) dan fitur terkuatnya\n"
    "  import     simpan berkas model sebagai versi baru di basis data\n"
    "  activate   jadikan satu versi model aktif (dipakai scan, match, serve)\n"
    "  versions   daftar versi model tersimpan\n"
    "  diff       bandingkan fitur terkuat dua model\n"
    "\n"
    "Data berlabel (train, evaluate):\n"
    "  --data BERKAS        NDJSON {\"text\",\"label\"} atau CSV dengan kolom text/headline\n"
    "                       dan label (SUPPORT, OPPOSE, NEUTRAL; UNCLEAR dilewati)\n"
    "  --label LABEL        label untuk --data berikutnya yang tidak berlabel (mis. berita:\n"
    "                       NEUTRAL)\n"
    "  --labels BERKAS --texts BERKAS  label (id,label) digabung dengan teks (id,text)\n"
    "  --from-decisions     keputusan peninjau di basis data: terbukti = berpihak,\n"
    "                       ditolak = netral\n"
    "  --lexicon BERKAS --slang BERKAS  seperti netra match\n"
    "\n"
    "Pelatihan:\n"
    "  --out BERKAS         tulis model ke berkas ini (train)\n"
    "  --version NAMA       nama versi model\n"
    "  --recall R           recall yang diminta untuk ambang review (bawaan 0.95)\n"
    "  --priority-ff F      bagian unggahan netral tiap berkas yang boleh sampai\n"
    "                       prioritas (bawaan 0.04)\n"
    "  --c C                kekuatan regularisasi terbalik liblinear (bawaan 1)\n"
    "  --folds K --seed S   lipatan validasi silang (5) dan benihnya (1)\n"
    "  --repeats R          ulangi pembagian lipatan R kali dengan benih S, S+1, ...; prediksi\n"
    "                       dirata-rata (bawaan 5)\n"
    "  --bits B             ukuran hash fitur, 2^B (bawaan 16)\n"
    "  --group-values K,R,W,B,C,S  nilai fitur per kelompok: jenis temuan, aturan, kata,\n"
    "                       frasa, potongan huruf, bentuk (bawaan 3,3,5,5,1,3)\n"
    "  --no-source-balance  jangan seimbangkan kelas di tiap berkas (bawaan: di berkas\n"
    "                       yang berisi unggahan berpihak dan netral, kelas yang lebih\n"
    "                       kecil dihitung berulang sampai setara, paling banyak 4 kali)\n"
    "  --predictions BERKAS prediksi di luar lipatan per contoh sebagai CSV (evaluate)\n"
    "  --json               keluaran JSON (evaluate, show, versions, diff)\n";

int model_read_decisions(struct cli *c, struct nt_detect *e, struct labelled *l);

struct train_opts {
    struct nt_stance_params p;
    const char *out, *lexicon, *slang, *predictions;
    unsigned bits;
    bool json, from_decisions;
};

/* Options shared by train and evaluate; data is read as it is named, so
 * --label applies to the --data files after it. */
static int read_data(struct cli *c, int argc, char **argv, struct train_opts *o,
                     struct nt_detect *e, struct labelled *l, bool with_names, const char *cmd)
{
    static const struct option longopts[] = {
        { "data", required_argument, NULL, 'd' },
        { "label", required_argument, NULL, 'L' },
        { "labels", required_argument, NULL, 'l' },
        { "texts", required_argument, NULL, 't' },
        { "from-decisions", no_argument, NULL, 'D' },
        { "lexicon", required_argument, NULL, 'x' },
        { "slang", required_argument, NULL, 's' },
        { "out", required_argument, NULL, 'o' },
        { "version", required_argument, NULL, 'v' },
        { "recall", required_argument, NULL, 'r' },
        { "priority-ff", required_argument, NULL, 'P' },
        { "c", required_argument, NULL, 'c' },
        { "folds", required_argument, NULL, 'k' },
        { "seed", required_argument, NULL, 'S' },
        { "bits", required_argument, NULL, 'b' },
        { "json", no_argument, NULL, 'j' },
        { "predictions", required_argument, NULL, 'O' },
        { "group-values", required_argument, NULL, 'G' },
        { "no-source-balance", no_argument, NULL, 'B' },
        { "repeats", required_argument, NULL, 'R' },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    /* First pass: everything but the data, so the engine exists before the
     * files are scanned. */
    nt_stance_params_default(&o->p);
    o->bits = NT_STANCE_DEFAULT_BITS;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 'd':
        case 'L':
        case 'l':
        case 't':
            break;
        case 'D':
            o->from_decisions = true;
            break;
        case 'x':
            o->lexicon = optarg;
            break;
        case 's':
            o->slang = optarg;
            break;
        case 'o':
            o->out = optarg;
            break;
        case 'v':
            if (strlen(optarg) == 0 || strlen(optarg) >= NT_STANCE_NAME_MAX)
                return cli_usage_error(c, cmd, "--version: 1..%d karakter", NT_STANCE_NAME_MAX - 1);
            snprintf(o->p.version, sizeof(o->p.version), "%s", optarg);
            break;
        case 'r':
            o->p.target_recall = strtod(optarg, &end);
            if (*end || !(o->p.target_recall > 0 && o->p.target_recall <= 1))
                return cli_usage_error(c, cmd, "--recall: bilangan 0..1");
            break;
        case 'P':
            o->p.priority_ff = strtod(optarg, &end);
            if (*end || !(o->p.priority_ff >= 0 && o->p.priority_ff <= 1))
                return cli_usage_error(c, cmd, "--priority-ff: bilangan 0..1");
            break;
        case 'c':
            o->p.c = strtod(optarg, &end);
            if (*end || !(o->p.c > 0 && o->p.c < 1e6))
                return cli_usage_error(c, cmd, "--c: bilangan positif");
            break;
        case 'k':
            o->p.folds = (unsigned)strtoul(optarg, &end, 10);
            if (*end || o->p.folds < 2 || o->p.folds > 50)
                return cli_usage_error(c, cmd, "--folds: 2..50");
            break;
        case 'S':
            o->p.seed = (uint32_t)strtoul(optarg, &end, 10);
            if (*end)
                return cli_usage_error(c, cmd, "--seed: bilangan bulat");
            break;
        case 'b':
            o->bits = (unsigned)strtoul(optarg, &end, 10);
            if (*end || o->bits < 12 || o->bits > 24)
                return cli_usage_error(c, cmd, "--bits: 12..24");
            break;
        case 'j':
            o->json = true;
            break;
        case 'O':
            o->predictions = optarg;
            break;
        case 'B':
            o->p.balance = false;
            break;
        case 'R': {
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end || v < 1 || v > 20)
                return cli_usage_error(c, cmd, "--repeats: bilangan bulat 1..20");
            o->p.repeats = (unsigned)v;
            break;
        }
        case 'G': {
            double *a = o->p.alpha;
            int used = 0;
            if (sscanf(optarg, "%lf,%lf,%lf,%lf,%lf,%lf%n", &a[NT_SG_KIND], &a[NT_SG_RULE],
                       &a[NT_SG_WORD], &a[NT_SG_BIGRAM], &a[NT_SG_CHAR], &a[NT_SG_SHAPE],
                       &used) != 6 ||
                optarg[used] != '\0')
                return cli_usage_error(c, cmd, "--group-values: enam bilangan K,R,W,B,C,S");
            for (int g = NT_SG_KIND; g <= NT_SG_SHAPE; g++)
                if (!(a[g] > 0 && a[g] <= 100))
                    return cli_usage_error(c, cmd, "--group-values: tiap nilai 0..100");
            break;
        }
        default:
            return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error(c, cmd, "argumen \"%s\" tidak dikenal", argv[optind]);
    int rc = cli_engine_load(c, o->lexicon, o->slang, e);
    if (rc)
        return rc;
    labelled_init(l, o->bits, with_names);
    /* Second pass: the data, in order. */
    const char *labels = NULL, *texts = NULL;
    enum nt_stance_label forced;
    bool have_forced = false, any = false;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'L') {
            int ok = labelled_parse_label(optarg, &forced);
            if (ok <= 0)
                return cli_usage_error(c, cmd, "--label: SUPPORT, OPPOSE atau NEUTRAL");
            have_forced = true;
        } else if (opt == 'd') {
            rc = labelled_read(c, e, l, optarg, have_forced ? &forced : NULL);
            any = true;
        } else if (opt == 'l') {
            labels = optarg;
        } else if (opt == 't') {
            texts = optarg;
        }
        if (!rc && labels && texts) {
            rc = labelled_read_join(c, e, l, labels, texts);
            labels = texts = NULL;
            any = true;
        }
        if (rc)
            return rc;
    }
    if (labels || texts)
        return cli_usage_error(c, cmd, "--labels dan --texts harus dipakai bersama");
    if (o->from_decisions) {
        rc = model_read_decisions(c, e, l);
        if (rc)
            return rc;
        any = true;
    }
    if (!any)
        return cli_usage_error(c, cmd,
                               "beri data berlabel: --data, --labels/--texts atau "
                               "--from-decisions");
    return labelled_vocab(c, e, l);
}

static int model_train(struct cli *c, int argc, char **argv)
{
    struct train_opts o = { 0 };
    struct nt_detect e;
    struct labelled l;
    memset(&e, 0, sizeof(e));
    memset(&l, 0, sizeof(l));
    int rc = read_data(c, argc, argv, &o, &e, &l, true, "model train");
    if (rc)
        goto out;
    if (!o.out) {
        rc = cli_usage_error(c, "model train", "--out BERKAS wajib");
        goto out;
    }
    struct nt_diag d;
    nt_diag_clear(&d);
    struct nt_stance_model *m = NULL;
    if (nt_stance_train(&l.set, &o.p, &l.all, l.vocab, &m, &d) != NT_OK) {
        rc = cli_fail(c, &d);
        goto out;
    }
    void *bytes;
    size_t len;
    if (nt_stance_save(m, &bytes, &len, &d) != NT_OK) {
        nt_stance_free(m);
        rc = cli_fail(c, &d);
        goto out;
    }
    FILE *f = fopen(o.out, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
        if (f)
            fclose(f);
        free(bytes);
        nt_stance_free(m);
        rc = cli_failf(c, "%s: tidak dapat menulis berkas model", o.out);
        goto out;
    }
    free(bytes);
    const struct nt_stance_info *in = nt_stance_info(m);
    fprintf(c->out,
            "Model \"%s\" ditulis ke %s (%zu byte, SHA-256 %.16s...)\n"
            "  %u contoh (%u berpihak, %u di antaranya menentang), %u fitur berbobot\n"
            "  ambang review %.3f (recall validasi silang %.3f, diminta %.2f), prioritas %.3f\n"
            "  validasi silang %u lipatan pada ambang review: recall %.3f, salah tandai %.3f, "
            "presisi %.3f\n",
            in->version, o.out, len, in->sha256, in->ntrain, in->nside, in->noppose, in->nweights,
            in->review, in->cv_recall, in->target_recall, in->priority, o.p.folds, in->cv_recall,
            in->cv_false_flag, in->cv_precision);
    nt_stance_free(m);
out:
    labelled_release(&l);
    nt_detect_release(&e);
    return rc;
}

/* Figures of one threshold over a subset (source < 0: all). */
struct figs {
    size_t side, sup, opp, neu, tp, tps, tpo, fp, fprio;
};

static struct figs figs_at(const struct labelled *l, const double *p, int source, double t,
                           double prio)
{
    struct figs f = { 0 };
    for (size_t i = 0; i < l->set.n; i++) {
        if (source >= 0 && l->source[i] != source)
            continue;
        const struct nt_stance_example *e = &l->set.v[i];
        bool flag = e->relevant && p[i] >= t;
        if (e->label == NT_LABEL_NEUTRAL) {
            f.neu++;
            f.fp += flag;
            f.fprio += e->relevant && p[i] >= prio;
        } else {
            f.side++;
            f.tp += flag;
            if (e->label == NT_LABEL_OPPOSE) {
                f.opp++;
                f.tpo += flag;
            } else {
                f.sup++;
                f.tps += flag;
            }
        }
    }
    return f;
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : (double)NAN;
}

static json_t *figs_json(const struct figs *f)
{
    json_t *o = json_object();
    double v[6] = { ratio(f->tp, f->side), ratio(f->tps, f->sup),       ratio(f->tpo, f->opp),
                    ratio(f->fp, f->neu),  ratio(f->tp, f->tp + f->fp), ratio(f->fprio, f->neu) };
    const char *k[6] = { "recall",          "support_recall", "oppose_recall",
                         "false_flag_rate", "precision",      "neutral_at_priority_rate" };
    for (int i = 0; i < 6; i++)
        json_object_set_new(o, k[i],
                            isnan(v[i]) ? json_null() : json_real(round(v[i] * 1000) / 1000));
    json_object_set_new(o, "side", json_integer((json_int_t)f->side));
    json_object_set_new(o, "neutral", json_integer((json_int_t)f->neu));
    json_object_set_new(o, "neutral_at_priority", json_integer((json_int_t)f->fprio));
    return o;
}

static void print_figs(struct cli *c, const char *name, const struct figs *f)
{
    fprintf(c->out,
            "  %-34.34s berpihak %4zu netral %4zu | recall %.3f (dukung %.3f, tentang %.3f) "
            "salah tandai %.3f presisi %.3f netral@prioritas %zu\n",
            name, f->side, f->neu, ratio(f->tp, f->side), ratio(f->tps, f->sup),
            ratio(f->tpo, f->opp), ratio(f->fp, f->neu), ratio(f->tp, f->tp + f->fp), f->fprio);
}

static int model_evaluate(struct cli *c, int argc, char **argv)
{
    struct train_opts o = { 0 };
    struct nt_detect e;
    struct labelled l;
    double *p = NULL;
    memset(&e, 0, sizeof(e));
    memset(&l, 0, sizeof(l));
    int rc = read_data(c, argc, argv, &o, &e, &l, false, "model evaluate");
    if (rc)
        goto out;
    struct nt_diag d;
    nt_diag_clear(&d);
    p = malloc((l.set.n ? l.set.n : 1) * sizeof(*p));
    if (!p) {
        rc = cli_failf(c, "memori tidak cukup");
        goto out;
    }
    if (nt_stance_crossval(&l.set, &o.p, p, &d) != NT_OK) {
        rc = cli_fail(c, &d);
        goto out;
    }
    double review, prio;
    nt_stance_choose(&l.set, p, o.p.target_recall, o.p.priority_ff, &review, &prio);
    if (o.predictions) {
        /* Out-of-fold predictions, one CSV row per example, for analysts. */
        FILE *f = fopen(o.predictions, "w");
        if (!f) {
            rc = cli_failf(c, "%s: tidak dapat menulis berkas", o.predictions);
            goto out;
        }
        static const char *const names[] = { "NEUTRAL", "SUPPORT", "OPPOSE" };
        fprintf(f, "example,source,label,relevant,p_side\n");
        for (size_t i = 0; i < l.set.n; i++)
            fprintf(f, "%zu,%d,%s,%d,%.6f\n", i + 1, l.source[i], names[l.set.v[i].label],
                    l.set.v[i].relevant, p[i]);
        if (fclose(f) != 0) {
            rc = cli_failf(c, "%s: tidak dapat menulis berkas", o.predictions);
            goto out;
        }
    }
    json_t *curve = json_array(), *sources = json_object();
    for (int k = 1; k < 20; k++) {
        double t = k / 20.0;
        struct figs f = figs_at(&l, p, -1, t, 2.0);
        json_t *row = figs_json(&f);
        json_object_set_new(row, "threshold", json_real(t));
        json_array_append_new(curve, row);
    }
    struct figs all = figs_at(&l, p, -1, review, prio);
    for (size_t s = 0; s < l.nsources; s++) {
        struct figs f = figs_at(&l, p, (int)s, review, prio);
        json_object_set_new(sources, l.sources[s], figs_json(&f));
    }
    if (o.json) {
        json_t *j = json_pack("{s:I, s:I, s:I, s:f, s:f, s:f, s:o, s:o, s:o}", "folds",
                              (json_int_t)o.p.folds, "repeats", (json_int_t)o.p.repeats, "examples",
                              (json_int_t)l.set.n, "target_recall", o.p.target_recall,
                              "review_threshold", review, "priority_threshold", prio, "at_review",
                              figs_json(&all), "sources", sources, "curve", curve);
        rc = cli_print_json(c, j);
        json_decref(j);
        goto out;
    }
    fprintf(c->out,
            "Validasi silang %u lipatan x %u pengulangan atas %zu contoh (C=%g, benih %u)\n"
            "Ambang untuk recall %.2f: review %.3f, prioritas %.3f (netral sampai prioritas "
            "paling banyak %.0f%% di tiap berkas)\n",
            o.p.folds, o.p.repeats, l.set.n, o.p.c, o.p.seed, o.p.target_recall, review, prio,
            o.p.priority_ff * 100);
    print_figs(c, "semua data", &all);
    for (size_t s = 0; s < l.nsources; s++) {
        struct figs f = figs_at(&l, p, (int)s, review, prio);
        const char *name = strrchr(l.sources[s], '/');
        print_figs(c, name ? name + 1 : l.sources[s], &f);
    }
    fprintf(c->out,
            "\nKurva presisi/recall (semua data):\n  ambang  recall  salah-tandai  presisi\n");
    for (size_t i = 0; i < json_array_size(curve); i++) {
        json_t *row = json_array_get(curve, i);
        json_t *pr = json_object_get(row, "precision");
        fprintf(c->out, "  %.2f    %.3f   %.3f         %s%.3f\n",
                json_real_value(json_object_get(row, "threshold")),
                json_real_value(json_object_get(row, "recall")),
                json_real_value(json_object_get(row, "false_flag_rate")), pr ? "" : "",
                json_is_real(pr) ? json_real_value(pr) : 0.0);
    }
    json_decref(curve);
    json_decref(sources);
out:
    free(p);
    labelled_release(&l);
    nt_detect_release(&e);
    return rc;
}

/* Read a model file and check it. */
static int load_file(struct cli *c, const char *path, struct nt_buf *buf,
                     struct nt_stance_model **m)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    nt_buf_init(buf, NT_STANCE_MAX_BYTES + 1);
    if (nt_file_read(path, buf, &d) != NT_OK || nt_stance_load(path, buf->data, buf->len, m, &d))
        return cli_fail(c, &d);
    return CLI_OK;
}

/* A model named on the command line: a stored version number or a file. */
static int load_named(struct cli *c, const char *name, struct nt_stance_model **m)
{
    int64_t id;
    if (cli_parse_id(name, &id)) {
        struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
        if (!s)
            return CLI_FAIL;
        char *bytes = NULL;
        size_t len = 0;
        int64_t found;
        struct nt_diag d;
        nt_diag_clear(&d);
        char label[64];
        snprintf(label, sizeof(label), "model #%lld", (long long)id);
        int rc = CLI_OK;
        if (nt_model_version_body(s, id, &bytes, &len, &found, &d) != NT_OK ||
            nt_stance_load(label, bytes, len, m, &d) != NT_OK)
            rc = cli_fail(c, &d);
        free(bytes);
        nt_store_close(s);
        return rc;
    }
    struct nt_buf buf;
    int rc = load_file(c, name, &buf, m);
    nt_buf_release(&buf);
    return rc;
}

static json_t *info_json(const struct nt_stance_model *m, size_t ntop)
{
    const struct nt_stance_info *in = nt_stance_info(m);
    json_t *top = json_array();
    size_t n;
    const struct nt_stance_top *t = nt_stance_tops(m, &n);
    for (size_t i = 0; i < n && i < ntop; i++) {
        char desc[128];
        nt_stance_describe(&t[i].f, desc, sizeof(desc));
        json_array_append_new(top,
                              json_pack("{s:s, s:f, s:f}", "feature", desc, "w_side",
                                        (double)t[i].w_side, "w_oppose", (double)t[i].w_oppose));
    }
    return json_pack(
        "{s:s, s:s, s:i, s:i, s:i, s:i, s:f, s:f, s:f, s:i, s:i, s:i, s:f, s:f, s:f, s:o}",
        "version", in->version, "sha256", in->sha256, "bits", (int)in->bits, "featureset",
        (int)in->featureset, "weights", (int)in->nweights, "vocabulary", (int)in->nvocab,
        "review_at", in->review, "priority_at", in->priority, "target_recall", in->target_recall,
        "examples", (int)in->ntrain, "side", (int)in->nside, "oppose", (int)in->noppose,
        "cv_recall", in->cv_recall, "cv_false_flag", in->cv_false_flag, "cv_precision",
        in->cv_precision, "top_features", top);
}

static int model_show(struct cli *c, int argc, char **argv)
{
    bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
    if (argc != 2 && !json)
        return cli_usage_error(c, "model show", "sebutkan berkas model atau nomor versi");
    struct nt_stance_model *m = NULL;
    int rc = load_named(c, argv[1], &m);
    if (rc)
        return rc;
    json_t *j = info_json(m, json ? 400 : 20);
    if (json) {
        rc = cli_print_json(c, j);
    } else {
        const struct nt_stance_info *in = nt_stance_info(m);
        fprintf(c->out,
                "Model \"%s\" (SHA-256 %s)\n"
                "  fitur 2^%u (versi fitur %u), %u berbobot, %u kata dikenal; dilatih atas %u "
                "contoh (%u berpihak, %u menentang)\n"
                "  ambang review %.3f, prioritas %.3f (dipilih untuk recall %.2f)\n"
                "  validasi silang: recall %.3f, salah tandai %.3f, presisi %.3f\n"
                "Fitur terkuat (bobot berpihak, bobot menentang):\n",
                in->version, in->sha256, in->bits, in->featureset, in->nweights, in->nvocab,
                in->ntrain, in->nside, in->noppose, in->review, in->priority, in->target_recall,
                in->cv_recall, in->cv_false_flag, in->cv_precision);
        json_t *top = json_object_get(j, "top_features");
        for (size_t i = 0; i < json_array_size(top); i++) {
            json_t *f = json_array_get(top, i);
            fprintf(c->out, "  %+7.3f %+7.3f  ", json_real_value(json_object_get(f, "w_side")),
                    json_real_value(json_object_get(f, "w_oppose")));
            cli_put_safe(c->out, json_string_value(json_object_get(f, "feature")));
            fputc('\n', c->out);
        }
    }
    json_decref(j);
    nt_stance_free(m);
    return rc;
}

/* The version a model import stores, for nt_doc_import_audited(). */
struct model_add {
    const struct nt_buf *buf;
    const struct nt_stance_model *m;
    const char *author, *comment;
    time_t now;
    bool activate;
};

static enum nt_err model_add(struct nt_store *s, void *arg, int64_t *id, bool *active,
                             struct nt_diag *d)
{
    const struct model_add *a = arg;
    return nt_model_version_add(s, a->buf->data, a->buf->len, a->m, a->author, a->comment, a->now,
                                a->activate, id, active, d);
}

int cli_model_import(struct cli *c, struct nt_store *s, const struct nt_user *u, const char *path,
                     const char *author, const char *comment, bool activate, int64_t *id,
                     bool *activated)
{
    struct nt_buf buf;
    struct nt_stance_model *m = NULL;
    struct nt_diag d;
    bool active = false;
    nt_diag_clear(&d);
    int rc = load_file(c, path, &buf, &m);
    struct model_add a = { &buf, m, author, comment, c->now, activate };
    if (!rc && nt_doc_import_audited(s, u, NT_DOC_MODEL, model_add, &a,
                                     u ? json_pack("{s:s}", "file", path) : NULL, c->now, id,
                                     &active, &d) != NT_OK)
        rc = cli_fail(c, &d);
    if (activated)
        *activated = active;
    nt_stance_free(m);
    nt_buf_release(&buf);
    return rc;
}

static int model_import(struct cli *c, int argc, char **argv)
{
    bool activate;
    const char *comment;
    int rc0 = cli_doc_import_opts(c, "model import", argc, argv, &comment, &activate);
    if (rc0)
        return rc0;
    if (optind + 1 != argc)
        return cli_usage_error(c, "model import", "sebutkan satu berkas model");
    struct nt_store *s = cli_open_store(c, NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    struct nt_user u = { 0 };
    bool audit = false, activated = false;
    int64_t id = 0;
    int rc = CLI_OK;
    if (!cli_gate(c, s, NT_ROLE_ANALYST | NT_ROLE_ADMIN, "mengubah model sikap", &u, &audit))
        rc = CLI_FAIL;
    else
        rc = cli_model_import(c, s, audit ? &u : NULL, argv[optind], u.name[0] ? u.name : c->actor,
                              comment, activate, &id, &activated);
    if (!rc)
        fprintf(c->out, "Model disimpan sebagai versi #%lld%s.\n", (long long)id,
                activated ? " dan aktif" : "");
    if (!rc && activated)
        rc = cli_score_stored(c, s, NULL, NULL, false, true, NULL, NULL);
    nt_user_release(&u);
    nt_store_close(s);
    return rc;
}

static const struct cli_doc model_doc = { "mengubah model sikap", NT_DOC_MODEL };

static int model_activate(struct cli *c, int argc, char **argv)
{
    int64_t id;
    if (argc != 2 || !cli_parse_id(argv[1], &id))
        return cli_usage_error(c, "model activate", "sebutkan nomor versi model");
    char done[160];
    snprintf(done, sizeof(done),
             "Versi model #%lld aktif. Jalankan 'netra scan' untuk menilai ulang unggahan dengan "
             "model ini.\n",
             (long long)id);
    return cli_doc_activate(c, &model_doc, id, done);
}

static enum nt_err version_row(const struct nt_store_doc_version *v, void *ctx)
{
    json_t *rows = ctx;
    json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:f, s:f, s:b}", "id",
                                          (json_int_t)v->id, "version", v->label, "sha256",
                                          v->sha256, "author", v->author, "comment", v->comment,
                                          "created_at", v->created_at, "review_at", v->review,
                                          "priority_at", v->priority, "active", v->active));
    return NT_OK;
}

static int model_versions(struct cli *c, int argc, char **argv)
{
    bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc != 1 && !json)
        return cli_usage_error(c, "model versions", "hanya --json yang dikenal");
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    json_t *rows = json_array();
    struct nt_diag d;
    nt_diag_clear(&d);
    int rc = CLI_OK;
    if (nt_model_versions_each(s, version_row, rows, &d) != NT_OK) {
        rc = cli_fail(c, &d);
    } else if (json) {
        rc = cli_print_json(c, rows);
    } else if (json_array_size(rows) == 0) {
        fprintf(c->out, "Belum ada versi model tersimpan (impor dengan 'netra model import').\n");
    } else {
        for (size_t i = 0; i < json_array_size(rows); i++) {
            json_t *r = json_array_get(rows, i);
            fprintf(c->out, "#%lld%s ", (long long)json_integer_value(json_object_get(r, "id")),
                    json_is_true(json_object_get(r, "active")) ? " (aktif)" : "");
            cli_put_safe(c->out, json_string_value(json_object_get(r, "version")));
            fprintf(c->out, "  review %.3f prioritas %.3f  %s  ",
                    json_real_value(json_object_get(r, "review_at")),
                    json_real_value(json_object_get(r, "priority_at")),
                    json_string_value(json_object_get(r, "created_at")));
            cli_put_safe(c->out, json_string_value(json_object_get(r, "author")));
            fputc('\n', c->out);
        }
    }
    json_decref(rows);
    nt_store_close(s);
    return rc;
}

/* The named strongest features of two models, side by side: what changed. */
static int model_diff(struct cli *c, int argc, char **argv)
{
    bool json = argc == 4 && strcmp(argv[3], "--json") == 0;
    if (argc != 3 && !json)
        return cli_usage_error(c, "model diff", "sebutkan dua model (berkas atau nomor versi)");
    struct nt_stance_model *a = NULL, *b = NULL;
    int rc = load_named(c, argv[1], &a);
    if (!rc)
        rc = load_named(c, argv[2], &b);
    if (rc) {
        nt_stance_free(a);
        return rc;
    }
    struct nt_strmap seen;
    nt_strmap_init(&seen);
    json_t *rows = json_array();
    const struct nt_stance_model *ms[2] = { a, b };
    for (int k = 0; k < 2; k++) {
        size_t n;
        const struct nt_stance_top *t = nt_stance_tops(ms[k], &n);
        for (size_t i = 0; i < n && i < 60; i++) {
            char desc[128];
            nt_stance_describe(&t[i].f, desc, sizeof(desc));
            if (nt_strmap_get(&seen, desc, NULL))
                continue;
            nt_strmap_put(&seen, desc, 1, NULL);
            /* The feature's weight in each model (0 when the other has no
             * name for it: it is looked up by its hash). */
            double w[2];
            for (int m = 0; m < 2; m++) {
                size_t nn;
                const struct nt_stance_top *u = nt_stance_tops(ms[m], &nn);
                w[m] = 0.0;
                for (size_t j = 0; j < nn; j++)
                    if (u[j].f.id == t[i].f.id && u[j].f.group == t[i].f.group &&
                        strcmp(u[j].f.text, t[i].f.text) == 0) {
                        w[m] = (double)u[j].w_side;
                        break;
                    }
            }
            json_array_append_new(rows, json_pack("{s:s, s:f, s:f, s:f}", "feature", desc, "a",
                                                  w[0], "b", w[1], "change", w[1] - w[0]));
        }
    }
    const struct nt_stance_info *ia = nt_stance_info(a), *ib = nt_stance_info(b);
    if (json) {
        json_t *j =
            json_pack("{s:s, s:s, s:f, s:f, s:f, s:f, s:o}", "a", ia->version, "b", ib->version,
                      "a_review_at", ia->review, "b_review_at", ib->review, "a_priority_at",
                      ia->priority, "b_priority_at", ib->priority, "features", rows);
        rc = cli_print_json(c, j);
        json_decref(j);
    } else {
        fprintf(c->out,
                "A = \"%s\" (review %.3f, prioritas %.3f), B = \"%s\" (review %.3f, "
                "prioritas %.3f)\n  bobot A  bobot B  perubahan  fitur\n",
                ia->version, ia->review, ia->priority, ib->version, ib->review, ib->priority);
        for (size_t i = 0; i < json_array_size(rows); i++) {
            json_t *r = json_array_get(rows, i);
            double ch = json_real_value(json_object_get(r, "change"));
            if (ch > -0.05 && ch < 0.05)
                continue;
            fprintf(c->out, "  %+7.3f  %+7.3f  %+7.3f    ",
                    json_real_value(json_object_get(r, "a")),
                    json_real_value(json_object_get(r, "b")), ch);
            cli_put_safe(c->out, json_string_value(json_object_get(r, "feature")));
            fputc('\n', c->out);
        }
        json_decref(rows);
    }
    nt_strmap_release(&seen);
    nt_stance_free(a);
    nt_stance_free(b);
    return rc;
}

/* Reviewers' decisions as labels: confirmed = takes a side (SUPPORT: the
 * decision does not say for or against), dismissed = neutral. */
struct dec_ctx {
    struct cli *c;
    struct nt_detect *e;
    struct labelled *l;
    struct nt_strmap *labels;
    int src;
    int rc;
};

static enum nt_err dec_post(const struct nt_stored_post *p, void *ctx)
{
    struct dec_ctx *x = ctx;
    size_t v;
    if (!p->remote_id || !nt_strmap_get(x->labels, p->remote_id, &v))
        return NT_OK;
    x->rc = labelled_add(x->c, x->e, x->l, NULL, p->text, p->len,
                         v ? NT_LABEL_SUPPORT : NT_LABEL_NEUTRAL, x->src);
    return x->rc ? NT_ECANCELLED : NT_OK;
}

int model_read_decisions(struct cli *c, struct nt_detect *e, struct labelled *l)
{
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    struct nt_strmap labels;
    struct nt_diag d;
    size_t n = 0;
    nt_strmap_init(&labels);
    nt_diag_clear(&d);
    int rc = CLI_OK;
    if (nt_detect_labels_from_decisions(s, &labels, &n, &d) != NT_OK) {
        rc = cli_fail(c, &d);
    } else if (n == 0) {
        rc = cli_failf(c, "%s: belum ada keputusan peninjau untuk dilatih", c->db_path);
    } else {
        struct dec_ctx x = { c, e, l, &labels, 0, CLI_OK };
        x.src = labelled_source(l, "keputusan peninjau");
        enum nt_err err = x.src < 0 ? NT_ENOMEM : nt_detect_each_stored(s, dec_post, &x, &d);
        if (x.rc)
            rc = x.rc;
        else if (err)
            rc = cli_fail(c, &d);
    }
    nt_strmap_release(&labels);
    nt_store_close(s);
    return rc;
}

static const struct cli_cmd subs[] = {
    { "train", model_train, "latih model", cmd_model_usage, false },
    { "evaluate", model_evaluate, "validasi silang", cmd_model_usage, false },
    { "show", model_show, "tampilkan model", cmd_model_usage, false },
    { "import", model_import, "simpan versi model", cmd_model_usage, false },
    { "activate", model_activate, "aktifkan versi model", cmd_model_usage, false },
    { "versions", model_versions, "daftar versi model", cmd_model_usage, false },
    { "diff", model_diff, "bandingkan dua model", cmd_model_usage, false },
};

int cmd_model(struct cli *c, int argc, char **argv)
{
    return cli_dispatch(c, "model", cmd_model_usage, subs, sizeof(subs) / sizeof(subs[0]), argc,
                        argv);
}
