/*
 * stats.c - the tables supervisors report (KASN style) and the analysts'
 * feedback loop: counts of flagged items, findings, dismissals, pending
 * work and employees involved by agency, unit, position type, category,
 * election period, age band, sex, platform or province (one or two keys);
 * per lexicon entry hits, confirmed, dismissed and precision; per reviewer
 * throughput and time to decision.
 *
 * The SQL is assembled from fixed fragments chosen by key (never from user
 * text); every value is a bound parameter.
 *
 * Answers are kept in stats_cache under everything they depend on besides
 * the data (keys, dates, the user's scope, the election calendar) with the
 * change counter they were computed at (stats_generation, bumped by
 * triggers on every table they read, in the writer's transaction): a kept
 * answer is served only while that counter is current, so it is always the
 * answer a full scan would give now. The oldest waiting item is kept as a
 * time and turned into days at "now" on the way out.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "internal.h"
#include "registry.h"

/* The age band's rank, to list bands in age order (unknown last). The band
 * (age on the post's date) is kept on the item (schema 19). */
#define AGE_RANK_SQL                                                                               \
    "min(CASE i.age_band WHEN '<=30' THEN 1 WHEN '31-40' THEN 2 WHEN '41-50' THEN 3 "              \
    "WHEN '>=51' THEN 4 ELSE 9 END)"

static const struct {
    const char *key, *label, *expr;
} keys[] = {
    { "agency", "instansi", "i.agency" },
    { "unit", "unit_kerja", "i.work_unit" },
    { "position", "jenis_jabatan", "i.position_type" },
    { "category", "kategori", "i.category" },
    { "period", "periode", NULL }, /* built from the election calendar */
    { "age", "usia", "COALESCE(i.age_band, 'tidak diketahui')" },
    { "sex", "jenis_kelamin", "i.sex" },
    { "platform", "platform", "i.platform" },
    { "region", "provinsi", "i.region" },
    /* posted_at is ISO UTC as the crawler and ingest store it
     * ("2023-11-15T08:00:00Z"): its first characters are the month and the
     * date, read without parsing a date per item (strftime and date() were
     * most of these tables' time). */
    { "month", "bulan", "COALESCE(substr(i.posted_at, 1, 7), 'tidak diketahui')" },
    /* weeks of the year, Monday first: "2023-M48" (minggu 48) */
    { "week", "minggu", "COALESCE(strftime('%Y-M%W', i.posted_at), 'tidak diketahui')" },
    { "entry", "entri", NULL },
    { "reviewer", "peninjau", NULL },
};

bool nt_stats_key_valid(const char *key)
{
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(keys[i].key, key) == 0)
            return true;
    return false;
}

static int key_index(const char *key)
{
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(keys[i].key, key) == 0)
            return (int)i;
    return -1;
}

/* The period expression: parameters ?30.. hold each election's id, campaign
 * start, campaign end and polling day (4 per election, at most 8). */
static void period_expr(struct nt_buf *b, size_t n)
{
    nt_buf_append_str(b, "CASE WHEN i.posted_at IS NULL THEN 'tidak diketahui' ");
    for (size_t k = 0; k < n; k++) {
        unsigned p = 30 + 4 * (unsigned)k;
        nt_buf_appendf(b,
                       "WHEN substr(i.posted_at, 1, 10) <= date(?%u, '+90 days') OR %d THEN ?%u "
                       "|| ' ' || CASE WHEN substr(i.posted_at, 1, 10) < ?%u THEN 'sebelum' "
                       "WHEN substr(i.posted_at, 1, 10) <= ?%u THEN 'kampanye' ELSE 'sesudah' END ",
                       p + 3, k + 1 == n, p, p + 1, p + 2);
    }
    nt_buf_append_str(b, "END");
}

static void bind_calendar(sqlite3_stmt *st, json_t *el, size_t n)
{
    static const char *const f[] = { "id", "campaign_start", "campaign_end", "election_day" };
    for (size_t k = 0; k < n; k++)
        for (int j = 0; j < 4; j++)
            sqlite3_bind_text(st, 30 + 4 * (int)k + j,
                              json_string_value(json_object_get(json_array_get(el, k), f[j])), -1,
                              SQLITE_TRANSIENT);
}

/* Append the items of `more` (a new reference, released) to `a`. */
static void extend(json_t *a, json_t *more)
{
    json_array_extend(a, more);
    json_decref(more);
}

static json_t *value_of(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    case SQLITE_NULL:
        return json_null();
    default:
        return json_string((const char *)sqlite3_column_text(st, i));
    }
}

/* Agencies the user's tables cover: admins and analysts without agencies
 * everything, others their own. */
#define SCOPE_OF(AGENCY)                                                                           \
    "(?20 = 1 OR " AGENCY " IN (SELECT agency FROM user_agencies WHERE user_id = ?21))"
#define SCOPE_SQL      SCOPE_OF("e.agency")
#define ITEM_SCOPE_SQL SCOPE_OF("i.agency")
/* The rows of entry_counts or entry_decided (as c) a table by entry reads:
 * the active lexicon's, in the user's agencies and the dates ?1..?2. */
#define ENTRY_ROWS_SQL                                                                             \
    "WHERE c.lexicon_id = (SELECT id FROM lexicon_versions WHERE active = 1) AND " SCOPE_OF(       \
        "c.agency") " AND (?1 IS NULL OR c.day >= ?1) AND (?2 IS NULL OR c.day <= ?2) "

/* The columns after the keys of a table by report keys. */
static json_t *count_columns(void)
{
    return json_pack("[s, s, s, s, s, s, s, s]", "ditandai", "dikonfirmasi", "ditolak",
                     "dieskalasi", "menunggu", "pegawai", "pegawai_terbukti",
                     "antrean_tertua_hari");
}

/* One count at a time per process (nt_stats): the serve threads share it. */
static pthread_mutex_t counting_lock = PTHREAD_MUTEX_INITIALIZER;

/* The table by a full scan: {columns, rows}. In the table by report keys
 * the last column holds the oldest waiting item's creation time. */
static enum nt_err stats_compute(struct nt_store *s, const struct nt_user *u, const char *const *kv,
                                 const int *ki, size_t nkeys, const char *from, const char *to,
                                 const struct nt_review_config *cfg, json_t **out,
                                 struct nt_diag *d)
{
    struct nt_buf q;
    sqlite3_stmt *st = NULL;
    enum nt_err err = NT_OK;
    size_t nel = json_array_size(cfg->elections);
    if (nel > 8)
        nel = 8;
    json_t *cols = json_array();
    nt_buf_init(&q, 1 << 20);
    if (strcmp(kv[0], "entry") == 0) {
        /* Hits and decided items from the counts kept as they are
         * written (entry_counts, entry_decided). */
        nt_buf_append_str(
            &q,
            "WITH hc AS (SELECT c.entry_id, sum(c.n) AS hits FROM entry_counts c " ENTRY_ROWS_SQL
            "GROUP BY 1 HAVING sum(c.n) > 0), "
            "dc AS (SELECT c.entry_id, "
            "COALESCE(sum(CASE c.status WHEN 'confirmed' THEN c.n END), 0) AS conf, "
            "COALESCE(sum(CASE c.status WHEN 'dismissed' THEN c.n END), 0) AS dism "
            "FROM entry_decided c " ENTRY_ROWS_SQL "GROUP BY 1) "
            "SELECT hc.entry_id, hc.hits, COALESCE(dc.conf, 0), COALESCE(dc.dism, 0), "
            "round(1.0 * dc.conf / NULLIF(dc.conf + dc.dism, 0), 3) "
            "FROM hc LEFT JOIN dc ON dc.entry_id = hc.entry_id ORDER BY 2 DESC, 1");
        extend(cols,
               json_pack("[s, s, s, s, s]", "entri", "hit", "dikonfirmasi", "ditolak", "presisi"));
    } else if (strcmp(kv[0], "reviewer") == 0) {
        /* The decisions that stand (no undo, nothing undone) per
         * reviewer, agency and day, kept as they are made (reviewer_days). */
        nt_buf_append_str(
            &q, "SELECT u.name, sum(r.n), sum(r.confirmed), sum(r.dismissed), sum(r.escalated), "
                "round(sum(r.days) / sum(r.n) * 24, 1), count(DISTINCT CASE WHEN r.n > 0 "
                "THEN r.day END) FROM reviewer_days r JOIN users u ON u.id = r.user_id "
                "WHERE " SCOPE_OF(
                    "r.agency") " AND (?1 IS NULL OR r.day >= ?1) "
                                "AND (?2 IS NULL OR r.day <= ?2) GROUP BY 1 HAVING sum(r.n) > 0 "
                                "ORDER BY 2 DESC, 1");
        extend(cols, json_pack("[s, s, s, s, s, s, s]", "peninjau", "keputusan", "konfirmasi",
                               "tolak", "eskalasi", "rata2_jam_sampai_putusan", "hari_aktif"));
    } else {
        nt_buf_append_str(&q, "SELECT ");
        for (size_t k = 0; k < nkeys; k++) {
            if (keys[ki[k]].expr)
                nt_buf_append_str(&q, keys[ki[k]].expr);
            else
                period_expr(&q, nel);
            nt_buf_append_str(&q, ", ");
            json_array_append_new(cols, json_string(keys[ki[k]].label));
        }
        nt_buf_append_str(
            &q, "count(*), sum(i.status = 'confirmed'), sum(i.status = 'dismissed'), "
                "sum(i.status = 'escalated'), sum(i.status IN ('pending','awaiting_second')), "
                "count(DISTINCT i.employee_id), count(DISTINCT CASE WHEN i.status = 'confirmed' "
                "THEN i.employee_id END), "
                "min(CASE WHEN i.status IN ('pending','awaiting_second') THEN i.created_at END) "
                "FROM review_items i ");
        /* Employees are joined only for keys that are theirs. */
        for (size_t k = 0; k < nkeys; k++)
            if (keys[ki[k]].expr && strstr(keys[ki[k]].expr, "e.")) {
                nt_buf_append_str(&q, "JOIN employees e ON e.id = i.employee_id ");
                break;
            }
        nt_buf_append_str(&q, "WHERE " ITEM_SCOPE_SQL " AND (?1 IS NULL OR i.posted_at >= ?1) "
                              "AND (?2 IS NULL OR i.posted_at < date(?2, '+1 day')) GROUP BY ");
        /* Age bands in age order (unknown last), everything else by name. */
        nt_buf_append_str(&q, nkeys == 2 ? "1, 2 ORDER BY " : "1 ORDER BY ");
        for (size_t k = 0; k < nkeys; k++)
            nt_buf_appendf(&q, "%s%s", k ? ", " : "",
                           strcmp(kv[k], "age") == 0 ? AGE_RANK_SQL
                           : k                       ? "2"
                                                     : "1");
        extend(cols, count_columns());
    }
    err = nt_rv_prepare_built(s, &q, &st, d);
    nt_buf_release(&q);
    json_t *rows = json_array();
    if (!err) {
        if (from)
            sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
        if (to)
            sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 20,
                         u->role == NT_ROLE_ADMIN || (u->role == NT_ROLE_ANALYST && !u->nagencies));
        sqlite3_bind_int64(st, 21, u->id);
        bind_calendar(st, cfg->elections, nel);
        int nc = sqlite3_column_count(st);
        while (!err && nt_store_next(s, st, &err, "menghitung statistik gagal", d)) {
            json_t *r = json_array();
            for (int c = 0; c < nc; c++)
                json_array_append_new(r, value_of(st, c));
            json_array_append_new(rows, r);
        }
    }
    sqlite3_finalize(st);
    if (err) {
        json_decref(cols);
        json_decref(rows);
        return err;
    }
    *out = json_pack("{s:o, s:o}", "columns", cols, "rows", rows);
    return NT_OK;
}

/* What an answer depends on besides the data, as the cache's key. */
static char *stats_key(const struct nt_user *u, const char *const *kv, size_t nkeys,
                       const char *from, const char *to, const struct nt_review_config *cfg)
{
    bool all = u->role == NT_ROLE_ADMIN || (u->role == NT_ROLE_ANALYST && !u->nagencies);
    json_t *k = json_pack("{s:[s, s?], s:s?, s:s?, s:I, s:O}", "by", kv[0],
                          nkeys > 1 ? kv[1] : NULL, "from", from, "to", to, "scope",
                          (json_int_t)(all ? 0 : u->id), "calendar", cfg->elections);
    char *text = k ? json_dumps(k, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(k);
    return text;
}

/* The kept answer for `key` computed at generation `gen`, with its
 * computed_at, or NULL. */
static enum nt_err cache_get(struct nt_store *s, const char *key, int64_t gen, json_t **out,
                             struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    enum nt_err err = nt_store_prepare(
        s, "SELECT result, computed_at FROM stats_cache WHERE key = ?1 AND generation = ?2", &st,
        d);
    if (err)
        return err;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, gen);
    if (nt_store_next(s, st, &err, "membaca statistik tersimpan", d)) {
        *out = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        if (*out)
            json_object_set_new(*out, "computed_at", nt_rv_col(st, 1));
    }
    sqlite3_finalize(st);
    return err;
}

/* Keep an answer, and forget those of older generations (no read can match
 * them again). A busy database is waited for 50 ms at most: keeping is an
 * optimisation, and the answer is in hand. */
static enum nt_err cache_put(struct nt_store *s, const char *key, int64_t gen, time_t now,
                             const json_t *result, struct nt_diag *d)
{
    if (nt_store_is_readonly(s))
        return NT_OK;
    char *text = json_dumps(result, JSON_COMPACT);
    char at[32];
    nt_time_iso(now, at, sizeof(at));
    sqlite3 *db = nt_store_db(s);
    sqlite3_busy_timeout(db, 50);
    sqlite3_stmt *st = NULL;
    enum nt_err err = text ? nt_store_prepare(s,
                                              "INSERT INTO stats_cache(key, generation, "
                                              "computed_at, result) VALUES (?1, ?2, ?3, ?4) "
                                              "ON CONFLICT(key) DO UPDATE SET generation = "
                                              "excluded.generation, computed_at = "
                                              "excluded.computed_at, result = excluded.result "
                                              "WHERE excluded.generation >= generation",
                                              &st, d)
                           : nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    if (!err) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, gen);
        sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        st = NULL;
        if (rc == SQLITE_DONE)
            err = nt_store_prepare(s, "DELETE FROM stats_cache WHERE generation < ?1", &st, d);
        else if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
            err = nt_store_fail(s, rc, "menyimpan statistik gagal", d);
        if (st) {
            sqlite3_bind_int64(st, 1, gen);
            rc = sqlite3_step(st);
            if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
                err = nt_store_fail(s, rc, "menyimpan statistik gagal", d);
            sqlite3_finalize(st);
        }
    }
    sqlite3_busy_timeout(db, NT_STORE_BUSY_TIMEOUT_MS);
    free(text);
    return err;
}

/* `x` rounded to one decimal, halves away from zero (SQLite's round). */
static double tenths(double x)
{
    double v = x * 10.0;
    return (double)(long long)(v < 0 ? v - 0.5 : v + 0.5) / 10.0;
}

/* The oldest waiting item's time, in the table by report keys, as days
 * before `now` (one decimal). */
static void oldest_as_days(json_t *table, size_t nkeys, time_t now)
{
    size_t i;
    json_t *r;
    size_t col = nkeys + 7;
    json_array_foreach(json_object_get(table, "rows"), i, r)
    {
        time_t t;
        const char *at = json_string_value(json_array_get(r, col));
        json_array_set_new(r, col,
                           at && nt_time_parse(at, &t)
                               ? json_real(tenths((double)(now - t) / 86400.0))
                               : json_null());
    }
}

/* The keys of the in-memory copy's columns, in facts.c's order. */
static const char *const fact_keys[NT_RV_FACT_COLS] = {
    "agency", "unit", "position", "category", "age", "sex", "platform", "region", "month", "week",
};

static int fact_col(const char *key)
{
    for (int c = 0; c < NT_RV_FACT_COLS; c++)
        if (strcmp(fact_keys[c], key) == 0)
            return c;
    return -1;
}

static void fact_exprs(const char *exprs[NT_RV_FACT_COLS])
{
    for (int c = 0; c < NT_RV_FACT_COLS; c++)
        exprs[c] = keys[key_index(fact_keys[c])].expr;
}

enum nt_err nt_stats_facts_warm(struct nt_stats_facts *f, struct nt_store *s, struct nt_diag *d)
{
    const char *exprs[NT_RV_FACT_COLS];
    fact_exprs(exprs);
    enum nt_err err = nt_store_begin_read(s, d);
    if (!err)
        err = nt_rv_facts_sync(f, s, exprs, d);
    return nt_rv_finish(s, err, d);
}

/* The table by report keys from the in-memory copy: the copy brought up
 * to date, the day after `to`, the elections' ends and the user's
 * agencies read in one snapshot; counted after it. */
static enum nt_err stats_from_facts(struct nt_store *s, struct nt_stats_facts *facts,
                                    const struct nt_user *u, const char *const *kv, size_t nkeys,
                                    const char *from, const char *to,
                                    const struct nt_review_config *cfg, json_t **out,
                                    struct nt_diag *d)
{
    const char *exprs[NT_RV_FACT_COLS];
    fact_exprs(exprs);
    struct nt_rv_fact_query q = { .nkeys = nkeys, .from = from, .to = to };
    q.all = u->role == NT_ROLE_ADMIN || (u->role == NT_ROLE_ANALYST && !u->nagencies);
    q.nel = json_array_size(cfg->elections);
    if (q.nel > 8)
        q.nel = 8;
    json_t *cols = json_array();
    for (size_t k = 0; k < nkeys; k++) {
        q.col[k] = fact_col(kv[k]);
        q.age[k] = strcmp(kv[k], "age") == 0;
        json_array_append_new(cols, json_string(keys[key_index(kv[k])].label));
    }
    extend(cols, count_columns());
    for (size_t k = 0; k < q.nel; k++) {
        json_t *e = json_array_get(cfg->elections, k);
        q.el[k].id = json_string_value(json_object_get(e, "id"));
        q.el[k].start = json_string_value(json_object_get(e, "campaign_start"));
        q.el[k].end = json_string_value(json_object_get(e, "campaign_end"));
    }
    /* Texts read in the snapshot, owned here until the count is done. */
    char *texts[8 + 1] = { NULL };
    char **agencies = NULL;
    size_t nag = 0, cap = 0;
    sqlite3_stmt *st = NULL;
    struct nt_buf b;
    nt_buf_init(&b, 1 << 12);
    nt_buf_append_str(&b, "SELECT date(?1, '+1 day')");
    for (size_t k = 0; k < q.nel; k++)
        nt_buf_appendf(&b, ", date(?%zu, '+90 days')", k + 2);
    enum nt_err err = nt_store_begin_read(s, d);
    if (!err)
        err = nt_rv_facts_sync(facts, s, exprs, d);
    if (!err)
        err = nt_rv_prepare_built(s, &b, &st, d);
    if (!err) {
        if (to)
            sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
        for (size_t k = 0; k < q.nel; k++)
            sqlite3_bind_text(st, (int)k + 2,
                              json_string_value(json_object_get(json_array_get(cfg->elections, k),
                                                                "election_day")),
                              -1, SQLITE_STATIC);
        if (nt_store_next(s, st, &err, "menghitung statistik gagal", d))
            for (size_t k = 0; k <= q.nel; k++) {
                const char *t = (const char *)sqlite3_column_text(st, (int)k);
                if (t && !(texts[k] = strdup(t)))
                    err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            }
    }
    sqlite3_finalize(st);
    st = NULL;
    nt_buf_release(&b);
    if (!err && !q.all)
        err = nt_store_prepare(s, "SELECT agency FROM user_agencies WHERE user_id = ?1", &st, d);
    if (st)
        sqlite3_bind_int64(st, 1, u->id);
    while (st && !err && nt_store_next(s, st, &err, "membaca instansi pengguna", d)) {
        if (nt_grow(&agencies, &cap, nag, sizeof(*agencies), 8) != NT_OK ||
            !(agencies[nag] = strdup((const char *)sqlite3_column_text(st, 0))))
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        else
            nag++;
    }
    sqlite3_finalize(st);
    err = nt_rv_finish(s, err, d);
    json_t *rows = json_array();
    if (!err) {
        q.to_next = texts[0];
        for (size_t k = 0; k < q.nel; k++)
            q.el[k].end90 = texts[k + 1];
        q.agencies = (const char *const *)agencies;
        q.nagencies = nag;
        if (nt_rv_facts_table(facts, &q, rows) != NT_OK)
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    for (size_t k = 0; k <= 8; k++)
        free(texts[k]);
    for (size_t i = 0; i < nag; i++)
        free(agencies[i]);
    free(agencies);
    if (err) {
        json_decref(cols);
        json_decref(rows);
        return err;
    }
    *out = json_pack("{s:o, s:o}", "columns", cols, "rows", rows);
    return NT_OK;
}

enum nt_err nt_stats(struct nt_store *s, struct nt_stats_facts *facts, const struct nt_user *u,
                     const char *const *kv, size_t nkeys, const char *from, const char *to,
                     time_t now, json_t **out, struct nt_diag *d)
{
    struct nt_review_config cfg;
    int ki[2] = { -1, -1 };
    if (nkeys < 1 || nkeys > 2)
        return nt_diag_set(d, NT_EINPUT, "--by memerlukan satu atau dua kunci");
    struct nt_date dt;
    if (from && !nt_date_parse(from, &dt))
        return nt_diag_set(d, NT_EUSAGE, "tanggal awal \"%s\" bukan TTTT-BB-HH", from);
    if (to && !nt_date_parse(to, &dt))
        return nt_diag_set(d, NT_EUSAGE, "tanggal akhir \"%s\" bukan TTTT-BB-HH", to);
    for (size_t k = 0; k < nkeys; k++) {
        ki[k] = key_index(kv[k]);
        if (ki[k] < 0)
            return nt_diag_set(d, NT_EINPUT,
                               "kunci \"%.30s\" tidak dikenal (agency, unit, position, category, "
                               "period, month, age, sex, platform, region, entry, reviewer)",
                               kv[k]);
    }
    bool special = strcmp(kv[0], "entry") == 0 || strcmp(kv[0], "reviewer") == 0;
    if (nkeys == 2 && (special || strcmp(kv[1], "entry") == 0 || strcmp(kv[1], "reviewer") == 0))
        return nt_diag_set(d, NT_EINPUT, "kunci entry dan reviewer berdiri sendiri");
    enum nt_err err = nt_review_config_load(s, &cfg, d);
    if (err)
        return err;
    if (facts && !special) {
        json_t *table = NULL;
        err = stats_from_facts(s, facts, u, kv, nkeys, from, to, &cfg, &table, d);
        nt_review_config_release(&cfg);
        if (err)
            return err;
        char at[32];
        nt_time_iso(now, at, sizeof(at));
        json_object_set_new(table, "computed_at", json_string(at));
        oldest_as_days(table, nkeys, now);
        *out = table;
        return NT_OK;
    }
    char *key = stats_key(u, kv, nkeys, from, to, &cfg);
    if (!key) {
        nt_review_config_release(&cfg);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    /* The counter, the kept answer and, when there is none, the scan: one
     * snapshot. */
    json_t *table = NULL;
    bool fresh = false, counting = false;
    for (;;) {
        /* The counter, the kept answer and, when there is none, the count:
         * one snapshot. A table that is not kept is counted by one thread
         * of the process at a time (the others, on their second look,
         * find it kept): a decision makes the next request of every
         * client a miss, and 8 clients counting the same table at once on
         * 2 cores each take 4 times as long. */
        int64_t gen = 0;
        err = nt_store_begin_read(s, d);
        sqlite3_stmt *st = NULL;
        if (!err)
            err = nt_store_prepare(s, "SELECT n FROM stats_generation", &st, d);
        if (!err && nt_store_next(s, st, &err, "membaca penanda statistik", d))
            gen = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (!err)
            err = cache_get(s, key, gen, &table, d);
        if (!err && !table && !counting) {
            nt_store_rollback(s);
            pthread_mutex_lock(&counting_lock);
            counting = true;
            continue;
        }
        if (!err && !table) {
            err = stats_compute(s, u, kv, ki, nkeys, from, to, &cfg, &table, d);
            fresh = true;
        }
        if (!err)
            err = nt_store_commit(s, d);
        else
            nt_store_rollback(s);
        if (!err && fresh) {
            err = cache_put(s, key, gen, now, table, d);
            char at[32];
            nt_time_iso(now, at, sizeof(at));
            json_object_set_new(table, "computed_at", json_string(at));
        }
        break;
    }
    if (counting)
        pthread_mutex_unlock(&counting_lock);
    free(key);
    nt_review_config_release(&cfg);
    if (err) {
        json_decref(table);
        return err;
    }
    if (!special)
        oldest_as_days(table, nkeys, now);
    *out = table;
    return NT_OK;
}

/* The filter's values exist: an agency of the registry, a platform, a state. */
static enum nt_err coverage_check(struct nt_store *s, const struct nt_coverage_filter *f,
                                  struct nt_diag *d)
{
    if (f->state && strcmp(f->state, "ok") && strcmp(f->state, "failing") &&
        strcmp(f->state, "new"))
        return nt_diag_set(d, NT_EUSAGE, "status \"%s\" tidak dikenal; pilihan: ok, failing, new",
                           f->state);
    return f->agency ? nt_reg_agency_check(s, f->agency, d) : NT_OK;
}

static void coverage_bind(sqlite3_stmt *st, const struct nt_coverage_filter *f,
                          const struct nt_user *u)
{
    if (f->agency)
        sqlite3_bind_text(st, 1, f->agency, -1, SQLITE_STATIC);
    if (f->platform)
        sqlite3_bind_text(st, 2, f->platform, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 20, !u || u->role == NT_ROLE_ADMIN);
    sqlite3_bind_int64(st, 21, u ? u->id : 0);
}

enum nt_err nt_coverage_summary(struct nt_store *s, const struct nt_user *u,
                                const struct nt_coverage_filter *f, json_t **out, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum nt_err err =
        nt_user_require(u, NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN, "melihat cakupan pemantauan", d);
    if (!err)
        err = coverage_check(s, f, d);
    if (!err)
        err = nt_store_prepare(
            s,
            "SELECT (SELECT count(*) FROM accounts a JOIN employees e ON e.id = a.employee_id "
            "  LEFT JOIN crawl_state c ON c.account_id = a.id WHERE a.active = 1 AND e.active = 1 "
            "  AND " SCOPE_SQL " AND (?1 IS NULL OR e.agency = ?1 COLLATE NOCASE) "
            "  AND (?2 IS NULL OR a.platform = ?2)), "
            "(SELECT count(*) FROM accounts a JOIN employees e ON e.id = a.employee_id "
            "  JOIN crawl_state c ON c.account_id = a.id WHERE a.active = 1 AND e.active = 1 "
            "  AND c.state = 'ok' AND " SCOPE_SQL
            " AND (?1 IS NULL OR e.agency = ?1 COLLATE NOCASE) "
            "  AND (?2 IS NULL OR a.platform = ?2)), "
            "(SELECT count(*) FROM accounts a JOIN employees e ON e.id = a.employee_id "
            "  LEFT JOIN crawl_state c ON c.account_id = a.id WHERE a.active = 1 AND e.active = 1 "
            "  AND COALESCE(c.state, 'new') = 'new' AND " SCOPE_SQL
            "  AND (?1 IS NULL OR e.agency = ?1 COLLATE NOCASE) AND (?2 IS NULL OR a.platform = "
            "?2)), "
            "(SELECT count(*) FROM employees e WHERE e.active = 1 AND " SCOPE_SQL
            "  AND (?1 IS NULL OR e.agency = ?1 COLLATE NOCASE)), "
            "(SELECT count(*) FROM employees e WHERE e.active = 1 AND " SCOPE_SQL
            "  AND (?1 IS NULL OR e.agency = ?1 COLLATE NOCASE) AND NOT EXISTS (SELECT 1 FROM "
            "  accounts a WHERE a.employee_id = e.id AND a.active = 1))",
            &st, d);
    if (err)
        return err;
    coverage_bind(st, f, u);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        json_int_t all = sqlite3_column_int64(st, 0), ok = sqlite3_column_int64(st, 1),
                   never = sqlite3_column_int64(st, 2);
        *out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "accounts", all, "ok", ok, "failing",
                         all - ok - never, "never", never, "employees",
                         (json_int_t)sqlite3_column_int64(st, 3), "employees_without_accounts",
                         (json_int_t)sqlite3_column_int64(st, 4));
    } else {
        err = nt_store_fail(s, rc, "menghitung cakupan", d);
    }
    sqlite3_finalize(st);
    return err;
}

enum nt_err nt_coverage(struct nt_store *s, const struct nt_user *u,
                        const struct nt_coverage_filter *f, json_t **out, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    static const struct nt_coverage_filter none = { 0 };
    int64_t users = 0;
    enum nt_err err = NT_OK;
    if (!f)
        f = &none;
    if (!u) /* only while setting up, before the first user */
        err = nt_user_count(s, &users, d);
    if (!err && (u || users > 0))
        err =
            nt_user_require(u, NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN, "melihat cakupan pemantauan", d);
    if (!err)
        err = coverage_check(s, f, d);
    if (!err)
        err = nt_store_prepare(
            s,
            "SELECT e.nip, e.name, e.agency, a.platform, a.account, "
            "COALESCE(c.state, 'new'), c.last_success_at, c.last_error, "
            "COALESCE(c.consecutive_failures, 0), c.next_attempt_at, e.region_code, "
            /* Whom the account follows: read, or why not. */
            "CASE WHEN a.platform NOT IN ('mastodon', 'bluesky') THEN 'tidak tersedia di platform "
            "ini' WHEN c.follows_state IS NULL THEN 'belum dibaca' WHEN c.follows_state = 'ok' "
            "THEN 'ok (' || c.follows_count || ' akun)' ELSE c.follows_state END FROM accounts a "
            "JOIN employees e ON e.id = a.employee_id "
            "LEFT JOIN crawl_state c ON c.account_id = a.id "
            "WHERE a.active = 1 AND e.active = 1 AND " SCOPE_SQL
            " AND (?1 IS NULL OR e.agency = ?1 COLLATE NOCASE) AND (?2 IS NULL OR a.platform = ?2)"
            " AND (?3 IS NULL OR (?3 = 'ok' AND c.state = 'ok') OR (?3 = 'new' AND "
            " COALESCE(c.state, 'new') = 'new') OR (?3 = 'failing' AND "
            " COALESCE(c.state, 'new') NOT IN ('ok', 'new')))"
            " ORDER BY (COALESCE(c.state, 'new') = 'ok'), e.agency, e.name, a.platform, a.id"
            " LIMIT ?4 OFFSET ?5",
            &st, d);
    if (err)
        return err;
    coverage_bind(st, f, u);
    if (f->state)
        sqlite3_bind_text(st, 3, f->state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, f->limit ? (sqlite3_int64)f->limit : -1);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)f->offset);
    json_t *a = json_array();
    while (!err && nt_store_next(s, st, &err, "membaca cakupan", d))
        json_array_append_new(
            a,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o}", "nip",
                      nt_rv_col(st, 0), "name", nt_rv_col(st, 1), "agency", nt_rv_col(st, 2),
                      "platform", nt_rv_col(st, 3), "account", nt_rv_col(st, 4), "state",
                      nt_rv_col(st, 5), "last_success", nt_rv_col(st, 6), "last_error",
                      nt_rv_col(st, 7), "failures", sqlite3_column_int(st, 8), "next_attempt",
                      nt_rv_col(st, 9), "region", nt_rv_col(st, 10), "follows", nt_rv_col(st, 11)));
    sqlite3_finalize(st);
    if (err) {
        json_decref(a);
        return err;
    }
    *out = a;
    return NT_OK;
}

/* A CSV field, quoted when it must be; a leading = + - @ tab or CR is
 * neutralised with a quote mark so that a spreadsheet does not run the
 * cell as a formula (cells may hold text that came from posts). */
static void csv_field(struct nt_buf *b, const char *t)
{
    bool formula = t[0] && strchr("=+-@\t\r", t[0]);
    bool quote = formula || strpbrk(t, ",\"\r\n");
    if (quote)
        nt_buf_append_str(b, formula ? "\"'" : "\"");
    for (const char *c = t; *c; c++)
        nt_buf_append(b, *c == '"' ? "\"\"" : c, *c == '"' ? 2 : 1);
    if (quote)
        nt_buf_append_str(b, "\"");
}

enum nt_err nt_grid_csv(json_t *columns, json_t *rows, struct nt_buf *out)
{
    size_t i, k;
    json_t *row, *v;
    json_array_foreach(columns, k, v)
    {
        if (k)
            nt_buf_append_str(out, ",");
        csv_field(out, json_string_value(v) ? json_string_value(v) : "");
    }
    nt_buf_append_str(out, "\n");
    json_array_foreach(rows, i, row)
    {
        json_array_foreach(row, k, v)
        {
            char num[64] = "";
            if (json_is_integer(v))
                snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
            else if (json_is_real(v))
                snprintf(num, sizeof(num), "%g", json_real_value(v));
            if (k)
                nt_buf_append_str(out, ",");
            csv_field(out, json_is_string(v) ? json_string_value(v) : num);
        }
        nt_buf_append_str(out, "\n");
    }
    return nt_buf_str(out) ? NT_OK : NT_ENOMEM;
}
