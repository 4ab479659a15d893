/*
 * internal.h - helpers shared by the review module's files.
 */
#ifndef NT_REVIEW_INTERNAL_H
#define NT_REVIEW_INTERNAL_H

#include "review.h"

/* Who may do what: supervisors and admins (cases, escalations), and
 * everyone who reviews. */
#define BOSS  (NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN)
#define STAFF (NT_ROLE_REVIEWER | BOSS)

/* Agencies the user's tables cover (?20: 1 for everything, ?21 the
 * user's id): admins and analysts without agencies everything, others
 * their own. */
#define SCOPE_OF(AGENCY)                                                                           \
    "(?20 = 1 OR " AGENCY " IN (SELECT agency FROM user_agencies WHERE user_id = ?21))"

/* Column i as a JSON string, or JSON null. */
struct nt_db_stmt;
json_t *nt_rv_col(struct nt_db_stmt *st, int i);

/* A statement from a query built in `q` (NT_ENOMEM when building it ran
 * out of memory). */
struct nt_buf;
enum nt_err nt_rv_prepare_built(struct nt_store *s, struct nt_buf *q, struct nt_db_stmt **st,
                                struct nt_diag *d);

/* The stable pseudonym of an employee in this database ("Pegawai-3FA9C1"):
 * an HMAC of the id under a secret made at first use and kept in settings. */
enum nt_err nt_rv_pseudonym(struct nt_store *s, int64_t employee_id, char out[32],
                            struct nt_diag *d);

/* Commit, or roll back and keep the first error. */
enum nt_err nt_rv_finish(struct nt_store *s, enum nt_err err, struct nt_diag *d);

/* A finding of item `item` opens or joins the employee's case for the
 * election (inside the caller's transaction); *case_id is set. Audited. */
enum nt_err nt_rv_case_join(struct nt_store *s, const struct nt_user *u, int64_t employee_id,
                            const char *election, int64_t item, time_t now, int64_t *case_id,
                            struct nt_diag *d);

/* An item described for people (show, case files): post, evidence, score,
 * hits, decisions, the employee (or a pseudonym when !identity). */
/* Whether `u` may still undo their last decision on item `id` at `now`:
 * its decision id and the time the chance ends (ISO), or false. */
bool nt_rv_undoable(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                    int64_t *decision, char until[32]);

/* A post's attachments as the item page and the dossier show them: kind,
 * alt text, state, and the kept file (hash, type, size, what its image
 * says); URLs and the platform's metadata only with `identity`. */
enum nt_err nt_rv_post_media(struct nt_store *s, int64_t post_id, bool identity, json_t **out,
                             struct nt_diag *d);
enum nt_err nt_rv_item_json(struct nt_store *s, int64_t id, bool identity, json_t **out,
                            struct nt_diag *d);

/* ---- statistics from the in-memory copy (facts.c) ----
 * The key columns the copy keeps, read with stats.c's expressions in this
 * order: agency, unit, position, category, age, sex, platform, region,
 * month, week. */
#define NT_RV_FACT_COLS     10
#define NT_RV_FACT_AGENCY   0
#define NT_RV_FACT_CATEGORY 3
#define NT_RV_FACT_PLATFORM 6

/* Bring the copy up to date inside the caller's read transaction. */
enum nt_err nt_rv_facts_sync(struct nt_stats_facts *f, struct nt_store *s, const char *const *exprs,
                             struct nt_diag *d);

struct nt_rv_fact_election {
    const char *id, *start, *end, *end90; /* end90: date(election_day, '+90 days') */
};

/* A table by report keys: which columns (-1: the period), the age order,
 * the scope (all, or these agencies) and the dates (from, and the day
 * after `to` as SQLite's date() gives it; NULL when it gave none). */
struct nt_rv_fact_query {
    int col[2];
    bool age[2];
    size_t nkeys;
    bool all;
    const char *const *agencies;
    size_t nagencies;
    const char *from, *to, *to_next;
    struct nt_rv_fact_election el[8];
    size_t nel;
};

/* Groups are counted in a dense table of every pair of codes up to
 * `cells` (2^20 by default), else hashed; tests set 0 to count hashed. */
void nt_rv_facts_dense_max(struct nt_stats_facts *f, size_t cells);

/* The rows stats.c's full count would give (oldest waiting as its ISO
 * time), appended to `rows`. */
enum nt_err nt_rv_facts_table(struct nt_stats_facts *f, const struct nt_rv_fact_query *q,
                              json_t *rows);

/* The queue's filter bar (queue.c's queue_facets) from the copy: the items
 * with one of `statuses`, in the scope (all, or these agencies), equal to
 * each value given and posted from `from` to before `to_next` (`to` given
 * without `to_next`: nothing), counted by level, category and platform
 * ({level|category|platform: {value: count}}, NULL values left out), and
 * their number. The copy is brought up to date by the caller. A search
 * in a copy without texts (PostgreSQL's) is NT_EINTERNAL. */
struct nt_rv_facet_query {
    const char *statuses[5];
    size_t nstatuses;
    bool all;
    const char *const *agencies;
    size_t nagencies;
    const char *agency, *category, *level, *platform;
    const char *from, *to, *to_next;
    /* A search (SQLite): items whose text has `words` (ASCII letters
     * without case, as LIKE), or whose employee is one of `names` (sorted
     * ids); NULL: none. */
    const char *words;
    const int64_t *names;
    size_t nnames;
};
enum nt_err nt_rv_facts_facets(struct nt_stats_facts *f, const struct nt_rv_facet_query *q,
                               json_t **out, json_int_t *total);

#endif
