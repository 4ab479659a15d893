/*
 * http.c - the crawler's HTTP engine (libcurl multi).
 *
 * Jobs wait in a queue until their host has a free slot and a token and
 * their not-before time has come; finished transfers are either retried
 * (network errors, 5xx, 429 - with Retry-After or backoff) or reported.
 */
#define _XOPEN_SOURCE 700 /* strptime */
#include "http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "buf.h"
#include "date.h"

#define MAX_ALLOW 16

struct net {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    unsigned bits;
};

struct host {
    char name[256];
    unsigned active;
    double tokens;
    double refilled; /* time of the last refill */
    double blocked_until;
    bool gave_up; /* the server asked for a wait past max_wait: its jobs fail at once */
};

struct job {
    char *url, *inm, *ims, *auth;
    struct host *host;
    nt_http_done_fn fn;
    void *user;
    double not_before;
    double queued_at;
    double waited;
    unsigned attempts;
    size_t max_body; /* this request's cap: the request's or the engine's */
    /* per transfer */
    CURL *easy;
    struct curl_slist *hdrs;
    struct nt_buf body;
    bool too_big, blocked;
    char *etag, *last_modified, *link, *ctype;
    long rl_remaining;
    double rl_reset;    /* absolute time, 0 when not sent */
    double retry_after; /* seconds, -1 when not sent */
    struct job *next;
    struct nt_http *h;
};

struct nt_http {
    struct nt_http_config cfg;
    char *ua, *ca, *allow_text;
    struct net allow[MAX_ALLOW];
    size_t nallow;
    CURLM *multi;
    struct job *queue; /* waiting, in order */
    struct job *tail;  /* last of the queue, for O(1) appends */
    size_t active;
    struct host *hosts;
    size_t nhosts, caphosts;
    unsigned rng;
    size_t rate_limited; /* responses that made a host wait (429, 503 + Retry-After, quota 0) */
};

void nt_http_config_defaults(struct nt_http_config *c)
{
    memset(c, 0, sizeof(*c));
    c->max_connections = 16;
    c->max_per_host = 2;
    c->host_rate = 1.0;
    c->host_burst = 2;
    c->connect_timeout_ms = 10000;
    c->total_timeout_ms = 60000;
    c->low_speed_limit = 100;
    c->low_speed_time = 20;
    c->max_body = 8u * 1024 * 1024;
    c->max_attempts = 4;
    c->backoff_base_ms = 1000;
    c->backoff_max_ms = 60000;
    c->max_wait_ms = 300000;
    c->user_agent = "Netra/0.1 (pemantau netralitas ASN)";
}

/* --- address policy --- */

static bool parse_net(const char *s, struct net *n)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    size_t l = slash ? (size_t)(slash - s) : strlen(s);
    if (l >= sizeof(buf))
        return false;
    memcpy(buf, s, l);
    buf[l] = '\0';
    memset(n, 0, sizeof(*n));
    if (inet_pton(AF_INET, buf, n->addr) == 1) {
        n->family = AF_INET;
        n->bits = 32;
    } else if (inet_pton(AF_INET6, buf, n->addr) == 1) {
        n->family = AF_INET6;
        n->bits = 128;
    } else {
        return false;
    }
    if (slash) {
        char *end;
        long b = strtol(slash + 1, &end, 10);
        if (*end || b < 0 || (unsigned)b > n->bits)
            return false;
        n->bits = (unsigned)b;
    }
    return true;
}

static bool in_net(const struct net *n, int family, const unsigned char *a)
{
    if (n->family != family)
        return false;
    unsigned full = n->bits / 8, rest = n->bits % 8;
    if (memcmp(n->addr, a, full) != 0)
        return false;
    if (rest) {
        unsigned char mask = (unsigned char)(0xFF << (8 - rest));
        if ((n->addr[full] & mask) != (a[full] & mask))
            return false;
    }
    return true;
}

static bool v4_private(const unsigned char *a)
{
    return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 169 && a[1] == 254) ||
           (a[0] == 172 && (a[1] & 0xF0) == 16) || (a[0] == 192 && a[1] == 168) ||
           (a[0] == 100 && (a[1] & 0xC0) == 64) || (a[0] == 192 && a[1] == 0 && a[2] == 0) ||
           (a[0] == 198 && (a[1] & 0xFE) == 18) || a[0] >= 224;
}

static bool v6_private(const unsigned char *a)
{
    static const unsigned char zero[16] = { 0 };
    static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };
    if (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1))
        return true; /* :: and ::1 */
    if (memcmp(a, mapped, 12) == 0)
        return true; /* IPv4-mapped: refused whatever the IPv4 address */
    if (memcmp(a, zero, 12) == 0)
        return true; /* IPv4-compatible ::a.b.c.d ([::127.0.0.1]): deprecated, refused */
    static const unsigned char nat64[12] = { 0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0 };
    if (memcmp(a, nat64, 12) == 0)
        return v4_private(a + 12); /* NAT64 64:ff9b::/96 reaches the IPv4 address inside */
    if (a[0] == 0 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B && a[4] == 0 && a[5] == 1)
        return true; /* local-use NAT64 64:ff9b:1::/48 */
    if (a[0] == 0x20 && a[1] == 0x02)
        return v4_private(a + 2); /* 6to4 2002::/16: the IPv4 address in bits 16-47 */
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0)
        return true; /* Teredo 2001::/32: tunnels to addresses it hides */
    if ((a[0] & 0xFE) == 0xFC)
        return true; /* unique local fc00::/7 */
    if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80)
        return true; /* link-local fe80::/10 */
    if (a[0] == 0xFF)
        return true; /* multicast */
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8)
        return true; /* documentation */
    return false;
}

bool nt_http_address_private(const char *ip)
{
    unsigned char a[16];
    if (inet_pton(AF_INET, ip, a) == 1)
        return v4_private(a);
    if (inet_pton(AF_INET6, ip, a) == 1)
        return v6_private(a);
    return true; /* not an address: never trusted */
}

static bool address_allowed(const struct nt_http *h, const struct sockaddr *sa)
{
    int fam = sa->sa_family;
    const unsigned char *a;
    bool priv;
    if (fam == AF_INET) {
        a = (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
        priv = v4_private(a);
    } else if (fam == AF_INET6) {
        a = (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        priv = v6_private(a);
    } else {
        return false;
    }
    if (!priv)
        return true;
    for (size_t i = 0; i < h->nallow; i++)
        if (in_net(&h->allow[i], fam, a))
            return true;
    return false;
}

static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *addr)
{
    struct job *j = clientp;
    (void)purpose;
    if (!address_allowed(j->h, &addr->addr)) {
        j->blocked = true;
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype, addr->protocol);
}

/* --- jobs --- */

static void job_reset_transfer(struct job *j)
{
    if (j->easy) {
        curl_multi_remove_handle(j->h->multi, j->easy);
        curl_easy_cleanup(j->easy);
        j->easy = NULL;
    }
    curl_slist_free_all(j->hdrs);
    j->hdrs = NULL;
    nt_buf_release(&j->body);
    free(j->etag);
    free(j->last_modified);
    free(j->link);
    free(j->ctype);
    j->etag = j->last_modified = j->link = j->ctype = NULL;
    j->too_big = j->blocked = false;
    j->rl_remaining = -1;
    j->rl_reset = 0;
    j->retry_after = -1;
}

static void job_free(struct job *j)
{
    job_reset_transfer(j);
    free(j->url);
    free(j->inm);
    free(j->ims);
    free(j->auth);
    free(j);
}

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
    struct job *j = user;
    size_t len = size * n;
    if (nt_buf_append(&j->body, p, len) != NT_OK) {
        j->too_big = true;
        return 0; /* abort: libcurl 7.88 checks only Content-Length itself */
    }
    return len;
}

static char *header_value(const char *line, size_t len, const char *name)
{
    size_t nl = strlen(name);
    if (len <= nl + 1 || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return NULL;
    const char *v = line + nl + 1, *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    char *out = malloc((size_t)(end - v) + 1);
    if (out) {
        memcpy(out, v, (size_t)(end - v));
        out[end - v] = '\0';
    }
    return out;
}

/* Seconds from a Retry-After value: delta seconds or an HTTP date. */
static double parse_retry_after(const char *v)
{
    char *end;
    double s = strtod(v, &end);
    if (end != v && *end == '\0' && s >= 0)
        return s;
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm)) {
        time_t t = timegm(&tm);
        double d = difftime(t, time(NULL));
        return d > 0 ? d : 0;
    }
    return -1;
}

static size_t on_header(char *p, size_t size, size_t n, void *user)
{
    struct job *j = user;
    size_t len = size * n;
    char *v;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* A new response (after a redirect or 100): forget the last one's. */
        free(j->etag);
        free(j->last_modified);
        free(j->link);
        free(j->ctype);
        j->etag = j->last_modified = j->link = j->ctype = NULL;
        j->retry_after = -1;
        return len;
    }
    if ((v = header_value(p, len, "etag"))) {
        free(j->etag);
        j->etag = v;
    } else if ((v = header_value(p, len, "last-modified"))) {
        free(j->last_modified);
        j->last_modified = v;
    } else if ((v = header_value(p, len, "link"))) {
        free(j->link);
        j->link = v;
    } else if ((v = header_value(p, len, "content-type"))) {
        free(j->ctype);
        j->ctype = v;
    } else if ((v = header_value(p, len, "retry-after"))) {
        j->retry_after = parse_retry_after(v);
        free(v);
    } else if ((v = header_value(p, len, "x-ratelimit-remaining")) ||
               (v = header_value(p, len, "ratelimit-remaining"))) {
        j->rl_remaining = strtol(v, NULL, 10);
        free(v);
    } else if ((v = header_value(p, len, "x-ratelimit-reset"))) {
        /* Mastodon sends an ISO time, others epoch seconds. */
        time_t t;
        char *end;
        double e = strtod(v, &end);
        double wall = (double)time(NULL);
        if (*end == '\0' && e > 1e9)
            j->rl_reset = nt_mono() + (e - wall);
        else if (strlen(v) >= 19) {
            char iso[32];
            snprintf(iso, sizeof(iso), "%.19sZ", v);
            if (nt_time_parse(iso, &t))
                j->rl_reset = nt_mono() + ((double)t - wall);
        }
        free(v);
    } else if ((v = header_value(p, len, "ratelimit-reset"))) {
        j->rl_reset = nt_mono() + strtod(v, NULL); /* delta seconds (IETF draft) */
        free(v);
    }
    return len;
}

static struct host *host_for(struct nt_http *h, const char *url)
{
    char name[256] = "";
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t l = strcspn(p, "/?#");
    if (l >= sizeof(name))
        l = sizeof(name) - 1;
    for (size_t i = 0; i < l; i++)
        name[i] = (char)tolower((unsigned char)p[i]);
    name[l] = '\0';
    for (size_t i = 0; i < h->nhosts; i++)
        if (strcmp(h->hosts[i].name, name) == 0)
            return &h->hosts[i];
    return NULL;
}

static enum nt_err add_host(struct nt_http *h, const char *url, struct host **out)
{
    struct host *x = host_for(h, url);
    if (x) {
        *out = x;
        return NT_OK;
    }
    if (h->nhosts == h->caphosts) {
        /* Jobs point into this array: grow by reallocating only between runs
         * would be fragile, so hosts live in fixed chunks instead. */
        return NT_ETOOBIG;
    }
    x = &h->hosts[h->nhosts++];
    memset(x, 0, sizeof(*x));
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t l = strcspn(p, "/?#");
    if (l >= sizeof(x->name))
        l = sizeof(x->name) - 1;
    for (size_t i = 0; i < l; i++)
        x->name[i] = (char)tolower((unsigned char)p[i]);
    x->tokens = h->cfg.host_burst;
    x->refilled = nt_mono();
    *out = x;
    return NT_OK;
}

enum nt_err nt_http_new(const struct nt_http_config *cfg, struct nt_http **out, struct nt_diag *d)
{
    struct nt_http *h = calloc(1, sizeof(*h));
    if (!h)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    h->cfg = *cfg;
    h->ua = strdup(cfg->user_agent ? cfg->user_agent : "Netra");
    h->ca = cfg->ca_file ? strdup(cfg->ca_file) : NULL;
    h->caphosts = 65536;
    h->hosts = calloc(h->caphosts, sizeof(*h->hosts));
    h->multi = curl_multi_init();
    h->rng = 2463534242u;
    if (!h->ua || !h->hosts || !h->multi) {
        nt_http_free(h);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    if (cfg->allow_networks && *cfg->allow_networks) {
        char buf[1024];
        snprintf(buf, sizeof(buf), "%s", cfg->allow_networks);
        char *save = NULL;
        for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
            if (h->nallow == MAX_ALLOW || !parse_net(tok, &h->allow[h->nallow])) {
                nt_http_free(h);
                return nt_diag_set(d, NT_EINPUT,
                                   "jaringan yang diizinkan \"%s\" tidak sah (contoh: 127.0.0.0/8)",
                                   tok);
            }
            h->nallow++;
        }
    }
    curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)cfg->max_connections);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)cfg->max_per_host);
    *out = h;
    return NT_OK;
}

void nt_http_free(struct nt_http *h)
{
    if (!h)
        return;
    while (h->queue) {
        struct job *j = h->queue;
        h->queue = j->next;
        job_free(j);
    }
    if (h->multi)
        curl_multi_cleanup(h->multi);
    free(h->hosts);
    free(h->ua);
    free(h->ca);
    free(h);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void enqueue(struct nt_http *h, struct job *j)
{
    j->next = NULL;
    if (h->queue)
        h->tail->next = j;
    else
        h->queue = j;
    h->tail = j;
}

enum nt_err nt_http_get(struct nt_http *h, const struct nt_http_request *req, nt_http_done_fn fn,
                        void *user, struct nt_diag *d)
{
    const char *u = req->url;
    bool https = strncasecmp(u, "https://", 8) == 0;
    bool http = strncasecmp(u, "http://", 7) == 0;
    if (!https && !(http && h->cfg.allow_http))
        return nt_diag_set(d, NT_EINPUT, "URL \"%.200s\" ditolak: hanya https yang diizinkan", u);
    struct job *j = calloc(1, sizeof(*j));
    if (!j)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    j->h = h;
    j->url = strdup(u);
    j->inm = dup_or_null(req->if_none_match);
    j->ims = dup_or_null(req->if_modified_since);
    j->auth = dup_or_null(req->authorization);
    j->fn = fn;
    j->user = user;
    j->queued_at = nt_mono();
    j->rl_remaining = -1;
    j->retry_after = -1;
    j->max_body = req->max_body ? req->max_body : h->cfg.max_body;
    nt_buf_init(&j->body, j->max_body);
    if (!j->url || add_host(h, u, &j->host) != NT_OK) {
        job_free(j);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup (terlalu banyak host)");
    }
    enqueue(h, j);
    return NT_OK;
}

static bool start(struct nt_http *h, struct job *j)
{
    CURL *e = curl_easy_init();
    if (!e)
        return false;
    j->easy = e;
    char proto[16];
    snprintf(proto, sizeof(proto), "%s", h->cfg.allow_http ? "http,https" : "https");
    curl_easy_setopt(e, CURLOPT_URL, j->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, proto);
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, proto);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (h->ca)
        curl_easy_setopt(e, CURLOPT_CAINFO, h->ca);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, h->ua);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->cfg.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->cfg.total_timeout_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, h->cfg.low_speed_limit);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, h->cfg.low_speed_time);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->max_body);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
    /* No proxy from the environment (http_proxy, https_proxy): through a
     * proxy the address check would see only the proxy's address, and the
     * proxy would reach private ones for us. */
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, j);
    char line[1024];
    if (j->inm) {
        snprintf(line, sizeof(line), "If-None-Match: %s", j->inm);
        j->hdrs = curl_slist_append(j->hdrs, line);
    }
    if (j->ims) {
        snprintf(line, sizeof(line), "If-Modified-Since: %s", j->ims);
        j->hdrs = curl_slist_append(j->hdrs, line);
    }
    if (j->auth) {
        snprintf(line, sizeof(line), "Authorization: %s", j->auth);
        j->hdrs = curl_slist_append(j->hdrs, line);
    }
    j->hdrs = curl_slist_append(j->hdrs, "Accept: application/json, application/atom+xml, "
                                         "application/rss+xml, application/xml;q=0.9, */*;q=0.5");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
    j->attempts++;
    j->host->active++;
    h->active++;
    return curl_multi_add_handle(h->multi, e) == CURLM_OK;
}

static void refill(struct nt_http *h, struct host *x, double t)
{
    x->tokens += (t - x->refilled) * h->cfg.host_rate;
    if (x->tokens > h->cfg.host_burst)
        x->tokens = h->cfg.host_burst;
    x->refilled = t;
}

/* Start what may start; returns seconds until something else could. */
static double start_ready(struct nt_http *h)
{
    double t = nt_mono(), wait = 1.0;
    for (struct job **p = &h->queue; *p;) {
        struct job *j = *p;
        struct host *x = j->host;
        if (h->active >= h->cfg.max_connections)
            return 0.05;
        refill(h, x, t);
        if (x->gave_up) {
            /* Not this run: report it and go on with the other hosts. */
            *p = j->next;
            if (h->tail == j)
                h->tail = p == &h->queue
                              ? NULL
                              : (struct job *)(void *)((char *)p - offsetof(struct job, next));
            struct nt_http_result r = { .url = j->url,
                                        .err = NT_ERATELIMIT,
                                        .error = "dibatasi server; waktu tunggu terlalu lama",
                                        .ratelimit_remaining = -1 };
            j->fn(h, &r, j->user);
            job_free(j);
            continue;
        }
        double ready = j->not_before > x->blocked_until ? j->not_before : x->blocked_until;
        if (ready > t) {
            if (ready - t < wait)
                wait = ready - t;
            p = &j->next;
            continue;
        }
        if (x->active >= h->cfg.max_per_host || x->tokens < 1.0) {
            double need = x->tokens < 1.0 ? (1.0 - x->tokens) / h->cfg.host_rate : 0.05;
            if (need < wait)
                wait = need;
            p = &j->next;
            continue;
        }
        x->tokens -= 1.0;
        *p = j->next;
        if (h->tail == j) /* the new tail is the job whose `next` p is, if any */
            h->tail = p == &h->queue
                          ? NULL
                          : (struct job *)(void *)((char *)p - offsetof(struct job, next));
        j->waited += t - j->queued_at;
        if (!start(h, j)) {
            /* Could not even create a handle: report as a failure. */
            struct nt_http_result r = { .url = j->url,
                                        .err = NT_ENOMEM,
                                        .error = "memori tidak cukup",
                                        .ratelimit_remaining = -1 };
            j->fn(h, &r, j->user);
            job_free(j);
        }
    }
    return wait;
}

static long backoff_ms(struct nt_http *h, unsigned attempt)
{
    long cap = h->cfg.backoff_base_ms;
    for (unsigned i = 1; i < attempt && cap < h->cfg.backoff_max_ms; i++)
        cap *= 2;
    if (cap > h->cfg.backoff_max_ms)
        cap = h->cfg.backoff_max_ms;
    /* Full jitter (xorshift: deterministic enough, no global state). */
    h->rng ^= h->rng << 13;
    h->rng ^= h->rng >> 17;
    h->rng ^= h->rng << 5;
    return cap > 0 ? (long)(h->rng % (unsigned)(cap + 1)) : 0;
}

static void finish(struct nt_http *h, struct job *j, CURLcode cc)
{
    long status = 0;
    char *final = NULL;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(j->easy, CURLINFO_EFFECTIVE_URL, &final);
    j->host->active--;
    h->active--;
    double t = nt_mono();
    /* A server-given wait never holds a host longer than max_wait: a reset
     * far in the future (1e12, Retry-After: 999999999) would stall every
     * account on it, and `--watch` would never start its next run. */
    double cap = t + (double)h->cfg.max_wait_ms / 1000.0;
    if (j->rl_remaining == 0 && j->rl_reset > t) {
        j->host->blocked_until = j->rl_reset < cap ? j->rl_reset : cap;
        j->host->gave_up |= j->rl_reset > cap;
        h->rate_limited++;
    }

    enum nt_err err = NT_OK;
    const char *msg = NULL;
    bool retry = false;
    double delay = 0;
    if (j->blocked) {
        err = NT_EBLOCKED;
        msg = "koneksi ke alamat privat/lokal ditolak (lindungan SSRF)";
    } else if (j->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
        err = NT_ETOOBIG;
        msg = "respons melebihi batas ukuran";
    } else if (cc == CURLE_OPERATION_TIMEDOUT) {
        err = NT_ETIMEOUT;
        msg = "waktu habis menunggu server";
        retry = true;
    } else if (cc == CURLE_TOO_MANY_REDIRECTS) {
        err = NT_EHTTP;
        msg = "terlalu banyak pengalihan (lebih dari 5)";
    } else if (cc == CURLE_UNSUPPORTED_PROTOCOL) {
        err = NT_EBLOCKED;
        msg = "pengalihan ke protokol yang tidak diizinkan (hanya https)";
    } else if (cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE ||
               cc == CURLE_SSL_CONNECT_ERROR) {
        err = NT_ENET;
        msg = "sertifikat TLS tidak dapat diverifikasi";
    } else if (cc != CURLE_OK) {
        err = NT_ENET;
        msg = curl_easy_strerror(cc);
        retry = true;
    } else if (status == 429 || status == 503) {
        err = status == 429 ? NT_ERATELIMIT : NT_EHTTP;
        msg = status == 429 ? "dibatasi server (429)" : "server tidak tersedia (503)";
        retry = true;
        if (j->retry_after >= 0) {
            delay = j->retry_after;
            j->host->blocked_until = t + delay < cap ? t + delay : cap;
            j->host->gave_up |= t + delay > cap;
        }
        if (status == 429 || j->retry_after >= 0)
            h->rate_limited++;
    } else if (status >= 500) {
        err = NT_EHTTP;
        msg = "galat server (5xx)";
        retry = true;
    } else if (status == 408) {
        err = NT_ETIMEOUT;
        msg = "server kehabisan waktu (408)";
        retry = true;
    } else if (status >= 400) {
        err = NT_EHTTP;
        msg = status == 404                    ? "tidak ditemukan (404)"
              : status == 410                  ? "sudah dihapus (410)"
              : status == 401 || status == 403 ? "akses ditolak (401/403)"
                                               : "permintaan ditolak server (4xx)";
    }
    if (retry && j->attempts < h->cfg.max_attempts) {
        if (delay <= 0)
            delay = (double)backoff_ms(h, j->attempts) / 1000.0;
        if (delay * 1000.0 <= (double)h->cfg.max_wait_ms) {
            job_reset_transfer(j);
            nt_buf_init(&j->body, j->max_body);
            j->not_before = t + delay;
            j->queued_at = t;
            enqueue(h, j);
            return;
        }
        msg = err == NT_ERATELIMIT ? "dibatasi server; waktu tunggu terlalu lama" : msg;
    }
    if (!j->body.data)
        nt_buf_append(&j->body, "", 0);
    struct nt_http_result r = {
        .status = status,
        .body = j->body.data ? j->body.data : "",
        .body_len = j->body.len,
        .url = j->url,
        .final_url = final ? final : j->url,
        .etag = j->etag,
        .last_modified = j->last_modified,
        .link = j->link,
        .content_type = j->ctype,
        .ratelimit_remaining = j->rl_remaining,
        .err = err,
        .error = msg,
        .attempts = j->attempts,
        .waited_s = j->waited,
    };
    j->fn(h, &r, j->user);
    job_free(j);
}

size_t nt_http_rate_limited(const struct nt_http *h)
{
    return h->rate_limited;
}

/* Stop requested: every request not yet started ends as cancelled (its
 * callback may queue more; those are cancelled on the next round). */
static void cancel_queued(struct nt_http *h)
{
    while (h->queue) {
        struct job *j = h->queue;
        h->queue = j->next;
        if (!h->queue)
            h->tail = NULL;
        struct nt_http_result r = { .url = j->url,
                                    .final_url = j->url,
                                    .body = "",
                                    .err = NT_ECANCELLED,
                                    .error = "dibatalkan (crawl dihentikan)",
                                    .ratelimit_remaining = -1,
                                    .attempts = j->attempts };
        j->fn(h, &r, j->user);
        job_free(j);
    }
}

enum nt_err nt_http_run(struct nt_http *h, struct nt_diag *d)
{
    for (;;) {
        if (h->cfg.stop && *h->cfg.stop)
            cancel_queued(h);
        if (h->cfg.tick)
            h->cfg.tick(h->cfg.tick_user);
        double wait = start_ready(h);
        if (!h->active && !h->queue)
            return NT_OK;
        int running = 0;
        CURLMcode mc = curl_multi_perform(h->multi, &running);
        if (mc != CURLM_OK)
            return nt_diag_set(d, NT_ENET, "libcurl: %s", curl_multi_strerror(mc));
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(h->multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct job *j = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            CURLcode cc = msg->data.result;
            finish(h, j, cc);
        }
        if (h->active) {
            int ms = (int)(wait * 1000.0);
            if (ms > 100)
                ms = 100;
            curl_multi_poll(h->multi, NULL, 0, ms < 1 ? 1 : ms, NULL);
        } else if (h->queue) {
            if (wait > 0.1) /* wake up for stop requests and progress */
                wait = 0.1;
            struct timespec ts = { 0, (long)(wait * 1e9) };
            nanosleep(&ts, NULL);
        }
    }
}
