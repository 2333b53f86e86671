/* hashjoule: the command-line entry point; each subcommand lives in cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hashjoule/opencl.h"
#include "hashjoule/version.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"info", hj_cmd_info, "describe this machine: CPU, topology, OpenCL devices, kernels"},
    {"hash", hj_cmd_hash, "print the block hash of an 80-byte header"},
    {"scan", hj_cmd_scan, "scan a nonce range and print every hit"},
    {"bench", hj_cmd_bench, "measure hashes per second and per joule; write a results file"},
    {"compare", hj_cmd_compare, "compare two bench results; exit 1 on a regression"},
    {"fleet", hj_cmd_fleet, "what a megawatt earns: ASIC mining vs this machine vs AI, with scenarios"},
    {"report", hj_cmd_report, "several machines' bench results side by side (HTML, Markdown or JSON)"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: hashjoule COMMAND [OPTIONS]\n\n"
                 "SHA-256d nonce scanning on CPUs and GPUs, measured in hashes per second and per joule.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n  hashjoule COMMAND --help   options of one command (-h)\n"
                 "  hashjoule --version        version and git commit (-V)\n"
                 "\nExit status: 0 success, 2 bad usage or input, 3 runtime failure, 130 interrupted.\n");
}

int main(int argc, char **argv)
{
    /* Every command sees the OpenCL devices among the kernels (discovered
     * only when a command first needs device kernels). */
    hj_opencl_register_backend();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "version") == 0)
        return hj_cli_print_version();
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "hashjoule: unknown command '%s'; run hashjoule --help for the list\n", argv[1]);
    return 2;
}
