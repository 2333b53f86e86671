/* `hashjoule bench --mpi`: benchmark every node of a fleet at once.
 *
 * Each rank is two processes. The worker (forked before MPI_Init, so it is a
 * plain single-threaded copy that never touches MPI) runs the ordinary bench
 * protocol; before every warm-up and repetition it asks its agent for
 * permission and waits. The agent (the MPI process) relays the request to
 * rank 0, which lets a step start only when every rank still running has
 * reached it: a barrier with a deadline, made of point-to-point messages so
 * that rank 0 knows exactly which rank is late. A worker that crashes or
 * hangs is seen by its own agent (which keeps the rank in the fleet); an
 * agent that falls silent is seen by rank 0 through missed heartbeats. Rank 0
 * then writes one cluster result (cluster_result.c).
 *
 * Work on a node (ranks that share memory, MPI_Comm_split_type shared):
 * with one rank it runs the whole plan; with L > 1 ranks, local rank 0 runs
 * the CPU kernels (and OpenCL devices of type cpu, the same silicon), and
 * the other devices, in registry order, are dealt out round robin to local
 * ranks 1..L-1 (device j to local rank 1 + j mod (L-1)), so no two ranks use
 * the same device. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <mpi.h>

#include "cluster_result.h"
#include "hashjoule/atomic_file.h"
#include "hashjoule/bench_mpi.h"
#include "hashjoule/hashjoule.h"

/* MPI tags: agent <-> rank 0. Every payload is JSON text. */
enum { TAG_HELLO = 11, TAG_ROLE, TAG_STEP, TAG_GO, TAG_RESULT, TAG_HEARTBEAT, TAG_FINISH };
/* Frames on the worker <-> agent socket. */
enum { F_ROLE = 1, F_QUIT, F_GO, F_STEP, F_DOC, F_FAIL, F_IDLE };

#define HEARTBEAT_SECONDS 1.0

/* --- framing on the worker socket ------------------------------------------------------ */
static bool write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool frame_send(int fd, uint32_t type, const char *payload, size_t len)
{
    uint32_t h[2] = {type, (uint32_t)len};
    return write_all(fd, h, sizeof h) && (len == 0 || write_all(fd, payload, len));
}

static bool frame_send_str(int fd, uint32_t type, const char *s) { return frame_send(fd, type, s, s ? strlen(s) : 0); }

/* One frame; *payload is malloc'd and NUL-terminated. False on EOF/error. */
static bool frame_recv(int fd, uint32_t *type, char **payload)
{
    uint32_t h[2];
    *payload = NULL;
    if (!read_all(fd, h, sizeof h))
        return false;
    char *p = malloc((size_t)h[1] + 1);
    if (!p || (h[1] && !read_all(fd, p, h[1]))) {
        free(p);
        return false;
    }
    p[h[1]] = '\0';
    *type = h[0];
    *payload = p;
    return true;
}

static double now_s(void) { return hj_monotonic_seconds(); }

/* --- the worker ------------------------------------------------------------------------ */
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
    bool ok = text && frame_send_str(w->fd, F_STEP, text);
    free(text);
    while (ok) {
        uint32_t type;
        char *payload;
        if (!frame_recv(w->fd, &type, &payload))
            return false; /* the agent is gone */
        free(payload);
        if (type == F_GO) {
            if (w->trace)
                fprintf(stderr, "hashjoule bench --mpi: trace rank=%d step=%u kernel=%s go_monotonic=%.6f\n", w->rank,
                        step, kernel ? kernel : "", hj_monotonic_seconds());
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
        frame_send_str(fd, F_FAIL, text);
    free(text);
    return status;
}

/* A warning of the engine on this rank's stderr, as a single run prints it. */
static void worker_notice(hj_bench_notice_level level, const char *message, void *arg)
{
    (void)arg;
    if (level == HJ_BENCH_WARNING)
        fprintf(stderr, "hashjoule bench: %s\n", message);
}

static int worker_main(int fd, const hj_bench_options *a)
{
    uint32_t type;
    char *payload;
    if (!frame_recv(fd, &type, &payload))
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
        frame_send_str(fd, F_IDLE, why);
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
    frame_send(fd, F_DOC, text, len);
    free(text);
    return 0;
}

/* --- the agent -------------------------------------------------------------------------- */
typedef struct pending_send {
    MPI_Request req;
    char *buf;
} pending_send;

typedef struct rank_state { /* rank 0's view of every rank */
    json_t *hello;
    json_t *place; /* {node, node_name, host, local_rank, local_size, role} */
    double last_heard;
    long announced; /* the step it has reached; -1 none yet */
    long waiting;   /* the step it waits to start; -1 none */
    bool done, lost, role_sent;
    json_t *record; /* {status, error, document, ...} once done */
    char last_kernel[96];
} rank_state;

typedef struct agent {
    const hj_bench_options *a;
    const hj_bench_mpi_options *m;
    int rank, size;
    int fd;
    pid_t child;
    bool child_reaped;
    int child_wstatus;
    /* this rank's worker */
    long worker_waiting;    /* the step the worker waits to start; -1 none */
    long worker_step;       /* the last step it started */
    char worker_kernel[96]; /* and on which kernel */
    unsigned worker_threads;
    double worker_deadline; /* it must speak again by then (0: no watch) */
    bool have_role, result_sent, finished;
    /* MPI */
    pending_send *pend;
    size_t n_pend, cap_pend;
    double last_send_root, last_from_root;
    double step_seconds; /* the longest synchronised phase */
    /* rank 0 only */
    rank_state *rs;
    bool roles_assigned;
    double started;
} agent;

static void post_send(agent *g, int dest, int tag, const char *text)
{
    if (g->n_pend == g->cap_pend) {
        size_t cap = g->cap_pend ? 2 * g->cap_pend : 16;
        pending_send *p = realloc(g->pend, cap * sizeof *p);
        if (!p)
            return;
        g->pend = p;
        g->cap_pend = cap;
    }
    char *buf = strdup(text ? text : "");
    if (!buf)
        return;
    pending_send *p = &g->pend[g->n_pend];
    if (MPI_Isend(buf, (int)strlen(buf), MPI_CHAR, dest, tag, MPI_COMM_WORLD, &p->req) != MPI_SUCCESS) {
        free(buf);
        return;
    }
    p->buf = buf;
    g->n_pend++;
    if (dest == 0)
        g->last_send_root = now_s();
}

static void post_json(agent *g, int dest, int tag, json_t *m)
{
    char *text = json_dumps(m, JSON_COMPACT | JSON_REAL_PRECISION(17));
    post_send(g, dest, tag, text);
    free(text);
}

static void progress_sends(agent *g)
{
    size_t w = 0;
    for (size_t i = 0; i < g->n_pend; i++) {
        int done = 0;
        MPI_Test(&g->pend[i].req, &done, MPI_STATUS_IGNORE);
        if (done)
            free(g->pend[i].buf);
        else
            g->pend[w++] = g->pend[i];
    }
    g->n_pend = w;
}

/* Wait for the sends to finish, at most `seconds`; true when they did. */
static bool drain_sends(agent *g, double seconds)
{
    double end = now_s() + seconds;
    while (g->n_pend > 0 && now_s() < end) {
        progress_sends(g);
        struct timespec ts = {0, 1000L * 1000};
        nanosleep(&ts, NULL);
    }
    return g->n_pend == 0;
}

static void to_worker(agent *g, uint32_t type, const char *text)
{
    if (!g->child_reaped)
        frame_send_str(g->fd, type, text);
}

/* --- rank 0: the coordinator ------------------------------------------------------------- */
static void coord_on_result(agent *g, int r, json_t *record);

static void coord_release(agent *g)
{
    if (!g->roles_assigned)
        return;
    long min = -1;
    bool any = false;
    for (int r = 0; r < g->size; r++) {
        rank_state *s = &g->rs[r];
        if (s->done || s->lost)
            continue;
        if (!any || s->announced < min)
            min = s->announced;
        any = true;
    }
    for (int r = 0; r < g->size; r++) {
        rank_state *s = &g->rs[r];
        if (s->done || s->lost || s->waiting < 0 || s->waiting > min)
            continue;
        char text[32];
        snprintf(text, sizeof text, "%ld", s->waiting);
        s->waiting = -1;
        if (r == 0) {
            g->worker_waiting = -1;
            g->worker_deadline = now_s() + g->step_seconds + g->m->timeout_seconds;
            to_worker(g, F_GO, text);
        } else {
            post_send(g, r, TAG_GO, text);
        }
    }
}

static void coord_on_step(agent *g, int r, json_t *m)
{
    rank_state *s = &g->rs[r];
    long step = (long)json_integer_value(json_object_get(m, "step"));
    s->announced = step;
    s->waiting = step;
    snprintf(s->last_kernel, sizeof s->last_kernel, "%s",
             json_string_value(json_object_get(m, "kernel")) ? json_string_value(json_object_get(m, "kernel")) : "");
    coord_release(g);
}

static void coord_on_result(agent *g, int r, json_t *record)
{
    rank_state *s = &g->rs[r];
    if (s->done || s->lost) {
        json_decref(record);
        return;
    }
    s->done = true;
    s->waiting = -1;
    s->record = record;
    coord_release(g);
}

static const char *hello_str(json_t *hello, const char *k)
{
    const char *s = json_string_value(json_object_get(hello, k));
    return s ? s : "";
}

/* Every rank said hello: group them into nodes and tell each its place. */
static void coord_assign_roles(agent *g)
{
    bool by_rank = strcmp(g->m->split, "rank") == 0;
    size_t n_ranks = g->size > 0 ? (size_t)g->size : 1;
    int *node_of = calloc(n_ranks, sizeof *node_of), n_nodes = 0;
    long *key = calloc(n_ranks, sizeof *key);
    if (!node_of || !key) {
        free(node_of);
        free(key);
        return;
    }
    for (int r = 0; r < g->size; r++) {
        long k = by_rank ? r : (long)json_integer_value(json_object_get(g->rs[r].hello, "shared_key"));
        if (g->rs[r].lost)
            k = -1 - r; /* a rank that never said hello is a node of its own */
        key[r] = k;
        node_of[r] = -1;
        for (int q = 0; q < r; q++)
            if (key[q] == k)
                node_of[r] = node_of[q];
        if (node_of[r] < 0)
            node_of[r] = n_nodes++;
    }
    json_t *protocol0 = json_object_get(g->rs[0].hello, "protocol");
    for (int r = 0; r < g->size; r++) {
        rank_state *s = &g->rs[r];
        int local_rank = 0, local_size = 0, leader = -1;
        for (int q = 0; q < g->size; q++)
            if (node_of[q] == node_of[r]) {
                if (leader < 0)
                    leader = q;
                local_rank += q < r;
                local_size++;
            }
        const char *host = s->hello ? hello_str(s->hello, "host") : "unknown";
        const char *leader_host = g->rs[leader].hello ? hello_str(g->rs[leader].hello, "host") : host;
        bool host_shared = false;
        for (int q = 0; q < g->size; q++)
            if (node_of[q] != node_of[r] && g->rs[q].hello &&
                strcmp(hello_str(g->rs[q].hello, "host"), leader_host) == 0)
                host_shared = true;
        char name[300];
        if (host_shared)
            snprintf(name, sizeof name, "%s#%d", leader_host, leader);
        else
            snprintf(name, sizeof name, "%s", leader_host);
        const char *role = local_size == 1 ? "all" : local_rank == 0 ? "cpu" : "devices";
        json_t *info = json_pack("{s:i, s:s, s:s, s:i, s:i, s:s}", "node", node_of[r], "node_name", name, "host", host,
                                 "local_rank", local_rank, "local_size", local_size, "role", role);
        s->place = info;
        if (!s->hello || s->done || s->lost)
            continue;
        /* Everyone measures the same windows, or the barriers mean nothing. */
        char why[512] = "";
        const char *perr = hello_str(s->hello, "error");
        json_t *pr = json_object_get(s->hello, "protocol");
        if (perr[0]) {
            snprintf(why, sizeof why, "%s", perr);
        } else if (r != 0 && !json_equal(pr, protocol0)) {
            static const char *keys[][2] = {{"seconds", "--seconds"},
                                            {"repetitions", "--repetitions"},
                                            {"warmup_seconds", "--warmup"},
                                            {"idle_seconds", "--idle-seconds"},
                                            {"target", "--target"}};
            size_t off = 0;
            for (size_t k = 0; k < sizeof keys / sizeof keys[0] && off < sizeof why; k++) {
                json_t *x = json_object_get(pr, keys[k][0]), *y = json_object_get(protocol0, keys[k][0]);
                if (json_equal(x, y))
                    continue;
                char xs[80], ys[80];
                if (json_is_string(x) || json_is_string(y)) {
                    snprintf(xs, sizeof xs, "%.70s", json_string_value(x) ? json_string_value(x) : "?");
                    snprintf(ys, sizeof ys, "%.70s", json_string_value(y) ? json_string_value(y) : "?");
                } else {
                    snprintf(xs, sizeof xs, "%g", json_number_value(x));
                    snprintf(ys, sizeof ys, "%g", json_number_value(y));
                }
                off += (size_t)snprintf(why + off, sizeof why - off, "%s%s %s where rank 0 has %s",
                                        off ? ", " : "its protocol differs from rank 0's: ", keys[k][1], xs, ys);
            }
            if (off < sizeof why)
                snprintf(why + off, sizeof why - off, "; every rank must measure the same windows");
        }
        json_t *msg = json_deep_copy(info);
        json_object_set_new(msg, "rank", json_integer(r));
        if (why[0])
            json_object_set_new(msg, "refused", json_string(why));
        if (r == 0) {
            char *text = json_dumps(msg, JSON_COMPACT);
            if (why[0])
                to_worker(g, F_QUIT, "");
            else
                to_worker(g, F_ROLE, text);
            free(text);
            g->have_role = true;
            g->worker_deadline = why[0] ? 0 : now_s() + g->step_seconds + g->m->timeout_seconds;
        } else {
            post_json(g, r, TAG_ROLE, msg);
        }
        json_decref(msg);
        s->role_sent = true;
        if (why[0]) {
            json_t *rec = json_pack("{s:s, s:s, s:i}", "status", "failed", "error", why, "exit", HJ_ERR_INPUT);
            coord_on_result(g, r, rec);
        }
    }
    free(node_of);
    free(key);
    g->roles_assigned = true;
    coord_release(g);
}

/* --- records of a rank's outcome ----------------------------------------------------------- */
static json_t *record_from_frame(uint32_t type, const char *payload)
{
    if (type == F_DOC) {
        json_error_t je;
        json_t *doc = json_loads(payload, 0, &je);
        if (!doc)
            return json_pack("{s:s, s:s}", "status", "failed", "error", "the worker's results were not valid JSON");
        bool interrupted = json_is_true(json_object_get(doc, "interrupted"));
        const char *status = interrupted ? "interrupted" : "ok";
        char error[1500] = "";
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(doc, "results"), i, r) {
            const char *st = json_string_value(json_object_get(r, "status"));
            if (st && strcmp(st, "failed") == 0 && !error[0]) {
                status = "failed";
                const char *e = json_string_value(json_object_get(r, "error"));
                snprintf(error, sizeof error, "kernel %s (%lld threads) failed: %s",
                         json_string_value(json_object_get(r, "kernel")),
                         (long long)json_integer_value(json_object_get(r, "threads")), e ? e : "?");
            }
        }
        if (interrupted && !error[0])
            snprintf(error, sizeof error, "the run was stopped before the end (a signal, or the fleet stopped it)");
        return json_pack("{s:s, s:s?, s:o}", "status", status, "error", error[0] ? error : NULL, "document", doc);
    }
    if (type == F_IDLE)
        return json_pack("{s:s, s:s}", "status", "idle", "error", payload);
    json_t *m = json_loads(payload, 0, NULL);
    json_t *rec =
        json_pack("{s:s, s:s, s:I}", "status", "failed", "error",
                  json_string_value(json_object_get(m, "error")) ? json_string_value(json_object_get(m, "error"))
                                                                 : "the worker failed",
                  "exit", json_integer_value(json_object_get(m, "exit")));
    json_decref(m);
    return rec;
}

static void deliver_record(agent *g, json_t *rec)
{
    if (g->result_sent) {
        json_decref(rec);
        return;
    }
    g->result_sent = true;
    g->worker_deadline = 0;
    g->worker_waiting = -1;
    if (g->rank == 0) {
        coord_on_result(g, 0, rec);
    } else {
        post_json(g, 0, TAG_RESULT, rec);
        json_decref(rec);
    }
}

static void reap_worker(agent *g, bool block)
{
    if (g->child_reaped)
        return;
    int ws;
    pid_t p = waitpid(g->child, &ws, block ? 0 : WNOHANG);
    if (p == g->child) {
        g->child_reaped = true;
        g->child_wstatus = ws;
    }
}

static void worker_gone(agent *g, const char *how)
{
    reap_worker(g, true);
    if (g->result_sent)
        return;
    char why[1024], what[200] = "";
    if (g->worker_kernel[0])
        snprintf(what, sizeof what, " while running %s (%u thread%s), step %ld", g->worker_kernel, g->worker_threads,
                 g->worker_threads == 1 ? "" : "s", g->worker_step);
    int ws = g->child_wstatus;
    if (how)
        snprintf(why, sizeof why, "%s%s", how, what);
    else if (g->child_reaped && WIFSIGNALED(ws))
        snprintf(why, sizeof why, "the benchmark process crashed: killed by signal %d (%s)%s", WTERMSIG(ws),
                 strsignal(WTERMSIG(ws)), what);
    else if (g->child_reaped && WIFEXITED(ws))
        snprintf(why, sizeof why, "the benchmark process exited with status %d without a result%s", WEXITSTATUS(ws),
                 what);
    else
        snprintf(why, sizeof why, "the benchmark process went away without a result%s", what);
    deliver_record(g, json_pack("{s:s, s:s}", "status", "failed", "error", why));
}

static void on_worker_frame(agent *g)
{
    uint32_t type;
    char *payload;
    if (!frame_recv(g->fd, &type, &payload)) {
        worker_gone(g, NULL);
        return;
    }
    if (type == F_STEP) {
        json_t *m = json_loads(payload, 0, NULL);
        g->worker_step = (long)json_integer_value(json_object_get(m, "step"));
        g->worker_waiting = g->worker_step;
        g->worker_deadline = 0; /* waiting for the others is not hanging */
        snprintf(g->worker_kernel, sizeof g->worker_kernel, "%s",
                 json_string_value(json_object_get(m, "kernel")) ? json_string_value(json_object_get(m, "kernel"))
                                                                 : "");
        g->worker_threads = (unsigned)json_integer_value(json_object_get(m, "threads"));
        if (g->rank == 0)
            coord_on_step(g, 0, m);
        else
            post_send(g, 0, TAG_STEP, payload);
        json_decref(m);
    } else if (type == F_DOC || type == F_FAIL || type == F_IDLE) {
        deliver_record(g, record_from_frame(type, payload));
    }
    free(payload);
}

/* --- messages from other ranks --------------------------------------------------------------- */
static void on_message(agent *g, int source, int tag, char *text)
{
    if (g->rank == 0) {
        if (source <= 0 || source >= g->size)
            return;
        rank_state *s = &g->rs[source];
        if (s->lost)
            return; /* declared lost: whatever it says now comes too late */
        s->last_heard = now_s();
        if (tag == TAG_HELLO && !s->hello) {
            s->hello = json_loads(text, 0, NULL);
            if (!s->hello)
                s->hello = json_pack("{s:s}", "error", "its hello message was not valid JSON");
        } else if (tag == TAG_STEP) {
            json_t *m = json_loads(text, 0, NULL);
            if (m)
                coord_on_step(g, source, m);
            json_decref(m);
        } else if (tag == TAG_RESULT) {
            json_t *rec = json_loads(text, 0, NULL);
            coord_on_result(
                g, source,
                rec ? rec
                    : json_pack("{s:s, s:s}", "status", "failed", "error", "its result message was not valid JSON"));
        }
        return;
    }
    if (source != 0)
        return;
    g->last_from_root = now_s();
    if (tag == TAG_ROLE) {
        json_t *m = json_loads(text, 0, NULL);
        const char *refused = json_string_value(json_object_get(m, "refused"));
        g->have_role = true;
        if (refused) {
            to_worker(g, F_QUIT, "");
            g->result_sent = true; /* rank 0 recorded why */
        } else {
            to_worker(g, F_ROLE, text);
            g->worker_deadline = now_s() + g->step_seconds + g->m->timeout_seconds;
        }
        json_decref(m);
    } else if (tag == TAG_GO) {
        g->worker_waiting = -1;
        g->worker_deadline = now_s() + g->step_seconds + g->m->timeout_seconds;
        to_worker(g, F_GO, text);
    } else if (tag == TAG_FINISH) {
        g->finished = true;
    }
}

static void poll_messages(agent *g)
{
    for (int k = 0; k < 64; k++) {
        int flag = 0;
        MPI_Message msg;
        MPI_Status status;
        if (MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &msg, &status) != MPI_SUCCESS || !flag)
            return;
        int count = 0;
        MPI_Get_count(&status, MPI_CHAR, &count);
        char *buf = malloc((size_t)count + 1);
        if (!buf) {
            char dummy[1];
            MPI_Mrecv(dummy, 0, MPI_CHAR, &msg, MPI_STATUS_IGNORE);
            continue;
        }
        MPI_Mrecv(buf, count, MPI_CHAR, &msg, MPI_STATUS_IGNORE);
        buf[count] = '\0';
        on_message(g, status.MPI_SOURCE, status.MPI_TAG, buf);
        free(buf);
    }
}

/* --- timers ---------------------------------------------------------------------------------- */
static void check_timers(agent *g)
{
    double t = now_s();
    /* A worker that stops talking while it should be measuring is hung. */
    if (!g->result_sent && g->worker_deadline > 0 && t > g->worker_deadline && !g->child_reaped) {
        kill(g->child, SIGKILL);
        char how[256];
        snprintf(how, sizeof how, "the benchmark process hung (no progress for %.0f s) and was killed",
                 g->step_seconds + g->m->timeout_seconds);
        worker_gone(g, how);
    }
    if (g->rank != 0) {
        if (t - g->last_send_root >= HEARTBEAT_SECONDS)
            post_send(g, 0, TAG_HEARTBEAT, "");
        if (t - g->last_from_root > g->m->timeout_seconds) {
            fprintf(stderr, "hashjoule bench --mpi: rank %d: nothing from rank 0 for %.0f s; giving up\n", g->rank,
                    g->m->timeout_seconds);
            MPI_Abort(MPI_COMM_WORLD, HJ_ERR_RUNTIME);
        }
        return;
    }
    static double last_beat;
    if (t - last_beat >= HEARTBEAT_SECONDS) {
        last_beat = t;
        for (int r = 1; r < g->size; r++)
            if (!g->rs[r].lost)
                post_send(g, r, TAG_HEARTBEAT, "");
    }
    for (int r = 1; r < g->size; r++) {
        rank_state *s = &g->rs[r];
        if (s->done || s->lost || t - s->last_heard <= g->m->timeout_seconds)
            continue;
        s->lost = true;
        s->waiting = -1;
        char why[512];
        if (!s->hello)
            snprintf(why, sizeof why, "no answer for %.0f s after the start (the rank never reported in)",
                     g->m->timeout_seconds);
        else if (s->announced >= 0)
            snprintf(why, sizeof why,
                     "no message for %.0f s: the rank hung, or its node or network failed; last "
                     "seen starting step %ld (%s)",
                     g->m->timeout_seconds, s->announced, s->last_kernel);
        else
            snprintf(why, sizeof why, "no message for %.0f s: the rank hung, or its node or network failed",
                     g->m->timeout_seconds);
        s->record = json_pack("{s:s, s:s}", "status", "lost", "error", why);
        fprintf(stderr, "hashjoule bench --mpi: rank %d is lost: %s\n", r, why);
        coord_release(g);
    }
}

static bool all_hello(agent *g)
{
    for (int r = 0; r < g->size; r++)
        if (!g->rs[r].hello && !g->rs[r].lost)
            return false;
    return true;
}

static bool all_done(agent *g)
{
    for (int r = 0; r < g->size; r++)
        if (!g->rs[r].done && !g->rs[r].lost)
            return false;
    return true;
}

static void agent_loop(agent *g)
{
    while (1) {
        bool urgent = g->worker_waiting >= 0;
        if (g->rank == 0)
            for (int r = 0; r < g->size && !urgent; r++)
                urgent = g->rs[r].waiting >= 0;
        struct pollfd p = {.fd = g->fd, .events = POLLIN};
        int n = poll(&p, g->child_reaped ? 0 : 1, urgent ? 1 : 20);
        if (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)))
            on_worker_frame(g);
        if (g->result_sent)
            reap_worker(g, false);
        poll_messages(g);
        progress_sends(g);
        if (g->rank == 0 && !g->roles_assigned && all_hello(g))
            coord_assign_roles(g);
        check_timers(g);
        if (g->rank == 0 && g->roles_assigned && all_done(g))
            return;
        if (g->rank != 0 && g->finished)
            return;
    }
}

/* --- rank 0's file ------------------------------------------------------------------------------- */
static json_t *protocol_json(const hj_bench_options *a)
{
    char hex[65] = "";
    hj_target_to_hex(&a->target, hex);
    return json_pack("{s:f, s:i, s:f, s:f, s:s}", "seconds", a->seconds, "repetitions", (int)a->repetitions,
                     "warmup_seconds", a->warmup, "idle_seconds", a->idle_seconds, "target", hex);
}

static int finish_rank0(agent *g, hj_results_writer *writer, time_t started)
{
    json_t *ranks = json_array();
    bool any_lost = false, interrupted = false;
    for (int r = 0; r < g->size; r++) {
        rank_state *s = &g->rs[r];
        json_t *place = s->place;
        json_t *o = place ? json_deep_copy(place)
                          : json_pack("{s:i, s:s, s:s, s:i, s:i, s:s}", "node", r, "node_name", "unknown", "host",
                                      "unknown", "local_rank", 0, "local_size", 1, "role", "unknown");
        json_object_set_new(o, "rank", json_integer(r));
        json_object_set(o, "pid",
                        s->hello && json_object_get(s->hello, "pid") ? json_object_get(s->hello, "pid") : json_null());
        json_t *rec = s->record;
        const char *status = json_string_value(json_object_get(rec, "status"));
        json_object_set_new(o, "status", json_string(status ? status : "lost"));
        json_t *e = json_object_get(rec, "error");
        json_object_set(o, "error", e ? e : json_null());
        json_t *d = json_object_get(rec, "document");
        json_object_set(o, "document", d ? d : json_null());
        any_lost |= s->lost;
        interrupted |= status && strcmp(status, "interrupted") == 0;
        json_array_append_new(ranks, o);
    }
    char date[32], host[256] = "unknown", lib[MPI_MAX_LIBRARY_VERSION_STRING] = "";
    int liblen = 0;
    MPI_Get_library_version(lib, &liblen);
    char *nl = strchr(lib, '\n');
    if (nl)
        *nl = '\0';
    char *comma = strchr(lib, ',');
    if (comma)
        *comma = '\0';
    hj_bench_iso_utc((long)started, date, sizeof date, false);
    gethostname(host, sizeof host - 1);
    json_t *meta = json_pack(
        "{s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:s, s:s, s:b, s:f, s:o, s:{s:i, s:s, s:f, s:s, s:s}}", "tool", "name",
        "hashjoule", "version", hj_version(), "git_commit", hj_git_commit(), "compiler", hj_build_compiler(), "c_flags",
        hj_build_flags(), "build_type", hj_build_type(), "date", date, "host", host, "interrupted", interrupted,
        "duration_seconds", now_s() - g->started, "protocol", protocol_json(g->a), "mpi", "world_size", g->size,
        "split", g->m->split, "timeout_seconds", g->m->timeout_seconds, "library", lib, "rule",
        strcmp(g->m->split, "rank") == 0
            ? "every rank is a node of its own and runs the whole plan"
            : "ranks sharing memory form a node; alone, a rank runs the whole plan; otherwise local rank 0 runs the "
              "CPU kernels (and OpenCL devices of type cpu) and device j goes to local rank 1 + j mod (L-1)");
    json_t *fleet = hj_cluster_result_build(ranks, meta);
    json_decref(ranks);
    json_decref(meta);

    int rc = 0;
    hj_error err;
    if (hj_results_writer_commit(writer, fleet, &err) != HJ_OK) {
        fprintf(stderr, "hashjoule bench: %s\n", err.message);
        rc = HJ_EXIT_RUNTIME;
    }
    if (!writer->to_stdout) {
        if (g->m->json_out) {
            size_t jlen;
            char *j = hj_bench_dump_json(fleet, &jlen);
            if (j)
                fputs(j, stdout);
            free(j);
        } else {
            hj_cluster_result_print(fleet, stdout);
        }
        if (rc == 0)
            fprintf(g->m->json_out ? stderr : stdout, "%sfleet results: %s\n",
                    g->m->json_out ? "hashjoule bench: " : "\n", hj_results_writer_path(writer));
        fflush(stdout);
    }
    json_t *totals = json_object_get(fleet, "totals");
    if (rc == 0 && json_integer_value(json_object_get(totals, "ranks_missing")) > 0) {
        fprintf(stderr, "hashjoule bench --mpi: %lld rank(s) failed or were lost (see the fleet results)\n",
                (long long)json_integer_value(json_object_get(totals, "ranks_missing")));
        rc = interrupted ? HJ_EXIT_INTERRUPTED : HJ_ERR_RUNTIME;
    }
    json_decref(fleet);
    (void)any_lost;
    return rc;
}

/* --- the entry point --------------------------------------------------------------------------- */
int hj_bench_mpi_main(const hj_bench_options *a_in, const hj_bench_mpi_options *m, const char *parse_error)
{
    static hj_bench_options a;
    a = *a_in;

    /* The worker first, while this process is still single-threaded. */
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        fprintf(stderr, "hashjoule bench: --mpi: socketpair: %s\n", strerror(errno));
        return HJ_EXIT_RUNTIME;
    }
    fflush(NULL);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "hashjoule bench: --mpi: fork: %s\n", strerror(errno));
        return HJ_EXIT_RUNTIME;
    }
    if (child == 0) {
        close(sv[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the agent */
        if (getppid() != parent)
            _exit(0);
        int rc = worker_main(sv[1], &a);
        close(sv[1]);
        fflush(NULL);
        exit(rc);
    }
    close(sv[1]);

    agent g;
    memset(&g, 0, sizeof g);
    g.a = &a;
    g.m = m;
    g.fd = sv[0];
    g.child = child;
    g.worker_waiting = -1;
    g.worker_step = -1;
    g.started = now_s();
    /* A phase, plus the end of its last chunk and the bookkeeping after it. */
    g.step_seconds = fmax(fmax(a.seconds, a.warmup), a.idle_seconds) + 2;
    time_t started = time(NULL);

    int provided;
    MPI_Init_thread(NULL, NULL, MPI_THREAD_SINGLE, &provided);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &g.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g.size);
    /* Which ranks share this node: the smallest world rank among them names it. */
    MPI_Comm node;
    int shared_key = g.rank;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) == MPI_SUCCESS) {
        MPI_Allreduce(&g.rank, &shared_key, 1, MPI_INT, MPI_MIN, node);
        MPI_Comm_free(&node);
    }
    g.last_from_root = g.last_send_root = now_s();

    /* Rank 0 checks where the fleet result goes before anything runs. */
    hj_results_writer writer = {.file = {.fd = -1}, .to_stdout = true};
    if (g.rank == 0 && parse_error) {
        fprintf(stderr, "hashjoule bench: %s (rank 0 leads the fleet run, so the run stops)\n", parse_error);
        fflush(stderr);
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        MPI_Abort(MPI_COMM_WORLD, HJ_ERR_INPUT);
        return HJ_ERR_INPUT;
    }
    hj_error err;
    hj_status st;
    if (g.rank == 0 && (st = hj_results_writer_open(&writer, m->out, "fleet-", "json", (long)started, &err)) != HJ_OK) {
        fprintf(stderr, "hashjoule bench: %s\n", err.message);
        fflush(stderr);
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        MPI_Abort(MPI_COMM_WORLD, st == HJ_ERR_RUNTIME ? HJ_ERR_RUNTIME : HJ_ERR_INPUT);
        return HJ_ERR_INPUT;
    }

    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
    json_t *hello =
        json_pack("{s:i, s:i, s:s, s:i, s:o, s:s, s:s?}", "rank", g.rank, "shared_key", shared_key, "host", host, "pid",
                  (int)getpid(), "protocol", protocol_json(&a), "split", m->split, "error", parse_error);
    if (g.rank == 0) {
        g.rs = calloc((size_t)g.size, sizeof *g.rs);
        for (int r = 0; r < g.size; r++) {
            g.rs[r].announced = g.rs[r].waiting = -1;
            g.rs[r].last_heard = now_s();
        }
        g.rs[0].hello = hello;
    } else {
        post_json(&g, 0, TAG_HELLO, hello);
        json_decref(hello);
    }

    agent_loop(&g);

    int rc = 0;
    if (g.rank == 0) {
        rc = finish_rank0(&g, &writer, started);
        bool any_lost = false;
        for (int r = 1; r < g.size; r++) {
            any_lost |= g.rs[r].lost;
            if (!g.rs[r].lost)
                post_send(&g, r, TAG_FINISH, "");
        }
        bool drained = drain_sends(&g, 10);
        reap_worker(&g, true);
        for (int r = 0; r < g.size; r++) {
            json_decref(g.rs[r].hello);
            json_decref(g.rs[r].place);
            json_decref(g.rs[r].record);
        }
        free(g.rs);
        if (any_lost || !drained) {
            /* A lost rank would never reach MPI_Finalize: end the job. */
            fflush(NULL);
            MPI_Abort(MPI_COMM_WORLD, rc ? rc : HJ_ERR_RUNTIME);
        }
    } else {
        if (!g.child_reaped) {
            to_worker(&g, F_QUIT, "");
            reap_worker(&g, true);
        }
        drain_sends(&g, 10);
    }
    close(g.fd);
    free(g.pend);
    MPI_Finalize();
    return rc;
}
