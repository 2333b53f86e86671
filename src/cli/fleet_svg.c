/* `hashjoule fleet --svg DIR`: four charts (five with --months) as plain SVG 1.1. Each is built in
 * memory, written to a temporary file in DIR and renamed into place, so a
 * reader never sees half a chart; an existing chart is replaced only with
 * --overwrite, and the check is made for all four before any is written. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet_cli.h"
#include "svg_draw.h"

static const char *const chart_names[FLEET_SVG_COUNT + 1] = {"options_usd_per_mwh.svg", "breakeven_by_generation.svg",
                                                             "sensitivity_map.svg", "difficulty_scenario.svg",
                                                             FLEET_PROJECTION_SVG};

const char *fleet_svg_name(int i) { return i >= 0 && i <= FLEET_SVG_COUNT ? chart_names[i] : ""; }

int fleet_svg_count(const hj_fleet_report *r) { return FLEET_SVG_COUNT + (r->projection != NULL); }

#define LABEL_MAX_W 480.0 /* the widest option label of the options chart */

/* 1: net and revenue per option, horizontal bars. */
static void chart_options(FILE *f, const hj_fleet_report *r)
{
    size_t n = 0;
    double lo = 0, hi = 0, label_w = 0;
    bool present[HJ_FLEET_KIND_COUNT] = {false};
    char name[HJ_FLEET_OPTION_NAME_MAX + 8], cut[HJ_FLEET_OPTION_NAME_MAX + 8];
    for (size_t i = 0; i < r->n_options; i++) {
        const hj_fleet_option *o = &r->options[i];
        if (!o->available)
            continue;
        n++;
        lo = fmin(lo, o->net_usd_per_mwh);
        hi = fmax(hi, fmax(o->revenue_usd_per_mwh, o->net_usd_per_mwh));
        present[o->kind] = true;
        snprintf(name, sizeof name, "%s%s", o->name, o->unverified ? " *" : "");
        label_w = fmax(label_w, svg_text_w(svg_fit(cut, sizeof cut, name, LABEL_MAX_W, 12, false), 12, false));
    }
    /* the labels end 6 px left of the plot and start 16 px from the edge */
    int left = (int)fmax(160, ceil(16 + label_w + 6)), right = 40, top = 70, row = 18, plot_w = 620;
    char sub[256];
    snprintf(sub, sizeof sub,
             "hashprice $%.2f/PH/day, electricity $%.0f/MWh; net is before capex (GPU cloud carries $M per MW of GPUs)",
             r->market.hashprice_usd_per_ph_day, r->market.electricity_usd_per_mwh);
    const char *title = "USD per MWh of facility power, by option (net bar, revenue outline)";
    const hj_fleet_local_energy *le = &r->local_energy;
    int h = top + (int)n * row + 70 + (le->n_unmeasured ? 20 : 0);
    int w = svg_width_for(left + plot_w + right, title, sub);
    svg_header(f, w, h, title, sub);
    if (hi <= lo)
        hi = lo + 1;
    double step = svg_nice_step(hi - lo, 6);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
/* Unformatted: clang-format 14 takes (v) - lo for a cast. */
/* clang-format off */
#define X(v) (left + ((v) - lo) / (hi - lo) * plot_w)
    /* clang-format on */
    /* an integer tick counter: a float one accumulates rounding (CERT FLP30-C) */
    int n_ticks = (int)floor((hi - lo) / step + 0.5);
    for (int k = 0; k <= n_ticks; k++) {
        double t = lo + k * step;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", X(t), top - 6, X(t),
                top + (int)n * row);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%.0f</text>\n", X(t),
                top + (int)n * row + 16, t);
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\"/>\n", X(0), top - 6, X(0),
            top + (int)n * row);
    size_t line = 0;
    for (size_t i = 0; i < r->n_options; i++) {
        const hj_fleet_option *o = &r->options[i];
        if (!o->available)
            continue;
        int y = top + (int)line * row;
        double x0 = X(fmin(0, o->net_usd_per_mwh)), x1 = X(fmax(0, o->net_usd_per_mwh));
        fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"none\" stroke=\"%s\"/>\n", X(0),
                y + 2, fmax(0, X(o->revenue_usd_per_mwh) - X(0)), row - 4, svg_kind_colour(o->kind));
        fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", x0, y + 2, x1 - x0,
                row - 4, svg_kind_colour(o->kind));
        snprintf(name, sizeof name, "%s%s", o->name, o->unverified ? " *" : "");
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, y + row - 5);
        svg_esc(f, svg_fit(cut, sizeof cut, name, LABEL_MAX_W, 12, false));
        fputs("</text>\n", f);
        line++;
    }
#undef X
    /* the legend: only the kinds drawn */
    int ly = top + (int)n * row + 40;
    double lx = 16;
    for (int k = 0; k < HJ_FLEET_KIND_COUNT; k++)
        if (present[k])
            svg_legend_item(f, &lx, ly, svg_kind_colour((hj_fleet_kind)k), hj_fleet_kind_name((hj_fleet_kind)k), false);
    fprintf(f, "<text x=\"16\" y=\"%d\" fill=\"#444\">$/MWh; * = an UNVERIFIED or estimated input</text>\n", ly + 20);
    if (le->n_unmeasured)
        fprintf(f,
                "<text x=\"16\" y=\"%d\" fill=\"#444\">this machine: %zu row(s) without an energy measurement are not "
                "drawn (give --local-power-watts W)</text>\n",
                ly + 40, le->n_unmeasured);
}

/* 2: break-even electricity price of each ASIC against its release date. */
static void chart_breakeven(FILE *f, const hj_fleet_report *r)
{
    int w = 980, h = 600, left = 70, right = 30, top = 60, bottom = 80;
    double xlo = 1e9, xhi = -1e9, yhi = r->market.electricity_usd_per_mwh;
    size_t n_asic = 0;
    for (size_t i = 0; i < r->n_options; i++) {
        const hj_fleet_option *o = &r->options[i];
        if (o->kind != HJ_KIND_ASIC)
            continue;
        const hj_asic *a = &r->asics[o->source_index];
        double x = a->release_year + (a->release_month - 1) / 12.0;
        xlo = fmin(xlo, x);
        xhi = fmax(xhi, x);
        yhi = fmax(yhi, o->breakeven_electricity_usd_per_mwh);
        n_asic++;
    }
    svg_header(f, w, h, "Break-even electricity price by ASIC generation", NULL);
    if (xhi <= xlo)
        xhi = xlo + 1;
    xlo = floor(xlo);
    xhi = floor(xhi) + 2; /* room for the labels of the newest models */
    if (yhi <= 0)
        yhi = 1; /* nice_step needs a positive span */
    double step = svg_nice_step(yhi, 6);
    yhi = ceil(yhi / step) * step;
    int n_ticks = (int)floor(yhi / step + 0.5);
    int pw = w - left - right, ph = h - top - bottom;
/* Unformatted, as X above. */
/* clang-format off */
#define PX(v) (left + ((v) - xlo) / (xhi - xlo) * pw)
/* clang-format on */
#define PY(v) (top + ph - (v) / yhi * ph)
    for (int k = 0; k <= n_ticks; k++) {
        double t = k * step;
        fprintf(f,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" "
                "text-anchor=\"end\" fill=\"#444\">%.0f</text>\n",
                left, PY(t), w - right, PY(t), left - 6, PY(t) + 4, t);
    }
    for (int y = (int)xlo; y <= (int)xhi; y++)
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/><text x=\"%.1f\" y=\"%d\" "
                "text-anchor=\"middle\" fill=\"#444\">%d</text>\n",
                PX(y), top, PX(y), top + ph, PX(y), top + ph + 18, y);
    double e = r->market.electricity_usd_per_mwh;
    char elabel[64];
    snprintf(elabel, sizeof elabel, "electricity $%.0f/MWh", e);
    fprintf(f,
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d55e00\" stroke-dasharray=\"6,4\"/>"
            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#d55e00\">%s</text>\n",
            left, PY(e), w - right, PY(e), w - right - 4, PY(e) - 4, elabel);
    /* What a label must not cover: the other labels, every dot, the
     * electricity label. Each label (9 px) goes right of its dot, else left,
     * at the dot's height or the nearest free 10 px step above or below,
     * inside the plot; a moved label gets a leader line. */
    size_t cap = 2 * n_asic + 2, n_obst = 0;
    svg_box *obst = calloc(cap, sizeof *obst);
    if (!obst)
        return;
    obst[n_obst++] = svg_text_box(w - right - 4, PY(e) - 4, elabel, 12, false, 1);
    for (size_t i = 0; i < r->n_options; i++) {
        const hj_fleet_option *o = &r->options[i];
        if (o->kind != HJ_KIND_ASIC)
            continue;
        const hj_asic *a = &r->asics[o->source_index];
        double x = PX(a->release_year + (a->release_month - 1) / 12.0), y = PY(o->breakeven_electricity_usd_per_mwh);
        obst[n_obst++] = (svg_box){x - 5, y - 5, x + 5, y + 5};
    }
    bool any_ok = false, any_bad = false;
    for (size_t i = 0; i < r->n_options; i++) {
        const hj_fleet_option *o = &r->options[i];
        if (o->kind != HJ_KIND_ASIC)
            continue;
        const hj_asic *a = &r->asics[o->source_index];
        double x = PX(a->release_year + (a->release_month - 1) / 12.0), y = PY(o->breakeven_electricity_usd_per_mwh);
        bool ok = o->breakeven_electricity_usd_per_mwh > e;
        any_ok |= ok;
        any_bad |= !ok;
        svg_box own = {x - 5, y - 5, x + 5, y + 5};
        double lx = x + 9, ly = y + 3;
        int anchor = -1;
        bool found = false;
        for (int k = 0; k <= 80 && !found; k++) {
            /* nearest first: right, then left, of each height */
            int side = k % 2, rung = k / 2;
            int offset = (rung % 2 ? 1 : -1) * 10 * ((rung + 1) / 2); /* 0, -10, +10, -20, ... px */
            double cy = y + 3 + offset, cx = side ? x - 9 : x + 9;
            svg_box b = svg_text_box(cx, cy, o->name, 9, false, side ? 1 : -1);
            if (b.x0 < left + 2 || b.x1 > w - right || b.y0 < top || b.y1 > top + ph)
                continue;
            bool clear = true;
            for (size_t j = 0; j < n_obst && clear; j++)
                clear = !svg_overlaps(b, obst[j]) || (obst[j].x0 == own.x0 && obst[j].y0 == own.y0);
            if (clear) {
                found = true;
                lx = cx;
                ly = cy;
                anchor = side ? 1 : -1;
            }
        }
        if (n_obst < cap)
            obst[n_obst++] = svg_text_box(lx, ly, o->name, 9, false, anchor);
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>", x, y, ok ? "#009e73" : "#999999");
        if (fabs(ly - y - 3) > 1)
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\"/>",
                    x + (anchor < 0 ? 4 : -4), y, lx + (anchor < 0 ? -1 : 1), ly - 3);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"#333\"%s>", lx, ly,
                anchor < 0 ? "" : " text-anchor=\"end\"");
        svg_esc(f, o->name);
        fputs("</text>\n", f);
    }
    free(obst);
#undef PX
#undef PY
    double lx = left;
    if (any_ok)
        svg_legend_item(f, &lx, h - 40, "#009e73", "profitable now (break-even above the power price)", true);
    if (any_bad)
        svg_legend_item(f, &lx, h - 40, "#999999", "loses money now", true);
    fprintf(f,
            "<text x=\"%d\" y=\"%d\" fill=\"#444\">x: release date; y: $/MWh at which net = 0 (hashprice $%.2f/PH/day, "
            "pool fee %.1f%%, PUE by cooling)</text>\n",
            left, h - 16, r->market.hashprice_usd_per_ph_day, r->market.pool_fee_pct);
}

/* 3: the sensitivity map: best mining option per cell, coloured by its net. */
static void chart_sensitivity(FILE *f, const hj_fleet_report *r)
{
    const hj_fleet_grid *g = &r->grid;
    int cw = 150, chh = 54, top = 90;
    double row_w = 0;
    char text[HJ_FLEET_OPTION_NAME_MAX + 32], cut[sizeof text];
    for (size_t ib = 0; ib < g->n_btc; ib++) {
        snprintf(text, sizeof text, "BTC $%.0f", r->assumptions.grid_btc_price_usd[ib]);
        row_w = fmax(row_w, svg_text_w(text, 12, false));
    }
    int left = (int)fmax(110, ceil(16 + row_w + 6));
    const char *title = "Sensitivity: BTC price x electricity price -> best ASIC per MW";
    const char *sub = "cell: best ASIC and its net $/MWh; below it the best option of any kind (AI options do not "
                      "depend on BTC)";
    char foot[256];
    snprintf(foot, sizeof foot, "difficulty %.4g T, fees %.3g BTC/block, pool fee %.1f%%; net before capex",
             r->market.difficulty / 1e12, r->market.fees_btc_per_block, r->market.pool_fee_pct);
    int w = svg_width_for(left + (int)g->n_electricity * cw + 30, title, sub), h = top + (int)g->n_btc * chh + 90;
    w = (int)fmax(w, ceil(16 + svg_text_w(foot, 12, false) + 16));
    svg_header(f, w, h, title, sub);
    /* the colour scale: the largest ASIC margin in the map */
    double vmax = 1;
    for (size_t i = 0; i < g->n_btc * g->n_electricity * g->n_options; i++)
        if (!isnan(g->net_usd_per_mwh[i]) && g->kinds[i % g->n_options] == HJ_KIND_ASIC)
            vmax = fmax(vmax, fabs(g->net_usd_per_mwh[i]));
    for (size_t ie = 0; ie < g->n_electricity; ie++) {
        snprintf(text, sizeof text, "$%.0f/MWh", r->assumptions.grid_electricity_usd_per_mwh[ie]);
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", left + (int)ie * cw + cw / 2, top - 8,
                svg_fit(cut, sizeof cut, text, cw - 8, 12, false));
    }
    for (size_t ib = 0; ib < g->n_btc; ib++) {
        int y = top + (int)ib * chh;
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">BTC $%.0f</text>\n", left - 6, y + chh / 2 + 4,
                r->assumptions.grid_btc_price_usd[ib]);
        for (size_t ie = 0; ie < g->n_electricity; ie++) {
            const hj_fleet_grid_cell *cell = &g->cells[ib * g->n_electricity + ie];
            size_t best = cell->best_asic, any = cell->best;
            int x = left + (int)ie * cw;
            double v = best == SIZE_MAX ? NAN : g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, best)];
            /* diverging: red below zero, green above, white at zero */
            double t = isnan(v) ? 0 : fmax(-1, fmin(1, v / vmax));
            int rr = t < 0 ? 255 : (int)(255 - 180 * t), gg = t > 0 ? 255 - (int)(60 * t) : (int)(255 + 180 * t),
                bb = (int)(255 - 180 * fabs(t));
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,%d)\" stroke=\"#fff\"/>\n",
                    x, y, cw, chh, rr, gg, bb);
            if (best != SIZE_MAX) {
                fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">", x + cw / 2, y + 16);
                svg_esc(f, svg_fit(cut, sizeof cut, g->names[best], cw - 8, 10, false));
                fprintf(f, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">%+.0f</text>\n",
                        x + cw / 2, y + 32, v);
            }
            if (any != SIZE_MAX && any != best) {
                fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"9\" fill=\"#0072b2\">",
                        x + cw / 2, y + 46);
                snprintf(text, sizeof text, " %+.0f", g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, any)]);
                /* the margin stays whole; the name is cut to fit beside it */
                char nm[HJ_FLEET_OPTION_NAME_MAX + 8];
                svg_esc(f, svg_fit(nm, sizeof nm, g->names[any], cw - 8 - svg_text_w(text, 9, false), 9, false));
                fprintf(f, "%s</text>\n", text);
            }
        }
    }
    fputs("<text x=\"16\" y=\"", f);
    fprintf(f, "%d\" fill=\"#444\">", h - 20);
    svg_esc(f, foot);
    fputs("</text>\n", f);
}

/* One line panel of the scenario chart: y ticks at round values over a range
 * at least min_span_frac of the largest value wide (a 2% move stays a 2% move
 * on the page, not a cliff), and `ref` (NAN: none) inside the range. */
static void panel(FILE *f, const hj_exit_scenario *s, int top, int height, int left, int pw, const char *label,
                  const char *colour, double (*get)(const hj_day_row *), double ref, double min_span_frac)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < s->n_days; i++) {
        double v = get(&s->days[i]);
        if (!isnan(v)) {
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    }
    if (!isfinite(lo))
        return;
    if (!isnan(ref)) {
        lo = fmin(lo, ref);
        hi = fmax(hi, ref);
    }
    double min_span = min_span_frac * fmax(fabs(lo), fabs(hi)) + 1e-9;
    if (hi - lo < min_span) {
        bool positive = lo >= 0;
        double mid = (hi + lo) / 2;
        lo = mid - min_span / 2;
        hi = mid + min_span / 2;
        if (positive && lo < 0) { /* a positive quantity's axis stays at or above zero */
            hi -= lo;
            lo = 0;
        }
    }
    double step = svg_nice_step(hi - lo, 4);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
    int n_ticks = (int)floor((hi - lo) / step + 0.5), dec = svg_step_decimals(step);
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#ccc\"/>\n", left, top, pw,
            height);
#define PY(v) (top + height - ((v)-lo) / (hi - lo) * height)
    for (int k = 0; k <= n_ticks; k++) {
        double t = lo + k * step;
        fprintf(f,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"%d\" y=\"%.1f\" "
                "text-anchor=\"end\" fill=\"#444\">%.*f</text>\n",
                left, PY(t), left + pw, PY(t), left - 6, PY(t) + 4, dec, t);
    }
    if (!isnan(ref))
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray=\"4,3\"/>\n",
                left, PY(ref), left + pw, PY(ref));
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", left, top - 8);
    svg_esc(f, label);
    fputs("</text>\n", f);
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", colour);
    double xmax = s->n_days > 1 ? s->days[s->n_days - 1].day : 1;
    for (size_t i = 0; i < s->n_days; i++) {
        double v = get(&s->days[i]);
        if (isnan(v))
            continue;
        fprintf(f, "%.1f,%.1f ", left + s->days[i].day / xmax * pw, PY(v));
    }
#undef PY
    fputs("\"/>\n", f);
}

static double g_hashrate(const hj_day_row *d) { return d->hashrate_ehs; }
static double g_difficulty(const hj_day_row *d) { return d->difficulty / 1e12; }
static double g_hashprice(const hj_day_row *d) { return d->hashprice_usd_per_ph_day; }
static double g_block(const hj_day_row *d) { return d->mean_block_time_s / 60.0; }

/* 4: the difficulty-adjustment scenario over time. */
static void chart_scenario(FILE *f, const hj_fleet_report *r)
{
    const hj_exit_scenario *s = &r->exit;
    int w = 980, left = 80, pw = 860, ph = 120, gap = 56, top = 84;
    int h = top + 4 * (ph + gap) - gap + 48;
    char title[256], sub[256];
    snprintf(title, sizeof title, "Difficulty feedback: %.3g%% of hashrate leaves for AI over %.3g days", s->exit_pct,
             s->exit_days);
    snprintf(sub, sizeof sub,
             "2016-block retargets, Core's 1/4..4x clamp; BTC $%.0f -> $%.0f over %.3g days; y axes span at least "
             "20%% of their largest value",
             s->btc_price_start_usd, s->btc_price_end_usd, s->horizon_days);
    w = svg_width_for(w, title, sub);
    svg_header(f, w, h, title, sub);
    panel(f, s, top, ph, left, pw, "network hashrate, EH/s", "#0072b2", g_hashrate, NAN, 0.2);
    panel(f, s, top + (ph + gap), ph, left, pw, "difficulty, T", "#d55e00", g_difficulty, NAN, 0.2);
    panel(f, s, top + 2 * (ph + gap), ph, left, pw, "mean block time, minutes (per day; dashed: the 10-minute target)",
          "#cc79a7", g_block, 10.0, 0.2);
    panel(f, s, top + 3 * (ph + gap), ph, left, pw, "hashprice for those who stay, $/PH/day", "#009e73", g_hashprice,
          NAN, 0.2);
    double xmax = s->n_days > 1 ? s->days[s->n_days - 1].day : 1;
    int bottom = top + 4 * (ph + gap) - gap;
    for (size_t i = 0; i < s->n_epochs; i++) {
        double x = left + s->epochs[i].end_day / xmax * pw;
        if (x < left || x > left + pw)
            continue;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>\n", x,
                top, x, bottom);
    }
    /* x: round days under the last panel */
    double step = svg_nice_step(xmax, 8);
    int n_ticks = (int)floor(xmax / step + 1e-9);
    for (int k = 0; k <= n_ticks; k++) {
        double t = k * step, x = left + t / xmax * pw;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/><text x=\"%.1f\" y=\"%d\" "
                "text-anchor=\"middle\" fill=\"#444\">%.*f</text>\n",
                x, bottom, x, bottom + 4, x, bottom + 17, svg_step_decimals(step), t);
    }
    fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#444\">x: days from now (0 .. %.0f); dotted lines: retargets</text>\n",
            left, h - 10, xmax);
}

typedef void (*chart_fn)(FILE *, const hj_fleet_report *);

/* mkstemp makes 0600 files; a chart gets the usual 0666 less the umask. */
static int fchmod_path_default(const char *p)
{
    mode_t u = umask(0);
    umask(u);
    return chmod(p, 0666 & ~u);
}

int fleet_write_svgs(const char *dir, bool overwrite, const hj_fleet_report *r, hj_error *err)
{
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        if (errno != ENOENT || mkdir(dir, 0777) != 0)
            return hj_fail(err, HJ_ERR_INPUT, "--svg %s: cannot create the directory: %s", dir, strerror(errno));
    } else if (!S_ISDIR(sb.st_mode)) {
        return hj_fail(err, HJ_ERR_INPUT, "--svg %s: exists and is not a directory", dir);
    }
    int n = fleet_svg_count(r);
    char path[FLEET_SVG_COUNT + 1][1024];
    for (int i = 0; i < n; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, chart_names[i]);
        if (!overwrite && access(path[i], F_OK) == 0)
            return hj_fail(err, HJ_ERR_INPUT, "--svg: %s exists; pass --overwrite to replace it (nothing was written)",
                           path[i]);
    }
    chart_fn fns[FLEET_SVG_COUNT + 1] = {chart_options, chart_breakeven, chart_sensitivity, chart_scenario,
                                         fleet_chart_projection};
    for (int i = 0; i < n; i++) {
        char tmp[1100];
        snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, chart_names[i]);
        int fd = mkstemp(tmp);
        if (fd < 0)
            return hj_fail(err, HJ_ERR_RUNTIME, "--svg: cannot create a file in %s: %s", dir, strerror(errno));
        FILE *f = fdopen(fd, "w");
        if (!f) {
            close(fd);
            unlink(tmp);
            return hj_fail(err, HJ_ERR_RUNTIME, "--svg: %s", strerror(errno));
        }
        fns[i](f, r);
        fputs("</svg>\n", f);
        bool bad = ferror(f) != 0;
        bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
        bad |= fclose(f) != 0;
        if (bad || fchmod_path_default(tmp) != 0 || rename(tmp, path[i]) != 0) {
            int e = errno;
            unlink(tmp);
            return hj_fail(err, HJ_ERR_RUNTIME, "--svg: could not write %s: %s", path[i], strerror(e));
        }
    }
    return HJ_OK;
}
