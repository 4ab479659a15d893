/*
 * ingest.h - posts from files (exports of other tools, complaints) stored as
 * evidence exactly like crawled ones: the raw bytes of each line, their
 * SHA-256, when and from where they were read.
 *
 * Format: NDJSON, one post per line, as for `netra match --file`, plus the
 * account it was posted from: {"id", "text", "platform", "account"} required;
 * "created_at", "type" (post, repost, reply, quote, comment), "author",
 * "url", "lang" optional. The account must be a declared account in the
 * registry. Bad lines are reported as "FILE:LINE: field: reason" and
 * skipped; the good ones are written in transactions of NT_INGEST_BATCH
 * posts (scored in the same transaction when a hook is given): a run that
 * stops keeps what it committed, and running it again stores the rest (a
 * post seen again with the same text only updates when it was last seen).
 * A post seen again with a different text becomes a new version (an edit).
 */
#ifndef NT_CRAWL_INGEST_H
#define NT_CRAWL_INGEST_H

#include <stdio.h>
#include <time.h>

#include "diag.h"
#include "store.h"
#include "stored_hook.h"

#define NT_INGEST_MAX_LINE (4u * 1024 * 1024)
#define NT_INGEST_BATCH    10000

struct nt_ingest_result {
    size_t lines;  /* non-blank lines read */
    size_t added;  /* new posts */
    size_t edited; /* new versions of known posts */
    size_t unchanged;
    size_t rejected;
};

/*
 * Read NDJSON posts from data[0..len); `label` names the file in messages
 * and in each version's request URL ("file:LABEL#L12"). Line problems go to
 * `errs`. Returns NT_OK when the good lines were stored (even if some were
 * rejected: see res->rejected). `hook` (or NULL) runs in the transaction for
 * every version stored.
 */
enum nt_err nt_crawl_ingest(struct nt_store *s, const char *label, const char *data, size_t len,
                            time_t now, const struct nt_stored_hook *hook,
                            struct nt_ingest_result *res, struct nt_diag_list *errs,
                            struct nt_diag *d);

/* The same from a stream, read a megabyte at a time: memory stays that of
 * one chunk and the longest line, whatever the file's size. A read error is
 * NT_EIO naming `label` and the line. */
enum nt_err nt_crawl_ingest_file(struct nt_store *s, const char *label, FILE *f, time_t now,
                                 const struct nt_stored_hook *hook, struct nt_ingest_result *res,
                                 struct nt_diag_list *errs, struct nt_diag *d);

#endif
