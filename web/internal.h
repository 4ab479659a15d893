/*
 * internal.h - what server.c, api.c and the generated assets.c share.
 */
#ifndef NT_WEB_INTERNAL_H
#define NT_WEB_INTERNAL_H

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "review.h"
#include "store.h"
#include "web.h"

/* The background rescoring after an activation (rescore.c). */
struct nt_web_job {
    bool running, again;
    time_t started, finished;
    size_t scanned, queued;
    int64_t lexicon_id, model_id;
    char error[256];
};

/*
 * The server: its configuration and everything its threads share, made by
 * nt_web_run and handed to every libmicrohttpd callback (no globals). Each
 * group of fields has its own lock.
 */
struct nt_web {
    const struct nt_web_config *cfg;
    pthread_mutex_t stores_lock; /* the worker threads' connections, closed at the end */
    struct nt_store *stores[64];
    size_t nstores;
    pthread_mutex_t job_lock;
    struct nt_web_job job;
    struct nt_stats_facts *facts;      /* the statistics' copy of the items' keys, shared */
    struct nt_coverage_copy *coverage; /* the coverage's order, shared */
};

/* Assets embedded at build time (assets.c, generated from web/assets/). */
struct nt_web_asset {
    const char *path, *type;
    const unsigned char *data;
    size_t len;
};
extern const struct nt_web_asset nt_web_assets[];
extern const size_t nt_web_nassets;

/* One API request, its session already looked up (token NULL: none). */
struct nt_web_req {
    struct nt_web *w;
    struct MHD_Connection *conn;
    const char *method, *url;
    const char *body;
    size_t body_len;
    const char *token;
    char user[64], csrf[65];
    char addr[64];
    bool secure;
};

enum MHD_Result nt_web_api(struct nt_web_req *q);

/* server.c */
time_t nt_web_now(const struct nt_web *w);
/* This worker thread's connection to the database (opened once). */
struct nt_store *nt_web_store(struct nt_web *w, struct nt_diag *d);
bool nt_web_session_new(struct nt_web *w, const char *user, char token[65], char csrf[65]);
void nt_web_session_end(struct nt_web *w, const char *token);
bool nt_web_login_allowed(struct nt_web *w, const char *user, const char *addr);
void nt_web_login_result(struct nt_web *w, const char *user, const char *addr, bool success);

/*
 * What is decided from a request's method, URL and headers alone, before
 * the API runs (no connection, no store: tests/fuzz/fuzz_web_request.c
 * drives it with hostile headers). status 0: go on; else the answer.
 */
struct nt_web_head {
    const char *method, *url;
    const char *content_type, *origin, *host; /* headers, or NULL */
    const char *csrf;                         /* X-CSRF-Token, or NULL */
    const char *xff;                          /* X-Forwarded-For, or NULL */
    const char *peer;                         /* the connection's address */
    const char *trusted_proxy;                /* configured, or NULL */
    const char *session_csrf;                 /* the session's token; NULL: no session */
};
struct nt_web_verdict {
    unsigned status;
    const char *msg;
    bool asset;      /* not an API request: a static asset */
    char client[64]; /* the client's address (the proxy's X-Forwarded-For when trusted) */
};
void nt_web_admit(const struct nt_web_head *h, struct nt_web_verdict *v);

/* api.c: "/base/ID[/action]" (ID > 0); false for anything else. */
bool nt_web_route(const char *url, const char *base, long long *id, char *action, size_t n);
enum MHD_Result nt_web_send(struct MHD_Connection *c, unsigned status, const char *type,
                            const void *body, size_t len, const char *extra_name,
                            const char *extra_value);
/* Takes `j`. */
enum MHD_Result nt_web_json(struct MHD_Connection *c, unsigned status, json_t *j,
                            const char *cookie);
enum MHD_Result nt_web_error(struct MHD_Connection *c, unsigned status, const char *msg);
unsigned nt_web_status(enum nt_err err);

/* rescore.c: the background rescoring after an activation. */
void nt_web_rescore_start(struct nt_web *w);
bool nt_web_rescore_running(struct nt_web *w);
json_t *nt_web_rescore_status(struct nt_web *w, struct nt_store *s, struct nt_diag *d);

#endif
