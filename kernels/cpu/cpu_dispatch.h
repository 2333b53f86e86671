/* The CPU kernel table (private; the public view is hashjoule/kernel.h). */
#ifndef HJ_CPU_DISPATCH_H
#define HJ_CPU_DISPATCH_H

#include <stddef.h>

#include "hashjoule/kernel.h"

const hj_kernel *hj_cpu_kernel_table(size_t *count);

#endif
