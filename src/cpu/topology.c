/* Topology and worker pinning with hwloc (one topology per process). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <hwloc.h>

#include "hashjoule/topology.h"

static hwloc_topology_t g_topo;
static hj_topology_summary g_summary;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static uint64_t first_cache_size(hwloc_obj_type_t type)
{
    hwloc_obj_t obj = hwloc_get_obj_by_type(g_topo, type, 0);
    return obj && obj->attr ? obj->attr->cache.size : 0;
}

static void load(void)
{
    hj_topology_summary *s = &g_summary;
    memset(s, 0, sizeof *s);
    if (hwloc_topology_init(&g_topo) != 0) {
        snprintf(s->error, sizeof s->error, "hwloc_topology_init failed");
        return;
    }
    if (hwloc_topology_load(g_topo) != 0) {
        snprintf(s->error, sizeof s->error, "hwloc_topology_load failed");
        hwloc_topology_destroy(g_topo);
        return;
    }
    s->available = true;
    s->packages = hwloc_get_nbobjs_by_type(g_topo, HWLOC_OBJ_PACKAGE);
    s->numa_nodes = hwloc_get_nbobjs_by_type(g_topo, HWLOC_OBJ_NUMANODE);
    s->cores = hwloc_get_nbobjs_by_type(g_topo, HWLOC_OBJ_CORE);
    s->pus = hwloc_get_nbobjs_by_type(g_topo, HWLOC_OBJ_PU);
    if (s->cores <= 0) /* some VMs expose PUs only */
        s->cores = s->pus;
    s->l1d_bytes = first_cache_size(HWLOC_OBJ_L1CACHE);
    s->l2_bytes = first_cache_size(HWLOC_OBJ_L2CACHE);
    s->l3_bytes = first_cache_size(HWLOC_OBJ_L3CACHE);
    s->l3_count = hwloc_get_nbobjs_by_type(g_topo, HWLOC_OBJ_L3CACHE);
}

const hj_topology_summary *hj_topology_get(void)
{
    pthread_once(&g_once, load);
    return &g_summary;
}

bool hj_topology_bind_worker(unsigned index, int *core_out, int *pu_out)
{
    *core_out = *pu_out = -1;
    if (!hj_topology_get()->available)
        return false;
    int ncores = hwloc_get_nbobjs_by_type(g_topo, HWLOC_OBJ_CORE);
    hwloc_obj_t pu;
    int core_index;
    if (ncores > 0) {
        /* Worker i goes to core i % ncores; the SMT sibling (i / ncores) of it. */
        hwloc_obj_t core = hwloc_get_obj_by_type(g_topo, HWLOC_OBJ_CORE, index % (unsigned)ncores);
        int npus = hwloc_get_nbobjs_inside_cpuset_by_type(g_topo, core->cpuset, HWLOC_OBJ_PU);
        if (npus <= 0)
            return false;
        pu = hwloc_get_obj_inside_cpuset_by_type(g_topo, core->cpuset, HWLOC_OBJ_PU,
                                                 (index / (unsigned)ncores) % (unsigned)npus);
        core_index = (int)core->logical_index;
    } else {
        int npus = hwloc_get_nbobjs_by_type(g_topo, HWLOC_OBJ_PU);
        if (npus <= 0)
            return false;
        pu = hwloc_get_obj_by_type(g_topo, HWLOC_OBJ_PU, index % (unsigned)npus);
        core_index = (int)pu->logical_index;
    }
    if (!pu || hwloc_set_cpubind(g_topo, pu->cpuset, HWLOC_CPUBIND_THREAD) != 0)
        return false;
    *core_out = core_index;
    *pu_out = (int)pu->os_index;
    return true;
}
