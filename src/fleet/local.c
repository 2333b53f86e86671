/* The fleet run's local rows: this machine's (or a bench --mpi fleet's)
 * kernels from a bench results file; rows that measured no energy get a J/TH
 * estimated from an assumed power, labelled as such. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/input_file.h"
#include "run_internal.h"

/* How each row's J/TH was obtained, and why the unmeasured ones have none. */
static void count_energy(hj_fleet_report *r)
{
    hj_fleet_local_energy *e = &r->local_energy;
    for (size_t i = 0; i < r->bench.n_results; i++) {
        const hj_local_result *row = &r->bench.results[i];
        e->n_rows++;
        if (isnan(row->joules_per_terahash)) {
            if (e->n_unmeasured++ == 0)
                snprintf(e->unmeasured_reason, sizeof e->unmeasured_reason, "%s", row->unavailable_reason);
            else if (strcmp(e->unmeasured_reason, row->unavailable_reason) != 0)
                e->unmeasured_reasons_differ = true;
        } else if (row->energy_estimated && strcmp(row->scope, "assumed") == 0) {
            e->n_assumed++;
        } else if (row->energy_estimated) {
            e->n_stated++;
        } else {
            e->n_measured++;
            e->n_measured_partial += strcmp(row->scope, "wall") != 0;
        }
    }
}

hj_status hj_fleet_load_local(const hj_fleet_request *req, hj_fleet_report *r, hj_error *err)
{
    r->local_power_w = req->local_power_w;
    if (!req->bench_path)
        return HJ_OK;
    char label[4200];
    snprintf(label, sizeof label, "--bench %s", req->bench_path);
    char *text;
    size_t len;
    if (hj_read_input_file(req->bench_path, HJ_INPUT_MAX_BYTES, label, &text, &len, err) != HJ_OK)
        return HJ_ERR_INPUT;
    hj_status st = hj_fleet_parse_bench(text, len, req->bench_path, &r->bench, err);
    free(text);
    if (st)
        return st;
    snprintf(r->bench_path, sizeof r->bench_path, "%s", req->bench_path);
    r->have_bench = true;
    for (size_t i = 0; i < r->bench.n_results && !isnan(r->local_power_w); i++) {
        hj_local_result *row = &r->bench.results[i];
        if (!isnan(row->joules_per_terahash))
            continue;
        /* W / (TH/s) = J/TH */
        row->joules_per_terahash = r->local_power_w / (row->hashes_per_second / 1e12);
        row->energy_estimated = true;
        snprintf(row->scope, sizeof row->scope, "assumed");
        snprintf(row->energy_source, sizeof row->energy_source, "--local-power-watts %g, not measured",
                 r->local_power_w);
    }
    count_energy(r);
    return HJ_OK;
}
