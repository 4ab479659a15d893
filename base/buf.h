/*
 * buf.h - a growable byte buffer with a hard maximum size (cf. curl's dynbuf).
 *
 * Every buffer that holds outside input has a bound: appending past `max`
 * fails with NT_ETOOBIG and leaves the buffer as it was. `data` is always
 * NUL-terminated once anything was appended, so text can be used directly.
 * Embedded in its owner: nt_buf_init() / nt_buf_release().
 */
#ifndef NT_BUF_H
#define NT_BUF_H

#include <stddef.h>

#include "diag.h"

struct nt_buf {
    char *data; /* NULL until the first append; owned */
    size_t len; /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* largest allowed `len` */
};

void nt_buf_init(struct nt_buf *b, size_t max);
void nt_buf_release(struct nt_buf *b);
/* Forget the contents, keep the allocation. */
void nt_buf_reset(struct nt_buf *b);

enum nt_err nt_buf_append(struct nt_buf *b, const void *p, size_t n);
enum nt_err nt_buf_append_str(struct nt_buf *b, const char *s);
enum nt_err nt_buf_appendf(struct nt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The contents as a C string ("" when empty); borrowed, valid until the next change. */
const char *nt_buf_str(const struct nt_buf *b);

/* Append text escaped for HTML element content and quoted attribute
 * values (& < > " '); everything else is copied as is. */
enum nt_err nt_buf_append_html(struct nt_buf *b, const char *s);

/*
 * Hand the allocation to the caller (free() it) and reset the buffer.
 * Returns an allocated "" for an empty buffer; NULL only when out of memory.
 */
char *nt_buf_detach(struct nt_buf *b, size_t *len);

/*
 * Read a whole file into `out` (appending). Fails with NT_ETOOBIG when the
 * file is larger than `out->max` allows, NT_EIO/NT_ENOTFOUND with the path in
 * `d` otherwise. "-" reads standard input.
 */
enum nt_err nt_file_read(const char *path, struct nt_buf *out, struct nt_diag *d);

/* Room for element n of the growable array at *(T **)arrayp, *cap elements
 * of `size` bytes: doubled when full (`first` elements the first time).
 * NT_ENOMEM (the array unchanged) when it cannot grow. */
enum nt_err nt_grow(void *arrayp, size_t *cap, size_t n, size_t size, size_t first);

#endif
