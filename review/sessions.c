/*
 * sessions.c - signed-in browsers and the login throttle, kept in the
 * database so that every `netra serve` process behind one proxy shares
 * them (and a restart logs no one out).
 *
 * A session is the SHA-256 of the cookie's token (never the token), the
 * CSRF token, the user, when it was made and last seen. A session idle
 * longer than the server's limit is gone; "last seen" is written at most
 * once a minute, so that reading pages does not queue for the writer.
 *
 * The throttle counts failed logins per user name and per client address
 * (login_failures): a name is locked after NT_LOGIN_MAX_FAILS failures, an
 * address (an office's NAT holds many users) after NT_LOGIN_MAX_FAILS_IP,
 * for NT_LOGIN_LOCK_SECONDS, which is also how long a failure is
 * remembered; a success clears the name's count. A locked address is
 * refused before any name is looked at. Rows older than the lock go as
 * failures come: each failed attempt already cost a password hash, so the
 * table cannot grow faster than the server can check passwords.
 *
 * Through store/db.h: the same SQL on SQLite and PostgreSQL.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "internal.h"

#define SEEN_EVERY 60 /* seconds between writes of last_seen */

static void token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof(h));
}

static void random_hex(char out[65])
{
    unsigned char b[32];
    randombytes_buf(b, sizeof(b));
    sodium_bin2hex(out, 65, b, sizeof(b));
}

/* Time values for run1's ?5. */
#define NO_TIME NULL
#define AT(t)   (&(int64_t){ (int64_t)(t) })

/* One statement of up to four texts (?1..?4, NULL ones unbound) and a
 * time (?5, unless NO_TIME). */
static enum nt_err run1(struct nt_db *db, const char *sql, const char *a, const char *b,
                        const char *c, const char *e, const int64_t *n, struct nt_diag *d)
{
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(db, sql, &st, d);
    if (err)
        return err;
    const char *v[] = { a, b, c, e };
    for (int i = 0; i < 4; i++)
        if (v[i])
            nt_db_bind_text(st, i + 1, v[i]);
    if (n)
        nt_db_bind_int64(st, 5, *n);
    err = nt_db_run(st, d);
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_session_new(struct nt_db *db, const char *user, time_t now, long idle,
                           char token[65], char csrf[65], struct nt_diag *d)
{
    char hash[65], at[32];
    random_hex(token);
    random_hex(csrf);
    token_hash(token, hash);
    nt_time_iso(now, at, sizeof(at));
    /* Sessions idle past the limit go as new ones come. */
    enum nt_err err = run1(db, "DELETE FROM web_sessions WHERE last_seen < ?5", NULL, NULL, NULL,
                           NULL, AT(now - idle), d);
    if (!err)
        err = run1(db,
                   "INSERT INTO web_sessions(token_sha256, csrf, user_name, created_at, "
                   "last_seen) VALUES (?1, ?2, ?3, ?4, ?5)",
                   hash, csrf, user, at, AT(now), d);
    if (err) {
        sodium_memzero(token, 65);
        sodium_memzero(csrf, 65);
    }
    return err;
}

enum nt_err nt_session_find(struct nt_db *db, const char *token, time_t now, long idle,
                            char user[64], char csrf[65], struct nt_diag *d)
{
    char hash[65];
    if (!token || strlen(token) != 64)
        return nt_diag_set(d, NT_ENOTFOUND, "sesi tidak dikenal");
    token_hash(token, hash);
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(
        db, "SELECT user_name, csrf, last_seen FROM web_sessions WHERE token_sha256 = ?1", &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, hash);
    int64_t last = 0;
    bool found = nt_db_next(st, &err, d);
    if (found) {
        snprintf(user, 64, "%s", nt_db_text(st, 0));
        snprintf(csrf, 65, "%s", nt_db_text(st, 1));
        last = nt_db_int64(st, 2);
    }
    nt_db_finalize(st);
    if (err)
        return err;
    if (!found)
        return nt_diag_set(d, NT_ENOTFOUND, "sesi tidak dikenal");
    if ((int64_t)now - last > idle) {
        run1(db, "DELETE FROM web_sessions WHERE token_sha256 = ?1", hash, NULL, NULL, NULL,
             NO_TIME, d);
        return nt_diag_set(d, NT_ENOTFOUND, "sesi berakhir");
    }
    if ((int64_t)now - last >= SEEN_EVERY)
        err = run1(db, "UPDATE web_sessions SET last_seen = ?5 WHERE token_sha256 = ?1", hash, NULL,
                   NULL, NULL, AT(now), d);
    return err;
}

enum nt_err nt_session_end(struct nt_db *db, const char *token, struct nt_diag *d)
{
    char hash[65];
    if (!token || strlen(token) != 64)
        return NT_OK;
    token_hash(token, hash);
    return run1(db, "DELETE FROM web_sessions WHERE token_sha256 = ?1", hash, NULL, NULL, NULL,
                NO_TIME, d);
}

enum nt_err nt_session_end_user(struct nt_db *db, const char *user, struct nt_diag *d)
{
    return run1(db, "DELETE FROM web_sessions WHERE user_name = ?1", user, NULL, NULL, NULL,
                NO_TIME, d);
}

/* ---- the login throttle ---- */

static void throttle_keys(const char *user, const char *addr, char name[160], char place[160])
{
    snprintf(name, 160, "u:%.150s", user);
    snprintf(place, 160, "a:%.150s", addr);
}

enum nt_err nt_login_allowed(struct nt_db *db, const char *user, const char *addr, time_t now,
                             bool *ok, struct nt_diag *d)
{
    char name[160], place[160];
    throttle_keys(user, addr, name, place);
    struct nt_db_stmt *st;
    *ok = false;
    enum nt_err err = nt_db_prepare(db,
                                    "SELECT count(*) FROM login_failures WHERE key IN (?1, ?2) "
                                    "AND until > ?3",
                                    &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, place);
    nt_db_bind_text(st, 2, name);
    nt_db_bind_int64(st, 3, (int64_t)now);
    if (nt_db_next(st, &err, d))
        *ok = nt_db_int64(st, 0) == 0;
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_login_result(struct nt_db *db, const char *user, const char *addr, bool success,
                            time_t now, struct nt_diag *d)
{
    char keys[2][160];
    throttle_keys(user, addr, keys[0], keys[1]);
    struct nt_db_stmt *st = NULL;
    enum nt_err err;
    if (success)
        return run1(db, "DELETE FROM login_failures WHERE key = ?1", keys[0], NULL, NULL, NULL,
                    NO_TIME, d);
    err = run1(db,
               "DELETE FROM login_failures WHERE until <= ?5 AND last <= CAST(?5 AS BIGINT) - 300",
               NULL, NULL, NULL, NULL, AT(now), d);
    /* An old lock or old failures are forgotten: the count starts over.
     * (Every right-hand side reads the row as it was.) */
    if (!err)
        err = nt_db_prepare(
            db,
            /* (numbers cast where PostgreSQL could not infer a parameter's type) */
            "INSERT INTO login_failures(key, fails, until, last) VALUES (?1, 1, CASE WHEN 1 >= "
            "CAST(?2 AS BIGINT) THEN CAST(?3 AS BIGINT) + CAST(?4 AS BIGINT) ELSE 0 END, ?3) "
            "ON CONFLICT(key) DO UPDATE SET fails = CASE WHEN (login_failures.until != 0 AND "
            "login_failures.until <= ?3) OR (login_failures.until = 0 AND login_failures.last + "
            "CAST(?4 AS BIGINT) <= ?3) THEN 1 ELSE login_failures.fails + 1 END, until = CASE "
            "WHEN (CASE WHEN (login_failures.until != 0 AND login_failures.until <= ?3) OR "
            "(login_failures.until = 0 AND login_failures.last + CAST(?4 AS BIGINT) <= ?3) THEN 1 "
            "ELSE login_failures.fails + 1 END) >= CAST(?2 AS BIGINT) THEN CAST(?3 AS BIGINT) + "
            "CAST(?4 AS BIGINT) ELSE 0 END, last = ?3",
            &st, d);
    for (int i = 0; !err && i < 2; i++) {
        nt_db_bind_text(st, 1, keys[i]);
        nt_db_bind_int64(st, 2, i == 0 ? NT_LOGIN_MAX_FAILS : NT_LOGIN_MAX_FAILS_IP);
        nt_db_bind_int64(st, 3, (int64_t)now);
        nt_db_bind_int64(st, 4, NT_LOGIN_LOCK_SECONDS);
        err = nt_db_run(st, d);
    }
    nt_db_finalize(st);
    return err;
}
