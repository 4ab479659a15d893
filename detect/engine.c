/*
 * engine.c - loading the stages and scoring with both (detect.h).
 */
#include "detect.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "explain.h"
#include "hash.h"
#include "models.h"
#include "versions.h"

void nt_detect_release(struct nt_detect *e)
{
    nt_stance_free(e->model);
    nt_stance_vec_release(&e->vec);
    nt_stance_names_release(&e->names);
    nt_scanner_free(e->sc);
    nt_match_free(e->m);
    nt_lex_free(e->lex);
    nt_norm_free(e->norm);
    memset(e, 0, sizeof(*e));
}

enum nt_err nt_detect_load_lexicon(struct nt_detect *e, const struct nt_detect_src *src,
                                   struct nt_diag_list *errs, struct nt_diag *d)
{
    char label[4096];
    struct nt_buf buf;
    char *stored = NULL;
    size_t stored_len = 0;
    const char *json = src->lexicon_json;
    size_t len = src->lexicon_len;
    const char *path = src->lexicon;
    enum nt_err err;

    memset(e, 0, sizeof(*e));
    nt_buf_init(&buf, NT_LEX_MAX_BYTES);
    if (json) {
        snprintf(label, sizeof(label), "%s", path ? path : "draf");
    } else if (!path && src->store &&
               nt_lex_version_body(src->store, 0, &stored, &stored_len, &e->lexicon_id, d) ==
                   NT_OK) {
        /* The active version of the store. */
        json = stored;
        len = stored_len;
        snprintf(label, sizeof(label), "versi leksikon #%lld", (long long)e->lexicon_id);
    } else {
        snprintf(label, sizeof(label), "%s", path ? path : src->bundled_lexicon);
        nt_diag_clear(d);
        if ((err = nt_file_read(label, &buf, d)) != NT_OK)
            goto out;
        json = buf.data;
        len = buf.len;
    }
    if ((err = nt_norm_new(&e->norm, d)) != NT_OK)
        goto out;
    if (src->slang) {
        struct nt_buf sb;
        size_t n = 0;
        nt_buf_init(&sb, NT_LEX_MAX_BYTES);
        err = nt_file_read(src->slang, &sb, d);
        if (!err) {
            nt_sha256_hex(sb.data, sb.len, e->slang_sha256);
            err = nt_norm_load_slang(e->norm, src->slang, sb.data, sb.len, &n, errs, d);
        }
        nt_buf_release(&sb);
        if (err)
            goto out;
    }
    err = nt_lex_parse(label, json, len, &e->lex, errs, d);
    if (!err)
        err = nt_match_compile(e->lex, e->norm, &e->m, errs, d);
    if (err) {
        if (!d->file[0])
            nt_diag_at(d, label, 0, NULL);
        goto out;
    }
    if (nt_scanner_new(e->m, &e->sc) != NT_OK)
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
out:
    free(stored);
    nt_buf_release(&buf);
    if (err)
        nt_detect_release(e);
    return err;
}

enum nt_err nt_detect_load_model(struct nt_detect *e, const struct nt_detect_src *src,
                                 struct nt_diag *d)
{
    char label[4096];
    struct nt_buf buf;
    char *stored = NULL;
    size_t stored_len = 0;
    const char *path = src->model;
    enum nt_err err;

    if (path && strcmp(path, "none") == 0)
        return NT_OK;
    nt_buf_init(&buf, NT_STANCE_MAX_BYTES + 1);
    if (!path && src->store &&
        nt_model_version_body(src->store, 0, &stored, &stored_len, &e->model_id, d) == NT_OK) {
        snprintf(label, sizeof(label), "model #%lld", (long long)e->model_id);
        err = nt_stance_load(label, stored, stored_len, &e->model, d);
    } else {
        snprintf(label, sizeof(label), "%s", path ? path : src->bundled_model);
        nt_diag_clear(d);
        err = nt_file_read(label, &buf, d);
        if (!err)
            err = nt_stance_load(label, buf.data, buf.len, &e->model, d);
    }
    free(stored);
    nt_buf_release(&buf);
    return err;
}

/* The stance stage over a scanned text (e->model loaded); names for the
 * explanation when `names`. */
static enum nt_err stance(struct nt_detect *e, const struct nt_normtext *nt,
                          const struct nt_result *r, const char *text, size_t len, bool names,
                          struct nt_stance_result *st, enum nt_level *level)
{
    /* Without an explanation to write, the cheap path: the same result. */
    if (!names) {
        enum nt_err err = nt_stance_score(e->model, e->lex, nt, r, text, len, &e->vec, st);
        *level = err ? NT_LEVEL_NONE : nt_stance_level(&e->vec, st);
        return err;
    }
    /* A post that names no contestant stays at none whatever the model
     * would say: the stage is not run (most of an agency's posts). */
    if (!nt_stance_gate(e->lex, nt, r)) {
        memset(st, 0, sizeof(*st));
        st->skipped = true;
        *level = NT_LEVEL_NONE;
        return NT_OK;
    }
    enum nt_err err =
        nt_stance_extract(e->lex, nt, r, text, len, nt_stance_info(e->model)->bits,
                          nt_stance_vocab(e->model), &e->vec, names ? &e->names : NULL);
    if (err)
        return err;
    nt_stance_predict(e->model, &e->vec, st);
    *level = nt_stance_level(&e->vec, st);
    return NT_OK;
}

/* "stance" and "model_version" of an explanation; false when out of memory. */
static bool add_stance(const struct nt_detect *e, const struct nt_stance_result *st, json_t *o)
{
    json_t *sj = nt_stance_explain(e->model, &e->names, st, 8);
    if (!sj)
        return false;
    json_object_set_new(o, "stance", sj);
    json_object_set_new(o, "model_version", json_string(nt_stance_info(e->model)->version));
    return true;
}

enum nt_err nt_detect_score(struct nt_detect *e, const char *text, size_t len,
                            const struct nt_scan_ctx *ctx, bool names, struct nt_detect_verdict *v)
{
    memset(v, 0, sizeof(*v));
    if (nt_scan(e->sc, text, len, ctx, &v->r) != NT_OK)
        return NT_ENOMEM;
    v->level = v->r->level;
    if (!e->model)
        return NT_OK;
    enum nt_err err = stance(e, nt_scanner_text(e->sc), v->r, text, len, names, &v->st, &v->level);
    v->have_stance = err == NT_OK;
    return err;
}

json_t *nt_detect_explain(const struct nt_detect *e, const struct nt_detect_verdict *v,
                          const char *text, size_t len)
{
    json_t *o = nt_match_explain(e->m, v->r, text, len);
    if (!o)
        return NULL;
    json_object_set_new(o, "lexicon_level", json_string(nt_level_name(v->r->level)));
    json_object_set_new(o, "level", json_string(nt_level_name(v->level)));
    if (v->have_stance) {
        if (!add_stance(e, &v->st, o)) {
            json_decref(o);
            return NULL;
        }
    } else {
        json_object_set_new(o, "stance", json_null());
        json_object_set_new(o, "model_version", json_null());
    }
    return o;
}

static enum nt_err stage_run(void *ctx, const struct nt_scanner *sc, const char *text, size_t len,
                             const struct nt_result *r, enum nt_level *level, double *p_side,
                             json_t *ex)
{
    struct nt_detect *e = ctx;
    struct nt_stance_result st;
    enum nt_err err = stance(e, nt_scanner_text(sc), r, text, len, ex != NULL, &st, level);
    if (err)
        return err;
    *p_side = st.skipped ? -1.0 : st.p_side;
    return !ex || add_stance(e, &st, ex) ? NT_OK : NT_ENOMEM;
}

void nt_detect_stage(struct nt_detect *e, struct nt_scan_stage *st)
{
    memset(st, 0, sizeof(*st));
    if (e->model) {
        st->run = stage_run;
        st->ctx = e;
        st->model_id = e->model_id;
        st->model_version = nt_stance_info(e->model)->version;
    }
    st->slang_sha256 = e->slang_sha256[0] ? e->slang_sha256 : NULL;
}
