/*
 * mastodon.c - the Mastodon source: resolve user@instance with
 * /api/v1/accounts/lookup on the account's home server (or the configured
 * endpoint), then page /api/v1/accounts/:id/statuses newer than the cursor
 * (min_id). Public and unlisted statuses only; reblogs keep the original's
 * text and author; each status is kept as the exact bytes it arrived as.
 * Every page's posts and the new cursor commit together. Then whom the
 * account follows (follows.c).
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "internal.h"

#define PAGE      40
#define MAX_PAGES 25 /* per account and crawl: 1,000 statuses */

struct mctx {
    struct run *run;
    struct target *t;
    char base[512];
    char id[64];
    int pages;
    bool refresh;    /* this request is the newest page, not min_id paging */
    char next[1024]; /* the server's rel="prev" link for the next min_id page, or "" */
};

static void statuses_done(struct nt_http *h, const struct nt_http_result *r, void *user);

static void request_statuses(struct mctx *m)
{
    char url[1024];
    struct nt_diag d;
    if (m->next[0] && !m->refresh)
        snprintf(url, sizeof(url), "%s", m->next);
    else if (m->t->cursor && !m->refresh)
        snprintf(url, sizeof(url), "%s/api/v1/accounts/%s/statuses?limit=%d&min_id=%s", m->base,
                 m->id, PAGE, m->t->cursor);
    else
        snprintf(url, sizeof(url), "%s/api/v1/accounts/%s/statuses?limit=%d", m->base, m->id, PAGE);
    struct nt_http_request req = { .url = url };
    nt_diag_clear(&d);
    if (nt_http_get(m->run->h, &req, statuses_done, m, &d) != NT_OK) {
        struct nt_http_result fake = { .url = url, .err = NT_EINPUT, .error = d.msg };
        nt_crawl_failed(m->run, m->t, &fake);
        nt_crawl_account_done(m->run, m->t, m);
    }
}

/*
 * The rel="prev" URL of a Link header (Mastodon: the statuses newer than
 * this page), accepted only for this account's own statuses endpoint with a
 * min_id, so that a server cannot send the crawler elsewhere.
 */
static bool link_prev(const struct mctx *m, const char *link, char *out, size_t n)
{
    char prefix[700];
    snprintf(prefix, sizeof(prefix), "%s/api/v1/accounts/%s/statuses?", m->base, m->id);
    return nt_crawl_link_rel(link, "prev", prefix, out, n) && strstr(out, "min_id=") != NULL;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* A status's attachments (media_attachments: image, gifv, video, audio),
 * its link card, and the quoted status's attachments. */
static void status_media(struct nt_item *it, json_t *st, int depth)
{
    json_t *a;
    size_t i;
    json_array_foreach(json_object_get(st, "media_attachments"), i, a)
    {
        const char *type = str(a, "type");
        const char *kind = !type                    ? "other"
                           : !strcmp(type, "image") ? "image"
                           : !strcmp(type, "gifv")  ? "video"
                           : !strcmp(type, "video") ? "video"
                           : !strcmp(type, "audio") ? "audio"
                                                    : "other";
        const char *url = str(a, "url") ? str(a, "url") : str(a, "remote_url");
        nt_item_add_media(it, kind, url, str(a, "description"), a);
    }
    json_t *card = json_object_get(st, "card");
    if (json_is_object(card))
        nt_item_add_media(it, "link", str(card, "url"), str(card, "title"), card);
    json_t *q = json_object_get(st, "quote");
    json_t *quoted = json_object_get(q, "quoted_status");
    if (depth == 0 && json_is_object(quoted ? quoted : q))
        status_media(it, quoted ? quoted : q, 1);
}

enum nt_err nt_mastodon_item(const char *raw, size_t len, struct nt_item *it, struct nt_diag *d)
{
    memset(it, 0, sizeof(*it));
    json_error_t je;
    json_t *s = it->doc = json_loadb(raw, len, 0, &je);
    if (!s || !str(s, "id") || strspn(str(s, "id"), "0123456789") != strlen(str(s, "id")) ||
        strlen(str(s, "id")) >= 64)
        return nt_diag_set(d, NT_EINPUT, "status tidak sah: %s",
                           s ? "tanpa id berupa angka" : je.text);
    it->id = str(s, "id");
    const char *vis = str(s, "visibility");
    if (vis && strcmp(vis, "public") != 0 && strcmp(vis, "unlisted") != 0) {
        it->hidden = true;
        return NT_OK;
    }
    json_t *reblog = json_object_get(s, "reblog");
    json_t *src = json_is_object(reblog) ? reblog : s;
    char *content = nt_feed_html_text(str(src, "content"));
    const char *spoiler = str(src, "spoiler_text");
    if (spoiler && *spoiler) {
        size_t n = strlen(spoiler) + strlen(content ? content : "") + 3;
        it->text = malloc(n);
        if (it->text)
            snprintf(it->text, n, "%s\n\n%s", spoiler, content ? content : "");
        free(content);
    } else {
        it->text = content;
    }
    const char *created = str(s, "created_at"), *edited_at = str(src, "edited_at");
    const char *interaction = json_is_object(reblog)                                 ? "repost"
                              : json_is_object(json_object_get(s, "quote"))          ? "quote"
                              : json_is_string(json_object_get(s, "in_reply_to_id")) ? "reply"
                                                                                     : "post";
    /* Hashtags and mentions (no offsets: they are in the HTML). */
    const struct nt_entity_src es[] = { { json_object_get(src, "tags"), "name", "tag" },
                                        { json_object_get(src, "mentions"), "acct", "mention" } };
    it->entities = nt_crawl_entities(es, 2);
    it->p = (struct nt_evidence_post){
        .remote_id = it->id,
        .text = it->text ? it->text : "",
        .text_len = it->text ? strlen(it->text) : 0,
        .interaction = interaction,
        .url = str(src, "url") ? str(src, "url") : str(src, "uri"),
        .author = json_is_object(reblog) ? str(json_object_get(reblog, "account"), "acct") : NULL,
        .posted_at =
            created && nt_feed_date(created, it->posted, sizeof(it->posted)) ? it->posted : NULL,
        .lang = str(src, "language"),
        .raw = raw,
        .raw_len = len,
        .edited_at = edited_at && nt_feed_date(edited_at, it->edited, sizeof(it->edited))
                         ? it->edited
                         : NULL,
        .entities = it->entities,
    };
    status_media(it, src, 0);
    return NT_OK;
}

long nt_mastodon_page(const char *body, size_t len, struct nt_span *sp, long max)
{
    return nt_json_array_spans(body, len, sp, max);
}

/* One status into evidence (public and unlisted only); every listed id goes
 * into `listed`, the oldest into min_id, the newest into max_id. */
static enum nt_err store_status(struct mctx *m, const char *raw, size_t len, const char *url,
                                char *max_id, size_t max_len, char *min_id, json_t *listed,
                                struct nt_diag *d)
{
    struct nt_item it;
    enum nt_err err = nt_mastodon_item(raw, len, &it, d);
    if (!err) {
        if (!max_id[0] || nt_crawl_id_newer(it.id, max_id))
            snprintf(max_id, max_len, "%s", it.id);
        if (!min_id[0] || nt_crawl_id_newer(min_id, it.id))
            snprintf(min_id, 64, "%s", it.id);
        json_array_append_new(listed, json_string(it.id));
        it.p.request_url = url;
        if (!it.hidden)
            err = nt_crawl_store_post(m->run, m->t->account, &it.p, d);
    }
    nt_item_release(&it);
    return err;
}

static void statuses_done(struct nt_http *h, const struct nt_http_result *r, void *user)
{
    struct mctx *m = user;
    struct run *run = m->run;
    struct nt_diag d;
    static struct nt_span spans[PAGE * 4];
    (void)h;
    if (run->fatal) {
        nt_crawl_account_done(m->run, m->t, m);
        return;
    }
    if (r->err) {
        nt_crawl_failed(run, m->t, r);
        nt_crawl_account_done(m->run, m->t, m);
        return;
    }
    nt_diag_clear(&d);
    long n = nt_mastodon_page(r->body, r->body_len, spans, PAGE * 4);
    if (n < 0) {
        nt_crawl_refused(run, m->t, r, "respons Mastodon bukan daftar status JSON yang sah");
        nt_crawl_account_done(m->run, m->t, m);
        return;
    }
    char max_id[64] = "", min_id[64] = "";
    json_t *listed = json_array();
    enum nt_err err = nt_crawl_unit_begin(run, &d);
    for (long i = 0; i < n && !err; i++)
        err = store_status(m, r->body + spans[i].start, spans[i].end - spans[i].start, r->url,
                           max_id, sizeof(max_id), min_id, listed, &d);
    /* The newest page lists every status between its oldest and newest:
     * a stored one missing from that range was deleted. */
    if (!err && m->refresh && n > 0)
        err = nt_crawl_mark_missing(run, m->t->account, NT_ORDER_ID, min_id, max_id, listed, &d);
    json_decref(listed);
    /* A refresh that does not reach back to the cursor leaves a gap: fill
     * it with min_id paging from the old cursor, which only then moves. */
    bool gap = m->refresh && m->t->cursor && n == PAGE && nt_crawl_id_newer(min_id, m->t->cursor);
    if (gap)
        max_id[0] = '\0';
    if (!gap && m->refresh && m->t->cursor && !nt_crawl_id_newer(max_id, m->t->cursor))
        snprintf(max_id, sizeof(max_id), "%s", m->t->cursor);
    if (err == NT_EINPUT) {
        /* A malformed status: the page is refused whole, nothing half-stored. */
        nt_crawl_unit_abort(run);
        nt_crawl_refused(run, m->t, r, d.msg);
        nt_crawl_account_done(m->run, m->t, m);
        return;
    }
    if (!err && m->pages == 0)
        run->st->fetched++;
    if (!err)
        err = nt_crawl_save_cursor(run->s, m->t->account, m->id, max_id[0] ? max_id : NULL, &d);
    if (nt_crawl_page_end(run, m->t->account, NULL, NULL, err, &d)) {
        nt_crawl_account_done(m->run, m->t, m);
        return;
    }
    m->pages++;
    if (gap) {
        m->refresh = false;
        request_statuses(m);
        return;
    }
    /* A full page newer than the cursor: there may be more. */
    if (!m->refresh && n == PAGE && max_id[0] && m->pages < MAX_PAGES) {
        free(m->t->cursor);
        m->t->cursor = strdup(max_id);
        if (!r->link || !link_prev(m, r->link, m->next, sizeof(m->next)))
            m->next[0] = '\0';
        request_statuses(m);
        return;
    }
    /* The posts are in: whom the account follows, then the account ends. */
    struct target *t = m->t;
    char base[sizeof(m->base)], id[sizeof(m->id)];
    snprintf(base, sizeof(base), "%s", m->base);
    snprintf(id, sizeof(id), "%s", m->id);
    free(m);
    const char *at = strchr(t->account_name, '@');
    nt_crawl_follows_start(run, t, false, base, id, at ? at + 1 : NULL);
}

static void lookup_done(struct nt_http *h, const struct nt_http_result *r, void *user)
{
    struct mctx *m = user;
    (void)h;
    if (m->run->fatal) {
        nt_crawl_account_done(m->run, m->t, m);
        return;
    }
    if (r->err) {
        nt_crawl_failed(m->run, m->t, r);
        nt_crawl_account_done(m->run, m->t, m);
        return;
    }
    json_error_t je;
    json_t *a = json_loadb(r->body, r->body_len, 0, &je);
    const char *id = str(a, "id");
    if (json_is_true(json_object_get(a, "suspended"))) {
        struct nt_http_result sus = *r;
        sus.err = NT_EHTTP;
        sus.status = 0;
        sus.error = "akun Mastodon ditangguhkan (suspended)";
        json_decref(a);
        m->run->st->failed++;
        struct nt_diag sd;
        nt_diag_clear(&sd);
        enum nt_err e = nt_crawl_unit_begin(m->run, &sd);
        if (!e)
            e = nt_crawl_save_state(m->run->s, m->t->account, "suspended", NULL, NULL, sus.error,
                                    false, m->t->failures + 1, m->run->now, &sd);
        if (!e)
            e = nt_crawl_unit_end(m->run, &sd);
        if (e) {
            nt_store_rollback(m->run->s);
            m->run->fatal = e;
            *m->run->d = sd;
        }
        nt_crawl_account_done(m->run, m->t, m);
        return;
    }
    if (!id || strlen(id) >= sizeof(m->id) || strspn(id, "0123456789") != strlen(id)) {
        struct nt_http_result bad = *r;
        bad.err = NT_EINPUT;
        bad.error = "jawaban lookup akun Mastodon tidak sah";
        nt_crawl_failed(m->run, m->t, &bad);
        json_decref(a);
        nt_crawl_account_done(m->run, m->t, m);
        return;
    }
    snprintf(m->id, sizeof(m->id), "%s", id);
    json_decref(a);
    request_statuses(m);
}

bool nt_crawl_mastodon_start(struct run *run, struct target *t)
{
    struct mctx *m = calloc(1, sizeof(*m));
    const char *at = strchr(t->account_name, '@');
    if (!m || !at) {
        nt_crawl_start_failed(run, t, m, m ? NT_EINPUT : NT_ENOMEM,
                              m ? "akun Mastodon harus berbentuk nama@server"
                                : "memori tidak cukup");
        return true;
    }
    if (strcmp(t->url, t->account_name) != 0) /* an endpoint was configured */
        snprintf(m->base, sizeof(m->base), "%s", t->url);
    else
        snprintf(m->base, sizeof(m->base), "https://%s", at + 1);
    m->run = run;
    m->t = t;
    m->refresh = true; /* every crawl starts with the newest page */
    if (t->remote_id && strspn(t->remote_id, "0123456789") == strlen(t->remote_id)) {
        snprintf(m->id, sizeof(m->id), "%s", t->remote_id);
        request_statuses(m);
        return true;
    }
    char url[1024];
    struct nt_diag d;
    snprintf(url, sizeof(url), "%s/api/v1/accounts/lookup?acct=%.*s", m->base,
             (int)(at - t->account_name), t->account_name);
    struct nt_http_request req = { .url = url };
    nt_diag_clear(&d);
    if (nt_http_get(run->h, &req, lookup_done, m, &d) != NT_OK) {
        struct nt_http_result fake = { .url = url, .err = NT_EINPUT, .error = d.msg };
        nt_crawl_failed(run, t, &fake);
        nt_crawl_account_done(m->run, m->t, m);
    }
    return true;
}
