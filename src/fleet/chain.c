/* The deterministic block-by-block chain of chain.h. */
#include "chain.h"

#include <math.h>

#include "hashjoule/consensus.h"

void hj_chain_init(hj_chain *c, double difficulty, uint64_t tip)
{
    c->difficulty = difficulty;
    c->tip = tip;
    c->t_s = 0;
    c->epoch_first_height = tip - tip % HJ_RETARGET_INTERVAL;
    c->t_epoch_first_s = -(double)(tip % HJ_RETARGET_INTERVAL) * HJ_BLOCK_SPACING_S;
}

bool hj_chain_retarget_due(hj_chain *c, hj_chain_retarget *r)
{
    uint64_t k = c->tip + 1;
    if (k % HJ_RETARGET_INTERVAL != 0)
        return false;
    /* Core: timespan = time(k-1) - time(k-2016), 2015 intervals */
    r->height = k;
    r->epoch_first_height = c->epoch_first_height;
    r->span_s = c->t_s - c->t_epoch_first_s;
    r->epoch_start_s = c->t_epoch_first_s;
    r->difficulty_before = c->difficulty;
    r->difficulty_after = hj_retarget_difficulty(c->difficulty, r->span_s);
    c->difficulty = r->difficulty_after;
    c->t_epoch_first_s = NAN; /* set when block k is found */
    c->epoch_first_height = k;
    return true;
}

double hj_chain_mine(hj_chain *c, double hashrate_hs)
{
    double dt = c->difficulty * HJ_TWO_POW_32 / hashrate_hs; /* expected time to the next block */
    c->t_s += dt;
    c->tip++;
    if (isnan(c->t_epoch_first_s))
        c->t_epoch_first_s = c->t_s;
    return dt;
}
