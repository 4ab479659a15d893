/*
 * rows.h - a row problem of a list the lexicon imports (candidates,
 * campaign accounts), internal to the lexicon module.
 */
#ifndef NT_LEX_ROWS_H
#define NT_LEX_ROWS_H

#include <jansson.h>
#include <stdbool.h>

#include "csv.h"
#include "diag.h"

/* "FILE:LINE: field: message" into `errs` as NT_EINPUT. */
void nt_lex_row_error(struct nt_diag_list *errs, const char *file, unsigned long line,
                      const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

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

#endif
