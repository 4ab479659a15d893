/*
 * agency.h - an agency's database as the benchmarks build it, through the
 * real binary: `netra init`, an admin linked to this OS user, a registry of
 * BENCH_EMPLOYEES people in BENCH_AGENCIES agencies with two accounts each
 * (`employees import`, `accounts import`), the bundled lexicon (`lexicon
 * import --activate`), and an NDJSON file of posts for `netra ingest`. The
 * texts: the political X posts of ../shared/corpora among ordinary
 * Indonesian sentences (SMSA), read at run time; generated sentences
 * without them. bench_review and bench_scan share it, so their
 * databases hold the same posts.
 */
#ifndef NT_BENCH_AGENCY_H
#define NT_BENCH_AGENCY_H

#include "common.h"

#define BENCH_EMPLOYEES 20000
#define BENCH_AGENCIES  20

/*
 * A fresh database at `db` (its old files removed) with the registry and
 * the active lexicon from `datadir`, and `posts_path` holding `posts_n`
 * posts (ids 1..posts_n, spread over the accounts and three months of
 * 2023) for the caller to ingest: one in `political_every` a political X
 * post (7 in the benchmarks; 0: none), the others ordinary sentences.
 */
void bench_agency(char *netra, char *db, const char *corpora, const char *datadir, int posts_n,
                  int political_every, const char *posts_path);

#endif
