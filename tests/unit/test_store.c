/*
 * test_store.c - unit tests of the store: creating, identifying, migrating
 * and refusing databases; transactions; settings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "schema.h"
#include "db.h"
#include "store.h"

struct fx {
    char dir[64];
    char path[128];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/nt_test_store_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/netra.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char p[160];
    const char *suffix[] = { "", "-wal", "-shm", ".other" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_missing_needs_init(void **state)
{
    struct fx *f = *state;
    struct nt_store *s = NULL;
    struct nt_diag d;
    nt_diag_clear(&d);
    assert_int_equal(nt_store_open(f->path, 0, &s, &d), NT_ENOTFOUND);
    assert_null(s);
    assert_non_null(strstr(d.msg, "netra init"));
    assert_int_equal(access(f->path, F_OK), -1); /* nothing created */
}

static void test_create_settings(void **state)
{
    struct fx *f = *state;
    struct nt_store *s = NULL;
    struct nt_diag d;
    nt_diag_clear(&d);
    assert_int_equal(nt_store_open(f->path, NT_STORE_CREATE, &s, &d), NT_OK);
    assert_int_equal(nt_store_opened_version(s), 0);
    assert_int_equal(nt_store_schema_version(s), NT_STORE_SCHEMA_VERSION);
    sqlite3 *db = nt_store_db(s);
    assert_int_equal(scalar(db, "PRAGMA application_id"), NT_STORE_APP_ID);
    assert_int_equal(scalar(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM schema_history"), NT_STORE_SCHEMA_VERSION);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);

    char v[32];
    assert_int_equal(nt_store_setting_get(s, "review.four_eyes", v, sizeof(v), &d), NT_ENOTFOUND);
    assert_int_equal(nt_store_setting_set(s, "review.four_eyes", "on", "2024-01-01T00:00:00Z", &d),
                     NT_OK);
    assert_int_equal(nt_store_setting_set(s, "review.four_eyes", "off", "2024-01-02T00:00:00Z", &d),
                     NT_OK);
    assert_int_equal(nt_store_setting_get(s, "review.four_eyes", v, sizeof(v), &d), NT_OK);
    assert_string_equal(v, "off");
    nt_store_close(s);

    /* Reopening an up-to-date database changes nothing. */
    assert_int_equal(nt_store_open(f->path, 0, &s, &d), NT_OK);
    assert_int_equal(nt_store_opened_version(s), NT_STORE_SCHEMA_VERSION);
    nt_store_close(s);
    nt_store_close(NULL);
}

static void test_foreign_keys_enforced(void **state)
{
    struct fx *f = *state;
    struct nt_store *s = NULL;
    struct nt_diag d;
    nt_diag_clear(&d);
    assert_int_equal(nt_store_open(f->path, NT_STORE_CREATE, &s, &d), NT_OK);
    int rc = sqlite3_exec(nt_store_db(s),
                          "INSERT INTO accounts(employee_id, platform, account, created_at, "
                          "updated_at) VALUES (999, 'x', 'a', 't', 't')",
                          NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
    assert_int_equal(nt_store_fail(s, rc, "uji", &d), NT_ECONFLICT);
    nt_store_close(s);
}

static void test_upgrade_from_v1_keeps_data(void **state)
{
    struct fx *f = *state;
    struct nt_store *s = NULL;
    struct nt_diag d;
    char sql[256];

    /* What release 1 of the schema left behind, with an employee in it. */
    snprintf(sql, sizeof(sql), "PRAGMA application_id = %ld; PRAGMA user_version = 1;",
             (long)NT_STORE_APP_ID);
    raw_exec(f->path, nt_store_schema_migration(1));
    raw_exec(f->path, sql);
    raw_exec(f->path, "INSERT INTO employees(nip, name, agency, work_unit, position_type, "
                      "position, region_code, status, birth_date, service_start, sex, "
                      "created_at, updated_at) VALUES ('198503122010011003', 'Budi', 'Dinas', "
                      "'', 'JPT', 'Kepala', '76', 'PNS', '1985-03-12', '2010-01', 'L', 't', 't')");

    /* Without permission to migrate: refused, pointing at `netra init`. */
    nt_diag_clear(&d);
    assert_int_equal(nt_store_open(f->path, 0, &s, &d), NT_ESCHEMA);
    assert_non_null(strstr(d.msg, "netra init"));
    assert_non_null(strstr(d.msg, "versi 1"));

    assert_int_equal(nt_store_open(f->path, NT_STORE_MIGRATE, &s, &d), NT_OK);
    assert_int_equal(nt_store_opened_version(s), 1);
    assert_int_equal(nt_store_schema_version(s), NT_STORE_SCHEMA_VERSION);
    assert_int_equal(scalar(nt_store_db(s), "SELECT count(*) FROM employees"), 1);
    assert_int_equal(scalar(nt_store_db(s), "SELECT count(*) FROM audit_log"), 0);
    assert_int_equal(scalar(nt_store_db(s), "SELECT min(version) FROM schema_history"), 2);

    /* Going down is refused. */
    assert_int_equal(nt_store_migrate(s, 2, &d), NT_ESCHEMA);
    nt_store_close(s);
}

static void test_newer_schema_refused(void **state)
{
    struct fx *f = *state;
    struct nt_store *s = NULL;
    struct nt_diag d;
    nt_diag_clear(&d);
    assert_int_equal(nt_store_open(f->path, NT_STORE_CREATE, &s, &d), NT_OK);
    nt_store_close(s);
    raw_exec(f->path, "PRAGMA user_version = 99");
    s = NULL;
    assert_int_equal(nt_store_open(f->path, NT_STORE_CREATE, &s, &d), NT_ESCHEMA);
    assert_null(s);
    assert_non_null(strstr(d.msg, "99"));
    assert_string_equal(d.file, f->path);
}

static void test_foreign_files_refused(void **state)
{
    struct fx *f = *state;
    struct nt_store *s = NULL;
    struct nt_diag d;
    char other[160];

    /* Some other application's SQLite database. */
    raw_exec(f->path, "CREATE TABLE notes(x)");
    nt_diag_clear(&d);
    assert_int_equal(nt_store_open(f->path, NT_STORE_CREATE, &s, &d), NT_EINPUT);
    assert_non_null(strstr(d.msg, "bukan milik Netra"));

    /* Not a database at all. */
    snprintf(other, sizeof(other), "%s.other", f->path);
    FILE *fp = fopen(other, "w");
    assert_non_null(fp);
    fputs("nip,nama\n1,Budi\n this is a CSV file, not a database, and long enough to be read", fp);
    fclose(fp);
    assert_int_equal(nt_store_open(other, 0, &s, &d), NT_EINPUT);
    assert_null(s);
}

static void test_transactions(void **state)
{
    struct fx *f = *state;
    struct nt_store *s = NULL;
    struct nt_diag d;
    nt_diag_clear(&d);
    assert_int_equal(nt_store_open(f->path, NT_STORE_CREATE, &s, &d), NT_OK);
    assert_int_equal(nt_store_begin(s, &d), NT_OK);
    assert_true(nt_store_in_tx(s));
    assert_int_equal(nt_store_begin(s, &d), NT_EINTERNAL);
    assert_int_equal(nt_store_setting_set(s, "k", "v", "t", &d), NT_OK);
    /* db.h over the store's connection: inside the same transaction. */
    struct nt_db_stmt *st;
    enum nt_err err;
    assert_int_equal(
        nt_db_prepare(nt_store_dbh(s), "SELECT count(*) FROM settings WHERE key = ?1", &st, &d),
        NT_OK);
    nt_db_bind_text(st, 1, "k");
    assert_true(nt_db_next(st, &err, &d));
    assert_int_equal(nt_db_int64(st, 0), 1);
    nt_db_finalize(st);
    nt_store_rollback(s);
    assert_false(nt_store_in_tx(s));
    char v[8];
    assert_int_equal(nt_store_setting_get(s, "k", v, sizeof(v), &d), NT_ENOTFOUND);

    assert_int_equal(nt_store_begin(s, &d), NT_OK);
    assert_int_equal(nt_store_setting_set(s, "k", "v", "t", &d), NT_OK);
    assert_int_equal(nt_store_commit(s, &d), NT_OK);
    assert_int_equal(nt_store_commit(s, &d), NT_EINTERNAL);
    nt_store_rollback(s); /* no transaction: harmless */
    assert_int_equal(nt_store_setting_get(s, "k", v, sizeof(v), &d), NT_OK);

    /* A transaction left open is rolled back by close. */
    assert_int_equal(nt_store_begin(s, &d), NT_OK);
    assert_int_equal(nt_store_setting_set(s, "k", "w", "t", &d), NT_OK);
    nt_store_close(s);
    assert_int_equal(nt_store_open(f->path, 0, &s, &d), NT_OK);
    assert_int_equal(nt_store_setting_get(s, "k", v, sizeof(v), &d), NT_OK);
    assert_string_equal(v, "v");
    nt_store_close(s);
}

/* Interrupts a statement after `budget` progress calls. */
static int stop_after(void *arg)
{
    int *budget = arg;
    return --*budget < 0;
}

/* nt_store_next: every row, then false with NT_OK at the end; a step that
 * fails part way (here an interrupt) is an error naming what was read,
 * never a short result that looks complete. */
static void test_row_walk(void **state)
{
    struct fx *f = *state;
    struct nt_store *s = NULL;
    struct nt_diag d;
    sqlite3_stmt *st = NULL;
    nt_diag_clear(&d);
    assert_int_equal(nt_store_open(f->path, NT_STORE_CREATE, &s, &d), NT_OK);
    assert_int_equal(
        nt_store_exec(s,
                      "CREATE TABLE t(x); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL "
                      "SELECT i + 1 FROM c WHERE i < 5000) INSERT INTO t SELECT i FROM c",
                      &d),
        NT_OK);
    const char *sql = "SELECT x FROM t ORDER BY x";
    assert_int_equal(nt_store_prepare(s, sql, &st, &d), NT_OK);
    enum nt_err err = NT_OK;
    long rows = 0;
    while (!err && nt_store_next(s, st, &err, "membaca t", &d))
        rows++;
    assert_int_equal(err, NT_OK);
    assert_int_equal(rows, 5000);
    sqlite3_finalize(st);

    int budget = 40;
    sqlite3_progress_handler(nt_store_db(s), 10, stop_after, &budget);
    assert_int_equal(nt_store_prepare(s, sql, &st, &d), NT_OK);
    rows = 0;
    while (!err && nt_store_next(s, st, &err, "membaca t", &d))
        rows++;
    assert_int_not_equal(err, NT_OK);
    assert_true(rows < 5000);
    assert_non_null(strstr(d.msg, "membaca t"));
    sqlite3_finalize(st);
    sqlite3_progress_handler(nt_store_db(s), 0, NULL, NULL);
    nt_store_close(s);
}

static void test_readonly(void **state)
{
    struct fx *f = *state;
    struct nt_store *s = NULL;
    struct nt_diag d;
    nt_diag_clear(&d);
    assert_int_equal(nt_store_open(f->path, NT_STORE_CREATE, &s, &d), NT_OK);
    nt_store_close(s);
    assert_int_equal(nt_store_open(f->path, NT_STORE_READONLY, &s, &d), NT_OK);
    assert_int_equal(nt_store_setting_set(s, "k", "v", "t", &d), NT_EDB);
    nt_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_missing_needs_init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_keys_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_from_v1_keeps_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_files_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
