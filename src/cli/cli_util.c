/* Argument parsing, error reporting and JSON printing shared by the subcommands. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "hashjoule/topology.h"
#include "hashjoule/version.h"

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
    /* A long option (--x) is named as typed: its optopt is the option's
     * code, not a character (getopt_long). */
    bool long_form = arg && strncmp(arg, "--", 2) == 0;
    if (!long_form && optopt_char > 0 && optopt_char < 128 && isprint(optopt_char))
        return hj_cli_fail(cmd, HJ_ERR_INPUT, "option -%c: unknown or missing its value (%s)", optopt_char, usage_hint);
    if (long_form) {
        /* "--x=v" names the option without its value */
        const char *eq = strchr(arg, '=');
        int len = eq ? (int)(eq - arg) : (int)strlen(arg);
        return hj_cli_fail(cmd, HJ_ERR_INPUT, "%.*s: unknown option or missing value (%s)", len, arg, usage_hint);
    }
    return hj_cli_fail(cmd, HJ_ERR_INPUT, "%s: unknown option or missing value (%s)", arg ? arg : "?", usage_hint);
}

int hj_cli_print_version(void)
{
    printf("hashjoule %s (git %s)\n", hj_version(), hj_git_commit());
    return 0;
}

void hj_cli_warn_oversubscribed(const char *cmd, unsigned threads)
{
    int pus = hj_topology_get()->pus;
    if (pus > 0 && threads > (unsigned)pus)
        fprintf(stderr,
                "hashjoule %s: warning: --threads %u is more than the %d logical CPUs of this machine: the run is "
                "oversubscribed (workers share CPUs), so its rates are not those of %u threads\n",
                cmd, threads, pus, threads);
}
