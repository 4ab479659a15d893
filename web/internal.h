/*
 * internal.h - what server.c, api.c and the generated assets.c share.
 */
#ifndef NT_WEB_INTERNAL_H
#define NT_WEB_INTERNAL_H

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdbool.h>
#include <stddef.h>

#include "review.h"
#include "store.h"
#include "web.h"

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
time_t nt_web_now(void);
const struct nt_web_config *nt_web_config(void);
struct nt_store *nt_web_store(struct nt_diag *d);
void nt_web_session_new(const char *user, char token[65], char csrf[65]);
void nt_web_session_end(const char *token);
bool nt_web_login_allowed(const char *user, const char *addr);
void nt_web_login_result(const char *user, const char *addr, bool success);
enum MHD_Result nt_web_send(struct MHD_Connection *c, unsigned status, const char *type,
                            const void *body, size_t len, const char *extra_name,
                            const char *extra_value);
/* Takes `j`. */
enum MHD_Result nt_web_json(struct MHD_Connection *c, unsigned status, json_t *j,
                            const char *cookie);
enum MHD_Result nt_web_error(struct MHD_Connection *c, unsigned status, const char *msg);
unsigned nt_web_status(enum nt_err err);

/* rescore.c: the background rescoring after an activation. */
void nt_web_rescore_start(void);
bool nt_web_rescore_running(void);
json_t *nt_web_rescore_status(struct nt_store *s, struct nt_diag *d);

#endif
