/*
 * queue.c - the review queue: listing with filters, an item with all its
 * evidence, claims, and decisions (with the four-eyes rule). A finding opens
 * or joins the employee's case (cases.c).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "internal.h"
#include "lexicon.h"
#include "registry.h"

static double shown_priority(double stored, time_t now)
{
    return stored + NT_AGING_PER_DAY * ((double)now / 86400.0 + 2440587.5);
}

/* The trigram index finds words of three characters or more. */
static bool fts_usable(const char *words)
{
    size_t chars = 0;
    for (const unsigned char *c = (const unsigned char *)words; *c; c++)
        chars += (*c & 0xC0) != 0x80;
    return chars >= 3;
}

/* How a listing reads the items, decided once per listing. A search first
 * counts the items its words are in (the trigram indexes of texts and
 * names, up to SEARCH_FEW + 1). When they are few the rows are fetched by
 * id from there; for a common word it costs less to read the scope (a
 * reviewer's agency, or the queue in priority order, where a page stops
 * early) and test each item's text. */
struct queue_plan {
    bool pg;            /* PostgreSQL: no index hints, no FTS5 (words by ILIKE) */
    bool names;         /* names and NIPs searched (not in pseudonymous mode) */
    bool by_index;      /* the text's matches from review_items_fts */
    bool names_index;   /* names and NIPs from employees_fts */
    const char *hint;   /* the page's index */
    const char *counts; /* the filter bar's counts' index (facets) */
    char *pattern;      /* ?14, the words as a LIKE pattern */
    char *phrase;       /* ?15, the words as an FTS5 phrase */
    char to_next[16];   /* ?7, the day after the filter's `to` */
};

/* Words in at most this many items: their rows by id from the index. */
#define SEARCH_FEW 5000

/* PostgreSQL: the items whose text, or whose employee's name or NIP, has
 * the words (a LIKE pattern, P), found through the trigram indexes
 * store/schema_pg.c makes (pg_trgm), as SQLite's are through FTS5. */
#define PG_TEXT_IDS(P) "SELECT id FROM review_items WHERE text ILIKE " P " ESCAPE '\\'"
#define PG_NAME_IDS(P)                                                                             \
    "SELECT i2.id FROM review_items i2 WHERE i2.employee_id IN (SELECT id FROM employees WHERE "   \
    "name ILIKE " P " ESCAPE '\\' OR nip LIKE " P " ESCAPE '\\')"

/* Is the status filter "pending" (read from the open queue's indexes)? */
static bool pending_only(const struct nt_queue_filter *f)
{
    return f->status && strcmp(f->status, "pending") == 0;
}

/* Escalated items are open to supervisors and admins only. */
static bool sees_escalations(const struct nt_user *u)
{
    return (u->role & (NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN)) != 0;
}

/* The queue's WHERE clause, from fixed fragments: only the filters given,
 * and each status term written exactly as the partial index that serves it
 * says (review_items_open and _open_agency: the open statuses; the status
 * indexes: past pending), so that a page reads its index in order. */
static void queue_where(struct nt_buf *b, const struct nt_user *u, const struct nt_queue_filter *f,
                        const struct queue_plan *p)
{
    if (pending_only(f))
        nt_buf_append_str(b, "WHERE i.status = ?1 "
                             "AND i.status IN ('pending', 'awaiting_second', 'escalated') ");
    else if (f->status)
        nt_buf_append_str(b, "WHERE i.status = ?1 AND i.status <> 'pending' ");
    else
        nt_buf_appendf(b, "WHERE i.status IN ('pending', 'awaiting_second', 'escalated') %s",
                       sees_escalations(u) ? "" : "AND i.status != 'escalated' ");
    /* One agency (most reviewers) as an equality: the page reads its
     * index in priority order and stops, where a list of agencies is
     * merged and sorted. */
    if (u->role != NT_ROLE_ADMIN)
        nt_buf_append_str(b, u->nagencies == 1 ? "AND i.agency = ?24 "
                                               : "AND i.agency IN (SELECT agency FROM "
                                                 "user_agencies WHERE user_id = ?21) ");
    static const char *const cond[] = {
        NULL,
        "AND i.agency = ?2 ",
        "AND i.category = ?3 ",
        "AND i.level = ?4 ",
        "AND i.platform = ?5 ",
        "AND i.posted_at >= ?6 ",
        "AND i.posted_at < ?7 ", /* the day after `to` (queue_plan.to_next) */
        "AND i.claimed_by = (SELECT id FROM users WHERE name = ?8) ",
    };
    const char *v[] = { f->status,   f->agency, f->category, f->level,
                        f->platform, f->from,   f->to,       f->assignee };
    for (int k = 1; k < 8; k++)
        if (v[k])
            nt_buf_append_str(b, cond[k]);
    if (!f->search)
        return;
    /* ?14: the words as a LIKE pattern (like_pattern); ?15: the same as an
     * FTS5 phrase for the trigram indexes. The names side is a set of
     * employees built once, so a row costs one lookup. In pseudonymous mode
     * names and NIPs are not searched: a search would reveal them. */
    const char *names = !p->names        ? ""
                        : p->names_index ? "(SELECT rowid FROM employees_fts WHERE employees_fts "
                                           "MATCH ?15)"
                        : p->pg          ? "(SELECT id FROM employees WHERE name ILIKE ?14 ESCAPE "
                                           "'\\' OR nip LIKE ?14 ESCAPE '\\')"
                                         : "(SELECT id FROM employees WHERE name LIKE ?14 ESCAPE "
                                           "'\\' OR nip LIKE ?14 ESCAPE '\\')";
    if (p->by_index && p->pg)
        nt_buf_appendf(b, "AND i.id IN (" PG_TEXT_IDS("?14") "%s) ",
                       p->names ? " UNION " PG_NAME_IDS("?14") : "");
    else if (p->by_index)
        /* One set of ids, from the index and the names: the rows are
         * fetched by id, not scanned. */
        nt_buf_appendf(b,
                       "AND i.id IN (SELECT rowid FROM review_items_fts WHERE review_items_fts "
                       "MATCH ?15%s%s) ",
                       *names ? " UNION SELECT i2.id FROM review_items i2 WHERE i2.employee_id IN "
                              : "",
                       names);
    else
        nt_buf_appendf(b, "AND (i.text %s ?14 ESCAPE '\\'%s%s) ", p->pg ? "ILIKE" : "LIKE",
                       *names ? " OR i.employee_id IN " : "", names);
}

/* The search words as an FTS5 phrase ("words", quotes doubled). */
static char *fts_phrase(const char *words)
{
    size_t n = strlen(words);
    char *p = malloc(2 * n + 3), *o = p;
    if (!p)
        return NULL;
    *o++ = '"';
    for (const char *c = words; *c; c++) {
        if (*c == '"')
            *o++ = '"';
        *o++ = *c;
    }
    *o++ = '"';
    *o = '\0';
    return p;
}

/* The search words as a LIKE pattern: %words%, with % _ and \ taken as
 * themselves. */
static char *like_pattern(const char *words)
{
    size_t n = strlen(words);
    char *p = malloc(2 * n + 3), *o = p;
    if (!p)
        return NULL;
    *o++ = '%';
    for (const char *c = words; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            *o++ = '\\';
        *o++ = *c;
    }
    *o++ = '%';
    *o = '\0';
    return p;
}

/* A `next` token, "PRIORITY:ID"; false when it is not one. */
static bool parse_after(const char *t, double *priority, int64_t *id)
{
    char *end;
    *priority = strtod(t, &end);
    if (end == t || *end != ':')
        return false;
    const char *i = end + 1;
    long long v = strtoll(i, &end, 10);
    if (end == i || *end || v <= 0)
        return false;
    *id = v;
    return true;
}

/* A value of a closed set, or NT_EUSAGE naming the field and what it may be. */
static enum nt_err one_of(const char *field, const char *v, const char *const *allowed, size_t n,
                          struct nt_diag *d)
{
    if (!v)
        return NT_OK;
    char list[256];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v, allowed[i]) == 0)
            return NT_OK;
        int k = snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", allowed[i]);
        if (k > 0 && (size_t)k < sizeof(list) - o)
            o += (size_t)k;
    }
    return nt_diag_set(d, NT_EUSAGE, "%s \"%s\" tidak dikenal; pilihan: %s", field, v, list);
}

enum nt_err nt_queue_filter_check(struct nt_store *s, const struct nt_queue_filter *f,
                                  struct nt_diag *d)
{
    static const char *const statuses[] = { "pending", "awaiting_second", "escalated", "confirmed",
                                            "dismissed" };
    static const char *const levels[] = { "review", "priority" };
    const char *cats[16];
    size_t ncat = 0;
    for (int i = 0; ncat < 16 && nt_lex_category_code(i); i++)
        cats[ncat++] = nt_lex_category_code(i);
    enum nt_err err = one_of("status", f->status, statuses, 2 + 3, d);
    if (!err)
        err = one_of("tingkat", f->level, levels, 2, d);
    if (!err)
        err = one_of("kategori", f->category, cats, ncat, d);
    if (!err)
        err = one_of("platform", f->platform, nt_reg_platforms, 4, d);
    struct nt_date dt;
    if (!err && f->from && !nt_date_parse(f->from, &dt))
        err = nt_diag_set(d, NT_EUSAGE, "tanggal awal \"%s\" bukan TTTT-BB-HH", f->from);
    if (!err && f->to && !nt_date_parse(f->to, &dt))
        err = nt_diag_set(d, NT_EUSAGE, "tanggal akhir \"%s\" bukan TTTT-BB-HH", f->to);
    double pr;
    int64_t aid;
    if (!err && f->after && !parse_after(f->after, &pr, &aid))
        err = nt_diag_set(
            d, NT_EUSAGE,
            "after \"%s\" bukan token halaman (ambil dari \"next\" halaman sebelumnya)", f->after);
    if (!err && f->search && (!*f->search || strlen(f->search) > 200))
        err = nt_diag_set(d, NT_EUSAGE, "kata pencarian harus 1..200 bita");
    if (err || !f->agency)
        return err;
    /* An agency is what the registry calls one. */
    return nt_reg_agency_check(s, f->agency, d);
}

/* The filter's values into a statement built on queue_where. */
static void bind_filter(struct nt_db_stmt *st, const struct nt_user *u,
                        const struct nt_queue_filter *f, const struct queue_plan *p)
{
    const char *v[] = { f->status,
                        f->agency,
                        f->category,
                        f->level,
                        f->platform,
                        f->from,
                        p->to_next[0] ? p->to_next : NULL,
                        f->assignee };
    const char *pattern = p->pattern, *phrase = p->phrase;
    if (!st)
        return;
    for (int i = 0; i < 8; i++)
        if (v[i])
            nt_db_bind_text(st, i + 1, v[i]);
    if (u->role != NT_ROLE_ADMIN)
        nt_db_bind_int64(st, 21, u->id);
    if (u->role != NT_ROLE_ADMIN && u->nagencies == 1)
        nt_db_bind_text(st, 24, u->agencies[0]);
    /* Each only where queue_where wrote it: a number past a statement's
     * last is an error (an admin's count by LIKE in pseudonymous mode has
     * no phrase). */
    bool names_by_index = p->names && p->names_index;
    if (pattern && (!p->by_index || p->pg || (p->names && !p->names_index)))
        nt_db_bind_text(st, 14, pattern);
    if (phrase && !p->pg && (p->by_index || names_by_index)) /* PostgreSQL: no FTS5 phrase */
        nt_db_bind_text(st, 15, phrase);
}

/* The single number a counting statement answers; the statement is
 * finalized. */
static enum nt_err count_one(struct nt_db_stmt *st, int64_t *n, struct nt_diag *d)
{
    enum nt_err err = NT_OK;
    *n = nt_db_next(st, &err, d) ? nt_db_int64(st, 0) : 0;
    nt_db_finalize(st);
    return err;
}

static void queue_plan_release(struct queue_plan *p)
{
    free(p->pattern);
    free(p->phrase);
    p->pattern = p->phrase = NULL;
}

/* The listing's plan (struct queue_plan). With a search, the items the
 * words are in are counted in the trigram indexes, up to SEARCH_FEW + 1. */
static enum nt_err queue_plan_make(struct nt_store *s, const struct nt_user *u,
                                   const struct nt_queue_filter *f,
                                   const struct nt_review_config *cfg, struct queue_plan *p,
                                   struct nt_diag *d)
{
    /* The page's index: by agency when the rows are one agency's or a few
     * (reading the whole open queue in priority order could pass over most
     * of it to find them), else the open queue in priority order; the open
     * queue's for the open items and the pending ones, the status indexes
     * for a status past pending. */
    bool pg = nt_db_kind(nt_store_dbh(s)) == NT_DB_POSTGRES;
    bool open = !f->status || pending_only(f), scoped = u->role != NT_ROLE_ADMIN || f->agency;
    *p = (struct queue_plan){
        .pg = pg,
        .names = !cfg->pseudonymous,
        .hint = pg       ? "" /* PostgreSQL's planner takes no hints */
                : scoped ? (open ? "INDEXED BY review_items_open_agency "
                                 : "INDEXED BY review_items_agency ")
                : open   ? "INDEXED BY review_items_open "
                         : "INDEXED BY review_items_queue ",
    };
    /* The counts group every match: from an index that holds their keys
     * (review_items_queue has only the status and the priority, so
     * counting from it reads every row: 0.65 s against 0.09 s for the
     * admin's confirmed items at 211,000). */
    p->counts = !pg && !open ? "INDEXED BY review_items_agency " : p->hint;
    /* Posted before the day after `to` (checked by nt_queue_filter_check). */
    if (f->to && !nt_date_next_day(f->to, p->to_next, sizeof(p->to_next)))
        return nt_diag_set(d, NT_EUSAGE, "tanggal akhir \"%s\" bukan TTTT-BB-HH", f->to);
    if (!f->search)
        return NT_OK;
    p->pattern = like_pattern(f->search);
    p->phrase = fts_phrase(f->search);
    if (!p->pattern || !p->phrase) {
        queue_plan_release(p);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    if (!fts_usable(f->search))
        return NT_OK;
    p->names_index = !pg; /* PostgreSQL: names by ILIKE on their trigram index */
    int64_t n = 0;
    enum nt_err err = NT_OK;
    if (f->search_way == NT_SEARCH_AUTO) {
        struct nt_buf q;
        nt_buf_init(&q, 1 << 12);
        if (pg)
            nt_buf_appendf(&q, "SELECT count(*) FROM (" PG_TEXT_IDS("?1") "%s LIMIT %d) AS t",
                           p->names ? " UNION ALL " PG_NAME_IDS("?1") : "", SEARCH_FEW + 1);
        else
            nt_buf_appendf(&q,
                           "SELECT count(*) FROM (SELECT rowid FROM review_items_fts WHERE "
                           "review_items_fts MATCH ?1%s LIMIT %d) AS t",
                           p->names ? " UNION ALL SELECT i2.id FROM review_items i2 WHERE "
                                      "i2.employee_id IN (SELECT rowid FROM employees_fts WHERE "
                                      "employees_fts MATCH ?1)"
                                    : "",
                           SEARCH_FEW + 1);
        struct nt_db_stmt *st = NULL;
        err = nt_rv_prepare_built(s, &q, &st, d);
        nt_buf_release(&q);
        if (!err) {
            nt_db_bind_text(st, 1, pg ? p->pattern : p->phrase);
            err = count_one(st, &n, d);
        }
    }
    if (!err && (f->search_way == NT_SEARCH_INDEX ||
                 (f->search_way == NT_SEARCH_AUTO && n <= SEARCH_FEW))) {
        p->by_index = true;
        p->hint = pg ? "" : "NOT INDEXED "; /* rows by id from the index */
        p->counts = p->hint;
    }
    if (err)
        queue_plan_release(p);
    return err;
}

/* How many matches have each level, category and platform: the counts a
 * filter bar shows beside its choices, and their sum, the listing's total.
 * One pass over the matches, grouped by the three at once. */
static enum nt_err queue_facets(struct nt_store *s, const struct nt_user *u,
                                const struct nt_queue_filter *f, const struct queue_plan *plan,
                                json_t **out, json_int_t *total, struct nt_diag *d)
{
    static const char *const cols[] = { "level", "category", "platform" };
    struct nt_buf where, q;
    struct nt_db_stmt *st = NULL;
    nt_buf_init(&where, 1 << 16);
    nt_buf_init(&q, 1 << 16);
    queue_where(&where, u, f, plan);
    nt_buf_appendf(&q,
                   "SELECT i.level, i.category, i.platform, count(*) FROM review_items i %s%s"
                   "GROUP BY 1, 2, 3",
                   plan->counts, nt_buf_str(&where));
    enum nt_err err = nt_rv_prepare_built(s, &q, &st, d);
    nt_buf_release(&where);
    nt_buf_release(&q);
    if (err)
        return err;
    bind_filter(st, u, f, plan);
    json_t *o = json_object();
    for (size_t k = 0; k < 3; k++)
        json_object_set_new(o, cols[k], json_object());
    *total = 0;
    while (!err && nt_db_next(st, &err, d)) {
        json_int_t n = nt_db_int64(st, 3);
        *total += n;
        for (int k = 0; k < 3; k++) {
            const char *v = nt_db_text(st, k);
            if (!v)
                continue;
            json_t *m = json_object_get(o, cols[k]);
            json_t *c = json_object_get(m, v);
            json_object_set_new(m, v, json_integer(n + (c ? json_integer_value(c) : 0)));
        }
    }
    nt_db_finalize(st);
    if (err) {
        json_decref(o);
        return err;
    }
    *out = o;
    return NT_OK;
}

/* The same counts from the in-memory copy (facts.c), for a filter it
 * holds every key of: status, scope, agency, category, level, platform and
 * post dates, and on SQLite a search read by LIKE (a common word: the
 * copy keeps the texts; counting its matches in SQL read the text of each
 * of the scope's items, about 20 ms of CPU for a reviewer's 8,000 open
 * items); the copy brought up to date in a snapshot of its own. A word in
 * few items is counted by SQL from the index, its rows fetched by id. */
static bool facets_in_copy(const struct nt_queue_filter *f, const struct queue_plan *plan)
{
    return !f->assignee && (!f->search || (!plan->pg && !plan->by_index));
}

/* The employees a search finds by name or NIP (queue_where's set), in id
 * order; none in pseudonymous mode. */
static enum nt_err search_names(struct nt_store *s, const struct queue_plan *plan, int64_t **ids,
                                size_t *n, struct nt_diag *d)
{
    *ids = NULL;
    *n = 0;
    if (!plan->names)
        return NT_OK;
    struct nt_db_stmt *st = NULL;
    size_t cap = 0;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        plan->names_index ? "SELECT rowid FROM employees_fts WHERE employees_fts MATCH ?1 "
                            "ORDER BY 1"
                          : "SELECT id FROM employees WHERE name LIKE ?1 ESCAPE '\\' OR nip "
                            "LIKE ?1 ESCAPE '\\' ORDER BY 1",
        &st, d);
    if (!err)
        nt_db_bind_text(st, 1, plan->names_index ? plan->phrase : plan->pattern);
    while (!err && nt_db_next(st, &err, d)) {
        if (*n == cap && nt_grow(ids, &cap, *n, sizeof(**ids), 64) != NT_OK) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            break;
        }
        (*ids)[(*n)++] = nt_db_int64(st, 0);
    }
    nt_db_finalize(st);
    if (err) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return err;
}

static enum nt_err copy_facets(struct nt_store *s, struct nt_stats_facts *facts,
                               const struct nt_user *u, const struct nt_queue_filter *f,
                               const struct queue_plan *plan, json_t **out, json_int_t *total,
                               struct nt_diag *d)
{
    struct nt_rv_facet_query q = {
        .all = u->role == NT_ROLE_ADMIN,
        .agencies = (const char *const *)u->agencies,
        .nagencies = u->nagencies,
        .agency = f->agency,
        .category = f->category,
        .level = f->level,
        .platform = f->platform,
        .from = f->from,
        .to = f->to,
        .to_next = plan->to_next[0] ? plan->to_next : NULL,
    };
    /* queue_where's statuses */
    if (f->status) {
        q.statuses[q.nstatuses++] = f->status;
    } else {
        q.statuses[q.nstatuses++] = "pending";
        q.statuses[q.nstatuses++] = "awaiting_second";
        if (sees_escalations(u))
            q.statuses[q.nstatuses++] = "escalated";
    }
    int64_t *names = NULL;
    enum nt_err err = nt_stats_facts_warm(facts, s, d);
    if (!err && f->search) {
        q.words = f->search;
        err = search_names(s, plan, &names, &q.nnames, d);
        q.names = names;
    }
    if (!err && (err = nt_rv_facts_facets(facts, &q, out, total)) != NT_OK)
        nt_diag_set(d, err,
                    err == NT_ENOMEM ? "memori tidak cukup"
                                     : "salinan butir tidak menyimpan teks untuk pencarian");
    free(names);
    return err;
}

enum nt_err nt_queue_list(struct nt_store *s, struct nt_stats_facts *facts, const struct nt_user *u,
                          const struct nt_queue_filter *f, time_t now, json_t **out,
                          struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL, *cnt = NULL;
    struct nt_buf where, q;
    enum nt_err err = nt_user_require(u, STAFF, "melihat antrean", d);
    if (!err)
        err = nt_queue_filter_check(s, f, d);
    struct nt_review_config cfg;
    if (!err)
        err = nt_review_config_load(s, &cfg, d);
    if (err)
        return err;
    struct queue_plan plan;
    err = queue_plan_make(s, u, f, &cfg, &plan, d);
    if (err) {
        nt_review_config_release(&cfg);
        return err;
    }
    nt_buf_init(&where, 1 << 16);
    nt_buf_init(&q, 1 << 16);
    queue_where(&where, u, f, &plan);
    nt_buf_appendf(
        &q,
        "WITH page AS (SELECT i.id, i.priority FROM review_items i %s%s%s"
        "ORDER BY i.priority DESC, i.id LIMIT ?10 OFFSET ?11) "
        "SELECT i.id, i.priority, i.level, i.category, i.status, i.agency, "
        "i.employee_id, e.name, i.platform, i.posted_at, substr(i.text, 1, 200), "
        "u.name, i.claim_expires_at, "
        /* an escalated item: who escalated it and why (the last escalation) */
        "(SELECT eu.name FROM decisions ed JOIN users eu ON eu.id = ed.user_id "
        " WHERE ed.item_id = i.id AND ed.decision = 'escalate' ORDER BY ed.id DESC LIMIT 1), "
        "(SELECT ed.reason FROM decisions ed "
        " WHERE ed.item_id = i.id AND ed.decision = 'escalate' ORDER BY ed.id DESC LIMIT 1), "
        /* copies of its message still open in the user's agencies */
        "(SELECT count(*) FROM review_items c WHERE c.text_key = i.text_key AND c.id != i.id "
        " AND c.status IN ('pending', 'awaiting_second') AND (?22 = 1 OR c.agency IN "
        " (SELECT agency FROM user_agencies WHERE user_id = ?23))) "
        "FROM page JOIN review_items i ON i.id = page.id "
        "JOIN employees e ON e.id = i.employee_id "
        "LEFT JOIN users u ON u.id = i.claimed_by ORDER BY page.priority DESC, page.id",
        plan.hint, nt_buf_str(&where),
        f->after ? "AND (i.priority < ?12 OR (i.priority = ?12 AND i.id > ?13)) " : "");
    err = nt_rv_prepare_built(s, &q, &st, d);
    /* The total: summed from the facets when they are asked, else counted
     * up to one past the bound (a page of a queue of 200,000 items costs
     * what a page of 10,000 does; "lebih dari" past it). A search counts to
     * a tenth of that: a common word's matches are counted by reading each
     * candidate's text (a reviewer's page 1 for a word in most of the
     * agency's 7,000 open items: p95 365 ms under 8 clients counting to
     * 10,000, 48 ms counting to 1,000). */
    int bound = f->search ? NT_QUEUE_SEARCH_COUNT_MAX : NT_QUEUE_COUNT_MAX;
    /* With the server's copy, a filter the page's index does not lead
     * with (level, category, platform, dates, words) is counted exactly
     * from it, filter bar or not: counting to 10,001 in SQL tested index
     * entries until as many matched (10 ms for the admin's pages of a
     * level, page 500 as page 1), the copy's pass costs 2-5 ms. Without
     * one, the count reads its first 10,001 entries and stops: less. */
    bool copy_counts =
        facts && facets_in_copy(f, &plan) &&
        (f->facets || f->level || f->category || f->platform || f->from || f->to || f->search);
    nt_buf_reset(&q);
    nt_buf_appendf(&q, "SELECT count(*) FROM (SELECT 1 FROM review_items i %s%s LIMIT %d) AS t",
                   plan.hint, nt_buf_str(&where), bound + 1);
    if (!err && !f->facets && !copy_counts)
        err = nt_rv_prepare_built(s, &q, &cnt, d);
    nt_buf_release(&q);
    nt_buf_release(&where);
    if (err) {
        nt_db_finalize(st);
        queue_plan_release(&plan);
        nt_review_config_release(&cfg);
        return err;
    }
    bind_filter(st, u, f, &plan);
    bind_filter(cnt, u, f, &plan);
    json_t *facets = NULL;
    json_int_t total = 0;
    if (!err && (f->facets || copy_counts))
        err = copy_counts ? copy_facets(s, facts, u, f, &plan, &facets, &total, d)
                          : queue_facets(s, u, f, &plan, &facets, &total, d);
    if (!f->facets) {
        json_decref(facets);
        facets = NULL;
    }
    size_t limit = f->limit ? f->limit : 50;
    nt_db_bind_int64(st, 10, (int64_t)limit);
    nt_db_bind_int64(st, 22, u->role == NT_ROLE_ADMIN);
    nt_db_bind_int64(st, 23, u->id);
    nt_db_bind_int64(st, 11, (int64_t)f->offset);
    double after_pr = 0;
    int64_t after_id = 0;
    if (f->after && parse_after(f->after, &after_pr, &after_id)) {
        nt_db_bind_double(st, 12, after_pr);
        nt_db_bind_int64(st, 13, after_id);
    }
    double last_pr = 0;
    int64_t last_id = 0;
    size_t rows = 0;
    json_t *items = json_array();
    char expires_now[32];
    nt_time_iso(now, expires_now, sizeof(expires_now));
    while (!err && nt_db_next(st, &err, d)) {
        json_t *who;
        if (cfg.pseudonymous) {
            char p[32];
            err = nt_rv_pseudonym(s, nt_db_int64(st, 6), p, d);
            who = json_string(p);
        } else {
            who = nt_rv_col(st, 7);
        }
        last_id = nt_db_int64(st, 0);
        last_pr = nt_db_double(st, 1);
        rows++;
        const char *exp = nt_db_text(st, 12);
        bool held = exp && strcmp(exp, expires_now) > 0;
        json_array_append_new(
            items,
            json_pack(
                "{s:I, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "id",
                (json_int_t)nt_db_int64(st, 0), "priority",
                shown_priority(nt_db_double(st, 1), now), "level", nt_rv_col(st, 2), "category",
                nt_rv_col(st, 3), "status", nt_rv_col(st, 4), "agency", nt_rv_col(st, 5),
                "employee", who, "platform", nt_rv_col(st, 8), "posted_at", nt_rv_col(st, 9),
                "excerpt", nt_rv_col(st, 10), "claimed_by", held ? nt_rv_col(st, 11) : json_null(),
                "claim_expires_at", held ? nt_rv_col(st, 12) : json_null(), "escalation",
                nt_db_type(st, 13) == NT_DB_NULL
                    ? json_null()
                    : json_pack("{s:o, s:o}", "by", nt_rv_col(st, 13), "reason", nt_rv_col(st, 14)),
                "copies", (json_int_t)nt_db_int64(st, 15)));
    }
    bool more = false;
    if (!err && cnt && nt_db_next(cnt, &err, d)) {
        total = nt_db_int64(cnt, 0);
        more = total > bound;
        if (more)
            total = bound;
    }
    nt_db_finalize(st);
    nt_db_finalize(cnt);
    queue_plan_release(&plan);
    nt_review_config_release(&cfg);
    if (err) {
        json_decref(items);
        json_decref(facets);
        return err;
    }
    /* A full page may have a next one: its token is this page's last row
     * (the stored priority, exactly: %.17g reads back the same double). */
    char next[64];
    snprintf(next, sizeof(next), "%.17g:%lld", last_pr, (long long)last_id);
    *out = json_pack("{s:I, s:b, s:o, s:o}", "total", total, "total_more", more, "next",
                     rows == limit ? json_string(next) : json_null(), "items", items);
    if (facets)
        json_object_set_new(*out, "facets", facets);
    return NT_OK;
}

/* The item's row as the decision rules need it. */
struct item {
    int64_t id, employee_id, claimed_by, post_id, version_id;
    char status[24], level[16], category[24], agency[256], claim_expires[32], posted_at[40];
    char claimer[64];
};

static void cpy(char *dst, size_t n, struct nt_db_stmt *st, int i)
{
    const char *v = nt_db_text(st, i);
    snprintf(dst, n, "%s", v ? v : "");
}

/* The item's row; with `lock` (a writer's transaction), held until the
 * transaction ends: on PostgreSQL two web servers deciding or claiming the
 * same item take turns, the second one reading the first one's outcome
 * (SQLite's writer lock does that for the whole database). */
#define LOAD_ITEM(LOCK)                                                                            \
    "SELECT i.id, i.status, i.level, i.category, i.agency, i.employee_id, i.claimed_by, "          \
    "i.claim_expires_at, i.posted_at, i.post_id, sc.version_id, u.name "                           \
    "FROM review_items i JOIN scores sc ON sc.id = i.score_id "                                    \
    "LEFT JOIN users u ON u.id = i.claimed_by WHERE i.id = ?1" LOCK
static enum nt_err load_item(struct nt_store *s, const struct nt_user *u, int64_t id, bool lock,
                             struct item *it, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    memset(it, 0, sizeof(*it));
    enum nt_err err =
        nt_db_prepare_for(nt_store_dbh(s), LOAD_ITEM(""),
                          lock ? LOAD_ITEM(" FOR UPDATE OF i") : LOAD_ITEM(""), &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, id);
    if (!nt_db_next(st, &err, d)) {
        nt_db_finalize(st);
        return err ? err
                   : nt_diag_set(d, NT_ENOTFOUND, "butir antrean #%lld tidak ada", (long long)id);
    }
    it->id = id;
    cpy(it->status, sizeof(it->status), st, 1);
    cpy(it->level, sizeof(it->level), st, 2);
    cpy(it->category, sizeof(it->category), st, 3);
    cpy(it->agency, sizeof(it->agency), st, 4);
    it->employee_id = nt_db_int64(st, 5);
    it->claimed_by = nt_db_int64(st, 6);
    cpy(it->claim_expires, sizeof(it->claim_expires), st, 7);
    cpy(it->posted_at, sizeof(it->posted_at), st, 8);
    it->post_id = nt_db_int64(st, 9);
    it->version_id = nt_db_int64(st, 10);
    cpy(it->claimer, sizeof(it->claimer), st, 11);
    nt_db_finalize(st);
    /* Another agency's item does not exist for this user. */
    if (!nt_user_sees(u, it->agency))
        return nt_diag_set(d, NT_ENOTFOUND, "butir antrean #%lld tidak ada", (long long)id);
    return NT_OK;
}
#undef LOAD_ITEM

static bool held_by_other(const struct item *it, const struct nt_user *u, time_t now)
{
    char t[32];
    nt_time_iso(now, t, sizeof(t));
    return it->claimed_by && it->claimed_by != u->id && strcmp(it->claim_expires, t) > 0;
}

enum nt_err nt_item_claim(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                          struct nt_diag *d)
{
    struct item it;
    struct nt_review_config cfg;
    struct nt_db_stmt *st = NULL;
    char until[32];
    enum nt_err err = nt_user_require(u, STAFF, "mengklaim butir", d);
    if (err)
        return err;
    err = nt_review_config_load(s, &cfg, d);
    nt_review_config_release(&cfg);
    if (!err)
        err = nt_store_begin(s, d);
    if (!err)
        err = load_item(s, u, id, true, &it, d);
    if (!err && (strcmp(it.status, "confirmed") == 0 || strcmp(it.status, "dismissed") == 0))
        err = nt_diag_set(d, NT_ECONFLICT, "butir #%lld sudah diputuskan (%s)", (long long)id,
                          it.status);
    if (!err && strcmp(it.status, "escalated") == 0 && u->role == NT_ROLE_REVIEWER)
        err = nt_diag_set(d, NT_EPERM, "butir #%lld dieskalasi: hanya supervisor yang menangani",
                          (long long)id);
    if (!err && held_by_other(&it, u, now))
        err = nt_diag_set(d, NT_ECONFLICT, "butir #%lld sedang diklaim %s sampai %s", (long long)id,
                          it.claimer, it.claim_expires);
    nt_time_iso(now + (time_t)cfg.claim_minutes * 60, until, sizeof(until));
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "UPDATE review_items SET claimed_by = ?2, claim_expires_at = ?3 "
                            "WHERE id = ?1",
                            &st, d);
    if (!err) {
        nt_db_bind_int64(st, 1, id);
        nt_db_bind_int64(st, 2, u->id);
        nt_db_bind_text(st, 3, until);
        err = nt_db_run(st, d);
    }
    char oid[32];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err)
        err =
            nt_audit_append(s, u->name, "item.claim", "item", oid,
                            it.claimer[0] ? json_pack("{s:s}", "claimed_by", it.claimer) : NULL,
                            json_pack("{s:s, s:s}", "claimed_by", u->name, "until", until), now, d);
    nt_db_finalize(st);
    return nt_rv_finish(s, err, d);
}

static const char *const dismiss_reasons[] = { "berita", "netral", "bukan_akun", "candaan",
                                               "lainnya" };

static bool dismiss_reason_ok(const char *r)
{
    for (size_t i = 0; r && i < sizeof(dismiss_reasons) / sizeof(dismiss_reasons[0]); i++)
        if (strcmp(r, dismiss_reasons[i]) == 0)
            return true;
    return false;
}

static enum nt_err check_decision(const struct nt_decision *dec, const struct item *it,
                                  struct nt_diag *d)
{
    const char *k = dec->decision ? dec->decision : "";
    if (strcmp(k, "confirm") && strcmp(k, "dismiss") && strcmp(k, "escalate"))
        return nt_diag_set(d, NT_EINPUT,
                           "keputusan \"%.20s\" tidak dikenal (confirm, dismiss, "
                           "escalate)",
                           k);
    if (dec->category && !nt_skb_category(dec->category))
        return nt_diag_set(d, NT_EINPUT, "kategori \"%.20s\" bukan kode SKB 2022", dec->category);
    if (strcmp(k, "confirm") == 0 && !dec->category && !it->category[0])
        return nt_diag_set(d, NT_EINPUT,
                           "konfirmasi memerlukan --category KODE (butir tanpa "
                           "kategori)");
    if (strcmp(k, "dismiss") == 0 && !dismiss_reason_ok(dec->reason_code))
        return nt_diag_set(d, NT_EINPUT,
                           "penolakan memerlukan --reason-code berita, netral, bukan_akun, "
                           "candaan atau lainnya");
    if (strcmp(k, "dismiss") == 0 && strcmp(dec->reason_code, "lainnya") == 0 &&
        (!dec->reason || !*dec->reason))
        return nt_diag_set(d, NT_EINPUT, "alasan \"lainnya\" memerlukan --reason TEKS");
    if (strcmp(k, "escalate") == 0 && (!dec->reason || !*dec->reason))
        return nt_diag_set(d, NT_EINPUT, "eskalasi memerlukan --reason TEKS");
    return NT_OK;
}

/* Who confirmed first (four-eyes), 0 when nobody. */
static int64_t first_confirmer(struct nt_store *s, int64_t item)
{
    struct nt_db_stmt *st = NULL;
    int64_t who = 0;
    if (nt_db_prepare(nt_store_dbh(s),
                      "SELECT user_id FROM decisions WHERE item_id = ?1 AND decision = 'confirm' "
                      "ORDER BY id DESC LIMIT 1",
                      &st, NULL) != NT_OK)
        return 0;
    nt_db_bind_int64(st, 1, item);
    enum nt_err err;
    if (nt_db_next(st, &err, NULL))
        who = nt_db_int64(st, 0);
    nt_db_finalize(st);
    return who;
}

/* An item's new state after a decision (or an undo): status, category,
 * claim released. */
static enum nt_err set_state(struct nt_store *s, int64_t id, const char *status,
                             const char *category, const char *at, struct nt_diag *d)
{
    struct nt_db_stmt *upd = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    "UPDATE review_items SET status = ?2, category = ?3, "
                                    "claimed_by = NULL, claim_expires_at = NULL, "
                                    "updated_at = ?4 WHERE id = ?1",
                                    &upd, d);
    if (err)
        return err;
    nt_db_bind_int64(upd, 1, id);
    nt_db_bind_text(upd, 2, status);
    nt_db_bind_text(upd, 3, category);
    nt_db_bind_text(upd, 4, at);
    err = nt_db_run(upd, d);
    nt_db_finalize(upd);
    return err;
}

/* One decision inside the caller's transaction: its row, the item's new
 * state, its audit row and, for a confirmation, the case. *out: the
 * result, or untouched on an error. */
static enum nt_err decide_one(struct nt_store *s, const struct nt_user *u,
                              const struct nt_review_config *cfgp, int64_t id,
                              const struct nt_decision *dec, time_t now, json_t **out,
                              struct nt_diag *d)
{
    const struct nt_review_config cfg = *cfgp;
    struct item it;
    struct nt_db_stmt *ins = NULL;
    char at[32], oid[32];
    int64_t case_id = 0, decision_id = 0;
    enum nt_err err = load_item(s, u, id, true, &it, d);
    if (!err)
        err = check_decision(dec, &it, d);
    const char *k = dec->decision, *recorded = k, *status = NULL;
    if (!err && (strcmp(it.status, "confirmed") == 0 || strcmp(it.status, "dismissed") == 0))
        err = nt_diag_set(d, NT_ECONFLICT, "butir #%lld sudah diputuskan (%s)", (long long)id,
                          it.status);
    if (!err && strcmp(it.status, "escalated") == 0 && u->role == NT_ROLE_REVIEWER)
        err = nt_diag_set(d, NT_EPERM,
                          "butir #%lld dieskalasi: hanya supervisor atau admin yang memutuskan",
                          (long long)id);
    if (!err && held_by_other(&it, u, now))
        err = nt_diag_set(d, NT_ECONFLICT, "butir #%lld sedang diklaim %s sampai %s", (long long)id,
                          it.claimer, it.claim_expires);
    if (!err && strcmp(it.status, "awaiting_second") == 0) {
        if (first_confirmer(s, id) == u->id)
            err = nt_diag_set(d, NT_EPERM,
                              "prinsip empat mata: konfirmasi kedua harus oleh peninjau lain");
        else if (strcmp(k, "confirm") == 0)
            recorded = "agree", status = "confirmed";
        else if (strcmp(k, "dismiss") == 0)
            recorded = "disagree", status = "escalated";
        else
            status = "escalated";
    } else if (!err) {
        status = strcmp(k, "dismiss") == 0                            ? "dismissed"
                 : strcmp(k, "escalate") == 0                         ? "escalated"
                 : cfg.four_eyes && strcmp(it.status, "pending") == 0 ? "awaiting_second"
                                                                      : "confirmed";
    }
    const char *category = dec->category ? dec->category : it.category[0] ? it.category : NULL;
    nt_time_iso(now, at, sizeof(at));
    if (!err)
        err = nt_db_prepare_insert(nt_store_dbh(s),
                                   "INSERT INTO decisions(item_id, user_id, decision, category, "
                                   "reason_code, reason, decided_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                   &ins, d);
    if (!err) {
        nt_db_bind_int64(ins, 1, id);
        nt_db_bind_int64(ins, 2, u->id);
        nt_db_bind_text(ins, 3, recorded);
        nt_db_bind_text(ins, 4, category);
        nt_db_bind_text(ins, 5, dec->reason_code);
        nt_db_bind_text(ins, 6, dec->reason);
        nt_db_bind_text(ins, 7, at);
        err = nt_db_insert(ins, &decision_id, d);
    }
    if (!err)
        err = set_state(s, id, status, category, at, d);
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err)
        err = nt_audit_append(
            s, u->name, "item.decide", "item", oid,
            json_pack("{s:s, s:o}", "status", it.status, "category",
                      it.category[0] ? json_string(it.category) : json_null()),
            json_pack("{s:s, s:I, s:s, s:o, s:o, s:o}", "status", status, "decision_id",
                      (json_int_t)decision_id, "decision", recorded, "category",
                      category ? json_string(category) : json_null(), "reason_code",
                      dec->reason_code ? json_string(dec->reason_code) : json_null(), "reason",
                      dec->reason ? json_string(dec->reason) : json_null()),
            now, d);
    if (!err && strcmp(status, "confirmed") == 0) {
        char election[64], period[16];
        nt_review_period(&cfg, it.posted_at, election, sizeof(election), period, sizeof(period));
        err = nt_rv_case_join(s, u, it.employee_id, election[0] ? election : "tanpa-kalender", id,
                              now, &case_id, d);
    }
    nt_db_finalize(ins);
    if (!err && out)
        *out = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)id, "status", status, "decision",
                         recorded, "case_id", case_id ? json_integer(case_id) : json_null());
    return err;
}

/* The last decision on an item: id, maker, kind, time, and the status and
 * category the item had before it (from the audit row that recorded it). */
struct last_decision {
    int64_t id, user_id;
    char decision[16], at[32], before_status[24], before_category[24];
    bool has_before;
};

/* JSON members of the audit row, in each engine's words. */
#define LAST_DECISION(STATUS, CATEGORY, DECISION_ID)                                               \
    "SELECT d.id, d.user_id, d.decision, d.decided_at, " STATUS ", " CATEGORY " FROM decisions d " \
    "LEFT JOIN audit_log a ON a.action = 'item.decide' AND a.object_type = 'item' "                \
    "AND a.object_id = CAST(d.item_id AS TEXT) AND " DECISION_ID " = d.id "                        \
    "WHERE d.item_id = ?1 ORDER BY d.id DESC LIMIT 1"

static enum nt_err last_decision(struct nt_store *s, int64_t item, struct last_decision *l,
                                 struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    memset(l, 0, sizeof(*l));
    enum nt_err err = nt_db_prepare_for(
        nt_store_dbh(s),
        LAST_DECISION("json_extract(a.before, '$.status')", "json_extract(a.before, '$.category')",
                      "json_extract(a.after, '$.decision_id')"),
        LAST_DECISION("CAST(a.before AS jsonb) ->> 'status'",
                      "CAST(a.before AS jsonb) ->> 'category'",
                      "CAST(CAST(a.after AS jsonb) ->> 'decision_id' AS BIGINT)"),
        &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, item);
    if (nt_db_next(st, &err, d)) {
        l->id = nt_db_int64(st, 0);
        l->user_id = nt_db_int64(st, 1);
        cpy(l->decision, sizeof(l->decision), st, 2);
        cpy(l->at, sizeof(l->at), st, 3);
        l->has_before = nt_db_type(st, 4) != NT_DB_NULL;
        cpy(l->before_status, sizeof(l->before_status), st, 4);
        cpy(l->before_category, sizeof(l->before_category), st, 5);
    }
    nt_db_finalize(st);
    return err;
}
#undef LAST_DECISION

/* Why `u` may not undo `l` at `now` (NULL: they may), and when they could
 * until. */
static const char *undo_refusal(const struct nt_user *u, const struct item *it,
                                const struct last_decision *l, time_t now, char until[32])
{
    time_t at;
    until[0] = '\0';
    if (!l->id || strcmp(l->decision, "undo") == 0)
        return "tidak ada keputusan yang dapat dibatalkan";
    if (l->user_id != u->id)
        return "keputusan terakhir dibuat pengguna lain";
    if (!nt_time_parse(l->at, &at) || now - at > NT_UNDO_SECONDS || now < at)
        return "batas waktu pembatalan sudah lewat";
    if (strcmp(it->status, "confirmed") == 0)
        return "konfirmasi akhir sudah menjadi temuan kasus; tarik lewat kasusnya";
    if (!l->has_before)
        return "keadaan butir sebelum keputusan itu tidak tercatat";
    nt_time_iso(at + NT_UNDO_SECONDS, until, 32);
    return NULL;
}

bool nt_rv_undoable(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                    int64_t *decision, char until[32])
{
    struct item it;
    struct last_decision l;
    if (load_item(s, u, id, false, &it, NULL) != NT_OK || last_decision(s, id, &l, NULL) != NT_OK ||
        undo_refusal(u, &it, &l, now, until))
        return false;
    *decision = l.id;
    return true;
}

enum nt_err nt_item_undo(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                         json_t **out, struct nt_diag *d)
{
    struct item it;
    struct last_decision l;
    struct nt_db_stmt *ins = NULL;
    char at[32], oid[32], until[32], reason[64];
    int64_t undo_id = 0;
    enum nt_err err = nt_user_require(u, STAFF, "membatalkan keputusan", d);
    if (err)
        return err;
    err = nt_store_begin(s, d);
    if (!err)
        err = load_item(s, u, id, true, &it, d);
    if (!err)
        err = last_decision(s, id, &l, d);
    const char *why = err ? NULL : undo_refusal(u, &it, &l, now, until);
    if (why)
        err = nt_diag_set(d, NT_ECONFLICT, "butir #%lld: %s", (long long)id, why);
    const char *category = l.before_category[0] ? l.before_category : NULL;
    nt_time_iso(now, at, sizeof(at));
    snprintf(reason, sizeof(reason), "membatalkan keputusan #%lld", (long long)l.id);
    if (!err)
        err = nt_db_prepare_insert(nt_store_dbh(s),
                                   "INSERT INTO decisions(item_id, user_id, decision, category, "
                                   "reason, decided_at, undoes) "
                                   "VALUES (?1, ?2, 'undo', ?3, ?4, ?5, ?6)",
                                   &ins, d);
    if (!err) {
        nt_db_bind_int64(ins, 1, id);
        nt_db_bind_int64(ins, 2, u->id);
        nt_db_bind_text(ins, 3, category);
        nt_db_bind_text(ins, 4, reason);
        nt_db_bind_text(ins, 5, at);
        nt_db_bind_int64(ins, 6, l.id);
        err = nt_db_insert(ins, &undo_id, d);
    }
    if (!err)
        err = set_state(s, id, l.before_status, category, at, d);
    nt_db_finalize(ins);
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (!err)
        err = nt_audit_append(
            s, u->name, "item.undo", "item", oid, json_pack("{s:s}", "status", it.status),
            json_pack("{s:s, s:I, s:s, s:I, s:o, s:n, s:s}", "status", l.before_status,
                      "decision_id", (json_int_t)undo_id, "decision", "undo", "undoes",
                      (json_int_t)l.id, "category", category ? json_string(category) : json_null(),
                      "reason_code", "reason", reason),
            now, d);
    err = nt_rv_finish(s, err, d);
    if (!err && out)
        *out = json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "status", l.before_status,
                         "undone", (json_int_t)l.id);
    return err;
}

enum nt_err nt_item_decide(struct nt_store *s, const struct nt_user *u, int64_t id,
                           const struct nt_decision *dec, time_t now, json_t **out,
                           struct nt_diag *d)
{
    return nt_items_decide(s, u, &id, 1, dec, now, out, d);
}

enum nt_err nt_items_decide(struct nt_store *s, const struct nt_user *u, const int64_t *ids,
                            size_t n, const struct nt_decision *dec, time_t now, json_t **out,
                            struct nt_diag *d)
{
    struct nt_review_config cfg;
    enum nt_err err = nt_user_require(u, STAFF, "memutuskan butir", d);
    if (err)
        return err;
    if (n == 0 || n > NT_DECIDE_MAX)
        return nt_diag_set(d, NT_EINPUT, "sebutkan 1..%d butir", NT_DECIDE_MAX);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (ids[i] == ids[k])
                return nt_diag_set(d, NT_EINPUT, "butir #%lld disebut dua kali", (long long)ids[i]);
    err = nt_review_config_load(s, &cfg, d);
    if (err)
        return err;
    json_t *all = n > 1 ? json_array() : NULL, *one = NULL;
    err = nt_store_begin(s, d);
    for (size_t i = 0; i < n && !err; i++) {
        one = NULL;
        err = decide_one(s, u, &cfg, ids[i], dec, now, out ? &one : NULL, d);
        if (!err && all)
            json_array_append_new(all, one);
    }
    nt_review_config_release(&cfg);
    /* Every item or none: each keeps its own decision and audit row. */
    err = nt_rv_finish(s, err, d);
    if (err) {
        json_decref(all);
        json_decref(n > 1 ? NULL : one);
        return err;
    }
    if (out)
        *out = n > 1 ? json_pack("{s:o}", "items", all) : one;
    else
        json_decref(all);
    return NT_OK;
}

enum nt_err nt_item_same_text(struct nt_store *s, const struct nt_user *u, int64_t id, json_t **out,
                              struct nt_diag *d)
{
    struct item it;
    enum nt_err err = nt_user_require(u, STAFF, "melihat antrean", d);
    if (!err)
        err = load_item(s, u, id, false, &it, d);
    if (err)
        return err;
    struct nt_db_stmt *st = NULL;
    err = nt_db_prepare(
        nt_store_dbh(s),
        "SELECT i.id, i.status, e.name, v.content_sha256 = (SELECT content_sha256 FROM "
        "post_versions WHERE id = ?1) FROM review_items i JOIN scores sc ON sc.id = i.score_id "
        "JOIN post_versions v ON v.id = sc.version_id JOIN employees e ON e.id = i.employee_id "
        "WHERE i.id IN (SELECT i2.id FROM review_items i2 JOIN scores s2 ON s2.id = i2.score_id "
        "JOIN post_versions v2 ON v2.id = s2.version_id WHERE v2.content_sha256 = "
        "(SELECT content_sha256 FROM post_versions WHERE id = ?1) "
        "UNION SELECT i3.id FROM review_items i3 WHERE i3.text_key = "
        "(SELECT text_key FROM review_items WHERE id = ?2)) "
        "AND i.id != ?2 AND (i.status IN ('pending', 'awaiting_second') "
        "OR (i.status = 'escalated' AND ?3 = 1)) "
        "ORDER BY i.id LIMIT 200",
        &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, it.version_id);
    nt_db_bind_int64(st, 2, id);
    /* Only what this user may decide: escalated items are the bosses'. */
    nt_db_bind_int64(st, 3, sees_escalations(u));
    struct nt_review_config cfg;
    err = nt_review_config_load(s, &cfg, d);
    bool loaded = !err;
    json_t *a = json_array();
    while (!err && nt_db_next(st, &err, d)) {
        /* Another agency's items do not exist for this user. */
        int64_t other = nt_db_int64(st, 0);
        struct item o;
        if (load_item(s, u, other, false, &o, NULL) != NT_OK)
            continue;
        json_t *who;
        if (cfg.pseudonymous) {
            char p[32];
            err = nt_rv_pseudonym(s, o.employee_id, p, d);
            who = json_string(p);
        } else {
            who = nt_rv_col(st, 2);
        }
        json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:s, s:b}", "id", (json_int_t)other,
                                           "status", nt_rv_col(st, 1), "employee", who, "agency",
                                           o.agency, "exact", nt_db_int64(st, 3)));
    }
    nt_db_finalize(st);
    if (loaded)
        nt_review_config_release(&cfg);
    if (err) {
        json_decref(a);
        return err;
    }
    *out = a;
    return NT_OK;
}
