/*
 * diag.h - diagnostics: what went wrong and where (file, line, column, field).
 *
 * A function that can fail takes an optional `struct nt_diag *` and fills it
 * when it returns an error; callers that do not care pass NULL. The program
 * layer formats it as one line: "FILE:LINE: field: message".
 * `struct nt_diag_list` collects many diagnostics (e.g. every bad row of an
 * import file) up to a bound; beyond it only a count is kept.
 */
#ifndef NT_DIAG_H
#define NT_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "error.h"

#define NT_DIAG_FILE_MAX  256
#define NT_DIAG_FIELD_MAX 128
#define NT_DIAG_MSG_MAX   512

struct nt_diag {
    enum nt_err err;
    char file[NT_DIAG_FILE_MAX];   /* "" when not about a file */
    unsigned long line;            /* 1-based; 0 when unknown */
    unsigned long col;             /* 1-based; 0 when unknown */
    char field[NT_DIAG_FIELD_MAX]; /* column or JSON field name, "" when none */
    char msg[NT_DIAG_MSG_MAX];     /* what went wrong, Indonesian, no location */
};

/* Reset to "no error, nowhere". */
void nt_diag_clear(struct nt_diag *d);

/*
 * Record `err` with a printf-style message and return `err`, so callers can
 * write `return nt_diag_set(d, NT_EINPUT, "...")`. `d` may be NULL. The
 * location fields are left as they are (set them with nt_diag_at()).
 */
enum nt_err nt_diag_set(struct nt_diag *d, enum nt_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
enum nt_err nt_diag_vset(struct nt_diag *d, enum nt_err err, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Set the location; any argument may be NULL/0 for "unknown". `d` may be NULL. */
void nt_diag_at(struct nt_diag *d, const char *file, unsigned long line, const char *field);

/*
 * Format as "FILE:LINE:COL: field: message" leaving out the parts that are
 * unknown. Always NUL-terminates `out` (truncating). Returns `out`.
 */
char *nt_diag_format(const struct nt_diag *d, char *out, size_t n);

struct nt_diag_list {
    struct nt_diag *items;
    size_t count;   /* stored diagnostics */
    size_t dropped; /* diagnostics beyond `max`, counted only */
    size_t cap;
    size_t max; /* bound on `count`; set by nt_diag_list_init */
};

void nt_diag_list_init(struct nt_diag_list *l, size_t max);
void nt_diag_list_release(struct nt_diag_list *l);
/* Copy `d` into the list. Past `max` (or on allocation failure) it is counted. */
void nt_diag_list_add(struct nt_diag_list *l, const struct nt_diag *d);
/* "FILE:LINE: field: message" as NT_EINPUT into the list (a bad row of
 * an input file; `file` may be NULL, `line` 0, `field` NULL). */
void nt_diag_list_addf(struct nt_diag_list *l, const char *file, unsigned long line,
                       const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void nt_diag_list_vaddf(struct nt_diag_list *l, const char *file, unsigned long line,
                        const char *field, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
/* Total including dropped ones. */
size_t nt_diag_list_total(const struct nt_diag_list *l);

#endif
