/* hashjoule — what this CPU can run (libcpuid + an OS-support check). */
#ifndef HASHJOULE_CPU_H
#define HASHJOULE_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Instruction-set features the kernels depend on. */
enum {
    HJ_CPU_SSE2 = 1u << 0,
    HJ_CPU_SSSE3 = 1u << 1,
    HJ_CPU_SSE41 = 1u << 2,
    HJ_CPU_AVX = 1u << 3,
    HJ_CPU_AVX2 = 1u << 4,
    HJ_CPU_AVX512F = 1u << 5,
    HJ_CPU_AVX512VL = 1u << 6,
    HJ_CPU_SHA = 1u << 7, /* SHA-NI: sha256rnds2, sha256msg1/2 */
};

typedef struct hj_cpu_info {
    char vendor[32];
    char brand[128];
    char codename[64];
    int family, model, stepping;       /* CPUID base values */
    int display_family, display_model; /* family/model as vendors print them */
    int cores, logical_cpus;           /* per package, as CPUID reports them */
    int l1d_kib, l2_kib, l3_kib;       /* -1 when unknown */
    uint32_t cpuid_features;           /* what CPUID advertises */
    bool os_avx_state;                 /* XCR0 has SSE+AVX state enabled (XGETBV) */
    bool os_avx512_state;              /* XCR0 also has opmask + ZMM state */
    uint32_t usable_features;          /* cpuid_features that the OS also enables */
    bool detected;                     /* false when libcpuid failed; see error */
    char error[256];
} hj_cpu_info;

/* Detected once per process and cached. Never fails: on a CPU libcpuid cannot
 * read, `detected` is false, `error` says why and only SSE2 (x86-64 baseline)
 * is assumed. */
const hj_cpu_info *hj_cpu_info_get(void);

/* The features kernels may use: usable_features minus those disabled with the
 * environment variable HJ_CPU_DISABLE (comma-separated: sse41,avx2,avx512,sha),
 * which lets a user or a test run as if the CPU lacked them. */
uint32_t hj_cpu_features(void);

/* "SSE4.1", "AVX2", ... for one feature bit; "" for unknown. */
const char *hj_cpu_feature_name(uint32_t feature);

#ifdef __cplusplus
}
#endif
#endif
