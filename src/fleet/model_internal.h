/* model.c's formulas for an option built outside hj_fleet_evaluate (private
 * to src/fleet). */
#ifndef HJ_FLEET_MODEL_INTERNAL_H
#define HJ_FLEET_MODEL_INTERNAL_H

#include "hashjoule/fleet.h"

/* A mining option already owned, per MW of facility power: the ASIC formulas
 * (revenue, pool fee, net, the three break-evens) at `jth` J/TH, `pue` and
 * `unit_w` W per unit, with m->electricity_usd_per_mwh as the power price;
 * capex 0, so no depreciation and no payback. Kind and name are the caller's. */
void hj_fleet_owned_mining(hj_fleet_option *o, const hj_fleet_market *m, double pue, double jth, double unit_w);

#endif
