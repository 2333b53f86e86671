/* Transport of `hashjoule bench --mpi`: frames between agent and worker, MPI messages between ranks.
 *
 * The worker socket carries length-prefixed frames (mpi_internal.h). Between
 * ranks every send is nonblocking and completed by polling, so an agent never
 * blocks on a slow or dead rank while its own worker waits for an answer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mpi_internal.h"

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

bool hj_mpi_frame_send(int fd, uint32_t type, const char *payload, size_t len)
{
    uint32_t h[2] = {type, (uint32_t)len};
    return write_all(fd, h, sizeof h) && (len == 0 || write_all(fd, payload, len));
}

bool hj_mpi_frame_send_str(int fd, uint32_t type, const char *s)
{
    return hj_mpi_frame_send(fd, type, s, s ? strlen(s) : 0);
}

bool hj_mpi_frame_recv(int fd, uint32_t *type, char **payload)
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

void hj_mpi_post_send(agent *g, int dest, int tag, const char *text)
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

void hj_mpi_post_json(agent *g, int dest, int tag, json_t *m)
{
    char *text = json_dumps(m, JSON_COMPACT | JSON_REAL_PRECISION(17));
    hj_mpi_post_send(g, dest, tag, text);
    free(text);
}

void hj_mpi_progress_sends(agent *g)
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

bool hj_mpi_drain_sends(agent *g, double seconds)
{
    double end = now_s() + seconds;
    while (g->n_pend > 0 && now_s() < end) {
        hj_mpi_progress_sends(g);
        struct timespec ts = {0, 1000L * 1000};
        nanosleep(&ts, NULL);
    }
    return g->n_pend == 0;
}

void hj_mpi_to_worker(agent *g, uint32_t type, const char *text)
{
    if (!g->child_reaped)
        hj_mpi_frame_send_str(g->fd, type, text);
}

void hj_mpi_poll_messages(agent *g, void (*on_message)(agent *g, int source, int tag, char *text))
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
