/*
 * rows.h - reading and merging the lists the lexicon imports
 * (candidates, campaign accounts), internal to the lexicon module.
 */
#ifndef NT_LEX_ROWS_H
#define NT_LEX_ROWS_H

#include <jansson.h>
#include <stdbool.h>

#include "csv.h"
#include "diag.h"

/* A list's CSV and the lexicon it goes into: the base lexicon parsed
 * (*root, with its entries), the header read and the columns cols[0..n)
 * mapped into idx. `what` names the list in errors ("calon"). */
enum nt_err nt_lex_list_open(const char *base, size_t blen, json_t **root, struct nt_csv *c,
                             const char *label, const char *const *cols, int n, int *idx,
                             const char *what, struct nt_diag_list *errs, struct nt_diag *d);

/* The next row whose columns are all there and UTF-8 (false at the end);
 * a row missing one is reported and skipped, counted in *rows. */
bool nt_lex_list_next(struct nt_csv *c, struct nt_csv_record *rec, const char *const *cols, int n,
                      const int *idx, size_t *rows, struct nt_diag_list *errs);

/* After the rows: any problem rejects the list, so does a list without
 * rows (NT_EINPUT, naming the file). */
enum nt_err nt_lex_list_check(const char *label, const char *what, json_t *added,
                              struct nt_diag_list *errs, struct nt_diag *d);

/* The lexicon with the entries of an earlier import replaced: every entry
 * whose id `earlier` recognises removed (counted in *replaced), `added`
 * appended (counted in *nadded); the JSON in *out (caller frees). */
enum nt_err nt_lex_list_merge(json_t *root, json_t *added,
                              bool (*earlier)(const char *id, const void *arg), const void *arg,
                              size_t *replaced, size_t *nadded, char **out, struct nt_diag *d);

#endif
