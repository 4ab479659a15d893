/*
 * internal.h - helpers shared by the review module's files.
 */
#ifndef NT_REVIEW_INTERNAL_H
#define NT_REVIEW_INTERNAL_H

#include <sqlite3.h>

#include "review.h"

/* Who may do what: supervisors and admins (cases, escalations), and
 * everyone who reviews. */
#define BOSS  (NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN)
#define STAFF (NT_ROLE_REVIEWER | BOSS)

/* Column i as a JSON string, or JSON null. */
json_t *nt_rv_col(sqlite3_stmt *st, int i);

/* A statement from a query built in `q` (NT_ENOMEM when building it ran
 * out of memory). */
struct nt_buf;
enum nt_err nt_rv_prepare_built(struct nt_store *s, struct nt_buf *q, sqlite3_stmt **st,
                                struct nt_diag *d);

/* The stable pseudonym of an employee in this database ("Pegawai-3FA9C1"):
 * an HMAC of the id under a secret made at first use and kept in settings. */
enum nt_err nt_rv_pseudonym(struct nt_store *s, int64_t employee_id, char out[32],
                            struct nt_diag *d);

/* Commit, or roll back and keep the first error. */
enum nt_err nt_rv_finish(struct nt_store *s, enum nt_err err, struct nt_diag *d);

/* A finding of item `item` opens or joins the employee's case for the
 * election (inside the caller's transaction); *case_id is set. Audited. */
enum nt_err nt_rv_case_join(struct nt_store *s, const struct nt_user *u, int64_t employee_id,
                            const char *election, int64_t item, time_t now, int64_t *case_id,
                            struct nt_diag *d);

/* An item described for people (show, case files): post, evidence, score,
 * hits, decisions, the employee (or a pseudonym when !identity). */
/* Whether `u` may still undo their last decision on item `id` at `now`:
 * its decision id and the time the chance ends (ISO), or false. */
bool nt_rv_undoable(struct nt_store *s, const struct nt_user *u, int64_t id, time_t now,
                    int64_t *decision, char until[32]);

/* A post's attachments as the item page and the dossier show them: kind,
 * alt text, state, and the kept file (hash, type, size, what its image
 * says); URLs and the platform's metadata only with `identity`. */
enum nt_err nt_rv_post_media(struct nt_store *s, int64_t post_id, bool identity, json_t **out,
                             struct nt_diag *d);
enum nt_err nt_rv_item_json(struct nt_store *s, int64_t id, bool identity, json_t **out,
                            struct nt_diag *d);

#endif
