/* How fast this core runs SHA256RNDS2, in core clock cycles: the latency
 * (one dependent chain) and the issue interval (four independent chains).
 * Together they bound a SHA-NI SHA-256d kernel: 61 RNDS2 per nonce, so at
 * least 61 x interval cycles per nonce, and a single stream (OpenSSL) pays
 * the latency on every one of its 32 RNDS2 per compression.
 *
 * The unit is a dependent 64-bit ADD chain (1 cycle per ADD on every x86-64
 * core since the P6), timed right next to each probe, so the result needs no
 * cycle counter and no clock frequency. Each figure is the median over many
 * short trials; trials whose two ADD timings disagree (the machine was busy)
 * are dropped.
 *
 * Build: cc -O2 -o rnds2_probe bench/rnds2_probe.c  (run it only on a CPU
 * with SHA-NI; bench/cpu_kernels.sh checks that first). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TRIALS 200
#define ITERS 20000

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ns per instruction of 16 x ITERS dependent ADDs. */
static double add_chain(void)
{
    uint64_t x = 1;
    double t0 = now_ns();
    for (int i = 0; i < ITERS; i++)
        __asm__ volatile(".rept 16\n\tadd %0, %0\n\t.endr" : "+r"(x));
    return (now_ns() - t0) / (16.0 * ITERS);
}

/* ns per SHA256RNDS2, one chain as in SHA-256 itself: the two state halves
 * swap roles every two rounds, so each RNDS2 takes the previous one's
 * result as its ABEF operand. */
static double rnds2_latency(void)
{
    double t0 = now_ns();
    for (int i = 0; i < ITERS; i++)
        __asm__ volatile(
            ".rept 8\n\tsha256rnds2 %%xmm0, %%xmm1, %%xmm2\n\tsha256rnds2 %%xmm0, %%xmm2, %%xmm1\n\t.endr" ::
                : "xmm0", "xmm1", "xmm2");
    return (now_ns() - t0) / (16.0 * ITERS);
}

/* ns per SHA256RNDS2, four independent chains. */
static double rnds2_interval(void)
{
    double t0 = now_ns();
    for (int i = 0; i < ITERS; i++)
        __asm__ volatile(".rept 4\n\t"
                         "sha256rnds2 %%xmm0, %%xmm2, %%xmm1\n\tsha256rnds2 %%xmm0, %%xmm4, %%xmm3\n\t"
                         "sha256rnds2 %%xmm0, %%xmm6, %%xmm5\n\tsha256rnds2 %%xmm0, %%xmm8, %%xmm7\n\t"
                         ".endr" ::
                             : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8");
    return (now_ns() - t0) / (16.0 * ITERS);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    static double lat[TRIALS], iv[TRIALS];
    int n = 0;
    for (int t = 0; t < TRIALS; t++) {
        double a = add_chain();
        double l = rnds2_latency(), i = rnds2_interval();
        double a2 = add_chain();
        /* Only trials whose two ADD timings agree were not disturbed. */
        if (a2 > a * 1.02 || a > a2 * 1.02)
            continue;
        lat[n] = 2 * l / (a + a2);
        iv[n] = 2 * i / (a + a2);
        n++;
    }
    if (n < TRIALS / 4) {
        fprintf(stderr, "rnds2_probe: only %d of %d trials undisturbed; the machine is too busy\n", n, TRIALS);
        return 3;
    }
    qsort(lat, (size_t)n, sizeof lat[0], cmp_double);
    qsort(iv, (size_t)n, sizeof iv[0], cmp_double);
    printf("sha256rnds2 latency %.2f cycles, issue interval %.2f cycles (median of %d trials)\n", lat[n / 2], iv[n / 2],
           n);
    return 0;
}
