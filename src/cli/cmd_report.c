/* `hashjoule report FILE...`: several machines' results on one page, as
 * Markdown (the default, to paste into an article or a comment) or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "hashjoule/atomic_file.h"
#include "hashjoule/bench.h"
#include "hashjoule/report.h"
#include "report_render.h"

static const char report_usage[] =
    "usage: hashjoule report FILE... [--html OUT.html | --markdown | --json] [--title T]\n"
    "\n"
    "Put bench results from several machines side by side: each machine described\n"
    "(CPU, cores and threads, instruction sets, OpenCL devices, memory, date, tool\n"
    "version, protocol, whether the machine was quiet), then like-for-like rows:\n"
    "the best CPU kernel of each machine on all its threads and on one thread,\n"
    "each OpenCL device, and each kernel that ran on more than one machine, with\n"
    "median MH/s, min..max, MH/s per core, J/TH (or why energy is unavailable) and\n"
    "thread scaling. FILE is a `hashjoule bench` results document (a `bench --mpi`\n"
    "cluster document counts each rank's machine).\n"
    "\n"
    "  --html OUT   one self-contained HTML page with charts (no script, nothing\n"
    "               fetched; readable on a phone, printable); never overwritten\n"
    "  --markdown   Markdown tables and a summary (default)\n"
    "  --json       the same comparison as JSON\n"
    "  --title T    the report's title (default: hashjoule report)\n"
    "\n"
    "Exit status: 0 done; 2 no file, or a file that is missing, not a results\n"
    "document (a CSV or BMF export included) or of another schema version.\n";

int hj_cmd_report(int argc, char **argv)
{
    enum { O_MARKDOWN = 256, O_JSON, O_HTML, O_TITLE, O_HELP, O_VERSION };
    static const struct option opts[] = {{"markdown", no_argument, NULL, O_MARKDOWN},
                                         {"json", no_argument, NULL, O_JSON},
                                         {"html", required_argument, NULL, O_HTML},
                                         {"title", required_argument, NULL, O_TITLE},
                                         {"help", no_argument, NULL, O_HELP},
                                         {"version", no_argument, NULL, O_VERSION},
                                         {NULL, 0, NULL, 0}};
    bool json = false, markdown = false;
    const char *title = NULL, *html = NULL;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
        switch (c) {
        case O_MARKDOWN: markdown = true; break;
        case O_JSON: json = true; break;
        case O_HTML: html = optarg; break;
        case O_TITLE: title = optarg; break;
        case 'h':
        case O_HELP: fputs(report_usage, stdout); return 0;
        case 'V':
        case O_VERSION: return hj_cli_print_version();
        default: return hj_cli_bad_option("report", optopt, argv[optind - 1], "see hashjoule report --help");
        }
    }
    if (json + markdown + (html != NULL) > 1)
        return hj_cli_fail("report", HJ_ERR_INPUT, "--html, --json and --markdown: choose one");
    json_t *report;
    hj_error err;
    /* where the page goes is checked before the files are read */
    hj_atomic_file page = {.fd = -1};
    hj_status st;
    if (html && (st = hj_atomic_file_begin(&page, html, false, "--html", &err)) != HJ_OK)
        return hj_cli_fail_err("report", st, &err);
    st = hj_report_build((const char *const *)argv + optind, (size_t)(argc - optind), title, &report, &err);
    if (st != HJ_OK) {
        hj_atomic_file_abort(&page);
        return hj_cli_fail_err("report", st, &err);
    }
    if (html) {
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (mem) {
            hj_report_print_html(report, mem);
            fclose(mem);
        }
        st = text ? hj_atomic_file_commit(&page, text, len, &err)
                  : hj_fail(&err, HJ_ERR_RUNTIME, "out of memory building the page");
        free(text);
        json_decref(report);
        if (st != HJ_OK) {
            hj_atomic_file_abort(&page);
            return hj_cli_fail_err("report", st, &err);
        }
        printf("report: %s\n", page.final_path);
        return 0;
    }
    int rc = 0;
    if (json && (st = hj_bench_print_json(report, stdout, &err)) != HJ_OK)
        rc = hj_cli_fail_err("report", st, &err);
    else if (!json)
        hj_report_print_markdown(report, stdout);
    json_decref(report);
    return rc;
}
