/*
 * cmd_serve.c - `netra serve`: the web app and its JSON API.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "conf.h"
#include "web.h"

const char cmd_serve_usage[] =
    "Pemakaian: netra serve [--config BERKAS] [--listen ALAMAT:PORT] [--secure-cookies]\n"
    "                       [--threads N] [--trusted-proxy IP] [--slang BERKAS.csv]\n"
    "\n"
    "Menjalankan aplikasi web Netra untuk peninjau, analis dan supervisor (masuk\n"
    "dengan pengguna 'netra user', kata sandi dari 'netra user passwd'). Bawaan\n"
    "--listen 127.0.0.1:8080; port 0 memilih port bebas. Di depan internet,\n"
    "jalankan di belakang proksi TLS (lihat README) dengan --secure-cookies.\n"
    "Berhenti dengan Ctrl-C atau SIGTERM. --slang: kamus slang yang dipakai uji draf\n"
    "leksikon di aplikasi web (sama dengan netra scan --slang).\n"
    "\n"
    "--config BERKAS (atau NETRA_CONFIG): bagian [serve] berkas konfigurasi Netra\n"
    "(listen, threads, secure_cookies, trusted_proxy, per_ip_connections, slang,\n"
    "request_log = yes|no); per_ip_connections: sambungan per alamat klien (bawaan 64;\n"
    "tanpa batas di balik trusted_proxy, yang membatasi per klien sendiri);\n"
    "trusted_proxy: alamat proksi balik; alamat klien diambil dari X-Forwarded-For\n"
    "yang ditambahkannya (pembatasan percobaan masuk per klien, log). Opsi baris\n"
    "perintah menimpanya. Bagian [crawl] untuk netra run dan crawl.\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void ready(void *user, const char *url)
{
    struct cli *c = user;
    fprintf(c->out, "Netra melayani di %s (Ctrl-C untuk berhenti)\n", url);
    fflush(c->out);
}

struct serve_settings {
    struct nt_web_config cfg;
    char host[64];
    char slang[4096];
    char proxy[64];
};

/* One setting, from the [serve] section of the configuration file or the
 * command line (which wins): listen, threads, secure_cookies, slang,
 * request_log. The message says what is expected. */
static enum nt_err serve_set(void *ctx, const char *key, const char *value, struct nt_diag *d)
{
    struct serve_settings *ss = ctx;
    struct nt_web_config *cfg = &ss->cfg;
    if (!strcmp(key, "listen")) {
        const char *colon = strrchr(value, ':');
        char *end;
        long port = colon ? strtol(colon + 1, &end, 10) : -1;
        if (!colon || *end || port < 0 || port > 65535 || colon == value ||
            (size_t)(colon - value) >= sizeof(ss->host))
            return nt_diag_set(d, NT_EINPUT, "listen harus ALAMAT:PORT, mis. 127.0.0.1:8080");
        snprintf(ss->host, sizeof(ss->host), "%.*s", (int)(colon - value), value);
        cfg->host = ss->host;
        cfg->port = (unsigned)port;
    } else if (!strcmp(key, "threads")) {
        if (!nt_conf_uint(value, 1, 64, &cfg->threads))
            return nt_diag_set(d, NT_EINPUT, "threads harus 1..64");
    } else if (!strcmp(key, "per_ip_connections")) {
        if (!nt_conf_uint(value, 4, 1024, &cfg->per_ip))
            return nt_diag_set(d, NT_EINPUT, "per_ip_connections harus 4..1024");
    } else if (!strcmp(key, "secure_cookies") || !strcmp(key, "request_log")) {
        bool on;
        if (!nt_conf_bool(value, &on))
            return nt_diag_set(d, NT_EINPUT, "%s harus yes atau no", key);
        if (key[0] == 's')
            cfg->secure_cookies = on;
        else
            cfg->request_log = on ? stderr : NULL;
    } else if (!strcmp(key, "trusted_proxy")) {
        unsigned char buf[16];
        if (strlen(value) >= sizeof(ss->proxy) ||
            (inet_pton(AF_INET, value, buf) != 1 && inet_pton(AF_INET6, value, buf) != 1))
            return nt_diag_set(d, NT_EINPUT, "trusted_proxy harus alamat IP, mis. 127.0.0.1");
        snprintf(ss->proxy, sizeof(ss->proxy), "%s", value);
        cfg->trusted_proxy = ss->proxy;
    } else if (!strcmp(key, "slang")) {
        if (access(value, R_OK) != 0)
            return nt_diag_set(d, NT_EINPUT, "slang: berkas %s tidak terbaca", value);
        snprintf(ss->slang, sizeof(ss->slang), "%s", value);
        cfg->slang = ss->slang;
    } else {
        return nt_diag_set(d, NT_EINPUT,
                           "kunci \"%s\" tidak dikenal (listen, threads, "
                           "secure_cookies, trusted_proxy, per_ip_connections, slang, "
                           "request_log)",
                           key);
    }
    return NT_OK;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "secure-cookies", no_argument, NULL, 's' },
        { "threads", required_argument, NULL, 't' },
        { "slang", required_argument, NULL, 'g' },
        { "config", required_argument, NULL, 'f' },
        { "trusted-proxy", required_argument, NULL, 'p' },
        { NULL, 0, NULL, 0 },
    };
    struct serve_settings ss = { .cfg = { .db_path = c->db_path,
                                          .host = "127.0.0.1",
                                          .port = 8080,
                                          .threads = 4,
                                          .ready = ready,
                                          .ready_user = c,
                                          .chartjs_dir = "/usr/share/javascript/chart.js",
                                          .request_log = c->err,
                                          .datadir = c->datadir } };
    const char *config = getenv("NETRA_CONFIG");
    int opt;
    /* The file first, then the command line over it. */
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1)
        if (opt == 'f')
            config = optarg;
        else if (opt == '?')
            return cli_bad_option(c, "serve", argc, argv);
    struct nt_diag d;
    nt_diag_clear(&d);
    static const char *const sections[] = { "serve", NULL };
    if (config && *config && nt_conf_read(config, sections, serve_set, &ss, NULL, &d) != NT_OK)
        return cli_fail(c, &d);
    optind = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        static const char *const key[128] = { ['l'] = "listen",
                                              ['t'] = "threads",
                                              ['g'] = "slang",
                                              ['s'] = "secure_cookies",
                                              ['p'] = "trusted_proxy" };
        if (opt == 'f')
            continue;
        if (opt < 0 || opt >= 128 || !key[opt])
            return cli_bad_option(c, "serve", argc, argv);
        nt_diag_clear(&d);
        if (serve_set(&ss, key[opt], opt == 's' ? "yes" : optarg, &d) != NT_OK)
            return cli_usage_error(c, "serve", "--%s", d.msg);
    }
    if (optind != argc)
        return cli_usage_error(c, "serve", "argumen \"%s\" tidak dikenal", argv[optind]);
    struct nt_web_config *cfg = &ss.cfg;
    if (cfg->request_log)
        cfg->request_log = c->err;
    if (getenv("NETRA_NOW"))
        cfg->fixed_now = c->now;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    nt_diag_clear(&d);
    if (nt_web_run(cfg, &stop_flag, &d) != NT_OK)
        return cli_fail(c, &d);
    fputs("Netra berhenti.\n", c->out);
    return CLI_OK;
}
