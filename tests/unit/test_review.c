/*
 * test_review.c - unit tests of the review library's building blocks: the
 * audit chain (append, verify, what tampering looks like), users and roles,
 * settings and the election calendar, pseudonyms, CSV for spreadsheets and
 * HTML escaping.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "db.h"
#include "migrate.h"
#include "pg_target.h"
#include "date.h"
#include "internal.h" /* nt_rv_facts_dense_max */
#include "review.h"
#include "store.h"

#define NOW 1795392000 /* 2026-11-22 */

struct fx {
    char dir[64], path[128];
    char log[160];    /* the audit checkpoint log */
    char pg_name[64]; /* PostgreSQL: the fixture's database */
    char target[600]; /* ... and its URI */
    struct nt_store *s;
    struct nt_user admin;
};

static char pg_base[512]; /* the tests' PostgreSQL server, when ctest started it */

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct nt_diag d;
    snprintf(f->dir, sizeof(f->dir), "/tmp/nt_test_review_XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/netra.db", f->dir);
    snprintf(f->log, sizeof(f->log), "%s.audit-checkpoints", f->path);
    if (nt_store_open(f->path, NT_STORE_CREATE, &f->s, &d) != NT_OK)
        return -1;
    if (nt_user_add(f->s, NULL, "admin", NT_ROLE_ADMIN, NULL, 0, NULL, NOW, &d) != NT_OK ||
        nt_user_load(f->s, "admin", &f->admin, &d) != NT_OK)
        return -1;
    *state = f;
    return 0;
}

/* The same fixture on PostgreSQL: a database of its own made by init, the
 * key and the checkpoint log named by the environment as a deployment
 * names them. */
static int setup_pg(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct nt_diag d;
    char *target = f ? f->target : NULL, key[160];
    bool created;
    int from;
    snprintf(f->dir, sizeof(f->dir), "/tmp/nt_test_review_XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/none.db", f->dir);
    snprintf(f->log, sizeof(f->log), "%s/checkpoints", f->dir);
    snprintf(key, sizeof(key), "%s/audit-key", f->dir);
    setenv("NETRA_AUDIT_KEY", key, 1);
    setenv("NETRA_AUDIT_CHECKPOINTS", f->log, 1);
    snprintf(f->pg_name, sizeof(f->pg_name), "netra_review_fx_%ld", (long)getpid());
    if (pg_fresh_db(pg_base, f->pg_name, target, sizeof(f->target)) != 0 ||
        nt_store_init_postgres(target, &created, &from, &d) != NT_OK ||
        nt_store_open(target, NT_STORE_POSTGRES, &f->s, &d) != NT_OK) {
        fprintf(stderr, "%s\n", d.msg);
        return -1;
    }
    if (nt_user_add(f->s, NULL, "admin", NT_ROLE_ADMIN, NULL, 0, NULL, NOW, &d) != NT_OK ||
        nt_user_load(f->s, "admin", &f->admin, &d) != NT_OK) {
        fprintf(stderr, "%s\n", d.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown_pg(void **state)
{
    struct fx *f = *state;
    struct nt_db *base;
    struct nt_diag d;
    char sql[128], p[200];
    nt_user_release(&f->admin);
    nt_store_close(f->s);
    if (nt_db_open(pg_base, &base, &d) == NT_OK) {
        snprintf(sql, sizeof(sql), "DROP DATABASE %s", f->pg_name);
        nt_db_exec(base, sql, &d);
        nt_db_close(base);
    }
    const char *names[] = { "audit-key", "audit-key.pub", "checkpoints" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s/%s", f->dir, names[i]);
        unlink(p);
    }
    rmdir(f->dir);
    unsetenv("NETRA_AUDIT_KEY");
    unsetenv("NETRA_AUDIT_CHECKPOINTS");
    free(f);
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char p[160];
    nt_user_release(&f->admin);
    nt_store_close(f->s);
    const char *suffix[] = { "",           "-wal",           "-shm",
                             ".audit-key", ".audit-key.pub", ".audit-checkpoints" };
    for (size_t i = 0; i < 6; i++) {
        snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static void exec(struct nt_store *s, const char *sql)
{
    struct nt_diag d;
    if (nt_db_exec(nt_store_dbh(s), sql, &d) != NT_OK)
        fail_msg("%s", d.msg);
}

/* The one number `sql` answers, on either engine. */
static int64_t one(struct nt_store *s, const char *sql)
{
    struct nt_db_stmt *st;
    struct nt_diag d;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s), sql, &st, &d);
    int64_t v = -1;
    if (!err && nt_db_next(st, &err, &d))
        v = nt_db_int64(st, 0);
    if (err)
        fail_msg("%s", d.msg);
    nt_db_finalize(st);
    return v;
}

static void append(struct nt_store *s, const char *action, int i)
{
    struct nt_diag d;
    char id[16];
    snprintf(id, sizeof(id), "%d", i);
    assert_int_equal(nt_store_begin(s, &d), NT_OK);
    assert_int_equal(nt_audit_append(s, "uji", action, "item", id, NULL, json_pack("{s:i}", "n", i),
                                     NOW + i, &d),
                     NT_OK);
    assert_int_equal(nt_store_commit(s, &d), NT_OK);
}

static void test_audit_chain(void **state)
{
    struct fx *f = *state;
    struct nt_audit_check chk;
    struct nt_diag d;
    for (int i = 0; i < 5; i++)
        append(f->s, "item.claim", i);
    assert_int_equal(nt_audit_verify(f->s, &chk, &d), NT_OK);
    assert_int_equal(chk.broken_at, 0);
    assert_int_equal(chk.rows, 6); /* the first admin's user.add, then five */

    /* Each row carries the previous row's hash. */
    assert_int_equal(one(f->s, "SELECT count(*) FROM audit_log a JOIN audit_log b "
                               "ON b.id = a.id + 1 WHERE b.prev_hash = a.hash"),
                     5);

    /* Altering a row is found at that row. */
    exec(f->s, "UPDATE audit_log SET after = '{\"n\":9}' WHERE id = 3");
    assert_int_equal(nt_audit_verify(f->s, &chk, &d), NT_OK);
    assert_int_equal(chk.broken_at, 3);
    assert_non_null(strstr(chk.problem, "#3 telah diubah"));
}

/* SQLite's progress handler interrupts a statement after `budget` steps of
 * its VM, once: a read that fails part way, as a busy or I/O error would. */
static int budget;
static int interrupt_after(void *arg)
{
    (void)arg;
    return --budget == 0; /* once: later statements run */
}

/* The failed-step tests' trail: 20 claims after the admin's row. */
static void twenty_claims(struct nt_store *s)
{
    for (int i = 0; i < 20; i++)
        append(s, "item.claim", i);
}

/* The trail verified, whole and unbroken, of `rows` rows. */
static void trail_intact(struct nt_store *s, int64_t rows)
{
    struct nt_audit_check chk;
    struct nt_diag d;
    assert_int_equal(nt_audit_verify(s, &chk, &d), NT_OK);
    assert_false(chk.broken);
    assert_int_equal(chk.rows, rows);
}

static void test_failed_step_is_an_error(void **state)
{
    struct fx *f = *state;
    struct nt_audit_check chk;
    struct nt_diag d;
    json_t *out = NULL;
    struct nt_audit_filter all = { 0 };
    twenty_claims(f->s);
    sqlite3_progress_handler(nt_store_db(f->s), 1, interrupt_after, NULL);
    /* Interrupted at several depths: never a short answer or "tampered". */
    for (int at = 40; at < 400; at += 60) {
        budget = at;
        nt_diag_clear(&d);
        assert_int_not_equal(nt_audit_verify(f->s, &chk, &d), NT_OK);
        assert_true(d.msg[0] != '\0');
        assert_false(chk.broken); /* an error, never read as tampering */
        budget = at;
        assert_int_not_equal(nt_audit_list(f->s, &f->admin, &all, &out, &d), NT_OK);
        assert_null(out);
        budget = 1; /* no accounts here: the first step fails */
        assert_int_not_equal(nt_coverage(f->s, &f->admin, NULL, &out, &d), NT_OK);
        assert_null(out);
    }
    sqlite3_progress_handler(nt_store_db(f->s), 0, NULL, NULL);
    trail_intact(f->s, 21);
}

/* The same on PostgreSQL, where a step fails as a deployment sees it
 * fail: a table another session holds locked past the lock timeout. */
static void test_failed_step_is_an_error_pg(void **state)
{
    struct fx *f = *state;
    struct nt_audit_check chk;
    struct nt_diag d;
    json_t *out = NULL;
    struct nt_audit_filter all = { 0 };
    twenty_claims(f->s);
    struct nt_db *other;
    assert_int_equal(nt_db_open(f->target, &other, &d), NT_OK);
    assert_int_equal(nt_db_begin(other, true, &d), NT_OK);
    if (nt_db_exec(other, "LOCK TABLE audit_log, accounts IN ACCESS EXCLUSIVE MODE", &d) ||
        nt_db_exec(nt_store_dbh(f->s), "SET lock_timeout = '100ms'", &d))
        fail_msg("%s", d.msg);
    nt_diag_clear(&d);
    assert_int_not_equal(nt_audit_verify(f->s, &chk, &d), NT_OK);
    assert_true(d.msg[0] != '\0');
    assert_false(chk.broken); /* an error, never read as tampering */
    nt_diag_clear(&d);
    assert_int_not_equal(nt_audit_list(f->s, &f->admin, &all, &out, &d), NT_OK);
    assert_true(d.msg[0] != '\0');
    assert_null(out);
    assert_int_not_equal(nt_coverage(f->s, &f->admin, NULL, &out, &d), NT_OK);
    assert_null(out);
    nt_db_rollback(other);
    nt_db_close(other);
    assert_int_equal(nt_db_exec(nt_store_dbh(f->s), "RESET lock_timeout", &d), NT_OK);
    trail_intact(f->s, 21);
}

/* A reader of the statistics by lexicon entry while hits are counted
 * in: every answer counts at least the hits committed before it asked. */
struct stats_reader {
    const char *target;
    unsigned flags;
    const struct nt_user *admin;
    int requests, stale;
    char error[256];
};

static int64_t hits_now(struct nt_store *s)
{
    struct nt_db_stmt *st;
    struct nt_diag d;
    int64_t n = -1;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    "SELECT n FROM entry_counts WHERE entry_id = 'uji'", &st, &d);
    if (!err && nt_db_next(st, &err, &d))
        n = nt_db_int64(st, 0);
    nt_db_finalize(st);
    return n;
}

static void *read_stats(void *arg)
{
    struct stats_reader *r = arg;
    struct nt_store *s;
    struct nt_diag d;
    const char *by[] = { "entry" };
    if (nt_store_open(r->target, r->flags, &s, &d) != NT_OK) {
        snprintf(r->error, sizeof(r->error), "%s", d.msg);
        return NULL;
    }
    for (int i = 0; i < 40 && !r->error[0]; i++) {
        int64_t before = hits_now(s);
        json_t *t = NULL;
        if (nt_stats(s, NULL, r->admin, by, 1, NULL, NULL, NOW, &t, &d) != NT_OK) {
            snprintf(r->error, sizeof(r->error), "%s", d.msg);
            break;
        }
        json_t *row = json_array_get(json_object_get(t, "rows"), 0);
        if (!json_is_integer(json_array_get(row, 1)))
            snprintf(r->error, sizeof(r->error), "hits not an integer");
        else if (json_integer_value(json_array_get(row, 1)) < before)
            r->stale++;
        r->requests++;
        json_decref(t);
    }
    nt_store_close(s);
    return NULL;
}

/* Four readers ask for the same table while a writer counts hits in:
 * counts are shared between the requests that wait for one (nt_stats),
 * but an answer never misses what was committed before its request. */
static void test_stats_shared_counts(void **state)
{
    struct fx *f = *state;
    struct nt_diag d;
    bool pg = nt_store_is_postgres(f->s);
    struct nt_db_stmt *st;
    if (nt_db_prepare(nt_store_dbh(f->s),
                      "INSERT INTO lexicon_versions(id, label, body, sha256, author, created_at, "
                      "active) VALUES (1, 'uji', ?1, 'x', 'admin', '2026-01-01', 1)",
                      &st, &d) != NT_OK)
        fail_msg("%s", d.msg);
    nt_db_bind_blob(st, 1, "{}", 2);
    assert_int_equal(nt_db_run(st, &d), NT_OK);
    nt_db_finalize(st);
    exec(f->s, "INSERT INTO entry_counts(lexicon_id, entry_id, agency, day, n) VALUES (1, 'uji', "
               "'Instansi A', '2024-01-01', 1)");
    struct stats_reader r[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        r[i] = (struct stats_reader){
            pg ? f->target : f->path, pg ? NT_STORE_POSTGRES : 0, &f->admin, 0, 0, ""
        };
        assert_int_equal(pthread_create(&t[i], NULL, read_stats, &r[i]), 0);
    }
    /* Hits come with their score rows, whose triggers move SQLite's
     * change counter in the same transaction. */
    for (int i = 0; i < 300; i++) {
        exec(f->s, pg ? "UPDATE entry_counts SET n = n + 1 WHERE entry_id = 'uji'"
                      : "BEGIN; UPDATE entry_counts SET n = n + 1 WHERE entry_id = 'uji'; "
                        "UPDATE stats_generation SET n = n + 1; COMMIT");
        usleep(500);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        if (r[i].error[0])
            fail_msg("reader %d: %s", i, r[i].error);
        assert_int_equal(r[i].requests, 40);
        assert_int_equal(r[i].stale, 0);
    }
    /* And the last answer is the whole count. */
    const char *by[] = { "entry" };
    json_t *last = NULL;
    assert_int_equal(nt_stats(f->s, NULL, &f->admin, by, 1, NULL, NULL, NOW, &last, &d), NT_OK);
    assert_int_equal(
        json_integer_value(json_array_get(json_array_get(json_object_get(last, "rows"), 0), 1)),
        hits_now(f->s));
    json_decref(last);
}

static long lines_of(const char *path)
{
    FILE *f = fopen(path, "r");
    long n = 0;
    int ch;
    if (!f)
        return -1;
    while ((ch = fgetc(f)) != EOF)
        n += ch == '\n';
    fclose(f);
    return n;
}

/* A checkpoint is written once its transaction commits, never for one
 * rolled back; the log then holds the rows to their signed hashes. */
static void test_checkpoints_follow_commits(void **state)
{
    struct fx *f = *state;
    struct nt_audit_check chk;
    struct nt_diag d;
    const char *log = f->log;
    long before = lines_of(log);
    assert_true(before >= 1); /* the first admin's user.add */
    assert_int_equal(nt_store_begin(f->s, &d), NT_OK);
    assert_int_equal(nt_audit_append(f->s, "uji", "item.claim", "item", "1", NULL, NULL, NOW, &d),
                     NT_OK);
    assert_int_equal(nt_audit_append(f->s, "uji", "item.claim", "item", "2", NULL, NULL, NOW, &d),
                     NT_OK);
    assert_int_equal(lines_of(log), before); /* not before the commit */
    nt_store_rollback(f->s);
    assert_int_equal(lines_of(log), before);
    append(f->s, "item.claim", 3);
    assert_int_equal(lines_of(log), before + 1);
    assert_int_equal(nt_audit_verify(f->s, &chk, &d), NT_OK);
    assert_false(chk.broken);
    assert_int_equal(chk.checkpoints, before + 1);
    /* The database rolled back by hand under the log: the row is missing. */
    exec(f->s, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)");
    exec(f->s, "UPDATE settings SET value = 'x' WHERE key = 'audit_head'");
    assert_int_equal(nt_audit_verify(f->s, &chk, &d), NT_OK);
    assert_true(chk.broken);
}

static void test_audit_removed_rows(void **state)
{
    struct fx *f = *state;
    struct nt_audit_check chk;
    struct nt_diag d;
    for (int i = 0; i < 4; i++)
        append(f->s, "item.decide", i);
    exec(f->s, "DELETE FROM audit_log WHERE id = 3"); /* rows 1..5: one from the middle */
    assert_int_equal(nt_audit_verify(f->s, &chk, &d), NT_OK);
    /* The first row that no longer follows its predecessor is #4. */
    assert_int_equal(chk.broken_at, 4);
    assert_non_null(strstr(chk.problem, "#3 sampai #3 hilang"));
}

static void test_audit_removed_head(void **state)
{
    struct fx *f = *state;
    struct nt_audit_check chk;
    struct nt_diag d;
    for (int i = 0; i < 3; i++)
        append(f->s, "case.advance", i);
    /* Dropping the newest rows leaves a consistent chain; the head kept in
     * settings still tells. */
    exec(f->s, "DELETE FROM audit_log WHERE id >= 3");
    assert_int_equal(nt_audit_verify(f->s, &chk, &d), NT_OK);
    assert_int_not_equal(chk.broken_at, 0);
    assert_non_null(strstr(chk.problem, "ujung rantai"));
}

static void test_users_and_roles(void **state)
{
    struct fx *f = *state;
    struct nt_diag d;
    struct nt_user r = { 0 };
    const char *ag[] = { "Instansi A" };
    /* Only admins add users; reviewers need an agency. */
    assert_int_equal(nt_user_add(f->s, NULL, "x", NT_ROLE_ADMIN, NULL, 0, NULL, NOW, &d), NT_EPERM);
    assert_int_equal(nt_user_add(f->s, &f->admin, "rina", NT_ROLE_REVIEWER, NULL, 0, NULL, NOW, &d),
                     NT_EINPUT);
    assert_int_equal(
        nt_user_add(f->s, &f->admin, "rina", NT_ROLE_REVIEWER, ag, 1, "rahasia-123", NOW, &d),
        NT_OK);
    assert_int_equal(nt_user_add(f->s, &f->admin, "rina", NT_ROLE_REVIEWER, ag, 1, NULL, NOW, &d),
                     NT_EEXISTS);
    assert_int_equal(nt_user_load(f->s, "rina", &r, &d), NT_OK);
    assert_true(nt_user_sees(&r, "Instansi A"));
    assert_false(nt_user_sees(&r, "Instansi B"));
    assert_true(nt_user_sees(&f->admin, "Instansi B"));
    assert_int_equal(nt_user_require(&r, NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN, "uji", &d), NT_EPERM);
    assert_int_equal(nt_user_check_password(f->s, "rina", "rahasia-123", &d), NT_OK);
    assert_int_equal(nt_user_check_password(f->s, "rina", "salah", &d), NT_EPERM);
    assert_int_equal(nt_user_add(f->s, &r, "eko", NT_ROLE_REVIEWER, ag, 1, NULL, NOW, &d),
                     NT_EPERM);
    nt_user_release(&r);
    assert_int_equal(nt_user_deactivate(f->s, &f->admin, "rina", NOW, &d), NT_OK);
    assert_int_equal(nt_user_load(f->s, "rina", &r, &d), NT_EPERM);
    nt_user_release(&r);
}

static void test_config_and_periods(void **state)
{
    struct fx *f = *state;
    struct nt_diag d;
    struct nt_review_config c;
    char el[64], per[16];
    assert_int_equal(nt_review_config_load(f->s, &c, &d), NT_OK);
    assert_false(c.four_eyes);
    assert_int_equal(c.claim_minutes, 30);
    nt_review_period(&c, "2023-10-01T08:00:00Z", el, sizeof(el), per, sizeof(per));
    assert_string_equal(el, "pemilu-2024");
    assert_string_equal(per, "sebelum");
    nt_review_period(&c, "2024-02-10", el, sizeof(el), per, sizeof(per));
    assert_string_equal(per, "kampanye");
    nt_review_period(&c, "2024-05-14", el, sizeof(el), per, sizeof(per));
    assert_string_equal(el, "pemilu-2024"); /* within 90 days of polling day */
    assert_string_equal(per, "sesudah");
    nt_review_period(&c, "2024-05-15", el, sizeof(el), per, sizeof(per));
    assert_string_equal(el, "pilkada-2024");
    assert_string_equal(per, "sebelum");
    nt_review_period(&c, "2025-06-01", el, sizeof(el), per, sizeof(per));
    assert_string_equal(el, "pilkada-2024"); /* after the last one: the last one */
    nt_review_config_release(&c);

    assert_int_equal(nt_review_config_set(f->s, &f->admin, "four_eyes", "ya", NOW, &d), NT_OK);
    assert_int_equal(nt_review_config_set(f->s, &f->admin, "four_eyes", "mungkin", NOW, &d),
                     NT_EINPUT);
    assert_int_equal(nt_review_config_set(f->s, &f->admin, "claim_minutes", "0", NOW, &d),
                     NT_EINPUT);
    assert_int_equal(
        nt_review_config_set(f->s, &f->admin, "elections",
                             "[{\"id\":\"x\",\"name\":\"X\",\"campaign_start\":\"2025-02-01\","
                             "\"campaign_end\":\"2025-01-01\",\"election_day\":\"2025-03-01\"}]",
                             NOW, &d),
        NT_EINPUT);
    assert_non_null(strstr(d.msg, "urutan tanggal"));
    assert_int_equal(nt_review_config_load(f->s, &c, &d), NT_OK);
    assert_true(c.four_eyes);
    nt_review_config_release(&c);
}

static void test_csv_and_html(void **state)
{
    (void)state;
    struct nt_buf b;
    json_t *cols = json_pack("[s, s]", "nama", "jumlah");
    json_t *rows =
        json_pack("[[s, i], [s, f], [s, i]]", "=HYPERLINK(\"x\")", 3, "a,b", 1.5, "biasa", 7);
    nt_buf_init(&b, 1 << 20);
    assert_int_equal(nt_grid_csv(cols, rows, &b), NT_OK);
    assert_string_equal(nt_buf_str(&b), "nama,jumlah\n\"'=HYPERLINK(\"\"x\"\")\",3\n"
                                        "\"a,b\",1.5\nbiasa,7\n");
    nt_buf_release(&b);
    json_decref(cols);
    json_decref(rows);

    nt_buf_init(&b, 1 << 20);
    assert_int_equal(nt_buf_append_html(&b, "<img src=x onerror='a'>&\"b\""), NT_OK);
    assert_string_equal(nt_buf_str(&b), "&lt;img src=x onerror=&#39;a&#39;&gt;&amp;&quot;b&quot;");
    nt_buf_release(&b);
}

/* The catalogue: every code a page shows has words; unknown codes have
 * none (the page then shows the code); the zone follows the province. */
static void test_labels_and_zones(void **state)
{
    (void)state;
    assert_string_equal(nt_label("level", "priority"), "prioritas");
    assert_string_equal(nt_label("status", "dismissed"), "ditolak");
    assert_string_equal(nt_label("role", "reviewer"), "peninjau");
    assert_string_equal(nt_label("kind", "call_to_action"),
                        nt_lex_kind_label(NT_LEX_CALL_TO_ACTION));
    assert_non_null(nt_label("category", "MEDSOS"));
    assert_non_null(nt_label("action", "item.decide"));
    assert_null(nt_label("status", "tidak-ada"));
    assert_null(nt_label("tidak-ada", "pending"));
    json_t *all = nt_labels_json();
    assert_non_null(all);
    static const char *const groups[] = { "level", "status",   "decision",    "reason",
                                          "role",  "platform", "crawl_state", "action",
                                          "kind",  "category" };
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
        assert_true(json_object_size(json_object_get(all, groups[i])) > 0);
    /* Every dismissal reason the queue accepts has words. */
    static const char *const reasons[] = { "berita", "netral", "bukan_akun", "candaan", "lainnya" };
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        assert_non_null(json_object_get(json_object_get(all, "reason"), reasons[i]));
    /* Only the provinces outside WIB are listed: Bali WITA, Papua WIT. */
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(json_object_get(all, "zone"), "51"), 0)),
        "WITA");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(json_object_get(all, "zone"), "94"), 0)),
        "WIT");
    assert_null(json_object_get(json_object_get(all, "zone"), "31"));
    json_decref(all);
    int off;
    assert_string_equal(nt_local_zone("3171", &off), "WIB"); /* DKI Jakarta */
    assert_int_equal(off, 7);
    assert_string_equal(nt_local_zone("7604", &off), "WITA"); /* Sulawesi Barat */
    assert_int_equal(off, 8);
    assert_string_equal(nt_local_zone("5171", NULL), "WITA"); /* Bali */
    assert_string_equal(nt_local_zone("6101", NULL), "WIB");  /* Kalimantan Barat */
    assert_string_equal(nt_local_zone("6471", NULL), "WITA"); /* Kalimantan Timur */
    assert_string_equal(nt_local_zone("9471", &off), "WIT");  /* Papua */
    assert_int_equal(off, 9);
    assert_string_equal(nt_local_zone(NULL, NULL), "WIB");
    assert_string_equal(nt_local_zone("x", NULL), "WIB");
}

/* ---- web sessions and the login throttle in the database ----
 * The same checks on two connections to one SQLite file and on two
 * connections to the tests' PostgreSQL server (the schema made there by
 * migrate-store from an empty store): two servers sharing a database. */

static int64_t count_of(struct nt_db *db, const char *sql, const char *arg)
{
    struct nt_db_stmt *st;
    struct nt_diag d;
    enum nt_err err;
    if (nt_db_prepare(db, sql, &st, &d) != NT_OK)
        fail_msg("%s", d.msg);
    if (arg)
        nt_db_bind_text(st, 1, arg);
    assert_true(nt_db_next(st, &err, &d));
    int64_t n = nt_db_int64(st, 0);
    nt_db_finalize(st);
    return n;
}

static void sessions_on(struct nt_db *a, struct nt_db *b)
{
    struct nt_diag d;
    char token[65], csrf[65], user[64], c2[65], t2[65];
    assert_int_equal(nt_session_new(a, "admin", NOW, 3600, token, csrf, &d), NT_OK);
    assert_int_equal(strlen(token), 64);
    assert_string_not_equal(token, csrf);
    /* Found by its token from the other connection (another server). */
    assert_int_equal(nt_session_find(b, token, NOW + 10, 3600, user, c2, &d), NT_OK);
    assert_string_equal(user, "admin");
    assert_string_equal(c2, csrf);
    /* Only the token's hash is stored. */
    assert_int_equal(count_of(a,
                              "SELECT count(*) FROM web_sessions WHERE token_sha256 = ?1 OR "
                              "csrf = ?1",
                              token),
                     0);
    /* Wrong, short and idle tokens are not sessions. */
    char wrong[65];
    memcpy(wrong, token, 65);
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    assert_int_equal(nt_session_find(b, wrong, NOW, 3600, user, c2, &d), NT_ENOTFOUND);
    assert_int_equal(nt_session_find(b, "abc", NOW, 3600, user, c2, &d), NT_ENOTFOUND);
    /* Seen at +3000 s (written: more than a minute since), alive at +6000. */
    assert_int_equal(nt_session_find(b, token, NOW + 3000, 3600, user, c2, &d), NT_OK);
    assert_int_equal(nt_session_find(a, token, NOW + 6000, 3600, user, c2, &d), NT_OK);
    assert_int_equal(nt_session_find(a, token, NOW + 9700, 3600, user, c2, &d), NT_ENOTFOUND);
    assert_int_equal(nt_session_find(a, token, NOW + 6000, 3600, user, c2, &d), NT_ENOTFOUND);
    /* Logout ends one; a user's removal ends all of theirs. */
    assert_int_equal(nt_session_new(a, "admin", NOW, 3600, token, csrf, &d), NT_OK);
    assert_int_equal(nt_session_new(a, "admin", NOW, 3600, t2, c2, &d), NT_OK);
    assert_int_equal(nt_session_end(b, token, &d), NT_OK);
    assert_int_equal(nt_session_find(a, token, NOW, 3600, user, c2, &d), NT_ENOTFOUND);
    assert_int_equal(nt_session_find(a, t2, NOW, 3600, user, c2, &d), NT_OK);
    assert_int_equal(nt_session_end_user(a, "admin", &d), NT_OK);
    assert_int_equal(nt_session_find(a, t2, NOW, 3600, user, c2, &d), NT_ENOTFOUND);
}

static bool allowed(struct nt_db *db, const char *user, const char *addr, time_t now)
{
    struct nt_diag d;
    bool ok = false;
    if (nt_login_allowed(db, user, addr, now, &ok, &d) != NT_OK)
        fail_msg("%s", d.msg);
    return ok;
}

static void failed(struct nt_db *db, const char *user, const char *addr, time_t now)
{
    struct nt_diag d;
    if (nt_login_result(db, user, addr, false, now, &d) != NT_OK)
        fail_msg("%s", d.msg);
}

static void fail_n(struct nt_db *db, const char *user, const char *addr, int n, time_t now)
{
    for (int i = 0; i < n; i++) {
        assert_true(allowed(db, user, addr, now));
        failed(db, user, addr, now);
    }
}

static void throttle_on(struct nt_db *a, struct nt_db *b)
{
    struct nt_diag d;
    /* A name locked after its failures, from every address and on every
     * server; other names are not. */
    fail_n(a, "budi", "10.0.0.1", NT_LOGIN_MAX_FAILS - 1, NOW);
    assert_true(allowed(b, "budi", "10.0.0.1", NOW));
    failed(b, "budi", "10.0.0.1", NOW);
    assert_false(allowed(a, "budi", "10.0.0.1", NOW + 1));
    assert_false(allowed(b, "budi", "10.0.0.9", NOW + 1));
    assert_true(allowed(a, "sari", "10.0.0.1", NOW + 1));
    /* The lock runs out, and the count starts over. */
    time_t later = NOW + NT_LOGIN_LOCK_SECONDS + 1;
    assert_true(allowed(a, "budi", "10.0.0.1", later));
    failed(a, "budi", "10.0.0.1", later);
    assert_true(allowed(a, "budi", "10.0.0.1", later));
    /* A success clears the name's count. */
    fail_n(a, "eko", "10.0.0.2", NT_LOGIN_MAX_FAILS - 1, NOW);
    assert_int_equal(nt_login_result(a, "eko", "10.0.0.2", true, NOW, &d), NT_OK);
    fail_n(a, "eko", "10.0.0.2", NT_LOGIN_MAX_FAILS - 1, NOW);
    assert_true(allowed(a, "eko", "10.0.0.2", NOW));
    /* An address guessing many names is locked; others are not. */
    char name[32];
    for (int i = 0; i < NT_LOGIN_MAX_FAILS_IP; i++) {
        snprintf(name, sizeof(name), "tebak%d", i);
        fail_n(b, name, "203.0.113.5", 1, NOW);
    }
    assert_false(allowed(a, "budi2", "203.0.113.5", NOW + 1));
    assert_true(allowed(a, "budi2", "203.0.113.6", NOW + 1));
    /* Failures older than the lock are forgotten as new ones come. */
    failed(a, "baru", "10.9.9.9", NOW + 3 * NT_LOGIN_LOCK_SECONDS);
    assert_int_equal(count_of(a, "SELECT count(*) FROM login_failures", NULL), 2);
}

static void test_sessions(void **state)
{
    struct fx *f = *state;
    struct nt_diag d;
    struct nt_store *other;
    assert_int_equal(nt_store_open(f->path, 0, &other, &d), NT_OK);
    sessions_on(nt_store_dbh(f->s), nt_store_dbh(other));
    nt_store_close(other);
}

static void test_login_throttle(void **state)
{
    struct fx *f = *state;
    struct nt_diag d;
    struct nt_store *other;
    assert_int_equal(nt_store_open(f->path, 0, &other, &d), NT_OK);
    throttle_on(nt_store_dbh(f->s), nt_store_dbh(other));
    nt_store_close(other);
}

/* PostgreSQL: a database of its own on the tests' server, the schema made
 * by migrate-store from this fixture's (empty) store. */

static void on_postgres(struct fx *f, void (*check)(struct nt_db *, struct nt_db *))
{
    struct nt_diag d;
    struct nt_db *base, *a, *b;
    char name[64], sql[160], target[600];
    json_t *report;
    snprintf(name, sizeof(name), "netra_review_%ld", (long)getpid());
    assert_int_equal(pg_fresh_db(pg_base, name, target, sizeof(target)), 0);
    if (nt_db_open(pg_base, &base, &d) != NT_OK)
        fail_msg("%s", d.msg);
    if (nt_store_migrate_to(f->path, target, 0, NULL, NULL, &report, &d) != NT_OK)
        fail_msg("%s", d.msg);
    json_decref(report);
    if (nt_db_open(target, &a, &d) != NT_OK || nt_db_open(target, &b, &d) != NT_OK)
        fail_msg("%s", d.msg);
    check(a, b);
    nt_db_close(a);
    nt_db_close(b);
    snprintf(sql, sizeof(sql), "DROP DATABASE %s", name);
    assert_int_equal(nt_db_exec(base, sql, &d), NT_OK);
    nt_db_close(base);
}

static void test_sessions_pg(void **state)
{
    on_postgres(*state, sessions_on);
}

static void test_login_throttle_pg(void **state)
{
    on_postgres(*state, throttle_on);
}

/* Writers on two connections append at once (two web servers): the rows
 * still form one chain, without gaps, that verifies. */
struct appender {
    const char *target;
    int from;
    enum nt_err err;
};

static void *append_many(void *arg)
{
    struct appender *a = arg;
    struct nt_store *s;
    struct nt_diag d;
    a->err = nt_store_open(a->target, NT_STORE_POSTGRES, &s, &d);
    for (int i = 0; !a->err && i < 40; i++) {
        char id[16];
        snprintf(id, sizeof(id), "%d", a->from + i);
        a->err = nt_store_begin(s, &d);
        if (!a->err)
            a->err = nt_audit_append(s, "uji", "item.claim", "item", id, NULL, NULL, NOW + i, &d);
        if (!a->err)
            a->err = nt_store_commit(s, &d);
        nt_store_rollback(s);
    }
    if (s)
        nt_store_close(s);
    return NULL;
}

static void test_audit_concurrent_pg(void **state)
{
    struct fx *f = *state;
    struct nt_audit_check chk;
    struct nt_diag d;
    struct appender a[3] = { { f->target, 1000, NT_OK },
                             { f->target, 2000, NT_OK },
                             { f->target, 3000, NT_OK } };
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, append_many, &a[i]), 0);
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].err, NT_OK);
    }
    assert_int_equal(one(f->s, "SELECT count(*) FROM audit_log"), 121);
    assert_int_equal(one(f->s, "SELECT max(id) FROM audit_log"), 121);
    assert_int_equal(one(f->s, "SELECT count(*) FROM audit_log a JOIN audit_log b "
                               "ON b.id = a.id + 1 WHERE b.prev_hash = a.hash"),
                     120);
    assert_int_equal(nt_audit_verify(f->s, &chk, &d), NT_OK);
    assert_false(chk.broken);
    assert_int_equal(chk.rows, 121);
    assert_int_equal(lines_of(f->log), 121); /* a checkpoint per commit */
}

/* ---- statistics from the in-memory copy equal the full count ---- */

static unsigned lcg(unsigned *x)
{
    *x = *x * 1103515245u + 12345u;
    return *x >> 16;
}

/* Items with every kind of value: NULL dates, unknown employees, all the
 * statuses, dates on each side of both elections of the default calendar. */
static void add_items(struct nt_store *s, unsigned *seed, int from, int to)
{
    static const char *const statuses[] = { "pending", "awaiting_second", "confirmed", "dismissed",
                                            "escalated" };
    static const char *const cats[] = { "MEDSOS", "ENGAGE", "APK", "KTP" };
    static const char *const plats[] = { "x", "mastodon", "bluesky", "rss" };
    struct nt_db_stmt *st;
    struct nt_diag d;
    if (nt_db_prepare(nt_store_dbh(s),
                      "INSERT INTO review_items(id, post_id, score_id, status, level, "
                      "priority, category, created_at, updated_at, employee_id, agency, "
                      "platform, posted_at, text) VALUES (?1, ?1, ?1, ?2, 'review', 1.0, ?3, "
                      "?4, ?4, ?5, (SELECT agency FROM employees WHERE id = ?5), ?6, ?7, ?8)",
                      &st, &d) != NT_OK)
        fail_msg("%s", d.msg);
    for (int i = from; i < to; i++) {
        char created[32], posted[32];
        unsigned r = lcg(seed);
        snprintf(created, sizeof(created), "2026-11-%02uT%02u:00:00Z", 1 + r % 20, r % 24);
        /* 2023-09 .. 2025-02: both sides of both elections */
        unsigned day = lcg(seed) % 540;
        struct nt_date base = { 2023, 9, 1 };
        time_t t = (time_t)((nt_date_days(base) + day) * 86400 + (lcg(seed) % 86400));
        nt_time_iso(t, posted, sizeof(posted));
        nt_db_bind_int64(st, 1, i);
        nt_db_bind_text(st, 2, statuses[lcg(seed) % 5]);
        if (lcg(seed) % 10)
            nt_db_bind_text(st, 3, cats[lcg(seed) % 4]);
        else
            nt_db_bind_null(st, 3);
        nt_db_bind_text(st, 4, created);
        if (lcg(seed) % 15)
            nt_db_bind_int64(st, 5, 1 + (int)(lcg(seed) % 30));
        else
            nt_db_bind_null(st, 5);
        nt_db_bind_text(st, 6, plats[lcg(seed) % 4]);
        if (lcg(seed) % 12)
            nt_db_bind_text(st, 7, posted);
        else
            nt_db_bind_null(st, 7);
        /* What the searches look for: words in either case, LIKE's own
         * characters, a letter beyond ASCII (LIKE folds ASCII only). */
        static const char *const texts[] = { "Ayo COBLOS nomor 2 besok", "ayo coblos paslon 1",
                                             "Berita pemilu hari ini",   "Diskon 50% untuk_semua",
                                             "ÜBER alles, coblos",       NULL };
        nt_db_bind_text(st, 8, texts[i % 6]);
        if (nt_db_run(st, &d) != NT_OK)
            fail_msg("%s", d.msg);
        nt_db_reset(st);
    }
    nt_db_finalize(st);
}

static json_t *table(struct nt_store *s, struct nt_stats_facts *facts, const struct nt_user *u,
                     const char *by, const char *from, const char *to)
{
    char b[64], *keys[2];
    size_t nk = 0;
    struct nt_diag d;
    json_t *t = NULL;
    snprintf(b, sizeof(b), "%s", by);
    for (char *p = b, *k; (k = strsep(&p, ",")) && nk < 2;)
        keys[nk++] = k;
    if (nt_stats(s, facts, u, (const char *const *)keys, nk, from, to, NOW, &t, &d) != NT_OK)
        fail_msg("stats --by %s: %s", by, d.msg);
    json_object_del(t, "computed_at");
    return t;
}

static void same_tables(struct nt_store *s, struct nt_stats_facts *facts,
                        const struct nt_user *const *users, size_t nusers)
{
    static const char *const combos[] = {
        "agency",
        "unit",
        "position",
        "category",
        "period",
        "age",
        "sex",
        "platform",
        "region",
        "month",
        "week",
        "agency,category",
        "unit,position",
        "category,period",
        "age,sex",
        "platform,region",
        "month,category",
        "week,agency",
        "position,age",
        "period,age",
    };
    static const char *const ranges[][2] = {
        { NULL, NULL },         { "2023-11-01", "2024-06-30" }, { "2024-02-14", "2024-02-14" },
        { "2024-12-01", NULL }, { NULL, "2023-10-15" },
    };
    for (size_t u = 0; u < nusers; u++)
        for (size_t c = 0; c < sizeof(combos) / sizeof(combos[0]); c++)
            for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
                json_t *full = table(s, NULL, users[u], combos[c], ranges[r][0], ranges[r][1]);
                json_t *mem = table(s, facts, users[u], combos[c], ranges[r][0], ranges[r][1]);
                if (!json_equal(full, mem)) {
                    char *a = json_dumps(full, JSON_COMPACT), *b = json_dumps(mem, JSON_COMPACT);
                    fail_msg("--by %s %s..%s as %s:\nfull   %s\nmemory %s", combos[c],
                             ranges[r][0] ? ranges[r][0] : "", ranges[r][1] ? ranges[r][1] : "",
                             users[u]->name, a, b);
                }
                assert_true(json_array_size(json_object_get(full, "rows")) > 0 ||
                            ranges[r][1] != NULL);
                json_decref(full);
                json_decref(mem);
            }
}

/* The queue's filter bar counted from the copy equals the pass over the
 * matching rows (queue.c's queue_facets), for each filter and user. */
static void same_facets(struct nt_store *s, struct nt_stats_facts *facts,
                        const struct nt_user *const *users, size_t nusers)
{
    static const struct nt_queue_filter filters[] = {
        { .limit = 1 },
        { .status = "pending" },
        { .status = "awaiting_second" },
        { .status = "confirmed" },
        { .status = "dismissed" },
        { .status = "escalated" },
        { .level = "priority" },
        { .level = "review", .status = "confirmed" },
        { .category = "KTP" },
        { .category = "APK", .status = "dismissed", .level = "review" },
        { .platform = "x", .from = "2023-11-01", .to = "2024-06-30" },
        { .platform = "mastodon", .status = "pending" },
        { .agency = "Instansi A", .status = "dismissed" },
        { .agency = "Instansi B", .category = "MEDSOS", .platform = "bluesky" },
        { .from = "2024-02-14", .to = "2024-02-14" },
        { .to = "2023-10-15", .status = "escalated" },
        { .from = "2024-12-01" },
        { .category = "PARPOL" }, /* a category no item has */
        /* Searches read by LIKE (a common word's way): counted from the
         * copy's texts; the names' matches from the names index. */
        { .search = "coblos", .search_way = NT_SEARCH_SCAN },
        { .search = "CoBlOs", .status = "pending", .search_way = NT_SEARCH_SCAN },
        { .search = "Pegawai 1", .search_way = NT_SEARCH_SCAN },
        { .search = "50% untuk_", .search_way = NT_SEARCH_SCAN },
        { .search = "0%", .search_way = NT_SEARCH_SCAN }, /* two characters: names by LIKE */
        { .search = "über", .search_way = NT_SEARCH_SCAN },
        { .search = "ÜBER", .agency = "Instansi B", .search_way = NT_SEARCH_SCAN },
        { .search = "berita",
          .level = "review",
          .from = "2024-01-01",
          .search_way = NT_SEARCH_SCAN },
        { .search = "coblos" }, /* chosen by the count: few here, from the index */
    };
    for (size_t u = 0; u < nusers; u++)
        for (size_t k = 0; k < sizeof(filters) / sizeof(filters[0]); k++) {
            struct nt_queue_filter f = filters[k];
            struct nt_diag d;
            json_t *full = NULL, *mem = NULL;
            f.facets = true;
            f.limit = 1;
            if (nt_queue_list(s, NULL, users[u], &f, NOW, &full, &d) != NT_OK ||
                nt_queue_list(s, facts, users[u], &f, NOW, &mem, &d) != NT_OK)
                fail_msg("queue filter %zu as %s: %s", k, users[u]->name, d.msg);
            json_t *a = json_pack("{s:O, s:O}", "facets", json_object_get(full, "facets"), "total",
                                  json_object_get(full, "total")),
                   *b = json_pack("{s:O, s:O}", "facets", json_object_get(mem, "facets"), "total",
                                  json_object_get(mem, "total"));
            if (!json_equal(a, b)) {
                char *x = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS),
                     *y = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
                fail_msg("queue filter %zu as %s:\nrows   %s\nmemory %s", k, users[u]->name, x, y);
            }
            /* The page itself is the rows' either way. */
            assert_true(json_equal(json_object_get(full, "items"), json_object_get(mem, "items")));
            /* Without the filter bar the copy still gives the exact total
             * (SQL alone counts to its bound). */
            json_t *plain = NULL;
            f.facets = false;
            if (nt_queue_list(s, facts, users[u], &f, NOW, &plain, &d) != NT_OK)
                fail_msg("queue filter %zu as %s: %s", k, users[u]->name, d.msg);
            if (f.level || f.category || f.platform || f.from || f.to || f.search) {
                assert_true(
                    json_equal(json_object_get(plain, "total"), json_object_get(full, "total")));
                assert_true(json_is_false(json_object_get(plain, "total_more")));
            }
            assert_null(json_object_get(plain, "facets"));
            json_decref(plain);
            json_decref(a);
            json_decref(b);
            json_decref(full);
            json_decref(mem);
        }
}

static void test_stats_facts(void **state)
{
    struct fx *f = *state;
    struct nt_diag d;
    struct nt_user sup = { 0 };
    const char *ag[] = { "Instansi B" };
    unsigned seed = 7;
    bool pg = nt_store_is_postgres(f->s);
    /* Items of posts and scores that do not exist: what is counted is the
     * items' own columns. */
    if (pg)
        exec(f->s, "DO $$ DECLARE r record; BEGIN FOR r IN SELECT conname FROM pg_constraint "
                   "WHERE conrelid = 'review_items'::regclass AND contype = 'f' LOOP EXECUTE "
                   "'ALTER TABLE review_items DROP CONSTRAINT ' || quote_ident(r.conname); "
                   "END LOOP; END $$");
    else
        exec(f->s, "PRAGMA foreign_keys = OFF");
    struct nt_db_stmt *st;
    if (nt_db_prepare(nt_store_dbh(f->s),
                      "INSERT INTO employees(id, nip, name, agency, work_unit, position_type, "
                      "position, region_code, status, birth_date, service_start, sex, "
                      "created_at, updated_at) VALUES (?1, ?8, ?9, "
                      "?2, ?3, ?4, 'Staf', ?5, 'PNS', ?6, '2000-01-01', ?7, '2026-01-01', "
                      "'2026-01-01')",
                      &st, &d) != NT_OK)
        fail_msg("%s", d.msg);
    static const char *const agencies[] = { "Instansi A", "Instansi B", "Instansi C" };
    static const char *const positions[] = { "JPT", "Administrator", "Pengawas", "Fungsional",
                                             "Pelaksana" };
    static const char *const births[] = { "1995-06-15", "1985-02-14", "1975-12-31", "1962-03-01" };
    for (int i = 1; i <= 30; i++) {
        char unit[16], nip[24], name[24];
        snprintf(unit, sizeof(unit), "Unit %d", i % 4);
        snprintf(nip, sizeof(nip), "1970010120000110%02d", i);
        snprintf(name, sizeof(name), "Pegawai %d", i);
        nt_db_bind_int64(st, 1, i);
        nt_db_bind_text(st, 2, agencies[i % 3]);
        nt_db_bind_text(st, 3, unit);
        nt_db_bind_text(st, 4, positions[i % 5]);
        nt_db_bind_text(st, 5, i % 2 ? "76.04" : "31.71");
        nt_db_bind_text(st, 6, births[i % 4]);
        nt_db_bind_text(st, 7, i % 3 ? "L" : "P");
        nt_db_bind_text(st, 8, nip);
        nt_db_bind_text(st, 9, name);
        if (nt_db_run(st, &d) != NT_OK)
            fail_msg("%s", d.msg);
        nt_db_reset(st);
    }
    nt_db_finalize(st);
    add_items(f->s, &seed, 1, 700);
    assert_int_equal(nt_user_add(f->s, &f->admin, "sri", NT_ROLE_SUPERVISOR, ag, 1, NULL, NOW, &d),
                     NT_OK);
    assert_int_equal(nt_user_load(f->s, "sri", &sup, &d), NT_OK);
    const struct nt_user *users[] = { &f->admin, &sup };
    struct nt_stats_facts *facts;
    assert_int_equal(nt_stats_facts_new(&facts), NT_OK);
    same_tables(f->s, facts, users, 2);
    same_facets(f->s, facts, users, 2);
    /* Groups hashed (what a pair of keys with very many values takes). */
    nt_rv_facts_dense_max(facts, 0);
    same_tables(f->s, facts, users, 2);
    nt_rv_facts_dense_max(facts, (size_t)1 << 20);

    /* Decisions, moves, new items and deletions: only the changes are read. */
    exec(f->s, "UPDATE review_items SET status = 'confirmed' WHERE id % 7 = 0;"
               "UPDATE review_items SET status = 'dismissed' WHERE id % 11 = 0;"
               "UPDATE review_items SET employee_id = 3, agency = 'Instansi A' WHERE id % 13 = 0;"
               "UPDATE review_items SET posted_at = NULL WHERE id % 17 = 0;"
               "UPDATE employees SET work_unit = 'Unit 9', sex = 'P' WHERE id = 4;"
               "UPDATE review_items SET text = 'coblos lagi' WHERE id % 23 = 0;"
               "UPDATE review_items SET text = NULL WHERE id % 29 = 0;"
               "DELETE FROM review_items WHERE id % 19 = 0;"
               /* a rescan that raises an item's level */
               "UPDATE review_items SET level = 'priority' WHERE id % 3 = 0;");
    add_items(f->s, &seed, 700, 760);
    same_tables(f->s, facts, users, 2);
    same_facets(f->s, facts, users, 2);
    /* A copy further behind than the trimmed log reads everything again
     * (on PostgreSQL, trimmed as its trigger trims). */
    exec(f->s, "UPDATE review_items SET category = 'KTP' WHERE id % 5 = 0;"
               "DELETE FROM review_items WHERE id % 23 = 0;");
    exec(f->s, pg ? "SELECT netra_stats_changes_trim((SELECT max(seq) - 1 FROM stats_changes))"
                  : "DELETE FROM stats_changes WHERE seq < (SELECT max(seq) FROM stats_changes)");
    same_tables(f->s, facts, users, 2);
    same_facets(f->s, facts, users, 2);
    if (pg) {
        /* Two writers committing out of seq order: the change with the
         * lower seq commits after the copy read the higher one, and is
         * still read. */
        struct nt_db *w1, *w2;
        assert_int_equal(nt_db_open(f->target, &w1, &d), NT_OK);
        assert_int_equal(nt_db_open(f->target, &w2, &d), NT_OK);
        assert_int_equal(nt_db_begin(w1, true, &d), NT_OK);
        if (nt_db_exec(w1, "UPDATE review_items SET category = 'UJI-1' WHERE id = 1", &d) ||
            nt_db_exec(w2, "UPDATE review_items SET category = 'UJI-2' WHERE id = 2", &d))
            fail_msg("%s", d.msg);
        same_tables(f->s, facts, users, 1);
        assert_int_equal(nt_db_commit(w1, &d), NT_OK);
        same_tables(f->s, facts, users, 1);
        nt_db_close(w1);
        nt_db_close(w2);
    } else {
        /* A log that went backwards (another file restored in its place). */
        exec(f->s, "DELETE FROM stats_changes; DELETE FROM review_items WHERE id % 3 = 0;"
                   "UPDATE review_items SET status = 'pending' WHERE id % 4 = 0;");
        same_tables(f->s, facts, users, 2);
        same_facets(f->s, facts, users, 2);
    }
    nt_stats_facts_free(facts);
    nt_user_release(&sup);
}

/* ---- the coverage: the serve process's copy against the SQL ---------- */

/* Every filter, scope and page gives the same summary and rows from the
 * copy as from the SQL alone (and, for the rows, as nt_coverage). */
static bool same_coverage(struct nt_store *s, struct nt_coverage_copy *copy,
                          const struct nt_user *const *users, size_t nusers, bool must)
{
    static const struct nt_coverage_filter filters[] = {
        { 0 },
        { .limit = 5 },
        { .limit = 5, .offset = 5 },
        { .limit = 5, .offset = 100 },
        { .agency = "instansi a" }, /* the registry's names compared without case */
        { .agency = "Instansi B", .state = "failing" },
        { .platform = "x" },
        { .platform = "bluesky", .state = "ok", .limit = 2, .offset = 1 },
        { .platform = "rss" }, /* a platform no account has */
        { .state = "new", .limit = 3 },
        { .state = "failing", .limit = 2, .offset = 1 },
        { .state = "ok" },
        { .agency = "Instansi C", .platform = "mastodon", .state = "new" },
    };
    bool same = true;
    for (size_t u = 0; u < nusers; u++)
        for (size_t k = 0; k < sizeof(filters) / sizeof(filters[0]); k++) {
            struct nt_diag d;
            json_t *sa = NULL, *la = NULL, *sb = NULL, *lb = NULL, *all = NULL;
            if (nt_coverage_page(s, NULL, users[u], &filters[k], &sa, &la, &d) != NT_OK ||
                nt_coverage_page(s, copy, users[u], &filters[k], &sb, &lb, &d) != NT_OK ||
                nt_coverage(s, users[u], &filters[k], &all, &d) != NT_OK)
                fail_msg("coverage filter %zu as %s: %s", k, users[u]->name, d.msg);
            assert_true(json_equal(la, all));
            if (!json_equal(sa, sb) || !json_equal(la, lb)) {
                same = false;
                if (must) {
                    char *x = json_dumps(sa, JSON_COMPACT | JSON_SORT_KEYS),
                         *y = json_dumps(sb, JSON_COMPACT | JSON_SORT_KEYS),
                         *p = json_dumps(la, JSON_COMPACT), *q = json_dumps(lb, JSON_COMPACT);
                    fail_msg("coverage filter %zu as %s:\nsql    %s %s\nmemory %s %s", k,
                             users[u]->name, x, p, y, q);
                }
            }
            json_decref(sa);
            json_decref(la);
            json_decref(sb);
            json_decref(lb);
            json_decref(all);
        }
    return same;
}

static void add_employee(struct nt_store *s, int id, const char *agency, const char *name)
{
    char sql[640];
    snprintf(sql, sizeof(sql),
             "INSERT INTO employees(id, nip, name, agency, work_unit, position_type, position, "
             "region_code, status, birth_date, service_start, sex, created_at, updated_at) "
             "VALUES (%d, '1980010120000110%02d', '%s', '%s', 'Unit', 'Pelaksana', 'Staf', "
             "'31.71', 'PNS', '1980-01-01', '2005-01-01', 'L', '2026-01-01', '2026-01-01')",
             id, id, name, agency);
    exec(s, sql);
}

static void add_account(struct nt_store *s, int id, int employee, const char *platform)
{
    char sql[400];
    snprintf(sql, sizeof(sql),
             "INSERT INTO accounts(id, employee_id, platform, account, created_at, updated_at) "
             "VALUES (%d, %d, '%s', 'akun%d@contoh.example', '2026-01-01', '2026-01-01')",
             id, employee, platform, id);
    exec(s, sql);
}

static void test_coverage_copy(void **state)
{
    struct fx *f = *state;
    struct nt_diag d;
    static const char *const agencies[] = { "Instansi A", "Instansi B", "Instansi C" };
    static const char *const platforms[] = { "mastodon", "bluesky", "x", "feed" };
    static const char *const states[] = { "ok", "error", "new", "not_found", "ok", "suspended" };
    /* 30 employees (names out of id order), 24 with accounts, some two. */
    for (int i = 1; i <= 30; i++) {
        char name[32];
        snprintf(name, sizeof(name), "Pegawai %c%d", 'A' + (i * 7) % 26, i);
        add_employee(f->s, i, agencies[i % 3], name);
    }
    for (int i = 1; i <= 32; i++) {
        add_account(f->s, i, 1 + (i * 5) % 24, platforms[i % 4]);
        if (i % 5 == 0)
            continue; /* never fetched: no crawl state at all */
        char sql[300];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO crawl_state(account_id, state, last_success_at, last_error, "
                 "consecutive_failures) VALUES (%d, '%s', '2026-11-2%dT08:00:00Z', %s, %d)",
                 i, states[i % 6], i % 10, i % 6 == 1 ? "'HTTP 500'" : "NULL", i % 6 == 1 ? 3 : 0);
        exec(f->s, sql);
    }
    exec(f->s, "UPDATE accounts SET active = 0 WHERE id = 7");
    exec(f->s, "UPDATE employees SET active = 0 WHERE id = 29");
    struct nt_user sup = { 0 }, sup2 = { 0 };
    const char *one[] = { "Instansi B" }, *two[] = { "Instansi A", "Instansi C" };
    assert_int_equal(nt_user_add(f->s, &f->admin, "sri", NT_ROLE_SUPERVISOR, one, 1, NULL, NOW, &d),
                     NT_OK);
    assert_int_equal(
        nt_user_add(f->s, &f->admin, "tuti", NT_ROLE_SUPERVISOR, two, 2, NULL, NOW, &d), NT_OK);
    assert_int_equal(nt_user_load(f->s, "sri", &sup, &d), NT_OK);
    assert_int_equal(nt_user_load(f->s, "tuti", &sup2, &d), NT_OK);
    const struct nt_user *users[] = { &f->admin, &sup, &sup2 };
    struct nt_coverage_copy *copy;
    assert_int_equal(nt_coverage_copy_new(&copy), NT_OK);
    same_coverage(f->s, copy, users, 3, true);

    /* Every kind of change the order or the counts depend on. */
    static const char *const changes[] = {
        "INSERT INTO crawl_state(account_id, state) VALUES (5, 'ok')", /* never fetched: ok */
        "UPDATE crawl_state SET state = 'error', last_error = 'HTTP 502' WHERE account_id = 4",
        "UPDATE crawl_state SET state = 'rate_limited' WHERE account_id = 2", /* failing again */
        "UPDATE crawl_state SET last_success_at = '2026-11-30T09:00:00Z', "
        "consecutive_failures = 0 WHERE account_id = 6", /* a fetch: no change of class */
        "UPDATE crawl_state SET state = 'new' WHERE account_id = 3",
        "DELETE FROM crawl_state WHERE account_id = 9",
        "UPDATE accounts SET active = 0 WHERE id = 11",
        "UPDATE accounts SET active = 1 WHERE id = 7",
        "UPDATE accounts SET platform = 'x' WHERE id = 12",
        "UPDATE accounts SET employee_id = 25 WHERE id = 13",
        "UPDATE employees SET name = 'Aaron Pertama' WHERE id = 20",
        "UPDATE employees SET agency = 'Instansi B' WHERE id = 6",
        "UPDATE employees SET active = 0 WHERE id = 16",
        "UPDATE employees SET active = 1 WHERE id = 29",
        "DELETE FROM crawl_state WHERE account_id = 14; DELETE FROM accounts WHERE id = 14",
    };
    for (size_t k = 0; k < sizeof(changes) / sizeof(changes[0]); k++) {
        exec(f->s, changes[k]);
        same_coverage(f->s, copy, users, 3, true);
    }
    add_employee(f->s, 31, "Instansi C", "Pegawai Baru");
    same_coverage(f->s, copy, users, 3, true);
    add_account(f->s, 40, 31, "bluesky");
    same_coverage(f->s, copy, users, 3, true);
    if (!nt_store_is_postgres(f->s)) {
        /* The copy is what answered: a change of class its trigger does
         * not count is not seen, until the counter moves. */
        exec(f->s, "DROP TRIGGER coverage_crawl_au;"
                   "UPDATE crawl_state SET state = 'error' WHERE account_id = 6");
        assert_false(same_coverage(f->s, copy, users, 3, false));
        exec(f->s, "UPDATE coverage_generation SET n = n + 1");
        same_coverage(f->s, copy, users, 3, true);
    }
    /* An unknown agency or state is an error either way. */
    struct nt_coverage_filter bad = { .agency = "Instansi Z" };
    json_t *s1 = NULL, *l1 = NULL;
    assert_int_equal(nt_coverage_page(f->s, copy, &f->admin, &bad, &s1, &l1, &d), NT_EUSAGE);
    bad = (struct nt_coverage_filter){ .state = "rusak" };
    assert_int_equal(nt_coverage_page(f->s, copy, &f->admin, &bad, &s1, &l1, &d), NT_EUSAGE);
    assert_null(s1);
    nt_coverage_copy_free(copy);
    nt_user_release(&sup);
    nt_user_release(&sup2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_removed_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_step_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoints_follow_commits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_removed_head, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users_and_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_and_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_facts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_shared_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_coverage_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_throttle, setup, teardown),
        cmocka_unit_test(test_csv_and_html),
        cmocka_unit_test(test_labels_and_zones),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* The same on PostgreSQL, when ctest has started the tests' server. */
    int on = pg_target("test_review", pg_base, sizeof(pg_base));
    if (on <= 0)
        return on < 0 ? 1 : failed;
    const struct CMUnitTest pg[] = {
        cmocka_unit_test_setup_teardown(test_sessions_pg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_throttle_pg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_audit_removed_rows, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_checkpoints_follow_commits, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_audit_removed_head, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_users_and_roles, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_config_and_periods, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_audit_concurrent_pg, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_stats_facts, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_stats_shared_counts, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_coverage_copy, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_failed_step_is_an_error_pg, setup_pg, teardown_pg),
    };
    return failed + cmocka_run_group_tests_name("postgresql", pg, NULL, NULL);
}
