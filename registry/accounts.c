/*
 * accounts.c - declared social media accounts: canonical account names per
 * platform, and the accounts CSV import (same contract as employees).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "import.h"
#include "strmap.h"

const char *const nt_reg_platforms[4] = { "mastodon", "bluesky", "feed", "x" };

#define ACCOUNT_MAX 2048

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* A DNS host name with at least one dot: labels of [a-z0-9-], no leading or
 * trailing '-', total <= 253. `s` must be lowercase already. */
static bool valid_hostname(const char *s, size_t n)
{
    size_t label = 0, dots = 0;
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            if (label == 0 || s[i - 1] == '-')
                return false;
            label = 0;
            dots++;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
            if (label == 0 && c == '-')
                return false;
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    return dots > 0 && label > 0 && s[n - 1] != '-';
}

/* Check an http(s) URL and write it with scheme and host lowercased and no
 * trailing '/' on a bare host. */
static enum nt_err canonical_url(const char *s, char *out, size_t n, struct nt_diag *d)
{
    const char *rest;
    size_t len = strlen(s);
    if (strncasecmp(s, "https://", 8) == 0)
        rest = s + 8;
    else if (strncasecmp(s, "http://", 7) == 0)
        rest = s + 7;
    else
        return nt_diag_set(d, NT_EINPUT, "harus URL yang diawali https:// atau http://");
    if (len >= n)
        return nt_diag_set(d, NT_EINPUT, "URL terlalu panjang");
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '\\' || *p == '"' || *p == '<' || *p == '>')
            return nt_diag_set(d, NT_EINPUT, "URL mengandung karakter yang tidak diizinkan");
    size_t hostlen = strcspn(rest, "/?#");
    const char *at = memchr(rest, '@', hostlen);
    if (at)
        return nt_diag_set(d, NT_EINPUT, "URL tidak boleh memuat nama pengguna atau sandi");
    size_t scheme = (size_t)(rest - s);
    memcpy(out, s, len + 1);
    for (size_t i = 0; i < scheme + hostlen; i++)
        out[i] = (char)tolower((unsigned char)out[i]);
    char host[256];
    size_t h = strcspn(out + scheme, ":/?#");
    if (h == 0 || h >= sizeof(host))
        return nt_diag_set(d, NT_EINPUT, "URL tanpa nama host yang sah");
    memcpy(host, out + scheme, h);
    host[h] = '\0';
    if (!valid_hostname(host, h) && strcmp(host, "localhost") != 0 &&
        strspn(host, "0123456789.") != h)
        return nt_diag_set(d, NT_EINPUT, "nama host \"%s\" tidak sah", host);
    if (out[scheme + hostlen] == '/' && out[scheme + hostlen + 1] == '\0')
        out[scheme + hostlen] = '\0';
    return NT_OK;
}

static bool username_chars(const char *s, size_t n, bool allow_dot_dash)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (isalnum((unsigned char)c) || c == '_')
            continue;
        if (allow_dot_dash && (c == '.' || c == '-') && i > 0 && i + 1 < n)
            continue;
        return false;
    }
    return true;
}

/* Profile URLs people paste instead of handles. */
static const char *strip_profile_url(const char *a, const char *const *prefixes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(prefixes[i]);
        if (strncasecmp(a, prefixes[i], l) == 0)
            return a + l;
    }
    return a;
}

static enum nt_err canonical_mastodon(const char *a, char *out, size_t n, struct nt_diag *d)
{
    char tmp[ACCOUNT_MAX];
    /* https://instance/@user -> user@instance */
    if (strncasecmp(a, "https://", 8) == 0) {
        const char *host = a + 8;
        const char *slash = strstr(host, "/@");
        if (!slash || strchr(slash + 2, '/'))
            return nt_diag_set(d, NT_EINPUT,
                               "URL profil Mastodon harus berbentuk https://instance/@pengguna");
        snprintf(tmp, sizeof(tmp), "%s@%.*s", slash + 2, (int)(slash - host), host);
        a = tmp;
    }
    if (a[0] == '@')
        a++;
    const char *at = strchr(a, '@');
    if (!at)
        return nt_diag_set(d, NT_EINPUT,
                           "akun Mastodon harus berbentuk pengguna@instance (contoh: "
                           "budi@mastodon.example)");
    size_t ulen = (size_t)(at - a), hlen = strlen(at + 1);
    if (ulen > 64 || !username_chars(a, ulen, true))
        return nt_diag_set(d, NT_EINPUT, "nama pengguna Mastodon \"%.*s\" tidak sah", (int)ulen, a);
    if (ulen + 1 + hlen >= n)
        return nt_diag_set(d, NT_EINPUT, "akun terlalu panjang");
    memcpy(out, a, ulen + 1 + hlen + 1);
    lower(out);
    if (!valid_hostname(out + ulen + 1, hlen))
        return nt_diag_set(d, NT_EINPUT, "instance Mastodon \"%s\" bukan nama host yang sah",
                           out + ulen + 1);
    return NT_OK;
}

static enum nt_err canonical_bluesky(const char *a, char *out, size_t n, struct nt_diag *d)
{
    static const char *const prefixes[] = { "https://bsky.app/profile/" };
    a = strip_profile_url(a, prefixes, 1);
    if (a[0] == '@')
        a++;
    size_t len = strlen(a);
    if (len >= n || len > 253 + 8)
        return nt_diag_set(d, NT_EINPUT, "akun Bluesky terlalu panjang");
    memcpy(out, a, len + 1);
    if (strncmp(out, "did:plc:", 8) == 0) {
        if (len != 8 + 24 || strspn(out + 8, "abcdefghijklmnopqrstuvwxyz234567") != 24)
            return nt_diag_set(d, NT_EINPUT,
                               "DID \"%s\" tidak sah (did:plc: diikuti 24 karakter base32)", out);
        return NT_OK;
    }
    if (strncmp(out, "did:web:", 8) == 0) {
        lower(out + 8);
        if (!valid_hostname(out + 8, len - 8))
            return nt_diag_set(d, NT_EINPUT, "DID \"%s\" tidak sah", out);
        return NT_OK;
    }
    lower(out);
    if (!valid_hostname(out, len))
        return nt_diag_set(
            d, NT_EINPUT, "handle Bluesky \"%s\" tidak sah (contoh: nama.bsky.social atau DID)", a);
    return NT_OK;
}

static enum nt_err canonical_x(const char *a, char *out, size_t n, struct nt_diag *d)
{
    static const char *const prefixes[] = { "https://x.com/", "https://twitter.com/",
                                            "https://www.x.com/", "https://www.twitter.com/" };
    a = strip_profile_url(a, prefixes, 4);
    if (a[0] == '@')
        a++;
    size_t len = strlen(a);
    if (len > 15 || len >= n || !username_chars(a, len, false))
        return nt_diag_set(d, NT_EINPUT,
                           "nama pengguna X \"%s\" tidak sah (1-15 huruf, angka atau _)", a);
    memcpy(out, a, len + 1);
    lower(out);
    return NT_OK;
}

enum nt_err nt_reg_account_canonical(const char *platform, const char *account, char *out, size_t n,
                                     struct nt_diag *d)
{
    if (strcmp(platform, "mastodon") == 0)
        return canonical_mastodon(account, out, n, d);
    if (strcmp(platform, "bluesky") == 0)
        return canonical_bluesky(account, out, n, d);
    if (strcmp(platform, "feed") == 0)
        return canonical_url(account, out, n, d);
    if (strcmp(platform, "x") == 0)
        return canonical_x(account, out, n, d);
    return nt_diag_set(d, NT_EINPUT, "platform \"%s\" tidak dikenal", platform);
}

static const char *const acc_cols[] = { "nip", "platform", "account", "endpoint" };
enum { A_NIP, A_PLATFORM, A_ACCOUNT, A_ENDPOINT, A_COUNT };

struct acc_row {
    unsigned long line;
    int64_t employee_id;
    const char *platform; /* static canonical */
    char *account;
    char *endpoint; /* NULL for none */
};

struct acc_rows {
    struct acc_row *v;
    size_t n, cap;
};

static void rows_release(struct acc_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].account);
        free(r->v[i].endpoint);
    }
    free(r->v);
}

static enum nt_err rows_push(struct acc_rows *r, const struct acc_row *row)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct acc_row *v = realloc(r->v, cap * sizeof(*v));
        if (!v)
            return NT_ENOMEM;
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = *row;
    return NT_OK;
}

static const char *platform_pick(const char *v)
{
    const char *p = imp_pick(v, nt_reg_platforms, 4);
    if (!p && strcasecmp(v, "twitter") == 0)
        p = "x";
    return p;
}

/* Look up the owner; reports unknown or inactive employees. */
static bool find_owner(struct imp *im, struct nt_db_stmt *sel, unsigned long line, const char *nip,
                       int64_t *id)
{
    bool ok = false;
    enum nt_err err = NT_OK;
    struct nt_diag d;
    nt_db_bind_text(sel, 1, nip);
    bool row = nt_db_next(sel, &err, &d);
    if (row && nt_db_int64(sel, 1)) {
        *id = nt_db_int64(sel, 0);
        ok = true;
    } else if (row) {
        imp_error(im, line, "nip", "pegawai dengan NIP %s sudah tidak aktif", nip);
    } else if (!err) {
        imp_error(im, line, "nip",
                  "NIP %s tidak ada dalam daftar pegawai (impor pegawai terlebih dahulu)", nip);
    } else {
        imp_error(im, line, "nip", "membaca pegawai gagal: %s", d.msg);
    }
    nt_db_reset(sel);
    return ok;
}

static bool validate_row(struct imp *im, const struct nt_csv_record *rec, struct nt_date today,
                         struct nt_db_stmt *owner, struct nt_strmap *seen, struct acc_row *row)
{
    struct nt_diag d;
    struct nt_nip nip;
    char canon[ACCOUNT_MAX], key[ACCOUNT_MAX + 16];
    bool ok = true;
    char *v;

    memset(row, 0, sizeof(*row));
    row->line = rec->line;

    v = imp_field(im, rec, im->idx[A_NIP], 40, true);
    if (v) {
        nt_diag_clear(&d);
        if (nt_reg_nip_parse(v, today, &nip, &d) != NT_OK) {
            imp_error_diag(im, rec->line, "nip", &d);
            ok = false;
        } else {
            ok = find_owner(im, owner, rec->line, nip.digits, &row->employee_id) && ok;
        }
    } else {
        ok = false;
    }

    v = imp_field(im, rec, im->idx[A_PLATFORM], 20, true);
    if (v) {
        row->platform = platform_pick(v);
        if (!row->platform)
            imp_error(im, rec->line, "platform",
                      "\"%s\" tidak dikenal (pilih mastodon, bluesky, feed, atau x)", v);
    }
    ok = ok && row->platform;

    v = imp_field(im, rec, im->idx[A_ACCOUNT], ACCOUNT_MAX - 1, true);
    if (v && row->platform) {
        nt_diag_clear(&d);
        if (nt_reg_account_canonical(row->platform, v, canon, sizeof(canon), &d) != NT_OK) {
            imp_error_diag(im, rec->line, "account", &d);
            ok = false;
        } else {
            size_t first;
            snprintf(key, sizeof(key), "%s:%s", row->platform, canon);
            enum nt_err e = nt_strmap_put(seen, key, rec->line, &first);
            if (e == NT_EEXISTS) {
                imp_error(im, rec->line, "account", "akun %s %s sudah ada di baris %zu",
                          row->platform, canon, first);
                ok = false;
            } else if (e) {
                imp_error(im, rec->line, "account", "memori tidak cukup");
                ok = false;
            } else {
                row->account = strdup(canon);
                ok = ok && row->account;
            }
        }
    } else {
        ok = false;
    }

    v = imp_field(im, rec, im->idx[A_ENDPOINT], ACCOUNT_MAX - 1, false);
    if (!v) {
        ok = false;
    } else if (v[0]) {
        nt_diag_clear(&d);
        if (canonical_url(v, canon, sizeof(canon), &d) != NT_OK) {
            imp_error_diag(im, rec->line, "endpoint", &d);
            ok = false;
        } else {
            row->endpoint = strdup(canon);
            ok = ok && row->endpoint;
        }
    }
    if (!ok) {
        free(row->account);
        free(row->endpoint);
        row->account = row->endpoint = NULL;
    }
    return ok;
}

static int same_text(const char *a, const char *b)
{
    if (!a || !b)
        return !a && !b;
    return strcmp(a, b) == 0;
}

/* Through store/db.h: the same SQL on SQLite and PostgreSQL. */
static enum nt_err write_rows(struct nt_db *s, const struct acc_rows *rows,
                              const struct nt_reg_import_opts *o, const char *now,
                              struct nt_reg_import_result *res, struct nt_diag *d)
{
    struct nt_db_stmt *sel = NULL, *ins = NULL, *upd = NULL, *keep = NULL, *off = NULL;
    enum nt_err err;

    err = nt_db_prepare(s,
                        "SELECT id, employee_id, endpoint, active FROM accounts "
                        "WHERE platform = ?1 AND account = ?2",
                        &sel, d);
    if (!err)
        err = nt_db_prepare_insert(s,
                                   "INSERT INTO accounts(employee_id, platform, account, "
                                   "endpoint, active, created_import, updated_import, "
                                   "created_at, updated_at) "
                                   "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5, ?6, ?6)",
                                   &ins, d);
    if (!err)
        err = nt_db_prepare(s,
                            "UPDATE accounts SET employee_id = ?2, endpoint = ?3, active = 1, "
                            "updated_import = ?4, updated_at = ?5 WHERE id = ?1",
                            &upd, d);
    if (!err)
        err = nt_db_prepare(s, "INSERT INTO import_keep_acc(id) VALUES (?1)", &keep, d);

    for (size_t i = 0; i < rows->n && !err; i++) {
        const struct acc_row *r = &rows->v[i];
        int64_t id = 0;
        nt_db_bind_text(sel, 1, r->platform);
        nt_db_bind_text(sel, 2, r->account);
        bool known = nt_db_next(sel, &err, d);
        if (err)
            break;
        if (!known) {
            nt_db_reset(sel);
            nt_db_bind_int64(ins, 1, r->employee_id);
            nt_db_bind_text(ins, 2, r->platform);
            nt_db_bind_text(ins, 3, r->account);
            nt_db_bind_text(ins, 4, r->endpoint);
            nt_db_bind_int64(ins, 5, res->import_id);
            nt_db_bind_text(ins, 6, now);
            err = nt_db_insert(ins, &id, d);
            res->added++;
        } else {
            id = nt_db_int64(sel, 0);
            bool same =
                nt_db_int64(sel, 1) == r->employee_id && same_text(nt_db_text(sel, 2), r->endpoint);
            bool active = nt_db_int64(sel, 3) != 0;
            nt_db_reset(sel);
            if (same && active) {
                res->unchanged++;
            } else {
                nt_db_bind_int64(upd, 1, id);
                nt_db_bind_int64(upd, 2, r->employee_id);
                nt_db_bind_text(upd, 3, r->endpoint);
                nt_db_bind_int64(upd, 4, res->import_id);
                nt_db_bind_text(upd, 5, now);
                err = nt_db_run(upd, d);
                if (!active)
                    res->reactivated++;
                if (!same)
                    res->updated++;
            }
        }
        if (!err) {
            nt_db_bind_int64(keep, 1, id);
            err = nt_db_run(keep, d);
        }
        if (err)
            nt_diag_at(d, NULL, r->line, NULL);
    }
    if (!err && !o->partial) {
        err = nt_db_prepare(s,
                            "UPDATE accounts SET active = 0, updated_import = ?1, "
                            "updated_at = ?2 WHERE active = 1 "
                            "AND id NOT IN (SELECT id FROM import_keep_acc)",
                            &off, d);
        if (!err) {
            nt_db_bind_int64(off, 1, res->import_id);
            nt_db_bind_text(off, 2, now);
            err = nt_db_run(off, d);
            if (!err)
                res->deactivated = (size_t)nt_db_changes(off);
        }
    }
    nt_db_finalize(sel);
    nt_db_finalize(ins);
    nt_db_finalize(upd);
    nt_db_finalize(keep);
    nt_db_finalize(off);
    return err;
}

enum nt_err nt_reg_import_accounts(struct nt_store *s, const char *label, const char *data,
                                   size_t len, const struct nt_reg_import_opts *o,
                                   struct nt_reg_import_result *out, struct nt_diag_list *errs,
                                   struct nt_diag *d)
{
    struct imp im;
    struct acc_rows rows = { 0 };
    struct nt_strmap seen;
    struct nt_reg_import_result res = { 0 };
    struct nt_date today = nt_date_from_time(o->now);
    struct nt_db_stmt *owner = NULL;
    char now[32];
    enum nt_err err;

    nt_time_iso(o->now, now, sizeof(now));
    nt_strmap_init(&seen);
    err = imp_begin(&im, label, data, len, acc_cols, A_COUNT, A_ENDPOINT, NULL, errs);
    if (err) {
        nt_diag_at(d, label, 0, NULL);
        nt_diag_set(d, NT_EINPUT, "impor ditolak: baris judul bermasalah; basis data tidak diubah");
        goto out;
    }
    /* Validation reads the employees; hold the write lock from here on so
     * what was checked is what gets written. */
    err = nt_store_begin(s, d);
    if (err)
        goto out;
    err = nt_db_prepare(nt_store_dbh(s), "SELECT id, active FROM employees WHERE nip = ?1", &owner,
                        d);
    if (err)
        goto out;
    for (;;) {
        struct nt_csv_record rec;
        struct acc_row row;
        bool usable;
        err = imp_next(&im, &rec, &usable);
        if (err) {
            nt_diag_set(d, err, "memori tidak cukup");
            goto out;
        }
        if (rec.count == 0)
            break;
        if (!usable)
            continue;
        if (!validate_row(&im, &rec, today, owner, &seen, &row)) {
            im.rejected++;
            continue;
        }
        err = rows_push(&rows, &row);
        if (err) {
            free(row.account);
            free(row.endpoint);
            nt_diag_set(d, err, "memori tidak cukup");
            goto out;
        }
    }
    res.rows = im.rows;
    res.rejected = im.rejected;
    if (im.rejected && !o->skip_invalid) {
        err = imp_rejected(&im, d);
        goto out;
    }
    if (rows.n == 0) {
        nt_diag_at(d, label, 0, NULL);
        err = nt_diag_set(d, NT_EINPUT,
                          "tidak ada baris akun yang sah; tidak ada yang diimpor dan tidak ada "
                          "akun yang dinonaktifkan");
        goto out;
    }
    /* The ids in this file (an INTEGER key is SQLite's rowid). */
    err = nt_store_exec(s,
                        nt_store_is_postgres(s)
                            ? "CREATE TEMP TABLE IF NOT EXISTS import_keep_acc(id BIGINT PRIMARY "
                              "KEY); DELETE FROM import_keep_acc;"
                            : "CREATE TEMP TABLE IF NOT EXISTS import_keep_acc(id INTEGER PRIMARY "
                              "KEY); DELETE FROM import_keep_acc;",
                        d);
    if (!err)
        err = imp_record(s, "accounts", label, data, len, o, &res, d);
    if (!err)
        err = write_rows(nt_store_dbh(s), &rows, o, now, &res, d);
    if (!err)
        err = imp_record_counts(s, &res, d);
    nt_db_finalize(owner);
    owner = NULL;
    if (!err && !o->dry_run)
        err = nt_store_commit(s, d);
    if (!err) {
        if (o->dry_run)
            res.import_id = 0;
        *out = res;
    }
out:
    nt_db_finalize(owner);
    nt_store_rollback(s);
    nt_strmap_release(&seen);
    rows_release(&rows);
    imp_release(&im);
    return err;
}
