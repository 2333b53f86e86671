/* The projection's two CSV inputs: a BTC price path (month,usd[,fees]) and
 * hourly power prices. Both are read line by line; '#' starts a comment, a
 * first line none of whose columns is or starts like a number is a header;
 * every data line
 * has the first one's columns. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/parse.h"
#include "hashjoule/projection.h"

#define MAX_FIELDS 8
#define MAX_POWER_PRICES 10000000 /* more than a thousand years of hours */

/* Split one line (modified in place) into trimmed comma-separated fields;
 * returns the count, 0 for a blank or comment line. */
static int split(char *line, char **field)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    int n = 0;
    char *s = line;
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        while (isspace((unsigned char)*s))
            s++;
        char *e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (n < MAX_FIELDS)
            field[n] = s;
        n++;
        if (!comma)
            break;
        s = comma + 1;
    }
    return n == 1 && field[0][0] == '\0' ? 0 : n;
}

static bool is_number(const char *s)
{
    char *end;
    (void)strtod(s, &end);
    return end != s && *end == '\0';
}

/* Calls `row` for every data line; the header, blank and comment lines are
 * skipped. */
typedef hj_status (*row_fn)(char **field, int n, const char *what, void *arg, hj_error *err);

/* The header's names, when the file has one: NULL accepts any names. */
static hj_status each_row(const char *text, size_t len, const char *file, const char *const *header_names, row_fn row,
                          void *arg, hj_error *err)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    memcpy(copy, text, len);
    copy[len] = '\0';
    if (strlen(copy) != len) {
        free(copy);
        return hj_fail(err, HJ_ERR_INPUT, "%s: contains a NUL byte; expected a CSV text file", file);
    }
    hj_status st = HJ_OK;
    bool first = true;
    int columns = 0; /* of the header, or else of the first data line */
    bool first_was_header = false;
    size_t line_no = 0;
    char *save = NULL;
    for (char *line = copy; line && st == HJ_OK; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        line_no++;
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[l - 1] = '\0';
        /* before split() cuts the line at its commas and comments */
        char *hash = strchr(line, '#');
        char *semicolon = strchr(line, ';');
        const char *text_line_semicolon = semicolon && (!hash || semicolon < hash) ? ";" : "";
        char *field[MAX_FIELDS];
        int n = split(line, field);
        if (n == 0)
            continue;
        if (n > MAX_FIELDS) {
            st = hj_fail(err, HJ_ERR_INPUT, "%s line %zu: %d columns; expected at most %d", file, line_no, n,
                         MAX_FIELDS);
            break;
        }
        if (strchr(text_line_semicolon, ';') != NULL) {
            st =
                hj_fail(err, HJ_ERR_INPUT,
                        "%s line %zu: a semicolon; expected comma-separated columns and decimal points", file, line_no);
            break;
        }
        /* a header has names only: no column is, or starts like, a number */
        bool any_number = false;
        for (int i = 0; i < n; i++)
            any_number |= is_number(field[i]) || (field[i][0] && strchr("0123456789+-.", field[i][0]));
        if (first && !any_number) {
            first = false;
            first_was_header = true;
            columns = n; /* the data lines have the header's columns */
            for (int i = 0; header_names && i < n; i++)
                if (!header_names[i] || strcmp(field[i], header_names[i]) != 0) {
                    st = hj_fail(err, HJ_ERR_INPUT, "%s line %zu: header column %d is '%s'; expected %s", file, line_no,
                                 i + 1, field[i], header_names[i] ? header_names[i] : "no more columns");
                    break;
                }
            continue;
        }
        first = false;
        if (columns && n != columns) {
            st = hj_fail(err, HJ_ERR_INPUT,
                         "%s line %zu: %d columns where the %s has %d (a thousands separator or a decimal comma?)",
                         file, line_no, n, first_was_header ? "header" : "first data line", columns);
            break;
        }
        columns = n;
        char what[4200];
        snprintf(what, sizeof what, "%s line %zu", file, line_no);
        st = row(field, n, what, arg, err);
    }
    free(copy);
    return st;
}

typedef struct path_rows {
    int month[HJ_PROJECTION_MAX_MONTHS + 1];
    double usd[HJ_PROJECTION_MAX_MONTHS + 1];
    double fees[HJ_PROJECTION_MAX_MONTHS + 1];
    int n;
    int columns; /* 2 or 3, fixed by the first row */
} path_rows;

static hj_status path_row(char **f, int n, const char *what, void *arg, hj_error *err)
{
    path_rows *p = arg;
    if (n != 2 && n != 3)
        return hj_fail(err, HJ_ERR_INPUT, "%s: %d columns; expected month,usd or month,usd,fees_btc_per_block", what,
                       n);
    if (p->n && n != p->columns)
        return hj_fail(err, HJ_ERR_INPUT, "%s: %d columns where the first row has %d", what, n, p->columns);
    if (p->n > HJ_PROJECTION_MAX_MONTHS)
        return hj_fail(err, HJ_ERR_INPUT, "%s: more than %d rows (one a month at most, months 0..%d)", what,
                       HJ_PROJECTION_MAX_MONTHS + 1, HJ_PROJECTION_MAX_MONTHS);
    char label[4300];
    uint64_t month;
    snprintf(label, sizeof label, "%s, month", what);
    if (hj_parse_u64(f[0], label, 0, HJ_PROJECTION_MAX_MONTHS, &month, err))
        return HJ_ERR_INPUT;
    if (p->n && (int)month <= p->month[p->n - 1])
        return hj_fail(err, HJ_ERR_INPUT, "%s: month %d after month %d; months must increase", what, (int)month,
                       p->month[p->n - 1]);
    snprintf(label, sizeof label, "%s, usd", what);
    if (hj_parse_double(f[1], label, 0.01, 1e9, &p->usd[p->n], err))
        return HJ_ERR_INPUT;
    p->fees[p->n] = NAN;
    snprintf(label, sizeof label, "%s, fees_btc_per_block", what);
    if (n == 3 && hj_parse_double(f[2], label, 0, 1000, &p->fees[p->n], err))
        return HJ_ERR_INPUT;
    p->month[p->n] = (int)month;
    p->columns = n;
    p->n++;
    return HJ_OK;
}

/* Linear between the given months, held after the last. */
static void interpolate(const int *month, const double *v, int n, double *out, int months)
{
    for (int i = 0; i <= months; i++) {
        int j = 0;
        while (j < n && month[j] < i)
            j++;
        if (j == n)
            out[i] = v[n - 1];
        else if (month[j] == i || j == 0)
            out[i] = v[j];
        else
            out[i] = v[j - 1] + (v[j] - v[j - 1]) * (i - month[j - 1]) / (double)(month[j] - month[j - 1]);
    }
}

hj_status hj_projection_parse_price_path(const char *text, size_t len, const char *file, int months,
                                         double snapshot_price_usd, double snapshot_fees_btc, double *price_usd,
                                         double *fees_btc, bool *has_fees, hj_error *err)
{
    path_rows *p = calloc(1, sizeof *p);
    if (!p)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    static const char *const names[] = {"month", "usd", "fees_btc_per_block", NULL};
    hj_status st = each_row(text, len, file, names, path_row, p, err);
    if (st == HJ_OK && p->n == 0)
        st = hj_fail(err, HJ_ERR_INPUT, "%s: no rows; expected month,usd lines (e.g. 12,100000)", file);
    if (st == HJ_OK) {
        /* month 0 is the snapshot unless the path gives it */
        if (p->month[0] != 0) {
            memmove(p->month + 1, p->month, (size_t)p->n * sizeof p->month[0]);
            memmove(p->usd + 1, p->usd, (size_t)p->n * sizeof p->usd[0]);
            memmove(p->fees + 1, p->fees, (size_t)p->n * sizeof p->fees[0]);
            p->month[0] = 0;
            p->usd[0] = snapshot_price_usd;
            p->fees[0] = snapshot_fees_btc;
            p->n++;
        }
        interpolate(p->month, p->usd, p->n, price_usd, months);
        *has_fees = p->columns == 3;
        if (*has_fees) {
            if (isnan(p->fees[0]))
                p->fees[0] = snapshot_fees_btc;
            interpolate(p->month, p->fees, p->n, fees_btc, months);
        }
    }
    free(p);
    return st;
}

typedef struct power_rows {
    double *v;
    size_t n, cap;
} power_rows;

static hj_status power_row(char **f, int n, const char *what, void *arg, hj_error *err)
{
    power_rows *p = arg;
    if (p->n >= MAX_POWER_PRICES)
        return hj_fail(err, HJ_ERR_INPUT, "%s: more than %d hourly prices", what, MAX_POWER_PRICES);
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        double *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        p->v = v;
        p->cap = cap;
    }
    char label[4300];
    snprintf(label, sizeof label, "%s, price in USD/MWh", what);
    /* the price is the last column (a timestamp may come first); negative
     * prices happen on real markets */
    if (hj_parse_double(f[n - 1], label, -10000, 100000, &p->v[p->n], err))
        return HJ_ERR_INPUT;
    p->n++;
    return HJ_OK;
}

hj_status hj_projection_parse_power_prices(const char *text, size_t len, const char *file, double **prices, size_t *n,
                                           hj_error *err)
{
    power_rows p = {0};
    hj_status st = each_row(text, len, file, NULL, power_row, &p, err);
    if (st == HJ_OK && p.n == 0)
        st = hj_fail(err, HJ_ERR_INPUT, "%s: no prices; expected one hourly price in USD/MWh a line", file);
    if (st) {
        free(p.v);
        return st;
    }
    *prices = p.v;
    *n = p.n;
    return HJ_OK;
}
