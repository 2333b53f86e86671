/* The operator's own fleet (fleet --fleet FILE): the CSV and JSON readers,
 * the checks of each row against the ASIC table, the sums per site and in
 * total at the market's hashprice, and the fleet as one option. */
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hashjoule/fleet.h"
#include "hashjoule/input_file.h"
#include "hashjoule/operator_fleet.h"
#include "hashjoule/parse.h"
#include "json_util.h"
#include "model_internal.h"
#include "run_internal.h"

#define HOURS_PER_YEAR 8760.0
#define TEXT_MAX 256      /* a cell or a JSON string, as read */
#define CSV_MAX_FIELDS 32 /* more than there are fields: an error either way */

/* The fields of a row, in the order docs/fleet.md lists them. */
enum {
    F_MODEL,
    F_NAME,
    F_UNITS,
    F_HASHRATE,
    F_POWER,
    F_SITE,
    F_SITE_PUE,
    F_SITE_ELECTRICITY,
    F_SITE_CAPACITY,
    F_COUNT
};
static const char *const field_names[F_COUNT + 1] = {"model",
                                                     "name",
                                                     "units",
                                                     "hashrate_ths",
                                                     "power_w",
                                                     "site",
                                                     "site_pue",
                                                     "site_electricity_usd_per_mwh",
                                                     "site_capacity_mw",
                                                     NULL};
#define FIELD_LIST \
    "model, name, units, hashrate_ths, power_w, site, site_pue, site_electricity_usd_per_mwh, site_capacity_mw"

static bool is_text_field(int f) { return f == F_MODEL || f == F_NAME || f == F_SITE; }

/* A row as read from either format, before the checks: each field absent,
 * text, or a finite number. */
typedef struct raw_row {
    hj_jctx c; /* "FILE: row N (line L, NAME)" */
    bool has[F_COUNT];
    char text[F_COUNT][TEXT_MAX];
    double num[F_COUNT];
} raw_row;

/* The row's name in messages: "row 3 (line 4, Antminer S21 XP)". */
static void row_context(raw_row *r, const char *file, size_t row, size_t line)
{
    const char *who = r->has[F_MODEL] ? r->text[F_MODEL] : r->has[F_NAME] ? r->text[F_NAME] : "";
    r->c.file = file;
    if (line)
        snprintf(r->c.row, sizeof r->c.row, "row %zu (line %zu%s%.100s)", row, line, *who ? ", " : "", who);
    else if (*who)
        snprintf(r->c.row, sizeof r->c.row, "row %zu (%.100s)", row, who);
    else
        snprintf(r->c.row, sizeof r->c.row, "row %zu", row);
}

/* ---- the checks, common to both formats ---- */

typedef struct builder {
    const char *file;
    const hj_asic *asics;
    size_t n_asics;
    hj_operator_fleet *f;
    size_t cap_rows, cap_sites;
} builder;

/* Case-insensitive edit distance of two short strings (at most TEXT_MAX). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na >= TEXT_MAX || nb >= TEXT_MAX)
        return SIZE_MAX;
    size_t prev[TEXT_MAX], cur[TEXT_MAX];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            cur[j] = best;
        }
        memcpy(prev, cur, (nb + 1) * sizeof prev[0]);
    }
    return prev[nb];
}

static bool contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return false;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* Up to three models of the table closest to `given`: those that contain it
 * first, then by edit distance (within a third of its length, at least 2). */
static void closest_models(const builder *b, const char *given, char *out, size_t cap)
{
    size_t best[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX}, score[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
    size_t limit = strlen(given) / 3 > 2 ? strlen(given) / 3 : 2;
    for (size_t i = 0; i < b->n_asics; i++) {
        size_t d = edit_distance(given, b->asics[i].model);
        if (contains_nocase(b->asics[i].model, given))
            d = 0; /* "S21 XP" names "Antminer S21 XP": better than any distance */
        else if (d == SIZE_MAX || d > limit)
            continue;
        else
            d += 1;
        for (int k = 0; k < 3; k++)
            if (d < score[k]) {
                for (int j = 2; j > k; j--) {
                    score[j] = score[j - 1];
                    best[j] = best[j - 1];
                }
                score[k] = d;
                best[k] = i;
                break;
            }
    }
    out[0] = '\0';
    size_t used = 0;
    for (int k = 0; k < 3 && best[k] != SIZE_MAX && used < cap; k++)
        used += (size_t)snprintf(out + used, cap - used, "%s'%s'", k ? ", " : "", b->asics[best[k]].model);
}

static hj_operator_fleet_site *find_site(builder *b, const char *name, size_t row, hj_error *err)
{
    hj_operator_fleet *f = b->f;
    for (size_t i = 0; i < f->n_sites; i++)
        if (strcmp(f->sites[i].name, name) == 0)
            return &f->sites[i];
    if (f->n_sites == b->cap_sites) {
        size_t cap = b->cap_sites ? 2 * b->cap_sites : 4;
        hj_operator_fleet_site *s = realloc(f->sites, cap * sizeof *s);
        if (!s) {
            hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
            return NULL;
        }
        f->sites = s;
        b->cap_sites = cap;
    }
    hj_operator_fleet_site *s = &f->sites[f->n_sites++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->pue = s->electricity_usd_per_mwh = s->capacity_mw = NAN;
    s->first_row = row;
    return s;
}

/* A site field of this row: in range, and equal to what an earlier row of
 * the site stated. */
static hj_status site_field(const raw_row *r, int field, double min, double max, const char *site, double *value,
                            size_t *stated_row, size_t row, hj_error *err)
{
    if (!r->has[field])
        return HJ_OK;
    double v = r->num[field];
    if (v < min || v > max)
        return hj_jfail(&r->c, field_names[field], err, "%g is out of range; expected %g..%g", v, min, max);
    if (*stated_row && v != *value)
        return hj_jfail(&r->c, field_names[field], err, "%g disagrees with %g given for site '%s' on row %zu", v,
                        *value, *site ? site : "(no site)", *stated_row);
    if (!*stated_row) {
        *value = v;
        *stated_row = row;
    }
    return HJ_OK;
}

/* A per-unit figure: > 0 and at most max. */
static hj_status per_unit(const raw_row *r, int field, double max, hj_error *err)
{
    if (r->has[field] && !(r->num[field] > 0 && r->num[field] <= max))
        return hj_jfail(&r->c, field_names[field], err, "%g is not a positive number up to %g (per unit)",
                        r->num[field], max);
    return HJ_OK;
}

/* One row as read: checked, resolved against the table, added to its site. */
static hj_status add_row(builder *b, const raw_row *c, hj_error *err)
{
    hj_operator_fleet *f = b->f;
    size_t row = f->n_rows + 1;
    if (c->has[F_MODEL] && c->has[F_NAME])
        return hj_jfail(&c->c, "name", err,
                        "a row has model (an ASIC of the table) or name (a miner of your own), not both");
    if (!c->has[F_MODEL] && !c->has[F_NAME])
        return hj_jfail(&c->c, "model", err,
                        "missing; give model (an ASIC of the table) or name (a miner of your own, with hashrate_ths "
                        "and power_w)");
    const char *who = c->has[F_MODEL] ? c->text[F_MODEL] : c->text[F_NAME];
    if (strlen(who) >= HJ_FLEET_NAME_MAX)
        return hj_jfail(&c->c, c->has[F_MODEL] ? "model" : "name", err, "is %zu characters long; at most %d allowed",
                        strlen(who), HJ_FLEET_NAME_MAX - 1);
    if (!c->has[F_UNITS])
        return hj_jfail(&c->c, "units", err, "missing; expected a whole number of miners > 0");
    double units = c->num[F_UNITS];
    if (units != floor(units))
        return hj_jfail(&c->c, "units", err, "%g is not a whole number of miners", units);
    if (units <= 0 || units > (double)HJ_OPERATOR_FLEET_MAX_UNITS)
        return hj_jfail(&c->c, "units", err, "%g is out of range; expected a whole number of miners, 1..%llu", units,
                        (unsigned long long)HJ_OPERATOR_FLEET_MAX_UNITS);
    hj_status st;
    if ((st = per_unit(c, F_HASHRATE, 1e6, err)) || (st = per_unit(c, F_POWER, 1e7, err)))
        return st;
    const char *site = c->has[F_SITE] ? c->text[F_SITE] : "";
    if (strlen(site) >= HJ_OPERATOR_FLEET_SITE_MAX)
        return hj_jfail(&c->c, "site", err, "is %zu characters long; at most %d allowed", strlen(site),
                        HJ_OPERATOR_FLEET_SITE_MAX - 1);

    hj_operator_fleet_row out;
    memset(&out, 0, sizeof out);
    out.row = row;
    out.units = (uint64_t)units;
    snprintf(out.name, sizeof out.name, "%s", who);
    out.asic_index = SIZE_MAX;
    if (c->has[F_MODEL]) {
        for (size_t i = 0; i < b->n_asics && out.asic_index == SIZE_MAX; i++)
            if (strcmp(b->asics[i].model, who) == 0)
                out.asic_index = i;
        if (out.asic_index == SIZE_MAX) {
            char near[400];
            closest_models(b, who, near, sizeof near);
            return hj_jfail(&c->c, "model", err,
                            "'%s' is not a model of the ASIC table%s%s; for a miner of your own give name, "
                            "hashrate_ths and power_w instead",
                            who, near[0] ? "; closest: " : "", near);
        }
        const hj_asic *a = &b->asics[out.asic_index];
        out.hashrate_ths = a->hashrate_ths;
        out.power_w = a->power_w;
        snprintf(out.cooling, sizeof out.cooling, "%s", a->cooling);
        f->unverified |= a->unverified;
    } else {
        out.custom = true;
        if (!c->has[F_HASHRATE] || !c->has[F_POWER])
            return hj_jfail(&c->c, c->has[F_HASHRATE] ? "power_w" : "hashrate_ths", err,
                            "missing; a row with name (a miner not in the ASIC table) needs hashrate_ths and power_w "
                            "per unit");
        snprintf(out.cooling, sizeof out.cooling, "air");
    }
    if (c->has[F_HASHRATE]) {
        out.hashrate_ths = c->num[F_HASHRATE];
        out.hashrate_from_file = true;
    }
    if (c->has[F_POWER]) {
        out.power_w = c->num[F_POWER];
        out.power_from_file = true;
    }

    hj_operator_fleet_site *s = find_site(b, site, row, err);
    if (!s)
        return HJ_ERR_RUNTIME;
    if ((st = site_field(c, F_SITE_PUE, 1, 5, site, &s->pue, &s->pue_row, row, err)) ||
        (st = site_field(c, F_SITE_ELECTRICITY, 0, 10000, site, &s->electricity_usd_per_mwh, &s->electricity_row, row,
                         err)) ||
        (st = site_field(c, F_SITE_CAPACITY, 1e-6, 1e6, site, &s->capacity_mw, &s->capacity_row, row, err)))
        return st;
    out.site = (size_t)(s - f->sites);

    if (f->n_rows == b->cap_rows) {
        size_t cap = b->cap_rows ? 2 * b->cap_rows : 8;
        hj_operator_fleet_row *rows = realloc(f->rows, cap * sizeof *rows);
        if (!rows)
            return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        f->rows = rows;
        b->cap_rows = cap;
    }
    f->rows[f->n_rows++] = out;
    return HJ_OK;
}

/* ---- CSV ---- */

typedef struct csv_reader {
    const char *p, *end;
    size_t line; /* of the next character */
} csv_reader;

static bool blank_char(char ch) { return ch == ' ' || ch == '\t'; }

/* Past the end of the line at p (\n, \r\n or \r). */
static void csv_newline(csv_reader *s)
{
    if (s->p < s->end && *s->p == '\r')
        s->p++;
    if (s->p < s->end && *s->p == '\n')
        s->p++;
    s->line++;
}

/* The next record's cells (unquoted, blanks around them trimmed) and the
 * line it starts on; *n = 0 at the end. Blank lines and lines whose first
 * character is '#' are skipped (and the caller skips records of empty cells). */
static hj_status csv_record(csv_reader *s, const char *file, char (*cells)[TEXT_MAX], size_t *n, size_t *line,
                            hj_error *err)
{
    *n = 0;
    for (;;) {
        const char *q = s->p;
        while (q < s->end && blank_char(*q))
            q++;
        if (q >= s->end) {
            s->p = s->end;
            return HJ_OK;
        }
        if (*q != '\r' && *q != '\n' && *q != '#')
            break;
        while (q < s->end && *q != '\r' && *q != '\n')
            q++;
        s->p = q;
        csv_newline(s);
    }
    *line = s->line;
    for (;;) {
        if (*n == CSV_MAX_FIELDS)
            return hj_fail(err, HJ_ERR_INPUT, "%s: line %zu: more than %d fields", file, *line, CSV_MAX_FIELDS);
        char *cell = cells[*n];
        size_t len = 0;
        while (s->p < s->end && blank_char(*s->p))
            s->p++;
        if (s->p < s->end && *s->p == '"') {
            size_t opened = s->line;
            s->p++;
            for (;;) {
                if (s->p >= s->end)
                    return hj_fail(err, HJ_ERR_INPUT, "%s: line %zu: a quoted field is not closed", file, opened);
                char ch = *s->p++;
                if (ch == '"') {
                    if (s->p < s->end && *s->p == '"')
                        s->p++;
                    else
                        break;
                } else if (ch == '\n' || (ch == '\r' && (s->p >= s->end || *s->p != '\n'))) {
                    s->line++;
                }
                if (len + 1 >= TEXT_MAX)
                    return hj_fail(err, HJ_ERR_INPUT, "%s: line %zu: a field is longer than %d characters", file,
                                   s->line, TEXT_MAX - 1);
                cell[len++] = ch;
            }
            while (s->p < s->end && blank_char(*s->p))
                s->p++;
            if (s->p < s->end && *s->p != ',' && *s->p != '\r' && *s->p != '\n')
                return hj_fail(err, HJ_ERR_INPUT, "%s: line %zu: text after a closing quote (quote a whole field)",
                               file, s->line);
        } else {
            while (s->p < s->end && *s->p != ',' && *s->p != '\r' && *s->p != '\n') {
                if (len + 1 >= TEXT_MAX)
                    return hj_fail(err, HJ_ERR_INPUT, "%s: line %zu: a field is longer than %d characters", file,
                                   s->line, TEXT_MAX - 1);
                cell[len++] = *s->p++;
            }
            while (len > 0 && blank_char(cell[len - 1]))
                len--;
        }
        cell[len] = '\0';
        (*n)++;
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->end)
            csv_newline(s);
        return HJ_OK;
    }
}

/* The length of the UTF-8 sequence at s (at most n bytes), 0 if it is not one. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    size_t k = s[0] < 0x80                    ? 1
               : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
               : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                              : 0;
    if (k == 0 || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return k;
}

/* A CSV is text in UTF-8 (as JSON is): the line of the first byte that is not. */
static hj_status check_utf8(const char *file, const char *text, size_t len, hj_error *err)
{
    size_t line = 1;
    for (size_t i = 0; i < len;) {
        size_t k = utf8_sequence((const unsigned char *)text + i, len - i);
        if (k == 0)
            return hj_fail(err, HJ_ERR_INPUT, "%s: line %zu: byte 0x%02x is not UTF-8; save the file as UTF-8 text",
                           file, line, (unsigned char)text[i]);
        line += text[i] == '\n';
        i += k;
    }
    return HJ_OK;
}

static hj_status parse_csv(builder *b, const char *text, size_t len, hj_error *err)
{
    const char *file = b->file;
    hj_status checked = check_utf8(file, text, len, err);
    if (checked != HJ_OK)
        return checked;
    csv_reader s = {text, text + len, 1};
    char(*cells)[TEXT_MAX] = malloc(CSV_MAX_FIELDS * sizeof *cells);
    raw_row *r = malloc(sizeof *r);
    hj_status st = HJ_OK;
    if (!cells || !r) {
        st = hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        goto done;
    }
    size_t n, line = 0, row = 0;
    if ((st = csv_record(&s, file, cells, &n, &line, err)))
        goto done;
    if (n == 0) {
        st = hj_fail(err, HJ_ERR_INPUT, "%s: no header row; expected CSV with a header of: %s (or a JSON object)", file,
                     FIELD_LIST);
        goto done;
    }
    int column[CSV_MAX_FIELDS];
    size_t n_columns = n;
    bool seen[F_COUNT] = {false};
    for (size_t i = 0; i < n_columns; i++) {
        column[i] = -1;
        for (int k = 0; k < F_COUNT && column[i] < 0; k++)
            if (strcmp(cells[i], field_names[k]) == 0)
                column[i] = k;
        if (column[i] < 0) {
            st = hj_fail(err, HJ_ERR_INPUT,
                         "%s: line %zu (the header), column %zu '%.60s': unknown column; expected a header row of: %s",
                         file, line, i + 1, cells[i], FIELD_LIST);
            goto done;
        }
        if (seen[column[i]]) {
            st = hj_fail(err, HJ_ERR_INPUT, "%s: line %zu (the header): column '%s' appears twice", file, line,
                         cells[i]);
            goto done;
        }
        seen[column[i]] = true;
    }
    if (!seen[F_UNITS] || (!seen[F_MODEL] && !seen[F_NAME])) {
        st = hj_fail(err, HJ_ERR_INPUT,
                     "%s: line %zu (the header): no '%s' column; a fleet needs units and model (or "
                     "name) on every row",
                     file, line, seen[F_UNITS] ? "model" : "units");
        goto done;
    }
    for (;;) {
        if ((st = csv_record(&s, file, cells, &n, &line, err)))
            goto done;
        if (n == 0)
            break;
        bool empty = true; /* ",,,,": a spreadsheet's empty row */
        for (size_t i = 0; i < n && empty; i++)
            empty = cells[i][0] == '\0';
        if (empty)
            continue;
        row++;
        memset(r, 0, sizeof *r);
        for (size_t i = 0; i < n && i < n_columns; i++)
            if (is_text_field(column[i]) && cells[i][0]) {
                r->has[column[i]] = true;
                memcpy(r->text[column[i]], cells[i], TEXT_MAX);
            }
        row_context(r, file, row, line);
        if (n != n_columns) {
            st = hj_jfail(&r->c, NULL, err, "%zu fields, the header has %zu", n, n_columns);
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            int k = column[i];
            if (is_text_field(k) || !cells[i][0])
                continue;
            char what[300];
            snprintf(what, sizeof what, "%s: %s, field \"%s\"", file, r->c.row, field_names[k]);
            if ((st = hj_parse_double(cells[i], what, -DBL_MAX, DBL_MAX, &r->num[k], err)))
                goto done;
            r->has[k] = true;
        }
        if ((st = add_row(b, r, err)))
            goto done;
    }
done:
    free(cells);
    free(r);
    return st;
}

/* ---- JSON ---- */

static hj_status parse_json(builder *b, const char *text, size_t len, hj_error *err)
{
    const char *file = b->file;
    json_t *root = hj_json_load(text, len, file, err);
    if (!root)
        return HJ_ERR_INPUT;
    hj_status st = HJ_ERR_INPUT;
    raw_row *r = malloc(sizeof *r);
    hj_jctx top = {.file = file, .row = "top level"};
    if (!r) {
        st = hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        goto done;
    }
    json_t *schema = json_object_get(root, "schema");
    if (!json_is_object(root)) {
        hj_jfail(&top, NULL, err, "expected an object {\"schema\": \"%s\", \"rows\": [...]}", HJ_OPERATOR_FLEET_SCHEMA);
        goto done;
    }
    if (!json_is_string(schema) || strcmp(json_string_value(schema), HJ_OPERATOR_FLEET_SCHEMA) != 0) {
        hj_jfail(&top, "schema", err, "expected \"%s\"%s", HJ_OPERATOR_FLEET_SCHEMA,
                 json_object_get(root, "options") ? " (this looks like the report of hashjoule fleet --json)" : "");
        goto done;
    }
    static const char *const allowed_top[] = {"schema", "description", "rows", NULL};
    if (hj_jonly(&top, root, allowed_top, err))
        goto done;
    json_t *rows = json_object_get(root, "rows");
    if (!json_is_array(rows)) {
        hj_jfail(&top, "rows", err, "missing or not an array of rows");
        goto done;
    }
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o) {
        memset(r, 0, sizeof *r);
        r->c.file = file;
        snprintf(r->c.row, sizeof r->c.row, "row %zu", i + 1);
        if (!json_is_object(o)) {
            hj_jfail(&r->c, NULL, err, "expected an object");
            goto done;
        }
        for (int k = 0; k < F_COUNT; k++) {
            json_t *v = json_object_get(o, field_names[k]);
            if (!is_text_field(k) || !json_is_string(v))
                continue;
            size_t n = strlen(json_string_value(v));
            if (n >= TEXT_MAX) {
                hj_jfail(&r->c, field_names[k], err, "is %zu characters long; at most %d allowed", n, TEXT_MAX - 1);
                goto done;
            }
            memcpy(r->text[k], json_string_value(v), n + 1);
            r->has[k] = n > 0;
        }
        row_context(r, file, i + 1, 0);
        if (hj_jonly(&r->c, o, field_names, err))
            goto done;
        for (int k = 0; k < F_COUNT; k++) {
            json_t *v = json_object_get(o, field_names[k]);
            if (!v || json_is_null(v))
                continue;
            if (is_text_field(k) && !json_is_string(v)) {
                hj_jfail(&r->c, field_names[k], err, "expected a string");
                goto done;
            }
            if (is_text_field(k))
                continue;
            if (!json_is_number(v)) {
                hj_jfail(&r->c, field_names[k], err, "expected a number, found %s",
                         json_is_string(v) ? "a string (write numbers without quotes)" : "another JSON type");
                goto done;
            }
            r->num[k] = json_number_value(v);
            r->has[k] = true;
        }
        hj_status added = add_row(b, r, err);
        if (added != HJ_OK) {
            st = added;
            goto done;
        }
    }
    st = HJ_OK;
done:
    free(r);
    json_decref(root);
    return st;
}

/* ---- the whole file ---- */

void hj_operator_fleet_free(hj_operator_fleet *f)
{
    if (!f)
        return;
    free(f->rows);
    free(f->sites);
    f->rows = NULL;
    f->sites = NULL;
    f->n_rows = f->n_sites = 0;
}

hj_status hj_operator_fleet_parse(const char *text, size_t len, const char *file, const hj_asic *asics, size_t n_asics,
                                  hj_operator_fleet *out, hj_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", file);
    const char *slash = strrchr(file, '/');
    snprintf(out->basename, sizeof out->basename, "%s", slash && slash[1] ? slash + 1 : file);
    if (memchr(text, '\0', len))
        return hj_fail(err, HJ_ERR_INPUT, "%s: contains a NUL byte; expected a CSV or JSON text file", file);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte-order mark, as spreadsheets write */
        text += 3;
        len -= 3;
    }
    size_t first = 0;
    while (first < len && isspace((unsigned char)text[first]))
        first++;
    if (first == len)
        return hj_fail(err, HJ_ERR_INPUT, "%s: empty; expected CSV with a header row (%s) or a JSON object", file,
                       FIELD_LIST);
    builder b = {.file = file, .asics = asics, .n_asics = n_asics, .f = out};
    out->json = text[first] == '{';
    hj_status st = out->json ? parse_json(&b, text, len, err) : parse_csv(&b, text, len, err);
    if (st == HJ_OK && out->n_rows == 0)
        st = hj_fail(err, HJ_ERR_INPUT, "%s: no rows; a fleet needs at least one row (model or name, and units)", file);
    if (st != HJ_OK)
        hj_operator_fleet_free(out);
    return st;
}

/* ---- the arithmetic ---- */

/* Sums in watts, so a site's mean price of $30 is 30 and not 29.999999999999996. */
typedef struct fleet_sums {
    uint64_t units;
    size_t n_rows;
    double ths, it_w, facility_w;
    double facility_w_usd_per_mwh; /* sum of facility W x $/MWh */
} fleet_sums;

static void add_to(fleet_sums *t, const hj_operator_fleet_row *r)
{
    t->units += r->units;
    t->n_rows++;
    t->ths += r->hashrate_ths_total;
    t->it_w += r->it_w;
    t->facility_w += r->facility_w;
    t->facility_w_usd_per_mwh += r->facility_w * r->electricity_usd_per_mwh;
}

/* Revenue, costs and break-evens of the sums, as model.c's mining() does
 * them for one ASIC: revenue per hour = hashprice x PH/s / 24. */
static void finish_totals(hj_operator_fleet_totals *t, const fleet_sums *s, const hj_fleet_market *m)
{
    memset(t, 0, sizeof *t);
    double fee = m->pool_fee_pct / 100.0;
    t->units = s->units;
    t->n_rows = s->n_rows;
    t->hashrate_ths = s->ths;
    t->hashrate_ehs = s->ths / 1e6;
    t->it_mw = s->it_w / 1e6;
    t->facility_mw = s->facility_w / 1e6;
    t->pue = s->facility_w / s->it_w;
    t->efficiency_jth = s->it_w / s->ths;
    t->electricity_usd_per_mwh = s->facility_w_usd_per_mwh / s->facility_w;
    double mwh_per_year = t->facility_mw * HOURS_PER_YEAR;
    double revenue_per_hour = m->hashprice_usd_per_ph_day * (s->ths / 1000.0) / 24.0;
    t->revenue_usd_per_year = revenue_per_hour * HOURS_PER_YEAR;
    t->electricity_usd_per_year = s->facility_w_usd_per_mwh / 1e6 * HOURS_PER_YEAR;
    t->pool_fee_usd_per_year = t->revenue_usd_per_year * fee;
    t->net_usd_per_year = t->revenue_usd_per_year - t->electricity_usd_per_year - t->pool_fee_usd_per_year;
    t->revenue_usd_per_mwh = revenue_per_hour / t->facility_mw;
    t->revenue_usd_per_it_mwh = revenue_per_hour / t->it_mw;
    t->cost_usd_per_mwh = (t->electricity_usd_per_year + t->pool_fee_usd_per_year) / mwh_per_year;
    t->net_usd_per_mwh = t->net_usd_per_year / mwh_per_year;
    double kept = t->revenue_usd_per_mwh * (1.0 - fee);
    t->breakeven_electricity_usd_per_mwh = kept;
    t->breakeven_hashprice_usd_per_ph_day = NAN;
    t->breakeven_btc_price_usd = NAN;
    if (kept > 0) {
        t->breakeven_hashprice_usd_per_ph_day = m->hashprice_usd_per_ph_day * t->electricity_usd_per_mwh / kept;
        double hp_per_usd = hj_hashprice_usd_per_ph_day(m->difficulty, m->subsidy_btc, m->fees_btc_per_block, 1.0);
        t->breakeven_btc_price_usd = t->breakeven_hashprice_usd_per_ph_day / hp_per_usd;
    }
}

/* More facility power than the site's stated capacity: the message. */
static hj_status over_capacity(const hj_operator_fleet *f, size_t site, const fleet_sums *s, hj_error *err)
{
    const hj_operator_fleet_site *st = &f->sites[site];
    char rows[160] = "";
    size_t used = 0, listed = 0;
    for (size_t k = 0; k < f->n_rows && used < sizeof rows; k++)
        if (f->rows[k].site == site)
            used += (size_t)snprintf(rows + used, sizeof rows - used, "%s%zu", listed++ ? ", " : "", f->rows[k].row);
    return hj_fail(err, HJ_ERR_INPUT,
                   "%s: site '%s' (rows %s): its miners draw %.6g MW of facility power (units x power_w x PUE %.3g), "
                   "above its site_capacity_mw of %.6g MW (row %zu)",
                   f->path, st->name[0] ? st->name : "(no site)", rows, s->facility_w / 1e6, s->facility_w / s->it_w,
                   st->capacity_mw, st->capacity_row);
}

hj_status hj_operator_fleet_evaluate(hj_operator_fleet *f, const hj_fleet_assumptions *a, const hj_fleet_market *m,
                                     hj_error *err)
{
    fleet_sums *sites = calloc(f->n_sites ? f->n_sites : 1, sizeof *sites), total = {0};
    if (!sites)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    for (size_t i = 0; i < f->n_rows; i++) {
        hj_operator_fleet_row *r = &f->rows[i];
        const hj_operator_fleet_site *s = &f->sites[r->site];
        r->pue = isnan(s->pue) ? hj_fleet_pue_for(a, m, HJ_KIND_OPERATOR_FLEET, r->cooling) : s->pue;
        r->electricity_usd_per_mwh =
            isnan(s->electricity_usd_per_mwh) ? m->electricity_usd_per_mwh : s->electricity_usd_per_mwh;
        r->hashrate_ths_total = (double)r->units * r->hashrate_ths;
        r->it_w = (double)r->units * r->power_w;
        r->facility_w = r->it_w * r->pue;
        add_to(&sites[r->site], r);
        add_to(&total, r);
    }
    hj_status st = HJ_OK;
    for (size_t i = 0; i < f->n_sites && st == HJ_OK; i++) {
        double cap = f->sites[i].capacity_mw;
        /* a relative margin, so a capacity stated to the watt is not refused for rounding */
        if (!isnan(cap) && sites[i].facility_w > cap * 1e6 * (1 + 1e-9))
            st = over_capacity(f, i, &sites[i], err);
        else
            finish_totals(&f->sites[i].totals, &sites[i], m);
    }
    if (st == HJ_OK)
        finish_totals(&f->total, &total, m);
    free(sites);
    return st;
}

void hj_operator_fleet_option(const hj_operator_fleet *f, const hj_fleet_market *m, hj_fleet_option *out)
{
    const hj_operator_fleet_totals *t = &f->total;
    memset(out, 0, sizeof *out);
    /* the ASIC formulas at the fleet's blended J/TH and PUE, and its mean power price */
    hj_fleet_market at = *m;
    at.electricity_usd_per_mwh = t->electricity_usd_per_mwh;
    hj_fleet_owned_mining(out, &at, t->pue, t->efficiency_jth, t->it_mw * 1e6 / (double)t->units);
    out->kind = HJ_KIND_OPERATOR_FLEET;
    snprintf(out->name, sizeof out->name, "operator fleet: %.120s", f->basename);
    out->unverified = f->unverified;
    snprintf(out->detail, sizeof out->detail,
             "%llu miners in %zu row(s) at %zu site(s): %.4g EH/s, %.4g MW of facility power; owned: capex 0 "
             "(hardware sunk, sites built)",
             (unsigned long long)t->units, f->n_rows, f->n_sites, t->hashrate_ehs, t->facility_mw);
}

hj_status hj_fleet_load_operator(const hj_fleet_request *req, hj_fleet_report *r, hj_error *err)
{
    char label[HJ_OPERATOR_FLEET_PATH_MAX + 16];
    snprintf(label, sizeof label, "--fleet %.*s", HJ_OPERATOR_FLEET_PATH_MAX, req->fleet_path);
    char *text;
    size_t len;
    hj_status st = hj_read_input_file(req->fleet_path, HJ_INPUT_MAX_BYTES, label, &text, &len, err);
    if (st)
        return st;
    st = hj_operator_fleet_parse(text, len, req->fleet_path, r->asics, r->n_asics, &r->fleet, err);
    free(text);
    if (st)
        return st;
    r->have_fleet = true;
    if ((st = hj_operator_fleet_evaluate(&r->fleet, &r->assumptions, &r->market, err)))
        return st;
    hj_operator_fleet_option(&r->fleet, &r->market, &r->fleet_option);
    return HJ_OK;
}
