/* The table of CPU kernels: what each needs and how `auto` ranks it.
 * Every kernel is compiled into every build; hj_kernel_available() decides at
 * run time whether this CPU may call it. */
#include "cpu_dispatch.h"
#include "cpu_kernels.h"
#include "hashjoule/cpu.h"

static const hj_kernel cpu_kernels[] = {
    {
        .name = "scalar",
        .description = "portable C, one nonce at a time (midstate, precomputed rounds, H7 early reject)",
        .kind = HJ_KERNEL_CPU,
        .required_features = 0,
        .lanes = 1,
        .rank = 0,
        .scan_cpu = hj_scan_scalar,
    },
};

const hj_kernel *hj_cpu_kernel_table(size_t *count)
{
    *count = sizeof cpu_kernels / sizeof cpu_kernels[0];
    return cpu_kernels;
}
