/*
 * accounts.c - campaign account entries from a CSV list with Jansson.
 */
#include "accounts.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "lexicon.h"
#include "rows.h"

#define ID_PREFIX "akun:"

static bool has_contestant(json_t *contestants, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(contestants, i, v)
    {
        const char *cid = json_string_value(json_object_get(v, "id"));
        if (cid && strcmp(cid, id) == 0)
            return true;
    }
    return false;
}

/* An entry id from the platform and the key: characters an id may not
 * hold become '-'. */
static void entry_id(const char *platform, const char *key, char *out, size_t n)
{
    int w = snprintf(out, n, ID_PREFIX "%s:", platform);
    for (size_t i = (size_t)(w > 0 ? w : 0), k = 0; key[k] && i + 1 < n; i++, k++) {
        char ch = key[k];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
                  ch == '.' || ch == ':';
        out[i] = ok ? ch : '-';
        out[i + 1] = '\0';
    }
}

/* An entry of an earlier account import. */
static bool earlier_account(const char *id, const void *arg)
{
    (void)arg;
    return strncmp(id, ID_PREFIX, strlen(ID_PREFIX)) == 0;
}

enum nt_err nt_lex_accounts_merge(const char *base, size_t blen, const char *csv_label,
                                  const char *csv, size_t csv_len, char **out,
                                  struct nt_lex_accounts_result *res, struct nt_diag_list *errs,
                                  struct nt_diag *d)
{
    static const char *const cols[] = { "platform", "akun", "kontestan", "peran" };
    enum { PLATFORM, AKUN, KONTESTAN, PERAN, NCOLS };
    json_t *root = NULL, *added = json_array(), *seen = json_object();
    struct nt_csv c;
    struct nt_csv_record rec;
    int idx[NCOLS];

    memset(res, 0, sizeof(*res));
    *out = NULL;
    nt_csv_init(&c, csv_label, csv, csv_len);
    enum nt_err err = nt_lex_list_open(base, blen, &root, &c, csv_label, cols, NCOLS, idx,
                                       "akun kampanye", errs, d);
    if (err)
        goto out;
    json_t *contestants = json_object_get(root, "contestants");
    while (nt_lex_list_next(&c, &rec, cols, NCOLS, idx, &res->rows, errs)) {
        const char *plat = rec.fields[idx[PLATFORM]], *who = rec.fields[idx[KONTESTAN]];
        const char *role = rec.fields[idx[PERAN]];
        char key[320], id[400], label[700], both[400];
        if (!nt_lex_account_key(plat, "x", key, sizeof(key))) {
            nt_diag_list_addf(errs, csv_label, rec.line, "platform",
                              "harus mastodon, bluesky atau x (\"%s\")", plat);
            continue;
        }
        if (!nt_lex_account_key(plat, rec.fields[idx[AKUN]], key, sizeof(key))) {
            nt_diag_list_addf(errs, csv_label, rec.line, "akun",
                              "kosong, terlalu panjang atau berspasi");
            continue;
        }
        if (!has_contestant(contestants, who)) {
            nt_diag_list_addf(errs, csv_label, rec.line, "kontestan",
                              "\"%s\" tidak ada di daftar contestants leksikon dasar", who);
            continue;
        }
        snprintf(both, sizeof(both), "%s %s", plat, key);
        json_t *prev = json_object_get(seen, both);
        if (prev) {
            nt_diag_list_addf(errs, csv_label, rec.line, "akun", "akun %s sudah di baris %lld", key,
                              (long long)json_integer_value(prev));
            continue;
        }
        json_object_set_new(seen, both, json_integer((json_int_t)rec.line));
        entry_id(plat, key, id, sizeof(id));
        snprintf(label, sizeof(label), "%s (%s %s)", *role ? role : "akun kampanye", plat, key);
        json_t *entry = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}], s:s, s:f}", "id", id, "kind",
                                  "campaign_account", "label", label, "accounts", "platform", plat,
                                  "handle", key, "refers_to", who, "weight", 0.0);
        if (!entry || json_array_append_new(added, entry)) {
            err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
            goto out;
        }
    }
    err = nt_lex_list_check(csv_label, "akun kampanye", added, errs, d);
    if (err)
        goto out;
    /* The list replaces the accounts of an earlier import. */
    err =
        nt_lex_list_merge(root, added, earlier_account, NULL, &res->replaced, &res->added, out, d);
out:
    nt_csv_release(&c);
    json_decref(root);
    json_decref(added);
    json_decref(seen);
    return err;
}
