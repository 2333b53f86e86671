/* Shared helpers of the energy sources (private to src/energy/): the sensor
 * set (sensor_set.c) and the sysfs parsers (sysfs_parse.c). The sources call
 * these and nothing of each other; sensors.c calls the sources
 * (energy_sources.h). */
#ifndef HJ_ENERGY_INTERNAL_H
#define HJ_ENERGY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashjoule/energy.h"

/* snprintf into an array, true when it fit (a path that does not fit is
 * skipped rather than used truncated). */
#define HJ_FMT_FITS(buf, ...) (snprintf((buf), sizeof(buf), __VA_ARGS__) < (int)sizeof(buf))
/* Copy a string into a fixed field, truncating. */
void hj_energy_copy(char *dst, size_t len, const char *src);

/* Read a small text file into buf (NUL-terminated, trailing whitespace
 * removed). Returns 0 or an errno value: EFBIG when the file is longer than
 * buf (a value is never used cut short), EILSEQ when it holds a NUL byte. */
int hj_energy_read_text(const char *path, char *buf, size_t len);

/* Parsers of sysfs values (sysfs_parse.c); each takes the whole text and
 * refuses anything but an exact value. */
/* A non-negative decimal integer, nothing around it. */
bool hj_energy_parse_u64(const char *text, uint64_t *out);
/* A perf event description "event=0x02[,umask=...]" -> 0x02. */
bool hj_energy_parse_event_code(const char *text, uint64_t *code);
/* A CPU list "0", "0,24", "0-3": the CPUs (at most max), 0 when malformed. */
size_t hj_energy_parse_cpumask(const char *text, int *cpus, size_t max);
/* A perf event scale: a finite positive number (joules per count). */
bool hj_energy_parse_scale(const char *text, double *scale);
/* A perf PMU type: a positive int. */
bool hj_energy_parse_pmu_type(const char *text, int *type);

/* Read a file holding one non-negative decimal integer. On failure writes
 * a message naming the file and the problem (permission advice included). */
hj_status hj_energy_read_u64_file(const char *path, const char *what, uint64_t *out, hj_error *err);

/* A new zeroed sensor appended to the set (NULL when out of memory). */
hj_energy_sensor *hj_energy_add_sensor(hj_energy_set *set);
/* A note (why a source found nothing, or a caveat) appended to the set, its
 * source and text made printable; dropped when out of memory. */
void hj_energy_add_note(hj_energy_set *set, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Text from sysfs, a driver or a file name can hold any byte; what goes into
 * a report (and its JSON, which must be UTF-8) is printable ASCII, so every
 * byte outside 0x20..0x7e becomes '?' in place, and a bad byte cannot drop
 * the message that explains it. */
void hj_energy_printable(char *s);

#endif
