/*
 * diff.c - comparing lexicons by id: entries, rules, contestants,
 * thresholds. Term lists are compared as sets.
 */
#include "diff.h"

#include <string.h>

static bool in_list(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

static const char *str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Set difference of two string lists, as "+x -y" words. */
static void list_diff(struct nt_buf *o, const char *what, char **a, size_t na, char **b, size_t nb,
                      bool *any)
{
    bool started = false;
    for (size_t i = 0; i < nb; i++)
        if (!in_list(a, na, b[i])) {
            nt_buf_appendf(o, "%s%s +\"%s\"", started ? "" : (*any ? "; " : " "),
                           started ? "" : what, b[i]);
            started = *any = true;
        }
    for (size_t i = 0; i < na; i++)
        if (!in_list(b, nb, a[i])) {
            nt_buf_appendf(o, "%s%s -\"%s\"", started ? "" : (*any ? "; " : " "),
                           started ? "" : what, a[i]);
            started = *any = true;
        }
}

static void entry_changes(struct nt_buf *o, const struct nt_lex_entry *a,
                          const struct nt_lex_entry *b, size_t *count)
{
    struct nt_buf line;
    bool any = false;
    nt_buf_init(&line, 1 << 20);
    list_diff(&line, "terms", a->terms, a->nterms, b->terms, b->nterms, &any);
    list_diff(&line, "patterns", a->patterns, a->npatterns, b->patterns, b->npatterns, &any);
    list_diff(&line, "emoji", a->emoji, a->nemoji, b->emoji, b->nemoji, &any);
    list_diff(&line, "scope", a->scope, a->nscope, b->scope, b->nscope, &any);
    if (a->kind != b->kind) {
        nt_buf_appendf(&line, "%sjenis %s -> %s", any ? "; " : " ", nt_lex_kind_name(a->kind),
                       nt_lex_kind_name(b->kind));
        any = true;
    }
    if (a->weight != b->weight) {
        nt_buf_appendf(&line, "%sbobot %g -> %g", any ? "; " : " ", a->weight, b->weight);
        any = true;
    }
    if (a->low_specificity != b->low_specificity) {
        nt_buf_appendf(&line, "%sspesifisitas %s -> %s", any ? "; " : " ",
                       a->low_specificity ? "low" : "normal",
                       b->low_specificity ? "low" : "normal");
        any = true;
    }
    if (!same_str(a->refers_to, b->refers_to)) {
        nt_buf_appendf(&line, "%srefers_to %s -> %s", any ? "; " : " ", str_or(a->refers_to, "-"),
                       str_or(b->refers_to, "-"));
        any = true;
    }
    if (a->valid_from != b->valid_from || a->valid_to != b->valid_to) {
        nt_buf_appendf(&line, "%smasa berlaku berubah", any ? "; " : " ");
        any = true;
    }
    if (any) {
        nt_buf_appendf(o, "~ entri %s:%s\n", b->id, nt_buf_str(&line));
        (*count)++;
    }
    nt_buf_release(&line);
}

static bool items_equal(const struct nt_lex *la, const struct nt_lex_item *a, size_t na,
                        const struct nt_lex *lb, const struct nt_lex_item *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        if (a[i].type != b[i].type)
            return false;
        if (a[i].type == NT_LEX_ITEM_ENTRY
                ? strcmp(la->entries[a[i].index].id, lb->entries[b[i].index].id) != 0
                : a[i].index != b[i].index)
            return false;
    }
    return true;
}

enum nt_err nt_lex_diff(const struct nt_lex *a, const struct nt_lex *b, struct nt_buf *out,
                        size_t *count)
{
    size_t n = 0;
    if (strcmp(a->version, b->version) != 0) {
        nt_buf_appendf(out, "~ versi: \"%s\" -> \"%s\"\n", a->version, b->version);
        n++;
    }
    if (a->review != b->review || a->priority != b->priority) {
        nt_buf_appendf(out, "~ ambang: review %g -> %g, priority %g -> %g\n", a->review, b->review,
                       a->priority, b->priority);
        n++;
    }
    for (size_t i = 0; i < b->ncontestants; i++) {
        bool found = false;
        for (size_t j = 0; j < a->ncontestants && !found; j++)
            found = strcmp(a->contestants[j].id, b->contestants[i].id) == 0;
        if (!found) {
            nt_buf_appendf(out, "+ kontestan %s: %s\n", b->contestants[i].id,
                           b->contestants[i].label);
            n++;
        }
    }
    for (size_t j = 0; j < a->ncontestants; j++) {
        bool found = false;
        for (size_t i = 0; i < b->ncontestants && !found; i++)
            found = strcmp(a->contestants[j].id, b->contestants[i].id) == 0;
        if (!found) {
            nt_buf_appendf(out, "- kontestan %s: %s\n", a->contestants[j].id,
                           a->contestants[j].label);
            n++;
        }
    }
    for (size_t i = 0; i < b->nentries; i++) {
        const struct nt_lex_entry *e = &b->entries[i];
        int k = nt_lex_find_entry(a, e->id);
        if (k < 0) {
            nt_buf_appendf(out, "+ entri %s (%s): %s\n", e->id, nt_lex_kind_name(e->kind),
                           str_or(e->label, e->id));
            n++;
        } else {
            entry_changes(out, &a->entries[k], e, &n);
        }
    }
    for (size_t i = 0; i < a->nentries; i++) {
        const struct nt_lex_entry *e = &a->entries[i];
        if (nt_lex_find_entry(b, e->id) < 0) {
            nt_buf_appendf(out, "- entri %s (%s): %s\n", e->id, nt_lex_kind_name(e->kind),
                           str_or(e->label, e->id));
            n++;
        }
    }
    for (size_t i = 0; i < b->nrules; i++) {
        const struct nt_lex_rule *r = &b->rules[i], *o = NULL;
        for (size_t j = 0; j < a->nrules && !o; j++)
            if (strcmp(a->rules[j].id, r->id) == 0)
                o = &a->rules[j];
        if (!o) {
            nt_buf_appendf(out, "+ aturan %s -> %s (%+g)\n", r->id, r->category, r->score);
            n++;
            continue;
        }
        if (o->score != r->score || o->window != r->window || strcmp(o->category, r->category) ||
            !items_equal(a, o->all, o->nall, b, r->all, r->nall) ||
            !items_equal(a, o->any, o->nany, b, r->any, r->nany) ||
            !items_equal(a, o->none, o->nnone, b, r->none, r->nnone)) {
            nt_buf_appendf(out, "~ aturan %s: skor %g -> %g, jendela %u -> %u, kategori %s -> %s\n",
                           r->id, o->score, r->score, o->window, r->window, o->category,
                           r->category);
            n++;
        }
    }
    for (size_t j = 0; j < a->nrules; j++) {
        bool found = false;
        for (size_t i = 0; i < b->nrules && !found; i++)
            found = strcmp(a->rules[j].id, b->rules[i].id) == 0;
        if (!found) {
            nt_buf_appendf(out, "- aturan %s -> %s (%+g)\n", a->rules[j].id, a->rules[j].category,
                           a->rules[j].score);
            n++;
        }
    }
    *count = n;
    return NT_OK;
}
