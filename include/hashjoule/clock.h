/* hashjoule — the monotonic clock that scans, deadlines and energy readings share. */
#ifndef HASHJOULE_CLOCK_H
#define HASHJOULE_CLOCK_H

#ifdef __cplusplus
extern "C" {
#endif

/* Seconds from an arbitrary fixed point (CLOCK_MONOTONIC). One clock for the
 * whole library, so a deadline set by one layer (hj_scan_control) and a time
 * stamp taken by another (energy samples) can be compared. */
double hj_monotonic_seconds(void);

#ifdef __cplusplus
}
#endif
#endif
