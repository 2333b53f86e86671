/* A deterministic chain, block by block (private to src/fleet): each block
 * arrives after its expected time D x 2^32 / H at the hashrate in force, and
 * every 2016th block retargets by Bitcoin Core's rule. The exit scenario and
 * the projection both drive it. */
#ifndef HJ_FLEET_CHAIN_H
#define HJ_FLEET_CHAIN_H

#include <stdbool.h>
#include <stdint.h>

typedef struct hj_chain {
    double difficulty;
    uint64_t tip;           /* height of the last block found */
    double t_s;             /* the time it was found; 0 = the start */
    double t_epoch_first_s; /* time of the epoch's first block; NAN until it is found */
    uint64_t epoch_first_height;
} hj_chain;

typedef struct hj_chain_retarget {
    uint64_t height;             /* the first block of the new epoch */
    uint64_t epoch_first_height; /* the closing epoch's first block */
    double span_s;               /* Core's timespan: 2015 intervals */
    double difficulty_before, difficulty_after;
    double epoch_start_s; /* time of the closing epoch's first block */
} hj_chain_retarget;

/* The chain at `tip`, found at t = 0; the blocks of the epoch in progress
 * are taken at the target spacing (600 s). */
void hj_chain_init(hj_chain *c, double difficulty, uint64_t tip);
/* Before mining block tip + 1: when it opens an epoch, retarget (Core: the
 * timespan runs from the closing epoch's first block to its last) and return
 * true with *r filled. */
bool hj_chain_retarget_due(hj_chain *c, hj_chain_retarget *r);
/* Mine block tip + 1 at `hashrate_hs`; returns its interval in seconds. */
double hj_chain_mine(hj_chain *c, double hashrate_hs);

#endif
