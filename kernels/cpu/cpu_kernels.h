/* The CPU kernels of kernels/cpu/, one per instruction set (private header).
 * Each has the hj_cpu_scan_fn contract of hashjoule/kernel.h. A kernel's
 * file is compiled with only its own ISA flags; it is only ever called after
 * registry.c has checked that this CPU and OS support that ISA. */
#ifndef HJ_CPU_KERNELS_H
#define HJ_CPU_KERNELS_H

#include <stdint.h>

#include "hashjoule/job.h"
#include "hashjoule/kernel.h"

uint32_t hj_scan_reference(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates);
uint32_t hj_scan_scalar(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates);
uint32_t hj_scan_sse41(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates);
uint32_t hj_scan_avx2(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates);
uint32_t hj_scan_shani_x2(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates);
uint32_t hj_scan_shani_x3(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates);
uint32_t hj_scan_shani_x4(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates);
uint32_t hj_scan_avx512(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates);

/* Version-rolling forms (hj_cpu_scan_versions_fn, hashjoule/kernel.h). */
uint32_t hj_scan_sse41_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first, uint32_t count,
                                hj_vcandidate *candidates);
uint32_t hj_scan_avx2_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first, uint32_t count,
                               hj_vcandidate *candidates);
uint32_t hj_scan_shani_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first, uint32_t count,
                                hj_vcandidate *candidates);
uint32_t hj_scan_avx512_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first, uint32_t count,
                                 hj_vcandidate *candidates);

#endif
