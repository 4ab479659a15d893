/*
 * internal.h - what the stance module's files share and nobody else sees.
 */
#ifndef NT_STANCE_INTERNAL_H
#define NT_STANCE_INTERNAL_H

#include <math.h>

#include "stance.h"

/* A model from dense weights (2 << info->bits floats), the named strongest
 * features and the vocabulary bit set (may be NULL), all taken. NULL when
 * out of memory. */
struct nt_stance_model *nt_stance_model_new(const struct nt_stance_info *info, float *w,
                                            double bias_side, double bias_oppose,
                                            struct nt_stance_top *top, size_t ntop,
                                            uint64_t *vocab);

/* Extraction that sums the features' weights (w: 2 << bits floats, side
 * and oppose interleaved) instead of storing ids: v gets n, scale and
 * relevant (true: call it past the gate only), sum the two sums. */
enum nt_err nt_stance_extract_sum(const struct nt_lex *lex, const struct nt_normtext *nt,
                                  const struct nt_result *r, const char *text, size_t len,
                                  unsigned bits, const uint64_t *vocab, const float *w,
                                  struct nt_stance_vec *v, float sum[2]);

/* The logistic function, without overflow for large |z|: one exp(-|z|)
 * (exp(z) for z < 0, as a second call computed it before). */
static inline double nt_stance_sigmoid(double z)
{
    double e = exp(-fabs(z));
    return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

#endif
