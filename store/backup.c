/*
 * backup.c - copies of the database an operator can trust: a consistent,
 * verified, compressed backup taken while the crawler and the web server
 * keep writing; a restore that checks the copy before it replaces anything
 * and keeps the old file aside; and the database-level checks of `netra
 * check` (SQLite's integrity and foreign keys). The checks of what lives
 * inside (the audit chain, the evidence hashes) belong to their modules.
 *
 * A backup file is the database as SQLite writes it (the online backup API
 * copies every page under one read transaction: in WAL mode writers carry
 * on), compressed with zlib's gzip format.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "store.h"

#define CHUNK (1u << 16)

void nt_store_unlink_sides(const char *path)
{
    char side[4200];
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

/* "<path>.<what>-<pid>": a sibling, so that rename() stays on one file system. */
static void sibling(const char *path, const char *what, char *out, size_t n)
{
    snprintf(out, n, "%s.%s-%ld", path, what, (long)getpid());
}

static enum nt_err sync_file(const char *path, struct nt_diag *d)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return nt_diag_set(d, NT_EIO, "%s: tidak dapat disimpan ke disk: %s", path, strerror(e));
    }
    close(fd);
    return NT_OK;
}

/* Open a plain SQLite file for checking, without Netra's setup. Read-write
 * (nothing is written): the last connection to close folds and removes a
 * WAL, which a read-only one cannot. */
static enum nt_err open_plain(const char *path, sqlite3 **db, struct nt_diag *d)
{
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        enum nt_err e = nt_diag_set(d, NT_EIO, "%s: tidak dapat dibuka: %s", path,
                                    *db ? sqlite3_errmsg(*db) : "memori tidak cukup");
        sqlite3_close(*db);
        *db = NULL;
        return e;
    }
    return NT_OK;
}

static int pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* integrity_check on an open connection: NT_OK, or NT_EINPUT with SQLite's
 * first complaint. */
static enum nt_err integrity(sqlite3 *db, const char *label, struct nt_diag *d)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &st, NULL) != SQLITE_OK)
        return nt_diag_set(d, NT_EINPUT, "%s: bukan basis data SQLite: %s", label,
                           sqlite3_errmsg(db));
    int rc = sqlite3_step(st);
    enum nt_err err = NT_OK;
    if (rc != SQLITE_ROW)
        err = nt_diag_set(d, NT_EINPUT, "%s: pemeriksaan integritas gagal: %s", label,
                          sqlite3_errmsg(db));
    else if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
        err = nt_diag_set(d, NT_EINPUT, "%s: rusak: %s", label,
                          (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return err;
}

/* A copy is usable when SQLite finds it whole and it is a Netra database
 * this build understands; *version gets its schema version. */
static enum nt_err verify_copy(const char *path, const char *label, int *version, struct nt_diag *d)
{
    sqlite3 *db = NULL;
    enum nt_err err = open_plain(path, &db, d);
    if (err)
        return err;
    err = integrity(db, label, d);
    if (!err && pragma_int(db, "PRAGMA application_id") != NT_STORE_APP_ID)
        err = nt_diag_set(d, NT_EINPUT, "%s: bukan basis data Netra", label);
    int v = err ? -1 : pragma_int(db, "PRAGMA user_version");
    if (!err && v > NT_STORE_SCHEMA_VERSION)
        err = nt_diag_set(d, NT_ESCHEMA,
                          "%s: skema versi %d lebih baru dari yang dikenal program ini (%d); "
                          "pasang Netra yang lebih baru",
                          label, v, NT_STORE_SCHEMA_VERSION);
    sqlite3_close(db);
    if (!err)
        *version = v;
    return err;
}

static enum nt_err gzip_file(const char *from, const char *to, struct nt_diag *d)
{
    FILE *in = fopen(from, "rb");
    gzFile out = gzopen(to, "wb6");
    unsigned char *buf = malloc(CHUNK);
    enum nt_err err = NT_OK;
    if (!in || !out || !buf) {
        err = nt_diag_set(d, NT_EIO, "%s: tidak dapat ditulis: %s", to, strerror(errno));
        goto out;
    }
    size_t n;
    while ((n = fread(buf, 1, CHUNK, in)) > 0)
        if (gzwrite(out, buf, (unsigned)n) != (int)n) {
            err = nt_diag_set(d, NT_EIO, "%s: gagal menulis (disk penuh?)", to);
            goto out;
        }
    if (ferror(in))
        err = nt_diag_set(d, NT_EIO, "%s: gagal dibaca", from);
out:
    if (in)
        fclose(in);
    if (out && gzclose(out) != Z_OK && !err)
        err = nt_diag_set(d, NT_EIO, "%s: gagal menulis (disk penuh?)", to);
    free(buf);
    return err;
}

static enum nt_err gunzip_file(const char *from, const char *to, struct nt_diag *d)
{
    gzFile in = gzopen(from, "rb");
    FILE *out = NULL;
    unsigned char *buf = malloc(CHUNK);
    enum nt_err err = NT_OK;
    if (!in) {
        err = nt_diag_set(d, NT_ENOTFOUND, "%s: tidak dapat dibuka: %s", from, strerror(errno));
        goto out;
    }
    out = fopen(to, "wb");
    if (!out || !buf) {
        err = nt_diag_set(d, NT_EIO, "%s: tidak dapat ditulis: %s", to, strerror(errno));
        goto out;
    }
    int n;
    while ((n = gzread(in, buf, CHUNK)) > 0)
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
            err = nt_diag_set(d, NT_EIO, "%s: gagal menulis (disk penuh?)", to);
            goto out;
        }
    if (n < 0) {
        int zerr;
        const char *m = gzerror(in, &zerr);
        err = nt_diag_set(d, NT_EINPUT, "%s: berkas cadangan rusak: %s", from, m);
    }
out:
    if (in)
        gzclose(in);
    if (out && fclose(out) != 0 && !err)
        err = nt_diag_set(d, NT_EIO, "%s: gagal menulis (disk penuh?)", to);
    free(buf);
    return err;
}

enum nt_err nt_store_backup(struct nt_store *s, const char *dest, struct nt_diag *d)
{
    char tmp[4096], gz[4096];
    sibling(dest, "salinan", tmp, sizeof(tmp));
    sibling(dest, "tulis", gz, sizeof(gz));
    unlink(tmp);
    sqlite3 *to = NULL;
    enum nt_err err = NT_OK;
    if (sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        err = nt_diag_set(d, NT_EIO, "%s: tidak dapat dibuat: %s", tmp,
                          to ? sqlite3_errmsg(to) : "memori tidak cukup");
        goto out;
    }
    /* Every page in one step: one read transaction, one consistent state,
     * while writers go on in the WAL. */
    sqlite3_backup *b = sqlite3_backup_init(to, "main", nt_store_db(s), "main");
    if (!b) {
        err = nt_diag_set(d, NT_EIO, "cadangan tidak dapat dimulai: %s", sqlite3_errmsg(to));
        goto out;
    }
    int rc;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(50);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        err = nt_diag_set(d, NT_EIO, "cadangan gagal: %s", sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_close(to);
    to = NULL;
    int version;
    err = verify_copy(tmp, "salinan", &version, d);
    if (!err)
        err = gzip_file(tmp, gz, d);
    if (!err)
        err = sync_file(gz, d);
    if (!err && rename(gz, dest) != 0)
        err = nt_diag_set(d, NT_EIO, "%s: tidak dapat ditulis: %s", dest, strerror(errno));
out:
    sqlite3_close(to);
    unlink(tmp);
    nt_store_unlink_sides(tmp);
    unlink(gz);
    return err;
}

/*
 * Nobody else may have the database at `path` open. Every connection to a
 * WAL database holds a shared lock on one byte of the "-shm" file for as
 * long as it is open, idle or not (SQLite's unix VFS: the "DMS" byte at
 * offset 128, 4 * (22 + 8) + 8; fixed, since processes built against
 * different SQLite versions share the file). A write lock on that byte
 * cannot be had while any other process is connected; held, it keeps new
 * connections out until the file is replaced (*lock_fd: close it then).
 * Without a "-shm" file no process is connected.
 */
#define SHM_DMS_BYTE 128

static enum nt_err quiet(const char *path, int *lock_fd, struct nt_diag *d)
{
    char shm[4200];
    snprintf(shm, sizeof(shm), "%s-shm", path);
    *lock_fd = -1;
    int fd = open(shm, O_RDWR);
    if (fd < 0)
        return errno == ENOENT
                   ? NT_OK
                   : nt_diag_set(d, NT_EIO, "%s: tidak dapat dibuka: %s", shm, strerror(errno));
    struct flock fl = {
        .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = SHM_DMS_BYTE, .l_len = 1
    };
    if (fcntl(fd, F_SETLK, &fl) != 0) {
        close(fd);
        return nt_diag_set(d, NT_EBUSY,
                           "%s sedang dipakai proses lain: hentikan netra serve, netra run dan "
                           "crawl lebih dulu",
                           path);
    }
    *lock_fd = fd;
    return NT_OK;
}

enum nt_err nt_store_restore(const char *backup, const char *path, bool force, char *aside,
                             size_t aside_len, struct nt_diag *d)
{
    char tmp[4096];
    sibling(path, "pulih", tmp, sizeof(tmp));
    unlink(tmp);
    if (aside_len)
        aside[0] = '\0';
    int version;
    enum nt_err err = gunzip_file(backup, tmp, d);
    if (!err)
        err = verify_copy(tmp, backup, &version, d);
    nt_store_unlink_sides(tmp);
    struct stat sb;
    int held = -1;
    bool exists = !err && stat(path, &sb) == 0;
    if (exists) {
        /* The database in place: never replaced while in use, never by an
         * older schema unless asked (a newer program has migrated it). */
        sqlite3 *db = NULL;
        err = open_plain(path, &db, d);
        int cur = err ? -1 : pragma_int(db, "PRAGMA user_version");
        sqlite3_close(db);
        if (!err && cur > version && !force)
            err = nt_diag_set(d, NT_ECONFLICT,
                              "%s berskema versi %d, cadangan versi %d: pemulihan akan "
                              "memundurkan skema (pakai --force bila memang dimaksudkan)",
                              path, cur, version);
        if (!err)
            err = quiet(path, &held, d);
        if (!err) {
            char stamp[64];
            time_t now = time(NULL);
            strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", gmtime(&now));
            snprintf(aside, aside_len, "%s.sebelum-pulih-%s", path, stamp);
            if (rename(path, aside) != 0)
                err = nt_diag_set(d, NT_EIO, "%s: tidak dapat dipindahkan: %s", path,
                                  strerror(errno));
            else {
                /* The old file's WAL goes with it (a process killed
                 * before it checkpointed left committed writes there);
                 * the index is rebuilt from it when the file is opened. */
                char from[4200], to[4300];
                snprintf(from, sizeof(from), "%s-wal", path);
                snprintf(to, sizeof(to), "%s-wal", aside);
                if (rename(from, to) != 0 && errno != ENOENT)
                    err = nt_diag_set(d, NT_EIO, "%s: tidak dapat dipindahkan: %s", from,
                                      strerror(errno));
                snprintf(from, sizeof(from), "%s-shm", path);
                unlink(from);
            }
        }
    }
    if (!err)
        err = sync_file(tmp, d);
    if (!err && rename(tmp, path) != 0) {
        err = nt_diag_set(d, NT_EIO, "%s: tidak dapat ditulis: %s", path, strerror(errno));
        if (exists && aside_len && aside[0])
            rename(aside, path); /* put the old one back */
    }
    if (held >= 0)
        close(held); /* after the new file is in place */
    unlink(tmp);
    nt_store_unlink_sides(tmp);
    return err;
}

enum nt_err nt_store_check(struct nt_store *s, struct nt_diag *d)
{
    sqlite3 *db = nt_store_db(s);
    enum nt_err err = integrity(db, nt_store_path(s), d);
    if (err)
        return err;
    sqlite3_stmt *st;
    err = nt_store_prepare(s, "PRAGMA foreign_key_check", &st, d);
    if (err)
        return err;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        err = nt_diag_set(d, NT_EINPUT, "%s: baris %lld tabel %s merujuk ke %s yang tidak ada",
                          nt_store_path(s), (long long)sqlite3_column_int64(st, 1),
                          (const char *)sqlite3_column_text(st, 0),
                          (const char *)sqlite3_column_text(st, 2));
    else if (rc != SQLITE_DONE)
        err = nt_store_fail(s, rc, "memeriksa kunci asing", d);
    sqlite3_finalize(st);
    return err;
}
