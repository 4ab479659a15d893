/*
 * facts.c - the report keys of every review item, kept in memory by a
 * process that answers many statistics tables (netra serve), and the
 * tables by report keys counted from them.
 *
 * A full count of review_items by a key takes 50-200 ms at 200,000 items
 * even from its covering index, and every decision makes the kept answer
 * stale (stats.c). Here each item is one fixed-size row in memory: its
 * id, employee, status, creation time, the first ten bytes of its post
 * date and one interned code per key column, the column's values read
 * with stats.c's own SQL expressions. Before each table the copy is
 * brought up to date from stats_changes (schema 28: a row per item
 * inserted, deleted or changed in a key, in commit order) in the caller's
 * read transaction: only the items changed since the copy's last change
 * are read again; a copy further behind than the trimmed log, or a log
 * that went backwards, reads every item again. On PostgreSQL, where
 * concurrent writers commit out of seq order, the changes are those of
 * the transactions the copy's last snapshot did not see (the companion
 * records each change's xid; store/schema_pg.c).
 *
 * Counting is one pass over the rows, kept in employee order (sorted
 * again when items come, go or change employee): an employee's rows are
 * contiguous, so "employees in this group" is a count of changes of
 * employee per group, exact without a set. The rules are the SQL's: a
 * group per distinct value (NULL its own), dates compared as SQLite
 * compares text, the period chosen like stats.c's CASE, the rows in the
 * same order. test_review checks every key, pair, date range and scope
 * against the SQL after inserts, decisions, moves and deletions.
 *
 * The queue's filter bar (counts by level, category and platform of the
 * items a filter matches) is counted from the same rows, which also keep
 * each item's level: a pass over 100,000 open items in SQL took most of a
 * second under load, over these rows a few milliseconds. On SQLite the
 * rows also keep the item's text, ASCII letters in lower case, for a
 * search by LIKE (a word in many items; schema 40 logs text changes):
 * LIKE read each candidate's text from its row, about 20 ms of CPU for a
 * reviewer's 8,000 open items and 200 ms for the admin's 164,000; here a
 * strstr over texts packed in row order (5 ms for the admin's). The texts
 * cost about their length in memory (34 MB at 211,000 items).
 *
 * One copy per process, shared by its threads: bringing it up to date
 * takes the write lock, counting the read lock.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "internal.h"
#include "strmap.h"

#define NONE_EMPLOYEE INT64_MIN
#define NONE_CREATED  INT64_MAX
#define NO_DATE       255

enum { ST_PENDING, ST_AWAITING, ST_CONFIRMED, ST_DISMISSED, ST_ESCALATED, ST_COUNT };
#define LV_COUNT (NT_LEVEL_PRIORITY + 1) /* an item's level: review or priority (its CHECK) */

struct fact {
    int64_t item, employee, created;
    char *text;       /* SQLite: the item's text, ASCII letters in lower case (NULL: none) */
    uint32_t textlen; /* its bytes */
    bool own;         /* text is a block of its own (read since the texts were packed) */
    uint32_t code[NT_RV_FACT_COLS];
    char day[10];   /* substr(posted_at, 1, 10) */
    uint8_t daylen; /* NO_DATE: posted_at is NULL */
    uint8_t status;
    uint8_t level; /* enum nt_level (the queue's filter bar counts by it) */
};

/* A column's distinct values: code 0 is NULL, code k the value s[k - 1]. */
struct dict {
    struct nt_strmap map;
    char **s;
    size_t n, cap;
};

struct nt_stats_facts {
    pthread_rwlock_t lock;
    bool loaded;
    int64_t seq; /* SQLite: the last change read */
    char *snap;  /* PostgreSQL: the snapshot the copy was read in (pg_snapshot's text) */
    struct fact *v;
    size_t n, cap;
    /* item id -> index in v: open addressing, linear probing, slot 0 free */
    int64_t *keys;
    uint32_t *idx;
    size_t slots;
    bool order_stale; /* v is no longer in employee order */
    bool texts;       /* the rows keep their texts (SQLite, whose LIKE folds ASCII only) */
    /* The texts packed one after another in row order when the rows are
     * put in order: a search reads them as one run of memory (scattered,
     * one block each, the same pass took five times as long). */
    char *packed;
    struct dict dict[NT_RV_FACT_COLS];
    size_t dense_max; /* groups counted in a dense table up to this many cells */
};

enum nt_err nt_stats_facts_new(struct nt_stats_facts **out)
{
    struct nt_stats_facts *f = calloc(1, sizeof(*f));
    if (!f)
        return NT_ENOMEM;
    if (pthread_rwlock_init(&f->lock, NULL) != 0) {
        free(f);
        return NT_ENOMEM;
    }
    for (size_t c = 0; c < NT_RV_FACT_COLS; c++)
        nt_strmap_init(&f->dict[c].map);
    f->dense_max = (size_t)1 << 20;
    *out = f;
    return NT_OK;
}

static void forget(struct nt_stats_facts *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].own)
            free(f->v[i].text);
    free(f->packed);
    f->packed = NULL;
    free(f->v);
    free(f->keys);
    free(f->idx);
    f->v = NULL;
    f->keys = NULL;
    f->idx = NULL;
    f->n = f->cap = f->slots = 0;
    f->loaded = false;
    f->seq = 0;
    free(f->snap);
    f->snap = NULL;
}

void nt_stats_facts_free(struct nt_stats_facts *f)
{
    if (!f)
        return;
    forget(f);
    for (size_t c = 0; c < NT_RV_FACT_COLS; c++) {
        nt_strmap_release(&f->dict[c].map);
        for (size_t i = 0; i < f->dict[c].n; i++)
            free(f->dict[c].s[i]);
        free(f->dict[c].s);
    }
    pthread_rwlock_destroy(&f->lock);
    free(f);
}

/* ---- item id -> row ---- */

static size_t slot_of(int64_t id, size_t slots)
{
    uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ull;
    return (size_t)(x >> 17) & (slots - 1);
}

/* The slot holding `id`, or the free slot where it would go. */
static size_t probe(const struct nt_stats_facts *f, int64_t id)
{
    size_t k = slot_of(id, f->slots);
    while (f->keys[k] && f->keys[k] != id)
        k = (k + 1) & (f->slots - 1);
    return k;
}

static enum nt_err map_grow(struct nt_stats_facts *f)
{
    size_t slots = f->slots ? f->slots * 2 : 1024;
    int64_t *keys = calloc(slots, sizeof(*keys));
    uint32_t *idx = malloc(slots * sizeof(*idx));
    if (!keys || !idx) {
        free(keys);
        free(idx);
        return NT_ENOMEM;
    }
    free(f->keys);
    free(f->idx);
    f->keys = keys;
    f->idx = idx;
    f->slots = slots;
    for (size_t i = 0; i < f->n; i++) {
        size_t k = probe(f, f->v[i].item);
        f->keys[k] = f->v[i].item;
        f->idx[k] = (uint32_t)i;
    }
    return NT_OK;
}

/* Remove the key in slot k, moving later keys of its run back (no
 * tombstones). */
static void map_remove(struct nt_stats_facts *f, size_t k)
{
    size_t mask = f->slots - 1;
    f->keys[k] = 0;
    for (size_t j = (k + 1) & mask; f->keys[j]; j = (j + 1) & mask) {
        size_t home = slot_of(f->keys[j], f->slots);
        /* j's key may move to k when k lies between its home and j. */
        if (((j - home) & mask) >= ((j - k) & mask)) {
            f->keys[k] = f->keys[j];
            f->idx[k] = f->idx[j];
            f->keys[j] = 0;
            k = j;
        }
    }
}

/* ---- values ---- */

/* `n` bytes of src with ASCII letters in lower case (SQLite's LIKE folds
 * these and no others). */
static void ascii_lower(char *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i] >= 'A' && src[i] <= 'Z' ? (char)(src[i] - 'A' + 'a') : src[i];
}

static enum nt_err intern(struct dict *d, const char *s, uint32_t *code)
{
    if (!s) {
        *code = 0;
        return NT_OK;
    }
    size_t v;
    if (nt_strmap_get(&d->map, s, &v)) {
        *code = (uint32_t)v;
        return NT_OK;
    }
    if (nt_grow(&d->s, &d->cap, d->n, sizeof(*d->s), 16) != NT_OK)
        return NT_ENOMEM;
    char *copy = strdup(s);
    if (!copy || nt_strmap_put(&d->map, s, d->n + 1, NULL) != NT_OK) {
        free(copy);
        return NT_ENOMEM;
    }
    d->s[d->n++] = copy;
    *code = (uint32_t)d->n;
    return NT_OK;
}

static int status_code(const char *s)
{
    static const char *const names[] = { "pending", "awaiting_second", "confirmed", "dismissed",
                                         "escalated" };
    for (int i = 0; i < 5; i++)
        if (s && strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* An item's level as the matcher names it; -1 for anything else. */
static int level_code(const char *s)
{
    for (int i = NT_LEVEL_REVIEW; i < LV_COUNT; i++)
        if (s && strcmp(s, nt_level_name((enum nt_level)i)) == 0)
            return i;
    return -1;
}

/* Columns of the rows read: id, employee, created, status, date, date is
 * NULL, level, then the key columns. */
#define FIXED_COLS 7

static enum nt_err fact_read(struct nt_stats_facts *f, struct nt_db_stmt *st, int at,
                             struct fact *x, struct nt_diag *d)
{
    x->item = nt_db_int64(st, at);
    x->employee = nt_db_type(st, at + 1) == NT_DB_NULL ? NONE_EMPLOYEE : nt_db_int64(st, at + 1);
    time_t t;
    const char *created = nt_db_text(st, at + 2);
    x->created = created && nt_time_parse(created, &t) ? (int64_t)t : NONE_CREATED;
    int sc = status_code(nt_db_text(st, at + 3));
    if (sc < 0)
        return nt_diag_set(d, NT_EDB, "review_items %lld: status tidak dikenal",
                           (long long)x->item);
    x->status = (uint8_t)sc;
    int lv = level_code(nt_db_text(st, at + 6));
    if (lv < 0)
        return nt_diag_set(d, NT_EDB, "review_items %lld: tingkat tidak dikenal",
                           (long long)x->item);
    x->level = (uint8_t)lv;
    memset(x->day, 0, sizeof(x->day));
    if (nt_db_int64(st, at + 5)) {
        x->daylen = NO_DATE;
    } else {
        const char *day = nt_db_text(st, at + 4);
        size_t n = day ? strlen(day) : 0;
        x->daylen = (uint8_t)(n < 10 ? n : 10);
        if (day)
            memcpy(x->day, day, x->daylen);
    }
    for (int c = 0; c < NT_RV_FACT_COLS; c++)
        if (intern(&f->dict[c], nt_db_text(st, at + FIXED_COLS + c), &x->code[c]) != NT_OK)
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    x->text = NULL;
    x->textlen = 0;
    x->own = false;
    const char *text = f->texts ? nt_db_text(st, at + FIXED_COLS + NT_RV_FACT_COLS) : NULL;
    if (text) {
        size_t n = strlen(text);
        if (n > UINT32_MAX || !(x->text = malloc(n + 1)))
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        ascii_lower(x->text, text, n + 1);
        x->textlen = (uint32_t)n;
        x->own = true;
    }
    return NT_OK;
}

/* Put or replace the row of x->item; the row owns x->text (freed when it
 * cannot be put). */
static enum nt_err fact_put(struct nt_stats_facts *f, const struct fact *x)
{
    if ((f->n + 1) * 2 > f->slots && map_grow(f) != NT_OK) {
        free(x->text);
        return NT_ENOMEM;
    }
    size_t k = probe(f, x->item);
    if (f->keys[k]) {
        struct fact *old = &f->v[f->idx[k]];
        if (old->employee != x->employee)
            f->order_stale = true;
        if (old->own)
            free(old->text);
        *old = *x;
        return NT_OK;
    }
    if (nt_grow(&f->v, &f->cap, f->n, sizeof(*f->v), 4096) != NT_OK) {
        free(x->text);
        return NT_ENOMEM;
    }
    f->keys[k] = x->item;
    f->idx[k] = (uint32_t)f->n;
    f->v[f->n++] = *x;
    f->order_stale = true;
    return NT_OK;
}

static void fact_remove(struct nt_stats_facts *f, int64_t item)
{
    if (!f->slots)
        return;
    size_t k = probe(f, item);
    if (!f->keys[k])
        return;
    uint32_t i = f->idx[k];
    map_remove(f, k);
    if (f->v[i].own)
        free(f->v[i].text);
    if (i + 1 < f->n) {
        /* The last row takes its place. */
        f->v[i] = f->v[f->n - 1];
        f->idx[probe(f, f->v[i].item)] = i;
    }
    f->n--;
    f->order_stale = true;
}

/* The texts packed again in row order (left as they are when memory for
 * it is short: a search reads them either way). */
static void pack_texts(struct nt_stats_facts *f)
{
    size_t bytes = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].text)
            bytes += (size_t)f->v[i].textlen + 1;
    char *packed = bytes ? malloc(bytes) : NULL, *at = packed;
    if (!packed)
        return;
    for (size_t i = 0; i < f->n; i++) {
        struct fact *x = &f->v[i];
        if (!x->text)
            continue;
        memcpy(at, x->text, (size_t)x->textlen + 1);
        if (x->own)
            free(x->text);
        x->text = at;
        x->own = false;
        at += x->textlen + 1;
    }
    free(f->packed);
    f->packed = packed;
}

static int cmp_emp(const void *a, const void *b)
{
    const struct fact *x = a, *y = b;
    return x->employee < y->employee ? -1 : x->employee > y->employee;
}

/* The rows in employee order, in place (the count reads them in memory
 * order: in a scattered order the same pass costs ten times as much), and
 * the item map pointed at their new places. */
static void reorder(struct nt_stats_facts *f)
{
    if (f->n)
        qsort(f->v, f->n, sizeof(*f->v), cmp_emp);
    for (size_t i = 0; i < f->n; i++)
        f->idx[probe(f, f->v[i].item)] = (uint32_t)i;
    f->order_stale = false;
    pack_texts(f);
}

/* ---- bringing the copy up to date ---- */

static void select_cols(struct nt_buf *q, const struct nt_stats_facts *f, const char *const *exprs)
{
    nt_buf_append_str(q, "i.id, i.employee_id, i.created_at, i.status, substr(i.posted_at, 1, 10), "
                         "i.posted_at IS NULL, i.level");
    for (int c = 0; c < NT_RV_FACT_COLS; c++) {
        nt_buf_append_str(q, ", ");
        nt_buf_append_str(q, exprs[c]);
    }
    if (f->texts)
        nt_buf_append_str(q, ", i.text");
}

static enum nt_err load_all(struct nt_stats_facts *f, struct nt_store *s, const char *const *exprs,
                            struct nt_diag *d)
{
    struct nt_buf q;
    struct nt_db_stmt *st = NULL;
    nt_buf_init(&q, 1 << 16);
    nt_buf_append_str(&q, "SELECT ");
    select_cols(&q, f, exprs);
    nt_buf_append_str(&q, " FROM review_items i");
    enum nt_err err = nt_rv_prepare_built(s, &q, &st, d);
    nt_buf_release(&q);
    forget(f);
    while (!err && nt_db_next(st, &err, d)) {
        struct fact x;
        err = fact_read(f, st, 0, &x, d);
        if (!err && fact_put(f, &x) != NT_OK)
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    nt_db_finalize(st);
    return err;
}

/* The items changed since the copy was read: on SQLite past its last
 * seq; on PostgreSQL, where a change's seq is taken before its
 * transaction commits (a later seq may commit first), the changes whose
 * transaction the copy's snapshot did not see (xid: the writer's
 * transaction, by the companion's trigger). */
static enum nt_err load_changes(struct nt_stats_facts *f, struct nt_store *s,
                                const char *const *exprs, struct nt_diag *d)
{
    struct nt_buf q;
    struct nt_db_stmt *st = NULL;
    bool pg = nt_store_is_postgres(s);
    nt_buf_init(&q, 1 << 16);
    nt_buf_append_str(&q, "SELECT c.item_id, i.id IS NOT NULL, ");
    select_cols(&q, f, exprs);
    nt_buf_append_str(&q,
                      pg ? " FROM (SELECT DISTINCT item_id FROM stats_changes WHERE xid >= "
                           "pg_snapshot_xmin(CAST(?1 AS pg_snapshot)) AND NOT "
                           "pg_visible_in_snapshot(xid, CAST(?1 AS pg_snapshot))) AS c "
                           "LEFT JOIN review_items i ON i.id = c.item_id"
                         : " FROM (SELECT DISTINCT item_id FROM stats_changes WHERE seq > ?1) c "
                           "LEFT JOIN review_items i ON i.id = c.item_id");
    enum nt_err err = nt_rv_prepare_built(s, &q, &st, d);
    nt_buf_release(&q);
    if (!err && pg)
        nt_db_bind_text(st, 1, f->snap);
    else if (!err)
        nt_db_bind_int64(st, 1, f->seq);
    while (!err && nt_db_next(st, &err, d)) {
        if (!nt_db_int64(st, 1)) {
            fact_remove(f, nt_db_int64(st, 0));
            continue;
        }
        struct fact x;
        err = fact_read(f, st, 2, &x, d);
        if (!err && fact_put(f, &x) != NT_OK)
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    nt_db_finalize(st);
    return err;
}

/* SQLite: the log's seqs are in commit order (one writer at a time). */
/* SQLite: the oldest and newest change kept in the log. */
static enum nt_err log_ends(struct nt_store *s, int64_t *lo, int64_t *hi, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    *lo = *hi = 0;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    /* two subqueries: each is one step down the primary key */
                                    "SELECT COALESCE((SELECT min(seq) FROM stats_changes), 0), "
                                    "COALESCE((SELECT max(seq) FROM stats_changes), 0)",
                                    &st, d);
    if (!err && nt_db_next(st, &err, d)) {
        *lo = nt_db_int64(st, 0);
        *hi = nt_db_int64(st, 1);
    }
    nt_db_finalize(st);
    return err;
}

static enum nt_err sync_sqlite(struct nt_stats_facts *f, struct nt_store *s,
                               const char *const *exprs, int64_t lo, int64_t hi, struct nt_diag *d)
{
    enum nt_err err = NT_OK;
    if (hi != f->seq) {
        /* Behind the trimmed log (a change between the copy's last and the
         * oldest kept may be lost), or a log that went backwards (another
         * database file, a restore): every item again. */
        bool whole = !f->loaded || hi < f->seq || (lo > f->seq + 1);
        err = whole ? load_all(f, s, exprs, d) : load_changes(f, s, exprs, d);
        if (!err) {
            f->loaded = true;
            f->seq = hi;
        }
    } else if (!f->loaded) {
        err = load_all(f, s, exprs, d);
        f->loaded = !err;
        f->seq = hi;
    }
    return err;
}

/* PostgreSQL, inside the caller's snapshot (nt_store_begin_snapshot): the
 * snapshot, whether the log was trimmed of changes the copy had not read
 * (netra_stats_trims: the newest transaction whose rows a trim removed)
 * and whether transaction ids went backwards (another database, a
 * restore). */
static enum nt_err sync_pg(struct nt_stats_facts *f, struct nt_store *s, const char *const *exprs,
                           struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    char *now = NULL;
    bool whole = !f->loaded || !f->snap, same = false;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "SELECT CAST(pg_current_snapshot() AS TEXT), CAST(?1 AS TEXT) IS NOT NULL AND "
        "CAST(pg_current_snapshot() AS TEXT) = ?1, "
        "CAST(?1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM netra_stats_trims WHERE xid >= "
        "pg_snapshot_xmin(CAST(?1 AS pg_snapshot))) OR pg_snapshot_xmax(pg_current_snapshot()) < "
        "pg_snapshot_xmax(CAST(?1 AS pg_snapshot))",
        &st, d);
    if (!err) {
        nt_db_bind_text(st, 1, f->snap);
        if (nt_db_next(st, &err, d)) {
            now = strdup(nt_db_text(st, 0));
            same = nt_db_int64(st, 1);
            whole |= nt_db_int64(st, 2) != 0;
            if (!now)
                err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        }
    }
    nt_db_finalize(st);
    if (!err && (whole || !same)) {
        err = whole ? load_all(f, s, exprs, d) : load_changes(f, s, exprs, d);
        f->loaded = !err;
    }
    if (!err) {
        free(f->snap);
        f->snap = now;
        now = NULL;
    }
    free(now);
    return err;
}

enum nt_err nt_rv_facts_sync(struct nt_stats_facts *f, struct nt_store *s, const char *const *exprs,
                             struct nt_diag *d)
{
    bool pg = nt_store_is_postgres(s);
    int64_t lo = 0, hi = 0;
    enum nt_err err = pg ? NT_OK : log_ends(s, &lo, &hi, d);
    if (err)
        return err;
    if (!pg) {
        /* Nothing new: no write lock (one waits for every count in
         * progress, and on a busy server for the counts that start
         * meanwhile: glibc's lock prefers readers). */
        pthread_rwlock_rdlock(&f->lock);
        bool current = f->loaded && f->texts && !f->order_stale && f->seq == hi;
        pthread_rwlock_unlock(&f->lock);
        if (current)
            return NT_OK;
    }
    pthread_rwlock_wrlock(&f->lock);
    if (f->loaded && f->texts == pg)
        forget(f); /* another engine: read again, with or without the texts */
    f->texts = !pg;
    err = pg ? sync_pg(f, s, exprs, d) : sync_sqlite(f, s, exprs, lo, hi, d);
    if (!err && f->order_stale)
        reorder(f);
    if (err)
        forget(f); /* never half a copy: the next table reads every item */
    pthread_rwlock_unlock(&f->lock);
    return err;
}

/* ---- counting ---- */

void nt_rv_facts_dense_max(struct nt_stats_facts *f, size_t cells)
{
    f->dense_max = cells;
}

/* SQLite's BINARY comparison of two texts. */
static int bincmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : an < bn ? -1 : an > bn;
}

/* Posted from `from` to before `to_next` (SQLite's text order on the
 * first ten bytes, as stats.c and queue.c compare posted_at). */
struct day_range {
    const char *from, *to_next;
    size_t fromlen, tolen;
    bool on; /* a bound is given: an item without a date is out */
};

static struct day_range day_range(const char *from, const char *to, const char *to_next)
{
    return (struct day_range){ from, to_next, from ? strlen(from) : 0,
                               to_next ? strlen(to_next) : 0, from || to };
}

static bool in_days(const struct fact *x, const struct day_range *r)
{
    if (!r->on)
        return true;
    if (x->daylen == NO_DATE)
        return false;
    if (r->from && bincmp(x->day, x->daylen, r->from, r->fromlen) < 0)
        return false;
    return !r->to_next || bincmp(x->day, x->daylen, r->to_next, r->tolen) < 0;
}

/* The agencies' codes in the agency column, as a set over its codes. */
static bool *agency_set(const struct nt_stats_facts *f, const char *const *agencies, size_t n)
{
    bool *seen = calloc(f->dict[NT_RV_FACT_AGENCY].n + 1, 1);
    for (size_t i = 0; seen && i < n; i++) {
        size_t code;
        if (nt_strmap_get(&f->dict[NT_RV_FACT_AGENCY].map, agencies[i], &code))
            seen[code] = true;
    }
    return seen;
}

struct group {
    uint32_t code[2];
    int64_t n, confirmed, dismissed, escalated, waiting, employees, employees_confirmed;
    int64_t last, last_confirmed, oldest;
};

/* The groups of one table, found by their codes: a dense table of
 * (a, b) when the keys' values are few (always, in practice: a code per
 * agency, unit, band, week...), else an open-addressing hash. */
struct counting {
    struct group *g;
    size_t n, cap;
    uint32_t *slot; /* group index + 1, 0 free */
    size_t slots;
    size_t width; /* dense: slot[a * width + b]; 0: hashed */
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static struct group *group_new(struct counting *c, uint32_t a, uint32_t b)
{
    if (nt_grow(&c->g, &c->cap, c->n, sizeof(*c->g), 64) != NT_OK)
        return NULL;
    struct group *g = &c->g[c->n++];
    memset(g, 0, sizeof(*g));
    g->code[0] = a;
    g->code[1] = b;
    g->last = g->last_confirmed = NONE_EMPLOYEE;
    g->oldest = NONE_CREATED;
    return g;
}

static struct group *group_of(struct counting *c, uint32_t a, uint32_t b)
{
    if (c->width) {
        uint32_t *s = &c->slot[(size_t)a * c->width + b];
        if (!*s) {
            if (!group_new(c, a, b))
                return NULL;
            *s = (uint32_t)c->n;
        }
        return &c->g[*s - 1];
    }
    if ((c->n + 1) * 2 > c->slots) {
        size_t slots = c->slots ? c->slots * 2 : 256;
        uint32_t *p = calloc(slots, sizeof(*p));
        if (!p)
            return NULL;
        for (size_t i = 0; i < c->n; i++) {
            size_t j = mix((uint64_t)c->g[i].code[0] << 32 | c->g[i].code[1]) & (slots - 1);
            while (p[j])
                j = (j + 1) & (slots - 1);
            p[j] = (uint32_t)i + 1;
        }
        free(c->slot);
        c->slot = p;
        c->slots = slots;
    }
    size_t j = mix((uint64_t)a << 32 | b) & (c->slots - 1);
    for (; c->slot[j]; j = (j + 1) & (c->slots - 1)) {
        struct group *g = &c->g[c->slot[j] - 1];
        if (g->code[0] == a && g->code[1] == b)
            return g;
    }
    if (!group_new(c, a, b))
        return NULL;
    c->slot[j] = (uint32_t)c->n;
    return &c->g[c->n - 1];
}

/* The period of a post date, as a code: 0 NULL, 1 "tidak diketahui",
 * 2 + 3k + phase for election k (the CASE of stats.c's period_expr). */
static uint32_t period_of(const struct fact *x, const struct nt_rv_fact_query *q)
{
    if (x->daylen == NO_DATE)
        return 1;
    for (size_t k = 0; k < q->nel; k++) {
        const struct nt_rv_fact_election *e = &q->el[k];
        bool in = k + 1 == q->nel ||
                  (e->end90 && bincmp(x->day, x->daylen, e->end90, strlen(e->end90)) <= 0);
        if (!in)
            continue;
        if (!e->id)
            return 0;
        unsigned phase = e->start && bincmp(x->day, x->daylen, e->start, strlen(e->start)) < 0 ? 0
                         : e->end && bincmp(x->day, x->daylen, e->end, strlen(e->end)) <= 0    ? 1
                                                                                               : 2;
        return 2 + 3 * (uint32_t)k + phase;
    }
    return 0;
}

/* The text of a key's code (NULL for SQL NULL), in `tmp` for a period. */
static const char *value_of_code(const struct nt_stats_facts *f, const struct nt_rv_fact_query *q,
                                 int k, uint32_t code, char *tmp, size_t n)
{
    if (q->col[k] >= 0)
        return code ? f->dict[q->col[k]].s[code - 1] : NULL;
    if (code == 0)
        return NULL;
    if (code == 1)
        return "tidak diketahui";
    static const char *const phase[] = { "sebelum", "kampanye", "sesudah" };
    snprintf(tmp, n, "%s %s", q->el[(code - 2) / 3].id, phase[(code - 2) % 3]);
    return tmp;
}

/* The rank of an age band (stats.c's AGE_RANK_SQL). */
static int age_rank(const char *v)
{
    static const char *const bands[] = { "<=30", "31-40", "41-50", ">=51" };
    for (int i = 0; i < 4; i++)
        if (v && strcmp(v, bands[i]) == 0)
            return i + 1;
    return 9;
}

struct sorting {
    const struct nt_stats_facts *f;
    const struct nt_rv_fact_query *q;
};
static _Thread_local struct sorting sorting;

static int cmp_value(int k, uint32_t a, uint32_t b)
{
    char ta[160], tb[160];
    const char *x = value_of_code(sorting.f, sorting.q, k, a, ta, sizeof(ta)),
               *y = value_of_code(sorting.f, sorting.q, k, b, tb, sizeof(tb));
    if (sorting.q->age[k]) {
        int rx = age_rank(x), ry = age_rank(y);
        if (rx != ry)
            return rx < ry ? -1 : 1;
    }
    if (!x || !y)
        return !x && !y ? 0 : !x ? -1 : 1; /* NULL first */
    return bincmp(x, strlen(x), y, strlen(y));
}

static int cmp_group(const void *a, const void *b)
{
    const struct group *x = a, *y = b;
    for (size_t k = 0; k < sorting.q->nkeys; k++) {
        int c = cmp_value((int)k, x->code[k], y->code[k]);
        if (c)
            return c;
    }
    return 0;
}

enum nt_err nt_rv_facts_table(struct nt_stats_facts *f, const struct nt_rv_fact_query *q,
                              json_t *rows)
{
    enum nt_err err = NT_OK;
    struct counting c = { 0 };
    pthread_rwlock_rdlock(&f->lock);
    /* The user's agencies as codes of the agency column. */
    bool *seen = agency_set(f, q->agencies, q->nagencies);
    if (!seen)
        err = NT_ENOMEM;
    /* How many codes each key has: a column's values and NULL, or the
     * periods (NULL, unknown, three per election). */
    size_t span[2] = { 1, 1 };
    for (size_t k = 0; k < q->nkeys; k++)
        span[k] = q->col[k] >= 0 ? f->dict[q->col[k]].n + 1 : 2 + 3 * q->nel;
    if (span[0] * span[1] <= f->dense_max) {
        c.width = span[1];
        c.slots = span[0] * span[1];
        if (!(c.slot = calloc(c.slots, sizeof(*c.slot))))
            err = NT_ENOMEM;
    }
    struct day_range days = day_range(q->from, q->to, q->to_next);
    bool nothing = q->to && !q->to_next; /* date(to, '+1 day') is NULL: no row passes */
    for (size_t i = 0; !err && !nothing && i < f->n; i++) {
        const struct fact *x = &f->v[i];
        if ((!q->all && !seen[x->code[NT_RV_FACT_AGENCY]]) || !in_days(x, &days))
            continue;
        uint32_t key[2] = { 0, 0 };
        for (size_t k = 0; k < q->nkeys; k++)
            key[k] = q->col[k] >= 0 ? x->code[q->col[k]] : period_of(x, q);
        struct group *g = group_of(&c, key[0], key[1]);
        if (!g) {
            err = NT_ENOMEM;
            break;
        }
        g->n++;
        switch (x->status) {
        case ST_CONFIRMED:
            g->confirmed++;
            break;
        case ST_DISMISSED:
            g->dismissed++;
            break;
        case ST_ESCALATED:
            g->escalated++;
            break;
        default:
            g->waiting++;
            if (x->created < g->oldest)
                g->oldest = x->created;
        }
        if (x->employee != NONE_EMPLOYEE) {
            if (g->last != x->employee) {
                g->employees++;
                g->last = x->employee;
            }
            if (x->status == ST_CONFIRMED && g->last_confirmed != x->employee) {
                g->employees_confirmed++;
                g->last_confirmed = x->employee;
            }
        }
    }
    if (!err) {
        sorting = (struct sorting){ f, q };
        if (c.n) /* qsort's base may not be NULL, even for nothing */
            qsort(c.g, c.n, sizeof(*c.g), cmp_group);
        for (size_t i = 0; i < c.n; i++) {
            const struct group *g = &c.g[i];
            json_t *r = json_array();
            for (size_t k = 0; k < q->nkeys; k++) {
                char tmp[160];
                const char *v = value_of_code(f, q, (int)k, g->code[k], tmp, sizeof(tmp));
                json_array_append_new(r, v ? json_string(v) : json_null());
            }
            char at[32];
            if (g->oldest != NONE_CREATED)
                nt_time_iso((time_t)g->oldest, at, sizeof(at));
            const int64_t counts[] = {
                g->n,       g->confirmed, g->dismissed,          g->escalated,
                g->waiting, g->employees, g->employees_confirmed
            };
            for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++)
                json_array_append_new(r, json_integer((json_int_t)counts[k]));
            json_array_append_new(r, g->oldest != NONE_CREATED ? json_string(at) : json_null());
            json_array_append_new(rows, r);
        }
    }
    pthread_rwlock_unlock(&f->lock);
    free(seen);
    free(c.g);
    free(c.slot);
    return err;
}

/* ---- the queue's filter bar ---- */

/* The code of `v` in column c's dictionary; false when no item has it. */
static bool code_of(const struct nt_stats_facts *f, int c, const char *v, uint32_t *code)
{
    size_t k;
    if (!nt_strmap_get(&f->dict[c].map, v, &k))
        return false;
    *code = (uint32_t)k;
    return true;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The search's test (queue.c's LIKE '%words%' on the text, or the
 * employee among those whose names match): the text kept in lower case
 * holds the words in lower case. */
static bool found(const struct fact *x, const char *words, size_t n, const int64_t *names,
                  size_t nnames)
{
    return (x->text && x->textlen >= n && strstr(x->text, words)) ||
           (nnames && x->employee != NONE_EMPLOYEE &&
            bsearch(&x->employee, names, nnames, sizeof(*names), cmp_id));
}

enum nt_err nt_rv_facts_facets(struct nt_stats_facts *f, const struct nt_rv_facet_query *q,
                               json_t **out, json_int_t *total)
{
    enum nt_err err = NT_OK;
    size_t nwords = q->words ? strlen(q->words) : 0;
    char *words = q->words ? malloc(nwords + 1) : NULL;
    if (q->words && !words)
        return NT_ENOMEM;
    if (words)
        ascii_lower(words, q->words, nwords + 1);
    bool status_in[ST_COUNT] = { false };
    for (size_t i = 0; i < q->nstatuses; i++) {
        int sc = status_code(q->statuses[i]);
        if (sc >= 0)
            status_in[sc] = true;
    }
    int want_level = q->level ? level_code(q->level) : -1;
    pthread_rwlock_rdlock(&f->lock);
    size_t ncat = f->dict[NT_RV_FACT_CATEGORY].n + 1, nplat = f->dict[NT_RV_FACT_PLATFORM].n + 1;
    bool *seen = agency_set(f, q->agencies, q->nagencies);
    /* The counts by level, category and platform codes. */
    int64_t *by_level = calloc(LV_COUNT, sizeof(int64_t)), *by_cat = calloc(ncat, sizeof(int64_t)),
            *by_plat = calloc(nplat, sizeof(int64_t));
    if (!seen || !by_level || !by_cat || !by_plat)
        err = NT_ENOMEM;
    /* The copy holds no texts (PostgreSQL): the caller counts in SQL. */
    if (words && !f->texts)
        err = NT_EINTERNAL;
    /* A value no item has (or a level not in the CHECK) matches nothing. */
    uint32_t agency = 0, category = 0, platform = 0;
    bool nothing = (q->level && want_level < 0) ||
                   (q->agency && !code_of(f, NT_RV_FACT_AGENCY, q->agency, &agency)) ||
                   (q->category && !code_of(f, NT_RV_FACT_CATEGORY, q->category, &category)) ||
                   (q->platform && !code_of(f, NT_RV_FACT_PLATFORM, q->platform, &platform)) ||
                   (q->to && !q->to_next);
    struct day_range days = day_range(q->from, q->to, q->to_next);
    int64_t n = 0;
    for (size_t i = 0; !err && !nothing && i < f->n; i++) {
        const struct fact *x = &f->v[i];
        if (!status_in[x->status] || (!q->all && !seen[x->code[NT_RV_FACT_AGENCY]]))
            continue;
        if ((q->agency && x->code[NT_RV_FACT_AGENCY] != agency) ||
            (q->category && x->code[NT_RV_FACT_CATEGORY] != category) ||
            (q->platform && x->code[NT_RV_FACT_PLATFORM] != platform) ||
            (want_level >= 0 && x->level != want_level) || !in_days(x, &days))
            continue;
        if (words && !found(x, words, nwords, q->names, q->nnames))
            continue;
        n++;
        by_level[x->level]++;
        by_cat[x->code[NT_RV_FACT_CATEGORY]]++;
        by_plat[x->code[NT_RV_FACT_PLATFORM]]++;
    }
    json_t *o = NULL;
    if (!err && (o = json_object()) != NULL) {
        /* As queue_facets gives them: a value's count, NULL left out. */
        json_t *lv = json_object(), *cat = json_object(), *plat = json_object();
        for (int k = NT_LEVEL_REVIEW; k < LV_COUNT; k++)
            if (by_level[k])
                json_object_set_new(lv, nt_level_name((enum nt_level)k), json_integer(by_level[k]));
        for (size_t k = 1; k < ncat; k++)
            if (by_cat[k])
                json_object_set_new(cat, f->dict[NT_RV_FACT_CATEGORY].s[k - 1],
                                    json_integer(by_cat[k]));
        for (size_t k = 1; k < nplat; k++)
            if (by_plat[k])
                json_object_set_new(plat, f->dict[NT_RV_FACT_PLATFORM].s[k - 1],
                                    json_integer(by_plat[k]));
        json_object_set_new(o, "level", lv);
        json_object_set_new(o, "category", cat);
        json_object_set_new(o, "platform", plat);
    } else if (!err) {
        err = NT_ENOMEM;
    }
    pthread_rwlock_unlock(&f->lock);
    free(words);
    free(seen);
    free(by_level);
    free(by_cat);
    free(by_plat);
    if (err) {
        json_decref(o);
        return err;
    }
    *out = o;
    *total = n;
    return NT_OK;
}
