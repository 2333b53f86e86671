/* An energy sensor set as JSON, for `info` and results documents
 * (include/hashjoule/energy.h). */
#include <jansson.h>

#include "hashjoule/energy.h"

json_t *hj_energy_set_json(const hj_energy_set *set)
{
    json_t *sensors = json_array(), *notes = json_array();
    for (size_t i = 0; i < set->n_sensors; i++) {
        const hj_energy_sensor *s = set->sensors[i];
        json_array_append_new(sensors, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", s->name, "source", s->source,
                                                 "scope", s->scope, "device", s->device, "reads",
                                                 s->cumulative ? "energy counter" : "power", "origin", s->origin));
    }
    for (size_t i = 0; i < set->n_notes; i++)
        json_array_append_new(notes,
                              json_pack("{s:s, s:s}", "source", set->notes[i].source, "reason", set->notes[i].text));
    return json_pack("{s:o, s:o}", "sensors", sensors, "unavailable", notes);
}
