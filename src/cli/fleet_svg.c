/* `hashjoule fleet --svg DIR`: four charts as plain SVG 1.1. Each is built in
 * memory, written to a temporary file in DIR and renamed into place, so a
 * reader never sees half a chart; an existing chart is replaced only with
 * --overwrite, and the check is made for all four before any is written. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet_cli.h"

static const char *const chart_names[4] = {"options_usd_per_mwh.svg", "breakeven_by_generation.svg",
                                           "sensitivity_map.svg", "difficulty_scenario.svg"};

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static const char *kind_colour(hj_fleet_kind k)
{
    switch (k) {
    case HJ_KIND_ASIC: return "#e69f00";
    case HJ_KIND_LOCAL_CPU: return "#999999";
    case HJ_KIND_LOCAL_GPU: return "#666666";
    case HJ_KIND_AI_COLOCATION: return "#0072b2";
    case HJ_KIND_AI_GPU_CLOUD: return "#009e73";
    }
    return "#000000";
}

static void header(FILE *f, int w, int h, const char *title)
{
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n"
            "<title>",
            w, h, w, h);
    esc(f, title);
    fprintf(f,
            "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
            "<text x=\"16\" y=\"24\" font-size=\"16\" font-weight=\"bold\">",
            w, h);
    esc(f, title);
    fputs("</text>\n", f);
}

/* A "nice" axis step for a span. */
static double nice_step(double span, int ticks)
{
    double raw = span / ticks, p = pow(10, floor(log10(raw))), m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/* 1: net and revenue per option, horizontal bars. */
static void chart_options(FILE *f, const hj_fleet_report *r)
{
    size_t n = 0;
    double lo = 0, hi = 0;
    for (size_t i = 0; i < r->n_options; i++)
        if (r->options[i].available) {
            n++;
            lo = fmin(lo, r->options[i].net_usd_per_mwh);
            hi = fmax(hi, fmax(r->options[i].revenue_usd_per_mwh, r->options[i].net_usd_per_mwh));
        }
    int left = 330, right = 40, top = 70, row = 18, plot_w = 620;
    int h = top + (int)n * row + 70, w = left + plot_w + right;
    header(f, w, h, "USD per MWh of facility power, by option (net bar, revenue outline)");
    fprintf(f,
            "<text x=\"16\" y=\"44\" fill=\"#444\">hashprice $%.2f/PH/day, electricity $%.0f/MWh; net is before capex "
            "(GPU cloud carries $M per MW of GPUs)</text>\n",
            r->market.hashprice_usd_per_ph_day, r->market.electricity_usd_per_mwh);
    if (hi <= lo)
        hi = lo + 1;
    double step = nice_step(hi - lo, 6);
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
                y + 2, fmax(0, X(o->revenue_usd_per_mwh) - X(0)), row - 4, kind_colour(o->kind));
        fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", x0, y + 2, x1 - x0,
                row - 4, kind_colour(o->kind));
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, y + row - 5);
        esc(f, o->name);
        fprintf(f, "%s</text>\n", o->unverified ? " *" : "");
        line++;
    }
#undef X
    int ly = top + (int)n * row + 40;
    const hj_fleet_kind kinds[] = {HJ_KIND_ASIC, HJ_KIND_LOCAL_CPU, HJ_KIND_LOCAL_GPU, HJ_KIND_AI_COLOCATION,
                                   HJ_KIND_AI_GPU_CLOUD};
    for (int k = 0; k < 5; k++) {
        fprintf(f,
                "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n",
                16 + k * 150, ly - 10, kind_colour(kinds[k]), 32 + k * 150, ly, hj_fleet_kind_name(kinds[k]));
    }
    fprintf(f, "<text x=\"16\" y=\"%d\" fill=\"#444\">$/MWh; * = an UNVERIFIED or estimated input</text>\n", ly + 20);
}

/* 2: break-even electricity price of each ASIC against its release date. */
static void chart_breakeven(FILE *f, const hj_fleet_report *r)
{
    int w = 980, h = 560, left = 70, right = 30, top = 60, bottom = 60;
    header(f, w, h, "Break-even electricity price by ASIC generation");
    double xlo = 1e9, xhi = -1e9, yhi = r->market.electricity_usd_per_mwh;
    for (size_t i = 0; i < r->n_options; i++) {
        const hj_fleet_option *o = &r->options[i];
        if (o->kind != HJ_KIND_ASIC)
            continue;
        const hj_asic *a = &r->asics[o->source_index];
        double x = a->release_year + (a->release_month - 1) / 12.0;
        xlo = fmin(xlo, x);
        xhi = fmax(xhi, x);
        yhi = fmax(yhi, o->breakeven_electricity_usd_per_mwh);
    }
    if (xhi <= xlo)
        xhi = xlo + 1;
    xlo = floor(xlo);
    xhi = floor(xhi) + 2; /* room for the labels of the newest models */
    if (yhi <= 0)
        yhi = 1; /* nice_step needs a positive span */
    double step = nice_step(yhi, 6);
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
                PX(y), top, PX(y), top + ph, PX(y), top + ph + 16, y);
    double e = r->market.electricity_usd_per_mwh;
    fprintf(f,
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d55e00\" stroke-dasharray=\"6,4\"/>"
            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#d55e00\">electricity $%.0f/MWh</text>\n",
            left, PY(e), w - right, PY(e), w - right - 4, PY(e) - 4, e);
    /* labels: options are sorted by net (so by y); one placed near another at
     * the same date moves down until it no longer overlaps */
    double placed_x[256], placed_y[256];
    size_t n_placed = 0;
    for (size_t i = 0; i < r->n_options; i++) {
        const hj_fleet_option *o = &r->options[i];
        if (o->kind != HJ_KIND_ASIC)
            continue;
        const hj_asic *a = &r->asics[o->source_index];
        double x = PX(a->release_year + (a->release_month - 1) / 12.0), y = PY(o->breakeven_electricity_usd_per_mwh);
        bool ok = o->breakeven_electricity_usd_per_mwh > e;
        double ly = y + 3;
        for (bool moved = true; moved;) {
            moved = false;
            for (size_t j = 0; j < n_placed; j++)
                if (fabs(placed_x[j] - x) < 110 && fabs(placed_y[j] - ly) < 10) {
                    ly = placed_y[j] + 10;
                    moved = true;
                }
        }
        if (n_placed < 256) {
            placed_x[n_placed] = x;
            placed_y[n_placed++] = ly;
        }
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>", x, y, ok ? "#009e73" : "#999999");
        if (fabs(ly - y - 3) > 1)
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\"/>", x + 4, y, x + 8,
                    ly - 3);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"#333\">", x + 9, ly);
        esc(f, o->name);
        fputs("</text>\n", f);
    }
#undef PX
#undef PY
    fprintf(f,
            "<text x=\"%d\" y=\"%d\" fill=\"#444\">release date; y: $/MWh at which net = 0 (hashprice $%.2f/PH/day, "
            "pool fee %.1f%%, PUE by cooling); green = profitable now</text>\n",
            left, h - 16, r->market.hashprice_usd_per_ph_day, r->market.pool_fee_pct);
}

/* 3: the sensitivity map: best mining option per cell, coloured by its net. */
static void chart_sensitivity(FILE *f, const hj_fleet_report *r)
{
    const hj_fleet_grid *g = &r->grid;
    int cw = 150, chh = 54, left = 110, top = 90;
    int w = left + (int)g->n_electricity * cw + 30, h = top + (int)g->n_btc * chh + 90;
    header(f, w, h, "Sensitivity: BTC price x electricity price -> best ASIC per MW");
    fprintf(f, "<text x=\"16\" y=\"44\" fill=\"#444\">cell: best ASIC and its net $/MWh; below it the best option of "
               "any kind (AI options do not depend on BTC)</text>\n");
    /* the colour scale: the largest ASIC margin in the map */
    double vmax = 1;
    for (size_t i = 0; i < g->n_btc * g->n_electricity * g->n_options; i++)
        if (!isnan(g->net_usd_per_mwh[i]) && g->kinds[i % g->n_options] == HJ_KIND_ASIC)
            vmax = fmax(vmax, fabs(g->net_usd_per_mwh[i]));
    for (size_t ie = 0; ie < g->n_electricity; ie++)
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">$%.0f/MWh</text>\n", left + (int)ie * cw + cw / 2,
                top - 8, r->assumptions.grid_electricity_usd_per_mwh[ie]);
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
                esc(f, g->names[best]);
                fprintf(f, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">%+.0f</text>\n",
                        x + cw / 2, y + 32, v);
            }
            if (any != SIZE_MAX && any != best) {
                fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"9\" fill=\"#0072b2\">",
                        x + cw / 2, y + 46);
                esc(f, g->names[any]);
                fprintf(f, " %+.0f</text>\n", g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, any)]);
            }
        }
    }
    fprintf(f,
            "<text x=\"16\" y=\"%d\" fill=\"#444\">difficulty %.4g T, fees %.3g BTC/block, pool fee %.1f%%; net "
            "before capex</text>\n",
            h - 20, r->market.difficulty / 1e12, r->market.fees_btc_per_block, r->market.pool_fee_pct);
}

/* One line panel of the scenario chart. */
static void panel(FILE *f, const hj_exit_scenario *s, int top, int height, int left, int pw, const char *label,
                  const char *colour, double (*get)(const hj_day_row *))
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
    double pad = (hi - lo) * 0.1 + fabs(hi) * 0.01 + 1e-9;
    lo -= pad;
    hi += pad;
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#ccc\"/>\n", left, top, pw,
            height);
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", left, top - 6);
    esc(f, label);
    fprintf(f,
            "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#444\">%.4g</text><text x=\"%d\" y=\"%d\" "
            "text-anchor=\"end\" fill=\"#444\">%.4g</text>\n",
            left - 6, top + 10, hi, left - 6, top + height, lo);
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", colour);
    double xmax = s->n_days > 1 ? s->days[s->n_days - 1].day : 1;
    for (size_t i = 0; i < s->n_days; i++) {
        double v = get(&s->days[i]);
        if (isnan(v))
            continue;
        fprintf(f, "%.1f,%.1f ", left + s->days[i].day / xmax * pw, top + height - (v - lo) / (hi - lo) * height);
    }
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
    int w = 980, left = 80, pw = 860, ph = 120, gap = 50, top = 80;
    int h = top + 4 * (ph + gap) + 30;
    char title[256];
    snprintf(title, sizeof title, "Difficulty feedback: %.3g%% of hashrate leaves for AI over %.3g days", s->exit_pct,
             s->exit_days);
    header(f, w, h, title);
    fprintf(f,
            "<text x=\"16\" y=\"44\" fill=\"#444\">2016-block retargets, Core's 1/4..4x clamp; BTC $%.0f -> $%.0f "
            "over %.3g days; x: days</text>\n",
            s->btc_price_start_usd, s->btc_price_end_usd, s->horizon_days);
    panel(f, s, top, ph, left, pw, "network hashrate, EH/s", "#0072b2", g_hashrate);
    panel(f, s, top + (ph + gap), ph, left, pw, "difficulty, T", "#d55e00", g_difficulty);
    panel(f, s, top + 2 * (ph + gap), ph, left, pw, "mean block time, minutes (per day)", "#cc79a7", g_block);
    panel(f, s, top + 3 * (ph + gap), ph, left, pw, "hashprice for those who stay, $/PH/day", "#009e73", g_hashprice);
    double xmax = s->n_days > 1 ? s->days[s->n_days - 1].day : 1;
    for (size_t i = 0; i < s->n_epochs; i++) {
        double x = left + s->epochs[i].end_day / xmax * pw;
        if (x < left || x > left + pw)
            continue;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>\n", x,
                top, x, top + 4 * (ph + gap) - gap);
    }
    fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#444\">dotted lines: retargets; day 0 .. %.0f</text>\n", left, h - 10,
            xmax);
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
    char path[4][1024];
    for (int i = 0; i < 4; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, chart_names[i]);
        if (!overwrite && access(path[i], F_OK) == 0)
            return hj_fail(err, HJ_ERR_INPUT, "--svg: %s exists; pass --overwrite to replace it (nothing was written)",
                           path[i]);
    }
    chart_fn fns[4] = {chart_options, chart_breakeven, chart_sensitivity, chart_scenario};
    for (int i = 0; i < 4; i++) {
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
