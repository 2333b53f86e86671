/* Strict parsers for numbers a user types (include/hashjoule/parse.h). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/parse.h"

hj_status hj_parse_u64(const char *text, const char *what, uint64_t min, uint64_t max, uint64_t *out, hj_error *err)
{
    if (!text || !*text)
        return hj_fail(err, HJ_ERR_INPUT, "%s: missing value; expected an integer in %llu..%llu", what,
                       (unsigned long long)min, (unsigned long long)max);
    int base = 10;
    const char *digits = text;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        digits = text + 2;
    }
    if (!isxdigit((unsigned char)digits[0]) || (base == 10 && !isdigit((unsigned char)digits[0])))
        return hj_fail(err, HJ_ERR_INPUT, "%s: '%s' is not a non-negative integer", what, text);
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(digits, &end, base);
    if (*end != '\0')
        return hj_fail(err, HJ_ERR_INPUT, "%s: '%s' is not a non-negative integer (stray '%s')", what, text, end);
    if (errno == ERANGE || v < min || v > max)
        return hj_fail(err, HJ_ERR_INPUT, "%s: %s is out of range; expected %llu..%llu", what, text,
                       (unsigned long long)min, (unsigned long long)max);
    *out = v;
    return HJ_OK;
}

hj_status hj_parse_bits(const char *text, const char *what, uint32_t *out, hj_error *err)
{
    const char *digits = text;
    if (text && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        digits = text + 2;
    size_t len = digits ? strlen(digits) : 0;
    bool ok = len >= 1 && len <= 8;
    for (size_t i = 0; ok && i < len; i++)
        ok = isxdigit((unsigned char)digits[i]) != 0;
    if (!ok)
        return hj_fail(err, HJ_ERR_INPUT, "%s: '%s' is not compact bits; expected 1 to 8 hex digits such as 0x1d00ffff",
                       what, text ? text : "");
    *out = (uint32_t)strtoul(digits, NULL, 16);
    return HJ_OK;
}

hj_status hj_parse_double(const char *text, const char *what, double min, double max, double *out, hj_error *err)
{
    char *end = NULL;
    errno = 0;
    double v = text && *text ? strtod(text, &end) : NAN;
    if (!text || !*text || *end != '\0' || errno == ERANGE || !isfinite(v))
        return hj_fail(err, HJ_ERR_INPUT, "%s: '%s' is not a number", what, text ? text : "");
    if (v < min || v > max)
        return hj_fail(err, HJ_ERR_INPUT, "%s: %s is out of range; expected %g..%g", what, text, min, max);
    *out = v;
    return HJ_OK;
}
