/*
 * crawl.c - the crawl job: accounts from the registry, requests through the
 * HTTP engine, posts through the evidence writer, one transaction per
 * account for its posts and its state.
 */
#include "crawl.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "db.h"
#include "evidence.h"
#include "internal.h"

/*
 * The feeder: accounts stream from the registry in id order, a batch at a
 * time, so that memory does not grow with the number of accounts. At most
 * `window` accounts are in progress; at most `per_lane` of them on one host
 * (a lane), so that one slow or rate-limited host (a big Mastodon instance,
 * the Bluesky AppView) cannot take the whole window while other hosts idle.
 * An account whose lane is full waits as its id alone (8 bytes) and is
 * loaded again when the lane has room.
 */
struct lane {
    uint64_t hash;
    char name[128];
    unsigned inflight;
    int64_t *parked; /* ring of account ids */
    size_t head, count, cap;
};

struct feeder {
    struct nt_db_stmt *next; /* due accounts after an id, in id order */
    struct nt_db_stmt *byid; /* one of them again, by id */
    int64_t last_id;
    bool exhausted;
    struct lane **lanes;
    size_t nlanes, caplanes;
    unsigned window, per_lane, inflight;
};

/* Accounts due in this crawl: active, of an active employee, matching the
 * filters, and not waiting after failures unless asked for. The same SQL
 * on SQLite and PostgreSQL (store/db.h): the text parameters cast where
 * PostgreSQL could not tell their type, the account's name compared in
 * lower case (ASCII, as SQLite's NOCASE). */
#define DUE_SQL                                                                                    \
    "FROM accounts a JOIN employees e ON e.id = a.employee_id "                                    \
    "LEFT JOIN crawl_state c ON c.account_id = a.id "                                              \
    "WHERE a.active = 1 AND e.active = 1 AND (CAST(?1 AS TEXT) IS NULL OR a.platform = ?1) "       \
    "AND (CAST(?2 AS TEXT) IS NULL OR lower(a.account) = lower(CAST(?2 AS TEXT))) "                \
    "AND (CAST(?3 AS TEXT) IS NULL OR substr(COALESCE(a.endpoint, a.account), 1, "                 \
    "length(CAST(?3 AS TEXT))) = ?3) "
#define WAITING_SQL                                                                                \
    "(CAST(?4 AS BIGINT) = 0 AND c.next_attempt_at IS NOT NULL AND c.next_attempt_at > ?5)"
/* Shared crawls: accounts another process holds a live lease on, or any
 * process finished since this round began (?8), are not read at all: ?7
 * the time now, ?9 this process. */
#define NOT_LEASED_SQL                                                                             \
    "AND NOT EXISTS (SELECT 1 FROM crawl_leases l WHERE l.account_id = a.id AND ((l.until > ?7 "   \
    "AND l.owner <> ?9) OR (l.done_at IS NOT NULL AND l.done_at >= ?8))) "
#define TARGET_SQL                                                                                 \
    "SELECT a.id, a.platform, a.account, COALESCE(a.endpoint, a.account), c.etag, "                \
    "c.last_modified, COALESCE(c.consecutive_failures, 0), c.cursor, c.remote_id "

static void bind_filters(struct nt_db_stmt *st, const struct nt_crawl_opts *o, const char *now)
{
    nt_db_bind_text(st, 1, o->platform);
    nt_db_bind_text(st, 2, o->account);
    nt_db_bind_text(st, 3, o->url_prefix);
    nt_db_bind_int64(st, 4, o->all || o->account);
    nt_db_bind_text(st, 5, now);
}

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static const struct nt_crawl_source sources[] = {
    { "feed", nt_crawl_feed_start, false, NULL },
    { "mastodon", nt_crawl_mastodon_start, true, NULL },
    { "bluesky", nt_crawl_bluesky_start, false, NULL },
    { "x", nt_crawl_x_start, false,
      "token API X belum diatur (x_bearer_token atau NETRA_X_BEARER_TOKEN)" },
};

static const struct nt_crawl_source *source_of(const char *platform)
{
    for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
        if (strcmp(sources[i].platform, platform) == 0)
            return &sources[i];
    return NULL;
}

/* The host an account's requests go to, as far as the feeder needs to
 * know: the URL's host, the instance of user@instance, else the platform
 * (Bluesky and X accounts without an endpoint share one API host). */
static void lane_name(const struct target *t, char *out, size_t n)
{
    const struct nt_crawl_source *src = source_of(t->platform);
    const char *p = strstr(t->url, "://");
    size_t l;
    if (p) {
        p += 3;
        l = strcspn(p, "/?#");
    } else if (src && src->user_at_host && strchr(t->url, '@')) {
        p = strchr(t->url, '@') + 1;
        l = strlen(p);
    } else {
        p = t->platform;
        l = strlen(p);
    }
    if (l >= n)
        l = n - 1;
    for (size_t i = 0; i < l; i++)
        out[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
    out[l] = '\0';
}

static struct lane *lane_get(struct feeder *f, const char *name)
{
    uint64_t h = name_hash(name);
    for (size_t i = 0; i < f->nlanes; i++)
        if (f->lanes[i]->hash == h && strcmp(f->lanes[i]->name, name) == 0)
            return f->lanes[i];
    if (f->nlanes == f->caplanes) {
        size_t cap = f->caplanes ? f->caplanes * 2 : 16;
        struct lane **v = realloc(f->lanes, cap * sizeof(*v));
        if (!v)
            return NULL;
        f->lanes = v;
        f->caplanes = cap;
    }
    struct lane *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    l->hash = h;
    snprintf(l->name, sizeof(l->name), "%s", name);
    f->lanes[f->nlanes++] = l;
    return l;
}

/* A lane with nothing in progress and nothing waiting is forgotten. */
static void lane_drop_idle(struct feeder *f, struct lane *l)
{
    if (l->inflight || l->count)
        return;
    for (size_t i = 0; i < f->nlanes; i++)
        if (f->lanes[i] == l) {
            f->lanes[i] = f->lanes[--f->nlanes];
            break;
        }
    free(l->parked);
    free(l);
}

static bool lane_park(struct lane *l, int64_t id)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        int64_t *v = malloc(cap * sizeof(*v));
        if (!v)
            return false;
        for (size_t i = 0; i < l->count; i++)
            v[i] = l->parked[(l->head + i) % l->cap];
        free(l->parked);
        l->parked = v;
        l->cap = cap;
        l->head = 0;
    }
    l->parked[(l->head + l->count++) % l->cap] = id;
    return true;
}

static char *col(struct nt_db_stmt *st, int i)
{
    const char *v = nt_db_text(st, i);
    return v ? strdup(v) : NULL;
}

static void target_free(struct target *t)
{
    if (!t)
        return;
    free(t->platform);
    free(t->account_name);
    free(t->url);
    free(t->etag);
    free(t->last_modified);
    free(t->cursor);
    free(t->remote_id);
    free(t);
}

static struct target *target_from_row(struct nt_db_stmt *st)
{
    struct target *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->account = nt_db_int64(st, 0);
    t->platform = col(st, 1);
    t->account_name = col(st, 2);
    t->url = col(st, 3);
    t->etag = col(st, 4);
    t->last_modified = col(st, 5);
    t->failures = (int)nt_db_int64(st, 6);
    t->cursor = col(st, 7);
    t->remote_id = col(st, 8);
    if (!t->platform || !t->account_name || !t->url) {
        target_free(t);
        return NULL;
    }
    return t;
}

/* ---- leases (shared crawls) ----
 *
 * An account is taken when no live lease holds it (or this process's own)
 * and no process finished it since this crawl began; leases are committed
 * at once (a batch in progress is committed first) so that the other
 * processes see them. The feeder reads only accounts nobody else holds,
 * and claims each batch it read in one statement (the ones that come back
 * are its own: another process may have claimed some in between); an
 * account parked for its host's lane is claimed again, alone, when
 * admitted (renewing its own lease).
 * When the account is done its lease ends (until = done_at = now), in the
 * transaction of its last writes. The SQL is the same on SQLite and
 * PostgreSQL (db.h) but for reading the batch's ids from JSON. */

static void lease_time(const struct run *run, double ahead, char *out, size_t n)
{
    nt_time_iso(run->o->now + (time_t)(nt_mono() - run->mono0 + ahead), out, n);
}

/* A lease is taken when it ran out and nobody finished the account this
 * round (?5), or when it is this process's own and still open. */
#define LEASE_UPSERT                                                                               \
    "ON CONFLICT(account_id) DO UPDATE SET owner = excluded.owner, until = excluded.until, "       \
    "done_at = NULL WHERE (crawl_leases.owner = excluded.owner AND crawl_leases.done_at IS NULL) " \
    "OR (crawl_leases.until <= ?4 AND (crawl_leases.done_at IS NULL OR crawl_leases.done_at < "    \
    "?5))"
/* SQLite (one writer: nothing to skip) and PostgreSQL, where the
 * accounts another process is claiming at this moment are skipped, not
 * waited for (FOR UPDATE SKIP LOCKED): several workers reading the same
 * frontier do not queue behind each other's claims. */
#define CLAIM_SQLITE                                                                               \
    "INSERT INTO crawl_leases(account_id, owner, until) SELECT CAST(value AS BIGINT), "            \
    "CAST(?2 AS TEXT), CAST(?3 AS TEXT) FROM json_each(?1) WHERE true " LEASE_UPSERT               \
    " RETURNING account_id"
#define CLAIM_PG                                                                                   \
    "INSERT INTO crawl_leases(account_id, owner, until) SELECT a.id, CAST(?2 AS TEXT), "           \
    "CAST(?3 AS TEXT) FROM accounts a WHERE a.id IN (SELECT CAST(value AS BIGINT) FROM "           \
    "jsonb_array_elements_text(CAST(?1 AS jsonb)) AS j(value)) FOR UPDATE OF a SKIP "              \
    "LOCKED " LEASE_UPSERT " RETURNING account_id"

static enum nt_err lease_prepare(struct run *run, struct nt_diag *d)
{
    char host[64] = "";
    gethostname(host, sizeof(host) - 1);
    unsigned char r[4];
    randombytes_buf(r, sizeof(r));
    snprintf(run->owner, sizeof(run->owner), "%.60s:%ld:%02x%02x%02x%02x", host, (long)getpid(),
             r[0], r[1], r[2], r[3]);
    run->mono0 = nt_mono();
    struct nt_db *db = nt_store_dbh(run->s);
    enum nt_err err =
        nt_db_prepare(db,
                      "UPDATE crawl_leases SET until = ?3, done_at = ?3 WHERE account_id = "
                      "?1 AND owner = ?2",
                      &run->lease_done, d);
    if (!err)
        err = nt_db_prepare_for(db, CLAIM_SQLITE, CLAIM_PG, &run->lease_claim, d);
    return err;
}

/* Claim the leases of `n` accounts at once: those this process got are
 * marked leased (the others are left to whoever holds them). */
static enum nt_err lease_claim(struct run *run, struct target **t, size_t n, struct nt_diag *d)
{
    enum nt_err err = nt_store_in_tx(run->s) ? nt_crawl_flush(run, d) : NT_OK;
    json_t *ids = json_array();
    for (size_t i = 0; ids && i < n; i++)
        json_array_append_new(ids, json_integer(t[i]->account));
    char *list = ids ? json_dumps(ids, JSON_COMPACT) : NULL;
    json_decref(ids);
    if (!err && !list)
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    char until[32], now[32];
    lease_time(run, run->o->lease_s, until, sizeof(until));
    lease_time(run, 0, now, sizeof(now));
    nt_db_bind_text(run->lease_claim, 1, list);
    nt_db_bind_text(run->lease_claim, 2, run->owner);
    nt_db_bind_text(run->lease_claim, 3, until);
    nt_db_bind_text(run->lease_claim, 4, now);
    nt_db_bind_text(run->lease_claim, 5, run->now);
    /* The ids come back in no promised order: n is at most 256. */
    while (!err && nt_db_next(run->lease_claim, &err, d)) {
        int64_t id = nt_db_int64(run->lease_claim, 0);
        for (size_t i = 0; i < n; i++)
            if (t[i]->account == id)
                t[i]->leased = true;
    }
    nt_db_reset(run->lease_claim);
    free(list);
    return err;
}

void nt_crawl_account_done(struct run *run, struct target *t, void *ctx)
{
    free(ctx);
    if (run->lease_done) {
        char now[32];
        struct nt_diag d;
        lease_time(run, 0, now, sizeof(now));
        nt_db_bind_int64(run->lease_done, 1, t->account);
        nt_db_bind_text(run->lease_done, 2, run->owner);
        nt_db_bind_text(run->lease_done, 3, now);
        /* A failure leaves the lease to run out: the account is crawled
         * again later, never lost. */
        nt_db_run(run->lease_done, &d);
    }
    struct feeder *f = run->feeder;
    struct lane *l = t->lane;
    target_free(t);
    f->inflight--;
    if (l) {
        l->inflight--;
        lane_drop_idle(f, l);
    }
}

/* An account that needs no request: its state in a unit of its own. */
static enum nt_err skip_account(struct run *run, struct target *t, const char *why,
                                struct nt_diag *d)
{
    enum nt_err err = nt_crawl_unit_begin(run, d);
    if (!err)
        err = nt_crawl_save_state(run->s, t->account, "skipped", NULL, NULL, why, false,
                                  t->failures, run->now, d);
    if (!err)
        err = nt_crawl_unit_end(run, d);
    return err;
}

/* Start one account's crawl; it ends in nt_crawl_account_done(). */
static void start_account(struct run *run, struct target *t)
{
    const struct nt_crawl_source *src = source_of(t->platform);
    struct nt_diag d;
    nt_diag_clear(&d);
    run->st->accounts++;
    if (src && src->start(run, t))
        return;
    run->st->unsupported++;
    enum nt_err err = skip_account(
        run, t, src && src->unavailable ? src->unavailable : "sumber platform ini belum didukung",
        &d);
    if (err && !run->fatal) {
        nt_store_rollback(run->s);
        run->fatal = err;
        *run->d = d;
    }
    nt_crawl_account_done(run, t, NULL);
}

/* Admit a loaded account, or park it when its lane is full. */
static enum nt_err admit(struct run *run, struct target *t)
{
    struct feeder *f = run->feeder;
    char name[128];
    lane_name(t, name, sizeof(name));
    struct lane *l = lane_get(f, name);
    if (!l) {
        target_free(t);
        return NT_ENOMEM;
    }
    if (l->inflight >= f->per_lane) {
        bool ok = lane_park(l, t->account);
        target_free(t);
        return ok ? NT_OK : NT_ENOMEM;
    }
    if (run->lease_claim && !t->leased) {
        enum nt_err err = lease_claim(run, &t, 1, run->d);
        if (err || !t->leased) {
            target_free(t);
            return err;
        }
    }
    t->lane = l;
    l->inflight++;
    f->inflight++;
    start_account(run, t);
    return NT_OK;
}

static bool stopping(const struct run *run)
{
    return run->fatal || (run->o->http.stop && *run->o->http.stop);
}

/* Fill the window: parked accounts of lanes with room first, then the next
 * accounts from the registry. */
static void feed(struct run *run)
{
    struct feeder *f = run->feeder;
    enum nt_err err = NT_OK;
    for (size_t i = 0; i < f->nlanes && !err && f->inflight < f->window && !stopping(run); i++) {
        struct lane *l = f->lanes[i];
        while (l->count && l->inflight < f->per_lane && f->inflight < f->window && !err &&
               !stopping(run)) {
            int64_t id = l->parked[l->head];
            l->head = (l->head + 1) % l->cap;
            l->count--;
            nt_db_bind_int64(f->byid, 6, id);
            if (!nt_db_next(f->byid, &err, run->d)) {
                nt_db_reset(f->byid);
                continue; /* changed since: no longer due (or err) */
            }
            struct target *t = target_from_row(f->byid);
            nt_db_reset(f->byid);
            err = t ? admit(run, t) : NT_ENOMEM;
        }
    }
    /* The next accounts are read first and the statement reset before any
     * is admitted: taking a lease writes, and a write on a connection with
     * a read still open could not start (its snapshot may be stale). */
    while (!f->exhausted && f->inflight < f->window && !err && !stopping(run)) {
        struct target *batch[256];
        size_t nb = 0, room = f->window - f->inflight;
        nt_db_bind_int64(f->next, 6, f->last_id);
        if (run->lease_claim) {
            char now[32];
            lease_time(run, 0, now, sizeof(now));
            nt_db_bind_text(f->next, 7, now);
            nt_db_bind_text(f->next, 8, run->now);
            nt_db_bind_text(f->next, 9, run->owner);
        }
        while (nb < room && nb < 256 && !err && nt_db_next(f->next, &err, run->d)) {
            f->last_id = nt_db_int64(f->next, 0);
            if (!(batch[nb] = target_from_row(f->next)))
                err = NT_ENOMEM;
            else
                nb++;
        }
        nt_db_reset(f->next);
        if (nb == 0 && !err)
            f->exhausted = true;
        if (nb && !err && run->lease_claim)
            err = lease_claim(run, batch, nb, run->d);
        for (size_t i = 0; i < nb; i++) {
            if (!err && !stopping(run) && (!run->lease_claim || batch[i]->leased))
                err = admit(run, batch[i]);
            else
                target_free(batch[i]);
        }
    }
    nt_db_reset(f->next);
    if (err && !run->fatal) {
        run->fatal = err;
        if (err == NT_ENOMEM) /* else admit() or the read said what */
            nt_diag_set(run->d, err, "memori tidak cukup");
    }
}

size_t nt_crawl_done(const struct nt_crawl_stats *st)
{
    return st->fetched + st->not_modified + st->failed + st->unsupported + st->cancelled +
           st->elsewhere;
}

/* The HTTP engine's loop: keep the window full, report progress a few
 * times a second. */
static void tick(void *user)
{
    struct run *run = user;
    feed(run);
    nt_crawl_media_feed(run);
    if (!run->o->progress)
        return;
    double t = nt_mono();
    if (t - run->last_tick < 0.25)
        return;
    run->last_tick = t;
    run->st->rate_limited = nt_http_rate_limited(run->h);
    run->o->progress(run->o->progress_user, run->st);
}

enum nt_err nt_crawl_run(struct nt_store *s, const struct nt_crawl_opts *o,
                         struct nt_crawl_stats *stats, struct nt_diag *d)
{
    struct feeder f = { 0 };
    struct run run = { .s = s, .o = o, .st = stats, .d = d, .feeder = &f };
    struct nt_http *h = NULL;
    struct nt_db_stmt *count = NULL;
    struct nt_db *db = nt_store_dbh(s);
    enum nt_err err;

    memset(stats, 0, sizeof(*stats));
    nt_time_iso(o->now, run.now, sizeof(run.now));
    err = nt_db_prepare(db,
                        "SELECT count(*) FILTER (WHERE NOT " WAITING_SQL "), "
                        "count(*) FILTER (WHERE " WAITING_SQL ") " DUE_SQL,
                        &count, d);
    if (!err)
        err = nt_db_prepare(db,
                            o->lease_s > 0
                                ? TARGET_SQL DUE_SQL "AND NOT " WAITING_SQL " " NOT_LEASED_SQL
                                                     "AND a.id > ?6 ORDER BY a.id LIMIT 256"
                                : TARGET_SQL DUE_SQL "AND NOT " WAITING_SQL
                                                     " AND a.id > ?6 ORDER BY a.id LIMIT 256",
                            &f.next, d);
    if (!err)
        err = nt_db_prepare(db, TARGET_SQL DUE_SQL "AND NOT " WAITING_SQL " AND a.id = ?6", &f.byid,
                            d);
    if (!err && o->lease_s > 0)
        err = lease_prepare(&run, d);
    /* PostgreSQL: a commit returns before the server has flushed it, as
     * SQLite's WAL at synchronous=NORMAL does. Every write of a crawl can
     * be done again (a lost lease is taken again, a lost page fetched
     * again: posts are idempotent, a cursor moves only with its posts), and
     * a crash of the server loses at most its last moments, never
     * consistency; waiting for a flush at each lease and each batch made
     * one worker 4x slower than the same crawl on SQLite. */
    if (!err && nt_db_kind(db) == NT_DB_POSTGRES)
        err = nt_db_exec(db, "SET synchronous_commit = off", d);
    if (err)
        goto out;
    bind_filters(count, o, run.now);
    bind_filters(f.next, o, run.now);
    bind_filters(f.byid, o, run.now);
    if (!nt_db_next(count, &err, d)) {
        if (!err)
            err = nt_diag_set(d, NT_EDB, "menghitung akun gagal");
        goto out;
    }
    stats->total = (size_t)nt_db_int64(count, 0);
    stats->deferred = (size_t)nt_db_int64(count, 1);
    nt_db_finalize(count);
    count = NULL;
    /* One account asked for by name (any case: handles are stored lower
     * case) that is not there is an error, not an empty crawl. */
    if (o->account && stats->total + stats->deferred == 0) {
        err = nt_diag_set(d, NT_ENOTFOUND,
                          "akun \"%s\"%s%s tidak terdaftar atau tidak aktif (lihat 'netra "
                          "accounts list')",
                          o->account, o->platform ? " di " : "", o->platform ? o->platform : "");
        goto out;
    }

    /* Enough accounts in progress to keep every connection busy, and a
     * few per host so that one host's limits leave room for the others. */
    unsigned conns = o->http.max_connections ? o->http.max_connections : 16;
    unsigned per_host = o->http.max_per_host ? o->http.max_per_host : 2;
    f.window = conns * 4 < 64 ? 64 : conns * 4;
    f.per_lane = per_host * 4 < 8 ? 8 : per_host * 4;
    if (f.per_lane > f.window)
        f.per_lane = f.window;

    struct nt_http_config cfg = o->http;
    cfg.tick = tick;
    cfg.tick_user = &run;
    err = nt_evidence_new(s, &run.ev, d);
    if (!err) {
        nt_evidence_set_hook(run.ev, &o->stored);
        nt_evidence_set_media_policy(run.ev, !o->media.no_images, o->media.video_max > 0);
        err = nt_crawl_media_new(&run, d);
    }
    if (!err)
        err = nt_http_new(&cfg, &h, d);
    run.h = h;
    if (!err)
        nt_crawl_media_feed(&run); /* what earlier crawls left */
    if (!err)
        err = nt_http_run(h, d);
    if (!err && run.fatal)
        err = run.fatal;
    /* Shared: the due accounts this process did not take were left to
     * others (held by them, or done by them this round). */
    if (!err && run.lease_claim && f.exhausted && !stopping(&run))
        stats->elsewhere = stats->total > stats->accounts ? stats->total - stats->accounts : 0;
    if (!err)
        err = nt_crawl_flush(&run, d);
    nt_store_rollback(s);
    /* Leases this process took and did not finish (a stop, an account
     * claimed but never started) end now, not when they run out. */
    if (run.lease_claim && !err) {
        struct nt_db_stmt *st = NULL;
        char now[32];
        lease_time(&run, 0, now, sizeof(now));
        err = nt_db_prepare(db,
                            "UPDATE crawl_leases SET until = ?2 WHERE owner = ?1 AND done_at IS "
                            "NULL",
                            &st, d);
        if (!err) {
            nt_db_bind_text(st, 1, run.owner);
            nt_db_bind_text(st, 2, now);
            err = nt_db_run(st, d);
        }
        nt_db_finalize(st);
    }
    if (h)
        stats->rate_limited = nt_http_rate_limited(h);
    if (!err && o->progress)
        o->progress(o->progress_user, stats);
out:
    if (nt_db_kind(db) == NT_DB_POSTGRES) { /* the connection's own setting again */
        struct nt_diag ignored;
        nt_db_exec(db, "RESET synchronous_commit", &ignored);
    }
    nt_db_finalize(count);
    nt_http_free(h);
    nt_db_finalize(f.next);
    nt_db_finalize(f.byid);
    nt_db_finalize(run.lease_done);
    nt_db_finalize(run.lease_claim);
    nt_evidence_free(run.ev);
    nt_crawl_media_free(&run);
    for (size_t i = 0; i < f.nlanes; i++) {
        free(f.lanes[i]->parked);
        free(f.lanes[i]);
    }
    free(f.lanes);
    return err;
}
