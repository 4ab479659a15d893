/*
 * users.c - users, roles and agencies; argon2id password hashes (libsodium).
 */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "internal.h"

static const struct {
    enum nt_role role;
    const char *name;
} roles[] = { { NT_ROLE_REVIEWER, "reviewer" },
              { NT_ROLE_ANALYST, "analyst" },
              { NT_ROLE_SUPERVISOR, "supervisor" },
              { NT_ROLE_ADMIN, "admin" } };

const char *nt_role_name(enum nt_role r)
{
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (roles[i].role == r)
            return roles[i].name;
    return "?";
}

enum nt_role nt_role_from_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof(roles) / sizeof(roles[0]); i++)
        if (strcmp(roles[i].name, name) == 0)
            return roles[i].role;
    return 0;
}

json_t *nt_rv_col(struct nt_db_stmt *st, int i)
{
    const char *v = nt_db_text(st, i);
    return v ? json_string(v) : json_null();
}

enum nt_err nt_rv_prepare_built(struct nt_store *s, struct nt_buf *q, struct nt_db_stmt **st,
                                struct nt_diag *d)
{
    return nt_buf_str(q) ? nt_db_prepare(nt_store_dbh(s), nt_buf_str(q), st, d)
                         : nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
}

enum nt_err nt_rv_finish(struct nt_store *s, enum nt_err err, struct nt_diag *d)
{
    if (!err)
        err = nt_store_commit(s, d);
    nt_store_rollback(s);
    return err;
}

enum nt_err nt_user_load(struct nt_store *s, const char *name, struct nt_user *out,
                         struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    memset(out, 0, sizeof(*out));
    if (!name || !*name)
        return nt_diag_set(d, NT_EPERM,
                           "pengguna yang bertindak belum disebut (--as NAMA atau NETRA_USER)");
    struct nt_db *db = nt_store_dbh(s);
    enum nt_err err =
        nt_db_prepare(db, "SELECT id, role, active FROM users WHERE name = ?1", &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, name);
    if (!nt_db_next(st, &err, d)) {
        nt_db_finalize(st);
        return err ? err : nt_diag_set(d, NT_ENOTFOUND, "pengguna \"%s\" tidak terdaftar", name);
    }
    out->id = nt_db_int64(st, 0);
    out->role = nt_role_from_name(nt_db_text(st, 1));
    bool active = nt_db_int64(st, 2) != 0;
    nt_db_finalize(st);
    if (!active)
        return nt_diag_set(d, NT_EPERM, "pengguna \"%s\" sudah dinonaktifkan", name);
    snprintf(out->name, sizeof(out->name), "%s", name);
    err = nt_db_prepare(db, "SELECT agency FROM user_agencies WHERE user_id = ?1 ORDER BY agency",
                        &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, out->id);
    while (nt_db_next(st, &err, d)) {
        char **v = realloc(out->agencies, (out->nagencies + 1) * sizeof(*v));
        char *a = strdup(nt_db_text(st, 0));
        if (v)
            out->agencies = v;
        if (!v || !a) {
            free(a);
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            break;
        }
        out->agencies[out->nagencies++] = a;
    }
    nt_db_finalize(st);
    if (err)
        nt_user_release(out);
    return err;
}

void nt_user_release(struct nt_user *u)
{
    for (size_t i = 0; i < u->nagencies; i++)
        free(u->agencies[i]);
    free(u->agencies);
    u->agencies = NULL;
    u->nagencies = 0;
}

bool nt_user_sees(const struct nt_user *u, const char *agency)
{
    if (u->role == NT_ROLE_ADMIN)
        return true;
    for (size_t i = 0; agency && i < u->nagencies; i++)
        if (strcmp(u->agencies[i], agency) == 0)
            return true;
    return false;
}

enum nt_err nt_user_require(const struct nt_user *u, unsigned mask, const char *action,
                            struct nt_diag *d)
{
    if (u && (u->role & mask))
        return NT_OK;
    return nt_diag_set(d, NT_EPERM, "peran %s tidak berwenang untuk %s",
                       u ? nt_role_name(u->role) : "(tanpa pengguna)", action);
}

/* Through store/db.h (both engines). A failed read is an error, never
 * "no users": the gates open for a database without users. */
enum nt_err nt_user_count(struct nt_store *s, int64_t *out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s), "SELECT count(*) FROM users", &st, d);
    if (err)
        return err;
    if (nt_db_next(st, &err, d))
        *out = nt_db_int64(st, 0);
    else if (!err)
        err = nt_diag_set(d, NT_EDB, "menghitung pengguna gagal");
    nt_db_finalize(st);
    return err;
}

static enum nt_err hash_password(const char *password, char out[crypto_pwhash_STRBYTES],
                                 struct nt_diag *d)
{
    if (sodium_init() < 0)
        return nt_diag_set(d, NT_EINTERNAL, "libsodium tidak dapat dimulai");
    if (strlen(password) < 8)
        return nt_diag_set(d, NT_EINPUT, "kata sandi minimal 8 karakter");
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup untuk hash kata sandi");
    return NT_OK;
}

static bool name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

enum nt_err nt_user_add(struct nt_store *s, const struct nt_user *actor, const char *name,
                        enum nt_role role, const char *const *agencies, size_t nagencies,
                        const char *password, time_t now, struct nt_diag *d)
{
    int64_t count = 0;
    struct nt_db_stmt *ins = NULL, *ag = NULL;
    char hash[crypto_pwhash_STRBYTES] = "", at[32];
    enum nt_err err = nt_user_count(s, &count, d);
    if (err)
        return err;
    if (actor ? actor->role != NT_ROLE_ADMIN : count > 0)
        return nt_diag_set(d, NT_EPERM, "hanya admin yang dapat menambah pengguna");
    if (!actor && role != NT_ROLE_ADMIN)
        return nt_diag_set(d, NT_EPERM, "pengguna pertama harus admin (--role admin)");
    if (!name_ok(name))
        return nt_diag_set(d, NT_EINPUT,
                           "nama pengguna \"%.64s\" tidak sah (huruf, angka, titik, -, _; "
                           "maksimal 63)",
                           name);
    if (!nt_role_name(role) || role == 0)
        return nt_diag_set(d, NT_EINPUT, "peran tidak dikenal");
    if (role != NT_ROLE_ADMIN && role != NT_ROLE_ANALYST && nagencies == 0)
        return nt_diag_set(d, NT_EINPUT, "peran %s memerlukan --agency INSTANSI",
                           nt_role_name(role));
    if (password && (err = hash_password(password, hash, d)))
        return err;
    nt_time_iso(now, at, sizeof(at));
    struct nt_db *db = nt_store_dbh(s);
    int64_t uid = 0;
    err = nt_store_begin(s, d);
    if (!err)
        err = nt_db_prepare_insert(
            db, "INSERT INTO users(name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            &ins, d);
    if (!err) {
        nt_db_bind_text(ins, 1, name);
        nt_db_bind_text(ins, 2, nt_role_name(role));
        nt_db_bind_text(ins, 3, hash[0] ? hash : NULL);
        nt_db_bind_text(ins, 4, at);
        err = nt_db_insert(ins, &uid, d);
        if (err == NT_ECONFLICT)
            err = nt_diag_set(d, NT_EEXISTS, "pengguna \"%s\" sudah ada", name);
    }
    if (!err)
        err = nt_db_prepare(db, "INSERT INTO user_agencies VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                            &ag, d);
    json_t *list = json_array();
    for (size_t i = 0; i < nagencies && !err; i++) {
        nt_db_bind_int64(ag, 1, uid);
        nt_db_bind_text(ag, 2, agencies[i]);
        err = nt_db_run(ag, d);
        json_array_append_new(list, json_string(agencies[i]));
    }
    if (!err)
        err = nt_audit_append(s, actor ? actor->name : name, "user.add", "user", name, NULL,
                              json_pack("{s:s, s:o, s:b}", "role", nt_role_name(role), "agencies",
                                        json_incref(list), "password", hash[0] != 0),
                              now, d);
    json_decref(list);
    nt_db_finalize(ins);
    nt_db_finalize(ag);
    sodium_memzero(hash, sizeof(hash));
    return nt_rv_finish(s, err, d);
}

/* `sql` changes user ?1; with `two`, ?2 is `value` (NULL binds NULL). */
static enum nt_err update_user(struct nt_store *s, const char *actor, const char *sql,
                               const char *name, bool two, const char *value, const char *action,
                               json_t *after, time_t now, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_store_begin(s, d);
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s), sql, &st, d);
    if (!err) {
        nt_db_bind_text(st, 1, name);
        if (two)
            nt_db_bind_text(st, 2, value);
        err = nt_db_run(st, d);
        if (!err && nt_db_changes(st) == 0)
            err = nt_diag_set(d, NT_ENOTFOUND, "pengguna \"%s\" tidak terdaftar", name);
    }
    if (!err)
        err = nt_audit_append(s, actor, action, "user", name, NULL, json_incref(after), now, d);
    json_decref(after);
    nt_db_finalize(st);
    return nt_rv_finish(s, err, d);
}

enum nt_err nt_user_set_password(struct nt_store *s, const struct nt_user *actor, const char *name,
                                 const char *password, time_t now, struct nt_diag *d)
{
    char hash[crypto_pwhash_STRBYTES];
    if (actor->role != NT_ROLE_ADMIN && strcmp(actor->name, name) != 0)
        return nt_diag_set(d, NT_EPERM, "hanya admin yang dapat mengganti kata sandi orang lain");
    enum nt_err err = hash_password(password, hash, d);
    if (!err)
        err =
            update_user(s, actor->name, "UPDATE users SET password_hash = ?2 WHERE name = ?1", name,
                        true, hash, "user.password", json_pack("{s:b}", "password", 1), now, d);
    sodium_memzero(hash, sizeof(hash));
    return err;
}

enum nt_err nt_user_deactivate(struct nt_store *s, const struct nt_user *actor, const char *name,
                               time_t now, struct nt_diag *d)
{
    enum nt_err err = nt_user_require(actor, NT_ROLE_ADMIN, "menonaktifkan pengguna", d);
    if (err)
        return err;
    if (strcmp(actor->name, name) == 0)
        return nt_diag_set(d, NT_EINPUT, "admin tidak dapat menonaktifkan dirinya sendiri");
    return update_user(s, actor->name, "UPDATE users SET active = 0 WHERE name = ?1", name, false,
                       NULL, "user.deactivate", json_pack("{s:b}", "active", 0), now, d);
}

/* A hash of nothing anyone knows, made once with the same parameters as
 * real ones: an unknown name costs as much as a wrong password, so the
 * answer's time does not tell which names exist. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
    unsigned char r[32];
    char pw[65];
    if (sodium_init() < 0)
        return;
    randombytes_buf(r, sizeof(r));
    sodium_bin2hex(pw, sizeof(pw), r, sizeof(r));
    if (crypto_pwhash_str_alg(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        dummy_hash[0] = '\0';
    sodium_memzero(pw, sizeof(pw));
}

enum nt_err nt_user_check_password(struct nt_store *s, const char *name, const char *password,
                                   struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s), "SELECT password_hash FROM users WHERE name = ?1 AND active = 1", &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, name);
    const char *h = nt_db_next(st, &err, d) ? nt_db_text(st, 0) : NULL;
    bool ok = !err && h && sodium_init() >= 0 &&
              crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
    if (!h) {
        /* No such user (or no password): the same work, the same answer. */
        pthread_once(&dummy_once, dummy_make);
        if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
            ok = false; /* nobody knows it; never a login either way */
    }
    nt_db_finalize(st);
    if (err)
        return err;
    return ok ? NT_OK : nt_diag_set(d, NT_EPERM, "nama pengguna atau kata sandi salah");
}

enum nt_err nt_user_authenticate(struct nt_store *s, const char *name, const char *password,
                                 const char *os_user, struct nt_user *out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    "SELECT os_user, password_hash IS NOT NULL FROM users "
                                    "WHERE name = ?1 AND active = 1",
                                    &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, name);
    bool linked = false, has_password = false;
    if (nt_db_next(st, &err, d)) {
        const char *o = nt_db_text(st, 0);
        linked = o && os_user && strcmp(o, os_user) == 0;
        has_password = nt_db_int64(st, 1) != 0;
    }
    nt_db_finalize(st);
    if (err)
        return err;
    /* Unknown and inactive names answer as nt_user_load does. */
    struct nt_user u = { 0 };
    err = nt_user_load(s, name, &u, d);
    if (err)
        return err;
    if (!linked) {
        if (password)
            err = nt_user_check_password(s, name, password, d);
        else if (has_password)
            err = nt_diag_set(d, NT_EPERM,
                              "bertindak sebagai \"%s\" memerlukan kata sandinya "
                              "(--password-stdin, atau ditanyakan di terminal)",
                              name);
        else
            err = nt_diag_set(d, NT_EPERM,
                              "pengguna \"%s\" belum punya kata sandi dan tidak ditautkan ke "
                              "pengguna sistem \"%s\" (admin: 'netra user passwd' atau "
                              "'netra user link')",
                              name, os_user ? os_user : "?");
    }
    if (err) {
        nt_user_release(&u);
        return err;
    }
    *out = u;
    return NT_OK;
}

enum nt_err nt_user_for_os(struct nt_store *s, const char *os_user, char *out, size_t n,
                           struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s), "SELECT name FROM users WHERE os_user = ?1 AND active = 1", &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, os_user);
    if (nt_db_next(st, &err, d))
        snprintf(out, n, "%s", nt_db_text(st, 0));
    else if (!err)
        err = nt_diag_set(d, NT_ENOTFOUND,
                          "pengguna sistem \"%s\" tidak ditautkan ke pengguna Netra", os_user);
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_user_link_os(struct nt_store *s, const struct nt_user *actor, const char *name,
                            const char *os_user, time_t now, struct nt_diag *d)
{
    enum nt_err err = nt_user_require(actor, NT_ROLE_ADMIN, "menautkan pengguna sistem", d);
    if (err)
        return err;
    if (os_user && (!*os_user || strlen(os_user) > 64 || strchr(os_user, ':')))
        return nt_diag_set(d, NT_EINPUT, "nama pengguna sistem \"%s\" tidak sah", os_user);
    if (os_user) {
        char other[64];
        struct nt_diag d2;
        if (nt_user_for_os(s, os_user, other, sizeof(other), &d2) == NT_OK &&
            strcmp(other, name) != 0)
            return nt_diag_set(d, NT_ECONFLICT, "pengguna sistem \"%s\" sudah ditautkan ke \"%s\"",
                               os_user, other);
    }
    return update_user(
        s, actor->name, "UPDATE users SET os_user = ?2 WHERE name = ?1", name, true, os_user,
        "user.link",
        os_user ? json_pack("{s:s}", "os_user", os_user) : json_pack("{s:n}", "os_user"), now, d);
}

/* The agencies of each user as a JSON array, in each engine's words. */
#define USER_LIST(AGENCIES)                                                                        \
    "SELECT u.name, u.role, u.active, u.password_hash IS NOT NULL, u.created_at, "                 \
    "(SELECT " AGENCIES                                                                            \
    " FROM user_agencies a WHERE a.user_id = u.id), u.os_user FROM users u ORDER BY u.name"

enum nt_err nt_user_list(struct nt_store *s, const struct nt_user *actor, json_t **out,
                         struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err =
        nt_user_require(actor, NT_ROLE_ADMIN | NT_ROLE_SUPERVISOR, "melihat daftar pengguna", d);
    if (!err)
        err = nt_db_prepare_for(
            nt_store_dbh(s), USER_LIST("json_group_array(agency)"),
            USER_LIST("CAST(COALESCE(json_agg(agency ORDER BY agency), '[]') AS TEXT)"), &st, d);
    if (err)
        return err;
    json_t *a = json_array();
    while (nt_db_next(st, &err, d)) {
        const char *list = nt_db_text(st, 5);
        json_t *ags = list ? json_loads(list, 0, NULL) : NULL;
        json_array_append_new(
            a, json_pack("{s:o, s:o, s:b, s:b, s:o, s:o, s:o}", "name", nt_rv_col(st, 0), "role",
                         nt_rv_col(st, 1), "active", nt_db_int64(st, 2) != 0, "has_password",
                         nt_db_int64(st, 3) != 0, "created_at", nt_rv_col(st, 4), "agencies",
                         ags ? ags : json_array(), "os_user", nt_rv_col(st, 6)));
    }
    nt_db_finalize(st);
    if (err) {
        json_decref(a);
        return err;
    }
    *out = a;
    return NT_OK;
}
#undef USER_LIST
