/* The OpenCL backend's settings: from the environment, checked, and the ones
 * every scan uses. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocl_private.h"

static pthread_mutex_t g_opt_lock = PTHREAD_MUTEX_INITIALIZER;
static hj_opencl_options g_opt;
static bool g_opt_set;

static hj_status env_u64(const char *name, uint64_t min, uint64_t max, uint64_t *out, bool *found, hj_error *err)
{
    const char *v = getenv(name);
    *found = v && v[0];
    if (!*found)
        return HJ_OK;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 0);
    if (v[0] == '-' || *end || errno || x < min || x > max)
        return hj_fail(err, HJ_ERR_INPUT, "environment variable %s='%s': expected an integer in %llu..%llu", name, v,
                       (unsigned long long)min, (unsigned long long)max);
    *out = x;
    return HJ_OK;
}

static hj_status env_flag(const char *name, bool *out, hj_error *err)
{
    const char *v = getenv(name);
    if (!v || !v[0])
        return HJ_OK;
    if (strcmp(v, "1") == 0)
        *out = true;
    else if (strcmp(v, "0") == 0)
        *out = false;
    else
        return hj_fail(err, HJ_ERR_INPUT, "environment variable %s='%s': expected 0 or 1", name, v);
    return HJ_OK;
}

static hj_status check_options(const hj_opencl_options *o, hj_error *err)
{
    if (o->launch_ms < 0 || o->launch_ms > 10000)
        return hj_fail(err, HJ_ERR_INPUT, "OpenCL launch time %g ms out of range: expected 1..10000", o->launch_ms);
    if (o->vector && !hj_ocl_vector_ok(o->vector))
        return hj_fail(err, HJ_ERR_INPUT, "OpenCL vector width %u: expected 1, 2, 4, 8 or 16", o->vector);
    if (o->iters > 64)
        return hj_fail(err, HJ_ERR_INPUT, "OpenCL iterations per work-item %u: expected 1..64", o->iters);
    if (o->in_flight && (o->in_flight < 2 || o->in_flight > HJ_OCL_MAX_IN_FLIGHT))
        return hj_fail(err, HJ_ERR_INPUT, "OpenCL launches in flight %u: expected 2..%d", o->in_flight,
                       HJ_OCL_MAX_IN_FLIGHT);
    if (o->launch_nonces > HJ_OCL_MAX_LAUNCH_NONCES)
        return hj_fail(err, HJ_ERR_INPUT, "OpenCL nonces per launch %llu: at most %lu",
                       (unsigned long long)o->launch_nonces, (unsigned long)HJ_OCL_MAX_LAUNCH_NONCES);
    if (o->local_size > 65536)
        return hj_fail(err, HJ_ERR_INPUT, "OpenCL local size %u: at most 65536", o->local_size);
    if (o->hit_slots > (1u << 24))
        return hj_fail(err, HJ_ERR_INPUT, "OpenCL hit slots %u: at most 16777216", o->hit_slots);
    return HJ_OK;
}

hj_status hj_opencl_options_from_env(hj_opencl_options *o, hj_error *err)
{
    uint64_t v = 0;
    bool found;
    hj_status st;
#define U(name, min, max, field)                                  \
    if ((st = env_u64(name, min, max, &v, &found, err)) != HJ_OK) \
        return st;                                                \
    if (found)                                                    \
        o->field = v;
    U("HJ_OPENCL_LAUNCH_MS", 1, 10000, launch_ms)
    U("HJ_OPENCL_LOCAL_SIZE", 1, 65536, local_size)
    U("HJ_OPENCL_LAUNCH_NONCES", 1, HJ_OCL_MAX_LAUNCH_NONCES, launch_nonces)
    U("HJ_OPENCL_HIT_SLOTS", 1, 1u << 24, hit_slots)
    U("HJ_OPENCL_VECTOR", 1, 16, vector)
    U("HJ_OPENCL_ITERS", 1, 64, iters)
    U("HJ_OPENCL_IN_FLIGHT", 2, HJ_OCL_MAX_IN_FLIGHT, in_flight)
#undef U
    const char *b = getenv("HJ_OPENCL_BUILD_OPTIONS");
    if (b) {
        if (strlen(b) >= sizeof o->build_options)
            return hj_fail(err, HJ_ERR_INPUT, "environment variable HJ_OPENCL_BUILD_OPTIONS: longer than %zu bytes",
                           sizeof o->build_options - 1);
        snprintf(o->build_options, sizeof o->build_options, "%s", b);
    }
    if ((st = env_flag("HJ_OPENCL_NO_CACHE", &o->no_cache, err)) != HJ_OK ||
        (st = env_flag("HJ_OPENCL_VERBOSE", &o->verbose, err)) != HJ_OK)
        return st;
    if (o->vector && !hj_ocl_vector_ok(o->vector))
        return hj_fail(err, HJ_ERR_INPUT, "environment variable HJ_OPENCL_VECTOR=%u: expected 1, 2, 4, 8 or 16",
                       o->vector);
    return check_options(o, err);
}

hj_status hj_opencl_set_options(const hj_opencl_options *opt, hj_error *err)
{
    hj_status st = check_options(opt, err);
    if (st != HJ_OK)
        return st;
    pthread_mutex_lock(&g_opt_lock);
    g_opt = *opt;
    g_opt_set = true;
    pthread_mutex_unlock(&g_opt_lock);
    return HJ_OK;
}

hj_status hj_ocl_current_options(hj_opencl_options *out, hj_error *err)
{
    pthread_mutex_lock(&g_opt_lock);
    hj_status st = HJ_OK;
    if (!g_opt_set) {
        hj_opencl_options o;
        memset(&o, 0, sizeof o);
        st = hj_opencl_options_from_env(&o, err);
        if (st == HJ_OK) {
            g_opt = o;
            g_opt_set = true;
        }
    }
    *out = g_opt;
    pthread_mutex_unlock(&g_opt_lock);
    return st;
}
