/*
 * stored_hook.h - what runs when a post version is stored: the pipeline
 * scores it there, inside the transaction that stores it, so that no post is
 * ever committed without its score (crawl, --watch, netra run, ingest).
 */
#ifndef NT_CRAWL_STORED_HOOK_H
#define NT_CRAWL_STORED_HOOK_H

#include <stdint.h>

#include "diag.h"

struct nt_stored_hook {
    /* Called for every new version (a new post, or an edit), after it is
     * inserted and before the unit commits; an error rolls the unit back
     * (the post is fetched again next time). NULL: nothing runs. */
    enum nt_err (*stored)(void *user, int64_t version_id, struct nt_diag *d);
    /* Called before every commit of the transaction the versions were
     * stored in (the pipeline finishes what it batched there: the queue's
     * search index). NULL: nothing runs. */
    enum nt_err (*before_commit)(void *user, struct nt_diag *d);
    void *user;
};

#endif
