/*
 * show.c - one review item with everything a decision rests on: the post as
 * captured, the hits with their byte offsets in the original text, the
 * score's explanation, the evidence (URL, capture time, SHA-256), the
 * employee (or a pseudonym), the decisions so far and the employee's other
 * items. Cases and dossiers reuse the same description of an item.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "db.h"
#include "internal.h"
#include "lexicon.h"

static json_t *loads_or_null(struct nt_db_stmt *st, int i)
{
    const char *t = nt_db_text(st, i);
    json_t *j = t ? json_loads(t, 0, NULL) : NULL;
    return j ? j : json_null();
}

static json_t *category_info(const char *code)
{
    const struct nt_skb_category *c = nt_skb_category(code);
    if (!c)
        return json_null();
    return json_pack("{s:s, s:s, s:o, s:s}", "code", c->code, "title", c->title, "ethics",
                     c->ethics ? json_string(c->ethics) : json_null(), "discipline", c->discipline);
}

char *nt_item_stance_summary(json_t *explanation)
{
    json_t *st = json_object_get(explanation, "stance");
    if (!json_is_object(st))
        return NULL;
    const char *model = json_string_value(json_object_get(st, "model_version"));
    struct nt_buf b;
    nt_buf_init(&b, 4096);
    nt_buf_appendf(&b, "Sikap penulis menurut model %s", model ? model : "-");
    if (json_is_true(json_object_get(st, "skipped"))) {
        const char *why = json_string_value(json_object_get(st, "reason"));
        nt_buf_appendf(&b, ": tahap sikap tidak dijalankan (%s)", why ? why : "-");
    } else {
        const char *side = json_string_value(json_object_get(st, "side_label"));
        nt_buf_appendf(&b, ": peluang berpihak %.1f%% (ambang tinjau %.1f%%, prioritas %.1f%%), %s",
                       100 * json_number_value(json_object_get(st, "p_side")),
                       100 * json_number_value(json_object_get(st, "review_at")),
                       100 * json_number_value(json_object_get(st, "priority_at")),
                       side ? side : "-");
    }
    size_t len;
    return nt_buf_detach(&b, &len);
}

struct written {
    int64_t id;
    json_t *h;
};

static int by_written(const void *a, const void *b)
{
    const struct written *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* An explanation stored without its hits (the scan keeps them as rows
 * only) gets them back, in the order they were written: the order its
 * rules count them by. One stored with them keeps its own. */
static void explain_hits(json_t *ex, struct written *order, size_t n)
{
    if (!json_is_object(ex) || json_object_get(ex, "hits"))
        return;
    if (n)
        qsort(order, n, sizeof(*order), by_written);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append(a, order[i].h);
    json_object_set_new(ex, "hits", a ? a : json_array());
}

enum nt_err nt_rv_item_json(struct nt_store *s, int64_t id, bool identity, json_t **out,
                            struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "SELECT i.id, i.status, i.level, i.category, i.priority, i.created_at, i.updated_at, "
        "p.id, a.platform, a.account, p.url, p.interaction, p.posted_at, p.deleted_at, v.text, "
        "v.id, v.fetched_at, v.request_url, v.raw_sha256, v.content_sha256, length(v.raw), "
        "sc.score, sc.level, sc.explanation, sc.lexicon_id, l.label, "
        "e.id, e.name, e.nip, e.agency, e.work_unit, e.position, e.position_type, e.region_code, "
        "sc.id, v.edited_at "
        "FROM review_items i JOIN scores sc ON sc.id = i.score_id "
        "JOIN post_versions v ON v.id = sc.version_id JOIN posts p ON p.id = v.post_id "
        "JOIN accounts a ON a.id = p.account_id JOIN employees e ON e.id = a.employee_id "
        "JOIN lexicon_versions l ON l.id = sc.lexicon_id WHERE i.id = ?1",
        &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, id);
    if (!nt_db_next(st, &err, d)) {
        nt_db_finalize(st);
        return err ? err
                   : nt_diag_set(d, NT_ENOTFOUND, "butir antrean #%lld tidak ada", (long long)id);
    }
    json_t *employee;
    if (identity) {
        employee = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                             (json_int_t)nt_db_int64(st, 26), "name", nt_rv_col(st, 27), "nip",
                             nt_rv_col(st, 28), "agency", nt_rv_col(st, 29), "work_unit",
                             nt_rv_col(st, 30), "position", nt_rv_col(st, 31), "position_type",
                             nt_rv_col(st, 32), "region", nt_rv_col(st, 33));
    } else {
        char p[32];
        err = nt_rv_pseudonym(s, nt_db_int64(st, 26), p, d);
        employee =
            json_pack("{s:s, s:o, s:b}", "pseudonym", p, "agency", nt_rv_col(st, 29), "hidden", 1);
    }
    const char *cat = nt_db_text(st, 3);
    json_t *o = json_pack(
        "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
        " s:{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o},"
        " s:{s:I, s:o, s:o, s:o, s:o, s:I},"
        " s:{s:f, s:o, s:I, s:o, s:o}, s:o}",
        "id", (json_int_t)id, "status", nt_rv_col(st, 1), "level", nt_rv_col(st, 2), "category",
        nt_rv_col(st, 3), "category_info", category_info(cat), "priority_base",
        json_real(nt_db_double(st, 4)), "created_at", nt_rv_col(st, 5), "updated_at",
        nt_rv_col(st, 6), "post", "id", (json_int_t)nt_db_int64(st, 7), "platform",
        nt_rv_col(st, 8), "account", identity ? nt_rv_col(st, 9) : json_null(), "url",
        identity ? nt_rv_col(st, 10) : json_null(), "interaction", nt_rv_col(st, 11), "posted_at",
        nt_rv_col(st, 12), "deleted_at", nt_rv_col(st, 13), "edited_at", nt_rv_col(st, 35), "text",
        nt_rv_col(st, 14), "evidence", "version_id", (json_int_t)nt_db_int64(st, 15), "fetched_at",
        nt_rv_col(st, 16), "request_url", identity ? nt_rv_col(st, 17) : json_null(), "raw_sha256",
        nt_rv_col(st, 18), "content_sha256", nt_rv_col(st, 19), "raw_bytes",
        (json_int_t)nt_db_int64(st, 20), "score", "score", nt_db_double(st, 21), "level",
        nt_rv_col(st, 22), "lexicon_id", (json_int_t)nt_db_int64(st, 24), "lexicon_label",
        nt_rv_col(st, 25), "explanation", loads_or_null(st, 23), "employee", employee);
    int64_t score_id = nt_db_int64(st, 34);
    int64_t post_id = nt_db_int64(st, 7);
    nt_db_finalize(st);
    st = NULL;
    if (!o) {
        json_decref(o);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    json_t *hits = json_array(), *decs = json_array(), *media = NULL;
    if (!err)
        err = nt_rv_post_media(s, post_id, identity, &media, d);
    json_object_set_new(o, "media", media ? media : json_array());
    /* The caption's hits first (in text order), then each attachment's. */
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "SELECT entry_id, kind, rule_id, start_byte, end_byte, matched, "
                            "weight, source, attachment_id, line, id FROM hits WHERE score_id = "
                            "?1 ORDER BY source IS NOT NULL, attachment_id, source, start_byte, id",
                            &st, d);
    struct written *order = NULL; /* the hits in the order the scan wrote them */
    size_t nwritten = 0, cap = 0;
    if (!err) {
        nt_db_bind_int64(st, 1, score_id);
        while (!err && nt_db_next(st, &err, d)) {
            json_t *h = json_pack("{s:o, s:o, s:o, s:I, s:I, s:o, s:f, s:o}", "entry",
                                  nt_rv_col(st, 0), "kind", nt_rv_col(st, 1), "rule",
                                  nt_rv_col(st, 2), "start", (json_int_t)nt_db_int64(st, 3), "end",
                                  (json_int_t)nt_db_int64(st, 4), "match", nt_rv_col(st, 5),
                                  "weight", nt_db_double(st, 6), "source", nt_rv_col(st, 7));
            if (h && nt_db_type(st, 8) != NT_DB_NULL) {
                json_object_set_new(h, "attachment", json_integer(nt_db_int64(st, 8)));
                json_object_set_new(h, "line", json_integer(nt_db_int64(st, 9)));
            }
            if (!h || nt_grow(&order, &cap, nwritten, sizeof(*order), 16) != NT_OK) {
                json_decref(h);
                err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
                break;
            }
            order[nwritten++] = (struct written){ nt_db_int64(st, 10), h };
            json_array_append_new(hits, h);
        }
        nt_db_finalize(st);
        if (!err)
            explain_hits(json_object_get(json_object_get(o, "score"), "explanation"), order,
                         nwritten);
        free(order);
        st = NULL;
        if (!err)
            err = nt_db_prepare(nt_store_dbh(s),
                                "SELECT u.name, d.decision, d.category, d.reason_code, d.reason, "
                                "d.decided_at, d.id, EXISTS (SELECT 1 FROM decisions x WHERE "
                                "x.undoes = d.id) FROM decisions d JOIN users u ON u.id = "
                                "d.user_id WHERE d.item_id = ?1 ORDER BY d.id",
                                &st, d);
    }
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        while (!err && nt_db_next(st, &err, d))
            json_array_append_new(
                decs,
                json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:b}", "user", nt_rv_col(st, 0),
                          "decision", nt_rv_col(st, 1), "category", nt_rv_col(st, 2), "reason_code",
                          nt_rv_col(st, 3), "reason", nt_rv_col(st, 4), "at", nt_rv_col(st, 5),
                          "id", (json_int_t)nt_db_int64(st, 6), "undone", nt_db_int64(st, 7)));
    }
    nt_db_finalize(st);
    json_object_set_new(o, "hits", hits);
    json_object_set_new(o, "decisions", decs);
    if (err) {
        json_decref(o);
        return err;
    }
    *out = o;
    return NT_OK;
}

enum nt_err nt_item_show(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                         json_t **out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    struct nt_review_config cfg;
    enum nt_err err = nt_user_require(u, NT_ROLE_REVIEWER | NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN,
                                      "melihat butir", d);
    if (!err)
        err = nt_review_config_load(s, &cfg, d);
    if (err)
        return err;
    err = nt_db_prepare(nt_store_dbh(s),
                        "SELECT agency, status, employee_id, claimed_by, claim_expires_at, "
                        "(SELECT name FROM users WHERE id = claimed_by), priority "
                        "FROM review_items WHERE id = ?1",
                        &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        if ((!nt_db_next(st, &err, d) && !err) || (!err && !nt_user_sees(u, nt_db_text(st, 0))))
            err = nt_diag_set(d, NT_ENOTFOUND, "butir antrean #%lld tidak ada", (long long)id);
    }
    json_t *o = NULL;
    if (!err) {
        const char *status = nt_db_text(st, 1);
        bool identity = !cfg.pseudonymous || strcmp(status, "confirmed") == 0 ||
                        strcmp(status, "escalated") == 0;
        int64_t employee = nt_db_int64(st, 2);
        json_t *claim = nt_db_text(st, 5) ? json_pack("{s:o, s:o}", "user", nt_rv_col(st, 5),
                                                      "until", nt_rv_col(st, 4))
                                          : json_null();
        double prio = nt_db_double(st, 6) + NT_AGING_PER_DAY * ((double)now / 86400.0 + 2440587.5);
        nt_db_finalize(st);
        st = NULL;
        err = nt_rv_item_json(s, id, identity, &o, d);
        if (!err) {
            json_object_set_new(o, "claim", claim);
            json_object_set_new(o, "priority", json_real(prio));
            json_object_set_new(o, "pseudonymous", json_boolean(!identity));
        } else {
            json_decref(claim);
        }
        json_t *others = json_array();
        if (!err)
            err = nt_db_prepare(nt_store_dbh(s),
                                "SELECT id, status, level, category, posted_at FROM "
                                "review_items WHERE employee_id = ?1 AND id != ?2 "
                                "ORDER BY posted_at DESC, id DESC LIMIT 50",
                                &st, d);
        if (!err) {
            nt_db_bind_int64(st, 1, employee);
            nt_db_bind_int64(st, 2, id);
            while (!err && nt_db_next(st, &err, d))
                json_array_append_new(others, json_pack("{s:I, s:o, s:o, s:o, s:o}", "id",
                                                        (json_int_t)nt_db_int64(st, 0), "status",
                                                        nt_rv_col(st, 1), "level", nt_rv_col(st, 2),
                                                        "category", nt_rv_col(st, 3), "posted_at",
                                                        nt_rv_col(st, 4)));
        }
        if (o)
            json_object_set_new(o, "other_items", others);
        else
            json_decref(others);
    }
    nt_db_finalize(st);
    nt_review_config_release(&cfg);
    /* The user's own last decision, while they may still take it back. */
    int64_t undo_of;
    char until[32];
    if (!err && nt_rv_undoable(s, u, id, now, &undo_of, until))
        json_object_set_new(
            o, "undo", json_pack("{s:I, s:s}", "decision", (json_int_t)undo_of, "until", until));
    if (err) {
        json_decref(o);
        return err;
    }
    *out = o;
    return NT_OK;
}

enum nt_err nt_item_raw(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                        char **raw, size_t *len, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    struct nt_review_config cfg;
    *raw = NULL;
    *len = 0;
    enum nt_err err = nt_user_require(u, NT_ROLE_REVIEWER | NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN,
                                      "melihat data asli", d);
    if (!err)
        err = nt_review_config_load(s, &cfg, d);
    if (err)
        return err;
    err = nt_db_prepare(nt_store_dbh(s),
                        "SELECT i.agency, i.status, v.raw FROM review_items i "
                        "JOIN scores sc ON sc.id = i.score_id "
                        "JOIN post_versions v ON v.id = sc.version_id WHERE i.id = ?1",
                        &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        bool row = nt_db_next(st, &err, d);
        size_t rawlen = 0;
        const void *rawp = row ? nt_db_blob(st, 2, &rawlen) : NULL;
        if (!err && (!row || !nt_user_sees(u, nt_db_text(st, 0)))) {
            err = nt_diag_set(d, NT_ENOTFOUND, "butir antrean #%lld tidak ada", (long long)id);
        } else if (!err) {
            const char *status = nt_db_text(st, 1);
            /* The payload names the account: hidden as long as the identity is. */
            if (cfg.pseudonymous && strcmp(status, "confirmed") != 0 &&
                strcmp(status, "escalated") != 0)
                err = nt_diag_set(d, NT_EPERM,
                                  "data asli memuat identitas; tersedia sesudah konfirmasi atau "
                                  "eskalasi (mode pseudonim)");
            else if (nt_db_type(st, 2) == NT_DB_NULL)
                err = nt_diag_set(d, NT_ENOTFOUND, "data asli butir #%lld sudah dihapus",
                                  (long long)id);
            else if (!(*raw = malloc(rawlen + 1)))
                err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            else {
                *len = rawlen;
                if (rawlen)
                    memcpy(*raw, rawp, *len);
                (*raw)[*len] = '\0';
            }
        }
    }
    nt_db_finalize(st);
    nt_review_config_release(&cfg);
    /* Who took the evidence's bytes, and when: an audit row of its own. */
    char oid[32];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err)
        err = nt_audit_record(s, u->name, "item.raw", "item", oid,
                              json_pack("{s:I}", "bytes", (json_int_t)*len), now, d);
    if (err) {
        free(*raw);
        *raw = NULL;
        *len = 0;
    }
    return err;
}

enum nt_err nt_item_media(struct nt_store *s, const struct nt_user *u, int64_t id,
                          int64_t attachment, bool original, time_t now, struct nt_item_file *out,
                          struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    memset(out, 0, sizeof(*out));
    enum nt_err err = nt_user_require(u, NT_ROLE_REVIEWER | NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN,
                                      "melihat lampiran", d);
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "SELECT i.agency, m.mime, m.sha256, CASE WHEN ?3 = 1 THEN m.bytes "
                            "ELSE m.thumb END FROM review_items i JOIN post_media pm ON "
                            "pm.post_id = i.post_id JOIN media m ON m.id = pm.media_id "
                            "WHERE i.id = ?1 AND pm.id = ?2",
                            &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        nt_db_bind_int64(st, 2, attachment);
        nt_db_bind_int64(st, 3, original);
        bool row = nt_db_next(st, &err, d);
        if (!err && (!row || !nt_user_sees(u, nt_db_text(st, 0))))
            err = nt_diag_set(d, NT_ENOTFOUND, "lampiran %lld butir #%lld tidak ada",
                              (long long)attachment, (long long)id);
        if (!err && nt_db_type(st, 3) == NT_DB_NULL)
            err = nt_diag_set(d, NT_ENOTFOUND, "%s lampiran %lld tidak tersedia%s",
                              original ? "berkas" : "gambar kecil", (long long)attachment,
                              original ? " (sudah dihapus retensi)" : " (belum dibaca tahap OCR)");
        else if (!err) {
            size_t n = 0;
            const void *bytes = nt_db_blob(st, 3, &n);
            char hash[NT_SHA256_HEX_LEN + 1];
            out->data = malloc(n ? n : 1);
            if (!out->data) {
                err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            } else {
                if (n)
                    memcpy(out->data, bytes, n);
                out->len = n;
                snprintf(out->mime, sizeof(out->mime), "%s",
                         original ? nt_db_text(st, 1) : "image/jpeg");
                snprintf(out->sha256, sizeof(out->sha256), "%s", nt_db_text(st, 2));
                /* The evidence given out is the evidence kept. */
                nt_sha256_hex(out->data, n, hash);
                if (original && strcmp(hash, out->sha256) != 0)
                    err = nt_diag_set(d, NT_ECONFLICT,
                                      "berkas lampiran %lld tidak cocok dengan SHA-256 yang "
                                      "tersimpan: periksa basis data",
                                      (long long)attachment);
            }
        }
    }
    nt_db_finalize(st);
    /* Who took an original, and when: audited like the raw post. */
    char oid[32];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err && original)
        err = nt_audit_record(
            s, u->name, "item.media", "item", oid,
            json_pack("{s:I, s:s}", "attachment", (json_int_t)attachment, "sha256", out->sha256),
            now, d);
    if (err) {
        free(out->data);
        memset(out, 0, sizeof(*out));
    }
    return err;
}

enum nt_err nt_rv_post_media(struct nt_store *s, int64_t post_id, bool identity, json_t **out,
                             struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    json_t *a = json_array();
    *out = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "SELECT pm.id, pm.seq, pm.kind, pm.url, pm.alt, pm.state, pm.error, pm.meta, m.id, "
        "m.sha256, m.mime, m.size, m.width, m.height, m.fetched_at, m.ocr_state, m.ocr_text, "
        "m.ocr_lines, m.thumb IS NOT NULL, m.purged_at, m.ocr_error FROM post_media pm "
        "LEFT JOIN media m ON m.id = pm.media_id WHERE pm.post_id = ?1 ORDER BY pm.seq",
        &st, d);
    if (!err)
        nt_db_bind_int64(st, 1, post_id);
    while (!err && a && nt_db_next(st, &err, d)) {
        const char *meta = nt_db_text(st, 7);
        const char *lines = nt_db_text(st, 17);
        json_t *m = json_pack(
            "{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)nt_db_int64(st, 0), "seq",
            (json_int_t)nt_db_int64(st, 1), "kind", nt_rv_col(st, 2),
            /* A media URL may name the account (Bluesky's CDN has its DID). */
            "url", identity ? nt_rv_col(st, 3) : json_null(), "alt", nt_rv_col(st, 4), "state",
            nt_rv_col(st, 5), "error", nt_rv_col(st, 6), "meta",
            meta && identity ? json_loads(meta, 0, NULL) : json_null());
        if (m && nt_db_type(st, 8) != NT_DB_NULL) {
            json_t *f = json_pack(
                "{s:I, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "id",
                (json_int_t)nt_db_int64(st, 8), "sha256", nt_rv_col(st, 9), "mime",
                nt_rv_col(st, 10), "size", (json_int_t)nt_db_int64(st, 11), "width",
                nt_rv_col(st, 12), "height", nt_rv_col(st, 13), "fetched_at", nt_rv_col(st, 14),
                "ocr_state", nt_rv_col(st, 15), "ocr_text", nt_rv_col(st, 16), "ocr_lines",
                lines ? json_loads(lines, 0, NULL) : json_null(), "thumb", nt_db_int64(st, 18) != 0,
                "purged_at", nt_rv_col(st, 19), "ocr_error", nt_rv_col(st, 20));
            json_object_set_new(m, "file", f ? f : json_null());
        }
        if (!m || json_array_append_new(a, m))
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    nt_db_finalize(st);
    if (!a && !err)
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    if (err) {
        json_decref(a);
        return err;
    }
    *out = a;
    return NT_OK;
}

void nt_text_marks(const char *text, json_t *hits,
                   void (*piece)(void *user, const char *p, size_t n, bool hit), void *user)
{
    nt_text_marks_part(text, hits, NULL, 0, piece, user);
}

void nt_text_marks_part(const char *text, json_t *hits, const char *source, int64_t attachment,
                        void (*piece)(void *user, const char *p, size_t n, bool hit), void *user)
{
    size_t at = 0, n = strlen(text), i;
    json_t *h;
    json_array_foreach(hits, i, h)
    {
        const char *src = json_string_value(json_object_get(h, "source"));
        if (source ? !src || strcmp(src, source) != 0 ||
                         json_integer_value(json_object_get(h, "attachment")) != attachment
                   : src != NULL)
            continue; /* another part's: marked in its own text */
        size_t s = (size_t)json_integer_value(json_object_get(h, "start"));
        size_t e = (size_t)json_integer_value(json_object_get(h, "end"));
        if (s < at || e > n || s >= e)
            continue; /* overlapping or outside: listed in the hit table only */
        if (s > at)
            piece(user, text + at, s - at, false);
        piece(user, text + s, e - s, true);
        at = e;
    }
    piece(user, text + at, n - at, false);
}
