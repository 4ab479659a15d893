/*
 * review.h - from flagged posts to case files: users and their roles, the
 * review queue (claims, decisions, four-eyes), cases through the agency's
 * SOP, evidence dossiers, the hash-chained audit trail, retention and
 * statistics. The CLI and the web server both sit on these functions, so a
 * claim or a decision is the same transaction, checked and audited the same
 * way, whichever door it came through.
 *
 * Every action takes the acting user (struct nt_user) and checks the role
 * and the agencies before it touches anything: a user sees and acts only on
 * items of the agencies given to them (admins: all). Every state change
 * appends an audit row in the same transaction.
 *
 * Results meant for display are returned as Jansson objects (owned by the
 * caller, json_decref) so that the CLI and the JSON API print the same
 * thing. Text in them comes from posts (attacker-controlled): whoever shows
 * it escapes it.
 */
#ifndef NT_REVIEW_H
#define NT_REVIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "diag.h"
#include "lexicon.h"
#include "matcher.h"
#include "docs.h"
#include "store.h"

/* ---- the queue's door for the scan job (enqueue.c) -------------------- */

/*
 * Queue order: level, score and the category's severity, plus
 * NT_AGING_PER_DAY points for every day an item waits. Stored as
 * base - aging * julianday(created), which orders exactly like
 * base + aging * age at any moment; add aging * julianday(now) to show it.
 */
#define NT_AGING_PER_DAY 2.0
#define NT_AGING_SQL     "2.0"
double nt_item_priority_base(enum nt_level level, double score, const struct nt_skb_category *cat);

/* A prepared door, for many posts in the caller's transactions. */
struct nt_enqueue;
enum nt_err nt_review_enqueue_open(struct nt_store *s, struct nt_enqueue **out, struct nt_diag *d);
/* Post `post_id`, scored (`score_id`) at review level or above: a new
 * pending item, or its pending item updated (*changed tells); an item
 * already decided keeps its decision and history. `text_key`
 * (nt_norm_text_key; NULL or "" for none) groups copies of one message.
 * `text` (`text_len` bytes): the text of the version the score was made
 * on, which the caller has just scored (the item keeps a copy for
 * search; reading it back from the version was a random read of the
 * largest table per item). */
enum nt_err nt_review_enqueue(struct nt_enqueue *q, int64_t post_id, int64_t score_id,
                              enum nt_level level, double score, const char *category,
                              const char *text_key, const char *text, size_t text_len,
                              const char *now, bool *changed, struct nt_diag *d);
/* Many posts in one transaction (a scan's batch): between these two calls
 * the new items' texts are indexed for search once, at the end, instead
 * of one index segment written per item. Both inside the transaction. */
enum nt_err nt_review_enqueue_batch_begin(struct nt_enqueue *q, struct nt_diag *d);
enum nt_err nt_review_enqueue_batch_end(struct nt_enqueue *q, struct nt_diag *d);
void nt_review_enqueue_close(struct nt_enqueue *q);

/* ---- users ------------------------------------------------------------ */

enum nt_role {
    NT_ROLE_REVIEWER = 1,
    NT_ROLE_ANALYST = 2,
    NT_ROLE_SUPERVISOR = 4,
    NT_ROLE_ADMIN = 8
};

/* "reviewer", ...; and back (0 for an unknown name). */
const char *nt_role_name(enum nt_role r);
enum nt_role nt_role_from_name(const char *name);

struct nt_user {
    int64_t id;
    char name[64];
    enum nt_role role;
    char **agencies; /* owned; admins see every agency whatever is listed */
    size_t nagencies;
};

/* Load an active user by name. NT_ENOTFOUND (unknown) or NT_EPERM (inactive). */
enum nt_err nt_user_load(struct nt_store *s, const char *name, struct nt_user *out,
                         struct nt_diag *d);
void nt_user_release(struct nt_user *u);

/* May `u` see items of `agency`? */
bool nt_user_sees(const struct nt_user *u, const char *agency);

/* NT_EPERM with an Indonesian message unless u's role is in `roles` (a mask). */
enum nt_err nt_user_require(const struct nt_user *u, unsigned roles, const char *action,
                            struct nt_diag *d);

/* Number of users (0 before the first admin exists). */
enum nt_err nt_user_count(struct nt_store *s, int64_t *out, struct nt_diag *d);

/*
 * Add a user. `actor` must be an admin, or NULL only while no user exists
 * (the first admin). `password` may be NULL (CLI only, no web login); it is
 * stored as an argon2id hash (libsodium). Audited.
 */
enum nt_err nt_user_add(struct nt_store *s, const struct nt_user *actor, const char *name,
                        enum nt_role role, const char *const *agencies, size_t nagencies,
                        const char *password, time_t now, struct nt_diag *d);
/* Set a password (admins for anyone, users for themselves). Audited. */
enum nt_err nt_user_set_password(struct nt_store *s, const struct nt_user *actor, const char *name,
                                 const char *password, time_t now, struct nt_diag *d);
/* Deactivate a user (admins). Audited. */
enum nt_err nt_user_deactivate(struct nt_store *s, const struct nt_user *actor, const char *name,
                               time_t now, struct nt_diag *d);
/* Check a password against the stored hash: NT_OK or NT_EPERM. */
enum nt_err nt_user_check_password(struct nt_store *s, const char *name, const char *password,
                                   struct nt_diag *d);
/*
 * Who is acting on the command line. `name` may act when the operating
 * system user running the program (`os_user`) is the one an admin linked
 * to it, or with its password (NULL: none given). Anything else is NT_EPERM
 * saying what is missing; an unknown or inactive name as nt_user_load.
 * On success *out is the user (release it).
 */
enum nt_err nt_user_authenticate(struct nt_store *s, const char *name, const char *password,
                                 const char *os_user, struct nt_user *out, struct nt_diag *d);
/* The active Netra user linked to `os_user`: its name into out (size n), or
 * NT_ENOTFOUND. */
enum nt_err nt_user_for_os(struct nt_store *s, const char *os_user, char *out, size_t n,
                           struct nt_diag *d);
/* Link `name` to the operating system user `os_user` (NULL: unlink). Admins;
 * an OS user names one Netra user at most. Audited. */
enum nt_err nt_user_link_os(struct nt_store *s, const struct nt_user *actor, const char *name,
                            const char *os_user, time_t now, struct nt_diag *d);
/* Every user: [{name, role, agencies, active, has_password, os_user, created_at}]. */
enum nt_err nt_user_list(struct nt_store *s, const struct nt_user *actor, json_t **out,
                         struct nt_diag *d);

/* ---- audit trail ------------------------------------------------------ */

/*
 * Append an audit row inside the caller's transaction: who, when, what,
 * which object, the state before and after (JSON, may be NULL). Each row
 * carries the previous row's hash and its own, SHA-256 over a canonical
 * encoding of the row; the chain's head is also kept in settings, so that
 * removing the last rows shows too. Takes ownership of `before` and `after`.
 */
enum nt_err nt_audit_append(struct nt_store *s, const char *actor, const char *action,
                            const char *object_type, const char *object_id, json_t *before,
                            json_t *after, time_t now, struct nt_diag *d);

/*
 * Make version `id` of a lexicon or a stance model the active one and write
 * its audit row in one transaction: what `netra lexicon|model activate` and
 * the web app's lexicon page both call. `u` must be an analyst or an admin;
 * NULL only while no user exists (setting up), then nothing is audited.
 */
/*
 * An import and its audit row in one transaction. `add` stores the version
 * (its store call joins the open transaction) and says its id and whether
 * it became active; then a lexicon.import / model.import row with `after`
 * (taken, may be NULL) plus `active` and the SHA-256 of the stored bytes,
 * which `audit verify` computes again. `u` NULL only while no user exists:
 * then nothing is audited. Role checked here (analyst or admin).
 */
typedef enum nt_err (*nt_doc_add_fn)(struct nt_store *s, void *arg, int64_t *id, bool *active,
                                     struct nt_diag *d);
enum nt_err nt_doc_import_audited(struct nt_store *s, const struct nt_user *u,
                                  enum nt_store_doc kind, nt_doc_add_fn add, void *arg,
                                  json_t *after, time_t now, int64_t *id, bool *active,
                                  struct nt_diag *d);
enum nt_err nt_doc_activate_audited(struct nt_store *s, const struct nt_user *u,
                                    enum nt_store_doc kind, int64_t id, time_t now,
                                    struct nt_diag *d);

/* The same for an action that kept its own transaction (an export, a
 * lexicon activation): the row in a transaction of its own, right after.
 * Takes ownership of `after`. */
enum nt_err nt_audit_record(struct nt_store *s, const char *actor, const char *action,
                            const char *object_type, const char *object_id, json_t *after,
                            time_t now, struct nt_diag *d);

struct nt_audit_check {
    bool broken;         /* the trail does not hold: see problem */
    int64_t rows;        /* rows checked */
    int64_t broken_at;   /* id of the first row that does not hold, 0 when none or not a row */
    int64_t decision;    /* id of a decision row that does not match the trail, or 0 */
    int64_t keyed_from;  /* rows from this id on are keyed; 0 when checked without a key */
    char key_id[17];     /* fingerprint of the audit key used, "" when none */
    int64_t checkpoints; /* signed checkpoints in the log that were checked */
    char problem[256];   /* what is wrong, in Indonesian */
};
/*
 * Walk the chain under the audit key (NETRA_AUDIT_KEY or the database's
 * path + ".audit-key") and hold the decisions to it. NT_OK whether or not
 * it holds (see out->broken); an error when the key of a keyed trail is
 * missing or a read fails.
 */
enum nt_err nt_audit_verify(struct nt_store *s, struct nt_audit_check *out, struct nt_diag *d);

/*
 * A checkpoint of the trail's head signed now, for a dossier: {row, hash,
 * at, key_id, public_key, message, signature}; whoever holds the public key
 * checks the Ed25519 signature of `message` without being able to make one.
 * NT_ENOTFOUND when there is no key or no row yet.
 */
enum nt_err nt_audit_checkpoint(struct nt_store *s, time_t now, json_t **out, struct nt_diag *d);

/*
 * A database the operator has just made (init of a new file) or put back
 * (restore): a checkpoint log at its path belongs to what was there before.
 * It is moved aside, never deleted, to LOG.sebelum-TIME, named in `moved`
 * ("" when there was none), so that checks of the new database start clean
 * and the old checkpoints stay as evidence.
 */
enum nt_err nt_audit_log_set_aside(const char *db, time_t now, char *moved, size_t n,
                                   struct nt_diag *d);

/* A disposable database's own audit files (the demo's, when it starts
 * over): the key, its public half and the checkpoint log at their default
 * places beside `db`; files named by NETRA_AUDIT_* are never touched. */
enum nt_err nt_audit_files_remove(const char *db, struct nt_diag *d);

struct nt_audit_filter {
    const char *actor, *action, *object_type, *object_id, *from, *to;
    size_t limit;
    int64_t before; /* rows older than this id (the next page), or 0 */
};
/* Rows newest first: [{id, at, actor, action, object_type, object_id, before, after, hash}]. */
enum nt_err nt_audit_list(struct nt_store *s, const struct nt_user *actor,
                          const struct nt_audit_filter *f, json_t **out, struct nt_diag *d);

/* ---- configuration (kept in the database, shared by CLI and server) ---- */

struct nt_review_config {
    bool four_eyes;    /* a confirm needs a second reviewer's agreement */
    bool pseudonymous; /* identities hidden until confirm or escalate */
    int claim_minutes; /* how long a claim holds */
    /* days each SOP step may take (index of nt_case_states; 0: no limit):
     * "sop_days" as "verifikasi=7,pemeriksaan=14,..." */
    int sop_days[8];
    json_t *elections; /* [{id, name, campaign_start, campaign_end, election_day}] */
};
enum nt_err nt_review_config_load(struct nt_store *s, struct nt_review_config *c,
                                  struct nt_diag *d);
void nt_review_config_release(struct nt_review_config *c);
/* Set one key (four_eyes, pseudonymous, claim_minutes, elections, sop_days) - admins. Audited. */
enum nt_err nt_review_config_set(struct nt_store *s, const struct nt_user *actor, const char *key,
                                 const char *value, time_t now, struct nt_diag *d);

/* The election a date (YYYY-MM-DD...) belongs to and its period: "sebelum",
 * "kampanye" or "sesudah" the campaign. Writes "" when there is no calendar. */
void nt_review_period(const struct nt_review_config *c, const char *date, char *election, size_t en,
                      char *period, size_t pn);

/* ---- queue and decisions ---------------------------------------------- */

/* A search's way: the trigram index (rows by id) or each item's text in
 * the scope tested in turn. */
enum nt_search_way { NT_SEARCH_AUTO, NT_SEARCH_INDEX, NT_SEARCH_SCAN };

struct nt_queue_filter {
    const char *agency, *category, *level, *platform;
    const char *from, *to; /* post dates, inclusive, YYYY-MM-DD */
    const char *assignee;  /* items claimed by this user */
    const char *status;    /* default: pending and awaiting_second */
    const char *search;    /* words in the post text, the employee's name or NIP, or NULL */
    /* The page after the item a previous page's `next` token names
     * ("PRIORITY:ID"): keyset paging, as fast at page 500 as at page 1, and
     * every item once while items are added and decided. */
    const char *after;
    size_t limit, offset; /* limit 0: 50 */
    bool facets;          /* also count the matches per level, category and platform */
    /* How a search reads the items: chosen by how many items the words
     * are in, or forced (both ways give the same items; tests try each). */
    enum nt_search_way search_way;
};
/* Every value of `f` is one that exists (status, level, SKB category,
 * platform, an agency of the registry, dates as YYYY-MM-DD), else
 * NT_EUSAGE naming the field and the allowed values. nt_queue_list checks. */
enum nt_err nt_queue_filter_check(struct nt_store *s, const struct nt_queue_filter *f,
                                  struct nt_diag *d);
/* {total, total_more, next, [facets: {level|category|platform: {value:
 * count}}], items: [{id, priority, level, category, status, agency,
 * employee, platform, posted_at, excerpt, claimed_by, claim_expires_at,
 * escalation: {by, reason} or null}]}:
 * `total` counts the matches (not only this page): every one with facets
 * or when counted from the server's copy (`facts`, below), else up to
 * NT_QUEUE_COUNT_MAX (NT_QUEUE_SEARCH_COUNT_MAX with search
 * words, whose matches are counted by reading each candidate's text),
 * `total_more` true when there are more ("lebih dari"); `next` is the token
 * for the following page (null on the last). */
#define NT_QUEUE_COUNT_MAX        10000
#define NT_QUEUE_SEARCH_COUNT_MAX 1000
/* With `facts` (the server's in-memory copy of the items' keys, see
 * nt_stats_facts_new), the facets of a filter without an assignee are
 * counted from it, brought up to date first: the same counts a pass over
 * the matching rows gives (hundreds of milliseconds at 100,000 open
 * items). Search words too on SQLite, where the copy keeps the texts,
 * when they are in many items (few are counted from the search index).
 * Where the copy serves the facets it also gives the exact total of a
 * filter by level, category, platform, dates or words, facets asked for
 * or not. NULL (the CLI): counted by SQL. */
struct nt_stats_facts;
enum nt_err nt_queue_list(struct nt_store *s, struct nt_stats_facts *facts, const struct nt_user *u,
                          const struct nt_queue_filter *f, time_t now, json_t **out,
                          struct nt_diag *d);

/* Everything a reviewer needs to decide: post, hits, explanation, evidence,
 * employee (pseudonymous where configured), decisions, other items. */
enum nt_err nt_item_show(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                         json_t **out, struct nt_diag *d);

/* The stance model's reading of a score, from its stored explanation, in
 * one plain sentence ("Sikap penulis menurut model M: peluang berpihak
 * P% (ambang tinjau R%, prioritas Q%), SIDE"); the caller escapes it for
 * where it shows it and frees it. NULL when the explanation has no stance
 * (or out of memory). */
char *nt_item_stance_summary(json_t *explanation);

/* The item's post exactly as it was received (caller frees *raw; a NUL
 * follows the bytes). Refused while pseudonymous review hides identities.
 * Audited (item.raw): who took the evidence's bytes, and when. */
enum nt_err nt_item_raw(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                        char **raw, size_t *len, struct nt_diag *d);

/* An attachment of item `id`'s post: its thumbnail (JPEG, made by the
 * OCR stage) or, with `original`, the file as fetched, its SHA-256 checked
 * again and the download audited (item.media). Reviewers, supervisors and
 * admins of the item's agency. */
struct nt_item_file {
    void *data; /* free() */
    size_t len;
    char mime[64];
    char sha256[65];
};
enum nt_err nt_item_media(struct nt_store *s, const struct nt_user *u, int64_t id,
                          int64_t attachment, bool original, time_t now, struct nt_item_file *out,
                          struct nt_diag *d);

/* Walk a post's text as plain pieces and hit pieces, for whoever marks
 * hits in the original text (terminal, dossier): the caption's `hits` are
 * [{start, end}] byte offsets in order; overlapping or out-of-range ones
 * are skipped (they stay in the hit table). */
void nt_text_marks(const char *text, json_t *hits,
                   void (*piece)(void *user, const char *p, size_t n, bool hit), void *user);
/* The same for one part of the post: an attachment's alt text ("alt") or
 * the text read in its image ("ocr"), by the hits' source and attachment. */
void nt_text_marks_part(const char *text, json_t *hits, const char *source, int64_t attachment,
                        void (*piece)(void *user, const char *p, size_t n, bool hit), void *user);

/* Take an item for claim_minutes. NT_ECONFLICT when another holds it. Audited. */
enum nt_err nt_item_claim(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                          struct nt_diag *d);

struct nt_decision {
    const char *decision;    /* confirm, dismiss, escalate */
    const char *category;    /* SKB code; confirm defaults to the item's */
    const char *reason_code; /* dismiss: berita, netral, bukan_akun, candaan, lainnya */
    const char *reason;      /* free text (required for "lainnya" and escalate) */
};
/*
 * Decide an item. Reviewers decide pending items, supervisors and admins
 * also escalated ones. With four-eyes on, a first confirm leaves the item
 * awaiting a second reviewer, whose confirm agrees and whose dismiss sends
 * it to a supervisor. A finding (final confirm) opens or joins the
 * employee's case for the election. *out: {status, case_id}. Audited.
 */
/* Several items at once (the same text shared by several employees, a
 * selection): one transaction, every item or none, each with its own
 * decision row and audit row; *out {items: [...]} (one: as nt_item_decide). */
#define NT_DECIDE_MAX 200
enum nt_err nt_items_decide(struct nt_store *s, const struct nt_user *u, const int64_t *ids,
                            size_t n, const struct nt_decision *dec, time_t now, json_t **out,
                            struct nt_diag *d);
/* The open items this user may see and decide (escalated ones only for
 * supervisors and admins) whose post has the same text as item `id`'s,
 * exactly or near (the same words in the same order: text_key):
 * [{id, status, employee, agency, exact}] (pseudonyms when set). */
enum nt_err nt_item_same_text(struct nt_store *s, const struct nt_user *u, int64_t id, json_t **out,
                              struct nt_diag *d);
/*
 * Take back your own last decision on item `id` within NT_UNDO_SECONDS
 * (a key pressed too soon, the wrong item of a group): the item returns to
 * the state and category it had before, and the undo is a decision row of
 * its own naming the one it undoes, audited as item.undo; nothing is
 * deleted. A final confirmation (a finding already in a case) is not
 * undone here: the case is where it is withdrawn. *out: {id, status,
 * undone}.
 */
#define NT_UNDO_SECONDS 120
enum nt_err nt_item_undo(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                         json_t **out, struct nt_diag *d);
enum nt_err nt_item_decide(struct nt_store *s, const struct nt_user *u, int64_t id,
                           const struct nt_decision *dec, time_t now, json_t **out,
                           struct nt_diag *d);

/* ---- cases ------------------------------------------------------------ */

/* SOP states in order; "ditutup" (closed without action) ends any open case. */
extern const char *const nt_case_states[];
extern const size_t nt_case_nstates;

enum nt_err nt_case_list(struct nt_store *s, const struct nt_user *u, const char *state,
                         json_t **out, struct nt_diag *d);
enum nt_err nt_case_show(struct nt_store *s, const struct nt_user *u, int64_t id, json_t **out,
                         struct nt_diag *d);
/* Move a case to the next SOP state (or ditutup) - supervisors. Audited. */
/* Give a case to someone of the Tim Internal (an active reviewer,
 * supervisor or admin who sees its agency): supervisors and admins;
 * audited as case.assign. */
enum nt_err nt_case_assign(struct nt_store *s, const struct nt_user *u, int64_t id, const char *who,
                           time_t now, struct nt_diag *d);
/* A note in the case file (what was found, agreed, planned): 1 to 4,000
 * bytes of UTF-8 text. Supervisors and admins; audited as case.note. */
enum nt_err nt_case_note(struct nt_store *s, const struct nt_user *u, int64_t id, const char *text,
                         time_t now, struct nt_diag *d);

/* A document the case rests on (the examination record, a summons, the
 * decree): PDF, PNG or JPEG by its bytes, never by its name, 1 byte to
 * NT_CASE_DOC_MAX; kept as received with its SHA-256. The name is what
 * people read (1..100 bytes of UTF-8, no control characters, no / or \).
 * Supervisors and admins; audited as case.attach. */
#define NT_CASE_DOC_MAX (5u * 1024 * 1024)
enum nt_err nt_case_attach(struct nt_store *s, const struct nt_user *u, int64_t id,
                           const char *name, const void *data, size_t len, time_t now,
                           int64_t *doc_id, struct nt_diag *d);

/* A document's bytes (*data the caller's to free), type and name, checked
 * against its stored SHA-256 first (NT_ECONFLICT when it changed).
 * Supervisors and admins; audited as case.document (who took a copy). */
struct nt_case_doc {
    char *data;
    size_t len;
    char mime[32];
    char name[128];
};
enum nt_err nt_case_document(struct nt_store *s, const struct nt_user *u, int64_t id, int64_t doc,
                             time_t now, struct nt_case_doc *out, struct nt_diag *d);
void nt_case_doc_release(struct nt_case_doc *doc);

enum nt_err nt_case_advance(struct nt_store *s, const struct nt_user *u, int64_t id, const char *to,
                            const char *note, time_t now, struct nt_diag *d);
/*
 * Write the evidence dossier into `dir` (created): case.json, case.html and
 * raw/<version>.bin, each payload verified against its stored SHA-256
 * first (NT_ECONFLICT naming the post when one does not match). Audited.
 */
enum nt_err nt_case_export(struct nt_store *s, const struct nt_user *u, int64_t id, const char *dir,
                           time_t now, struct nt_diag *d);

/* The printable dossier alone (for a download), after the same payload
 * checks; audited as an export. *html is the caller's to free. */
enum nt_err nt_case_dossier_html(struct nt_store *s, const struct nt_user *u, int64_t id,
                                 time_t now, char **html, struct nt_diag *d);

/* A table ({columns, rows}) as CSV for spreadsheets: fields quoted when
 * needed, formula-like cells neutralised, one line per row. */
struct nt_buf;
enum nt_err nt_grid_csv(json_t *columns, json_t *rows, struct nt_buf *out);

/* Monitoring coverage of the user's agencies (supervisors, admins):
 * [{nip, name, agency, platform, account, state, last_success, last_error,
 *   failures, next_attempt, region, follows}] - who is actually watched,
 * failing and never-fetched accounts first, then by agency and name. `f`
 * (may be NULL) narrows it to one agency, platform and/or state; an
 * agency the registry does not know is NT_EUSAGE, naming it. `u` may be NULL only while no user
 * exists (setting up). The CLI's `accounts status`. */
struct nt_coverage_filter {
    const char *agency, *platform;
    const char *state;    /* ok, failing (any error state), new (never fetched), or NULL */
    size_t limit, offset; /* limit 0: every account */
};
enum nt_err nt_coverage(struct nt_store *s, const struct nt_user *u,
                        const struct nt_coverage_filter *f, json_t **out, struct nt_diag *d);

/* A process's copy of the coverage's order (netra serve; coverage.c):
 * shared by its threads, read again when the accounts change. */
struct nt_coverage_copy;
enum nt_err nt_coverage_copy_new(struct nt_coverage_copy **out);
void nt_coverage_copy_free(struct nt_coverage_copy *c);

/* One page of nt_coverage (the filter's state, limit and offset) and the
 * counts of the filter's scope without them, {accounts, ok, failing,
 * never, employees, employees_without_accounts}, in one snapshot: from
 * `copy` on SQLite (NULL: from SQL alone, as on PostgreSQL). `u` is a
 * supervisor or an admin. */
enum nt_err nt_coverage_page(struct nt_store *s, struct nt_coverage_copy *copy,
                             const struct nt_user *u, const struct nt_coverage_filter *f,
                             json_t **summary, json_t **accounts, struct nt_diag *d);

/* ---- retention -------------------------------------------------------- */

/* Remove the text and raw bytes of post versions captured before
 * now - days that never reached review (ids and hashes stay); never
 * anything attached to an item or a case. Admins. Audited.
 * *out: {versions, posts, cutoff}. */
enum nt_err nt_retention_run(struct nt_store *s, const struct nt_user *u, int days, bool dry_run,
                             time_t now, json_t **out, struct nt_diag *d);

/* ---- web sessions (sessions.c) ---------------------------------------- */

/* Through store/db.h (the store's connection: nt_store_dbh), so that the
 * same code runs on SQLite and PostgreSQL. */
struct nt_db;

/* A session for `user`: *token (the cookie's, 64 hex) and *csrf made
 * here; only the token's SHA-256 is stored. Sessions idle more than
 * `idle` seconds are removed. */
enum nt_err nt_session_new(struct nt_db *db, const char *user, time_t now, long idle,
                           char token[65], char csrf[65], struct nt_diag *d);
/* The user and CSRF token of a live session; NT_ENOTFOUND for an unknown
 * or expired one (removed). Marks it seen (at most once a minute). */
enum nt_err nt_session_find(struct nt_db *db, const char *token, time_t now, long idle,
                            char user[64], char csrf[65], struct nt_diag *d);
/* Log out one session, or every session of a user. */
enum nt_err nt_session_end(struct nt_db *db, const char *token, struct nt_diag *d);
enum nt_err nt_session_end_user(struct nt_db *db, const char *user, struct nt_diag *d);

/* The login throttle, shared by every server on the database: may `user`
 * try to log in from `addr` now (*ok), and the attempt's outcome. */
#define NT_LOGIN_MAX_FAILS    5   /* per user name */
#define NT_LOGIN_MAX_FAILS_IP 20  /* per address (an office's NAT holds many users) */
#define NT_LOGIN_LOCK_SECONDS 300 /* a lock, and how long a failure is remembered */
enum nt_err nt_login_allowed(struct nt_db *db, const char *user, const char *addr, time_t now,
                             bool *ok, struct nt_diag *d);
enum nt_err nt_login_result(struct nt_db *db, const char *user, const char *addr, bool success,
                            time_t now, struct nt_diag *d);

/* ---- statistics ------------------------------------------------------- */

/* Keys: agency unit position category period month age sex platform
 * region entry reviewer. One or two; `entry` and `reviewer` stand alone. */
bool nt_stats_key_valid(const char *key);
/* {columns: [...], rows: [[...], ...], computed_at}: computed_at is when
 * the rows were counted (on SQLite a table is kept until anything it reads
 * changes: always the answer a full count gives now). A count may answer
 * several requests for the same table, but only ones that arrived before
 * it began. Thread-safe with a store per thread. */
struct nt_stats_facts;
enum nt_err nt_stats(struct nt_store *s, struct nt_stats_facts *facts, const struct nt_user *u,
                     const char *const *keys, size_t nkeys, const char *from, const char *to,
                     time_t now, json_t **out, struct nt_diag *d);

/* The report keys of every item kept in memory by a process that answers
 * many tables (netra serve, one per process, shared by its threads):
 * given to nt_stats, a table by report keys is counted from it after it
 * is brought up to date from the log of item changes (a few milliseconds
 * at 200,000 items, where a full count takes 50-200 ms). Without it (the
 * CLI), the table is counted by SQL and kept in stats_cache. */
enum nt_err nt_stats_facts_new(struct nt_stats_facts **out);
void nt_stats_facts_free(struct nt_stats_facts *f);
/* Bring the copy up to date now (a server reads every item once at start,
 * so that its first table does not). */
enum nt_err nt_stats_facts_warm(struct nt_stats_facts *f, struct nt_store *s, struct nt_diag *d);

/*
 * The Indonesian words for stored codes (labels.c), by group: level,
 * status, decision, reason, role, platform, crawl_state, side, interaction,
 * action, object, kind, category. NULL for an unknown code; the whole
 * catalogue as {group: {code: label}} for the web app.
 */
const char *nt_label(const char *group, const char *code);
json_t *nt_labels_json(void);

/* The local time zone of an employee's region (Kemendagri code; WIB when
 * unknown): "WIB", "WITA" or "WIT", and its offset from UTC in hours. */
const char *nt_local_zone(const char *region, int *utc_offset_hours);

/* An ISO UTC time as people in the region read it: "3 Des 2023 17.00 WITA"
 * (what cannot be parsed is copied as it is). */
void nt_local_time(const char *iso, const char *region, char *out, size_t n);

/* One employee's history (subject.c): {employee, accounts (with crawl
 * state), items, decisions, cases, timeline: [{at, what: posted|decided|
 * case, item, detail}] newest first}. Reviewers, supervisors, admins of
 * the employee's agency; only supervisors and admins while pseudonymous. */
enum nt_err nt_employee_history(struct nt_store *s, const struct nt_user *u, int64_t employee,
                                json_t **out, struct nt_diag *d);

/* A user's saved queue views ({name: "#/antrean?..."}), kept per user in
 * the database so they follow the user to another browser; save with a
 * NULL view deletes. At most 50. */
enum nt_err nt_user_filters(struct nt_store *s, const struct nt_user *u, json_t **out,
                            struct nt_diag *d);
enum nt_err nt_user_filter_save(struct nt_store *s, const struct nt_user *u, const char *name,
                                const char *view, time_t now, struct nt_diag *d);

#endif
