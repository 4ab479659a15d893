/*
 * follows.c - whom an employee's account follows (SKB 2022 form 2:
 * following a candidate's or a winning team's account). After an account's
 * posts, its follow list is read whole, page by page through the same HTTP
 * engine: Mastodon's /api/v1/accounts/:id/following (the next page from the
 * Link header, only on the same endpoint), Bluesky's
 * app.bsky.graph.getFollows (by cursor). Each followed account is kept as a
 * post of kind 'follow' with the exact bytes the platform listed it in, so
 * it is scored (detect/scan.c looks the account up among the lexicon's
 * campaign accounts), queued and put in a case file like any post; table
 * `follows` keeps when it was first and last seen. A complete listing that
 * no longer has a follow records the unfollow (and marks its post
 * deleted); a listing cut short by the page cap records nothing gone.
 * A failure here never fails the account's posts: it is recorded in
 * crawl_state.follows_state (coverage says why).
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "internal.h"

#define MASTODON_PAGE 80
#define BLUESKY_PAGE  100
#define MAX_PAGES     50 /* 4,000 to 5,000 follows per account and crawl */

struct kept {
    char *raw, *url;
    size_t len;
};

struct fctx {
    struct run *run;
    struct target *t;
    bool bluesky;
    char base[512];
    char who[300];  /* Mastodon account id, Bluesky actor */
    char host[256]; /* Mastodon: the instance of local accounts */
    int pages;
    struct kept *items;
    size_t n, cap;
};

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

void nt_follow_release(struct nt_follow *f)
{
    json_decref(f->doc);
    memset(f, 0, sizeof(*f));
}

/* A lower-case account key without blanks or controls, at most 300 bytes. */
static bool key_of(const char *s, char *out, size_t n)
{
    size_t len = s ? strlen(s) : 0;
    if (len == 0 || len > 300 || len >= n)
        return false;
    for (size_t i = 0; i <= len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i < len && (c <= 0x20 || c == 0x7f))
            return false;
        out[i] = (char)tolower(c);
    }
    return true;
}

enum nt_err nt_mastodon_follow(const char *raw, size_t len, const char *host, struct nt_follow *f,
                               struct nt_diag *d)
{
    memset(f, 0, sizeof(*f));
    json_error_t je;
    json_t *a = f->doc = json_loadb(raw, len, 0, &je);
    const char *acct = str(a, "acct");
    char full[600];
    if (acct && *acct == '@')
        acct++;
    if (acct && !strchr(acct, '@') && host && *host)
        snprintf(full, sizeof(full), "%s@%s", acct, host);
    else
        snprintf(full, sizeof(full), "%s", acct ? acct : "");
    if (!acct || !key_of(full, f->target, sizeof(f->target)))
        return nt_diag_set(d, NT_EINPUT, "akun yang diikuti tidak sah: %s",
                           a ? "tanpa acct yang sah" : je.text);
    snprintf(f->handle, sizeof(f->handle), "%s", f->target);
    f->name = str(a, "display_name");
    f->url = str(a, "url");
    return NT_OK;
}

enum nt_err nt_bluesky_follow(const char *raw, size_t len, struct nt_follow *f, struct nt_diag *d)
{
    memset(f, 0, sizeof(*f));
    json_error_t je;
    json_t *a = f->doc = json_loadb(raw, len, 0, &je);
    const char *did = str(a, "did"), *handle = str(a, "handle");
    if (!did || strncmp(did, "did:", 4) != 0 || !key_of(did, f->target, sizeof(f->target)))
        return nt_diag_set(d, NT_EINPUT, "akun yang diikuti tidak sah: %s",
                           a ? "tanpa DID yang sah" : je.text);
    if (!handle || !key_of(handle, f->handle, sizeof(f->handle)))
        snprintf(f->handle, sizeof(f->handle), "%s", f->target);
    f->name = str(a, "displayName");
    return NT_OK;
}

/* The follows of one account are read: end it. */
static void finish(struct fctx *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->items[i].raw);
        free(f->items[i].url);
    }
    free(f->items);
    nt_crawl_account_done(f->run, f->t, f);
}

/* crawl_state's follows columns, in the open unit. */
static enum nt_err save_follows_state(struct fctx *f, const char *state, long count,
                                      struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(f->run->s),
                                    "UPDATE crawl_state SET follows_state = ?2, follows_at = ?3, "
                                    "follows_count = COALESCE(CAST(?4 AS BIGINT), follows_count) "
                                    "WHERE account_id = ?1",
                                    &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, f->t->account);
    nt_db_bind_text(st, 2, state);
    nt_db_bind_text(st, 3, f->run->now);
    if (count >= 0)
        nt_db_bind_int64(st, 4, count);
    else
        nt_db_bind_null(st, 4);
    err = nt_db_run(st, d);
    nt_db_finalize(st);
    return err;
}

/* A unit of the crawl around `fn`; an error stops the crawl as a page's
 * does. */
static void in_unit(struct fctx *f,
                    enum nt_err (*fn)(struct fctx *, const void *, struct nt_diag *),
                    const void *arg)
{
    struct run *run = f->run;
    struct nt_diag d;
    nt_diag_clear(&d);
    enum nt_err err = nt_crawl_unit_begin(run, &d);
    if (!err)
        err = fn(f, arg, &d);
    if (!err)
        err = nt_crawl_unit_end(run, &d);
    if (err) {
        nt_store_rollback(run->s);
        run->fatal = err;
        *run->d = d;
    }
}

static enum nt_err record_failure(struct fctx *f, const void *why, struct nt_diag *d)
{
    char state[400];
    snprintf(state, sizeof(state), "galat: %s", (const char *)why);
    return save_follows_state(f, state, -1, d);
}

static void failed(struct fctx *f, const char *why)
{
    in_unit(f, record_failure, why);
    finish(f);
}

/* Every follow listed: a post each (new, or seen again), its row in
 * follows; with a complete listing, those no longer listed are unfollows. */
static enum nt_err store_all(struct fctx *f, const void *arg, struct nt_diag *d)
{
    bool complete = *(const bool *)arg;
    struct run *run = f->run;
    struct nt_db *s = nt_store_dbh(run->s);
    struct nt_db_stmt *post = NULL, *known = NULL, *up = NULL, *gone = NULL, *gone_posts = NULL;
    json_t *listed = json_array();
    enum nt_err err = listed ? NT_OK : nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    if (!err)
        err = nt_db_prepare(s, "SELECT id FROM posts WHERE account_id = ?1 AND remote_id = ?2",
                            &post, d);
    /* Followed now: never seen, or seen unfollowed (a follow again). */
    if (!err)
        err = nt_db_prepare(s,
                            "SELECT 1 FROM follows WHERE account_id = ?1 AND target = ?2 AND "
                            "unfollowed_at IS NULL",
                            &known, d);
    if (!err)
        err = nt_db_prepare(s,
                            "INSERT INTO follows(account_id, target, handle, post_id, "
                            "first_seen_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) "
                            "ON CONFLICT(account_id, target) DO UPDATE SET handle = "
                            "excluded.handle, post_id = excluded.post_id, last_seen_at = "
                            "excluded.last_seen_at, unfollowed_at = NULL",
                            &up, d);
    for (size_t i = 0; i < f->n && !err; i++) {
        struct nt_follow fw;
        const struct kept *k = &f->items[i];
        err = f->bluesky ? nt_bluesky_follow(k->raw, k->len, &fw, d)
                         : nt_mastodon_follow(k->raw, k->len, f->host, &fw, d);
        char id[320], text[1200];
        snprintf(id, sizeof(id), "follow:%s", fw.target);
        if (f->bluesky && strcmp(fw.handle, fw.target) != 0)
            snprintf(text, sizeof(text), "Mengikuti akun @%s (%s)%s%.600s", fw.handle, fw.target,
                     fw.name && *fw.name ? " - " : "", fw.name ? fw.name : "");
        else
            snprintf(text, sizeof(text), "Mengikuti akun @%s%s%.600s", fw.target,
                     fw.name && *fw.name ? " - " : "", fw.name ? fw.name : "");
        struct nt_evidence_post p = {
            .remote_id = id,
            .text = text,
            .text_len = strlen(text),
            .interaction = "follow",
            .url = fw.url,
            .author = fw.handle,
            .raw = k->raw,
            .raw_len = k->len,
            .request_url = k->url,
        };
        /* Kept as a post (not counted among the posts of the crawl). */
        enum nt_evidence_outcome outcome;
        if (!err)
            err = nt_evidence_put(run->ev, f->t->account, &p, run->now, &outcome, d);
        int64_t post_id = 0;
        if (!err) {
            nt_db_bind_int64(post, 1, f->t->account);
            nt_db_bind_text(post, 2, id);
            post_id = nt_db_next(post, &err, d) ? nt_db_int64(post, 0) : 0;
            nt_db_reset(post);
            if (!err && !post_id)
                err = nt_diag_set(d, NT_EDB, "unggahan ikuti %.200s hilang saat disimpan", id);
        }
        if (!err) {
            nt_db_bind_int64(known, 1, f->t->account);
            nt_db_bind_text(known, 2, fw.target);
            bool followed = nt_db_next(known, &err, d);
            nt_db_reset(known);
            run->st->follows_new += !err && !followed;
        }
        if (!err) {
            nt_db_bind_int64(up, 1, f->t->account);
            nt_db_bind_text(up, 2, fw.target);
            nt_db_bind_text(up, 3, fw.handle);
            nt_db_bind_int64(up, 4, post_id);
            nt_db_bind_text(up, 5, run->now);
            err = nt_db_run(up, d);
            json_array_append_new(listed, json_string(fw.target));
        }
        nt_follow_release(&fw);
    }
    /* An unfollow: what a complete listing no longer has. Its post is
     * marked deleted (kept), as a post the platform no longer lists. */
    char *targets = !err && complete ? json_dumps(listed, JSON_COMPACT) : NULL;
    if (!err && complete && !targets)
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        /* Not among those listed (a JSON array): each engine's own words. */
#define GONE_POSTS                                                                                 \
    "UPDATE posts SET deleted_at = ?3 WHERE id IN (SELECT post_id FROM follows WHERE account_id "  \
    "= ?1 AND unfollowed_at IS NULL AND target NOT IN ("
#define GONE                                                                                       \
    "UPDATE follows SET unfollowed_at = ?3 WHERE account_id = ?1 AND unfollowed_at IS NULL AND "   \
    "target NOT IN ("
#define LISTED_SQLITE "SELECT value FROM json_each(?2))"
#define LISTED_PG     "SELECT jsonb_array_elements_text(CAST(?2 AS jsonb)))"
    if (!err && complete)
        err = nt_db_prepare_for(s, GONE_POSTS LISTED_SQLITE ")", GONE_POSTS LISTED_PG ")",
                                &gone_posts, d);
    if (!err && complete)
        err = nt_db_prepare_for(s, GONE LISTED_SQLITE, GONE LISTED_PG, &gone, d);
#undef GONE_POSTS
#undef GONE
#undef LISTED_SQLITE
#undef LISTED_PG
    struct nt_db_stmt *both[] = { gone_posts, gone };
    for (size_t i = 0; !err && complete && i < 2; i++) {
        nt_db_bind_int64(both[i], 1, f->t->account);
        nt_db_bind_text(both[i], 2, targets);
        nt_db_bind_text(both[i], 3, run->now);
        err = nt_db_run(both[i], d);
        if (!err && i == 1)
            run->st->follows_gone += (size_t)nt_db_changes(both[i]);
    }
    if (!err)
        err = save_follows_state(f, complete ? "ok" : "sebagian (batas halaman)", (long)f->n, d);
    free(targets);
    json_decref(listed);
    nt_db_finalize(post);
    nt_db_finalize(known);
    nt_db_finalize(up);
    nt_db_finalize(gone);
    nt_db_finalize(gone_posts);
    return err;
}

static void request_page(struct fctx *f, const char *next);

static void page_done(struct nt_http *h, const struct nt_http_result *r, void *user)
{
    struct fctx *f = user;
    static struct nt_span spans[BLUESKY_PAGE * 4];
    (void)h;
    if (f->run->fatal || r->err == NT_ECANCELLED) {
        finish(f);
        return;
    }
    if (r->err) {
        failed(f, r->error ? r->error : "permintaan gagal");
        return;
    }
    long n = f->bluesky ? nt_json_member_spans(r->body, r->body_len, "follows", -1, spans,
                                               BLUESKY_PAGE * 4)
                        : nt_json_array_spans(r->body, r->body_len, spans, BLUESKY_PAGE * 4);
    if (n < 0) {
        failed(f, "respons bukan daftar akun yang diikuti");
        return;
    }
    /* Each listed account checked now: a listing with one bad item is
     * refused whole, nothing of it stored. */
    for (long i = 0; i < n; i++) {
        struct nt_follow fw;
        struct nt_diag d;
        const char *raw = r->body + spans[i].start;
        size_t len = spans[i].end - spans[i].start;
        nt_diag_clear(&d);
        enum nt_err err = f->bluesky ? nt_bluesky_follow(raw, len, &fw, &d)
                                     : nt_mastodon_follow(raw, len, f->host, &fw, &d);
        nt_follow_release(&fw);
        if (err) {
            failed(f, d.msg);
            return;
        }
        if (f->n == f->cap) {
            size_t cap = f->cap ? f->cap * 2 : 128;
            struct kept *v = realloc(f->items, cap * sizeof(*v));
            if (!v) {
                failed(f, "memori tidak cukup");
                return;
            }
            f->items = v;
            f->cap = cap;
        }
        struct kept *k = &f->items[f->n];
        k->raw = strndup(raw, len);
        k->url = strdup(r->url);
        k->len = len;
        if (!k->raw || !k->url) {
            free(k->raw);
            free(k->url);
            failed(f, "memori tidak cukup");
            return;
        }
        f->n++;
    }
    f->pages++;
    char next[1024] = "", prefix[1024];
    if (f->bluesky) {
        struct nt_span cur;
        if (n > 0 && nt_json_member(r->body, r->body_len, "cursor", &cur)) {
            json_t *c = json_loadb(r->body + cur.start, cur.end - cur.start, JSON_DECODE_ANY, NULL);
            if (json_is_string(c) && *json_string_value(c))
                snprintf(next, sizeof(next), "%s", json_string_value(c));
            json_decref(c);
        }
    } else {
        snprintf(prefix, sizeof(prefix), "%s/api/v1/accounts/%s/following?", f->base, f->who);
        if (n > 0 && r->link && !nt_crawl_link_rel(r->link, "next", prefix, next, sizeof(next)))
            next[0] = '\0';
    }
    if (next[0] && f->pages < MAX_PAGES) {
        request_page(f, next);
        return;
    }
    bool complete = !next[0];
    in_unit(f, store_all, &complete);
    finish(f);
}

static void request_page(struct fctx *f, const char *next)
{
    char url[2048];
    struct nt_diag d;
    if (!f->bluesky && next) {
        snprintf(url, sizeof(url), "%s", next);
    } else if (!f->bluesky) {
        snprintf(url, sizeof(url), "%s/api/v1/accounts/%s/following?limit=%d", f->base, f->who,
                 MASTODON_PAGE);
    } else {
        int n = snprintf(url, sizeof(url), "%s/xrpc/app.bsky.graph.getFollows?actor=", f->base);
        size_t o = nt_crawl_url_escape(url, sizeof(url), (size_t)n, f->who);
        o += (size_t)snprintf(url + o, sizeof(url) - o, "&limit=%d", BLUESKY_PAGE);
        if (next && o + 8 < sizeof(url))
            nt_crawl_url_escape(url, sizeof(url),
                                o + (size_t)snprintf(url + o, sizeof(url) - o, "&cursor="), next);
    }
    struct nt_http_request req = { .url = url };
    nt_diag_clear(&d);
    if (nt_http_get(f->run->h, &req, page_done, f, &d) != NT_OK)
        failed(f, d.msg);
}

void nt_crawl_follows_start(struct run *run, struct target *t, bool bluesky, const char *base,
                            const char *who, const char *host)
{
    struct fctx *f = run->o->no_follows || run->fatal ? NULL : calloc(1, sizeof(*f));
    if (!f) {
        nt_crawl_account_done(run, t, NULL);
        return;
    }
    f->run = run;
    f->t = t;
    f->bluesky = bluesky;
    snprintf(f->base, sizeof(f->base), "%s", base);
    snprintf(f->who, sizeof(f->who), "%s", who);
    snprintf(f->host, sizeof(f->host), "%s", host ? host : "");
    request_page(f, NULL);
}
