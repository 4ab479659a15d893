/*
 * store.c - opening, checking and migrating the database; transactions;
 * translation of SQLite errors into nt_err with a message that says where.
 */
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "date.h"
#include "db.h"
#include "schema.h"

/* NETRA_SQL_PROFILE: time spent per statement text, printed at close. */
#define PROFILE_SLOTS 128
struct sql_profile {
    struct sql_statement_time {
        char sql[112];
        double ms;
        long runs;
    } v[PROFILE_SLOTS];
    int n;
};

struct nt_store {
    sqlite3 *db;
    struct nt_db *dbh;           /* the same connection through db.h */
    struct sql_profile *profile; /* NULL unless NETRA_SQL_PROFILE is set */
    char *path;
    char *target; /* as opened: a PostgreSQL URI with its credentials (never shown) */
    int opened_version;
    int pg_companion; /* PostgreSQL: the version of its views and triggers */
    bool in_tx;
    bool readonly;
    bool long_lived;          /* NT_STORE_LONG_LIVED */
    bool pg;                  /* a PostgreSQL store: db is NULL, dbh its connection */
    void (*after_fn)(void *); /* nt_store_after_commit() */
    void *after_arg;
};

/* A statement finished: its time under its text (the first 111 bytes;
 * triggers' statements under their own). */
static int profile_cb(unsigned type, void *ctx, void *p, void *x)
{
    struct sql_profile *pf = ctx;
    const char *sql = sqlite3_sql(p);
    (void)type;
    if (!sql)
        sql = "?";
    int i = 0;
    while (i < pf->n && strncmp(pf->v[i].sql, sql, sizeof(pf->v[i].sql) - 1) != 0)
        i++;
    if (i == pf->n) {
        if (pf->n == PROFILE_SLOTS)
            return 0;
        snprintf(pf->v[pf->n++].sql, sizeof(pf->v[0].sql), "%s", sql);
    }
    pf->v[i].ms += (double)*(sqlite3_int64 *)x / 1e6;
    pf->v[i].runs++;
    return 0;
}

static int by_ms_desc(const void *a, const void *b)
{
    double x = ((const struct sql_statement_time *)a)->ms,
           y = ((const struct sql_statement_time *)b)->ms;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The slowest statements first (the profile ends with the connection). */
static void profile_print(struct sql_profile *pf, const char *path)
{
    qsort(pf->v, (size_t)pf->n, sizeof(pf->v[0]), by_ms_desc);
    fprintf(stderr, "netra: profil SQL %s (ms, jalan, pernyataan):\n", path);
    for (int i = 0; i < pf->n && i < 25; i++)
        fprintf(stderr, "%9.1f %9ld  %s\n", pf->v[i].ms, pf->v[i].runs, pf->v[i].sql);
}

static void after_clear(struct nt_store *s, bool run)
{
    void (*fn)(void *) = s->after_fn;
    void *arg = s->after_arg;
    s->after_fn = NULL;
    s->after_arg = NULL;
    if (run && fn)
        fn(arg);
    free(arg);
}

void nt_store_after_commit(struct nt_store *s, void (*fn)(void *arg), void *arg)
{
    after_clear(s, false);
    s->after_fn = fn;
    s->after_arg = arg;
    if (!s->in_tx)
        after_clear(s, true);
}

enum nt_err nt_store_fail(struct nt_store *s, int rc, const char *what, struct nt_diag *d)
{
    enum nt_err err;
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        err = NT_EBUSY;
        break;
    case SQLITE_CONSTRAINT:
        err = NT_ECONFLICT;
        break;
    case SQLITE_NOMEM:
        err = NT_ENOMEM;
        break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
        err = NT_EIO;
        break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        err = NT_EINPUT;
        break;
    default:
        err = NT_EDB;
        break;
    }
    const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    if (s && d && !d->file[0])
        nt_diag_at(d, s->path, 0, NULL);
    return nt_diag_set(d, err, "%s: %s", what, msg);
}

bool nt_store_next(struct nt_store *s, sqlite3_stmt *st, enum nt_err *err, const char *what,
                   struct nt_diag *d)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE && *err == NT_OK)
        *err = nt_store_fail(s, rc, what, d);
    return false;
}

enum nt_err nt_store_done(struct nt_store *s, sqlite3_stmt *st, const char *what, struct nt_diag *d)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? NT_OK : nt_store_fail(s, rc, what, d);
}

enum nt_err nt_store_exec(struct nt_store *s, const char *sql, struct nt_diag *d)
{
    if (s->pg)
        return nt_db_exec(s->dbh, sql, d);
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return nt_store_fail(s, rc, "perintah SQL gagal", d);
    return NT_OK;
}

enum nt_err nt_store_prepare(struct nt_store *s, const char *sql, sqlite3_stmt **stmt,
                             struct nt_diag *d)
{
    if (s->pg) /* code not yet on db.h, reached by a command that is */
        return nt_diag_set(d, NT_EINTERNAL,
                           "bagian ini belum dapat memakai basis data PostgreSQL (%.60s)", sql);
    int rc = sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL);
    if (rc != SQLITE_OK)
        return nt_store_fail(s, rc, "menyiapkan kueri gagal", d);
    return NT_OK;
}

static int query_int(struct nt_store *s, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int nt_store_schema_version(struct nt_store *s)
{
    if (s->pg)
        return s->opened_version;
    int v = -1;
    if (query_int(s, "PRAGMA user_version", &v) != SQLITE_OK)
        return -1;
    return v;
}

int nt_store_pg_companion_version(const struct nt_store *s)
{
    return s->pg_companion;
}

int nt_store_opened_version(const struct nt_store *s)
{
    return s->opened_version;
}

sqlite3 *nt_store_db(struct nt_store *s)
{
    return s->db;
}

const char *nt_store_path(const struct nt_store *s)
{
    return s->path;
}

bool nt_store_is_postgres(const struct nt_store *s)
{
    return s->pg;
}

bool nt_store_lost(struct nt_store *s)
{
    return s->pg && !s->in_tx && nt_db_lost(s->dbh);
}

bool nt_store_in_tx(const struct nt_store *s)
{
    return s->in_tx;
}

/* A writer's transaction, a reader's, or a reader's snapshot (which
 * SQLite's reader already is; PostgreSQL's is REPEATABLE READ). */
enum tx_kind { TX_WRITE, TX_READ, TX_SNAPSHOT };

static enum nt_err begin_as(struct nt_store *s, enum tx_kind kind, struct nt_diag *d)
{
    if (s->in_tx)
        return nt_diag_set(d, NT_EINTERNAL, "transaksi bertingkat tidak didukung");
    if (s->pg) {
        enum nt_err err =
            kind == TX_SNAPSHOT
                ? nt_db_exec(s->dbh, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", d)
                : nt_db_begin(s->dbh, kind == TX_WRITE, d);
        s->in_tx = !err;
        return err;
    }
    int rc = sqlite3_exec(s->db, kind == TX_WRITE ? "BEGIN IMMEDIATE" : "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return nt_store_fail(s, rc, "memulai transaksi gagal", d);
    s->in_tx = true;
    return NT_OK;
}

enum nt_err nt_store_begin(struct nt_store *s, struct nt_diag *d)
{
    return begin_as(s, TX_WRITE, d);
}

enum nt_err nt_store_begin_read(struct nt_store *s, struct nt_diag *d)
{
    return begin_as(s, TX_READ, d);
}

enum nt_err nt_store_begin_snapshot(struct nt_store *s, struct nt_diag *d)
{
    return begin_as(s, TX_SNAPSHOT, d);
}

bool nt_store_is_readonly(const struct nt_store *s)
{
    return s->readonly;
}

enum nt_err nt_store_commit(struct nt_store *s, struct nt_diag *d)
{
    if (!s->in_tx)
        return nt_diag_set(d, NT_EINTERNAL, "tidak ada transaksi untuk disimpan");
    if (s->pg) {
        enum nt_err err = nt_db_commit(s->dbh, d);
        if (err) {
            nt_store_rollback(s);
            return err;
        }
        s->in_tx = false;
        after_clear(s, true);
        return NT_OK;
    }
    int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        enum nt_err err = nt_store_fail(s, rc, "menyimpan transaksi gagal", d);
        nt_store_rollback(s);
        return err;
    }
    s->in_tx = false;
    after_clear(s, true);
    return NT_OK;
}

void nt_store_rollback(struct nt_store *s)
{
    if (!s || !s->in_tx)
        return;
    if (s->pg)
        nt_db_rollback(s->dbh);
    else if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = false;
    after_clear(s, false);
}

enum nt_err nt_store_migrate(struct nt_store *s, int target, struct nt_diag *d)
{
    enum nt_err err;
    int cur;
    char now[32];

    if (target < 1 || target > NT_STORE_SCHEMA_VERSION)
        return nt_diag_set(d, NT_EINTERNAL, "versi skema tujuan %d tidak dikenal", target);
    if (s->pg)
        return nt_diag_set(d, NT_ESCHEMA, "peningkatan skema basis data PostgreSQL belum didukung");
    err = nt_store_begin(s, d);
    if (err)
        return err;
    cur = nt_store_schema_version(s);
    if (cur > target) {
        nt_store_rollback(s);
        nt_diag_at(d, s->path, 0, NULL);
        return nt_diag_set(d, NT_ESCHEMA, "tidak dapat menurunkan skema dari versi %d ke %d", cur,
                           target);
    }
    if (cur == 0) {
        char app[64];
        snprintf(app, sizeof(app), "PRAGMA application_id = %ld", (long)NT_STORE_APP_ID);
        err = nt_store_exec(s, app, d);
        if (err)
            goto fail;
    }
    nt_time_iso(time(NULL), now, sizeof(now));
    for (int v = cur + 1; v <= target; v++) {
        sqlite3_stmt *st = NULL;
        char pragma[64];
        err = nt_store_exec(s, nt_store_schema_migration(v), d);
        if (err)
            goto fail;
        err = nt_store_prepare(s, "INSERT INTO schema_history(version, applied_at) VALUES (?1, ?2)",
                               &st, d);
        if (err)
            goto fail;
        sqlite3_bind_int(st, 1, v);
        sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            err = nt_store_fail(s, rc, "mencatat riwayat skema gagal", d);
            goto fail;
        }
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v);
        err = nt_store_exec(s, pragma, d);
        if (err)
            goto fail;
    }
    /* A migration may edit sqlite_schema in place (27): other connections
     * reload the schema when its cookie moves. */
    int cookie = 0;
    char pragma[64];
    int qrc = query_int(s, "PRAGMA schema_version", &cookie);
    if (qrc != SQLITE_OK) {
        err = nt_store_fail(s, qrc, "membaca versi skema SQLite gagal", d);
        goto fail;
    }
    snprintf(pragma, sizeof(pragma), "PRAGMA schema_version = %d", cookie + 1);
    err = nt_store_exec(s, pragma, d);
    if (err)
        goto fail;
    return nt_store_commit(s, d);
fail:
    nt_store_rollback(s);
    return err;
}

/* Is this an SQLite file with tables but not ours? */
static enum nt_err check_identity(struct nt_store *s, int version, struct nt_diag *d)
{
    int app_id = 0, tables = 0;
    int rc = query_int(s, "PRAGMA application_id", &app_id);
    if (rc == SQLITE_OK)
        rc = query_int(s, "SELECT count(*) FROM sqlite_schema", &tables);
    if (rc != SQLITE_OK) {
        nt_diag_at(d, s->path, 0, NULL);
        if ((rc & 0xff) == SQLITE_NOTADB)
            return nt_diag_set(d, NT_EINPUT, "berkas ini bukan basis data SQLite (Netra)");
        return nt_store_fail(s, rc, "membaca basis data gagal", d);
    }
    if ((uint32_t)app_id == NT_STORE_APP_ID)
        return NT_OK;
    if (app_id == 0 && version == 0 && tables == 0)
        return NT_OK; /* a new, empty file */
    nt_diag_at(d, s->path, 0, NULL);
    return nt_diag_set(d, NT_EINPUT,
                       "berkas ini basis data SQLite, tetapi bukan milik Netra; "
                       "pilih berkas lain dengan --db");
}

/*
 * A PostgreSQL store: its schema is the one `netra migrate-store` makes
 * from an SQLite file of this build's schema (`netra init` makes a new one
 * the same way), and its version is the one that copy recorded. A copy not
 * yet finished is not opened. Only callers whose SQL runs on both engines
 * ask for it (NT_STORE_POSTGRES).
 */
static enum nt_err open_postgres(const char *target, unsigned flags, struct nt_store **out,
                                 struct nt_diag *d)
{
    if (!(flags & NT_STORE_POSTGRES))
        return nt_diag_set(d, NT_EUSAGE,
                           "perintah ini belum dapat memakai basis data PostgreSQL (lihat "
                           "docs/scale.md); pakai berkas SQLite dengan --db");
    struct nt_store *s = calloc(1, sizeof(*s));
    if (!s)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    s->pg = true;
    s->readonly = flags & NT_STORE_READONLY;
    enum nt_err err = nt_db_open(target, &s->dbh, d);
    if (!err && (!(s->path = strdup(nt_db_where(s->dbh))) || !(s->target = strdup(target))))
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    /* Read-only asked for, read-only enforced by the server. */
    if (!err && s->readonly)
        err = nt_db_exec(s->dbh, "SET default_transaction_read_only = on", d);
    /* The table is missing from a database nobody made. */
    struct nt_db_stmt *st = NULL;
    int64_t has = 0;
    if (!err) {
        err =
            nt_db_prepare(s->dbh, "SELECT to_regclass('netra_migrate_source') IS NOT NULL", &st, d);
        if (!err && nt_db_next(st, &err, d))
            has = nt_db_int64(st, 0);
        nt_db_finalize(st);
        st = NULL;
    }
    bool finished = false;
    if (!err && has) {
        /* companion: a column added by a later build (to_jsonb reads it
         * or NULL from a database made before it). */
        err = nt_db_prepare(s->dbh,
                            "SELECT schema_version, finished_at IS NOT NULL, "
                            "COALESCE(CAST(to_jsonb(m) ->> 'companion' AS INT), 0) "
                            "FROM netra_migrate_source m",
                            &st, d);
        if (!err && nt_db_next(st, &err, d)) {
            s->opened_version = (int)nt_db_int64(st, 0);
            finished = nt_db_int64(st, 1) != 0;
            s->pg_companion = (int)nt_db_int64(st, 2);
        }
        nt_db_finalize(st);
    }
    if (!err && !finished) {
        nt_diag_at(d, s->path, 0, NULL);
        /* No Netra schema at all: as a missing file is, NT_ENOTFOUND. */
        err = s->opened_version
                  ? nt_diag_set(d, NT_ESCHEMA,
                                "pemindahan ke basis data ini belum selesai; "
                                "ulangi 'netra migrate-store'")
                  : nt_diag_set(d, NT_ENOTFOUND, "basis data masih kosong; jalankan 'netra init'");
    }
    if (!err && s->opened_version != NT_STORE_SCHEMA_VERSION) {
        nt_diag_at(d, s->path, 0, NULL);
        err = s->opened_version < NT_STORE_SCHEMA_VERSION
                  ? nt_diag_set(d, NT_ESCHEMA,
                                "skema basis data versi %d, program ini memakai versi %d; "
                                "jalankan 'netra init' untuk meningkatkannya",
                                s->opened_version, NT_STORE_SCHEMA_VERSION)
                  : nt_diag_set(d, NT_ESCHEMA,
                                "skema basis data versi %d lebih baru dari program ini (versi "
                                "%d); pakai program yang lebih baru",
                                s->opened_version, NT_STORE_SCHEMA_VERSION);
    }
    /* A writer needs this build's triggers (they keep the counts). */
    if (!err && !s->readonly && s->pg_companion < NT_STORE_PG_COMPANION) {
        nt_diag_at(d, s->path, 0, NULL);
        err = nt_diag_set(d, NT_ESCHEMA,
                          "pemicu basis data PostgreSQL versi %d, program ini memakai versi %d; "
                          "jalankan 'netra init'",
                          s->pg_companion, NT_STORE_PG_COMPANION);
    }
    if (err) {
        nt_store_close(s);
        return err;
    }
    *out = s;
    return NT_OK;
}

/* Process-wide SQLite settings, before its first use. Without memory
 * statistics (nothing here reads them) an allocation takes no global
 * mutex: with eight threads of `serve` on their own connections that
 * mutex was 16% of a queue page's time (perf). Refused, harmlessly, when
 * SQLite was started before (a test linking it directly). */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum nt_err nt_store_open(const char *path, unsigned flags, struct nt_store **out,
                          struct nt_diag *d)
{
    pthread_once(&sqlite_once, sqlite_setup);
    struct nt_store *s;
    struct stat sb;
    enum nt_err err;
    int rc, oflags;
    bool create = flags & NT_STORE_CREATE;
    bool migrate = create || (flags & NT_STORE_MIGRATE);

    if (nt_db_is_postgres(path))
        return open_postgres(path, flags, out, d);
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT || !create) {
            nt_diag_at(d, path, 0, NULL);
            if (errno == ENOENT)
                return nt_diag_set(d, NT_ENOTFOUND,
                                   "basis data belum ada; buat dulu dengan 'netra init'");
            return nt_diag_set(d, NT_EIO, "tidak dapat membuka basis data: %s", strerror(errno));
        }
    } else if (!S_ISREG(sb.st_mode)) {
        nt_diag_at(d, path, 0, NULL);
        return nt_diag_set(d, NT_EINPUT, "bukan berkas biasa");
    }

    s = calloc(1, sizeof(*s));
    if (!s)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    s->path = strdup(path);
    if (!s->path) {
        free(s);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    s->readonly = flags & NT_STORE_READONLY;
    oflags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create && !s->readonly)
        oflags |= SQLITE_OPEN_CREATE;
    rc = sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    /* A developer's view of where a command's database time goes. */
    if (rc == SQLITE_OK && getenv("NETRA_SQL_PROFILE") &&
        (s->profile = calloc(1, sizeof(*s->profile))) != NULL)
        sqlite3_trace_v2(s->db, SQLITE_TRACE_PROFILE, profile_cb, s->profile);
    if (rc != SQLITE_OK) {
        err = nt_store_fail(s, rc, "tidak dapat membuka basis data", d);
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, NT_STORE_BUSY_TIMEOUT_MS);
    err = nt_db_borrow_sqlite(s->db, path, &s->dbh, d);
    if (err)
        goto fail;

    s->opened_version = nt_store_schema_version(s);
    err = check_identity(s, s->opened_version < 0 ? 0 : s->opened_version, d);
    if (err)
        goto fail;
    if (!s->readonly) {
        err = nt_store_exec(s, "PRAGMA journal_mode = WAL", d);
        if (err)
            goto fail;
        err = nt_store_exec(s, "PRAGMA synchronous = NORMAL", d);
        if (err)
            goto fail;
    }
    err = nt_store_exec(s, "PRAGMA foreign_keys = ON", d);
    if (err)
        goto fail;
    if (flags & NT_STORE_LONG_LIVED) {
        s->long_lived = true;
        /* Reads through a memory map: another process's commit empties a
         * connection's page cache (WAL), and every page a search or a
         * statistic then reads again would be a read() and a copy; mapped,
         * it is the kernel's page already. Writes still go through
         * write(). SQLite caps the map at its build's limit (2 GB here). */
        err = nt_store_exec(s, "PRAGMA cache_size = -65536; PRAGMA mmap_size = 2147418112", d);
        if (err)
            goto fail;
    }

    if (s->opened_version > NT_STORE_SCHEMA_VERSION) {
        nt_diag_at(d, path, 0, NULL);
        err = nt_diag_set(d, NT_ESCHEMA,
                          "skema basis data versi %d lebih baru daripada yang dikenal program "
                          "ini (versi %d); gunakan Netra versi yang lebih baru",
                          s->opened_version, NT_STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (s->opened_version < NT_STORE_SCHEMA_VERSION) {
        if (!migrate || s->readonly) {
            nt_diag_at(d, path, 0, NULL);
            err = nt_diag_set(d, NT_ESCHEMA,
                              s->opened_version == 0
                                  ? "basis data masih kosong; jalankan 'netra init'"
                                  : "skema basis data versi %d perlu ditingkatkan ke versi %d; "
                                    "jalankan 'netra init'",
                              s->opened_version, NT_STORE_SCHEMA_VERSION);
            goto fail;
        }
        err = nt_store_migrate(s, NT_STORE_SCHEMA_VERSION, d);
        if (err)
            goto fail;
    }
    *out = s;
    return NT_OK;
fail:
    nt_store_close(s);
    return err;
}

void nt_store_close(struct nt_store *s)
{
    if (!s)
        return;
    if (s->profile) {
        profile_print(s->profile, s->path);
        free(s->profile);
    }
    nt_store_rollback(s);
    nt_db_close(s->dbh);
    sqlite3_close(s->db);
    free(s->path);
    if (s->target)
        sodium_memzero(s->target, strlen(s->target));
    free(s->target);
    free(s);
}

enum nt_err nt_store_reopen(struct nt_store *s, unsigned flags, struct nt_store **out,
                            struct nt_diag *d)
{
    return nt_store_open(s->pg ? s->target : s->path, flags | (s->pg ? NT_STORE_POSTGRES : 0), out,
                         d);
}

struct nt_db *nt_store_dbh(struct nt_store *s)
{
    return s->dbh;
}

/* A connection's settings for a kind of work (`on_sql`), or back to the
 * ordinary ones; PostgreSQL has none of these to change. */
static enum nt_err store_work(struct nt_store *s, const char *on_sql, bool on, struct nt_diag *d)
{
    if (s->pg)
        return NT_OK;
    if (on)
        return nt_store_exec(s, on_sql, d);
    return nt_store_exec(s,
                         s->long_lived
                             ? "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 1000"
                             : "PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 1000",
                         d);
}

enum nt_err nt_store_bulk(struct nt_store *s, bool on, struct nt_diag *d)
{
    return store_work(s,
                      "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384; "
                      "PRAGMA temp_store = MEMORY",
                      on, d);
}

enum nt_err nt_store_stream(struct nt_store *s, bool on, struct nt_diag *d)
{
    return store_work(s, "PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 16384", on, d);
}

/* Settings through db.h: the same SQL on both engines. */
enum nt_err nt_store_setting_get(struct nt_store *s, const char *key, char *out, size_t n,
                                 struct nt_diag *d)
{
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(s->dbh, "SELECT value FROM settings WHERE key = ?1", &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, key);
    if (nt_db_next(st, &err, d)) {
        const char *v = nt_db_text(st, 0);
        snprintf(out, n, "%s", v ? v : "");
    } else if (!err) {
        err = nt_diag_set(d, NT_ENOTFOUND, "pengaturan '%s' belum diisi", key);
    }
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_store_setting_set(struct nt_store *s, const char *key, const char *value,
                                 const char *now_iso, struct nt_diag *d)
{
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(
        s->dbh,
        "INSERT INTO settings(key, value, updated_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, key);
    nt_db_bind_text(st, 2, value);
    nt_db_bind_text(st, 3, now_iso);
    err = nt_db_run(st, d);
    nt_db_finalize(st);
    return err;
}
