/*
 * imagetext.c - the OCR stage: pending images read, their text stored,
 * their posts scored again (imagetext.h).
 */
#include "imagetext.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"

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

static enum nt_err store_reading(struct nt_store *s, sqlite3_stmt *done, sqlite3_stmt *failed,
                                 sqlite3_stmt *versions, struct nt_scan_writer *w,
                                 const struct reading *r, const char *at,
                                 struct nt_imagetext_stats *st, struct nt_diag *d)
{
    enum nt_err err = nt_store_begin(s, d);
    if (err)
        return err;
    if (!r->res) {
        sqlite3_bind_int64(failed, 1, r->id);
        sqlite3_bind_text(failed, 2, r->why, -1, SQLITE_STATIC);
        sqlite3_bind_text(failed, 3, at, -1, SQLITE_STATIC);
        err = nt_store_done(s, failed, "menyimpan hasil baca gambar gagal", d);
    } else {
        char *lines = lines_json(r->res);
        if (!lines) {
            nt_store_rollback(s);
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        }
        sqlite3_bind_int64(done, 1, r->id);
        sqlite3_bind_text(done, 2, r->res->text, (int)r->res->len, SQLITE_STATIC);
        sqlite3_bind_text(done, 3, lines, -1, SQLITE_STATIC);
        sqlite3_bind_int(done, 4, r->res->width);
        sqlite3_bind_int(done, 5, r->res->height);
        if (r->res->thumb)
            sqlite3_bind_blob(done, 6, r->res->thumb, (int)r->res->thumb_len, SQLITE_STATIC);
        else
            sqlite3_bind_null(done, 6);
        sqlite3_bind_text(done, 7, at, -1, SQLITE_STATIC);
        sqlite3_bind_int64(done, 8, (sqlite3_int64)r->ms);
        sqlite3_bind_text(done, 9, r->res->timed_out ? "batas waktu baca habis" : NULL, -1,
                          SQLITE_STATIC);
        err = nt_store_done(s, done, "menyimpan teks dalam gambar gagal", d);
        free(lines);
        /* The posts carrying the image, scored again with its words (the
         * latest version of each: the one a reviewer reads). */
        if (!err && w && r->res->len) {
            sqlite3_bind_int64(versions, 1, r->id);
            while (!err &&
                   nt_store_next(s, versions, &err, "membaca unggahan bergambar gagal", d)) {
                err = nt_scan_writer_version(w, sqlite3_column_int64(versions, 0), d);
                st->rescored += !err;
            }
            sqlite3_reset(versions);
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
    sqlite3_stmt *st;
    *out = 0;
    enum nt_err err = nt_store_prepare(s, "SELECT count(*) " PENDING_SQL, &st, d);
    if (err)
        return err;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (size_t)sqlite3_column_int64(st, 0);
    else
        err = nt_store_fail(s, rc, "menghitung gambar yang menunggu gagal", d);
    sqlite3_finalize(st);
    return err;
}

enum nt_err nt_detect_imagetext_run(struct nt_store *s, struct nt_ocr *o, struct nt_scan_writer *w,
                                    const struct nt_imagetext_opts *opts,
                                    struct nt_imagetext_stats *st, struct nt_diag *d)
{
    sqlite3_stmt *next = NULL, *done = NULL, *failed = NULL, *versions = NULL;
    memset(st, 0, sizeof(*st));
    enum nt_err err = nt_detect_imagetext_pending(s, &st->pending, d);
    if (!err)
        err = nt_store_prepare(
            s, "SELECT id, bytes " PENDING_SQL " AND id > ?1 ORDER BY id LIMIT 1", &next, d);
    if (!err)
        err =
            nt_store_prepare(s,
                             "UPDATE media SET ocr_state = 'done', ocr_text = ?2, ocr_lines = ?3, "
                             "width = ?4, height = ?5, thumb = ?6, ocr_at = ?7, ocr_ms = ?8, "
                             "ocr_error = ?9 WHERE id = ?1",
                             &done, d);
    if (!err)
        err = nt_store_prepare(s,
                               "UPDATE media SET ocr_state = 'failed', ocr_error = ?2, ocr_at = ?3 "
                               "WHERE id = ?1",
                               &failed, d);
    if (!err)
        err = nt_store_prepare(s,
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
        sqlite3_bind_int64(next, 1, after);
        int rc = sqlite3_step(next);
        if (rc != SQLITE_ROW) {
            sqlite3_reset(next);
            if (rc != SQLITE_DONE)
                err = nt_store_fail(s, rc, "membaca gambar gagal", d);
            break;
        }
        struct reading r = { .id = sqlite3_column_int64(next, 0) };
        after = r.id;
        size_t len = (size_t)sqlite3_column_bytes(next, 1);
        void *bytes = malloc(len ? len : 1);
        if (!bytes) {
            sqlite3_reset(next);
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            break;
        }
        memcpy(bytes, sqlite3_column_blob(next, 1), len);
        sqlite3_reset(next);
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
    sqlite3_finalize(next);
    sqlite3_finalize(done);
    sqlite3_finalize(failed);
    sqlite3_finalize(versions);
    return err;
}
