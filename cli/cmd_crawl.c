/*
 * cmd_crawl.c - `netra crawl`: fetch declared accounts' public posts.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crawl.h"

const char cmd_crawl_usage[] =
    "Pemakaian: netra crawl [OPSI]\n"
    "\n"
    "Mengambil unggahan publik setiap akun aktif dan menyimpannya sebagai bukti\n"
    "(bajt asli, SHA-256, waktu, URL). Sopan: batas koneksi total dan per host,\n"
    "laju per host, Retry-After dan header rate limit dipatuhi, coba ulang dengan\n"
    "jeda bertambah. Aman: TLS selalu diverifikasi, hanya https, paling banyak 5\n"
    "pengalihan, alamat privat/lokal ditolak kecuali diizinkan. Status setiap akun\n"
    "disimpan dalam transaksi yang sama dengan unggahannya: crawl yang terhenti\n"
    "dapat dijalankan lagi tanpa kehilangan atau menggandakan unggahan.\n"
    "Sumber: feed (RSS, RDF, Atom, JSON Feed), Mastodon, Bluesky, dan X (API v2\n"
    "dengan token dari NETRA_X_BEARER_TOKEN; tanpa token akun X dilewati).\n"
    "\n"
    "Opsi:\n"
    "  --platform P           hanya platform ini\n"
    "  --contact EMAIL        alamat kontak di User-Agent (disarankan)\n"
    "  --allow-network CIDR   izinkan jaringan privat ini (mis. cermin lokal; uji)\n"
    "  --allow-http           izinkan http tanpa TLS (hanya untuk uji/cermin lokal)\n"
    "  --max-connections N    koneksi bersamaan (bawaan 16)\n"
    "  --per-host N           koneksi bersamaan per host (bawaan 2)\n"
    "  --rate R               permintaan per detik per host (bawaan 1)\n";

static bool number(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int cmd_crawl(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "platform", required_argument, NULL, 'p' },
        { "contact", required_argument, NULL, 'c' },
        { "allow-network", required_argument, NULL, 'n' },
        { "allow-http", no_argument, NULL, 'h' },
        { "max-connections", required_argument, NULL, 'm' },
        { "per-host", required_argument, NULL, 'H' },
        { "rate", required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    struct nt_crawl_opts o;
    char ua[300];
    double v;
    int opt;
    memset(&o, 0, sizeof(o));
    nt_http_config_defaults(&o.http);
    o.now = c->now;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            o.platform = optarg;
            break;
        case 'c':
            snprintf(ua, sizeof(ua), "Netra/0.1 (pemantau netralitas ASN; +mailto:%s)", optarg);
            o.http.user_agent = ua;
            break;
        case 'n':
            o.http.allow_networks = optarg;
            break;
        case 'h':
            o.http.allow_http = true;
            break;
        case 'm':
            if (!number(optarg, 1, 1024, &v))
                return cli_usage_error(c, "crawl", "--max-connections harus 1 sampai 1024");
            o.http.max_connections = (unsigned)v;
            break;
        case 'H':
            if (!number(optarg, 1, 64, &v))
                return cli_usage_error(c, "crawl", "--per-host harus 1 sampai 64");
            o.http.max_per_host = (unsigned)v;
            break;
        case 'r':
            if (!number(optarg, 0.01, 1000, &v))
                return cli_usage_error(c, "crawl", "--rate harus 0.01 sampai 1000");
            o.http.host_rate = v;
            break;
        default:
            return cli_bad_option(c, "crawl", argc, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error(c, "crawl", "argumen \"%s\" tidak dikenal", argv[optind]);
    o.x_token = getenv("NETRA_X_BEARER_TOKEN");
    struct nt_store *s = cli_open_store(c, 0);
    if (!s)
        return CLI_FAIL;
    struct nt_crawl_stats st;
    struct nt_diag d;
    nt_diag_clear(&d);
    int rc = CLI_OK;
    if (nt_crawl_run(s, &o, &st, &d) != NT_OK) {
        rc = cli_fail(c, &d);
    } else {
        fprintf(c->out,
                "Crawl: %zu akun; %zu diambil, %zu tidak berubah (304), %zu gagal, %zu dilewati. "
                "Unggahan baru %zu, versi baru %zu, tidak berubah %zu, terhapus %zu.\n",
                st.accounts, st.fetched, st.not_modified, st.failed, st.unsupported, st.posts_added,
                st.posts_edited, st.posts_unchanged, st.posts_deleted);
        if (st.failed)
            fputs("Lihat 'netra accounts status' untuk galat per akun.\n", c->out);
    }
    nt_store_close(s);
    return rc;
}
