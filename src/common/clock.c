/* The library's monotonic clock (hashjoule/clock.h). */
#include <time.h>

#include "hashjoule/clock.h"

double hj_monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
