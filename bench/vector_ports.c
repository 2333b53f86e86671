/* How many 256-bit integer operations this core completes per clock cycle:
 * independent VPADDD/VPXOR (the adds and logic of an AVX2 SHA-256 round)
 * and independent VPSRLD/VPSLLD (its rotates), plus the clock itself. These
 * bound the avx2 kernel: its loop is a known number of each per nonce
 * (README, "Measured on Zen3").
 *
 * The unit is a dependent 64-bit ADD chain (1 cycle per ADD on every x86-64
 * core), as in bench/rnds2_probe.c, so no cycle counter is needed; the
 * chain's rate is also the core clock. Best of several trials (the fastest
 * is the one least disturbed by other work on the machine).
 *
 * Build: cc -O2 -o vector_ports bench/vector_ports.c (x86-64; on a CPU
 * without AVX2 it prints the clock and says the rest was not measured).
 * `vector_ports --clock` prints only the clock in GHz, from a shorter
 * measurement: bench/cpu_kernels.sh takes it after each 1-thread run for the
 * cycles-per-nonce column where perf has no cycle counter. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TRIALS 7
#define ITERS 20000000L

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* 4 x ITERS dependent ADDs: seconds. */
static double add_chain(void)
{
    double t0 = now_s();
    uint64_t x = 0;
    __asm__ volatile("mov %1, %%rcx\n"
                     "1:\n"
                     "add $1, %0\n add $1, %0\n add $1, %0\n add $1, %0\n"
                     "dec %%rcx\n jnz 1b\n"
                     : "+r"(x)
                     : "r"(ITERS)
                     : "rcx", "cc");
    return now_s() - t0;
}

/* A function timing ITERS passes of BODY, eight independent 256-bit
 * operations on ymm0..ymm7 (ymm8 the other operand), from zeroed registers
 * (no dependency on what they held before): seconds. */
#define TIMED_YMM_LOOP(name, body)                                                                               \
    __attribute__((target("avx2"))) static double name(void)                                                     \
    {                                                                                                            \
        double t0 = now_s();                                                                                     \
        __asm__ volatile("mov %0, %%rcx\n"                                                                       \
                         "vpxor %%ymm0, %%ymm0, %%ymm0\n vpxor %%ymm1, %%ymm1, %%ymm1\n"                         \
                         "vpxor %%ymm2, %%ymm2, %%ymm2\n vpxor %%ymm3, %%ymm3, %%ymm3\n"                         \
                         "vpxor %%ymm4, %%ymm4, %%ymm4\n vpxor %%ymm5, %%ymm5, %%ymm5\n"                         \
                         "vpxor %%ymm6, %%ymm6, %%ymm6\n vpxor %%ymm7, %%ymm7, %%ymm7\n"                         \
                         "vpxor %%ymm8, %%ymm8, %%ymm8\n"                                                        \
                         "1:\n" body "dec %%rcx\n jnz 1b\n"                                                      \
                         "vzeroupper\n" /* no upper-half state left for the SSE code that follows */             \
                         :                                                                                       \
                         : "r"(ITERS)                                                                            \
                         : "rcx", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8"); \
        return now_s() - t0;                                                                                     \
    }

/* Independent 256-bit adds and xors. */
TIMED_YMM_LOOP(vector_add_xor, "vpaddd %%ymm8, %%ymm0, %%ymm0\n vpaddd %%ymm8, %%ymm1, %%ymm1\n"
                               "vpaddd %%ymm8, %%ymm2, %%ymm2\n vpaddd %%ymm8, %%ymm3, %%ymm3\n"
                               "vpxor %%ymm8, %%ymm4, %%ymm4\n vpxor %%ymm8, %%ymm5, %%ymm5\n"
                               "vpxor %%ymm8, %%ymm6, %%ymm6\n vpxor %%ymm8, %%ymm7, %%ymm7\n")

/* Independent 256-bit shifts. */
TIMED_YMM_LOOP(vector_shifts, "vpsrld $3, %%ymm0, %%ymm0\n vpsrld $3, %%ymm1, %%ymm1\n"
                              "vpsrld $3, %%ymm2, %%ymm2\n vpsrld $3, %%ymm3, %%ymm3\n"
                              "vpslld $3, %%ymm4, %%ymm4\n vpslld $3, %%ymm5, %%ymm5\n"
                              "vpslld $3, %%ymm6, %%ymm6\n vpslld $3, %%ymm7, %%ymm7\n")

/* The clock in GHz from an add_chain() time: 4 x ITERS ADDs, one per cycle. */
static double clock_ghz(double add_chain_s) { return 4.0 * ITERS / add_chain_s * 1e-9; }

static double best_add_chain(int trials)
{
    double best = 1e9;
    for (int i = 0; i < trials; i++) {
        double a = add_chain();
        best = a < best ? a : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--clock") == 0) {
        printf("%.4f\n", clock_ghz(best_add_chain(3)));
        return 0;
    }
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2")) {
        printf("clock %.3f GHz (dependent ADD chain); vector pipes not measured: this CPU has no AVX2\n",
               clock_ghz(best_add_chain(TRIALS)));
        return 0;
    }
    double add = 1e9, vadd = 1e9, vsh = 1e9;
    for (int i = 0; i < TRIALS; i++) {
        double a = add_chain(), v = vector_add_xor(), s = vector_shifts();
        add = a < add ? a : add;
        vadd = v < vadd ? v : vadd;
        vsh = s < vsh ? s : vsh;
    }
    double cycle_s = 1e-9 / clock_ghz(add);
    printf("clock %.3f GHz (dependent ADD chain); 256-bit add/xor %.2f per cycle, 256-bit shifts %.2f per cycle\n",
           clock_ghz(add), 8.0 * ITERS * cycle_s / vadd, 8.0 * ITERS * cycle_s / vsh);
    return 0;
}
