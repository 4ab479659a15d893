/*
 * cmd_lexicon_test.c - `netra lexicon test`: what a draft lexicon would do
 * to the stored posts, before anyone activates it. Nothing is written.
 *
 * Every stored post (latest version) is scored with the active version and
 * with the draft, for its employee's region and its time. Reported: how
 * many posts change level, the biggest gains and losses with the rules and
 * entries that explain them, and - against reviewers' decisions and/or a
 * labels file - precision, recall and F1 overall, precision per category
 * and per entry, for both versions side by side.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "engine.h"
#include "scan.h"
#include "strmap.h"

const char cmd_lexicon_test_usage[] =
    "Pemakaian: netra lexicon test [--labels LABEL.ndjson] [--top N] [--json]\n"
    "                          [--model MODEL.bin] [DRAF.json]\n"
    "\n"
    "Menilai semua unggahan tersimpan dengan leksikon dan model sikap yang aktif dan\n"
    "dengan draf (leksikon baru, model baru, atau keduanya), tanpa mengubah apa pun:\n"
    "berapa unggahan berubah tingkat, kenaikan dan penurunan terbesar beserta aturan,\n"
    "entri dan peluang berpihak penyebabnya, serta presisi, recall dan F1 terhadap\n"
    "keputusan peninjau dan/atau berkas label.\n"
    "\n"
    "Berkas label: satu objek per baris {\"id\": ID unggahan, \"label\":\n"
    "\"violation\" | \"neutral\"}. Label berkas menggantikan keputusan peninjau.\n"
    "\n"
    "Opsi:\n"
    "  --labels BERKAS  label acuan\n"
    "  --model BERKAS   model sikap draf (bawaan: model aktif di kedua sisi)\n"
    "  --top N          jumlah kenaikan/penurunan yang ditampilkan (bawaan 10)\n"
    "  --json           keluaran JSON\n";

static int load_labels(struct cli *c, struct nt_store *s, const char *path,
                       struct nt_strmap *labels)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    /* Reviewers' decisions first; a labels file overrides them. */
    size_t n = 0;
    if (nt_detect_labels_from_decisions(s, labels, &n, &d) != NT_OK)
        return cli_fail(c, &d);
    if (!path)
        return CLI_OK;
    struct nt_buf b;
    nt_buf_init(&b, (size_t)1 << 30);
    if (nt_file_read(path, &b, &d) != NT_OK) {
        nt_buf_release(&b);
        return cli_fail(c, &d);
    }
    unsigned long line = 0;
    int rc = CLI_OK;
    for (char *p = b.data, *end = b.data + b.len; p < end && rc == CLI_OK;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char *cur = p;
        p = nl ? nl + 1 : end;
        line++;
        if (strspn(cur, " \t\r") >= len)
            continue;
        json_error_t je;
        json_t *o = json_loadb(cur, len, 0, &je);
        json_t *id = json_object_get(o, "id");
        const char *label = json_string_value(json_object_get(o, "label"));
        char idbuf[64];
        const char *ids = json_string_value(id);
        if (json_is_integer(id)) {
            snprintf(idbuf, sizeof(idbuf), "%lld", (long long)json_integer_value(id));
            ids = idbuf;
        }
        if (!o || !ids || !label ||
            (strcmp(label, "violation") != 0 && strcmp(label, "neutral") != 0)) {
            rc = cli_failf(c, "%s:%lu: %s", path, line,
                           !o ? "JSON tidak sah"
                              : "harus {\"id\": ..., \"label\": \"violation\"|\"neutral\"}");
        } else {
            size_t old;
            bool v = strcmp(label, "violation") == 0;
            if (nt_strmap_put(labels, ids, v, &old) != NT_OK) {
                /* Override a reviewer decision for the same post. */
                for (size_t i = 0; i < labels->cap; i++)
                    if (labels->keys[i] && strcmp(labels->keys[i], ids) == 0)
                        labels->vals[i] = v;
            }
        }
        json_decref(o);
    }
    nt_buf_release(&b);
    return rc;
}

static const char *num(json_t *v, char *buf, size_t n)
{
    if (json_is_number(v))
        snprintf(buf, n, "%.2f", json_number_value(v));
    else
        snprintf(buf, n, "nan");
    return buf;
}

static void print_metrics_row(struct cli *c, const char *what, json_t *a, json_t *b)
{
    char x[6][32];
    fprintf(c->out, "  %-14s aktif: P %s R %s F1 %s   draf: P %s R %s F1 %s\n", what,
            num(json_object_get(a, "precision"), x[0], 32),
            num(json_object_get(a, "recall"), x[1], 32), num(json_object_get(a, "f1"), x[2], 32),
            num(json_object_get(b, "precision"), x[3], 32),
            num(json_object_get(b, "recall"), x[4], 32), num(json_object_get(b, "f1"), x[5], 32));
}

static const char *jstr(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* The report as text, as reviewers and analysts read it. */
/* A change is a gain when the level rises, or the score at the same level. */
static bool gain(json_t *ch)
{
    static const char *const lv[] = { "none", "review", "priority" };
    int a = 0, b = 0;
    for (int k = 0; k < 3; k++) {
        a = strcmp(jstr(ch, "level_active"), lv[k]) == 0 ? k : a;
        b = strcmp(jstr(ch, "level_draft"), lv[k]) == 0 ? k : b;
    }
    if (a != b)
        return b > a;
    return json_number_value(json_object_get(ch, "score_draft")) >
           json_number_value(json_object_get(ch, "score_active"));
}

static void print_report(struct cli *c, json_t *r, int64_t active, long top)
{
    size_t i;
    json_t *x;
    fprintf(c->out, "Uji draf \"");
    cli_put_safe(c->out, jstr(r, "draft_version"));
    fprintf(c->out, "\" terhadap versi aktif #%lld pada %lld unggahan tersimpan.\n",
            (long long)active, (long long)json_integer_value(json_object_get(r, "posts")));
    if (json_is_string(json_object_get(r, "draft_model"))) {
        fputs("Model sikap: aktif \"", c->out);
        cli_put_safe(c->out, jstr(r, "active_model")[0] ? jstr(r, "active_model") : "-");
        fputs("\", draf \"", c->out);
        cli_put_safe(c->out, jstr(r, "draft_model"));
        fputs("\".\n", c->out);
    }
    fprintf(c->out, "Berubah tingkat: %lld unggahan",
            (long long)json_integer_value(json_object_get(r, "level_changed")));
    json_array_foreach(json_object_get(r, "transitions"), i,
                       x) if (strcmp(jstr(x, "from"), jstr(x, "to")) != 0)
        fprintf(c->out, "; %s -> %s: %lld", jstr(x, "from"), jstr(x, "to"),
                (long long)json_integer_value(json_object_get(x, "posts")));
    fprintf(c->out, "\nSkor atau tingkat berubah: %lld unggahan.\n",
            (long long)json_integer_value(json_object_get(r, "score_changed")));
    json_t *changes = json_object_get(r, "changes");
    size_t n = json_array_size(changes);
    for (int dir = 0; dir < 2; dir++) {
        fprintf(c->out, "\n%s terbesar:\n", dir ? "Penurunan" : "Kenaikan");
        long shown = 0;
        for (size_t k = 0; k < n && shown < top; k++) {
            json_t *ch = json_array_get(changes, dir ? n - 1 - k : k);
            double s0 = json_number_value(json_object_get(ch, "score_active"));
            double s1 = json_number_value(json_object_get(ch, "score_draft"));
            if (gain(ch) != (dir == 0))
                break;
            fprintf(c->out, "  %s: %.1f (%s) -> %.1f (%s): ", jstr(ch, "id"), s0,
                    jstr(ch, "level_active"), s1, jstr(ch, "level_draft"));
            cli_put_safe(c->out, jstr(ch, "why")[0] ? jstr(ch, "why") : "bobot berubah");
            fputc('\n', c->out);
            shown++;
        }
        if (!shown)
            fputs("  (tidak ada)\n", c->out);
    }
    json_int_t nlabels = json_integer_value(json_object_get(r, "labelled"));
    if (!nlabels) {
        fputs("\nTidak ada label atau keputusan peninjau: presisi dan recall tidak dihitung.\n",
              c->out);
        return;
    }
    char a[32], b[32];
    fprintf(c->out, "\nTerhadap %lld label (review ke atas = pelanggaran):\n", (long long)nlabels);
    print_metrics_row(c, "keseluruhan", json_object_get(r, "active_metrics"),
                      json_object_get(r, "draft_metrics"));
    json_array_foreach(json_object_get(r, "categories"), i, x)
        fprintf(c->out, "  kategori %-10s presisi aktif %s (%lld)  draf %s (%lld)\n",
                jstr(x, "code"), num(json_object_get(x, "active_precision"), a, sizeof(a)),
                (long long)json_integer_value(json_object_get(x, "active_n")),
                num(json_object_get(x, "draft_precision"), b, sizeof(b)),
                (long long)json_integer_value(json_object_get(x, "draft_n")));
    fputs("  presisi per entri (unggahan berlabel dengan entri itu):\n", c->out);
    json_array_foreach(json_object_get(r, "entries"), i, x)
    {
        if (json_is_integer(json_object_get(x, "active_n")))
            fprintf(c->out, "    %-24s aktif %s (%lld)  draf %s (%lld)\n", jstr(x, "id"),
                    num(json_object_get(x, "active_precision"), a, sizeof(a)),
                    (long long)json_integer_value(json_object_get(x, "active_n")),
                    num(json_object_get(x, "draft_precision"), b, sizeof(b)),
                    (long long)json_integer_value(json_object_get(x, "draft_n")));
        else
            fprintf(c->out, "    %-24s aktif -  draf %s (%lld)\n", jstr(x, "id"),
                    num(json_object_get(x, "draft_precision"), b, sizeof(b)),
                    (long long)json_integer_value(json_object_get(x, "draft_n")));
    }
}

int cmd_lexicon_test(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "labels", required_argument, NULL, 'l' },
        { "top", required_argument, NULL, 't' },
        { "json", no_argument, NULL, 'j' },
        { "model", required_argument, NULL, 'm' },
        { NULL, 0, NULL, 0 },
    };
    const char *labels = NULL, *model = NULL;
    long top = 10;
    bool json = false;
    int opt;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'l') {
            labels = optarg;
        } else if (opt == 't') {
            char *end;
            top = strtol(optarg, &end, 10);
            if (*end || top < 0 || top > 1000)
                return cli_usage_error(c, "lexicon test", "--top harus 0 sampai 1000");
        } else if (opt == 'j') {
            json = true;
        } else if (opt == 'm') {
            model = optarg;
        } else {
            return cli_bad_option(c, "lexicon test", argc, argv);
        }
    }
    if (optind + 1 != argc && !(model && optind == argc))
        return cli_usage_error(c, "lexicon test",
                               "sebutkan satu berkas draf JSON, --model BERKAS, atau keduanya");
    const char *draft_lex = optind < argc ? argv[optind] : NULL;

    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    struct nt_detect cur, draft;
    struct nt_strmap map;
    json_t *r = NULL;
    memset(&draft, 0, sizeof(draft));
    nt_strmap_init(&map);
    int rc = cli_engine_load(c, NULL, NULL, &cur);
    if (rc == CLI_OK && cur.lexicon_id == 0) {
        rc = cli_failf(c, "belum ada versi leksikon yang aktif untuk dibandingkan");
        nt_detect_release(&cur);
    }
    if (rc != CLI_OK)
        goto out_store;
    /* The draft side: the draft lexicon (or the active one again) with the
     * draft model (or the active one again). */
    rc = cli_engine_load_model(c, NULL, &cur);
    if (rc == CLI_OK)
        rc = cli_engine_load(c, draft_lex, NULL, &draft);
    if (rc == CLI_OK)
        rc = cli_engine_load_model(c, model, &draft);
    if (rc == CLI_OK)
        rc = load_labels(c, s, labels, &map);
    struct nt_diag d;
    struct nt_scan_stage st0, st1;
    nt_diag_clear(&d);
    nt_detect_stage(&cur, &st0);
    nt_detect_stage(&draft, &st1);
    if (rc == CLI_OK && nt_detect_draft_test(s, cur.m, &st0, draft.m, &st1, &map, &r, &d) != NT_OK)
        rc = cli_fail(c, &d);
    if (rc == CLI_OK && draft.model)
        json_object_set_new(r, "draft_model", json_string(nt_stance_info(draft.model)->version));
    if (rc == CLI_OK && cur.model)
        json_object_set_new(r, "active_model", json_string(nt_stance_info(cur.model)->version));
    if (rc == CLI_OK && json) {
        /* gains and losses apart, as analysts' scripts read them */
        json_t *gains = json_array(), *losses = json_array(), *ch;
        size_t i;
        json_array_foreach(json_object_get(r, "changes"), i, ch)
            json_array_append(gain(ch) ? gains : losses, ch);
        /* transitions as {"none->review": n} */
        json_t *tr = json_object(), *x;
        json_array_foreach(json_object_get(r, "transitions"), i, x)
        {
            char k[32];
            snprintf(k, sizeof(k), "%s->%s", jstr(x, "from"), jstr(x, "to"));
            json_object_set(tr, k, json_object_get(x, "posts"));
        }
        json_object_set_new(r, "transitions", tr);
        json_object_set_new(r, "gains", gains);
        json_object_set_new(r, "losses", losses);
        json_object_set_new(r, "active_version", json_integer(cur.lexicon_id));
        rc = cli_print_json(c, r);
    } else if (rc == CLI_OK) {
        print_report(c, r, cur.lexicon_id, top);
    }
    json_decref(r);
    nt_detect_release(&draft);
    nt_detect_release(&cur);
out_store:
    nt_strmap_release(&map);
    nt_store_close(s);
    return rc;
}
