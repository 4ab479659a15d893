/*
 * server.c - test helper: an HTTP server on 127.0.0.1 for end-to-end crawl
 * tests (libmicrohttpd). Serves the files of a directory with ETags and
 * conditional GET, and misbehaves on some paths:
 *   /gone               410
 *   /redirect-private   302 to 127.0.0.2 (a loopback address not allowed)
 *   /redirect-private-image  the same for an image (media/flyer.png)
 *   /busy               429 with Retry-After: 1 the first time, then the file busy.xml
 *   /stall              429 with Retry-After: 999999999, always (a host that
 *                       would stall a crawl forever if believed)
 *   /api/v1/accounts/lookup?acct=NAME        masto/lookup-NAME.json
 *   /api/v1/accounts/ID/statuses?limit&min_id masto/statuses-ID.json (an array,
 *                       newest first) filtered as Mastodon does: the `limit`
 *                       statuses right after `min_id`, newest first
 *   /api/v1/accounts/ID/following?limit&max_id masto/following-ID.json (an
 *                       array), `limit` at a time, the next page in a Link
 *                       rel="next" header (max_id is the offset here)
 *   /xrpc/app.bsky.graph.getFollows?actor&limit&cursor bsky/follows-ACTOR.json
 *                       ({"follows": [...]}), the cursor an offset
 * Writes its port to PORTFILE, logs "METHOD PATH STATUS" lines to stdout,
 * and stops on SIGTERM/SIGINT or after 120 seconds.
 *
 *   nt_test_server DIR PORTFILE
 */
#include <jansson.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdbool.h>
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

static bool newer(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return la != lb ? la > lb : strcmp(a, b) > 0;
}

/* Send `v` (owned: released here) as compact JSON with status 200. */
static enum MHD_Result send_json(struct MHD_Connection *c, const char *path, json_t *v)
{
    char *body = json_dumps(v, JSON_COMPACT);
    enum MHD_Result r =
        send_text(c, path, 200, body ? body : "null", "Content-Type", "application/json");
    free(body);
    json_decref(v);
    return r;
}

static enum MHD_Result mastodon(struct MHD_Connection *c, const char *url)
{
    char path[1024], id[64];
    if (strcmp(url, "/api/v1/accounts/lookup") == 0) {
        const char *acct = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "acct");
        if (!acct || strchr(acct, '/') || strstr(acct, ".."))
            return send_text(c, url, 400, "", NULL, NULL);
        snprintf(path, sizeof(path), "%s/masto/lookup-%s.json", dir, acct);
        json_t *a = json_load_file(path, 0, NULL);
        if (!a)
            return send_text(c, url, 404, "{\"error\":\"Record not found\"}", NULL, NULL);
        return send_json(c, url, a);
    }
    int end = 0;
    if (sscanf(url, "/api/v1/accounts/%63[0-9]/following%n", id, &end) == 1 && end > 0 &&
        url[end] == '\0') {
        const char *lim = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
        const char *max = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "max_id");
        size_t limit = lim ? (size_t)strtol(lim, NULL, 10) : 40,
               off = max ? (size_t)strtol(max, NULL, 10) : 0;
        snprintf(path, sizeof(path), "%s/masto/following-%s.json", dir, id);
        json_t *all = json_load_file(path, 0, NULL);
        if (!all)
            return send_text(c, url, 404, "{\"error\":\"Record not found\"}", NULL, NULL);
        json_t *page = json_array();
        for (size_t k = off; k < json_array_size(all) && k < off + limit; k++)
            json_array_append(page, json_array_get(all, k));
        char link[300] = "";
        if (off + limit < json_array_size(all))
            snprintf(link, sizeof(link),
                     "<http://127.0.0.1:%u/api/v1/accounts/%s/following?limit=%zu&max_id=%zu>; "
                     "rel=\"next\"",
                     port, id, limit, off + limit);
        char *body = json_dumps(page, JSON_COMPACT);
        enum MHD_Result r =
            send_text(c, url, 200, body ? body : "[]", link[0] ? "Link" : NULL, link);
        free(body);
        json_decref(page);
        json_decref(all);
        return r;
    }
    if (sscanf(url, "/api/v1/accounts/%63[0-9]/statuses", id) == 1) {
        const char *lim = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
        const char *min = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "min_id");
        long limit = lim ? strtol(lim, NULL, 10) : 20;
        snprintf(path, sizeof(path), "%s/masto/statuses-%s.json", dir, id);
        json_t *all = json_load_file(path, 0, NULL), *out = json_array();
        if (!all) {
            /* Not JSON: serve the bytes as they are (malformed-response tests). */
            json_decref(out);
            FILE *f = fopen(path, "rb");
            if (!f)
                return send_text(c, url, 404, "{\"error\":\"Record not found\"}", NULL, NULL);
            char raw[65536];
            size_t n = fread(raw, 1, sizeof(raw) - 1, f);
            fclose(f);
            raw[n] = '\0';
            return send_text(c, url, 200, raw, "Content-Type", "application/json");
        }
        size_t n = json_array_size(all);
        /* Newest first in the file: walk from the oldest to find the page. */
        json_t *page[200];
        size_t np = 0;
        for (size_t k = n; k-- > 0 && np < (size_t)limit && np < 200;) {
            json_t *st = json_array_get(all, k);
            const char *sid = json_string_value(json_object_get(st, "id"));
            if (min && (!sid || !newer(sid, min)))
                continue;
            if (!min)
                break;
            page[np++] = st;
        }
        if (!min)
            for (size_t k = 0; k < n && k < (size_t)limit; k++)
                json_array_append(out, json_array_get(all, k));
        else
            while (np)
                json_array_append(out, page[--np]);
        char *body = json_dumps(out, JSON_COMPACT);
        /* Mastodon's paging links: "prev" asks for what is newer than this
         * page (marked via=link so the log shows it was followed). */
        char link[600] = "";
        const char *first = json_string_value(json_object_get(json_array_get(out, 0), "id"));
        if (first)
            snprintf(
                link, sizeof(link),
                "<http://127.0.0.1:%u/api/v1/accounts/%s/statuses?limit=%ld&min_id=%s&via=link>; "
                "rel=\"prev\"",
                port, id, limit, first);
        const char *via = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "via");
        char logpath[1100];
        snprintf(logpath, sizeof(logpath), "%s%s", url, via ? " via-link" : "");
        enum MHD_Result r = send_text(c, logpath, 200, body, link[0] ? "Link" : NULL, link);
        free(body);
        json_decref(out);
        json_decref(all);
        return r;
    }
    return send_text(c, url, 404, "", NULL, NULL);
}

/* getAuthorFeed from bsky/feed-ACTOR.json (items newest first) and
 * getFollows from bsky/follows-ACTOR.json; the cursor is the offset of the
 * next page. */
static enum MHD_Result bluesky(struct MHD_Connection *c, const char *url, bool follows)
{
    char path[1024];
    const char *actor = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "actor");
    const char *lim = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    const char *cur = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "cursor");
    const char *member = follows ? "follows" : "feed";
    if (!actor || strchr(actor, '/') || strstr(actor, ".."))
        return send_text(c, url, 400, "", NULL, NULL);
    snprintf(path, sizeof(path), "%s/bsky/%s-%s.json", dir, member, actor);
    json_t *all = json_load_file(path, 0, NULL);
    if (!all)
        return send_text(c, url, 400,
                         "{\"error\":\"InvalidRequest\",\"message\":\"Profile not found\"}", NULL,
                         NULL);
    if (json_is_object(all)) {
        /* A recorded real response: serve its array. */
        json_t *items = json_incref(json_object_get(all, member));
        json_decref(all);
        all = items ? items : json_array();
    }
    size_t limit = lim ? (size_t)strtol(lim, NULL, 10) : 50,
           off = cur ? (size_t)strtol(cur, NULL, 10) : 0;
    json_t *page = json_array();
    for (size_t k = off; k < json_array_size(all) && k < off + limit; k++)
        json_array_append(page, json_array_get(all, k));
    json_t *out = json_pack("{s:o}", member, page);
    if (off + limit < json_array_size(all)) {
        char next[32];
        snprintf(next, sizeof(next), "%zu", off + limit);
        json_object_set_new(out, "cursor", json_string(next));
    }
    json_decref(all);
    return send_json(c, url, out);
}

/* X API v2: x/user-NAME.json and x/tweets-ID.json (an array, newest first),
 * since_id filtering and pagination_token (an offset); bearer token
 * "uji-token" required. */
static enum MHD_Result xapi(struct MHD_Connection *c, const char *url)
{
    char path[1024], name[64], id[64];
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!auth || strcmp(auth, "Bearer uji-token") != 0)
        return send_text(c, url, 401, "{\"title\":\"Unauthorized\"}", NULL, NULL);
    if (sscanf(url, "/2/users/by/username/%63[A-Za-z0-9_]", name) == 1) {
        snprintf(path, sizeof(path), "%s/x/user-%s.json", dir, name);
        json_t *u = json_load_file(path, 0, NULL);
        if (!u)
            return send_text(c, url, 200, "{\"errors\":[{\"title\":\"Not Found Error\"}]}", NULL,
                             NULL);
        return send_json(c, url, u);
    }
    if (sscanf(url, "/2/users/%63[0-9]/tweets", id) == 1) {
        const char *max = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "max_results");
        const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since_id");
        const char *tok = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "pagination_token");
        size_t limit = max ? (size_t)strtol(max, NULL, 10) : 10,
               off = tok ? (size_t)strtol(tok + 1, NULL, 10) : 0;
        snprintf(path, sizeof(path), "%s/x/tweets-%s.json", dir, id);
        json_t *all = json_load_file(path, 0, NULL), *sel = json_array();
        size_t i;
        json_t *t;
        json_array_foreach(all, i, t)
        {
            const char *tid = json_string_value(json_object_get(t, "id"));
            if (!since || (tid && newer(tid, since)))
                json_array_append(sel, t);
        }
        json_t *page = json_array();
        for (size_t k = off; k < json_array_size(sel) && k < off + limit; k++)
            json_array_append(page, json_array_get(sel, k));
        json_t *meta = json_pack("{s:i}", "result_count", (int)json_array_size(page));
        if (json_array_size(page)) {
            json_object_set(meta, "newest_id", json_object_get(json_array_get(page, 0), "id"));
            json_object_set(meta, "oldest_id",
                            json_object_get(json_array_get(page, json_array_size(page) - 1), "id"));
        }
        if (off + limit < json_array_size(sel)) {
            char next[32];
            snprintf(next, sizeof(next), "p%zu", off + limit);
            json_object_set_new(meta, "next_token", json_string(next));
        }
        json_t *out = json_object();
        if (json_array_size(page))
            json_object_set(out, "data", page);
        json_object_set_new(out, "meta", meta);
        enum MHD_Result r = send_json(c, url, out);
        json_decref(page);
        json_decref(sel);
        json_decref(all);
        return r;
    }
    return send_text(c, url, 404, "", NULL, NULL);
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
    const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
    printf("UA %s\n", ua ? ua : "-");
    if (strcmp(method, "GET") != 0)
        return send_text(c, url, 405, "", NULL, NULL);
    if (strncmp(url, "/api/v1/", 8) == 0)
        return mastodon(c, url);
    if (strcmp(url, "/xrpc/app.bsky.feed.getAuthorFeed") == 0 ||
        strcmp(url, "/xrpc/app.bsky.graph.getFollows") == 0)
        return bluesky(c, url, url[15] == 'g');
    if (strncmp(url, "/2/", 3) == 0)
        return xapi(c, url);
    if (strcmp(url, "/gone") == 0)
        return send_text(c, url, 410, "hilang", NULL, NULL);
    if (strcmp(url, "/redirect-private") == 0 || strcmp(url, "/redirect-private-image") == 0) {
        snprintf(loc, sizeof(loc), "http://127.0.0.2:%u/%s", port,
                 url[17] ? "media/flyer.png" : "rss.xml");
        return send_text(c, url, 302, "", "Location", loc);
    }
    if (strcmp(url, "/busy") == 0 && busy_hits++ == 0)
        return send_text(c, url, 429, "pelan-pelan", "Retry-After", "1");
    if (strcmp(url, "/stall") == 0)
        return send_text(c, url, 429, "nanti saja", "Retry-After", "999999999");
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
    /* The type from the name, as a careless server does: a page named
     * .png goes out as image/png. */
    const char *dot = strrchr(url, '.');
    if (dot && (!strcmp(dot, ".png") || !strcmp(dot, ".jpg")))
        MHD_add_response_header(r, "Content-Type", dot[1] == 'p' ? "image/png" : "image/jpeg");
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
