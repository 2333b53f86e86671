/* `hashjoule bench --mpi`: the entry point, and the agent that each rank runs.
 *
 * Each rank is two processes. The worker (worker.c, forked before MPI_Init,
 * so it is a plain single-threaded copy that never touches MPI) runs the
 * ordinary bench protocol; before every warm-up and repetition it asks its
 * agent for permission and waits. The agent (the MPI process, this file)
 * relays the request to rank 0, whose coordinator (coordinator.c) lets a
 * step start only when every rank still running has reached it. A worker
 * that crashes or hangs is seen by its own agent (which keeps the rank in the
 * run and reports why); an agent that falls silent is seen by rank 0 through
 * missed heartbeats. Rank 0 then writes one cluster document
 * (cluster_document.c). */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mpi_internal.h"

int hj_mpi_report(hj_mpi_voice voice, int status, const char *fmt, ...)
{
    /* Formatted first, so that the line leaves in one write: ranks share the terminal. */
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    fprintf(stderr, "hashjoule bench%s: %s\n", voice == HJ_MPI_RUN ? " --mpi" : "", msg ? msg : fmt);
    fflush(stderr);
    free(msg);
    return status;
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
        hj_mpi_coord_on_result(g, 0, rec);
    } else {
        hj_mpi_post_json(g, 0, TAG_RESULT, rec);
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
    if (!hj_mpi_frame_recv(g->fd, &type, &payload)) {
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
            hj_mpi_coord_on_step(g, 0, m);
        else
            hj_mpi_post_send(g, 0, TAG_STEP, payload);
        json_decref(m);
    } else if (type == F_DOC || type == F_FAIL || type == F_IDLE) {
        deliver_record(g, record_from_frame(type, payload));
    }
    free(payload);
}

/* --- messages from rank 0 --------------------------------------------------------------- */
static void on_message(agent *g, int source, int tag, char *text)
{
    if (g->rank == 0) {
        hj_mpi_coord_on_message(g, source, tag, text);
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
            hj_mpi_to_worker(g, F_QUIT, "");
            g->result_sent = true; /* rank 0 recorded why */
        } else {
            hj_mpi_to_worker(g, F_ROLE, text);
            g->worker_deadline = now_s() + g->step_seconds + g->m->timeout_seconds;
        }
        json_decref(m);
    } else if (tag == TAG_GO) {
        g->worker_waiting = -1;
        g->worker_deadline = now_s() + g->step_seconds + g->m->timeout_seconds;
        hj_mpi_to_worker(g, F_GO, text);
    } else if (tag == TAG_FINISH) {
        g->finished = true;
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
    if (g->rank == 0) {
        hj_mpi_coord_check_timers(g, t);
        return;
    }
    if (t - g->last_send_root >= HEARTBEAT_SECONDS)
        hj_mpi_post_send(g, 0, TAG_HEARTBEAT, "");
    if (t - g->last_from_root > g->m->timeout_seconds) {
        hj_mpi_report(HJ_MPI_RUN, 0, "rank %d: nothing from rank 0 for %.0f s; giving up", g->rank,
                      g->m->timeout_seconds);
        MPI_Abort(MPI_COMM_WORLD, HJ_ERR_RUNTIME);
    }
}

static void agent_loop(agent *g)
{
    while (1) {
        bool urgent = g->worker_waiting >= 0 || (g->rank == 0 && hj_mpi_coord_any_waiting(g));
        struct pollfd p = {.fd = g->fd, .events = POLLIN};
        int n = poll(&p, g->child_reaped ? 0 : 1, urgent ? 1 : 20);
        if (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)))
            on_worker_frame(g);
        if (g->result_sent)
            reap_worker(g, false);
        hj_mpi_poll_messages(g, on_message);
        hj_mpi_progress_sends(g);
        if (g->rank == 0 && !g->roles_assigned && hj_mpi_coord_all_hello(g))
            hj_mpi_coord_assign_roles(g);
        check_timers(g);
        if (g->rank == 0 && g->roles_assigned && hj_mpi_coord_all_done(g))
            return;
        if (g->rank != 0 && g->finished)
            return;
    }
}

/* --- the entry point --------------------------------------------------------------------------- */
/* Rank 0 cannot lead the run: its worker goes, and so does the whole job. */
static int abort_run(pid_t child, int status)
{
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    MPI_Abort(MPI_COMM_WORLD, status);
    return status;
}

int hj_bench_mpi_main(const hj_bench_options *o, const hj_bench_mpi_options *m, const char *parse_error)
{
    static hj_bench_options a;
    a = *o;

    /* The worker first, while this process is still single-threaded. */
    int fd;
    pid_t child = hj_mpi_spawn_worker(&a, &fd);
    if (child < 0)
        return HJ_EXIT_RUNTIME;

    agent g;
    memset(&g, 0, sizeof g);
    g.a = &a;
    g.m = m;
    g.fd = fd;
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

    /* Rank 0 checks where the cluster document goes before anything runs. */
    hj_results_writer writer = {.file = {.fd = -1}, .to_stdout = true};
    if (g.rank == 0 && parse_error)
        return abort_run(child, hj_mpi_report(HJ_MPI_BENCH, HJ_ERR_INPUT,
                                              "%s (rank 0 leads the fleet run, so the run stops)", parse_error));
    hj_error err;
    hj_status st;
    if (g.rank == 0 && (st = hj_results_writer_open(&writer, m->out, "fleet-", "json", (long)started, &err)) != HJ_OK) {
        hj_mpi_report(HJ_MPI_BENCH, 0, "%s", err.message);
        int code = st == HJ_ERR_RUNTIME ? HJ_EXIT_RUNTIME : HJ_EXIT_INPUT;
        abort_run(child, code);
        return code;
    }

    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
    json_t *hello =
        json_pack("{s:i, s:i, s:s, s:i, s:o, s:s, s:s?}", "rank", g.rank, "shared_key", shared_key, "host", host, "pid",
                  (int)getpid(), "protocol", hj_mpi_protocol_json(&a), "split", m->split, "error", parse_error);
    if (g.rank == 0) {
        hj_mpi_coord_start(&g, hello);
    } else {
        hj_mpi_post_json(&g, 0, TAG_HELLO, hello);
        json_decref(hello);
    }

    agent_loop(&g);

    int rc = 0;
    if (g.rank == 0) {
        rc = hj_mpi_write_cluster_document(&g, &writer, started);
        bool any_lost = hj_mpi_coord_finish_ranks(&g);
        bool drained = hj_mpi_drain_sends(&g, 10);
        reap_worker(&g, true);
        hj_mpi_coord_free(&g);
        if (any_lost || !drained) {
            /* A lost rank would never reach MPI_Finalize: end the job. */
            fflush(NULL);
            MPI_Abort(MPI_COMM_WORLD, rc ? rc : HJ_ERR_RUNTIME);
        }
    } else {
        if (!g.child_reaped) {
            hj_mpi_to_worker(&g, F_QUIT, "");
            reap_worker(&g, true);
        }
        hj_mpi_drain_sends(&g, 10);
    }
    close(g.fd);
    free(g.pend);
    MPI_Finalize();
    return rc;
}
