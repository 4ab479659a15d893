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
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "engine.h"
#include "persist.h"
#include "strmap.h"

const char cmd_lexicon_test_usage[] =
    "Pemakaian: netra lexicon test [--labels LABEL.ndjson] [--top N] [--json] DRAF.json\n"
    "\n"
    "Menilai semua unggahan tersimpan dengan versi aktif dan dengan draf, tanpa\n"
    "mengubah apa pun: berapa unggahan berubah tingkat, kenaikan dan penurunan skor\n"
    "terbesar beserta aturan dan entri penyebabnya, serta presisi, recall dan F1\n"
    "terhadap keputusan peninjau dan/atau berkas label.\n"
    "\n"
    "Berkas label: satu objek per baris {\"id\": ID unggahan, \"label\":\n"
    "\"violation\" | \"neutral\"}. Label berkas menggantikan keputusan peninjau.\n"
    "\n"
    "Opsi:\n"
    "  --labels BERKAS  label acuan\n"
    "  --top N          jumlah kenaikan/penurunan yang ditampilkan (bawaan 10)\n"
    "  --json           keluaran JSON\n";

/* Confusion counts of one version. */
struct counts {
    size_t tp, fp, fn, tn;
};

struct entry_counts {
    size_t labelled, violation;
};

struct change {
    char *id;
    double s0, s1;
    int l0, l1;
    char *why;
};

struct test {
    struct engine *cur, *draft;
    struct nt_strmap labels; /* remote id -> 1 violation, 0 neutral */
    size_t transitions[3][3];
    size_t posts;
    struct counts overall[2];
    struct counts category[2][NT_LEX_CATEGORY_COUNT];
    struct entry_counts *entries[2];
    struct change *changes;
    size_t nchanges, capchanges;
    bool oom;
};

static void count(struct counts *c, bool predicted, bool actual)
{
    if (predicted && actual)
        c->tp++;
    else if (predicted)
        c->fp++;
    else if (actual)
        c->fn++;
    else
        c->tn++;
}

/* Rules and entries in one result but not the other, as words. */
static void explain_delta(struct nt_buf *b, const struct nt_lex *la, const struct nt_result *a,
                          const struct nt_lex *lb, const struct nt_result *r)
{
    for (size_t i = 0; i < r->nfired; i++) {
        const char *id = lb->rules[r->fired[i].rule].id;
        bool found = false;
        for (size_t k = 0; k < a->nfired && !found; k++)
            found = strcmp(la->rules[a->fired[k].rule].id, id) == 0;
        if (!found)
            nt_buf_appendf(b, "%s+aturan %s", b->len ? "; " : "", id);
    }
    for (size_t i = 0; i < r->nhits; i++) {
        if (!r->hits[i].counted)
            continue;
        const char *id = lb->entries[r->hits[i].entry].id;
        bool found = false;
        for (size_t k = 0; k < a->nhits && !found; k++)
            found = a->hits[k].counted && strcmp(la->entries[a->hits[k].entry].id, id) == 0;
        if (!found)
            nt_buf_appendf(b, "%s+entri %s", b->len ? "; " : "", id);
    }
}

/* Copy what is needed of a result: scans reuse their buffers. */
struct snap {
    double score;
    int level;
    bool cats[NT_LEX_CATEGORY_COUNT];
};

static enum nt_err one_post(const struct nt_stored_post *p, void *ctx)
{
    struct test *t = ctx;
    struct nt_scan_ctx sc = { p->region, p->at };
    const struct nt_result *r[2];
    struct engine *e[2] = { t->cur, t->draft };
    struct snap snap[2];
    size_t label_v = 0;
    bool labelled = p->remote_id && nt_strmap_get(&t->labels, p->remote_id, &label_v);

    for (int v = 0; v < 2; v++) {
        if (nt_scan(e[v]->sc, p->text, p->len, &sc, &r[v]) != NT_OK)
            return NT_ENOMEM;
        memset(&snap[v], 0, sizeof(snap[v]));
        snap[v].score = r[v]->score;
        snap[v].level = (int)r[v]->level;
        for (size_t k = 0; k < r[v]->ncategories; k++) {
            int ci = nt_lex_category_index(r[v]->categories[k]);
            if (ci >= 0)
                snap[v].cats[ci] = true;
        }
        if (labelled) {
            bool pred = r[v]->level >= NT_LEVEL_REVIEW;
            count(&t->overall[v], pred, label_v == 1);
            for (int ci = 0; ci < NT_LEX_CATEGORY_COUNT; ci++)
                if (snap[v].cats[ci])
                    count(&t->category[v][ci], true, label_v == 1);
            /* Each counted entry once per post. */
            for (size_t k = 0; k < r[v]->nhits; k++) {
                const struct nt_hit *h = &r[v]->hits[k];
                bool first = h->counted;
                for (size_t j = 0; j < k && first; j++)
                    first = !(r[v]->hits[j].counted && r[v]->hits[j].entry == h->entry);
                if (first) {
                    t->entries[v][h->entry].labelled++;
                    t->entries[v][h->entry].violation += label_v == 1;
                }
            }
        }
    }
    t->posts++;
    t->transitions[snap[0].level][snap[1].level]++;
    if (snap[0].score != snap[1].score) {
        /* Each version has its own scanner: both results are still valid. */
        const struct nt_result *rc = r[0];
        struct nt_buf why;
        nt_buf_init(&why, 4096);
        explain_delta(&why, t->cur->lex, rc, t->draft->lex, r[1]);
        size_t gained = why.len;
        struct nt_buf lost;
        nt_buf_init(&lost, 4096);
        explain_delta(&lost, t->draft->lex, r[1], t->cur->lex, rc);
        for (char *q = lost.data; q && *q; q++)
            if (*q == '+' && (q == lost.data || q[-1] == ' '))
                *q = '-';
        if (lost.len)
            nt_buf_appendf(&why, "%s%s", gained ? "; " : "", nt_buf_str(&lost));
        nt_buf_release(&lost);
        if (t->nchanges == t->capchanges) {
            size_t cap = t->capchanges ? t->capchanges * 2 : 64;
            struct change *c = realloc(t->changes, cap * sizeof(*c));
            if (!c) {
                nt_buf_release(&why);
                return NT_ENOMEM;
            }
            t->changes = c;
            t->capchanges = cap;
        }
        struct change *c = &t->changes[t->nchanges++];
        c->id = strdup(p->remote_id ? p->remote_id : "?");
        c->s0 = snap[0].score;
        c->s1 = snap[1].score;
        c->l0 = snap[0].level;
        c->l1 = snap[1].level;
        c->why = nt_buf_detach(&why, NULL);
    }
    return NT_OK;
}

static int by_delta(const void *a, const void *b)
{
    const struct change *x = a, *y = b;
    double dx = x->s1 - x->s0, dy = y->s1 - y->s0;
    if (dx != dy)
        return dx > dy ? -1 : 1;
    return strcmp(x->id, y->id);
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : (double)NAN;
}

static void metrics(const struct counts *c, double *p, double *r, double *f)
{
    *p = ratio(c->tp, c->tp + c->fp);
    *r = ratio(c->tp, c->tp + c->fn);
    *f = (isnan(*p) || isnan(*r) || *p + *r == 0) ? (double)NAN : 2 * *p * *r / (*p + *r);
}

static int load_labels(struct cli *c, struct nt_store *s, const char *path, struct test *t,
                       size_t *n)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    *n = 0;
    /* Reviewers' decisions first; a labels file overrides them. */
    sqlite3_stmt *st = NULL;
    if (nt_store_prepare(s,
                         "SELECT p.remote_id, i.status FROM review_items i JOIN posts p "
                         "ON p.id = i.post_id WHERE i.status IN ('confirmed', 'dismissed')",
                         &st, &d) == NT_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *id = (const char *)sqlite3_column_text(st, 0);
            bool v = strcmp((const char *)sqlite3_column_text(st, 1), "confirmed") == 0;
            if (id && nt_strmap_put(&t->labels, id, v, NULL) == NT_OK)
                (*n)++;
        }
    }
    sqlite3_finalize(st);
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
            if (nt_strmap_put(&t->labels, ids, v, &old) == NT_OK)
                (*n)++;
            else {
                /* Override a reviewer decision for the same post. */
                for (size_t i = 0; i < t->labels.cap; i++)
                    if (t->labels.keys[i] && strcmp(t->labels.keys[i], ids) == 0)
                        t->labels.vals[i] = v;
            }
        }
        json_decref(o);
    }
    nt_buf_release(&b);
    return rc;
}

static void print_metrics_row(struct cli *c, const char *what, const struct counts *a,
                              const struct counts *b)
{
    double p0, r0, f0, p1, r1, f1;
    metrics(a, &p0, &r0, &f0);
    metrics(b, &p1, &r1, &f1);
    fprintf(c->out, "  %-14s aktif: P %.2f R %.2f F1 %.2f   draf: P %.2f R %.2f F1 %.2f\n", what,
            p0, r0, f0, p1, r1, f1);
}

int cmd_lexicon_test(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "labels", required_argument, NULL, 'l' },
        { "top", required_argument, NULL, 't' },
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 },
    };
    const char *labels = NULL;
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
        } else {
            return cli_bad_option(c, "lexicon test", argc, argv);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(c, "lexicon test", "sebutkan tepat satu berkas draf JSON");

    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY);
    if (!s)
        return CLI_FAIL;
    struct engine cur, draft;
    struct test t;
    memset(&t, 0, sizeof(t));
    memset(&draft, 0, sizeof(draft));
    nt_strmap_init(&t.labels);
    int rc = cli_engine_load(c, NULL, NULL, &cur);
    if (rc == CLI_OK && cur.version == 0) {
        rc = cli_failf(c, "belum ada versi leksikon yang aktif untuk dibandingkan");
        engine_release(&cur);
    }
    if (rc != CLI_OK)
        goto out_store;
    rc = cli_engine_load(c, argv[optind], NULL, &draft);
    if (rc != CLI_OK)
        goto out_cur;
    size_t nlabels = 0;
    rc = load_labels(c, s, labels, &t, &nlabels);
    if (rc != CLI_OK)
        goto out;
    t.cur = &cur;
    t.draft = &draft;
    t.entries[0] = calloc(cur.lex->nentries + 1, sizeof(struct entry_counts));
    t.entries[1] = calloc(draft.lex->nentries + 1, sizeof(struct entry_counts));
    struct nt_diag d;
    nt_diag_clear(&d);
    if (!t.entries[0] || !t.entries[1]) {
        rc = cli_failf(c, "memori tidak cukup");
        goto out;
    }
    if (nt_match_each_stored(s, one_post, &t, &d) != NT_OK) {
        rc = d.msg[0] ? cli_fail(c, &d) : cli_failf(c, "memori tidak cukup");
        goto out;
    }
    if (t.nchanges > 1)
        qsort(t.changes, t.nchanges, sizeof(*t.changes), by_delta);

    static const char *const lv[3] = { "none", "review", "priority" };
    if (json) {
        json_t *o = json_object(), *tr = json_object(), *gains = json_array(),
               *losses = json_array();
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                if (t.transitions[a][b]) {
                    char k[32];
                    snprintf(k, sizeof(k), "%s->%s", lv[a], lv[b]);
                    json_object_set_new(tr, k, json_integer((json_int_t)t.transitions[a][b]));
                }
        for (size_t i = 0; i < t.nchanges; i++) {
            const struct change *ch = &t.changes[i];
            json_t *j = json_pack("{s:s, s:f, s:f, s:s, s:s, s:s}", "id", ch->id, "score_active",
                                  ch->s0, "score_draft", ch->s1, "level_active", lv[ch->l0],
                                  "level_draft", lv[ch->l1], "why", ch->why ? ch->why : "");
            json_array_append_new(ch->s1 > ch->s0 ? gains : losses, j);
        }
        json_object_set_new(o, "active_version", json_integer(cur.version));
        json_object_set_new(o, "draft_version", json_string(draft.lex->version));
        json_object_set_new(o, "posts", json_integer((json_int_t)t.posts));
        json_object_set_new(o, "transitions", tr);
        json_object_set_new(o, "gains", gains);
        json_object_set_new(o, "losses", losses);
        json_object_set_new(o, "labelled", json_integer((json_int_t)nlabels));
        for (int v = 0; v < 2 && nlabels; v++) {
            double p, r, f;
            metrics(&t.overall[v], &p, &r, &f);
            json_object_set_new(o, v ? "draft_metrics" : "active_metrics",
                                json_pack("{s:f, s:f, s:f}", "precision", isnan(p) ? 0 : p,
                                          "recall", isnan(r) ? 0 : r, "f1", isnan(f) ? 0 : f));
        }
        rc = cli_print_json(c, o);
        json_decref(o);
        goto out;
    }

    fprintf(c->out, "Uji draf \"");
    cli_put_safe(c->out, draft.lex->version);
    fprintf(c->out, "\" terhadap versi aktif #%lld pada %zu unggahan tersimpan.\n",
            (long long)cur.version, t.posts);
    size_t changed = 0;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            if (a != b)
                changed += t.transitions[a][b];
    fprintf(c->out, "Berubah tingkat: %zu unggahan", changed);
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            if (a != b && t.transitions[a][b])
                fprintf(c->out, "; %s -> %s: %zu", lv[a], lv[b], t.transitions[a][b]);
    fprintf(c->out, "\nSkor berubah: %zu unggahan.\n", t.nchanges);
    for (int dir = 0; dir < 2; dir++) {
        fprintf(c->out, "\n%s terbesar:\n", dir ? "Penurunan" : "Kenaikan");
        long shown = 0;
        for (size_t k = 0; k < t.nchanges && shown < top; k++) {
            const struct change *ch = &t.changes[dir ? t.nchanges - 1 - k : k];
            if ((ch->s1 > ch->s0) != (dir == 0))
                break;
            fprintf(c->out, "  %s: %.1f (%s) -> %.1f (%s): ", ch->id, ch->s0, lv[ch->l0], ch->s1,
                    lv[ch->l1]);
            cli_put_safe(c->out, ch->why && ch->why[0] ? ch->why : "bobot berubah");
            fputc('\n', c->out);
            shown++;
        }
        if (!shown)
            fputs("  (tidak ada)\n", c->out);
    }
    if (nlabels) {
        fprintf(c->out, "\nTerhadap %zu label (review ke atas = pelanggaran):\n", nlabels);
        print_metrics_row(c, "keseluruhan", &t.overall[0], &t.overall[1]);
        for (int ci = 0; ci < NT_LEX_CATEGORY_COUNT; ci++) {
            const struct counts *a = &t.category[0][ci], *b = &t.category[1][ci];
            if (a->tp + a->fp + b->tp + b->fp == 0)
                continue;
            fprintf(c->out, "  kategori %-10s presisi aktif %.2f (%zu)  draf %.2f (%zu)\n",
                    nt_lex_category_code(ci), ratio(a->tp, a->tp + a->fp), a->tp + a->fp,
                    ratio(b->tp, b->tp + b->fp), b->tp + b->fp);
        }
        fputs("  presisi per entri (unggahan berlabel dengan entri itu):\n", c->out);
        for (size_t i = 0; i < draft.lex->nentries; i++) {
            const struct entry_counts *b = &t.entries[1][i];
            int k = nt_lex_find_entry(cur.lex, draft.lex->entries[i].id);
            const struct entry_counts *a = k >= 0 ? &t.entries[0][k] : NULL;
            if (!b->labelled && !(a && a->labelled))
                continue;
            if (a && a->labelled)
                fprintf(c->out, "    %-24s aktif %.2f (%zu)  draf %.2f (%zu)\n",
                        draft.lex->entries[i].id, ratio(a->violation, a->labelled), a->labelled,
                        ratio(b->violation, b->labelled), b->labelled);
            else
                fprintf(c->out, "    %-24s aktif -  draf %.2f (%zu)\n", draft.lex->entries[i].id,
                        ratio(b->violation, b->labelled), b->labelled);
        }
    } else {
        fputs("\nTidak ada label atau keputusan peninjau: presisi dan recall tidak dihitung.\n",
              c->out);
    }
    rc = CLI_OK;
out:
    for (size_t i = 0; i < t.nchanges; i++) {
        free(t.changes[i].id);
        free(t.changes[i].why);
    }
    free(t.changes);
    free(t.entries[0]);
    free(t.entries[1]);
    engine_release(&draft);
out_cur:
    engine_release(&cur);
out_store:
    nt_strmap_release(&t.labels);
    nt_store_close(s);
    return rc;
}
