/*
 * train.c - training the stance model with liblinear (L2-regularised
 * logistic regression, primal trust-region Newton: deterministic), k-fold
 * cross-validation, and thresholds chosen on the out-of-fold predictions.
 *
 * Two problems over the same features: "takes a side" (support or oppose)
 * against "neutral" on every example, and "against" against "for" on the
 * examples that take a side. Classes are weighted to balance them.
 */
#include <linear.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define NTOP 400 /* named features kept in the model file */

static void quiet(const char *s)
{
    (void)s;
}

void nt_stance_params_default(struct nt_stance_params *p)
{
    memset(p, 0, sizeof(*p));
    p->c = 1.0;
    p->target_recall = 0.95;
    p->priority_ff = 0.04;
    p->folds = 5;
    p->seed = 1;
    p->balance = true;
    p->repeats = 5;
    snprintf(p->version, sizeof(p->version), "tanpa-nama");
    /* Feature values by group. The letter 3-grams are many per post and
     * keep their value; the rest are worth more, that is: regularised less
     * (chosen by cross-validation on the real posts, bench/results/stance.txt). */
    static const double alpha[8] = { 1.0,
                                     [NT_SG_KIND] = 3.0,
                                     [NT_SG_RULE] = 3.0,
                                     [NT_SG_WORD] = 5.0,
                                     [NT_SG_BIGRAM] = 5.0,
                                     [NT_SG_CHAR] = 1.0,
                                     [NT_SG_SHAPE] = 3.0,
                                     1.0 };
    memcpy(p->alpha, alpha, sizeof(alpha));
}

void nt_stance_set_init(struct nt_stance_set *s, unsigned bits)
{
    memset(s, 0, sizeof(*s));
    s->bits = bits;
}

void nt_stance_set_release(struct nt_stance_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].ids);
        free(s->v[i].groups);
    }
    free(s->v);
    memset(s, 0, sizeof(*s));
}

enum nt_err nt_stance_set_add(struct nt_stance_set *s, const struct nt_stance_vec *v,
                              enum nt_stance_label label, int source)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        struct nt_stance_example *p = realloc(s->v, cap * sizeof(*p));
        if (!p)
            return NT_ENOMEM;
        s->v = p;
        s->cap = cap;
    }
    struct nt_stance_example *e = &s->v[s->n];
    e->ids = malloc((v->n ? v->n : 1) * sizeof(*e->ids));
    e->groups = malloc(v->n ? v->n : 1);
    if (!e->ids || !e->groups) {
        free(e->ids);
        free(e->groups);
        return NT_ENOMEM;
    }
    memcpy(e->ids, v->ids, v->n * sizeof(*e->ids));
    memcpy(e->groups, v->groups, v->n);
    e->n = v->n;
    e->label = label;
    e->group = 0;
    e->relevant = v->relevant;
    e->source = source < 0                        ? 0
                : source >= NT_STANCE_MAX_SOURCES ? NT_STANCE_MAX_SOURCES - 1
                                                  : source;
    s->n++;
    return NT_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* liblinear rows: sorted unique indices (1-based) with count * scale, then
 * the bias node, then the terminator. */
struct rows {
    struct feature_node **x;
    struct feature_node *pool;
    size_t n;
    float *alpha; /* per id: its group's value (0: never seen) */
};

static void rows_release(struct rows *r)
{
    free(r->x);
    free(r->pool);
    free(r->alpha);
    memset(r, 0, sizeof(*r));
}

static enum nt_err rows_build(const struct nt_stance_set *s, const double *alpha, struct rows *r)
{
    size_t total = 0;
    for (size_t i = 0; i < s->n; i++)
        total += s->v[i].n + 2;
    r->x = calloc(s->n ? s->n : 1, sizeof(*r->x));
    r->pool = calloc(total ? total : 1, sizeof(*r->pool));
    r->alpha = calloc((size_t)1 << s->bits, sizeof(*r->alpha));
    uint32_t *tmp = NULL;
    size_t tcap = 0;
    if (!r->x || !r->pool || !r->alpha)
        goto oom;
    for (size_t i = 0; i < s->n; i++)
        for (size_t k = 0; k < s->v[i].n; k++)
            if (r->alpha[s->v[i].ids[k]] == 0.0f)
                r->alpha[s->v[i].ids[k]] = (float)alpha[s->v[i].groups[k] & 7];
    struct feature_node *p = r->pool;
    int bias_index = (int)((size_t)1 << s->bits) + 1;
    for (size_t i = 0; i < s->n; i++) {
        const struct nt_stance_example *e = &s->v[i];
        if (e->n > tcap) {
            uint32_t *q = realloc(tmp, e->n * sizeof(*q));
            if (!q)
                goto oom;
            tmp = q;
            tcap = e->n;
        }
        memcpy(tmp, e->ids, e->n * sizeof(*tmp));
        qsort(tmp, e->n, sizeof(*tmp), cmp_u32);
        double scale = e->n ? 1.0 / sqrt((double)e->n) : 0.0;
        r->x[i] = p;
        for (size_t k = 0; k < e->n;) {
            size_t j = k;
            while (j < e->n && tmp[j] == tmp[k])
                j++;
            p->index = (int)tmp[k] + 1;
            p->value = (double)(j - k) * (double)r->alpha[tmp[k]] * (double)(float)scale;
            p++;
            k = j;
        }
        p->index = bias_index;
        p->value = 1.0;
        p++;
        p->index = -1;
        p++;
    }
    free(tmp);
    r->n = s->n;
    return NT_OK;
oom:
    free(tmp);
    rows_release(r);
    return NT_ENOMEM;
}

/*
 * Train one binary problem over the rows `use` (indices) with labels `y`
 * (+1 / -1); writes dense weights (stride 2, offset `off`) and the bias.
 * No rows of one class: weights stay 0 and the bias says "never".
 */
static enum nt_err train_binary(const struct rows *r, const size_t *use, const double *y, size_t n,
                                unsigned bits, double c, float *w, size_t off, double *bias)
{
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += y[i] > 0;
    size_t dim = (size_t)1 << bits;
    if (pos == 0 || pos == n) {
        *bias = pos ? 8.0 : -8.0;
        return NT_OK;
    }
    struct problem prob;
    struct feature_node **x = malloc(n * sizeof(*x));
    double *yy = malloc(n * sizeof(*yy));
    if (!x || !yy) {
        free(x);
        free(yy);
        return NT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = r->x[use[i]];
        yy[i] = y[i];
    }
    prob.l = (int)n;
    prob.n = (int)dim + 1;
    prob.x = x;
    prob.y = yy;
    prob.bias = 1.0;
    /* Balance the classes: each weighs as if it were half the data. */
    int labels[2] = { 1, -1 };
    double cw[2] = { (double)n / (2.0 * (double)pos), (double)n / (2.0 * (double)(n - pos)) };
    struct parameter par = { 0 };
    par.solver_type = L2R_LR;
    par.eps = 0.01;
    par.C = c;
    par.nr_weight = 2;
    par.weight_label = labels;
    par.weight = cw;
    set_print_string_function(quiet);
    enum nt_err err = NT_OK;
    if (check_parameter(&prob, &par)) {
        err = NT_EINTERNAL;
    } else {
        struct model *m = train(&prob, &par);
        if (!m) {
            err = NT_ENOMEM;
        } else {
            /* liblinear's w is for the first label it saw. */
            double sign = m->label[0] == 1 ? 1.0 : -1.0;
            for (size_t i = 0; i < dim; i++)
                w[2 * i + off] = (float)(sign * m->w[i]);
            *bias = sign * m->w[dim];
            free_and_destroy_model(&m);
        }
    }
    free(x);
    free(yy);
    return err;
}

/*
 * Per-source balance: within a source that holds both neutral posts and
 * posts that take a side, the smaller class counts as often as it takes to
 * match the larger one (at most NT_BALANCE_MAX times). Otherwise a source
 * where most posts take a side (real replies to candidates) teaches its own
 * style as a sign of taking a side, and its neutral posts score as high as
 * its campaigning ones. Repetition is an integer instance weight: liblinear
 * rows are pointers, nothing is copied.
 */
#define NT_BALANCE_MAX 4

static void source_weights(const struct nt_stance_set *s, const size_t *use, size_t n,
                           unsigned mult[NT_STANCE_MAX_SOURCES][2])
{
    size_t cnt[NT_STANCE_MAX_SOURCES][2] = { { 0 } };
    for (size_t i = 0; i < n; i++) {
        const struct nt_stance_example *e = &s->v[use[i]];
        cnt[e->source][e->label != NT_LABEL_NEUTRAL]++;
    }
    for (int src = 0; src < NT_STANCE_MAX_SOURCES; src++) {
        mult[src][0] = mult[src][1] = 1;
        size_t a = cnt[src][0], b = cnt[src][1];
        if (!a || !b)
            continue;
        int small = a < b ? 0 : 1;
        size_t lo = small ? b : a, hi = small ? a : b;
        unsigned m = (unsigned)((double)hi / (double)lo + 0.5);
        mult[src][small] = m < 1 ? 1 : m > NT_BALANCE_MAX ? NT_BALANCE_MAX : m;
    }
}

/* Train both problems on the examples `use` (n of them), each source's
 * classes balanced when `balance` is set. */
static enum nt_err train_pair(const struct nt_stance_set *s, const struct rows *r,
                              const size_t *use, size_t n, const struct nt_stance_params *p,
                              float *w, double *bs, double *bo)
{
    unsigned mult[NT_STANCE_MAX_SOURCES][2];
    source_weights(s, use, n, mult);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const struct nt_stance_example *e = &s->v[use[i]];
        total += p->balance ? mult[e->source][e->label != NT_LABEL_NEUTRAL] : 1;
    }
    double *y = calloc(total ? total : 1, sizeof(*y));
    size_t *all = calloc(total ? total : 1, sizeof(*all));
    size_t *side = calloc(total ? total : 1, sizeof(*side));
    enum nt_err err = NT_ENOMEM;
    if (!y || !all || !side)
        goto out;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const struct nt_stance_example *e = &s->v[use[i]];
        unsigned k = p->balance ? mult[e->source][e->label != NT_LABEL_NEUTRAL] : 1;
        while (k--) {
            all[m] = use[i];
            y[m++] = e->label != NT_LABEL_NEUTRAL ? 1.0 : -1.0;
        }
    }
    err = train_binary(r, all, y, m, s->bits, p->c, w, 0, bs);
    if (err)
        goto out;
    /* Against or for: every post that takes a side once. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s->v[use[i]].label != NT_LABEL_NEUTRAL) {
            side[k] = use[i];
            y[k] = s->v[use[i]].label == NT_LABEL_OPPOSE ? 1.0 : -1.0;
            k++;
        }
    err = train_binary(r, side, y, k, s->bits, p->c, w, 1, bo);
    /* Fold each feature's value into its weights: scoring stays a sum. */
    for (size_t i = 0; !err && i < (size_t)1 << s->bits; i++) {
        w[2 * i] *= r->alpha[i];
        w[2 * i + 1] *= r->alpha[i];
    }
out:
    free(y);
    free(all);
    free(side);
    return err;
}

static double dot(const float *w, size_t off, const struct nt_stance_example *e)
{
    float s = 0.0f;
    for (size_t i = 0; i < e->n; i++)
        s += w[2 * (size_t)e->ids[i] + off];
    return (double)s * (double)(float)(e->n ? 1.0 / sqrt((double)e->n) : 0.0);
}

/* The fold of example i: by its group when it has one (posts written from
 * one template are all held out together), else by its position. */
static uint32_t fold_of(const struct nt_stance_set *s, size_t i, uint32_t seed, unsigned k)
{
    uint64_t key = s->v[i].group ? s->v[i].group : (uint64_t)i;
    uint64_t x = key * 0x9e3779b97f4a7c15ull ^ ((uint64_t)seed << 32 | seed);
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    return (uint32_t)(x % k);
}

enum nt_err nt_stance_crossval(const struct nt_stance_set *s, const struct nt_stance_params *p,
                               double *p_side, struct nt_diag *d)
{
    if (p->folds < 2 || p->folds > 50)
        return nt_diag_set(d, NT_EUSAGE, "jumlah lipatan validasi silang harus 2..50");
    unsigned repeats = p->repeats ? p->repeats : 1;
    if (repeats > 20)
        return nt_diag_set(d, NT_EUSAGE, "jumlah pengulangan validasi silang harus 1..20");
    struct rows r = { 0 };
    size_t dim = (size_t)1 << s->bits;
    size_t *use = malloc((s->n ? s->n : 1) * sizeof(*use));
    float *w = malloc(2 * dim * sizeof(*w));
    enum nt_err err = NT_ENOMEM;
    if (!use || !w || rows_build(s, p->alpha, &r) != NT_OK)
        goto out;
    /* Repeated k-fold: each repetition splits the data anew (seed, seed+1,
     * ...); an example's prediction is the mean of its out-of-fold
     * predictions, so thresholds chosen on them do not hang on one split. */
    for (size_t i = 0; i < s->n; i++)
        p_side[i] = 0.0;
    for (unsigned rep = 0; rep < repeats; rep++) {
        uint32_t seed = p->seed + rep;
        for (unsigned f = 0; f < p->folds; f++) {
            size_t n = 0;
            for (size_t i = 0; i < s->n; i++)
                if (fold_of(s, i, seed, p->folds) != f)
                    use[n++] = i;
            memset(w, 0, 2 * dim * sizeof(*w));
            double bs, bo;
            err = train_pair(s, &r, use, n, p, w, &bs, &bo);
            if (err)
                goto out;
            for (size_t i = 0; i < s->n; i++)
                if (fold_of(s, i, seed, p->folds) == f)
                    p_side[i] += nt_stance_sigmoid(bs + dot(w, 0, &s->v[i])) / repeats;
        }
    }
    err = NT_OK;
out:
    if (err == NT_ENOMEM)
        nt_diag_set(d, err, "memori tidak cukup untuk validasi silang");
    else if (err)
        nt_diag_set(d, err, "liblinear menolak parameter pelatihan");
    rows_release(&r);
    free(use);
    free(w);
    return err;
}

/* Figures of a threshold over out-of-fold predictions (gated like the
 * product: an irrelevant post is never flagged). */
void nt_stance_figures(const struct nt_stance_set *s, const double *p, double t, double *recall,
                       double *ff, double *precision)
{
    size_t side = 0, neu = 0, tp = 0, fp = 0;
    for (size_t i = 0; i < s->n; i++) {
        bool flag = s->v[i].relevant && p[i] >= t;
        if (s->v[i].label != NT_LABEL_NEUTRAL) {
            side++;
            tp += flag;
        } else {
            neu++;
            fp += flag;
        }
    }
    *recall = side ? (double)tp / (double)side : 0.0;
    *ff = neu ? (double)fp / (double)neu : 0.0;
    *precision = tp + fp ? (double)tp / (double)(tp + fp) : 0.0;
}

/* The highest share of neutral examples at or above `t` in any source
 * with at least 20 neutral examples (gated like the product). */
static double worst_neutral_rate(const struct nt_stance_set *s, const double *p, double t)
{
    double worst = 0.0;
    for (int src = 0; src < NT_STANCE_MAX_SOURCES; src++) {
        size_t neu = 0, hit = 0;
        for (size_t i = 0; i < s->n; i++) {
            const struct nt_stance_example *e = &s->v[i];
            if (e->source != src || e->label != NT_LABEL_NEUTRAL)
                continue;
            neu++;
            hit += e->relevant && p[i] >= t;
        }
        if (neu >= 20 && (double)hit / (double)neu > worst)
            worst = (double)hit / (double)neu;
    }
    return worst;
}

void nt_stance_choose(const struct nt_stance_set *s, const double *p, double target_recall,
                      double priority_ff, double *review, double *priority)
{
    /* Review: the highest threshold (steps of 0.005) that keeps the recall.
     * The lexicon gate caps what any threshold can reach: ask for at most
     * what the lowest threshold reaches, less a point. */
    double best = 0.005, cap, ff0, pr0;
    nt_stance_figures(s, p, 0.0, &cap, &ff0, &pr0);
    if (target_recall > cap - 0.01)
        target_recall = cap - 0.01;
    for (int k = 199; k >= 1; k--) {
        double t = k / 200.0, rec, ff, pr;
        nt_stance_figures(s, p, t, &rec, &ff, &pr);
        if (rec >= target_recall) {
            best = t;
            break;
        }
    }
    *review = best;
    /* Priority: the lowest threshold at which, in every source with enough
     * neutral examples to tell (20), at most priority_ff of them would be a
     * priority. News headlines must not hide the real posts' talk. */
    double pt = 0.995;
    for (int k = (int)ceil(best * 200.0); k <= 199; k++) {
        double t = k / 200.0;
        if (worst_neutral_rate(s, p, t) <= priority_ff) {
            pt = t;
            break;
        }
    }
    *priority = pt < best ? best : pt;
}

static int by_weight(const void *a, const void *b)
{
    const struct nt_stance_top *x = a, *y = b;
    double u = fabs((double)x->w_side) + 0.5 * fabs((double)x->w_oppose),
           v = fabs((double)y->w_side) + 0.5 * fabs((double)y->w_oppose);
    if (u != v)
        return u < v ? 1 : -1;
    return x->f.id < y->f.id ? -1 : x->f.id > y->f.id;
}

enum nt_err nt_stance_names_merge(struct nt_stance_names *into, const struct nt_stance_names *add)
{
    /* Plain append: nt_stance_train sorts and keeps one name per id. */
    if (into->n + add->n > into->cap) {
        size_t cap = into->cap ? into->cap : 1024;
        while (cap < into->n + add->n)
            cap *= 2;
        struct nt_stance_named *p = realloc(into->v, cap * sizeof(*p));
        if (!p)
            return NT_ENOMEM;
        into->v = p;
        into->cap = cap;
    }
    memcpy(into->v + into->n, add->v, add->n * sizeof(*add->v));
    into->n += add->n;
    return NT_OK;
}

static int by_id(const void *a, const void *b)
{
    const struct nt_stance_named *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return strcmp(x->text, y->text);
}

enum nt_err nt_stance_train(const struct nt_stance_set *s, const struct nt_stance_params *p,
                            const struct nt_stance_names *names, const uint64_t *vocab,
                            struct nt_stance_model **out, struct nt_diag *d)
{
    size_t dim = (size_t)1 << s->bits;
    struct rows r = { 0 };
    double *pcv = malloc((s->n ? s->n : 1) * sizeof(*pcv));
    size_t *use = malloc((s->n ? s->n : 1) * sizeof(*use));
    float *w = calloc(2 * dim, sizeof(*w));
    struct nt_stance_top *top = NULL;
    struct nt_stance_named *sorted = NULL;
    enum nt_err err = NT_ENOMEM;
    size_t nside = 0, nopp = 0;

    for (size_t i = 0; i < s->n; i++) {
        nside += s->v[i].label != NT_LABEL_NEUTRAL;
        nopp += s->v[i].label == NT_LABEL_OPPOSE;
    }
    if (nside == 0 || nside == s->n) {
        err = nt_diag_set(d, NT_EINPUT,
                          "data latih harus berisi contoh berpihak dan contoh netral (%zu dari "
                          "%zu berpihak)",
                          nside, s->n);
        goto fail;
    }
    if (!pcv || !use || !w)
        goto oom;
    err = nt_stance_crossval(s, p, pcv, d);
    if (err)
        goto fail;
    if (rows_build(s, p->alpha, &r) != NT_OK)
        goto oom;
    for (size_t i = 0; i < s->n; i++)
        use[i] = i;
    double bs, bo;
    err = train_pair(s, &r, use, s->n, p, w, &bs, &bo);
    if (err) {
        nt_diag_set(d, err, "pelatihan liblinear gagal");
        goto fail;
    }
    struct nt_stance_info info = { 0 };
    snprintf(info.version, sizeof(info.version), "%s", p->version);
    info.bits = s->bits;
    info.featureset = NT_STANCE_FEATURESET;
    info.target_recall = p->target_recall;
    info.ntrain = (uint32_t)s->n;
    info.nside = (uint32_t)nside;
    info.noppose = (uint32_t)nopp;
    nt_stance_choose(s, pcv, p->target_recall, p->priority_ff, &info.review, &info.priority);
    nt_stance_figures(s, pcv, info.review, &info.cv_recall, &info.cv_false_flag,
                      &info.cv_precision);

    /* The strongest named features: sort the names by id (deterministic
     * whatever order they came in), one per id, then by weight. */
    size_t ntop = 0;
    if (names && names->n) {
        sorted = malloc(names->n * sizeof(*sorted));
        top = calloc(names->n, sizeof(*top));
        if (!sorted || !top)
            goto oom;
        memcpy(sorted, names->v, names->n * sizeof(*sorted));
        qsort(sorted, names->n, sizeof(*sorted), by_id);
        for (size_t i = 0; i < names->n; i++) {
            if (i && sorted[i].id == sorted[i - 1].id)
                continue;
            top[ntop].f = sorted[i];
            top[ntop].w_side = w[2 * (size_t)sorted[i].id];
            top[ntop].w_oppose = w[2 * (size_t)sorted[i].id + 1];
            ntop++;
        }
        qsort(top, ntop, sizeof(*top), by_weight);
        if (ntop > NTOP)
            ntop = NTOP;
    }
    free(sorted);
    sorted = NULL;
    uint64_t *vcopy = NULL;
    if (vocab) {
        size_t words = dim / 64 ? dim / 64 : 1;
        if (!(vcopy = malloc(words * sizeof(*vcopy))))
            goto oom;
        memcpy(vcopy, vocab, words * sizeof(*vcopy));
    }
    struct nt_stance_model *m = nt_stance_model_new(&info, w, bs, bo, top, ntop, vcopy);
    if (!m) {
        free(vcopy);
        goto oom;
    }
    w = NULL;
    top = NULL;
    /* Serialise once so that the info carries the file's hash. */
    void *bytes;
    size_t len;
    err = nt_stance_save(m, &bytes, &len, d);
    if (err) {
        nt_stance_free(m);
        goto fail;
    }
    free(bytes);
    *out = m;
    rows_release(&r);
    free(pcv);
    free(use);
    return NT_OK;
oom:
    err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup untuk pelatihan");
fail:
    rows_release(&r);
    free(pcv);
    free(use);
    free(w);
    free(top);
    free(sorted);
    return err;
}
