/*
 * cmd_serve.c - `netra serve`: the web app and its JSON API.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "web.h"

const char cmd_serve_usage[] =
    "Pemakaian: netra serve [--listen ALAMAT:PORT] [--secure-cookies] [--threads N]\n"
    "                       [--slang BERKAS.csv]\n"
    "\n"
    "Menjalankan aplikasi web Netra untuk peninjau, analis dan supervisor (masuk\n"
    "dengan pengguna 'netra user', kata sandi dari 'netra user passwd'). Bawaan\n"
    "--listen 127.0.0.1:8080; port 0 memilih port bebas. Di depan internet,\n"
    "jalankan di belakang proksi TLS (lihat README) dengan --secure-cookies.\n"
    "Berhenti dengan Ctrl-C atau SIGTERM. --slang: kamus slang yang dipakai uji draf\n"
    "leksikon di aplikasi web (sama dengan netra scan --slang).\n";

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

int cmd_serve(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "secure-cookies", no_argument, NULL, 's' },
        { "threads", required_argument, NULL, 't' },
        { "slang", required_argument, NULL, 'g' },
        { NULL, 0, NULL, 0 },
    };
    struct nt_web_config cfg = { .db_path = c->db_path,
                                 .host = "127.0.0.1",
                                 .port = 8080,
                                 .threads = 4,
                                 .ready = ready,
                                 .ready_user = c,
                                 .chartjs_dir = "/usr/share/javascript/chart.js",
                                 .request_log = c->err,
                                 .datadir = c->datadir };
    char host[64];
    int opt;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'l') {
            const char *colon = strrchr(optarg, ':');
            char *end;
            long port = colon ? strtol(colon + 1, &end, 10) : -1;
            if (!colon || *end || port < 0 || port > 65535 || colon == optarg ||
                (size_t)(colon - optarg) >= sizeof(host))
                return cli_usage_error(c, "serve",
                                       "--listen harus ALAMAT:PORT, mis. 127.0.0.1:8080");
            snprintf(host, sizeof(host), "%.*s", (int)(colon - optarg), optarg);
            cfg.host = host;
            cfg.port = (unsigned)port;
        } else if (opt == 's') {
            cfg.secure_cookies = true;
        } else if (opt == 'g') {
            if (access(optarg, R_OK) != 0)
                return cli_usage_error(c, "serve", "--slang: berkas %s tidak terbaca", optarg);
            cfg.slang = optarg;
        } else if (opt == 't') {
            long n = strtol(optarg, NULL, 10);
            if (n < 1 || n > 64)
                return cli_usage_error(c, "serve", "--threads harus 1..64");
            cfg.threads = (unsigned)n;
        } else {
            return cli_bad_option(c, "serve", argc, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error(c, "serve", "argumen \"%s\" tidak dikenal", argv[optind]);
    if (getenv("NETRA_NOW"))
        cfg.fixed_now = c->now;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    struct nt_diag d;
    nt_diag_clear(&d);
    if (nt_web_run(&cfg, &stop_flag, &d) != NT_OK)
        return cli_fail(c, &d);
    fputs("Netra berhenti.\n", c->out);
    return CLI_OK;
}
