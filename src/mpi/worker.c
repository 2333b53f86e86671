/* The worker of `hashjoule bench --mpi`: the forked process that runs this rank's benchmark.
 *
 * It runs the ordinary bench protocol; before every warm-up and repetition
 * it asks its agent for permission and waits, and at the end it sends its
 * results document (or why it has none) and exits.
 *
 * Work on a node (ranks that share memory, MPI_Comm_split_type shared):
 * with one rank it runs the whole plan; with L > 1 ranks, local rank 0 runs
 * the CPU kernels (and OpenCL devices of type cpu, the same silicon), and
 * the other devices, in registry order, are dealt out round robin to local
 * ranks 1..L-1 (device j to local rank 1 + j mod (L-1)), so no two ranks use
 * the same device. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mpi_internal.h"

typedef struct worker_hook {
    int fd;
    int rank;
    bool trace; /* HJ_MPI_TRACE set: when each step was let go, on stderr */
} worker_hook;

static bool worker_before_step(void *arg, unsigned step, const char *kernel, unsigned threads)
{
    worker_hook *w = arg;
    json_t *m =
        json_pack("{s:i, s:s, s:i}", "step", (int)step, "kernel", kernel ? kernel : "", "threads", (int)threads);
    char *text = json_dumps(m, JSON_COMPACT);
    json_decref(m);
    bool ok = text && hj_mpi_frame_send_str(w->fd, F_STEP, text);
    free(text);
    while (ok) {
        uint32_t type;
        char *payload;
        if (!hj_mpi_frame_recv(w->fd, &type, &payload))
            return false; /* the agent is gone */
        free(payload);
        if (type == F_GO) {
            if (w->trace)
                hj_mpi_report(HJ_MPI_RUN, 0, "trace rank=%d step=%u kernel=%s go_monotonic=%.6f", w->rank, step,
                              kernel ? kernel : "", hj_monotonic_seconds());
            return true;
        }
        if (type == F_QUIT)
            return false;
    }
    return false;
}

/* Keep the items this rank runs on its node (the rule at the top of the file);
 * the others go to `skipped` with the reason (on local rank 0 only, so each
 * is said once per node). */
static size_t apply_role(hj_bench_plan_item *plan, size_t n, int local_rank, int local_size, json_t *skipped)
{
    if (local_size <= 1)
        return n;
    /* Devices that are not the CPU, one kernel per device, in registry order. */
    const hj_kernel *devices[256];
    size_t n_dev = 0, total = hj_kernel_count();
    for (size_t i = 0; i < total && n_dev < 256; i++) {
        const hj_kernel *k = hj_kernel_at(i);
        char name[256];
        bool on_cpu, gpu, single;
        if (k->kind != HJ_KERNEL_DEVICE || !hj_kernel_available(k, NULL, 0))
            continue;
        hj_bench_describe_kernel(k, name, sizeof name, &on_cpu, &gpu, &single);
        if (single && !on_cpu)
            devices[n_dev++] = k;
    }
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        const hj_kernel *k = plan[i].kernel;
        char name[256], why[512] = "";
        bool on_cpu, gpu, single, keep = false;
        hj_bench_describe_kernel(k, name, sizeof name, &on_cpu, &gpu, &single);
        if (k->kind == HJ_KERNEL_CPU || (single && on_cpu)) {
            keep = local_rank == 0;
        } else if (!single) {
            snprintf(why, sizeof why,
                     "not tied to one device: with %d ranks on this node each device has its own "
                     "rank",
                     local_size);
        } else {
            for (size_t j = 0; j < n_dev; j++)
                if (devices[j] == k)
                    keep = local_rank == 1 + (int)(j % (size_t)(local_size - 1));
        }
        if (keep)
            plan[w++] = plan[i];
        else if (why[0] && local_rank == 0)
            json_array_append_new(skipped, json_pack("{s:s, s:s}", "kernel", k->name, "reason", why));
    }
    return w;
}

static int worker_fail(int fd, int status, const char *msg)
{
    json_t *m = json_pack("{s:i, s:s}", "exit", status, "error", msg);
    char *text = json_dumps(m, JSON_COMPACT);
    json_decref(m);
    if (text)
        hj_mpi_frame_send_str(fd, F_FAIL, text);
    free(text);
    return status;
}

/* A warning of the engine on this rank's stderr, as a single run prints it. */
static void worker_notice(hj_bench_notice_level level, const char *message, void *arg)
{
    (void)arg;
    if (level == HJ_BENCH_WARNING)
        hj_mpi_report(HJ_MPI_BENCH, 0, "%s", message);
}

static int worker_main(int fd, const hj_bench_options *a)
{
    uint32_t type;
    char *payload;
    if (!hj_mpi_frame_recv(fd, &type, &payload))
        return 0; /* the agent went away before giving a role */
    if (type != F_ROLE) {
        free(payload);
        return 0;
    }
    json_t *role = json_loads(payload, 0, NULL);
    free(payload);
    int local_rank = (int)json_integer_value(json_object_get(role, "local_rank"));
    int local_size = (int)json_integer_value(json_object_get(role, "local_size"));
    int world_rank = (int)json_integer_value(json_object_get(role, "rank"));
    char wall_note[512] = "";
    if (local_size > 1)
        snprintf(wall_note, sizeof wall_note,
                 "no wall reading: %d ranks share this node and a wall meter would measure all of them (run one "
                 "rank per node for wall figures)",
                 local_size);
    json_decref(role);

    hj_error err;
    json_t *skipped = json_array();
    hj_bench_plan_item *plan = NULL;
    size_t n_plan = 0;
    hj_status st = hj_bench_build_plan(a, &plan, &n_plan, skipped, &err);
    if (st != HJ_OK) {
        json_decref(skipped);
        return worker_fail(fd, st, err.message);
    }
    n_plan = apply_role(plan, n_plan, local_rank, local_size, skipped);
    if (n_plan == 0) {
        char why[512];
        snprintf(why, sizeof why,
                 "nothing to run: local rank %d of %d on this node, and the node has no device "
                 "left for it (local rank 0 runs the CPU kernels, the others one device each)",
                 local_rank, local_size);
        hj_mpi_frame_send_str(fd, F_IDLE, why);
        free(plan);
        json_decref(skipped);
        return 0;
    }
    const char *trace = getenv("HJ_MPI_TRACE");
    worker_hook wh = {fd, world_rank, trace && *trace};
    hj_bench_hooks hooks = {
        .notice = worker_notice, .before_step = worker_before_step, .arg = &wh, .wall_not_used = wall_note};
    json_t *doc = NULL;
    bool interrupted, any_failed;
    hj_bench_install_signals();
    st = hj_bench_measure(a, plan, n_plan, skipped, &hooks, &doc, &interrupted, &any_failed, &err);
    hj_bench_restore_signals();
    free(plan);
    if (st != HJ_OK)
        return worker_fail(fd, st, err.message);
    size_t len;
    char *text = hj_bench_dump_json(doc, &len);
    json_decref(doc);
    if (!text)
        return worker_fail(fd, HJ_ERR_RUNTIME, "could not serialize the results");
    hj_mpi_frame_send(fd, F_DOC, text, len);
    free(text);
    return 0;
}

pid_t hj_mpi_spawn_worker(const hj_bench_options *a, int *agent_fd)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return hj_mpi_report(HJ_MPI_BENCH, -1, "--mpi: socketpair: %s", strerror(errno));
    fflush(NULL); /* or the child would print the parent's buffered output again */
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) {
        int e = errno;
        close(sv[0]);
        close(sv[1]);
        return hj_mpi_report(HJ_MPI_BENCH, -1, "--mpi: fork: %s", strerror(e));
    }
    if (child == 0) {
        close(sv[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the agent */
        if (getppid() != parent)
            _exit(0);
        int rc = worker_main(sv[1], a);
        close(sv[1]);
        fflush(NULL);
        exit(rc);
    }
    close(sv[1]);
    *agent_fd = sv[0];
    return child;
}
