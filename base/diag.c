/*
 * diag.c - filling, formatting and collecting diagnostics.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_str(char *dst, size_t n, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    size_t len = strlen(src);
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

void nt_diag_clear(struct nt_diag *d)
{
    if (!d)
        return;
    memset(d, 0, sizeof(*d));
}

enum nt_err nt_diag_vset(struct nt_diag *d, enum nt_err err, const char *fmt, va_list ap)
{
    if (!d)
        return err;
    d->err = err;
    if (vsnprintf(d->msg, sizeof(d->msg), fmt, ap) < 0)
        copy_str(d->msg, sizeof(d->msg), nt_err_str(err));
    return err;
}

enum nt_err nt_diag_set(struct nt_diag *d, enum nt_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nt_diag_vset(d, err, fmt, ap);
    va_end(ap);
    return err;
}

void nt_diag_at(struct nt_diag *d, const char *file, unsigned long line, const char *field)
{
    if (!d)
        return;
    copy_str(d->file, sizeof(d->file), file);
    d->line = line;
    d->col = 0;
    copy_str(d->field, sizeof(d->field), field);
}

char *nt_diag_format(const struct nt_diag *d, char *out, size_t n)
{
    size_t off = 0;
    int w;
#define APPEND(...)                                                                                \
    do {                                                                                           \
        if (off < n) {                                                                             \
            w = snprintf(out + off, n - off, __VA_ARGS__);                                         \
            if (w > 0)                                                                             \
                off += (size_t)w;                                                                  \
        }                                                                                          \
    } while (0)
    if (n == 0)
        return out;
    out[0] = '\0';
    if (d->file[0]) {
        APPEND("%s:", d->file);
        if (d->line)
            APPEND("%lu:", d->line);
        if (d->line && d->col)
            APPEND("%lu:", d->col);
        APPEND(" ");
    }
    if (d->field[0])
        APPEND("%s: ", d->field);
    APPEND("%s", d->msg[0] ? d->msg : nt_err_str(d->err));
#undef APPEND
    return out;
}

void nt_diag_list_init(struct nt_diag_list *l, size_t max)
{
    memset(l, 0, sizeof(*l));
    l->max = max;
}

void nt_diag_list_release(struct nt_diag_list *l)
{
    free(l->items);
    memset(l, 0, sizeof(*l));
}

void nt_diag_list_vaddf(struct nt_diag_list *l, const char *file, unsigned long line,
                        const char *field, const char *fmt, va_list ap)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    nt_diag_at(&d, file, line, field);
    nt_diag_vset(&d, NT_EINPUT, fmt, ap);
    nt_diag_list_add(l, &d);
}

void nt_diag_list_addf(struct nt_diag_list *l, const char *file, unsigned long line,
                       const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nt_diag_list_vaddf(l, file, line, field, fmt, ap);
    va_end(ap);
}

void nt_diag_list_add(struct nt_diag_list *l, const struct nt_diag *d)
{
    if (l->count >= l->max) {
        l->dropped++;
        return;
    }
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        if (cap > l->max)
            cap = l->max;
        struct nt_diag *items = realloc(l->items, cap * sizeof(*items));
        if (!items) {
            l->dropped++;
            return;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->count++] = *d;
}

size_t nt_diag_list_total(const struct nt_diag_list *l)
{
    return l->count + l->dropped;
}
