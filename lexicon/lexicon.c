/*
 * lexicon.c - reading a lexicon JSON document (Jansson) into struct nt_lex,
 * checking every field and collecting every problem with its path.
 */
#include "lexicon.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "date.h"
#include "region.h"
#include "strmap.h"

/* Each kind: its code in the file format and the JSON, and what it is
 * called where people read it (explanations, the CLI). */
static const struct {
    const char *name, *label;
} kinds[NT_LEX_KIND_COUNT] = {
    [NT_LEX_CANDIDATE] = { "candidate", "calon" },
    [NT_LEX_CONTESTANT_NUMBER] = { "contestant_number", "nomor urut" },
    [NT_LEX_PARTY] = { "party", "partai" },
    [NT_LEX_PARTY_SYMBOL] = { "party_symbol", "lambang partai" },
    [NT_LEX_HAND_SYMBOL] = { "hand_symbol", "simbol jari" },
    [NT_LEX_HASHTAG] = { "hashtag", "tagar dukungan" },
    [NT_LEX_SLOGAN] = { "slogan", "slogan" },
    [NT_LEX_CALL_TO_ACTION] = { "call_to_action", "ajakan" },
    [NT_LEX_ACTIVITY] = { "activity", "kegiatan" },
    [NT_LEX_TEAM] = { "team", "tim atau relawan" },
    [NT_LEX_SUPPORT_MATERIAL] = { "support_material", "alat peraga atau KTP" },
    [NT_LEX_NEUTRAL_CONTEXT] = { "neutral_context", "konteks netral" },
    [NT_LEX_PRAISE] = { "praise", "pujian atau komitmen" },
    [NT_LEX_ATTACK] = { "attack", "serangan" },
    [NT_LEX_ELECTION] = { "election_event", "pemilihan" },
    [NT_LEX_CAMPAIGN_ACCOUNT] = { "campaign_account", "akun kampanye" },
};

static const char *const categories[] = { "APK",   "MEDSOS",    "ENGAGE", "FOTO",
                                          "HADIR", "KEGIATAN",  "TIM",    "PENDEKATAN",
                                          "KTP",   "KEPUTUSAN", "PARPOL", "LAIN" };

const char *nt_lex_kind_name(enum nt_lex_kind k)
{
    return (unsigned)k < NT_LEX_KIND_COUNT ? kinds[k].name : NULL;
}

const char *nt_lex_kind_label(enum nt_lex_kind k)
{
    return (unsigned)k < NT_LEX_KIND_COUNT ? kinds[k].label : NULL;
}

int nt_lex_kind_from_name(const char *name)
{
    for (int k = 0; k < NT_LEX_KIND_COUNT; k++)
        if (strcmp(kinds[k].name, name) == 0)
            return k;
    return -1;
}

int nt_lex_category_index(const char *code)
{
    for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
        if (strcmp(categories[i], code) == 0)
            return (int)i;
    return -1;
}

bool nt_lex_category_valid(const char *code)
{
    return nt_lex_category_index(code) >= 0;
}

const char *nt_lex_category_code(int index)
{
    return index >= 0 && index < NT_LEX_CATEGORY_COUNT ? categories[index] : NULL;
}

/* Parsing context: where problems go. */
struct pctx {
    const char *label;
    struct nt_diag_list *errs;
    size_t nerr;
    bool oom;
};

static void perr(struct pctx *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void perr(struct pctx *p, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nt_diag_list_vaddf(p->errs, p->label, 0, path, fmt, ap);
    va_end(ap);
    p->nerr++;
}

static char *dup_str(struct pctx *p, const char *s)
{
    if (!s)
        return NULL;
    char *r = strdup(s);
    if (!r)
        p->oom = true;
    return r;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Reject members not in `allowed` (typos must not pass silently). */
static void check_keys(struct pctx *p, json_t *obj, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            ok = ok || strcmp(*a, key) == 0;
        if (!ok) {
            char fp[NT_DIAG_FIELD_MAX];
            snprintf(fp, sizeof(fp), "%s%s%s", path, path[0] ? "." : "", key);
            perr(p, fp, "kolom tidak dikenal");
        }
    }
}

/* A required (or optional) non-empty string member. */
static const char *get_str(struct pctx *p, json_t *obj, const char *key, const char *path,
                           bool required)
{
    char fp[NT_DIAG_FIELD_MAX];
    json_t *v = json_object_get(obj, key);
    snprintf(fp, sizeof(fp), "%s%s%s", path, path[0] ? "." : "", key);
    if (!v) {
        if (required)
            perr(p, fp, "wajib diisi");
        return NULL;
    }
    if (!json_is_string(v) || json_string_length(v) == 0) {
        perr(p, fp, "harus teks yang tidak kosong");
        return NULL;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        perr(p, fp, "tidak boleh memuat karakter NUL");
        return NULL;
    }
    return json_string_value(v);
}

static bool get_num(struct pctx *p, json_t *obj, const char *key, const char *path, double lo,
                    double hi, double *out)
{
    char fp[NT_DIAG_FIELD_MAX];
    json_t *v = json_object_get(obj, key);
    snprintf(fp, sizeof(fp), "%s%s%s", path, path[0] ? "." : "", key);
    if (!v)
        return false;
    if (!json_is_number(v)) {
        perr(p, fp, "harus angka");
        return false;
    }
    double x = json_number_value(v);
    if (x < lo || x > hi) {
        perr(p, fp, "harus antara %g dan %g", lo, hi);
        return false;
    }
    *out = x;
    return true;
}

/* An optional array of non-empty strings, copied. */
static char **get_strv(struct pctx *p, json_t *obj, const char *key, const char *path, size_t *n)
{
    char fp[NT_DIAG_FIELD_MAX];
    json_t *arr = json_object_get(obj, key), *v;
    size_t i;
    char **out;
    *n = 0;
    snprintf(fp, sizeof(fp), "%s.%s", path, key);
    if (!arr)
        return NULL;
    if (!json_is_array(arr)) {
        perr(p, fp, "harus daftar (array) teks");
        return NULL;
    }
    out = calloc(json_array_size(arr) + 1, sizeof(*out));
    if (!out) {
        p->oom = true;
        return NULL;
    }
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0 ||
            strlen(json_string_value(v)) != json_string_length(v)) {
            snprintf(fp, sizeof(fp), "%s.%s[%zu]", path, key, i);
            perr(p, fp, "harus teks yang tidak kosong");
            continue;
        }
        out[(*n)++] = dup_str(p, json_string_value(v));
    }
    return out;
}

static bool valid_id(const char *s)
{
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
              *c == '.' || *c == ':'))
            return false;
    return s[0] != '\0' && strlen(s) <= 128;
}

static time_t parse_day(struct pctx *p, json_t *obj, const char *key, const char *path,
                        bool end_of_day)
{
    const char *s = get_str(p, obj, key, path, false);
    time_t t;
    if (!s)
        return 0;
    if (!nt_time_parse(s, &t)) {
        char fp[NT_DIAG_FIELD_MAX];
        snprintf(fp, sizeof(fp), "%s.%s", path, key);
        perr(p, fp, "tanggal \"%s\" tidak sah (pakai YYYY-MM-DD)", s);
        return 0;
    }
    /* A day given as valid_to includes the whole day. */
    return end_of_day && strlen(s) == 10 ? t + 86400 : t;
}

static void check_pattern(struct pctx *p, const char *pat, const char *path)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code, &off, NULL);
    if (re) {
        pcre2_code_free(re);
        return;
    }
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code, msg, sizeof(msg));
    perr(p, path, "pola PCRE2 salah pada posisi %zu: %s", (size_t)off, (const char *)msg);
}

static const char *const account_platforms[] = { "mastodon", "bluesky", "x" };

bool nt_lex_account_key(const char *platform, const char *handle, char *out, size_t n)
{
    bool known = false;
    for (size_t i = 0; platform && i < sizeof(account_platforms) / sizeof(account_platforms[0]);
         i++)
        known |= strcmp(platform, account_platforms[i]) == 0;
    if (!known || !handle)
        return false;
    if (*handle == '@')
        handle++;
    size_t len = strlen(handle);
    if (len == 0 || len >= n || len > 300)
        return false;
    for (size_t i = 0; i <= len; i++) {
        unsigned char ch = (unsigned char)handle[i];
        if (i < len && (ch <= 0x20 || ch == 0x7f))
            return false;
        out[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    return true;
}

/* "accounts": [{"platform": "mastodon", "handle": "tkn@sosial.example"}]. */
static void parse_accounts(struct pctx *p, json_t *e, const char *path, struct nt_lex_entry *out)
{
    char fp[NT_DIAG_FIELD_MAX], key[320];
    json_t *arr = json_object_get(e, "accounts"), *v;
    size_t k;
    if (!arr)
        return;
    snprintf(fp, sizeof(fp), "%s.accounts", path);
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        perr(p, fp, "harus daftar akun {platform, handle} yang tidak kosong");
        return;
    }
    out->accounts = calloc(json_array_size(arr), sizeof(*out->accounts));
    if (!out->accounts) {
        p->oom = true;
        return;
    }
    json_array_foreach(arr, k, v)
    {
        const char *plat = json_string_value(json_object_get(v, "platform"));
        const char *handle = json_string_value(json_object_get(v, "handle"));
        snprintf(fp, sizeof(fp), "%s.accounts[%zu]", path, k);
        if (!nt_lex_account_key(plat, handle, key, sizeof(key))) {
            perr(p, fp, "harus {\"platform\": mastodon|bluesky|x, \"handle\": akun tanpa spasi}");
            continue;
        }
        struct nt_lex_account *a = &out->accounts[out->naccounts++];
        a->platform = dup_str(p, plat);
        a->handle = dup_str(p, key);
    }
}

static void parse_entry(struct pctx *p, struct nt_lex *lex, json_t *e, size_t i,
                        struct nt_lex_entry *out)
{
    static const char *const keys[] = { "id",          "kind",       "label",     "terms",
                                        "patterns",    "emoji",      "refers_to", "election",
                                        "scope",       "valid_from", "valid_to",  "weight",
                                        "specificity", "note",       "accounts",  NULL };
    char path[NT_DIAG_FIELD_MAX], fp[NT_DIAG_FIELD_MAX];
    const char *s;

    memset(out, 0, sizeof(*out));
    out->weight = 1.0;
    snprintf(path, sizeof(path), "entries[%zu]", i);
    if (!json_is_object(e)) {
        perr(p, path, "harus objek");
        return;
    }
    s = get_str(p, e, "id", path, true);
    if (s && !valid_id(s))
        perr(p, path, "id \"%s\" hanya boleh huruf kecil, angka, '-', '_', '.', ':'", s);
    out->id = dup_str(p, s);
    if (out->id)
        snprintf(path, sizeof(path), "entries[%zu](%.40s)", i, out->id);
    check_keys(p, e, path, keys);

    s = get_str(p, e, "kind", path, true);
    if (s) {
        int k = nt_lex_kind_from_name(s);
        if (k < 0) {
            snprintf(fp, sizeof(fp), "%s.kind", path);
            perr(p, fp, "jenis \"%s\" tidak dikenal", s);
        } else {
            out->kind = (enum nt_lex_kind)k;
        }
    }
    out->label = dup_str(p, get_str(p, e, "label", path, false));
    out->terms = get_strv(p, e, "terms", path, &out->nterms);
    out->patterns = get_strv(p, e, "patterns", path, &out->npatterns);
    out->emoji = get_strv(p, e, "emoji", path, &out->nemoji);
    parse_accounts(p, e, path, out);
    if (out->nterms + out->npatterns + out->nemoji + out->naccounts == 0)
        perr(p, path, "paling sedikit satu dari terms, patterns, emoji, atau accounts harus diisi");
    if (out->naccounts && out->kind != NT_LEX_CAMPAIGN_ACCOUNT)
        perr(p, path, "accounts hanya untuk entri berjenis campaign_account");
    for (size_t k = 0; k < out->npatterns; k++) {
        snprintf(fp, sizeof(fp), "%s.patterns[%zu]", path, k);
        check_pattern(p, out->patterns[k], fp);
    }

    s = get_str(p, e, "refers_to", path, false);
    if (s && nt_lex_find_contestant(lex, s) < 0) {
        snprintf(fp, sizeof(fp), "%s.refers_to", path);
        perr(p, fp, "kontestan \"%s\" tidak ada di daftar contestants", s);
    }
    out->refers_to = dup_str(p, s);
    s = get_str(p, e, "election", path, false);
    out->election = dup_str(p, s ? s : lex->election);

    json_t *scope = json_object_get(e, "scope");
    snprintf(fp, sizeof(fp), "%s.scope", path);
    if (json_is_string(scope) && strcmp(json_string_value(scope), "national") == 0) {
        /* national: no codes */
    } else if (json_is_array(scope)) {
        size_t k;
        json_t *v;
        out->scope = calloc(json_array_size(scope) + 1, sizeof(*out->scope));
        if (!out->scope)
            p->oom = true;
        json_array_foreach(scope, k, v)
        {
            char code[NT_REGION_MAX];
            struct nt_diag d;
            nt_diag_clear(&d);
            if (!json_is_string(v) || nt_region_parse(json_string_value(v), code, &d) != NT_OK) {
                snprintf(fp, sizeof(fp), "%s.scope[%zu]", path, k);
                perr(p, fp, "%s", json_is_string(v) ? d.msg : "harus kode wilayah");
                continue;
            }
            if (out->scope)
                out->scope[out->nscope++] = dup_str(p, code);
        }
    } else if (scope) {
        perr(p, fp, "harus \"national\" atau daftar kode wilayah");
    }
    out->valid_from = parse_day(p, e, "valid_from", path, false);
    out->valid_to = parse_day(p, e, "valid_to", path, true);
    if (out->valid_from && out->valid_to && out->valid_to <= out->valid_from) {
        snprintf(fp, sizeof(fp), "%s.valid_to", path);
        perr(p, fp, "harus sesudah valid_from");
    }
    get_num(p, e, "weight", path, -100, 100, &out->weight);
    s = get_str(p, e, "specificity", path, false);
    if (s && strcmp(s, "low") != 0 && strcmp(s, "normal") != 0) {
        snprintf(fp, sizeof(fp), "%s.specificity", path);
        perr(p, fp, "harus \"low\" atau \"normal\"");
    }
    out->low_specificity = s && strcmp(s, "low") == 0;
}

static struct nt_lex_item *parse_items(struct pctx *p, const struct nt_lex *lex, json_t *rule,
                                       const char *key, const char *path, size_t *n)
{
    char fp[NT_DIAG_FIELD_MAX];
    json_t *arr = json_object_get(rule, key), *v;
    size_t i;
    *n = 0;
    if (!arr)
        return NULL;
    snprintf(fp, sizeof(fp), "%s.%s", path, key);
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        perr(p, fp, "harus daftar jenis, id entri, atau \"@contestant\" yang tidak kosong");
        return NULL;
    }
    struct nt_lex_item *items = calloc(json_array_size(arr), sizeof(*items));
    if (!items) {
        p->oom = true;
        return NULL;
    }
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        int k;
        snprintf(fp, sizeof(fp), "%s.%s[%zu]", path, key, i);
        if (!s) {
            perr(p, fp, "harus teks");
        } else if (strcmp(s, "@contestant") == 0) {
            items[(*n)++] = (struct nt_lex_item){ NT_LEX_ITEM_CONTESTANT, 0 };
        } else if ((k = nt_lex_kind_from_name(s)) >= 0) {
            items[(*n)++] = (struct nt_lex_item){ NT_LEX_ITEM_KIND, k };
        } else if ((k = nt_lex_find_entry(lex, s)) >= 0) {
            items[(*n)++] = (struct nt_lex_item){ NT_LEX_ITEM_ENTRY, k };
        } else {
            perr(p, fp, "\"%s\" bukan jenis, id entri, atau \"@contestant\"", s);
        }
    }
    return items;
}

static void parse_rule(struct pctx *p, const struct nt_lex *lex, json_t *r, size_t i,
                       struct nt_lex_rule *out)
{
    static const char *const keys[] = { "id",  "label", "category", "score", "all",
                                        "any", "not",   "window",   "note",  NULL };
    char path[NT_DIAG_FIELD_MAX];
    const char *s;
    double w = 0;

    memset(out, 0, sizeof(*out));
    snprintf(path, sizeof(path), "rules[%zu]", i);
    if (!json_is_object(r)) {
        perr(p, path, "harus objek");
        return;
    }
    s = get_str(p, r, "id", path, true);
    if (s && !valid_id(s))
        perr(p, path, "id \"%s\" hanya boleh huruf kecil, angka, '-', '_', '.', ':'", s);
    out->id = dup_str(p, s);
    if (out->id)
        snprintf(path, sizeof(path), "rules[%zu](%.40s)", i, out->id);
    check_keys(p, r, path, keys);
    out->label = dup_str(p, get_str(p, r, "label", path, false));
    s = get_str(p, r, "category", path, true);
    if (s && !nt_lex_category_valid(s)) {
        char fp[NT_DIAG_FIELD_MAX];
        snprintf(fp, sizeof(fp), "%s.category", path);
        perr(p, fp,
             "kategori \"%s\" bukan kode SKB 2022 (APK, MEDSOS, ENGAGE, FOTO, HADIR, "
             "KEGIATAN, TIM, PENDEKATAN, KTP, KEPUTUSAN, PARPOL, LAIN)",
             s);
    }
    out->category = dup_str(p, s);
    out->category_index = s ? nt_lex_category_index(s) : -1;
    if (!get_num(p, r, "score", path, -1000, 1000, &out->score)) {
        if (!json_object_get(r, "score"))
            perr(p, path, "score wajib diisi");
    }
    out->all = parse_items(p, lex, r, "all", path, &out->nall);
    out->any = parse_items(p, lex, r, "any", path, &out->nany);
    out->none = parse_items(p, lex, r, "not", path, &out->nnone);
    if (!json_object_get(r, "all") && !json_object_get(r, "any"))
        perr(p, path, "paling sedikit satu dari all atau any harus diisi");
    if (get_num(p, r, "window", path, 1, NT_LEX_MAX_WINDOW, &w)) {
        if (w != (double)(unsigned)w) {
            char fp[NT_DIAG_FIELD_MAX];
            snprintf(fp, sizeof(fp), "%s.window", path);
            perr(p, fp, "harus bilangan bulat");
        }
        out->window = (unsigned)w;
    }
}

static void parse_contestant(struct pctx *p, json_t *c, size_t i, struct nt_lex_contestant *out)
{
    static const char *const keys[] = { "id", "label", "number", "type", "note", NULL };
    char path[NT_DIAG_FIELD_MAX];
    const char *s;
    memset(out, 0, sizeof(*out));
    snprintf(path, sizeof(path), "contestants[%zu]", i);
    if (!json_is_object(c)) {
        perr(p, path, "harus objek");
        return;
    }
    check_keys(p, c, path, keys);
    s = get_str(p, c, "id", path, true);
    if (s && !valid_id(s))
        perr(p, path, "id \"%s\" hanya boleh huruf kecil, angka, '-', '_', '.', ':'", s);
    out->id = dup_str(p, s);
    out->label = dup_str(p, get_str(p, c, "label", path, true));
    out->number = dup_str(p, get_str(p, c, "number", path, false));
    s = get_str(p, c, "type", path, true);
    if (s && strcmp(s, "pair") != 0 && strcmp(s, "party") != 0 && strcmp(s, "candidate") != 0)
        perr(p, path, "type harus \"pair\", \"party\", atau \"candidate\"");
    out->type = dup_str(p, s);
}

/* Parse an array member with `fn`, allocating the output array. */
#define PARSE_ARRAY(p, root, key, arr, n, ...)                                                     \
    do {                                                                                           \
        json_t *a_ = json_object_get(root, key), *v_;                                              \
        size_t i_;                                                                                 \
        if (a_ && !json_is_array(a_)) {                                                            \
            perr(p, key, "harus daftar (array)");                                                  \
            break;                                                                                 \
        }                                                                                          \
        (arr) = calloc(json_array_size(a_) + 1, sizeof(*(arr)));                                   \
        if (!(arr)) {                                                                              \
            (p)->oom = true;                                                                       \
            break;                                                                                 \
        }                                                                                          \
        json_array_foreach(a_, i_, v_)                                                             \
        {                                                                                          \
            __VA_ARGS__;                                                                           \
            (n)++;                                                                                 \
        }                                                                                          \
    } while (0)

static void check_unique_ids(struct pctx *p, struct nt_lex *lex)
{
    /* Entries can number hundreds of thousands: a hash map, kept for lookups. */
    for (size_t i = 0; i < lex->nentries; i++) {
        size_t j;
        if (!lex->entries[i].id)
            continue;
        enum nt_err e = nt_strmap_put(&lex->ids, lex->entries[i].id, i, &j);
        if (e == NT_EEXISTS) {
            char fp[NT_DIAG_FIELD_MAX];
            snprintf(fp, sizeof(fp), "entries[%zu].id", i);
            perr(p, fp, "id \"%s\" sudah dipakai entries[%zu]", lex->entries[i].id, j);
        } else if (e) {
            p->oom = true;
        }
    }
    /* One entry per account: a follow must name one contestant. */
    for (size_t i = 0; i < lex->nentries; i++)
        for (size_t a = 0; a < lex->entries[i].naccounts; a++) {
            const struct nt_lex_account *ac = &lex->entries[i].accounts[a];
            char key[400];
            size_t j;
            if (!ac->platform || !ac->handle)
                continue;
            snprintf(key, sizeof(key), "%s %s", ac->platform, ac->handle);
            enum nt_err e = nt_strmap_put(&lex->accounts, key, i, &j);
            if (e == NT_EEXISTS && j != i) {
                char fp[NT_DIAG_FIELD_MAX];
                snprintf(fp, sizeof(fp), "entries[%zu].accounts[%zu]", i, a);
                perr(p, fp, "akun %s %s sudah disebut entries[%zu]", ac->platform, ac->handle, j);
            } else if (e && e != NT_EEXISTS) {
                p->oom = true;
            }
        }
    for (size_t i = 0; i < lex->ncontestants; i++)
        for (size_t j = 0; j < i && lex->contestants[i].id; j++)
            if (lex->contestants[j].id &&
                strcmp(lex->contestants[i].id, lex->contestants[j].id) == 0) {
                char fp[NT_DIAG_FIELD_MAX];
                snprintf(fp, sizeof(fp), "contestants[%zu].id", i);
                perr(p, fp, "id \"%s\" sudah dipakai", lex->contestants[i].id);
            }
    for (size_t i = 0; i < lex->nrules; i++)
        for (size_t j = 0; j < i && lex->rules[i].id; j++)
            if (lex->rules[j].id && strcmp(lex->rules[i].id, lex->rules[j].id) == 0) {
                char fp[NT_DIAG_FIELD_MAX];
                snprintf(fp, sizeof(fp), "rules[%zu].id", i);
                perr(p, fp, "id \"%s\" sudah dipakai", lex->rules[i].id);
            }
}

/*
 * Large lexicons (hundreds of thousands of candidate entries) would need a
 * Jansson tree of several hundred megabytes. So the document is parsed
 * without its "entries" array first (a skeleton), and the entries are then
 * read one value at a time from the original text, each tree freed as soon
 * as it has become a struct nt_lex_entry. These helpers find the array.
 */
#define BAD ((size_t)-1)

static size_t skip_ws(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

static size_t skip_string(const char *s, size_t i, size_t n)
{
    if (i >= n || s[i] != '"')
        return BAD;
    for (i++; i < n; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return BAD;
}

/* Skip one JSON value; BAD when it is malformed (Jansson then reports it). */
static size_t skip_value(const char *s, size_t i, size_t n)
{
    size_t depth = 0;
    i = skip_ws(s, i, n);
    do {
        if (i >= n)
            return BAD;
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, i, n);
            if (i == BAD)
                return BAD;
        } else if (c == '{' || c == '[') {
            depth++;
            i++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return BAD;
            depth--;
            i++;
        } else {
            i++;
            if (depth == 0) {
                while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
                       s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
                    i++;
            }
        }
    } while (depth > 0);
    return i;
}

/* Byte range of the top-level "entries" array value; false if not found. */
static bool find_entries(const char *s, size_t n, size_t *vs, size_t *ve)
{
    size_t i = skip_ws(s, 0, n);
    if (i >= n || s[i] != '{')
        return false;
    i++;
    for (;;) {
        i = skip_ws(s, i, n);
        if (i >= n || s[i] == '}')
            return false;
        size_t ks = i;
        i = skip_string(s, i, n);
        if (i == BAD)
            return false;
        bool is_entries = i - ks == 9 && memcmp(s + ks, "\"entries\"", 9) == 0;
        i = skip_ws(s, i, n);
        if (i >= n || s[i] != ':')
            return false;
        size_t start = skip_ws(s, i + 1, n);
        size_t end = skip_value(s, start, n);
        if (end == BAD)
            return false;
        if (is_entries && s[start] == '[') {
            *vs = start;
            *ve = end;
            return true;
        }
        i = skip_ws(s, end, n);
        if (i < n && s[i] == ',')
            i++;
    }
}

static unsigned long line_at(const char *s, size_t upto)
{
    unsigned long l = 1;
    for (size_t i = 0; i < upto; i++)
        l += s[i] == '\n';
    return l;
}

/* Parse the entries array text [vs, ve) element by element. */
static void parse_entries_stream(struct pctx *p, struct nt_lex *lex, const char *s, size_t vs,
                                 size_t ve)
{
    size_t count = 0, i = skip_ws(s, vs + 1, ve);
    /* Count first, so the array is allocated once. */
    for (size_t k = i; k < ve && s[k] != ']';) {
        size_t e = skip_value(s, k, ve);
        if (e == BAD)
            break;
        count++;
        k = skip_ws(s, e, ve);
        if (k < ve && s[k] == ',')
            k = skip_ws(s, k + 1, ve);
    }
    lex->entries = calloc(count + 1, sizeof(*lex->entries));
    if (!lex->entries) {
        p->oom = true;
        return;
    }
    while (i < ve && s[i] != ']' && lex->nentries < count) {
        json_error_t je;
        json_t *v = json_loadb(s + i, ve - i, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &je);
        if (!v) {
            struct nt_diag e;
            nt_diag_clear(&e);
            nt_diag_at(&e, p->label, line_at(s, i) + (unsigned long)(je.line > 0 ? je.line - 1 : 0),
                       NULL);
            nt_diag_set(&e, NT_EINPUT, "JSON tidak sah: %s", je.text);
            nt_diag_list_add(p->errs, &e);
            p->nerr++;
            return;
        }
        parse_entry(p, lex, v, lex->nentries, &lex->entries[lex->nentries]);
        lex->nentries++;
        json_decref(v);
        i = skip_ws(s, i + je.position, ve);
        if (i < ve && s[i] == ',')
            i = skip_ws(s, i + 1, ve);
    }
}

enum nt_err nt_lex_parse(const char *label, const char *json, size_t len, struct nt_lex **out,
                         struct nt_diag_list *errs, struct nt_diag *d)
{
    static const char *const keys[] = { "format",     "version",     "election", "description",
                                        "thresholds", "contestants", "entries",  "rules",
                                        "note",       NULL };
    struct pctx p = { label, errs, 0, false };
    json_error_t jerr;
    struct nt_lex *lex;
    const char *s;

    if (len > NT_LEX_MAX_BYTES) {
        nt_diag_at(d, label, 0, NULL);
        return nt_diag_set(d, NT_ETOOBIG, "leksikon lebih besar dari batas %u byte",
                           NT_LEX_MAX_BYTES);
    }
    size_t vs = 0, ve = 0;
    bool stream = find_entries(json, len, &vs, &ve);
    json_t *root;
    if (stream) {
        /* The skeleton: the same text with "entries": [] */
        char *skel = malloc(len - (ve - vs) + 3);
        if (!skel)
            return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
        memcpy(skel, json, vs);
        memcpy(skel + vs, "[]", 2);
        memcpy(skel + vs + 2, json + ve, len - ve);
        root = json_loadb(skel, len - (ve - vs) + 2, JSON_REJECT_DUPLICATES, &jerr);
        free(skel);
    } else {
        root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    }
    if (!root) {
        struct nt_diag e;
        nt_diag_clear(&e);
        nt_diag_at(&e, label, (unsigned long)(jerr.line > 0 ? jerr.line : 0), NULL);
        e.col = (unsigned long)(jerr.column > 0 ? jerr.column : 0);
        nt_diag_set(&e, NT_EINPUT, "JSON tidak sah: %s", jerr.text);
        nt_diag_list_add(errs, &e);
        nt_diag_at(d, label, 0, NULL);
        return nt_diag_set(d, NT_EINPUT, "leksikon ditolak: JSON tidak sah");
    }
    lex = calloc(1, sizeof(*lex));
    if (!lex) {
        json_decref(root);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    nt_strmap_init(&lex->ids);
    nt_strmap_init(&lex->accounts);
    if (!json_is_object(root)) {
        perr(&p, "", "dokumen leksikon harus objek JSON");
        goto done;
    }
    check_keys(&p, root, "", keys);
    s = get_str(&p, root, "format", "", true);
    if (s && strcmp(s, NT_LEX_FORMAT) != 0)
        perr(&p, "format", "harus \"%s\"", NT_LEX_FORMAT);
    lex->version = dup_str(&p, get_str(&p, root, "version", "", true));
    lex->election = dup_str(&p, get_str(&p, root, "election", "", true));
    lex->description = dup_str(&p, get_str(&p, root, "description", "", false));

    json_t *th = json_object_get(root, "thresholds");
    if (!json_is_object(th)) {
        perr(&p, "thresholds", "wajib diisi sebagai objek {\"review\": N, \"priority\": N}");
    } else {
        static const char *const tkeys[] = { "review", "priority", NULL };
        check_keys(&p, th, "thresholds", tkeys);
        if (!get_num(&p, th, "review", "thresholds", 0.001, 1e6, &lex->review))
            perr(&p, "thresholds.review", "wajib angka positif");
        if (!get_num(&p, th, "priority", "thresholds", 0.001, 1e6, &lex->priority))
            perr(&p, "thresholds.priority", "wajib angka positif");
        else if (lex->priority <= lex->review)
            perr(&p, "thresholds.priority", "harus lebih besar daripada review");
    }

    PARSE_ARRAY(&p, root, "contestants", lex->contestants, lex->ncontestants,
                parse_contestant(&p, v_, i_, &lex->contestants[i_]));
    if (stream)
        parse_entries_stream(&p, lex, json, vs, ve);
    else
        PARSE_ARRAY(&p, root, "entries", lex->entries, lex->nentries,
                    parse_entry(&p, lex, v_, i_, &lex->entries[i_]));
    check_unique_ids(&p, lex);
    PARSE_ARRAY(&p, root, "rules", lex->rules, lex->nrules,
                parse_rule(&p, lex, v_, i_, &lex->rules[i_]));
    if (lex->nentries == 0 && !p.nerr)
        perr(&p, "entries", "leksikon tanpa entri");

done:
    json_decref(root);
    if (p.oom) {
        nt_lex_free(lex);
        return nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    }
    if (p.nerr) {
        nt_lex_free(lex);
        nt_diag_at(d, label, 0, NULL);
        return nt_diag_set(d, NT_EINPUT, "leksikon ditolak: %zu masalah", p.nerr);
    }
    *out = lex;
    return NT_OK;
}

void nt_lex_free(struct nt_lex *lex)
{
    if (!lex)
        return;
    for (size_t i = 0; i < lex->ncontestants; i++) {
        free(lex->contestants[i].id);
        free(lex->contestants[i].label);
        free(lex->contestants[i].number);
        free(lex->contestants[i].type);
    }
    free(lex->contestants);
    for (size_t i = 0; i < lex->nentries; i++) {
        struct nt_lex_entry *e = &lex->entries[i];
        free(e->id);
        free(e->label);
        free_strv(e->terms, e->nterms);
        free_strv(e->patterns, e->npatterns);
        free_strv(e->emoji, e->nemoji);
        free(e->refers_to);
        free(e->election);
        free_strv(e->scope, e->nscope);
        for (size_t a = 0; a < e->naccounts; a++) {
            free(e->accounts[a].platform);
            free(e->accounts[a].handle);
        }
        free(e->accounts);
    }
    free(lex->entries);
    for (size_t i = 0; i < lex->nrules; i++) {
        free(lex->rules[i].id);
        free(lex->rules[i].label);
        free(lex->rules[i].category);
        free(lex->rules[i].all);
        free(lex->rules[i].any);
        free(lex->rules[i].none);
    }
    free(lex->rules);
    nt_strmap_release(&lex->ids);
    nt_strmap_release(&lex->accounts);
    free(lex->version);
    free(lex->election);
    free(lex->description);
    free(lex);
}

int nt_lex_find_entry(const struct nt_lex *lex, const char *id)
{
    size_t i;
    return nt_strmap_get(&lex->ids, id, &i) ? (int)i : -1;
}

int nt_lex_find_account(const struct nt_lex *lex, const char *platform, const char *handle)
{
    char key[320], full[400];
    size_t i;
    if (!nt_lex_account_key(platform, handle, key, sizeof(key)))
        return -1;
    snprintf(full, sizeof(full), "%s %s", platform, key);
    return nt_strmap_get(&lex->accounts, full, &i) ? (int)i : -1;
}

int nt_lex_find_contestant(const struct nt_lex *lex, const char *id)
{
    for (size_t i = 0; i < lex->ncontestants; i++)
        if (lex->contestants[i].id && strcmp(lex->contestants[i].id, id) == 0)
            return (int)i;
    return -1;
}

bool nt_lex_entry_applies(const struct nt_lex_entry *e, const char *region, time_t t)
{
    if (t && e->valid_from && t < e->valid_from)
        return false;
    if (t && e->valid_to && t >= e->valid_to)
        return false;
    if (!region || e->nscope == 0)
        return true;
    for (size_t i = 0; i < e->nscope; i++)
        if (nt_region_within(region, e->scope[i]))
            return true;
    return false;
}
