/*
 * ingest.c - NDJSON posts into posts/post_versions, line by line, from a
 * buffer or streamed from a file with bounded memory.
 */
#include "ingest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "evidence.h"
#include "registry.h"
#include "strmap.h"

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

/* A line's fields, gathered in one pass over its keys (an unknown key is
 * an error): every check and the store read them from here, not by a
 * lookup each. */
enum field {
    F_ID,
    F_TEXT,
    F_PLATFORM,
    F_ACCOUNT,
    F_CREATED_AT,
    F_TYPE,
    F_AUTHOR,
    F_URL,
    F_LANG,
    F_REGION,
    F_COUNT
};

static const char *const field_names[F_COUNT] = {
    [F_ID] = "id",
    [F_TEXT] = "text",
    [F_PLATFORM] = "platform",
    [F_ACCOUNT] = "account",
    [F_CREATED_AT] = "created_at",
    [F_TYPE] = "type",
    [F_AUTHOR] = "author",
    [F_URL] = "url",
    [F_LANG] = "lang",
    [F_REGION] = "region",
};

struct line_post {
    json_t *f[F_COUNT];
    int64_t account;
    char remote_id[256];
    bool dated; /* created_at parsed into posted */
    char posted[32];
};

static int field_of(const char *key)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strcmp(key, field_names[i]) == 0)
            return i;
    return -1;
}

/* Convert a checked line into the evidence form and store it. */
static enum nt_err store_post(struct nt_evidence *ev, const struct line_post *lp, const char *raw,
                              size_t rawlen, const char *request_url, const char *now,
                              struct nt_ingest_result *res, struct nt_diag *d)
{
    struct nt_evidence_post p = {
        .remote_id = lp->remote_id,
        .text = json_string_value(lp->f[F_TEXT]),
        .text_len = json_string_length(lp->f[F_TEXT]),
        .interaction = interaction(json_string_value(lp->f[F_TYPE])),
        .url = json_string_value(lp->f[F_URL]),
        .author = json_string_value(lp->f[F_AUTHOR]),
        .lang = json_string_value(lp->f[F_LANG]),
        .posted_at = lp->dated ? lp->posted : NULL,
        .raw = raw,
        .raw_len = rawlen,
        .request_url = request_url,
    };
    enum nt_evidence_outcome o;
    enum nt_err err = nt_evidence_put(ev, lp->account, &p, now, &o, d);
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

/* The accounts met so far ("platform account" as written -> id + 1): a
 * file names the same few thousand accounts again and again. */
struct accounts {
    struct nt_db_stmt *st;
    struct nt_strmap seen;
};

/* Check a line and fill lp (its fields, account, remote id and time). */
static bool check_line(struct accounts *ac, const char *label, unsigned long line, json_t *post,
                       struct nt_diag_list *errs, struct line_post *lp)
{
    const char *key;
    json_t *v;
    bool ok = true;
    memset(lp->f, 0, sizeof(lp->f));
    lp->dated = false;
    json_object_foreach(post, key, v)
    {
        int k = field_of(key);
        if (k < 0) {
            nt_diag_list_addf(errs, label, line, key, "kolom tidak dikenal");
            ok = false;
        } else {
            lp->f[k] = v;
        }
    }
    json_t *id = lp->f[F_ID];
    size_t rn = sizeof(lp->remote_id);
    if (json_is_string(id) && json_string_length(id) > 0 && json_string_length(id) < rn)
        memcpy(lp->remote_id, json_string_value(id), json_string_length(id) + 1);
    else if (json_is_integer(id))
        snprintf(lp->remote_id, rn, "%lld", (long long)json_integer_value(id));
    else {
        nt_diag_list_addf(errs, label, line, "id", "wajib teks atau bilangan bulat");
        ok = false;
    }
    if (!json_is_string(lp->f[F_TEXT])) {
        nt_diag_list_addf(errs, label, line, "text", "wajib diisi (teks)");
        ok = false;
    }
    static const enum field opt_str[] = { F_CREATED_AT, F_TYPE, F_AUTHOR, F_URL, F_LANG };
    for (size_t i = 0; i < sizeof(opt_str) / sizeof(opt_str[0]); i++) {
        v = lp->f[opt_str[i]];
        if (v && !json_is_string(v)) {
            nt_diag_list_addf(errs, label, line, field_names[opt_str[i]], "harus teks");
            ok = false;
        }
    }
    time_t t;
    if (json_is_string(lp->f[F_CREATED_AT])) {
        if (nt_time_parse(json_string_value(lp->f[F_CREATED_AT]), &t)) {
            nt_time_iso(t, lp->posted, sizeof(lp->posted));
            lp->dated = true;
        } else {
            nt_diag_list_addf(errs, label, line, "created_at",
                              "harus waktu UTC YYYY-MM-DDTHH:MM:SSZ atau tanggal YYYY-MM-DD");
            ok = false;
        }
    }
    const char *type = json_string_value(lp->f[F_TYPE]);
    if (type && !interaction(type)) {
        nt_diag_list_addf(errs, label, line, "type",
                          "\"%s\" tidak dikenal (post, repost, reply, quote, comment)", type);
        ok = false;
    }
    const char *platform = json_string_value(lp->f[F_PLATFORM]);
    const char *acc = json_string_value(lp->f[F_ACCOUNT]);
    if (!platform || !acc) {
        nt_diag_list_addf(errs, label, line, platform ? "account" : "platform", "wajib diisi");
        return false;
    }
    char seen[2100];
    size_t known;
    int kn = snprintf(seen, sizeof(seen), "%s %s", platform, acc);
    if (ok && kn > 0 && (size_t)kn < sizeof(seen) && nt_strmap_get(&ac->seen, seen, &known)) {
        lp->account = (int64_t)known - 1;
        return true;
    }
    char canon[2048];
    struct nt_diag d;
    nt_diag_clear(&d);
    if (nt_reg_account_canonical(platform, acc, canon, sizeof(canon), &d) != NT_OK) {
        nt_diag_list_addf(errs, label, line, "account", "%s", d.msg);
        return false;
    }
    enum nt_err err = NT_OK;
    nt_db_bind_text(ac->st, 1, platform);
    nt_db_bind_text(ac->st, 2, canon);
    bool found = nt_db_next(ac->st, &err, &d);
    if (found)
        lp->account = nt_db_int64(ac->st, 0);
    nt_db_reset(ac->st);
    if (err) { /* the lookup failed: said so, not "not registered" */
        nt_diag_list_addf(errs, label, line, "account", "%s", d.msg);
        return false;
    }
    if (!found) {
        nt_diag_list_addf(errs, label, line, "account",
                          "akun %s %s tidak terdaftar (impor akun dahulu)", platform, canon);
        return false;
    }
    /* A full map only costs a lookup per line. */
    if (ok && kn > 0 && (size_t)kn < sizeof(seen) && ac->seen.count < 100000)
        nt_strmap_put(&ac->seen, seen, (size_t)lp->account + 1, NULL);
    return ok;
}

/*
 * Where the lines come from: a buffer in memory, or a stream read a chunk
 * at a time, so that a file of any size costs a chunk and its longest line
 * (at most NT_INGEST_MAX_LINE; the rest of a longer one is skipped unread).
 */
struct lines {
    const char *p, *end; /* the buffer, or the chunk read */
    FILE *f;             /* NULL: a buffer */
    char *chunk;
    char *line; /* a line that straddles chunks */
    size_t len, cap;
    bool eof;
};

#define CHUNK ((size_t)1 << 20)

/* The next line (without its newline) in *line and *n; *too_long when it was
 * over the limit (then *n is 0). False at the end, or on a read error
 * (ferror(l->f) tells). */
static bool next_line(struct lines *l, const char **line, size_t *n, bool *too_long)
{
    *too_long = false;
    if (!l->f) {
        if (l->p >= l->end)
            return false;
        const char *nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
        const char *eol = nl ? nl : l->end;
        *line = l->p;
        *n = (size_t)(eol - l->p);
        l->p = nl ? nl + 1 : l->end;
        *too_long = *n > NT_INGEST_MAX_LINE;
        return true;
    }
    l->len = 0;
    bool started = false;
    for (;;) {
        if (l->p >= l->end) {
            if (l->eof)
                break;
            size_t got = fread(l->chunk, 1, CHUNK, l->f);
            if (got < CHUNK)
                l->eof = true;
            if (ferror(l->f))
                return false;
            l->p = l->chunk;
            l->end = l->chunk + got;
            if (!got)
                break;
        }
        started = true;
        const char *nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
        size_t take = (size_t)((nl ? nl : l->end) - l->p);
        if (nl && l->len == 0 && !*too_long) {
            /* The whole line inside the chunk: no copy. */
            *line = l->p;
            *n = take;
            l->p = nl + 1;
            *too_long = take > NT_INGEST_MAX_LINE;
            if (*too_long)
                *n = 0;
            return true;
        }
        if (!*too_long && l->len + take > NT_INGEST_MAX_LINE) {
            *too_long = true;
            l->len = 0;
        }
        if (!*too_long) {
            if (l->len + take > l->cap) {
                size_t cap = l->cap ? l->cap : 4096;
                while (cap < l->len + take)
                    cap *= 2;
                char *nb = realloc(l->line, cap);
                if (!nb) {
                    /* As if too long: the line is skipped and reported. */
                    *too_long = true;
                    l->len = 0;
                } else {
                    l->line = nb;
                    l->cap = cap;
                }
            }
            if (!*too_long) {
                memcpy(l->line + l->len, l->p, take);
                l->len += take;
            }
        }
        l->p += take;
        if (nl) {
            l->p++;
            break;
        }
    }
    if (!started)
        return false;
    *line = l->line ? l->line : "";
    *n = *too_long ? 0 : l->len;
    return true;
}

/* The hook's work before a commit, when it has some. */
static enum nt_err before_commit(const struct nt_stored_hook *hook, struct nt_diag *d)
{
    return hook && hook->before_commit ? hook->before_commit(hook->user, d) : NT_OK;
}

static enum nt_err ingest(struct nt_store *s, const char *label, struct lines *src, time_t now,
                          const struct nt_stored_hook *hook, struct nt_ingest_result *res,
                          struct nt_diag_list *errs, struct nt_diag *d)
{
    struct nt_evidence *ev = NULL;
    struct accounts ac = { 0 };
    char nowiso[32];
    enum nt_err err;
    unsigned long lineno = 0;
    size_t in_tx = 0;
    const char *line;
    size_t n;
    bool too_long;

    memset(res, 0, sizeof(*res));
    nt_time_iso(now, nowiso, sizeof(nowiso));
    /* Fewer checkpoints and a bounded cache: 5-10% of an ingest, with
     * memory still flat whatever the file's size (bench_ingest). */
    err = nt_store_stream(s, true, d);
    if (!err)
        err = nt_store_begin(s, d);
    if (err)
        return err;
    err = nt_evidence_new(s, &ev, d);
    if (!err)
        nt_evidence_set_hook(ev, hook);
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "SELECT a.id FROM accounts a JOIN employees e ON e.id = a.employee_id "
                            "WHERE a.platform = ?1 AND a.account = ?2",
                            &ac.st, d);
    nt_strmap_init(&ac.seen);
    while (!err && next_line(src, &line, &n, &too_long)) {
        lineno++;
        if (too_long) {
            res->lines++;
            nt_diag_list_addf(errs, label, lineno, NULL, "baris lebih dari 4 MiB");
            res->rejected++;
            continue;
        }
        while (n && line[n - 1] == '\r')
            n--;
        size_t sp = 0;
        while (sp < n && (line[sp] == ' ' || line[sp] == '\t'))
            sp++;
        if (sp == n)
            continue;
        res->lines++;
        json_error_t jerr;
        json_t *post = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr);
        if (!post || !json_is_object(post)) {
            nt_diag_list_addf(errs, label, lineno, NULL, "JSON tidak sah: %s",
                              post ? "harus objek" : jerr.text);
            json_decref(post);
            res->rejected++;
            continue;
        }
        struct line_post lp;
        if (!check_line(&ac, label, lineno, post, errs, &lp)) {
            res->rejected++;
        } else {
            char url[NT_DIAG_FILE_MAX + 32];
            snprintf(url, sizeof(url), "file:%s#L%lu", label, lineno);
            err = store_post(ev, &lp, line, n, url, nowiso, res, d);
            /* A batch at a time: the journal stays small, and what was
             * committed stays when a later batch fails. */
            if (!err && ++in_tx == NT_INGEST_BATCH) {
                err = before_commit(hook, d);
                if (!err)
                    err = nt_store_commit(s, d);
                if (!err)
                    err = nt_store_begin(s, d);
                in_tx = 0;
            }
        }
        json_decref(post);
    }
    if (!err && src->f && ferror(src->f))
        err = nt_diag_set(d, NT_EIO, "%s: gagal dibaca pada baris %lu", label, lineno + 1);
    nt_db_finalize(ac.st);
    nt_strmap_release(&ac.seen);
    nt_evidence_free(ev);
    if (!err)
        err = before_commit(hook, d);
    if (!err)
        err = nt_store_commit(s, d);
    nt_store_rollback(s);
    struct nt_diag ignored;
    nt_store_stream(s, false, &ignored); /* a setting of this connection only */
    return err;
}

enum nt_err nt_crawl_ingest(struct nt_store *s, const char *label, const char *data, size_t len,
                            time_t now, const struct nt_stored_hook *hook,
                            struct nt_ingest_result *res, struct nt_diag_list *errs,
                            struct nt_diag *d)
{
    struct lines src = { .p = data, .end = data + len };
    return ingest(s, label, &src, now, hook, res, errs, d);
}

enum nt_err nt_crawl_ingest_file(struct nt_store *s, const char *label, FILE *f, time_t now,
                                 const struct nt_stored_hook *hook, struct nt_ingest_result *res,
                                 struct nt_diag_list *errs, struct nt_diag *d)
{
    struct lines src = { .f = f, .chunk = malloc(CHUNK) };
    if (!src.chunk)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    src.p = src.end = src.chunk;
    enum nt_err err = ingest(s, label, &src, now, hook, res, errs, d);
    free(src.chunk);
    free(src.line);
    return err;
}
