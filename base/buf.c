/*
 * buf.c - bounded growable buffer and whole-file reading.
 */
#include "buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nt_buf_init(struct nt_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void nt_buf_release(struct nt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void nt_buf_reset(struct nt_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static enum nt_err reserve(struct nt_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return NT_ETOOBIG;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return NT_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return NT_ENOMEM;
    b->data = p;
    b->cap = cap;
    return NT_OK;
}

enum nt_err nt_buf_append(struct nt_buf *b, const void *p, size_t n)
{
    enum nt_err err = reserve(b, n);
    if (err)
        return err;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return NT_OK;
}

enum nt_err nt_buf_append_str(struct nt_buf *b, const char *s)
{
    return nt_buf_append(b, s, strlen(s));
}

enum nt_err nt_buf_appendf(struct nt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NT_EINTERNAL;
    enum nt_err err = reserve(b, (size_t)n);
    if (err)
        return err;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return NT_OK;
}

const char *nt_buf_str(const struct nt_buf *b)
{
    return b->data ? b->data : "";
}

char *nt_buf_detach(struct nt_buf *b, size_t *len)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

enum nt_err nt_file_read(const char *path, struct nt_buf *out, struct nt_diag *d)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    enum nt_err err = NT_OK;
    char chunk[65536];

    if (!f) {
        int e = errno;
        nt_diag_at(d, path, 0, NULL);
        return nt_diag_set(d, e == ENOENT ? NT_ENOTFOUND : NT_EIO, "tidak dapat membuka berkas: %s",
                           strerror(e));
    }
    for (;;) {
        size_t n = fread(chunk, 1, sizeof(chunk), f);
        if (n > 0) {
            err = nt_buf_append(out, chunk, n);
            if (err == NT_ETOOBIG) {
                nt_diag_at(d, path, 0, NULL);
                nt_diag_set(d, err, "berkas lebih besar dari batas %zu byte", out->max);
                goto out;
            }
            if (err) {
                nt_diag_at(d, path, 0, NULL);
                nt_diag_set(d, err, "%s", nt_err_str(err));
                goto out;
            }
        }
        if (n < sizeof(chunk)) {
            if (ferror(f)) {
                nt_diag_at(d, path, 0, NULL);
                err = nt_diag_set(d, NT_EIO, "gagal membaca berkas: %s", strerror(errno));
            }
            break;
        }
    }
    if (!out->data)
        err = nt_buf_append(out, "", 0);
out:
    if (!is_stdin)
        fclose(f);
    return err;
}

enum nt_err nt_buf_append_html(struct nt_buf *b, const char *s)
{
    enum nt_err err = NT_OK;
    while (*s && !err) {
        size_t plain = strcspn(s, "&<>\"'");
        err = nt_buf_append(b, s, plain);
        s += plain;
        if (!*s || err)
            break;
        err = nt_buf_append_str(b, *s == '&'   ? "&amp;"
                                   : *s == '<' ? "&lt;"
                                   : *s == '>' ? "&gt;"
                                   : *s == '"' ? "&quot;"
                                               : "&#39;");
        s++;
    }
    return err;
}

enum nt_err nt_grow(void *arrayp, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return NT_OK;
    size_t c = *cap ? *cap : first;
    while (c <= n) {
        if (c > SIZE_MAX / 2 / size)
            return NT_ENOMEM;
        c *= 2;
    }
    void *old;
    memcpy(&old, arrayp, sizeof(old));
    void *p = realloc(old, c * size);
    if (!p)
        return NT_ENOMEM;
    memcpy(arrayp, &p, sizeof(p));
    *cap = c;
    return NT_OK;
}
