/* Building the SHA-256d program for one device, with an on-disk cache of the
 * built binary so repeat runs start fast.
 *
 * The cache key is a SHA-256 of everything that can change the binary: the
 * platform and device names and versions, the driver version, the build
 * options and the kernel source. A stale, truncated or foreign cache file is
 * simply rebuilt; no cache problem is ever fatal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hashjoule/sha256.h"
#include "ocl_private.h"

#define CACHE_MAGIC "HJCLBIN1"
#define CACHE_MAX_BYTES (256u << 20) /* refuse absurd files rather than allocate them */

void hj_opencl_cache_dir(char *out, size_t out_len)
{
    const char *own = getenv("HJ_OPENCL_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    /* The XDG base-directory spec ignores relative paths. */
    if (own && own[0])
        snprintf(out, out_len, "%s", own);
    else if (xdg && xdg[0] == '/')
        snprintf(out, out_len, "%s/hashjoule", xdg);
    else if (home && home[0] == '/')
        snprintf(out, out_len, "%s/.cache/hashjoule", home);
    else if (out_len)
        out[0] = '\0';
}

static void note(const hj_opencl_options *opt, const ocl_device *d, const char *fmt, const char *arg)
{
    if (!opt->verbose)
        return;
    fprintf(stderr, "hashjoule: %s: ", d->kernel_name);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
}

static void cache_key(const ocl_device *d, char hex[65])
{
    hj_sha256_ctx ctx;
    hj_sha256_init(&ctx);
    const char *parts[] = {"hashjoule opencl program cache v1",
                           d->platform_name,
                           d->platform_version,
                           d->name,
                           d->vendor,
                           d->version,
                           d->driver,
                           d->options};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        hj_sha256_update(&ctx, parts[i], strlen(parts[i]) + 1); /* the NUL separates fields */
    hj_sha256_update(&ctx, hj_opencl_sha256d_source, hj_opencl_sha256d_source_len);
    uint8_t digest[32];
    hj_sha256_final(&ctx, digest);
    for (size_t i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

bool hj_ocl_cache_path(const ocl_device *d, const char *suffix, char *path, size_t len)
{
    char dir[4000], key[65];
    hj_opencl_cache_dir(dir, sizeof dir);
    if (!dir[0])
        return false;
    cache_key(d, key);
    return snprintf(path, len, "%s/opencl-%s.%s", dir, key, suffix) < (int)len;
}

/* The cached data, or NULL. */
unsigned char *hj_ocl_cache_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char magic[8];
    uint64_t n = 0;
    unsigned char *data = NULL;
    if (fread(magic, 1, 8, f) == 8 && memcmp(magic, CACHE_MAGIC, 8) == 0 && fread(&n, sizeof n, 1, f) == 1 && n > 0 &&
        n <= CACHE_MAX_BYTES && (data = malloc(n)) != NULL) {
        if (fread(data, 1, n, f) != n || fgetc(f) != EOF) { /* truncated or trailing bytes: not ours */
            free(data);
            data = NULL;
        }
    }
    fclose(f);
    *len = (size_t)n;
    return data;
}

static int mkdir_p(const char *dir)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%.4000s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Written to a temporary file and renamed, so a concurrent reader sees the
 * old file or the whole new one, never a part. */
bool hj_ocl_cache_write(const char *path, const void *data, size_t len)
{
    char dir[4096], tmp[4200];
    snprintf(dir, sizeof dir, "%.4000s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return false;
    *slash = '\0';
    if (mkdir_p(dir) != 0)
        return false;
    snprintf(tmp, sizeof tmp, "%.4000s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return false;
    uint64_t n = len;
    bool ok = fwrite(CACHE_MAGIC, 1, 8, f) == 8 && fwrite(&n, sizeof n, 1, f) == 1 && fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok)
        unlink(tmp);
    return ok;
}

static char *build_log(const ocl_device *d, cl_program program)
{
    size_t len = 0;
    if (clGetProgramBuildInfo(program, d->device, CL_PROGRAM_BUILD_LOG, 0, NULL, &len) != CL_SUCCESS)
        return NULL;
    char *log = malloc(len + 1);
    if (!log)
        return NULL;
    if (clGetProgramBuildInfo(program, d->device, CL_PROGRAM_BUILD_LOG, len, log, NULL) != CL_SUCCESS)
        len = 0;
    log[len] = '\0';
    /* trim trailing blank lines */
    while (len > 0 && (log[len - 1] == '\n' || log[len - 1] == ' ' || log[len - 1] == '\r'))
        log[--len] = '\0';
    return log;
}

static hj_status build_failure(const ocl_device *d, cl_program program, cl_int rc, hj_error *err)
{
    char *log = build_log(d, program);
    const char *text = log && log[0] ? log : "(the driver gave no build log)";
    size_t shown = strlen(text);
    const size_t room = 560; /* what fits in hj_error next to the rest of the message */
    bool cut = shown > room;
    if (cut) {
        /* The whole log goes to stderr; the error carries its start. */
        fprintf(stderr, "hashjoule: %s: OpenCL build log (%zu bytes):\n%s\n", d->kernel_name, shown, text);
        shown = room;
    }
    hj_fail(err, HJ_ERR_RUNTIME,
            "%s (%s): the OpenCL program failed to build (clBuildProgram: %s) with options '%s'; "
            "build log%s:\n%.*s",
            d->kernel_name, d->name, hj_ocl_error_name(rc), d->options, cut ? " (start; all of it above)" : "",
            (int)shown, text);
    free(log);
    return HJ_ERR_RUNTIME;
}

static hj_status from_source(ocl_device *d, cl_program *out, hj_error *err)
{
    const char *src = hj_opencl_sha256d_source;
    size_t len = hj_opencl_sha256d_source_len;
    cl_int rc;
    cl_program p = clCreateProgramWithSource(d->context, 1, &src, &len, &rc);
    if (rc != CL_SUCCESS)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s (%s): clCreateProgramWithSource failed: %s", d->kernel_name, d->name,
                       hj_ocl_error_name(rc));
    rc = clBuildProgram(p, 1, &d->device, d->options, NULL, NULL);
    if (rc != CL_SUCCESS) {
        hj_status st = build_failure(d, p, rc, err);
        clReleaseProgram(p);
        return st;
    }
    *out = p;
    return HJ_OK;
}

static cl_program from_binary(ocl_device *d, const unsigned char *bin, size_t len)
{
    cl_int rc, bin_rc;
    cl_program p = clCreateProgramWithBinary(d->context, 1, &d->device, &len, &bin, &bin_rc, &rc);
    if (rc != CL_SUCCESS || bin_rc != CL_SUCCESS)
        return NULL;
    if (clBuildProgram(p, 1, &d->device, d->options, NULL, NULL) != CL_SUCCESS) {
        clReleaseProgram(p);
        return NULL;
    }
    return p;
}

static void save_binary(ocl_device *d, const hj_opencl_options *opt, cl_program p, const char *path)
{
    size_t len = 0;
    if (clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, sizeof len, &len, NULL) != CL_SUCCESS || len == 0 ||
        len > CACHE_MAX_BYTES) {
        note(opt, d, "%s", "the driver gave no program binary; nothing cached");
        return;
    }
    unsigned char *bin = malloc(len);
    if (!bin)
        return;
    if (clGetProgramInfo(p, CL_PROGRAM_BINARIES, sizeof bin, &bin, NULL) == CL_SUCCESS &&
        hj_ocl_cache_write(path, bin, len))
        note(opt, d, "program binary cached in %s", path);
    else
        note(opt, d, "could not write the program cache %s (not fatal)", path);
    free(bin);
}

static void device_defaults(const ocl_device *d, unsigned *vector, unsigned *iters, unsigned *ch_xor)
{
    /* GPUs run one nonce per lane and hide latency with many work-items; a
     * CPU device (PoCL) gets explicit vectors of one SIMD register: its
     * native int width (8 with AVX2; 16 where the driver reports 512-bit
     * registers). Wider vectors span two registers and spill: 16 on AVX2 was
     * 22 % slower than 8 on Zen3.
     * Measured choices: see bench/opencl_vs_hashcat.sh and the README. */
    if (d->type & CL_DEVICE_TYPE_GPU) {
        *vector = 1;
        *iters = 4;
        *ch_xor = 0;
    } else {
        *vector = hj_ocl_vector_ok(d->native_int_width) ? d->native_int_width : 8;
        *iters = 1;
        *ch_xor = 1;
    }
}

hj_status hj_ocl_build(ocl_device *d, const hj_opencl_options *opt, hj_error *err)
{
    unsigned vector, iters, ch_xor;
    device_defaults(d, &vector, &iters, &ch_xor);
    if (opt->vector)
        vector = opt->vector;
    if (opt->iters)
        iters = opt->iters;
    char options[sizeof d->options];
    /* build_options come last, so a -D there overrides these. */
    snprintf(options, sizeof options, "-cl-std=CL1.2 -DHJ_VECTOR=%u -DHJ_ITERS=%u -DHJ_CH_XOR=%u%s%s", vector, iters,
             ch_xor, opt->build_options[0] ? " " : "", opt->build_options);
    if (d->ready && strcmp(options, d->options) == 0)
        return HJ_OK;
    hj_ocl_release(d);
    snprintf(d->options, sizeof d->options, "%s", options);
    d->vector = vector;
    d->iters = iters;

    cl_int rc;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)d->platform, 0};
    d->context = clCreateContext(props, 1, &d->device, NULL, NULL, &rc);
    if (rc != CL_SUCCESS)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s (%s): clCreateContext failed: %s", d->kernel_name, d->name,
                       hj_ocl_error_name(rc));
    d->queue = clCreateCommandQueue(d->context, d->device, CL_QUEUE_PROFILING_ENABLE, &rc);
    if (rc != CL_SUCCESS) {
        hj_ocl_release(d);
        return hj_fail(err, HJ_ERR_RUNTIME, "%s (%s): clCreateCommandQueue failed: %s", d->kernel_name, d->name,
                       hj_ocl_error_name(rc));
    }

    char path[4200];
    bool cacheable = !opt->no_cache && hj_ocl_cache_path(d, "bin", path, sizeof path);
    cl_program program = NULL;
    if (cacheable) {
        size_t len = 0;
        unsigned char *bin = hj_ocl_cache_read(path, &len);
        if (bin) {
            program = from_binary(d, bin, len);
            free(bin);
        }
        if (program)
            note(opt, d, "program loaded from the cache %s", path);
        else if (access(path, F_OK) == 0)
            note(opt, d, "cache file %s unusable; rebuilding", path);
    }
    if (!program) {
        hj_status st = from_source(d, &program, err);
        if (st != HJ_OK) {
            hj_ocl_release(d);
            return st;
        }
        note(opt, d, "program built from source with options '%s'", d->options);
        if (cacheable)
            save_binary(d, opt, program, path);
    }
    d->program = program;
    d->kernel = clCreateKernel(program, "hj_sha256d_scan", &rc);
    if (rc != CL_SUCCESS) {
        hj_ocl_release(d);
        return hj_fail(err, HJ_ERR_RUNTIME, "%s (%s): clCreateKernel(hj_sha256d_scan) failed: %s", d->kernel_name,
                       d->name, hj_ocl_error_name(rc));
    }
    /* The version-rolling kernel of the same program (kernels/opencl/sha256d.cl). */
    d->kernel_versions = clCreateKernel(program, "hj_sha256d_scan_versions", &rc);
    if (rc != CL_SUCCESS) {
        hj_ocl_release(d);
        return hj_fail(err, HJ_ERR_RUNTIME, "%s (%s): clCreateKernel(hj_sha256d_scan_versions) failed: %s",
                       d->kernel_name, d->name, hj_ocl_error_name(rc));
    }
    size_t wgv = 0;
    clGetKernelWorkGroupInfo(d->kernel_versions, d->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof wgv, &wgv, NULL);
    d->max_local_versions = wgv ? wgv : 1;
    size_t wg = 0, mult = 0;
    clGetKernelWorkGroupInfo(d->kernel, d->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof wg, &wg, NULL);
    clGetKernelWorkGroupInfo(d->kernel, d->device, CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE, sizeof mult, &mult,
                             NULL);
    d->max_local = wg ? wg : 1;
    d->local_multiple = mult ? mult : 1;
    d->ready = true;
    return HJ_OK;
}

void hj_ocl_release(ocl_device *d)
{
    for (int i = 0; i < HJ_OCL_MAX_IN_FLIGHT; i++) {
        ocl_launch *l = &d->launches[i];
        if (l->out)
            clReleaseMemObject(l->out);
        free(l->host);
        memset(l, 0, sizeof *l);
    }
    d->slots = 0;
    if (d->vstates)
        clReleaseMemObject(d->vstates);
    if (d->kernel_versions)
        clReleaseKernel(d->kernel_versions);
    d->vstates = NULL;
    d->vstates_cap = 0;
    d->kernel_versions = NULL;
    d->rolled = 0;
    if (d->kernel)
        clReleaseKernel(d->kernel);
    if (d->program)
        clReleaseProgram(d->program);
    if (d->queue)
        clReleaseCommandQueue(d->queue);
    if (d->context)
        clReleaseContext(d->context);
    d->kernel = NULL;
    d->program = NULL;
    d->queue = NULL;
    d->context = NULL;
    d->ready = false;
    d->local = 0;
    d->rate_nps = 0;
}
