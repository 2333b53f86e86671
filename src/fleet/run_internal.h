/* The steps of hj_fleet_run, one file each (private to src/fleet). Each
 * fills its part of the report and returns HJ_OK or the error. */
#ifndef HJ_FLEET_RUN_INTERNAL_H
#define HJ_FLEET_RUN_INTERNAL_H

#include "hashjoule/fleet.h"

/* inputs.c: the ASIC, GPU and assumptions tables and the network snapshot,
 * from the request's files or the embedded data; a node's output is
 * completed from the embedded snapshot, each filled field saying so. */
hj_status hj_fleet_load_inputs(const hj_fleet_request *req, hj_fleet_report *r, hj_error *err);

/* local.c: the bench file's rows (when req->bench_path), with J/TH estimated
 * from req->local_power_w for the rows that measured no energy. */
hj_status hj_fleet_load_local(const hj_fleet_request *req, hj_fleet_report *r, hj_error *err);

/* grid.c: every option at each grid price pair, and each cell's best. */
hj_status hj_fleet_run_grid(const hj_fleet_inputs *in, hj_fleet_report *r, hj_error *err);
void hj_fleet_grid_free(hj_fleet_grid *g);

/* operator_fleet.c: the operator's own fleet (req->fleet_path), read against
 * the ASIC table, summed at the market, and made one option. */
hj_status hj_fleet_load_operator(const hj_fleet_request *req, hj_fleet_report *r, hj_error *err);

#endif
