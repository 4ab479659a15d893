/*
 * retention.c - removing the content of posts nobody needs to keep: post
 * versions captured before the cutoff whose post never reached the review
 * queue. Ids, hashes and times stay (counts and proofs stay right); the
 * text, the raw bytes and the matched snippets go, and with a post's last
 * version its attachments' alt text, and the files no kept post carries.
 * Nothing attached to an item or a case is ever touched.
 */
#include <stdbool.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "internal.h"

#define PURGEABLE                                                                                  \
    "FROM post_versions v WHERE v.fetched_at < ?1 AND v.purged_at IS NULL "                        \
    "AND NOT EXISTS (SELECT 1 FROM review_items i WHERE i.post_id = v.post_id) "                   \
    "AND NOT EXISTS (SELECT 1 FROM scores sc WHERE sc.version_id = v.id AND sc.level != 'none')"

enum nt_err nt_retention_run(struct nt_store *s, const struct nt_user *u, int days, bool dry_run,
                             time_t now, json_t **out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    char cutoff[32], at[32];
    enum nt_err err = nt_user_require(u, NT_ROLE_ADMIN, "menjalankan retensi", d);
    if (err)
        return err;
    if (days < 1)
        return nt_diag_set(d, NT_EINPUT, "--older-than harus sedikitnya 1 hari");
    nt_time_iso(now - (time_t)days * 86400, cutoff, sizeof(cutoff));
    nt_time_iso(now, at, sizeof(at));
    json_int_t versions = 0, posts = 0;
    err = nt_store_begin(s, d);
    if (!err)
        err = nt_db_prepare(nt_store_dbh(s),
                            "SELECT count(*), count(DISTINCT v.post_id) " PURGEABLE, &st, d);
    if (!err) {
        nt_db_bind_text(st, 1, cutoff);
        if (nt_db_next(st, &err, d)) {
            versions = nt_db_int64(st, 0);
            posts = nt_db_int64(st, 1);
        }
        nt_db_finalize(st);
        st = NULL;
    }
    /* ?1 the cutoff; ?2, where a statement says when, now. */
    static const struct {
        const char *sql;
        bool at;
    } purge[] = {
        { "UPDATE hits SET matched = '' WHERE score_id IN (SELECT sc.id FROM scores sc "
          "WHERE sc.version_id IN (SELECT v.id " PURGEABLE "))",
          false },
        { "UPDATE scores SET explanation = '{\"purged\":true}' WHERE version_id IN (SELECT "
          "v.id " PURGEABLE ")",
          false },
        { "UPDATE post_versions SET text = NULL, raw = NULL, entities = NULL, purged_at = ?2 "
          "WHERE id IN (SELECT v.id " PURGEABLE ")",
          true },
        /* Attachments go with the last version of their post: the alt text
         * and metadata of a post whose every version is purged, and a
         * file's bytes, thumbnail and text once no kept post carries it
         * (a flyer shared by a post under review stays). Hashes stay. */
        { "UPDATE post_media SET alt = NULL, meta = NULL WHERE (alt IS NOT NULL OR meta IS NOT "
          "NULL) AND NOT EXISTS (SELECT 1 FROM post_versions v WHERE v.post_id = "
          "post_media.post_id AND v.purged_at IS NULL) AND CAST(?1 AS TEXT) IS NOT NULL",
          false },
        { "UPDATE media SET bytes = NULL, thumb = NULL, ocr_text = NULL, ocr_lines = NULL, "
          "purged_at = ?2 WHERE purged_at IS NULL AND CAST(?1 AS TEXT) IS NOT NULL AND NOT EXISTS "
          "(SELECT 1 FROM post_media pm JOIN post_versions v ON v.post_id = pm.post_id WHERE "
          "pm.media_id = media.id AND v.purged_at IS NULL)",
          true },
    };
    for (size_t i = 0; !dry_run && !err && i < sizeof(purge) / sizeof(purge[0]); i++) {
        err = nt_db_prepare(nt_store_dbh(s), purge[i].sql, &st, d);
        if (!err) {
            nt_db_bind_text(st, 1, cutoff);
            if (purge[i].at)
                nt_db_bind_text(st, 2, at);
            err = nt_db_run(st, d);
        }
        nt_db_finalize(st);
        st = NULL;
    }
    json_t *res = json_pack("{s:I, s:I, s:s, s:b}", "versions", versions, "posts", posts, "cutoff",
                            cutoff, "dry_run", dry_run);
    if (!err && !dry_run)
        err = nt_audit_append(s, u->name, "retention.purge", "posts", NULL, NULL, json_incref(res),
                              now, d);
    err = nt_rv_finish(s, err, d);
    if (err) {
        json_decref(res);
        return err;
    }
    *out = res;
    return NT_OK;
}
