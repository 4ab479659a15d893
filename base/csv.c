/*
 * csv.c - the CSV reader. A record's field bytes are gathered in one buffer
 * (offsets first, pointers fixed up at the end, since the buffer may move).
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char detect_sep(const char *p, const char *end)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (; p < end; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && (*p == '\n' || *p == '\r'))
            break;
        else if (!quoted && *p == ',')
            comma++;
        else if (!quoted && *p == ';')
            semi++;
        else if (!quoted && *p == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

void nt_csv_init(struct nt_csv *c, const char *file, const char *data, size_t len)
{
    memset(c, 0, sizeof(*c));
    c->file = file;
    c->p = data;
    c->end = data + len;
    c->line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c->p += 3;
    c->sep = detect_sep(c->p, c->end);
    nt_buf_init(&c->bytes, (size_t)NT_CSV_MAX_FIELDS * (NT_CSV_MAX_FIELD_LEN + 1));
}

void nt_csv_release(struct nt_csv *c)
{
    nt_buf_release(&c->bytes);
    free(c->offs);
    free(c->lens);
    free(c->ptrs);
    c->offs = NULL;
    c->lens = NULL;
    c->ptrs = NULL;
    c->cap = 0;
}

static bool is_blank(char ch, char sep)
{
    return (ch == ' ' || ch == '\t') && ch != sep;
}

/* Consume one line end at p (CRLF, LF or CR); returns true if there was one. */
static bool eat_eol(struct nt_csv *c)
{
    if (c->p < c->end && *c->p == '\r') {
        c->p++;
        if (c->p < c->end && *c->p == '\n')
            c->p++;
        c->line++;
        return true;
    }
    if (c->p < c->end && *c->p == '\n') {
        c->p++;
        c->line++;
        return true;
    }
    return false;
}

/* Skip lines holding nothing but blanks. */
static void skip_blank_lines(struct nt_csv *c)
{
    for (;;) {
        const char *q = c->p;
        while (q < c->end && (*q == ' ' || *q == '\t'))
            q++;
        if (q < c->end && (*q == '\r' || *q == '\n')) {
            c->p = q;
            eat_eol(c);
            continue;
        }
        if (q == c->end)
            c->p = q;
        return;
    }
}

/* After an error: drop the rest of the physical line. */
static void resync(struct nt_csv *c)
{
    while (c->p < c->end && *c->p != '\n' && *c->p != '\r')
        c->p++;
    eat_eol(c);
}

static enum nt_err push_field(struct nt_csv *c, size_t *count, size_t start)
{
    if (*count == NT_CSV_MAX_FIELDS)
        return NT_ETOOBIG;
    if (*count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        size_t *offs = realloc(c->offs, cap * sizeof(*offs));
        if (!offs)
            return NT_ENOMEM;
        c->offs = offs;
        size_t *lens = realloc(c->lens, cap * sizeof(*lens));
        if (!lens)
            return NT_ENOMEM;
        c->lens = lens;
        char **ptrs = realloc(c->ptrs, cap * sizeof(*ptrs));
        if (!ptrs)
            return NT_ENOMEM;
        c->ptrs = ptrs;
        c->cap = cap;
    }
    c->offs[*count] = start;
    c->lens[*count] = c->bytes.len - start;
    (*count)++;
    return nt_buf_append(&c->bytes, "", 1) == NT_OK ? NT_OK : NT_ENOMEM;
}

static enum nt_err fail(struct nt_csv *c, struct nt_diag *d, unsigned long line, size_t field,
                        enum nt_err err, const char *msg)
{
    nt_diag_at(d, c->file, line, NULL);
    if (d)
        d->col = field + 1;
    nt_diag_set(d, err, "kolom ke-%zu: %s", field + 1, msg);
    return err;
}

enum nt_err nt_csv_next(struct nt_csv *c, struct nt_csv_record *rec, struct nt_diag *d)
{
    size_t count = 0;
    enum nt_err err;

    memset(rec, 0, sizeof(*rec));
    nt_buf_reset(&c->bytes);
    skip_blank_lines(c);
    if (c->p >= c->end)
        return NT_OK;
    rec->line = c->line;

    for (;;) {
        size_t start = c->bytes.len;
        while (c->p < c->end && is_blank(*c->p, c->sep))
            c->p++;
        if (c->p < c->end && *c->p == '"') {
            unsigned long qline = c->line;
            c->p++;
            for (;;) {
                if (c->p >= c->end) {
                    fail(c, d, qline, count, NT_EINPUT, "tanda kutip pembuka tidak pernah ditutup");
                    return NT_EINPUT;
                }
                char ch = *c->p;
                if (ch == '"') {
                    if (c->p + 1 < c->end && c->p[1] == '"') {
                        err = nt_buf_append(&c->bytes, "\"", 1);
                        c->p += 2;
                    } else {
                        c->p++;
                        break;
                    }
                } else if (ch == '\r' || ch == '\n') {
                    eat_eol(c);
                    err = nt_buf_append(&c->bytes, "\n", 1);
                } else {
                    err = nt_buf_append(&c->bytes, &ch, 1);
                    c->p++;
                }
                if (err)
                    return fail(c, d, rec->line, count, NT_ENOMEM, "memori tidak cukup");
                if (c->bytes.len - start > NT_CSV_MAX_FIELD_LEN) {
                    fail(c, d, rec->line, count, NT_ETOOBIG, "isi kolom terlalu panjang");
                    resync(c);
                    return NT_ETOOBIG;
                }
            }
            while (c->p < c->end && is_blank(*c->p, c->sep))
                c->p++;
            if (c->p < c->end && *c->p != c->sep && *c->p != '\r' && *c->p != '\n') {
                fail(c, d, rec->line, count, NT_EINPUT, "ada karakter setelah tanda kutip penutup");
                resync(c);
                return NT_EINPUT;
            }
        } else {
            const char *q = c->p;
            while (q < c->end && *q != c->sep && *q != '\r' && *q != '\n')
                q++;
            const char *e = q;
            while (e > c->p && is_blank(e[-1], c->sep))
                e--;
            if ((size_t)(e - c->p) > NT_CSV_MAX_FIELD_LEN) {
                fail(c, d, rec->line, count, NT_ETOOBIG, "isi kolom terlalu panjang");
                resync(c);
                return NT_ETOOBIG;
            }
            if (nt_buf_append(&c->bytes, c->p, (size_t)(e - c->p)))
                return fail(c, d, rec->line, count, NT_ENOMEM, "memori tidak cukup");
            c->p = q;
        }
        err = push_field(c, &count, start);
        if (err == NT_ETOOBIG) {
            fail(c, d, rec->line, count, err, "terlalu banyak kolom dalam satu baris");
            resync(c);
            return err;
        }
        if (err)
            return fail(c, d, rec->line, count, err, "memori tidak cukup");
        if (c->p < c->end && *c->p == c->sep) {
            c->p++;
            continue;
        }
        eat_eol(c);
        break;
    }

    for (size_t i = 0; i < count; i++)
        c->ptrs[i] = c->bytes.data + c->offs[i];
    rec->count = count;
    rec->fields = c->ptrs;
    rec->lens = c->lens;
    return NT_OK;
}

bool nt_csv_next_valid(struct nt_csv *c, struct nt_csv_record *rec, struct nt_diag_list *errs)
{
    for (;;) {
        struct nt_diag e;
        nt_diag_clear(&e);
        if (nt_csv_next(c, rec, &e) == NT_OK)
            return rec->count > 0;
        nt_diag_list_add(errs, &e);
        if (c->p >= c->end)
            return false;
    }
}

enum nt_err nt_csv_map_header(const char *file, const struct nt_csv_record *hdr,
                              const char *const *names, size_t n, size_t n_required, int *idx,
                              struct nt_diag_list *errs)
{
    enum nt_err rc = NT_OK;
    struct nt_diag d;

    for (size_t i = 0; i < n; i++)
        idx[i] = -1;
    for (size_t col = 0; col < hdr->count; col++) {
        for (size_t i = 0; i < n; i++) {
            if (strcasecmp(hdr->fields[col], names[i]) != 0)
                continue;
            if (idx[i] >= 0) {
                nt_diag_clear(&d);
                nt_diag_at(&d, file, hdr->line, names[i]);
                nt_diag_set(&d, NT_EINPUT, "kolom muncul dua kali (kolom ke-%d dan ke-%zu)",
                            idx[i] + 1, col + 1);
                nt_diag_list_add(errs, &d);
                rc = NT_EINPUT;
            } else {
                idx[i] = (int)col;
            }
        }
    }
    for (size_t i = 0; i < n_required; i++) {
        if (idx[i] >= 0)
            continue;
        nt_diag_clear(&d);
        nt_diag_at(&d, file, hdr->line, names[i]);
        nt_diag_set(&d, NT_EINPUT, "kolom wajib tidak ada di baris judul");
        nt_diag_list_add(errs, &d);
        rc = NT_EINPUT;
    }
    return rc;
}
