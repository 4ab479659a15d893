/*
 * csv.h - an RFC 4180 CSV reader over a buffer in memory, as exported by
 * spreadsheets that agencies actually use.
 *
 * Accepts a UTF-8 byte-order mark, CRLF/LF/CR line ends, quoted fields with
 * doubled quotes and embedded line breaks, blank lines (skipped), blanks
 * around fields (trimmed), and ',' ';' or TAB as separator (detected from
 * the header line, as Indonesian spreadsheet locales export ';').
 * Every record carries the line number it starts on, so callers can report
 * "FILE:LINE: field: reason". A malformed record is reported and skipped;
 * the reader resynchronises at the next line, so all errors can be listed.
 * Text is not checked for UTF-8 here: callers validate per field and name it.
 */
#ifndef NT_CSV_H
#define NT_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"

#define NT_CSV_MAX_FIELDS    256
#define NT_CSV_MAX_FIELD_LEN (64 * 1024)

struct nt_csv_record {
    unsigned long line; /* line the record starts on (1-based) */
    size_t count;       /* number of fields; 0 at end of input */
    char **fields;      /* NUL-terminated; borrowed until the next nt_csv_next() */
    size_t *lens;       /* byte length of each field */
};

struct nt_csv {
    const char *file; /* label for diagnostics; borrowed */
    const char *p, *end;
    unsigned long line;
    char sep;
    struct nt_buf bytes; /* field contents of the current record */
    size_t *offs;
    size_t *lens;
    char **ptrs;
    size_t cap;
};

/*
 * Start reading data[0..len). `file` and `data` are borrowed and must outlive
 * the reader. A leading UTF-8 BOM is skipped; the separator is detected.
 */
void nt_csv_init(struct nt_csv *c, const char *file, const char *data, size_t len);
void nt_csv_release(struct nt_csv *c);

/*
 * Read the next record into `rec` (rec->count == 0 at the end). On a
 * malformed record returns NT_EINPUT (or NT_ETOOBIG) with file, line and
 * column in `d`; the next call continues after it.
 */
enum nt_err nt_csv_next(struct nt_csv *c, struct nt_csv_record *rec, struct nt_diag *d);

/*
 * Read the next well-formed record: malformed ones are added to `errs` and
 * skipped. False at the end of the input.
 */
bool nt_csv_next_valid(struct nt_csv *c, struct nt_csv_record *rec, struct nt_diag_list *errs);

/*
 * Map a header record to column positions. `names[i]` is looked up
 * case-insensitively; `idx[i]` receives its position or -1. Every name
 * before `n_required` must be present. Problems (missing or duplicate
 * columns) are added to `errs` with the header's line; returns NT_EINPUT
 * if there was any. Columns not in `names` are ignored.
 */
enum nt_err nt_csv_map_header(const char *file, const struct nt_csv_record *hdr,
                              const char *const *names, size_t n, size_t n_required, int *idx,
                              struct nt_diag_list *errs);

#endif
