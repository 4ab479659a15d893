/*
 * coverage.c - the monitoring coverage: which declared accounts are
 * watched, which fail, which were never fetched, and the employees with no
 * account at all, in the user's agencies (supervisors, admins).
 *
 * Two ways to the same answer. The SQL (the CLI, PostgreSQL, a copy not
 * yet read): a page joins every active account to its employee and crawl
 * state and sorts them, failing and never-fetched first, then by agency
 * and name; the summary is one more pass. At 40,000 accounts that is
 * 20-55 ms for the page and 26 ms for the summary, alone; with 8 clients
 * on 2 cores a page took 164-994 ms at p95.
 *
 * The copy (netra serve, SQLite): the accounts in that order, each one
 * fixed-size row (its id, agency, platform and state class), and the
 * employees and those without an account per agency, read again only when
 * coverage_generation moved (schema 39: bumped by triggers when an
 * account or employee comes, goes, is (de)activated, renamed or moved, or
 * an account's state changes class: ok, never fetched, failing; not when
 * a fetch merely succeeds again). A page is then a pass over the rows and
 * one lookup per account shown, for the columns that change at every
 * fetch (last success, last error, failures, next attempt, follows), so
 * those are always current. The counter is read and the rows looked up in
 * one snapshot, the snapshot the copy was read in. On PostgreSQL the
 * counter would be one row every crawl worker locks; the SQL answers there.
 *
 * test_review checks that the copy and the SQL give the same JSON for
 * every filter, scope and page, after every kind of change.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "internal.h"
#include "registry.h"
#include "strmap.h"

enum { CLASS_FAILING, CLASS_NEW, CLASS_OK }; /* the SQL's CASE below */

struct cov_row {
    int64_t account;
    uint32_t agency, platform;
    uint8_t cls;
};

/* Interned strings: code k is s[k]. */
struct names {
    struct nt_strmap map;
    char **s;
    size_t n, cap;
};

struct nt_coverage_copy {
    pthread_rwlock_t lock;
    bool loaded;
    int64_t generation;
    struct cov_row *v; /* in the SQL's order */
    size_t n;
    struct names agencies, platforms;
    int64_t *employees, *bare; /* per agency code */
};

static void names_init(struct names *x)
{
    memset(x, 0, sizeof(*x));
    nt_strmap_init(&x->map);
}

static void names_release(struct names *x)
{
    nt_strmap_release(&x->map);
    for (size_t i = 0; i < x->n; i++)
        free(x->s[i]);
    free(x->s);
    names_init(x);
}

static enum nt_err intern(struct names *x, const char *s, uint32_t *code)
{
    size_t v;
    if (nt_strmap_get(&x->map, s, &v)) {
        *code = (uint32_t)v;
        return NT_OK;
    }
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 32;
        char **t = realloc(x->s, cap * sizeof(*t));
        if (!t)
            return NT_ENOMEM;
        x->s = t;
        x->cap = cap;
    }
    char *copy = strdup(s);
    if (!copy || nt_strmap_put(&x->map, s, x->n, NULL) != NT_OK) {
        free(copy);
        return NT_ENOMEM;
    }
    x->s[x->n] = copy;
    *code = (uint32_t)x->n++;
    return NT_OK;
}

enum nt_err nt_coverage_copy_new(struct nt_coverage_copy **out)
{
    struct nt_coverage_copy *c = calloc(1, sizeof(*c));
    if (!c)
        return NT_ENOMEM;
    if (pthread_rwlock_init(&c->lock, NULL) != 0) {
        free(c);
        return NT_ENOMEM;
    }
    names_init(&c->agencies);
    names_init(&c->platforms);
    *out = c;
    return NT_OK;
}

static void forget(struct nt_coverage_copy *c)
{
    free(c->v);
    free(c->employees);
    free(c->bare);
    c->v = NULL;
    c->employees = c->bare = NULL;
    c->n = 0;
    names_release(&c->agencies);
    names_release(&c->platforms);
    c->loaded = false;
}

void nt_coverage_copy_free(struct nt_coverage_copy *c)
{
    if (!c)
        return;
    forget(c);
    pthread_rwlock_destroy(&c->lock);
    free(c);
}

/* ---- the SQL ---------------------------------------------------------- */

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

/* Who may see it: supervisors and admins; nobody is asked while no user
 * exists (setting up). */
static enum nt_err coverage_allowed(struct nt_store *s, const struct nt_user *u,
                                    const struct nt_coverage_filter *f, struct nt_diag *d)
{
    int64_t users = 0;
    enum nt_err err = NT_OK;
    if (!u) /* only while setting up, before the first user */
        err = nt_user_count(s, &users, d);
    if (!err && (u || users > 0))
        err =
            nt_user_require(u, NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN, "melihat cakupan pemantauan", d);
    return err ? err : coverage_check(s, f, d);
}

static void coverage_bind(struct nt_db_stmt *st, const struct nt_coverage_filter *f,
                          const struct nt_user *u)
{
    nt_db_bind_text(st, 1, f->agency);
    nt_db_bind_text(st, 2, f->platform);
    nt_db_bind_int64(st, 20, !u || u->role == NT_ROLE_ADMIN);
    nt_db_bind_int64(st, 21, u ? u->id : 0);
}

/* The agency filter: the registry's names compared without case (ASCII on
 * SQLite; PostgreSQL's lower() is the server's). */
#define AGENCY_FILTER_SQLITE "(?1 IS NULL OR e.agency = ?1 COLLATE NOCASE)"
#define AGENCY_FILTER_PG     "(CAST(?1 AS TEXT) IS NULL OR lower(e.agency) = lower(CAST(?1 AS TEXT)))"
#define PLATFORM_FILTER      "(CAST(?2 AS TEXT) IS NULL OR a.platform = ?2)"
#define SCOPE_SQL            SCOPE_OF("e.agency")

/* One pass over the accounts (all, ok, never fetched) and one over the
 * employees (all, without an active account: from accounts_employee_active
 * alone); it was five passes, 130 ms at 40,000 accounts. */
#define COVERAGE_SUMMARY(AGENCY)                                                                   \
    "SELECT n.accounts, n.ok, n.never, m.employees, m.bare FROM (SELECT count(*) AS accounts, "    \
    "COALESCE(sum(CASE WHEN c.state = 'ok' THEN 1 ELSE 0 END), 0) AS ok, "                         \
    "COALESCE(sum(CASE WHEN COALESCE(c.state, 'new') = 'new' THEN 1 ELSE 0 END), 0) AS never "     \
    "FROM accounts a JOIN employees e ON e.id = a.employee_id "                                    \
    "LEFT JOIN crawl_state c ON c.account_id = a.id WHERE a.active = 1 AND e.active = 1 "          \
    "AND " SCOPE_SQL " AND " AGENCY " AND " PLATFORM_FILTER ") AS n, (SELECT count(*) AS "         \
    "employees, COALESCE(sum(CASE WHEN NOT EXISTS (SELECT 1 FROM accounts a WHERE "                \
    "a.employee_id = e.id AND a.active = 1) THEN 1 ELSE 0 END), 0) AS bare FROM employees e "      \
    "WHERE e.active = 1 AND " SCOPE_SQL " AND " AGENCY ") AS m"

static json_t *summary_json(json_int_t all, json_int_t ok, json_int_t never, json_int_t employees,
                            json_int_t bare)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "accounts", all, "ok", ok, "failing",
                     all - ok - never, "never", never, "employees", employees,
                     "employees_without_accounts", bare);
}

static enum nt_err summary_sql(struct nt_store *s, const struct nt_user *u,
                               const struct nt_coverage_filter *f, json_t **out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare_for(nt_store_dbh(s), COVERAGE_SUMMARY(AGENCY_FILTER_SQLITE),
                                        COVERAGE_SUMMARY(AGENCY_FILTER_PG), &st, d);
    if (err)
        return err;
    coverage_bind(st, f, u);
    if (nt_db_next(st, &err, d))
        *out = summary_json(nt_db_int64(st, 0), nt_db_int64(st, 1), nt_db_int64(st, 2),
                            nt_db_int64(st, 3), nt_db_int64(st, 4));
    else if (!err)
        err = nt_diag_set(d, NT_EINTERNAL, "menghitung cakupan: tidak ada baris");
    nt_db_finalize(st);
    return err;
}

/* An account's row as the page shows it; the follows column says whom
 * the account follows: read, or why not. */
#define COVERAGE_COLUMNS                                                                           \
    "SELECT e.nip, e.name, e.agency, a.platform, a.account, "                                      \
    "COALESCE(c.state, 'new'), c.last_success_at, c.last_error, "                                  \
    "COALESCE(c.consecutive_failures, 0), c.next_attempt_at, e.region_code, "                      \
    "CASE WHEN a.platform NOT IN ('mastodon', 'bluesky') THEN 'tidak tersedia di platform "        \
    "ini' WHEN c.follows_state IS NULL THEN 'belum dibaca' WHEN c.follows_state = 'ok' "           \
    "THEN 'ok (' || c.follows_count || ' akun)' ELSE c.follows_state END FROM accounts a "         \
    "JOIN employees e ON e.id = a.employee_id "                                                    \
    "LEFT JOIN crawl_state c ON c.account_id = a.id "

/* The order: failing and never fetched first, then by agency and name. */
#define COVERAGE_ORDER                                                                             \
    " ORDER BY (COALESCE(c.state, 'new') = 'ok'), e.agency, e.name, a.platform, a.id"

#define COVERAGE_LIST(AGENCY)                                                                      \
    COVERAGE_COLUMNS                                                                               \
    "WHERE a.active = 1 AND e.active = 1 AND " SCOPE_SQL " AND " AGENCY " AND " PLATFORM_FILTER    \
    " AND (CAST(?3 AS TEXT) IS NULL OR (?3 = 'ok' AND "                                            \
    "c.state = 'ok') OR (?3 = 'new' AND COALESCE(c.state, 'new') = 'new') OR "                     \
    "(?3 = 'failing' AND COALESCE(c.state, 'new') NOT IN ('ok', 'new')))" COVERAGE_ORDER           \
    " LIMIT ?4 OFFSET ?5"

static json_t *row_json(struct nt_db_stmt *st)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o}", "nip",
                     nt_rv_col(st, 0), "name", nt_rv_col(st, 1), "agency", nt_rv_col(st, 2),
                     "platform", nt_rv_col(st, 3), "account", nt_rv_col(st, 4), "state",
                     nt_rv_col(st, 5), "last_success", nt_rv_col(st, 6), "last_error",
                     nt_rv_col(st, 7), "failures", (json_int_t)nt_db_int64(st, 8), "next_attempt",
                     nt_rv_col(st, 9), "region", nt_rv_col(st, 10), "follows", nt_rv_col(st, 11));
}

static enum nt_err list_sql(struct nt_store *s, const struct nt_user *u,
                            const struct nt_coverage_filter *f, json_t **out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare_for(nt_store_dbh(s), COVERAGE_LIST(AGENCY_FILTER_SQLITE),
                                        COVERAGE_LIST(AGENCY_FILTER_PG), &st, d);
    if (err)
        return err;
    coverage_bind(st, f, u);
    nt_db_bind_text(st, 3, f->state);
    nt_db_bind_int64(st, 4, f->limit ? (int64_t)f->limit : INT64_MAX);
    nt_db_bind_int64(st, 5, (int64_t)f->offset);
    json_t *a = json_array();
    while (!err && nt_db_next(st, &err, d))
        json_array_append_new(a, row_json(st));
    nt_db_finalize(st);
    if (err) {
        json_decref(a);
        return err;
    }
    *out = a;
    return NT_OK;
}

enum nt_err nt_coverage(struct nt_store *s, const struct nt_user *u,
                        const struct nt_coverage_filter *f, json_t **out, struct nt_diag *d)
{
    static const struct nt_coverage_filter none = { 0 };
    if (!f)
        f = &none;
    enum nt_err err = coverage_allowed(s, u, f, d);
    return err ? err : list_sql(s, u, f, out, d);
}

/* ---- the copy ----------------------------------------------------------- */

static enum nt_err generation(struct nt_store *s, int64_t *out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err =
        nt_db_prepare(nt_store_dbh(s), "SELECT n FROM coverage_generation WHERE id = 1", &st, d);
    if (err)
        return err;
    if (nt_db_next(st, &err, d))
        *out = nt_db_int64(st, 0);
    else if (!err)
        err = nt_diag_set(d, NT_EINTERNAL, "penghitung cakupan tidak ada");
    nt_db_finalize(st);
    return err;
}

static enum nt_err grow_counts(struct nt_coverage_copy *c, size_t n)
{
    int64_t *e = realloc(c->employees, n * sizeof(*e)),
            *b = e ? realloc(c->bare, n * sizeof(*b)) : NULL;
    if (e)
        c->employees = e;
    if (b)
        c->bare = b;
    return e && b ? NT_OK : NT_ENOMEM;
}

/* Every active account in the SQL's order, and the employees per agency,
 * read in the caller's snapshot. */
static enum nt_err load(struct nt_coverage_copy *c, struct nt_store *s, int64_t gen,
                        struct nt_diag *d)
{
    forget(c);
    struct nt_db_stmt *st = NULL;
    size_t cap = 0;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "SELECT a.id, e.agency, a.platform, CASE COALESCE(c.state, 'new') WHEN 'ok' THEN 2 "
        "WHEN 'new' THEN 1 ELSE 0 END FROM accounts a JOIN employees e ON e.id = a.employee_id "
        "LEFT JOIN crawl_state c ON c.account_id = a.id WHERE a.active = 1 AND e.active = "
        "1" COVERAGE_ORDER,
        &st, d);
    while (!err && nt_db_next(st, &err, d)) {
        if (c->n == cap) {
            size_t ncap = cap ? 2 * cap : 1024;
            struct cov_row *t = realloc(c->v, ncap * sizeof(*t));
            if (!t) {
                err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
                break;
            }
            c->v = t;
            cap = ncap;
        }
        struct cov_row *r = &c->v[c->n];
        r->account = nt_db_int64(st, 0);
        r->cls = (uint8_t)nt_db_int64(st, 3);
        if (intern(&c->agencies, nt_db_text(st, 1), &r->agency) ||
            intern(&c->platforms, nt_db_text(st, 2), &r->platform))
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        else
            c->n++;
    }
    nt_db_finalize(st);
    st = NULL;
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "SELECT e.agency, count(*), COALESCE(sum(CASE WHEN NOT EXISTS (SELECT "
                            "1 FROM accounts a WHERE a.employee_id = e.id AND a.active = 1) THEN 1 "
                            "ELSE 0 END), 0) FROM employees e WHERE e.active = 1 GROUP BY e.agency",
                            &st, d);
    if (!err && grow_counts(c, c->agencies.n ? c->agencies.n : 1))
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    if (!err)
        for (size_t i = 0; i < c->agencies.n; i++)
            c->employees[i] = c->bare[i] = 0;
    while (!err && nt_db_next(st, &err, d)) {
        uint32_t code;
        size_t had = c->agencies.n;
        if (intern(&c->agencies, nt_db_text(st, 0), &code) ||
            (c->agencies.n > had && grow_counts(c, c->agencies.n))) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            break;
        }
        c->employees[code] = nt_db_int64(st, 1);
        c->bare[code] = nt_db_int64(st, 2);
    }
    nt_db_finalize(st);
    if (err) {
        forget(c);
        return err;
    }
    c->generation = gen;
    c->loaded = true;
    return NT_OK;
}

/* SQLite's NOCASE: ASCII letters folded, every other byte as it is. */
static bool same_nocase(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

/* The agencies the page counts: in the user's scope and the filter's. */
static bool *agencies_shown(const struct nt_coverage_copy *c, const struct nt_user *u,
                            const struct nt_coverage_filter *f)
{
    bool *ok = calloc(c->agencies.n ? c->agencies.n : 1, sizeof(*ok));
    if (!ok)
        return NULL;
    for (size_t k = 0; k < c->agencies.n; k++) {
        const char *name = c->agencies.s[k];
        bool in = !u || u->role == NT_ROLE_ADMIN;
        for (size_t i = 0; !in && i < u->nagencies; i++)
            in = strcmp(u->agencies[i], name) == 0;
        ok[k] = in && (!f->agency || same_nocase(f->agency, name));
    }
    return ok;
}

/* The summary and the ids of the page, from the copy (read-locked). */
static enum nt_err from_copy(const struct nt_coverage_copy *c, const struct nt_user *u,
                             const struct nt_coverage_filter *f, json_t **summary, int64_t **ids,
                             size_t *nids)
{
    bool *shown = agencies_shown(c, u, f);
    int64_t want_platform = -1; /* -1 any; -2 a platform no account has */
    int want_class = -1;
    if (f->platform) {
        size_t p;
        want_platform = nt_strmap_get(&c->platforms.map, f->platform, &p) ? (int64_t)p : -2;
    }
    if (f->state)
        want_class = !strcmp(f->state, "ok")    ? CLASS_OK
                     : !strcmp(f->state, "new") ? CLASS_NEW
                                                : CLASS_FAILING;
    size_t limit = f->limit ? f->limit : c->n, cap = limit < c->n ? limit : c->n;
    *ids = malloc((cap ? cap : 1) * sizeof(**ids));
    if (!shown || !*ids) {
        free(shown);
        free(*ids);
        *ids = NULL;
        return NT_ENOMEM;
    }
    json_int_t count[3] = { 0, 0, 0 }, employees = 0, bare = 0;
    size_t skip = f->offset;
    *nids = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct cov_row *r = &c->v[i];
        if (!shown[r->agency] || (want_platform != -1 && (int64_t)r->platform != want_platform))
            continue;
        count[r->cls]++;
        if (want_class != -1 && r->cls != want_class)
            continue;
        if (skip)
            skip--;
        else if (*nids < cap)
            (*ids)[(*nids)++] = r->account;
    }
    for (size_t k = 0; k < c->agencies.n; k++)
        if (shown[k]) {
            employees += c->employees[k];
            bare += c->bare[k];
        }
    free(shown);
    *summary = summary_json(count[0] + count[1] + count[2], count[CLASS_OK], count[CLASS_NEW],
                            employees, bare);
    return *summary ? NT_OK : NT_ENOMEM;
}

/* The rows of `ids`, in that order, as the SQL would show them. */
static enum nt_err rows_of(struct nt_store *s, const int64_t *ids, size_t n, json_t **out,
                           struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s), COVERAGE_COLUMNS "WHERE a.id = ?1", &st, d);
    if (err)
        return err;
    json_t *a = json_array();
    for (size_t i = 0; !err && i < n; i++) {
        nt_db_bind_int64(st, 1, ids[i]);
        if (nt_db_next(st, &err, d))
            json_array_append_new(a, row_json(st));
        else if (!err) /* the copy is of this snapshot: every account is there */
            err = nt_diag_set(d, NT_EINTERNAL, "akun %lld tidak ada dalam cakupan",
                              (long long)ids[i]);
        nt_db_reset(st);
    }
    nt_db_finalize(st);
    if (err) {
        json_decref(a);
        return err;
    }
    *out = a;
    return NT_OK;
}

/* The copy at the snapshot's counter, read-locked; false (unlocked) when
 * another thread holds it at another counter meanwhile. */
static enum nt_err copy_at(struct nt_coverage_copy *c, struct nt_store *s, int64_t gen, bool *held,
                           struct nt_diag *d)
{
    enum nt_err err = NT_OK;
    pthread_rwlock_rdlock(&c->lock);
    if (c->loaded && c->generation == gen) {
        *held = true;
        return NT_OK;
    }
    pthread_rwlock_unlock(&c->lock);
    pthread_rwlock_wrlock(&c->lock);
    if (!c->loaded || c->generation != gen)
        err = load(c, s, gen, d);
    pthread_rwlock_unlock(&c->lock);
    if (err)
        return err;
    pthread_rwlock_rdlock(&c->lock);
    *held = c->loaded && c->generation == gen;
    if (!*held)
        pthread_rwlock_unlock(&c->lock);
    return NT_OK;
}

enum nt_err nt_coverage_page(struct nt_store *s, struct nt_coverage_copy *copy,
                             const struct nt_user *u, const struct nt_coverage_filter *f,
                             json_t **summary, json_t **accounts, struct nt_diag *d)
{
    json_t *sum = NULL, *list = NULL;
    int64_t *ids = NULL, gen = 0;
    size_t nids = 0;
    bool held = false;
    enum nt_err err =
        nt_user_require(u, NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN, "melihat cakupan pemantauan", d);
    if (!err)
        err = coverage_check(s, f, d);
    if (err)
        return err;
    if ((err = nt_store_begin_snapshot(s, d)))
        return err;
    if (copy && !nt_store_is_postgres(s))
        err = generation(s, &gen, d);
    if (!err && copy && !nt_store_is_postgres(s))
        err = copy_at(copy, s, gen, &held, d);
    if (!err && held) {
        err = from_copy(copy, u, f, &sum, &ids, &nids);
        pthread_rwlock_unlock(&copy->lock);
        if (err)
            nt_diag_set(d, err, "memori tidak cukup");
        else
            err = rows_of(s, ids, nids, &list, d);
        free(ids);
    } else if (!err) {
        err = summary_sql(s, u, f, &sum, d);
        if (!err)
            err = list_sql(s, u, f, &list, d);
    }
    nt_store_rollback(s);
    if (err) {
        json_decref(sum);
        json_decref(list);
        return err;
    }
    *summary = sum;
    *accounts = list;
    return NT_OK;
}
