/*
 * evidence.c - posts and post_versions writes.
 */
#include "evidence.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

struct nt_evidence {
    struct nt_store *s;
    sqlite3_stmt *post, *newpost, *seen, *last, *version, *media;
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
    sqlite3_finalize(e->post);
    sqlite3_finalize(e->newpost);
    sqlite3_finalize(e->seen);
    sqlite3_finalize(e->last);
    sqlite3_finalize(e->version);
    sqlite3_finalize(e->media);
    free(e);
}

enum nt_err nt_evidence_new(struct nt_store *s, struct nt_evidence **out, struct nt_diag *d)
{
    struct nt_evidence *e = calloc(1, sizeof(*e));
    if (!e)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    e->s = s;
    enum nt_err err = nt_store_prepare(
        s, "SELECT id FROM posts WHERE account_id = ?1 AND remote_id = ?2", &e->post, d);
    if (!err)
        err = nt_store_prepare(s,
                               "INSERT INTO posts(account_id, remote_id, interaction, url, author, "
                               "posted_at, source, first_seen_at, last_seen_at, sort_key) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9) "
                               "ON CONFLICT(account_id, remote_id) DO NOTHING",
                               &e->newpost, d);
    if (!err)
        err = nt_store_prepare(s,
                               "UPDATE posts SET last_seen_at = ?2, deleted_at = NULL, "
                               "sort_key = COALESCE(sort_key, ?3) WHERE id = ?1",
                               &e->seen, d);
    if (!err)
        err = nt_store_prepare(s,
                               "SELECT seq, content_sha256 FROM post_versions WHERE post_id = ?1 "
                               "ORDER BY seq DESC LIMIT 1",
                               &e->last, d);
    if (!err)
        err = nt_store_prepare(s,
                               "INSERT INTO post_versions(post_id, seq, text, lang, raw, "
                               "raw_sha256, content_sha256, request_url, fetched_at, edited_at, "
                               "entities) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                               &e->version, d);
    if (!err)
        err = nt_store_prepare(s,
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

static int step_reset(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* The post's attachments: new ones added ("pending" when the policy
 * fetches their kind, "recorded" otherwise), known ones left alone. */
static enum nt_err put_media(struct nt_evidence *e, int64_t post_id,
                             const struct nt_evidence_post *p, const char *now, struct nt_diag *d)
{
    size_t n = p->nmedia < NT_EVIDENCE_MAX_MEDIA ? p->nmedia : NT_EVIDENCE_MAX_MEDIA;
    for (size_t i = 0; i < n; i++) {
        const struct nt_evidence_media *m = &p->media[i];
        if (!m->url || !*m->url || !m->kind)
            continue;
        bool image = !strcmp(m->kind, "image");
        bool av = !strcmp(m->kind, "video") || !strcmp(m->kind, "audio");
        bool fetch = (image && e->fetch_images) || (av && e->fetch_videos);
        sqlite3_bind_int64(e->media, 1, post_id);
        sqlite3_bind_int64(e->media, 2, (sqlite3_int64)i + 1);
        sqlite3_bind_text(e->media, 3, m->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(e->media, 4, m->url, -1, SQLITE_STATIC);
        sqlite3_bind_text(e->media, 5, m->alt && *m->alt ? m->alt : NULL, -1, SQLITE_STATIC);
        sqlite3_bind_text(e->media, 6, m->meta, -1, SQLITE_STATIC);
        sqlite3_bind_text(e->media, 7, fetch ? "pending" : "recorded", -1, SQLITE_STATIC);
        sqlite3_bind_text(e->media, 8, now, -1, SQLITE_STATIC);
        if (step_reset(e->media) != SQLITE_DONE)
            return nt_store_fail(e->s, sqlite3_errcode(nt_store_db(e->s)),
                                 "menyimpan lampiran unggahan gagal", d);
    }
    return NT_OK;
}

enum nt_err nt_evidence_put(struct nt_evidence *e, int64_t account,
                            const struct nt_evidence_post *p, const char *now,
                            enum nt_evidence_outcome *outcome, struct nt_diag *d)
{
    char raw_sha[NT_SHA256_HEX_LEN + 1], content_sha[NT_SHA256_HEX_LEN + 1];
    int64_t post_id = 0;
    int seq = 1, rc;
    struct nt_store *s = e->s;

    nt_sha256_hex(p->raw, p->raw_len, raw_sha);
    nt_sha256_hex(p->text, p->text_len, content_sha);
    /* A new post (what a crawl or an ingest mostly meets): one INSERT that
     * does nothing when the post is known; then it is looked up. */
    sqlite3_bind_int64(e->newpost, 1, account);
    sqlite3_bind_text(e->newpost, 2, p->remote_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(e->newpost, 3, p->interaction ? p->interaction : "post", -1, SQLITE_STATIC);
    sqlite3_bind_text(e->newpost, 4, p->url, -1, SQLITE_STATIC);
    sqlite3_bind_text(e->newpost, 5, p->author, -1, SQLITE_STATIC);
    sqlite3_bind_text(e->newpost, 6, p->posted_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(e->newpost, 7,
                      p->request_url && strncmp(p->request_url, "file:", 5) == 0 ? "ingest"
                                                                                 : "crawl",
                      -1, SQLITE_STATIC);
    sqlite3_bind_text(e->newpost, 8, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(e->newpost, 9, p->sort_key, -1, SQLITE_STATIC);
    if (step_reset(e->newpost) != SQLITE_DONE)
        return nt_store_fail(s, sqlite3_errcode(nt_store_db(s)), "menyimpan unggahan gagal", d);
    if (sqlite3_changes(nt_store_db(s)) > 0) {
        post_id = sqlite3_last_insert_rowid(nt_store_db(s));
        *outcome = NT_EVIDENCE_ADDED;
    } else {
        sqlite3_bind_int64(e->post, 1, account);
        sqlite3_bind_text(e->post, 2, p->remote_id, -1, SQLITE_STATIC);
        rc = sqlite3_step(e->post);
        if (rc == SQLITE_ROW)
            post_id = sqlite3_column_int64(e->post, 0);
        sqlite3_reset(e->post);
        if (rc != SQLITE_ROW)
            return nt_store_fail(s, rc == SQLITE_DONE ? SQLITE_INTERNAL : rc,
                                 "membaca unggahan gagal", d);
        sqlite3_bind_int64(e->last, 1, post_id);
        rc = sqlite3_step(e->last);
        bool same = rc == SQLITE_ROW &&
                    strcmp((const char *)sqlite3_column_text(e->last, 1), content_sha) == 0;
        if (rc == SQLITE_ROW)
            seq = sqlite3_column_int(e->last, 0) + 1;
        sqlite3_reset(e->last);
        sqlite3_bind_int64(e->seen, 1, post_id);
        sqlite3_bind_text(e->seen, 2, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(e->seen, 3, p->sort_key, -1, SQLITE_STATIC);
        if (step_reset(e->seen) != SQLITE_DONE)
            return nt_store_fail(s, sqlite3_errcode(nt_store_db(s)), "memperbarui unggahan gagal",
                                 d);
        if (same) {
            *outcome = NT_EVIDENCE_UNCHANGED;
            return put_media(e, post_id, p, now, d);
        }
        *outcome = NT_EVIDENCE_EDITED;
    }
    sqlite3_bind_int64(e->version, 1, post_id);
    sqlite3_bind_int(e->version, 2, seq);
    sqlite3_bind_text(e->version, 3, p->text, (int)p->text_len, SQLITE_STATIC);
    sqlite3_bind_text(e->version, 4, p->lang, -1, SQLITE_STATIC);
    sqlite3_bind_blob(e->version, 5, p->raw, (int)p->raw_len, SQLITE_STATIC);
    sqlite3_bind_text(e->version, 6, raw_sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(e->version, 7, content_sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(e->version, 8, p->request_url, -1, SQLITE_STATIC);
    sqlite3_bind_text(e->version, 9, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(e->version, 10, p->edited_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(e->version, 11, p->entities, -1, SQLITE_STATIC);
    if (step_reset(e->version) != SQLITE_DONE)
        return nt_store_fail(s, sqlite3_errcode(nt_store_db(s)), "menyimpan versi unggahan gagal",
                             d);
    int64_t version_id = sqlite3_last_insert_rowid(nt_store_db(s));
    enum nt_err err = put_media(e, post_id, p, now, d);
    if (!err && e->hook.stored)
        err = e->hook.stored(e->hook.user, version_id, d);
    return err;
}

enum nt_err nt_evidence_verify(struct nt_store *s, struct nt_evidence_check *out, struct nt_diag *d)
{
    sqlite3_stmt *st;
    struct nt_evidence_check c = { 0 };
    enum nt_err err = nt_store_prepare(
        s, "SELECT id, post_id, raw, raw_sha256 FROM post_versions ORDER BY id", &st, d);
    if (err)
        return err;
    while (!err && nt_store_next(s, st, &err, "membaca bukti unggahan", d)) {
        if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
            c.purged++;
            continue;
        }
        const void *raw = sqlite3_column_blob(st, 2);
        size_t n = (size_t)sqlite3_column_bytes(st, 2);
        const char *want = (const char *)sqlite3_column_text(st, 3);
        char got[NT_SHA256_HEX_LEN + 1];
        nt_sha256_hex(raw ? raw : "", n, got);
        c.versions++;
        if (!want || strcmp(got, want) != 0) {
            if (!c.bad) {
                c.first_bad = sqlite3_column_int64(st, 0);
                c.first_post = sqlite3_column_int64(st, 1);
            }
            c.bad++;
        }
    }
    sqlite3_finalize(st);
    if (!err)
        *out = c;
    return err;
}
