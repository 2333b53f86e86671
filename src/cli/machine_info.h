/* The machine description as JSON (private to the CLI). */
#ifndef HJ_MACHINE_INFO_H
#define HJ_MACHINE_INFO_H

#include <jansson.h>

/* A new reference; the shape is documented in README.md ("hashjoule info"). */
json_t *hj_machine_info_json(void);

#endif
