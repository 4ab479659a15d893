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

#include "db.h"
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
    struct nt_db_stmt *pending, *row, *put, *find, *link, *fail, *known;
    int64_t last; /* the last attachment queued */
    unsigned inflight;
};

void nt_crawl_media_free(struct run *run)
{
    struct nt_crawl_media_queue *q = run->media;
    if (!q)
        return;
    nt_db_finalize(q->pending);
    nt_db_finalize(q->row);
    nt_db_finalize(q->put);
    nt_db_finalize(q->find);
    nt_db_finalize(q->link);
    nt_db_finalize(q->fail);
    nt_db_finalize(q->known);
    free(q);
    run->media = NULL;
}

enum nt_err nt_crawl_media_new(struct run *run, struct nt_diag *d)
{
    struct nt_crawl_media_queue *q = calloc(1, sizeof(*q));
    if (!q)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    run->media = q;
    struct nt_db *s = nt_store_dbh(run->s);
    enum nt_err err = nt_db_prepare(s,
                                    "SELECT id, url, kind FROM post_media WHERE state = 'pending' "
                                    "AND id > ?1 AND attempts < ?2 ORDER BY id LIMIT ?3",
                                    &q->pending, d);
    if (!err)
        err = nt_db_prepare(s, "SELECT 1 FROM post_media WHERE id = ?1 AND state = 'pending'",
                            &q->row, d);
    if (!err)
        err = nt_db_prepare(s,
                            "INSERT INTO media(sha256, bytes, size, mime, url, fetched_at, "
                            "ocr_state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                            "ON CONFLICT(sha256) DO NOTHING",
                            &q->put, d);
    if (!err)
        err = nt_db_prepare(s, "SELECT id FROM media WHERE sha256 = ?1", &q->find, d);
    if (!err)
        err = nt_db_prepare(s,
                            "UPDATE post_media SET media_id = ?2, state = 'stored', "
                            "fetched_at = ?3, error = NULL, attempts = attempts + 1 "
                            "WHERE id = ?1",
                            &q->link, d);
    if (!err)
        err = nt_db_prepare(s,
                            "UPDATE post_media SET state = ?2, error = ?3, "
                            "attempts = attempts + CAST(?4 AS BIGINT) WHERE id = ?1",
                            &q->fail, d);
    if (!err)
        err = nt_db_prepare(s,
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
    nt_db_bind_text(q->known, 1, url);
    int64_t media = nt_db_next(q->known, err, d) ? nt_db_int64(q->known, 0) : 0;
    nt_db_reset(q->known);
    if (*err)
        return false;
    if (!media)
        return false;
    *err = nt_crawl_unit_begin(run, d);
    if (!*err) {
        nt_db_bind_int64(q->link, 1, id);
        nt_db_bind_int64(q->link, 2, media);
        nt_db_bind_text(q->link, 3, run->now);
        *err = nt_db_run(q->link, d);
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
static enum nt_err settle(struct nt_crawl_media_queue *q, int64_t id, const char *state,
                          const char *why, int attempt, struct nt_diag *d)
{
    nt_db_bind_int64(q->fail, 1, id);
    nt_db_bind_text(q->fail, 2, state);
    nt_db_bind_text(q->fail, 3, why);
    nt_db_bind_int64(q->fail, 4, attempt);
    return nt_db_run(q->fail, d);
}

/* The bytes kept (once per hash) and the attachment pointed at them. */
static enum nt_err keep(struct run *run, const struct fetch *f, const struct nt_http_result *r,
                        const struct nt_sniff *sn, struct nt_diag *d)
{
    struct nt_crawl_media_queue *q = run->media;
    char sha[NT_SHA256_HEX_LEN + 1];
    nt_sha256_hex(r->body, r->body_len, sha);
    nt_db_bind_text(q->put, 1, sha);
    nt_db_bind_blob(q->put, 2, r->body, r->body_len);
    nt_db_bind_int64(q->put, 3, (int64_t)r->body_len);
    nt_db_bind_text(q->put, 4, sn->mime);
    nt_db_bind_text(q->put, 5, r->url);
    nt_db_bind_text(q->put, 6, run->now);
    nt_db_bind_text(q->put, 7, sn->kind == NT_SNIFF_IMAGE ? "pending" : "none");
    enum nt_err err = nt_db_run(q->put, d);
    if (err)
        return err;
    bool shared = nt_db_changes(q->put) == 0;
    nt_db_bind_text(q->find, 1, sha);
    int64_t media = nt_db_next(q->find, &err, d) ? nt_db_int64(q->find, 0) : 0;
    nt_db_reset(q->find);
    if (!err && !media)
        err = nt_diag_set(d, NT_EDB, "berkas lampiran %.16s hilang saat disimpan", sha);
    if (err)
        return err;
    nt_db_bind_int64(q->link, 1, f->id);
    nt_db_bind_int64(q->link, 2, media);
    nt_db_bind_text(q->link, 3, run->now);
    if ((err = nt_db_run(q->link, d)) != NT_OK)
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
    nt_db_bind_int64(q->row, 1, f->id);
    bool listed = !err && nt_db_next(q->row, &err, &d);
    nt_db_reset(q->row);
    if (!err && listed) {
        struct nt_sniff sn = nt_sniff(r->body, r->body_len);
        enum nt_sniff_kind want = f->video ? NT_SNIFF_VIDEO : NT_SNIFF_IMAGE;
        char why[300];
        if (r->err == NT_EBLOCKED || r->err == NT_ETOOBIG) {
            run->st->media_refused++;
            err = settle(q, f->id, "refused", r->error, 1, &d);
        } else if (r->err == NT_EHTTP && r->status >= 400 && r->status < 500 && r->status != 429) {
            run->st->media_failed++;
            err = settle(q, f->id, "failed", r->error, 1, &d);
        } else if (r->err) {
            run->st->media_failed++;
            err = settle(q, f->id, "pending", r->error, 1, &d);
        } else if (r->body_len == 0 ||
                   !(sn.kind == want || (f->video && sn.kind == NT_SNIFF_AUDIO))) {
            snprintf(why, sizeof(why), "isi berkas bukan %s (terbaca %s, server menyebut %.80s)",
                     f->video ? "video" : "gambar", r->body_len ? sn.mime : "kosong",
                     r->content_type ? r->content_type : "-");
            run->st->media_refused++;
            err = settle(q, f->id, "refused", why, 1, &d);
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
    nt_db_bind_int64(q->pending, 1, q->last);
    nt_db_bind_int64(q->pending, 2, MAX_ATTEMPTS);
    nt_db_bind_int64(q->pending, 3, (int64_t)(MAX_INFLIGHT - q->inflight));
    enum nt_err rerr = NT_OK;
    struct nt_diag rd;
    nt_diag_clear(&rd);
    while (nt_db_next(q->pending, &rerr, &rd)) {
        int64_t id = nt_db_int64(q->pending, 0);
        const char *url = nt_db_text(q->pending, 1);
        const char *kind = nt_db_text(q->pending, 2);
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
            err = settle(q, id, "refused", d.msg, 1, &d);
        err = err ? err : nt_crawl_unit_end(run, &d);
        run->st->media_refused++;
        if (err) {
            nt_crawl_unit_abort(run);
            run->fatal = err;
            *run->d = d;
            break;
        }
    }
    nt_db_reset(q->pending);
    if (rerr && !run->fatal) { /* the pending list could not be read */
        nt_store_rollback(run->s);
        run->fatal = rerr;
        *run->d = rd;
    }
}
