/*
 * model.c - the stance model file, scoring and its explanation.
 *
 * File layout (little-endian; all sizes checked before use):
 *   magic "NETRA-STANCE-MDL" (16 bytes)
 *   u32 format, featureset, bits, nweights, ntop, ntrain, nside, noppose
 *   f64 review, priority, target_recall, cv_recall, cv_false_flag,
 *       cv_precision, bias_side, bias_oppose
 *   char version[64] (NUL-padded)
 *   nweights x { u32 id, f32 w_side, f32 w_oppose }   ids strictly rising
 *   ntop x { u32 id, u8 group, u8 len, len bytes of text, f32, f32 }
 *   u32 nvocab, nvocab x u32 id          the known words' unigram ids, rising
 *   SHA-256 (32 raw bytes) of everything before it
 * In memory the weights are dense (2^bits pairs), so scoring is one load
 * per feature.
 */
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct nt_stance_model {
    struct nt_stance_info info;
    float *w; /* 2 << bits: side, oppose interleaved */
    double bias_side, bias_oppose;
    struct nt_stance_top *top;
    size_t ntop;
    uint64_t *vocab; /* bit set over 2^bits, or NULL */
};

#define HEADER_BYTES (16 + 8 * 4 + 8 * 8 + NT_STANCE_NAME_MAX)

const char *nt_stance_side_name(enum nt_stance_side s)
{
    return s == NT_STANCE_SUPPORT  ? "mendukung"
           : s == NT_STANCE_OPPOSE ? "menentang"
                                   : "tidak berpihak";
}

const char *nt_stance_side_code(enum nt_stance_side s)
{
    return s == NT_STANCE_SUPPORT ? "support" : s == NT_STANCE_OPPOSE ? "oppose" : "none";
}

/* ---- little-endian reading and writing ---- */

struct rd {
    const unsigned char *p, *end;
    bool bad;
};

static uint32_t rd_u32(struct rd *r)
{
    if (r->end - r->p < 4) {
        r->bad = true;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                 (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}

static double rd_f64(struct rd *r)
{
    uint64_t v = rd_u32(r);
    v |= (uint64_t)rd_u32(r) << 32;
    double d;
    memcpy(&d, &v, sizeof(d));
    return d;
}

static float rd_f32(struct rd *r)
{
    uint32_t v = rd_u32(r);
    float f;
    memcpy(&f, &v, sizeof(f));
    return f;
}

struct wr {
    unsigned char *p;
    size_t n, cap;
    bool oom;
};

static void wr_bytes(struct wr *w, const void *p, size_t n)
{
    if (w->oom)
        return;
    if (w->n + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->n + n)
            cap *= 2;
        unsigned char *q = realloc(w->p, cap);
        if (!q) {
            w->oom = true;
            return;
        }
        w->p = q;
        w->cap = cap;
    }
    memcpy(w->p + w->n, p, n);
    w->n += n;
}

static void wr_u32(struct wr *w, uint32_t v)
{
    unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 24) };
    wr_bytes(w, b, 4);
}

static void wr_f64(struct wr *w, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof(v));
    wr_u32(w, (uint32_t)v);
    wr_u32(w, (uint32_t)(v >> 32));
}

static void wr_f32(struct wr *w, float f)
{
    uint32_t v;
    memcpy(&v, &f, sizeof(v));
    wr_u32(w, v);
}

static void hex(const unsigned char *h, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[h[i] >> 4];
        out[2 * i + 1] = digits[h[i] & 15];
    }
    out[64] = '\0';
}

static bool finite_thr(double x)
{
    return isfinite(x) && x >= 0.0 && x <= 1.0;
}

enum nt_err nt_stance_load(const char *label, const void *bytes, size_t len,
                           struct nt_stance_model **out, struct nt_diag *d)
{
    const unsigned char *b = bytes;
    struct nt_stance_model *m = NULL;
    enum nt_err err = NT_EINPUT;
    if (len > NT_STANCE_MAX_BYTES) {
        nt_diag_set(d, NT_ETOOBIG, "berkas model lebih dari %u MiB", NT_STANCE_MAX_BYTES >> 20);
        nt_diag_at(d, label, 0, NULL);
        return NT_ETOOBIG;
    }
    if (len < 16 || memcmp(b, NT_STANCE_MAGIC, 16) != 0) {
        nt_diag_set(d, NT_EINPUT, "bukan berkas model sikap Netra (format netra-stance)");
        nt_diag_at(d, label, 0, NULL);
        return NT_EINPUT;
    }
    if (len < HEADER_BYTES + 32) {
        nt_diag_set(d, NT_EINPUT, "berkas model terpotong (%zu byte)", len);
        nt_diag_at(d, label, 0, NULL);
        return NT_EINPUT;
    }
    unsigned char h[32];
    crypto_hash_sha256(h, b, len - 32);
    if (memcmp(h, b + len - 32, 32) != 0) {
        nt_diag_set(d, NT_EINPUT, "berkas model rusak atau terpotong: SHA-256 tidak cocok");
        nt_diag_at(d, label, 0, NULL);
        return NT_EINPUT;
    }
    struct rd r = { b + 16, b + len - 32, false };
    m = calloc(1, sizeof(*m));
    if (!m)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    struct nt_stance_info *in = &m->info;
    uint32_t format = rd_u32(&r);
    in->featureset = rd_u32(&r);
    in->bits = rd_u32(&r);
    in->nweights = rd_u32(&r);
    uint32_t ntop = rd_u32(&r);
    in->ntrain = rd_u32(&r);
    in->nside = rd_u32(&r);
    in->noppose = rd_u32(&r);
    in->review = rd_f64(&r);
    in->priority = rd_f64(&r);
    in->target_recall = rd_f64(&r);
    in->cv_recall = rd_f64(&r);
    in->cv_false_flag = rd_f64(&r);
    in->cv_precision = rd_f64(&r);
    m->bias_side = rd_f64(&r);
    m->bias_oppose = rd_f64(&r);
    if (r.end - r.p < NT_STANCE_NAME_MAX) {
        nt_diag_set(d, NT_EINPUT, "berkas model terpotong");
        goto fail;
    }
    memcpy(in->version, r.p, NT_STANCE_NAME_MAX);
    in->version[NT_STANCE_NAME_MAX - 1] = '\0';
    r.p += NT_STANCE_NAME_MAX;
    if (format != NT_STANCE_FORMAT) {
        nt_diag_set(d, NT_EINPUT, "format model versi %u tidak didukung (Netra membaca versi %u)",
                    format, NT_STANCE_FORMAT);
        goto fail;
    }
    if (in->featureset != NT_STANCE_FEATURESET) {
        nt_diag_set(d, NT_EINPUT,
                    "model dilatih dengan fitur versi %u, Netra ini memakai versi %u: latih ulang",
                    in->featureset, NT_STANCE_FEATURESET);
        goto fail;
    }
    if (in->bits < 8 || in->bits > 26) {
        nt_diag_set(d, NT_EINPUT, "ukuran hash model %u bit di luar 8..26", in->bits);
        goto fail;
    }
    if (!finite_thr(in->review) || !finite_thr(in->priority) || in->priority < in->review ||
        !isfinite(m->bias_side) || !isfinite(m->bias_oppose)) {
        nt_diag_set(d, NT_EINPUT, "ambang atau bias model tidak sah");
        goto fail;
    }
    size_t dim = (size_t)1 << in->bits;
    if (in->nweights > dim || (size_t)(r.end - r.p) / 12 < in->nweights) {
        nt_diag_set(d, NT_EINPUT, "jumlah bobot model (%u) tidak sesuai ukuran berkas",
                    in->nweights);
        goto fail;
    }
    m->w = calloc(2 * dim, sizeof(float));
    if (!m->w) {
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        goto fail;
    }
    int64_t last = -1;
    for (uint32_t i = 0; i < in->nweights; i++) {
        uint32_t id = rd_u32(&r);
        float ws = rd_f32(&r), wo = rd_f32(&r);
        if ((int64_t)id <= last || id >= dim || !isfinite(ws) || !isfinite(wo)) {
            nt_diag_set(d, NT_EINPUT, "bobot ke-%u tidak sah (id %u)", i + 1, id);
            goto fail;
        }
        last = id;
        m->w[2 * (size_t)id] = ws;
        m->w[2 * (size_t)id + 1] = wo;
    }
    m->top = calloc(ntop ? ntop : 1, sizeof(*m->top));
    if (!m->top) {
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        goto fail;
    }
    for (uint32_t i = 0; i < ntop; i++) {
        struct nt_stance_top *t = &m->top[i];
        t->f.id = rd_u32(&r);
        if (r.end - r.p < 2) {
            r.bad = true;
            break;
        }
        t->f.group = r.p[0];
        size_t n = r.p[1];
        r.p += 2;
        if (n >= sizeof(t->f.text) || (size_t)(r.end - r.p) < n || t->f.id >= dim ||
            t->f.group < NT_SG_KIND || t->f.group > NT_SG_SHAPE) {
            r.bad = true;
            break;
        }
        memcpy(t->f.text, r.p, n);
        t->f.text[n] = '\0';
        r.p += n;
        t->w_side = rd_f32(&r);
        t->w_oppose = rd_f32(&r);
    }
    m->ntop = ntop;
    uint32_t nvocab = rd_u32(&r);
    if (!r.bad && nvocab) {
        if (nvocab > dim || (size_t)(r.end - r.p) / 4 < nvocab) {
            nt_diag_set(d, NT_EINPUT, "jumlah kosakata model (%u) tidak sesuai ukuran berkas",
                        nvocab);
            goto fail;
        }
        m->vocab = calloc(dim / 64 ? dim / 64 : 1, sizeof(*m->vocab));
        if (!m->vocab) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            goto fail;
        }
        int64_t prev = -1;
        for (uint32_t i = 0; i < nvocab; i++) {
            uint32_t id = rd_u32(&r);
            if ((int64_t)id <= prev || id >= dim) {
                nt_diag_set(d, NT_EINPUT, "kosakata ke-%u tidak sah (id %u)", i + 1, id);
                goto fail;
            }
            prev = id;
            m->vocab[id / 64] |= 1ull << (id % 64);
        }
    }
    in->nvocab = nvocab;
    if (r.bad || r.p != r.end) {
        nt_diag_set(d, NT_EINPUT, "berkas model tidak utuh (tabel fitur)");
        goto fail;
    }
    hex(h, in->sha256);
    *out = m;
    return NT_OK;
fail:
    nt_diag_at(d, label, 0, NULL);
    nt_stance_free(m);
    return err;
}

void nt_stance_free(struct nt_stance_model *m)
{
    if (!m)
        return;
    free(m->w);
    free(m->top);
    free(m->vocab);
    free(m);
}

const struct nt_stance_info *nt_stance_info(const struct nt_stance_model *m)
{
    return &m->info;
}

const struct nt_stance_top *nt_stance_tops(const struct nt_stance_model *m, size_t *n)
{
    *n = m->ntop;
    return m->top;
}

void nt_stance_set_thresholds(struct nt_stance_model *m, double review, double priority)
{
    m->info.review = review;
    m->info.priority = priority < review ? review : priority;
}

enum nt_err nt_stance_save(struct nt_stance_model *m, void **bytes, size_t *len, struct nt_diag *d)
{
    struct wr w = { 0 };
    const struct nt_stance_info *in = &m->info;
    size_t dim = (size_t)1 << in->bits;
    uint32_t nw = 0;
    for (size_t i = 0; i < dim; i++)
        nw += m->w[2 * i] != 0.0f || m->w[2 * i + 1] != 0.0f;
    m->info.nweights = nw;
    wr_bytes(&w, NT_STANCE_MAGIC, 16);
    wr_u32(&w, NT_STANCE_FORMAT);
    wr_u32(&w, in->featureset);
    wr_u32(&w, in->bits);
    wr_u32(&w, nw);
    wr_u32(&w, (uint32_t)m->ntop);
    wr_u32(&w, in->ntrain);
    wr_u32(&w, in->nside);
    wr_u32(&w, in->noppose);
    wr_f64(&w, in->review);
    wr_f64(&w, in->priority);
    wr_f64(&w, in->target_recall);
    wr_f64(&w, in->cv_recall);
    wr_f64(&w, in->cv_false_flag);
    wr_f64(&w, in->cv_precision);
    wr_f64(&w, m->bias_side);
    wr_f64(&w, m->bias_oppose);
    char ver[NT_STANCE_NAME_MAX] = { 0 };
    snprintf(ver, sizeof(ver), "%s", in->version);
    wr_bytes(&w, ver, sizeof(ver));
    for (size_t i = 0; i < dim; i++) {
        if (m->w[2 * i] == 0.0f && m->w[2 * i + 1] == 0.0f)
            continue;
        wr_u32(&w, (uint32_t)i);
        wr_f32(&w, m->w[2 * i]);
        wr_f32(&w, m->w[2 * i + 1]);
    }
    for (size_t i = 0; i < m->ntop; i++) {
        const struct nt_stance_top *t = &m->top[i];
        size_t n = strlen(t->f.text);
        unsigned char gl[2] = { (unsigned char)t->f.group, (unsigned char)n };
        wr_u32(&w, t->f.id);
        wr_bytes(&w, gl, 2);
        wr_bytes(&w, t->f.text, n);
        wr_f32(&w, t->w_side);
        wr_f32(&w, t->w_oppose);
    }
    uint32_t nv = 0;
    for (size_t i = 0; m->vocab && i < dim; i++)
        nv += m->vocab[i / 64] >> (i % 64) & 1;
    m->info.nvocab = nv;
    wr_u32(&w, nv);
    for (size_t i = 0; m->vocab && i < dim; i++)
        if (m->vocab[i / 64] >> (i % 64) & 1)
            wr_u32(&w, (uint32_t)i);
    unsigned char h[32];
    if (!w.oom)
        crypto_hash_sha256(h, w.p, w.n);
    wr_bytes(&w, h, 32);
    if (w.oom) {
        free(w.p);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    hex(h, m->info.sha256);
    *bytes = w.p;
    *len = w.n;
    return NT_OK;
}

/* Used by train.c to build a model from dense weights. */
struct nt_stance_model *nt_stance_model_new(const struct nt_stance_info *info, float *w,
                                            double bias_side, double bias_oppose,
                                            struct nt_stance_top *top, size_t ntop, uint64_t *vocab)
{
    struct nt_stance_model *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->info = *info;
    m->w = w;
    m->bias_side = bias_side;
    m->bias_oppose = bias_oppose;
    m->top = top;
    m->ntop = ntop;
    m->vocab = vocab;
    return m;
}

const uint64_t *nt_stance_vocab(const struct nt_stance_model *m)
{
    return m->vocab;
}

/* The result from the two weight sums of a post's features. */
static void finish(const struct nt_stance_model *m, float s, float o, float scale,
                   struct nt_stance_result *out)
{
    out->skipped = false;
    out->p_side = nt_stance_sigmoid(m->bias_side + (double)s * (double)scale);
    out->p_oppose = nt_stance_sigmoid(m->bias_oppose + (double)o * (double)scale);
    const struct nt_stance_info *in = &m->info;
    out->level = out->p_side >= in->priority ? NT_LEVEL_PRIORITY
                 : out->p_side >= in->review ? NT_LEVEL_REVIEW
                                             : NT_LEVEL_NONE;
    out->side = out->level == NT_LEVEL_NONE ? NT_STANCE_NONE
                : out->p_oppose >= 0.5      ? NT_STANCE_OPPOSE
                                            : NT_STANCE_SUPPORT;
}

void nt_stance_predict(const struct nt_stance_model *m, const struct nt_stance_vec *v,
                       struct nt_stance_result *out)
{
    float s = 0.0f, o = 0.0f;
    const float *w = m->w;
    for (size_t i = 0; i < v->n; i++) {
        const float *p = w + 2 * (size_t)v->ids[i];
        s += p[0];
        o += p[1];
    }
    finish(m, s, o, v->scale, out);
}

enum nt_err nt_stance_score(const struct nt_stance_model *m, const struct nt_lex *lex,
                            const struct nt_normtext *nt, const struct nt_result *r,
                            const char *text, size_t len, struct nt_stance_vec *v,
                            struct nt_stance_result *out)
{
    if (!nt_stance_gate(lex, nt, r)) {
        memset(out, 0, sizeof(*out));
        out->skipped = true;
        out->level = NT_LEVEL_NONE;
        v->n = 0;
        v->relevant = false;
        return NT_OK;
    }
    float sum[2];
    enum nt_err err =
        nt_stance_extract_sum(lex, nt, r, text, len, m->info.bits, m->vocab, m->w, v, sum);
    if (err)
        return err;
    finish(m, sum[0], sum[1], v->scale, out);
    return NT_OK;
}

enum nt_level nt_stance_level(const struct nt_stance_vec *v, const struct nt_stance_result *s)
{
    return v->relevant ? s->level : NT_LEVEL_NONE;
}

struct contrib {
    const struct nt_stance_named *f;
    double c; /* contribution to the side logit */
};

/* By feature id, then by position in the post (names are in order). */
static int by_id_then_order(const void *a, const void *b)
{
    const struct nt_stance_named *x = ((const struct contrib *)a)->f,
                                 *y = ((const struct contrib *)b)->f;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int by_abs_desc(const void *a, const void *b)
{
    double x = fabs(((const struct contrib *)a)->c), y = fabs(((const struct contrib *)b)->c);
    return x < y ? 1 : x > y ? -1 : 0;
}

json_t *nt_stance_explain(const struct nt_stance_model *m, const struct nt_stance_names *names,
                          const struct nt_stance_result *res, size_t max)
{
    const struct nt_stance_info *in = &m->info;
    if (res->skipped)
        return json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:[]}", "model_version", in->version,
                         "model_sha256", in->sha256, "skipped", 1, "reason",
                         "tidak menyebut kontestan atau kosakata pemilu: tahap sikap tidak "
                         "dijalankan",
                         "side", nt_stance_side_code(NT_STANCE_NONE), "side_label",
                         nt_stance_side_name(NT_STANCE_NONE), "level", nt_level_name(NT_LEVEL_NONE),
                         "evidence");
    size_t n = names ? names->n : 0;
    struct contrib *c = calloc(n ? n : 1, sizeof(*c));
    json_t *ev = json_array();
    json_t *o = NULL;
    if (!c || !ev)
        goto out;
    /* One line per distinct feature (the vector holds each id once): sort
     * by id, keep the first name of each, then scale like the prediction. */
    for (size_t i = 0; i < n; i++)
        c[i].f = &names->v[i];
    qsort(c, n, sizeof(*c), by_id_then_order);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || c[k - 1].f->id != c[i].f->id)
            c[k++] = c[i];
    double scale = k ? 1.0 / sqrt((double)k) : 0.0;
    for (size_t i = 0; i < k; i++)
        c[i].c = (double)m->w[2 * (size_t)c[i].f->id] * scale;
    qsort(c, k, sizeof(*c), by_abs_desc);
    for (size_t i = 0; i < k && json_array_size(ev) < max; i++) {
        if (fabs(c[i].c) < 1e-4)
            break;
        char desc[128];
        nt_stance_describe(c[i].f, desc, sizeof(desc));
        json_t *e =
            json_pack("{s:s, s:f, s:s}", "feature", desc, "weight", round(c[i].c * 1000.0) / 1000.0,
                      "toward", c[i].c > 0 ? "berpihak" : "netral");
        if (!e || json_array_append_new(ev, e))
            goto out;
    }
    o = json_pack("{s:s, s:s, s:f, s:f, s:s, s:s, s:s, s:f, s:f, s:O}", "model_version",
                  in->version, "model_sha256", in->sha256, "p_side",
                  round(res->p_side * 10000.0) / 10000.0, "p_oppose",
                  round(res->p_oppose * 10000.0) / 10000.0, "side", nt_stance_side_code(res->side),
                  "side_label", nt_stance_side_name(res->side), "level", nt_level_name(res->level),
                  "review_at", in->review, "priority_at", in->priority, "evidence", ev);
out:
    json_decref(ev);
    free(c);
    return o;
}
