/* Drawing helpers shared by the `fleet --svg` charts (private to src/cli):
 * escaping, colours by kind, text widths and boxes for label placement, the
 * chart header, round axis steps and legend entries. */
#ifndef HJ_SVG_DRAW_H
#define HJ_SVG_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hashjoule/fleet.h"

typedef struct svg_box {
    double x0, y0, x1, y1;
} svg_box;

/* Text with XML's special characters escaped. */
void svg_esc(FILE *f, const char *s);

/* The fill colour of an option kind, the same in every chart. */
const char *svg_kind_colour(hj_fleet_kind k);

/* Label placement needs the width a text takes: an upper bound for DejaVu
 * Sans (the model is described in svg_draw.c; tests/fleet/test_fleet_svg.py
 * checks the charts with the same one). */
double svg_text_w(const char *s, double font_size, bool bold);

/* s, cut and ended with "..." when wider than max_w (into out). */
const char *svg_fit(char *out, size_t cap, const char *s, double max_w, double font_size, bool bold);

svg_box svg_text_box(double x, double y, const char *s, double font_size, bool bold,
                     int anchor /* -1 start, 0, 1 end */);

/* The box of a text at (x, y) with its anchor; whether two boxes overlap. */
bool svg_overlaps(svg_box a, svg_box b);

/* The width a chart needs for its title (16 bold) and subtitle (12) at x = 16. */
int svg_width_for(int w, const char *title, const char *subtitle);

/* The SVG element, background, title and subtitle of a w x h chart. */
void svg_header(FILE *f, int w, int h, const char *title, const char *subtitle);

/* A "nice" axis step for a span. */
double svg_nice_step(double span, int ticks);

/* Decimals a tick label of this step needs. */
int svg_step_decimals(double step);

/* A legend entry: a swatch and its label at (*x, y); *x moves past it. */
void svg_legend_item(FILE *f, double *x, int y, const char *colour, const char *label, bool dot);

#endif
