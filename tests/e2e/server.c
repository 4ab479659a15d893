/*
 * server.c - test helper: an HTTP server on 127.0.0.1 for end-to-end crawl
 * tests (libmicrohttpd). Serves the files of a directory with ETags and
 * conditional GET, and misbehaves on some paths:
 *   /gone               410
 *   /redirect-private   302 to 127.0.0.2 (a loopback address not allowed)
 *   /busy               429 with Retry-After: 1 the first time, then the file busy.xml
 * Writes its port to PORTFILE, logs "METHOD PATH STATUS" lines to stdout,
 * and stops on SIGTERM/SIGINT or after 120 seconds.
 *
 *   nt_test_server DIR PORTFILE
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;
static unsigned short port;
static volatile sig_atomic_t stop;
static int busy_hits;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static enum MHD_Result send_text(struct MHD_Connection *c, const char *path, unsigned status,
                                 const char *body, const char *h, const char *v)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
                                                             MHD_RESPMEM_MUST_COPY);
    if (h)
        MHD_add_response_header(r, h, v);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    printf("GET %s %u\n", path, status);
    fflush(stdout);
    return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **state)
{
    char path[1024], loc[128], etag[64];
    struct stat sb;
    (void)cls;
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)state;
    if (strcmp(method, "GET") != 0)
        return send_text(c, url, 405, "", NULL, NULL);
    if (strcmp(url, "/gone") == 0)
        return send_text(c, url, 410, "hilang", NULL, NULL);
    if (strcmp(url, "/redirect-private") == 0) {
        snprintf(loc, sizeof(loc), "http://127.0.0.2:%u/rss.xml", port);
        return send_text(c, url, 302, "", "Location", loc);
    }
    if (strcmp(url, "/busy") == 0 && busy_hits++ == 0)
        return send_text(c, url, 429, "pelan-pelan", "Retry-After", "1");
    if (strstr(url, "..") || strlen(url) > 200)
        return send_text(c, url, 400, "", NULL, NULL);
    snprintf(path, sizeof(path), "%s%s%s", dir, url, strcmp(url, "/busy") == 0 ? ".xml" : "");
    FILE *f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (f)
            fclose(f);
        return send_text(c, url, 404, "tidak ada", NULL, NULL);
    }
    snprintf(etag, sizeof(etag), "\"%lld-%lld\"", (long long)sb.st_size, (long long)sb.st_mtime);
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0) {
        fclose(f);
        return send_text(c, url, 304, "", "ETag", etag);
    }
    char *body = malloc((size_t)sb.st_size + 1);
    size_t n = body ? fread(body, 1, (size_t)sb.st_size, f) : 0;
    fclose(f);
    struct MHD_Response *r = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "ETag", etag);
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    printf("GET %s 200\n", url);
    fflush(stdout);
    return ret;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: nt_test_server DIR PORTFILE\n", stderr);
        return 2;
    }
    dir = argv[1];
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                         NULL, handler, NULL, MHD_OPTION_END);
    if (!d)
        return 1;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    port = info ? info->port : 0;
    char tmp[1024];
    snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
    FILE *pf = fopen(tmp, "w");
    if (!pf || !port)
        return 1;
    fprintf(pf, "%u\n", port);
    fclose(pf);
    rename(tmp, argv[2]);
    for (int i = 0; i < 1200 && !stop; i++)
        usleep(100000);
    MHD_stop_daemon(d);
    return 0;
}
