/*
 * explain.c - rendering a result as JSON (Jansson). The matched substring
 * is taken from the original text by byte offsets, so what a reviewer sees
 * highlighted is exactly what the post said.
 */
#include "explain.h"

#include "utf8.h"

static const char *via_name(enum nt_hit_via v)
{
    return v == NT_VIA_PATTERN ? "pattern" : v == NT_VIA_EMOJI ? "emoji" : "term";
}

static json_t *explain(const struct nt_matcher *m, const struct nt_result *r, const char *text,
                       size_t len, bool with_hits)
{
    const struct nt_lex *lex = nt_match_lexicon(m);
    json_t *o = json_object(), *hits = with_hits ? json_array() : NULL, *rules = json_array(),
           *cats = json_array(), *cons = json_array();
    if (!o || (with_hits && !hits) || !rules || !cats || !cons)
        goto oom;
    for (size_t i = 0; hits && i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        const struct nt_lex_entry *e = &lex->entries[h->entry];
        size_t s = h->start < len ? h->start : len, n = h->end <= len ? h->end - s : len - s;
        json_t *match = nt_utf8_valid(text + s, n, NULL) ? json_stringn(text + s, n)
                                                         : json_string("\xEF\xBF\xBD");
        json_t *hj =
            json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:s, s:b, s:f, s:s?}", "entry", e->id, "kind",
                      nt_lex_kind_name(e->kind), "label", e->label ? e->label : e->id, "start",
                      (json_int_t)h->start, "end", (json_int_t)h->end, "match", match, "via",
                      via_name(h->via), "counted", h->counted, "weight", e->weight, "refers_to",
                      e->refers_to);
        if (!hj || json_array_append_new(hits, hj))
            goto oom;
    }
    for (size_t i = 0; i < r->nfired; i++) {
        const struct nt_lex_rule *rule = &lex->rules[r->fired[i].rule];
        json_t *hi = json_array();
        for (size_t k = 0; hi && k < r->fired[i].nhits; k++)
            json_array_append_new(hi, json_integer((json_int_t)r->fired[i].hits[k]));
        json_t *rj = json_pack("{s:s, s:s, s:s, s:f, s:o}", "id", rule->id, "label",
                               rule->label ? rule->label : rule->id, "category", rule->category,
                               "score", rule->score, "hits", hi ? hi : json_array());
        if (!rj || json_array_append_new(rules, rj))
            goto oom;
    }
    for (size_t i = 0; i < r->ncategories; i++)
        json_array_append_new(cats, json_string(r->categories[i]));
    for (size_t i = 0; i < r->ncontestants; i++) {
        const struct nt_lex_contestant *c = &lex->contestants[r->contestants[i]];
        json_array_append_new(cons, json_string(c->id));
    }
    json_object_set_new(o, "score", json_real(r->score));
    json_object_set_new(o, "level", json_string(nt_level_name(r->level)));
    json_object_set_new(o, "categories", cats);
    json_object_set_new(o, "contestants", cons);
    if (hits)
        json_object_set_new(o, "hits", hits);
    json_object_set_new(o, "rules", rules);
    json_object_set_new(o, "breakdown",
                        json_pack("{s:f, s:f, s:f, s:f}", "entries", r->entry_score, "rules",
                                  r->rule_score, "review_at", lex->review, "priority_at",
                                  lex->priority));
    json_object_set_new(o, "lexicon_version", json_string(lex->version));
    return o;
oom:
    json_decref(o);
    json_decref(hits);
    json_decref(rules);
    json_decref(cats);
    json_decref(cons);
    return NULL;
}

json_t *nt_match_explain(const struct nt_matcher *m, const struct nt_result *r, const char *text,
                         size_t len)
{
    return explain(m, r, text, len, true);
}

json_t *nt_match_explain_verdict(const struct nt_matcher *m, const struct nt_result *r)
{
    return explain(m, r, NULL, 0, false);
}
