/* The renderings of a `hashjoule report` (private to src/cli): each formats a
 * finished comparison (hj_report_build) and computes nothing of it. */
#ifndef HJ_REPORT_RENDER_H
#define HJ_REPORT_RENDER_H

#include <math.h>
#include <stdio.h>

#include <jansson.h>

/* A string member ("" when absent) and a number member (NAN when absent) of
 * the comparison, as both renderings read it. */
static inline const char *report_str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}
static inline double report_num(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* An entry's kernel as shown: "avx2", or "avx2, 16 versions" for a result
 * that rolled versions. */
static inline const char *report_kernel(json_t *e, char *buf, size_t len)
{
    double v = report_num(e, "versions");
    if (isfinite(v) && v != 1)
        snprintf(buf, len, "%s, %.0f versions", report_str(e, "kernel"), v);
    else
        snprintf(buf, len, "%s", report_str(e, "kernel"));
    return buf;
}

/* report_markdown.c: the machines table, one table per like-for-like row, the
 * thread scaling and a summary of noisy results. */
void hj_report_print_markdown(json_t *report, FILE *out);

/* report_html.c: one self-contained page (no script, no external resource)
 * with the tables and inline SVG charts. */
void hj_report_print_html(json_t *report, FILE *out);

#endif
