/*
 * api.c - the JSON API under /api/: each endpoint loads the session's user
 * and calls the review library, which checks the role and the agencies and
 * audits every change. See web/README.md for the list.
 */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diff.h"
#include "matcher.h"
#include "detect.h"
#include "models.h"
#include "scan.h"
#include "strmap.h"
#include "versions.h"
#include "internal.h"

static const char *arg(struct nt_web_req *q, const char *name)
{
    const char *v = MHD_lookup_connection_value(q->conn, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

static enum MHD_Result fail(struct nt_web_req *q, const struct nt_diag *d)
{
    return nt_web_error(q->conn, nt_web_status(d->err), d->msg);
}

/* The outcome of a library call that builds JSON: 200 with it, or the error. */
static enum MHD_Result reply(struct nt_web_req *q, enum nt_err err, const struct nt_diag *d,
                             json_t *o)
{
    if (err) {
        json_decref(o);
        return fail(q, d);
    }
    return nt_web_json(q->conn, 200, o, NULL);
}

static const char *jstr(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v && *v ? v : NULL;
}

static enum MHD_Result login(struct nt_web_req *q, struct nt_store *s)
{
    json_t *b = json_loadb(q->body, q->body_len, 0, NULL);
    const char *name = jstr(b, "name"), *password = jstr(b, "password");
    struct nt_diag d;
    nt_diag_clear(&d);
    enum MHD_Result r;
    if (!name || !password || strlen(name) > 63 || strlen(password) > 256) {
        r = nt_web_error(q->conn, 400, "nama dan kata sandi wajib diisi");
    } else if (!nt_web_login_allowed(q->w, name, q->addr)) {
        r = nt_web_error(q->conn, 429, "terlalu banyak percobaan masuk; coba lagi 5 menit lagi");
    } else if (nt_user_check_password(s, name, password, &d) != NT_OK) {
        nt_web_login_result(q->w, name, q->addr, false);
        r = nt_web_error(q->conn, 401, "nama pengguna atau kata sandi salah");
    } else {
        char token[65], csrf[65], cookie[200];
        struct nt_user u = { 0 };
        nt_web_login_result(q->w, name, q->addr, true);
        bool kept = nt_web_session_new(q->w, name, token, csrf);
        snprintf(cookie, sizeof(cookie), "netra_session=%s; Path=/; HttpOnly; SameSite=Strict%s",
                 token, q->secure ? "; Secure" : "");
        if (!kept) {
            r = nt_web_error(q->conn, 503, "sesi tidak dapat disimpan; coba lagi");
        } else if (nt_user_load(s, name, &u, &d) != NT_OK) {
            r = fail(q, &d);
        } else {
            json_t *ags = json_array();
            for (size_t i = 0; i < u.nagencies; i++)
                json_array_append_new(ags, json_string(u.agencies[i]));
            r = nt_web_json(q->conn, 200,
                            json_pack("{s:s, s:s, s:s, s:o}", "user", u.name, "role",
                                      nt_role_name(u.role), "csrf", csrf, "agencies", ags),
                            cookie);
        }
        nt_user_release(&u);
    }
    json_decref(b);
    return r;
}

/* /api/<what>/<id>[/<action>] */
bool nt_web_route(const char *url, const char *what, long long *id, char *action, size_t n)
{
    size_t wl = strlen(what);
    if (strncmp(url, what, wl) != 0 || url[wl] != '/')
        return false;
    char *end;
    *id = strtoll(url + wl + 1, &end, 10);
    if (end == url + wl + 1 || *id <= 0)
        return false;
    action[0] = '\0';
    if (*end == '/')
        snprintf(action, n, "%s", end + 1);
    else if (*end)
        return false;
    return true;
}

static enum MHD_Result stats(struct nt_web_req *q, struct nt_store *s, struct nt_user *u)
{
    char by[128], *keys[3];
    size_t nk = 0;
    struct nt_diag d;
    json_t *o = NULL;
    nt_diag_clear(&d);
    snprintf(by, sizeof(by), "%s", arg(q, "by") ? arg(q, "by") : "agency");
    for (char *p = by, *k; (k = strsep(&p, ",")) && nk < 3;)
        keys[nk++] = k;
    if (nk > 2)
        return nt_web_error(q->conn, 400, "paling banyak dua kunci");
    if (nt_stats(s, q->w->facts, u, (const char *const *)keys, nk, arg(q, "from"), arg(q, "to"),
                 nt_web_now(q->w), &o, &d) != NT_OK)
        return fail(q, &d);
    const char *format = arg(q, "format");
    if (!format || strcmp(format, "csv") != 0)
        return nt_web_json(q->conn, 200, o, NULL);
    struct nt_buf b;
    nt_buf_init(&b, 64u << 20);
    nt_grid_csv(json_object_get(o, "columns"), json_object_get(o, "rows"), &b);
    json_decref(o);
    enum MHD_Result r =
        nt_web_send(q->conn, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len,
                    "Content-Disposition", "attachment; filename=\"statistik-netra.csv\"");
    nt_buf_release(&b);
    return r;
}

static enum MHD_Result queue(struct nt_web_req *q, struct nt_store *s, struct nt_user *u)
{
    struct nt_queue_filter f = {
        .agency = arg(q, "agency"),
        .category = arg(q, "category"),
        .level = arg(q, "level"),
        .platform = arg(q, "platform"),
        .from = arg(q, "from"),
        .to = arg(q, "to"),
        .assignee = arg(q, "assignee"),
        .status = arg(q, "status"),
        .search = arg(q, "q"),
        .after = arg(q, "after"),
        .facets = arg(q, "facets") && strcmp(arg(q, "facets"), "1") == 0,
    };
    const char *limit = arg(q, "limit"), *offset = arg(q, "offset");
    f.limit = limit ? strtoul(limit, NULL, 10) : 50;
    f.offset = offset ? strtoul(offset, NULL, 10) : 0;
    if (f.limit > 500)
        f.limit = 500;
    struct nt_diag d;
    json_t *o = NULL;
    nt_diag_clear(&d);
    enum nt_err err = nt_queue_list(s, q->w->facts, u, &f, nt_web_now(q->w), &o, &d);
    return reply(q, err, &d, o);
}

static enum MHD_Result item(struct nt_web_req *q, struct nt_store *s, struct nt_user *u,
                            long long id, const char *action)
{
    struct nt_diag d;
    json_t *o = NULL;
    nt_diag_clear(&d);
    bool get = strcmp(q->method, "GET") == 0;
    if (get && !*action) {
        enum nt_err err = nt_item_show(s, u, id, nt_web_now(q->w), &o, &d);
        return reply(q, err, &d, o);
    }
    if (get && strcmp(action, "raw") == 0) {
        char *raw = NULL;
        size_t len = 0;
        if (nt_item_raw(s, u, id, nt_web_now(q->w), &raw, &len, &d) != NT_OK)
            return fail(q, &d);
        /* Plain text, never rendered: the bytes are a stranger's. */
        enum MHD_Result r = nt_web_send(q->conn, 200, "text/plain; charset=utf-8", raw, len,
                                        "Content-Disposition", "inline");
        free(raw);
        return r;
    }
    if (get && strcmp(action, "media") == 0) {
        /* ?a=ATTACHMENT[&original=1]: the thumbnail shown on the page, or
         * the file as fetched (a download, never rendered as a page). */
        const char *a = arg(q, "a"), *orig = arg(q, "original");
        bool original = orig && strcmp(orig, "1") == 0;
        struct nt_item_file f;
        char *end = NULL;
        long long aid = a ? strtoll(a, &end, 10) : 0;
        if (!a || !*a || *end || aid <= 0) {
            nt_diag_set(&d, NT_EINPUT, "parameter a (nomor lampiran) harus bilangan positif");
            return fail(q, &d);
        }
        if (nt_item_media(s, u, id, aid, original, nt_web_now(q->w), &f, &d) != NT_OK)
            return fail(q, &d);
        char disp[160];
        snprintf(disp, sizeof(disp), "%s; filename=\"lampiran-%lld-%lld.%s\"",
                 original ? "attachment" : "inline", id, aid,
                 strchr(f.mime, '/') ? strchr(f.mime, '/') + 1 : "bin");
        /* Only raster images are kept (sniffed); anything else is a download. */
        bool image = strncmp(f.mime, "image/", 6) == 0;
        enum MHD_Result r = nt_web_send(q->conn, 200, image ? f.mime : "application/octet-stream",
                                        f.data, f.len, "Content-Disposition", disp);
        free(f.data);
        return r;
    }
    if (get && strcmp(action, "same") == 0) {
        enum nt_err err = nt_item_same_text(s, u, id, &o, &d);
        return reply(q, err, &d, o);
    }
    if (!get && strcmp(action, "claim") == 0) {
        if (nt_item_claim(s, u, id, nt_web_now(q->w), &d) != NT_OK)
            return fail(q, &d);
        return nt_web_json(q->conn, 200, json_pack("{s:I}", "claimed", (json_int_t)id), NULL);
    }
    if (!get && strcmp(action, "undo") == 0) {
        enum nt_err err = nt_item_undo(s, u, id, nt_web_now(q->w), &o, &d);
        return reply(q, err, &d, o);
    }
    if (!get && strcmp(action, "decide") == 0) {
        json_t *b = json_loadb(q->body, q->body_len, 0, NULL);
        if (!json_is_object(b)) {
            json_decref(b);
            return nt_web_error(q->conn, 400, "badan permintaan bukan objek JSON");
        }
        struct nt_decision dec = { jstr(b, "decision"), jstr(b, "category"), jstr(b, "reason_code"),
                                   jstr(b, "reason") };
        enum nt_err err = nt_item_decide(s, u, id, &dec, nt_web_now(q->w), &o, &d);
        json_decref(b);
        return reply(q, err, &d, o);
    }
    return nt_web_error(q->conn, 404, "tidak ditemukan");
}

static enum MHD_Result case_(struct nt_web_req *q, struct nt_store *s, struct nt_user *u,
                             long long id, const char *action)
{
    struct nt_diag d;
    json_t *o = NULL;
    nt_diag_clear(&d);
    bool get = strcmp(q->method, "GET") == 0;
    if (get && !*action) {
        enum nt_err err = nt_case_show(s, u, id, &o, &d);
        return reply(q, err, &d, o);
    }
    if (get && strcmp(action, "dossier.html") == 0) {
        char *html = NULL, disp[96];
        if (nt_case_dossier_html(s, u, id, nt_web_now(q->w), &html, &d) != NT_OK)
            return fail(q, &d);
        /* ?cetak=1: shown in the browser, to print or save as PDF. */
        snprintf(disp, sizeof(disp), "%s; filename=\"berkas-kasus-%lld.html\"",
                 arg(q, "cetak") ? "inline" : "attachment", id);
        enum MHD_Result r = nt_web_send(q->conn, 200, "text/html; charset=utf-8", html,
                                        strlen(html), "Content-Disposition", disp);
        free(html);
        return r;
    }
    if (!get && strcmp(action, "assign") == 0) {
        json_t *b = json_loadb(q->body, q->body_len, 0, NULL);
        enum nt_err err = nt_case_assign(s, u, id, jstr(b, "user"), nt_web_now(q->w), &d);
        json_decref(b);
        if (err)
            return fail(q, &d);
        return nt_web_json(q->conn, 200, json_pack("{s:I}", "id", (json_int_t)id), NULL);
    }
    long long doc;
    char rest[16];
    if (get && nt_web_route(action, "documents", &doc, rest, sizeof(rest)) && !*rest) {
        struct nt_case_doc cd;
        char disp[400];
        if (nt_case_document(s, u, id, doc, nt_web_now(q->w), &cd, &d) != NT_OK)
            return fail(q, &d);
        /* Always a download; the name people gave it percent-encoded
         * (RFC 6266), a plain one beside it for old clients. */
        size_t at = (size_t)snprintf(disp, sizeof(disp),
                                     "attachment; filename=\"dokumen-kasus-%lld-%lld\"; "
                                     "filename*=UTF-8''",
                                     id, doc);
        for (const unsigned char *p = (const unsigned char *)cd.name; *p && at + 4 < sizeof(disp);
             p++)
            at += (size_t)snprintf(disp + at, sizeof(disp) - at,
                                   isalnum(*p) || strchr("-._~", *p) ? "%c" : "%%%02X", *p);
        enum MHD_Result r =
            nt_web_send(q->conn, 200, cd.mime, cd.data, cd.len, "Content-Disposition", disp);
        nt_case_doc_release(&cd);
        return r;
    }
    if (!get && (strcmp(action, "note") == 0 || strcmp(action, "attach") == 0)) {
        json_t *b = json_loadb(q->body, q->body_len, 0, NULL);
        if (!json_is_object(b)) {
            json_decref(b);
            return nt_web_error(q->conn, 400, "badan permintaan bukan objek JSON");
        }
        enum nt_err err;
        int64_t did = 0;
        if (strcmp(action, "note") == 0) {
            err = nt_case_note(s, u, id, jstr(b, "text"), nt_web_now(q->w), &d);
        } else {
            /* The file as base64 in the JSON body (state changes are JSON
             * only): at most NT_CASE_DOC_MAX bytes once decoded. */
            const char *b64 = jstr(b, "data");
            size_t blen = b64 ? strlen(b64) : 0, len = 0;
            unsigned char *bin = b64 ? malloc(blen / 4 * 3 + 3) : NULL;
            if (!b64)
                err = nt_diag_set(&d, NT_EINPUT, "isi dokumen (data, base64) tidak ada");
            else if (!bin)
                err = nt_diag_set(&d, NT_ENOMEM, "memori tidak cukup");
            else if (sodium_base642bin(bin, blen / 4 * 3 + 3, b64, blen, NULL, &len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL) != 0)
                err = nt_diag_set(&d, NT_EINPUT, "isi dokumen bukan base64 yang sah");
            else
                err =
                    nt_case_attach(s, u, id, jstr(b, "name"), bin, len, nt_web_now(q->w), &did, &d);
            free(bin);
        }
        json_decref(b);
        if (err)
            return fail(q, &d);
        return nt_web_json(
            q->conn, 200,
            did ? json_pack("{s:I, s:I}", "id", (json_int_t)id, "document", (json_int_t)did)
                : json_pack("{s:I}", "id", (json_int_t)id),
            NULL);
    }
    if (!get && strcmp(action, "advance") == 0) {
        json_t *b = json_loadb(q->body, q->body_len, 0, NULL);
        enum nt_err err = nt_case_advance(s, u, id, jstr(b, "to") ? jstr(b, "to") : "",
                                          jstr(b, "note"), nt_web_now(q->w), &d);
        json_decref(b);
        if (err)
            return fail(q, &d);
        return nt_web_json(q->conn, 200, json_pack("{s:I}", "id", (json_int_t)id), NULL);
    }
    return nt_web_error(q->conn, 404, "tidak ditemukan");
}

static enum MHD_Result audit(struct nt_web_req *q, struct nt_store *s, struct nt_user *u)
{
    struct nt_diag d;
    json_t *o = NULL;
    nt_diag_clear(&d);
    if (strcmp(q->url, "/api/audit/verify") == 0) {
        struct nt_audit_check chk;
        if (nt_user_require(u, NT_ROLE_ADMIN | NT_ROLE_SUPERVISOR, "memeriksa jejak audit", &d) ||
            nt_audit_verify(s, &chk, &d) != NT_OK)
            return fail(q, &d);
        return nt_web_json(q->conn, 200,
                           json_pack("{s:b, s:I, s:I, s:I, s:s, s:s, s:I}", "intact", !chk.broken,
                                     "rows", (json_int_t)chk.rows, "broken_at",
                                     (json_int_t)chk.broken_at, "decision",
                                     (json_int_t)chk.decision, "key_id", chk.key_id, "problem",
                                     chk.problem, "checkpoints", (json_int_t)chk.checkpoints),
                           NULL);
    }
    const char *limit = arg(q, "limit"), *before = arg(q, "before");
    struct nt_audit_filter f = { arg(q, "actor"),
                                 arg(q, "action"),
                                 arg(q, "object_type"),
                                 arg(q, "object_id"),
                                 arg(q, "from"),
                                 arg(q, "to"),
                                 limit ? strtoul(limit, NULL, 10) : 200,
                                 before ? strtoll(before, NULL, 10) : 0 };
    if (f.limit == 0 || f.limit > 1000)
        f.limit = 1000;
    enum nt_err err = nt_audit_list(s, u, &f, &o, &d);
    return reply(q, err, &d, o);
}

static enum nt_err version_row(const struct nt_store_doc_version *v, void *ctx)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:b}", "id", (json_int_t)v->id, "label",
                          v->label, "sha256", v->sha256, "author", v->author, "comment", v->comment,
                          "created_at", v->created_at, "active", v->active);
    return o && !json_array_append_new(ctx, o) ? NT_OK : NT_ENOMEM;
}

static enum nt_err model_row(const struct nt_store_doc_version *v, void *ctx)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:f, s:f, s:b}", "id", (json_int_t)v->id,
                          "label", v->label, "sha256", v->sha256, "author", v->author, "comment",
                          v->comment, "created_at", v->created_at, "review_at", v->review,
                          "priority_at", v->priority, "active", v->active);
    return o && !json_array_append_new(ctx, o) ? NT_OK : NT_ENOMEM;
}

/* A stored version, parsed. */
static enum nt_err load_version(struct nt_store *s, int64_t id, struct nt_lex **out,
                                struct nt_diag *d)
{
    char *json = NULL;
    size_t len = 0;
    int64_t found = 0;
    struct nt_diag_list errs;
    nt_diag_list_init(&errs, 5);
    enum nt_err err = nt_lex_version_body(s, id, &json, &len, &found, d);
    if (!err)
        err = nt_lex_parse("versi", json, len, out, &errs, d);
    nt_diag_list_release(&errs);
    free(json);
    return err;
}

/* Problems of a lexicon as lines of text. */
static void problem_lines(const struct nt_diag_list *errs, json_t *problems)
{
    for (size_t i = 0; i < errs->count; i++) {
        char line[1024];
        nt_diag_format(&errs->items[i], line, sizeof(line));
        json_array_append_new(problems, json_string(line));
    }
}

/* A draft against the stored posts, nothing written: what `netra lexicon
 * test` reports, against reviewers' decisions. Both sides load lexicon,
 * slang and the active stance model the way the scan job does. */
static enum MHD_Result draft_test(struct nt_web_req *q, struct nt_store *s)
{
    const struct nt_web_config *cfg = q->w->cfg;
    char lexpath[4096], modelpath[4096];
    struct nt_diag d;
    struct nt_diag_list errs;
    struct nt_detect ea, eb;
    struct nt_strmap labels;
    json_t *problems = json_array(), *out = NULL;
    memset(&ea, 0, sizeof(ea));
    memset(&eb, 0, sizeof(eb));
    nt_diag_clear(&d);
    nt_diag_list_init(&errs, 50);
    nt_strmap_init(&labels);
    snprintf(lexpath, sizeof(lexpath), "%s/lexicon/default-2024.json", cfg->datadir);
    snprintf(modelpath, sizeof(modelpath), "%s/model/stance-default.bin", cfg->datadir);
    struct nt_detect_src src = {
        .store = s, .bundled_lexicon = lexpath, .bundled_model = modelpath, .slang = cfg->slang
    };
    /* The active version must exist (the store's, not the bundled one). */
    char *probe = NULL;
    size_t plen = 0;
    int64_t pid = 0;
    enum nt_err err = nt_lex_version_body(s, 0, &probe, &plen, &pid, &d);
    free(probe);
    if (!err)
        err = nt_detect_load_lexicon(&ea, &src, &errs, &d);
    if (!err)
        err = nt_detect_load_model(&ea, &src, &d);
    if (!err) {
        errs.count = errs.dropped = 0;
        src.lexicon = "draf";
        src.lexicon_json = q->body;
        src.lexicon_len = q->body_len;
        err = nt_detect_load_lexicon(&eb, &src, &errs, &d);
        problem_lines(&errs, problems);
        if (!err)
            err = nt_detect_load_model(&eb, &src, &d);
    }
    size_t n = 0;
    if (!err)
        err = nt_detect_labels_from_decisions(s, &labels, &n, &d);
    struct nt_scan_stage sa, sb;
    nt_detect_stage(&ea, &sa);
    nt_detect_stage(&eb, &sb);
    if (!err)
        err = nt_detect_draft_test(s, ea.m, &sa, eb.m, &sb, &labels, &out, &d);
    enum MHD_Result r;
    if (err) {
        r = nt_web_json(q->conn, nt_web_status(err),
                        json_pack("{s:s, s:O}", "error", d.msg, "problems", problems), NULL);
    } else {
        json_object_set_new(out, "active_version", json_integer(ea.lexicon_id));
        if (ea.model)
            json_object_set_new(out, "model_version",
                                json_string(nt_stance_info(ea.model)->version));
        r = nt_web_json(q->conn, 200, out, NULL);
    }
    json_decref(problems);
    nt_diag_list_release(&errs);
    nt_strmap_release(&labels);
    nt_detect_release(&ea);
    nt_detect_release(&eb);
    return r;
}

/* The lexicon page: versions, a diff, activation (analysts and admins). */
static enum MHD_Result lexicon(struct nt_web_req *q, struct nt_store *s, struct nt_user *u)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    bool get = strcmp(q->method, "GET") == 0;
    unsigned who = get ? NT_ROLE_ANALYST | NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN
                       : NT_ROLE_ANALYST | NT_ROLE_ADMIN;
    if (nt_user_require(u, who, get ? "melihat leksikon" : "mengubah leksikon", &d))
        return fail(q, &d);
    long long id;
    char action[32];
    if (!get && strcmp(q->url, "/api/lexicon/test") == 0)
        return draft_test(q, s);
    if (get && strcmp(q->url, "/api/lexicon/versions") == 0) {
        json_t *a = json_array();
        if (nt_lex_versions_each(s, version_row, a, &d) != NT_OK) {
            json_decref(a);
            return fail(q, &d);
        }
        return nt_web_json(q->conn, 200, a, NULL);
    }
    if (get && strcmp(q->url, "/api/lexicon/models") == 0) {
        /* The stance model versions with their thresholds. */
        json_t *a = json_array();
        if (nt_model_versions_each(s, model_row, a, &d) != NT_OK) {
            json_decref(a);
            return fail(q, &d);
        }
        return nt_web_json(q->conn, 200, a, NULL);
    }
    if (get && strcmp(q->url, "/api/lexicon/diff") == 0) {
        const char *a = arg(q, "a"), *b = arg(q, "b");
        struct nt_lex *la = NULL, *lb = NULL;
        struct nt_buf out;
        size_t n = 0;
        nt_buf_init(&out, 16u << 20);
        enum nt_err err = !a || !b ? nt_diag_set(&d, NT_EINPUT, "sebutkan versi a dan b")
                                   : load_version(s, strtoll(a, NULL, 10), &la, &d);
        if (!err)
            err = load_version(s, strtoll(b, NULL, 10), &lb, &d);
        if (!err)
            err = nt_lex_diff(la, lb, &out, &n);
        nt_lex_free(la);
        nt_lex_free(lb);
        enum MHD_Result r =
            err ? fail(q, &d)
                : nt_web_json(q->conn, 200,
                              json_pack("{s:I, s:s}", "changes", (json_int_t)n, "text",
                                        nt_buf_str(&out) ? nt_buf_str(&out) : ""),
                              NULL);
        nt_buf_release(&out);
        return r;
    }
    /* A lexicon or a stance model version: the change and its audit row in
     * one transaction, as the CLI does; the stored posts follow the new
     * version in the background. */
    enum nt_store_doc kind = NT_DOC_MODEL;
    if (!get &&
        (nt_web_route(q->url, "/api/lexicon/models", &id, action, sizeof(action)) ||
         (kind = NT_DOC_LEXICON,
          nt_web_route(q->url, "/api/lexicon", &id, action, sizeof(action)))) &&
        strcmp(action, "activate") == 0) {
        enum nt_err err = nt_doc_activate_audited(s, u, kind, id, nt_web_now(q->w), &d);
        if (err)
            return fail(q, &d);
        nt_web_rescore_start(q->w);
        return nt_web_json(q->conn, 200,
                           json_pack("{s:I, s:b}", kind == NT_DOC_MODEL ? "active_model" : "active",
                                     (json_int_t)id, "rescoring", 1),
                           NULL);
    }
    if (get && strcmp(q->url, "/api/lexicon/rescore") == 0) {
        json_t *o = nt_web_rescore_status(q->w, s, &d);
        return o ? nt_web_json(q->conn, 200, o, NULL) : fail(q, &d);
    }
    return nt_web_error(q->conn, 404, "tidak ditemukan");
}

/* ---- the route table --------------------------------------------------
 * One line per route: methods, how the path matches, the roles that may
 * use it (checked here before the handler; the library checks again) and
 * the handler. A new route is a new line. */
struct api_call {
    struct nt_web_req *q;
    struct nt_store *s;
    struct nt_user *u;
    long long id;       /* ITEM routes: /base/ID[/action] */
    const char *action; /* "" when none */
};
typedef enum MHD_Result (*api_fn)(const struct api_call *c);

static enum MHD_Result r_session(const struct api_call *c)
{
    json_t *ags = json_array();
    for (size_t i = 0; i < c->u->nagencies; i++)
        json_array_append_new(ags, json_string(c->u->agencies[i]));
    return nt_web_json(c->q->conn, 200,
                       json_pack("{s:s, s:s, s:s, s:o}", "user", c->u->name, "role",
                                 nt_role_name(c->u->role), "csrf", c->q->csrf, "agencies", ags),
                       NULL);
}

/* The words for every stored code, for what the app shows (labels.c). */
static enum MHD_Result r_labels(const struct api_call *c)
{
    json_t *o = nt_labels_json();
    return o ? nt_web_json(c->q->conn, 200, o, NULL)
             : nt_web_error(c->q->conn, 500, "memori tidak cukup");
}

/* POST /api/items/decide {ids: [...], decision, category, reason_code,
 * reason}: several items at once, every one or none. */
static enum MHD_Result r_decide_many(const struct api_call *c)
{
    struct nt_web_req *q = c->q;
    struct nt_diag d;
    json_t *o = NULL;
    nt_diag_clear(&d);
    json_t *b = json_loadb(q->body, q->body_len, 0, NULL);
    json_t *ids = json_object_get(b, "ids");
    size_t n = json_array_size(ids);
    if (!json_is_object(b) || !json_is_array(ids) || n == 0 || n > NT_DECIDE_MAX) {
        json_decref(b);
        return nt_web_error(q->conn, 400, "sebutkan ids: daftar 1..200 nomor butir");
    }
    int64_t v[NT_DECIDE_MAX];
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(ids, i);
        if (!json_is_integer(x) || json_integer_value(x) <= 0) {
            json_decref(b);
            return nt_web_error(q->conn, 400,
                                "ids: setiap nomor butir harus bilangan bulat positif");
        }
        v[i] = json_integer_value(x);
    }
    struct nt_decision dec = { jstr(b, "decision"), jstr(b, "category"), jstr(b, "reason_code"),
                               jstr(b, "reason") };
    enum nt_err err = nt_items_decide(c->s, c->u, v, n, &dec, nt_web_now(q->w), &o, &d);
    json_decref(b);
    if (!err && n == 1)
        o = json_pack("{s:[o]}", "items", o);
    return reply(q, err, &d, o);
}

/* GET /api/filters: the user's saved queue views; POST {name, view} saves
 * one (view null: deletes it). */
static enum MHD_Result r_filters(const struct api_call *c)
{
    struct nt_diag d;
    json_t *o = NULL;
    nt_diag_clear(&d);
    if (strcmp(c->q->method, "GET") == 0) {
        enum nt_err err = nt_user_filters(c->s, c->u, &o, &d);
        return reply(c->q, err, &d, o);
    }
    json_t *b = json_loadb(c->q->body, c->q->body_len, 0, NULL);
    enum nt_err err = json_is_object(b)
                          ? nt_user_filter_save(c->s, c->u, jstr(b, "name"), jstr(b, "view"),
                                                nt_web_now(c->q->w), &d)
                          : nt_diag_set(&d, NT_EINPUT, "badan permintaan bukan objek JSON");
    json_decref(b);
    if (!err)
        err = nt_user_filters(c->s, c->u, &o, &d);
    return reply(c->q, err, &d, o);
}

/* GET /api/employees/ID: one employee's history (subject.c). */
static enum MHD_Result r_employee(const struct api_call *c)
{
    struct nt_diag d;
    json_t *o = NULL;
    nt_diag_clear(&d);
    if (*c->action)
        return nt_web_error(c->q->conn, 404, "tidak ditemukan");
    enum nt_err err = nt_employee_history(c->s, c->u, c->id, &o, &d);
    return reply(c->q, err, &d, o);
}

static enum MHD_Result r_queue(const struct api_call *c)
{
    return queue(c->q, c->s, c->u);
}

static enum MHD_Result r_item(const struct api_call *c)
{
    return item(c->q, c->s, c->u, c->id, c->action);
}

static enum MHD_Result r_cases(const struct api_call *c)
{
    struct nt_diag d;
    json_t *o = NULL;
    nt_diag_clear(&d);
    enum nt_err err = nt_case_list(c->s, c->u, arg(c->q, "state"), &o, &d);
    return reply(c->q, err, &d, o);
}

static enum MHD_Result r_case(const struct api_call *c)
{
    return case_(c->q, c->s, c->u, c->id, c->action);
}

static enum MHD_Result r_stats(const struct api_call *c)
{
    return stats(c->q, c->s, c->u);
}

static enum MHD_Result r_audit(const struct api_call *c)
{
    return audit(c->q, c->s, c->u);
}

static enum MHD_Result r_lexicon(const struct api_call *c)
{
    return lexicon(c->q, c->s, c->u);
}

static enum MHD_Result r_coverage(const struct api_call *c)
{
    struct nt_diag d;
    json_t *o = NULL;
    nt_diag_clear(&d);
    const char *limit = arg(c->q, "limit"), *offset = arg(c->q, "offset");
    struct nt_coverage_filter f = { arg(c->q, "agency"), arg(c->q, "platform"), arg(c->q, "state"),
                                    limit ? strtoul(limit, NULL, 10) : 200,
                                    offset ? strtoul(offset, NULL, 10) : 0 };
    if (f.limit == 0 || f.limit > 1000)
        f.limit = 1000;
    /* One page of accounts (failing first) and the counts of the whole
     * scope: thousands of accounts never travel in one answer. */
    json_t *sum = NULL;
    enum nt_err err = nt_coverage_page(c->s, c->q->w->coverage, c->u, &f, &sum, &o, &d);
    if (err)
        return reply(c->q, err, &d, NULL);
    return reply(c->q, err, &d,
                 json_pack("{s:o, s:o, s:I, s:I}", "summary", sum, "accounts", o, "limit",
                           (json_int_t)f.limit, "offset", (json_int_t)f.offset));
}

enum { M_GET = 1, M_POST = 2 };
enum api_match { EXACT, PREFIX, ITEM };
#define ANYONE 0u /* every signed-in role; the library decides */
#define BOSS   (NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN)

static const struct api_route {
    unsigned methods;
    enum api_match match;
    const char *path;
    unsigned roles;   /* ANYONE, or the roles allowed */
    const char *what; /* for the refusal: "tidak berwenang: ..." */
    api_fn fn;
} api_routes[] = {
    { M_GET, EXACT, "/api/session", ANYONE, NULL, r_session },
    { M_GET, EXACT, "/api/labels", ANYONE, NULL, r_labels },
    { M_GET, EXACT, "/api/queue", ANYONE, NULL, r_queue },
    { M_POST, EXACT, "/api/items/decide", ANYONE, NULL, r_decide_many },
    { M_GET | M_POST, ITEM, "/api/items", ANYONE, NULL, r_item },
    { M_GET, EXACT, "/api/cases", ANYONE, NULL, r_cases },
    { M_GET, ITEM, "/api/employees", ANYONE, NULL, r_employee },
    { M_GET | M_POST, EXACT, "/api/filters", ANYONE, NULL, r_filters },
    { M_GET | M_POST, ITEM, "/api/cases", ANYONE, NULL, r_case },
    { M_GET, EXACT, "/api/stats", ANYONE, NULL, r_stats },
    { M_GET, PREFIX, "/api/audit", BOSS, "melihat jejak audit", r_audit },
    { M_GET | M_POST, PREFIX, "/api/lexicon/", ANYONE, NULL, r_lexicon },
    { M_GET, EXACT, "/api/coverage", BOSS, "melihat cakupan pemantauan", r_coverage },
};

/* The route for this request, filling c->id and the action for ITEM ones. */
static const struct api_route *api_route_find(const struct nt_web_req *q, unsigned method,
                                              struct api_call *c, char *action, size_t n)
{
    for (size_t i = 0; i < sizeof(api_routes) / sizeof(api_routes[0]); i++) {
        const struct api_route *r = &api_routes[i];
        if (!(r->methods & method))
            continue;
        bool hit = r->match == EXACT    ? strcmp(q->url, r->path) == 0
                   : r->match == PREFIX ? strncmp(q->url, r->path, strlen(r->path)) == 0
                                        : nt_web_route(q->url, r->path, &c->id, action, n);
        if (hit)
            return r;
    }
    return NULL;
}

enum MHD_Result nt_web_api(struct nt_web_req *q)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    struct nt_store *s = nt_web_store(q->w, &d);
    if (!s)
        return nt_web_error(q->conn, 503, "basis data tidak dapat dibuka");
    bool get = strcmp(q->method, "GET") == 0, post = strcmp(q->method, "POST") == 0;
    if (!get && !post)
        return nt_web_error(q->conn, 405, "metode tidak diizinkan");
    if (post && strcmp(q->url, "/api/login") == 0)
        return login(q, s);
    if (!q->token)
        return nt_web_error(q->conn, 401, "belum masuk");
    if (post && strcmp(q->url, "/api/logout") == 0) {
        nt_web_session_end(q->w, q->token);
        return nt_web_json(q->conn, 200, json_pack("{s:b}", "ok", 1),
                           "netra_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    }
    struct nt_user u = { 0 };
    if (nt_user_load(s, q->user, &u, &d) != NT_OK) {
        nt_web_session_end(q->w, q->token); /* the user was removed or deactivated */
        return nt_web_error(q->conn, 401, d.msg);
    }
    enum MHD_Result r;
    char action[64] = "";
    struct api_call c = { q, s, &u, 0, action };
    const struct api_route *rt =
        api_route_find(q, get ? M_GET : M_POST, &c, action, sizeof(action));
    if (!rt)
        r = nt_web_error(q->conn, 404, "tidak ditemukan");
    else if (rt->roles && nt_user_require(&u, rt->roles, rt->what, &d) != NT_OK)
        r = fail(q, &d);
    else
        r = rt->fn(&c);
    nt_user_release(&u);
    return r;
}
