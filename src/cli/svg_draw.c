/* Drawing helpers shared by the `fleet --svg` charts (svg_draw.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "svg_draw.h"

void svg_esc(FILE *f, const char *s)
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

const char *svg_kind_colour(hj_fleet_kind k)
{
    switch (k) {
    case HJ_KIND_ASIC: return "#e69f00";
    case HJ_KIND_LOCAL_CPU: return "#999999";
    case HJ_KIND_LOCAL_GPU: return "#666666";
    case HJ_KIND_AI_COLOCATION: return "#0072b2";
    case HJ_KIND_AI_GPU_CLOUD: return "#009e73";
    case HJ_KIND_OPERATOR_FLEET: return "#cc79a7";
    case HJ_KIND_GPU_MINING_MODELED: return "#d55e00";
    }
    return "#000000";
}

/* ---- text boxes -------------------------------------------------------------
 * Label placement needs the width a text takes. The charts name "DejaVu Sans"
 * first (Arial, the fallback, is narrower), so widths are an upper bound on
 * DejaVu Sans' advance widths per class of character, in em: narrow glyphs
 * (i j l f t r I space . , : ; ' ( ) [ ] / - |) 0.42; m w M W % @ 1.0;
 * + = < > # & ~ 0.84; other capitals 0.8; everything else (lower case,
 * digits, $) 0.64; bold is 1.12 times wider. A text's box runs from 0.8 em
 * above its baseline to 0.25 em below it. tests/fleet/test_fleet_svg.py
 * checks the charts with the same model. */
static double char_em(unsigned char c)
{
    if (strchr("ijlftrI .,:;'()[]/-|!", c))
        return 0.42;
    if (strchr("mwMW%@", c))
        return 1.0;
    if (strchr("+=<>#&~", c))
        return 0.84;
    if (c >= 'A' && c <= 'Z')
        return 0.8;
    return 0.64;
}

double svg_text_w(const char *s, double font_size, bool bold)
{
    double em = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) /* one per UTF-8 character */
            em += char_em((unsigned char)*s);
    return em * font_size * (bold ? 1.12 : 1.0);
}

/* s, cut and ended with "..." when wider than max_w */
const char *svg_fit(char *out, size_t cap, const char *s, double max_w, double font_size, bool bold)
{
    snprintf(out, cap, "%s", s);
    size_t n = strlen(out);
    while (n > 0 && svg_text_w(out, font_size, bold) > max_w) {
        do
            n--;
        while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80);
        if (n + 4 > cap)
            continue;
        memcpy(out + n, "...", 4);
    }
    return out;
}

svg_box svg_text_box(double x, double y, const char *s, double font_size, bool bold,
                     int anchor /* -1 start, 0, 1 end */)
{
    double w = svg_text_w(s, font_size, bold);
    double x0 = anchor < 0 ? x : anchor == 0 ? x - w / 2 : x - w;
    return (svg_box){x0, y - 0.8 * font_size, x0 + w, y + 0.25 * font_size};
}

bool svg_overlaps(svg_box a, svg_box b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

/* The width a chart needs for its title (16 bold) and subtitle (12) at x = 16. */
int svg_width_for(int w, const char *title, const char *subtitle)
{
    double need = 16 + fmax(svg_text_w(title, 16, true), subtitle ? svg_text_w(subtitle, 12, false) : 0) + 16;
    return need > w ? (int)ceil(need) : w;
}

void svg_header(FILE *f, int w, int h, const char *title, const char *subtitle)
{
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n"
            "<title>",
            w, h, w, h);
    svg_esc(f, title);
    fprintf(f,
            "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
            "<text x=\"16\" y=\"24\" font-size=\"16\" font-weight=\"bold\">",
            w, h);
    svg_esc(f, title);
    fputs("</text>\n", f);
    if (subtitle) {
        fputs("<text x=\"16\" y=\"44\" fill=\"#444\">", f);
        svg_esc(f, subtitle);
        fputs("</text>\n", f);
    }
}

/* A "nice" axis step for a span. */
double svg_nice_step(double span, int ticks)
{
    double raw = span / ticks, p = pow(10, floor(log10(raw))), m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/* Decimals a tick label of this step needs. */
int svg_step_decimals(double step) { return step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9); }

/* A legend entry: a swatch and its label at (*x, y); *x moves past it. */
void svg_legend_item(FILE *f, double *x, int y, const char *colour, const char *label, bool dot)
{
    if (dot)
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\"/>", *x + 6, y - 4, colour);
    else
        fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", *x, y - 10, colour);
    fprintf(f, "<text x=\"%.1f\" y=\"%d\">", *x + 16, y);
    svg_esc(f, label);
    fputs("</text>\n", f);
    *x += 16 + svg_text_w(label, 12, false) + 24;
}
