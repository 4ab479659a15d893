/*
 * evidence.h - storing a post as evidence (internal to the crawler): the
 * post row once, and a new version whenever its text changes, each version
 * with the exact bytes received, their SHA-256, when and from where.
 * Shared by file ingest and every network source; and the check that the
 * stored bytes still hash to what was recorded (`netra check`).
 */
#ifndef NT_CRAWL_EVIDENCE_H
#define NT_CRAWL_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "stored_hook.h"

/* What a post carries besides its text: an image, a video, a link card. */
struct nt_evidence_media {
    const char *kind; /* image, video, audio, link, other */
    const char *url;  /* where the bytes are (or the card's target) */
    const char *alt;  /* the author's description (alt text), or NULL */
    const char *meta; /* the platform's metadata as a JSON object, or NULL */
};
#define NT_EVIDENCE_MAX_MEDIA 16 /* attachments kept per post */

struct nt_evidence_post {
    const char *remote_id; /* the platform's id of the post */
    const char *text;      /* plain text */
    size_t text_len;
    const char *interaction; /* post, repost, reply, quote */
    const char *url;         /* canonical post URL, or NULL */
    const char *author;      /* original author (reposts), or NULL */
    const char *posted_at;   /* ISO UTC, or NULL */
    const char *lang;        /* or NULL */
    const char *raw;         /* the item's bytes as received */
    size_t raw_len;
    const char *request_url; /* where they were read */
    const char *sort_key;    /* the source's listing order (Bluesky indexedAt), or NULL */
    const char *edited_at;   /* ISO UTC of the platform's last edit, or NULL */
    /* JSON array of {"type": "tag"|"link"|"mention", "value", "start", "end"}
     * (byte offsets into text, end exclusive), or NULL. */
    const char *entities;
    const struct nt_evidence_media *media; /* nmedia attachments, or NULL */
    size_t nmedia;
};

enum nt_evidence_outcome { NT_EVIDENCE_UNCHANGED, NT_EVIDENCE_ADDED, NT_EVIDENCE_EDITED };

struct nt_evidence; /* prepared statements, for many posts in one transaction */

enum nt_err nt_evidence_new(struct nt_store *s, struct nt_evidence **out, struct nt_diag *d);

/* Which attachments are to be fetched (state "pending" for the crawl's
 * media fetcher) rather than only recorded by URL and metadata: images
 * when `images`, videos and audio when `videos`. Default: neither (file
 * ingest records them). */
void nt_evidence_set_media_policy(struct nt_evidence *e, bool images, bool videos);

/* Run `h` (copied; NULL or no function: nothing) for each version stored. */
void nt_evidence_set_hook(struct nt_evidence *e, const struct nt_stored_hook *h);
void nt_evidence_free(struct nt_evidence *e);

/* Store one post of `account` (inside the caller's transaction), with its
 * attachments (new ones added; those known kept as they are), before the
 * hook runs, so that scoring sees their alt text. */
enum nt_err nt_evidence_put(struct nt_evidence *e, int64_t account,
                            const struct nt_evidence_post *p, const char *now,
                            enum nt_evidence_outcome *outcome, struct nt_diag *d);

/* What nt_evidence_verify found. */
struct nt_evidence_check {
    int64_t versions;   /* post versions whose bytes are kept */
    int64_t purged;     /* versions whose bytes retention removed (hash kept) */
    int64_t bad;        /* versions whose bytes no longer match their SHA-256 */
    int64_t first_bad;  /* post_versions.id of the first of them, or 0 */
    int64_t first_post; /* its post */
};

/* Hash every kept post version's raw bytes again and compare with the
 * recorded SHA-256. A failed read is an error, never a short report. */
enum nt_err nt_evidence_verify(struct nt_store *s, struct nt_evidence_check *out,
                               struct nt_diag *d);

#endif
