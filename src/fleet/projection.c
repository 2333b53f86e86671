/* The forward projection (projection.h): the network month by month from the
 * block-by-block chain, then every option's monthly cash per MW of facility
 * power, and NPV, IRR, payback and the AI-vs-mining crossovers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "hashjoule/projection.h"

#define MONTH_S (HJ_HOURS_PER_MONTH * 3600.0)
#define HOURS_PER_MONTH_INT 730
/* a guard against a runaway chain (e.g. hashrate growing far faster than
 * the 4x-per-epoch clamp lets difficulty follow): 120 months at 600 s are
 * 525,600 blocks */
#define MAX_BLOCKS 50000000ULL

bool hj_fleet_kind_is_mining(hj_fleet_kind kind)
{
    return kind == HJ_KIND_ASIC || kind == HJ_KIND_LOCAL_CPU || kind == HJ_KIND_LOCAL_GPU ||
           kind == HJ_KIND_OPERATOR_FLEET || kind == HJ_KIND_GPU_MINING_MODELED;
}

double hj_npv(const double *cash, size_t n, double monthly_rate)
{
    double v = 0, f = 1;
    for (size_t i = 0; i < n; i++) {
        v += cash[i] / f;
        f *= 1.0 + monthly_rate;
    }
    return v;
}

/* NPV x (1 + r)^(n-1) as a polynomial in x = 1 + r (Horner): the same sign
 * as the NPV for every x > 0, and finite as x -> 0, where the NPV is not. */
static double scaled_npv(const double *cash, size_t n, double x)
{
    double v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * x + cash[i];
    return v;
}

double hj_irr_pct_per_year(const double *cash, size_t n)
{
    /* bisection on x = 1 + r over (0, 11]: near 0 the last flow decides the
     * sign, at 11 (+1000 % a month) month 0 does */
    while (n > 0 && cash[n - 1] == 0)
        n--; /* trailing zeros scale the polynomial by x^k: same roots, and no underflow near 0 */
    double lo = 1e-9, hi = 11.0;
    double flo = scaled_npv(cash, n, lo), fhi = scaled_npv(cash, n, hi);
    if (!isfinite(flo) || !isfinite(fhi) || flo == 0 || fhi == 0 || (flo < 0) == (fhi < 0))
        return NAN;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi), fm = scaled_npv(cash, n, mid);
        if ((fm < 0) == (flo < 0)) {
            lo = mid;
            flo = fm;
        } else {
            hi = mid;
        }
    }
    return (pow(0.5 * (lo + hi), 12.0) - 1.0) * 100.0;
}

double hj_projection_revenue_usd_per_mw(const hj_projection_option *o)
{
    double sum = 0;
    for (int i = 0; o->available && o->monthly && i <= o->n_months; i++)
        sum += o->monthly[i].revenue_usd_per_mw;
    return sum;
}

void hj_projection_free(hj_projection *p)
{
    if (!p)
        return;
    for (size_t i = 0; p->options && i < p->n_options; i++)
        free(p->options[i].monthly);
    free(p->options);
    free(p->market);
    free(p->crossovers);
    memset(p, 0, sizeof *p);
}

/* Per month: integral of 1/(D 2^32) and of S/(D 2^32) over the month's
 * seconds (revenue per hash-second is (S + F) / (D 2^32) while a block at
 * difficulty D and subsidy S is being mined). */
typedef struct month_acc {
    double inv_d, subsidy_over_d;
} month_acc;

/* Run the chain over the horizon and fill p->market. */
static hj_status project_network(const hj_projection_request *req, const hj_fleet_market *m,
                                 const hj_fleet_assumptions *a, hj_projection *p, hj_error *err)
{
    int n = req->months;
    month_acc *acc = calloc((size_t)n, sizeof *acc);
    if (!acc)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    hj_projection_market_month *mk = p->market;
    double growth = a->p[HJ_P_HASHRATE_GROWTH_PCT_PER_MONTH].value / 100.0;
    double log_growth = log1p(growth);
    double h0 = hj_network_hashrate_hs(m->difficulty);
    double end_s = n * MONTH_S;
    hj_chain c;
    hj_chain_init(&c, m->difficulty, m->height);
    int next_end = 1; /* the next month whose end state is to be recorded */
    uint64_t blocks = 0;
    while (c.t_s < end_s) {
        if (++blocks > MAX_BLOCKS) {
            free(acc);
            return hj_fail(err, HJ_ERR_INPUT,
                           "the projection's chain ran past %llu blocks: hashrate growth of %g%% a month outruns "
                           "the retarget; choose a smaller --hashrate-growth-pct-per-month",
                           (unsigned long long)MAX_BLOCKS, growth * 100.0);
        }
        hj_chain_retarget rt;
        (void)hj_chain_retarget_due(&c, &rt);
        uint64_t k = c.tip + 1; /* the block being mined */
        double subsidy = hj_subsidy_btc(k);
        double d = c.difficulty, t0 = c.t_s;
        if (k % HJ_HALVING_INTERVAL == 0 &&
            p->n_halving_months < sizeof p->halving_months / sizeof p->halving_months[0])
            p->halving_months[p->n_halving_months++] = (int)(t0 / MONTH_S) + 1;
        double dt = hj_chain_mine(&c, h0 * exp(log_growth * t0 / MONTH_S));
        /* spread the block's interval over the months it spans */
        double from = t0, to = t0 + dt;
        while (from < to && from < end_s) {
            int mi = (int)(from / MONTH_S);
            double stop = fmin(to, (mi + 1) * MONTH_S);
            acc[mi].inv_d += (stop - from) / (d * HJ_TWO_POW_32);
            acc[mi].subsidy_over_d += (stop - from) * subsidy / (d * HJ_TWO_POW_32);
            from = stop;
        }
        /* month ends passed by this block: the state in force at the boundary */
        while (next_end <= n && c.t_s >= next_end * MONTH_S) {
            mk[next_end].difficulty_at_end = d;
            mk[next_end].height_at_end = k - 1;
            mk[next_end].subsidy_btc_at_end = subsidy;
            mk[next_end].network_hashrate_ehs = h0 * exp(log_growth * next_end) / 1e18;
            next_end++;
        }
    }
    mk[0].month = 0;
    mk[0].btc_price_usd = req->btc_price_usd_by_month ? req->btc_price_usd_by_month[0] : m->btc_price_usd;
    mk[0].fees_btc_per_block =
        req->fees_btc_per_block_by_month ? req->fees_btc_per_block_by_month[0] : m->fees_btc_per_block;
    mk[0].difficulty = mk[0].difficulty_at_end = m->difficulty;
    mk[0].height_at_end = m->height;
    mk[0].subsidy_btc_at_end = m->subsidy_btc;
    mk[0].network_hashrate_ehs = h0 / 1e18;
    mk[0].hashprice_usd_per_ph_day =
        hj_hashprice_usd_per_ph_day(m->difficulty, m->subsidy_btc, mk[0].fees_btc_per_block, mk[0].btc_price_usd);
    mk[0].power_price_mean_usd_per_mwh = NAN;
    double price_growth = a->p[HJ_P_BTC_PRICE_GROWTH_PCT_PER_YEAR].value / 100.0;
    for (int i = 1; i <= n; i++) {
        hj_projection_market_month *x = &mk[i];
        x->month = i;
        /* month m at a year's growth x m / 12, as a path's month m */
        x->btc_price_usd = req->btc_price_usd_by_month ? req->btc_price_usd_by_month[i]
                                                       : m->btc_price_usd * pow(1.0 + price_growth, i / 12.0);
        x->fees_btc_per_block =
            req->fees_btc_per_block_by_month ? req->fees_btc_per_block_by_month[i] : m->fees_btc_per_block;
        const month_acc *ac = &acc[i - 1];
        x->difficulty = MONTH_S / (ac->inv_d * HJ_TWO_POW_32);
        double btc_per_hash = ac->subsidy_over_d + x->fees_btc_per_block * ac->inv_d;
        x->hashprice_usd_per_ph_day = 1e15 * 86400.0 * x->btc_price_usd * btc_per_hash / MONTH_S;
        x->power_price_mean_usd_per_mwh = NAN;
        if (req->power_prices_usd_per_mwh) {
            double sum = 0;
            for (int h = 0; h < HOURS_PER_MONTH_INT; h++)
                sum += req->power_prices_usd_per_mwh[((size_t)(i - 1) * HOURS_PER_MONTH_INT + (size_t)h) %
                                                     req->n_power_prices];
            x->power_price_mean_usd_per_mwh = sum / HOURS_PER_MONTH_INT;
        }
    }
    for (size_t i = 0; i < p->n_halving_months; i++)
        if (p->halving_months[i] >= 1 && p->halving_months[i] <= n)
            mk[p->halving_months[i]].halving = true;
    free(acc);
    /* The model takes each MW as a price-taker: its hashrate must stay a
     * small share of the network's (1 MW of a 15 J/TH fleet is 0.07 EH/s). */
    for (int i = 1; i <= n; i++)
        if (mk[i].network_hashrate_ehs < HJ_PROJECTION_MIN_NETWORK_EHS)
            return hj_fail(err, HJ_ERR_INPUT,
                           "at %g%% a month the network falls to %.3g EH/s by month %d, where one MW is no longer a "
                           "small share of it and the model does not hold; choose a smaller decline or fewer months",
                           growth * 100.0, mk[i].network_hashrate_ehs, i);
    return HJ_OK;
}

/* The price of hour h of month i (1-based), from the file. */
static double hour_price(const hj_projection_request *req, int i, int h)
{
    return req->power_prices_usd_per_mwh[((size_t)(i - 1) * HOURS_PER_MONTH_INT + (size_t)h) % req->n_power_prices];
}

/* Mining: revenue at the month's hashprice, in the hours priced below the
 * month's break-even, times the planned availability. */
static void project_mining(const hj_projection_request *req, const hj_fleet_market *m, const hj_fleet_assumptions *a,
                           const hj_projection *p, const hj_fleet_option *o, hj_projection_option *po)
{
    double fee = m->pool_fee_pct / 100.0;
    double avail = a->p[HJ_P_UPTIME_PCT].value / 100.0;
    for (int i = 1; i <= p->months; i++) {
        const hj_projection_market_month *x = &p->market[i];
        hj_projection_month *r = &po->monthly[i];
        /* USD per hour per MW of facility power = USD per facility MWh */
        double revenue_per_mwh = x->hashprice_usd_per_ph_day * o->hashrate_ph_per_mw / 24.0;
        double breakeven = revenue_per_mwh * (1.0 - fee);
        double run_hours = 0, paid = 0;
        if (req->power_prices_usd_per_mwh) {
            for (int h = 0; h < HOURS_PER_MONTH_INT; h++) {
                double price = hour_price(req, i, h);
                if (price < breakeven) {
                    run_hours += 1;
                    paid += price;
                }
            }
        } else if (o->electricity_usd_per_mwh < breakeven) {
            run_hours = HJ_HOURS_PER_MONTH;
            paid = o->electricity_usd_per_mwh * HJ_HOURS_PER_MONTH;
        }
        r->revenue_usd_per_mw = revenue_per_mwh * run_hours * avail;
        r->other_cost_usd_per_mw = r->revenue_usd_per_mw * fee;
        r->electricity_usd_per_mw = paid * avail;
        r->hashprice_usd_per_ph_day = x->hashprice_usd_per_ph_day;
        r->difficulty = x->difficulty;
        r->uptime_pct = 100.0 * avail * run_hours / HJ_HOURS_PER_MONTH;
        r->mean_price_paid_usd_per_mwh = run_hours > 0 ? paid / run_hours : NAN;
    }
    snprintf(po->note, sizeof po->note,
             "runs in the hours priced below its break-even of the month, %.4g%% available; no retirement or "
             "replacement within the horizon",
             avail * 100.0);
}

/* Electricity of an AI option that runs every hour, at `flat` USD/MWh
 * without a price file. */
static double ai_electricity(const hj_projection_request *req, const hj_projection *p, int i, double flat)
{
    return req->power_prices_usd_per_mwh ? p->market[i].power_price_mean_usd_per_mwh * HJ_HOURS_PER_MONTH
                                         : flat * HJ_HOURS_PER_MONTH;
}

/* Months from the decision to the first rent, within 0..HJ_PROJECTION_MAX_MONTHS. */
static int months_to_revenue(const hj_fleet_assumptions *a)
{
    return (int)lround(fmin(fmax(a->p[HJ_P_AI_MONTHS_TO_REVENUE].value, 0.0), HJ_PROJECTION_MAX_MONTHS));
}

static void project_colocation(const hj_projection_request *req, const hj_fleet_assumptions *a, const hj_projection *p,
                               const hj_fleet_option *o, hj_projection_option *po)
{
    const hj_colocation_deal *d = o->source_index < a->n_colo ? &a->colo[o->source_index] : NULL;
    double term_years = d && !isnan(d->term_years) ? d->term_years : a->p[HJ_P_COLOCATION_TERM_YEARS].value;
    /* both within the horizon's range before the conversion to int */
    int term_months = (int)lround(fmin(fmax(term_years * 12.0, 0.0), 10.0 * HJ_PROJECTION_MAX_MONTHS));
    int start = months_to_revenue(a); /* months of conversion, no rent */
    double escalator = a->p[HJ_P_COLOCATION_ESCALATOR_PCT_PER_YEAR].value / 100.0;
    double opex_share = o->revenue_usd_per_mwh > 0 ? o->other_opex_usd_per_mwh / o->revenue_usd_per_mwh : 0;
    bool passthrough = a->p[HJ_P_COLOCATION_POWER_PASSTHROUGH].value >= 0.5;
    for (int i = 1; i <= p->months; i++) {
        hj_projection_month *r = &po->monthly[i];
        int lease_month = i - start; /* 1 = the first month of rent */
        if (lease_month < 1 || lease_month > term_months)
            continue;
        /* the escalator steps once a year from the first month of rent */
        r->revenue_usd_per_mw =
            o->revenue_usd_per_mwh * HJ_HOURS_PER_MONTH * pow(1.0 + escalator, floor((lease_month - 1) / 12.0));
        r->other_cost_usd_per_mw = r->revenue_usd_per_mw * opex_share;
        r->electricity_usd_per_mw = passthrough ? 0.0 : ai_electricity(req, p, i, o->electricity_usd_per_mwh);
    }
    int n =
        snprintf(po->note, sizeof po->note,
                 "conversion capex at month 0, rent from month %d for %.3g years, %+.3g%% a year; electricity %s",
                 start + 1, term_years, escalator * 100.0, passthrough ? "paid by the tenant" : "paid by the landlord");
    if (start + term_months < p->months && n > 0 && (size_t)n < sizeof po->note)
        snprintf(po->note + n, sizeof po->note - (size_t)n, "; the lease ends after month %d (no renewal assumed)",
                 start + term_months);
}

static void project_gpu_cloud(const hj_projection_request *req, const hj_fleet_assumptions *a, const hj_projection *p,
                              const hj_fleet_option *o, hj_projection_option *po)
{
    int start = months_to_revenue(a);
    double decline = a->p[HJ_P_GPU_PRICE_DECLINE_PCT_PER_YEAR].value / 100.0;
    double opex_share = o->revenue_usd_per_mwh > 0 ? o->other_opex_usd_per_mwh / o->revenue_usd_per_mwh : 0;
    for (int i = start + 1; i <= p->months; i++) {
        hj_projection_month *r = &po->monthly[i];
        /* rental prices fall from month 1, while the site is still converted */
        r->revenue_usd_per_mw = o->revenue_usd_per_mwh * HJ_HOURS_PER_MONTH * pow(1.0 - decline, (i - 1) / 12.0);
        r->other_cost_usd_per_mw = r->revenue_usd_per_mw * opex_share;
        r->electricity_usd_per_mw = ai_electricity(req, p, i, o->electricity_usd_per_mwh);
    }
    snprintf(po->note, sizeof po->note,
             "GPUs, servers and conversion at month 0, rent from month %d, prices %+.3g%% a year, non-power opex "
             "%.3g%% of revenue; no retirement or replacement within the horizon",
             start + 1, -decline * 100.0, opex_share * 100.0);
}

/* One option's series, then NPV, IRR and payback. */
static hj_status project_option(const hj_projection_request *req, const hj_fleet_market *m,
                                const hj_fleet_assumptions *a, hj_projection *p, const hj_fleet_option *o,
                                hj_projection_option *po, hj_error *err)
{
    snprintf(po->name, sizeof po->name, "%s", o->name);
    po->kind = o->kind;
    po->mining = hj_fleet_kind_is_mining(o->kind);
    po->capex_usd_per_mw = o->capex_usd_per_mw;
    po->npv_usd_per_mw = po->irr_pct_per_year = NAN;
    po->payback_month = -1;
    po->available = o->available && isfinite(o->revenue_usd_per_mwh) && (!po->mining || o->hashrate_ph_per_mw > 0);
    if (!po->available) {
        snprintf(po->reason, sizeof po->reason, "%s", o->available ? "no revenue figure" : o->reason);
        return HJ_OK;
    }
    po->n_months = p->months;
    po->monthly = calloc((size_t)p->months + 1, sizeof *po->monthly);
    if (!po->monthly)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    for (int i = 0; i <= p->months; i++) {
        hj_projection_month *r = &po->monthly[i];
        r->month = i;
        r->hashprice_usd_per_ph_day = r->difficulty = r->uptime_pct = r->mean_price_paid_usd_per_mwh = NAN;
    }
    if (po->mining)
        project_mining(req, m, a, p, o, po);
    else if (o->kind == HJ_KIND_AI_COLOCATION)
        project_colocation(req, a, p, o, po);
    else
        project_gpu_cloud(req, a, p, o, po);

    po->capex_known = isfinite(o->capex_usd_per_mw);
    if (o->kind == HJ_KIND_OPERATOR_FLEET) {
        size_t len = strlen(po->note);
        snprintf(po->note + len, sizeof po->note - len,
                 "; owned (capex 0): NPV is the value of running it on, at its mean power price");
    }
    if (!po->capex_known) {
        size_t len = strlen(po->note);
        snprintf(po->note + len, sizeof po->note - len, "; no capex known (%s): NPV, IRR and payback need one",
                 o->kind == HJ_KIND_ASIC ? "no list price in the ASIC table" : "the hardware's price is not known");
    }
    double *cash = malloc(((size_t)p->months + 1) * sizeof *cash);
    if (!cash)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    double cumulative = 0;
    for (int i = 0; i <= p->months; i++) {
        hj_projection_month *r = &po->monthly[i];
        if (i == 0) {
            r->capex_usd_per_mw = po->capex_known ? o->capex_usd_per_mw : 0.0;
            /* in every month net = revenue - electricity - other - capex */
        }
        r->net_usd_per_mw =
            r->revenue_usd_per_mw - r->electricity_usd_per_mw - r->other_cost_usd_per_mw - r->capex_usd_per_mw;
        cumulative += r->net_usd_per_mw;
        r->cumulative_usd_per_mw = cumulative;
        cash[i] = r->net_usd_per_mw;
        if (po->payback_month < 0 && cumulative >= 0 && po->capex_known)
            po->payback_month = i;
    }
    if (po->capex_known) {
        po->npv_usd_per_mw = hj_npv(cash, (size_t)p->months + 1, p->monthly_discount_rate);
        po->irr_pct_per_year = hj_irr_pct_per_year(cash, (size_t)p->months + 1);
    }
    free(cash);
    return HJ_OK;
}

static int crossover_month(const hj_projection_option *mining, const hj_projection_option *ai, int months)
{
    int since = 0; /* the first month of the run of months AI is at or above */
    for (int i = 0; i <= months; i++)
        if (ai->monthly[i].cumulative_usd_per_mw < mining->monthly[i].cumulative_usd_per_mw)
            since = i + 1;
    return since > months ? -1 : since;
}

hj_status hj_fleet_project(const hj_projection_request *req, const hj_fleet_market *m, const hj_fleet_assumptions *a,
                           const hj_fleet_option *opt, size_t n, hj_projection *p, hj_error *err)
{
    memset(p, 0, sizeof *p);
    if (req->months < 1 || req->months > HJ_PROJECTION_MAX_MONTHS)
        return hj_fail(err, HJ_ERR_INPUT, "--months %d is out of range; expected 1..%d", req->months,
                       HJ_PROJECTION_MAX_MONTHS);
    if (m->hashprice_overridden)
        return hj_fail(err, HJ_ERR_INPUT,
                       "the projection computes hashprice from difficulty month by month; it cannot run with "
                       "--hashprice-usd-per-ph-day");
    if (req->power_prices_usd_per_mwh && req->n_power_prices == 0)
        return hj_fail(err, HJ_ERR_INPUT, "the power price list is empty");
    p->months = req->months;
    p->discount_rate_pct_per_year = a->p[HJ_P_DISCOUNT_RATE_PCT_PER_YEAR].value;
    p->monthly_discount_rate = pow(1.0 + p->discount_rate_pct_per_year / 100.0, 1.0 / 12.0) - 1.0;
    p->market = calloc((size_t)req->months + 1, sizeof *p->market);
    p->options = calloc(n ? n : 1, sizeof *p->options);
    if (!p->market || !p->options) {
        hj_projection_free(p);
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    }
    hj_status st = project_network(req, m, a, p, err);
    for (size_t i = 0; i < n && st == HJ_OK; i++) {
        st = project_option(req, m, a, p, &opt[i], &p->options[i], err);
        p->n_options = i + 1;
    }
    if (st) {
        hj_projection_free(p);
        return st;
    }
    size_t pairs = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            pairs += p->options[i].mining && !p->options[j].mining;
    p->crossovers = calloc(pairs ? pairs : 1, sizeof *p->crossovers);
    if (!p->crossovers) {
        hj_projection_free(p);
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const hj_projection_option *mi = &p->options[i];
        if (!mi->mining || !mi->available || !mi->capex_known)
            continue;
        for (size_t j = 0; j < n; j++) {
            const hj_projection_option *ai = &p->options[j];
            if (ai->mining || !ai->available || !ai->capex_known)
                continue;
            p->crossovers[p->n_crossovers++] = (hj_projection_crossover){i, j, crossover_month(mi, ai, p->months)};
        }
    }
    return HJ_OK;
}
