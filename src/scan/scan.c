/* hj_scan_range: split a nonce range (crossed with a rolled job's versions)
 * over worker threads (CPU kernels) or hand it to a device kernel, then
 * re-verify every candidate with the reference before anything is reported. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "hashjoule/scan.h"
#include "hashjoule/topology.h"

/* A tile is the unit workers take from the shared counter: a chunk of nonces
 * crossed with a block of versions, at most this many hashes. Large enough
 * that taking one is free, small enough that a deadline or Ctrl-C is honoured
 * within tens of milliseconds even by the scalar kernel. */
#define TILE_HASHES 65536u

void hj_scan_options_default(hj_scan_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->pin_threads = true;
}

/* At most two pieces: [start, 2^32) and, when wrapping, [0, rest). */
typedef struct segment {
    uint32_t first;
    uint64_t count;
    uint64_t tiles;        /* nonce chunks x version blocks */
    _Atomic uint64_t next; /* the next tile to hand out */
} segment;

typedef struct hit_list {
    hj_hit *items;
    size_t count, capacity;
} hit_list;

typedef struct scan_shared {
    const hj_job *job;
    const hj_kernel *kernel;
    const hj_scan_options *opt;
    segment segs[2];
    int n_segs;
    uint32_t chunk;     /* nonces of a tile */
    uint32_t vblock;    /* versions of a tile (1 without rolling) */
    uint32_t n_vblocks; /* version blocks: tiles = nonce chunks x n_vblocks */
    size_t max_hits;
    _Atomic uint64_t hits_total;
    _Atomic uint64_t stored_hits;
    _Atomic int abort;   /* a worker failed */
    _Atomic int stopped; /* deadline or stop flag */
    pthread_mutex_t error_lock;
    hj_status status;
    hj_error error;
} scan_shared;

typedef struct worker {
    scan_shared *shared;
    unsigned index;
    pthread_t thread;
    hit_list hits;
    uint64_t candidates;
    hj_thread_report report;
} worker;

static void record_error(scan_shared *s, hj_status st, const hj_error *e)
{
    pthread_mutex_lock(&s->error_lock);
    if (s->status == HJ_OK) {
        s->status = st;
        s->error = *e;
    }
    pthread_mutex_unlock(&s->error_lock);
    atomic_store(&s->abort, 1);
}

static bool should_stop(scan_shared *s)
{
    const hj_scan_control *c = &s->opt->control;
    if (atomic_load(&s->abort) || atomic_load(&s->stopped))
        return true;
    if ((c->stop && *c->stop) || (c->deadline > 0 && hj_monotonic_seconds() >= c->deadline)) {
        atomic_store(&s->stopped, 1);
        return true;
    }
    return false;
}

/* Re-hash one candidate (version index, nonce) with the reference, over the
 * full header it names; keep it if it meets the target. */
static hj_status verify_candidate(scan_shared *s, uint32_t version_index, uint32_t nonce, hit_list *hits, hj_error *err)
{
    const hj_job *job = s->job;
    if (version_index >= job->n_versions)
        return hj_fail(err, HJ_ERR_RUNTIME,
                       "kernel %s proposed version index %u of a job with %u version(s): the kernel is wrong; "
                       "its results are discarded",
                       s->kernel->name, version_index, job->n_versions);
    uint32_t version = hj_job_version(job, version_index);
    uint8_t header[HJ_HEADER_BYTES], hash[32];
    memcpy(header, job->header, sizeof header);
    hj_write_le32(header, version);
    hj_write_le32(header + HJ_NONCE_OFFSET, nonce);
    hj_header_hash(header, hash);
    if (hj_read_le32(hash + 28) > job->h7_limit) {
        char which[32] = "";
        if (job->rolled)
            snprintf(which, sizeof which, " (version 0x%08x)", version);
        return hj_fail(err, HJ_ERR_RUNTIME,
                       "kernel %s proposed nonce %u%s, whose hash fails the H7 filter it was meant to "
                       "apply: the kernel is wrong; its results are discarded",
                       s->kernel->name, nonce, which);
    }
    if (!hj_hash_meets_target(hash, &job->target))
        return HJ_OK; /* H7 alone passed: a normal false candidate */
    atomic_fetch_add(&s->hits_total, 1);
    if (atomic_fetch_add(&s->stored_hits, 1) >= s->max_hits)
        return HJ_OK;
    size_t cap = 0;
    void *items = hits->items;
    bool ok = hj_grow_for_one(&items, &hits->capacity, hits->count, sizeof *hits->items, 64, &cap);
    hits->items = items;
    if (!ok)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory storing %zu hits", cap);
    hits->items[hits->count].nonce = nonce;
    hits->items[hits->count].version = version;
    memcpy(hits->items[hits->count].hash, hash, 32);
    hits->count++;
    return HJ_OK;
}

/* One tile: versions [v0, v0 + vn) x nonces [first, first + len), with the
 * kernel's version-rolling form where it has one, else one version at a
 * time (`nonces` is room for len candidates). */
static uint32_t scan_tile(const scan_shared *s, uint32_t v0, uint32_t vn, uint32_t first, uint32_t len,
                          hj_vcandidate *out, uint32_t *nonces)
{
    const hj_job *job = s->job;
    if (job->rolled && s->kernel->scan_cpu_versions)
        return s->kernel->scan_cpu_versions(job, v0, vn, first, len, out);
    uint32_t n = 0;
    for (uint32_t v = v0; v < v0 + vn; v++) {
        hj_job one;
        if (job->rolled)
            hj_job_for_version(job, v, &one);
        uint32_t m = s->kernel->scan_cpu(job->rolled ? &one : job, first, len, nonces);
        for (uint32_t i = 0; i < m; i++)
            out[n++] = (hj_vcandidate){v, nonces[i]};
    }
    return n;
}

static void *cpu_worker_main(void *arg)
{
    worker *w = arg;
    scan_shared *s = w->shared;
    w->report.core = w->report.pu = -1;
    if (s->opt->pin_threads)
        hj_topology_bind_worker(w->index, &w->report.core, &w->report.pu);

    hj_vcandidate *cands = malloc((size_t)s->chunk * s->vblock * sizeof *cands);
    uint32_t *nonces = malloc((size_t)s->chunk * sizeof *nonces);
    hj_error err = {{0}};
    if (!cands || !nonces) {
        record_error(s, hj_fail(&err, HJ_ERR_RUNTIME, "out of memory for candidates"), &err);
        free(cands);
        free(nonces);
        return NULL;
    }
    const uint32_t n_versions = s->job->n_versions;
    double t0 = hj_monotonic_seconds();
    for (int si = 0; si < s->n_segs; si++) {
        segment *seg = &s->segs[si];
        while (!should_stop(s)) {
            uint64_t tile = atomic_fetch_add(&seg->next, 1);
            if (tile >= seg->tiles)
                break;
            /* Nonce-chunk major: a scan stopped early has covered every
             * version of the nonces it reached, as a rolling miner does. */
            uint64_t off = tile / s->n_vblocks * s->chunk;
            uint32_t v0 = (uint32_t)(tile % s->n_vblocks) * s->vblock;
            uint32_t vn = n_versions - v0 < s->vblock ? n_versions - v0 : s->vblock;
            uint64_t len = seg->count - off < s->chunk ? seg->count - off : s->chunk;
            uint32_t first = (uint32_t)(seg->first + off);
            uint32_t n = scan_tile(s, v0, vn, first, (uint32_t)len, cands, nonces);
            w->report.hashes += len * vn;
            w->candidates += n;
            for (uint32_t i = 0; i < n; i++) {
                hj_status st = verify_candidate(s, cands[i].version, cands[i].nonce, &w->hits, &err);
                if (st != HJ_OK) {
                    record_error(s, st, &err);
                    break;
                }
            }
        }
    }
    w->report.seconds = hj_monotonic_seconds() - t0;
    free(cands);
    free(nonces);
    return NULL;
}

static void run_cpu(scan_shared *s, unsigned n_threads, worker *workers)
{
    unsigned started = 0;
    for (; started < n_threads; started++) {
        workers[started].shared = s;
        workers[started].index = started;
        if (pthread_create(&workers[started].thread, NULL, cpu_worker_main, &workers[started]) != 0) {
            hj_error e;
            hj_fail(&e, HJ_ERR_RUNTIME, "could not start worker thread %u of %u", started + 1, n_threads);
            record_error(s, HJ_ERR_RUNTIME, &e);
            break;
        }
    }
    for (unsigned i = 0; i < started; i++)
        pthread_join(workers[i].thread, NULL);
}

/* A device's version-rolling form over a rolled job: blocks of its
 * versions_per_pass versions, each block crossed with every segment. */
static hj_status run_device_versions(scan_shared *s, worker *w, hj_error *err)
{
    hj_vcandidates list = {0};
    const hj_job *job = s->job;
    uint32_t block = s->kernel->versions_per_pass > 1 ? s->kernel->versions_per_pass : 1;
    hj_status st = HJ_OK;
    bool early = false;
    for (uint32_t v0 = 0; v0 < job->n_versions && st == HJ_OK && !early; v0 += block) {
        uint32_t vn = job->n_versions - v0 < block ? job->n_versions - v0 : block;
        for (int si = 0; si < s->n_segs && st == HJ_OK && !(early = should_stop(s)); si++) {
            segment *seg = &s->segs[si];
            uint64_t done = 0;
            list.count = 0;
            st = s->kernel->scan_device_versions(s->kernel, job, v0, vn, seg->first, seg->count, &s->opt->control,
                                                 &list, &done, err);
            if (st != HJ_OK)
                break;
            w->report.hashes += done * vn;
            w->candidates += list.count;
            for (size_t i = 0; i < list.count && st == HJ_OK; i++) {
                const hj_vcandidate *c = &list.items[i];
                if ((uint32_t)(c->nonce - seg->first) >= done || c->version < v0 || c->version >= v0 + vn)
                    st = hj_fail(err, HJ_ERR_RUNTIME,
                                 "kernel %s proposed nonce %u of version index %u outside the range it scanned",
                                 s->kernel->name, c->nonce, c->version);
                else
                    st = verify_candidate(s, c->version, c->nonce, &w->hits, err);
            }
            if (done < seg->count) {
                should_stop(s); /* the device stopped early: record why */
                early = true;
            }
        }
    }
    hj_vcandidates_free(&list);
    return st;
}

/* A device scans the range one version at a time (a rolled job's versions
 * in order), each as a plain job, unless it has a version-rolling form. */
static hj_status run_device(scan_shared *s, worker *w, hj_error *err)
{
    if (s->job->rolled && s->kernel->scan_device_versions) {
        w->report.core = w->report.pu = -1;
        double t0 = hj_monotonic_seconds();
        hj_status st = run_device_versions(s, w, err);
        w->report.seconds = hj_monotonic_seconds() - t0;
        return st;
    }
    hj_candidates list = {0};
    w->report.core = w->report.pu = -1; /* the host thread of a device is not pinned */
    double t0 = hj_monotonic_seconds();
    hj_status st = HJ_OK;
    bool early = false;
    for (uint32_t v = 0; v < s->job->n_versions && st == HJ_OK && !early; v++) {
        hj_job one;
        if (s->job->rolled)
            hj_job_for_version(s->job, v, &one);
        const hj_job *job = s->job->rolled ? &one : s->job;
        for (int si = 0; si < s->n_segs && st == HJ_OK && !(early = should_stop(s)); si++) {
            segment *seg = &s->segs[si];
            uint64_t done = 0;
            list.count = 0;
            st = s->kernel->scan_device(s->kernel, job, seg->first, seg->count, &s->opt->control, &list, &done, err);
            if (st != HJ_OK)
                break;
            w->report.hashes += done;
            w->candidates += list.count;
            for (size_t i = 0; i < list.count && st == HJ_OK; i++) {
                uint32_t off = list.nonces[i] - seg->first;
                if (off >= done)
                    st = hj_fail(err, HJ_ERR_RUNTIME, "kernel %s proposed nonce %u outside the range it scanned",
                                 s->kernel->name, list.nonces[i]);
                else
                    st = verify_candidate(s, v, list.nonces[i], &w->hits, err);
            }
            if (done < seg->count) {
                should_stop(s); /* the device stopped early: record why */
                early = true;
            }
        }
    }
    w->report.seconds = hj_monotonic_seconds() - t0;
    hj_candidates_free(&list);
    return st;
}

/* Versions in the order they were rolled: the rolled field is bits 13..28,
 * the bits above and below it are the same for every version of a job. */
static int cmp_hits_by_version_nonce(const void *pa, const void *pb)
{
    const hj_hit *a = pa, *b = pb;
    if (a->version != b->version)
        return (a->version > b->version) - (a->version < b->version);
    return (a->nonce > b->nonce) - (a->nonce < b->nonce);
}

/* Order hits by version, then by position in the range: nonce order, except
 * that in a range that wraps, nonces >= start come before those after the
 * wrap. */
static hj_status order_hits(hj_hit *hits, size_t n, uint32_t start, hj_error *err)
{
    if (n > 1) /* qsort's array must not be NULL, even for 0 elements */
        qsort(hits, n, sizeof *hits, cmp_hits_by_version_nonce);
    for (size_t first = 0; first < n;) {
        size_t end = first;
        while (end < n && hits[end].version == hits[first].version)
            end++;
        size_t split = first;
        while (split < end && hits[split].nonce < start)
            split++;
        if (split != first && split != end) {
            size_t k = split - first;
            hj_hit *tmp = malloc(k * sizeof *tmp);
            if (!tmp)
                return hj_fail(err, HJ_ERR_RUNTIME, "out of memory ordering hits");
            memcpy(tmp, hits + first, k * sizeof *tmp);
            memmove(hits + first, hits + split, (end - split) * sizeof *hits);
            memcpy(hits + first + (end - split), tmp, k * sizeof *tmp);
            free(tmp);
        }
        first = end;
    }
    return HJ_OK;
}

hj_status hj_scan_range(const hj_job *job, uint32_t start, uint64_t count, const hj_scan_options *opt,
                        hj_scan_result *result, hj_error *err)
{
    memset(result, 0, sizeof *result);
    hj_scan_options defaults;
    if (!opt) {
        hj_scan_options_default(&defaults);
        opt = &defaults;
    }
    if (count == 0 || count > HJ_NONCE_SPACE)
        return hj_fail(err, HJ_ERR_INPUT, "nonce count %llu out of range: expected 1..4294967296",
                       (unsigned long long)count);
    if ((uint64_t)start + count > HJ_NONCE_SPACE && !opt->allow_wrap)
        return hj_fail(err, HJ_ERR_INPUT, "nonce range %u + %llu runs past 4294967295; shorten it or allow wrap-around",
                       start, (unsigned long long)count);

    const uint32_t n_versions = job->n_versions;
    if (n_versions == 0 || (job->rolled && !job->versions))
        return hj_fail(err, HJ_ERR_INPUT,
                       "the job has no versions to scan (initialise it with hj_job_init or hj_job_init_versions)");
    const hj_kernel *kernel = opt->kernel ? opt->kernel : hj_kernel_auto();
    char why[256];
    if (!hj_kernel_available(kernel, why, sizeof why))
        return hj_fail(err, HJ_ERR_INPUT, "kernel %s cannot run on this machine: %s", kernel->name, why);
    hj_status st = hj_kernel_self_test(kernel, err);
    if (st != HJ_OK)
        return st;

    scan_shared *s = calloc(1, sizeof *s);
    if (!s)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    s->job = job;
    s->kernel = kernel;
    s->opt = opt;
    s->max_hits = opt->max_hits ? opt->max_hits : HJ_DEFAULT_MAX_HITS;
    pthread_mutex_init(&s->error_lock, NULL);
    uint64_t first_len = HJ_NONCE_SPACE - start < count ? HJ_NONCE_SPACE - start : count;
    s->segs[0].first = start;
    s->segs[0].count = first_len;
    s->n_segs = 1;
    if (first_len < count) {
        s->segs[1].first = 0;
        s->segs[1].count = count - first_len;
        s->n_segs = 2;
    }

    unsigned n_threads = 1;
    if (kernel->kind == HJ_KERNEL_CPU) {
        n_threads = opt->threads;
        if (n_threads == 0) {
            int cores = hj_topology_get()->cores;
            n_threads = cores > 0 ? (unsigned)cores : 1;
        }
        /* A version-rolling form gets the versions it shares a schedule over
         * in one call; a kernel without one takes a version at a time. */
        uint32_t per_pass =
            job->rolled && kernel->scan_cpu_versions && kernel->versions_per_pass > 1 ? kernel->versions_per_pass : 1;
        s->vblock = n_versions < per_pass ? n_versions : per_pass;
        s->n_vblocks = (n_versions + s->vblock - 1) / s->vblock;
        /* Give every thread work: smaller chunks for small ranges. */
        uint64_t per_thread = (count * s->n_vblocks + n_threads - 1) / n_threads;
        uint64_t chunk = TILE_HASHES / s->vblock;
        chunk = per_thread < chunk ? per_thread : chunk;
        s->chunk = chunk > 0 ? (uint32_t)chunk : 1;
        for (int i = 0; i < s->n_segs; i++)
            s->segs[i].tiles = (s->segs[i].count + s->chunk - 1) / s->chunk * s->n_vblocks;
    }
    worker *workers = calloc(n_threads, sizeof *workers);
    if (!workers) {
        free(s);
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    }

    double t0 = hj_monotonic_seconds();
    if (kernel->kind == HJ_KERNEL_CPU) {
        run_cpu(s, n_threads, workers);
    } else {
        workers[0].shared = s;
        hj_error e = {{0}};
        hj_status dst = run_device(s, &workers[0], &e);
        if (dst != HJ_OK)
            record_error(s, dst, &e);
    }
    result->seconds = hj_monotonic_seconds() - t0;

    st = s->status;
    if (st != HJ_OK && err)
        *err = s->error;
    result->kernel = kernel;
    result->n_threads = n_threads;
    result->threads = calloc(n_threads, sizeof *result->threads);
    size_t total_hits = 0;
    for (unsigned i = 0; i < n_threads; i++)
        total_hits += workers[i].hits.count;
    result->hits = calloc(total_hits ? total_hits : 1, sizeof *result->hits);
    if (!result->threads || !result->hits) {
        hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        st = HJ_ERR_RUNTIME; /* spelt out: the analyzer cannot see that hj_fail returns its status */
    } else {
        for (unsigned i = 0; i < n_threads; i++) {
            worker *w = &workers[i];
            result->threads[i] = w->report;
            result->hashes += w->report.hashes;
            result->candidates += w->candidates;
            if (w->hits.count)
                memcpy(result->hits + result->n_hits, w->hits.items, w->hits.count * sizeof(hj_hit));
            result->n_hits += w->hits.count;
        }
    }
    for (unsigned i = 0; i < n_threads; i++)
        free(workers[i].hits.items);
    free(workers);

    result->hits_total = atomic_load(&s->hits_total);
    result->hits_truncated = result->hits_total > result->n_hits;
    result->complete = st == HJ_OK && result->hashes == count * n_versions;
    result->interrupted = opt->control.stop && *opt->control.stop;
    if (st == HJ_OK)
        st = order_hits(result->hits, result->n_hits, start, err);
    pthread_mutex_destroy(&s->error_lock);
    free(s);
    if (st != HJ_OK)
        hj_scan_result_free(result);
    return st;
}

void hj_scan_result_free(hj_scan_result *result)
{
    free(result->hits);
    free(result->threads);
    result->hits = NULL;
    result->threads = NULL;
    result->n_hits = 0;
    result->n_threads = 0;
}
