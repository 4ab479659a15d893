/*
 * rows.c - reading the lists the lexicon imports (KPU candidate lists,
 * campaign accounts): the base lexicon, the header, the rows, the verdict.
 */
#include "rows.h"

#include <stdio.h>

#include "utf8.h"

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
                nt_diag_list_addf(errs, c->file, rec->line, cols[k],
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

enum nt_err nt_lex_list_merge(json_t *root, json_t *added,
                              bool (*earlier)(const char *id, const void *arg), const void *arg,
                              size_t *replaced, size_t *nadded, char **out, struct nt_diag *d)
{
    json_t *kept = json_array(), *en;
    size_t i;
    json_array_foreach(json_object_get(root, "entries"), i, en)
    {
        const char *eid = json_string_value(json_object_get(en, "id"));
        if (eid && earlier(eid, arg))
            (*replaced)++;
        else
            json_array_append(kept, en);
    }
    json_array_extend(kept, added);
    *nadded = json_array_size(added);
    json_object_set_new(root, "entries", kept);
    *out = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    return *out ? NT_OK : nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
}
