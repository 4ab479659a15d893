/*
 * state.c - per-account crawl state (coverage, backoff, cursors) in
 * crawl_state, and the transaction units each account's writes form. The
 * JSON span scanner the sources use is in json_span.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "db.h"
#include "internal.h"

/* Through store/db.h, in the caller's transaction: the same SQL on SQLite
 * and PostgreSQL (times computed here, not by the engine). */
enum nt_err nt_crawl_save_state(struct nt_store *s, int64_t account, const char *state,
                                const char *etag, const char *lm, const char *error, bool success,
                                int failures, const char *now, struct nt_diag *d)
{
    /* After failures the account waits 5 min, doubling, at most a day. */
    char next[32] = "";
    time_t t;
    if (failures > 0 && nt_time_parse(now, &t)) {
        long wait = 300L << (failures - 1 < 9 ? failures - 1 : 9);
        nt_time_iso(t + (wait < 86400 ? wait : 86400), next, sizeof(next));
    }
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "INSERT INTO crawl_state(account_id, state, etag, last_modified, last_attempt_at, "
        "last_success_at, last_error, consecutive_failures, next_attempt_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
        "ON CONFLICT(account_id) DO UPDATE SET state = excluded.state, "
        "etag = COALESCE(excluded.etag, crawl_state.etag), "
        "last_modified = COALESCE(excluded.last_modified, crawl_state.last_modified), "
        "last_attempt_at = excluded.last_attempt_at, "
        "last_success_at = COALESCE(excluded.last_success_at, crawl_state.last_success_at), "
        "last_error = excluded.last_error, consecutive_failures = excluded.consecutive_failures, "
        "next_attempt_at = excluded.next_attempt_at",
        &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, account);
    nt_db_bind_text(st, 2, state);
    nt_db_bind_text(st, 3, etag);
    nt_db_bind_text(st, 4, lm);
    nt_db_bind_text(st, 5, now);
    nt_db_bind_text(st, 6, success ? now : NULL);
    nt_db_bind_text(st, 7, error);
    nt_db_bind_int64(st, 8, failures);
    nt_db_bind_text(st, 9, next[0] ? next : NULL);
    err = nt_db_run(st, d);
    nt_db_finalize(st);
    return err;
}

bool nt_crawl_id_newer(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return la != lb ? la > lb : strcmp(a, b) > 0;
}

void nt_crawl_refused(struct run *run, struct target *t, const struct nt_http_result *r,
                      const char *msg)
{
    struct nt_http_result bad = *r;
    bad.err = NT_EINPUT;
    bad.error = msg;
    nt_crawl_failed(run, t, &bad);
}

enum nt_err nt_crawl_store_post(struct run *run, int64_t account, const struct nt_evidence_post *p,
                                struct nt_diag *d)
{
    enum nt_evidence_outcome out;
    enum nt_err err = nt_evidence_put(run->ev, account, p, run->now, &out, d);
    if (!err) {
        if (out == NT_EVIDENCE_ADDED)
            run->st->posts_added++;
        else if (out == NT_EVIDENCE_EDITED)
            run->st->posts_edited++;
        else
            run->st->posts_unchanged++;
    }
    return err;
}

enum nt_err nt_crawl_page_end(struct run *run, int64_t account, const char *etag, const char *lm,
                              enum nt_err err, struct nt_diag *d)
{
    if (!err)
        err = nt_crawl_save_state(run->s, account, "ok", etag, lm, NULL, true, 0, run->now, d);
    if (!err)
        err = nt_crawl_unit_end(run, d);
    if (err) {
        nt_store_rollback(run->s);
        run->fatal = err;
        *run->d = *d;
    } else {
        nt_crawl_media_feed(run); /* the page's attachments */
    }
    return err;
}

void nt_item_release(struct nt_item *it)
{
    json_decref(it->doc);
    free(it->text);
    free(it->entities);
    for (size_t i = 0; i < it->p.nmedia; i++)
        free(it->meta[i]);
    memset(it, 0, sizeof(*it));
}

void nt_item_add_media(struct nt_item *it, const char *kind, const char *url, const char *alt,
                       json_t *meta)
{
    size_t n = it->p.nmedia;
    if (n >= NT_EVIDENCE_MAX_MEDIA || !url || !*url || strlen(url) > 2000)
        return;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(it->media[i].url, url))
            return;
    it->meta[n] = json_is_object(meta) ? json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    it->media[n] = (struct nt_evidence_media){ kind, url, alt, it->meta[n] };
    it->p.media = it->media;
    it->p.nmedia = n + 1;
}

char *nt_crawl_entities(const struct nt_entity_src *src, size_t n)
{
    json_t *out = NULL, *v;
    size_t i;
    for (size_t k = 0; k < n; k++) {
        json_array_foreach(src[k].array, i, v)
        {
            const char *value = json_string_value(json_object_get(v, src[k].field));
            if (!value)
                continue;
            if (!out)
                out = json_array();
            json_array_append_new(out,
                                  json_pack("{s:s, s:s}", "type", src[k].kind, "value", value));
        }
    }
    char *s = out ? json_dumps(out, JSON_COMPACT) : NULL;
    json_decref(out);
    return s;
}

enum nt_err nt_crawl_clear_backoff(struct nt_store *s, int64_t account, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s), "UPDATE crawl_state SET next_attempt_at = NULL WHERE account_id = ?1", &st,
        d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, account);
    err = nt_db_run(st, d);
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_crawl_save_cursor(struct nt_store *s, int64_t account, const char *remote_id,
                                 const char *cursor, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err =
        nt_db_prepare(nt_store_dbh(s),
                      "INSERT INTO crawl_state(account_id, remote_id, cursor) VALUES (?1, ?2, ?3) "
                      "ON CONFLICT(account_id) DO UPDATE SET "
                      "remote_id = COALESCE(excluded.remote_id, crawl_state.remote_id), "
                      "cursor = COALESCE(excluded.cursor, crawl_state.cursor)",
                      &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, account);
    nt_db_bind_text(st, 2, remote_id);
    nt_db_bind_text(st, 3, cursor);
    err = nt_db_run(st, d);
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_crawl_unit_begin(struct run *run, struct nt_diag *d)
{
    if (!nt_store_in_tx(run->s)) {
        enum nt_err err = nt_store_begin(run->s, d);
        if (err)
            return err;
        run->batched = 0;
        run->last_commit = nt_mono();
    }
    return nt_db_savepoint(nt_store_dbh(run->s), "account", d);
}

void nt_crawl_unit_abort(struct run *run)
{
    struct nt_diag d;
    if (nt_store_in_tx(run->s) && nt_db_rollback_to(nt_store_dbh(run->s), "account", &d) == NT_OK)
        nt_db_release(nt_store_dbh(run->s), "account", &d);
}

enum nt_err nt_crawl_flush(struct run *run, struct nt_diag *d)
{
    run->batched = 0;
    run->last_commit = nt_mono();
    if (!nt_store_in_tx(run->s))
        return NT_OK;
    const struct nt_stored_hook *h = &run->o->stored;
    enum nt_err err = h->before_commit ? h->before_commit(h->user, d) : NT_OK;
    return err ? err : nt_store_commit(run->s, d);
}

enum nt_err nt_crawl_unit_end(struct run *run, struct nt_diag *d)
{
    enum nt_err err = nt_db_release(nt_store_dbh(run->s), "account", d);
    if (err)
        return err;
    if (++run->batched >= 64 || nt_mono() - run->last_commit >= 1.0)
        return nt_crawl_flush(run, d);
    return NT_OK;
}

enum nt_err nt_crawl_mark_missing(struct run *run, int64_t account, enum nt_crawl_order order,
                                  const char *lo, const char *hi, json_t *listed, struct nt_diag *d)
{
#define MISSING_BY_ID                                                                              \
    "UPDATE posts SET deleted_at = ?2 WHERE account_id = ?1 "                                      \
    "AND deleted_at IS NULL AND source = 'crawl' "                                                 \
    "AND (length(remote_id) > length(CAST(?3 AS TEXT)) OR (length(remote_id) = "                   \
    "length(CAST(?3 AS TEXT)) AND remote_id >= ?3)) "                                              \
    "AND (length(remote_id) < length(CAST(?4 AS TEXT)) OR (length(remote_id) = "                   \
    "length(CAST(?4 AS TEXT)) AND remote_id <= ?4)) "
#define MISSING_BY_TIME                                                                            \
    "UPDATE posts SET deleted_at = ?2 WHERE account_id = ?1 "                                      \
    "AND deleted_at IS NULL AND source = 'crawl' AND interaction != 'repost' "                     \
    "AND posted_at > ?3 AND posted_at < ?4 "
#define MISSING_BY_KEY                                                                             \
    "UPDATE posts SET deleted_at = ?2 WHERE account_id = ?1 "                                      \
    "AND deleted_at IS NULL AND source = 'crawl' AND sort_key > ?3 AND sort_key <= ?4 "
    /* Not among those listed (a JSON array): each engine's own words. */
#define LISTED_SQLITE "AND remote_id NOT IN (SELECT value FROM json_each(?5))"
#define LISTED_PG     "AND remote_id NOT IN (SELECT jsonb_array_elements_text(CAST(?5 AS jsonb)))"
    static const char *const sql[][2] = {
        [NT_ORDER_ID] = { MISSING_BY_ID LISTED_SQLITE, MISSING_BY_ID LISTED_PG },
        [NT_ORDER_TIME] = { MISSING_BY_TIME LISTED_SQLITE, MISSING_BY_TIME LISTED_PG },
        [NT_ORDER_SORT_KEY] = { MISSING_BY_KEY LISTED_SQLITE, MISSING_BY_KEY LISTED_PG },
    };
    struct nt_db_stmt *st = NULL;
    if (!lo || !hi || !*lo || !*hi)
        return NT_OK;
    char *ids = json_dumps(listed, JSON_COMPACT);
    if (!ids)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    enum nt_err err = nt_db_prepare_for(nt_store_dbh(run->s), sql[order][0], sql[order][1], &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, account);
        nt_db_bind_text(st, 2, run->now);
        nt_db_bind_text(st, 3, lo);
        nt_db_bind_text(st, 4, hi);
        nt_db_bind_text(st, 5, ids);
        err = nt_db_run(st, d);
        if (!err)
            run->st->posts_deleted += (size_t)nt_db_changes(st);
    }
    nt_db_finalize(st);
    free(ids);
    return err;
}

void nt_crawl_failed(struct run *run, struct target *t, const struct nt_http_result *r)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    if (r->err == NT_ECANCELLED) { /* stopped: not the account's failure */
        run->st->cancelled++;
        return;
    }
    const char *state = r->status == 404 || r->status == 410   ? "not_found"
                        : r->err == NT_ERATELIMIT              ? "rate_limited"
                        : r->status == 401 || r->status == 403 ? "private"
                                                               : "error";
    run->st->failed++;
    enum nt_err err = nt_crawl_unit_begin(run, &d);
    if (!err)
        err = nt_crawl_save_state(run->s, t->account, state, NULL, NULL,
                                  r->error ? r->error : nt_err_str(r->err), false, t->failures + 1,
                                  run->now, &d);
    if (!err)
        err = nt_crawl_unit_end(run, &d);
    if (err) {
        nt_store_rollback(run->s);
        run->fatal = err;
        *run->d = d;
    }
}

void nt_crawl_start_failed(struct run *run, struct target *t, void *ctx, enum nt_err err,
                           const char *msg)
{
    struct nt_http_result r = { .url = t->url, .err = err, .error = msg };
    nt_crawl_failed(run, t, &r);
    nt_crawl_account_done(run, t, ctx);
}

bool nt_crawl_link_rel(const char *link, const char *rel, const char *prefix, char *out, size_t n)
{
    size_t rl = strlen(rel), pl = strlen(prefix);
    for (const char *p = link; p && (p = strchr(p, '<'));) {
        const char *end = strchr(p, '>');
        if (!end)
            return false;
        const char *params = end + 1, *stop = strchr(params, ',');
        size_t plen = stop ? (size_t)(stop - params) : strlen(params);
        size_t ulen = (size_t)(end - p - 1);
        bool match = false;
        for (const char *r = params; (r = strstr(r, "rel=")) && r < params + plen; r += 4)
            match |= (r[4] == '"' && strncmp(r + 5, rel, rl) == 0 && r[5 + rl] == '"') ||
                     (strncmp(r + 4, rel, rl) == 0 && strchr(" ;,", r[4 + rl] ? r[4 + rl] : ' '));
        if (match && ulen < n && ulen > pl && strncmp(p + 1, prefix, pl) == 0) {
            memcpy(out, p + 1, ulen);
            out[ulen] = '\0';
            return !strpbrk(out, " \t\r\n#");
        }
        p = end;
    }
    return false;
}

size_t nt_crawl_url_escape(char *url, size_t n, size_t o, const char *v)
{
    for (const char *p = v; *p && o + 4 < n; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~')
            url[o++] = (char)c;
        else
            o += (size_t)snprintf(url + o, n - o, "%%%02X", c);
    }
    if (o < n)
        url[o] = '\0';
    return o;
}
