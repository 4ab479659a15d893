/*
 * http.h - polite, bounded, SSRF-safe HTTP GETs on libcurl's multi interface.
 *
 * Every crawl request goes through here. Politeness: a global and a per-host
 * concurrency limit, a per-host token bucket, the servers' rate-limit
 * headers (X-RateLimit-*, RateLimit-*) and Retry-After on 429/503 honoured,
 * other failures retried with exponential backoff and full jitter, bounded.
 * Safety: TLS verification always on; only https (plain http only when the
 * configuration allows it, for tests and local mirrors); at most 5
 * redirects; connections to loopback, private, link-local, CGNAT, multicast
 * and IPv4-mapped addresses refused before connecting unless a configured
 * network allows them; a response-size cap enforced while receiving;
 * connect, total and low-speed timeouts; compressed responses accepted.
 *
 * One `struct nt_http` per crawl, used from one thread. Requests are queued
 * with nt_http_get() (also from inside callbacks, for paging) and
 * nt_http_run() drives them all to completion, calling each request's
 * callback exactly once with the final outcome.
 */
#ifndef NT_CRAWL_HTTP_H
#define NT_CRAWL_HTTP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "diag.h"

struct nt_http_config {
    unsigned max_connections; /* transfers at once */
    unsigned max_per_host;    /* transfers at once to one host */
    double host_rate;         /* requests per second per host (token bucket) */
    unsigned host_burst;      /* bucket size */
    long connect_timeout_ms;
    long total_timeout_ms;
    long low_speed_limit; /* bytes per second ... */
    long low_speed_time;  /* ... for this many seconds aborts a transfer */
    size_t max_body;      /* response bytes kept at most; more is an error */
    unsigned max_attempts;
    long backoff_base_ms;
    long backoff_max_ms;
    long max_wait_ms;           /* longest Retry-After waited for; longer gives up */
    const char *user_agent;     /* borrowed */
    const char *allow_networks; /* "127.0.0.0/8,::1/128": private networks allowed; borrowed */
    bool allow_http;            /* permit plain http (tests, local mirrors) */
    const char *ca_file;        /* extra CA bundle, or NULL; borrowed */
    /* When *stop becomes non-zero (a signal handler sets it), queued requests
     * end with NT_ECANCELLED and nt_http_run returns once the transfers
     * under way are done. NULL: never. Borrowed. */
    volatile sig_atomic_t *stop;
    /* Called from nt_http_run's loop at least every 100 ms (progress). */
    void (*tick)(void *user);
    void *tick_user;
};

/* Safe defaults: 16 connections, 2 per host, 1 request/s per host (burst 2),
 * 10 s connect, 60 s total, 8 MiB bodies, 4 attempts, 1..60 s backoff. */
void nt_http_config_defaults(struct nt_http_config *c);

struct nt_http_result {
    long status;      /* HTTP status of the last response, 0 when none */
    const char *body; /* borrowed for the callback; NUL-terminated */
    size_t body_len;
    const char *url; /* the requested URL */
    const char *final_url;
    const char *etag, *last_modified, *link, *content_type; /* NULL when absent */
    long ratelimit_remaining;                               /* -1 when not sent */
    enum nt_err err;   /* NT_OK for any HTTP answer below 400 (304 included) */
    const char *error; /* Indonesian description when err != NT_OK */
    unsigned attempts;
    double waited_s; /* time spent waiting for retries and rate limits */
};

struct nt_http;
typedef void (*nt_http_done_fn)(struct nt_http *h, const struct nt_http_result *r, void *user);

struct nt_http_request {
    const char *url;               /* copied */
    const char *if_none_match;     /* ETag for a conditional GET, or NULL; copied */
    const char *if_modified_since; /* or NULL; copied */
    const char *authorization;     /* "Bearer ..." or NULL; copied, never logged */
    size_t max_body;               /* this response's cap; 0: the engine's max_body */
};

enum nt_err nt_http_new(const struct nt_http_config *cfg, struct nt_http **out, struct nt_diag *d);
void nt_http_free(struct nt_http *h);

/* Queue a GET. NT_EINPUT for URLs the policy refuses outright (scheme, form). */
enum nt_err nt_http_get(struct nt_http *h, const struct nt_http_request *req, nt_http_done_fn fn,
                        void *user, struct nt_diag *d);

/* Run until every queued request (and those queued by callbacks) is done. */
enum nt_err nt_http_run(struct nt_http *h, struct nt_diag *d);

/* Responses so far that made a host wait: 429, 503 with Retry-After, or a
 * rate-limit quota down to zero. */
size_t nt_http_rate_limited(const struct nt_http *h);

/* Is this address (IPv4 or IPv6, textual) one the crawler must not reach
 * unless allowed? Exposed for tests. */
bool nt_http_address_private(const char *ip);

#endif
