/*
 * web.h - `netra serve`: the web app for reviewers, analysts and
 * supervisors, on libmicrohttpd, over the same review library the CLI uses.
 *
 * A JSON API under /api/ (documented in web/README.md) and one page
 * application (HTML, CSS and JavaScript embedded in the binary; Chart.js from
 * Debian's libjs-chart.js when installed). Sessions are random tokens in
 * HttpOnly SameSite=Strict cookies (Secure when configured, e.g. behind a
 * TLS proxy); every state change needs the session's CSRF token in the
 * X-CSRF-Token header; logins are throttled per user name and per address;
 * every response carries a Content-Security-Policy without inline script,
 * X-Content-Type-Options and frame-ancestors 'none'. Every endpoint checks
 * the user's role and agencies through the review library.
 */
#ifndef NT_WEB_H
#define NT_WEB_H

#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <time.h>

#include "diag.h"

struct nt_web_config {
    const char *db_path;     /* borrowed */
    const char *host;        /* address to listen on, e.g. "127.0.0.1" */
    unsigned port;           /* 0: any free port */
    bool secure_cookies;     /* add Secure to cookies (behind https) */
    unsigned threads;        /* worker threads (each with its own connection) */
    time_t fixed_now;        /* 0: the clock; tests pin time */
    const char *chartjs_dir; /* Debian's /usr/share/javascript/chart.js */
    const char *datadir;     /* the bundled lexicon and model, when the store has none */
    const char *slang;       /* slang list (CSV slang,formal) for scoring, or NULL */
    FILE *request_log;       /* one line per request (journald-friendly), or NULL */
    const char
        *trusted_proxy; /* the reverse proxy's address: its X-Forwarded-For names the client */
    unsigned per_ip;    /* connections per client address; 0: NT_WEB_PER_IP (none behind a
                           trusted proxy, which must limit per client itself) */
    /* Called once listening, with the base URL. */
    void (*ready)(void *user, const char *url);
    void *ready_user;
};

/* Connections one address may hold by default: an office behind one NAT
 * address (a browser keeps about 6), while a slow-client flood from one
 * address cannot take the server's 1024. */
#define NT_WEB_PER_IP 64

/* Serve until *stop becomes non-zero (a signal handler sets it). */
enum nt_err nt_web_run(const struct nt_web_config *cfg, volatile sig_atomic_t *stop,
                       struct nt_diag *d);

#endif
