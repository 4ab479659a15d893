/*
 * conf.h - Netra's configuration file: lines of `key = value`, `#` comments
 * (whole lines, or after a value with a blank before the '#'),
 * and `[section]` headers. Lines before any header belong to the section
 * "" (a crawl configuration written before sections existed). Each reader
 * takes the sections it owns and ignores the others; a section nobody
 * knows is an error, so that a typo does not silently drop settings.
 */
#ifndef NT_CONF_H
#define NT_CONF_H

#include <stdbool.h>

#include "diag.h"

/* Called per key of a wanted section; fills `d` (a message without file
 * and line) on a bad key or value. */
typedef enum nt_err (*nt_conf_fn)(void *ctx, const char *key, const char *value, struct nt_diag *d);

/*
 * Read `path`, calling `fn` for the keys of the sections named in
 * `sections` (NULL-terminated; "" is the part before any header). Errors
 * are NT_EINPUT "FILE:LINE: ..." (or NT_EIO). *exposed (may be NULL) says
 * whether others than the owner may read the file.
 */
enum nt_err nt_conf_read(const char *path, const char *const *sections, nt_conf_fn fn, void *ctx,
                         bool *exposed, struct nt_diag *d);

/* Values every section reads alike. A yes/no: yes, ya, true, 1 / no,
 * tidak, false, 0. A whole number in [lo, hi]. False when not one. */
bool nt_conf_bool(const char *s, bool *out);
bool nt_conf_uint(const char *s, unsigned lo, unsigned hi, unsigned *out);

#endif
