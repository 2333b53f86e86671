/* The table of CPU kernels: what each needs and how `auto` ranks it.
 * Every kernel is compiled into every build; hj_kernel_available() decides at
 * run time whether this CPU may call it, and `auto` takes the available
 * kernel with the highest rank.
 *
 * The ranks follow measured single-core rates (README, "CPU kernels";
 * results/cpu-kernels-*.txt): avx512 > shani > avx2 > sse41 > scalar. On the
 * Intel Xeon (AVX-512 + SHA-NI) they were measured directly; SHA256RNDS2
 * issues only every ~3 cycles there, so 61 of them per nonce cost more than
 * the ~92 cycles of the 16-lane AVX-512 kernel. On CPUs without AVX-512
 * (Zen3) SHA-NI is taken to beat AVX2 by about 2x (a reference figure, not
 * yet measured in results/; bench/cpu_kernels.sh measures it). The
 * shani-x3 / shani-x4 entries are the interleave widths `shani` (2-way) was
 * chosen against, kept so the choice can be re-measured on other CPUs. */
#include "cpu_dispatch.h"
#include "cpu_kernels.h"
#include "hashjoule/cpu.h"

/* shani.c is compiled with -msha -msse4.1 and uses SSSE3's PALIGNR; every
 * CPU with SHA-NI has both. */
#define SHANI_FEATURES (HJ_CPU_SHA | HJ_CPU_SSSE3 | HJ_CPU_SSE41)

/* Versions one call of a SIMD kernel's version-rolling form shares block 2's
 * schedule over: all 16 it broadcasts at a time (VERSION_GROUP in
 * sha256d_vec.h). Each version costs the same rounds whatever the count; the
 * schedule, about a sixth of a nonce's work, is paid once per call, so fewer
 * versions only share it less, and more would double the per-version states
 * the form keeps in L1 for a gain under 1.5 %. */
#define VERSIONS_PER_PASS 16

static const hj_kernel cpu_kernels[] = {
    {
        .name = "reference",
        .description = "baseline for measurements: plain SHA-256d, 3 compressions per nonce, no precomputation",
        .kind = HJ_KERNEL_CPU,
        .required_features = 0,
        .lanes = 1,
        .rank = -100, /* never auto */
        .scan_cpu = hj_scan_reference,
    },
    {
        .name = "scalar",
        .description = "portable C, one nonce at a time (midstate, precomputed rounds, H7 early reject)",
        .kind = HJ_KERNEL_CPU,
        .required_features = 0,
        .lanes = 1,
        .rank = 0,
        .scan_cpu = hj_scan_scalar,
    },
    {
        .name = "sse41",
        .description = "SSE4.1, 4 nonces per vector; version rolling: 16 versions share block 2's schedule",
        .kind = HJ_KERNEL_CPU,
        .required_features = HJ_CPU_SSSE3 | HJ_CPU_SSE41,
        .lanes = 4,
        .rank = 10,
        .scan_cpu = hj_scan_sse41,
        .scan_cpu_versions = hj_scan_sse41_versions,
        .versions_per_pass = VERSIONS_PER_PASS,
    },
    {
        .name = "avx2",
        .description = "AVX2, 8 nonces per vector; version rolling: 16 versions share block 2's schedule",
        .kind = HJ_KERNEL_CPU,
        .required_features = HJ_CPU_AVX | HJ_CPU_AVX2,
        .lanes = 8,
        .rank = 20,
        .scan_cpu = hj_scan_avx2,
        .scan_cpu_versions = hj_scan_avx2_versions,
        .versions_per_pass = VERSIONS_PER_PASS,
    },
    {
        .name = "shani",
        .description = "SHA-NI, 2 nonces interleaved (2, 3 and 4 measured equal; 2 has the fewest instructions); "
                       "rolling: 2 versions at a time",
        .kind = HJ_KERNEL_CPU,
        .required_features = SHANI_FEATURES,
        .lanes = 2,
        .rank = 30,
        .scan_cpu = hj_scan_shani_x2,
        .scan_cpu_versions = hj_scan_shani_versions,
        .versions_per_pass = VERSIONS_PER_PASS,
    },
    {
        .name = "avx512",
        .description = "AVX-512F, 16 nonces per vector (VPRORD rotates, VPTERNLOGD Ch/Maj/XOR3); version rolling: 16 "
                       "versions share block 2's schedule",
        .kind = HJ_KERNEL_CPU,
        .required_features = HJ_CPU_AVX512F,
        .lanes = 16,
        .rank = 40,
        .scan_cpu = hj_scan_avx512,
        .scan_cpu_versions = hj_scan_avx512_versions,
        .versions_per_pass = VERSIONS_PER_PASS,
    },
    {
        .name = "shani-x3",
        .description = "SHA-NI, 3 nonces interleaved (for comparison with shani)",
        .kind = HJ_KERNEL_CPU,
        .required_features = SHANI_FEATURES,
        .lanes = 3,
        .rank = 29,
        .scan_cpu = hj_scan_shani_x3,
    },
    {
        .name = "shani-x4",
        .description = "SHA-NI, 4 nonces interleaved (for comparison with shani)",
        .kind = HJ_KERNEL_CPU,
        .required_features = SHANI_FEATURES,
        .lanes = 4,
        .rank = 28,
        .scan_cpu = hj_scan_shani_x4,
    },
};

const hj_kernel *hj_cpu_kernel_table(size_t *count)
{
    *count = sizeof cpu_kernels / sizeof cpu_kernels[0];
    return cpu_kernels;
}
