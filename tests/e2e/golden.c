/*
 * golden.c - test helper: compare `netra match --json` output with the
 * expectations written next to each golden post.
 *
 *   nt_test_golden EXPECTED.ndjson ACTUAL.ndjson
 *
 * For every post: the level must be equal; every expected category and
 * contestant must be present; every expected highlight must be the `match`
 * of some hit; and every hit's `match` must be exactly the original text's
 * bytes [start, end). Prints one line per difference and "N passed, M failed".
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static json_t *load_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    json_t *all = json_object();
    char line[1 << 16];
    if (!f) {
        fprintf(stderr, "golden: cannot open %s\n", path);
        return NULL;
    }
    while (fgets(line, sizeof(line), f)) {
        json_error_t e;
        json_t *o = json_loads(line, 0, &e);
        const char *id = json_string_value(json_object_get(o, "id"));
        if (!o || !id) {
            fprintf(stderr, "golden: %s: bad line: %s\n", path, e.text);
            json_decref(o);
            continue;
        }
        json_object_set_new(all, id, o);
    }
    fclose(f);
    return all;
}

static int contains_string(json_t *arr, const char *s, const char *key)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        json_t *x = key ? json_object_get(v, key) : v;
        if (json_is_string(x) && strcmp(json_string_value(x), s) == 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: nt_test_golden EXPECTED.ndjson ACTUAL.ndjson\n", stderr);
        return 2;
    }
    json_t *exp = load_lines(argv[1]), *act = load_lines(argv[2]);
    if (!exp || !act)
        return 1;
    int passed = 0, failed = 0;
    const char *id;
    json_t *e;
    json_object_foreach(exp, id, e)
    {
        json_t *a = json_object_get(act, id);
        int bad = 0;
        if (!a) {
            printf("FAIL %s: no output\n", id);
            failed++;
            continue;
        }
        const char *want = json_string_value(json_object_get(e, "level"));
        const char *got = json_string_value(json_object_get(a, "level"));
        /* "flagged": review or priority (the model's confidence decides
         * which); "known_false_flag": a hard negative the model still sends
         * to review, listed so that it is seen, never allowed at priority. */
        bool flagged_ok = want && got && strcmp(want, "flagged") == 0 &&
                          (strcmp(got, "review") == 0 || strcmp(got, "priority") == 0);
        bool known = json_is_true(json_object_get(e, "known_false_flag")) && got &&
                     strcmp(got, "review") == 0;
        if (known)
            printf("KNOWN %s: hard negative at review (a false flag still to fix)\n", id);
        if (!flagged_ok && !known && (!want || !got || strcmp(want, got) != 0)) {
            printf("FAIL %s: level %s (score %g), expected %s\n", id, got ? got : "?",
                   json_number_value(json_object_get(a, "score")), want ? want : "?");
            bad++;
        }
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(e, "categories"), i, v)
        {
            if (!contains_string(json_object_get(a, "categories"), json_string_value(v), NULL)) {
                printf("FAIL %s: category %s missing\n", id, json_string_value(v));
                bad++;
            }
        }
        json_array_foreach(json_object_get(e, "contestants"), i, v)
        {
            if (!contains_string(json_object_get(a, "contestants"), json_string_value(v), NULL)) {
                printf("FAIL %s: contestant %s missing\n", id, json_string_value(v));
                bad++;
            }
        }
        json_array_foreach(json_object_get(e, "highlights"), i, v)
        {
            if (!contains_string(json_object_get(a, "hits"), json_string_value(v), "match")) {
                printf("FAIL %s: no hit highlights \"%s\"\n", id, json_string_value(v));
                bad++;
            }
        }
        const char *text = json_string_value(json_object_get(e, "text"));
        size_t tlen = json_string_length(json_object_get(e, "text"));
        json_array_foreach(json_object_get(a, "hits"), i, v)
        {
            json_int_t s = json_integer_value(json_object_get(v, "start"));
            json_int_t en = json_integer_value(json_object_get(v, "end"));
            const char *m = json_string_value(json_object_get(v, "match"));
            if (s < 0 || en < s || (size_t)en > tlen || !m || strlen(m) != (size_t)(en - s) ||
                memcmp(text + s, m, (size_t)(en - s)) != 0) {
                printf("FAIL %s: hit %zu [%lld, %lld) is not the original text\n", id, i,
                       (long long)s, (long long)en);
                bad++;
            }
        }
        if (bad)
            failed++;
        else
            passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    json_decref(exp);
    json_decref(act);
    return failed ? 1 : 0;
}
