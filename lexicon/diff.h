/*
 * diff.h - what changed between two lexicons, entry by entry and rule by
 * rule, in words an analyst reads before activating a version.
 */
#ifndef NT_LEX_DIFF_H
#define NT_LEX_DIFF_H

#include "buf.h"
#include "lexicon.h"

/*
 * Append to `out` one line per difference between `a` and `b`:
 *   "+ entri ID (kind): label", "- entri ID ...", "~ entri ID: terms +\"x\" -\"y\"; bobot 2 -> 3",
 *   the same for rules and contestants, and threshold changes.
 * Returns the number of differences in *count.
 */
enum nt_err nt_lex_diff(const struct nt_lex *a, const struct nt_lex *b, struct nt_buf *out,
                        size_t *count);

#endif
