/* libFuzzer target: the assumptions loader (data/assumptions.json, --assumptions), then the model. */
#include <stdint.h>

#include "fuzz_fleet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    hj_fleet_assumptions a;
    hj_error err = {{0}};
    hj_status st = hj_fleet_parse_assumptions(text, size, "fuzz.json", &a, &err);
    if (st == HJ_OK) {
        if (a.n_colo > HJ_FLEET_MAX_COLO || a.n_grid_btc > HJ_FLEET_MAX_GRID ||
            a.n_grid_electricity > HJ_FLEET_MAX_GRID)
            abort();
        fuzz_fleet_model(NULL, 0, NULL, 0, &a, NULL, NULL);
    } else {
        fuzz_check_refusal(st, &err);
    }
    free(text);
    return 0;
}
