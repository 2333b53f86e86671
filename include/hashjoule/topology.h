/* hashjoule — machine topology from hwloc, and pinning workers to cores. */
#ifndef HASHJOULE_TOPOLOGY_H
#define HASHJOULE_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_topology_summary {
    int packages, numa_nodes, cores, pus;
    uint64_t l1d_bytes, l2_bytes, l3_bytes; /* size of one cache of that level, 0 if none */
    int l3_count;                           /* how many L3 caches */
    bool available;                         /* hwloc loaded the topology */
    char error[256];
} hj_topology_summary;

/* Loaded once per process. */
const hj_topology_summary *hj_topology_get(void);

/* Bind the calling thread to worker slot `index`: cores first (one worker per
 * physical core), then further PUs of the same cores (SMT siblings) for
 * index >= cores. Reports the core's logical index and the PU's OS index;
 * returns false (and leaves the thread unbound) when binding is impossible. */
bool hj_topology_bind_worker(unsigned index, int *core, int *pu);

#ifdef __cplusplus
}
#endif
#endif
