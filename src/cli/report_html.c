/* `hashjoule report --html OUT.html`: one self-contained page (no script,
 * no external style, font or image) with the machines, the like-for-like
 * tables and inline SVG charts: grouped bars with min..max whiskers on a
 * zero-based axis, thread scaling, and J/TH where it was measured. Readable
 * on a phone (the tables scroll sideways) and printable. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hashjoule/format.h"
#include "hashjoule/version.h"
#include "report_render.h"
#include "svg_draw.h"

/* A colour per machine, the same in every chart (colour-blind-safe set). */
static const char *machine_colour(size_t m)
{
    static const char *const c[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442"};
    return c[m % (sizeof c / sizeof c[0])];
}

/* A round step for an axis from 0 to max. */
static double nice_step(double max)
{
    double raw = max / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* What a bar chart shows: one field of each entry, scaled, from 0, with the
 * entries' min..max as whiskers when `whisker_lo` is given. */
typedef struct bar_spec {
    const char *title, *unit, *field, *whisker_lo, *whisker_hi;
    double scale;
} bar_spec;

/* Horizontal bars, one per entry (those without the field are left out), on
 * a zero-based axis. Noisy entries are hatched and say so. */
static void bars_svg(FILE *out, json_t *entries, const bar_spec *b)
{
    json_t *e;
    size_t i, n = 0;
    double max = 0;
    json_array_foreach(entries, i, e)
        if (isfinite(report_num(e, b->field))) {
            n++;
            max = fmax(max, (b->whisker_hi ? report_num(e, b->whisker_hi) : report_num(e, b->field)) / b->scale);
        }
    if (n == 0 || !(max > 0))
        return;
    double step = nice_step(max), top = ceil(max / step) * step;
    const int left = 200, width = 640, bar_h = 22, gap = 8, axis_h = 28;
    int h = (int)n * (bar_h + gap) + axis_h + 10, k = 0;
    fprintf(out, "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"100%%\" aria-label=\"",
            left + width + 30, h);
    svg_esc(out, b->title);
    fputs("\">\n<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
          "patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"#ffffff\" opacity=\"0.6\"/></pattern>"
          "</defs>\n",
          out);
#define X(v) (left + (v) / top * width)
    int ticks = (int)lround(top / step);
    for (int k_tick = 0; k_tick <= ticks; k_tick++) {
        double t = k_tick * step;
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#dddddd\"/>"
                "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%g</text>\n",
                X(t), X(t), h - axis_h, X(t), h - axis_h + 14, t);
    }
    fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">", X(top / 2), h - 2);
    svg_esc(out, b->unit);
    fputs("</text>\n", out);
    json_array_foreach(entries, i, e) {
        if (!isfinite(report_num(e, b->field)))
            continue;
        int y = k++ * (bar_h + gap) + 4;
        size_t m = (size_t)report_num(e, "machine");
        double v = report_num(e, b->field) / b->scale;
        bool noisy = json_is_true(json_object_get(e, "noisy"));
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">M%zu ", left - 8, y + 15, m + 1);
        {
            char kernel_[160];
            svg_esc(out, report_kernel(e, kernel_, sizeof kernel_));
        }
        fprintf(out, " x%.0f%s</text>\n", report_num(e, "threads"), noisy ? " (noisy)" : "");
        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", left, y, X(v) - left,
                bar_h, machine_colour(m));
        if (noisy)
            fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"url(#hatch)\"/>\n", left, y,
                    X(v) - left, bar_h);
        if (b->whisker_lo) {
            double lo = report_num(e, b->whisker_lo) / b->scale, hi = report_num(e, b->whisker_hi) / b->scale;
            fprintf(out,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222222\"/>"
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222222\"/>"
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222222\"/>\n",
                    X(lo), y + bar_h / 2, X(hi), y + bar_h / 2, X(lo), y + 5, X(lo), y + bar_h - 5, X(hi), y + 5, X(hi),
                    y + bar_h - 5);
        }
    }
#undef X
    fputs("</svg>\n", out);
}

static void machines_table(FILE *out, json_t *report)
{
    fputs("<h2>Machines</h2>\n<div class=\"scroll\"><table>\n<tr><th></th><th>machine</th><th>CPU</th><th>cores / "
          "threads</th><th>instruction sets</th><th>OpenCL devices</th><th>memory</th><th>date</th><th>hashjoule</th>"
          "<th>protocol</th><th>machine quiet?</th></tr>\n",
          out);
    size_t i, j;
    json_t *m, *x;
    json_array_foreach(json_object_get(report, "machines"), i, m) {
        fprintf(out, "<tr><td><span class=\"key\" style=\"background:%s\"></span>M%zu</td><td>", machine_colour(i),
                i + 1);
        svg_esc(out, report_str(m, "name"));
        fputs("<br><small>", out);
        svg_esc(out, report_str(m, "file"));
        fputs("</small></td><td>", out);
        svg_esc(out, report_str(m, "cpu"));
        fprintf(out, "</td><td>%.0f / %.0f</td><td>", report_num(m, "cores"), report_num(m, "threads"));
        json_array_foreach(json_object_get(m, "features"), j, x)
            fprintf(out, "%s%s", j ? " " : "", json_string_value(x));
        fputs("</td><td>", out);
        json_array_foreach(json_object_get(m, "opencl_devices"), j, x) {
            fputs(j ? "<br>" : "", out);
            svg_esc(out, json_string_value(x));
        }
        double mem = report_num(m, "memory_bytes");
        json_t *p = json_object_get(m, "protocol");
        if (isfinite(mem))
            fprintf(out, "</td><td>%.1f GiB", mem / 1073741824.0);
        else
            fputs("</td><td>not recorded", out);
        fprintf(out, "</td><td>%.10s</td><td>%s<br><small>%s</small></td><td>%.0f &times; %.0f s, %.0f s warm-up</td>",
                report_str(m, "date"), report_str(m, "tool_version"), report_str(m, "git_commit"),
                report_num(p, "repetitions"), report_num(p, "seconds"), report_num(p, "warmup_seconds"));
        fprintf(out, "<td class=\"%s\">%s</td></tr>\n",
                strcmp(report_str(m, "interference"), "noisy") == 0 ? "noisy" : "", report_str(m, "interference"));
    }
    fputs("</table></div>\n", out);
}

static void row_section(FILE *out, json_t *row)
{
    fputs("<section>\n<h2>", out);
    svg_esc(out, report_str(row, "label"));
    fputs("</h2>\n", out);
    json_t *entries = json_object_get(row, "entries");
    bars_svg(out, entries,
             &(bar_spec){report_str(row, "label"), "MH/s (median; whiskers: min..max)", "median_hps", "min_hps",
                         "max_hps", 1e6});
    bars_svg(out, entries,
             &(bar_spec){"J/TH where measured", "J/TH (lower is better; measured results only)", "joules_per_terahash",
                         NULL, NULL, 1});
    fputs("<div class=\"scroll\"><table>\n<tr><th>machine</th><th>kernel</th><th>threads</th><th>median</th>"
          "<th>min..max</th><th>per core</th><th>J/TH</th><th>hashes/J</th></tr>\n",
          out);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(row, "entries"), i, e) {
        char med[32], mn[32], mx[32], core[32] = "-";
        hj_format_rate(report_num(e, "median_hps"), HJ_RATE_SHORT, med, sizeof med);
        hj_format_rate(report_num(e, "min_hps"), HJ_RATE_SHORT, mn, sizeof mn);
        hj_format_rate(report_num(e, "max_hps"), HJ_RATE_SHORT, mx, sizeof mx);
        if (isfinite(report_num(e, "hps_per_core")))
            hj_format_rate(report_num(e, "hps_per_core"), HJ_RATE_SHORT, core, sizeof core);
        bool noisy = json_is_true(json_object_get(e, "noisy"));
        fprintf(out, "<tr><td>M%.0f</td><td>", report_num(e, "machine") + 1);
        {
            char kernel_[160];
            svg_esc(out, report_kernel(e, kernel_, sizeof kernel_));
        }
        fprintf(out, "</td><td>%.0f</td><td%s>%s%s</td><td>%s..%s</td><td>%s</td><td>", report_num(e, "threads"),
                noisy ? " class=\"noisy\"" : "", med, noisy ? " (noisy)" : "", mn, mx, core);
        if (isfinite(report_num(e, "joules_per_terahash"))) {
            fprintf(out, "%.4g (", report_num(e, "joules_per_terahash"));
            svg_esc(out, report_str(e, "energy_scope"));
            fprintf(out, ")</td><td>%.4g</td></tr>\n", report_num(e, "hashes_per_joule"));
        } else {
            fputs("unavailable<sup>*</sup></td><td>-</td></tr>\n", out); /* the reasons: once, at the end */
        }
    }
    fputs("</table></div>\n</section>\n", out);
}

static void scaling_section(FILE *out, json_t *report)
{
    json_t *s = json_object_get(report, "thread_scaling"), *r;
    if (!json_array_size(s))
        return;
    fputs("<section>\n<h2>Thread scaling</h2>\n", out);
    bars_svg(out, s, &(bar_spec){"thread scaling", "speedup of all threads over one thread", "speedup", NULL, NULL, 1});
    fputs("<div class=\"scroll\"><table>\n<tr><th>machine</th><th>kernel</th>"
          "<th>threads</th><th>1 thread</th><th>all threads</th><th>speedup</th></tr>\n",
          out);
    size_t i;
    json_array_foreach(s, i, r) {
        char one[32], all[32];
        hj_format_rate(report_num(r, "one_thread_hps"), HJ_RATE_SHORT, one, sizeof one);
        hj_format_rate(report_num(r, "all_threads_hps"), HJ_RATE_SHORT, all, sizeof all);
        fprintf(out, "<tr><td>M%.0f</td><td>", report_num(r, "machine") + 1);
        {
            char kernel_[160];
            svg_esc(out, report_kernel(r, kernel_, sizeof kernel_));
        }
        fprintf(out, "</td><td>%.0f</td><td>%s</td><td>%s</td><td>%.2f &times;</td></tr>\n", report_num(r, "threads"),
                one, all, report_num(r, "speedup"));
    }
    fputs("</table></div>\n</section>\n", out);
}

/* Why energy is unavailable, each distinct reason once, with its machines. */
static void energy_notes(FILE *out, json_t *report)
{
    json_t *seen = json_object(), *row, *e;
    size_t i, j;
    json_array_foreach(json_object_get(report, "rows"), i, row)
        json_array_foreach(json_object_get(row, "entries"), j, e) {
            const char *why = report_str(e, "energy_unavailable_reason");
            if (!*why)
                continue;
            char m[16];
            snprintf(m, sizeof m, "M%.0f", report_num(e, "machine") + 1);
            json_t *list = json_object_get(seen, why);
            if (!list)
                json_object_set_new(seen, why, list = json_object());
            json_object_set_new(list, m, json_true());
        }
    if (json_object_size(seen)) {
        fputs("<section>\n<h2>Energy</h2>\n<p><sup>*</sup> J/TH is unavailable where no energy sensor covered a "
              "result:</p>\n<ul>\n",
              out);
        const char *why, *m;
        json_t *list, *v;
        json_object_foreach(seen, why, list) {
            fputs("<li>", out);
            json_object_foreach(list, m, v)
                fprintf(out, "%s ", m);
            fputs(": ", out);
            svg_esc(out, why);
            fputs("</li>\n", out);
        }
        fputs("</ul>\n</section>\n", out);
    }
    json_decref(seen);
}

void hj_report_print_html(json_t *report, FILE *out)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    svg_esc(out, report_str(report, "title"));
    fputs("</title>\n<style>\n"
          "body{font-family:system-ui,-apple-system,'DejaVu Sans',Arial,sans-serif;margin:0 auto;max-width:980px;"
          "padding:12px;color:#222}\n"
          "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}small{color:#666}\n"
          ".scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.85em;margin:.5em 0}\n"
          "th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f3f3f3}\n"
          ".noisy{background:#fff3cd}.key{display:inline-block;width:.8em;height:.8em;margin-right:4px}\n"
          "svg.chart{max-width:100%;height:auto;font-family:inherit}\n"
          "@media print{body{max-width:none}.scroll{overflow:visible}section{break-inside:avoid}}\n"
          "</style>\n</head>\n<body>\n<h1>",
          out);
    svg_esc(out, report_str(report, "title"));
    fprintf(out,
            "</h1>\n<p>%zu machine(s), compared by hashjoule %s. Rates are median hashes per second of the "
            "repetitions; a machine or result marked noisy ran while something else used its CPUs.</p>\n",
            json_array_size(json_object_get(report, "machines")), hj_version());
    machines_table(out, report);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(report, "rows"), i, r)
        row_section(out, r);
    scaling_section(out, report);
    energy_notes(out, report);
    fputs("</body>\n</html>\n", out);
}
