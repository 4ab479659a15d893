/*
 * strmap.c - linear probing with FNV-1a; grows at 50% load.
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void nt_strmap_init(struct nt_strmap *m)
{
    memset(m, 0, sizeof(*m));
}

void nt_strmap_release(struct nt_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

static size_t slot_of(const struct nt_strmap *m, const char *key)
{
    size_t i = (size_t)fnv1a(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static enum nt_err grow(struct nt_strmap *m)
{
    struct nt_strmap n;
    n.cap = m->cap ? m->cap * 2 : 64;
    n.count = m->count;
    n.keys = calloc(n.cap, sizeof(*n.keys));
    n.vals = calloc(n.cap, sizeof(*n.vals));
    if (!n.keys || !n.vals) {
        free(n.keys);
        free(n.vals);
        return NT_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = slot_of(&n, m->keys[i]);
        n.keys[j] = m->keys[i];
        n.vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    *m = n;
    return NT_OK;
}

enum nt_err nt_strmap_put(struct nt_strmap *m, const char *key, size_t val, size_t *old)
{
    if ((m->count + 1) * 2 > m->cap) {
        enum nt_err err = grow(m);
        if (err)
            return err;
    }
    size_t i = slot_of(m, key);
    if (m->keys[i]) {
        if (old)
            *old = m->vals[i];
        return NT_EEXISTS;
    }
    m->keys[i] = strdup(key);
    if (!m->keys[i])
        return NT_ENOMEM;
    m->vals[i] = val;
    m->count++;
    return NT_OK;
}

bool nt_strmap_get(const struct nt_strmap *m, const char *key, size_t *val)
{
    if (!m->cap)
        return false;
    size_t i = slot_of(m, key);
    if (!m->keys[i])
        return false;
    if (val)
        *val = m->vals[i];
    return true;
}
