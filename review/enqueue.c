/*
 * enqueue.c - the scan job's door into the review queue: a post scored at
 * review level or above becomes a pending item, or updates the pending
 * item it already has; decided items are never touched. The queue's order
 * (the priority formula) is this library's, like everything else about
 * review_items.
 */
#include <stdlib.h>

#include "db.h"
#include "internal.h"
#include "sql.h"

struct nt_enqueue {
    struct nt_store *s;
    struct nt_db_stmt *st;
    int64_t floor; /* in a batch: the items before it end here */
    bool batch;
};

double nt_item_priority_base(enum nt_level level, double score, const struct nt_skb_category *cat)
{
    return (level == NT_LEVEL_PRIORITY ? 100.0 : 0.0) + score * 4.0 +
           (cat ? cat->severity : 0) * 10.0;
}

/* New items start pending; re-scoring updates only items still pending,
 * and only when something an item shows changed: a rescan that finds
 * what it found before rewrites none of the queue's indexes (the priority
 * of an unchanged item is the same: its aging counts from its creation).
 * The report keys (age band, the employee's) come with the insert. One
 * statement, in each engine's words where they differ (a Julian day, an
 * age). */
/* clang-format off */
#define POSTED "COALESCE(p.posted_at, p.first_seen_at)"
/* An updated item's priority: the new base, aged from the item's creation. */
#define AGED(JULIAN_NOW, JULIAN_CREATED) \
    "(excluded.priority + (" JULIAN_NOW " - " JULIAN_CREATED ") * " NT_AGING_SQL ")"
#define ENQUEUE_SQL(JULIAN_NOW, JULIAN_CREATED, AGE_BAND) \
    "INSERT INTO review_items(post_id, score_id, status, level, priority, category, " \
    "created_at, updated_at, employee_id, agency, platform, posted_at, text_key, text, " \
    "age_band, " NT_SQL_EMP_KEYS ") " \
    "SELECT ?1, ?2, 'pending', ?3, ?4 - " NT_AGING_SQL " * " JULIAN_NOW ", ?5, ?6, ?6, " \
    "a.employee_id, e.agency, a.platform, " POSTED ", ?7, CAST(?8 AS TEXT), " AGE_BAND ", " \
    NT_SQL_EMP_VALUES("e") " FROM posts p " \
    "JOIN accounts a ON a.id = p.account_id JOIN employees e ON e.id = a.employee_id " \
    "WHERE p.id = ?1 " \
    "ON CONFLICT(post_id) DO UPDATE SET score_id = excluded.score_id, " \
    "level = excluded.level, priority = " AGED(JULIAN_NOW, JULIAN_CREATED) ", " \
    "category = excluded.category, text_key = excluded.text_key, text = excluded.text, " \
    "updated_at = excluded.updated_at WHERE review_items.status = 'pending' " \
    "AND (review_items.score_id IS DISTINCT FROM excluded.score_id " \
    "OR review_items.level IS DISTINCT FROM excluded.level " \
    "OR review_items.category IS DISTINCT FROM excluded.category " \
    "OR review_items.text_key IS DISTINCT FROM excluded.text_key " \
    "OR review_items.text IS DISTINCT FROM excluded.text " \
    "OR abs(review_items.priority - " AGED(JULIAN_NOW, JULIAN_CREATED) ") > 1e-6)"
/* clang-format on */

enum nt_err nt_review_enqueue_open(struct nt_store *s, struct nt_enqueue **out, struct nt_diag *d)
{
    struct nt_enqueue *q = calloc(1, sizeof(*q));
    if (!q)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    q->s = s;
    /* clang-format off */
    enum nt_err err = nt_db_prepare_for(
        nt_store_dbh(s),
        ENQUEUE_SQL("julianday(?6)", "julianday(review_items.created_at)",
                    NT_SQL_AGE_BAND(POSTED, "e.birth_date")),
        ENQUEUE_SQL(NT_SQL_JULIAN_PG("?6"), NT_SQL_JULIAN_PG("review_items.created_at"),
                    NT_SQL_AGE_BAND_PORTABLE(POSTED, "e.birth_date")),
        &q->st, d);
    /* clang-format on */
    if (err) {
        free(q);
        return err;
    }
    *out = q;
    return NT_OK;
}

enum nt_err nt_review_enqueue(struct nt_enqueue *q, int64_t post_id, int64_t score_id,
                              enum nt_level level, double score, const char *category,
                              const char *text_key, const char *text, size_t text_len,
                              const char *now, bool *changed, struct nt_diag *d)
{
    const struct nt_skb_category *cat = category ? nt_skb_category(category) : NULL;
    nt_db_bind_int64(q->st, 1, post_id);
    nt_db_bind_int64(q->st, 2, score_id);
    nt_db_bind_text(q->st, 3, nt_level_name(level));
    nt_db_bind_double(q->st, 4, nt_item_priority_base(level, score, cat));
    nt_db_bind_text(q->st, 5, category);
    nt_db_bind_text(q->st, 6, now);
    nt_db_bind_text(q->st, 7, text_key && *text_key ? text_key : NULL);
    nt_db_bind_text_n(q->st, 8, text, text_len);
    enum nt_err err = nt_db_run(q->st, d);
    if (!err && changed)
        *changed = nt_db_changes(q->st) > 0;
    return err;
}

/* The text index's trigger on new items (review_items_fts_ai) stands aside
 * while review_items_fts_defer has its row: FTS5 writes a segment at every
 * statement that changes it inside a transaction, and merges them, which
 * was most of the cost of a new item. The end indexes the batch's items
 * the index does not hold yet (none the trigger indexed, should the row
 * have been rolled back to a savepoint meanwhile). PostgreSQL has no such
 * index to keep (its search is the server's own). */
enum nt_err nt_review_enqueue_batch_begin(struct nt_enqueue *q, struct nt_diag *d)
{
    if (nt_store_is_postgres(q->s))
        return NT_OK;
    struct nt_db_stmt *st = NULL;
    struct nt_db *db = nt_store_dbh(q->s);
    enum nt_err err = nt_db_prepare(db, "SELECT COALESCE(max(id), 0) FROM review_items", &st, d);
    if (err)
        return err;
    if (nt_db_next(st, &err, d))
        q->floor = nt_db_int64(st, 0);
    nt_db_finalize(st);
    if (!err)
        err = nt_db_exec(db, "INSERT OR IGNORE INTO review_items_fts_defer VALUES (1)", d);
    q->batch = err == NT_OK;
    return err;
}

enum nt_err nt_review_enqueue_batch_end(struct nt_enqueue *q, struct nt_diag *d)
{
    if (!q->batch)
        return NT_OK;
    q->batch = false;
    struct nt_db_stmt *st = NULL;
    struct nt_db *db = nt_store_dbh(q->s);
    enum nt_err err = nt_db_prepare(db,
                                    "INSERT INTO review_items_fts(rowid, text) SELECT id, text "
                                    "FROM review_items i WHERE id > ?1 AND text IS NOT NULL "
                                    "AND NOT EXISTS (SELECT 1 FROM review_items_fts_docsize z "
                                    "WHERE z.id = i.id)",
                                    &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, q->floor);
    err = nt_db_run(st, d);
    nt_db_finalize(st);
    return err ? err : nt_db_exec(db, "DELETE FROM review_items_fts_defer", d);
}

void nt_review_enqueue_close(struct nt_enqueue *q)
{
    if (!q)
        return;
    nt_db_finalize(q->st);
    free(q);
}
