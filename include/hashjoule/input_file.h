/* hashjoule — reading an input file (a results document, a data table, a
 * node's JSON) into memory with a size limit.
 *
 * Every file hashjoule reads comes from a user or another machine, so it is
 * bounded before it is read: a regular file larger than the limit is refused
 * from its size alone (a 2 GB file costs one fstat, not 2 GB of memory), and
 * a pipe (`--network <(bitcoin-cli getmininginfo)`) is read up to the limit
 * and refused beyond it. */
#ifndef HASHJOULE_INPUT_FILE_H
#define HASHJOULE_INPUT_FILE_H

#include <stddef.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The limit for every JSON input: a results document of a long `bench
 * --kernel all` run is well under 1 MiB, the data tables a few tens of KiB. */
#define HJ_INPUT_MAX_BYTES ((size_t)64 << 20)

/* Reads `path` whole into *text (NUL-terminated, free() it; *len excludes
 * the NUL). `what` names the input in messages ("--asics FILE", "BASE.json").
 * Every failure is HJ_ERR_INPUT with "<what>: <problem>" (cannot open, a
 * directory, larger than the limit, a read error), except running out of
 * memory (HJ_ERR_RUNTIME). An empty file is read as "" (the parser names
 * that problem). */
hj_status hj_read_input_file(const char *path, size_t max_bytes, const char *what, char **text, size_t *len,
                             hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
