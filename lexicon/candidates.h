/*
 * candidates.h - candidate entries from the KPU final candidate lists (DCT).
 *
 * Input: the KPU CSV (level, kode_dapil, nama_dapil, nomor_urut_partai,
 * nama_partai, nomor_urut, nama, ...) and, optionally, the electoral
 * district -> region table (dapil_wilayah.json). Each candidate becomes an
 * entry of kind "candidate": the name without titles and degrees (and a
 * nickname given in parentheses), scoped to the regions of their district,
 * referring to their party when the lexicon has it, and of low specificity
 * when the name is one word or very common, so it only counts beside other
 * evidence. Entries from an earlier import of the same level are replaced.
 *
 * Pilkada lists (regional heads) come in the same columns: level Gubernur,
 * Bupati or Wali Kota (and "Wakil ..."), kode_dapil the Kemendagri code of
 * the race's region ("76", "7604"), nama_dapil its name, nomor_urut the
 * pair's ballot number, nomor_urut_partai empty: each candidate is scoped
 * to that region.
 */
#ifndef NT_LEX_CANDIDATES_H
#define NT_LEX_CANDIDATES_H

#include <stddef.h>

#include "diag.h"

struct nt_lex_candidates_result {
    size_t rows;     /* candidate rows read */
    size_t added;    /* entries added */
    size_t replaced; /* entries of an earlier import removed */
    size_t low;      /* entries of low specificity */
};

/*
 * Merge the candidates of csv[0..csv_len) into the lexicon JSON base[0..blen)
 * and return the new lexicon JSON in *out (caller frees). `dapil` may be
 * NULL (then each district is scoped to its province). Row problems go to
 * `errs` as "FILE:LINE: field: reason"; any problem rejects the whole file
 * (NT_EINPUT) and nothing is returned.
 */
enum nt_err nt_lex_candidates_merge(const char *base, size_t blen, const char *csv_label,
                                    const char *csv, size_t csv_len, const char *dapil_label,
                                    const char *dapil, size_t dapil_len, char **out,
                                    struct nt_lex_candidates_result *res, struct nt_diag_list *errs,
                                    struct nt_diag *d);

#endif
