/*
 * fuzz_web_request.c - fuzz target for what `netra serve` decides from a
 * request's method, URL and headers before the API runs (web/server.c's
 * nt_web_admit: the JSON-only and same-origin rules, the CSRF check, the
 * client's address from a trusted proxy's X-Forwarded-For) and for the
 * API's path parser (nt_web_route). libmicrohttpd parses HTTP itself.
 *
 * Input: the fields one per line (method, URL, Content-Type, Origin, Host,
 * X-CSRF-Token, X-Forwarded-For, peer address, trusted proxy, the
 * session's CSRF token); a line "\x01" is a header that is absent.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

#define NFIELDS 10

void nt_fuzz_cleanup(void)
{
}

static bool is_ip(const char *s)
{
    unsigned char b[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), *f[NFIELDS] = { 0 };
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *p = buf;
    for (size_t i = 0; i < NFIELDS; i++) {
        f[i] = p;
        char *nl = p ? strchr(p, '\n') : NULL;
        if (nl)
            *nl = '\0';
        p = nl ? nl + 1 : NULL;
        if (f[i] && strcmp(f[i], "\x01") == 0)
            f[i] = NULL;
    }
    if (!f[0] || !f[1]) { /* libmicrohttpd always gives a method and a URL */
        free(buf);
        return 0;
    }
    struct nt_web_head h = { f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9] };
    struct nt_web_verdict v;
    nt_web_admit(&h, &v);
    /* The client is the peer, or an address from a trusted proxy's header. */
    if (strlen(v.client) >= sizeof(v.client))
        abort();
    bool from_proxy = h.trusted_proxy && h.peer && strcmp(h.peer, h.trusted_proxy) == 0;
    /* (a peer longer than an address is cut: getnameinfo never gives one) */
    if (strncmp(v.client, h.peer ? h.peer : "?", sizeof(v.client) - 1) != 0 &&
        !(from_proxy && is_ip(v.client)))
        abort();
    if (v.status && v.status != 401 && v.status != 403 && v.status != 405 && v.status != 415)
        abort();
    if (v.status && !v.msg)
        abort();
    /* A state change that goes through is JSON, and carries the session's
     * token unless it is the login. */
    bool get = strcmp(h.method, "GET") == 0;
    if (!v.status && !v.asset && !get) {
        if (!h.content_type || strncasecmp(h.content_type, "application/json", 16) != 0)
            abort();
        if (strcmp(h.url, "/api/login") != 0 &&
            (!h.session_csrf || !h.csrf || strcmp(h.csrf, h.session_csrf) != 0))
            abort();
    }
    if (v.asset != (strncmp(h.url, "/api/", 5) != 0))
        abort();
    static const char *const bases[] = { "/api/items", "/api/cases", "/api/lexicon",
                                         "/api/lexicon/models" };
    for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
        long long id = 0;
        char action[32];
        if (nt_web_route(h.url, bases[i], &id, action, sizeof(action)) &&
            (id <= 0 || strlen(action) >= sizeof(action) ||
             strncmp(h.url, bases[i], strlen(bases[i])) != 0))
            abort();
    }
    free(buf);
    return 0;
}
