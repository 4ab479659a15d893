/*
 * config.h - the crawler's settings: defaults, a configuration file and
 * command-line overrides, all through one key/value table.
 *
 * The file is lines of `key = value`; `#` starts a comment; blank lines are
 * ignored. Keys (README "Konfigurasi crawl" lists them with examples):
 *   contact, max_connections, per_host, rate, connect_timeout, timeout,
 *   max_body, media, media_max, video_max, follows, lease, max_attempts, allow_networks,
 *   allow_http, ca_file,
 *   x_bearer_token, interval.
 * Durations take s, m, h or d (`30m`); plain numbers are seconds. Sizes
 * take K or M. Booleans are yes/no, true/false, 1/0.
 *
 * Ownership: the config owns every string it holds; `opts` borrows them and
 * stays valid until nt_crawl_config_free.
 */
#ifndef NT_CRAWL_CONFIG_H
#define NT_CRAWL_CONFIG_H

#include <stdbool.h>

#include "crawl.h"
#include "diag.h"

struct nt_crawl_config {
    struct nt_crawl_opts opts; /* ready for nt_crawl_run */
    double interval_s;         /* between runs of `crawl --watch` */
    unsigned retention_days;   /* `netra run`: purge old content daily (0: never) */
    bool token_file_exposed;   /* the file holding the X token is readable by others */
    char *own[5];              /* contact UA, networks, CA file, token, token hosts */
};

/* Safe defaults (nt_http_config_defaults; interval 30 minutes). */
void nt_crawl_config_init(struct nt_crawl_config *c);
void nt_crawl_config_free(struct nt_crawl_config *c);

/* Set one key. NT_EINPUT names the key and says what is expected. */
enum nt_err nt_crawl_config_set(struct nt_crawl_config *c, const char *key, const char *value,
                                struct nt_diag *d);

/* Read a file; errors are "FILE:LINE: ..." and leave earlier keys set. */
enum nt_err nt_crawl_config_load(struct nt_crawl_config *c, const char *path, struct nt_diag *d);

/* "90", "45s", "30m", "2h", "1d" -> seconds; false when malformed. */
bool nt_crawl_parse_duration(const char *s, double *out);

#endif
