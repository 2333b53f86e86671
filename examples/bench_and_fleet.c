/* Using libhashjoule from a program of your own, with the installed headers
 * only: a short bench of this CPU's best kernel on one thread, then one ASIC
 * evaluated with the fleet model on the embedded data. Build it with
 *   cc bench_and_fleet.c $(pkg-config --cflags --libs hashjoule)
 * or with CMake (examples/CMakeLists.txt: find_package(hashjoule)). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hashjoule/hashjoule.h>

/* The median rate of a result, from the results document. */
static double median_hps(json_t *result)
{
    return json_number_value(json_object_get(json_object_get(result, "hashes_per_second"), "median"));
}

static int bench_best_cpu_kernel(void)
{
    hj_bench_options opt;
    hj_bench_options_default(&opt);
    opt.kernel = "auto"; /* the best CPU kernel of this machine */
    opt.device = "none";
    opt.threads = "1";
    opt.seconds = 0.3;
    opt.repetitions = 3;
    opt.warmup = 0.1;

    hj_error err;
    json_t *skipped = json_array(), *doc = NULL;
    hj_bench_plan_item *plan = NULL;
    size_t n_plan = 0;
    bool interrupted, any_failed;
    if (hj_bench_build_plan(&opt, &plan, &n_plan, skipped, &err) != HJ_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        json_decref(skipped);
        return 1;
    }
    /* measure takes `skipped` over, whatever it returns */
    hj_status st = hj_bench_measure(&opt, plan, n_plan, skipped, NULL, &doc, &interrupted, &any_failed, &err);
    free(plan);
    if (st != HJ_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 1;
    }
    json_t *r = json_array_get(json_object_get(doc, "results"), 0);
    if (!r) {
        fprintf(stderr, "bench: no result (interrupted)\n");
        json_decref(doc);
        return 1;
    }
    char rate[32];
    hj_format_rate(median_hps(r), HJ_RATE_SHORT, rate, sizeof rate);
    printf("bench: kernel %s, 1 thread: %s (%s)\n", json_string_value(json_object_get(r, "kernel")), rate,
           json_string_value(json_object_get(r, "status")));
    int failed = any_failed || !(median_hps(r) > 0);
    json_decref(doc);
    return failed;
}

static int evaluate_one_asic(const char *model)
{
    hj_fleet_request req;
    hj_fleet_request_init(&req); /* the data embedded in the library */
    hj_fleet_report report;
    hj_error err;
    if (hj_fleet_run(&req, &report, &err) != HJ_OK) {
        fprintf(stderr, "fleet: %s\n", err.message);
        hj_fleet_report_free(&report);
        return 1;
    }
    const hj_fleet_option *o = NULL;
    for (size_t i = 0; i < report.n_options && !o; i++)
        if (report.options[i].kind == HJ_KIND_ASIC && strstr(report.options[i].name, model))
            o = &report.options[i];
    if (o)
        printf("fleet: %s at %.1f J/TH, hashprice %.2f USD/PH/day: revenue %.2f USD/MWh, net %.2f USD/MWh, "
               "break-even power %.2f USD/MWh\n",
               o->name, o->efficiency_jth, report.market.hashprice_usd_per_ph_day, o->revenue_usd_per_mwh,
               o->net_usd_per_mwh, o->breakeven_electricity_usd_per_mwh);
    else
        fprintf(stderr, "fleet: no ASIC named %s in the data\n", model);
    int bad = !o || !isfinite(o->net_usd_per_mwh);
    hj_fleet_report_free(&report);
    return bad;
}

int main(void)
{
    int rc = bench_best_cpu_kernel();
    rc |= evaluate_one_asic("S21 XP");
    return rc;
}
