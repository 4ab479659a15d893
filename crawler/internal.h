/*
 * internal.h - what the crawl job and its sources share (internal to the
 * crawler module).
 */
#ifndef NT_CRAWL_INTERNAL_H
#define NT_CRAWL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "crawl.h"
#include "evidence.h"

struct lane;
struct feeder;
struct nt_span;

/* One account to crawl, owned by the crawl from its start to
 * nt_crawl_account_done(). */
struct target {
    int64_t account;
    char *platform, *account_name, *url, *etag, *last_modified, *cursor, *remote_id;
    int failures;
    bool leased;       /* shared crawls: its lease already taken (a batch's claim) */
    struct lane *lane; /* the feeder's host lane */
};

/* The crawl in progress. */
struct run {
    struct nt_store *s;
    const struct nt_crawl_opts *o;
    struct nt_crawl_stats *st;
    struct nt_evidence *ev;
    struct nt_http *h;
    char now[32];
    enum nt_err fatal;
    struct nt_diag *d;
    unsigned batched;   /* accounts in the open transaction */
    double last_commit; /* monotonic seconds */
    double last_tick;   /* monotonic seconds of the last progress report */
    struct feeder *feeder;
    struct nt_crawl_media_queue *media; /* media.c */
    /* Shared crawls (o->lease_s > 0): this process's name in the leases,
     * the monotonic clock at the start (the leases' times run from
     * o->now), the statements: the claim (a batch's leases, or one), the end. */
    char owner[96];
    double mono0;
    struct nt_db_stmt *lease_claim, *lease_done;
};

/* The attachments' fetcher (media.c): statements prepared once, the
 * pending attachments queued a window at a time after each page (and at
 * the start, for those earlier crawls left). */
enum nt_err nt_crawl_media_new(struct run *run, struct nt_diag *d);
void nt_crawl_media_free(struct run *run);
void nt_crawl_media_feed(struct run *run);

/*
 * An account's crawl is over, whatever the outcome (its state is already
 * recorded): frees the source's context `ctx` (may be NULL) and the target,
 * and makes room for the next account. Every source calls it exactly once
 * per account it was started with.
 */
void nt_crawl_account_done(struct run *run, struct target *t, void *ctx);

/* A source that cannot even start an account (no memory, an account name
 * it cannot use): the failure recorded as for a request, the account done. */
void nt_crawl_start_failed(struct run *run, struct target *t, void *ctx, enum nt_err err,
                           const char *msg);

/*
 * One account's writes are a unit: a savepoint inside a transaction that
 * is committed every 64 accounts or every second. Each account's posts and
 * state still commit together (crash safety), with far fewer commits.
 */
enum nt_err nt_crawl_unit_begin(struct run *run, struct nt_diag *d);
enum nt_err nt_crawl_unit_end(struct run *run, struct nt_diag *d);
void nt_crawl_unit_abort(struct run *run);
/* Commit what is batched (end of the crawl). */
enum nt_err nt_crawl_flush(struct run *run, struct nt_diag *d);

struct pending {
    struct run *run;
    struct target *t;
};

/*
 * Record an account's crawl state (inside the caller's transaction, with
 * the posts it covers). NULL etag/lm keep the stored values.
 */
enum nt_err nt_crawl_save_state(struct nt_store *s, int64_t account, const char *state,
                                const char *etag, const char *lm, const char *error, bool success,
                                int failures, const char *now, struct nt_diag *d);

/*
 * One item of a platform's page, parsed without the store or the network
 * (what tests/fuzz/fuzz_pages.c drives with hostile bytes): the evidence to
 * keep and what the page's bookkeeping needs. Strings point into `doc` or
 * the item's own buffers; nt_item_release frees them (also after an error).
 * The caller sets p.request_url.
 */
struct nt_item {
    struct nt_evidence_post p;
    const char *id;    /* status id, at:// URI (+ "#repost"), tweet id */
    const char *order; /* Bluesky's indexedAt (the listing order), or NULL */
    bool hidden;       /* listed, not stored: a Mastodon status that is not public */
    json_t *doc;
    char *text, *entities;
    char posted[32], edited[32], link[800], idbuf[700];
    struct nt_evidence_media media[NT_EVIDENCE_MAX_MEDIA]; /* p.media points here */
    char *meta[NT_EVIDENCE_MAX_MEDIA];                     /* owned: media[i].meta */
};
void nt_item_release(struct nt_item *it);

/* One attachment of the item: `url` and `alt` borrowed from it->doc, the
 * platform's metadata `meta` (may be NULL) kept as JSON text. Beyond
 * NT_EVIDENCE_MAX_MEDIA, or without a URL, nothing is added. */
void nt_item_add_media(struct nt_item *it, const char *kind, const char *url, const char *alt,
                       json_t *meta);
enum nt_err nt_mastodon_item(const char *raw, size_t len, struct nt_item *it, struct nt_diag *d);
enum nt_err nt_bluesky_item(const char *raw, size_t len, struct nt_item *it, struct nt_diag *d);
enum nt_err nt_x_item(const char *raw, size_t len, const char *account_name, struct nt_item *it,
                      struct nt_diag *d);

/* One account an employee follows, as a platform lists it (parsed without
 * the store or the network: tests/fuzz/fuzz_pages.c drives it too). */
struct nt_follow {
    char target[320]; /* the key: user@host (Mastodon), the DID (Bluesky); lower case */
    char handle[320]; /* as shown: user@host, the Bluesky handle (else the DID) */
    const char *name; /* display name, or NULL (in doc) */
    const char *url;  /* profile URL, or NULL (in doc) */
    json_t *doc;
};
/* `host`: the instance of the listing, for accounts listed without one. */
enum nt_err nt_mastodon_follow(const char *raw, size_t len, const char *host, struct nt_follow *f,
                               struct nt_diag *d);
enum nt_err nt_bluesky_follow(const char *raw, size_t len, struct nt_follow *f, struct nt_diag *d);
void nt_follow_release(struct nt_follow *f);

/* After an account's posts: read whom it follows (follows.c), then end the
 * account (nt_crawl_account_done). Mastodon: `who` is the account id on
 * `base`, `host` the account's instance (that of the accounts it lists
 * without one); Bluesky: the actor on the AppView `base`, host NULL. */
void nt_crawl_follows_start(struct run *run, struct target *t, bool bluesky, const char *base,
                            const char *who, const char *host);

/* The items of a page as spans of `body` (at most max); -1 when the body
 * is not the platform's list. */
long nt_mastodon_page(const char *body, size_t len, struct nt_span *sp, long max);
long nt_bluesky_page(const char *body, size_t len, struct nt_span *sp, long max);
long nt_x_page(const char *body, size_t len, struct nt_span *sp, long max);

/* X lists a page's media apart (includes.media): a new object from
 * media_key to the media object (empty when none), and a tweet's
 * attachments from it (photos as images, videos by their preview). */
json_t *nt_x_page_media(const char *body, size_t len);
void nt_x_item_media(struct nt_item *it, json_t *by_key);

/*
 * Entities without offsets from a post's arrays of objects: for each i, the
 * string member fields[i] of every object in arrays[i] becomes
 * {"type": kinds[i], "value": ...}. A JSON string to free, or NULL if none.
 */
struct nt_entity_src {
    json_t *array;
    const char *field, *kind;
};
char *nt_crawl_entities(const struct nt_entity_src *src, size_t n);

/* Make the account due at once (no wait after its failures). */
enum nt_err nt_crawl_clear_backoff(struct nt_store *s, int64_t account, struct nt_diag *d);

/* Record the platform's id for the account and the newest post seen. */
enum nt_err nt_crawl_save_cursor(struct nt_store *s, int64_t account, const char *remote_id,
                                 const char *cursor, struct nt_diag *d);

/*
 * Mark deleted (never remove) the account's crawled posts that a listing
 * should have shown but did not, by the listing's order: numeric ids in
 * [lo, hi] (Mastodon, X), publication times in (lo, hi) (feeds listed
 * newest first), or the stored sort key in (lo, hi] (Bluesky indexedAt;
 * the oldest key is left out since equal keys may go on on the next page).
 * `listed` is a JSON array of the listed remote ids.
 */
enum nt_crawl_order { NT_ORDER_ID, NT_ORDER_TIME, NT_ORDER_SORT_KEY };
enum nt_err nt_crawl_mark_missing(struct run *run, int64_t account, enum nt_crawl_order order,
                                  const char *lo, const char *hi, json_t *listed,
                                  struct nt_diag *d);

/* A failed request: state from the HTTP outcome, in its own transaction. */
void nt_crawl_failed(struct run *run, struct target *t, const struct nt_http_result *r);

/* The URL of a Link header's entry with rel `rel` ("next", "prev"),
 * accepted only when it starts with `prefix` (the endpoint the crawler
 * asked: a server cannot send it elsewhere) and holds no blank or '#'. */
bool nt_crawl_link_rel(const char *link, const char *rel, const char *prefix, char *out, size_t n);

/* Append `v` percent-encoded (all but unreserved characters) at url[o]
 * within n bytes; the new length. */
size_t nt_crawl_url_escape(char *url, size_t n, size_t o, const char *v);

/* Numeric post ids as the platforms send them (decimal strings, possibly
 * beyond 64 bits): is `a` newer (larger) than `b`? */
bool nt_crawl_id_newer(const char *a, const char *b);

/* A response (or an item in it) that is not what the source speaks:
 * recorded like a failed request with `msg`. The caller aborts any open
 * unit first, so nothing of the page is half-stored. */
void nt_crawl_refused(struct run *run, struct target *t, const struct nt_http_result *r,
                      const char *msg);

/* One post into evidence, counted as added, edited or unchanged. */
enum nt_err nt_crawl_store_post(struct run *run, int64_t account, const struct nt_evidence_post *p,
                                struct nt_diag *d);

/*
 * End a successful page inside its unit: state "ok" (etag/lm as for
 * nt_crawl_save_state) and the unit closed. `err` is what the page's writes
 * returned so far; on any error the transaction is rolled back and the
 * crawl stops (run->fatal, run->d). Returns the error.
 */
enum nt_err nt_crawl_page_end(struct run *run, int64_t account, const char *etag, const char *lm,
                              enum nt_err err, struct nt_diag *d);

/*
 * Sources, one per platform, like curl's protocol handlers: crawl.c keeps
 * them in a table. start() takes the account and ends it with
 * nt_crawl_account_done() whatever happens, or returns false without
 * touching it when the source cannot run here (then `unavailable` says why
 * and the account is skipped). With `user_at_host`, an account named
 * user@host sends its requests to that host (the feeder's lanes).
 */
struct nt_crawl_source {
    const char *platform;
    bool (*start)(struct run *run, struct target *t);
    bool user_at_host;
    const char *unavailable;
};
bool nt_crawl_feed_start(struct run *run, struct target *t); /* source_feed.c */
bool nt_crawl_mastodon_start(struct run *run, struct target *t);
bool nt_crawl_bluesky_start(struct run *run, struct target *t);
/* False (and nothing queued) when no X token is configured. */
bool nt_crawl_x_start(struct run *run, struct target *t);

/* Byte ranges of the elements of a top-level JSON array: the exact bytes of
 * each item as received. Returns the count, or -1 when s is not an array. */
struct nt_span {
    size_t start, end;
};
long nt_json_array_spans(const char *s, size_t n, struct nt_span *out, size_t max);

/* The same for the array under a top-level member `key` of an object (spans
 * relative to s); `absent` when there is no such member. */
long nt_json_member_spans(const char *s, size_t n, const char *key, long absent,
                          struct nt_span *out, size_t max);

/* The byte range of the value of a top-level object member `key` (its text,
 * without decoding); false when absent or the document is not an object. */
bool nt_json_member(const char *s, size_t n, const char *key, struct nt_span *out);

#endif
