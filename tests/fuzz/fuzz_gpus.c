/* libFuzzer target: the AI GPU table loader (data/gpus.json, --gpus), then the model on what it accepts. */
#include <stdint.h>

#include "fuzz_fleet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    hj_gpu *rows;
    size_t n;
    hj_error err = {{0}};
    hj_status st = hj_fleet_parse_gpus(text, size, "fuzz.json", &rows, &n, &err);
    if (st == HJ_OK) {
        if (!rows || n == 0)
            abort();
        fuzz_fleet_model(NULL, 0, rows, n, NULL, NULL, NULL);
        free(rows);
    } else {
        fuzz_check_refusal(st, &err);
        if (rows)
            abort();
    }
    free(text);
    return 0;
}
