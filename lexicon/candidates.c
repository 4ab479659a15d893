/*
 * candidates.c - building candidate entries from KPU lists with Jansson.
 */
#include "candidates.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "names.h"
#include "region.h"
#include "rows.h"
#include "utf8.h"

/* Short level names used in entry ids, the dapil table's spelling, and
 * whether the level is a Pilkada race: then kode_dapil is the Kemendagri
 * code of the region itself (province "76", regency or city "7604"), the
 * ballot number is the pair's (paslon), and the entry's kind says so. */
static const struct {
    const char *csv;
    const char *tag;
    const char *dapil;
    bool pilkada;
} levels[] = {
    { "DPR RI", "dpr", "DPR RI", false },
    { "DPD", "dpd", NULL, false },
    { "DPRD Provinsi", "dprdprov", "DPRD PROVINSI", false },
    { "DPRD Kabupaten/Kota", "dprdkab", "DPRD KABUPATEN/KOTA", false },
    { "Gubernur", "pilgub", NULL, true },
    { "Wakil Gubernur", "pilgub", NULL, true },
    { "Bupati", "pilbup", NULL, true },
    { "Wakil Bupati", "pilbup", NULL, true },
    { "Wali Kota", "pilwalkot", NULL, true },
    { "Wakil Wali Kota", "pilwalkot", NULL, true },
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

static int level_of(const char *s)
{
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
        if (strcasecmp(s, levels[i].csv) == 0)
            return (int)i;
    return -1;
}

static bool digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, "0123456789") == n;
}

/* Index the district table once: "LEVEL|kode_dapil" -> array of regions. */
static json_t *index_dapil(json_t *table)
{
    json_t *idx = json_object();
    size_t i;
    json_t *row;
    char key[96], code[NT_REGION_MAX];
    json_array_foreach(table, i, row)
    {
        const char *k = json_string_value(json_object_get(row, "kode_dapil"));
        const char *j = json_string_value(json_object_get(row, "jenis_dapil"));
        const char *w = json_string_value(json_object_get(row, "kode_wilayah"));
        if (!k || !j || !w || nt_region_parse(w, code, NULL) != NT_OK)
            continue;
        snprintf(key, sizeof(key), "%s|%s", j, k);
        for (char *q = key; *q && *q != '|'; q++)
            *q = (char)toupper((unsigned char)*q);
        json_t *list = json_object_get(idx, key);
        if (!list) {
            list = json_array();
            json_object_set_new(idx, key, list);
        }
        json_array_append_new(list, json_string(code));
    }
    return idx;
}

/* The regions of a district: from the indexed table, or its province. */
static json_t *scope_of(json_t *index, int level, const char *kode)
{
    json_t *scope = NULL;
    char key[96], code[NT_REGION_MAX];
    if (index && levels[level].dapil) {
        snprintf(key, sizeof(key), "%s|%s", levels[level].dapil, kode);
        json_t *list = json_object_get(index, key);
        if (list)
            scope = json_deep_copy(list);
    }
    if (!scope)
        scope = json_array();
    if (levels[level].pilkada) {
        /* The race's own region: "76" or "7604" -> "76.04". */
        char raw[8];
        snprintf(raw, sizeof(raw), strlen(kode) == 4 ? "%.2s.%.2s" : "%.2s", kode, kode + 2);
        if (nt_region_parse(raw, code, NULL) == NT_OK)
            json_array_append_new(scope, json_string(code));
        return scope;
    }
    if (json_array_size(scope) == 0) {
        char prov[3] = { kode[0], kode[1], '\0' };
        if (nt_region_parse(prov, code, NULL) == NT_OK)
            json_array_append_new(scope, json_string(code));
    }
    return scope;
}

/* The party contestant with this ballot number, if the lexicon has one. */
static const char *party_for(json_t *contestants, const char *number)
{
    size_t i;
    json_t *c;
    json_array_foreach(contestants, i, c)
    {
        const char *type = json_string_value(json_object_get(c, "type"));
        const char *num = json_string_value(json_object_get(c, "number"));
        if (type && num && strcmp(type, "party") == 0 &&
            strtol(num, NULL, 10) == strtol(number, NULL, 10))
            return json_string_value(json_object_get(c, "id"));
    }
    return NULL;
}

/* An entry of an earlier import of a level this list has (arg: the
 * levels seen, NLEVELS flags). */
static bool earlier_candidate(const char *id, const void *arg)
{
    const bool *seen_level = arg;
    for (size_t l = 0; l < NLEVELS; l++) {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "dct-%s-", levels[l].tag);
        if (seen_level[l] && strncmp(id, prefix, strlen(prefix)) == 0)
            return true;
    }
    return false;
}

enum nt_err nt_lex_candidates_merge(const char *base, size_t blen, const char *csv_label,
                                    const char *csv, size_t csv_len, const char *dapil_label,
                                    const char *dapil, size_t dapil_len, char **out,
                                    struct nt_lex_candidates_result *res, struct nt_diag_list *errs,
                                    struct nt_diag *d)
{
    static const char *const cols[] = { "level",       "kode_dapil",
                                        "nama_dapil",  "nomor_urut_partai",
                                        "nama_partai", "nomor_urut",
                                        "nama" };
    enum { L, KODE, NDAPIL, NPARTAI, PARTAI, NURUT, NAMA, NCOLS };
    json_error_t je;
    json_t *root = NULL, *table = NULL, *added = json_array();
    struct nt_csv c;
    struct nt_csv_record rec;
    int idx[NCOLS];
    bool seen_level[NLEVELS] = { false };
    enum nt_err err = NT_OK;

    memset(res, 0, sizeof(*res));
    nt_csv_init(&c, csv_label, csv, csv_len);
    err = nt_lex_list_open(base, blen, &root, &c, csv_label, cols, NCOLS, idx, "calon", errs, d);
    if (err)
        goto out;
    if (dapil) {
        json_t *raw = json_loadb(dapil, dapil_len, 0, &je);
        if (!raw || !json_is_array(raw)) {
            nt_diag_at(d, dapil_label, (unsigned long)(je.line > 0 ? je.line : 0), NULL);
            err = nt_diag_set(d, NT_EINPUT, "tabel dapil tidak sah: %s",
                              raw ? "harus daftar (array)" : je.text);
            json_decref(raw);
            goto out;
        }
        table = index_dapil(raw);
        json_decref(raw);
    }
    json_t *contestants = json_object_get(root, "contestants");
    while (nt_lex_list_next(&c, &rec, cols, NCOLS, idx, &res->rows, errs)) {
        const char *lv = rec.fields[idx[L]], *kode = rec.fields[idx[KODE]];
        const char *np = rec.fields[idx[NPARTAI]], *nu = rec.fields[idx[NURUT]];
        int level = level_of(lv);
        if (level < 0) {
            nt_diag_list_addf(errs, csv_label, rec.line, "level", "\"%s\" tidak dikenal", lv);
            continue;
        }
        if (levels[level].pilkada ? !(digits(kode, 2, 2) || digits(kode, 4, 4))
                                  : !digits(kode, 2, 8)) {
            nt_diag_list_addf(errs, csv_label, rec.line, "kode_dapil",
                              levels[level].pilkada
                                  ? "harus kode wilayah Kemendagri 2 atau 4 angka (\"%s\")"
                                  : "harus angka (\"%s\")",
                              kode);
            continue;
        }
        if (*np && !digits(np, 1, 2)) {
            nt_diag_list_addf(errs, csv_label, rec.line, "nomor_urut_partai",
                              "harus angka (\"%s\")", np);
            continue;
        }
        if (!digits(nu, 1, 3)) {
            nt_diag_list_addf(errs, csv_label, rec.line, "nomor_urut", "harus angka (\"%s\")", nu);
            continue;
        }
        char name[256], nick[128], id[128], label[512];
        size_t words =
            nt_lex_clean_name(rec.fields[idx[NAMA]], name, sizeof(name), nick, sizeof(nick));
        if (words == 0) {
            nt_diag_list_addf(errs, csv_label, rec.line, "nama",
                              "kosong setelah gelar dihapus (\"%s\")", rec.fields[idx[NAMA]]);
            continue;
        }
        seen_level[level] = true;
        bool low = nt_lex_name_is_common(name, words);
        snprintf(id, sizeof(id), "dct-%s-%s-%s-%s%s", levels[level].tag, kode, *np ? np : "0", nu,
                 strncmp(levels[level].csv, "Wakil", 5) == 0 ? "-w" : "");
        if (levels[level].pilkada)
            snprintf(label, sizeof(label), "%s (calon %s %s no. urut %s)", name, levels[level].csv,
                     rec.fields[idx[NDAPIL]], nu);
        else if (rec.fields[idx[PARTAI]][0])
            snprintf(label, sizeof(label), "%s (caleg %s %s, %s no. %s)", name, levels[level].csv,
                     rec.fields[idx[NDAPIL]], rec.fields[idx[PARTAI]], nu);
        else
            snprintf(label, sizeof(label), "%s (calon %s %s no. %s)", name, levels[level].csv, kode,
                     nu);
        json_t *terms = json_array();
        json_array_append_new(terms, json_string(name));
        if (nick[0])
            json_array_append_new(terms, json_string(nick));
        json_t *entry = json_pack("{s:s, s:s, s:s, s:o, s:f, s:o}", "id", id, "kind", "candidate",
                                  "label", label, "terms", terms, "weight", low ? 1.0 : 2.0,
                                  "scope", scope_of(table, level, kode));
        if (!entry) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            goto out;
        }
        if (low) {
            json_object_set_new(entry, "specificity", json_string("low"));
            res->low++;
        }
        const char *party = *np ? party_for(contestants, np) : NULL;
        if (party)
            json_object_set_new(entry, "refers_to", json_string(party));
        if (levels[level].pilkada) {
            /* The pair of the race is a contestant: "@contestant" rules and
             * the contestants of a score name it. */
            char pid[64], plabel[256];
            snprintf(pid, sizeof(pid), "%s-%s-%s", levels[level].tag, kode, nu);
            bool have = false;
            size_t ci;
            json_t *cv;
            json_array_foreach(contestants, ci, cv)
            {
                const char *cid = json_string_value(json_object_get(cv, "id"));
                have = have || (cid && strcmp(cid, pid) == 0);
            }
            if (!have && json_is_array(contestants)) {
                snprintf(plabel, sizeof(plabel), "Paslon %s %s no. urut %s",
                         strncmp(levels[level].csv, "Wakil ", 6) == 0 ? levels[level].csv + 6
                                                                      : levels[level].csv,
                         rec.fields[idx[NDAPIL]], nu);
                json_array_append_new(contestants,
                                      json_pack("{s:s, s:s, s:s, s:s}", "id", pid, "type", "pair",
                                                "number", nu, "label", plabel));
            }
            json_object_set_new(entry, "refers_to", json_string(pid));
        }
        json_array_append_new(added, entry);
    }
    err = nt_lex_list_check(csv_label, "calon", added, errs, d);
    if (err)
        goto out;
    /* Replace entries of an earlier import of the same levels. */
    err = nt_lex_list_merge(root, added, earlier_candidate, seen_level, &res->replaced, &res->added,
                            out, d);
out:
    nt_csv_release(&c);
    json_decref(root);
    json_decref(table);
    json_decref(added);
    return err;
}
