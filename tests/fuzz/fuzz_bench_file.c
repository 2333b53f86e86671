/* libFuzzer target: the bench results reader of `fleet --bench FILE`, then the model with those local rows. */
#include <stdint.h>

#include "fuzz_fleet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    hj_bench_file b;
    hj_error err = {{0}};
    hj_status st = hj_fleet_parse_bench(text, size, "fuzz.json", &b, &err);
    if (st == HJ_OK) {
        for (size_t i = 0; i < b.n_results; i++)
            if (!(b.results[i].hashes_per_second > 0) || b.results[i].joules_per_terahash <= 0)
                abort();
        fuzz_fleet_model(NULL, 0, NULL, 0, NULL, NULL, &b);
        hj_bench_file_free(&b);
    } else {
        fuzz_check_refusal(st, &err);
        if (b.results)
            abort(); /* freed on failure */
    }
    free(text);
    return 0;
}
