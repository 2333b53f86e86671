/* Argument parsing, error reporting and JSON printing shared by the subcommands. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

int hj_cli_fail(const char *cmd, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "hashjoule %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

int hj_cli_fail_err(const char *cmd, hj_status status, const hj_error *err)
{
    return hj_cli_fail(cmd, (int)status, "%s", err->message);
}

int hj_cli_print_json(FILE *out, const char *cmd, const json_t *doc)
{
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        return hj_cli_fail(cmd, HJ_ERR_RUNTIME, "could not serialize the JSON output");
    fputs(text, out);
    fputc('\n', out);
    free(text);
    return 0;
}

int hj_cli_bad_option(const char *cmd, int optopt_char, const char *arg, const char *usage_hint)
{
    if (optopt_char)
        return hj_cli_fail(cmd, HJ_ERR_INPUT, "option -%c: unknown or missing its value (%s)", optopt_char, usage_hint);
    return hj_cli_fail(cmd, HJ_ERR_INPUT, "%s: unknown option or missing value (%s)", arg ? arg : "?", usage_hint);
}

hj_status hj_cli_parse_u64(const char *text, const char *what, uint64_t min, uint64_t max, uint64_t *out, hj_error *err)
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

hj_status hj_cli_parse_bits(const char *text, const char *what, uint32_t *out, hj_error *err)
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
