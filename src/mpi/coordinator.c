/* The coordinator of `hashjoule bench --mpi`: rank 0's bookkeeping of every rank.
 *
 * Rank 0 collects every rank's hello, groups the ranks into nodes and gives
 * each its role, and lets a step (a warm-up or a repetition) start only when
 * every rank still running has reached it: a barrier with a deadline, made
 * of point-to-point messages so that rank 0 knows exactly which rank is late.
 * A rank whose agent falls silent (missed heartbeats) is declared lost and
 * the others go on without it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi_internal.h"

json_t *hj_mpi_protocol_json(const hj_bench_options *a)
{
    char hex[65] = "";
    hj_target_to_hex(&a->target, hex);
    return json_pack("{s:f, s:i, s:f, s:f, s:s}", "seconds", a->seconds, "repetitions", (int)a->repetitions,
                     "warmup_seconds", a->warmup, "idle_seconds", a->idle_seconds, "target", hex);
}

/* The barrier: a rank waiting at a step goes when no running rank is behind it. */
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
            hj_mpi_to_worker(g, F_GO, text);
        } else {
            hj_mpi_post_send(g, r, TAG_GO, text);
        }
    }
}

void hj_mpi_coord_on_step(agent *g, int r, json_t *m)
{
    rank_state *s = &g->rs[r];
    long step = (long)json_integer_value(json_object_get(m, "step"));
    s->announced = step;
    s->waiting = step;
    snprintf(s->last_kernel, sizeof s->last_kernel, "%s",
             json_string_value(json_object_get(m, "kernel")) ? json_string_value(json_object_get(m, "kernel")) : "");
    coord_release(g);
}

void hj_mpi_coord_on_result(agent *g, int r, json_t *record)
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

void hj_mpi_coord_assign_roles(agent *g)
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
                hj_mpi_to_worker(g, F_QUIT, "");
            else
                hj_mpi_to_worker(g, F_ROLE, text);
            free(text);
            g->have_role = true;
            g->worker_deadline = why[0] ? 0 : now_s() + g->step_seconds + g->m->timeout_seconds;
        } else {
            hj_mpi_post_json(g, r, TAG_ROLE, msg);
        }
        json_decref(msg);
        s->role_sent = true;
        if (why[0]) {
            json_t *rec = json_pack("{s:s, s:s, s:i}", "status", "failed", "error", why, "exit", HJ_ERR_INPUT);
            hj_mpi_coord_on_result(g, r, rec);
        }
    }
    free(node_of);
    free(key);
    g->roles_assigned = true;
    coord_release(g);
}

void hj_mpi_coord_on_message(agent *g, int source, int tag, char *text)
{
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
            hj_mpi_coord_on_step(g, source, m);
        json_decref(m);
    } else if (tag == TAG_RESULT) {
        json_t *rec = json_loads(text, 0, NULL);
        hj_mpi_coord_on_result(
            g, source,
            rec ? rec : json_pack("{s:s, s:s}", "status", "failed", "error", "its result message was not valid JSON"));
    }
}

void hj_mpi_coord_check_timers(agent *g, double t)
{
    if (t - g->last_beat >= HEARTBEAT_SECONDS) {
        g->last_beat = t;
        for (int r = 1; r < g->size; r++)
            if (!g->rs[r].lost)
                hj_mpi_post_send(g, r, TAG_HEARTBEAT, "");
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
        hj_mpi_report(HJ_MPI_RUN, 0, "rank %d is lost: %s", r, why);
        coord_release(g);
    }
}

bool hj_mpi_coord_all_hello(const agent *g)
{
    for (int r = 0; r < g->size; r++)
        if (!g->rs[r].hello && !g->rs[r].lost)
            return false;
    return true;
}

bool hj_mpi_coord_all_done(const agent *g)
{
    for (int r = 0; r < g->size; r++)
        if (!g->rs[r].done && !g->rs[r].lost)
            return false;
    return true;
}

bool hj_mpi_coord_any_waiting(const agent *g)
{
    for (int r = 0; r < g->size; r++)
        if (g->rs[r].waiting >= 0)
            return true;
    return false;
}

void hj_mpi_coord_start(agent *g, json_t *hello0)
{
    g->rs = calloc((size_t)g->size, sizeof *g->rs);
    for (int r = 0; r < g->size; r++) {
        g->rs[r].announced = g->rs[r].waiting = -1;
        g->rs[r].last_heard = now_s();
    }
    g->rs[0].hello = hello0;
}

bool hj_mpi_coord_finish_ranks(agent *g)
{
    bool any_lost = false;
    for (int r = 1; r < g->size; r++) {
        any_lost |= g->rs[r].lost;
        if (!g->rs[r].lost)
            hj_mpi_post_send(g, r, TAG_FINISH, "");
    }
    return any_lost;
}

void hj_mpi_coord_free(agent *g)
{
    for (int r = 0; r < g->size; r++) {
        json_decref(g->rs[r].hello);
        json_decref(g->rs[r].place);
        json_decref(g->rs[r].record);
    }
    free(g->rs);
    g->rs = NULL;
}
