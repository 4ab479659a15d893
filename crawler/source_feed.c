/*
 * source_feed.c - the RSS/RDF/Atom/JSON Feed source: one conditional GET
 * per account, the items parsed by feed.c and stored as evidence; a feed
 * that lists its items newest first with dates also says which posts are
 * gone. An entry of the crawler's source table (crawl.c).
 */
#include <curl/curl.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "feed.h"
#include "internal.h"

/* The kind of an enclosure: from the feed's MIME hint, else the name's
 * extension (the fetch sniffs the bytes whatever this says). */
static const char *enclosure_kind(const char *url, const char *type)
{
    static const struct {
        const char *prefix, *kind;
    } by_type[] = { { "image/", "image" }, { "video/", "video" }, { "audio/", "audio" } };
    static const char *const image_ext[] = { ".png", ".jpg", ".jpeg", ".gif", ".webp" };
    for (size_t i = 0; type && i < sizeof(by_type) / sizeof(by_type[0]); i++)
        if (strncasecmp(type, by_type[i].prefix, strlen(by_type[i].prefix)) == 0)
            return by_type[i].kind;
    const char *dot = strrchr(url, '.');
    for (size_t i = 0; !type && dot && i < sizeof(image_ext) / sizeof(image_ext[0]); i++)
        if (strcasecmp(dot, image_ext[i]) == 0)
            return "image";
    return "other";
}

/* The item's enclosures with their URLs resolved against the feed's (a
 * relative URL is common in feeds); urls[k] are curl_free()d by the caller.
 * Only http(s) URLs are kept. */
static size_t enclosures(const struct nt_feed_item *it, const char *base,
                         struct nt_evidence_media *out, char **urls)
{
    size_t n = 0;
    for (size_t i = 0; i < it->nenclosures; i++) {
        CURLU *u = curl_url();
        char *abs = NULL;
        if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
            curl_url_set(u, CURLUPART_URL, it->enclosures[i].url, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_URL, &abs, 0) == CURLUE_OK &&
            (strncmp(abs, "https://", 8) == 0 || strncmp(abs, "http://", 7) == 0)) {
            urls[n] = abs;
            out[n++] = (struct nt_evidence_media){ enclosure_kind(abs, it->enclosures[i].type), abs,
                                                   NULL, NULL };
        } else {
            curl_free(abs);
        }
        curl_url_cleanup(u);
    }
    return n;
}

static void feed_page(struct run *run, struct target *t, const struct nt_http_result *r)
{
    struct nt_feed *f = NULL;
    struct nt_diag d;
    if (run->fatal)
        return;
    if (r->err) {
        nt_crawl_failed(run, t, r);
        return;
    }
    nt_diag_clear(&d);
    bool not_modified = r->status == 304;
    if (!not_modified && nt_feed_parse(r->body, r->body_len, &f, &d) != NT_OK) {
        char msg[sizeof(d.msg)];
        snprintf(msg, sizeof(msg), "%s", d.msg);
        nt_crawl_refused(run, t, r, msg);
        return;
    }
    enum nt_err err = nt_crawl_unit_begin(run, &d);
    if (not_modified) {
        run->st->not_modified++;
    } else if (!err) {
        run->st->fetched++;
        json_t *listed = json_array();
        char lo[32] = "", hi[32] = "", prev[32] = "";
        bool ordered = true;
        for (size_t i = 0; i < f->nitems; i++) {
            json_array_append_new(listed, json_string(f->items[i].id));
            const char *pub = f->items[i].published;
            /* Newest first, every item dated: only then does the range
             * say what the feed must list. */
            if (!pub || (prev[0] && strcmp(pub, prev) > 0))
                ordered = false;
            if (pub)
                snprintf(prev, sizeof(prev), "%s", pub);
            if (pub && (!lo[0] || strcmp(pub, lo) < 0))
                snprintf(lo, sizeof(lo), "%s", pub);
            if (pub && (!hi[0] || strcmp(pub, hi) > 0))
                snprintf(hi, sizeof(hi), "%s", pub);
        }
        for (size_t i = 0; i < f->nitems && !err; i++) {
            const struct nt_feed_item *it = &f->items[i];
            struct nt_evidence_media media[NT_FEED_MAX_ENCLOSURES];
            char *urls[NT_FEED_MAX_ENCLOSURES];
            size_t nm = enclosures(it, r->url, media, urls);
            struct nt_evidence_post ep = {
                .remote_id = it->id,
                .text = it->text,
                .text_len = strlen(it->text),
                .interaction = "post",
                .url = it->url,
                .author = it->author,
                .posted_at = it->published,
                .raw = it->raw,
                .raw_len = it->raw_len,
                .request_url = r->url,
                .media = media,
                .nmedia = nm,
            };
            err = nt_crawl_store_post(run, t->account, &ep, &d);
            for (size_t k = 0; k < nm; k++)
                curl_free(urls[k]);
        }
        /* The feed lists everything between its oldest and newest item. */
        if (!err && ordered)
            err = nt_crawl_mark_missing(run, t->account, NT_ORDER_TIME, lo, hi, listed, &d);
        json_decref(listed);
    }
    nt_feed_free(f);
    nt_crawl_page_end(run, t->account, not_modified ? NULL : r->etag,
                      not_modified ? NULL : r->last_modified, err, &d);
}

static void feed_done(struct nt_http *h, const struct nt_http_result *r, void *user)
{
    struct pending *p = user;
    (void)h;
    feed_page(p->run, p->t, r);
    nt_crawl_account_done(p->run, p->t, p);
}

bool nt_crawl_feed_start(struct run *run, struct target *t)
{
    struct nt_diag d;
    enum nt_err err = NT_OK;
    nt_diag_clear(&d);
    struct pending *p = malloc(sizeof(*p));
    if (!p) {
        err = nt_diag_set(&d, NT_ENOMEM, "memori tidak cukup");
    } else {
        p->run = run;
        p->t = t;
        struct nt_http_request req = { .url = t->url,
                                       .if_none_match = t->etag,
                                       .if_modified_since = t->last_modified };
        struct nt_diag rd;
        nt_diag_clear(&rd);
        if (nt_http_get(run->h, &req, feed_done, p, &rd) == NT_OK)
            return true;
        free(p);
        run->st->failed++;
        err = nt_crawl_unit_begin(run, &d);
        if (!err)
            err = nt_crawl_save_state(run->s, t->account, "error", NULL, NULL, rd.msg, false,
                                      t->failures + 1, run->now, &d);
        /* Refused by our own policy, no request made: a corrected
         * configuration applies on the next run, without backoff. */
        if (!err)
            err = nt_crawl_clear_backoff(run->s, t->account, &d);
        if (!err)
            err = nt_crawl_unit_end(run, &d);
    }
    if (err && !run->fatal) {
        nt_store_rollback(run->s);
        run->fatal = err;
        *run->d = d;
    }
    nt_crawl_account_done(run, t, NULL);
    return true;
}
