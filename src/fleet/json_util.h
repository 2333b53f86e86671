/* Field access for the fleet data loaders (private): every failure names the
 * file, the row and the field, so a user can find the mistake. */
#ifndef HJ_FLEET_JSON_UTIL_H
#define HJ_FLEET_JSON_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "hashjoule/error.h"

/* Where we are: "FILE: ROW" (ROW like "asics[3] (Antminer S21 XP)"). */
typedef struct hj_jctx {
    const char *file;
    char row[192];
} hj_jctx;

json_t *hj_json_load(const char *text, size_t len, const char *file, hj_error *err);

/* Numbers: `required` -> absent is an error; `nullable` -> null gives NAN;
 * the value must lie in [min, max]. */
hj_status hj_jnum(const hj_jctx *c, json_t *obj, const char *key, bool required, bool nullable, double min, double max,
                  double *out, hj_error *err);
/* Strings copied into out[cap]; too long is an error. `required` and
 * non-empty go together. Absent and not required -> "". */
hj_status hj_jstr(const hj_jctx *c, json_t *obj, const char *key, bool required, char *out, size_t cap, hj_error *err);
hj_status hj_jbool(const hj_jctx *c, json_t *obj, const char *key, bool required, bool *out, hj_error *err);
/* Refuse keys that are not in the NULL-terminated `allowed` list (typos must
 * not fall back silently to a default). */
hj_status hj_jonly(const hj_jctx *c, json_t *obj, const char *const *allowed, hj_error *err);
hj_status hj_jfail(const hj_jctx *c, const char *key, hj_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The end of every loader: the parsed document is released, and the rows
 * the loader allocated (NULL if none) are freed unless st is HJ_OK, in
 * which case the caller owns them. Returns st. */
hj_status hj_json_loader_end(json_t *root, void *rows, hj_status st);

#endif
