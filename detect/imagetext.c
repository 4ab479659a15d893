/*
 * imagetext.c - the OCR stage: pending images read, their text stored,
 * their posts scored again (imagetext.h). Through store/db.h: the same on
 * SQLite and PostgreSQL (two workers may read one image twice there: the
 * second reading writes what the first did).
 */
#include "imagetext.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "db.h"

/* The lines as JSON: text, box [left, top, right, bottom], confidence. */
static char *lines_json(const struct nt_ocr_result *res)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < res->nlines; i++) {
        const struct nt_ocr_line *l = &res->lines[i];
        json_array_append_new(a, json_pack("{s:s, s:[i, i, i, i], s:f}", "text", l->text, "box",
                                           l->left, l->top, l->right, l->bottom, "confidence",
                                           (double)l->confidence));
    }
    char *s = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return s;
}

/* What one image said, written with the scores of the posts carrying it. */
struct reading {
    int64_t id;
    const struct nt_ocr_result *res; /* NULL: refused, `why` says why */
    const char *why;
    double ms;
};

static enum nt_err store_reading(struct nt_store *s, struct nt_db_stmt *done,
                                 struct nt_db_stmt *failed, struct nt_db_stmt *versions,
                                 struct nt_scan_writer *w, const struct reading *r, const char *at,
                                 struct nt_imagetext_stats *st, struct nt_diag *d)
{
    enum nt_err err = nt_store_begin(s, d);
    if (err)
        return err;
    if (!r->res) {
        nt_db_bind_int64(failed, 1, r->id);
        nt_db_bind_text(failed, 2, r->why);
        nt_db_bind_text(failed, 3, at);
        err = nt_db_run(failed, d);
    } else {
        char *lines = lines_json(r->res);
        if (!lines) {
            nt_store_rollback(s);
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        }
        nt_db_bind_int64(done, 1, r->id);
        nt_db_bind_text_n(done, 2, r->res->text, r->res->len);
        nt_db_bind_text(done, 3, lines);
        nt_db_bind_int64(done, 4, r->res->width);
        nt_db_bind_int64(done, 5, r->res->height);
        if (r->res->thumb)
            nt_db_bind_blob(done, 6, r->res->thumb, r->res->thumb_len);
        else
            nt_db_bind_null(done, 6);
        nt_db_bind_text(done, 7, at);
        nt_db_bind_int64(done, 8, (int64_t)r->ms);
        nt_db_bind_text(done, 9, r->res->timed_out ? "batas waktu baca habis" : NULL);
        err = nt_db_run(done, d);
        free(lines);
        /* The posts carrying the image, scored again with its words (the
         * latest version of each: the one a reviewer reads). */
        if (!err && w && r->res->len) {
            nt_db_bind_int64(versions, 1, r->id);
            while (!err && nt_db_next(versions, &err, d)) {
                err = nt_scan_writer_version(w, nt_db_int64(versions, 0), d);
                st->rescored += !err;
            }
            nt_db_reset(versions);
        }
        if (!err && w)
            err = nt_scan_writer_unit_end(w, d);
    }
    if (!err)
        err = nt_store_commit(s, d);
    if (err)
        nt_store_rollback(s);
    return err;
}

#define PENDING_SQL "FROM media WHERE ocr_state = 'pending' AND bytes IS NOT NULL"

enum nt_err nt_detect_imagetext_pending(struct nt_store *s, size_t *out, struct nt_diag *d)
{
    struct nt_db_stmt *st;
    *out = 0;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s), "SELECT count(*) " PENDING_SQL, &st, d);
    if (err)
        return err;
    if (nt_db_next(st, &err, d))
        *out = (size_t)nt_db_int64(st, 0);
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_detect_imagetext_run(struct nt_store *s, struct nt_ocr *o, struct nt_scan_writer *w,
                                    const struct nt_imagetext_opts *opts,
                                    struct nt_imagetext_stats *st, struct nt_diag *d)
{
    struct nt_db_stmt *next = NULL, *done = NULL, *failed = NULL, *versions = NULL;
    struct nt_db *db = nt_store_dbh(s);
    memset(st, 0, sizeof(*st));
    enum nt_err err = nt_detect_imagetext_pending(s, &st->pending, d);
    if (!err)
        err = nt_db_prepare(db, "SELECT id, bytes " PENDING_SQL " AND id > ?1 ORDER BY id LIMIT 1",
                            &next, d);
    if (!err)
        err = nt_db_prepare(db,
                            "UPDATE media SET ocr_state = 'done', ocr_text = ?2, ocr_lines = ?3, "
                            "width = ?4, height = ?5, thumb = ?6, ocr_at = ?7, ocr_ms = ?8, "
                            "ocr_error = ?9 WHERE id = ?1",
                            &done, d);
    if (!err)
        err = nt_db_prepare(db,
                            "UPDATE media SET ocr_state = 'failed', ocr_error = ?2, ocr_at = ?3 "
                            "WHERE id = ?1",
                            &failed, d);
    if (!err)
        err = nt_db_prepare(db,
                            "SELECT max(v.id) FROM post_media pm JOIN post_versions v ON "
                            "v.post_id = pm.post_id WHERE pm.media_id = ?1 AND v.text IS NOT "
                            "NULL GROUP BY pm.post_id ORDER BY 1",
                            &versions, d);
    size_t total = opts && opts->limit && opts->limit < st->pending ? opts->limit : st->pending;
    struct nt_ocr_limits lim = { 0 };
    lim.deadline_ms = opts ? opts->deadline_ms : 0;
    lim.thumb_side = opts && opts->thumb_side > 0 ? opts->thumb_side : 320;
    if (!err && opts && opts->progress)
        opts->progress(opts->progress_user, 0, total);
    int64_t after = 0;
    for (size_t n = 0; !err && n < total && !(opts && opts->stop && *opts->stop); n++) {
        nt_db_bind_int64(next, 1, after);
        if (!nt_db_next(next, &err, d)) {
            nt_db_reset(next);
            break;
        }
        struct reading r = { .id = nt_db_int64(next, 0) };
        after = r.id;
        size_t len = 0;
        const void *stored = nt_db_blob(next, 1, &len);
        void *bytes = malloc(len ? len : 1);
        if (!bytes) {
            nt_db_reset(next);
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            break;
        }
        if (len)
            memcpy(bytes, stored, len);
        nt_db_reset(next);
        struct nt_ocr_result res;
        struct nt_diag od;
        nt_diag_clear(&od);
        double t0 = 1e3 * nt_mono();
        enum nt_err oe = nt_ocr_image(o, bytes, len, &lim, &res, &od);
        r.ms = 1e3 * nt_mono() - t0;
        free(bytes);
        st->ms += r.ms;
        if (oe == NT_EINPUT || oe == NT_ETOOBIG) {
            r.why = od.msg;
            st->failed++;
        } else if (oe) {
            *d = od;
            err = oe;
            break;
        } else {
            r.res = &res;
            st->read++;
            st->with_text += res.nlines > 0;
            st->timed_out += res.timed_out;
            st->lines += res.nlines;
        }
        char at[32];
        nt_time_iso(opts && opts->now ? opts->now : time(NULL), at, sizeof(at));
        err = store_reading(s, done, failed, versions, w, &r, at, st, d);
        if (!oe)
            nt_ocr_result_release(&res);
        if (!err && opts && opts->progress)
            opts->progress(opts->progress_user, n + 1, total);
    }
    nt_db_finalize(next);
    nt_db_finalize(done);
    nt_db_finalize(failed);
    nt_db_finalize(versions);
    return err;
}
