/*
 * crawl.h - `netra crawl`: fetch every active account's public posts and
 * keep them as evidence.
 *
 * Each account is fetched through the HTTP engine; its posts and its new
 * crawl state (ETag, Last-Modified, cursor, last success, state) are
 * committed in one transaction, so a crawl killed at any moment and started
 * again stores exactly what a clean run would: nothing twice, nothing lost.
 * Coverage is kept per account: last success, last error, consecutive
 * failures and a state (ok, not_found, rate_limited, error, skipped).
 *
 * Sources: feeds (RSS, RDF, Atom, JSON Feed), Mastodon, Bluesky, and X
 * (API v2, with a bearer token; without one X accounts are skipped with a
 * notice and marked "skipped").
 */
#ifndef NT_CRAWL_CRAWL_H
#define NT_CRAWL_CRAWL_H

#include <stdbool.h>
#include <time.h>

#include "http.h"
#include "store.h"
#include "stored_hook.h"

struct nt_crawl_stats;

struct nt_crawl_opts {
    struct nt_http_config http;
    const char *platform; /* only this platform, or NULL */
    const char *account;  /* only this account (as registered), or NULL */
    bool all; /* also accounts waiting after failures (next_attempt_at later than now) */
    const char *url_prefix; /* only accounts fetched from URLs with this prefix, or NULL */
    const char *x_token;    /* X API v2 bearer token; NULL skips X accounts */
    /* Hosts besides api.x.com an account's endpoint may name and still be
     * sent the token (comma-separated: a mirror, a test server); NULL: none. */
    const char *x_token_hosts;
    time_t now;
    /* Called about 4 times a second while the crawl runs, and once at the
     * end, with the counts so far (a terminal progress line). */
    void (*progress)(void *user, const struct nt_crawl_stats *st);
    void *progress_user;
    /* Runs in each account's transaction for every post version stored. */
    struct nt_stored_hook stored;
    /* Attachments: images fetched (up to image_max bytes each) unless
     * `no_images`; videos and audio fetched up to video_max bytes, or only
     * recorded by URL and metadata when video_max is 0. The type is sniffed
     * from the bytes, never taken from the server's header. */
    struct nt_crawl_media {
        bool no_images;
        size_t image_max, video_max; /* 0: NT_CRAWL_IMAGE_MAX; 0: record videos only */
    } media;
    bool no_follows; /* do not read whom the accounts follow */
    /* > 0: several crawl processes share the registry: an account is
     * crawled only under a lease of this many seconds (taken in its own
     * committed transaction), and one another process finished since this
     * crawl began is left alone. */
    double lease_s;
};
#define NT_CRAWL_IMAGE_MAX (10u * 1024 * 1024)

struct nt_crawl_stats {
    size_t accounts; /* accounts considered */
    size_t fetched;  /* fetched with new content */
    size_t not_modified;
    size_t failed;
    size_t unsupported; /* platforms without a source yet */
    size_t posts_added, posts_edited, posts_unchanged;
    size_t posts_deleted; /* no longer listed where the source would list them */
    size_t cancelled;     /* accounts not fetched because the crawl was stopped */
    size_t total;         /* accounts selected for this crawl */
    size_t deferred;      /* failing accounts not yet due again (not in total) */
    size_t rate_limited;  /* server answers that made the crawler wait (429, quotas) */
    size_t media_stored;  /* attachments fetched and kept */
    size_t media_shared;  /* of them, bytes already kept for another post (by SHA-256) */
    size_t media_refused; /* not an image/video, too large, a private address */
    size_t media_failed;  /* fetches that failed (tried again by a later crawl, 3 times) */
    size_t follows_new;   /* accounts followed, first seen */
    size_t follows_gone;  /* follows a complete listing no longer has (unfollows) */
    size_t elsewhere;     /* leased: in progress or done in another crawl process */
};

/* Accounts finished so far (fetched, not modified, failed, skipped, cancelled). */
size_t nt_crawl_done(const struct nt_crawl_stats *st);

enum nt_err nt_crawl_run(struct nt_store *s, const struct nt_crawl_opts *o,
                         struct nt_crawl_stats *st, struct nt_diag *d);

#endif
