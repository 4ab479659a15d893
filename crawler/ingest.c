/*
 * ingest.c - NDJSON posts into posts/post_versions, line by line.
 */
#include "ingest.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "hash.h"
#include "registry.h"

static void lerr(struct nt_diag_list *errs, const char *label, unsigned long line,
                 const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void lerr(struct nt_diag_list *errs, const char *label, unsigned long line,
                 const char *field, const char *fmt, ...)
{
    struct nt_diag d;
    va_list ap;
    nt_diag_clear(&d);
    nt_diag_at(&d, label, line, field);
    va_start(ap, fmt);
    nt_diag_vset(&d, NT_EINPUT, fmt, ap);
    va_end(ap);
    nt_diag_list_add(errs, &d);
}

static const char *interaction(const char *type)
{
    if (!type || strcmp(type, "post") == 0)
        return "post";
    if (strcmp(type, "repost") == 0 || strcmp(type, "reblog") == 0 || strcmp(type, "share") == 0)
        return "repost";
    if (strcmp(type, "reply") == 0 || strcmp(type, "comment") == 0)
        return "reply";
    if (strcmp(type, "quote") == 0)
        return "quote";
    return NULL;
}

struct stmts {
    sqlite3_stmt *account, *post, *newpost, *seen, *last, *version;
};

static void finalize_all(struct stmts *st)
{
    sqlite3_finalize(st->account);
    sqlite3_finalize(st->post);
    sqlite3_finalize(st->newpost);
    sqlite3_finalize(st->seen);
    sqlite3_finalize(st->last);
    sqlite3_finalize(st->version);
}

static enum nt_err prepare_all(struct nt_store *s, struct stmts *st, struct nt_diag *d)
{
    enum nt_err err =
        nt_store_prepare(s,
                         "SELECT a.id FROM accounts a JOIN employees e ON e.id = a.employee_id "
                         "WHERE a.platform = ?1 AND a.account = ?2",
                         &st->account, d);
    if (!err)
        err = nt_store_prepare(s, "SELECT id FROM posts WHERE account_id = ?1 AND remote_id = ?2",
                               &st->post, d);
    if (!err)
        err = nt_store_prepare(s,
                               "INSERT INTO posts(account_id, remote_id, interaction, url, author, "
                               "posted_at, source, first_seen_at, last_seen_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'ingest', ?7, ?7)",
                               &st->newpost, d);
    if (!err)
        err = nt_store_prepare(s, "UPDATE posts SET last_seen_at = ?2 WHERE id = ?1", &st->seen, d);
    if (!err)
        err = nt_store_prepare(s,
                               "SELECT seq, content_sha256 FROM post_versions WHERE post_id = ?1 "
                               "ORDER BY seq DESC LIMIT 1",
                               &st->last, d);
    if (!err)
        err = nt_store_prepare(s,
                               "INSERT INTO post_versions(post_id, seq, text, lang, raw, "
                               "raw_sha256, content_sha256, request_url, fetched_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                               &st->version, d);
    return err;
}

static int step_reset(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* Store one checked post. */
static enum nt_err store_post(struct nt_store *s, struct stmts *st, int64_t account, json_t *post,
                              const char *remote_id, const char *raw, size_t rawlen,
                              const char *request_url, const char *now,
                              struct nt_ingest_result *res, struct nt_diag *d)
{
    const char *text = json_string_value(json_object_get(post, "text"));
    size_t tlen = json_string_length(json_object_get(post, "text"));
    char raw_sha[NT_SHA256_HEX_LEN + 1], content_sha[NT_SHA256_HEX_LEN + 1];
    int64_t post_id = 0;
    int seq = 1, rc;

    nt_sha256_hex(raw, rawlen, raw_sha);
    nt_sha256_hex(text, tlen, content_sha);
    sqlite3_bind_int64(st->post, 1, account);
    sqlite3_bind_text(st->post, 2, remote_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st->post);
    if (rc == SQLITE_ROW)
        post_id = sqlite3_column_int64(st->post, 0);
    sqlite3_reset(st->post);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return nt_store_fail(s, rc, "membaca unggahan gagal", d);

    if (post_id) {
        sqlite3_bind_int64(st->last, 1, post_id);
        rc = sqlite3_step(st->last);
        bool same = rc == SQLITE_ROW &&
                    strcmp((const char *)sqlite3_column_text(st->last, 1), content_sha) == 0;
        if (rc == SQLITE_ROW)
            seq = sqlite3_column_int(st->last, 0) + 1;
        sqlite3_reset(st->last);
        sqlite3_bind_int64(st->seen, 1, post_id);
        sqlite3_bind_text(st->seen, 2, now, -1, SQLITE_STATIC);
        if (step_reset(st->seen) != SQLITE_DONE)
            return nt_store_fail(s, sqlite3_errcode(nt_store_db(s)), "memperbarui unggahan gagal",
                                 d);
        if (same) {
            res->unchanged++;
            return NT_OK;
        }
        res->edited++;
    } else {
        json_t *created = json_object_get(post, "created_at");
        sqlite3_bind_int64(st->newpost, 1, account);
        sqlite3_bind_text(st->newpost, 2, remote_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st->newpost, 3,
                          interaction(json_string_value(json_object_get(post, "type"))), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st->newpost, 4, json_string_value(json_object_get(post, "url")), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st->newpost, 5, json_string_value(json_object_get(post, "author")), -1,
                          SQLITE_STATIC);
        char posted[32];
        time_t t;
        if (created && nt_time_parse(json_string_value(created), &t)) {
            nt_time_iso(t, posted, sizeof(posted));
            sqlite3_bind_text(st->newpost, 6, posted, -1, SQLITE_TRANSIENT);
        }
        sqlite3_bind_text(st->newpost, 7, now, -1, SQLITE_STATIC);
        if (step_reset(st->newpost) != SQLITE_DONE)
            return nt_store_fail(s, sqlite3_errcode(nt_store_db(s)), "menyimpan unggahan gagal", d);
        post_id = sqlite3_last_insert_rowid(nt_store_db(s));
        res->added++;
    }
    sqlite3_bind_int64(st->version, 1, post_id);
    sqlite3_bind_int(st->version, 2, seq);
    sqlite3_bind_text(st->version, 3, text, (int)tlen, SQLITE_STATIC);
    sqlite3_bind_text(st->version, 4, json_string_value(json_object_get(post, "lang")), -1,
                      SQLITE_STATIC);
    sqlite3_bind_blob(st->version, 5, raw, (int)rawlen, SQLITE_STATIC);
    sqlite3_bind_text(st->version, 6, raw_sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(st->version, 7, content_sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(st->version, 8, request_url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st->version, 9, now, -1, SQLITE_STATIC);
    if (step_reset(st->version) != SQLITE_DONE)
        return nt_store_fail(s, sqlite3_errcode(nt_store_db(s)), "menyimpan versi unggahan gagal",
                             d);
    return NT_OK;
}

/* Check a line; on success set the account id and remote id. */
static bool check_line(struct nt_store *s, struct stmts *st, const char *label, unsigned long line,
                       json_t *post, struct nt_diag_list *errs, int64_t *account, char *remote_id,
                       size_t rn)
{
    static const char *const keys[] = { "id",         "text",   "platform", "account",
                                        "created_at", "type",   "author",   "url",
                                        "lang",       "region", NULL };
    (void)s;
    const char *key;
    json_t *v;
    bool ok = true;
    json_object_foreach(post, key, v)
    {
        bool known = false;
        for (const char *const *k = keys; *k; k++)
            known = known || strcmp(*k, key) == 0;
        if (!known) {
            lerr(errs, label, line, key, "kolom tidak dikenal");
            ok = false;
        }
    }
    json_t *id = json_object_get(post, "id");
    if (json_is_string(id) && json_string_length(id) > 0 && json_string_length(id) < rn)
        snprintf(remote_id, rn, "%s", json_string_value(id));
    else if (json_is_integer(id))
        snprintf(remote_id, rn, "%lld", (long long)json_integer_value(id));
    else {
        lerr(errs, label, line, "id", "wajib teks atau bilangan bulat");
        ok = false;
    }
    if (!json_is_string(json_object_get(post, "text"))) {
        lerr(errs, label, line, "text", "wajib diisi (teks)");
        ok = false;
    }
    static const char *const opt_str[] = { "created_at", "type", "author", "url", "lang" };
    for (size_t i = 0; i < 5; i++) {
        v = json_object_get(post, opt_str[i]);
        if (v && !json_is_string(v)) {
            lerr(errs, label, line, opt_str[i], "harus teks");
            ok = false;
        }
    }
    json_t *created = json_object_get(post, "created_at");
    time_t t;
    if (json_is_string(created) && !nt_time_parse(json_string_value(created), &t)) {
        lerr(errs, label, line, "created_at",
             "harus waktu UTC YYYY-MM-DDTHH:MM:SSZ atau tanggal YYYY-MM-DD");
        ok = false;
    }
    const char *type = json_string_value(json_object_get(post, "type"));
    if (type && !interaction(type)) {
        lerr(errs, label, line, "type",
             "\"%s\" tidak dikenal (post, repost, reply, quote, comment)", type);
        ok = false;
    }
    const char *platform = json_string_value(json_object_get(post, "platform"));
    const char *acc = json_string_value(json_object_get(post, "account"));
    if (!platform || !acc) {
        lerr(errs, label, line, platform ? "account" : "platform", "wajib diisi");
        return false;
    }
    char canon[2048];
    struct nt_diag d;
    nt_diag_clear(&d);
    if (nt_reg_account_canonical(platform, acc, canon, sizeof(canon), &d) != NT_OK) {
        lerr(errs, label, line, "account", "%s", d.msg);
        return false;
    }
    sqlite3_bind_text(st->account, 1, platform, -1, SQLITE_STATIC);
    sqlite3_bind_text(st->account, 2, canon, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st->account);
    if (rc == SQLITE_ROW)
        *account = sqlite3_column_int64(st->account, 0);
    sqlite3_reset(st->account);
    if (rc != SQLITE_ROW) {
        lerr(errs, label, line, "account", "akun %s %s tidak terdaftar (impor akun dahulu)",
             platform, canon);
        return false;
    }
    return ok;
}

enum nt_err nt_crawl_ingest(struct nt_store *s, const char *label, const char *data, size_t len,
                            time_t now, struct nt_ingest_result *res, struct nt_diag_list *errs,
                            struct nt_diag *d)
{
    struct stmts st = { 0 };
    char nowiso[32];
    enum nt_err err;
    unsigned long lineno = 0;

    memset(res, 0, sizeof(*res));
    nt_time_iso(now, nowiso, sizeof(nowiso));
    err = nt_store_begin(s, d);
    if (err)
        return err;
    err = prepare_all(s, &st, d);
    for (const char *p = data, *end = data + len; !err && p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        size_t n = (size_t)(eol - p);
        const char *line = p;
        p = nl ? nl + 1 : end;
        lineno++;
        while (n && line[n - 1] == '\r')
            n--;
        size_t sp = 0;
        while (sp < n && (line[sp] == ' ' || line[sp] == '\t'))
            sp++;
        if (sp == n)
            continue;
        res->lines++;
        if (n > NT_INGEST_MAX_LINE) {
            lerr(errs, label, lineno, NULL, "baris lebih dari 4 MiB");
            res->rejected++;
            continue;
        }
        json_error_t jerr;
        json_t *post = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr);
        if (!post || !json_is_object(post)) {
            lerr(errs, label, lineno, NULL, "JSON tidak sah: %s", post ? "harus objek" : jerr.text);
            json_decref(post);
            res->rejected++;
            continue;
        }
        int64_t account = 0;
        char remote_id[256];
        if (!check_line(s, &st, label, lineno, post, errs, &account, remote_id,
                        sizeof(remote_id))) {
            res->rejected++;
        } else {
            char url[NT_DIAG_FILE_MAX + 32];
            snprintf(url, sizeof(url), "file:%s#L%lu", label, lineno);
            err = store_post(s, &st, account, post, remote_id, line, n, url, nowiso, res, d);
        }
        json_decref(post);
    }
    finalize_all(&st);
    if (!err)
        err = nt_store_commit(s, d);
    nt_store_rollback(s);
    return err;
}
