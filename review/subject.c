/*
 * subject.c - one employee's history for the people who supervise them:
 * registry data, declared accounts and how well they are watched, every
 * queue item with its decisions, the cases, and one timeline. Scoped like
 * the queue (an agency the user does not see has no such employee); while
 * review is pseudonymous only supervisors and admins see it, since the
 * page is the identity.
 */
#include "review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "internal.h"

/* The rows of `sql` (bound to ?1 = employee) as objects with `keys`. */
static enum nt_err rows(struct nt_store *s, const char *sql, int64_t employee,
                        const char *const *keys, size_t n, json_t **out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s), sql, &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, employee);
    json_t *a = json_array();
    while (!err && nt_db_next(st, &err, d)) {
        json_t *o = json_object();
        for (size_t i = 0; i < n; i++)
            json_object_set_new(o, keys[i],
                                nt_db_type(st, (int)i) == NT_DB_INT
                                    ? json_integer(nt_db_int64(st, (int)i))
                                    : nt_rv_col(st, (int)i));
        json_array_append_new(a, o);
    }
    nt_db_finalize(st);
    if (err) {
        json_decref(a);
        return err;
    }
    *out = a;
    return NT_OK;
}

/* Timeline entries of one kind: {at, what, id}. */
static void timeline_add(json_t *t, json_t *list, const char *at_key, const char *what,
                         const char *detail_key)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        const char *at = json_string_value(json_object_get(x, at_key));
        if (!at)
            continue;
        json_array_append_new(t, json_pack("{s:s, s:s, s:O, s:O}", "at", at, "what", what, "item",
                                           json_object_get(x, "item") ? json_object_get(x, "item")
                                                                      : json_object_get(x, "id"),
                                           "detail",
                                           detail_key && json_object_get(x, detail_key)
                                               ? json_object_get(x, detail_key)
                                               : json_null()));
    }
}

static int by_at_desc(const void *a, const void *b)
{
    const char *x = json_string_value(json_object_get(*(json_t *const *)a, "at"));
    const char *y = json_string_value(json_object_get(*(json_t *const *)b, "at"));
    return strcmp(y, x);
}

/* The parts of the history, each one query (?1 = the employee) and the
 * names of its columns. */
static const struct section {
    const char *sql;
    const char *keys[10];
} sections[] = {
    { "SELECT id, nip, name, agency, work_unit, position, position_type, region_code, status "
      "FROM employees WHERE id = ?1",
      { "id", "nip", "name", "agency", "work_unit", "position", "position_type", "region",
        "status" } },
    { "SELECT a.platform, a.account, a.active, coalesce(c.state, 'new'), c.last_success_at, "
      "c.last_error, coalesce(c.consecutive_failures, 0) FROM accounts a "
      "LEFT JOIN crawl_state c ON c.account_id = a.id WHERE a.employee_id = ?1 "
      "ORDER BY a.platform, a.account",
      { "platform", "account", "active", "state", "last_success", "last_error", "failures" } },
    { "SELECT i.id, i.status, i.level, i.category, i.platform, i.posted_at, i.created_at, "
      "substr(v.text, 1, 160) FROM review_items i JOIN scores sc ON sc.id = i.score_id "
      "JOIN post_versions v ON v.id = sc.version_id WHERE i.employee_id = ?1 "
      "ORDER BY i.posted_at DESC, i.id DESC LIMIT 500",
      { "id", "status", "level", "category", "platform", "posted_at", "created_at", "excerpt" } },
    { "SELECT d.item_id, d.decision, us.name, d.category, d.reason_code, d.reason, d.decided_at "
      "FROM decisions d JOIN review_items i ON i.id = d.item_id JOIN users us ON us.id = d.user_id "
      "WHERE i.employee_id = ?1 ORDER BY d.id DESC LIMIT 1000",
      { "item", "decision", "user", "category", "reason_code", "reason", "at" } },
    { "SELECT id, state, election, opened_at, updated_at FROM cases WHERE employee_id = ?1 "
      "ORDER BY id",
      { "id", "state", "election", "opened_at", "updated_at" } },
};

enum nt_err nt_employee_history(struct nt_store *s, const struct nt_user *u, int64_t employee,
                                json_t **out, struct nt_diag *d)
{
    struct nt_review_config cfg;
    enum nt_err err = nt_user_require(u, STAFF, "melihat riwayat pegawai", d);
    if (err)
        return err;
    err = nt_review_config_load(s, &cfg, d);
    if (err)
        return err;
    bool pseudonymous = cfg.pseudonymous;
    nt_review_config_release(&cfg);
    if (pseudonymous && !(u->role & BOSS))
        return nt_diag_set(
            d, NT_EPERM,
            "tinjauan berpseudonim: riwayat pegawai hanya untuk supervisor atau admin");
    json_t *part[5] = { NULL }; /* employee (one row), accounts, items, decisions, cases */
    for (size_t k = 0; k < sizeof(sections) / sizeof(sections[0]) && !err; k++) {
        const struct section *sec = &sections[k];
        size_t n = 0;
        while (n < 10 && sec->keys[n])
            n++;
        err = rows(s, sec->sql, employee, sec->keys, n, &part[k], d);
        /* Another agency's employee does not exist for this user. */
        json_t *emp = k == 0 && !err ? json_array_get(part[0], 0) : NULL;
        if (k == 0 && !err &&
            (!emp || !nt_user_sees(u, json_string_value(json_object_get(emp, "agency")))))
            err = nt_diag_set(d, NT_ENOTFOUND, "pegawai #%lld tidak ada", (long long)employee);
    }
    if (err) {
        for (size_t k = 0; k < 5; k++)
            json_decref(part[k]);
        return err;
    }
    json_t *e = part[0], *acc = part[1], *items = part[2], *decs = part[3], *cases = part[4];
    json_t *emp = json_array_get(e, 0);
    json_t *t = json_array();
    timeline_add(t, items, "posted_at", "posted", "level");
    timeline_add(t, decs, "at", "decided", "decision");
    timeline_add(t, cases, "opened_at", "case", "election");
    size_t n = json_array_size(t);
    json_t **v = n ? calloc(n, sizeof(*v)) : NULL;
    for (size_t i = 0; v && i < n; i++)
        v[i] = json_incref(json_array_get(t, i));
    if (v)
        qsort(v, n, sizeof(*v), by_at_desc);
    json_array_clear(t);
    for (size_t i = 0; v && i < n; i++)
        json_array_append_new(t, v[i]);
    free(v);
    *out = json_pack("{s:O, s:o, s:o, s:o, s:o, s:o}", "employee", emp, "accounts", acc, "items",
                     items, "decisions", decs, "cases", cases, "timeline", t);
    json_decref(e);
    return NT_OK;
}

/* ---- saved queue filters --------------------------------------------- */

#define FILTERS_MAX   50
#define FILTERS_BYTES 32768

static void filters_key(const struct nt_user *u, char *key, size_t n)
{
    snprintf(key, n, "saved_filters:%lld", (long long)u->id);
}

enum nt_err nt_user_filters(struct nt_store *s, const struct nt_user *u, json_t **out,
                            struct nt_diag *d)
{
    char key[64], buf[FILTERS_BYTES];
    enum nt_err err = nt_user_require(u, STAFF, "menyimpan filter antrean", d);
    if (err)
        return err;
    filters_key(u, key, sizeof(key));
    err = nt_store_setting_get(s, key, buf, sizeof(buf), NULL);
    json_t *o = err == NT_OK ? json_loads(buf, 0, NULL) : NULL;
    if (err && err != NT_ENOTFOUND)
        return nt_diag_set(d, err, "membaca filter tersimpan gagal");
    *out = json_is_object(o) ? o : (json_decref(o), json_object());
    return NT_OK;
}

enum nt_err nt_user_filter_save(struct nt_store *s, const struct nt_user *u, const char *name,
                                const char *view, time_t now, struct nt_diag *d)
{
    json_t *o = NULL;
    char key[64], at[32];
    if (!name || !*name || strlen(name) > 60)
        return nt_diag_set(d, NT_EINPUT, "nama filter harus 1..60 bita");
    /* A saved view is one of the queue's own addresses, nothing else. */
    if (view &&
        (strncmp(view, "#/antrean", 9) != 0 || strlen(view) > 500 || strpbrk(view, "<>\"' \t\r\n")))
        return nt_diag_set(d, NT_EINPUT, "filter harus alamat antrean (#/antrean?...)");
    enum nt_err err = nt_user_filters(s, u, &o, d);
    if (err)
        return err;
    if (view)
        json_object_set_new(o, name, json_string(view));
    else
        json_object_del(o, name);
    char *txt = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    if (json_object_size(o) > FILTERS_MAX || !txt || strlen(txt) >= FILTERS_BYTES)
        err = nt_diag_set(d, NT_EINPUT, "paling banyak %d filter tersimpan", FILTERS_MAX);
    filters_key(u, key, sizeof(key));
    nt_time_iso(now, at, sizeof(at));
    if (!err)
        err = nt_store_setting_set(s, key, txt, at, d);
    free(txt);
    json_decref(o);
    return err;
}
