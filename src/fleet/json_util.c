/* Checked field access for the fleet data files. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"

json_t *hj_json_load(const char *text, size_t len, const char *file, hj_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        hj_fail(err, HJ_ERR_INPUT, "%s: not valid JSON at line %d, column %d: %s", file, je.line, je.column, je.text);
    return root;
}

hj_status hj_jfail(const hj_jctx *c, const char *key, hj_error *err, const char *fmt, ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (key)
        return hj_fail(err, HJ_ERR_INPUT, "%s: %s, field \"%s\": %s", c->file, c->row, key, what);
    return hj_fail(err, HJ_ERR_INPUT, "%s: %s: %s", c->file, c->row, what);
}

hj_status hj_jnum(const hj_jctx *c, json_t *obj, const char *key, bool required, bool nullable, double min, double max,
                  double *out, hj_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return hj_jfail(c, key, err, "missing; expected a number");
        *out = NAN;
        return HJ_OK;
    }
    if (json_is_null(v)) {
        if (!nullable)
            return hj_jfail(c, key, err, "is null; expected a number");
        *out = NAN;
        return HJ_OK;
    }
    if (!json_is_number(v))
        return hj_jfail(c, key, err, "expected a number, found %s",
                        json_is_string(v) ? "a string (write numbers without quotes)" : "another JSON type");
    double d = json_number_value(v);
    if (!isfinite(d) || d < min || d > max)
        return hj_jfail(c, key, err, "%g is out of range; expected %g..%g", d, min, max);
    *out = d;
    return HJ_OK;
}

hj_status hj_jstr(const hj_jctx *c, json_t *obj, const char *key, bool required, char *out, size_t cap, hj_error *err)
{
    json_t *v = json_object_get(obj, key);
    out[0] = '\0';
    if (!v || json_is_null(v)) {
        if (required)
            return hj_jfail(c, key, err, "missing; expected a non-empty string");
        return HJ_OK;
    }
    if (!json_is_string(v))
        return hj_jfail(c, key, err, "expected a string");
    const char *s = json_string_value(v);
    size_t n = strlen(s);
    if (required && n == 0)
        return hj_jfail(c, key, err, "is empty; expected a non-empty string");
    if (n >= cap)
        return hj_jfail(c, key, err, "is %zu characters long; at most %zu allowed", n, cap - 1);
    memcpy(out, s, n + 1);
    return HJ_OK;
}

hj_status hj_jbool(const hj_jctx *c, json_t *obj, const char *key, bool required, bool *out, hj_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return hj_jfail(c, key, err, "missing; expected true or false");
        *out = false;
        return HJ_OK;
    }
    if (!json_is_boolean(v))
        return hj_jfail(c, key, err, "expected true or false");
    *out = json_is_true(v);
    return HJ_OK;
}

hj_status hj_jonly(const hj_jctx *c, json_t *obj, const char *const *allowed, hj_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok) {
            char list[512] = "";
            size_t used = 0;
            for (const char *const *a = allowed; *a; a++) {
                if (used + strlen(*a) + 3 >= sizeof list)
                    break; /* the names that fit, with room for ", " and the NUL */
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *a);
            }
            return hj_jfail(c, key, err, "unknown field; expected one of: %s", list);
        }
    }
    return HJ_OK;
}

hj_status hj_json_loader_end(json_t *root, void *rows, hj_status st)
{
    if (st != HJ_OK)
        free(rows);
    json_decref(root);
    return st;
}
