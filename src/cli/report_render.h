/* The renderings of a `hashjoule report` (private to src/cli): each formats a
 * finished comparison (hj_report_build) and computes nothing of it. */
#ifndef HJ_REPORT_RENDER_H
#define HJ_REPORT_RENDER_H

#include <stdio.h>

#include <jansson.h>

/* report_markdown.c: the machines table, one table per like-for-like row, the
 * thread scaling and a summary of noisy results. */
void hj_report_print_markdown(json_t *report, FILE *out);

/* report_html.c: one self-contained page (no script, no external resource)
 * with the tables and inline SVG charts. */
void hj_report_print_html(json_t *report, FILE *out);

#endif
