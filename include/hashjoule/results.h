/* hashjoule — reading a `hashjoule bench` results document back.
 *
 * `compare` gates CI on these files and they come from other machines, so a
 * document is checked before any number in it is used: the schema version,
 * one result per (kernel, threads), and every statistic against the
 * repetitions it was computed from — a truncated, hand-edited or foreign
 * file is refused with the reason, never compared. */
#ifndef HASHJOULE_RESULTS_H
#define HASHJOULE_RESULTS_H

#include <stddef.h>

#include <jansson.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_RESULTS_SCHEMA_VERSION 1
/* A result's versions (version rolling: versions x nonces) range over 1..65536. */
#define HJ_RESULTS_MAX_VERSIONS 65536

/* How a result's energy_unavailable_reason ends when bench had no sensor for
 * it: bench's own flags, "; "-separated from the rest. A reader in another
 * command (fleet) may cut it off and name its own flag instead. */
#define HJ_RESULTS_WALL_HINT "or give a wall reading with --power-watts W or --power-cmd 'CMD'"

/* Parses and checks a document held in memory (len bytes, no NUL needed).
 * Returns it (json_decref() it) or NULL with err set to the problem alone;
 * the caller prefixes the file's name. Every failure is HJ_ERR_INPUT. */
json_t *hj_results_parse(const char *text, size_t len, hj_error *err);

/* Whether `text` is an export `hashjoule bench --format csv|bmf` wrote, which
 * holds the figures but not the repetitions a results document is checked
 * against: "a CSV export", "a BMF (Bencher Metric Format) export", or NULL
 * when it is neither. hj_results_parse refuses exports with a message that
 * says so; other readers of results documents call this first. */
const char *hj_results_export_kind(const char *text, size_t len);

/* How many versions a result rolled: its "versions", or 1 for a document
 * older than version rolling. Results are keyed by (kernel, threads,
 * versions): a rolled rate is another measurement, not a faster kernel. */
long long hj_results_versions(json_t *result);

/* Reads `path` (at most HJ_INPUT_MAX_BYTES), then hj_results_parse. err:
 * "PATH: problem". *status (may be NULL) is HJ_ERR_INPUT, or HJ_ERR_RUNTIME
 * when memory ran out. */
json_t *hj_results_load(const char *path, hj_status *status, hj_error *err);

/* hj_results_load, and the same bytes as written in *as_written (a cluster
 * document is checked flattened, but its ranks each describe their own
 * machine): one read, so what was checked is what is used. *as_written is
 * NULL on failure. */
json_t *hj_results_load_as_written(const char *path, json_t **as_written, hj_status *status, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
