/*
 * config.c - crawler settings from defaults, a file and the command line.
 */
#include "conf.h"
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OWN_UA, OWN_NETWORKS, OWN_CA, OWN_TOKEN, OWN_TOKEN_HOSTS };

void nt_crawl_config_init(struct nt_crawl_config *c)
{
    memset(c, 0, sizeof(*c));
    nt_http_config_defaults(&c->opts.http);
    c->interval_s = 1800;
}

void nt_crawl_config_free(struct nt_crawl_config *c)
{
    for (size_t i = 0; i < sizeof(c->own) / sizeof(c->own[0]); i++) {
        if (i == OWN_TOKEN && c->own[i]) /* do not leave the secret in freed memory */
            memset(c->own[i], 0, strlen(c->own[i]));
        free(c->own[i]);
        c->own[i] = NULL;
    }
}

static bool replace(struct nt_crawl_config *c, int slot, const char *v, const char **field)
{
    char *copy = strdup(v);
    if (!copy)
        return false;
    free(c->own[slot]);
    c->own[slot] = copy;
    if (field)
        *field = copy;
    return true;
}

struct unit {
    char suffix;
    double mult;
};
static const struct unit time_units[] = {
    { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 0, 0 }
};
static const struct unit size_units[] = {
    { 'K', 1024 }, { 'k', 1024 }, { 'M', 1024 * 1024 }, { 'm', 1024 * 1024 }, { 0, 0 }
};

/* A non-negative number with at most one unit letter from `units`. */
static bool scaled(const char *s, const struct unit *units, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v) || v < 0)
        return false;
    for (; units && units->suffix; units++)
        if (*end == units->suffix) {
            v *= units->mult;
            end++;
            break;
        }
    if (*end)
        return false;
    *out = v;
    return true;
}

bool nt_crawl_parse_duration(const char *s, double *out)
{
    return scaled(s, time_units, out);
}

static bool number(const char *s, double lo, double hi, double *out)
{
    return scaled(s, NULL, out) && *out >= lo && *out <= hi;
}

enum nt_err nt_crawl_config_set(struct nt_crawl_config *c, const char *key, const char *value,
                                struct nt_diag *d)
{
    struct nt_http_config *h = &c->opts.http;
    double v;
    bool b;
    if (!strcmp(key, "contact")) {
        char ua[400];
        if (!*value || strlen(value) > 200 || strpbrk(value, " \t\r\n()"))
            return nt_diag_set(d, NT_EINPUT, "contact: harus alamat surel atau URL tanpa spasi");
        snprintf(ua, sizeof(ua), "Netra/0.1 (pemantau netralitas ASN; +%s%s)",
                 strchr(value, '@') && !strchr(value, ':') ? "mailto:" : "", value);
        if (!replace(c, OWN_UA, ua, &h->user_agent))
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    } else if (!strcmp(key, "max_connections")) {
        if (!number(value, 1, 1024, &v))
            return nt_diag_set(d, NT_EINPUT, "max_connections: harus 1 sampai 1024");
        h->max_connections = (unsigned)v;
    } else if (!strcmp(key, "per_host")) {
        if (!number(value, 1, 64, &v))
            return nt_diag_set(d, NT_EINPUT, "per_host: harus 1 sampai 64");
        h->max_per_host = (unsigned)v;
    } else if (!strcmp(key, "rate")) {
        if (!number(value, 0.01, 1000, &v))
            return nt_diag_set(d, NT_EINPUT, "rate: harus 0.01 sampai 1000 permintaan per detik");
        h->host_rate = v;
    } else if (!strcmp(key, "connect_timeout") || !strcmp(key, "timeout")) {
        if (!nt_crawl_parse_duration(value, &v) || v < 1 || v > 3600)
            return nt_diag_set(d, NT_EINPUT, "%s: harus durasi 1s sampai 1h", key);
        *(key[0] == 'c' ? &h->connect_timeout_ms : &h->total_timeout_ms) = (long)(v * 1000);
    } else if (!strcmp(key, "max_body")) {
        if (!scaled(value, size_units, &v) || v < 1024 || v > 1024.0 * 1024 * 1024)
            return nt_diag_set(d, NT_EINPUT, "max_body: harus ukuran 1K sampai 1024M");
        h->max_body = (size_t)v;
    } else if (!strcmp(key, "media")) {
        if (!nt_conf_bool(value, &b))
            return nt_diag_set(d, NT_EINPUT, "media: harus yes atau no");
        c->opts.media.no_images = !b;
    } else if (!strcmp(key, "lease")) {
        if (!nt_crawl_parse_duration(value, &v) || (v != 0 && (v < 1 || v > 86400)))
            return nt_diag_set(d, NT_EINPUT,
                               "lease: harus 0 (tidak berbagi) atau durasi 1s sampai 1d");
        c->opts.lease_s = v;
    } else if (!strcmp(key, "follows")) {
        if (!nt_conf_bool(value, &b))
            return nt_diag_set(d, NT_EINPUT, "follows: harus yes atau no");
        c->opts.no_follows = !b;
    } else if (!strcmp(key, "media_max") || !strcmp(key, "video_max")) {
        bool video = key[0] == 'v';
        if (!scaled(value, size_units, &v) || (v < 1024 && !(video && v == 0)) ||
            v > 1024.0 * 1024 * 1024)
            return nt_diag_set(d, NT_EINPUT, "%s: harus ukuran %s sampai 1024M", key,
                               video ? "0 (hanya dicatat) atau 1K" : "1K");
        *(video ? &c->opts.media.video_max : &c->opts.media.image_max) = (size_t)v;
    } else if (!strcmp(key, "max_attempts")) {
        if (!number(value, 1, 10, &v))
            return nt_diag_set(d, NT_EINPUT, "max_attempts: harus 1 sampai 10");
        h->max_attempts = (unsigned)v;
    } else if (!strcmp(key, "allow_networks")) {
        if (!replace(c, OWN_NETWORKS, value, &h->allow_networks))
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    } else if (!strcmp(key, "allow_http")) {
        if (!nt_conf_bool(value, &b))
            return nt_diag_set(d, NT_EINPUT, "allow_http: harus yes atau no");
        h->allow_http = b;
    } else if (!strcmp(key, "ca_file")) {
        if (!replace(c, OWN_CA, value, &h->ca_file))
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    } else if (!strcmp(key, "x_bearer_token")) {
        if (!*value || strpbrk(value, " \t\r\n"))
            return nt_diag_set(d, NT_EINPUT,
                               "x_bearer_token: token tidak boleh kosong atau berspasi");
        if (!replace(c, OWN_TOKEN, value, &c->opts.x_token))
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    } else if (!strcmp(key, "x_token_hosts")) {
        if (!*value || strpbrk(value, " \t/:@"))
            return nt_diag_set(d, NT_EINPUT,
                               "x_token_hosts: nama host dipisah koma, tanpa skema atau port");
        if (!replace(c, OWN_TOKEN_HOSTS, value, &c->opts.x_token_hosts))
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    } else if (!strcmp(key, "retention")) {
        /* Read here so that one file configures the pipeline; `netra run`
         * applies it (review's retention, once a day). */
        if (!nt_crawl_parse_duration(value, &v) || v < 86400 || v > 36500.0 * 86400)
            return nt_diag_set(d, NT_EINPUT,
                               "retention: harus jumlah hari 1d sampai 36500d (mis. 180d)");
        c->retention_days = (unsigned)(v / 86400);
    } else if (!strcmp(key, "interval")) {
        if (!nt_crawl_parse_duration(value, &v) || v < 1 || v > 7 * 86400)
            return nt_diag_set(d, NT_EINPUT, "interval: harus durasi 1s sampai 7d (mis. 30m)");
        c->interval_s = v;
    } else {
        return nt_diag_set(d, NT_EINPUT, "kunci \"%s\" tidak dikenal", key);
    }
    return NT_OK;
}

struct loader {
    struct nt_crawl_config *c;
    bool exposed;
};

static enum nt_err set_key(void *ctx, const char *key, const char *value, struct nt_diag *d)
{
    struct loader *l = ctx;
    enum nt_err err = nt_crawl_config_set(l->c, key, value, d);
    if (!err && !strcmp(key, "x_bearer_token") && l->exposed)
        l->c->token_file_exposed = true;
    return err;
}

enum nt_err nt_crawl_config_load(struct nt_crawl_config *c, const char *path, struct nt_diag *d)
{
    /* The crawl's keys: the [crawl] section, or a file without sections. */
    static const char *const sections[] = { "", "crawl", NULL };
    struct loader l = { c, false };
    struct stat sb;
    l.exposed = stat(path, &sb) == 0 && (sb.st_mode & 077);
    return nt_conf_read(path, sections, set_key, &l, NULL, d);
}
