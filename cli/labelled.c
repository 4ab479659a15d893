/*
 * labelled.c - reading labelled posts for `netra model train` and
 * `model evaluate`: NDJSON ({"text", "label"} per line), CSV with a text
 * and a label column, a CSV of labels joined with a CSV of texts by id,
 * and files without labels given one with --label (news: NEUTRAL). Each
 * example is scanned with the engine and turned into stance features.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "csv.h"
#include "labelled.h"
#include "strmap.h"
#include "utf8.h"

void labelled_init(struct labelled *l, unsigned bits, bool with_names)
{
    memset(l, 0, sizeof(*l));
    nt_stance_set_init(&l->set, bits);
    nt_stance_vec_init(&l->vec);
    l->with_names = with_names;
}

void labelled_release(struct labelled *l)
{
    /* One text per example: free them while the set still counts them. */
    for (size_t i = 0; i < l->set.n && l->texts; i++)
        free(l->texts[i]);
    nt_stance_set_release(&l->set);
    nt_stance_vec_release(&l->vec);
    nt_stance_names_release(&l->names);
    nt_stance_names_release(&l->all);
    free(l->source);
    free(l->texts);
    free(l->vocab);
    for (size_t i = 0; i < l->nsources; i++)
        free(l->sources[i]);
    free(l->sources);
    memset(l, 0, sizeof(*l));
}

/* SUPPORT / OPPOSE / NEUTRAL (and Indonesian forms); UNCLEAR skips. */
int labelled_parse_label(const char *s, enum nt_stance_label *out)
{
    static const struct {
        const char *name;
        int label;
    } map[] = {
        { "support", NT_LABEL_SUPPORT },
        { "mendukung", NT_LABEL_SUPPORT },
        { "violation", NT_LABEL_SUPPORT },
        { "pro", NT_LABEL_SUPPORT },
        { "oppose", NT_LABEL_OPPOSE },
        { "menentang", NT_LABEL_OPPOSE },
        { "against", NT_LABEL_OPPOSE },
        { "neutral", NT_LABEL_NEUTRAL },
        { "netral", NT_LABEL_NEUTRAL },
        { "none", NT_LABEL_NEUTRAL },
        { "unclear", -1 },
        { "ragu", -1 },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcasecmp(s, map[i].name) == 0) {
            if (map[i].label < 0)
                return 0;
            *out = (enum nt_stance_label)map[i].label;
            return 1;
        }
    return -1;
}

int labelled_source(struct labelled *l, const char *path)
{
    for (size_t i = 0; i < l->nsources; i++)
        if (strcmp(l->sources[i], path) == 0)
            return (int)i;
    char **p = realloc(l->sources, (l->nsources + 1) * sizeof(*p));
    if (!p)
        return -1;
    l->sources = p;
    if (!(l->sources[l->nsources] = strdup(path)))
        return -1;
    return (int)l->nsources++;
}

int labelled_vocab(struct cli *c, struct nt_detect *e, struct labelled *l)
{
    if (nt_stance_vocab_build(&l->set, 2, &l->vocab) != NT_OK)
        return cli_failf(c, "memori tidak cukup");
    nt_stance_names_release(&l->all);
    for (size_t i = 0; i < l->set.n; i++) {
        const struct nt_result *r;
        struct nt_stance_example *x = &l->set.v[i];
        size_t len = strlen(l->texts[i]);
        if (nt_scan(e->sc, l->texts[i], len, NULL, &r) != NT_OK ||
            nt_stance_extract(e->lex, nt_scanner_text(e->sc), r, l->texts[i], len, l->set.bits,
                              l->vocab, &l->vec, l->with_names ? &l->names : NULL) != NT_OK ||
            (l->with_names && nt_stance_names_merge(&l->all, &l->names) != NT_OK))
            return cli_failf(c, "memori tidak cukup saat mengambil fitur");
        uint32_t *ids = realloc(x->ids, (l->vec.n ? l->vec.n : 1) * sizeof(*ids));
        uint8_t *groups = realloc(x->groups, l->vec.n ? l->vec.n : 1);
        if (!ids || !groups) {
            free(ids ? ids : x->ids);
            x->ids = NULL;
            return cli_failf(c, "memori tidak cukup");
        }
        memcpy(ids, l->vec.ids, l->vec.n * sizeof(*ids));
        memcpy(groups, l->vec.groups, l->vec.n);
        x->ids = ids;
        x->groups = groups;
        x->n = l->vec.n;
        x->relevant = l->vec.relevant;
    }
    return CLI_OK;
}

int labelled_add(struct cli *c, struct nt_detect *e, struct labelled *l, const char *group,
                 const char *text, size_t len, enum nt_stance_label label, int source)
{
    const struct nt_result *r;
    if (nt_scan(e->sc, text, len, NULL, &r) != NT_OK)
        return cli_failf(c, "memori tidak cukup saat menilai teks");
    char **tp = realloc(l->texts, (l->set.n + 1) * sizeof(*tp));
    if (!tp)
        return cli_failf(c, "memori tidak cukup");
    l->texts = tp;
    if (!(tp[l->set.n] = strndup(text, len)))
        return cli_failf(c, "memori tidak cukup");
    /* First pass: no vocabulary yet and no names (labelled_vocab redoes both). */
    if (nt_stance_extract(e->lex, nt_scanner_text(e->sc), r, text, len, l->set.bits, l->vocab,
                          &l->vec, l->with_names && l->vocab ? &l->names : NULL) != NT_OK ||
        nt_stance_set_add(&l->set, &l->vec, label, source) != NT_OK) {
        free(tp[l->set.n]);
        return cli_failf(c, "memori tidak cukup saat mengambil fitur");
    }
    if (l->with_names && l->vocab && nt_stance_names_merge(&l->all, &l->names) != NT_OK)
        return cli_failf(c, "memori tidak cukup");
    if (group && *group)
        l->set.v[l->set.n - 1].group = nt_norm_hash(group, strlen(group)) | 1;
    int *p = realloc(l->source, l->set.n * sizeof(*p));
    if (!p)
        return cli_failf(c, "memori tidak cukup");
    l->source = p;
    l->source[l->set.n - 1] = source;
    return CLI_OK;
}

static int read_ndjson(struct cli *c, struct nt_detect *e, struct labelled *l, const char *path,
                       const char *data, size_t len, const enum nt_stance_label *forced, int src,
                       size_t *bad)
{
    const char *p = data, *end = data + len;
    unsigned long lineno = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *line = p;
        p = nl ? nl + 1 : end;
        lineno++;
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
            n--;
        if (!n)
            continue;
        json_error_t jerr;
        json_t *o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr);
        json_t *text = o ? json_object_get(o, "text") : NULL;
        json_t *lab = o ? json_object_get(o, "label") : NULL;
        json_t *side = o ? json_object_get(o, "side") : NULL;
        enum nt_stance_label label = NT_LABEL_NEUTRAL;
        int ok = 1;
        if (!o || !json_is_object(o)) {
            char msg[300];
            snprintf(msg, sizeof(msg), "JSON tidak sah: %s", o ? "harus objek" : jerr.text);
            cli_line_error(c, path, lineno, NULL, msg);
            ok = -1;
        } else if (!json_is_string(text)) {
            cli_line_error(c, path, lineno, "text", text ? "harus teks" : "wajib diisi");
            ok = -1;
        } else if (forced) {
            label = *forced;
        } else if (!json_is_string(lab)) {
            cli_line_error(c, path, lineno, "label",
                           lab ? "harus teks" : "wajib diisi (atau --label)");
            ok = -1;
        } else if ((ok = labelled_parse_label(json_string_value(lab), &label)) < 0) {
            cli_line_error(c, path, lineno, "label",
                           "harus SUPPORT, OPPOSE, NEUTRAL, VIOLATION atau UNCLEAR");
        } else if (ok > 0 && json_is_string(side) &&
                   strcasecmp(json_string_value(side), "oppose") == 0) {
            label = NT_LABEL_OPPOSE;
        }
        if (ok < 0) {
            (*bad)++;
        } else if (ok > 0) {
            json_t *grp = json_object_get(o, "group");
            int rc = labelled_add(c, e, l, json_is_string(grp) ? json_string_value(grp) : NULL,
                                  json_string_value(text), json_string_length(text), label, src);
            if (rc) {
                json_decref(o);
                return rc;
            }
        }
        json_decref(o);
    }
    return CLI_OK;
}

/* Read the header of `csv` and map `names` (the first `nreq` required). */
static int map_header(struct cli *c, struct nt_csv *csv, const char *path, const char *const *names,
                      size_t n, size_t nreq, int *idx, struct nt_diag_list *errs,
                      unsigned long *line)
{
    struct nt_csv_record rec;
    if (!nt_csv_next_valid(csv, &rec, errs)) {
        cli_print_diags(c, errs, path);
        return cli_failf(c, "%s: berkas CSV kosong", path);
    }
    if (nt_csv_map_header(path, &rec, names, n, nreq, idx, errs) != NT_OK) {
        cli_print_diags(c, errs, path);
        return cli_failf(c, "%s:%lu: baris judul tidak sesuai", path, rec.line);
    }
    *line = rec.line;
    return CLI_OK;
}

/* The label column, then the names a text column goes by. */
static const char *const label_text_cols[] = { "label", "text", "teks", "headline", "judul" };

static int read_csv(struct cli *c, struct nt_detect *e, struct labelled *l, const char *path,
                    const char *data, size_t len, const enum nt_stance_label *forced, int src,
                    size_t *bad)
{
    struct nt_csv csv;
    struct nt_csv_record rec;
    struct nt_diag_list errs;
    int rc = CLI_OK;
    nt_csv_init(&csv, path, data, len);
    nt_diag_list_init(&errs, 100);
    int cols[5], tcol = -1, lcol;
    unsigned long hline;
    rc = map_header(c, &csv, path, label_text_cols, 5, 0, cols, &errs, &hline);
    if (rc)
        goto out;
    lcol = cols[0];
    for (size_t k = 1; k < 5 && tcol < 0; k++)
        tcol = cols[k];
    if (tcol < 0) {
        rc = cli_failf(c, "%s:%lu: kolom teks (text atau headline) tidak ada", path, hline);
        goto out;
    }
    if (lcol < 0 && !forced) {
        rc = cli_failf(c, "%s:%lu: kolom label tidak ada (atau beri --label)", path, hline);
        goto out;
    }
    while (nt_csv_next_valid(&csv, &rec, &errs)) {
        if ((size_t)tcol >= rec.count || (!forced && (size_t)lcol >= rec.count)) {
            cli_line_error(c, path, rec.line, NULL, "kolom kurang");
            (*bad)++;
            continue;
        }
        if (!nt_utf8_valid(rec.fields[tcol], rec.lens[tcol], NULL)) {
            cli_line_error(c, path, rec.line, "text", "bukan UTF-8 yang sah");
            (*bad)++;
            continue;
        }
        enum nt_stance_label label = forced ? *forced : NT_LABEL_NEUTRAL;
        int ok = forced ? 1 : labelled_parse_label(rec.fields[lcol], &label);
        if (ok < 0) {
            cli_line_error(c, path, rec.line, "label",
                           "harus SUPPORT, OPPOSE, NEUTRAL atau UNCLEAR");
            (*bad)++;
            continue;
        }
        if (ok == 0 || rec.lens[tcol] == 0)
            continue;
        rc = labelled_add(c, e, l, NULL, rec.fields[tcol], rec.lens[tcol], label, src);
        if (rc)
            break;
    }
    cli_print_diags(c, &errs, NULL);
    *bad += nt_diag_list_total(&errs);
out:
    nt_diag_list_release(&errs);
    nt_csv_release(&csv);
    return rc;
}

static bool is_ndjson(const char *path, const char *data, size_t len)
{
    size_t n = strlen(path);
    if (n > 7 && (strcmp(path + n - 7, ".ndjson") == 0 || strcmp(path + n - 6, ".jsonl") == 0))
        return true;
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r'))
        i++;
    return i < len && data[i] == '{';
}

int labelled_read(struct cli *c, struct nt_detect *e, struct labelled *l, const char *path,
                  const enum nt_stance_label *forced)
{
    struct nt_buf buf;
    struct nt_diag d;
    size_t bad = 0, before = l->set.n;
    int rc;
    nt_buf_init(&buf, 512u * 1024 * 1024);
    nt_diag_clear(&d);
    if (nt_file_read(path, &buf, &d) != NT_OK) {
        nt_buf_release(&buf);
        return cli_fail(c, &d);
    }
    int src = labelled_source(l, path);
    if (src < 0) {
        nt_buf_release(&buf);
        return cli_failf(c, "memori tidak cukup");
    }
    if (is_ndjson(path, buf.data, buf.len))
        rc = read_ndjson(c, e, l, path, buf.data, buf.len, forced, src, &bad);
    else
        rc = read_csv(c, e, l, path, buf.data, buf.len, forced, src, &bad);
    nt_buf_release(&buf);
    if (rc == CLI_OK && bad)
        rc = cli_failf(c, "%s: %zu baris rusak (lihat di atas); tidak ada yang dilatih", path, bad);
    if (rc == CLI_OK && l->set.n == before)
        rc = cli_failf(c, "%s: tidak ada contoh berlabel", path);
    return rc;
}

/* labels CSV (id,label) joined with texts CSV (id,text) on id. */
int labelled_read_join(struct cli *c, struct nt_detect *e, struct labelled *l, const char *labels,
                       const char *texts)
{
    struct nt_buf lb, tb;
    struct nt_diag d;
    struct nt_strmap idx;
    struct nt_csv csv;
    struct nt_csv_record rec;
    struct nt_diag_list errs;
    int rc = CLI_OK;
    size_t bad = 0, missing = 0, before = l->set.n;
    char **txt = NULL;
    size_t ntxt = 0, cap = 0;

    nt_buf_init(&lb, 512u * 1024 * 1024);
    nt_buf_init(&tb, 512u * 1024 * 1024);
    nt_diag_clear(&d);
    nt_strmap_init(&idx);
    nt_diag_list_init(&errs, 100);
    if (nt_file_read(labels, &lb, &d) != NT_OK || nt_file_read(texts, &tb, &d) != NT_OK) {
        rc = cli_fail(c, &d);
        goto out;
    }
    /* id -> text from the texts file. */
    static const char *const text_cols[] = { "id", "text" }, *const label_cols[] = { "id",
                                                                                     "label" };
    int cols[2];
    unsigned long hline;
    nt_csv_init(&csv, texts, tb.data, tb.len);
    rc = map_header(c, &csv, texts, text_cols, 2, 2, cols, &errs, &hline);
    if (rc) {
        nt_csv_release(&csv);
        goto out;
    }
    int icol = cols[0], tcol = cols[1];
    while (nt_csv_next_valid(&csv, &rec, &errs)) {
        if ((size_t)icol >= rec.count || (size_t)tcol >= rec.count)
            continue;
        if (nt_strmap_get(&idx, rec.fields[icol], NULL))
            continue;
        if (ntxt == cap) {
            cap = cap ? cap * 2 : 1024;
            char **p = realloc(txt, cap * sizeof(*p));
            if (!p) {
                nt_csv_release(&csv);
                rc = cli_failf(c, "memori tidak cukup");
                goto out;
            }
            txt = p;
        }
        txt[ntxt] = strdup(rec.fields[tcol]);
        if (!txt[ntxt] || nt_strmap_put(&idx, rec.fields[icol], ntxt, NULL) != NT_OK) {
            free(txt[ntxt]);
            nt_csv_release(&csv);
            rc = cli_failf(c, "memori tidak cukup");
            goto out;
        }
        ntxt++;
    }
    nt_csv_release(&csv);
    int src = labelled_source(l, labels);
    if (src < 0) {
        rc = cli_failf(c, "memori tidak cukup");
        goto out;
    }
    nt_csv_init(&csv, labels, lb.data, lb.len);
    rc = map_header(c, &csv, labels, label_cols, 2, 2, cols, &errs, &hline);
    if (rc) {
        nt_csv_release(&csv);
        goto out;
    }
    icol = cols[0];
    int lcol = cols[1];
    while (rc == CLI_OK && nt_csv_next_valid(&csv, &rec, &errs)) {
        enum nt_stance_label label;
        size_t at;
        if ((size_t)icol >= rec.count || (size_t)lcol >= rec.count) {
            cli_line_error(c, labels, rec.line, NULL, "kolom kurang");
            bad++;
            continue;
        }
        int ok = labelled_parse_label(rec.fields[lcol], &label);
        if (ok < 0) {
            cli_line_error(c, labels, rec.line, "label",
                           "harus SUPPORT, OPPOSE, NEUTRAL atau UNCLEAR");
            bad++;
            continue;
        }
        if (ok == 0)
            continue;
        if (!nt_strmap_get(&idx, rec.fields[icol], &at)) {
            missing++;
            continue;
        }
        const char *t = txt[at];
        rc = labelled_add(c, e, l, NULL, t, strlen(t), label, src);
    }
    nt_csv_release(&csv);
    cli_print_diags(c, &errs, NULL);
    bad += nt_diag_list_total(&errs);
    if (rc == CLI_OK && bad)
        rc = cli_failf(c, "%s: %zu baris rusak (lihat di atas)", labels, bad);
    if (rc == CLI_OK && missing)
        fprintf(c->err, "netra: %s: %zu label tanpa teks di %s dilewati\n", labels, missing, texts);
    if (rc == CLI_OK && l->set.n == before)
        rc = cli_failf(c, "%s: tidak ada contoh berlabel", labels);
out:
    for (size_t i = 0; i < ntxt; i++)
        free(txt[i]);
    free(txt);
    nt_strmap_release(&idx);
    nt_diag_list_release(&errs);
    nt_buf_release(&lb);
    nt_buf_release(&tb);
    return rc;
}
