/* libFuzzer target: the sysfs value parsers of the energy sources (RAPL and
 * hwmon counters, the perf PMU's type, event, scale and cpumask). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "energy_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    uint64_t u;
    if (hj_energy_parse_u64(text, &u) && (text[0] < '0' || text[0] > '9'))
        abort();
    uint64_t code;
    (void)hj_energy_parse_event_code(text, &code);
    double scale;
    if (hj_energy_parse_scale(text, &scale) && !(isfinite(scale) && scale > 0))
        abort();
    int type;
    if (hj_energy_parse_pmu_type(text, &type) && type <= 0)
        abort();
    int cpus[64];
    size_t n = hj_energy_parse_cpumask(text, cpus, 64);
    for (size_t i = 0; i < n; i++)
        if (cpus[i] < 0 || (i > 0 && cpus[i] < cpus[i - 1] && strchr(text, ',') == NULL))
            abort();
    free(text);
    return 0;
}
