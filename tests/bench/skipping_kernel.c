/* Test only: a device kernel that is exact on small ranges (so it passes the
 * self-test) but on large ones computes only every 8th nonce while claiming
 * them all, like a vector kernel that drops lanes. `bench` must fail it on
 * its hit count. Linked into hashjoule_test_cli, never into hashjoule. */
#include "hashjoule/hashjoule.h"

#define SKIP_ABOVE 65536u

static hj_status skipping_scan(const hj_kernel *k, const hj_job *job, uint32_t first, uint64_t count,
                               const hj_scan_control *control, hj_candidates *out, uint64_t *done, hj_error *err)
{
    (void)k;
    *done = 0;
    while (*done < count) {
        if ((control->stop && *control->stop) || (control->deadline > 0 && hj_monotonic_seconds() >= control->deadline))
            break;
        uint64_t len = count - *done < 4096 ? count - *done : 4096;
        for (uint64_t i = 0; i < len; i++) {
            uint32_t nonce = (uint32_t)(first + *done + i), cand;
            if (count > SKIP_ABOVE && nonce % 8 != 0)
                continue; /* the dropped lanes */
            if (hj_reference_candidates(job, nonce, 1, &cand) == 1 && hj_candidates_push(out, cand, err) != HJ_OK)
                return HJ_ERR_RUNTIME;
        }
        *done += len;
    }
    return HJ_OK;
}

__attribute__((constructor)) static void register_skipping_kernel(void)
{
    hj_kernel k = {.name = "test-skipper",
                   .description = "test only: drops 7 of 8 nonces on large ranges",
                   .kind = HJ_KERNEL_DEVICE,
                   .lanes = 1,
                   .rank = -1,
                   .scan_device = skipping_scan};
    hj_kernel_register(&k, NULL);
}
