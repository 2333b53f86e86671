/* libFuzzer target: the ASIC table loader (data/asics.json, --asics), then the model on what it accepts. */
#include <stdint.h>

#include "fuzz_fleet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    hj_asic *rows;
    size_t n;
    hj_error err = {{0}};
    hj_status st = hj_fleet_parse_asics(text, size, "fuzz.json", &rows, &n, &err);
    if (st == HJ_OK) {
        if (!rows || n == 0)
            abort();
        for (size_t i = 0; i < n; i++)
            if (!(rows[i].efficiency_jth > 0) || !isfinite(rows[i].efficiency_jth))
                abort();
        fuzz_fleet_model(rows, n, NULL, 0, NULL, NULL, NULL);
        free(rows);
    } else {
        fuzz_check_refusal(st, &err);
        if (rows)
            abort();
    }
    free(text);
    return 0;
}
