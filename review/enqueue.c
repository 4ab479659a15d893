/*
 * enqueue.c - the scan job's door into the review queue: a post scored at
 * review level or above becomes a pending item, or updates the pending
 * item it already has; decided items are never touched. The queue's order
 * (the priority formula) is this library's, like everything else about
 * review_items.
 */
#include <stdlib.h>

#include "internal.h"
#include "sql.h"

struct nt_enqueue {
    struct nt_store *s;
    sqlite3_stmt *st;
    int64_t floor; /* in a batch: the items before it end here */
    bool batch;
};

double nt_item_priority_base(enum nt_level level, double score, const struct nt_skb_category *cat)
{
    return (level == NT_LEVEL_PRIORITY ? 100.0 : 0.0) + score * 4.0 +
           (cat ? cat->severity : 0) * 10.0;
}

enum nt_err nt_review_enqueue_open(struct nt_store *s, struct nt_enqueue **out, struct nt_diag *d)
{
    struct nt_enqueue *q = calloc(1, sizeof(*q));
    if (!q)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    q->s = s;
    /* New items start pending; re-scoring updates only items still pending.
     * The report keys (age band, the employee's) come with the insert. */
    /* clang-format off */
    enum nt_err err = nt_store_prepare(
        s,
        "INSERT INTO review_items(post_id, score_id, status, level, priority, category, "
        "created_at, updated_at, employee_id, agency, platform, posted_at, text_key, text, "
        "age_band, " NT_SQL_EMP_KEYS ") "
        "SELECT ?1, ?2, 'pending', ?3, ?4 - " NT_AGING_SQL
        " * julianday(?6), ?5, ?6, ?6, a.employee_id, e.agency, a.platform, "
        "COALESCE(p.posted_at, p.first_seen_at), ?7, (SELECT v.text FROM scores sc "
        "JOIN post_versions v ON v.id = sc.version_id WHERE sc.id = ?2), "
        NT_SQL_AGE_BAND("COALESCE(p.posted_at, p.first_seen_at)", "e.birth_date") ", "
        NT_SQL_EMP_VALUES("e") " FROM posts p "
        "JOIN accounts a ON a.id = p.account_id JOIN employees e ON e.id = a.employee_id "
        "WHERE p.id = ?1 "
        "ON CONFLICT(post_id) DO UPDATE SET score_id = excluded.score_id, "
        "level = excluded.level, priority = excluded.priority + "
        "(julianday(excluded.updated_at) - julianday(review_items.created_at)) * " NT_AGING_SQL
        ", category = excluded.category, text_key = excluded.text_key, text = excluded.text, "
        "updated_at = excluded.updated_at WHERE review_items.status = 'pending'",
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
                              const char *text_key, const char *now, bool *changed,
                              struct nt_diag *d)
{
    const struct nt_skb_category *cat = category ? nt_skb_category(category) : NULL;
    sqlite3_bind_int64(q->st, 1, post_id);
    sqlite3_bind_int64(q->st, 2, score_id);
    sqlite3_bind_text(q->st, 3, nt_level_name(level), -1, SQLITE_STATIC);
    sqlite3_bind_double(q->st, 4, nt_item_priority_base(level, score, cat));
    if (category)
        sqlite3_bind_text(q->st, 5, category, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q->st, 5);
    sqlite3_bind_text(q->st, 6, now, -1, SQLITE_STATIC);
    if (text_key && *text_key)
        sqlite3_bind_text(q->st, 7, text_key, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q->st, 7);
    int rc = sqlite3_step(q->st);
    sqlite3_reset(q->st);
    if (rc != SQLITE_DONE)
        return nt_store_fail(q->s, rc, "menyerahkan ke antrean gagal", d);
    if (changed)
        *changed = sqlite3_changes(nt_store_db(q->s)) > 0;
    return NT_OK;
}

/* The text index's trigger on new items (review_items_fts_ai) stands aside
 * while review_items_fts_defer has its row: FTS5 writes a segment at every
 * statement that changes it inside a transaction, and merges them, which
 * was most of the cost of a new item. The end indexes the batch's items
 * the index does not hold yet (none the trigger indexed, should the row
 * have been rolled back to a savepoint meanwhile). */
enum nt_err nt_review_enqueue_batch_begin(struct nt_enqueue *q, struct nt_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum nt_err err =
        nt_store_prepare(q->s, "SELECT COALESCE(max(id), 0) FROM review_items", &st, d);
    if (err)
        return err;
    int rc = sqlite3_step(st);
    q->floor = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return nt_store_fail(q->s, rc, "membaca antrean gagal", d);
    err = nt_store_exec(q->s, "INSERT OR IGNORE INTO review_items_fts_defer VALUES (1)", d);
    q->batch = err == NT_OK;
    return err;
}

enum nt_err nt_review_enqueue_batch_end(struct nt_enqueue *q, struct nt_diag *d)
{
    if (!q->batch)
        return NT_OK;
    q->batch = false;
    sqlite3_stmt *st = NULL;
    enum nt_err err = nt_store_prepare(q->s,
                                       "INSERT INTO review_items_fts(rowid, text) SELECT id, text "
                                       "FROM review_items i WHERE id > ?1 AND text IS NOT NULL "
                                       "AND NOT EXISTS (SELECT 1 FROM review_items_fts_docsize z "
                                       "WHERE z.id = i.id)",
                                       &st, d);
    if (err)
        return err;
    sqlite3_bind_int64(st, 1, q->floor);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return nt_store_fail(q->s, rc, "mengindeks teks antrean gagal", d);
    return nt_store_exec(q->s, "DELETE FROM review_items_fts_defer", d);
}

void nt_review_enqueue_close(struct nt_enqueue *q)
{
    if (!q)
        return;
    sqlite3_finalize(q->st);
    free(q);
}
