/* Test only: a device kernel that is exact on small ranges (so it passes the
 * self-test) and crashes the process on the large ranges bench gives it, like
 * a kernel with a wild pointer. `bench --mpi` must report the rank that ran
 * it, by name, and keep the other ranks' results. Linked into
 * hashjoule_mpi_test_cli only. */
#include <stdint.h>

#include "hashjoule/hashjoule.h"

#define CRASH_ABOVE 65536u

static hj_status crashing_scan(const hj_kernel *k, const hj_job *job, uint32_t first, uint64_t count,
                               const hj_scan_control *control, hj_candidates *out, uint64_t *done, hj_error *err)
{
    (void)k;
    (void)control;
    if (count > CRASH_ABOVE) {
        /* a real invalid access, not raise(): libraries such as LLVM (under
         * PoCL) catch SIGSEGV, and a raised signal returns from their handler */
        volatile uintptr_t wild = 16;
        *(volatile int *)wild = 1;
    }
    *done = 0;
    for (uint64_t i = 0; i < count; i++) {
        uint32_t cand;
        if (hj_reference_candidates(job, (uint32_t)(first + i), 1, &cand) == 1 &&
            hj_candidates_push(out, cand, err) != HJ_OK)
            return HJ_ERR_RUNTIME;
        (*done)++;
    }
    return HJ_OK;
}

__attribute__((constructor)) static void register_crashing_kernel(void)
{
    hj_kernel k = {.name = "test-crasher",
                   .description = "test only: crashes the process on large ranges",
                   .kind = HJ_KERNEL_DEVICE,
                   .lanes = 1,
                   .rank = -1,
                   .scan_device = crashing_scan};
    hj_kernel_register(&k, NULL);
}
