/*
 * audit.c - the append-only, keyed hash chain of the audit trail.
 *
 * Row hash = HMAC-SHA-256, under the audit key, of the compact JSON array
 *   [id, at, actor, action, object_type, object_id, before, after, prev_hash]
 * (strings as stored, JSON null for NULL). The first row's prev_hash is 64
 * zeros. The key lives outside the database, in a file (NETRA_AUDIT_KEY, or
 * the database's path + ".audit-key", mode 0600) made on the first append:
 * whoever can write the database but cannot read the key cannot recompute
 * the chain after editing a row.
 *
 * Databases from before the key kept plain SHA-256 rows; those stay as they
 * were recorded. The setting "audit_keyed_from" ("N:key-id:mac") says that
 * rows from N on are keyed, under which key; its MAC stops it from being
 * moved or removed, and row N's keyed hash covers row N-1's hash, so the
 * older rows are held by the keyed ones. The head (last id, its hash and a
 * MAC of both) is in the setting "audit_head", so that deleting the newest
 * rows is caught as well.
 *
 * After each committed transaction that appended, a checkpoint of the head
 * signed with an Ed25519 key (derived from the same file's secret; the
 * public key is written beside it as ".pub") is appended to a log outside
 * the database (NETRA_AUDIT_CHECKPOINTS, or the database's path +
 * ".audit-checkpoints"). Verification holds the rows to every checkpoint:
 * a database put back to an older, self-consistent copy is caught there.
 * What none of this stops: someone with the key file and the log.
 *
 * Verification also holds the records of audited actions to the trail
 * (record_checks: decisions, case transitions, case states): every record
 * must match the audit row that recorded it, and every recorded one must
 * still exist.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sys/stat.h>

#include "date.h"
#include "db.h"
#include "hash.h"
#include "internal.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define KEY_HEX (crypto_auth_hmacsha256_KEYBYTES * 2)
/* Beside the database, unless NETRA_AUDIT_KEY / NETRA_AUDIT_CHECKPOINTS say
 * otherwise; the public key is the key file's name + ".pub". */
#define KEY_SUFFIX ".audit-key"
#define LOG_SUFFIX ".audit-checkpoints"

struct audit_key {
    bool have;                                        /* a key file was read */
    bool made;                                        /* ... and made just now */
    unsigned char k[crypto_auth_hmacsha256_KEYBYTES]; /* the chain's HMAC key */
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];     /* checkpoints: Ed25519 */
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    char id[17]; /* fingerprint shown to people */
    char path[4096];
    char log[4096]; /* the signed checkpoint log */
};

static void key_forget(struct audit_key *k)
{
    sodium_memzero(k->k, sizeof(k->k));
    sodium_memzero(k->sk, sizeof(k->sk));
}

/* Both keys come from the file's secret, each under its own label. */
static void key_derive(struct audit_key *k, const unsigned char seed[32])
{
    static const char chain[] = "netra-audit-chain", sign[] = "netra-audit-sign";
    unsigned char s[crypto_sign_SEEDBYTES];
    crypto_generichash(k->k, sizeof(k->k), (const unsigned char *)chain, sizeof(chain) - 1, seed,
                       32);
    crypto_generichash(s, sizeof(s), (const unsigned char *)sign, sizeof(sign) - 1, seed, 32);
    crypto_sign_seed_keypair(k->pk, k->sk, s);
    sodium_memzero(s, sizeof(s));
}

/* The public key beside the key file, for whoever checks a dossier's
 * checkpoint without being able to sign one. Best effort. */
static void key_publish(const struct audit_key *k)
{
    char path[4200], hex[crypto_sign_PUBLICKEYBYTES * 2 + 2];
    snprintf(path, sizeof(path), "%s.pub", k->path);
    sodium_bin2hex(hex, sizeof(hex), k->pk, sizeof(k->pk));
    hex[crypto_sign_PUBLICKEYBYTES * 2] = '\n';
    hex[crypto_sign_PUBLICKEYBYTES * 2 + 1] = '\0';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return;
    if (write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex))
        unlink(path);
    close(fd);
}

static void mac_hex(const struct audit_key *k, const char *msg, char out[NT_SHA256_HEX_LEN + 1])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg), k->k);
    sodium_bin2hex(out, NT_SHA256_HEX_LEN + 1, mac, sizeof(mac));
}

/* The checkpoint log of the database at `db`. */
static void log_path(const char *db, char *out, size_t n)
{
    const char *log = getenv("NETRA_AUDIT_CHECKPOINTS");
    if (log && *log)
        snprintf(out, n, "%s", log);
    else
        snprintf(out, n, "%s" LOG_SUFFIX, db);
}

enum nt_err nt_audit_log_set_aside(const char *db, time_t now, char *moved, size_t n,
                                   struct nt_diag *d)
{
    char log[4096], at[32];
    struct stat st;
    moved[0] = '\0';
    log_path(db, log, sizeof(log));
    if (lstat(log, &st) != 0)
        return errno == ENOENT ? NT_OK : nt_diag_set(d, NT_EIO, "%s: %s", log, strerror(errno));
    nt_time_iso(now, at, sizeof(at));
    for (char *p = at; *p; p++)
        if (*p == ':')
            *p = '-';
    if ((size_t)snprintf(moved, n, "%s.sebelum-%s", log, at) >= n || rename(log, moved) != 0) {
        moved[0] = '\0';
        return nt_diag_set(d, NT_EIO, "log titik periksa %s tidak dapat dipindahkan: %s", log,
                           strerror(errno));
    }
    return NT_OK;
}

enum nt_err nt_audit_files_remove(const char *db, struct nt_diag *d)
{
    static const char *const suffix[] = { KEY_SUFFIX, KEY_SUFFIX ".pub", LOG_SUFFIX };
    char path[4200];
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", db, suffix[i]);
        if (unlink(path) != 0 && errno != ENOENT)
            return nt_diag_set(d, NT_EIO, "%s: tidak dapat dihapus: %s", path, strerror(errno));
    }
    return NT_OK;
}

/* Read the key file; with `create`, make it when there is none. */
static enum nt_err key_load(struct nt_store *s, struct audit_key *k, bool create, struct nt_diag *d)
{
    memset(k, 0, sizeof(*k));
    const char *env = getenv("NETRA_AUDIT_KEY");
    if (nt_db_kind(nt_store_dbh(s)) == NT_DB_POSTGRES) {
        /* A shared database has no path to put files beside: every web
         * server and command of the deployment reads the same key file
         * (copied to each machine), and each machine keeps its own log. */
        const char *log = getenv("NETRA_AUDIT_CHECKPOINTS");
        if (!env || !*env || !log || !*log)
            return nt_diag_set(d, NT_EINPUT,
                               "basis data PostgreSQL: atur NETRA_AUDIT_KEY (berkas kunci audit "
                               "yang sama di setiap mesin) dan NETRA_AUDIT_CHECKPOINTS (log titik "
                               "periksa mesin ini)");
    }
    log_path(nt_store_path(s), k->log, sizeof(k->log));
    if (env && *env)
        snprintf(k->path, sizeof(k->path), "%s", env);
    else if ((size_t)snprintf(k->path, sizeof(k->path), "%s" KEY_SUFFIX, nt_store_path(s)) >=
             sizeof(k->path))
        return nt_diag_set(d, NT_EINPUT,
                           "jalur basis data terlalu panjang untuk berkas kunci audit");
    if (sodium_init() < 0)
        return nt_diag_set(d, NT_EINTERNAL, "libsodium tidak dapat dimulai");
    int fd = open(k->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT && create) {
        unsigned char fresh[crypto_auth_hmacsha256_KEYBYTES];
        char hex[KEY_HEX + 2];
        crypto_auth_hmacsha256_keygen(fresh);
        sodium_bin2hex(hex, sizeof(hex), fresh, sizeof(fresh));
        sodium_memzero(fresh, sizeof(fresh));
        hex[KEY_HEX] = '\n';
        hex[KEY_HEX + 1] = '\0';
        int w = open(k->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (w >= 0) {
            bool ok = write(w, hex, strlen(hex)) == (ssize_t)strlen(hex);
            ok = fsync(w) == 0 && ok;
            ok = close(w) == 0 && ok;
            sodium_memzero(hex, sizeof(hex));
            if (!ok) {
                unlink(k->path);
                return nt_diag_set(d, NT_EIO, "menulis berkas kunci audit %s gagal", k->path);
            }
            k->made = true;
        } else if (errno != EEXIST) {
            return nt_diag_set(d, NT_EIO, "membuat berkas kunci audit %s gagal: %s", k->path,
                               strerror(errno));
        }
        fd = open(k->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0 && errno == ENOENT)
        return NT_OK; /* no key: have = false */
    if (fd < 0)
        return nt_diag_set(d, NT_EIO, "membuka berkas kunci audit %s gagal: %s", k->path,
                           strerror(errno));
    char buf[KEY_HEX + 8];
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    size_t len = 0;
    if (n > 0) {
        buf[n] = '\0';
        len = strcspn(buf, "\r\n");
    }
    unsigned char seed[32];
    if (len != KEY_HEX || sodium_hex2bin(seed, sizeof(seed), buf, len, NULL, NULL, NULL) != 0) {
        sodium_memzero(buf, sizeof(buf));
        return nt_diag_set(d, NT_EINPUT,
                           "berkas kunci audit %s rusak: harus berisi %d digit heksadesimal",
                           k->path, (int)KEY_HEX);
    }
    sodium_memzero(buf, sizeof(buf));
    key_derive(k, seed);
    sodium_memzero(seed, sizeof(seed));
    key_publish(k);
    char full[NT_SHA256_HEX_LEN + 1];
    mac_hex(k, "netra-audit-key-id", full);
    snprintf(k->id, sizeof(k->id), "%.16s", full);
    k->have = true;
    return NT_OK;
}

static json_t *str_or_null(const char *v)
{
    return v ? json_string(v) : json_null();
}

/* A row's hash: keyed when `k` is given, plain SHA-256 for older rows. */
static enum nt_err row_hash(const struct audit_key *k, int64_t id, const char *at,
                            const char *actor, const char *action, const char *otype,
                            const char *oid, const char *before, const char *after,
                            const char *prev, char out[NT_SHA256_HEX_LEN + 1])
{
    json_t *a =
        json_pack("[I, o, o, o, o, o, o, o, o]", (json_int_t)id, str_or_null(at),
                  str_or_null(actor), str_or_null(action), str_or_null(otype), str_or_null(oid),
                  str_or_null(before), str_or_null(after), str_or_null(prev));
    char *txt = a ? json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(a);
    if (!txt)
        return NT_ENOMEM;
    if (k)
        mac_hex(k, txt, out);
    else
        nt_sha256_hex(txt, strlen(txt), out);
    free(txt);
    return NT_OK;
}

/* "audit_keyed_from": "N:key-id:mac". Returns N, 0 when absent or not
 * this key's (then `why` says which). */
static int64_t keyed_from(const char *v, const struct audit_key *k, const char **why)
{
    long long n = 0;
    char id[17] = "", mac[NT_SHA256_HEX_LEN + 1] = "", msg[96], want[NT_SHA256_HEX_LEN + 1];
    if (!v[0]) {
        *why = "penanda kunci audit hilang dari basis data";
        return 0;
    }
    if (sscanf(v, "%lld:%16[0-9a-f]:%64[0-9a-f]", &n, id, mac) != 3 || n < 1) {
        *why = "penanda kunci audit rusak";
        return 0;
    }
    if (strcmp(id, k->id) != 0) {
        *why = "kunci audit berbeda dari kunci yang dipakai basis data ini";
        return 0;
    }
    snprintf(msg, sizeof(msg), "from:%lld:%s", n, id);
    mac_hex(k, msg, want);
    if (sodium_memcmp(want, mac, NT_SHA256_HEX_LEN) != 0) {
        *why = "penanda kunci audit telah diubah";
        return 0;
    }
    return (int64_t)n;
}

static void head_value(const struct audit_key *k, int64_t id, const char *hash, char *out, size_t n)
{
    if (!k) {
        snprintf(out, n, "%lld:%s", (long long)id, hash);
        return;
    }
    char msg[128], mac[NT_SHA256_HEX_LEN + 1];
    snprintf(msg, sizeof(msg), "head:%lld:%s", (long long)id, hash);
    mac_hex(k, msg, mac);
    snprintf(out, n, "%lld:%s:%s", (long long)id, hash, mac);
}

/* ---- signed checkpoints --------------------------------------------------
 * One line per committed append, in a log outside the database:
 *   ID HASH AT KEY-ID SIGNATURE
 * the Ed25519 signature over "netra-audit-checkpoint:ID:HASH:AT:KEY-ID".
 * A database rolled back to an older copy, or rewritten by one who has the
 * key but not the log, no longer matches the log. */
struct checkpoint_write {
    char path[4096];
    char line[512];
};

static void checkpoint_msg(char *out, size_t n, long long id, const char *hash, const char *at,
                           const char *kid)
{
    snprintf(out, n, "netra-audit-checkpoint:%lld:%s:%s:%s", id, hash, at, kid);
}

#define SIG_HEX (crypto_sign_BYTES * 2 + 1)

/* Sign the checkpoint of row `id` (its hash, the time `at`): its message
 * into `msg`, the Ed25519 signature in hex into `sighex`. */
static void checkpoint_sign(const struct audit_key *k, long long id, const char *hash,
                            const char *at, char msg[200], char sighex[SIG_HEX])
{
    unsigned char sig[crypto_sign_BYTES];
    checkpoint_msg(msg, 200, id, hash, at, k->id);
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), k->sk);
    sodium_bin2hex(sighex, SIG_HEX, sig, sizeof(sig));
}

/* After commit: append the line (best effort; a lagging log only covers
 * fewer rows, and the next append's checkpoint covers them again). */
static void checkpoint_append(void *arg)
{
    const struct checkpoint_write *w = arg;
    int fd = open(w->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return;
    if (write(fd, w->line, strlen(w->line)) == (ssize_t)strlen(w->line))
        fsync(fd);
    close(fd);
}

static enum nt_err checkpoint_queue(struct nt_store *s, const struct audit_key *k, int64_t id,
                                    const char *hash, const char *at, struct nt_diag *d)
{
    struct checkpoint_write *w = malloc(sizeof(*w));
    char msg[200], sighex[SIG_HEX];
    if (!w)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    checkpoint_sign(k, (long long)id, hash, at, msg, sighex);
    snprintf(w->path, sizeof(w->path), "%s", k->log);
    snprintf(w->line, sizeof(w->line), "%lld %s %s %s %s\n", (long long)id, hash, at, k->id,
             sighex);
    nt_store_after_commit(s, checkpoint_append, w);
    return NT_OK;
}

static enum nt_err last_row(struct nt_store *s, int64_t *id, char prev[NT_SHA256_HEX_LEN + 1],
                            struct nt_diag *d);

enum nt_err nt_audit_checkpoint(struct nt_store *s, time_t now, json_t **out, struct nt_diag *d)
{
    struct audit_key k;
    char prev[NT_SHA256_HEX_LEN + 1], at[32], msg[200], sighex[SIG_HEX];
    char pk[crypto_sign_PUBLICKEYBYTES * 2 + 1];
    int64_t last = 0;
    *out = NULL;
    enum nt_err err = key_load(s, &k, false, d);
    if (!err && !k.have)
        err = nt_diag_set(d, NT_ENOTFOUND, "berkas kunci audit %s tidak ditemukan", k.path);
    if (!err)
        err = last_row(s, &last, prev, d);
    if (!err && last == 0)
        err = nt_diag_set(d, NT_ENOTFOUND, "jejak audit masih kosong");
    if (!err) {
        nt_time_iso(now, at, sizeof(at));
        checkpoint_sign(&k, (long long)last, prev, at, msg, sighex);
        sodium_bin2hex(pk, sizeof(pk), k.pk, sizeof(k.pk));
        *out = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "row", (json_int_t)last, "hash",
                         prev, "at", at, "key_id", k.id, "public_key", pk, "message", msg,
                         "signature", sighex);
        if (!*out)
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    key_forget(&k);
    return err;
}

/* Hold the rows (1..last) to every checkpoint in the log, when there is one. */
static enum nt_err check_checkpoints(struct nt_store *s, const struct audit_key *k, int64_t last,
                                     struct nt_audit_check *out, struct nt_diag *d)
{
    FILE *f = fopen(k->log, "re");
    if (!f)
        return errno == ENOENT ? NT_OK
                               : nt_diag_set(d, NT_EIO, "membuka log titik periksa %s gagal: %s",
                                             k->log, strerror(errno));
    struct nt_db_stmt *st = NULL;
    enum nt_err err =
        nt_db_prepare(nt_store_dbh(s), "SELECT hash FROM audit_log WHERE id = ?1", &st, d);
    char line[1024], msg[200];
    long lineno = 0, differs_line = 0;
    int64_t differs = 0, beyond = 0;
    while (!err && !out->problem[0] && fgets(line, sizeof(line), f)) {
        long long id = 0;
        char hash[NT_SHA256_HEX_LEN + 1], at[40], kid[17], sighex[SIG_HEX];
        unsigned char sig[crypto_sign_BYTES];
        lineno++;
        if (sscanf(line, "%lld %64[0-9a-f] %39s %16[0-9a-f] %128[0-9a-f]", &id, hash, at, kid,
                   sighex) != 5 ||
            strlen(sighex) != crypto_sign_BYTES * 2 || id < 1 ||
            sodium_hex2bin(sig, sizeof(sig), sighex, strlen(sighex), NULL, NULL, NULL) != 0) {
            snprintf(out->problem, sizeof(out->problem), "log titik periksa %.120s baris %ld rusak",
                     k->log, lineno);
            break;
        }
        checkpoint_msg(msg, sizeof(msg), id, hash, at, kid);
        if (strcmp(kid, k->id) != 0 ||
            crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), k->pk) != 0) {
            snprintf(out->problem, sizeof(out->problem),
                     "tanda tangan titik periksa tidak sah: %.120s baris %ld", k->log, lineno);
            break;
        }
        out->checkpoints++;
        if (id > last) {
            beyond = id > beyond ? id : beyond;
            continue;
        }
        nt_db_bind_int64(st, 1, id);
        if (nt_db_next(st, &err, d)) {
            const char *h = nt_db_text(st, 0);
            if ((!h || strcmp(h, hash) != 0) && (!differs || id < differs)) {
                differs = id;
                differs_line = lineno;
            }
        }
    }
    fclose(f);
    nt_db_finalize(st);
    if (err || out->problem[0])
        return err;
    if (differs) {
        out->broken_at = differs;
        snprintf(out->problem, sizeof(out->problem),
                 "baris #%lld berbeda dari titik periksa bertanda tangan (%.120s baris %ld)",
                 (long long)differs, k->log, differs_line);
    } else if (beyond) {
        out->broken_at = last + 1;
        snprintf(out->problem, sizeof(out->problem),
                 "baris #%lld sampai #%lld hilang menurut titik periksa bertanda tangan (%.120s)",
                 (long long)last + 1, (long long)beyond, k->log);
    }
    return NT_OK;
}

/* The last row's id and hash (id 0 and GENESIS for an empty trail). */
static enum nt_err last_row(struct nt_store *s, int64_t *id, char prev[NT_SHA256_HEX_LEN + 1],
                            struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s), "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", &st, d);
    if (err)
        return err;
    *id = 0;
    snprintf(prev, NT_SHA256_HEX_LEN + 1, "%s", GENESIS);
    if (nt_db_next(st, &err, d)) {
        *id = nt_db_int64(st, 0);
        snprintf(prev, NT_SHA256_HEX_LEN + 1, "%s", nt_db_text(st, 1));
    }
    nt_db_finalize(st);
    return err;
}

static enum nt_err insert_row(struct nt_store *s, const struct audit_key *k, int64_t id,
                              const char *at, const char *actor, const char *action,
                              const char *object_type, const char *object_id, const char *b,
                              const char *a, const char *prev, char hash[NT_SHA256_HEX_LEN + 1],
                              struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    if (row_hash(k, id, at, actor, action, object_type, object_id, b, a, prev, hash))
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    "INSERT INTO audit_log(id, at, actor, action, object_type, "
                                    "object_id, before, after, prev_hash, hash) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                    &st, d);
    if (err)
        return err;
    const char *v[] = { at, actor, action, object_type, object_id, b, a, prev, hash };
    nt_db_bind_int64(st, 1, id);
    for (int i = 0; i < 9; i++)
        nt_db_bind_text(st, i + 2, v[i]);
    err = nt_db_run(st, d);
    nt_db_finalize(st);
    return err;
}

/*
 * Appends are one at a time: the next row's id and prev_hash are read from
 * the last one, in the appender's transaction. SQLite's writer lock does
 * that already; on PostgreSQL, where writers run side by side, a
 * transaction-scoped advisory lock (released at commit or rollback) makes
 * the second appender wait for the first one's row.
 */
#define AUDIT_LOCK_KEY 0x4e54415544 /* "NTAUD" */
static enum nt_err chain_lock(struct nt_store *s, struct nt_diag *d)
{
    struct nt_db *db = nt_store_dbh(s);
    if (nt_db_kind(db) != NT_DB_POSTGRES)
        return NT_OK;
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(db, "SELECT pg_advisory_xact_lock(?1)", &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, AUDIT_LOCK_KEY);
        err = nt_db_run(st, d);
    }
    nt_db_finalize(st);
    return err;
}

static enum nt_err walk(struct nt_store *s, const struct audit_key *k, int64_t from,
                        struct nt_audit_check *out, char prev[NT_SHA256_HEX_LEN + 1],
                        int64_t *expect, struct nt_diag *d);

/*
 * Put the trail under the key: the first append after the key was made.
 * An older, unkeyed trail is checked first and the outcome recorded in an
 * "audit.key" row, the first keyed one. A trail with rows but no marker,
 * while a key file already existed, is refused: the marker was removed.
 */
static enum nt_err adopt_key(struct nt_store *s, const struct audit_key *k, const char *actor,
                             const char *at, int64_t *last, char prev[NT_SHA256_HEX_LEN + 1],
                             struct nt_diag *d)
{
    char marker[160], msg[96], mac[NT_SHA256_HEX_LEN + 1];
    enum nt_err err = NT_OK;
    if (*last > 0 && !k->made)
        return nt_diag_set(d, NT_ECONFLICT,
                           "jejak audit tanpa penanda kunci padahal berkas kunci %s sudah ada: "
                           "periksa dengan `netra audit verify` (bila basis data ini dipulihkan "
                           "dari cadangan lama, pakai berkas kunci lain lewat NETRA_AUDIT_KEY)",
                           k->path);
    int64_t from = *last + 1;
    if (*last > 0) {
        struct nt_audit_check chk;
        char lp[NT_SHA256_HEX_LEN + 1];
        int64_t expect = 1;
        err = walk(s, NULL, INT64_MAX, &chk, lp, &expect, d);
        if (err)
            return err;
        json_t *after =
            json_pack("{s:s, s:I, s:b, s:s}", "key_id", k->id, "unkeyed_rows", (json_int_t)*last,
                      "unkeyed_intact", chk.broken_at == 0, "unkeyed_problem", chk.problem);
        char *txt = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(after);
        if (!txt)
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        char hash[NT_SHA256_HEX_LEN + 1];
        err =
            insert_row(s, k, from, at, actor, "audit.key", "audit", NULL, NULL, txt, prev, hash, d);
        free(txt);
        if (err)
            return err;
        *last = from;
        snprintf(prev, NT_SHA256_HEX_LEN + 1, "%s", hash);
    }
    snprintf(msg, sizeof(msg), "from:%lld:%s", (long long)from, k->id);
    mac_hex(k, msg, mac);
    snprintf(marker, sizeof(marker), "%lld:%s:%s", (long long)from, k->id, mac);
    return nt_store_setting_set(s, "audit_keyed_from", marker, at, d);
}

enum nt_err nt_audit_append(struct nt_store *s, const char *actor, const char *action,
                            const char *object_type, const char *object_id, json_t *before,
                            json_t *after, time_t now, struct nt_diag *d)
{
    char at[32], prev[NT_SHA256_HEX_LEN + 1], hash[NT_SHA256_HEX_LEN + 1];
    char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char marker[160] = "", head[256];
    struct audit_key k;
    int64_t last = 0;
    json_decref(before);
    json_decref(after);
    nt_time_iso(now, at, sizeof(at));
    enum nt_err err = NT_OK;
    if ((before && !b) || (after && !a)) {
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        goto out;
    }
    err = nt_store_setting_get(s, "audit_keyed_from", marker, sizeof(marker), d);
    if (err == NT_ENOTFOUND)
        err = NT_OK;
    if (!err)
        err = key_load(s, &k, !marker[0], d);
    if (err)
        goto out;
    if (!k.have) {
        err = nt_diag_set(d, NT_ENOTFOUND,
                          "berkas kunci audit %s tidak ditemukan: tindakan tidak dapat dicatat "
                          "(atur NETRA_AUDIT_KEY ke berkas kunci basis data ini)",
                          k.path);
        goto out;
    }
    err = chain_lock(s, d);
    if (!err) /* the marker again, under the lock: another process may have set it */
        err = nt_store_setting_get(s, "audit_keyed_from", marker, sizeof(marker), d);
    if (err == NT_ENOTFOUND)
        err = NT_OK;
    if (!err)
        err = last_row(s, &last, prev, d);
    if (!err && !marker[0])
        err = adopt_key(s, &k, actor, at, &last, prev, d);
    else if (!err) {
        const char *why = NULL;
        if (!keyed_from(marker, &k, &why))
            err = nt_diag_set(d, NT_ECONFLICT, "%s (%s): tindakan tidak dicatat", why, k.path);
    }
    if (!err)
        err = insert_row(s, &k, last + 1, at, actor, action, object_type, object_id, b, a, prev,
                         hash, d);
    if (!err) {
        head_value(&k, last + 1, hash, head, sizeof(head));
        err = nt_store_setting_set(s, "audit_head", head, at, d);
    }
    if (!err)
        err = checkpoint_queue(s, &k, last + 1, hash, at, d);
    key_forget(&k);
out:
    free(b);
    free(a);
    return err;
}

enum nt_err nt_audit_record(struct nt_store *s, const char *actor, const char *action,
                            const char *object_type, const char *object_id, json_t *after,
                            time_t now, struct nt_diag *d)
{
    enum nt_err err = nt_store_begin(s, d);
    if (err) {
        json_decref(after);
        return err;
    }
    err = nt_audit_append(s, actor, action, object_type, object_id, NULL, after, now, d);
    return nt_rv_finish(s, err, d);
}

/* Walk the rows: keyed from id `from` on. Leaves the last good hash in
 * `prev` and the next id expected in `*expect`. */
static enum nt_err walk(struct nt_store *s, const struct audit_key *k, int64_t from,
                        struct nt_audit_check *out, char prev[NT_SHA256_HEX_LEN + 1],
                        int64_t *expect, struct nt_diag *d)
{
    char hash[NT_SHA256_HEX_LEN + 1];
    memset(out, 0, sizeof(*out));
    snprintf(prev, NT_SHA256_HEX_LEN + 1, "%s", GENESIS);
    *expect = 1;
    /* By pages of ids (PostgreSQL hands a query's rows over whole). */
    enum { PAGE = 4096 };
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    "SELECT id, at, actor, action, object_type, object_id, "
                                    "before, after, prev_hash, hash FROM audit_log WHERE id > ?1 "
                                    "ORDER BY id LIMIT ?2",
                                    &st, d);
    if (err)
        return err;
    int64_t after = 0, got = PAGE;
#define T(i) nt_db_text(st, i)
    /* A failed read is not tampering: an error, named as one. */
    while (got == PAGE && !out->problem[0] && !err) {
        nt_db_bind_int64(st, 1, after);
        nt_db_bind_int64(st, 2, PAGE);
        got = 0;
        while (!out->problem[0] && nt_db_next(st, &err, d)) {
            int64_t id = nt_db_int64(st, 0);
            got++;
            after = id;
            out->rows++;
            if (id != *expect) {
                out->broken_at = id;
                snprintf(out->problem, sizeof(out->problem),
                         "baris #%lld sampai #%lld hilang (rantai terputus sebelum #%lld)",
                         (long long)*expect, (long long)id - 1, (long long)id);
                break;
            }
            if (!T(8) || strcmp(T(8), prev) != 0) {
                out->broken_at = id;
                snprintf(out->problem, sizeof(out->problem),
                         "baris #%lld tidak menyambung ke baris sebelumnya (prev_hash berbeda)",
                         (long long)id);
                break;
            }
            if (row_hash(id >= from ? k : NULL, id, T(1), T(2), T(3), T(4), T(5), T(6), T(7), T(8),
                         hash)) {
                nt_db_finalize(st);
                return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            }
            if (!T(9) || strcmp(T(9), hash) != 0) {
                out->broken_at = id;
                snprintf(out->problem, sizeof(out->problem),
                         "baris #%lld telah diubah (hash isinya tidak cocok)", (long long)id);
                break;
            }
            snprintf(prev, NT_SHA256_HEX_LEN + 1, "%s", hash);
            *expect = id + 1;
        }
    }
#undef T
    nt_db_finalize(st);
    return err;
}

/*
 * The records that audited actions write, held to the rows that recorded
 * them: a record no audit row vouches for (edited, or added by hand), a
 * recorded one whose row is gone, and a case whose state is not where its
 * transitions left it. One table: a new kind of record adds a line.
 */
/* The checks are written once for both engines: JT a JSON member as
 * text, JI as an integer, JB as a truth value; IS / ISNOT compare with
 * NULL equal to NULL. */
#define J_SQLITE(C, K) "json_extract(" C ", '$." K "')"
#define JT_PG(C, K)    "(CAST(" C " AS jsonb) ->> '" K "')"
#define JI_PG(C, K)    "CAST(CAST(" C " AS jsonb) ->> '" K "' AS BIGINT)"
#define JB_PG(C, K)    "(CAST(" C " AS jsonb) -> '" K "' = 'true')"
/* clang-format off */
#define DECISION_MISMATCH(JT, JI, IS)                                                              \
    "SELECT d.id FROM decisions d LEFT JOIN users u ON u.id = d.user_id "                          \
    "WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action IN ('item.decide', "               \
    "'item.undo') AND a.object_type = 'item' AND a.object_id = CAST(d.item_id AS TEXT) "           \
    "AND coalesce(" JI("a.after", "decision_id") ", d.id) = d.id "                                 \
    "AND a.at = d.decided_at AND a.actor " IS " u.name "                                           \
    "AND " JT("a.after", "decision") " " IS " d.decision "                                         \
    "AND " JT("a.after", "category") " " IS " d.category "                                         \
    "AND " JT("a.after", "reason_code") " " IS " d.reason_code "                                   \
    "AND " JT("a.after", "reason") " " IS " d.reason "                                             \
    "AND " JI("a.after", "undoes") " " IS " d.undoes) ORDER BY d.id LIMIT 1"
/* The first id the trail records (under KEY of its `after`, by one of
 * ACTIONS) whose row in TABLE is gone. */
#define RECORDED_GONE(JI, ACTIONS, KEY, TABLE)                                                     \
    "SELECT " JI("a.after", KEY) " FROM audit_log a WHERE a.action IN (" ACTIONS ") "              \
    "AND " JI("a.after", KEY) " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " TABLE " r "             \
    "WHERE r.id = " JI("a.after", KEY) ") ORDER BY a.id LIMIT 1"
#define DECISION_GONE(JI)   RECORDED_GONE(JI, "'item.decide', 'item.undo'", "decision_id", "decisions")
#define TRANSITION_MISMATCH(JT, JI, IS)                                                            \
    "SELECT t.id FROM case_transitions t LEFT JOIN users u ON u.id = t.user_id "                   \
    "WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.object_type = 'case' "                    \
    "AND a.object_id = CAST(t.case_id AS TEXT) "                                                   \
    "AND a.action = CASE WHEN t.from_state IS NULL THEN 'case.open' ELSE 'case.advance' END "      \
    "AND coalesce(" JI("a.after", "transition_id") ", t.id) = t.id "                               \
    "AND a.at = t.at AND a.actor " IS " u.name "                                                   \
    "AND " JT("a.after", "state") " " IS " t.to_state "                                            \
    "AND " JT("a.after", "note") " " IS " t.note "                                                 \
    "AND " JT("a.before", "state") " " IS " t.from_state) ORDER BY t.id LIMIT 1"
#define TRANSITION_GONE(JI)                                                                        \
    RECORDED_GONE(JI, "'case.open', 'case.advance'", "transition_id", "case_transitions")
#define ACTIVATED(JB, kind)                                                                        \
    "a.object_type = '" kind "' AND (a.action = '" kind ".activate' OR (a.action = '" kind         \
    ".import' AND " JB("a.after", "active") "))"
#define ACTIVE_CHECK(JB, ISNOT, kind, table)                                                       \
    "SELECT v.id FROM " table " v WHERE v.active = 1 AND EXISTS (SELECT 1 FROM audit_log a "       \
    "WHERE " ACTIVATED(JB, kind) ") AND CAST(v.id AS TEXT) " ISNOT " (SELECT a.object_id FROM "    \
    "audit_log a WHERE " ACTIVATED(JB, kind) " ORDER BY a.id DESC LIMIT 1)"
#define CASE_STATE(ISNOT)                                                                          \
    "SELECT c.id FROM cases c WHERE c.state " ISNOT " (SELECT t.to_state FROM case_transitions t " \
    "WHERE t.case_id = c.id ORDER BY t.id DESC LIMIT 1) ORDER BY c.id LIMIT 1"
/* clang-format on */
static const struct record_check {
    const char *noun; /* "keputusan #N ..." */
    bool decision;    /* sets out->decision */
    const char *what;
    const char *sqlite, *pg; /* the first offending id, or no row */
} record_checks[] = {
    { "keputusan", true, "tidak cocok dengan jejak audit (diubah atau ditambahkan di luar Netra)",
      DECISION_MISMATCH(J_SQLITE, J_SQLITE, "IS"),
      DECISION_MISMATCH(JT_PG, JI_PG, "IS NOT DISTINCT FROM") },
    { "keputusan", true, "tercatat di jejak audit tetapi barisnya telah dihapus",
      DECISION_GONE(J_SQLITE), DECISION_GONE(JI_PG) },
    { "perpindahan status kasus", false,
      "tidak cocok dengan jejak audit (diubah atau ditambahkan di luar Netra)",
      TRANSITION_MISMATCH(J_SQLITE, J_SQLITE, "IS"),
      TRANSITION_MISMATCH(JT_PG, JI_PG, "IS NOT DISTINCT FROM") },
    { "perpindahan status kasus", false, "tercatat di jejak audit tetapi barisnya telah dihapus",
      TRANSITION_GONE(J_SQLITE), TRANSITION_GONE(JI_PG) },
    { "versi leksikon", false,
      "aktif, tetapi bukan versi terakhir yang diaktifkan menurut jejak audit",
      ACTIVE_CHECK(J_SQLITE, "IS NOT", "lexicon", "lexicon_versions"),
      ACTIVE_CHECK(JB_PG, "IS DISTINCT FROM", "lexicon", "lexicon_versions") },
    { "versi model sikap", false,
      "aktif, tetapi bukan versi terakhir yang diaktifkan menurut jejak audit",
      ACTIVE_CHECK(J_SQLITE, "IS NOT", "model", "model_versions"),
      ACTIVE_CHECK(JB_PG, "IS DISTINCT FROM", "model", "model_versions") },
    { "kasus", false, "berstatus lain dari perpindahan terakhirnya yang tercatat",
      CASE_STATE("IS NOT"), CASE_STATE("IS DISTINCT FROM") },
};
#undef CASE_STATE
#undef ACTIVE_CHECK
#undef ACTIVATED
#undef TRANSITION_GONE
#undef TRANSITION_MISMATCH
#undef DECISION_GONE
#undef RECORDED_GONE
#undef DECISION_MISMATCH

static enum nt_err doc_sha256(struct nt_store *s, enum nt_store_doc kind, int64_t id,
                              char out[NT_SHA256_HEX_LEN + 1], struct nt_diag *d);

/* Every imported or activated version whose hash the trail recorded is
 * hashed again from its stored bytes. */
static enum nt_err check_docs(struct nt_store *s, struct nt_audit_check *out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
#define DOCS(INT, SHA)                                                                             \
    "SELECT object_type, CAST(object_id AS " INT "), " SHA " FROM audit_log WHERE action IN "      \
    "('lexicon.import', 'lexicon.activate', 'model.import', 'model.activate') AND " SHA            \
    " IS NOT NULL ORDER BY id"
    enum nt_err err =
        nt_db_prepare_for(nt_store_dbh(s), DOCS("INTEGER", J_SQLITE("after", "sha256")),
                          DOCS("BIGINT", JT_PG("after", "sha256")), &st, d);
#undef DOCS
    if (err)
        return err;
    char hash[NT_SHA256_HEX_LEN + 1];
    while (!out->problem[0] && nt_db_next(st, &err, d)) {
        bool lexicon = strcmp(nt_db_text(st, 0), "lexicon") == 0;
        long long id = nt_db_int64(st, 1);
        const char *want = nt_db_text(st, 2);
        const char *noun = lexicon ? "versi leksikon" : "versi model sikap";
        err = doc_sha256(s, lexicon ? NT_DOC_LEXICON : NT_DOC_MODEL, id, hash, d);
        if (err == NT_ENOTFOUND) {
            err = NT_OK;
            snprintf(out->problem, sizeof(out->problem),
                     "%s #%lld yang tercatat di jejak audit telah dihapus", noun, id);
        } else if (!err && strcmp(hash, want) != 0) {
            snprintf(out->problem, sizeof(out->problem),
                     "%s #%lld berbeda dari isi yang tercatat di jejak audit (SHA-256 lain)", noun,
                     id);
        }
    }
    nt_db_finalize(st);
    return err;
}

#undef JB_PG
#undef JI_PG
#undef JT_PG
#undef J_SQLITE

static enum nt_err check_records(struct nt_store *s, struct nt_audit_check *out, struct nt_diag *d)
{
    size_t n = sizeof(record_checks) / sizeof(record_checks[0]);
    for (size_t i = 0; i < n && !out->problem[0]; i++) {
        const struct record_check *c = &record_checks[i];
        struct nt_db_stmt *st = NULL;
        enum nt_err err = nt_db_prepare_for(nt_store_dbh(s), c->sqlite, c->pg, &st, d);
        if (err)
            return err;
        if (nt_db_next(st, &err, d)) {
            long long id = nt_db_int64(st, 0);
            if (c->decision)
                out->decision = id;
            snprintf(out->problem, sizeof(out->problem), "%s #%lld %s", c->noun, id, c->what);
        }
        nt_db_finalize(st);
        if (err)
            return err;
    }
    return NT_OK;
}

enum nt_err nt_audit_verify(struct nt_store *s, struct nt_audit_check *out, struct nt_diag *d)
{
    char prev[NT_SHA256_HEX_LEN + 1], marker[160] = "", head[256] = "", want[256];
    struct audit_key k;
    int64_t expect = 1, from = INT64_MAX;
    const char *why = NULL;
    memset(out, 0, sizeof(*out));
    enum nt_err err = nt_store_setting_get(s, "audit_keyed_from", marker, sizeof(marker), d);
    if (err && err != NT_ENOTFOUND)
        return err;
    err = key_load(s, &k, false, d);
    if (err)
        return err;
    if (!k.have && marker[0])
        return nt_diag_set(d, NT_ENOTFOUND,
                           "berkas kunci audit %s tidak ditemukan: rantai berkunci tidak dapat "
                           "diperiksa tanpanya (atur NETRA_AUDIT_KEY)",
                           k.path);
    if (k.have) {
        from = keyed_from(marker, &k, &why);
        if (!from)
            from = 1; /* with the key at hand, every row must hold under it */
    }
    err = walk(s, k.have ? &k : NULL, from, out, prev, &expect, d);
    if (k.have) {
        snprintf(out->key_id, sizeof(out->key_id), "%s", k.id);
        out->keyed_from = from;
    }
    /* A missing or foreign marker explains any row that fails: name it first. */
    if (!err && why && (out->rows > 0 || marker[0])) {
        out->broken_at = out->rows > 0 ? 1 : 0;
        snprintf(out->problem, sizeof(out->problem), "%s", why);
    }
    if (!err && !out->problem[0])
        err = nt_store_setting_get(s, "audit_head", head, sizeof(head), d);
    if (err == NT_ENOTFOUND)
        err = NT_OK;
    if (!err && !out->problem[0] && (out->rows > 0 || head[0])) {
        int64_t last = expect - 1;
        head_value(k.have && last >= from ? &k : NULL, last, prev, want, sizeof(want));
        if (strcmp(head, want) != 0) {
            long long hid = strtoll(head, NULL, 10);
            out->broken_at = last + 1;
            if (hid > last)
                snprintf(out->problem, sizeof(out->problem),
                         "baris #%lld sampai #%lld hilang dari ujung rantai", (long long)last + 1,
                         hid);
            else
                snprintf(out->problem, sizeof(out->problem),
                         "ujung rantai tidak cocok: catatan ujung (baris #%lld) diubah", hid);
        }
    }
    if (!err && !out->problem[0] && k.have)
        err = check_checkpoints(s, &k, expect - 1, out, d);
    key_forget(&k);
    if (!err && !out->problem[0])
        err = check_records(s, out, d);
    if (!err && !out->problem[0])
        err = check_docs(s, out, d);
    out->broken = out->problem[0] != 0;
    return err;
}

enum nt_err nt_audit_list(struct nt_store *s, const struct nt_user *actor,
                          const struct nt_audit_filter *f, json_t **out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    char to_next[16] = "";
    enum nt_err err =
        nt_user_require(actor, NT_ROLE_ADMIN | NT_ROLE_SUPERVISOR, "melihat jejak audit", d);
    if (err)
        return err;
    /* Up to the end of that day. */
    if (f->to && !nt_date_next_day(f->to, to_next, sizeof(to_next)))
        return nt_diag_set(d, NT_EINPUT, "tanggal akhir \"%.40s\" tidak sah (YYYY-MM-DD)", f->to);
    err = nt_db_prepare(nt_store_dbh(s),
                        "SELECT id, at, actor, action, object_type, object_id, before, after, hash "
                        "FROM audit_log WHERE (CAST(?1 AS TEXT) IS NULL OR actor = ?1) "
                        "AND (CAST(?2 AS TEXT) IS NULL OR action = ?2 OR action LIKE ?2 || '.%') "
                        "AND (CAST(?3 AS TEXT) IS NULL OR object_type = ?3) "
                        "AND (CAST(?4 AS TEXT) IS NULL OR object_id = ?4) "
                        "AND (CAST(?5 AS TEXT) IS NULL OR at >= ?5) "
                        "AND (CAST(?6 AS TEXT) IS NULL OR at < ?6) AND (?8 = 0 OR id < ?8) "
                        "ORDER BY id DESC LIMIT ?7",
                        &st, d);
    if (err)
        return err;
    const char *v[] = { f->actor,     f->action, f->object_type,
                        f->object_id, f->from,   to_next[0] ? to_next : NULL };
    for (int i = 0; i < 6; i++)
        nt_db_bind_text(st, i + 1, v[i]);
    nt_db_bind_int64(st, 7, f->limit ? (int64_t)f->limit : 100);
    nt_db_bind_int64(st, 8, f->before > 0 ? f->before : 0);
    json_t *a = json_array();
    while (nt_db_next(st, &err, d)) {
        const char *bt = nt_db_text(st, 6), *at = nt_db_text(st, 7);
        json_t *before = bt ? json_loads(bt, 0, NULL) : NULL;
        json_t *after = at ? json_loads(at, 0, NULL) : NULL;
        json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                                           (json_int_t)nt_db_int64(st, 0), "at", nt_rv_col(st, 1),
                                           "actor", nt_rv_col(st, 2), "action", nt_rv_col(st, 3),
                                           "object_type", nt_rv_col(st, 4), "object_id",
                                           nt_rv_col(st, 5), "before",
                                           before ? before : json_null(), "after",
                                           after ? after : json_null(), "hash", nt_rv_col(st, 8)));
    }
    nt_db_finalize(st);
    if (err) {
        json_decref(a);
        return err;
    }
    *out = a;
    return NT_OK;
}

/* SHA-256 of a stored version's bytes, computed again from them. */
static enum nt_err doc_sha256(struct nt_store *s, enum nt_store_doc kind, int64_t id,
                              char out[NT_SHA256_HEX_LEN + 1], struct nt_diag *d)
{
    char *body = NULL;
    size_t len = 0;
    int64_t found = 0;
    enum nt_err err = nt_store_doc_body(s, kind, id, &body, &len, &found, d);
    if (!err)
        nt_sha256_hex(body, len, out);
    free(body);
    return err;
}

enum nt_err nt_doc_import_audited(struct nt_store *s, const struct nt_user *u,
                                  enum nt_store_doc kind, nt_doc_add_fn add, void *arg,
                                  json_t *after, time_t now, int64_t *id, bool *active,
                                  struct nt_diag *d)
{
    bool lexicon = kind == NT_DOC_LEXICON;
    char oid[32], hash[NT_SHA256_HEX_LEN + 1];
    enum nt_err err = NT_OK;
    if (u)
        err = nt_user_require(u, NT_ROLE_ANALYST | NT_ROLE_ADMIN,
                              lexicon ? "mengubah leksikon" : "mengubah model sikap", d);
    if (!err)
        err = nt_store_begin(s, d);
    if (err) {
        json_decref(after);
        return err;
    }
    *active = false;
    err = add(s, arg, id, active, d);
    if (!err && u)
        err = doc_sha256(s, kind, *id, hash, d);
    if (!err && u) {
        if (!after)
            after = json_object();
        json_object_set_new(after, "active", json_boolean(*active));
        json_object_set_new(after, "sha256", json_string(hash));
        snprintf(oid, sizeof(oid), "%lld", (long long)*id);
        err = nt_audit_append(s, u->name, lexicon ? "lexicon.import" : "model.import",
                              lexicon ? "lexicon" : "model", oid, NULL, after, now, d);
        after = NULL; /* taken */
    }
    json_decref(after);
    if (!err)
        err = nt_store_commit(s, d);
    nt_store_rollback(s);
    return err;
}

enum nt_err nt_doc_activate_audited(struct nt_store *s, const struct nt_user *u,
                                    enum nt_store_doc kind, int64_t id, time_t now,
                                    struct nt_diag *d)
{
    bool lexicon = kind == NT_DOC_LEXICON;
    if (u) {
        enum nt_err err =
            nt_user_require(u, NT_ROLE_ANALYST | NT_ROLE_ADMIN,
                            lexicon ? "mengubah leksikon" : "mengubah model sikap", d);
        if (err)
            return err;
    }
    char oid[32];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    enum nt_err err = nt_store_begin(s, d);
    char hash[NT_SHA256_HEX_LEN + 1];
    if (!err)
        err = nt_store_doc_set_active(s, kind, id, d);
    if (!err && u)
        err = doc_sha256(s, kind, id, hash, d);
    if (!err && u)
        err = nt_audit_append(s, u->name, lexicon ? "lexicon.activate" : "model.activate",
                              lexicon ? "lexicon" : "model", oid, NULL,
                              json_pack("{s:I, s:s}", "version", (json_int_t)id, "sha256", hash),
                              now, d);
    if (!err)
        err = nt_store_commit(s, d);
    nt_store_rollback(s);
    return err;
}
