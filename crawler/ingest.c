/*
 * ingest.c - NDJSON posts into posts/post_versions, line by line.
 */
#include "ingest.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "evidence.h"
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

/* Convert a checked line into the evidence form and store it. */
static enum nt_err store_post(struct nt_evidence *ev, int64_t account, json_t *post,
                              const char *remote_id, const char *raw, size_t rawlen,
                              const char *request_url, const char *now,
                              struct nt_ingest_result *res, struct nt_diag *d)
{
    char posted[32];
    time_t t;
    json_t *created = json_object_get(post, "created_at");
    struct nt_evidence_post p = {
        .remote_id = remote_id,
        .text = json_string_value(json_object_get(post, "text")),
        .text_len = json_string_length(json_object_get(post, "text")),
        .interaction = interaction(json_string_value(json_object_get(post, "type"))),
        .url = json_string_value(json_object_get(post, "url")),
        .author = json_string_value(json_object_get(post, "author")),
        .lang = json_string_value(json_object_get(post, "lang")),
        .raw = raw,
        .raw_len = rawlen,
        .request_url = request_url,
    };
    if (created && nt_time_parse(json_string_value(created), &t)) {
        nt_time_iso(t, posted, sizeof(posted));
        p.posted_at = posted;
    }
    enum nt_evidence_outcome o;
    enum nt_err err = nt_evidence_put(ev, account, &p, now, &o, d);
    if (!err) {
        if (o == NT_EVIDENCE_ADDED)
            res->added++;
        else if (o == NT_EVIDENCE_EDITED)
            res->edited++;
        else
            res->unchanged++;
    }
    return err;
}

/* Check a line; on success set the account id and remote id. */
static bool check_line(sqlite3_stmt *account_stmt, const char *label, unsigned long line,
                       json_t *post, struct nt_diag_list *errs, int64_t *account, char *remote_id,
                       size_t rn)
{
    static const char *const keys[] = { "id",         "text",   "platform", "account",
                                        "created_at", "type",   "author",   "url",
                                        "lang",       "region", NULL };
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
    sqlite3_bind_text(account_stmt, 1, platform, -1, SQLITE_STATIC);
    sqlite3_bind_text(account_stmt, 2, canon, -1, SQLITE_STATIC);
    int rc = sqlite3_step(account_stmt);
    if (rc == SQLITE_ROW)
        *account = sqlite3_column_int64(account_stmt, 0);
    sqlite3_reset(account_stmt);
    if (rc != SQLITE_ROW) {
        lerr(errs, label, line, "account", "akun %s %s tidak terdaftar (impor akun dahulu)",
             platform, canon);
        return false;
    }
    return ok;
}

enum nt_err nt_crawl_ingest(struct nt_store *s, const char *label, const char *data, size_t len,
                            time_t now, const struct nt_stored_hook *hook,
                            struct nt_ingest_result *res, struct nt_diag_list *errs,
                            struct nt_diag *d)
{
    struct nt_evidence *ev = NULL;
    sqlite3_stmt *account_stmt = NULL;
    char nowiso[32];
    enum nt_err err;
    unsigned long lineno = 0;

    memset(res, 0, sizeof(*res));
    nt_time_iso(now, nowiso, sizeof(nowiso));
    err = nt_store_begin(s, d);
    if (err)
        return err;
    err = nt_evidence_new(s, &ev, d);
    if (!err)
        nt_evidence_set_hook(ev, hook);
    if (!err)
        err =
            nt_store_prepare(s,
                             "SELECT a.id FROM accounts a JOIN employees e ON e.id = a.employee_id "
                             "WHERE a.platform = ?1 AND a.account = ?2",
                             &account_stmt, d);
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
        if (!check_line(account_stmt, label, lineno, post, errs, &account, remote_id,
                        sizeof(remote_id))) {
            res->rejected++;
        } else {
            char url[NT_DIAG_FILE_MAX + 32];
            snprintf(url, sizeof(url), "file:%s#L%lu", label, lineno);
            err = store_post(ev, account, post, remote_id, line, n, url, nowiso, res, d);
        }
        json_decref(post);
    }
    sqlite3_finalize(account_stmt);
    nt_evidence_free(ev);
    if (!err)
        err = nt_store_commit(s, d);
    nt_store_rollback(s);
    return err;
}
