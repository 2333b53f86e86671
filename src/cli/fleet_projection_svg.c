/* `fleet --months N --svg DIR`: cumulative cash per MW of facility power,
 * month by month: the best mining option and the reference ASIC against the
 * best AI colocation and GPU cloud (by NPV), each halving marked. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fleet_cli.h"
#include "hashjoule/projection.h"
#include "svg_draw.h"

#define MAX_LINES 5

typedef struct line {
    const hj_projection_option *o;
    const char *colour;
    const char *dash; /* NULL: solid */
    char label[HJ_FLEET_OPTION_NAME_MAX + 32];
} line;

/* The available option with the best NPV among those `want` accepts. */
static const hj_projection_option *best(const hj_projection *p, bool (*want)(const hj_projection_option *))
{
    const hj_projection_option *b = NULL;
    for (size_t i = 0; i < p->n_options; i++) {
        const hj_projection_option *o = &p->options[i];
        if (o->available && !isnan(o->npv_usd_per_mw) && want(o) && (!b || o->npv_usd_per_mw > b->npv_usd_per_mw))
            b = o;
    }
    return b;
}
/* mining that runs at all: an idle miner's NPV is only its capex */
static bool is_mining(const hj_projection_option *o) { return o->mining && hj_projection_revenue_usd_per_mw(o) > 0; }
static bool is_colo(const hj_projection_option *o) { return o->kind == HJ_KIND_AI_COLOCATION; }
static bool is_gpu(const hj_projection_option *o) { return o->kind == HJ_KIND_AI_GPU_CLOUD; }

static void add(line *l, size_t *n, const hj_projection_option *o, const char *what, const char *dash)
{
    if (!o)
        return;
    for (size_t i = 0; i < *n; i++)
        if (l[i].o == o)
            return;
    l[*n].o = o;
    l[*n].colour = svg_kind_colour(o->kind);
    l[*n].dash = dash;
    snprintf(l[*n].label, sizeof l[*n].label, "%s (%s)", o->name, what);
    (*n)++;
}

void fleet_chart_projection(FILE *f, const hj_fleet_report *r)
{
    const hj_projection *p = r->projection;
    line lines[MAX_LINES];
    size_t n = 0;
    add(lines, &n, best(p, is_mining), "best mining NPV", NULL);
    for (size_t i = 0; i < p->n_options; i++)
        if (strcmp(p->options[i].name, r->reference->model) == 0 && p->options[i].available &&
            p->options[i].capex_known)
            add(lines, &n, &p->options[i], "reference ASIC", "6 4");
    add(lines, &n, best(p, is_colo), "best colocation NPV", NULL);
    add(lines, &n, best(p, is_gpu), "best GPU cloud NPV", NULL);

    double lo = 0, hi = 0;
    for (size_t k = 0; k < n; k++)
        for (int m = 0; m <= p->months; m++) {
            lo = fmin(lo, lines[k].o->monthly[m].cumulative_usd_per_mw / 1e6);
            hi = fmax(hi, lines[k].o->monthly[m].cumulative_usd_per_mw / 1e6);
        }
    if (hi <= lo)
        hi = lo + 1;
    double step = svg_nice_step(hi - lo, 6);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
    int left = 90, top = 70, plot_w = 720, plot_h = 360, right = 40;
    int legend_rows = (int)n;
    int h = top + plot_h + 50 + legend_rows * 20 + 10;
    char sub[256];
    snprintf(sub, sizeof sub,
             "per MW of facility power, million USD; month 0 = capex; discount-free cash, NPV at %.3g%%/y in the table",
             p->discount_rate_pct_per_year);
    char title[128];
    snprintf(title, sizeof title, "Cumulative cash over %d months: mining against AI", p->months);
    int w = svg_width_for(left + plot_w + right, title, sub);
    svg_header(f, w, h, title, sub);
/* clang-format off */
#define X(m) (left + (double)(m) / p->months * plot_w)
#define Y(v) (top + (hi - (v)) / (hi - lo) * plot_h)
    /* clang-format on */
    int n_ticks = (int)floor((hi - lo) / step + 0.5);
    int dec = svg_step_decimals(step);
    for (int k = 0; k <= n_ticks; k++) {
        double v = lo + k * step;
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>\n", left, Y(v), left + plot_w,
                Y(v), fabs(v) < step / 2 ? "#000" : "#ddd");
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%.*f</text>\n", left - 6, Y(v) + 4, dec,
                v);
    }
    int mstep = p->months <= 12 ? 1 : p->months <= 36 ? 6 : p->months <= 72 ? 12 : 24;
    for (int m = 0; m <= p->months; m += mstep)
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%d</text>\n", X(m),
                top + plot_h + 16, m);
    fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">month</text>\n", X(p->months / 2.0),
            top + plot_h + 34);
    for (size_t i = 0; i < p->n_halving_months; i++) {
        int hm = p->halving_months[i];
        if (hm < 1 || hm > p->months)
            continue;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#b00\" stroke-dasharray=\"3 3\"/>\n",
                X(hm), top, X(hm), top + plot_h);
        /* the label sits inside the plot, on the side with room */
        bool right_side = X(hm) + 8 + svg_text_w("halving", 12, false) < left + plot_w;
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\" fill=\"#b00\">halving</text>\n",
                right_side ? X(hm) + 4 : X(hm) - 4, top + 14, right_side ? "start" : "end");
    }
    for (size_t k = 0; k < n; k++) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s%s%s points=\"", lines[k].colour,
                lines[k].dash ? " stroke-dasharray=\"" : "", lines[k].dash ? lines[k].dash : "",
                lines[k].dash ? "\"" : "");
        for (int m = 0; m <= p->months; m++)
            fprintf(f, "%s%.1f,%.1f", m ? " " : "", X(m), Y(lines[k].o->monthly[m].cumulative_usd_per_mw / 1e6));
        fputs("\"/>\n", f);
    }
    for (size_t k = 0; k < n; k++) {
        int y = top + plot_h + 60 + (int)k * 20;
        fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s%s%s/>", left,
                y - 4, left + 24, y - 4, lines[k].colour, lines[k].dash ? " stroke-dasharray=\"" : "",
                lines[k].dash ? lines[k].dash : "", lines[k].dash ? "\"" : "");
        fprintf(f, "<text x=\"%d\" y=\"%d\">", left + 32, y);
        svg_esc(f, lines[k].label);
        fputs("</text>\n", f);
    }
#undef X
#undef Y
}
