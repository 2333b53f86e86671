/* Test only: a device kernel that is exact on small ranges (so it passes the
 * self-test) but on a large range does no work until the deadline passes, as
 * a device far too slow for the repetition's length would. `bench` must fail
 * it with the reason rather than write a 0 H/s sample (which `compare` would
 * then refuse). Linked into hashjoule_stall_cli, never into hashjoule. */
#include <time.h>

#include "hashjoule/hashjoule.h"

static hj_status stall_scan(const hj_kernel *k, const hj_job *job, uint32_t first, uint64_t count,
                            const hj_scan_control *control, hj_candidates *out, uint64_t *done, hj_error *err)
{
    (void)k;
    *done = 0;
    if (count > 65536) {
        while (!(control->stop && *control->stop) &&
               !(control->deadline > 0 && hj_monotonic_seconds() >= control->deadline)) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        return HJ_OK;
    }
    for (uint64_t i = 0; i < count; i++) {
        uint32_t cand;
        if (hj_reference_candidates(job, (uint32_t)(first + i), 1, &cand) == 1 &&
            hj_candidates_push(out, cand, err) != HJ_OK)
            return HJ_ERR_RUNTIME;
    }
    *done = count;
    return HJ_OK;
}

__attribute__((constructor)) static void register_stall_kernel(void)
{
    hj_kernel k = {.name = "test-stall",
                   .description = "test only: finishes no work on large ranges",
                   .kind = HJ_KERNEL_DEVICE,
                   .lanes = 1,
                   .rank = -1,
                   .scan_device = stall_scan};
    hj_kernel_register(&k, NULL);
}
