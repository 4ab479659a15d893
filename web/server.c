/*
 * server.c - the HTTP side of `netra serve`: connections, request bodies,
 * sessions and CSRF tokens, login throttling, security headers, static
 * assets and the routing of /api/ requests to api.c.
 *
 * libmicrohttpd runs a small pool of threads; each thread keeps its own
 * SQLite connection (WAL lets them read in parallel; writes take turns).
 * Sessions and the login throttle live in memory behind one mutex: a
 * restart logs everybody out, which is the safe direction.
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
#include "throttle.h"

#define MAX_BODY     (8u * 1024 * 1024)
#define MAX_SESSIONS 4096
#define SESSION_IDLE (8 * 3600)

struct session {
    char token[65]; /* hex of 32 random bytes; "" = free slot */
    char csrf[65];
    char user[64];
    time_t last;
};

static struct {
    pthread_mutex_t lock;
    struct session sessions[MAX_SESSIONS];
    struct nt_throttle_entry throttle_mem[4096];
    struct nt_throttle throttle;
    const struct nt_web_config *cfg;
    pthread_mutex_t stores_lock;
    struct nt_store *stores[64];
    size_t nstores;
} W = { .lock = PTHREAD_MUTEX_INITIALIZER, .stores_lock = PTHREAD_MUTEX_INITIALIZER };

static _Thread_local struct nt_store *tls_store;

const struct nt_web_config *nt_web_config(void)
{
    return W.cfg;
}

time_t nt_web_now(void)
{
    return W.cfg->fixed_now ? W.cfg->fixed_now : time(NULL);
}

struct nt_store *nt_web_store(struct nt_diag *d)
{
    if (tls_store)
        return tls_store;
    if (nt_store_open(W.cfg->db_path, 0, &tls_store, d) != NT_OK)
        return NULL;
    pthread_mutex_lock(&W.stores_lock);
    if (W.nstores < sizeof(W.stores) / sizeof(W.stores[0]))
        W.stores[W.nstores++] = tls_store;
    pthread_mutex_unlock(&W.stores_lock);
    return tls_store;
}

static void random_hex(char out[65])
{
    unsigned char b[32];
    randombytes_buf(b, sizeof(b));
    sodium_bin2hex(out, 65, b, sizeof(b));
}

void nt_web_session_new(const char *user, char token[65], char csrf[65])
{
    time_t now = nt_web_now();
    pthread_mutex_lock(&W.lock);
    struct session *free_slot = NULL, *oldest = &W.sessions[0];
    for (size_t i = 0; i < MAX_SESSIONS; i++) {
        struct session *s = &W.sessions[i];
        if (s->token[0] && now - s->last > SESSION_IDLE)
            s->token[0] = '\0';
        if (!s->token[0] && !free_slot)
            free_slot = s;
        if (s->last < oldest->last)
            oldest = s;
    }
    struct session *s = free_slot ? free_slot : oldest;
    random_hex(s->token);
    random_hex(s->csrf);
    snprintf(s->user, sizeof(s->user), "%s", user);
    s->last = now;
    memcpy(token, s->token, 65);
    memcpy(csrf, s->csrf, 65);
    pthread_mutex_unlock(&W.lock);
}

/* The session of a token: its user and CSRF token (copied). */
static bool session_find(const char *token, char user[64], char csrf[65])
{
    bool found = false;
    time_t now = nt_web_now();
    if (!token || strlen(token) != 64)
        return false;
    pthread_mutex_lock(&W.lock);
    for (size_t i = 0; i < MAX_SESSIONS && !found; i++) {
        struct session *s = &W.sessions[i];
        if (!s->token[0] || sodium_memcmp(s->token, token, 64) != 0)
            continue;
        if (now - s->last > SESSION_IDLE) {
            s->token[0] = '\0';
            break;
        }
        s->last = now;
        memcpy(user, s->user, 64);
        memcpy(csrf, s->csrf, 65);
        found = true;
    }
    pthread_mutex_unlock(&W.lock);
    return found;
}

void nt_web_session_end(const char *token)
{
    pthread_mutex_lock(&W.lock);
    for (size_t i = 0; token && i < MAX_SESSIONS; i++)
        if (W.sessions[i].token[0] && strcmp(W.sessions[i].token, token) == 0)
            memset(&W.sessions[i], 0, sizeof(W.sessions[i]));
    pthread_mutex_unlock(&W.lock);
}

bool nt_web_login_allowed(const char *user, const char *addr)
{
    pthread_mutex_lock(&W.lock);
    if (!W.throttle.v)
        nt_throttle_init(&W.throttle, W.throttle_mem,
                         sizeof(W.throttle_mem) / sizeof(W.throttle_mem[0]));
    bool ok = nt_throttle_allowed(&W.throttle, user, addr, nt_web_now());
    pthread_mutex_unlock(&W.lock);
    return ok;
}

void nt_web_login_result(const char *user, const char *addr, bool success)
{
    pthread_mutex_lock(&W.lock);
    if (!W.throttle.v)
        nt_throttle_init(&W.throttle, W.throttle_mem,
                         sizeof(W.throttle_mem) / sizeof(W.throttle_mem[0]));
    nt_throttle_result(&W.throttle, user, addr, success, nt_web_now());
    pthread_mutex_unlock(&W.lock);
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
    default:
        return 500;
    }
}

/* ---- static assets ------------------------------------------------------ */

static enum MHD_Result send_asset(struct MHD_Connection *c, const char *url)
{
    for (size_t i = 0; i < nt_web_nassets; i++)
        if (strcmp(nt_web_assets[i].path, url) == 0)
            return nt_web_send(c, 200, nt_web_assets[i].type, nt_web_assets[i].data,
                               nt_web_assets[i].len, NULL, NULL);
    if (strcmp(url, "/vendor/chart.min.js") == 0 && W.cfg->chartjs_dir) {
        char path[1024];
        struct nt_buf b;
        struct nt_diag d;
        snprintf(path, sizeof(path), "%s/chart.min.js", W.cfg->chartjs_dir);
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
static void log_request(const struct request *r)
{
    FILE *f = W.cfg ? W.cfg->request_log : NULL;
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
    (void)cls;
    (void)c;
    (void)code;
    struct request *r = *state;
    if (r) {
        log_request(r);
        if (current == r)
            current = NULL;
        nt_buf_release(&r->body);
        free(r);
    }
    *state = NULL;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    (void)cls;
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
    if (strncmp(url, "/api/", 5) != 0) {
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return nt_web_error(c, 405, "metode tidak diizinkan");
        return send_asset(c, strcmp(url, "/") == 0 ? "/index.html" : url);
    }
    /* State changes come from this app's own pages only: JSON (which a
     * cross-site form cannot send without a CORS preflight this server
     * never grants) and, when the browser says where it comes from, from
     * this host. This also covers the login, which has no CSRF token yet. */
    if (strcmp(method, "GET") != 0) {
        const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
        const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
        const char *o = origin ? strstr(origin, "://") : NULL;
        if (!ct || strncasecmp(ct, "application/json", 16) != 0)
            return nt_web_error(c, 415, "permintaan harus JSON (Content-Type: application/json)");
        if (origin && (!o || !host || strcmp(o + 3, host) != 0))
            return nt_web_error(c, 403, "asal permintaan tidak diizinkan");
    }
    struct nt_web_req q = { .conn = c,
                            .method = method,
                            .url = url,
                            .body = r->body.data ? r->body.data : "",
                            .body_len = r->body.len };
    const char *token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "netra_session");
    if (token && session_find(token, q.user, q.csrf)) {
        q.token = token;
        snprintf(r->user, sizeof(r->user), "%s", q.user);
    }
    /* Every state change carries the session's CSRF token (login, which
     * starts a session, excepted). */
    if (strcmp(method, "GET") != 0 && strcmp(url, "/api/login") != 0) {
        const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!q.token)
            return nt_web_error(c, 401, "belum masuk");
        if (!h || strlen(h) != 64 || sodium_memcmp(h, q.csrf, 64) != 0)
            return nt_web_error(c, 403, "token CSRF tidak sah");
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(q.addr, sizeof(q.addr), "?");
    if (ci && ci->client_addr) {
        char host[64];
        const struct sockaddr *sa = ci->client_addr;
        if (getnameinfo(sa,
                        sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                  : sizeof(struct sockaddr_in),
                        host, sizeof(host), NULL, 0, NI_NUMERICHOST) == 0)
            snprintf(q.addr, sizeof(q.addr), "%s", host);
    }
    /* Behind the configured reverse proxy every connection comes from the
     * proxy: the client is the address the proxy appended last to
     * X-Forwarded-For (what came before it, the client could have forged).
     * From anywhere else the header is ignored. */
    if (W.cfg->trusted_proxy && strcmp(q.addr, W.cfg->trusted_proxy) == 0) {
        const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
        if (xff && *xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ')
                last++;
            char client[64];
            size_t n = strcspn(last, " ");
            unsigned char buf[sizeof(struct in6_addr)];
            if (n > 0 && n < sizeof(client)) {
                memcpy(client, last, n);
                client[n] = '\0';
                if (inet_pton(AF_INET, client, buf) == 1 || inet_pton(AF_INET6, client, buf) == 1)
                    snprintf(q.addr, sizeof(q.addr), "%s", client);
            }
        }
    }
    snprintf(r->addr, sizeof(r->addr), "%s", q.addr);
    q.secure = W.cfg->secure_cookies;
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
    W.cfg = cfg;
    /* The database must open before anyone is told the server is up. */
    struct nt_store *check;
    if (nt_store_open(cfg->db_path, 0, &check, d) != NT_OK)
        return d->err;
    nt_store_close(check);
    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle,
        NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(cfg->threads ? cfg->threads : 4), MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
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
    pthread_mutex_lock(&W.stores_lock);
    for (size_t i = 0; i < W.nstores; i++)
        nt_store_close(W.stores[i]);
    W.nstores = 0;
    pthread_mutex_unlock(&W.stores_lock);
    return NT_OK;
}
