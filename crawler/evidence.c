/*
 * evidence.c - posts and post_versions writes.
 */
#include "evidence.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "hash.h"

struct nt_evidence {
    struct nt_store *s;
    struct nt_db_stmt *post, *newpost, *seen, *last, *version, *media;
    struct nt_stored_hook hook;
    bool fetch_images, fetch_videos;
};

void nt_evidence_set_media_policy(struct nt_evidence *e, bool images, bool videos)
{
    e->fetch_images = images;
    e->fetch_videos = videos;
}

void nt_evidence_set_hook(struct nt_evidence *e, const struct nt_stored_hook *h)
{
    if (h)
        e->hook = *h;
    else
        memset(&e->hook, 0, sizeof(e->hook));
}

void nt_evidence_free(struct nt_evidence *e)
{
    if (!e)
        return;
    nt_db_finalize(e->post);
    nt_db_finalize(e->newpost);
    nt_db_finalize(e->seen);
    nt_db_finalize(e->last);
    nt_db_finalize(e->version);
    nt_db_finalize(e->media);
    free(e);
}

/* Through store/db.h: the same SQL on SQLite and PostgreSQL (new ids from
 * nt_db_insert). */
enum nt_err nt_evidence_new(struct nt_store *s, struct nt_evidence **out, struct nt_diag *d)
{
    struct nt_evidence *e = calloc(1, sizeof(*e));
    if (!e)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    e->s = s;
    struct nt_db *db = nt_store_dbh(s);
    enum nt_err err = nt_db_prepare(
        db, "SELECT id FROM posts WHERE account_id = ?1 AND remote_id = ?2", &e->post, d);
    if (!err)
        err = nt_db_prepare_insert(db,
                                   "INSERT INTO posts(account_id, remote_id, interaction, url, "
                                   "author, posted_at, source, first_seen_at, last_seen_at, "
                                   "sort_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9) "
                                   "ON CONFLICT(account_id, remote_id) DO NOTHING",
                                   &e->newpost, d);
    if (!err)
        err = nt_db_prepare(db,
                            "UPDATE posts SET last_seen_at = ?2, deleted_at = NULL, "
                            "sort_key = COALESCE(sort_key, ?3) WHERE id = ?1",
                            &e->seen, d);
    if (!err)
        err = nt_db_prepare(db,
                            "SELECT seq, content_sha256 FROM post_versions WHERE post_id = ?1 "
                            "ORDER BY seq DESC LIMIT 1",
                            &e->last, d);
    if (!err)
        err = nt_db_prepare_insert(db,
                                   "INSERT INTO post_versions(post_id, seq, text, lang, raw, "
                                   "raw_sha256, content_sha256, request_url, fetched_at, "
                                   "edited_at, entities) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                   &e->version, d);
    if (!err)
        err = nt_db_prepare(db,
                            "INSERT INTO post_media(post_id, seq, kind, url, alt, meta, state, "
                            "first_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                            "ON CONFLICT(post_id, url) DO NOTHING",
                            &e->media, d);
    if (err) {
        nt_evidence_free(e);
        return err;
    }
    *out = e;
    return NT_OK;
}

/* The post's attachments: new ones added ("pending" when the policy
 * fetches their kind, "recorded" otherwise), known ones left alone. */
static enum nt_err put_media(struct nt_evidence *e, int64_t post_id,
                             const struct nt_evidence_post *p, const char *now, struct nt_diag *d)
{
    size_t n = p->nmedia < NT_EVIDENCE_MAX_MEDIA ? p->nmedia : NT_EVIDENCE_MAX_MEDIA;
    enum nt_err err = NT_OK;
    for (size_t i = 0; i < n && !err; i++) {
        const struct nt_evidence_media *m = &p->media[i];
        if (!m->url || !*m->url || !m->kind)
            continue;
        bool image = !strcmp(m->kind, "image");
        bool av = !strcmp(m->kind, "video") || !strcmp(m->kind, "audio");
        bool fetch = (image && e->fetch_images) || (av && e->fetch_videos);
        nt_db_bind_int64(e->media, 1, post_id);
        nt_db_bind_int64(e->media, 2, (int64_t)i + 1);
        nt_db_bind_text(e->media, 3, m->kind);
        nt_db_bind_text(e->media, 4, m->url);
        nt_db_bind_text(e->media, 5, m->alt && *m->alt ? m->alt : NULL);
        nt_db_bind_text(e->media, 6, m->meta);
        nt_db_bind_text(e->media, 7, fetch ? "pending" : "recorded");
        nt_db_bind_text(e->media, 8, now);
        err = nt_db_run(e->media, d);
    }
    return err;
}

/* The id of the one row `st` returns (0 when none), the statement reset. */
static enum nt_err one_id(struct nt_db_stmt *st, int64_t *id, struct nt_diag *d)
{
    enum nt_err err = NT_OK;
    *id = nt_db_next(st, &err, d) ? nt_db_int64(st, 0) : 0;
    nt_db_reset(st);
    return err;
}

enum nt_err nt_evidence_put(struct nt_evidence *e, int64_t account,
                            const struct nt_evidence_post *p, const char *now,
                            enum nt_evidence_outcome *outcome, struct nt_diag *d)
{
    char raw_sha[NT_SHA256_HEX_LEN + 1], content_sha[NT_SHA256_HEX_LEN + 1];
    int64_t post_id = 0;
    int64_t seq = 1;

    nt_sha256_hex(p->raw, p->raw_len, raw_sha);
    nt_sha256_hex(p->text, p->text_len, content_sha);
    /* A new post (what a crawl or an ingest mostly meets): one INSERT that
     * does nothing when the post is known; then it is looked up. */
    nt_db_bind_int64(e->newpost, 1, account);
    nt_db_bind_text(e->newpost, 2, p->remote_id);
    nt_db_bind_text(e->newpost, 3, p->interaction ? p->interaction : "post");
    nt_db_bind_text(e->newpost, 4, p->url);
    nt_db_bind_text(e->newpost, 5, p->author);
    nt_db_bind_text(e->newpost, 6, p->posted_at);
    nt_db_bind_text(e->newpost, 7,
                    p->request_url && strncmp(p->request_url, "file:", 5) == 0 ? "ingest"
                                                                               : "crawl");
    nt_db_bind_text(e->newpost, 8, now);
    nt_db_bind_text(e->newpost, 9, p->sort_key);
    enum nt_err err = nt_db_insert(e->newpost, &post_id, d);
    if (err)
        return err;
    if (post_id) {
        *outcome = NT_EVIDENCE_ADDED;
    } else {
        nt_db_bind_int64(e->post, 1, account);
        nt_db_bind_text(e->post, 2, p->remote_id);
        if ((err = one_id(e->post, &post_id, d)) != NT_OK)
            return err;
        if (!post_id)
            return nt_diag_set(d, NT_EDB, "unggahan %s hilang saat disimpan", p->remote_id);
        nt_db_bind_int64(e->last, 1, post_id);
        bool same = false;
        if (nt_db_next(e->last, &err, d)) {
            const char *sha = nt_db_text(e->last, 1);
            same = sha && strcmp(sha, content_sha) == 0;
            seq = nt_db_int64(e->last, 0) + 1;
        }
        nt_db_reset(e->last);
        if (err)
            return err;
        nt_db_bind_int64(e->seen, 1, post_id);
        nt_db_bind_text(e->seen, 2, now);
        nt_db_bind_text(e->seen, 3, p->sort_key);
        if ((err = nt_db_run(e->seen, d)) != NT_OK)
            return err;
        if (same) {
            *outcome = NT_EVIDENCE_UNCHANGED;
            return put_media(e, post_id, p, now, d);
        }
        *outcome = NT_EVIDENCE_EDITED;
    }
    nt_db_bind_int64(e->version, 1, post_id);
    nt_db_bind_int64(e->version, 2, seq);
    nt_db_bind_text_n(e->version, 3, p->text, p->text_len);
    nt_db_bind_text(e->version, 4, p->lang);
    nt_db_bind_blob(e->version, 5, p->raw, p->raw_len);
    nt_db_bind_text(e->version, 6, raw_sha);
    nt_db_bind_text(e->version, 7, content_sha);
    nt_db_bind_text(e->version, 8, p->request_url);
    nt_db_bind_text(e->version, 9, now);
    nt_db_bind_text(e->version, 10, p->edited_at);
    nt_db_bind_text(e->version, 11, p->entities);
    int64_t version_id = 0;
    if ((err = nt_db_insert(e->version, &version_id, d)) != NT_OK)
        return err;
    err = put_media(e, post_id, p, now, d);
    if (!err && e->hook.stored)
        err = e->hook.stored(e->hook.user, version_id, d);
    return err;
}

enum nt_err nt_evidence_verify(struct nt_store *s, struct nt_evidence_check *out, struct nt_diag *d)
{
    struct nt_db_stmt *st;
    struct nt_evidence_check c = { 0 };
    /* A page at a time: PostgreSQL hands a result over whole. */
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    "SELECT id, post_id, raw, raw_sha256 FROM post_versions "
                                    "WHERE id > ?1 ORDER BY id LIMIT 512",
                                    &st, d);
    if (err)
        return err;
    int64_t last = 0;
    for (bool more = true; more && !err;) {
        more = false;
        nt_db_bind_int64(st, 1, last);
        while (nt_db_next(st, &err, d)) {
            more = true;
            last = nt_db_int64(st, 0);
            if (nt_db_type(st, 2) == NT_DB_NULL) {
                c.purged++;
                continue;
            }
            size_t n = 0;
            const void *raw = nt_db_blob(st, 2, &n);
            const char *want = nt_db_text(st, 3);
            char got[NT_SHA256_HEX_LEN + 1];
            nt_sha256_hex(raw ? raw : "", n, got);
            c.versions++;
            if (!want || strcmp(got, want) != 0) {
                if (!c.bad) {
                    c.first_bad = nt_db_int64(st, 0);
                    c.first_post = nt_db_int64(st, 1);
                }
                c.bad++;
            }
        }
    }
    nt_db_finalize(st);
    if (!err)
        *out = c;
    return err;
}
