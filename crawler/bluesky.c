/*
 * bluesky.c - the Bluesky source: app.bsky.feed.getAuthorFeed on the public
 * AppView (no authentication), newest first, paging by cursor until a post
 * seen in an earlier crawl is reached. Posts, reposts (reasonRepost: the
 * original's text and author), replies and quotes; each feed item kept as
 * the exact bytes it arrived as. The newest post seen is the cursor. Then
 * whom the actor follows (follows.c).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "internal.h"

#define PAGE      50
#define MAX_PAGES 20
#define APPVIEW   "https://public.api.bsky.app"

struct bctx {
    struct run *run;
    struct target *t;
    char base[512];
    char actor[300];
    char newest[600]; /* id of the newest item of this crawl */
    int pages;
};

static void page_done(struct nt_http *h, const struct nt_http_result *r, void *user);

static void request_page(struct bctx *b, const char *cursor)
{
    char url[2048];
    struct nt_diag d;
    int n = snprintf(url, sizeof(url), "%s/xrpc/app.bsky.feed.getAuthorFeed?actor=%s&limit=%d",
                     b->base, b->actor, PAGE);
    if (cursor && n > 0 && (size_t)n + 8 < sizeof(url)) {
        /* Cursors are opaque: percent-encoded. */
        size_t o = (size_t)n + (size_t)snprintf(url + n, sizeof(url) - (size_t)n, "&cursor=");
        nt_crawl_url_escape(url, sizeof(url), o, cursor);
    }
    struct nt_http_request req = { .url = url };
    nt_diag_clear(&d);
    if (nt_http_get(b->run->h, &req, page_done, b, &d) != NT_OK) {
        struct nt_http_result fake = { .url = url, .err = NT_EINPUT, .error = d.msg };
        nt_crawl_failed(b->run, b->t, &fake);
        nt_crawl_account_done(b->run, b->t, b);
    }
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/*
 * The record's facets as entities: mentions (DID), links (full URI, while
 * the text often shows a shortened one) and hashtags. Byte ranges are
 * UTF-8 offsets into the text, end exclusive; a facet whose range is out of
 * the text or splits a character is left out (the raw item keeps it).
 * Returns a JSON string to free, or NULL when there are none.
 */
static char *facet_entities(json_t *record, const char *text, size_t len)
{
    json_t *facets = json_object_get(record, "facets"), *f, *out = NULL;
    size_t i;
    json_array_foreach(facets, i, f)
    {
        json_t *index = json_object_get(f, "index"), *feat;
        json_int_t s = json_integer_value(json_object_get(index, "byteStart"));
        json_int_t e = json_integer_value(json_object_get(index, "byteEnd"));
        if (!json_is_integer(json_object_get(index, "byteStart")) ||
            !json_is_integer(json_object_get(index, "byteEnd")) || s < 0 || e <= s ||
            (size_t)e > len || (text[s] & 0xC0) == 0x80 ||
            ((size_t)e < len && (text[e] & 0xC0) == 0x80))
            continue;
        size_t k;
        json_array_foreach(json_object_get(f, "features"), k, feat)
        {
            const char *type = str(feat, "$type"), *kind = NULL, *value = NULL;
            if (!type)
                continue;
            if (strstr(type, "#mention"))
                kind = "mention", value = str(feat, "did");
            else if (strstr(type, "#link"))
                kind = "link", value = str(feat, "uri");
            else if (strstr(type, "#tag"))
                kind = "tag", value = str(feat, "tag");
            if (!kind || !value)
                continue;
            if (!out)
                out = json_array();
            json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I}", "type", kind, "value",
                                                 value, "start", s, "end", e));
        }
    }
    char *s = out ? json_dumps(out, JSON_COMPACT) : NULL;
    json_decref(out);
    return s;
}

/* A post's embed as the AppView shows it (the #view forms): images with
 * their alt text, a video's playlist, a link card, and the images of a
 * quoted post (record, recordWithMedia), one level deep. */
static void embed_media(struct nt_item *it, json_t *embed, int depth)
{
    const char *type = str(embed, "$type");
    json_t *v;
    size_t i;
    if (!type || depth > 1)
        return;
    if (strstr(type, "embed.images")) {
        json_array_foreach(json_object_get(embed, "images"), i, v)
            nt_item_add_media(it, "image", str(v, "fullsize"), str(v, "alt"), v);
    } else if (strstr(type, "embed.video")) {
        nt_item_add_media(it, "video", str(embed, "playlist"), str(embed, "alt"), embed);
    } else if (strstr(type, "embed.external")) {
        json_t *ext = json_object_get(embed, "external");
        nt_item_add_media(it, "link", str(ext, "uri"), str(ext, "title"), ext);
    } else if (strstr(type, "embed.recordWithMedia")) {
        embed_media(it, json_object_get(embed, "media"), depth);
        json_array_foreach(
            json_object_get(json_object_get(json_object_get(embed, "record"), "record"), "embeds"),
            i, v) embed_media(it, v, depth + 1);
    } else if (strstr(type, "embed.record")) {
        json_array_foreach(json_object_get(json_object_get(embed, "record"), "embeds"), i, v)
            embed_media(it, v, depth + 1);
    }
}

enum nt_err nt_bluesky_item(const char *raw, size_t len, struct nt_item *it, struct nt_diag *d)
{
    memset(it, 0, sizeof(*it));
    json_error_t je;
    json_t *root = it->doc = json_loadb(raw, len, 0, &je);
    json_t *post = json_object_get(root, "post"), *reason = json_object_get(root, "reason");
    json_t *record = json_object_get(post, "record");
    const char *uri = str(post, "uri");
    if (!root || !uri || !json_is_object(record))
        return nt_diag_set(d, NT_EINPUT, "item feed Bluesky tidak sah: %s",
                           root ? "tanpa post.uri atau record" : je.text);
    bool repost =
        reason && str(reason, "$type") && strstr(str(reason, "$type"), "reasonRepost") != NULL;
    snprintf(it->idbuf, sizeof(it->idbuf), "%s%s", uri, repost ? "#repost" : "");
    it->id = it->idbuf;
    json_t *embed = json_object_get(record, "embed");
    const char *etype = str(embed, "$type");
    const char *interaction = repost                                             ? "repost"
                              : json_is_object(json_object_get(record, "reply")) ? "reply"
                              : etype && strstr(etype, "embed.record")           ? "quote"
                                                                                 : "post";
    const char *created = str(record, "createdAt");
    /* The feed is ordered by the server's indexedAt (of the repost, for
     * reposts): that is the listing order, unlike the client-set createdAt. */
    const char *key = repost ? str(reason, "indexedAt") : str(post, "indexedAt");
    it->order = key && strlen(key) < 40 ? key : NULL;
    /* https://bsky.app/profile/HANDLE/post/RKEY */
    const char *rkey = strrchr(uri, '/');
    json_t *author = json_object_get(post, "author");
    if (rkey && str(author, "handle"))
        snprintf(it->link, sizeof(it->link), "https://bsky.app/profile/%s/post/%s",
                 str(author, "handle"), rkey + 1);
    const char *text = str(record, "text");
    it->p = (struct nt_evidence_post){
        .remote_id = it->id,
        .text = text ? text : "",
        .text_len = text ? strlen(text) : 0,
        .interaction = interaction,
        .url = it->link[0] ? it->link : NULL,
        .author = repost ? str(author, "handle") : NULL,
        .posted_at =
            created && nt_feed_date(created, it->posted, sizeof(it->posted)) ? it->posted : NULL,
        .lang = json_is_array(json_object_get(record, "langs"))
                    ? json_string_value(json_array_get(json_object_get(record, "langs"), 0))
                    : NULL,
        .raw = raw,
        .raw_len = len,
        .sort_key = key,
    };
    it->entities = facet_entities(record, it->p.text, it->p.text_len);
    embed_media(it, json_object_get(post, "embed"), 0);
    it->p.entities = it->entities;
    return NT_OK;
}

long nt_bluesky_page(const char *body, size_t len, struct nt_span *sp, long max)
{
    return nt_json_member_spans(body, len, "feed", -1, sp, (size_t)max);
}

/* Store one feed item; *known set when it was already stored before. */
static enum nt_err store_item(struct bctx *b, const char *raw, size_t len, const char *url,
                              bool *known, json_t *listed, char *lo, char *hi, struct nt_diag *d)
{
    struct nt_item it;
    enum nt_err err = nt_bluesky_item(raw, len, &it, d);
    if (err) {
        nt_item_release(&it);
        return err;
    }
    if (!b->newest[0])
        snprintf(b->newest, sizeof(b->newest), "%s", it.id);
    json_array_append_new(listed, json_string(it.id));
    if (b->t->cursor && strcmp(b->t->cursor, it.id) == 0) {
        *known = true;
        nt_item_release(&it);
        return NT_OK;
    }
    if (it.order) {
        if (!lo[0] || strcmp(it.order, lo) < 0)
            snprintf(lo, 40, "%s", it.order);
        if (!hi[0] || strcmp(it.order, hi) > 0)
            snprintf(hi, 40, "%s", it.order);
    }
    it.p.request_url = url;
    err = nt_crawl_store_post(b->run, b->t->account, &it.p, d);
    nt_item_release(&it);
    return err;
}

static void page_done(struct nt_http *h, const struct nt_http_result *r, void *user)
{
    struct bctx *b = user;
    struct run *run = b->run;
    static struct nt_span spans[PAGE * 4];
    struct nt_span cur;
    struct nt_diag d;
    (void)h;
    if (run->fatal) {
        nt_crawl_account_done(b->run, b->t, b);
        return;
    }
    if (r->err) {
        nt_crawl_failed(run, b->t, r);
        nt_crawl_account_done(b->run, b->t, b);
        return;
    }
    nt_diag_clear(&d);
    long n = nt_bluesky_page(r->body, r->body_len, spans, PAGE * 4);
    if (n < 0) {
        nt_crawl_refused(run, b->t, r, "respons Bluesky tanpa daftar feed yang sah");
        nt_crawl_account_done(b->run, b->t, b);
        return;
    }
    bool known = false;
    json_t *listed = json_array();
    char lo[40] = "", hi[40] = "";
    enum nt_err err = nt_crawl_unit_begin(run, &d);
    /* The newest page is read whole (for deletions); older pages only down
     * to the known post. */
    for (long i = 0; i < n && !err && (!known || b->pages == 0); i++)
        err = store_item(b, r->body + spans[i].start, spans[i].end - spans[i].start, r->url, &known,
                         listed, lo, hi, &d);
    /* The newest page lists everything the actor posted or reposted in its
     * indexedAt range: a stored post in that range missing from it is gone. */
    if (!err && b->pages == 0)
        err = nt_crawl_mark_missing(run, b->t->account, NT_ORDER_SORT_KEY, lo, hi, listed, &d);
    json_decref(listed);
    if (err == NT_EINPUT) {
        nt_crawl_unit_abort(run);
        nt_crawl_refused(run, b->t, r, d.msg);
        nt_crawl_account_done(b->run, b->t, b);
        return;
    }
    if (!err && b->pages == 0)
        run->st->fetched++;
    /* The cursor moves to this crawl's newest post only when the walk down
     * to the known post is complete (or there was none): an interrupted
     * crawl walks again from the top next time, storing nothing twice. */
    char next[600] = "";
    json_t *root = NULL;
    if (nt_json_member(r->body, r->body_len, "cursor", &cur) && !known && n == PAGE &&
        b->t->cursor && b->pages + 1 < MAX_PAGES) {
        root = json_loadb(r->body + cur.start, cur.end - cur.start, JSON_DECODE_ANY, NULL);
        if (json_is_string(root))
            snprintf(next, sizeof(next), "%s", json_string_value(root));
        json_decref(root);
    }
    bool done = !next[0];
    if (!err)
        err = nt_crawl_save_cursor(run->s, b->t->account, b->actor,
                                   done && b->newest[0] ? b->newest : NULL, &d);
    if (nt_crawl_page_end(run, b->t->account, NULL, NULL, err, &d)) {
        nt_crawl_account_done(b->run, b->t, b);
        return;
    }
    b->pages++;
    if (!done) {
        request_page(b, next);
        return;
    }
    /* The posts are in: whom the actor follows, then the account ends. */
    struct target *t = b->t;
    char base[sizeof(b->base)], actor[sizeof(b->actor)];
    snprintf(base, sizeof(base), "%s", b->base);
    snprintf(actor, sizeof(actor), "%s", b->actor);
    free(b);
    nt_crawl_follows_start(run, t, true, base, actor, NULL);
}

bool nt_crawl_bluesky_start(struct run *run, struct target *t)
{
    struct bctx *b = calloc(1, sizeof(*b));
    if (!b) {
        nt_crawl_start_failed(run, t, NULL, NT_ENOMEM, "memori tidak cukup");
        return true;
    }
    b->run = run;
    b->t = t;
    snprintf(b->base, sizeof(b->base), "%s",
             strcmp(t->url, t->account_name) != 0 ? t->url : APPVIEW);
    snprintf(b->actor, sizeof(b->actor), "%s", t->account_name);
    request_page(b, NULL);
    return true;
}
