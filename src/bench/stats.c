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

#define TWO_PI 6.283185307179586476925287

/* log(x!) - log(sqrt(2 pi x) (x / e)^x), the error of Stirling's formula:
 * the series 1/(12x) - 1/(360x^3) + 1/(1260x^5) - ... for large x (where
 * lgamma's own rounding would cancel badly), lgamma below. Catherine Loader,
 * "Fast and Accurate Computation of Binomial Probabilities" (2000). */
static double stirling_error(double x)
{
    if (x <= 15)
        return lgamma(x + 1) - (x + 0.5) * log(x) + x - 0.5 * log(TWO_PI);
    double x2 = x * x;
    return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - 1.0 / (1188 * x2)) / x2) / x2) / x2) / x;
}

/* x log(x / m) + m - x, without cancellation when x is near m (the same
 * paper): a series in v = (x - m) / (x + m). */
static double deviance(double x, double m)
{
    if (fabs(x - m) >= 0.1 * (x + m))
        return x * log(x / m) + m - x;
    double v = (x - m) / (x + m), v2 = v * v, s = (x - m) * v, ej = 2 * x * v;
    for (int j = 1; j < 1000; j++) {
        ej *= v2;
        double s1 = s + ej / (2 * j + 1);
        if (s1 == s)
            break;
        s = s1;
    }
    return s;
}

/* log P(X = i) for X ~ Binomial(n, p), 0 < p < 1, i <= n; accurate to a few
 * ulps even for n ~ 10^12, where lgamma(n + 1) - lgamma(i + 1) - ... would
 * cancel away five or more digits. */
static double log_pmf(uint64_t i, uint64_t n, double p)
{
    double q = 1 - p, dn = (double)n, di = (double)i;
    if (i == 0)
        return dn * log1p(-p);
    if (i == n)
        return dn * log(p);
    return stirling_error(dn) - stirling_error(di) - stirling_error(dn - di) - deviance(di, dn * p) -
           deviance(dn - di, dn * q) + 0.5 * log(dn / (TWO_PI * di * (dn - di)));
}

/* P(X = from) + P(X = from + step) + ... up to `to`, walking away from the
 * mode (callers start on the far side of the mean), so the first term is
 * the largest: each next term from the last by the ratio of neighbouring
 * probabilities, P(i + 1) / P(i) = (n - i) / (i + 1) * p / (1 - p); stop
 * when terms are negligible. */
static double tail(uint64_t from, uint64_t to, int step, uint64_t n, double p)
{
    double odds = p / (1 - p), term = 1, sum = 0;
    for (uint64_t i = from;; i = step > 0 ? i + 1 : i - 1) {
        sum += term;
        if (term < 1e-18 || i == to)
            break;
        term *= step > 0 ? (double)(n - i) / (double)(i + 1) * odds : (double)i / (double)(n - i + 1) / odds;
    }
    return exp(log(sum) + log_pmf(from, n, p));
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
