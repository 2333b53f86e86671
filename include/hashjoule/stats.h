/* hashjoule — the small statistics the benchmark protocol reports. */
#ifndef HASHJOULE_STATS_H
#define HASHJOULE_STATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Median of n values (n >= 1; the mean of the two middle ones for even n). */
double hj_median(const double *values, size_t n);
/* Median absolute deviation from the median (unscaled). */
double hj_mad(const double *values, size_t n);
/* Coefficient of variation: sample standard deviation / mean (0 for n < 2). */
double hj_cv(const double *values, size_t n);

/* Binomial tails for an observed count k of successes in n trials of
 * probability p each: *p_at_most = P(X <= k), *p_at_least = P(X >= k).
 * Exact for any p (an easy target's p is far from small, and the Poisson
 * law would then overstate the variance by 1 / (1 - p)). Replaces
 * hj_poisson_tails (removed in 0.1.0, before any release). */
void hj_binomial_tails(uint64_t k, uint64_t n, double p, double *p_at_most, double *p_at_least);

/* Probability that one SHA-256d value (uniform) is <= the target:
 * (target + 1) / 2^256, target given little-endian as in hj_target. */
double hj_target_probability(const uint8_t target_le[32]);

#ifdef __cplusplus
}
#endif
#endif
