/*
 * scan.c - scoring stored posts: the scan job (batches of unscored post
 * versions, one transaction per batch) and the writer the crawler and
 * ingest call inside their own transaction as each version is stored. Both
 * write the same rows: scores, hits, review items.
 */
#include "scan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "explain.h"
#include "review.h"

#define BATCH 20000

struct todo {
    int64_t version_id, post_id;
    char *text;
    size_t len;
    char region[16];
    time_t at;
    char *agency; /* the employee's, for entry_counts */
    char day[16]; /* the post's date, YYYY-MM-DD, for entry_counts */
    bool has_row; /* a score of this lexicon version exists (a rescan, or a
                   * post that once reached the queue): rewritten even at none */
    /* text is the caption (caption_len bytes), then, each after a blank
     * line, the attachments' alt text and the text read in their images:
     * scored as one post, each hit put back in the part it came from. */
    size_t caption_len;
    /* A follow (crawler/follows.c): the followed account's key and handle,
     * and the platform, for the lexicon's campaign accounts. */
    bool follow;
    char interaction[16]; /* post, repost, reply, quote, follow */
    char platform[16];
    char *target, *handle;
    struct segment {
        int64_t attachment; /* post_media.id */
        bool ocr;           /* the image's text; false: the alt text */
        size_t start, end;  /* in text */
    } * segs;
    size_t nsegs;
};

static void todo_release(struct todo *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].text);
        free(t[i].agency);
        free(t[i].segs);
        free(t[i].target);
        free(t[i].handle);
    }
}

/* The attachments' text after the caption: the alt text and what the OCR
 * stage read, attachment by attachment (a purged image's text is gone). */
static enum nt_err todo_media(struct nt_store *s, struct todo *t, struct nt_diag *d)
{
    struct nt_db_stmt *st;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "SELECT pm.id, pm.alt, m.ocr_text FROM post_media pm LEFT JOIN media m ON "
        "m.id = pm.media_id AND m.purged_at IS NULL WHERE pm.post_id = ?1 ORDER BY pm.seq",
        &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, t->post_id);
    while (!err && nt_db_next(st, &err, d)) {
        for (int col = 1; col <= 2 && !err; col++) {
            const char *v = nt_db_text(st, col);
            size_t n = v ? strlen(v) : 0;
            if (!v || !n)
                continue;
            char *text = realloc(t->text, t->len + 2 + n + 1);
            struct segment *segs = realloc(t->segs, (t->nsegs + 1) * sizeof(*segs));
            if (text)
                t->text = text;
            if (segs)
                t->segs = segs;
            if (!text || !segs) {
                err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
                break;
            }
            memcpy(t->text + t->len, "\n\n", 2);
            memcpy(t->text + t->len + 2, v, n);
            t->segs[t->nsegs++] =
                (struct segment){ nt_db_int64(st, 0), col == 2, t->len + 2, t->len + 2 + n };
            t->len += 2 + n;
            t->text[t->len] = '\0';
        }
    }
    nt_db_finalize(st);
    return err;
}

/* A version to score with its employee's region and agency, its date, and
 * whether lexicon version ?3 scored it before. The day: SQLite's date();
 * the first ten characters on PostgreSQL (the times Netra stores are UTC
 * ISO text, where the two agree). */
#define TODO_SELECT_DAY(DAY)                                                                       \
    "SELECT v.id, v.post_id, v.text, e.region_code, p.posted_at, e.agency, " DAY                   \
    ", EXISTS (SELECT 1 FROM scores sc "                                                           \
    "WHERE sc.version_id = v.id AND sc.lexicon_id = ?3), EXISTS (SELECT 1 FROM post_media pm "     \
    "WHERE pm.post_id = v.post_id AND (pm.alt IS NOT NULL OR pm.media_id IS NOT NULL)), "          \
    "p.interaction, substr(p.remote_id, 8), p.author, a.platform "                                 \
    "FROM post_versions v "                                                                        \
    "JOIN posts p ON p.id = v.post_id JOIN accounts a ON a.id = p.account_id "                     \
    "JOIN employees e ON e.id = a.employee_id WHERE v.text IS NOT NULL "
#define DAY_SQLITE "date(COALESCE(p.posted_at, p.first_seen_at))"
#define DAY_PG     "substr(COALESCE(p.posted_at, p.first_seen_at), 1, 10)"

/* The versions a scan still has to score: past ?1, the mark of the pair
 * (scan_progress); and one version (the writer's, inside a transaction). */
#define SELECT_SQL(DAY) TODO_SELECT_DAY(DAY) "AND v.id > ?1 ORDER BY v.id LIMIT ?2"
#define ONE_SQL(DAY)    TODO_SELECT_DAY(DAY) "AND v.id = ?1"
/* ?3 is named by both (the lexicon version). */
static const char count_sql[] = "SELECT count(*) FROM post_versions v "
                                "WHERE v.text IS NOT NULL AND v.id > ?1";
static const char progress_sql[] =
    "SELECT upto FROM scan_progress WHERE lexicon_id = ?1 AND model_id = ?2";

/* A row of select_sql or one_sql (text copied: the row goes on), with
 * its attachments' text read from `s`. */
static enum nt_err todo_read(struct nt_store *s, struct nt_db_stmt *st, struct todo *t,
                             struct nt_diag *d)
{
    memset(t, 0, sizeof(*t));
    t->version_id = nt_db_int64(st, 0);
    t->post_id = nt_db_int64(st, 1);
    size_t len = 0;
    const char *text = nt_db_blob(st, 2, &len); /* the bytes as stored, a NUL among them too */
    t->len = text ? len : 0;
    t->text = malloc(t->len + 1);
    if (!t->text)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    memcpy(t->text, text ? text : "", t->len);
    t->text[t->len] = '\0';
    const char *reg = nt_db_text(st, 3);
    snprintf(t->region, sizeof(t->region), "%s", reg ? reg : "");
    const char *at = nt_db_text(st, 4);
    if (!at || !nt_time_parse(at, &t->at))
        t->at = 0;
    const char *ag = nt_db_text(st, 5), *day = nt_db_text(st, 6);
    t->agency = strdup(ag ? ag : "");
    snprintf(t->day, sizeof(t->day), "%s", day ? day : "");
    t->has_row = nt_db_int64(st, 7) != 0;
    t->caption_len = t->len;
    const char *how = nt_db_text(st, 9);
    snprintf(t->interaction, sizeof(t->interaction), "%s", how ? how : "post");
    t->follow = strcmp(t->interaction, "follow") == 0;
    const char *plat = nt_db_text(st, 12);
    snprintf(t->platform, sizeof(t->platform), "%s", plat ? plat : "");
    if (t->follow) {
        const char *tg = nt_db_text(st, 10), *hd = nt_db_text(st, 11);
        t->target = strdup(tg ? tg : "");
        t->handle = strdup(hd ? hd : "");
        if (!t->target || !t->handle)
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    if (!t->agency)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    return nt_db_int64(st, 8) ? todo_media(s, t, d) : NT_OK;
}

static enum nt_err load_batch(struct nt_store *s, int64_t after, int64_t lexicon_id,
                              struct todo *out, size_t *n, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err =
        nt_db_prepare_for(nt_store_dbh(s), SELECT_SQL(DAY_SQLITE), SELECT_SQL(DAY_PG), &st, d);
    if (err)
        return err;
    nt_db_bind_int64(st, 1, after);
    nt_db_bind_int64(st, 2, BATCH);
    nt_db_bind_int64(st, 3, lexicon_id);
    *n = 0;
    while (!err && nt_db_next(st, &err, d)) {
        err = todo_read(s, st, &out[*n], d);
        (*n)++; /* released by the caller, whole or not */
    }
    nt_db_finalize(st);
    return err;
}

/* scan_progress's row for the writer's pair: ?1 lexicon, ?2 model (0:
 * the bundled one or none), ?3 the version scored up to, ?4 the model's
 * version, ?5 the slang list's hash, ?6 now. */
#define PROGRESS_SQL(WHERE)                                                                        \
    "INSERT INTO scan_progress(lexicon_id, model_id, upto, model_version, slang_sha256, "          \
    "updated_at) SELECT CAST(?1 AS BIGINT), CAST(?2 AS BIGINT), CAST(?3 AS BIGINT), "              \
    "CAST(?4 AS TEXT), CAST(?5 AS TEXT), CAST(?6 AS TEXT) " WHERE                                  \
    " ON CONFLICT(lexicon_id, model_id) DO UPDATE SET"
#define PROGRESS_SET                                                                               \
    " model_version = excluded.model_version, slang_sha256 = excluded.slang_sha256, "              \
    "updated_at = excluded.updated_at"

/* What every score write needs: statements prepared once, the scanner,
 * the versions that score, and the counts. */
struct nt_scan_writer {
    struct nt_store *s;
    const struct nt_matcher *m;
    const struct nt_scan_stage *stage;
    int64_t lexicon_id;
    struct nt_scanner *sc;
    struct nt_db_stmt *score, *clear, *hit, *one;
    struct nt_db_stmt *advance, *follow;  /* scan_progress: after a batch, after one version */
    struct nt_db_stmt *uncount, *count;   /* entry_counts, schema 20 */
    struct nt_db_stmt *decided, *recount; /* entry_decided, schema 21 */
    struct nt_enqueue *item;
    bool in_unit; /* versions scored one by one since the caller's last commit */
    char now[32];
    struct nt_scan_stats stats;
    /* Weighed hits written and not yet in entry_counts: counted together
     * when the batch (or the single version) is written, one row per
     * entry, agency and day instead of one statement per hit. */
    struct tally {
        const char *entry, *agency, *day; /* borrowed: the lexicon's, the batch's */
    } * tally;
    size_t ntally, tally_cap;
};

static int tally_cmp(const void *a, const void *b)
{
    const struct tally *x = a, *y = b;
    int c = strcmp(x->entry, y->entry);
    if (!c)
        c = strcmp(x->agency, y->agency);
    return c ? c : strcmp(x->day, y->day);
}

/* The tallied hits into entry_counts; the tally is empty after. */
static enum nt_err tally_flush(struct nt_scan_writer *w, struct nt_diag *d)
{
    if (w->ntally > 1)
        qsort(w->tally, w->ntally, sizeof(*w->tally), tally_cmp);
    enum nt_err err = NT_OK;
    for (size_t i = 0, j; i < w->ntally && !err; i = j) {
        for (j = i + 1; j < w->ntally && tally_cmp(&w->tally[i], &w->tally[j]) == 0; j++)
            ;
        nt_db_bind_int64(w->count, 1, w->lexicon_id);
        nt_db_bind_text(w->count, 2, w->tally[i].entry);
        nt_db_bind_text(w->count, 3, w->tally[i].agency);
        nt_db_bind_text(w->count, 4, w->tally[i].day);
        nt_db_bind_int64(w->count, 5, (int64_t)(j - i));
        err = nt_db_run(w->count, d);
    }
    w->ntally = 0;
    return err;
}

static enum nt_err tally_add(struct nt_scan_writer *w, const char *entry, const struct todo *t,
                             struct nt_diag *d)
{
    if (w->ntally == w->tally_cap) {
        size_t cap = w->tally_cap ? w->tally_cap * 2 : 4096;
        struct tally *p = realloc(w->tally, cap * sizeof(*p));
        if (!p)
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        w->tally = p;
        w->tally_cap = cap;
    }
    w->tally[w->ntally++] = (struct tally){ entry, t->agency, t->day };
    return NT_OK;
}

/* ?1 the lexicon version, ?3 the agency, ?4 the day of an entry_counts
 * statement. */
static void bind_place(struct nt_db_stmt *st, const struct nt_scan_writer *w, const struct todo *t)
{
    nt_db_bind_int64(st, 1, w->lexicon_id);
    nt_db_bind_text(st, 3, t->agency);
    nt_db_bind_text(st, 4, t->day);
}

/* A decided item's weighed entries in or out of entry_decided (`sign`). */
static enum nt_err recount(struct nt_scan_writer *w, const struct todo *t, int64_t score_id,
                           const char *status, int sign, struct nt_diag *d)
{
    bind_place(w->recount, w, t);
    nt_db_bind_int64(w->recount, 5, score_id);
    nt_db_bind_text(w->recount, 6, status);
    nt_db_bind_int64(w->recount, 7, sign);
    return nt_db_run(w->recount, d);
}

/* What a score at level none keeps of its explanation: both levels and the
 * stance stage's verdict without its evidence (model version, skipped or
 * P(side) and side). */
static json_t *compact_explanation(json_t *ex, enum nt_level level, const struct nt_result *r)
{
    static const char *const keep[] = { "model_version", "skipped", "p_side", "side" };
    json_t *o = json_pack("{s:s, s:s}", "level", nt_level_name(level), "lexicon_level",
                          nt_level_name(r->level));
    json_t *st = json_object_get(ex, "stance");
    if (o && json_is_object(st)) {
        json_t *c = json_object();
        for (size_t i = 0; c && i < sizeof(keep) / sizeof(keep[0]); i++)
            if (json_object_get(st, keep[i]))
                json_object_set(c, keep[i], json_object_get(st, keep[i]));
        json_object_set_new(o, "stance", c ? c : json_null());
    }
    return o;
}

/* A hit as a row (at review or above): names borrowed from the lexicon;
 * start and end in its part of the post (the caption, an alt text, an
 * image's text), at and to in the scored text. */
struct hit_row {
    const char *entry_id, *kind, *rule;
    uint32_t start, end, at, to;
    double weight;
    const struct segment *seg; /* NULL: the caption */
    int line;                  /* 1-based, in seg */
};

/* The attachment part that byte `off` of t->text is in; NULL: the caption. */
static const struct segment *segment_of(const struct todo *t, size_t off)
{
    for (size_t i = t->nsegs; off >= t->caption_len && i-- > 0;)
        if (off >= t->segs[i].start)
            return &t->segs[i];
    return NULL;
}

static const char *segment_source(const struct segment *g)
{
    return g->ocr ? "ocr" : "alt";
}

/* Where a hit at [start, end) of t->text is: its part, its span there, and
 * its line (1-based). */
static void locate(const struct todo *t, size_t start, size_t end, const struct segment **seg,
                   uint32_t *s, uint32_t *e, int *line)
{
    const struct segment *g = segment_of(t, start);
    size_t base = g ? g->start : 0, stop = g ? g->end : t->caption_len;
    *seg = g;
    *s = (uint32_t)(start - base);
    *e = (uint32_t)((end < stop ? end : stop) - base);
    *line = 1;
    for (size_t i = base; g && i < start; i++)
        *line += t->text[i] == '\n';
}

/* One post scored, ready to be written: what the scoring half made of it,
 * owning its strings, so that scoring (one thread) and writing (another)
 * share nothing but this. */
struct scored {
    bool write; /* a score row to write: review or above, or a row to rewrite */
    enum nt_level level;
    double score, p_side; /* p_side -1: the stage did not run */
    char *cats, *cons, *exs;
    struct hit_row *hits;
    size_t nhits;
    const char *category; /* the queue's SKB code (borrowed), NULL for none */
    char key[NT_TEXT_KEY_LEN + 1];
};

static void scored_release(struct scored *o)
{
    free(o->cats);
    free(o->cons);
    free(o->exs);
    free(o->hits);
    memset(o, 0, sizeof(*o));
}

/* A follow of one of the lexicon's campaign accounts (by its key or its
 * handle): the entry, and the account's span in the follow's text; -1 for
 * any other account. */
static int follow_entry(const struct nt_lex *lex, const struct todo *t, uint32_t *start,
                        uint32_t *end)
{
    const char *keys[] = { t->target, t->handle };
    for (size_t i = 0; i < 2; i++) {
        int e = keys[i] && *keys[i] ? nt_lex_find_account(lex, t->platform, keys[i]) : -1;
        const char *at = e >= 0 ? strstr(t->text, keys[i]) : NULL;
        if (e < 0)
            continue;
        *start = at ? (uint32_t)(at - t->text) : 0;
        *end = at ? *start + (uint32_t)strlen(keys[i]) : 0;
        return e;
    }
    return -1;
}

/* The follow's verdict in the explanation: SKB form 2 (ENGAGE), the
 * account's contestant, and the account (its hit is a row, the last). */
static void explain_follow(json_t *ex, const struct nt_lex *lex, int entry, uint32_t start,
                           uint32_t end, const char *text)
{
    const struct nt_lex_entry *e = &lex->entries[entry];
    json_t *cats = json_object_get(ex, "categories"), *cons = json_object_get(ex, "contestants");
    json_array_insert_new(cats, 0, json_string("ENGAGE"));
    if (e->refers_to)
        json_array_append_new(cons, json_string(e->refers_to));
    json_object_set_new(ex, "follow",
                        json_pack("{s:s%, s:s}", "account", text + start, (size_t)(end - start),
                                  "form", "mengikuti akun kampanye (SKB 2022 bentuk 2)"));
}

/* How the SKB weighs what the author did with another's post (form 2:
 * posting, commenting, sharing): what is scored, and what it is when it
 * reaches the queue. */
static const struct engagement {
    const char *interaction, *reading;
} engagements[] = {
    { "repost", "membagikan unggahan orang lain: yang dibagikan dinilai seperti unggahan sendiri; "
                "membagikan konten kampanye termasuk bentuk 2 (ENGAGE)" },
    { "reply", "membalas unggahan orang lain: yang dinilai kata-kata balasannya sendiri; balasan "
               "yang berpihak termasuk bentuk 2 (mengomentari), balasan yang menolak ajakan atau "
               "mengingatkan netralitas tidak" },
    { "quote", "mengutip unggahan orang lain dengan komentar: yang dinilai komentarnya; komentar "
               "yang berpihak termasuk bentuk 2" },
};

static const struct engagement *engagement_of(const struct todo *t)
{
    for (size_t i = 0; i < sizeof(engagements) / sizeof(engagements[0]); i++)
        if (strcmp(t->interaction, engagements[i].interaction) == 0)
            return &engagements[i];
    return NULL;
}

/* The scoring half: the lexicon, the stance stage, and for a post that
 * writes a row its explanation, hits and queue key. Touches the scanner
 * and the stage, never the store. */
static enum nt_err score_post(struct nt_scan_writer *w, const struct todo *t, struct scored *o,
                              struct nt_diag *d)
{
    const struct nt_scan_stage *stage = w->stage;
    const struct nt_lex *lex = nt_match_lexicon(w->m);
    const struct nt_result *r;
    struct nt_scan_ctx ctx = { t->region[0] ? t->region : NULL, t->at };
    memset(o, 0, sizeof(*o));
    enum nt_err err = nt_scan(w->sc, t->text, t->len, &ctx, &r);
    if (err)
        return nt_diag_set(d, err, "menilai unggahan gagal");
    o->level = r->level;
    o->score = r->score;
    o->p_side = -1.0;
    /* A follow takes no stance in words: following a campaign account is
     * the form itself (review at least), any other follow is what its
     * account's name says to the lexicon. */
    uint32_t fstart = 0, fend = 0;
    int fentry = t->follow ? follow_entry(lex, t, &fstart, &fend) : -1;
    if (fentry >= 0 && o->level < NT_LEVEL_REVIEW)
        o->level = NT_LEVEL_REVIEW;
    if (fentry >= 0 && o->score < lex->review)
        o->score = lex->review;
    const struct nt_scan_stage *words = t->follow ? NULL : stage;
    /* The level first, without an explanation: most posts stop here. */
    if (words && words->run &&
        (err = words->run(words->ctx, w->sc, t->text, t->len, r, &o->level, &o->p_side, NULL)))
        return nt_diag_set(d, err, "tahap sikap gagal");
    /* A reply answers someone: its names and numbers may be the other
     * post's. Without the stance stage to read whether the reply itself
     * takes a side, the lexicon alone does not make it a priority. */
    const struct engagement *eng = engagement_of(t);
    bool capped = eng && !strcmp(eng->interaction, "reply") && !(words && words->run) &&
                  o->level == NT_LEVEL_PRIORITY;
    if (capped)
        o->level = NT_LEVEL_REVIEW;
    o->write = o->level != NT_LEVEL_NONE || t->has_row;
    if (!o->write)
        return NT_OK;
    /* The verdict without its hits: they are rows (below), which the item
     * page, the CLI and the dossier read, each with its part of the post
     * (caption, alt text, an image's text) and its line there. */
    json_t *ex = nt_match_explain_verdict(w->m, r);
    if (!ex)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    if (fentry >= 0) {
        explain_follow(ex, lex, fentry, fstart, fend, t->text);
        json_object_set_new(ex, "lexicon_level", json_string(nt_level_name(r->level)));
        json_object_set_new(ex, "level", json_string(nt_level_name(o->level)));
        json_object_set_new(ex, "score", json_real(o->score));
    }
    if (words && words->run) {
        /* Again with the evidence named: the same features, the same level. */
        err = words->run(words->ctx, w->sc, t->text, t->len, r, &o->level, &o->p_side, ex);
        if (err) {
            json_decref(ex);
            return nt_diag_set(d, err, "tahap sikap gagal");
        }
        json_object_set_new(ex, "lexicon_level", json_string(nt_level_name(r->level)));
        json_object_set_new(ex, "level", json_string(nt_level_name(o->level)));
    }
    if (eng) {
        json_object_set_new(ex, "engagement",
                            json_pack("{s:s, s:s, s:b}", "interaction", eng->interaction, "reading",
                                      eng->reading, "capped", capped));
        if (capped)
            json_object_set_new(ex, "level", json_string(nt_level_name(o->level)));
    }
    o->cats = json_dumps(json_object_get(ex, "categories"), JSON_COMPACT);
    o->cons = json_dumps(json_object_get(ex, "contestants"), JSON_COMPACT);
    /* A score row at level none (a post that reached the queue before, or
     * a rescan) keeps its level and the lexicon's, not the whole
     * explanation: nobody reads it (items show theirs; `netra match`
     * explains any text again). Its old hits go, no new ones come. */
    json_t *kept =
        o->level != NT_LEVEL_NONE ? json_incref(ex) : compact_explanation(ex, o->level, r);
    /* Ten significant digits: every stored weight and probability is
     * rounded far coarser, and a double's seventeen digits ("0.9945000000000
     * 0005") were a tenth of the document. */
    o->exs = kept ? json_dumps(kept, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
                  : NULL;
    json_decref(kept);
    json_decref(ex);
    if (!o->cats || !o->cons || !o->exs)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    if (o->level == NT_LEVEL_NONE)
        return NT_OK;
    /* Hits are rows only where a reviewer reads them: at review or above. */
    o->hits = calloc(r->nhits + 1, sizeof(*o->hits));
    if (!o->hits)
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        const struct nt_lex_entry *e = &lex->entries[h->entry];
        struct hit_row *row = &o->hits[o->nhits++];
        row->entry_id = e->id;
        row->kind = nt_lex_kind_name(e->kind);
        for (size_t k = 0; k < r->nfired && !row->rule; k++)
            for (size_t j = 0; j < r->fired[k].nhits && !row->rule; j++)
                if (r->fired[k].hits[j] == i)
                    row->rule = lex->rules[r->fired[k].rule].id;
        row->at = h->start;
        row->to = h->end;
        locate(t, h->start, h->end, &row->seg, &row->start, &row->end, &row->line);
        row->weight = h->counted ? e->weight : 0.0;
    }
    if (fentry >= 0) {
        const struct nt_lex_entry *e = &lex->entries[fentry];
        o->hits[o->nhits++] = (struct hit_row){ .entry_id = e->id,
                                                .kind = nt_lex_kind_name(e->kind),
                                                .start = fstart,
                                                .end = fend,
                                                .at = fstart,
                                                .to = fend,
                                                .weight = e->weight };
    }
    /* A post taking a side with no rule fired is a social-media post in
     * support of (or against) a contestant: MEDSOS. A follow of a campaign
     * account, a share or a reply that takes a side is form 2: ENGAGE. */
    /* Sharing or answering with a campaign post's words is form 2 rather
     * than posting them (MEDSOS); a specific form (KTP, APK) stays. */
    bool engages = eng && strcmp(eng->interaction, "quote") != 0 &&
                   (!r->ncategories || strcmp(r->categories[0], "MEDSOS") == 0);
    o->category = fentry >= 0 || engages ? "ENGAGE"
                  : r->ncategories       ? r->categories[0]
                  : stage                ? "MEDSOS"
                                         : NULL;
    err = nt_norm_text_key(nt_scanner_text(w->sc), o->key);
    return err ? nt_diag_set(d, err, "memori tidak cukup") : NT_OK;
}

/* The writing half: the score row, its hits and their counts, the queue.
 * Only the store. */
static enum nt_err write_post(struct nt_scan_writer *w, const struct todo *t,
                              const struct scored *o, struct nt_diag *d)
{
    const struct nt_scan_stage *stage = w->stage;
    w->stats.scanned++;
    w->stats.levels[o->level]++;
    if (!o->write)
        return NT_OK;
    nt_db_bind_int64(w->score, 1, t->version_id);
    nt_db_bind_int64(w->score, 2, w->lexicon_id);
    nt_db_bind_double(w->score, 3, o->score);
    nt_db_bind_text(w->score, 4, nt_level_name(o->level));
    nt_db_bind_text(w->score, 5, o->cats);
    nt_db_bind_text(w->score, 6, o->cons);
    nt_db_bind_text(w->score, 7, o->exs);
    nt_db_bind_text(w->score, 8, w->now);
    if (stage && stage->model_id)
        nt_db_bind_int64(w->score, 9, stage->model_id);
    else
        nt_db_bind_null(w->score, 9);
    nt_db_bind_text(w->score, 10, stage ? stage->slang_sha256 : NULL);
    if (o->p_side >= 0.0)
        nt_db_bind_double(w->score, 11, o->p_side);
    else
        nt_db_bind_null(w->score, 11);
    enum nt_err err = NT_OK;
    int64_t score_id = nt_db_next(w->score, &err, d) ? nt_db_int64(w->score, 0) : 0;
    nt_db_reset(w->score);
    if (!err && !score_id)
        err = nt_diag_set(d, NT_EDB, "menyimpan skor gagal");
    if (err)
        return err;
    char decided[16] = "";
    if (t->has_row) {
        /* The hits a rescore replaces leave entry_counts, and a decided
         * item on this score (a rescan rewrites the hits of the score it
         * was decided on) leaves entry_decided until the new hits are in. */
        bind_place(w->uncount, w, t);
        nt_db_bind_int64(w->uncount, 5, score_id);
        if ((err = nt_db_run(w->uncount, d)) != NT_OK)
            return err;
        nt_db_bind_int64(w->decided, 1, t->post_id);
        nt_db_bind_int64(w->decided, 2, score_id);
        if (nt_db_next(w->decided, &err, d) && nt_db_text(w->decided, 0))
            snprintf(decided, sizeof(decided), "%s", nt_db_text(w->decided, 0));
        nt_db_reset(w->decided);
        if (!err && *decided)
            err = recount(w, t, score_id, decided, -1, d);
        nt_db_bind_int64(w->clear, 1, score_id);
        if (!err)
            err = nt_db_run(w->clear, d);
        if (err)
            return err;
    }
    for (size_t i = 0; i < o->nhits && !err; i++) {
        const struct hit_row *h = &o->hits[i];
        nt_db_bind_int64(w->hit, 1, score_id);
        nt_db_bind_text(w->hit, 2, h->entry_id);
        nt_db_bind_text(w->hit, 3, h->kind);
        nt_db_bind_text(w->hit, 4, h->rule);
        nt_db_bind_int64(w->hit, 5, h->start);
        nt_db_bind_int64(w->hit, 6, h->end);
        nt_db_bind_text_n(w->hit, 7, t->text + h->at, h->to - h->at);
        nt_db_bind_double(w->hit, 8, h->weight);
        if (h->seg) {
            nt_db_bind_text(w->hit, 9, segment_source(h->seg));
            nt_db_bind_int64(w->hit, 10, h->seg->attachment);
            nt_db_bind_int64(w->hit, 11, h->line);
        } else {
            for (int k = 9; k <= 11; k++)
                nt_db_bind_null(w->hit, k);
        }
        err = nt_db_run(w->hit, d);
        if (!err && h->weight > 0)
            err = tally_add(w, h->entry_id, t, d);
    }
    if (!err && *decided)
        err = recount(w, t, score_id, decided, 1, d);
    if (err || o->level < NT_LEVEL_REVIEW)
        return err;
    /* The model's confidence orders posts of one level (0..10 points). */
    double score = o->score + (o->p_side >= 0.0 ? 10.0 * o->p_side : 0.0);
    bool changed = false;
    err = nt_review_enqueue(w->item, t->post_id, score_id, o->level, score, o->category, o->key,
                            t->text, t->caption_len, w->now, &changed, d);
    w->stats.queued += changed;
    return err;
}

/* Both halves for one version, on the caller's thread. */
static enum nt_err score_todo(struct nt_scan_writer *w, const struct todo *t, struct nt_diag *d)
{
    struct scored o;
    enum nt_err err = score_post(w, t, &o, d);
    if (!err)
        err = write_post(w, t, &o, d);
    if (!err)
        err = tally_flush(w, d);
    w->ntally = 0;
    scored_release(&o);
    return err;
}

void nt_scan_writer_close(struct nt_scan_writer *w)
{
    if (!w)
        return;
    nt_db_finalize(w->score);
    nt_db_finalize(w->clear);
    nt_db_finalize(w->uncount);
    nt_db_finalize(w->count);
    free(w->tally);
    nt_db_finalize(w->decided);
    nt_db_finalize(w->recount);
    nt_db_finalize(w->hit);
    nt_db_finalize(w->one);
    nt_db_finalize(w->advance);
    nt_db_finalize(w->follow);
    nt_review_enqueue_close(w->item);
    nt_scanner_free(w->sc);
    free(w);
}

enum nt_err nt_scan_writer_open(struct nt_store *s, const struct nt_matcher *m, int64_t lexicon_id,
                                const struct nt_scan_stage *stage, time_t now,
                                struct nt_scan_writer **out, struct nt_diag *d)
{
    struct nt_scan_writer *w = calloc(1, sizeof(*w));
    if (!w || nt_scanner_new(m, &w->sc) != NT_OK) {
        free(w);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    w->s = s;
    w->m = m;
    w->stage = stage;
    w->lexicon_id = lexicon_id;
    nt_time_iso(now, w->now, sizeof(w->now));
    struct nt_db *db = nt_store_dbh(s);
    enum nt_err err =
        nt_db_prepare(db,
                      "INSERT INTO scores(version_id, lexicon_id, score, level, categories, "
                      "contestants, explanation, scored_at, model_id, slang_sha256, p_side) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                      "ON CONFLICT(version_id, lexicon_id) DO UPDATE SET "
                      "score = excluded.score, level = excluded.level, "
                      "categories = excluded.categories, contestants = excluded.contestants, "
                      "explanation = excluded.explanation, scored_at = excluded.scored_at, "
                      "model_id = excluded.model_id, slang_sha256 = excluded.slang_sha256, "
                      "p_side = excluded.p_side "
                      "RETURNING id",
                      &w->score, d);
    if (!err)
        err = nt_db_prepare(db, "DELETE FROM hits WHERE score_id = ?1", &w->clear, d);
    /* The parameters in the SELECT lists cast: PostgreSQL types them there. */
    if (!err)
        err = nt_db_prepare(db,
                            "INSERT INTO entry_counts(lexicon_id, entry_id, agency, day, n) "
                            "SELECT CAST(?1 AS BIGINT), entry_id, CAST(?3 AS TEXT), "
                            "CAST(?4 AS TEXT), -count(*) FROM hits WHERE "
                            "score_id = ?5 AND weight > 0 GROUP BY entry_id "
                            "ON CONFLICT(lexicon_id, entry_id, agency, day) "
                            "DO UPDATE SET n = entry_counts.n + excluded.n",
                            &w->uncount, d);
    if (!err)
        err = nt_db_prepare(db,
                            "INSERT INTO entry_counts(lexicon_id, entry_id, agency, day, n) "
                            "VALUES (?1, ?2, ?3, ?4, ?5) "
                            "ON CONFLICT(lexicon_id, entry_id, agency, day) "
                            "DO UPDATE SET n = entry_counts.n + excluded.n",
                            &w->count, d);
    if (!err)
        err = nt_db_prepare(db,
                            "SELECT status FROM review_items WHERE post_id = ?1 AND "
                            "score_id = ?2 AND status IN ('confirmed', 'dismissed')",
                            &w->decided, d);
    if (!err)
        err = nt_db_prepare(
            db,
            "INSERT INTO entry_decided(lexicon_id, entry_id, agency, day, status, n) "
            "SELECT CAST(?1 AS BIGINT), entry_id, CAST(?3 AS TEXT), CAST(?4 AS TEXT), "
            "CAST(?6 AS TEXT), CAST(?7 AS BIGINT) FROM hits WHERE score_id = ?5 AND weight > 0 "
            "GROUP BY entry_id ON CONFLICT(lexicon_id, entry_id, agency, day, status) "
            "DO UPDATE SET n = entry_decided.n + excluded.n",
            &w->recount, d);
    if (!err)
        err = nt_db_prepare(db,
                            "INSERT INTO hits(score_id, entry_id, kind, rule_id, start_byte, "
                            "end_byte, matched, weight, source, attachment_id, line) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                            &w->hit, d);
    if (!err)
        err = nt_db_prepare_for(db, ONE_SQL(DAY_SQLITE), ONE_SQL(DAY_PG), &w->one, d);
    /* The mark moves after a batch of the scan (every version up to ?3 is
     * scored), and after one version stored and scored in the caller's
     * transaction only when every version before it was already covered. */
    if (!err)
        err = nt_db_prepare(db, PROGRESS_SQL("WHERE true") " upto = excluded.upto," PROGRESS_SET,
                            &w->advance, d);
#define FOLLOW_SQL(MAX)                                                                            \
    PROGRESS_SQL("WHERE COALESCE((SELECT upto FROM scan_progress WHERE lexicon_id = ?1 "           \
                 "AND model_id = ?2), 0) >= COALESCE((SELECT max(id) FROM post_versions "          \
                 "WHERE id < ?3 AND text IS NOT NULL), 0)")                                        \
    " upto = " MAX "(scan_progress.upto, excluded.upto)," PROGRESS_SET
    if (!err)
        err = nt_db_prepare_for(db, FOLLOW_SQL("max"), FOLLOW_SQL("GREATEST"), &w->follow, d);
    if (!err)
        err = nt_review_enqueue_open(s, &w->item, d);
    if (err) {
        nt_scan_writer_close(w);
        return err;
    }
    *out = w;
    return NT_OK;
}

/* Move the pair's mark to `upto` with `st` (w->advance or w->follow). */
static enum nt_err mark(struct nt_scan_writer *w, struct nt_db_stmt *st, int64_t upto,
                        struct nt_diag *d)
{
    const struct nt_scan_stage *stage = w->stage;
    nt_db_bind_int64(st, 1, w->lexicon_id);
    nt_db_bind_int64(st, 2, stage ? stage->model_id : 0);
    nt_db_bind_int64(st, 3, upto);
    nt_db_bind_text(st, 4, stage ? stage->model_version : NULL);
    nt_db_bind_text(st, 5, stage ? stage->slang_sha256 : NULL);
    nt_db_bind_text(st, 6, w->now);
    return nt_db_run(st, d);
}

enum nt_err nt_scan_writer_unit_end(struct nt_scan_writer *w, struct nt_diag *d)
{
    if (!w->in_unit)
        return NT_OK;
    w->in_unit = false;
    return nt_review_enqueue_batch_end(w->item, d);
}

const struct nt_scan_stats *nt_scan_writer_stats(const struct nt_scan_writer *w)
{
    return &w->stats;
}

enum nt_err nt_scan_writer_version(struct nt_scan_writer *w, int64_t version_id, struct nt_diag *d)
{
    struct todo t;
    enum nt_err err = NT_OK;
    nt_db_bind_int64(w->one, 1, version_id);
    nt_db_bind_null(w->one, 2);
    nt_db_bind_int64(w->one, 3, w->lexicon_id);
    bool found = nt_db_next(w->one, &err, d);
    if (found)
        err = todo_read(w->s, w->one, &t, d);
    nt_db_reset(w->one);
    if (err && found)
        todo_release(&t, 1);
    if (err || !found)
        return err;
    /* The caller's transaction (a crawl's, an ingest's) indexes its new
     * items for search once, before it commits (nt_scan_writer_unit_end). */
    if (!w->in_unit) {
        err = nt_review_enqueue_batch_begin(w->item, d);
        w->in_unit = err == NT_OK;
    }
    if (!err)
        err = score_todo(w, &t, d);
    if (!err)
        err = mark(w, w->follow, version_id, d);
    todo_release(&t, 1);
    return err;
}

/* The integer `sql` gives for its `n` parameters `v`; 0 when it gives no
 * row: how many versions a scan has before it (count_sql), the pair's mark
 * (progress_sql, 0: nothing scored yet). */
static enum nt_err query_int(struct nt_store *s, const char *sql, const int64_t *v, int n,
                             int64_t *out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s), sql, &st, d);
    if (err)
        return err;
    for (int i = 0; i < n; i++)
        nt_db_bind_int64(st, i + 1, v[i]);
    *out = nt_db_next(st, &err, d) ? nt_db_int64(st, 0) : 0;
    nt_db_finalize(st);
    return err;
}

/* A batch of the scan: the versions read, and what the scoring half made
 * of each (filled on the scoring thread). */
struct batch {
    struct todo *todo;
    struct scored *out;
    size_t n;
    struct nt_scan_writer *w;
    struct nt_store *reader; /* read the batch here first (NULL: read already) */
    int64_t after;           /* past this version */
    enum nt_err err;
    struct nt_diag d;
};

/* The scoring thread's work: read the batch (on its own connection), then
 * score it. */
static void *score_batch(void *arg)
{
    struct batch *b = arg;
    if (b->reader)
        b->err = load_batch(b->reader, b->after, b->w->lexicon_id, b->todo, &b->n, &b->d);
    for (size_t i = 0; i < b->n && !b->err; i++)
        b->err = score_post(b->w, &b->todo[i], &b->out[i], &b->d);
    return NULL;
}

static void batch_release(struct batch *b)
{
    todo_release(b->todo, b->n);
    for (size_t i = 0; i < b->n; i++)
        scored_release(&b->out[i]);
    b->n = 0;
}

/* Write a scored batch in one transaction with the mark after it. */
static enum nt_err write_batch(struct nt_scan_writer *w, const struct batch *b, struct nt_diag *d)
{
    struct nt_store *s = w->s;
    enum nt_err err = nt_store_begin(s, d);
    if (!err)
        err = nt_review_enqueue_batch_begin(w->item, d);
    for (size_t i = 0; i < b->n && !err; i++)
        err = write_post(w, &b->todo[i], &b->out[i], d);
    if (!err)
        err = tally_flush(w, d);
    w->ntally = 0; /* its strings are the batch's */
    if (!err)
        err = nt_review_enqueue_batch_end(w->item, d);
    if (!err)
        err = mark(w, w->advance, b->todo[b->n - 1].version_id, d);
    if (!err)
        err = nt_store_commit(s, d);
    nt_store_rollback(s);
    return err;
}

enum nt_err nt_detect_scan_store(struct nt_store *s, const struct nt_matcher *m, int64_t lexicon_id,
                                 const struct nt_scan_stage *stage, bool rescan, time_t now,
                                 const struct nt_scan_progress *pr, struct nt_scan_stats *stats,
                                 struct nt_diag *d)
{
    size_t total = 0;
    struct batch b[2] = { 0 };
    struct nt_scan_writer *w = NULL;
    int64_t after = 0;
    enum nt_err err = NT_OK;

    memset(stats, 0, sizeof(*stats));
    for (int k = 0; k < 2; k++) {
        b[k].todo = calloc(BATCH, sizeof(*b[k].todo));
        b[k].out = calloc(BATCH, sizeof(*b[k].out));
        if (!b[k].todo || !b[k].out)
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    if (!err)
        err = nt_scan_writer_open(s, m, lexicon_id, stage, now, &w, d);
    if (!err)
        err = nt_store_bulk(s, true, d);
    /* A rescan starts the pair's mark again; an interrupted one resumes
     * from where its last batch left it, like any scan. */
    if (!err && rescan && !(err = nt_store_begin(s, d))) {
        err = mark(w, w->advance, 0, d);
        if (!err)
            err = nt_store_commit(s, d);
        nt_store_rollback(s);
    }
    if (!err)
        err = query_int(s, progress_sql, (int64_t[]){ lexicon_id, stage ? stage->model_id : 0 }, 2,
                        &after, d);
    if (!err && pr && pr->fn) {
        int64_t n = 0;
        err = query_int(s, count_sql, &after, 1, &n, d);
        total = (size_t)n;
        if (!err)
            pr->fn(pr->user, 0, total);
    }
    /* Two threads, two batches: while this thread writes a batch (the
     * store's writing connection is this thread's alone), the other reads
     * the next on a connection of its own and scores it (the scanner and
     * the stage are its alone). Without a second connection (a database
     * that cannot be opened twice), this thread reads. */
    struct nt_store *reader = NULL;
    struct nt_diag ignored;
    if (!err &&
        nt_store_reopen(s, NT_STORE_READONLY | NT_STORE_LONG_LIVED, &reader, &ignored) != NT_OK)
        reader = NULL;
    struct batch *ready = NULL; /* scored, to write */
    while (!err) {
        struct batch *next = ready == &b[0] ? &b[1] : &b[0];
        next->w = w;
        next->reader = reader;
        next->after = after;
        next->n = 0;
        next->err = NT_OK;
        nt_diag_clear(&next->d);
        if (!reader && (err = load_batch(s, after, lexicon_id, next->todo, &next->n, d)) != NT_OK)
            break;
        pthread_t th;
        bool scoring = pthread_create(&th, NULL, score_batch, next) == 0;
        if (!scoring)
            score_batch(next); /* no second thread: read and score here */
        if (ready) {
            err = write_batch(w, ready, d);
            batch_release(ready);
            /* Posts stored meanwhile can make the count grow past the total. */
            if (!err && pr && pr->fn)
                pr->fn(pr->user, w->stats.scanned,
                       total > w->stats.scanned ? total : w->stats.scanned);
        }
        if (scoring)
            pthread_join(th, NULL);
        if (!err && next->err) {
            *d = next->d;
            err = next->err;
        }
        if (err || next->n == 0)
            break;
        after = next->todo[next->n - 1].version_id;
        ready = next;
    }
    nt_store_close(reader);
    for (int k = 0; k < 2; k++) {
        if (b[k].todo)
            batch_release(&b[k]);
        free(b[k].todo);
        free(b[k].out);
    }
    if (w)
        *stats = w->stats;
    nt_scan_writer_close(w);
    nt_store_bulk(s, false, &ignored); /* a setting of this connection only */
    return err;
}

enum nt_err nt_detect_each_stored(struct nt_store *s, nt_stored_post_fn fn, void *ctx,
                                  struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "SELECT v.id, p.id, p.remote_id, v.text, e.region_code, p.posted_at "
        "FROM posts p JOIN post_versions v ON v.post_id = p.id "
        "AND v.seq = (SELECT max(seq) FROM post_versions WHERE post_id = p.id) "
        "JOIN accounts a ON a.id = p.account_id JOIN employees e ON e.id = a.employee_id "
        "WHERE v.text IS NOT NULL ORDER BY p.id",
        &st, d);
    if (err)
        return err;
    while (!err && nt_db_next(st, &err, d)) {
        size_t len = 0;
        const char *text = nt_db_blob(st, 3, &len);
        struct nt_stored_post p = {
            .version_id = nt_db_int64(st, 0),
            .post_id = nt_db_int64(st, 1),
            .remote_id = nt_db_text(st, 2),
            .text = text,
            .len = text ? len : 0,
            .region = nt_db_text(st, 4),
        };
        const char *at = nt_db_text(st, 5);
        if (!at || !nt_time_parse(at, &p.at))
            p.at = 0;
        err = fn(&p, ctx);
    }
    nt_db_finalize(st);
    return err;
}
