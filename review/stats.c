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
 * answer a full scan would give now (SQLite only: on PostgreSQL that
 * counter would be one row every concurrent writer locks, so nothing is
 * kept there; serve counts from facts.c's copy). The oldest waiting item
 * is kept as a time and turned into days at "now" on the way out. The SQL
 * is the same on both engines (store/db.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "internal.h"
#include "registry.h"

/* The age band's rank, to list bands in age order (unknown last). The band
 * (age on the post's date) is kept on the item (schema 19). */
#define AGE_RANK_SQL                                                                               \
    "min(CASE i.age_band WHEN '<=30' THEN 1 WHEN '31-40' THEN 2 WHEN '41-50' THEN 3 "              \
    "WHEN '>=51' THEN 4 ELSE 9 END)"

/* The week of the year as SQLite's strftime('%W') counts it (Monday
 * first; the days before the first Monday are week 00), in PostgreSQL's
 * words: (day of the year + 7 - ISO weekday) / 7. */
#define PG_DAY "CAST(substr(i.posted_at, 1, 10) AS date)"
#define PG_WEEK                                                                                    \
    "CASE WHEN i.posted_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN substr(i.posted_at, 1, 4) || "     \
    "'-M' || lpad(CAST((CAST(extract(doy FROM " PG_DAY ") AS int) + 7 - CAST(extract(isodow "      \
    "FROM " PG_DAY ") AS int)) / 7 AS text), 2, '0') ELSE 'tidak diketahui' END"

/* A key: its name, its column's label, and its SQL (pg: PostgreSQL's,
 * where it differs). */
static const struct {
    const char *key, *label, *expr, *pg;
} keys[] = {
    { "agency", "instansi", "i.agency", NULL },
    { "unit", "unit_kerja", "i.work_unit", NULL },
    { "position", "jenis_jabatan", "i.position_type", NULL },
    { "category", "kategori", "i.category", NULL },
    { "period", "periode", NULL, NULL }, /* built from the election calendar */
    { "age", "usia", "COALESCE(i.age_band, 'tidak diketahui')", NULL },
    { "sex", "jenis_kelamin", "i.sex", NULL },
    { "platform", "platform", "i.platform", NULL },
    { "region", "provinsi", "i.region", NULL },
    /* posted_at is ISO UTC as the crawler and ingest store it
     * ("2023-11-15T08:00:00Z"): its first characters are the month and the
     * date, read without parsing a date per item (strftime and date() were
     * most of these tables' time). */
    { "month", "bulan", "COALESCE(substr(i.posted_at, 1, 7), 'tidak diketahui')", NULL },
    /* weeks of the year, Monday first: "2023-M48" (minggu 48) */
    { "week", "minggu", "COALESCE(strftime('%Y-M%W', i.posted_at), 'tidak diketahui')", PG_WEEK },
    { "entry", "entri", NULL, NULL },
    { "reviewer", "peninjau", NULL, NULL },
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

/* Key i's SQL on this store's engine. */
static const char *expr_of(struct nt_store *s, int i)
{
    return keys[i].pg && nt_store_is_postgres(s) ? keys[i].pg : keys[i].expr;
}

/* The period expression: parameters ?30.. hold each election's id, campaign
 * start, campaign end and the day 90 days after polling day (4 per
 * election, at most 8). */
static void period_expr(struct nt_buf *b, size_t n)
{
    nt_buf_append_str(b, "CASE WHEN i.posted_at IS NULL THEN 'tidak diketahui' ");
    for (size_t k = 0; k < n; k++) {
        unsigned p = 30 + 4 * (unsigned)k;
        nt_buf_appendf(b,
                       "WHEN substr(i.posted_at, 1, 10) <= ?%u OR 1 = %d THEN CAST(?%u AS TEXT) "
                       "|| ' ' || CASE WHEN substr(i.posted_at, 1, 10) < ?%u THEN 'sebelum' "
                       "WHEN substr(i.posted_at, 1, 10) <= ?%u THEN 'kampanye' ELSE 'sesudah' END ",
                       p + 3, k + 1 == n, p, p + 1, p + 2);
    }
    nt_buf_append_str(b, "END");
}

/* The day 90 days after election k's polling day ("" when the calendar's
 * day is not a date: bound as NULL, as SQLite's date() gave it). */
static void end90(json_t *elections, size_t k, char out[16])
{
    const char *day =
        json_string_value(json_object_get(json_array_get(elections, k), "election_day"));
    if (!day || !nt_date_add_days(day, 90, out, 16))
        out[0] = '\0';
}

static void bind_calendar(struct nt_db_stmt *st, json_t *el, size_t n)
{
    static const char *const f[] = { "id", "campaign_start", "campaign_end" };
    for (size_t k = 0; k < n; k++) {
        char e90[16];
        for (int j = 0; j < 3; j++)
            nt_db_bind_text(st, 30 + 4 * (int)k + j,
                            json_string_value(json_object_get(json_array_get(el, k), f[j])));
        end90(el, k, e90);
        nt_db_bind_text(st, 30 + 4 * (int)k + 3, e90[0] ? e90 : NULL);
    }
}

/* Append the items of `more` (a new reference, released) to `a`. */
static void extend(json_t *a, json_t *more)
{
    json_array_extend(a, more);
    json_decref(more);
}

static json_t *value_of(struct nt_db_stmt *st, int i)
{
    switch (nt_db_type(st, i)) {
    case NT_DB_INT:
        return json_integer(nt_db_int64(st, i));
    case NT_DB_REAL:
        return json_real(nt_db_double(st, i));
    case NT_DB_NULL:
        return json_null();
    default:
        return json_string(nt_db_text(st, i));
    }
}

#define ITEM_SCOPE_SQL SCOPE_OF("i.agency")
/* The rows of entry_counts or entry_decided (as c) a table by entry reads:
 * the active lexicon's, in the user's agencies and the dates ?1..?2. */
#define ENTRY_ROWS_SQL                                                                             \
    "WHERE c.lexicon_id = (SELECT id FROM lexicon_versions WHERE active = 1) AND " SCOPE_OF(       \
        "c.agency") " AND (CAST(?1 AS TEXT) IS NULL OR c.day >= ?1) AND (CAST(?2 AS TEXT) IS "     \
                    "NULL "                                                                        \
                    "OR c.day <= ?2) "

/* What a table by report keys counts per group (count_columns); sums
 * of CASE, as PostgreSQL does not sum booleans. */
#define COUNTS_SQL                                                                                 \
    "count(*), sum(CASE WHEN i.status = 'confirmed' THEN 1 ELSE 0 END), "                          \
    "sum(CASE WHEN i.status = 'dismissed' THEN 1 ELSE 0 END), "                                    \
    "sum(CASE WHEN i.status = 'escalated' THEN 1 ELSE 0 END), "                                    \
    "sum(CASE WHEN i.status IN ('pending','awaiting_second') THEN 1 ELSE 0 END), "                 \
    "count(DISTINCT i.employee_id), "                                                              \
    "count(DISTINCT CASE WHEN i.status = 'confirmed' THEN i.employee_id END), "                    \
    "min(CASE WHEN i.status IN ('pending','awaiting_second') THEN i.created_at END) "              \
    "FROM review_items i "

/* The columns after the keys of a table by report keys. */
static json_t *count_columns(void)
{
    return json_pack("[s, s, s, s, s, s, s, s]", "ditandai", "dikonfirmasi", "ditolak",
                     "dieskalasi", "menunggu", "pegawai", "pegawai_terbukti",
                     "antrean_tertua_hari");
}

/* The table by a full scan: {columns, rows}. In the table by report keys
 * the last column holds the oldest waiting item's creation time. */
static enum nt_err stats_compute(struct nt_store *s, const struct nt_user *u, const char *const *kv,
                                 const int *ki, size_t nkeys, const char *from, const char *to,
                                 const struct nt_review_config *cfg, json_t **out,
                                 struct nt_diag *d)
{
    struct nt_buf q;
    struct nt_db_stmt *st = NULL;
    enum nt_err err = NT_OK;
    bool by_keys = false, by_period = false;
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
            "WITH hc AS (SELECT c.entry_id, CAST(sum(c.n) AS BIGINT) AS hits FROM entry_counts "
            "c " ENTRY_ROWS_SQL "GROUP BY 1 HAVING sum(c.n) > 0), "
            "dc AS (SELECT c.entry_id, "
            "COALESCE(sum(CASE c.status WHEN 'confirmed' THEN c.n END), 0) AS conf, "
            "COALESCE(sum(CASE c.status WHEN 'dismissed' THEN c.n END), 0) AS dism "
            "FROM entry_decided c " ENTRY_ROWS_SQL "GROUP BY 1) "
            "SELECT hc.entry_id, hc.hits, CAST(COALESCE(dc.conf, 0) AS BIGINT), "
            "CAST(COALESCE(dc.dism, 0) AS BIGINT), "
            "CAST(round(CAST(1.0 * dc.conf / NULLIF(dc.conf + dc.dism, 0) AS NUMERIC), 3) AS "
            "DOUBLE PRECISION) FROM hc LEFT JOIN dc ON dc.entry_id = hc.entry_id ORDER BY 2 DESC, "
            "1");
        extend(cols,
               json_pack("[s, s, s, s, s]", "entri", "hit", "dikonfirmasi", "ditolak", "presisi"));
    } else if (strcmp(kv[0], "reviewer") == 0) {
        /* The decisions that stand (no undo, nothing undone) per
         * reviewer, agency and day, kept as they are made (reviewer_days). */
        nt_buf_append_str(
            &q, "SELECT u.name, CAST(sum(r.n) AS BIGINT), CAST(sum(r.confirmed) AS BIGINT), "
                "CAST(sum(r.dismissed) AS BIGINT), CAST(sum(r.escalated) AS BIGINT), "
                "CAST(round(CAST(sum(r.days) / sum(r.n) * 24 AS NUMERIC), 1) AS DOUBLE PRECISION), "
                "count(DISTINCT CASE WHEN r.n > 0 THEN r.day END) FROM reviewer_days r "
                "JOIN users u ON u.id = r.user_id WHERE " SCOPE_OF(
                    "r.agency") " AND (CAST(?1 AS TEXT) IS NULL OR r.day >= ?1) "
                                "AND (CAST(?2 AS TEXT) IS NULL OR r.day <= ?2) GROUP BY 1 "
                                "HAVING sum(r.n) > 0 ORDER BY 2 DESC, 1");
        extend(cols, json_pack("[s, s, s, s, s, s, s]", "peninjau", "keputusan", "konfirmasi",
                               "tolak", "eskalasi", "rata2_jam_sampai_putusan", "hari_aktif"));
    } else {
        by_keys = true;
        nt_buf_append_str(&q, "SELECT ");
        for (size_t k = 0; k < nkeys; k++) {
            by_period |= !keys[ki[k]].expr;
            if (keys[ki[k]].expr)
                nt_buf_append_str(&q, expr_of(s, ki[k]));
            else
                period_expr(&q, nel);
            nt_buf_append_str(&q, ", ");
            json_array_append_new(cols, json_string(keys[ki[k]].label));
        }
        nt_buf_append_str(&q, COUNTS_SQL);
        /* Employees are joined only for keys that are theirs. */
        for (size_t k = 0; k < nkeys; k++)
            if (keys[ki[k]].expr && strstr(keys[ki[k]].expr, "e.")) {
                nt_buf_append_str(&q, "JOIN employees e ON e.id = i.employee_id ");
                break;
            }
        nt_buf_append_str(&q, "WHERE " ITEM_SCOPE_SQL " AND (CAST(?1 AS TEXT) IS NULL OR "
                              "i.posted_at >= ?1) AND (CAST(?3 AS TEXT) IS NULL OR "
                              "i.posted_at < ?3) GROUP BY ");
        /* Age bands in age order (unknown last), everything else by name,
         * NULL first as SQLite sorts it. */
        nt_buf_append_str(&q, nkeys == 2 ? "1, 2 ORDER BY " : "1 ORDER BY ");
        for (size_t k = 0; k < nkeys; k++)
            nt_buf_appendf(&q, "%s%s", k ? ", " : "",
                           strcmp(kv[k], "age") == 0 ? AGE_RANK_SQL
                           : k                       ? "2 NULLS FIRST"
                                                     : "1 NULLS FIRST");
        extend(cols, count_columns());
    }
    err = nt_rv_prepare_built(s, &q, &st, d);
    nt_buf_release(&q);
    json_t *rows = json_array();
    if (!err) {
        char next[16];
        nt_db_bind_text(st, 1, from);
        if (by_keys)
            nt_db_bind_text(st, 3, to && nt_date_next_day(to, next, sizeof(next)) ? next : NULL);
        else
            nt_db_bind_text(st, 2, to);
        nt_db_bind_int64(st, 20,
                         u->role == NT_ROLE_ADMIN || (u->role == NT_ROLE_ANALYST && !u->nagencies));
        nt_db_bind_int64(st, 21, u->id);
        if (by_period)
            bind_calendar(st, cfg->elections, nel);
        while (!err && nt_db_next(st, &err, d)) {
            int nc = nt_db_columns(st);
            json_t *r = json_array();
            for (int c = 0; c < nc; c++)
                json_array_append_new(r, value_of(st, c));
            json_array_append_new(rows, r);
        }
    }
    nt_db_finalize(st);
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
    struct nt_db_stmt *st = NULL;
    *out = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "SELECT result, computed_at FROM stats_cache WHERE key = ?1 AND generation = ?2", &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, key);
    nt_db_bind_int64(st, 2, gen);
    if (nt_db_next(st, &err, d)) {
        *out = json_loads(nt_db_text(st, 0), 0, NULL);
        if (*out)
            json_object_set_new(*out, "computed_at", nt_rv_col(st, 1));
    }
    nt_db_finalize(st);
    return err;
}

/* Keep an answer, and forget those of older generations (no read can match
 * them again). A busy database is waited for 50 ms at most: keeping is an
 * optimisation, and the answer is in hand. SQLite only (a PostgreSQL
 * store keeps no answers: see nt_stats). */
static enum nt_err cache_put(struct nt_store *s, const char *key, int64_t gen, time_t now,
                             const json_t *result, struct nt_diag *d)
{
    if (nt_store_is_readonly(s))
        return NT_OK;
    char *text = json_dumps(result, JSON_COMPACT);
    char at[32];
    nt_time_iso(now, at, sizeof(at));
    sqlite3 *db = nt_store_db(s);
    struct nt_db *h = nt_store_dbh(s);
    sqlite3_busy_timeout(db, 50);
    struct nt_db_stmt *st = NULL;
    enum nt_err err = !text ? nt_diag_set(d, NT_ENOMEM, "memori tidak cukup")
                            : nt_db_prepare(h,
                                            "INSERT INTO stats_cache(key, generation, "
                                            "computed_at, result) VALUES (?1, ?2, ?3, ?4) "
                                            "ON CONFLICT(key) DO UPDATE SET generation = "
                                            "excluded.generation, computed_at = "
                                            "excluded.computed_at, result = excluded.result "
                                            "WHERE excluded.generation >= generation",
                                            &st, d);
    if (!err) {
        nt_db_bind_text(st, 1, key);
        nt_db_bind_int64(st, 2, gen);
        nt_db_bind_text(st, 3, at);
        nt_db_bind_text(st, 4, text);
        err = nt_db_run(st, d);
        nt_db_finalize(st);
        st = NULL;
        if (!err)
            err = nt_db_prepare(h, "DELETE FROM stats_cache WHERE generation < ?1", &st, d);
        if (!err) {
            nt_db_bind_int64(st, 1, gen);
            err = nt_db_run(st, d);
        }
        nt_db_finalize(st);
        if (err == NT_EBUSY)
            err = NT_OK;
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

static void fact_exprs(struct nt_store *s, const char *exprs[NT_RV_FACT_COLS])
{
    for (int c = 0; c < NT_RV_FACT_COLS; c++)
        exprs[c] = expr_of(s, key_index(fact_keys[c]));
}

enum nt_err nt_stats_facts_warm(struct nt_stats_facts *f, struct nt_store *s, struct nt_diag *d)
{
    const char *exprs[NT_RV_FACT_COLS];
    fact_exprs(s, exprs);
    enum nt_err err = nt_store_begin_snapshot(s, d);
    if (!err)
        err = nt_rv_facts_sync(f, s, exprs, d);
    return nt_rv_finish(s, err, d);
}

/* The table by report keys from the in-memory copy: the copy brought up
 * to date and the user's agencies read in one snapshot; counted after it. */
static enum nt_err stats_from_facts(struct nt_store *s, struct nt_stats_facts *facts,
                                    const struct nt_user *u, const char *const *kv, size_t nkeys,
                                    const char *from, const char *to,
                                    const struct nt_review_config *cfg, json_t **out,
                                    struct nt_diag *d)
{
    const char *exprs[NT_RV_FACT_COLS];
    fact_exprs(s, exprs);
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
    /* The day after `to` and 90 days after each polling day (NULL when
     * not a date: as SQLite's date() gives them, which the count's rules
     * follow). */
    char next[16], ends[8][16];
    q.to_next = to && nt_date_next_day(to, next, sizeof(next)) ? next : NULL;
    for (size_t k = 0; k < q.nel; k++) {
        end90(cfg->elections, k, ends[k]);
        q.el[k].end90 = ends[k][0] ? ends[k] : NULL;
    }
    char **agencies = NULL;
    size_t nag = 0, cap = 0;
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_store_begin_snapshot(s, d);
    if (!err)
        err = nt_rv_facts_sync(facts, s, exprs, d);
    if (!err && !q.all)
        err = nt_db_prepare(nt_store_dbh(s), "SELECT agency FROM user_agencies WHERE user_id = ?1",
                            &st, d);
    if (st)
        nt_db_bind_int64(st, 1, u->id);
    while (st && !err && nt_db_next(st, &err, d)) {
        if (nt_grow(&agencies, &cap, nag, sizeof(*agencies), 8) != NT_OK ||
            !(agencies[nag] = strdup(nt_db_text(st, 0))))
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        else
            nag++;
    }
    nt_db_finalize(st);
    err = nt_rv_finish(s, err, d);
    json_t *rows = json_array();
    if (!err) {
        q.agencies = (const char *const *)agencies;
        q.nagencies = nag;
        if (nt_rv_facts_table(facts, &q, rows) != NT_OK)
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
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

/* A table counted from the rows (stats_compute) for nt_stats. */
struct count {
    struct nt_store *s;
    const struct nt_user *u;
    const char *const *kv;
    const int *ki;
    size_t nkeys;
    const char *from, *to;
    const struct nt_review_config *cfg;
    const char *key;
    time_t now;
};

/* SQLite, inside the caller's read transaction: the change counter and
 * the answer kept at it (*out NULL when there is none). */
static enum nt_err kept_at_counter(struct count *c, int64_t *gen, json_t **out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    *gen = 0;
    *out = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(c->s), "SELECT n FROM stats_generation", &st, d);
    if (!err && nt_db_next(st, &err, d))
        *gen = nt_db_int64(st, 0);
    nt_db_finalize(st);
    return err ? err : cache_get(c->s, c->key, *gen, out, d);
}

/* SQLite: the answer kept for the table at the current change counter
 * (*out NULL when there is none); one snapshot. */
static enum nt_err count_kept(struct count *c, json_t **out, struct nt_diag *d)
{
    int64_t gen;
    *out = NULL;
    enum nt_err err = nt_store_begin_read(c->s, d);
    if (!err)
        err = kept_at_counter(c, &gen, out, d);
    nt_store_rollback(c->s);
    return err;
}

/* The count itself. SQLite: the counter, the kept answer (another
 * process may have kept it meanwhile) and the count in one snapshot,
 * the answer kept after. PostgreSQL: the count in a snapshot. */
static enum nt_err count_now(struct count *c, json_t **out, struct nt_diag *d)
{
    bool pg = nt_store_is_postgres(c->s);
    int64_t gen = 0;
    *out = NULL;
    enum nt_err err = pg ? nt_store_begin_snapshot(c->s, d) : nt_store_begin_read(c->s, d);
    if (!err && !pg)
        err = kept_at_counter(c, &gen, out, d);
    bool fresh = false;
    if (!err && !*out) {
        err = stats_compute(c->s, c->u, c->kv, c->ki, c->nkeys, c->from, c->to, c->cfg, out, d);
        fresh = true;
    }
    err = nt_rv_finish(c->s, err, d);
    if (!err && fresh && !pg)
        err = cache_put(c->s, c->key, gen, c->now, *out, d);
    if (err) {
        json_decref(*out);
        *out = NULL;
    }
    return err;
}

/*
 * Counts shared by the requests that wait for them. A request is answered
 * by a count that began after it arrived (so its answer is what a count
 * of its own would give): while one count of a table runs, the requests
 * for the same table that arrive wait, and the next count, begun when it
 * ends, answers all of them. Eight clients asking for a table that every
 * write makes stale cost two counts at a time, not eight in a row.
 */
#define FLIGHTS 32
static struct flight {
    char *key;
    uint64_t started, done; /* counts begun, and the last one ended */
    bool running;
    int users; /* requests waiting on it or reading its answer */
    json_t *table;
    enum nt_err err;
    struct nt_diag d;
} flights[FLIGHTS];
static pthread_mutex_t flights_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flights_cv = PTHREAD_COND_INITIALIZER;

/* The flight of `key` (flights_lock held): its own, a free one, or one
 * nobody uses; NULL when all are in use. */
static struct flight *flight_of(const char *key)
{
    struct flight *free_slot = NULL, *idle = NULL;
    for (size_t i = 0; i < FLIGHTS; i++) {
        struct flight *f = &flights[i];
        if (f->key && strcmp(f->key, key) == 0)
            return f;
        if (!f->key && !free_slot)
            free_slot = f;
        if (f->key && !f->users && !f->running && !idle)
            idle = f;
    }
    struct flight *f = free_slot ? free_slot : idle;
    if (!f)
        return NULL;
    char *copy = strdup(key);
    if (!copy)
        return NULL;
    free(f->key);
    json_decref(f->table);
    memset(f, 0, sizeof(*f));
    f->key = copy;
    return f;
}

static enum nt_err count_once(const char *key, struct count *c, json_t **out, struct nt_diag *d)
{
    pthread_mutex_lock(&flights_lock);
    struct flight *f = flight_of(key);
    if (!f) {
        pthread_mutex_unlock(&flights_lock);
        return count_now(c, out, d);
    }
    f->users++;
    uint64_t need = f->started + 1; /* the first count to begin after this request */
    while (f->done < need) {
        if (f->running) {
            pthread_cond_wait(&flights_cv, &flights_lock);
            continue;
        }
        f->running = true;
        uint64_t round = ++f->started;
        pthread_mutex_unlock(&flights_lock);
        json_t *table = NULL;
        struct nt_diag rd;
        nt_diag_clear(&rd);
        enum nt_err err = count_now(c, &table, &rd);
        pthread_mutex_lock(&flights_lock);
        json_decref(f->table);
        f->table = table;
        f->err = err;
        f->d = rd;
        f->done = round;
        f->running = false;
        pthread_cond_broadcast(&flights_cv);
    }
    enum nt_err err = f->err;
    if (err)
        *d = f->d;
    else if (!(*out = json_deep_copy(f->table)))
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    f->users--;
    pthread_mutex_unlock(&flights_lock);
    return err;
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
    struct count c = { s, u, kv, ki, nkeys, from, to, &cfg, key, now };
    json_t *table = NULL;
    /* SQLite: the kept answer when it is current; else (and on
     * PostgreSQL, which keeps none) a count, shared by the requests for
     * the same table that wait meanwhile. */
    err = nt_store_is_postgres(s) ? NT_OK : count_kept(&c, &table, d);
    if (!err && !table) {
        /* Shared within this database only. */
        struct nt_buf fk;
        nt_buf_init(&fk, 1 << 16);
        nt_buf_appendf(&fk, "%s\n%s", nt_store_path(s), key);
        err = nt_buf_str(&fk) ? count_once(nt_buf_str(&fk), &c, &table, d)
                              : nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        nt_buf_release(&fk);
    }
    free(key);
    nt_review_config_release(&cfg);
    if (err) {
        json_decref(table);
        return err;
    }
    if (!json_object_get(table, "computed_at")) {
        char at[32];
        nt_time_iso(now, at, sizeof(at));
        json_object_set_new(table, "computed_at", json_string(at));
    }
    if (!special)
        oldest_as_days(table, nkeys, now);
    *out = table;
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
