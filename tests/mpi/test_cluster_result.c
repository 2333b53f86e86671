/* The cluster result's rules on crafted rank records (no MPI needed): devices
 * and their best results, scopes never added together, a wall meter counted
 * once per node, failed and lost ranks listed, OpenCL-on-CPU counted as the
 * CPU. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "cluster_result.h"

/* A result of `reps` repetitions of 1 s at `rate` H/s; energy in `scope`
 * at `watts` (NULL scope: none). */
static json_t *result(const char *kernel, const char *kind, int threads, double rate, const char *scope, double watts,
                      const char *status)
{
    json_t *reps = json_array(), *samples = json_array();
    for (int i = 0; i < 2; i++) {
        json_array_append_new(reps, json_pack("{s:I, s:f}", "hashes", (json_int_t)rate, "seconds", 1.0));
        json_array_append_new(samples, json_real(rate));
    }
    json_t *energy =
        scope ? json_pack("{s:s, s:s, s:f, s:f, s:f, s:f}", "scope", scope, "source", "test", "joules", 2 * watts,
                          "seconds", 2.0, "mean_watts", watts, "joules_per_terahash", watts / (rate / 1e12))
              : json_null();
    return json_pack("{s:s, s:s, s:s, s:i, s:s, s:{s:f, s:f, s:f, s:o}, s:o, s:o, s:s?}", "kernel", kernel, "kind",
                     kind, "device", strcmp(kind, "cpu") == 0 ? "Test CPU" : kernel, "threads", threads, "status",
                     status, "hashes_per_second", "median", rate, "min", rate, "max", rate, "samples", samples,
                     "repetitions", reps, "energy", energy, "energy_unavailable_reason",
                     scope ? NULL : "no sensor (test)");
}

static json_t *doc(json_t *results, const char *cpu_opencl_id)
{
    json_t *devices = json_array();
    if (cpu_opencl_id)
        json_array_append_new(devices, json_pack("{s:s, s:s}", "id", cpu_opencl_id, "type", "cpu"));
    json_array_append_new(devices, json_pack("{s:s, s:s}", "id", "0:0", "type", "gpu"));
    return json_pack("{s:i, s:{s:{s:o}}, s:o}", "schema_version", 1, "machine", "opencl", "devices", devices, "results",
                     results);
}

static json_t *rank(int r, int node, const char *name, const char *host, const char *status, const char *error,
                    json_t *document)
{
    return json_pack("{s:i, s:i, s:s, s:s, s:i, s:i, s:s, s:s, s:s?, s:o}", "rank", r, "node", node, "node_name", name,
                     "host", host, "local_rank", 0, "local_size", 1, "role", "all", "status", status, "error", error,
                     "document", document ? document : json_null());
}

static json_t *scope_of(json_t *cluster, const char *scope)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(json_object_get(cluster, "totals"), "by_scope"), i, s)
        if (strcmp(json_string_value(json_object_get(s, "scope")), scope) == 0)
            return s;
    return NULL;
}

static double num(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

static void test_scopes_and_nodes(void **state)
{
    (void)state;
    /* Node A: CPU (two configurations, RAPL) and a GPU (board sensor).
     * Node B: CPU and GPU both at the wall. Node C: a failed rank. Node D: a
     * lost rank. */
    json_t *a = json_pack("[o, o, o]", result("avx2", "cpu", 8, 4e8, "cpu-package", 100, "ok"),
                          result("avx2", "cpu", 1, 6e7, "cpu-package", 30, "ok"),
                          result("opencl:0:0", "device", 1, 2e9, "gpu-board", 200, "ok"));
    json_t *b = json_pack("[o, o]", result("avx2", "cpu", 8, 3e8, "wall", 400, "ok"),
                          result("opencl:0:0", "device", 1, 1e9, "wall", 600, "ok"));
    json_t *ranks = json_pack("[o, o, o, o]", rank(0, 0, "a", "a", "ok", NULL, doc(a, NULL)),
                              rank(1, 1, "b", "b", "ok", NULL, doc(b, NULL)),
                              rank(2, 2, "c", "c", "failed", "--device: no device '9:9'", NULL),
                              rank(3, 3, "d", "d", "lost", "no message for 120 s", NULL));
    json_t *meta = json_pack("{s:s}", "host", "a");
    json_t *f = hj_cluster_result_build(ranks, meta);
    json_t *t = json_object_get(f, "totals");

    assert_string_equal(json_string_value(json_object_get(f, "kind")), "fleet");
    /* four devices, each at its best median: 4e8 + 2e9 + 3e8 + 1e9 */
    assert_int_equal(json_integer_value(json_object_get(t, "devices")), 4);
    assert_true(fabs(num(t, "hashes_per_second") - 3.7e9) < 1);
    /* each scope on its own */
    json_t *pkg = scope_of(f, "cpu-package"), *gpu = scope_of(f, "gpu-board"), *wall = scope_of(f, "wall");
    assert_non_null(pkg);
    assert_non_null(gpu);
    assert_non_null(wall);
    assert_int_equal(json_array_size(json_object_get(t, "by_scope")), 3);
    assert_true(fabs(num(pkg, "mean_watts") - 100) < 1e-9); /* the 8-thread result, not 100 + 30 */
    assert_true(fabs(num(pkg, "joules_per_terahash") - 100 / 4e8 * 1e12) < 1e-3);
    assert_true(fabs(num(gpu, "mean_watts") - 200) < 1e-9);
    /* the wall covers node B once: its fastest device, not 400 + 600 W */
    assert_int_equal(json_integer_value(json_object_get(wall, "devices")), 1);
    assert_true(fabs(num(wall, "mean_watts") - 600) < 1e-9);
    assert_true(fabs(num(wall, "mean_hashes_per_second") - 1e9) < 1e-3);
    /* failed and lost ranks are named, the others kept */
    assert_int_equal(json_integer_value(json_object_get(t, "ranks_missing")), 2);
    assert_int_equal(json_integer_value(json_object_get(t, "nodes_ok")), 2);
    assert_false(json_is_true(json_object_get(t, "complete")));
    size_t i, lost = 0, failed = 0;
    json_t *m;
    json_array_foreach(json_object_get(t, "missing"), i, m) {
        const char *st = json_string_value(json_object_get(m, "status"));
        lost += strcmp(st, "lost") == 0 && strcmp(json_string_value(json_object_get(m, "node")), "d") == 0;
        failed += strcmp(st, "failed") == 0 && strstr(json_string_value(json_object_get(m, "reason")), "9:9");
    }
    assert_int_equal(lost, 1);
    assert_int_equal(failed, 1);
    json_decref(f);
    json_decref(ranks);
    json_decref(meta);
}

static void test_opencl_cpu_is_the_cpu(void **state)
{
    (void)state;
    /* PoCL's device (type cpu) and the CPU kernels are one device: the best
     * of them counts once; a failed result never counts. */
    json_t *a = json_pack("[o, o, o]", result("avx2", "cpu", 2, 1e7, NULL, 0, "ok"),
                          result("opencl:1:0", "device", 1, 3e7, NULL, 0, "ok"),
                          result("opencl:0:0", "device", 1, 9e9, NULL, 0, "failed"));
    json_t *ranks = json_pack("[o]", rank(0, 0, "a", "a", "ok", NULL, doc(a, "1:0")));
    json_t *meta = json_object();
    json_t *f = hj_cluster_result_build(ranks, meta);
    json_t *t = json_object_get(f, "totals");
    assert_int_equal(json_integer_value(json_object_get(t, "devices")), 1);
    assert_true(fabs(num(t, "hashes_per_second") - 3e7) < 1e-6);
    json_t *dev = json_array_get(json_object_get(json_array_get(json_object_get(f, "nodes"), 0), "devices"), 0);
    assert_string_equal(json_string_value(json_object_get(dev, "key")), "cpu");
    assert_string_equal(json_string_value(json_object_get(dev, "kernel")), "opencl:1:0");
    assert_int_equal(json_array_size(json_object_get(t, "by_scope")), 0);
    assert_true(json_is_true(json_object_get(t, "complete")));
    json_decref(f);
    json_decref(ranks);
    json_decref(meta);
}

static void test_same_host_warns(void **state)
{
    (void)state;
    json_t *ranks = json_pack("[o, o]", rank(0, 0, "vm#0", "vm", "ok", NULL, doc(json_array(), NULL)),
                              rank(1, 1, "vm#1", "vm", "ok", NULL, doc(json_array(), NULL)));
    json_t *meta = json_object();
    json_t *f = hj_cluster_result_build(ranks, meta);
    assert_int_equal(json_array_size(json_object_get(f, "warnings")), 1);
    /* no device: the nodes are not ok, and the totals are not complete */
    assert_false(json_is_true(json_object_get(json_object_get(f, "totals"), "complete")));
    json_decref(f);
    json_decref(ranks);
    json_decref(meta);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scopes_and_nodes),
        cmocka_unit_test(test_opencl_cpu_is_the_cpu),
        cmocka_unit_test(test_same_host_warns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
