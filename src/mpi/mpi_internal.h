/* What the files of `hashjoule bench --mpi` share: the agent, its messages, their contracts.
 *
 * Private to hashjoule_mpi. Each rank is an agent (the MPI process) and its
 * forked worker (worker.c); they talk in frames over a socketpair and the
 * agents talk to rank 0 in MPI messages (transport.c); rank 0 is also the
 * coordinator (coordinator.c) and writes the cluster document
 * (cluster_document.c); bench_mpi.c is the entry point and the agent loop. */
#ifndef HJ_MPI_INTERNAL_H
#define HJ_MPI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <jansson.h>
#include <mpi.h>

#include "bench_mpi.h"
#include "hashjoule/bench.h"
#include "hashjoule/clock.h"
#include "hashjoule/energy.h"
#include "hashjoule/error.h"
#include "hashjoule/kernel.h"
#include "hashjoule/target.h"
#include "hashjoule/version.h"

/* MPI tags: agent <-> rank 0. Every payload is JSON text. */
enum { TAG_HELLO = 11, TAG_ROLE, TAG_STEP, TAG_GO, TAG_RESULT, TAG_HEARTBEAT, TAG_FINISH };
/* Frames on the worker <-> agent socket. */
enum { F_ROLE = 1, F_QUIT, F_GO, F_STEP, F_DOC, F_FAIL, F_IDLE };

#define HEARTBEAT_SECONDS 1.0

static inline double now_s(void) { return hj_monotonic_seconds(); }

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
    double last_beat; /* the last heartbeat to the ranks */
} agent;

/* --- reporting (bench_mpi.c) --- */
/* Whose news a message is: this rank's bench ("hashjoule bench: ", as a
 * single-machine run says it) or the cluster run ("hashjoule bench --mpi: "). */
typedef enum { HJ_MPI_BENCH, HJ_MPI_RUN } hj_mpi_voice;

/* The only way this layer speaks on stderr: one line with the voice's prefix,
 * flushed (MPI_Abort often follows). Returns `status`, so that an error path
 * reads `return hj_mpi_report(...)`. */
int hj_mpi_report(hj_mpi_voice voice, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* --- transport.c: frames on the worker socket, messages between ranks --- */
/* A frame is {uint32 type, uint32 length} then the payload; false when the
 * peer is gone. frame_recv's *payload is malloc'd and NUL-terminated. */
bool hj_mpi_frame_send(int fd, uint32_t type, const char *payload, size_t len);
bool hj_mpi_frame_send_str(int fd, uint32_t type, const char *s);
bool hj_mpi_frame_recv(int fd, uint32_t *type, char **payload);
/* A frame to this rank's worker, unless it has already been reaped. */
void hj_mpi_to_worker(agent *g, uint32_t type, const char *text);
/* Nonblocking sends: the text is copied and kept until MPI_Test says done,
 * because the agent never waits on one rank while its worker needs it. */
void hj_mpi_post_send(agent *g, int dest, int tag, const char *text);
void hj_mpi_post_json(agent *g, int dest, int tag, json_t *m);
void hj_mpi_progress_sends(agent *g);
/* Wait for the sends to finish, at most `seconds`; true when they did. */
bool hj_mpi_drain_sends(agent *g, double seconds);
/* Receive what has arrived (a bounded batch) and hand each message, text
 * NUL-terminated, to `on_message`. */
void hj_mpi_poll_messages(agent *g, void (*on_message)(agent *g, int source, int tag, char *text));

/* --- worker.c: the forked benchmark process --- */
/* Fork the worker before MPI_Init (so it is a plain single-threaded copy that
 * never touches MPI). Returns its pid and the agent's end of the socket in
 * *agent_fd; -1 after reporting why. */
pid_t hj_mpi_spawn_worker(const hj_bench_options *a, int *agent_fd);

/* --- coordinator.c: rank 0's bookkeeping --- */
/* The windows every rank must measure the same, as rank 0 compares them. */
json_t *hj_mpi_protocol_json(const hj_bench_options *a);
/* Rank 0 starts its view of every rank, its own hello included (taken). */
void hj_mpi_coord_start(agent *g, json_t *hello0);
void hj_mpi_coord_on_message(agent *g, int source, int tag, char *text);
void hj_mpi_coord_on_step(agent *g, int r, json_t *m);
/* Rank r's outcome (taken); only the first one counts. */
void hj_mpi_coord_on_result(agent *g, int r, json_t *record);
bool hj_mpi_coord_all_hello(const agent *g);
/* Every rank said hello: group them into nodes and tell each its place. */
void hj_mpi_coord_assign_roles(agent *g);
/* A rank is waiting for a step to start (the agent polls faster). */
bool hj_mpi_coord_any_waiting(const agent *g);
/* Heartbeats to the ranks, and ranks silent too long (at time t) declared lost. */
void hj_mpi_coord_check_timers(agent *g, double t);
bool hj_mpi_coord_all_done(const agent *g);
/* Tell every rank still there that the run is over; true when a rank was lost
 * (it will never reach MPI_Finalize). */
bool hj_mpi_coord_finish_ranks(agent *g);
void hj_mpi_coord_free(agent *g);

/* --- cluster_document.c: rank 0's result --- */
/* Build the cluster document from every rank's record, write it with
 * `writer`, print the summary (or the JSON); the exit status of rank 0. */
int hj_mpi_write_cluster_document(agent *g, hj_results_writer *writer, time_t started);

#endif
