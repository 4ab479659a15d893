/*
 * import.h - what employee and account imports share (internal to the
 * registry): reading the header, walking the rows, checking text fields and
 * collecting "FILE:LINE: field: reason" diagnostics.
 */
#ifndef NT_REG_IMPORT_H
#define NT_REG_IMPORT_H

#include <stdbool.h>

#include "csv.h"
#include "registry.h"

struct imp {
    const char *label;
    struct nt_diag_list *errs;
    struct nt_csv csv;
    const char *const *cols;
    int idx[12];
    char names[16][32]; /* header names put in place of an export's own */
    size_t ncols_header;
    size_t rows;
    size_t rejected;
};

/* Another name for a column in the header of an export ({"nip_baru",
 * "nip"}): compared without case, spaces and underscores alike. */
struct imp_alias {
    const char *alias, *col;
};

/*
 * Start reading: header line, column map (`cols[0..nreq)` required, up to
 * 12 columns; `aliases` (NULL-terminated, may be NULL) other names of
 * them). NT_EINPUT when the header is missing or wrong (diagnostics in
 * `errs`). The reader must be released with imp_release() either way.
 */
enum nt_err imp_begin(struct imp *im, const char *label, const char *data, size_t len,
                      const char *const *cols, size_t ncols, size_t nreq,
                      const struct imp_alias *aliases, struct nt_diag_list *errs);
void imp_release(struct imp *im);

/*
 * Next data row into `rec` (count == 0 at the end). A malformed row (CSV
 * structure, wrong number of columns) is reported, counted as rejected and
 * `*usable` set false; the caller skips it. Only allocation failures are
 * returned as errors.
 */
enum nt_err imp_next(struct imp *im, struct nt_csv_record *rec, bool *usable);

/*
 * Column `col` of `rec`, trimmed with inner runs of blanks collapsed (in
 * place). Checks UTF-8, control characters, `maxlen` code points and, if
 * `required`, non-emptiness; on a problem reports it and returns NULL.
 * An absent optional column gives "".
 */
char *imp_field(struct imp *im, const struct nt_csv_record *rec, int col, size_t maxlen,
                bool required);

/* Report a problem with `field` on `line`. */
void imp_error(struct imp *im, unsigned long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Report a diagnostic whose message was already filled by a validator. */
void imp_error_diag(struct imp *im, unsigned long line, const char *field, struct nt_diag *d);

/* Store an `imports` row for this run; fills res->import_id. */
enum nt_err imp_record(struct nt_store *s, const char *kind, const char *label, const char *data,
                       size_t len, const struct nt_reg_import_opts *o,
                       struct nt_reg_import_result *res, struct nt_diag *d);

/* Fill the counts of the `imports` row at the end of the run. */
enum nt_err imp_record_counts(struct nt_store *s, const struct nt_reg_import_result *res,
                              struct nt_diag *d);

/* Rejection summary into `d`. Returns NT_EINPUT. */
enum nt_err imp_rejected(struct imp *im, struct nt_diag *d);

/* Strings compared without regard to case, against a list; returns the
 * canonical entry or NULL. */
const char *imp_pick(const char *v, const char *const *allowed, size_t n);

#endif
