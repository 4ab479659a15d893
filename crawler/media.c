/*
 * media.c - the attachments' bytes: images (and videos, when configured)
 * fetched through the same HTTP engine as the posts (politeness, the SSRF
 * guard, redirects to https only), with a size cap per kind; the type
 * sniffed from the bytes (an HTML page served as image/png is refused);
 * kept once per SHA-256 (the same flyer shared by fifty employees is one
 * row), and the attachment pointed at them. A fetch that fails for a
 * reason that may pass (the network, a timeout, a busy server) stays
 * pending for the next crawl, three attempts in all; a refusal is final.
 *
 * Pending attachments are queued after each page's unit (those the page
 * added) and at the crawl's start (those an earlier crawl left), at most
 * MAX_INFLIGHT at a time so that the media never crowd out the posts.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "internal.h"
#include "sniff.h"

#define MAX_INFLIGHT 64
#define MAX_ATTEMPTS 3

struct fetch {
    struct run *run;
    int64_t id; /* post_media.id */
    bool video;
};

struct nt_crawl_media_queue {
    sqlite3_stmt *pending, *row, *put, *find, *link, *fail, *known;
    int64_t last; /* the last attachment queued */
    unsigned inflight;
};

void nt_crawl_media_free(struct run *run)
{
    struct nt_crawl_media_queue *q = run->media;
    if (!q)
        return;
    sqlite3_finalize(q->pending);
    sqlite3_finalize(q->row);
    sqlite3_finalize(q->put);
    sqlite3_finalize(q->find);
    sqlite3_finalize(q->link);
    sqlite3_finalize(q->fail);
    sqlite3_finalize(q->known);
    free(q);
    run->media = NULL;
}

enum nt_err nt_crawl_media_new(struct run *run, struct nt_diag *d)
{
    struct nt_crawl_media_queue *q = calloc(1, sizeof(*q));
    if (!q)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    run->media = q;
    struct nt_store *s = run->s;
    enum nt_err err =
        nt_store_prepare(s,
                         "SELECT id, url, kind FROM post_media WHERE state = 'pending' "
                         "AND id > ?1 AND attempts < ?2 ORDER BY id LIMIT ?3",
                         &q->pending, d);
    if (!err)
        err = nt_store_prepare(s, "SELECT 1 FROM post_media WHERE id = ?1 AND state = 'pending'",
                               &q->row, d);
    if (!err)
        err = nt_store_prepare(s,
                               "INSERT INTO media(sha256, bytes, size, mime, url, fetched_at, "
                               "ocr_state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                               "ON CONFLICT(sha256) DO NOTHING",
                               &q->put, d);
    if (!err)
        err = nt_store_prepare(s, "SELECT id FROM media WHERE sha256 = ?1", &q->find, d);
    if (!err)
        err = nt_store_prepare(s,
                               "UPDATE post_media SET media_id = ?2, state = 'stored', "
                               "fetched_at = ?3, error = NULL, attempts = attempts + 1 "
                               "WHERE id = ?1",
                               &q->link, d);
    if (!err)
        err = nt_store_prepare(s,
                               "UPDATE post_media SET state = ?2, error = ?3, "
                               "attempts = attempts + ?4 WHERE id = ?1",
                               &q->fail, d);
    if (!err)
        err = nt_store_prepare(s,
                               "SELECT media_id FROM post_media WHERE url = ?1 AND state = "
                               "'stored' LIMIT 1",
                               &q->known, d);
    if (err)
        nt_crawl_media_free(run);
    return err;
}

/* An attachment whose URL is already kept (the same flyer in fifty posts,
 * a platform's media URLs do not change): linked to those bytes without a
 * fetch. True when it was. */
static bool link_known(struct run *run, int64_t id, const char *url, struct nt_diag *d,
                       enum nt_err *err)
{
    struct nt_crawl_media_queue *q = run->media;
    sqlite3_bind_text(q->known, 1, url, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q->known);
    int64_t media = rc == SQLITE_ROW ? sqlite3_column_int64(q->known, 0) : 0;
    sqlite3_reset(q->known);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *err = nt_store_fail(run->s, rc, "membaca lampiran gagal", d);
        return false;
    }
    if (!media)
        return false;
    *err = nt_crawl_unit_begin(run, d);
    if (!*err) {
        sqlite3_bind_int64(q->link, 1, id);
        sqlite3_bind_int64(q->link, 2, media);
        sqlite3_bind_text(q->link, 3, run->now, -1, SQLITE_STATIC);
        *err = nt_store_done(run->s, q->link, "menyimpan lampiran gagal", d);
    }
    if (!*err)
        *err = nt_crawl_unit_end(run, d);
    if (!*err) {
        run->st->media_stored++;
        run->st->media_shared++;
    }
    return true;
}

/* The attachment's outcome when its bytes are not kept. */
static enum nt_err settle(struct nt_crawl_media_queue *q, struct nt_store *s, int64_t id,
                          const char *state, const char *why, int attempt, struct nt_diag *d)
{
    sqlite3_bind_int64(q->fail, 1, id);
    sqlite3_bind_text(q->fail, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(q->fail, 3, why, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(q->fail, 4, attempt);
    return nt_store_done(s, q->fail, "menyimpan status lampiran gagal", d);
}

/* The bytes kept (once per hash) and the attachment pointed at them. */
static enum nt_err keep(struct run *run, const struct fetch *f, const struct nt_http_result *r,
                        const struct nt_sniff *sn, struct nt_diag *d)
{
    struct nt_crawl_media_queue *q = run->media;
    struct nt_store *s = run->s;
    char sha[NT_SHA256_HEX_LEN + 1];
    nt_sha256_hex(r->body, r->body_len, sha);
    sqlite3_bind_text(q->put, 1, sha, -1, SQLITE_STATIC);
    sqlite3_bind_blob(q->put, 2, r->body, (int)r->body_len, SQLITE_STATIC);
    sqlite3_bind_int64(q->put, 3, (sqlite3_int64)r->body_len);
    sqlite3_bind_text(q->put, 4, sn->mime, -1, SQLITE_STATIC);
    sqlite3_bind_text(q->put, 5, r->url, -1, SQLITE_STATIC);
    sqlite3_bind_text(q->put, 6, run->now, -1, SQLITE_STATIC);
    sqlite3_bind_text(q->put, 7, sn->kind == NT_SNIFF_IMAGE ? "pending" : "none", -1,
                      SQLITE_STATIC);
    enum nt_err err = nt_store_done(s, q->put, "menyimpan berkas lampiran gagal", d);
    if (err)
        return err;
    bool shared = sqlite3_changes(nt_store_db(s)) == 0;
    sqlite3_bind_text(q->find, 1, sha, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q->find);
    int64_t media = rc == SQLITE_ROW ? sqlite3_column_int64(q->find, 0) : 0;
    sqlite3_reset(q->find);
    if (rc != SQLITE_ROW)
        return nt_store_fail(s, rc == SQLITE_DONE ? SQLITE_INTERNAL : rc,
                             "membaca berkas lampiran gagal", d);
    sqlite3_bind_int64(q->link, 1, f->id);
    sqlite3_bind_int64(q->link, 2, media);
    sqlite3_bind_text(q->link, 3, run->now, -1, SQLITE_STATIC);
    if ((err = nt_store_done(s, q->link, "menyimpan lampiran gagal", d)) != NT_OK)
        return err;
    run->st->media_stored++;
    run->st->media_shared += shared;
    return NT_OK;
}

static void fetched(struct nt_http *h, const struct nt_http_result *r, void *user)
{
    struct fetch *f = user;
    struct run *run = f->run;
    struct nt_crawl_media_queue *q = run->media;
    struct nt_diag d;
    (void)h;
    q->inflight--;
    if (run->fatal || r->err == NT_ECANCELLED) {
        free(f);
        return;
    }
    nt_diag_clear(&d);
    enum nt_err err = nt_crawl_unit_begin(run, &d);
    /* The post that listed it may have been rolled back since. */
    sqlite3_bind_int64(q->row, 1, f->id);
    int rc = err ? SQLITE_DONE : sqlite3_step(q->row);
    sqlite3_reset(q->row);
    if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = nt_store_fail(run->s, rc, "membaca lampiran gagal", &d);
    if (!err && rc == SQLITE_ROW) {
        struct nt_sniff sn = nt_sniff(r->body, r->body_len);
        enum nt_sniff_kind want = f->video ? NT_SNIFF_VIDEO : NT_SNIFF_IMAGE;
        char why[300];
        if (r->err == NT_EBLOCKED || r->err == NT_ETOOBIG) {
            run->st->media_refused++;
            err = settle(q, run->s, f->id, "refused", r->error, 1, &d);
        } else if (r->err == NT_EHTTP && r->status >= 400 && r->status < 500 && r->status != 429) {
            run->st->media_failed++;
            err = settle(q, run->s, f->id, "failed", r->error, 1, &d);
        } else if (r->err) {
            run->st->media_failed++;
            err = settle(q, run->s, f->id, "pending", r->error, 1, &d);
        } else if (r->body_len == 0 ||
                   !(sn.kind == want || (f->video && sn.kind == NT_SNIFF_AUDIO))) {
            snprintf(why, sizeof(why), "isi berkas bukan %s (terbaca %s, server menyebut %.80s)",
                     f->video ? "video" : "gambar", r->body_len ? sn.mime : "kosong",
                     r->content_type ? r->content_type : "-");
            run->st->media_refused++;
            err = settle(q, run->s, f->id, "refused", why, 1, &d);
        } else {
            err = keep(run, f, r, &sn, &d);
        }
    }
    if (!err)
        err = nt_crawl_unit_end(run, &d);
    else
        nt_crawl_unit_abort(run);
    if (err) {
        nt_store_rollback(run->s);
        run->fatal = err;
        *run->d = d;
    }
    free(f);
    nt_crawl_media_feed(run);
}

void nt_crawl_media_feed(struct run *run)
{
    struct nt_crawl_media_queue *q = run->media;
    const struct nt_crawl_media *cfg = &run->o->media;
    if (!q || run->fatal || q->inflight >= MAX_INFLIGHT ||
        (run->o->http.stop && *run->o->http.stop))
        return;
    sqlite3_bind_int64(q->pending, 1, q->last);
    sqlite3_bind_int(q->pending, 2, MAX_ATTEMPTS);
    sqlite3_bind_int(q->pending, 3, (int)(MAX_INFLIGHT - q->inflight));
    while (sqlite3_step(q->pending) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q->pending, 0);
        const char *url = (const char *)sqlite3_column_text(q->pending, 1);
        const char *kind = (const char *)sqlite3_column_text(q->pending, 2);
        q->last = id;
        struct nt_diag kd;
        enum nt_err kerr = NT_OK;
        nt_diag_clear(&kd);
        if (link_known(run, id, url, &kd, &kerr) || kerr) {
            if (kerr) {
                nt_crawl_unit_abort(run);
                run->fatal = kerr;
                *run->d = kd;
                break;
            }
            continue;
        }
        struct fetch *f = calloc(1, sizeof(*f));
        if (!f)
            break;
        f->run = run;
        f->id = id;
        f->video = strcmp(kind, "image") != 0;
        struct nt_http_request req = {
            .url = url,
            .max_body = f->video         ? cfg->video_max
                        : cfg->image_max ? cfg->image_max
                                         : NT_CRAWL_IMAGE_MAX,
        };
        struct nt_diag d;
        nt_diag_clear(&d);
        if (nt_http_get(run->h, &req, fetched, f, &d) == NT_OK) {
            q->inflight++;
            continue;
        }
        /* A URL the policy refuses outright (not https): final. */
        free(f);
        enum nt_err err = nt_crawl_unit_begin(run, &d);
        if (!err)
            err = settle(q, run->s, id, "refused", d.msg, 1, &d);
        err = err ? err : nt_crawl_unit_end(run, &d);
        run->st->media_refused++;
        if (err) {
            nt_crawl_unit_abort(run);
            run->fatal = err;
            *run->d = d;
            break;
        }
    }
    sqlite3_reset(q->pending);
}
