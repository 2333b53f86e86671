/* hashjoule — strict parsers for numbers a user types (options, files).
 * Each refuses anything but an exact value and names `what` in its message. */
#ifndef HASHJOULE_PARSE_H
#define HASHJOULE_PARSE_H

#include <stdint.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An unsigned integer: decimal or 0x-hex, no sign, no trailing text, within
 * [min, max]. HJ_ERR_INPUT otherwise. */
hj_status hj_parse_u64(const char *text, const char *what, uint64_t min, uint64_t max, uint64_t *out, hj_error *err);

/* A finite decimal number (strtod's syntax, nothing around it) within
 * [min, max]. "nan", "inf" and values beyond a double are not numbers. */
hj_status hj_parse_double(const char *text, const char *what, double min, double max, double *out, hj_error *err);

/* Compact bits: hex only, with or without 0x, 1..8 digits. */
hj_status hj_parse_bits(const char *text, const char *what, uint32_t *out, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
