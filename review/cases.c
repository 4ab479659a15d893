/*
 * cases.c - cases through the agency's SOP, and the evidence dossier.
 *
 * One case per employee per election; confirmed findings join it. States
 * follow the SOP reported in the domain brief: laporan -> verifikasi ->
 * pemeriksaan -> bap -> pertimbangan -> keputusan -> dilaporkan, and
 * "ditutup" (closed without action) from any open state. Every transition
 * records who, when and a note.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "date.h"
#include "hash.h"
#include "db.h"
#include "internal.h"
#include "lexicon.h"
#include "sniff.h"
#include "utf8.h"

const char *const nt_case_states[] = { "laporan",      "verifikasi", "pemeriksaan", "bap",
                                       "pertimbangan", "keputusan",  "dilaporkan",  "ditutup" };
const size_t nt_case_nstates = sizeof(nt_case_states) / sizeof(nt_case_states[0]);

static int state_index(const char *s)
{
    for (size_t i = 0; s && i < nt_case_nstates; i++)
        if (strcmp(nt_case_states[i], s) == 0)
            return (int)i;
    return -1;
}

static enum nt_err transition(struct nt_store *s, const struct nt_user *u, int64_t case_id,
                              const char *from, const char *to, const char *note, time_t now,
                              struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    char at[32], oid[32];
    nt_time_iso(now, at, sizeof(at));
    int64_t tid = 0;
    enum nt_err err =
        nt_db_prepare_insert(nt_store_dbh(s),
                             "INSERT INTO case_transitions(case_id, from_state, "
                             "to_state, user_id, note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, case_id);
        nt_db_bind_text(st, 2, from);
        nt_db_bind_text(st, 3, to);
        nt_db_bind_int64(st, 4, u->id);
        nt_db_bind_text(st, 5, note);
        nt_db_bind_text(st, 6, at);
        err = nt_db_insert(st, &tid, d);
    }
    nt_db_finalize(st);
    snprintf(oid, sizeof(oid), "%lld", (long long)case_id);
    if (!err)
        err = nt_audit_append(s, u->name, from ? "case.advance" : "case.open", "case", oid,
                              from ? json_pack("{s:s}", "state", from) : NULL,
                              json_pack("{s:s, s:s, s:I}", "state", to, "note", note,
                                        "transition_id", (json_int_t)tid),
                              now, d);
    return err;
}

enum nt_err nt_rv_case_join(struct nt_store *s, const struct nt_user *u, int64_t employee_id,
                            const char *election, int64_t item, time_t now, int64_t *case_id,
                            struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    char at[32], note[96];
    nt_time_iso(now, at, sizeof(at));
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "INSERT INTO cases(employee_id, election, state, opened_at, opened_by, updated_at) "
        "VALUES (?1, ?2, 'laporan', ?3, ?4, ?3) ON CONFLICT(employee_id, election) DO NOTHING",
        &st, d);
    bool opened = false;
    if (!err) {
        nt_db_bind_int64(st, 1, employee_id);
        nt_db_bind_text(st, 2, election);
        nt_db_bind_text(st, 3, at);
        nt_db_bind_int64(st, 4, u->id);
        err = nt_db_run(st, d);
        opened = !err && nt_db_changes(st) > 0;
    }
    nt_db_finalize(st);
    st = NULL;
    if (!err)
        err =
            nt_db_prepare(nt_store_dbh(s),
                          "SELECT id FROM cases WHERE employee_id = ?1 AND election = ?2", &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, employee_id);
        nt_db_bind_text(st, 2, election);
        *case_id = nt_db_next(st, &err, d) ? nt_db_int64(st, 0) : 0;
    }
    nt_db_finalize(st);
    st = NULL;
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "INSERT INTO case_items(case_id, item_id) VALUES (?1, ?2)", &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, *case_id);
        nt_db_bind_int64(st, 2, item);
        err = nt_db_run(st, d);
    }
    nt_db_finalize(st);
    snprintf(note, sizeof(note), "dibuka dari temuan #%lld", (long long)item);
    if (!err && opened)
        err = transition(s, u, *case_id, NULL, "laporan", note, now, d);
    return err;
}

/* The case row, if the user may see it (its employee's agency); with
 * `lock` (a writer's transaction) held until it ends, so that two
 * supervisors moving one case on PostgreSQL take turns. */
#define LOAD_CASE(LOCK)                                                                            \
    "SELECT c.state, e.agency FROM cases c JOIN employees e ON e.id = c.employee_id "              \
    "WHERE c.id = ?1" LOCK
static enum nt_err load_case(struct nt_store *s, const struct nt_user *u, int64_t id, bool lock,
                             char *state, size_t n, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err =
        nt_db_prepare_for(nt_store_dbh(s), LOAD_CASE(""),
                          lock ? LOAD_CASE(" FOR UPDATE OF c") : LOAD_CASE(""), &st, d);
#undef LOAD_CASE
    if (err)
        return err;
    nt_db_bind_int64(st, 1, id);
    bool row = nt_db_next(st, &err, d);
    if (!err && (!row || !nt_user_sees(u, nt_db_text(st, 1))))
        err = nt_diag_set(d, NT_ENOTFOUND, "kasus #%lld tidak ada", (long long)id);
    else if (!err)
        snprintf(state, n, "%s", nt_db_text(st, 0));
    nt_db_finalize(st);
    return err;
}

/* When the current SOP step should be done: the step's start plus its
 * days (sop_days); null for a step without a limit or a finished case. */
static json_t *due(const struct nt_review_config *cfg, const char *state, const char *entered)
{
    int si = state_index(state);
    time_t t;
    char at[32];
    if (si < 0 || !cfg->sop_days[si] || !entered || !nt_time_parse(entered, &t))
        return json_null();
    nt_time_iso(t + (time_t)cfg->sop_days[si] * 86400, at, sizeof(at));
    return json_string(at);
}

/* The columns every case view shares: who carries it, when its step began. */
#define CASE_EXTRA                                                                                 \
    "(SELECT name FROM users WHERE id = c.assignee), "                                             \
    "(SELECT max(at) FROM case_transitions WHERE case_id = c.id) "

enum nt_err nt_case_assign(struct nt_store *s, const struct nt_user *u, int64_t id, const char *who,
                           time_t now, struct nt_diag *d)
{
    char state[32], oid[32];
    struct nt_user a = { 0 };
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_user_require(u, BOSS, "menugaskan kasus", d);
    if (err)
        return err;
    if (!who || !*who)
        return nt_diag_set(d, NT_EINPUT, "sebutkan pengguna yang ditugasi");
    err = nt_store_begin(s, d);
    if (!err)
        err = load_case(s, u, id, true, state, sizeof(state), d);
    /* Someone of the Tim Internal who can see the case (nt_user_load
     * refuses an inactive user): not an analyst, not another agency's. */
    if (!err)
        err = nt_user_load(s, who, &a, d);
    if (!err && a.role == NT_ROLE_ANALYST)
        err = nt_diag_set(d, NT_EINPUT, "pengguna \"%s\" tidak dapat ditugasi kasus", who);
    char agency[256] = "";
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "SELECT e.agency FROM cases c JOIN employees e ON e.id = "
                            "c.employee_id WHERE c.id = ?1",
                            &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        if (nt_db_next(st, &err, d))
            snprintf(agency, sizeof(agency), "%s", nt_db_text(st, 0));
        nt_db_finalize(st);
        st = NULL;
        if (!err && !nt_user_sees(&a, agency))
            err =
                nt_diag_set(d, NT_EINPUT, "pengguna \"%s\" tidak melihat instansi %s", who, agency);
    }
    if (!err)
        err =
            nt_db_prepare(nt_store_dbh(s), "UPDATE cases SET assignee = ?2 WHERE id = ?1", &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        nt_db_bind_int64(st, 2, a.id);
        err = nt_db_run(st, d);
    }
    nt_db_finalize(st);
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err)
        err = nt_audit_append(s, u->name, "case.assign", "case", oid, NULL,
                              json_pack("{s:s}", "assignee", a.name), now, d);
    nt_user_release(&a);
    return nt_rv_finish(s, err, d);
}

enum nt_err nt_case_note(struct nt_store *s, const struct nt_user *u, int64_t id, const char *text,
                         time_t now, struct nt_diag *d)
{
    char state[32], at[32], oid[32];
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_user_require(u, BOSS, "menulis catatan kasus", d);
    if (err)
        return err;
    size_t n = text ? strlen(text) : 0;
    const char *p = text;
    while (p && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
        p++;
    if (!p || !*p || n > 4000)
        return nt_diag_set(d, NT_EINPUT, "catatan harus berisi 1 sampai 4000 bita teks");
    if (!nt_utf8_valid(text, n, NULL))
        return nt_diag_set(d, NT_EUTF8, "catatan bukan teks UTF-8 yang sah");
    nt_time_iso(now, at, sizeof(at));
    err = nt_store_begin(s, d);
    if (!err)
        err = load_case(s, u, id, true, state, sizeof(state), d);
    if (!err)
        err = nt_db_prepare(
            nt_store_dbh(s),
            "INSERT INTO case_notes(case_id, user_id, text, at) VALUES (?1, ?2, ?3, ?4)", &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        nt_db_bind_int64(st, 2, u->id);
        nt_db_bind_text(st, 3, text);
        nt_db_bind_text(st, 4, at);
        err = nt_db_run(st, d);
    }
    nt_db_finalize(st);
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err)
        err = nt_audit_append(s, u->name, "case.note", "case", oid, NULL,
                              json_pack("{s:s}", "note", text), now, d);
    return nt_rv_finish(s, err, d);
}

/* A document's type from its first bytes; NULL for anything a case file
 * does not take (PDF, PNG, JPEG). */
static const char *doc_type(const void *data, size_t len)
{
    static const char *const taken[] = { "application/pdf", "image/png", "image/jpeg" };
    const char *mime = nt_sniff(data, len).mime;
    for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
        if (strcmp(mime, taken[i]) == 0)
            return mime;
    return NULL;
}

static enum nt_err doc_name_check(const char *name, struct nt_diag *d)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 100)
        return nt_diag_set(d, NT_EINPUT, "nama dokumen harus 1 sampai 100 bita");
    if (!nt_utf8_valid(name, n, NULL))
        return nt_diag_set(d, NT_EUTF8, "nama dokumen bukan teks UTF-8 yang sah");
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
            return nt_diag_set(d, NT_EINPUT,
                               "nama dokumen tidak boleh memuat karakter kendali, / atau \\");
    return NT_OK;
}

enum nt_err nt_case_attach(struct nt_store *s, const struct nt_user *u, int64_t id,
                           const char *name, const void *data, size_t len, time_t now,
                           int64_t *doc_id, struct nt_diag *d)
{
    char state[32], at[32], oid[32], hash[NT_SHA256_HEX_LEN + 1];
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_user_require(u, BOSS, "melampirkan dokumen kasus", d);
    if (!err)
        err = doc_name_check(name, d);
    if (err)
        return err;
    if (len == 0 || len > NT_CASE_DOC_MAX)
        return nt_diag_set(d, NT_ETOOBIG, "dokumen \"%s\": %zu bita; batasnya 1 bita sampai %u MiB",
                           name, len, NT_CASE_DOC_MAX / (1024 * 1024));
    const char *mime = doc_type(data, len);
    if (!mime)
        return nt_diag_set(d, NT_EINPUT, "dokumen \"%s\": menurut isinya bukan PDF, PNG atau JPEG",
                           name);
    nt_sha256_hex(data, len, hash);
    nt_time_iso(now, at, sizeof(at));
    err = nt_store_begin(s, d);
    if (!err)
        err = load_case(s, u, id, true, state, sizeof(state), d);
    if (!err)
        err =
            nt_db_prepare_insert(nt_store_dbh(s),
                                 "INSERT INTO case_documents(case_id, name, mime, size, sha256, "
                                 "body, user_id, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                 &st, d);
    int64_t did = 0;
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        nt_db_bind_text(st, 2, name);
        nt_db_bind_text(st, 3, mime);
        nt_db_bind_int64(st, 4, (int64_t)len);
        nt_db_bind_text(st, 5, hash);
        nt_db_bind_blob(st, 6, data, len);
        nt_db_bind_int64(st, 7, u->id);
        nt_db_bind_text(st, 8, at);
        err = nt_db_insert(st, &did, d);
    }
    nt_db_finalize(st);
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err)
        err = nt_audit_append(s, u->name, "case.attach", "case", oid, NULL,
                              json_pack("{s:I, s:s, s:s, s:I, s:s}", "document", (json_int_t)did,
                                        "name", name, "mime", mime, "size", (json_int_t)len,
                                        "sha256", hash),
                              now, d);
    err = nt_rv_finish(s, err, d);
    if (!err && doc_id)
        *doc_id = did;
    return err;
}

void nt_case_doc_release(struct nt_case_doc *doc)
{
    free(doc->data);
    memset(doc, 0, sizeof(*doc));
}

/* Read document `doc` of case `id` and check it against its hash. */
static enum nt_err doc_read(struct nt_store *s, int64_t id, int64_t doc, struct nt_case_doc *out,
                            struct nt_diag *d)
{
    char hash[NT_SHA256_HEX_LEN + 1];
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    "SELECT body, mime, name, sha256 FROM case_documents "
                                    "WHERE id = ?1 AND case_id = ?2",
                                    &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, doc);
    nt_db_bind_int64(st, 2, id);
    bool row = nt_db_next(st, &err, d);
    if (!row && !err) {
        err = nt_diag_set(d, NT_ENOTFOUND, "dokumen #%lld kasus #%lld tidak ada", (long long)doc,
                          (long long)id);
    } else if (row) {
        size_t n = 0;
        const void *body = nt_db_blob(st, 0, &n);
        const char *want = nt_db_text(st, 3);
        nt_sha256_hex(body ? body : "", n, hash);
        if (!body || !want || strcmp(hash, want) != 0)
            err = nt_diag_set(d, NT_ECONFLICT,
                              "dokumen #%lld kasus #%lld tidak cocok dengan SHA-256 yang "
                              "tersimpan: periksa basis data",
                              (long long)doc, (long long)id);
        else if (!(out->data = malloc(n)))
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        else {
            memcpy(out->data, body, n);
            out->len = n;
            snprintf(out->mime, sizeof(out->mime), "%s", nt_db_text(st, 1));
            snprintf(out->name, sizeof(out->name), "%s", nt_db_text(st, 2));
        }
    }
    nt_db_finalize(st);
    return err;
}

enum nt_err nt_case_document(struct nt_store *s, const struct nt_user *u, int64_t id, int64_t doc,
                             time_t now, struct nt_case_doc *out, struct nt_diag *d)
{
    char state[32], oid[32];
    memset(out, 0, sizeof(*out));
    enum nt_err err = nt_user_require(u, BOSS, "mengambil dokumen kasus", d);
    if (!err)
        err = load_case(s, u, id, false, state, sizeof(state), d);
    if (!err)
        err = doc_read(s, id, doc, out, d);
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err)
        err = nt_audit_record(
            s, u->name, "case.document", "case", oid,
            json_pack("{s:I, s:s}", "document", (json_int_t)doc, "name", out->name), now, d);
    if (err)
        nt_case_doc_release(out);
    return err;
}

/* The cases a user sees, with their findings' categories joined by
 * commas (AGG, in each engine's words). */
#define CASE_LIST(AGG)                                                                             \
    "SELECT c.id, c.election, c.state, c.opened_at, c.updated_at, e.name, e.nip, "                 \
    "e.agency, (SELECT count(*) FROM case_items ci WHERE ci.case_id = c.id), "                     \
    "(SELECT " AGG " FROM case_items ci JOIN review_items i "                                      \
    " ON i.id = ci.item_id WHERE ci.case_id = c.id), " CASE_EXTRA                                  \
    ", e.region_code FROM cases c JOIN employees e ON e.id = c.employee_id "                       \
    "WHERE (CAST(?1 AS TEXT) IS NULL OR c.state = ?1) AND (?2 = 1 OR e.agency IN "                 \
    "(SELECT agency FROM user_agencies WHERE user_id = ?3)) ORDER BY c.updated_at DESC, "          \
    "c.id DESC"

enum nt_err nt_case_list(struct nt_store *s, const struct nt_user *u, const char *state,
                         json_t **out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_user_require(u, BOSS, "melihat kasus", d);
    if (!err)
        err = nt_db_prepare_for(nt_store_dbh(s), CASE_LIST("group_concat(DISTINCT i.category)"),
                                CASE_LIST("string_agg(DISTINCT i.category, ',')"), &st, d);
    if (err)
        return err;
    if (state)
        nt_db_bind_text(st, 1, state);
    nt_db_bind_int64(st, 2, u->role == NT_ROLE_ADMIN);
    nt_db_bind_int64(st, 3, u->id);
    struct nt_review_config cfg;
    bool loaded = (err = nt_review_config_load(s, &cfg, d)) == NT_OK;
    json_t *a = json_array();
    while (!err && nt_db_next(st, &err, d))
        json_array_append_new(
            a, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o}", "id",
                         (json_int_t)nt_db_int64(st, 0), "election", nt_rv_col(st, 1), "state",
                         nt_rv_col(st, 2), "opened_at", nt_rv_col(st, 3), "updated_at",
                         nt_rv_col(st, 4), "employee", nt_rv_col(st, 5), "nip", nt_rv_col(st, 6),
                         "agency", nt_rv_col(st, 7), "findings", (json_int_t)nt_db_int64(st, 8),
                         "categories", nt_rv_col(st, 9), "assignee", nt_rv_col(st, 10), "due_at",
                         due(&cfg, nt_db_text(st, 2), nt_db_text(st, 11)), "region",
                         nt_rv_col(st, 12)));
    if (loaded)
        nt_review_config_release(&cfg);
    nt_db_finalize(st);
    if (err) {
        json_decref(a);
        return err;
    }
    *out = a;
    return NT_OK;
}

enum nt_err nt_case_show(struct nt_store *s, const struct nt_user *u, int64_t id, json_t **out,
                         struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_user_require(u, BOSS, "melihat kasus", d);
    if (!err)
        err = nt_db_prepare(
            nt_store_dbh(s),
            "SELECT c.election, c.state, c.opened_at, c.updated_at, e.name, e.nip, e.agency, "
            "e.work_unit, e.position, e.position_type, e.region_code, e.status, " CASE_EXTRA
            "FROM cases c JOIN employees e ON e.id = c.employee_id WHERE c.id = ?1",
            &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, id);
    /* Another agency's case does not exist for this user. */
    bool row = nt_db_next(st, &err, d);
    if (err || !row || !nt_user_sees(u, nt_db_text(st, 6))) {
        nt_db_finalize(st);
        return err ? err : nt_diag_set(d, NT_ENOTFOUND, "kasus #%lld tidak ada", (long long)id);
    }
    int si = state_index(nt_db_text(st, 1));
    json_t *o =
        json_pack("{s:I, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}}", "id",
                  (json_int_t)id, "election", nt_rv_col(st, 0), "state", nt_rv_col(st, 1),
                  "opened_at", nt_rv_col(st, 2), "updated_at", nt_rv_col(st, 3), "employee", "name",
                  nt_rv_col(st, 4), "nip", nt_rv_col(st, 5), "agency", nt_rv_col(st, 6),
                  "work_unit", nt_rv_col(st, 7), "position", nt_rv_col(st, 8), "position_type",
                  nt_rv_col(st, 9), "region", nt_rv_col(st, 10), "status", nt_rv_col(st, 11));
    struct nt_review_config cfg;
    if (nt_review_config_load(s, &cfg, d) == NT_OK) {
        json_object_set_new(o, "assignee", nt_rv_col(st, 12));
        json_object_set_new(o, "step_started_at", nt_rv_col(st, 13));
        json_object_set_new(o, "due_at", due(&cfg, nt_db_text(st, 1), nt_db_text(st, 13)));
        nt_review_config_release(&cfg);
    }
    nt_db_finalize(st);
    st = NULL;
    json_t *trans = json_array(), *findings = json_array(), *sanctions = json_array();
    err = nt_db_prepare(nt_store_dbh(s),
                        "SELECT t.from_state, t.to_state, u.name, t.note, t.at FROM "
                        "case_transitions t JOIN users u ON u.id = t.user_id "
                        "WHERE t.case_id = ?1 ORDER BY t.id",
                        &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        while (!err && nt_db_next(st, &err, d))
            json_array_append_new(trans,
                                  json_pack("{s:o, s:o, s:o, s:o, s:o}", "from", nt_rv_col(st, 0),
                                            "to", nt_rv_col(st, 1), "user", nt_rv_col(st, 2),
                                            "note", nt_rv_col(st, 3), "at", nt_rv_col(st, 4)));
        nt_db_finalize(st);
        st = NULL;
        if (!err)
            err = nt_db_prepare(
                nt_store_dbh(s),
                "SELECT item_id FROM case_items WHERE case_id = ?1 ORDER BY item_id", &st, d);
    }
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        while (!err && nt_db_next(st, &err, d)) {
            json_t *it = NULL;
            err = nt_rv_item_json(s, nt_db_int64(st, 0), true, &it, d);
            if (!err)
                json_array_append_new(findings, it);
        }
    }
    nt_db_finalize(st);
    /* The matrix's sanctions for the findings' categories: a reference for
     * the people who decide, never a decision. */
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        json_t *ci = json_object_get(f, "category_info");
        const char *code = json_string_value(json_object_get(ci, "code"));
        bool dup = false;
        size_t k;
        json_t *x;
        json_array_foreach(sanctions, k, x) dup =
            dup || (code && strcmp(json_string_value(json_object_get(x, "code")), code) == 0);
        if (code && !dup)
            json_array_append(sanctions, ci);
    }
    json_t *notes = json_array(), *docs = json_array();
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "SELECT n.id, u.name, n.text, n.at FROM case_notes n JOIN users u "
                            "ON u.id = n.user_id WHERE n.case_id = ?1 ORDER BY n.id",
                            &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        while (!err && nt_db_next(st, &err, d))
            json_array_append_new(notes, json_pack("{s:I, s:o, s:o, s:o}", "id",
                                                   (json_int_t)nt_db_int64(st, 0), "user",
                                                   nt_rv_col(st, 1), "text", nt_rv_col(st, 2), "at",
                                                   nt_rv_col(st, 3)));
        nt_db_finalize(st);
        st = NULL;
    }
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "SELECT c.id, c.name, c.mime, c.size, c.sha256, u.name, c.added_at "
                            "FROM case_documents c JOIN users u ON u.id = c.user_id "
                            "WHERE c.case_id = ?1 ORDER BY c.id",
                            &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        while (!err && nt_db_next(st, &err, d))
            json_array_append_new(docs, json_pack("{s:I, s:o, s:o, s:I, s:o, s:o, s:o}", "id",
                                                  (json_int_t)nt_db_int64(st, 0), "name",
                                                  nt_rv_col(st, 1), "mime", nt_rv_col(st, 2),
                                                  "size", (json_int_t)nt_db_int64(st, 3), "sha256",
                                                  nt_rv_col(st, 4), "user", nt_rv_col(st, 5), "at",
                                                  nt_rv_col(st, 6)));
        nt_db_finalize(st);
        st = NULL;
    }
    json_object_set_new(o, "notes", notes);
    json_object_set_new(o, "documents", docs);
    json_object_set_new(o, "transitions", trans);
    json_object_set_new(o, "findings", findings);
    json_object_set_new(o, "sanction_reference", sanctions);
    json_object_set_new(o, "next_states", json_array());
    if (si >= 0 && si < 6)
        json_array_append_new(json_object_get(o, "next_states"),
                              json_string(nt_case_states[si + 1]));
    if (si >= 0 && si < 6)
        json_array_append_new(json_object_get(o, "next_states"), json_string("ditutup"));
    if (err) {
        json_decref(o);
        return err;
    }
    *out = o;
    return NT_OK;
}

enum nt_err nt_case_advance(struct nt_store *s, const struct nt_user *u, int64_t id, const char *to,
                            const char *note, time_t now, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    char state[32], at[32];
    enum nt_err err = nt_user_require(u, BOSS, "memindahkan status kasus", d);
    if (err)
        return err;
    int ti = state_index(to);
    if (ti < 0)
        return nt_diag_set(d, NT_EINPUT,
                           "status \"%.30s\" tidak dikenal (laporan, verifikasi, pemeriksaan, bap, "
                           "pertimbangan, keputusan, dilaporkan, ditutup)",
                           to);
    if (!note || !*note)
        return nt_diag_set(d, NT_EINPUT, "perpindahan status memerlukan --note TEKS");
    err = nt_store_begin(s, d);
    if (!err)
        err = load_case(s, u, id, true, state, sizeof(state), d);
    int si = state_index(state);
    if (!err && si >= 6)
        err = nt_diag_set(d, NT_ECONFLICT, "kasus #%lld sudah selesai (%s)", (long long)id, state);
    if (!err && !(ti == si + 1 || (ti == 7 && si < 6)))
        err =
            nt_diag_set(d, NT_ECONFLICT,
                        "kasus #%lld berstatus %s: langkah berikutnya %s (atau ditutup), bukan %s",
                        (long long)id, state, nt_case_states[si + 1], to);
    nt_time_iso(now, at, sizeof(at));
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "UPDATE cases SET state = ?2, updated_at = ?3 WHERE id = ?1", &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        nt_db_bind_text(st, 2, to);
        nt_db_bind_text(st, 3, at);
        err = nt_db_run(st, d);
    }
    nt_db_finalize(st);
    if (!err)
        err = transition(s, u, id, state, to, note, now, d);
    return nt_rv_finish(s, err, d);
}

/* ---- the dossier ------------------------------------------------------ */

static const char *js(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "-";
}

/* A row of a two-column table: label, escaped value. */
static void row(struct nt_buf *b, const char *label, const char *value)
{
    nt_buf_appendf(b, "<tr><th>%s</th><td>", label);
    nt_buf_append_html(b, value);
    nt_buf_append_str(b, "</td></tr>\n");
}

/* A column of a dossier table: the member `key`, shown in words (`group`
 * of the label catalogue), as a local time (TIME) or as it is (NULL). */
#define TIME "@time"
struct col {
    const char *key, *group;
};

/* What a person reads for a stored value (labels.c; times in the region's
 * zone). */
static const char *shown(const char *v, const char *group, const char *region, char *buf, size_t n)
{
    if (!group || !strcmp(v, "-"))
        return v;
    if (!strcmp(group, TIME)) {
        nt_local_time(v, region, buf, n);
        return buf;
    }
    const char *l = nt_label(group, v);
    return l ? l : v;
}

/* A row of a two-column table: label, the value in words, escaped. */
static void row_as(struct nt_buf *b, const char *label, const char *value, const char *group,
                   const char *region)
{
    char buf[64];
    row(b, label, shown(value, group, region, buf, sizeof(buf)));
}

/* A table row of escaped cells: the members `cols` of `o`. */
static void cells(struct nt_buf *b, json_t *o, const struct col *cols, size_t n, const char *region)
{
    char buf[64];
    nt_buf_append_str(b, "<tr>");
    for (size_t i = 0; i < n; i++) {
        nt_buf_append_str(b, "<td>");
        nt_buf_append_html(b, shown(js(o, cols[i].key), cols[i].group, region, buf, sizeof(buf)));
        nt_buf_append_str(b, "</td>");
    }
    nt_buf_append_str(b, "</tr>\n");
}

/* Emoji in a post, named, for a reader (or a printer) without an emoji
 * font: a hand sign can be the evidence. Each distinct one once. */
static void emoji_names(struct nt_buf *b, const char *text)
{
    UChar32 seen[32];
    size_t ns = 0;
    int32_t len = (int32_t)strlen(text);
    for (int32_t i = 0; i < len && ns < 32;) {
        UChar32 cp;
        U8_NEXT(text, i, len, cp);
        bool emoji = cp >= 0x1F000 ? cp <= 0x1FAFF : (cp >= 0x2600 && cp <= 0x27BF);
        for (size_t k = 0; emoji && k < ns; k++)
            emoji = seen[k] != cp;
        if (emoji)
            seen[ns++] = cp;
    }
    if (!ns)
        return;
    nt_buf_append_str(b, "<p>Emoji dalam teks (nama Unicode, bagi pembaca tanpa huruf emoji): ");
    for (size_t k = 0; k < ns; k++) {
        char name[128], ch[8];
        UErrorCode st = U_ZERO_ERROR;
        u_charName(seen[k], U_UNICODE_CHAR_NAME, name, sizeof(name), &st);
        int32_t o = 0;
        U8_APPEND_UNSAFE(ch, o, seen[k]); /* a valid code point: at most 4 bytes */
        ch[o] = '\0';
        nt_buf_appendf(b, "%s", k ? "; " : "");
        nt_buf_append_html(b, ch);
        nt_buf_appendf(b, " U+%04X %s", (unsigned)seen[k], U_SUCCESS(st) ? name : "");
    }
    nt_buf_append_str(b, ".</p>\n");
}

/* The post text with the hits marked, every piece escaped. */
static void mark_piece(void *user, const char *p, size_t n, bool hit)
{
    struct nt_buf *b = user;
    char *t = strndup(p, n);
    if (hit)
        nt_buf_append_str(b, "<mark>");
    if (t)
        nt_buf_append_html(b, t);
    if (hit)
        nt_buf_append_str(b, "</mark>");
    free(t);
}

/* A finding's attachments: the thumbnail (inline, so the file stands
 * alone), the alt text and the text read in the image with their hits
 * marked, the file's SHA-256 (checked before the dossier was written) and
 * where the export keeps it. */
static void attachments_html(struct nt_buf *b, json_t *x)
{
    json_t *hits = json_object_get(x, "hits"), *m;
    size_t i;
    if (!json_array_size(json_object_get(x, "media")))
        return;
    nt_buf_append_str(b, "<p>Lampiran unggahan:</p>\n");
    json_array_foreach(json_object_get(x, "media"), i, m)
    {
        json_t *f = json_object_get(m, "file");
        int64_t aid = json_integer_value(json_object_get(m, "id"));
        const char *kind = nt_label("media_kind", js(m, "kind"));
        const char *state = nt_label("media_state", js(m, "state"));
        nt_buf_appendf(b, "<table><tr><th colspan=\"2\">%s %lld</th></tr>\n",
                       kind ? kind : "lampiran",
                       (long long)json_integer_value(json_object_get(m, "seq")));
        if (js(f, "thumb_data")) {
            /* base64 of a JPEG Netra made: nothing to escape. */
            nt_buf_append_str(b, "<tr><th>Gambar</th><td><img alt=\"lampiran\" "
                                 "style=\"max-width:320px\" src=\"data:image/jpeg;base64,");
            nt_buf_append_str(b, js(f, "thumb_data"));
            nt_buf_append_str(b, "\"></td></tr>\n");
        }
        row(b, "Status", state ? state : js(m, "state"));
        row(b, "URL", js(m, "url"));
        if (js(m, "alt")) {
            nt_buf_append_str(b, "<tr><th>Teks alternatif</th><td><div class=\"teks\">");
            nt_text_marks_part(js(m, "alt"), hits, "alt", aid, mark_piece, b);
            nt_buf_append_str(b, "</div></td></tr>\n");
        }
        if (f) {
            row(b, "SHA-256 berkas", js(f, "sha256"));
            row(b, "Jenis berkas", js(f, "mime"));
            row(b, "Berkas dalam ekspor", js(f, "export_file"));
        }
        if (js(f, "ocr_text") && *js(f, "ocr_text")) {
            nt_buf_append_str(b, "<tr><th>Teks dalam gambar</th><td><div class=\"teks\">");
            nt_text_marks_part(js(f, "ocr_text"), hits, "ocr", aid, mark_piece, b);
            nt_buf_append_str(b, "</div></td></tr>\n");
        }
        nt_buf_append_str(b, "</table>\n");
    }
}

/* Why Netra flagged a finding, from its score's stored explanation: the
 * lexicon rules that applied, and the stance model's reading with the
 * features that weighed most, in words, for the reader who decides. */
static void explanation_html(struct nt_buf *b, json_t *x)
{
    json_t *rules = json_object_get(x, "rules"), *s = json_object_get(x, "stance"), *r;
    size_t i;
    if (json_array_size(rules)) {
        nt_buf_append_str(b, "<p>Aturan leksikon yang berlaku:</p><table><tr><th>Aturan</th>"
                             "<th>Kategori</th><th>Skor</th></tr>\n");
        json_array_foreach(rules, i, r)
        {
            nt_buf_append_str(b, "<tr><td>");
            nt_buf_append_html(b,
                               js(r, json_is_string(json_object_get(r, "label")) ? "label" : "id"));
            nt_buf_append_str(b, "</td><td>");
            nt_buf_append_html(b, js(r, "category"));
            nt_buf_appendf(b, "</td><td>%.1f</td></tr>\n",
                           json_number_value(json_object_get(r, "score")));
        }
        nt_buf_append_str(b, "</table>\n");
    }
    char *reading = nt_item_stance_summary(x);
    if (!reading)
        return;
    nt_buf_append_str(b, "<p>");
    nt_buf_append_html(b, reading);
    free(reading);
    nt_buf_append_str(b, ".</p>\n");
    if (json_is_true(json_object_get(s, "skipped")))
        return;
    nt_buf_append_str(b, "<table><tr><th>Yang paling menentukan</th><th>Bobot</th>"
                         "<th>Mendorong ke</th></tr>\n");
    json_array_foreach(json_object_get(s, "evidence"), i, r)
    {
        nt_buf_append_str(b, "<tr><td>");
        nt_buf_append_html(b, js(r, "feature"));
        nt_buf_appendf(b, "</td><td>%.2f</td><td>",
                       json_number_value(json_object_get(r, "weight")));
        nt_buf_append_html(b, js(r, "toward"));
        nt_buf_append_str(b, "</td></tr>\n");
    }
    nt_buf_append_str(b, "</table>\n");
}

static char *dossier_html(json_t *c, time_t now)
{
    struct nt_buf b;
    char at[32], num[64];
    char iso[32];
    nt_time_iso(now, iso, sizeof(iso));
    nt_local_time(iso, NULL, at, sizeof(at));
    nt_buf_init(&b, (size_t)1 << 30);
    json_t *e = json_object_get(c, "employee");
    const char *region = json_string_value(json_object_get(e, "region"));
    nt_buf_appendf(&b,
                   "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
                   "<title>Berkas Kasus #%lld</title><style>body{font-family:serif;margin:2em}"
                   "table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #999;"
                   "padding:.2em .5em;text-align:left;vertical-align:top}mark{background:#fe8}"
                   ".teks{white-space:pre-wrap;border:1px solid #999;padding:.5em}"
                   "@media print{section{page-break-inside:avoid}}</style></head><body>\n",
                   (long long)json_integer_value(json_object_get(c, "id")));
    nt_buf_appendf(&b, "<h1>Berkas Kasus Netralitas ASN #%lld</h1>\n",
                   (long long)json_integer_value(json_object_get(c, "id")));
    nt_buf_append_str(&b, "<p>Disusun oleh Netra pada ");
    nt_buf_append_html(&b, at);
    nt_buf_append_str(&b, ". Netra menandai; keputusan ada pada pejabat yang berwenang.</p>\n"
                          "<h2>Pegawai</h2><table>\n");
    row(&b, "Nama", js(e, "name"));
    row(&b, "NIP", js(e, "nip"));
    row(&b, "Instansi", js(e, "agency"));
    row(&b, "Unit kerja", js(e, "work_unit"));
    row(&b, "Jabatan", js(e, "position"));
    row(&b, "Jenis jabatan", js(e, "position_type"));
    row(&b, "Pemilihan", js(c, "election"));
    row(&b, "Status kasus", js(c, "state"));
    nt_buf_append_str(&b, "</table>\n<h2>Rujukan sanksi (matriks SKB 2022)</h2>\n"
                          "<p>Sebagai rujukan bagi pejabat yang berwenang, bukan keputusan.</p>"
                          "<table><tr><th>Kode</th><th>Bentuk pelanggaran</th><th>Sanksi etik</th>"
                          "<th>Hukuman disiplin</th></tr>\n");
    size_t i;
    json_t *x;
    static const struct col sk[] = {
        { "code", NULL }, { "title", NULL }, { "ethics", NULL }, { "discipline", NULL }
    };
    json_array_foreach(json_object_get(c, "sanction_reference"), i, x) cells(&b, x, sk, 4, region);
    nt_buf_append_str(&b, "</table>\n<h2>Temuan</h2>\n");
    json_array_foreach(json_object_get(c, "findings"), i, x)
    {
        json_t *p = json_object_get(x, "post"), *ev = json_object_get(x, "evidence");
        json_t *sc = json_object_get(x, "score");
        nt_buf_appendf(&b, "<section><h3>Temuan #%lld</h3><table>\n",
                       (long long)json_integer_value(json_object_get(x, "id")));
        row(&b, "Kategori", js(x, "category"));
        row_as(&b, "Platform", js(p, "platform"), "platform", region);
        row(&b, "Akun", js(p, "account"));
        row_as(&b, "Jenis interaksi", js(p, "interaction"), "interaction", region);
        row(&b, "URL unggahan", js(p, "url"));
        row_as(&b, "Waktu unggah", js(p, "posted_at"), TIME, region);
        row(&b, "Diambil dari", js(ev, "request_url"));
        row_as(&b, "Waktu pengambilan", js(ev, "fetched_at"), TIME, region);
        row(&b, "SHA-256 data asli", js(ev, "raw_sha256"));
        snprintf(num, sizeof(num), "raw/%lld.bin",
                 (long long)json_integer_value(json_object_get(ev, "version_id")));
        row(&b, "Lampiran data asli", num);
        const char *lv = nt_label("level", js(sc, "level"));
        snprintf(num, sizeof(num), "%.1f (%s), leksikon %s",
                 json_number_value(json_object_get(sc, "score")), lv ? lv : js(sc, "level"),
                 js(sc, "lexicon_label"));
        row(&b, "Skor", num);
        nt_buf_append_str(&b, "</table>\n<p>Teks sebagaimana diambil (temuan ditandai):</p>"
                              "<div class=\"teks\">");
        nt_text_marks(js(p, "text"), json_object_get(x, "hits"), mark_piece, &b);
        nt_buf_append_str(&b, "</div>\n");
        emoji_names(&b, js(p, "text"));
        attachments_html(&b, x);
        nt_buf_append_str(&b, "<table><tr><th>Entri leksikon</th><th>Jenis</th>"
                              "<th>Aturan</th><th>Teks</th><th>Sumber</th></tr>\n");
        size_t k;
        json_t *h;
        json_array_foreach(json_object_get(x, "hits"), k, h)
        {
            static const struct col hk[] = { { "entry", NULL },
                                             { "kind", "kind" },
                                             { "rule", NULL },
                                             { "match", NULL },
                                             { "source", "source" } };
            cells(&b, h, hk, 5, region);
        }
        nt_buf_append_str(&b, "</table>\n");
        explanation_html(&b, json_object_get(sc, "explanation"));
        nt_buf_append_str(&b, "<p>Keputusan:</p><table><tr><th>Waktu</th>"
                              "<th>Peninjau</th><th>Keputusan</th><th>Kategori</th>"
                              "<th>Kode alasan</th><th>Alasan</th></tr>\n");
        static const struct col dk[] = { { "at", TIME },
                                         { "user", NULL },
                                         { "decision", "decision" },
                                         { "category", NULL },
                                         { "reason_code", "reason" },
                                         { "reason", NULL } };
        json_array_foreach(json_object_get(x, "decisions"), k, h) cells(&b, h, dk, 6, NULL);
        nt_buf_append_str(&b, "</table></section>\n");
    }
    nt_buf_append_str(&b, "<h2>Riwayat status kasus</h2><table><tr><th>Waktu</th><th>Oleh</th>"
                          "<th>Dari</th><th>Ke</th><th>Catatan</th></tr>\n");
    static const struct col tk[] = {
        { "at", TIME }, { "user", NULL }, { "from", NULL }, { "to", NULL }, { "note", NULL }
    };
    json_array_foreach(json_object_get(c, "transitions"), i, x) cells(&b, x, tk, 5, NULL);
    nt_buf_append_str(&b, "</table>\n");
    if (json_array_size(json_object_get(c, "notes"))) {
        nt_buf_append_str(&b, "<h2>Catatan Tim Internal</h2><table><tr><th>Waktu</th>"
                              "<th>Oleh</th><th>Catatan</th></tr>\n");
        static const struct col nk[] = { { "at", TIME }, { "user", NULL }, { "text", NULL } };
        json_array_foreach(json_object_get(c, "notes"), i, x) cells(&b, x, nk, 3, NULL);
        nt_buf_append_str(&b, "</table>\n");
    }
    if (json_array_size(json_object_get(c, "documents"))) {
        nt_buf_append_str(&b, "<h2>Dokumen kasus</h2><p>Dilampirkan apa adanya; berkas ekspor "
                              "memuatnya di docs/ dan SHA-256 di bawah membuktikan isinya.</p>"
                              "<table><tr><th>Nama</th><th>Jenis</th><th>Ukuran (bita)</th>"
                              "<th>SHA-256</th><th>Oleh</th><th>Waktu</th></tr>\n");
        static const struct col ok[] = { { "name", NULL },   { "mime", NULL }, { "size", NULL },
                                         { "sha256", NULL }, { "user", NULL }, { "at", TIME } };
        json_array_foreach(json_object_get(c, "documents"), i, x) cells(&b, x, ok, 6, NULL);
        nt_buf_append_str(&b, "</table>\n");
    }
    json_t *cp = json_object_get(c, "audit_checkpoint");
    if (cp) {
        snprintf(num, sizeof(num), "#%lld",
                 (long long)json_integer_value(json_object_get(cp, "row")));
        nt_buf_append_str(&b,
                          "<h2>Titik periksa jejak audit</h2><p>Ujung jejak audit saat berkas ini "
                          "dibuat, ditandatangani Netra (Ed25519). Siapa pun yang memegang kunci "
                          "publik dapat memeriksa tanda tangan atas pesan di bawah, tanpa dapat "
                          "membuatnya.</p><table>\n");
        row(&b, "Baris terakhir", num);
        row(&b, "Hash baris", js(cp, "hash"));
        row(&b, "Sidik kunci", js(cp, "key_id"));
        row(&b, "Kunci publik", js(cp, "public_key"));
        row(&b, "Pesan yang ditandatangani", js(cp, "message"));
        row(&b, "Tanda tangan", js(cp, "signature"));
        nt_buf_append_str(&b, "</table>\n");
    }
    nt_buf_append_str(&b, "</body></html>\n");
    size_t len;
    return nt_buf_detach(&b, &len);
}

static enum nt_err write_file(const char *dir, const char *name, const void *p, size_t n,
                              struct nt_diag *d)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return nt_diag_set(d, NT_EIO, "%s: tidak dapat ditulis: %s", path, strerror(errno));
    bool ok = fwrite(p, 1, n, f) == n;
    ok = fclose(f) == 0 && ok;
    return ok ? NT_OK : nt_diag_set(d, NT_EIO, "%s: gagal menulis", path);
}

/* Prepare the case's payload rows (version id, raw, SHA-256, post id) and
 * check every payload against its stored hash; the statement is left reset
 * for the caller to read again. */
static enum nt_err verify_payloads(struct nt_store *s, int64_t id, struct nt_db_stmt **out,
                                   struct nt_diag *d)
{
    char hash[NT_SHA256_HEX_LEN + 1];
    struct nt_db_stmt *st = NULL;
    enum nt_err err =
        nt_db_prepare(nt_store_dbh(s),
                      "SELECT v.id, v.raw, v.raw_sha256, p.id FROM case_items ci "
                      "JOIN review_items i ON i.id = ci.item_id "
                      "JOIN scores sc ON sc.id = i.score_id "
                      "JOIN post_versions v ON v.id = sc.version_id "
                      "JOIN posts p ON p.id = v.post_id WHERE ci.case_id = ?1 ORDER BY v.id",
                      &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        while (!err && nt_db_next(st, &err, d)) {
            size_t n = 0;
            const void *raw = nt_db_blob(st, 1, &n);
            const char *want = nt_db_text(st, 2);
            nt_sha256_hex(raw ? raw : "", n, hash);
            if (!raw || !want || strcmp(hash, want) != 0)
                err = nt_diag_set(d, NT_ECONFLICT,
                                  "bukti unggahan #%lld (versi %lld) tidak cocok dengan SHA-256 "
                                  "yang tersimpan: ekspor dibatalkan, periksa basis data",
                                  (long long)nt_db_int64(st, 3), (long long)nt_db_int64(st, 0));
        }
        nt_db_reset(st);
    }
    *out = st;
    return err;
}

/* The case's kept attachment files: each checked against its SHA-256
 * (an export or a dossier is refused on any mismatch), named
 * media/<sha256>.<ext> for the export, its thumbnail added (base64) for the
 * dossier's page. With `dir`, the files are written there too. */
static enum nt_err case_media(struct nt_store *s, json_t *c, const char *dir, json_t *files,
                              struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    char hash[NT_SHA256_HEX_LEN + 1], name[128];
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s), "SELECT bytes, sha256, mime, thumb, purged_at FROM media WHERE id = ?1",
        &st, d);
    size_t i, k;
    json_t *x, *m;
    bool made = false;
    json_array_foreach(json_object_get(c, "findings"), i, x)
    {
        json_array_foreach(json_object_get(x, "media"), k, m)
        {
            json_t *f = json_object_get(m, "file");
            if (err || !json_is_object(f))
                continue;
            nt_db_bind_int64(st, 1, json_integer_value(json_object_get(f, "id")));
            if (!nt_db_next(st, &err, d)) {
                if (!err) /* the item's page named it a moment ago */
                    err = nt_diag_set(d, NT_EINTERNAL, "berkas lampiran #%lld hilang",
                                      (long long)json_integer_value(json_object_get(f, "id")));
                break;
            }
            size_t n = 0, tn = 0;
            const void *bytes = nt_db_blob(st, 0, &n);
            const char *want = nt_db_text(st, 1);
            const char *mime = nt_db_text(st, 2);
            if (nt_db_type(st, 0) != NT_DB_NULL) {
                nt_sha256_hex(bytes ? bytes : "", n, hash);
                if (strcmp(hash, want) != 0)
                    err = nt_diag_set(d, NT_ECONFLICT,
                                      "berkas lampiran %s tidak cocok dengan SHA-256 yang "
                                      "tersimpan: ekspor dibatalkan, periksa basis data",
                                      want);
                const char *ext = strchr(mime, '/') ? strchr(mime, '/') + 1 : "bin";
                snprintf(name, sizeof(name), "media/%s.%s", want, ext);
                json_object_set_new(f, "export_file", json_string(name));
                if (!err && dir && !made) {
                    char sub[4096];
                    snprintf(sub, sizeof(sub), "%s/media", dir);
                    if (mkdir(sub, 0750) != 0 && errno != EEXIST)
                        err = nt_diag_set(d, NT_EIO, "%s: direktori tidak dapat dibuat: %s", sub,
                                          strerror(errno));
                    made = true;
                }
                if (!err && dir) {
                    err = write_file(dir, name, bytes ? bytes : "", n, d);
                    if (!err)
                        json_array_append_new(
                            files, json_pack("{s:s, s:s}", "file", name, "sha256", want));
                }
            }
            const void *thumb = nt_db_blob(st, 3, &tn);
            if (!err && tn) {
                size_t cap = sodium_base64_ENCODED_LEN(tn, sodium_base64_VARIANT_ORIGINAL);
                char *b64 = malloc(cap);
                if (!b64)
                    err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
                else {
                    sodium_bin2base64(b64, cap, thumb, tn, sodium_base64_VARIANT_ORIGINAL);
                    json_object_set_new(f, "thumb_data", json_string(b64));
                    free(b64);
                }
            }
            nt_db_reset(st);
        }
    }
    nt_db_finalize(st);
    return err;
}

/* What case.json keeps of the attachments: not the thumbnails' bytes. */
static void drop_thumbs(json_t *c)
{
    size_t i, k;
    json_t *x, *m;
    json_array_foreach(json_object_get(c, "findings"), i, x)
        json_array_foreach(json_object_get(x, "media"), k, m)
            json_object_del(json_object_get(m, "file"), "thumb_data");
}

/* The trail's head, signed, in the dossier; left out when there is no
 * audit key (a database set up before it, or a copy without it). */
static enum nt_err add_checkpoint(struct nt_store *s, json_t *c, time_t now, struct nt_diag *d)
{
    json_t *cp = NULL;
    enum nt_err err = nt_audit_checkpoint(s, now, &cp, d);
    if (err == NT_ENOTFOUND) {
        nt_diag_clear(d);
        return NT_OK;
    }
    if (!err)
        json_object_set_new(c, "audit_checkpoint", cp);
    return err;
}

enum nt_err nt_case_dossier_html(struct nt_store *s, const struct nt_user *u, int64_t id,
                                 time_t now, char **html, struct nt_diag *d)
{
    json_t *c = NULL;
    struct nt_db_stmt *st = NULL;
    char oid[32];
    *html = NULL;
    enum nt_err err = nt_case_show(s, u, id, &c, d);
    if (!err)
        err = verify_payloads(s, id, &st, d);
    nt_db_finalize(st);
    if (!err)
        err = case_media(s, c, NULL, NULL, d);
    if (!err)
        err = add_checkpoint(s, c, now, d);
    if (!err && !(*html = dossier_html(c, now)))
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    json_decref(c);
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err)
        err = nt_audit_record(s, u->name, "case.export", "case", oid,
                              json_pack("{s:s}", "download", "case.html"), now, d);
    if (err) {
        free(*html);
        *html = NULL;
    }
    return err;
}

enum nt_err nt_case_export(struct nt_store *s, const struct nt_user *u, int64_t id, const char *dir,
                           time_t now, struct nt_diag *d)
{
    json_t *c = NULL, *files = json_array();
    struct nt_db_stmt *st = NULL;
    char sub[4096], name[64], hash[NT_SHA256_HEX_LEN + 1], oid[32];
    enum nt_err err = nt_case_show(s, u, id, &c, d);
    if (err) {
        json_decref(files);
        return err;
    }
    /* Every payload is checked before anything is written. */
    err = verify_payloads(s, id, &st, d);
    snprintf(sub, sizeof(sub), "%s/raw", dir);
    if (!err &&
        ((mkdir(dir, 0750) != 0 && errno != EEXIST) || (mkdir(sub, 0750) != 0 && errno != EEXIST)))
        err = nt_diag_set(d, NT_EIO, "%s: direktori tidak dapat dibuat: %s", dir, strerror(errno));
    if (!err) {
        nt_db_reset(st);
        while (!err && nt_db_next(st, &err, d)) {
            snprintf(name, sizeof(name), "raw/%lld.bin", (long long)nt_db_int64(st, 0));
            size_t n = 0;
            const void *raw = nt_db_blob(st, 1, &n);
            err = write_file(dir, name, raw ? raw : "", n, d);
            json_array_append_new(
                files, json_pack("{s:s, s:o}", "file", name, "sha256", nt_rv_col(st, 2)));
        }
    }
    nt_db_finalize(st);
    /* The attachments' files, each checked against its hash, as media/<sha256>.<ext>. */
    if (!err)
        err = case_media(s, c, dir, files, d);
    /* The case's documents, each checked against its hash, as docs/<id>-<name>. */
    snprintf(sub, sizeof(sub), "%s/docs", dir);
    json_t *dd = json_object_get(c, "documents");
    if (!err && json_array_size(dd) && mkdir(sub, 0750) != 0 && errno != EEXIST)
        err = nt_diag_set(d, NT_EIO, "%s: direktori tidak dapat dibuat: %s", sub, strerror(errno));
    size_t di;
    json_t *dj;
    json_array_foreach(dd, di, dj)
    {
        struct nt_case_doc doc = { 0 };
        char file[200];
        if (err)
            break;
        int64_t did = json_integer_value(json_object_get(dj, "id"));
        err = doc_read(s, id, did, &doc, d);
        snprintf(file, sizeof(file), "docs/%lld-%s", (long long)did, doc.name);
        if (!err)
            err = write_file(dir, file, doc.data, doc.len, d);
        if (!err)
            json_array_append_new(files, json_pack("{s:s, s:O}", "file", file, "sha256",
                                                   json_object_get(dj, "sha256")));
        nt_case_doc_release(&doc);
    }
    char at[32];
    nt_time_iso(now, at, sizeof(at));
    json_object_set_new(c, "exported_at", json_string(at));
    json_object_set_new(c, "exported_by", json_string(u->name));
    json_object_set_new(c, "attachments", json_incref(files));
    if (!err)
        err = add_checkpoint(s, c, now, d);
    char *ch = err ? NULL : dossier_html(c, now);
    drop_thumbs(c);
    char *cj = err ? NULL : json_dumps(c, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (!err && (!cj || !ch))
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    if (!err)
        err = write_file(dir, "case.json", cj, strlen(cj), d);
    if (!err)
        err = write_file(dir, "case.html", ch, strlen(ch), d);
    if (!err) {
        nt_sha256_hex(cj, strlen(cj), hash);
        json_array_append_new(files, json_pack("{s:s, s:s}", "file", "case.json", "sha256", hash));
        nt_sha256_hex(ch, strlen(ch), hash);
        json_array_append_new(files, json_pack("{s:s, s:s}", "file", "case.html", "sha256", hash));
    }
    free(cj);
    free(ch);
    json_decref(c);
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err)
        err = nt_audit_record(s, u->name, "case.export", "case", oid,
                              json_pack("{s:s, s:O}", "dir", dir, "files", files), now, d);
    json_decref(files);
    return err;
}
