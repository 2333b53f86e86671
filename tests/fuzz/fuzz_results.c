/* libFuzzer target: results JSON loading as `compare` does it (hj_results_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hj_error err = {{0}};
    json_t *doc = hj_results_parse((const char *)data, size, &err);
    if (!doc) {
        if (!err.message[0])
            abort(); /* every refusal says why */
        return 0;
    }
    /* What compare relies on after a successful load. */
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        const char *kernel = json_string_value(json_object_get(r, "kernel"));
        const char *status = json_string_value(json_object_get(r, "status"));
        if (!kernel || !status || json_integer_value(json_object_get(r, "threads")) < 1)
            abort();
        json_t *h = json_object_get(r, "hashes_per_second");
        if (strcmp(status, "failed") != 0) {
            double med = json_number_value(json_object_get(h, "median"));
            double mn = json_number_value(json_object_get(h, "min"));
            if (!(med > 0) || !(mn > 0))
                abort();
        }
    }
    json_decref(doc);
    return 0;
}
