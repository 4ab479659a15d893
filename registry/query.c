/*
 * query.c - reading the registry: filtered listings, field history and
 * counts. One prepared statement per query; optional filters are bound as
 * NULL ("?1 IS NULL OR ...") rather than spliced into the SQL. Through
 * store/db.h: the same SQL on SQLite and PostgreSQL (text parameters cast
 * where PostgreSQL could not tell their type; names compared in lower
 * case, ASCII, as SQLite's NOCASE).
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "registry.h"

#define FILTER_SQL(owner)                                                                          \
    "(CAST(?1 AS TEXT) IS NULL OR " owner "nip = ?1) "                                             \
    "AND (CAST(?2 AS TEXT) IS NULL OR lower(" owner "agency) = lower(CAST(?2 AS TEXT))) "          \
    "AND (CAST(?3 AS TEXT) IS NULL OR " owner "region_code = ?3 "                                  \
    "     OR substr(" owner "region_code, 1, length(CAST(?3 AS TEXT)) + 1) = "                     \
    "CAST(?3 AS TEXT) || '.') "                                                                    \
    "AND (CAST(?4 AS TEXT) IS NULL OR " owner "position_type = ?4) "                               \
    "AND (CAST(?5 AS TEXT) IS NULL OR " owner "status = ?5) "

static void bind_filter(struct nt_db_stmt *st, const struct nt_reg_filter *f)
{
    const char *v[5] = { f->nip, f->agency, f->region, f->position_type, f->status };
    for (int i = 0; i < 5; i++)
        nt_db_bind_text(st, i + 1, v[i]);
}

static const char *col_text(struct nt_db_stmt *st, int i)
{
    const char *t = nt_db_text(st, i);
    return t ? t : "";
}

/* The caller's row callback, whichever kind it is, and its context. */
struct sink {
    union {
        nt_reg_employee_fn emp;
        nt_reg_account_fn acc;
        nt_reg_change_fn chg;
        nt_reg_count_fn cnt;
    } fn;
    void *ctx;
};

/* Step through all rows, handing each to `row`; translate errors. */
static enum nt_err run(struct nt_db_stmt *st,
                       enum nt_err (*row)(struct nt_db_stmt *st, const struct sink *k),
                       const struct sink *k, struct nt_diag *d)
{
    enum nt_err err = NT_OK;
    while (!err && nt_db_next(st, &err, d))
        err = row(st, k);
    nt_db_finalize(st);
    return err;
}

static enum nt_err employee_row(struct nt_db_stmt *st, const struct sink *k)
{
    struct nt_reg_employee e;
    memset(&e, 0, sizeof(e));
    e.id = nt_db_int64(st, 0);
    e.nip = col_text(st, 1);
    e.name = col_text(st, 2);
    e.agency = col_text(st, 3);
    e.work_unit = col_text(st, 4);
    e.position_type = col_text(st, 5);
    e.position = col_text(st, 6);
    e.region_code = col_text(st, 7);
    e.status = col_text(st, 8);
    if (!nt_date_parse(col_text(st, 9), &e.birth))
        memset(&e.birth, 0, sizeof(e.birth));
    e.service_start = col_text(st, 10);
    e.sex = col_text(st, 11)[0];
    e.active = nt_db_int64(st, 12) != 0;
    e.accounts = (int)nt_db_int64(st, 13);
    e.created_at = col_text(st, 14);
    e.updated_at = col_text(st, 15);
    return k->fn.emp(&e, k->ctx);
}

enum nt_err nt_reg_agency_check(struct nt_store *s, const char *agency, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "SELECT (SELECT count(*) FROM employees WHERE lower(agency) = lower(CAST(?1 AS TEXT))), "
        "agency FROM (SELECT DISTINCT agency FROM employees) AS known ORDER BY agency",
        &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, agency);
    char known[512] = "";
    size_t o = 0, more = 0;
    bool found = false;
    while (nt_db_next(st, &err, d)) {
        found = nt_db_int64(st, 0) > 0;
        if (found)
            break;
        const char *a = nt_db_text(st, 1);
        int k = snprintf(known + o, sizeof(known) - o, "%s%s", o ? ", " : "", a ? a : "");
        if (k > 0 && (size_t)k < sizeof(known) - o && o < 300)
            o += (size_t)k;
        else
            more++;
        known[o] = '\0';
    }
    nt_db_finalize(st);
    if (err)
        return err;
    if (found)
        return NT_OK;
    if (!o)
        return nt_diag_set(d, NT_EUSAGE, "instansi \"%s\" tidak ada: daftar pegawai masih kosong",
                           agency);
    if (more)
        return nt_diag_set(d, NT_EUSAGE,
                           "instansi \"%s\" tidak ada; yang ada: %s (dan %zu lainnya)", agency,
                           known, more);
    return nt_diag_set(d, NT_EUSAGE, "instansi \"%s\" tidak ada; yang ada: %s", agency, known);
}

enum nt_err nt_reg_employees_each(struct nt_store *s, const struct nt_reg_filter *f,
                                  nt_reg_employee_fn fn, void *ctx, struct nt_diag *d)
{
    if (f->agency) {
        enum nt_err e = nt_reg_agency_check(s, f->agency, d);
        if (e)
            return e;
    }
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "SELECT e.id, e.nip, e.name, e.agency, e.work_unit, e.position_type, e.position, "
        "e.region_code, e.status, e.birth_date, e.service_start, e.sex, e.active, "
        "(SELECT count(*) FROM accounts a WHERE a.employee_id = e.id AND a.active = 1), "
        "e.created_at, e.updated_at "
        "FROM employees e WHERE " FILTER_SQL(
            "e.") "AND (CAST(?6 AS BIGINT) = 1 OR e.active = 1) ORDER BY e.agency, e.name, e.nip",
        &st, d);
    if (err)
        return err;
    bind_filter(st, f);
    nt_db_bind_int64(st, 6, f->include_inactive || f->nip);
    struct sink k = { .fn.emp = fn, .ctx = ctx };
    return run(st, employee_row, &k, d);
}

static enum nt_err account_row(struct nt_db_stmt *st, const struct sink *k)
{
    struct nt_reg_account a;
    memset(&a, 0, sizeof(a));
    a.id = nt_db_int64(st, 0);
    a.nip = col_text(st, 1);
    a.employee_name = col_text(st, 2);
    a.agency = col_text(st, 3);
    a.platform = col_text(st, 4);
    a.account = col_text(st, 5);
    a.endpoint = nt_db_text(st, 6);
    a.active = nt_db_int64(st, 7) != 0;
    a.updated_at = col_text(st, 8);
    return k->fn.acc(&a, k->ctx);
}

enum nt_err nt_reg_accounts_each(struct nt_store *s, const struct nt_reg_filter *f,
                                 nt_reg_account_fn fn, void *ctx, struct nt_diag *d)
{
    if (f->agency) {
        enum nt_err e = nt_reg_agency_check(s, f->agency, d);
        if (e)
            return e;
    }
    struct nt_db_stmt *st = NULL;
    enum nt_err err =
        nt_db_prepare(nt_store_dbh(s),
                      "SELECT a.id, e.nip, e.name, e.agency, a.platform, a.account, a.endpoint, "
                      "CASE WHEN a.active = 1 AND e.active = 1 THEN 1 ELSE 0 END, a.updated_at "
                      "FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE " FILTER_SQL(
                          "e.") "AND (CAST(?6 AS BIGINT) = 1 OR (a.active = 1 AND e.active = 1)) "
                                "AND (CAST(?7 AS TEXT) IS NULL OR a.platform = ?7) "
                                "ORDER BY e.agency, e.name, e.nip, a.platform, a.account",
                      &st, d);
    if (err)
        return err;
    bind_filter(st, f);
    nt_db_bind_int64(st, 6, f->include_inactive || f->nip);
    nt_db_bind_text(st, 7, f->platform);
    struct sink k = { .fn.acc = fn, .ctx = ctx };
    return run(st, account_row, &k, d);
}

static enum nt_err change_row(struct nt_db_stmt *st, const struct sink *k)
{
    struct nt_reg_change c;
    c.at = col_text(st, 0);
    c.source = col_text(st, 1);
    c.field = col_text(st, 2);
    c.old_value = nt_db_text(st, 3);
    c.new_value = nt_db_text(st, 4);
    return k->fn.chg(&c, k->ctx);
}

enum nt_err nt_reg_changes_each(struct nt_store *s, int64_t employee_id, nt_reg_change_fn fn,
                                void *ctx, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    "SELECT i.at, i.source, c.field, c.old_value, c.new_value "
                                    "FROM employee_changes c JOIN imports i ON i.id = "
                                    "c.import_id WHERE c.employee_id = ?1 ORDER BY c.id",
                                    &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, employee_id);
    struct sink k = { .fn.chg = fn, .ctx = ctx };
    return run(st, change_row, &k, d);
}

static enum nt_err count_row(struct nt_db_stmt *st, const struct sink *k)
{
    return k->fn.cnt(col_text(st, 0), nt_db_int64(st, 1), k->ctx);
}

enum nt_err nt_reg_count_by(struct nt_store *s, enum nt_reg_group group, nt_reg_count_fn fn,
                            void *ctx, struct nt_diag *d)
{
    static const char *const sql[] = {
        [NT_REG_BY_AGENCY] = "SELECT agency, count(*) FROM employees WHERE active = 1 "
                             "GROUP BY agency ORDER BY 2 DESC, 1",
        [NT_REG_BY_PROVINCE] = "SELECT substr(region_code, 1, 2), count(*) FROM employees "
                               "WHERE active = 1 GROUP BY 1 ORDER BY 2 DESC, 1",
        [NT_REG_BY_POSITION_TYPE] = "SELECT position_type, count(*) FROM employees "
                                    "WHERE active = 1 GROUP BY 1 ORDER BY 2 DESC, 1",
        [NT_REG_BY_STATUS] = "SELECT status, count(*) FROM employees WHERE active = 1 "
                             "GROUP BY 1 ORDER BY 2 DESC, 1",
        [NT_REG_BY_PLATFORM] = "SELECT a.platform, count(*) FROM accounts a JOIN employees e "
                               "ON e.id = a.employee_id WHERE a.active = 1 AND e.active = 1 "
                               "GROUP BY 1 ORDER BY 2 DESC, 1",
    };
    struct nt_db_stmt *st = NULL;
    if ((unsigned)group >= sizeof(sql) / sizeof(sql[0]))
        return nt_diag_set(d, NT_EINTERNAL, "pengelompokan tidak dikenal");
    enum nt_err err = nt_db_prepare(nt_store_dbh(s), sql[group], &st, d);
    if (err)
        return err;
    struct sink k = { .fn.cnt = fn, .ctx = ctx };
    return run(st, count_row, &k, d);
}
