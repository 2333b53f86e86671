/* `hashjoule report --markdown`: tables a reviewer can paste into an article
 * or a GitHub comment. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hashjoule/format.h"
#include "report_render.h"

/* Markdown table cells cannot hold a bare '|'. */
static void cell(FILE *out, const char *s)
{
    for (; *s; s++)
        fputs(*s == '|' ? "\\|" : (char[]){*s, 0}, out);
}

static void machine_table(json_t *report, FILE *out)
{
    fputs("| # | machine | CPU | cores / threads | instruction sets | OpenCL devices | memory | date | hashjoule | "
          "protocol | machine quiet? |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
          out);
    size_t i, j;
    json_t *m, *x;
    json_array_foreach(json_object_get(report, "machines"), i, m) {
        fprintf(out, "| M%zu | ", i + 1);
        cell(out, report_str(m, "name"));
        fputs(" | ", out);
        cell(out, report_str(m, "cpu"));
        fprintf(out, " | %.0f / %.0f | ", report_num(m, "cores"), report_num(m, "threads"));
        json_array_foreach(json_object_get(m, "features"), j, x)
            fprintf(out, "%s%s", j ? " " : "", json_string_value(x));
        fputs(" | ", out);
        json_array_foreach(json_object_get(m, "opencl_devices"), j, x) {
            fputs(j ? ", " : "", out);
            cell(out, json_string_value(x));
        }
        double mem = report_num(m, "memory_bytes");
        json_t *p = json_object_get(m, "protocol");
        if (isfinite(mem))
            fprintf(out, " | %.1f GiB", mem / 1073741824.0);
        else
            fputs(" | not recorded", out);
        fprintf(out, " | %.10s | %s (%s) | %.0f x %.0f s, %.0f s warm-up | %s |\n", report_str(m, "date"),
                report_str(m, "tool_version"), report_str(m, "git_commit"), report_num(p, "repetitions"),
                report_num(p, "seconds"), report_num(p, "warmup_seconds"), report_str(m, "interference"));
    }
}

static void row_table(json_t *row, FILE *out)
{
    fprintf(out,
            "\n### %s\n\n| machine | kernel | threads | median | min..max | per core | J/TH | hashes/J |\n"
            "|---|---|---|---|---|---|---|---|\n",
            report_str(row, "label"));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(row, "entries"), i, e) {
        char med[32], mn[32], mx[32], core[32] = "-", jth[64], hpj[32] = "-";
        hj_format_rate(report_num(e, "median_hps"), HJ_RATE_SHORT, med, sizeof med);
        hj_format_rate(report_num(e, "min_hps"), HJ_RATE_SHORT, mn, sizeof mn);
        hj_format_rate(report_num(e, "max_hps"), HJ_RATE_SHORT, mx, sizeof mx);
        if (isfinite(report_num(e, "hps_per_core")))
            hj_format_rate(report_num(e, "hps_per_core"), HJ_RATE_SHORT, core, sizeof core);
        if (isfinite(report_num(e, "joules_per_terahash")))
            snprintf(jth, sizeof jth, "%.4g (%s)", report_num(e, "joules_per_terahash"), report_str(e, "energy_scope"));
        else
            snprintf(jth, sizeof jth, "unavailable");
        if (isfinite(report_num(e, "hashes_per_joule")))
            snprintf(hpj, sizeof hpj, "%.4g", report_num(e, "hashes_per_joule"));
        char kernel[160];
        fprintf(out, "| M%.0f | %s | %.0f | %s%s | %s..%s | %s | %s | %s |\n", report_num(e, "machine") + 1,
                report_kernel(e, kernel, sizeof kernel), report_num(e, "threads"), med,
                json_is_true(json_object_get(e, "noisy")) ? " (noisy)" : "", mn, mx, core, jth, hpj);
    }
}

void hj_report_print_markdown(json_t *report, FILE *out)
{
    fprintf(out, "# %s\n\n", report_str(report, "title"));
    machine_table(report, out);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(report, "rows"), i, r)
        row_table(r, out);
    if (json_array_size(json_object_get(report, "thread_scaling"))) {
        fputs("\n### Thread scaling\n\n| machine | kernel | threads | 1 thread | all threads | speedup |\n"
              "|---|---|---|---|---|---|\n",
              out);
        json_array_foreach(json_object_get(report, "thread_scaling"), i, r) {
            char one[32], all[32], kernel[160];
            hj_format_rate(report_num(r, "one_thread_hps"), HJ_RATE_SHORT, one, sizeof one);
            hj_format_rate(report_num(r, "all_threads_hps"), HJ_RATE_SHORT, all, sizeof all);
            fprintf(out, "| M%.0f | %s | %.0f | %s | %s | %.2f x |\n", report_num(r, "machine") + 1,
                    report_kernel(r, kernel, sizeof kernel), report_num(r, "threads"), one, all,
                    report_num(r, "speedup"));
        }
    }
    /* the summary: which machines were not quiet, and where energy is missing */
    size_t noisy = 0, unmeasured = 0, j;
    json_t *e;
    json_array_foreach(json_object_get(report, "machines"), i, r)
        noisy += strcmp(report_str(r, "interference"), "noisy") == 0;
    json_array_foreach(json_object_get(report, "rows"), i, r)
        json_array_foreach(json_object_get(r, "entries"), j, e)
            unmeasured += !isfinite(report_num(e, "joules_per_terahash"));
    fprintf(out, "\n%zu machine(s).", json_array_size(json_object_get(report, "machines")));
    if (noisy)
        fprintf(out, " %zu ran while something else used the machine (noisy): their rates may be low.", noisy);
    if (unmeasured)
        fputs(" J/TH is unavailable where no energy sensor covered the result (the results files say why).", out);
    fputc('\n', out);
}
