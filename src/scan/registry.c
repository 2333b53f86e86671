/* The kernel registry: the static CPU table plus device kernels that the
 * installed backends register when they are first asked for. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_dispatch.h"
#include "grow.h"
#include "hashjoule/cpu.h"
#include "hashjoule/kernel.h"

#define MAX_DEVICE_KERNELS 64
#define MAX_BACKENDS 8

static hj_kernel g_devices[MAX_DEVICE_KERNELS];
static size_t g_n_devices;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

/* Backends in the order they were added; the first g_n_discovered of them
 * have run their discovery. Both counts only grow, and are atomics so the
 * common case (everything discovered) costs two loads and no lock. */
static const hj_kernel_backend *g_backends[MAX_BACKENDS];
static atomic_size_t g_n_backends, g_n_discovered;
static pthread_mutex_t g_backend_lock = PTHREAD_MUTEX_INITIALIZER;
/* Set while this thread runs a discovery: a registry call from inside it
 * sees the kernels so far instead of waiting for itself. */
static _Thread_local bool t_discovering;

hj_status hj_kernel_add_backend(const hj_kernel_backend *backend, hj_error *err)
{
    if (!backend || !backend->discover)
        return hj_fail(err, HJ_ERR_INPUT, "a kernel backend needs a discover function");
    if (t_discovering) /* this thread holds the lock below */
        return hj_fail(err, HJ_ERR_RUNTIME, "a kernel backend cannot be added during discovery");
    pthread_mutex_lock(&g_backend_lock);
    size_t n = atomic_load(&g_n_backends);
    for (size_t i = 0; i < n; i++)
        if (g_backends[i] == backend) {
            pthread_mutex_unlock(&g_backend_lock);
            return HJ_OK;
        }
    if (n == MAX_BACKENDS) {
        pthread_mutex_unlock(&g_backend_lock);
        return hj_fail(err, HJ_ERR_RUNTIME, "too many kernel backends (at most %d)", MAX_BACKENDS);
    }
    g_backends[n] = backend;
    atomic_store(&g_n_backends, n + 1);
    pthread_mutex_unlock(&g_backend_lock);
    return HJ_OK;
}

static void ensure_devices(void)
{
    if (t_discovering || atomic_load(&g_n_discovered) == atomic_load(&g_n_backends))
        return;
    pthread_mutex_lock(&g_backend_lock);
    t_discovering = true;
    for (size_t i = atomic_load(&g_n_discovered); i < atomic_load(&g_n_backends); i++) {
        g_backends[i]->discover();
        atomic_store(&g_n_discovered, i + 1);
    }
    t_discovering = false;
    pthread_mutex_unlock(&g_backend_lock);
}

hj_status hj_kernel_register(const hj_kernel *kernel, hj_error *err)
{
    pthread_mutex_lock(&g_lock);
    if (g_n_devices == MAX_DEVICE_KERNELS) {
        pthread_mutex_unlock(&g_lock);
        return hj_fail(err, HJ_ERR_RUNTIME, "too many device kernels (at most %d)", MAX_DEVICE_KERNELS);
    }
    g_devices[g_n_devices++] = *kernel;
    pthread_mutex_unlock(&g_lock);
    return HJ_OK;
}

size_t hj_kernel_count(void)
{
    size_t n_cpu;
    hj_cpu_kernel_table(&n_cpu);
    ensure_devices();
    return n_cpu + g_n_devices;
}

const hj_kernel *hj_kernel_at(size_t index)
{
    size_t n_cpu;
    const hj_kernel *cpu = hj_cpu_kernel_table(&n_cpu);
    if (index < n_cpu)
        return &cpu[index];
    ensure_devices();
    index -= n_cpu;
    return index < g_n_devices ? &g_devices[index] : NULL;
}

const hj_kernel *hj_kernel_find(const char *name)
{
    size_t n_cpu;
    const hj_kernel *cpu = hj_cpu_kernel_table(&n_cpu);
    for (size_t i = 0; i < n_cpu; i++)
        if (strcmp(cpu[i].name, name) == 0)
            return &cpu[i];
    ensure_devices();
    for (size_t i = 0; i < g_n_devices; i++)
        if (strcmp(g_devices[i].name, name) == 0)
            return &g_devices[i];
    size_t n_backends = atomic_load(&g_n_discovered);
    for (size_t i = 0; i < n_backends; i++) {
        const hj_kernel *k = g_backends[i]->find_alias ? g_backends[i]->find_alias(name) : NULL;
        if (k)
            return k;
    }
    return NULL;
}

bool hj_kernel_available(const hj_kernel *kernel, char *why, size_t why_len)
{
    if (kernel->kind == HJ_KERNEL_DEVICE) {
        if (kernel->unavailable_reason[0]) {
            if (why)
                snprintf(why, why_len, "%s", kernel->unavailable_reason);
            return false;
        }
        return true;
    }
    uint32_t missing = kernel->required_features & ~hj_cpu_features();
    if (!missing)
        return true;
    if (why) {
        const hj_cpu_info *ci = hj_cpu_info_get();
        uint32_t bit = missing & -missing; /* name the first missing feature */
        const char *cause;
        if (ci->cpuid_features & bit) {
            if (!(ci->usable_features & bit))
                cause = "the CPU has it but the OS does not enable its register state (XCR0)";
            else
                cause = "disabled by HJ_CPU_DISABLE";
        } else {
            cause = "this CPU does not have it";
        }
        snprintf(why, why_len, "needs %s: %s", hj_cpu_feature_name(bit), cause);
    }
    return false;
}

const hj_kernel *hj_kernel_auto(void)
{
    size_t n_cpu;
    const hj_kernel *cpu = hj_cpu_kernel_table(&n_cpu);
    const hj_kernel *best = NULL; /* scalar (no requirements) is always a candidate */
    for (size_t i = 0; i < n_cpu; i++)
        if ((!best || cpu[i].rank > best->rank) && hj_kernel_available(&cpu[i], NULL, 0))
            best = &cpu[i];
    return best;
}

hj_status hj_candidates_push(hj_candidates *list, uint32_t nonce, hj_error *err)
{
    size_t cap = 0;
    void *items = list->nonces;
    bool ok = hj_grow_for_one(&items, &list->capacity, list->count, sizeof *list->nonces, 256, &cap);
    list->nonces = items;
    if (!ok)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory for %zu candidates", cap);
    list->nonces[list->count++] = nonce;
    return HJ_OK;
}

void hj_candidates_free(hj_candidates *list)
{
    free(list->nonces);
    list->nonces = NULL;
    list->count = list->capacity = 0;
}

hj_status hj_vcandidates_push(hj_vcandidates *list, hj_vcandidate c, hj_error *err)
{
    size_t cap = 0;
    void *items = list->items;
    bool ok = hj_grow_for_one(&items, &list->capacity, list->count, sizeof *list->items, 256, &cap);
    list->items = items;
    if (!ok)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory for %zu candidates", cap);
    list->items[list->count++] = c;
    return HJ_OK;
}

void hj_vcandidates_free(hj_vcandidates *list)
{
    free(list->items);
    list->items = NULL;
    list->count = list->capacity = 0;
}
