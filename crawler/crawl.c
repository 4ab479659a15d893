/*
 * crawl.c - the crawl job: accounts from the registry, requests through the
 * HTTP engine, posts through the evidence writer, one transaction per
 * account for its posts and its state.
 */
#include "crawl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "evidence.h"
#include "feed.h"
#include "internal.h"

static void feed_done(struct nt_http *h, const struct nt_http_result *r, void *user)
{
    struct pending *p = user;
    struct run *run = p->run;
    struct target *t = p->t;
    struct nt_feed *f = NULL;
    struct nt_diag d;
    (void)h;
    free(p);
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
            };
            err = nt_crawl_store_post(run, t->account, &ep, &d);
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

static void targets_release(struct target *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].platform);
        free(t[i].account_name);
        free(t[i].url);
        free(t[i].etag);
        free(t[i].last_modified);
        free(t[i].cursor);
        free(t[i].remote_id);
    }
    free(t);
}

static char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    return v ? strdup((const char *)v) : NULL;
}

size_t nt_crawl_done(const struct nt_crawl_stats *st)
{
    return st->fetched + st->not_modified + st->failed + st->unsupported + st->cancelled;
}

/* The HTTP engine's loop: report progress a few times a second. */
static void tick(void *user)
{
    struct run *run = user;
    struct timespec ts;
    if (!run->o->progress)
        return;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double t = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    if (t - run->last_tick < 0.25)
        return;
    run->last_tick = t;
    run->st->rate_limited = nt_http_rate_limited(run->h);
    run->o->progress(run->o->progress_user, run->st);
}

enum nt_err nt_crawl_run(struct nt_store *s, const struct nt_crawl_opts *o,
                         struct nt_crawl_stats *stats, struct nt_diag *d)
{
    struct run run = { .s = s, .o = o, .st = stats, .d = d };
    struct target *targets = NULL;
    size_t n = 0, cap = 0;
    struct nt_http *h = NULL;
    sqlite3_stmt *st = NULL;
    enum nt_err err;

    memset(stats, 0, sizeof(*stats));
    nt_time_iso(o->now, run.now, sizeof(run.now));
    err = nt_store_prepare(
        s,
        "SELECT a.id, a.platform, a.account, a.endpoint, c.etag, "
        "c.last_modified, COALESCE(c.consecutive_failures, 0), c.cursor, c.remote_id, "
        "c.next_attempt_at "
        "FROM accounts a JOIN employees e ON e.id = a.employee_id "
        "LEFT JOIN crawl_state c ON c.account_id = a.id "
        "WHERE a.active = 1 AND e.active = 1 AND (?1 IS NULL OR a.platform = ?1) "
        "AND (?2 IS NULL OR a.account = ?2) "

        "ORDER BY a.id",
        &st, d);
    if (err)
        return err;
    if (o->platform)
        sqlite3_bind_text(st, 1, o->platform, -1, SQLITE_STATIC);
    if (o->account)
        sqlite3_bind_text(st, 2, o->account, -1, SQLITE_STATIC);

    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct target *t = realloc(targets, cap * sizeof(*t));
            if (!t) {
                err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
                goto out;
            }
            targets = t;
        }
        const unsigned char *url =
            sqlite3_column_text(st, 3) ? sqlite3_column_text(st, 3) : sqlite3_column_text(st, 2);
        if (o->url_prefix && strncmp((const char *)url, o->url_prefix, strlen(o->url_prefix)))
            continue;
        /* Failing accounts wait (backoff in crawl_state.next_attempt_at)
         * unless asked for by name or with `all`. */
        const char *next = (const char *)sqlite3_column_text(st, 9);
        if (!o->all && !o->account && next && strcmp(next, run.now) > 0) {
            stats->deferred++;
            continue;
        }
        struct target *t = &targets[n++];
        t->account = sqlite3_column_int64(st, 0);
        t->platform = col(st, 1);
        t->url = strdup((const char *)url);
        t->account_name = col(st, 2);
        t->etag = col(st, 4);
        t->last_modified = col(st, 5);
        t->failures = sqlite3_column_int(st, 6);
        t->cursor = col(st, 7);
        t->remote_id = col(st, 8);
    }
    sqlite3_finalize(st);
    st = NULL;
    stats->total = n;

    struct nt_http_config cfg = o->http;
    cfg.tick = tick;
    cfg.tick_user = &run;
    err = nt_evidence_new(s, &run.ev, d);
    if (!err)
        err = nt_http_new(&cfg, &h, d);
    run.h = h;
    for (size_t i = 0; i < n && !err; i++) {
        struct target *t = &targets[i];
        stats->accounts++;
        if (strcmp(t->platform, "mastodon") == 0) {
            nt_crawl_mastodon_start(&run, t);
            continue;
        }
        if (strcmp(t->platform, "bluesky") == 0) {
            nt_crawl_bluesky_start(&run, t);
            continue;
        }
        if (strcmp(t->platform, "x") == 0) {
            if (nt_crawl_x_start(&run, t))
                continue;
            stats->unsupported++;
            err = nt_crawl_save_state(
                s, t->account, "skipped", NULL, NULL,
                "token API X belum diatur (x_bearer_token atau NETRA_X_BEARER_TOKEN)", false,
                t->failures, run.now, d);
            continue;
        }
        if (strcmp(t->platform, "feed") != 0) {
            stats->unsupported++;
            err = nt_crawl_save_state(s, t->account, "skipped", NULL, NULL,
                                      "sumber platform ini belum didukung", false, t->failures,
                                      run.now, d);
            continue;
        }
        struct pending *p = malloc(sizeof(*p));
        if (!p) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            break;
        }
        p->run = &run;
        p->t = t;
        struct nt_http_request req = { .url = t->url,
                                       .if_none_match = t->etag,
                                       .if_modified_since = t->last_modified };
        struct nt_diag rd;
        nt_diag_clear(&rd);
        if (nt_http_get(h, &req, feed_done, p, &rd) != NT_OK) {
            free(p);
            stats->failed++;
            err = nt_crawl_save_state(s, t->account, "error", NULL, NULL, rd.msg, false,
                                      t->failures + 1, run.now, d);
            /* Refused by our own policy, no request made: a corrected
             * configuration applies on the next run, without backoff. */
            if (!err)
                err = nt_crawl_clear_backoff(s, t->account, d);
        }
    }
    if (!err)
        err = nt_http_run(h, d);
    if (!err && run.fatal)
        err = run.fatal;
    if (!err)
        err = nt_crawl_flush(&run, d);
    nt_store_rollback(s);
    if (h)
        stats->rate_limited = nt_http_rate_limited(h);
    if (!err && o->progress)
        o->progress(o->progress_user, stats);
out:
    sqlite3_finalize(st);
    nt_http_free(h);
    nt_evidence_free(run.ev);
    targets_release(targets, n);
    return err;
}
