/*
 * corpus.c - see corpus.h.
 */
#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "corpus.h"
#include "csv.h"

static bool tsv_first_fields(const struct nt_buf *b, bench_corpus_fn each, void *ctx)
{
    for (const char *p = b->data, *end = b->data + b->len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        const char *tab = memchr(p, '\t', (size_t)(e - p));
        if (tab && tab > p)
            each(p, (size_t)(tab - p), ctx);
        p = nl ? nl + 1 : end;
    }
    return true;
}

static bool csv_column(const char *path, const struct nt_buf *b, const char *col,
                       bench_corpus_fn each, void *ctx)
{
    struct nt_csv c;
    struct nt_csv_record r;
    nt_csv_init(&c, path, b->data, b->len);
    int idx = -1;
    if (nt_csv_next(&c, &r, NULL) == NT_OK)
        for (size_t i = 0; i < r.count; i++)
            if (strcmp(r.fields[i], col) == 0)
                idx = (int)i;
    while (idx >= 0) {
        enum nt_err e = nt_csv_next(&c, &r, NULL);
        if (e == NT_OK && r.count == 0)
            break;
        if (e == NT_OK && r.count > (size_t)idx)
            each(r.fields[idx], r.lens[idx], ctx);
    }
    nt_csv_release(&c);
    return idx >= 0;
}

bool bench_corpus(const char *path, const char *col, bench_corpus_fn each, void *ctx)
{
    struct nt_buf b;
    nt_buf_init(&b, (size_t)1 << 30);
    bool ok = nt_file_read(path, &b, NULL) == NT_OK &&
              (col ? csv_column(path, &b, col, each, ctx) : tsv_first_fields(&b, each, ctx));
    nt_buf_release(&b);
    return ok;
}
