/* Shared pieces of the hashjoule command line (private). */
#ifndef HJ_CLI_H
#define HJ_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hashjoule/error.h"
#include "hashjoule/parse.h"

/* One subcommand: argv[0] is the command name. Returns the exit status. */
int hj_cmd_hash(int argc, char **argv);
int hj_cmd_scan(int argc, char **argv);
int hj_cmd_info(int argc, char **argv);
int hj_cmd_bench(int argc, char **argv);
int hj_cmd_compare(int argc, char **argv);
int hj_cmd_fleet(int argc, char **argv);
int hj_cmd_report(int argc, char **argv);

/* Report an error as "hashjoule CMD: message" on stderr; returns `status`. */
int hj_cli_fail(const char *cmd, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int hj_cli_fail_err(const char *cmd, hj_status status, const hj_error *err);

/* Print doc indented by 2, keys in insertion order, and a newline: the JSON
 * form of every command's output. A document that cannot be serialised is
 * reported for `cmd`; returns 0 or HJ_ERR_RUNTIME. doc stays the caller's. */
struct json_t;
int hj_cli_print_json(FILE *out, const char *cmd, const struct json_t *doc);

/* `hashjoule --version` (and every command's -V / --version): version and git commit. */
int hj_cli_print_version(void);

/* A warning on stderr when `threads` workers exceed the logical CPUs: the
 * workers then share CPUs, and a rate per thread means little. */
void hj_cli_warn_oversubscribed(const char *cmd, unsigned threads);

/* An unknown option or a missing value, in getopt's terms. */
int hj_cli_bad_option(const char *cmd, int optopt_char, const char *arg, const char *usage_hint);

/* OpenCL flags shared by the commands that scan (--device, --launch-ms,
 * --local-size; NULL when not given): resolves the kernel for --device and
 * installs the backend settings (cli_opencl.c). */
struct hj_kernel;
hj_status hj_cli_opencl_setup(const struct hj_kernel **kernel, const char *kernel_name, const char *device,
                              const char *launch_ms, const char *local_size, hj_error *err);

#endif
