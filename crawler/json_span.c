/*
 * json_span.c - byte spans of JSON values in a response as received: the
 * elements of a top-level array and a top-level object's member, so that a
 * source keeps each item's exact bytes as evidence (Jansson parses the
 * same bytes for the fields). Bounded by `n`, never reads past it; hostile
 * input gives -1 / false, not a crash.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"

static size_t ws(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* End of the JSON value starting at i, or (size_t)-1. */
static size_t value_end(const char *s, size_t i, size_t n)
{
    size_t depth = 0;
    do {
        if (i >= n)
            return (size_t)-1;
        char c = s[i];
        if (c == '"') {
            for (i++; i < n && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            if (i >= n)
                return (size_t)-1;
            i++;
        } else if (c == '{' || c == '[') {
            depth++;
            i++;
        } else if (c == '}' || c == ']') {
            if (!depth)
                return (size_t)-1;
            depth--;
            i++;
        } else {
            i++;
            if (!depth)
                while (i < n && s[i] != ',' && s[i] != ']' && s[i] != '}' && s[i] != ' ' &&
                       s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
                    i++;
        }
    } while (depth);
    return i;
}

long nt_json_array_spans(const char *s, size_t n, struct nt_span *out, size_t max)
{
    size_t i = ws(s, 0, n);
    long count = 0;
    if (i >= n || s[i] != '[')
        return -1;
    i = ws(s, i + 1, n);
    if (i < n && s[i] == ']')
        return 0;
    while (i < n) {
        size_t e = value_end(s, i, n);
        if (e == (size_t)-1 || (size_t)count >= max)
            return -1;
        out[count++] = (struct nt_span){ i, e };
        i = ws(s, e, n);
        if (i < n && s[i] == ',') {
            i = ws(s, i + 1, n);
            continue;
        }
        if (i < n && s[i] == ']')
            return count;
        return -1;
    }
    return -1;
}

bool nt_json_member(const char *s, size_t n, const char *key, struct nt_span *out)
{
    size_t i = ws(s, 0, n), kl = strlen(key);
    if (i >= n || s[i] != '{')
        return false;
    i = ws(s, i + 1, n);
    while (i < n && s[i] == '"') {
        size_t ks = i + 1, ke = value_end(s, i, n);
        if (ke == (size_t)-1)
            return false;
        bool match = ke - 1 - ks == kl && memcmp(s + ks, key, kl) == 0;
        i = ws(s, ke, n);
        if (i >= n || s[i] != ':')
            return false;
        size_t vs = ws(s, i + 1, n), ve = value_end(s, vs, n);
        if (ve == (size_t)-1)
            return false;
        if (match) {
            *out = (struct nt_span){ vs, ve };
            return true;
        }
        i = ws(s, ve, n);
        if (i < n && s[i] == ',')
            i = ws(s, i + 1, n);
    }
    return false;
}

long nt_json_member_spans(const char *s, size_t n, const char *key, long absent,
                          struct nt_span *out, size_t max)
{
    struct nt_span m;
    if (!nt_json_member(s, n, key, &m))
        return absent;
    long k = nt_json_array_spans(s + m.start, m.end - m.start, out, max);
    for (long i = 0; i < k && (size_t)i < max; i++) {
        out[i].start += m.start;
        out[i].end += m.start;
    }
    return k;
}
