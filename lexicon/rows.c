/*
 * rows.c - reading the lists the lexicon imports (KPU candidate lists,
 * campaign accounts): the base lexicon, the header, the rows, the verdict.
 */
#include "rows.h"

#include <stdarg.h>
#include <stdio.h>

#include "utf8.h"

void nt_lex_row_error(struct nt_diag_list *errs, const char *file, unsigned long line,
                      const char *field, const char *fmt, ...)
{
    struct nt_diag d;
    va_list ap;
    nt_diag_clear(&d);
    nt_diag_at(&d, file, line, field);
    va_start(ap, fmt);
    nt_diag_vset(&d, NT_EINPUT, fmt, ap);
    va_end(ap);
    nt_diag_list_add(errs, &d);
}

enum nt_err nt_lex_list_open(const char *base, size_t blen, json_t **root, struct nt_csv *c,
                             const char *label, const char *const *cols, int n, int *idx,
                             const char *what, struct nt_diag_list *errs, struct nt_diag *d)
{
    json_error_t je;
    struct nt_csv_record rec;
    struct nt_diag e;
    *root = json_loadb(base, blen, 0, &je);
    if (!*root || !json_is_array(json_object_get(*root, "entries")))
        return nt_diag_set(d, NT_EINPUT, "leksikon dasar tidak sah: %s",
                           *root ? "tidak ada daftar entries" : je.text);
    nt_diag_clear(&e);
    if (nt_csv_next(c, &rec, &e) != NT_OK || rec.count == 0) {
        nt_diag_at(d, label, 1, NULL);
        return nt_diag_set(d, NT_EINPUT, "berkas %s kosong atau baris judul rusak", what);
    }
    if (nt_csv_map_header(label, &rec, cols, n, n, idx, errs) != NT_OK) {
        nt_diag_at(d, label, 1, NULL);
        return nt_diag_set(d, NT_EINPUT, "kolom wajib berkas %s tidak lengkap", what);
    }
    return NT_OK;
}

bool nt_lex_list_next(struct nt_csv *c, struct nt_csv_record *rec, const char *const *cols, int n,
                      const int *idx, size_t *rows, struct nt_diag_list *errs)
{
    while (nt_csv_next_valid(c, rec, errs)) {
        bool ok = true;
        (*rows)++;
        for (int k = 0; k < n; k++)
            if ((size_t)idx[k] >= rec->count ||
                !nt_utf8_valid(rec->fields[idx[k]], rec->lens[idx[k]], NULL)) {
                nt_lex_row_error(errs, c->file, rec->line, cols[k],
                                 "tidak ada atau bukan UTF-8 yang sah");
                ok = false;
            }
        if (ok)
            return true;
    }
    return false;
}

enum nt_err nt_lex_list_check(const char *label, const char *what, json_t *added,
                              struct nt_diag_list *errs, struct nt_diag *d)
{
    if (nt_diag_list_total(errs)) {
        nt_diag_at(d, label, 0, NULL);
        return nt_diag_set(d, NT_EINPUT, "berkas %s ditolak: %zu masalah; leksikon tidak diubah",
                           what, nt_diag_list_total(errs));
    }
    if (json_array_size(added) == 0) {
        nt_diag_at(d, label, 0, NULL);
        return nt_diag_set(d, NT_EINPUT, "berkas %s tanpa baris %s", what, what);
    }
    return NT_OK;
}
