/*
 * region.h - Kemendagri region codes: province "76", regency/city "76.04",
 * district "76.04.01", village "76.04.01.2001". The same codes scope
 * lexicon entries and electoral districts, so containment is what matters:
 * "76.04" lies within "76".
 */
#ifndef NT_REGION_H
#define NT_REGION_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define NT_REGION_MAX 16 /* "NN.NN.NN.NNNN" + NUL */

/*
 * Canonicalise `s` into out (dotted form). Accepts dotted codes and the
 * undotted form used by KPU data ("7604"). The province must be one of the
 * 38 provinces. NT_EINPUT with the reason in `d` otherwise.
 */
enum nt_err nt_region_parse(const char *s, char out[NT_REGION_MAX], struct nt_diag *d);

/* Name of the province of a (canonical) code, e.g. "Sulawesi Barat"; NULL if unknown. */
const char *nt_region_province_name(const char *code);

/* True when canonical `code` equals `scope` or lies inside it. */
bool nt_region_within(const char *code, const char *scope);

#endif
