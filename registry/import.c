/*
 * import.c - the shared mechanics of registry imports.
 */
#include "db.h"
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "hash.h"
#include "utf8.h"

void imp_error(struct imp *im, unsigned long line, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nt_diag_list_vaddf(im->errs, im->label, line, field, fmt, ap);
    va_end(ap);
}

void imp_error_diag(struct imp *im, unsigned long line, const char *field, struct nt_diag *d)
{
    nt_diag_at(d, im->label, line, field);
    nt_diag_list_add(im->errs, d);
}

/* Header names alike when equal without case, with ' ' and '_' the same. */
static bool same_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = *a == ' ' ? '_' : (unsigned char)*a, y = *b == ' ' ? '_' : (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

enum nt_err imp_begin(struct imp *im, const char *label, const char *data, size_t len,
                      const char *const *cols, size_t ncols, size_t nreq,
                      const struct imp_alias *aliases, struct nt_diag_list *errs)
{
    struct nt_csv_record hdr;
    struct nt_diag d;
    enum nt_err err;

    memset(im, 0, sizeof(*im));
    im->label = label;
    im->errs = errs;
    im->cols = cols;
    nt_csv_init(&im->csv, label, data, len);
    nt_diag_clear(&d);
    err = nt_csv_next(&im->csv, &hdr, &d);
    if (err) {
        nt_diag_list_add(errs, &d);
        return NT_EINPUT;
    }
    if (hdr.count == 0) {
        imp_error(im, 1, NULL, "berkas kosong: baris judul (%s, ...) tidak ada", cols[0]);
        return NT_EINPUT;
    }
    for (size_t i = 0; i < hdr.count; i++) {
        if (!nt_utf8_valid(hdr.fields[i], hdr.lens[i], NULL)) {
            imp_error(im, hdr.line, NULL, "baris judul bukan UTF-8 yang sah");
            return NT_EINPUT;
        }
    }
    /* An export's own names become Netra's: the mapping below is exact. */
    size_t nnames = 0;
    for (size_t i = 0; aliases && i < hdr.count; i++)
        for (const struct imp_alias *a = aliases; a->alias; a++)
            if (same_name(hdr.fields[i], a->alias) && nnames < 16) {
                char *n = im->names[nnames++];
                snprintf(n, sizeof(im->names[0]), "%s", a->col);
                hdr.fields[i] = n;
                hdr.lens[i] = strlen(n);
                break;
            }
    im->ncols_header = hdr.count;
    return nt_csv_map_header(label, &hdr, cols, ncols, nreq, im->idx, errs);
}

void imp_release(struct imp *im)
{
    nt_csv_release(&im->csv);
}

enum nt_err imp_next(struct imp *im, struct nt_csv_record *rec, bool *usable)
{
    struct nt_diag d;
    nt_diag_clear(&d);
    enum nt_err err = nt_csv_next(&im->csv, rec, &d);
    *usable = false;
    if (err == NT_ENOMEM)
        return err;
    if (err) {
        im->rows++;
        im->rejected++;
        nt_diag_list_add(im->errs, &d);
        rec->count = 1; /* not the end: keep reading */
        return NT_OK;
    }
    if (rec->count == 0)
        return NT_OK;
    im->rows++;
    if (rec->count != im->ncols_header) {
        imp_error(im, rec->line, NULL, "baris berisi %zu kolom, baris judul %zu kolom", rec->count,
                  im->ncols_header);
        im->rejected++;
        return NT_OK;
    }
    *usable = true;
    return NT_OK;
}

/* Trim and collapse blanks in place; returns the new length. */
static size_t tidy(char *s, size_t len)
{
    size_t o = 0;
    bool blank = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t') {
            blank = o > 0;
            continue;
        }
        if (blank)
            s[o++] = ' ';
        blank = false;
        s[o++] = c;
    }
    s[o] = '\0';
    return o;
}

char *imp_field(struct imp *im, const struct nt_csv_record *rec, int col, size_t maxlen,
                bool required)
{
    const char *name = NULL;
    for (size_t i = 0; i < 8; i++) {
        if (im->idx[i] == col && col >= 0) {
            name = im->cols[i];
            break;
        }
    }
    static char empty[1];
    if (col < 0)
        return empty;
    char *v = rec->fields[col];
    size_t len = rec->lens[col], bad;
    if (!nt_utf8_valid(v, len, &bad)) {
        imp_error(im, rec->line, name, "bukan UTF-8 yang sah (byte ke-%zu)", bad + 1);
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            imp_error(im, rec->line, name, "mengandung karakter kendali (byte ke-%zu)", i + 1);
            return NULL;
        }
    }
    len = tidy(v, len);
    if (required && len == 0) {
        imp_error(im, rec->line, name, "wajib diisi");
        return NULL;
    }
    if (nt_utf8_width(v, len) > maxlen) {
        imp_error(im, rec->line, name, "terlalu panjang (lebih dari %zu karakter)", maxlen);
        return NULL;
    }
    return v;
}

const char *imp_pick(const char *v, const char *const *allowed, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(v, allowed[i]) == 0)
            return allowed[i];
    return NULL;
}

enum nt_err imp_rejected(struct imp *im, struct nt_diag *d)
{
    nt_diag_at(d, im->label, 0, NULL);
    return nt_diag_set(
        d, NT_EINPUT,
        "impor ditolak: %zu dari %zu baris bermasalah; basis data tidak diubah "
        "(perbaiki berkas, atau pakai --skip-invalid untuk mengimpor baris yang sah)",
        im->rejected, im->rows);
}

enum nt_err imp_record(struct nt_store *s, const char *kind, const char *label, const char *data,
                       size_t len, const struct nt_reg_import_opts *o,
                       struct nt_reg_import_result *res, struct nt_diag *d)
{
    char sha[NT_SHA256_HEX_LEN + 1], at[32];
    struct nt_db_stmt *st = NULL;

    nt_sha256_hex(data, len, sha);
    nt_time_iso(o->now, at, sizeof(at));
    enum nt_err err =
        nt_db_prepare_insert(nt_store_dbh(s),
                             "INSERT INTO imports(kind, source, sha256, actor, at, rows_total, "
                             "rows_rejected, added, updated, unchanged, reactivated, "
                             "deactivated) VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, 0, 0, 0, 0)",
                             &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, kind);
    nt_db_bind_text(st, 2, label);
    nt_db_bind_text(st, 3, sha);
    nt_db_bind_text(st, 4, o->actor ? o->actor : "netra");
    nt_db_bind_text(st, 5, at);
    err = nt_db_insert(st, &res->import_id, d);
    nt_db_finalize(st);
    return err;
}

enum nt_err imp_record_counts(struct nt_store *s, const struct nt_reg_import_result *res,
                              struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    enum nt_err err = nt_db_prepare(
        nt_store_dbh(s),
        "UPDATE imports SET rows_total = ?2, rows_rejected = ?3, added = ?4, updated = ?5, "
        "unchanged = ?6, reactivated = ?7, deactivated = ?8 WHERE id = ?1",
        &st, d);
    if (err)
        return err;
    const size_t v[] = { res->rows,      res->rejected,    res->added,      res->updated,
                         res->unchanged, res->reactivated, res->deactivated };
    nt_db_bind_int64(st, 1, res->import_id);
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        nt_db_bind_int64(st, (int)i + 2, (int64_t)v[i]);
    err = nt_db_run(st, d);
    nt_db_finalize(st);
    return err;
}
