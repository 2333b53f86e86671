/* hashjoule — writing a result file so that it is either complete or absent,
 * and never replaces an existing file.
 *
 * begin: checks the directory and creates a temporary file next to the
 * target (so a bad path or an unwritable directory is known before a long
 * run). commit: writes, fsyncs, then link()s the temporary file to the final
 * name — link fails instead of replacing an existing file, so even a race
 * with another writer cannot overwrite — removes the temporary name and
 * fsyncs the directory. Any failure removes the temporary file. */
#ifndef HASHJOULE_ATOMIC_FILE_H
#define HASHJOULE_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_atomic_file {
    int fd;
    bool unique;     /* name taken: try NAME-2.EXT, NAME-3.EXT, ... */
    char path[4096]; /* the requested final name */
    char tmp_path[4200];
    char final_path[4200]; /* set by commit */
} hj_atomic_file;

/* HJ_ERR_INPUT: the directory does not exist or is not one, or (unless
 * `unique`) the file already exists. HJ_ERR_RUNTIME: cannot create a file
 * there. `what` names the argument in messages (e.g. "--out"). */
hj_status hj_atomic_file_begin(hj_atomic_file *f, const char *path, bool unique, const char *what, hj_error *err);
hj_status hj_atomic_file_commit(hj_atomic_file *f, const char *data, size_t len, hj_error *err);
void hj_atomic_file_abort(hj_atomic_file *f);

#ifdef __cplusplus
}
#endif
#endif
