/* The headline: the range of what mining, AI colocation and AI GPU cloud
 * earn per MWh, set against the press's 2026 figures. */
#include <math.h>
#include <string.h>

#include "hashjoule/fleet.h"

void hj_fleet_headline_compute(const hj_fleet_option *opt, size_t n, double colo_pue, hj_fleet_headline *h)
{
    memset(h, 0, sizeof *h);
    h->colo_pue = colo_pue;
    h->mining_it_min = h->mining_min = h->colo_it_min = h->colo_min = h->gpu_min = INFINITY;
    h->mining_it_max = h->mining_max = h->colo_it_max = h->colo_max = h->gpu_max = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const hj_fleet_option *o = &opt[i];
        if (!o->available)
            continue;
        if (o->kind == HJ_KIND_ASIC && o->net_usd_per_mwh > 0) {
            /* the fleet that keeps running at this power price */
            h->n_mining++;
            if (o->revenue_usd_per_it_mwh < h->mining_it_min) {
                h->mining_it_min = o->revenue_usd_per_it_mwh;
                h->mining_min_name = o->name;
            }
            if (o->revenue_usd_per_it_mwh > h->mining_it_max) {
                h->mining_it_max = o->revenue_usd_per_it_mwh;
                h->mining_max_name = o->name;
            }
            h->mining_min = fmin(h->mining_min, o->revenue_usd_per_mwh);
            h->mining_max = fmax(h->mining_max, o->revenue_usd_per_mwh);
        } else if (o->kind == HJ_KIND_AI_COLOCATION) {
            h->n_colo++;
            h->colo_it_min = fmin(h->colo_it_min, o->revenue_usd_per_it_mwh);
            h->colo_it_max = fmax(h->colo_it_max, o->revenue_usd_per_it_mwh);
            h->colo_min = fmin(h->colo_min, o->revenue_usd_per_mwh);
            h->colo_max = fmax(h->colo_max, o->revenue_usd_per_mwh);
        } else if (o->kind == HJ_KIND_AI_GPU_CLOUD) {
            h->n_gpu++;
            h->gpu_min = fmin(h->gpu_min, o->revenue_usd_per_mwh);
            h->gpu_max = fmax(h->gpu_max, o->revenue_usd_per_mwh);
        }
    }
    double *all[] = {&h->mining_it_min, &h->mining_it_max, &h->mining_min, &h->mining_max, &h->colo_it_min,
                     &h->colo_it_max,   &h->colo_min,      &h->colo_max,   &h->gpu_min,    &h->gpu_max};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (isinf(*all[i]))
            *all[i] = NAN; /* none of that kind */
    h->ratio_colo_vs_mining_it = h->colo_it_max / h->mining_it_min;
    double best_mining_net = NAN, best_colo_net = NAN;
    for (size_t i = 0; i < n; i++) {
        const hj_fleet_option *o = &opt[i];
        if (!o->available)
            continue;
        if (o->kind == HJ_KIND_ASIC && (isnan(best_mining_net) || o->net_usd_per_mwh > best_mining_net))
            best_mining_net = o->net_usd_per_mwh;
        if (o->kind == HJ_KIND_AI_COLOCATION && (isnan(best_colo_net) || o->net_usd_per_mwh > best_colo_net))
            best_colo_net = o->net_usd_per_mwh;
    }
    h->net_ratio_colo_vs_best_mining = best_mining_net > 0 ? best_colo_net / best_mining_net : NAN;
}
