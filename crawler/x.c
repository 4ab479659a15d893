/*
 * x.c - the X source (API v2, bearer token from the configuration): the user
 * id once (/2/users/by/username/:name), then /2/users/:id/tweets newer than
 * the cursor (since_id), following pagination_token. Retweets, quotes and
 * replies from referenced_tweets; each tweet kept as the exact bytes it
 * arrived as. Without a token, X accounts are skipped with a notice.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed.h"
#include "internal.h"

#define PAGE      100
#define MAX_PAGES 10
#define XAPI      "https://api.x.com"

struct xctx {
    struct run *run;
    struct target *t;
    char base[512];
    char id[64];
    char newest[64];
    int pages;
    bool refresh; /* the newest page, without since_id */
};

static void tweets_done(struct nt_http *h, const struct nt_http_result *r, void *user);

/* May the bearer token go to the host of `base`? api.x.com always; another
 * host (an endpoint an imported CSV names) only when the operator listed it
 * in x_token_hosts. A token is a credential: it never follows a CSV. */
static bool token_host_allowed(const char *base, const char *allowed, char *host, size_t n)
{
    const char *p = strstr(base, "://");
    p = p ? p + 3 : base;
    size_t l = strcspn(p, ":/?#");
    snprintf(host, n, "%.*s", (int)(l < n ? l : n - 1), p);
    if (strcmp(base, XAPI) == 0)
        return true;
    for (const char *a = allowed; a && *a;) {
        size_t k = strcspn(a, ",");
        if (k == strlen(host) && strncasecmp(a, host, k) == 0)
            return true;
        a += k + (a[k] == ',');
    }
    return false;
}

static void get(struct xctx *x, const char *url, nt_http_done_fn fn)
{
    char auth[600];
    struct nt_diag d;
    snprintf(auth, sizeof(auth), "Bearer %s", x->run->o->x_token);
    struct nt_http_request req = { .url = url, .authorization = auth };
    nt_diag_clear(&d);
    if (nt_http_get(x->run->h, &req, fn, x, &d) != NT_OK) {
        struct nt_http_result fake = { .url = url, .err = NT_EINPUT, .error = d.msg };
        nt_crawl_failed(x->run, x->t, &fake);
        nt_crawl_account_done(x->run, x->t, x);
    }
}

static void request_tweets(struct xctx *x, const char *token)
{
    char url[1024];
    int n = snprintf(url, sizeof(url),
                     "%s/2/users/%s/tweets?max_results=%d&tweet.fields=created_at,lang,"
                     "referenced_tweets,attachments&expansions=attachments.media_keys&"
                     "media.fields=url,preview_image_url,alt_text,type",
                     x->base, x->id, PAGE);
    if (x->t->cursor && !x->refresh && n > 0 && (size_t)n < sizeof(url))
        n += snprintf(url + n, sizeof(url) - (size_t)n, "&since_id=%s", x->t->cursor);
    if (token && n > 0 && (size_t)n < sizeof(url))
        snprintf(url + n, sizeof(url) - (size_t)n, "&pagination_token=%s", token);
    get(x, url, tweets_done);
}

static bool digits(const char *s)
{
    return s && *s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 40;
}

enum nt_err nt_x_item(const char *raw, size_t len, const char *account_name, struct nt_item *it,
                      struct nt_diag *d)
{
    memset(it, 0, sizeof(*it));
    json_error_t je;
    json_t *tw = it->doc = json_loadb(raw, len, 0, &je);
    const char *id = json_string_value(json_object_get(tw, "id"));
    const char *text = json_string_value(json_object_get(tw, "text"));
    if (!digits(id) || !text)
        return nt_diag_set(d, NT_EINPUT, "tweet tidak sah: %s",
                           tw ? "tanpa id atau text" : je.text);
    it->id = id;
    const char *interaction = "post";
    size_t i;
    json_t *ref;
    json_array_foreach(json_object_get(tw, "referenced_tweets"), i, ref)
    {
        const char *type = json_string_value(json_object_get(ref, "type"));
        if (type && strcmp(type, "retweeted") == 0)
            interaction = "repost";
        else if (type && strcmp(type, "quoted") == 0 && strcmp(interaction, "repost") != 0)
            interaction = "quote";
        else if (type && strcmp(type, "replied_to") == 0 && strcmp(interaction, "post") == 0)
            interaction = "reply";
    }
    snprintf(it->link, sizeof(it->link), "https://x.com/%s/status/%s", account_name, id);
    const char *created = json_string_value(json_object_get(tw, "created_at"));
    /* Hashtags, mentions and links with their full address (the text has
     * t.co links). Offsets are left out: their unit is not byte-based. */
    json_t *ent = json_object_get(tw, "entities");
    const struct nt_entity_src es[] = { { json_object_get(ent, "hashtags"), "tag", "tag" },
                                        { json_object_get(ent, "mentions"), "username", "mention" },
                                        { json_object_get(ent, "urls"), "expanded_url", "link" } };
    it->entities = nt_crawl_entities(es, 3);
    it->p = (struct nt_evidence_post){
        .remote_id = id,
        .text = text,
        .text_len = strlen(text),
        .interaction = interaction,
        .url = it->link,
        .posted_at =
            created && nt_feed_date(created, it->posted, sizeof(it->posted)) ? it->posted : NULL,
        .lang = json_string_value(json_object_get(tw, "lang")),
        .raw = raw,
        .raw_len = len,
        .entities = it->entities,
    };
    return NT_OK;
}

json_t *nt_x_page_media(const char *body, size_t len)
{
    struct nt_span sp;
    json_t *by_key = json_object(), *inc = NULL, *m;
    size_t i;
    if (by_key && nt_json_member(body, len, "includes", &sp))
        inc = json_loadb(body + sp.start, sp.end - sp.start, 0, NULL);
    json_array_foreach(json_object_get(inc, "media"), i, m)
    {
        const char *key = json_string_value(json_object_get(m, "media_key"));
        if (key && json_is_object(m))
            json_object_set(by_key, key, m);
    }
    json_decref(inc);
    return by_key;
}

void nt_x_item_media(struct nt_item *it, json_t *by_key)
{
    json_t *k;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(it->doc, "attachments"), "media_keys"), i, k)
    {
        json_t *m = json_object_get(by_key, json_string_value(k) ? json_string_value(k) : "");
        const char *type = json_string_value(json_object_get(m, "type"));
        const char *url = json_string_value(json_object_get(m, "url"));
        bool photo = type && strcmp(type, "photo") == 0;
        /* Videos come with a preview image only: recorded by it. */
        nt_item_add_media(it, photo ? "image" : "video",
                          url ? url : json_string_value(json_object_get(m, "preview_image_url")),
                          json_string_value(json_object_get(m, "alt_text")), m);
    }
}

long nt_x_page(const char *body, size_t len, struct nt_span *sp, long max)
{
    /* A page with nothing new has meta only: no items. */
    return nt_json_member_spans(body, len, "data", 0, sp, (size_t)max);
}

static enum nt_err store_tweet(struct xctx *x, const char *raw, size_t len, const char *url,
                               json_t *media, json_t *listed, char *lo, char *hi, struct nt_diag *d)
{
    struct nt_item it;
    enum nt_err err = nt_x_item(raw, len, x->t->account_name, &it, d);
    if (!err) {
        nt_x_item_media(&it, media);
        json_array_append_new(listed, json_string(it.id));
        if (!lo[0] || nt_crawl_id_newer(lo, it.id))
            snprintf(lo, 64, "%s", it.id);
        if (!hi[0] || nt_crawl_id_newer(it.id, hi))
            snprintf(hi, 64, "%s", it.id);
        it.p.request_url = url;
        err = nt_crawl_store_post(x->run, x->t->account, &it.p, d);
    }
    nt_item_release(&it);
    return err;
}

static void tweets_done(struct nt_http *h, const struct nt_http_result *r, void *user)
{
    struct xctx *x = user;
    struct run *run = x->run;
    static struct nt_span spans[PAGE * 2];
    struct nt_span meta;
    struct nt_diag d;
    (void)h;
    if (run->fatal) {
        nt_crawl_account_done(x->run, x->t, x);
        return;
    }
    if (r->err) {
        nt_crawl_failed(run, x->t, r);
        nt_crawl_account_done(x->run, x->t, x);
        return;
    }
    nt_diag_clear(&d);
    long n = nt_x_page(r->body, r->body_len, spans, PAGE * 2);
    json_t *m = nt_json_member(r->body, r->body_len, "meta", &meta)
                    ? json_loadb(r->body + meta.start, meta.end - meta.start, 0, NULL)
                    : NULL;
    if (n < 0 || !json_is_object(m)) {
        json_decref(m);
        nt_crawl_refused(run, x->t, r, "respons X tanpa data/meta yang sah");
        nt_crawl_account_done(x->run, x->t, x);
        return;
    }
    const char *newest = json_string_value(json_object_get(m, "newest_id"));
    const char *token = json_string_value(json_object_get(m, "next_token"));
    if (digits(newest) && (!x->newest[0] || nt_crawl_id_newer(newest, x->newest)))
        snprintf(x->newest, sizeof(x->newest), "%s", newest);
    char next[200] = "";
    if (token && strlen(token) < sizeof(next) &&
        strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "abcdefghijklmnopqrstuvwxyz"
                      "0123456789-_") == strlen(token) &&
        x->pages + 1 < MAX_PAGES)
        snprintf(next, sizeof(next), "%s", token);
    json_decref(m);

    json_t *listed = json_array(), *media = nt_x_page_media(r->body, r->body_len);
    char lo[64] = "", hi[64] = "";
    enum nt_err err = nt_crawl_unit_begin(run, &d);
    for (long i = 0; i < n && !err; i++)
        err = store_tweet(x, r->body + spans[i].start, spans[i].end - spans[i].start, r->url, media,
                          listed, lo, hi, &d);
    /* The newest page lists every tweet between its oldest and newest. */
    if (!err && x->refresh && n > 0)
        err = nt_crawl_mark_missing(run, x->t->account, NT_ORDER_ID, lo, hi, listed, &d);
    json_decref(listed);
    json_decref(media);
    /* A refresh that does not reach back to the cursor leaves a gap: page
     * with since_id from the old cursor before it moves. */
    bool gap = x->refresh && x->t->cursor && n == PAGE && nt_crawl_id_newer(lo, x->t->cursor);
    if (x->refresh) {
        x->refresh = false;
        next[0] = '\0';
        if (gap)
            snprintf(next, sizeof(next), "%s", "-"); /* marker: start the since_id query */
    }
    if (err == NT_EINPUT) {
        nt_crawl_unit_abort(run);
        nt_crawl_refused(run, x->t, r, d.msg);
        nt_crawl_account_done(x->run, x->t, x);
        return;
    }
    if (!err && x->pages == 0)
        run->st->fetched++;
    /* The cursor moves only when every page since the last cursor is in. */
    bool done = !next[0];
    if (!err)
        err = nt_crawl_save_cursor(
            run->s, x->t->account, x->id,
            done && x->newest[0] && (!x->t->cursor || nt_crawl_id_newer(x->newest, x->t->cursor))
                ? x->newest
                : NULL,
            &d);
    if (nt_crawl_page_end(run, x->t->account, NULL, NULL, err, &d)) {
        nt_crawl_account_done(x->run, x->t, x);
        return;
    }
    x->pages++;
    if (!done) {
        request_tweets(x, strcmp(next, "-") == 0 ? NULL : next);
        return;
    }
    nt_crawl_account_done(x->run, x->t, x);
}

static void user_done(struct nt_http *h, const struct nt_http_result *r, void *user)
{
    struct xctx *x = user;
    (void)h;
    if (x->run->fatal) {
        nt_crawl_account_done(x->run, x->t, x);
        return;
    }
    if (r->err) {
        nt_crawl_failed(x->run, x->t, r);
        nt_crawl_account_done(x->run, x->t, x);
        return;
    }
    json_t *u = json_loadb(r->body, r->body_len, 0, NULL);
    const char *id = json_string_value(json_object_get(json_object_get(u, "data"), "id"));
    if (!digits(id)) {
        struct nt_http_result bad = *r;
        bad.err = NT_EHTTP;
        bad.status = 404;
        bad.error = "pengguna X tidak ditemukan";
        json_decref(u);
        nt_crawl_failed(x->run, x->t, &bad);
        nt_crawl_account_done(x->run, x->t, x);
        return;
    }
    snprintf(x->id, sizeof(x->id), "%s", id);
    json_decref(u);
    request_tweets(x, NULL);
}

bool nt_crawl_x_start(struct run *run, struct target *t)
{
    if (!run->o->x_token || !*run->o->x_token)
        return false;
    struct xctx *x = calloc(1, sizeof(*x));
    if (!x) {
        nt_crawl_start_failed(run, t, NULL, NT_ENOMEM, "memori tidak cukup");
        return true;
    }
    x->run = run;
    x->t = t;
    x->refresh = true; /* every crawl starts with the newest page */
    snprintf(x->base, sizeof(x->base), "%s", strcmp(t->url, t->account_name) != 0 ? t->url : XAPI);
    char host[256], why[400];
    if (!token_host_allowed(x->base, run->o->x_token_hosts, host, sizeof(host))) {
        snprintf(why, sizeof(why),
                 "token API X tidak dikirim ke %s (bukan api.x.com; tambahkan ke x_token_hosts "
                 "bila memang cermin yang dipercaya)",
                 host);
        nt_crawl_start_failed(run, t, x, NT_EBLOCKED, why);
        return true;
    }
    if (digits(t->remote_id)) {
        snprintf(x->id, sizeof(x->id), "%s", t->remote_id);
        request_tweets(x, NULL);
        return true;
    }
    char url[1024];
    snprintf(url, sizeof(url), "%s/2/users/by/username/%s", x->base, t->account_name);
    get(x, url, user_done);
    return true;
}
