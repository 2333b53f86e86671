/* The plan of a bench run: which kernels (--kernel, --device) at which
 * thread counts (--threads), the device each kernel drives, and which energy
 * sensors cover it. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bench_internal.h"
#include "hashjoule/bench.h"
#include "hashjoule/cpu.h"
#include "hashjoule/energy.h"
#include "hashjoule/error.h"
#include "hashjoule/kernel.h"
#include "hashjoule/opencl.h"
#include "hashjoule/parse.h"
#include "hashjoule/results.h"
#include "hashjoule/topology.h"

static hj_status split_list(const char *text, const char *what, char items[][96], size_t max, size_t *n, hj_error *err)
{
    *n = 0;
    const char *p = text;
    while (1) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0 || len >= 96)
            return hj_fail(err, HJ_ERR_INPUT, "%s: '%s' is not a comma-separated list of names", what, text);
        if (*n == max)
            return hj_fail(err, HJ_ERR_INPUT, "%s: more than %zu items", what, max);
        memcpy(items[*n], p, len);
        items[(*n)++][len] = '\0';
        if (!comma)
            return HJ_OK;
        p = comma + 1;
    }
}

/* "opencl:0:1" and "0:1" name the same device; a kernel matches an id when
 * its name is the id or ends with ":" + id. */
static bool kernel_matches_device(const hj_kernel *k, const char *id)
{
    size_t nl = strlen(k->name), il = strlen(id);
    if (strcmp(k->name, id) == 0)
        return true;
    return nl > il && k->name[nl - il - 1] == ':' && strcmp(k->name + nl - il, id) == 0;
}

static bool add_kernel(const hj_kernel **list, size_t *n, size_t max, const hj_kernel *k)
{
    for (size_t i = 0; i < *n; i++)
        if (list[i] == k)
            return true;
    if (*n == max)
        return false;
    list[(*n)++] = k;
    return true;
}

unsigned hj_bench_best_versions(const hj_kernel *k)
{
    return (k->scan_cpu_versions || k->scan_device_versions) && k->versions_per_pass > 1 ? k->versions_per_pass : 1;
}

/* --versions: counts of versions, or `best`; 0 stands for best. */
static hj_status parse_versions(const char *arg, unsigned *versions, size_t *n, hj_error *err)
{
    *n = 0;
    if (!arg) {
        versions[(*n)++] = 0;
        return HJ_OK;
    }
    char items[16][96];
    size_t ni;
    hj_status st = split_list(arg, "--versions", items, 16, &ni, err);
    for (size_t j = 0; j < ni && st == HJ_OK; j++) {
        uint64_t v = 0;
        if (strcmp(items[j], "best") != 0 &&
            (st = hj_parse_u64(items[j], "--versions", 1, HJ_VERSION_ROLL_VALUES, &v, err)) != HJ_OK)
            break;
        versions[(*n)++] = (unsigned)v;
    }
    return st;
}

static hj_status build_plan(const char *kernel_arg, const char *device_arg, const char *threads_arg,
                            const char *versions_arg, plan_item **plan, size_t *n_plan, json_t *skipped, hj_error *err)
{
    enum { MAXK = 256 };
    const hj_kernel *kernels[MAXK] = {0};
    size_t nk = 0;
    char why[256];
    size_t total = hj_kernel_count();

    if (!kernel_arg) {
        add_kernel(kernels, &nk, MAXK, hj_kernel_auto());
        for (size_t i = 0; i < total; i++) {
            const hj_kernel *k = hj_kernel_at(i);
            if (k->kind != HJ_KERNEL_DEVICE)
                continue;
            if (hj_kernel_available(k, why, sizeof why))
                add_kernel(kernels, &nk, MAXK, k);
            else
                json_array_append_new(skipped, json_pack("{s:s, s:s}", "kernel", k->name, "reason", why));
        }
    } else {
        char names[64][96];
        size_t nn;
        hj_status st = split_list(kernel_arg, "--kernel", names, 64, &nn, err);
        if (st != HJ_OK)
            return st;
        for (size_t j = 0; j < nn; j++) {
            if (strcmp(names[j], "auto") == 0) {
                add_kernel(kernels, &nk, MAXK, hj_kernel_auto());
            } else if (strcmp(names[j], "all") == 0) {
                for (size_t i = 0; i < total; i++) {
                    const hj_kernel *k = hj_kernel_at(i);
                    if (hj_kernel_available(k, why, sizeof why))
                        add_kernel(kernels, &nk, MAXK, k);
                    else
                        json_array_append_new(skipped, json_pack("{s:s, s:s}", "kernel", k->name, "reason", why));
                }
            } else {
                const hj_kernel *k = hj_kernel_find(names[j]);
                if (!k)
                    return hj_fail(err, HJ_ERR_INPUT, "--kernel: no kernel named '%s' (see hashjoule info)", names[j]);
                if (!hj_kernel_available(k, why, sizeof why))
                    return hj_fail(err, HJ_ERR_INPUT, "--kernel: %s cannot run on this machine: %s", k->name, why);
                add_kernel(kernels, &nk, MAXK, k);
            }
        }
    }

    if (device_arg && strcmp(device_arg, "all") != 0) {
        char ids[64][96];
        size_t ni;
        hj_status st = split_list(device_arg, "--device", ids, 64, &ni, err);
        if (st != HJ_OK)
            return st;
        bool keep_cpu = false;
        for (size_t j = 0; j < ni; j++) {
            if (strcmp(ids[j], "cpu") == 0) {
                keep_cpu = true;
                continue;
            }
            if (strcmp(ids[j], "none") == 0) {
                keep_cpu = true; /* no devices: the CPU kernels alone */
                continue;
            }
            bool known = false; /* the id must name a device kernel of this build */
            for (size_t i = 0; i < total; i++) {
                const hj_kernel *k = hj_kernel_at(i);
                known |= k->kind == HJ_KERNEL_DEVICE && kernel_matches_device(k, ids[j]);
            }
            if (!known)
                return hj_fail(err, HJ_ERR_INPUT,
                               "--device: no device '%s' (device kernels are listed by hashjoule info; use cpu, "
                               "all, none, an id P:D or a kernel name)",
                               ids[j]);
            /* A device named with no --kernel: its kernel joins the plan. */
            for (size_t i = 0; i < total; i++) {
                const hj_kernel *k = hj_kernel_at(i);
                if (!kernel_arg && k->kind == HJ_KERNEL_DEVICE && kernel_matches_device(k, ids[j])) {
                    if (!hj_kernel_available(k, why, sizeof why))
                        return hj_fail(err, HJ_ERR_INPUT, "--device %s: %s cannot run: %s", ids[j], k->name, why);
                    add_kernel(kernels, &nk, MAXK, k);
                }
            }
        }
        size_t w = 0;
        for (size_t i = 0; i < nk; i++) {
            bool keep = kernels[i]->kind == HJ_KERNEL_CPU ? keep_cpu : false;
            for (size_t j = 0; j < ni && !keep; j++)
                keep = kernels[i]->kind == HJ_KERNEL_DEVICE && kernel_matches_device(kernels[i], ids[j]);
            if (keep)
                kernels[w++] = kernels[i];
        }
        nk = w;
    }
    if (nk == 0)
        return hj_fail(err, HJ_ERR_INPUT, "nothing to run: --kernel and --device select no kernel that can run here");

    unsigned threads[64];
    size_t nt = 0;
    if (threads_arg) {
        char items[64][96];
        size_t n;
        hj_status st = split_list(threads_arg, "--threads", items, 64, &n, err);
        if (st != HJ_OK)
            return st;
        for (size_t j = 0; j < n; j++) {
            uint64_t v;
            if ((st = hj_parse_u64(items[j], "--threads", 1, 1024, &v, err)) != HJ_OK)
                return st;
            bool dup = false;
            for (size_t i = 0; i < nt; i++)
                dup |= threads[i] == v;
            if (!dup)
                threads[nt++] = (unsigned)v;
        }
    } else {
        int cores = hj_topology_get()->cores;
        threads[nt++] = cores > 0 ? (unsigned)cores : 1;
        if (threads[0] != 1)
            threads[nt++] = 1;
    }

    unsigned versions[16];
    size_t nv;
    hj_status vst = parse_versions(versions_arg, versions, &nv, err);
    if (vst != HJ_OK)
        return vst;

    /* nk, nt, nv >= 1 here (split_list yields at least one item); never calloc(0), which may return NULL */
    size_t n_alloc = nk * nt * nv;
    *plan = calloc(n_alloc ? n_alloc : 1, sizeof **plan);
    if (!*plan)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    *n_plan = 0;
    for (size_t i = 0; i < nk; i++) {
        /* `best` resolves per kernel; a count met twice (best = 1, and 1) is measured once */
        unsigned counts[16];
        size_t nc = 0;
        for (size_t k = 0; k < nv; k++) {
            unsigned v = versions[k] ? versions[k] : hj_bench_best_versions(kernels[i]);
            bool dup = false;
            for (size_t m = 0; m < nc; m++)
                dup |= counts[m] == v;
            if (!dup)
                counts[nc++] = v;
        }
        for (size_t k = 0; k < nc; k++) {
            bool best = false;
            for (size_t m = 0; m < nv; m++)
                best |= versions[m] == 0 && counts[k] == hj_bench_best_versions(kernels[i]);
            if (kernels[i]->kind == HJ_KERNEL_DEVICE) {
                (*plan)[(*n_plan)++] = (plan_item){kernels[i], 1, counts[k], best};
                continue;
            }
            for (size_t j = 0; j < nt; j++)
                (*plan)[(*n_plan)++] = (plan_item){kernels[i], threads[j], counts[k], best};
        }
    }
    return HJ_OK;
}

/* --- device names and which sensors cover a kernel ----------------------------- */
void hj_bench_describe_kernel(const hj_kernel *k, char *device, size_t device_len, bool *runs_on_cpu, bool *is_gpu,
                              bool *single_device)
{
    *runs_on_cpu = *is_gpu = *single_device = false;
    if (k->kind == HJ_KERNEL_CPU) {
        const hj_cpu_info *ci = hj_cpu_info_get();
        snprintf(device, device_len, "%s", ci->brand[0] ? ci->brand : ci->vendor[0] ? ci->vendor : "CPU");
        *runs_on_cpu = *single_device = true;
        return;
    }
    snprintf(device, device_len, "%s", k->description);
    *is_gpu = true;
    hj_opencl_device_info *devs = NULL;
    size_t n = 0;
    char note[256];
    if (hj_opencl_enumerate(&devs, &n, note, sizeof note, NULL) != HJ_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        char id[48];
        snprintf(id, sizeof id, "%u:%u", devs[i].platform_index, devs[i].device_index);
        if (kernel_matches_device(k, id)) {
            snprintf(device, device_len, "%s", devs[i].name);
            *runs_on_cpu = strcmp(devs[i].type, "cpu") == 0;
            *is_gpu = strcmp(devs[i].type, "gpu") == 0;
            *single_device = true;
        }
    }
    free(devs);
}

static size_t count_opencl_gpus(void)
{
    hj_opencl_device_info *devs = NULL;
    size_t n = 0, gpus = 0;
    char note[256];
    if (hj_opencl_enumerate(&devs, &n, note, sizeof note, NULL) == HJ_OK)
        for (size_t i = 0; i < n; i++)
            gpus += strcmp(devs[i].type, "gpu") == 0;
    free(devs);
    return gpus;
}

size_t hj_bench_primary_sensors(const bench_ctx *c, const result_rec *r, int *idx, char *why, size_t why_len)
{
    const hj_energy_set *set = &c->sensors;
    size_t n = 0;
    for (size_t i = 0; i < set->n_sensors; i++)
        if (strcmp(set->sensors[i]->scope, HJ_SCOPE_WALL) == 0)
            idx[n++] = (int)i;
    if (n)
        return n; /* the wall covers everything the machine does */
    const char *want = r->runs_on_cpu ? HJ_SCOPE_CPU_PACKAGE : HJ_SCOPE_GPU_BOARD;
    if (r->runs_on_cpu) {
        for (size_t i = 0; i < set->n_sensors; i++)
            if (strcmp(set->sensors[i]->scope, want) == 0)
                idx[n++] = (int)i; /* every package: together they are the CPU */
    } else {
        size_t boards = 0;
        int only = -1;
        for (size_t i = 0; i < set->n_sensors; i++) {
            if (strcmp(set->sensors[i]->scope, want) != 0)
                continue;
            boards++;
            only = (int)i;
            if (strcasecmp(set->sensors[i]->device, r->device) == 0 ||
                (set->sensors[i]->device[0] && strcasestr(r->device, set->sensors[i]->device)) ||
                (r->device[0] && strcasestr(set->sensors[i]->device, r->device)))
                idx[n++] = (int)i;
        }
        if (n > 1)
            n = 0; /* two boards of the same name: which one is ambiguous */
        if (n == 0 && boards == 1 && r->is_gpu_device && count_opencl_gpus() == 1)
            idx[n++] = only; /* one GPU, one GPU sensor */
        if (n == 0 && boards > 0) {
            snprintf(why, why_len,
                     "cannot tell which of the %zu GPU sensors measures '%s'; give a wall reading "
                     "with --power-watts or --power-cmd",
                     boards, r->device);
            return 0;
        }
    }
    if (n)
        return n;
    /* Say why, from the notes of the sources that would have covered it. */
    size_t off = (size_t)snprintf(why, why_len, "no %s energy sensor: ", want);
    bool any = false;
    for (size_t i = 0; i < set->n_notes && off < why_len; i++) {
        const char *src = set->notes[i].source;
        bool relevant = r->runs_on_cpu ? strcmp(src, "powercap-rapl") == 0 || strcmp(src, "perf-power") == 0
                                       : strcmp(src, "nvml") == 0 || strcmp(src, "amdgpu-hwmon") == 0;
        if (!relevant)
            continue;
        off += (size_t)snprintf(why + off, why_len - off, "%s%s", any ? "; " : "", set->notes[i].text);
        any = true;
    }
    if (off < why_len && c->hooks && c->hooks->wall_not_used && c->hooks->wall_not_used[0])
        snprintf(why + off, why_len - off, "%s%s", any ? "; " : "", c->hooks->wall_not_used);
    else if (off < why_len)
        snprintf(why + off, why_len - off, "%s%s", any ? "; " : "", HJ_RESULTS_WALL_HINT);
    return 0;
}

hj_status hj_bench_build_plan(const hj_bench_options *o, hj_bench_plan_item **plan, size_t *n_plan, json_t *skipped,
                              hj_error *err)
{
    return build_plan(o->kernel, o->device, o->threads, o->versions, plan, n_plan, skipped, err);
}
