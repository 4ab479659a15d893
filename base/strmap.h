/*
 * strmap.h - a small open-addressing hash map from strings to size_t,
 * used where a bounded input must be checked for duplicates ("NIP already
 * on line 12"). Keys are copied; the map owns them.
 */
#ifndef NT_STRMAP_H
#define NT_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct nt_strmap {
    char **keys;
    size_t *vals;
    size_t cap; /* power of two, 0 when empty */
    size_t count;
};

void nt_strmap_init(struct nt_strmap *m);
void nt_strmap_release(struct nt_strmap *m);

/*
 * Insert key -> val if the key is new. If it exists, leave it and write its
 * value to *old (if not NULL) and return NT_EEXISTS.
 */
enum nt_err nt_strmap_put(struct nt_strmap *m, const char *key, size_t val, size_t *old);

/* True and *val set when present. */
bool nt_strmap_get(const struct nt_strmap *m, const char *key, size_t *val);

#endif
