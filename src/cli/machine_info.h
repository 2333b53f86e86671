/* The machine description as JSON (private to the CLI). */
#ifndef HJ_MACHINE_INFO_H
#define HJ_MACHINE_INFO_H

#include <jansson.h>

/* A new reference; the shape is documented in README.md ("hashjoule info"). */
json_t *hj_machine_info_json(void);

/* The sensors of a set and the reasons other sources are unavailable:
 * {"sensors": [{name, source, scope, device, reads, origin}],
 *  "unavailable": [{source, reason}]}. */
struct hj_energy_set;
json_t *hj_energy_set_json(const struct hj_energy_set *set);

#endif
