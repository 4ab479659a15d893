/*
 * server.c - the HTTP side of `netra serve`: connections, request bodies,
 * sessions and CSRF tokens, login throttling, security headers, static
 * assets and the routing of /api/ requests to api.c.
 *
 * libmicrohttpd runs a small pool of threads; each thread keeps its own
 * SQLite connection (WAL lets them read in parallel; writes take turns).
 * Sessions and the login throttle are the database's (review/sessions.c),
 * shared by every server process on it.
 */
#include "web.h"

#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "internal.h"

#define MAX_BODY     (8u * 1024 * 1024)
#define SESSION_IDLE (8 * 3600)

static enum nt_err serve(struct nt_web *w, volatile sig_atomic_t *stop, struct nt_diag *d);

/* Each worker thread's own connection, opened on its first request (a
 * per-thread cache; the list to close at the end is in struct nt_web). */
static _Thread_local struct nt_store *tls_store;

time_t nt_web_now(const struct nt_web *w)
{
    return w->cfg->fixed_now ? w->cfg->fixed_now : time(NULL);
}

struct nt_store *nt_web_store(struct nt_web *w, struct nt_diag *d)
{
    if (tls_store && nt_store_lost(tls_store)) {
        /* The database restarted or failed over: this thread connects
         * again (the request that found the connection lost answered 503). */
        pthread_mutex_lock(&w->stores_lock);
        for (size_t i = 0; i < w->nstores; i++)
            if (w->stores[i] == tls_store)
                w->stores[i] = w->stores[--w->nstores];
        pthread_mutex_unlock(&w->stores_lock);
        nt_store_close(tls_store);
        tls_store = NULL;
    }
    if (tls_store)
        return tls_store;
    if (nt_store_open(w->cfg->db_path, NT_STORE_LONG_LIVED | NT_STORE_POSTGRES, &tls_store, d) !=
        NT_OK)
        return NULL;
    pthread_mutex_lock(&w->stores_lock);
    if (w->nstores < sizeof(w->stores) / sizeof(w->stores[0]))
        w->stores[w->nstores++] = tls_store;
    pthread_mutex_unlock(&w->stores_lock);
    return tls_store;
}

/* Sessions are the database's (review/sessions.c): every server process
 * behind one proxy knows them. A failure to keep one is the login's to
 * report. */
bool nt_web_session_new(struct nt_web *w, const char *user, char token[65], char csrf[65])
{
    struct nt_diag d;
    struct nt_store *s = nt_web_store(w, &d);
    return s && nt_session_new(nt_store_dbh(s), user, nt_web_now(w), SESSION_IDLE, token, csrf,
                               &d) == NT_OK;
}

/* The session of a token: its user and CSRF token (copied); NT_ENOTFOUND
 * when there is none. A connection found lost by the lookup is opened
 * again and the lookup tried once more (a read: safe to repeat), so that
 * the first request after a failover is answered, not sent to log in. */
static enum nt_err session_find(struct nt_web *w, const char *token, char user[64], char csrf[65],
                                struct nt_diag *d)
{
    enum nt_err err = NT_ENET;
    for (int attempt = 0; attempt < 2 && err == NT_ENET; attempt++) {
        struct nt_store *s = nt_web_store(w, d);
        err =
            s ? nt_session_find(nt_store_dbh(s), token, nt_web_now(w), SESSION_IDLE, user, csrf, d)
              : d->err;
    }
    return err;
}

void nt_web_session_end(struct nt_web *w, const char *token)
{
    struct nt_diag d;
    struct nt_store *s = nt_web_store(w, &d);
    if (s)
        nt_session_end(nt_store_dbh(s), token, &d);
}

/* The login throttle is the database's too (review/sessions.c). A
 * database that cannot answer refuses the attempt. */
bool nt_web_login_allowed(struct nt_web *w, const char *user, const char *addr)
{
    struct nt_diag d;
    bool ok = false;
    struct nt_store *s = nt_web_store(w, &d);
    return s && nt_login_allowed(nt_store_dbh(s), user, addr, nt_web_now(w), &ok, &d) == NT_OK &&
           ok;
}

void nt_web_login_result(struct nt_web *w, const char *user, const char *addr, bool success)
{
    struct nt_diag d;
    struct nt_store *s = nt_web_store(w, &d);
    if (s)
        nt_login_result(nt_store_dbh(s), user, addr, success, nt_web_now(w), &d);
}

/* ---- responses --------------------------------------------------------- */

static void security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
}

/* The request a worker thread is answering: nt_web_send notes its status
 * for the request log. */
struct request;
static __thread struct request *current;
static void note_status(struct request *r, unsigned status);

enum MHD_Result nt_web_send(struct MHD_Connection *c, unsigned status, const char *type,
                            const void *body, size_t len, const char *extra_name,
                            const char *extra_value)
{
    if (current)
        note_status(current, status);
    /* MHD takes a non-const pointer but copies the bytes (MUST_COPY). */
    union {
        const void *in;
        void *out;
    } buf = { .in = body };
    struct MHD_Response *r = MHD_create_response_from_buffer(len, buf.out, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    security_headers(r);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (extra_name)
        MHD_add_response_header(r, extra_name, extra_value);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result nt_web_json(struct MHD_Connection *c, unsigned status, json_t *j,
                            const char *cookie)
{
    char *txt = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(j);
    if (!txt)
        return nt_web_send(c, 500, "application/json", "{\"error\":\"memori tidak cukup\"}", 31,
                           NULL, NULL);
    enum MHD_Result r = nt_web_send(c, status, "application/json; charset=utf-8", txt, strlen(txt),
                                    cookie ? "Set-Cookie" : NULL, cookie);
    free(txt);
    return r;
}

enum MHD_Result nt_web_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    return nt_web_json(c, status, json_pack("{s:s}", "error", msg), NULL);
}

unsigned nt_web_status(enum nt_err err)
{
    switch (err) {
    case NT_EPERM:
        return 403;
    case NT_ENOTFOUND:
        return 404;
    case NT_ECONFLICT:
    case NT_EEXISTS:
    case NT_EBUSY:
        return 409;
    case NT_EINPUT:
    case NT_EUSAGE:
    case NT_EUTF8:
        return 400;
    case NT_ETOOBIG:
        return 413;
    case NT_ENET:
    case NT_ETIMEOUT:
        return 503; /* the database away or slow: worth trying again */
    default:
        return 500;
    }
}

/* ---- static assets ------------------------------------------------------ */

static enum MHD_Result send_asset(const struct nt_web *w, struct MHD_Connection *c, const char *url)
{
    for (size_t i = 0; i < nt_web_nassets; i++)
        if (strcmp(nt_web_assets[i].path, url) == 0)
            return nt_web_send(c, 200, nt_web_assets[i].type, nt_web_assets[i].data,
                               nt_web_assets[i].len, NULL, NULL);
    if (strcmp(url, "/vendor/chart.min.js") == 0 && w->cfg->chartjs_dir) {
        char path[1024];
        struct nt_buf b;
        struct nt_diag d;
        snprintf(path, sizeof(path), "%s/chart.min.js", w->cfg->chartjs_dir);
        nt_buf_init(&b, MAX_BODY);
        nt_diag_clear(&d);
        if (nt_file_read(path, &b, &d) == NT_OK) {
            enum MHD_Result r =
                nt_web_send(c, 200, "text/javascript; charset=utf-8", b.data, b.len, NULL, NULL);
            nt_buf_release(&b);
            return r;
        }
        nt_buf_release(&b);
    }
    return nt_web_send(c, 404, "text/plain; charset=utf-8", "tidak ditemukan\n", 16, NULL, NULL);
}

/* ---- requests ------------------------------------------------------------ */

struct request {
    struct nt_buf body;
    bool too_big;
    /* For the request log. */
    struct timespec started;
    char method[8], path[128], user[64], addr[64];
    unsigned status;
};

static void note_status(struct request *r, unsigned status)
{
    r->status = status;
}

/* One line per request: method, path (MHD gives it without the query
 * string, where secrets could be), status, time, user. Bytes that could
 * forge a line are replaced. */
static void log_request(const struct nt_web *w, const struct request *r)
{
    FILE *f = w->cfg->request_log;
    if (!f || !r->method[0])
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - r->started.tv_sec) * 1e3 +
                (double)(now.tv_nsec - r->started.tv_nsec) / 1e6;
    char path[sizeof(r->path)];
    size_t i = 0;
    for (; r->path[i] && i + 1 < sizeof(path); i++) {
        unsigned char ch = (unsigned char)r->path[i];
        path[i] = ch <= ' ' || ch == 0x7f || ch == '"' ? '?' : (char)ch;
    }
    path[i] = '\0';
    const char *level = r->status >= 500 ? "error" : r->status >= 400 ? "warning" : "info";
    fprintf(f, "level=%s stage=web method=%s path=%s status=%u ms=%.1f user=%s addr=%s\n", level,
            r->method, path, r->status, ms, r->user[0] ? r->user : "-", r->addr[0] ? r->addr : "-");
    fflush(f);
}

static void completed(void *cls, struct MHD_Connection *c, void **state,
                      enum MHD_RequestTerminationCode code)
{
    (void)c;
    (void)code;
    struct request *r = *state;
    if (r) {
        log_request(cls, r);
        if (current == r)
            current = NULL;
        nt_buf_release(&r->body);
        free(r);
    }
    *state = NULL;
}

/* The client's address: behind the configured reverse proxy every
 * connection comes from the proxy, and the client is the address the proxy
 * appended last to X-Forwarded-For (what came before it, the client could
 * have forged). From anywhere else the header is ignored. */
static void client_addr(const struct nt_web_head *h, char out[64])
{
    snprintf(out, 64, "%s", h->peer ? h->peer : "?");
    if (!h->trusted_proxy || !h->peer || strcmp(h->peer, h->trusted_proxy) != 0 || !h->xff ||
        !*h->xff)
        return;
    const char *last = strrchr(h->xff, ',');
    last = last ? last + 1 : h->xff;
    while (*last == ' ')
        last++;
    char client[64];
    size_t n = strcspn(last, " ");
    unsigned char buf[sizeof(struct in6_addr)];
    if (n > 0 && n < sizeof(client)) {
        memcpy(client, last, n);
        client[n] = '\0';
        if (inet_pton(AF_INET, client, buf) == 1 || inet_pton(AF_INET6, client, buf) == 1)
            snprintf(out, 64, "%s", client);
    }
}

void nt_web_admit(const struct nt_web_head *h, struct nt_web_verdict *v)
{
    memset(v, 0, sizeof(*v));
    client_addr(h, v->client);
    bool get = strcmp(h->method, "GET") == 0;
    if (strncmp(h->url, "/api/", 5) != 0) {
        v->asset = true;
        if (!get && strcmp(h->method, "HEAD") != 0)
            v->status = 405, v->msg = "metode tidak diizinkan";
        return;
    }
    /* State changes come from this app's own pages only: JSON (which a
     * cross-site form cannot send without a CORS preflight this server
     * never grants) and, when the browser says where it comes from, from
     * this host. This also covers the login, which has no CSRF token yet. */
    if (!get) {
        const char *o = h->origin ? strstr(h->origin, "://") : NULL;
        if (!h->content_type || strncasecmp(h->content_type, "application/json", 16) != 0) {
            v->status = 415, v->msg = "permintaan harus JSON (Content-Type: application/json)";
            return;
        }
        if (h->origin && (!o || !h->host || strcmp(o + 3, h->host) != 0)) {
            v->status = 403, v->msg = "asal permintaan tidak diizinkan";
            return;
        }
    }
    /* Every state change carries the session's CSRF token (login, which
     * starts a session, excepted). */
    if (!get && strcmp(h->url, "/api/login") != 0) {
        if (!h->session_csrf)
            v->status = 401, v->msg = "belum masuk";
        else if (!h->csrf || strlen(h->csrf) != 64 || strlen(h->session_csrf) != 64 ||
                 sodium_memcmp(h->csrf, h->session_csrf, 64) != 0)
            v->status = 403, v->msg = "token CSRF tidak sah";
    }
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    struct nt_web *w = cls;
    (void)version;
    struct request *r = *state;
    if (!r) {
        r = calloc(1, sizeof(*r));
        if (!r)
            return MHD_NO;
        nt_buf_init(&r->body, MAX_BODY);
        clock_gettime(CLOCK_MONOTONIC, &r->started);
        snprintf(r->method, sizeof(r->method), "%s", method);
        snprintf(r->path, sizeof(r->path), "%s", url);
        *state = r;
        return MHD_YES;
    }
    current = r;
    if (*upload_size) {
        if (!r->too_big && nt_buf_append(&r->body, upload, *upload_size) != NT_OK)
            r->too_big = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->too_big)
        return nt_web_error(c, 413, "permintaan terlalu besar");
    struct nt_web_req q = { .w = w,
                            .conn = c,
                            .method = method,
                            .url = url,
                            .body = r->body.data ? r->body.data : "",
                            .body_len = r->body.len };
    const char *token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "netra_session");
    if (strncmp(url, "/api/", 5) == 0 && token) {
        struct nt_diag d;
        nt_diag_clear(&d);
        enum nt_err err = session_find(w, token, q.user, q.csrf, &d);
        if (err == NT_OK) {
            q.token = token;
            snprintf(r->user, sizeof(r->user), "%s", q.user);
        } else if (err != NT_ENOTFOUND) {
            /* Not "logged out": the database could not say. */
            return nt_web_error(c, nt_web_status(err), d.msg);
        }
    }
    char peer[64] = "?";
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (getnameinfo(sa,
                        sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                  : sizeof(struct sockaddr_in),
                        peer, sizeof(peer), NULL, 0, NI_NUMERICHOST) != 0)
            snprintf(peer, sizeof(peer), "?");
    }
    struct nt_web_head h = { .method = method,
                             .url = url,
                             .content_type = header(c, "Content-Type"),
                             .origin = header(c, "Origin"),
                             .host = header(c, "Host"),
                             .csrf = header(c, "X-CSRF-Token"),
                             .xff = header(c, "X-Forwarded-For"),
                             .peer = peer,
                             .trusted_proxy = w->cfg->trusted_proxy,
                             .session_csrf = q.token ? q.csrf : NULL };
    struct nt_web_verdict v;
    nt_web_admit(&h, &v);
    if (v.status)
        return nt_web_error(c, v.status, v.msg);
    if (v.asset)
        return send_asset(w, c, strcmp(url, "/") == 0 ? "/index.html" : url);
    snprintf(q.addr, sizeof(q.addr), "%s", v.client);
    snprintf(r->addr, sizeof(r->addr), "%s", q.addr);
    q.secure = w->cfg->secure_cookies;
    return nt_web_api(&q);
}

enum nt_err nt_web_run(const struct nt_web_config *cfg, volatile sig_atomic_t *stop,
                       struct nt_diag *d)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)cfg->port);
    if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1)
        return nt_diag_set(d, NT_EINPUT, "alamat \"%s\" bukan IPv4 (mis. 127.0.0.1)", cfg->host);
    if (sodium_init() < 0)
        return nt_diag_set(d, NT_EINTERNAL, "libsodium tidak dapat dimulai");
    struct nt_web *w = calloc(1, sizeof(*w));
    if (w && nt_stats_facts_new(&w->facts) != NT_OK)
        w->facts = NULL;
    if (w && nt_coverage_copy_new(&w->coverage) != NT_OK)
        w->coverage = NULL;
    if (!w || !w->facts || !w->coverage) {
        if (w)
            nt_stats_facts_free(w->facts);
        free(w);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    w->cfg = cfg;
    pthread_mutex_init(&w->stores_lock, NULL);
    pthread_mutex_init(&w->job_lock, NULL);
    enum nt_err err = serve(w, stop, d);
    /* A rescoring still running uses w: it ends on its own. */
    while (nt_web_rescore_running(w)) {
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    pthread_mutex_destroy(&w->stores_lock);
    pthread_mutex_destroy(&w->job_lock);
    nt_stats_facts_free(w->facts);
    nt_coverage_copy_free(w->coverage);
    free(w);
    return err;
}

/* The statistics' copy of the items read once at start, beside the
 * first requests (a table asked for meanwhile waits for it). A failure
 * here is the first table's to report. */
static void *warm_facts(void *arg)
{
    struct nt_web *w = arg;
    struct nt_store *s;
    struct nt_diag d;
    if (nt_store_open(w->cfg->db_path, NT_STORE_POSTGRES, &s, &d) == NT_OK) {
        nt_stats_facts_warm(w->facts, s, &d);
        nt_store_close(s);
    }
    return NULL;
}

static enum nt_err serve(struct nt_web *w, volatile sig_atomic_t *stop, struct nt_diag *d)
{
    const struct nt_web_config *cfg = w->cfg;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)cfg->port);
    inet_pton(AF_INET, cfg->host, &sa.sin_addr); /* checked by nt_web_run */
    /* The database must open before anyone is told the server is up. */
    struct nt_store *check;
    if (nt_store_open(cfg->db_path, NT_STORE_POSTGRES, &check, d) != NT_OK)
        return d->err;
    nt_store_close(check);
    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle,
        w, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(cfg->threads ? cfg->threads : 4), MHD_OPTION_NOTIFY_COMPLETED, completed, w,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15,
        /* Slow clients: a connection that sends nothing for 15 s is closed,
         * and one address holds at most 32 connections (behind a trusted
         * proxy every client shares its address: the proxy limits them). */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)(cfg->trusted_proxy ? 0
                   : cfg->per_ip      ? cfg->per_ip
                                      : NT_WEB_PER_IP),
        MHD_OPTION_END);
    if (!daemon)
        return nt_diag_set(d, NT_ENET, "tidak dapat mendengarkan di %s:%u", cfg->host, cfg->port);
    pthread_t warm;
    bool warming = pthread_create(&warm, NULL, warm_facts, w) == 0;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    char url[128];
    snprintf(url, sizeof(url), "http://%s:%u/", cfg->host, info ? info->port : cfg->port);
    if (cfg->ready)
        cfg->ready(cfg->ready_user, url);
    while (!*stop) {
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(daemon);
    if (warming)
        pthread_join(warm, NULL);
    pthread_mutex_lock(&w->stores_lock);
    for (size_t i = 0; i < w->nstores; i++)
        nt_store_close(w->stores[i]);
    w->nstores = 0;
    pthread_mutex_unlock(&w->stores_lock);
    return NT_OK;
}
