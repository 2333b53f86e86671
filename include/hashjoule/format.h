/* hashjoule — the text forms shared by every view: hash rates for people and
 * CSV fields for spreadsheets. One of each, so two views never disagree. */
#ifndef HASHJOULE_FORMAT_H
#define HASHJOULE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How many digits a rate keeps: SHORT for progress lines and tables (3
 * significant digits, "2.73 MH/s"), LONG where two rates are compared side by
 * side (one digit more, "2.734 MH/s"). */
typedef enum hj_rate_digits { HJ_RATE_SHORT = 0, HJ_RATE_LONG = 1 } hj_rate_digits;

/* A hash rate with an SI prefix up to P: "2.73 MH/s". */
void hj_format_rate(double hashes_per_second, hj_rate_digits digits, char *out, size_t len);

/* One CSV field (RFC 4180 quoting: a quote is doubled). always_quote quotes
 * every field; otherwise only fields holding a comma, a quote or a line
 * break are quoted. Writes no separator. */
void hj_csv_write_field(FILE *out, const char *text, bool always_quote);

#ifdef __cplusplus
}
#endif
#endif
