/* Median, MAD, CV, binomial tails and target probability. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/stats.h"

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

double hj_median(const double *values, size_t n)
{
    if (n == 0)
        return NAN;
    double *v = malloc(n * sizeof *v);
    if (!v)
        return NAN;
    memcpy(v, values, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_double);
    double m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    free(v);
    return m;
}

double hj_mad(const double *values, size_t n)
{
    if (n == 0)
        return NAN;
    double med = hj_median(values, n);
    double *dev = malloc(n * sizeof *dev);
    if (!dev)
        return NAN;
    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(values[i] - med);
    double m = hj_median(dev, n);
    free(dev);
    return m;
}

double hj_cv(const double *values, size_t n)
{
    if (n < 2)
        return 0;
    double mean = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        mean += values[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (values[i] - mean) * (values[i] - mean);
    return mean != 0 ? sqrt(ss / (double)(n - 1)) / mean : 0;
}

/* log P(X = i) for X ~ Binomial(n, p), 0 < p < 1, i <= n */
static double log_pmf(uint64_t i, uint64_t n, double p)
{
    return lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) + (double)i * log(p) +
           (double)(n - i) * log1p(-p);
}

/* P(X = from) + P(X = from + step) + ... up to `to`, walking away from the
 * mode (callers start on the far side of the mean), so the first term is
 * the largest: sum relative to it in log space, stop when terms are
 * negligible. */
static double tail(uint64_t from, uint64_t to, int step, uint64_t n, double p)
{
    double first = log_pmf(from, n, p), sum = 0;
    for (uint64_t i = from;; i = step > 0 ? i + 1 : i - 1) {
        double term = exp(log_pmf(i, n, p) - first);
        sum += term;
        if (term < 1e-18 || i == to)
            break;
    }
    return exp(log(sum) + first);
}

void hj_binomial_tails(uint64_t k, uint64_t n, double p, double *p_at_most, double *p_at_least)
{
    /* Degenerate laws: X is always 0 (no trials, p = 0) or always n (p = 1). */
    if (n == 0 || !(p > 0) || p >= 1) {
        uint64_t x = n == 0 || !(p > 0) ? 0 : n;
        *p_at_most = k >= x ? 1 : 0;
        *p_at_least = k <= x ? 1 : 0;
        return;
    }
    if (k > n) { /* more hits than trials: impossible */
        *p_at_most = 1;
        *p_at_least = 0;
        return;
    }
    /* Sum the smaller tail directly and take the other as its complement,
     * both clamped to [0, 1]. */
    double le, ge;
    if ((double)k <= (double)n * p) {
        le = tail(k, 0, -1, n, p);
        ge = 1 - le + exp(log_pmf(k, n, p));
    } else {
        ge = tail(k, n, +1, n, p);
        le = 1 - ge + exp(log_pmf(k, n, p));
    }
    *p_at_most = le < 0 ? 0 : le > 1 ? 1 : le;
    *p_at_least = ge < 0 ? 0 : ge > 1 ? 1 : ge;
}

double hj_target_probability(const uint8_t target_le[32])
{
    double p = 0;
    for (int i = 31; i >= 0; i--)
        p += ldexp((double)target_le[i], 8 * i - 256);
    return p + ldexp(1.0, -256);
}
