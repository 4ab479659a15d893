/*
 * explain.h - a scoring result as JSON: what people (and the review queue)
 * read to see why a post was flagged.
 */
#ifndef NT_MATCH_EXPLAIN_H
#define NT_MATCH_EXPLAIN_H

#include <jansson.h>

#include "matcher.h"

/*
 * The result of scanning text[0..len) with `m` as a new JSON object:
 * score, level, categories, contestants, hits (entry, kind, label, start,
 * end, match = the original substring, via, counted, weight), rules fired
 * (id, category, score, hits), score breakdown and lexicon version.
 * Returns NULL when out of memory. The caller owns the object.
 */
json_t *nt_match_explain(const struct nt_matcher *m, const struct nt_result *r, const char *text,
                         size_t len);

/*
 * The same without the hits: for a store that keeps each hit as a row of
 * its own (the scan job), where a copy in the document would only repeat
 * them. The rules still name their hits by position in the result.
 */
json_t *nt_match_explain_verdict(const struct nt_matcher *m, const struct nt_result *r);

#endif
