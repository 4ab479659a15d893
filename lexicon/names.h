/*
 * names.h - candidate names as the KPU prints them ("Dr. H. IRMAWAN, S.Sos.,
 * M.M.") turned into the names people write in posts ("irmawan").
 */
#ifndef NT_LEX_NAMES_H
#define NT_LEX_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Strip academic and religious titles, degrees and initials from `raw`.
 * Writes the name in title case into `name` (size n) and a nickname given
 * in parentheses, if any, into `nick` (size nn; "" when none). Returns the
 * number of words in the name (0 when nothing is left).
 */
size_t nt_lex_clean_name(const char *raw, char *name, size_t n, char *nick, size_t nn);

/* True when a cleaned name is too common to count alone (one word, or two
 * words starting with a very common given name such as "Muhammad"). */
bool nt_lex_name_is_common(const char *name, size_t words);

#endif
