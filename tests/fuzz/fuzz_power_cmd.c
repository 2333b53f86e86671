/* libFuzzer target: the parser of a --power-cmd's output (hj_energy_parse_watts). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/energy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    double watts = -1;
    hj_error err = {{0}};
    hj_status st = hj_energy_parse_watts(text, &watts, &err);
    if (st == HJ_OK) {
        if (!isfinite(watts) || watts < 0)
            abort(); /* a reading is a finite, non-negative power */
    } else if (st != HJ_ERR_INPUT || !err.message[0]) {
        abort();
    }
    free(text);
    return 0;
}
