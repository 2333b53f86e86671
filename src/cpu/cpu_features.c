/* CPU identification with libcpuid, plus the check libcpuid does not do for
 * us: whether the OS saves the AVX / AVX-512 register state (XCR0 via XGETBV,
 * Intel SDM Vol. 1 section 13.3 and section 15.2). A CPU may advertise AVX2 while a
 * hypervisor or kernel leaves it disabled; then AVX code would fault. */
#include <cpuid.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcpuid/libcpuid.h>

#include "hashjoule/cpu.h"

/* XCR0 bits (Intel SDM Vol. 1 section 13.1): 1 SSE, 2 AVX (YMM upper halves),
 * 5 opmask, 6 ZMM0-15 upper halves, 7 ZMM16-31. */
#define XCR0_SSE_AVX 0x06u
#define XCR0_AVX512 0xe6u
/* CPUID.1:ECX bit 27: the OS has set CR4.OSXSAVE, so XGETBV may be executed. */
#define CPUID1_ECX_OSXSAVE (1u << 27)

static hj_cpu_info g_info;
static uint32_t g_features;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static uint64_t read_xcr0(void)
{
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & CPUID1_ECX_OSXSAVE))
        return 0;
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

static uint32_t parse_disabled(const char *list)
{
    static const struct {
        const char *name;
        uint32_t bits;
    } names[] = {
        {"sse41", HJ_CPU_SSE41}, {"avx", HJ_CPU_AVX | HJ_CPU_AVX2 | HJ_CPU_AVX512F | HJ_CPU_AVX512VL},
        {"avx2", HJ_CPU_AVX2},   {"avx512", HJ_CPU_AVX512F | HJ_CPU_AVX512VL},
        {"sha", HJ_CPU_SHA},     {"shani", HJ_CPU_SHA},
    };
    uint32_t off = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcmp(tok, names[i].name) == 0)
                off |= names[i].bits;
    }
    return off;
}

static void detect(void)
{
    hj_cpu_info *ci = &g_info;
    memset(ci, 0, sizeof *ci);
    ci->l1d_kib = ci->l2_kib = ci->l3_kib = -1;
    ci->cpuid_features = HJ_CPU_SSE2; /* x86-64 baseline */

    struct cpu_raw_data_t raw;
    struct cpu_id_t id;
    if (!cpuid_present()) {
        snprintf(ci->error, sizeof ci->error, "libcpuid: CPUID instruction not present");
    } else if (cpuid_get_raw_data(&raw) < 0 || cpu_identify(&raw, &id) < 0) {
        snprintf(ci->error, sizeof ci->error, "libcpuid: %s", cpuid_error());
    } else {
        ci->detected = true;
        snprintf(ci->vendor, sizeof ci->vendor, "%s", id.vendor_str);
        snprintf(ci->brand, sizeof ci->brand, "%s", id.brand_str);
        snprintf(ci->codename, sizeof ci->codename, "%s", id.cpu_codename);
        ci->family = id.family;
        ci->model = id.model;
        ci->stepping = id.stepping;
        ci->display_family = id.ext_family;
        ci->display_model = id.ext_model;
        ci->cores = id.num_cores;
        ci->logical_cpus = id.num_logical_cpus;
        ci->l1d_kib = id.l1_data_cache;
        ci->l2_kib = id.l2_cache;
        ci->l3_kib = id.l3_cache;
        static const struct {
            cpu_feature_t flag;
            uint32_t bit;
        } map[] = {
            {CPU_FEATURE_SSSE3, HJ_CPU_SSSE3},     {CPU_FEATURE_SSE4_1, HJ_CPU_SSE41},
            {CPU_FEATURE_AVX, HJ_CPU_AVX},         {CPU_FEATURE_AVX2, HJ_CPU_AVX2},
            {CPU_FEATURE_AVX512F, HJ_CPU_AVX512F}, {CPU_FEATURE_AVX512VL, HJ_CPU_AVX512VL},
            {CPU_FEATURE_SHA_NI, HJ_CPU_SHA},
        };
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (id.flags[map[i].flag])
                ci->cpuid_features |= map[i].bit;
    }

    uint64_t xcr0 = read_xcr0();
    ci->os_avx_state = (xcr0 & XCR0_SSE_AVX) == XCR0_SSE_AVX;
    ci->os_avx512_state = (xcr0 & XCR0_AVX512) == XCR0_AVX512;
    uint32_t usable = ci->cpuid_features;
    if (!ci->os_avx_state)
        usable &= ~(uint32_t)(HJ_CPU_AVX | HJ_CPU_AVX2 | HJ_CPU_AVX512F | HJ_CPU_AVX512VL);
    if (!ci->os_avx512_state)
        usable &= ~(uint32_t)(HJ_CPU_AVX512F | HJ_CPU_AVX512VL);
    ci->usable_features = usable;

    const char *off = getenv("HJ_CPU_DISABLE");
    g_features = usable & ~(off ? parse_disabled(off) : 0u);
}

const hj_cpu_info *hj_cpu_info_get(void)
{
    pthread_once(&g_once, detect);
    return &g_info;
}

uint32_t hj_cpu_features(void)
{
    pthread_once(&g_once, detect);
    return g_features;
}

const char *hj_cpu_feature_name(uint32_t feature)
{
    switch (feature) {
    case HJ_CPU_SSE2: return "SSE2";
    case HJ_CPU_SSSE3: return "SSSE3";
    case HJ_CPU_SSE41: return "SSE4.1";
    case HJ_CPU_AVX: return "AVX";
    case HJ_CPU_AVX2: return "AVX2";
    case HJ_CPU_AVX512F: return "AVX-512F";
    case HJ_CPU_AVX512VL: return "AVX-512VL";
    case HJ_CPU_SHA: return "SHA-NI";
    default: return "";
    }
}
