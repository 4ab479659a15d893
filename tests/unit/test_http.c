/*
 * test_http.c - the crawler's HTTP engine against a real HTTP server on
 * 127.0.0.1 (libmicrohttpd, started by the test) that misbehaves on demand:
 * conditional GET, 429 with Retry-After, 5xx, oversize and slow bodies,
 * gzip, redirects to a refused address and in a loop, rate-limit headers.
 */
#include <microhttpd.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "feed.h"
#include "http.h"
#include "internal.h"

static struct MHD_Daemon *daemon_;
static unsigned short port;
static int hits_429, hits_500;
static atomic_int inflight, inflight_max; /* concurrent /hold requests */

static const unsigned char gz[] = { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff,
                                    0xcb, 0x2c, 0xce, 0x54, 0x28, 0x49, 0x2d, 0xca, 0xce, 0xcf,
                                    0x2d, 0x28, 0x4a, 0x05, 0xb2, 0xd3, 0xab, 0x32, 0x0b, 0x00,
                                    0xc3, 0x85, 0xcd, 0xf3, 0x14, 0x00, 0x00, 0x00 };

static ssize_t drip(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    (void)max;
    if (pos > 64)
        return MHD_CONTENT_READER_END_OF_STREAM;
    usleep(300000);
    buf[0] = 'x';
    return 1;
}

/* A body that never ends, sent as fast as the client reads (chunked: no
 * Content-Length for libcurl to check). */
static ssize_t endless(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    (void)pos;
    memset(buf, 'z', max);
    return (ssize_t)max;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *body,
                             const char *hname, const char *hval)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
                                                             MHD_RESPMEM_MUST_COPY);
    if (hname)
        MHD_add_response_header(r, hname, hval);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **state)
{
    char loc[128];
    (void)cls;
    (void)method;
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)state;
    if (strcmp(url, "/ok") == 0) {
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
        if (inm && strcmp(inm, "\"v1\"") == 0)
            return reply(c, 304, "", "ETag", "\"v1\"");
        return reply(c, 200, "halo", "ETag", "\"v1\"");
    }
    if (strcmp(url, "/429") == 0)
        return hits_429++ == 0 ? reply(c, 429, "pelan", "Retry-After", "1")
                               : reply(c, 200, "akhirnya", NULL, NULL);
    if (strcmp(url, "/500") == 0)
        return hits_500++ < 2 ? reply(c, 500, "rusak", NULL, NULL)
                              : reply(c, 200, "pulih", NULL, NULL);
    if (strcmp(url, "/404") == 0)
        return reply(c, 404, "tidak ada", NULL, NULL);
    if (strcmp(url, "/big") == 0) {
        static char big[300000];
        memset(big, 'a', sizeof(big) - 1);
        return reply(c, 200, big, NULL, NULL);
    }
    if (strcmp(url, "/gzip") == 0) {
        struct MHD_Response *r = MHD_create_response_from_buffer(sizeof(gz), (void *)(uintptr_t)gz,
                                                                 MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Content-Encoding", "gzip");
        enum MHD_Result ret = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (strcmp(url, "/slow") == 0) {
        struct MHD_Response *r =
            MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64, drip, NULL, NULL);
        enum MHD_Result ret = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (strcmp(url, "/hold") == 0) {
        int now = atomic_fetch_add(&inflight, 1) + 1;
        int seen = atomic_load(&inflight_max);
        while (now > seen && !atomic_compare_exchange_weak(&inflight_max, &seen, now))
            ;
        usleep(150000);
        atomic_fetch_sub(&inflight, 1);
        return reply(c, 200, "ditahan", NULL, NULL);
    }
    if (strcmp(url, "/endless") == 0) {
        struct MHD_Response *r =
            MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, endless, NULL, NULL);
        enum MHD_Result ret = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (strcmp(url, "/to-private") == 0) {
        /* Loopback, but not in the allowed network: must be refused. */
        snprintf(loc, sizeof(loc), "http://127.0.0.2:%u/ok", port);
        return reply(c, 302, "", "Location", loc);
    }
    if (strcmp(url, "/loop") == 0)
        return reply(c, 302, "", "Location", "/loop");
    if (strcmp(url, "/limited") == 0) {
        char reset[32];
        snprintf(reset, sizeof(reset), "%ld", (long)time(NULL) + 2);
        struct MHD_Response *r =
            MHD_create_response_from_buffer(2, (void *)(uintptr_t) "ok", MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "X-RateLimit-Remaining", "0");
        MHD_add_response_header(r, "X-RateLimit-Reset", reset);
        enum MHD_Result ret = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return ret;
    }
    return reply(c, 404, "?", NULL, NULL);
}

static int setup(void **state)
{
    (void)state;
    daemon_ =
        MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL,
                         NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, NULL, MHD_OPTION_END);
    if (!daemon_)
        return -1;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
    port = info ? info->port : 0;
    return port ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    MHD_stop_daemon(daemon_);
    return 0;
}

struct outcome {
    long status;
    enum nt_err err;
    char body[64];
    char etag[32];
    unsigned attempts;
    double waited;
    int calls;
};

static void done(struct nt_http *h, const struct nt_http_result *r, void *user)
{
    struct outcome *o = user;
    (void)h;
    o->calls++;
    o->status = r->status;
    o->err = r->err;
    snprintf(o->body, sizeof(o->body), "%s", r->body);
    snprintf(o->etag, sizeof(o->etag), "%s", r->etag ? r->etag : "");
    o->attempts = r->attempts;
    o->waited = r->waited_s;
}

static struct nt_http *client(void)
{
    struct nt_http_config cfg;
    struct nt_http *h;
    struct nt_diag d;
    nt_http_config_defaults(&cfg);
    cfg.allow_http = true;
    cfg.allow_networks = "127.0.0.1/32";
    cfg.host_rate = 50;
    cfg.host_burst = 10;
    cfg.backoff_base_ms = 50;
    cfg.backoff_max_ms = 200;
    cfg.max_body = 100000;
    cfg.total_timeout_ms = 800;
    cfg.low_speed_time = 60;
    assert_int_equal(nt_http_new(&cfg, &h, &d), NT_OK);
    return h;
}

static void get(struct nt_http *h, const char *path, const char *inm, struct outcome *o)
{
    char url[128];
    struct nt_diag d;
    struct nt_http_request req = { .url = url, .if_none_match = inm };
    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", port, path);
    memset(o, 0, sizeof(*o));
    assert_int_equal(nt_http_get(h, &req, done, o, &d), NT_OK);
}

static void run(struct nt_http *h)
{
    struct nt_diag d;
    assert_int_equal(nt_http_run(h, &d), NT_OK);
}

static void test_private_addresses(void **state)
{
    (void)state;
    const char *priv[] = { "127.0.0.1",
                           "10.1.2.3",
                           "172.16.0.1",
                           "172.31.255.255",
                           "192.168.1.1",
                           "169.254.169.254",
                           "100.64.0.1",
                           "0.0.0.0",
                           "224.0.0.1",
                           "::1",
                           "::",
                           "fe80::1",
                           "fd00::1",
                           "::ffff:8.8.8.8",
                           "::ffff:127.0.0.1",
                           "::127.0.0.1",
                           "::10.0.0.1",
                           "64:ff9b::10.0.0.1",
                           "64:ff9b::169.254.169.254",
                           "64:ff9b:1::1",
                           "2002:7f00:1::1",
                           "2002:a9fe:a9fe::1",
                           "2001:0:4136:e378::1",
                           "bukan-ip" };
    const char *pub[] = { "8.8.8.8",          "1.1.1.1",
                          "172.32.0.1",       "2606:4700:4700::1111",
                          "64:ff9b::8.8.8.8", "2002:808:808::1" };
    for (size_t i = 0; i < sizeof(priv) / sizeof(priv[0]); i++)
        if (!nt_http_address_private(priv[i]))
            fail_msg("%s should be private", priv[i]);
    for (size_t i = 0; i < sizeof(pub) / sizeof(pub[0]); i++)
        if (nt_http_address_private(pub[i]))
            fail_msg("%s should be public", pub[i]);
}

static void test_policy(void **state)
{
    struct nt_http_config cfg;
    struct nt_http *h;
    struct nt_diag d;
    struct outcome o;
    (void)state;
    nt_http_config_defaults(&cfg);
    assert_int_equal(nt_http_new(&cfg, &h, &d), NT_OK);
    struct nt_http_request req = { .url = "http://feed.example/rss" };
    assert_int_equal(nt_http_get(h, &req, done, &o, &d), NT_EINPUT); /* https only */
    req.url = "ftp://feed.example/rss";
    assert_int_equal(nt_http_get(h, &req, done, &o, &d), NT_EINPUT);
    nt_http_free(h);
    cfg.allow_networks = "bukan-jaringan";
    assert_int_equal(nt_http_new(&cfg, &h, &d), NT_EINPUT);
    /* Loopback without an allowed network: refused before connecting. */
    nt_http_config_defaults(&cfg);
    cfg.allow_http = true;
    assert_int_equal(nt_http_new(&cfg, &h, &d), NT_OK);
    get(h, "/ok", NULL, &o);
    run(h);
    assert_int_equal(o.err, NT_EBLOCKED);
    assert_int_equal(o.calls, 1);
    nt_http_free(h);
}

static void test_basic_and_conditional(void **state)
{
    struct nt_http *h = client();
    struct outcome a, b, g;
    (void)state;
    get(h, "/ok", NULL, &a);
    get(h, "/ok", "\"v1\"", &b);
    get(h, "/gzip", NULL, &g);
    run(h);
    assert_int_equal(a.err, NT_OK);
    assert_int_equal(a.status, 200);
    assert_string_equal(a.body, "halo");
    assert_string_equal(a.etag, "\"v1\"");
    assert_int_equal(b.status, 304);
    assert_int_equal(b.err, NT_OK);
    assert_string_equal(g.body, "isi terkompresi gzip");
    nt_http_free(h);
}

static void test_retries(void **state)
{
    struct nt_http *h = client();
    struct outcome r429, r500, r404;
    (void)state;
    hits_429 = hits_500 = 0;
    get(h, "/429", NULL, &r429);
    get(h, "/500", NULL, &r500);
    get(h, "/404", NULL, &r404);
    run(h);
    assert_int_equal(r429.status, 200);
    assert_string_equal(r429.body, "akhirnya");
    assert_int_equal(r429.attempts, 2);
    assert_true(r429.waited >= 0.9); /* Retry-After: 1 honoured */
    assert_int_equal(r500.status, 200);
    assert_int_equal(r500.attempts, 3);
    assert_int_equal(r404.err, NT_EHTTP);
    assert_int_equal(r404.attempts, 1); /* 4xx is final */
    nt_http_free(h);
}

static void test_hostile(void **state)
{
    struct nt_http *h = client();
    struct outcome big, priv, loop, slow, endless_body;
    (void)state;
    get(h, "/endless", NULL, &endless_body);
    get(h, "/big", NULL, &big);
    get(h, "/to-private", NULL, &priv);
    get(h, "/loop", NULL, &loop);
    get(h, "/slow", NULL, &slow);
    run(h);
    assert_int_equal(big.err, NT_ETOOBIG);
    assert_int_equal(priv.err, NT_EBLOCKED);
    assert_int_equal(loop.err, NT_EHTTP);
    assert_int_equal(slow.err, NT_ETIMEOUT);
    assert_int_equal(big.calls + priv.calls + loop.calls + slow.calls, 4);
    /* The cap holds in the write callback, not only against Content-Length. */
    assert_int_equal(endless_body.err, NT_ETOOBIG);
    assert_int_equal(endless_body.calls, 1);
    nt_http_free(h);
}

static void test_rate_limit_headers(void **state)
{
    struct nt_http *h = client();
    struct outcome a, b;
    (void)state;
    get(h, "/limited", NULL, &a);
    run(h);
    assert_int_equal(a.err, NT_OK);
    /* The host said: none left until the reset; the next request waits. */
    get(h, "/ok", NULL, &b);
    run(h);
    assert_int_equal(b.status, 200);
    assert_true(b.waited >= 0.5);
    nt_http_free(h);
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Politeness: a host gets at most `host_rate` requests per second after
 * its burst, however many are queued. */
/* A client of the local server with these politeness limits. */
static struct nt_http *polite_client(double rate, unsigned burst, unsigned per_host)
{
    struct nt_http_config cfg;
    struct nt_http *h;
    struct nt_diag d;
    nt_http_config_defaults(&cfg);
    cfg.allow_http = true;
    cfg.allow_networks = "127.0.0.1/32";
    cfg.host_rate = rate;
    cfg.host_burst = burst;
    cfg.max_per_host = per_host;
    assert_int_equal(nt_http_new(&cfg, &h, &d), NT_OK);
    return h;
}

static void test_token_bucket(void **state)
{
    struct outcome o[5];
    (void)state;
    struct nt_http *h = polite_client(4, 1, 2);
    for (int i = 0; i < 5; i++)
        get(h, "/ok", NULL, &o[i]);
    double t0 = mono();
    run(h);
    double t = mono() - t0;
    for (int i = 0; i < 5; i++)
        assert_int_equal(o[i].status, 200);
    if (t < 0.9)
        fail_msg("5 requests at 4/s took %.2f s", t);
    nt_http_free(h);
}

/* At most max_per_host transfers to one host at a time, whatever the
 * global limit and the token bucket would allow. */
static void test_per_host_limit(void **state)
{
    struct outcome o[8];
    (void)state;
    struct nt_http *h = polite_client(1000, 100, 3); /* 16 connections in all */
    atomic_store(&inflight_max, 0);
    for (int i = 0; i < 8; i++)
        get(h, "/hold", NULL, &o[i]);
    run(h);
    for (int i = 0; i < 8; i++)
        assert_int_equal(o[i].status, 200);
    assert_true(atomic_load(&inflight_max) <= 3);
    assert_true(atomic_load(&inflight_max) >= 2); /* and it does run them in parallel */
    nt_http_free(h);
}

/* Crawler settings: durations, ranges, unknown keys, and ownership of the
 * strings the options borrow. */
/* Attachments as the sources read them: Mastodon's media_attachments
 * (kinds, alt text, a URL listed twice kept once), its card and a quoted
 * status's images; Bluesky's image, external and recordWithMedia embeds. */
static void test_item_media(void **state)
{
    (void)state;
    struct nt_item it;
    struct nt_diag d;
    static const char masto[] =
        "{\"id\":\"12\",\"visibility\":\"public\",\"content\":\"<p>x</p>\","
        "\"media_attachments\":[{\"type\":\"image\",\"url\":\"https://f.example/a.png\","
        "\"description\":\"Spanduk\"},{\"type\":\"gifv\",\"url\":\"https://f.example/b.mp4\"},"
        "{\"type\":\"image\",\"url\":\"https://f.example/a.png\"},{\"type\":\"image\"}],"
        "\"card\":{\"url\":\"https://b.example/x\",\"title\":\"Judul\"},"
        "\"quote\":{\"quoted_status\":{\"media_attachments\":[{\"type\":\"image\","
        "\"url\":\"https://f.example/q.jpg\",\"description\":\"kutipan\"}]}}}";
    nt_diag_clear(&d);
    assert_int_equal(nt_mastodon_item(masto, strlen(masto), &it, &d), NT_OK);
    assert_int_equal(it.p.nmedia, 4);
    assert_string_equal(it.p.media[0].kind, "image");
    assert_string_equal(it.p.media[0].alt, "Spanduk");
    assert_string_equal(it.p.media[1].kind, "video");
    assert_null(it.p.media[1].alt);
    assert_string_equal(it.p.media[2].kind, "link");
    assert_string_equal(it.p.media[2].alt, "Judul");
    assert_string_equal(it.p.media[3].url, "https://f.example/q.jpg");
    assert_non_null(strstr(it.p.media[0].meta, "\"type\":\"image\""));
    nt_item_release(&it);
    static const char bsky[] =
        "{\"post\":{\"uri\":\"at://did:plc:x/app.bsky.feed.post/1\",\"author\":{\"handle\":"
        "\"s.example\"},\"record\":{\"text\":\"x\"},\"embed\":{\"$type\":"
        "\"app.bsky.embed.recordWithMedia#view\",\"media\":{\"$type\":"
        "\"app.bsky.embed.images#view\",\"images\":[{\"fullsize\":\"https://c.example/1.jpg\","
        "\"alt\":\"Poster\"}]},\"record\":{\"record\":{\"embeds\":[{\"$type\":"
        "\"app.bsky.embed.external#view\",\"external\":{\"uri\":\"https://b.example/y\","
        "\"title\":\"Berita\"}}]}}}}}";
    assert_int_equal(nt_bluesky_item(bsky, strlen(bsky), &it, &d), NT_OK);
    assert_int_equal(it.p.nmedia, 2);
    assert_string_equal(it.p.media[0].url, "https://c.example/1.jpg");
    assert_string_equal(it.p.media[0].alt, "Poster");
    assert_string_equal(it.p.media[1].kind, "link");
    nt_item_release(&it);
    /* X: the page lists media apart; a tweet names them by key. */
    static const char xpage[] =
        "{\"data\":[{\"id\":\"5\",\"text\":\"x\",\"attachments\":{\"media_keys\":[\"3_1\","
        "\"7_2\",\"9_9\"]}}],\"includes\":{\"media\":[{\"media_key\":\"3_1\",\"type\":"
        "\"photo\",\"url\":\"https://p.example/a.jpg\",\"alt_text\":\"Baliho\"},{\"media_key\":"
        "\"7_2\",\"type\":\"video\",\"preview_image_url\":\"https://p.example/v.jpg\"}]}}";
    struct nt_span sp[4];
    long n = nt_x_page(xpage, strlen(xpage), sp, 4);
    assert_int_equal(n, 1);
    json_t *media = nt_x_page_media(xpage, strlen(xpage));
    assert_int_equal(nt_x_item(xpage + sp[0].start, sp[0].end - sp[0].start, "u", &it, &d), NT_OK);
    nt_x_item_media(&it, media);
    assert_int_equal(it.p.nmedia, 2);
    assert_string_equal(it.p.media[0].kind, "image");
    assert_string_equal(it.p.media[0].alt, "Baliho");
    assert_string_equal(it.p.media[1].kind, "video");
    assert_string_equal(it.p.media[1].url, "https://p.example/v.jpg");
    nt_item_release(&it);
    json_decref(media);
}

/* Follow lists: a local Mastodon account gets its instance, keys are lower
 * case without '@'; a Bluesky follow is keyed by its DID; bad items are
 * input errors. */
static void test_follow_items(void **state)
{
    (void)state;
    struct nt_follow f;
    struct nt_diag d;
    static const char local[] = "{\"acct\":\"TKN_Uji\",\"display_name\":\"Tim\"}";
    static const char remote[] = "{\"acct\":\"@Relawan@Lain.example\"}";
    static const char bsky[] = "{\"did\":\"did:plc:ABC\",\"handle\":\"Uji.bsky.example\"}";
    nt_diag_clear(&d);
    assert_int_equal(nt_mastodon_follow(local, strlen(local), "sosial.example", &f, &d), NT_OK);
    assert_string_equal(f.target, "tkn_uji@sosial.example");
    assert_string_equal(f.name, "Tim");
    nt_follow_release(&f);
    assert_int_equal(nt_mastodon_follow(remote, strlen(remote), "sosial.example", &f, &d), NT_OK);
    assert_string_equal(f.target, "relawan@lain.example");
    nt_follow_release(&f);
    assert_int_equal(nt_bluesky_follow(bsky, strlen(bsky), &f, &d), NT_OK);
    assert_string_equal(f.target, "did:plc:abc");
    assert_string_equal(f.handle, "uji.bsky.example");
    nt_follow_release(&f);
    assert_int_equal(nt_bluesky_follow("{\"handle\":\"x\"}", 14, &f, &d), NT_EINPUT);
    nt_follow_release(&f);
    assert_int_equal(nt_mastodon_follow("{\"acct\":\"a b\"}", 14, "h", &f, &d), NT_EINPUT);
    nt_follow_release(&f);
    char out[200];
    assert_true(nt_crawl_link_rel("<https://h/x?max_id=3>; rel=\"next\", <https://h/x?min_id=9>; "
                                  "rel=\"prev\"",
                                  "next", "https://h/x?", out, sizeof(out)));
    assert_string_equal(out, "https://h/x?max_id=3");
    assert_false(nt_crawl_link_rel("<https://jahat/x?max_id=3>; rel=\"next\"", "next",
                                   "https://h/x?", out, sizeof(out)));
}

static void test_crawl_config(void **state)
{
    (void)state;
    double v = 0;
    assert_true(nt_crawl_parse_duration("90", &v));
    assert_true(v == 90);
    assert_true(nt_crawl_parse_duration("30m", &v));
    assert_true(v == 1800);
    assert_true(nt_crawl_parse_duration("1.5h", &v));
    assert_true(v == 5400);
    assert_true(nt_crawl_parse_duration("2d", &v));
    assert_true(v == 172800);
    assert_false(nt_crawl_parse_duration("", &v));
    assert_false(nt_crawl_parse_duration("m", &v));
    assert_false(nt_crawl_parse_duration("5 m", &v));
    assert_false(nt_crawl_parse_duration("-3s", &v));
    assert_false(nt_crawl_parse_duration("3w", &v));

    struct nt_crawl_config c;
    struct nt_diag d;
    nt_diag_clear(&d);
    nt_crawl_config_init(&c);
    assert_int_equal(c.opts.http.max_connections, 16);
    assert_int_equal(nt_crawl_config_set(&c, "per_host", "4", &d), NT_OK);
    assert_int_equal(c.opts.http.max_per_host, 4);
    assert_int_equal(nt_crawl_config_set(&c, "per_host", "65", &d), NT_EINPUT);
    assert_int_equal(c.opts.http.max_per_host, 4);
    assert_int_equal(nt_crawl_config_set(&c, "max_body", "2M", &d), NT_OK);
    assert_int_equal(c.opts.http.max_body, 2 * 1024 * 1024);
    assert_int_equal(nt_crawl_config_set(&c, "timeout", "2m", &d), NT_OK);
    assert_int_equal(c.opts.http.total_timeout_ms, 120000);
    assert_int_equal(nt_crawl_config_set(&c, "allow_http", "mungkin", &d), NT_EINPUT);
    assert_int_equal(nt_crawl_config_set(&c, "kecepatan", "1", &d), NT_EINPUT);
    assert_non_null(strstr(d.msg, "kecepatan"));
    assert_int_equal(nt_crawl_config_set(&c, "contact", "tim@instansi.example", &d), NT_OK);
    assert_non_null(strstr(c.opts.http.user_agent, "+mailto:tim@instansi.example"));
    assert_int_equal(nt_crawl_config_set(&c, "contact", "https://instansi.example/netra", &d),
                     NT_OK);
    assert_non_null(strstr(c.opts.http.user_agent, "(pemantau netralitas ASN; +https://"));
    assert_int_equal(nt_crawl_config_set(&c, "contact", "a b", &d), NT_EINPUT);
    assert_int_equal(nt_crawl_config_set(&c, "allow_networks", "10.0.0.0/8", &d), NT_OK);
    assert_int_equal(nt_crawl_config_set(&c, "allow_networks", "192.168.0.0/16", &d), NT_OK);
    assert_string_equal(c.opts.http.allow_networks, "192.168.0.0/16");
    nt_crawl_config_free(&c);
}

/* Feed dates of every width a server may send; each on the heap at its
 * exact length, so that ASan sees a read past the end (the fuzzer found
 * one: a time without seconds). */
static void test_feed_dates(void **state)
{
    static const struct {
        const char *in, *want; /* want NULL: refused */
    } cases[] = {
        { "2023-12-05T07:00", "2023-12-05T07:00:00Z" },
        { "2023-12-05T07:00:00Z", "2023-12-05T07:00:00Z" },
        { "2023-12-05T07:00:00.123+07:00", "2023-12-05T00:00:00Z" },
        { "2023-12-05T07:00:00-02:30", "2023-12-05T09:30:00Z" },
        { "2023-12-05", "2023-12-05T00:00:00Z" },
        { "1-2-3", "0001-02-03T00:00:00Z" },
        { "2023-12-05T", "2023-12-05T00:00:00Z" },
        { "Tue, 05 Dec 2023 07:00:00 +0700", "2023-12-05T00:00:00Z" },
        { "05 Dec 2023 07:00:00 GMT", "2023-12-05T07:00:00Z" },
        { "kemarin", NULL },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *in = strdup(cases[i].in), out[32] = "";
        bool ok = nt_feed_date(in, out, sizeof(out));
        if (cases[i].want) {
            assert_true(ok);
            assert_string_equal(out, cases[i].want);
        } else {
            assert_false(ok);
        }
        free(in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feed_dates),
        cmocka_unit_test(test_private_addresses),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_basic_and_conditional),
        cmocka_unit_test(test_retries),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_rate_limit_headers),
        cmocka_unit_test(test_token_bucket),
        cmocka_unit_test(test_per_host_limit),
        cmocka_unit_test(test_crawl_config),
        cmocka_unit_test(test_item_media),
        cmocka_unit_test(test_follow_items),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
