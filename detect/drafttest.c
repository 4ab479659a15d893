/*
 * drafttest.c - what a draft lexicon (or stance model) would do to the stored posts, before
 * anyone activates it (`netra lexicon test`, the web app's lexicon page).
 * Nothing is written.
 *
 * Every stored post (latest version) is scored with the active matcher and
 * with the draft, for its employee's region and its time. The report: how
 * many posts change level, every score change with the rules and entries
 * that explain it (largest gain first), and - against reviewers' decisions,
 * overridden by labels when given - precision, recall and F1 overall,
 * precision per category and per entry, for both versions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "scan.h"

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
    double p0, p1; /* P(side), -1 without a stance stage */
    char *why;
};

struct test {
    const struct nt_matcher *m[2];
    const struct nt_scan_stage *stage[2];
    struct nt_scanner *sc[2];
    const struct nt_strmap *labels;
    size_t transitions[3][3];
    size_t posts;
    struct counts overall[2];
    struct counts category[2][NT_LEX_CATEGORY_COUNT];
    struct entry_counts *entries[2];
    struct change *changes;
    size_t nchanges, capchanges;
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

/* Why a score moved: what the draft adds (+), then what it loses (-). */
static char *why_changed(const struct nt_lex *l0, const struct nt_result *r0,
                         const struct nt_lex *l1, const struct nt_result *r1)
{
    struct nt_buf why, lost;
    nt_buf_init(&why, 4096);
    nt_buf_init(&lost, 4096);
    explain_delta(&why, l0, r0, l1, r1);
    size_t gained = why.len;
    explain_delta(&lost, l1, r1, l0, r0);
    for (char *q = lost.data; q && *q; q++)
        if (*q == '+' && (q == lost.data || q[-1] == ' '))
            *q = '-';
    if (lost.len)
        nt_buf_appendf(&why, "%s%s", gained ? "; " : "", nt_buf_str(&lost));
    nt_buf_release(&lost);
    if (!why.data)
        nt_buf_append(&why, "", 0);
    return nt_buf_detach(&why, NULL);
}

static enum nt_err one_post(const struct nt_stored_post *p, void *ctx)
{
    struct test *t = ctx;
    struct nt_scan_ctx sc = { p->region, p->at };
    const struct nt_result *r[2];
    double score[2], p_side[2] = { -1.0, -1.0 };
    int level[2];
    size_t label_v = 0;
    bool labelled = p->remote_id && nt_strmap_get(t->labels, p->remote_id, &label_v);

    for (int v = 0; v < 2; v++) {
        if (nt_scan(t->sc[v], p->text, p->len, &sc, &r[v]) != NT_OK)
            return NT_ENOMEM;
        score[v] = r[v]->score;
        level[v] = (int)r[v]->level;
        if (t->stage[v] && t->stage[v]->run) {
            enum nt_level l = r[v]->level;
            enum nt_err e = t->stage[v]->run(t->stage[v]->ctx, t->sc[v], p->text, p->len, r[v], &l,
                                             &p_side[v], NULL);
            if (e)
                return e;
            level[v] = (int)l;
        }
        if (!labelled)
            continue;
        count(&t->overall[v], level[v] >= NT_LEVEL_REVIEW, label_v == 1);
        bool cats[NT_LEX_CATEGORY_COUNT] = { false };
        for (size_t k = 0; k < r[v]->ncategories; k++) {
            int ci = nt_lex_category_index(r[v]->categories[k]);
            if (ci >= 0 && !cats[ci]) {
                cats[ci] = true;
                count(&t->category[v][ci], true, label_v == 1);
            }
        }
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
    t->posts++;
    t->transitions[level[0]][level[1]]++;
    if (score[0] == score[1] && level[0] == level[1])
        return NT_OK;
    if (t->nchanges == t->capchanges) {
        size_t cap = t->capchanges ? t->capchanges * 2 : 64;
        struct change *c = realloc(t->changes, cap * sizeof(*c));
        if (!c)
            return NT_ENOMEM;
        t->changes = c;
        t->capchanges = cap;
    }
    /* Each version has its own scanner: both results are still valid. */
    struct change *c = &t->changes[t->nchanges];
    c->id = strdup(p->remote_id ? p->remote_id : "?");
    c->why = why_changed(nt_match_lexicon(t->m[0]), r[0], nt_match_lexicon(t->m[1]), r[1]);
    if (c->why && p_side[0] != p_side[1] && (p_side[0] >= 0 || p_side[1] >= 0)) {
        /* The stance model moved the post too: say by how much ("-": the
         * stage did not run, no contestant). */
        char a[16] = "-", b[16] = "-", more[96];
        if (p_side[0] >= 0)
            snprintf(a, sizeof(a), "%.2f", p_side[0]);
        if (p_side[1] >= 0)
            snprintf(b, sizeof(b), "%.2f", p_side[1]);
        int m = snprintf(more, sizeof(more), "%speluang berpihak %s -> %s", c->why[0] ? "; " : "",
                         a, b);
        size_t old = strlen(c->why), add = m > 0 ? (size_t)m : 0;
        char *w = realloc(c->why, old + add + 1);
        if (w) {
            memcpy(w + old, more, add + 1);
            c->why = w;
        }
    }
    c->s0 = score[0];
    c->s1 = score[1];
    c->p0 = p_side[0];
    c->p1 = p_side[1];
    c->l0 = level[0];
    c->l1 = level[1];
    t->nchanges++;
    return NT_OK;
}

/* Largest gain first: a level change counts above any score change. */
static int by_delta(const void *a, const void *b)
{
    const struct change *x = a, *y = b;
    double dx = x->s1 - x->s0 + 1000.0 * (x->l1 - x->l0),
           dy = y->s1 - y->s0 + 1000.0 * (y->l1 - y->l0);
    if (dx != dy)
        return dx > dy ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* A ratio as JSON: null when undefined. */
static json_t *ratio(size_t a, size_t b)
{
    return b ? json_real((double)a / (double)b) : json_null();
}

static json_t *metrics(const struct counts *c)
{
    double p = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : (double)NAN;
    double r = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : (double)NAN;
    double f = isnan(p) || isnan(r) || p + r == 0 ? (double)NAN : 2 * p * r / (p + r);
    return json_pack("{s:o, s:o, s:o, s:I, s:I, s:I, s:I}", "precision",
                     isnan(p) ? json_null() : json_real(p), "recall",
                     isnan(r) ? json_null() : json_real(r), "f1",
                     isnan(f) ? json_null() : json_real(f), "tp", (json_int_t)c->tp, "fp",
                     (json_int_t)c->fp, "fn", (json_int_t)c->fn, "tn", (json_int_t)c->tn);
}

static const char *const level_names[3] = { "none", "review", "priority" };

static json_t *report(const struct test *t)
{
    const struct nt_lex *l0 = nt_match_lexicon(t->m[0]), *l1 = nt_match_lexicon(t->m[1]);
    json_t *tr = json_array(), *changes = json_array(), *cats = json_array(),
           *entries = json_array();
    size_t changed = 0;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            if (a != b)
                changed += t->transitions[a][b];
            if (t->transitions[a][b])
                json_array_append_new(tr, json_pack("{s:s, s:s, s:I}", "from", level_names[a], "to",
                                                    level_names[b], "posts",
                                                    (json_int_t)t->transitions[a][b]));
        }
    for (size_t i = 0; i < t->nchanges; i++) {
        const struct change *c = &t->changes[i];
        json_t *cj = json_pack("{s:s, s:f, s:f, s:s, s:s, s:s}", "id", c->id, "score_active", c->s0,
                               "score_draft", c->s1, "level_active", level_names[c->l0],
                               "level_draft", level_names[c->l1], "why", c->why);
        if (cj && (c->p0 >= 0 || c->p1 >= 0)) {
            json_object_set_new(cj, "p_side_active", c->p0 >= 0 ? json_real(c->p0) : json_null());
            json_object_set_new(cj, "p_side_draft", c->p1 >= 0 ? json_real(c->p1) : json_null());
        }
        json_array_append_new(changes, cj);
    }
    for (int ci = 0; ci < NT_LEX_CATEGORY_COUNT; ci++) {
        const struct counts *a = &t->category[0][ci], *b = &t->category[1][ci];
        if (a->tp + a->fp + b->tp + b->fp == 0)
            continue;
        json_array_append_new(
            cats, json_pack("{s:s, s:o, s:I, s:o, s:I}", "code", nt_lex_category_code(ci),
                            "active_precision", ratio(a->tp, a->tp + a->fp), "active_n",
                            (json_int_t)(a->tp + a->fp), "draft_precision",
                            ratio(b->tp, b->tp + b->fp), "draft_n", (json_int_t)(b->tp + b->fp)));
    }
    for (size_t i = 0; i < l1->nentries; i++) {
        const struct entry_counts *b = &t->entries[1][i];
        int k = nt_lex_find_entry(l0, l1->entries[i].id);
        const struct entry_counts *a = k >= 0 ? &t->entries[0][k] : NULL;
        if (!b->labelled && !(a && a->labelled))
            continue;
        json_array_append_new(
            entries,
            json_pack("{s:s, s:o, s:o, s:o, s:I}", "id", l1->entries[i].id, "active_precision",
                      a && a->labelled ? ratio(a->violation, a->labelled) : json_null(), "active_n",
                      a && a->labelled ? json_integer((json_int_t)a->labelled) : json_null(),
                      "draft_precision", ratio(b->violation, b->labelled), "draft_n",
                      (json_int_t)b->labelled));
    }
    return json_pack("{s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "draft_version",
                     l1->version ? l1->version : "", "posts", (json_int_t)t->posts, "level_changed",
                     (json_int_t)changed, "score_changed", (json_int_t)t->nchanges, "transitions",
                     tr, "changes", changes, "active_metrics", metrics(&t->overall[0]),
                     "draft_metrics", metrics(&t->overall[1]), "categories", cats, "entries",
                     entries);
}

enum nt_err nt_detect_labels_from_decisions(struct nt_store *s, struct nt_strmap *labels, size_t *n,
                                            struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    "SELECT p.remote_id, i.status FROM review_items i JOIN "
                                    "posts p ON p.id = i.post_id WHERE i.status IN "
                                    "('confirmed', 'dismissed')",
                                    &st, d);
    if (err)
        return err;
    while (!err && nt_db_next(st, &err, d)) {
        const char *id = nt_db_text(st, 0);
        bool v = strcmp(nt_db_text(st, 1), "confirmed") == 0;
        enum nt_err pe = id ? nt_strmap_put(labels, id, v, NULL) : NT_EEXISTS;
        if (pe == NT_OK)
            (*n)++;
        else if (pe == NT_ENOMEM)
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_detect_draft_test(struct nt_store *s, const struct nt_matcher *active,
                                 const struct nt_scan_stage *active_stage,
                                 const struct nt_matcher *draft,
                                 const struct nt_scan_stage *draft_stage,
                                 const struct nt_strmap *labels, json_t **out, struct nt_diag *d)
{
    struct test t;
    memset(&t, 0, sizeof(t));
    t.m[0] = active;
    t.m[1] = draft;
    t.stage[0] = active_stage;
    t.stage[1] = draft_stage;
    t.labels = labels;
    enum nt_err err = NT_OK;
    for (int v = 0; v < 2 && !err; v++) {
        t.entries[v] = calloc(nt_match_lexicon(t.m[v])->nentries + 1, sizeof(struct entry_counts));
        if (!t.entries[v] || nt_scanner_new(t.m[v], &t.sc[v]) != NT_OK)
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    if (!err)
        err = nt_detect_each_stored(s, one_post, &t, d);
    if (err && !d->msg[0])
        nt_diag_set(d, err, "memori tidak cukup");
    if (!err) {
        if (t.nchanges > 1)
            qsort(t.changes, t.nchanges, sizeof(*t.changes), by_delta);
        *out = report(&t);
        json_object_set_new(*out, "labelled", json_integer((json_int_t)t.labels->count));
        if (!*out)
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    for (size_t i = 0; i < t.nchanges; i++) {
        free(t.changes[i].id);
        free(t.changes[i].why);
    }
    free(t.changes);
    for (int v = 0; v < 2; v++) {
        free(t.entries[v]);
        nt_scanner_free(t.sc[v]);
    }
    return err;
}
