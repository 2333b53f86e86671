/* Regression tests for what the fuzzers and the bad-input review found, at
 * the level of the parsers: bounded file reading, sysfs values, the power
 * command's output, results documents (compare and fleet --bench). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "energy_internal.h"
#include "hashjoule/fleet.h"
#include "hashjoule/input_file.h"
#include "hashjoule/results.h"

static char dir[] = "/tmp/hj-parsers-XXXXXX";

static const char *path_of(const char *name)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("'%s' lacks '%s'", text, part);
}

/* ---- hj_read_input_file ---- */
static void test_read_input_file(void **state)
{
    (void)state;
    char *text;
    size_t len;
    hj_error err;
    write_file("small.json", "{\"a\":1}", 7);
    assert_int_equal(hj_read_input_file(path_of("small.json"), 100, "--x small", &text, &len, &err), HJ_OK);
    assert_int_equal(len, 7);
    assert_string_equal(text, "{\"a\":1}");
    free(text);
    /* empty: read as "", the parser names the problem */
    write_file("empty.json", "", 0);
    assert_int_equal(hj_read_input_file(path_of("empty.json"), 100, "e", &text, &len, &err), HJ_OK);
    assert_int_equal(len, 0);
    assert_string_equal(text, "");
    free(text);
    /* one byte over the limit, and a 2 GB sparse file: refused from the size alone */
    write_file("over.json", "12345678", 8);
    assert_int_equal(hj_read_input_file(path_of("over.json"), 7, "--x over", &text, &len, &err), HJ_ERR_INPUT);
    contains(err.message, "--x over: 8 bytes is larger than");
    assert_null(text);
    int fd = open(path_of("sparse.json"), O_CREAT | O_WRONLY, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)2 << 30), 0);
    close(fd);
    assert_int_equal(hj_read_input_file(path_of("sparse.json"), HJ_INPUT_MAX_BYTES, "big", &text, &len, &err),
                     HJ_ERR_INPUT);
    contains(err.message, "big: 2147483648 bytes is larger than the 64 MiB");
    unlink(path_of("sparse.json"));
    /* a directory, a missing file */
    assert_int_equal(hj_read_input_file(dir, 100, "d", &text, &len, &err), HJ_ERR_INPUT);
    contains(err.message, "d: is a directory");
    assert_int_equal(hj_read_input_file(path_of("nope"), 100, "n", &text, &len, &err), HJ_ERR_INPUT);
    contains(err.message, "n: cannot open: No such file");
    /* a pipe (no size to check first): read up to the limit, refused beyond it */
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        char block[4096];
        memset(block, 'x', sizeof block);
        for (int i = 0; i < 64; i++)
            if (write(p[1], block, sizeof block) != (ssize_t)sizeof block)
                break;
        _exit(0);
    }
    close(p[1]);
    char dev[64];
    snprintf(dev, sizeof dev, "/dev/fd/%d", p[0]);
    assert_int_equal(hj_read_input_file(dev, 100000, "pipe", &text, &len, &err), HJ_ERR_INPUT);
    contains(err.message, "pipe: larger than");
    close(p[0]);
    waitpid(pid, NULL, 0);
}

/* ---- sysfs values ---- */
static void test_sysfs_values(void **state)
{
    (void)state;
    uint64_t u;
    assert_true(hj_energy_parse_u64("12345", &u) && u == 12345);
    assert_false(hj_energy_parse_u64("", &u));
    assert_false(hj_energy_parse_u64("-5", &u));
    assert_false(hj_energy_parse_u64(" 5", &u));
    assert_false(hj_energy_parse_u64("12 joules", &u));
    assert_false(hj_energy_parse_u64("18446744073709551616", &u));
    uint64_t code;
    assert_true(hj_energy_parse_event_code("event=0x02", &code) && code == 2);
    assert_true(hj_energy_parse_event_code("event=0x03,umask=0x1", &code) && code == 3);
    assert_false(hj_energy_parse_event_code("event=-1", &code));
    assert_false(hj_energy_parse_event_code("event= 2", &code));
    assert_false(hj_energy_parse_event_code("event=0x2zz", &code));
    int cpus[64];
    assert_int_equal(hj_energy_parse_cpumask("0", cpus, 64), 1);
    assert_int_equal(hj_energy_parse_cpumask("0,24", cpus, 64), 2);
    assert_int_equal(cpus[1], 24);
    assert_int_equal(hj_energy_parse_cpumask("0-3,8", cpus, 64), 5);
    assert_int_equal(hj_energy_parse_cpumask("", cpus, 64), 0);
    assert_int_equal(hj_energy_parse_cpumask("0,", cpus, 64), 0);
    assert_int_equal(hj_energy_parse_cpumask("3-1", cpus, 64), 0);
    assert_int_equal(hj_energy_parse_cpumask("-1", cpus, 64), 0);
    assert_int_equal(hj_energy_parse_cpumask("0-100", cpus, 64), 0); /* more CPUs than room: refused */
    /* found by review: a range ending at LONG_MAX made the loop counter overflow (undefined behaviour) */
    char huge[64];
    snprintf(huge, sizeof huge, "%ld-%ld", LONG_MAX - 1, LONG_MAX);
    assert_int_equal(hj_energy_parse_cpumask(huge, cpus, 64), 0);
    assert_int_equal(hj_energy_parse_cpumask("99999999999999999999", cpus, 64), 0);
    double scale;
    assert_true(hj_energy_parse_scale("2.3283064365386962890625e-10", &scale));
    assert_false(hj_energy_parse_scale("inf", &scale)); /* sscanf("%lf") took it */
    assert_false(hj_energy_parse_scale("nan", &scale));
    assert_false(hj_energy_parse_scale("1e999", &scale));
    assert_false(hj_energy_parse_scale("0", &scale));
    assert_false(hj_energy_parse_scale("1.5 J", &scale));
    int type;
    assert_true(hj_energy_parse_pmu_type("9", &type) && type == 9);
    assert_false(hj_energy_parse_pmu_type("0", &type));
    assert_false(hj_energy_parse_pmu_type("99999999999", &type)); /* atoi overflowed */
    assert_false(hj_energy_parse_pmu_type("9x", &type));
}

/* ---- sysfs files: a value is never used cut short or with a NUL in it ---- */
static void test_sysfs_files(void **state)
{
    (void)state;
    char buf[64];
    write_file("ok", "12345\n", 6);
    assert_int_equal(hj_energy_read_text(path_of("ok"), buf, sizeof buf), 0);
    assert_string_equal(buf, "12345");
    char longer[200];
    memset(longer, '1', sizeof longer);
    write_file("long", longer, sizeof longer);
    assert_int_equal(hj_energy_read_text(path_of("long"), buf, sizeof buf), EFBIG);
    char exact[63];
    memset(exact, '7', sizeof exact);
    write_file("exact", exact, sizeof exact); /* exactly fills the buffer: fine */
    assert_int_equal(hj_energy_read_text(path_of("exact"), buf, sizeof buf), 0);
    assert_int_equal(strlen(buf), 63);
    write_file("nul", "12\0junk\n", 8);
    assert_int_equal(hj_energy_read_text(path_of("nul"), buf, sizeof buf), EILSEQ);
    uint64_t v;
    hj_error err;
    assert_int_equal(hj_energy_read_u64_file(path_of("long"), "a counter", &v, &err), HJ_ERR_RUNTIME);
    contains(err.message, "longer than any such value");
    assert_int_equal(hj_energy_read_u64_file(path_of("nul"), "a counter", &v, &err), HJ_ERR_RUNTIME);
    contains(err.message, "holds a NUL byte");
}

/* ---- the power command's output ---- */
static void test_power_output(void **state)
{
    (void)state;
    double w;
    hj_error err;
    assert_int_equal(hj_energy_parse_watts("Instantaneous power reading: 220 Watts\n", &w, &err), HJ_OK);
    assert_true(w == 220);
    assert_int_equal(hj_energy_parse_watts("\xff 220 W", &w, &err), HJ_ERR_INPUT);
    contains(err.message, "not valid UTF-8");
    assert_int_equal(hj_energy_parse_watts("\xc0\xaf 220 W", &w, &err), HJ_ERR_INPUT);             /* overlong '/' */
    assert_int_equal(hj_energy_parse_watts("\xed\xa0\x80 220 W", &w, &err), HJ_ERR_INPUT);         /* a surrogate */
    assert_int_equal(hj_energy_parse_watts("Leistung: 220 W \xc3\xa9t\xc3\xa9", &w, &err), HJ_OK); /* UTF-8 is text */
    assert_int_equal(hj_energy_parse_watts("-5 W", &w, &err), HJ_ERR_INPUT);
    contains(err.message, "'-5' is not a usable power reading (negative)");
    assert_int_equal(hj_energy_parse_watts("1e999 W", &w, &err), HJ_ERR_INPUT);
    contains(err.message, "not a finite number");
    assert_int_equal(hj_energy_parse_watts("nan W", &w, &err), HJ_ERR_INPUT);
    assert_int_equal(hj_energy_parse_watts("", &w, &err), HJ_ERR_INPUT);
}

/* ---- results documents ---- */
#define DOC_HEAD "{\"schema_version\":1,\"tool\":{\"name\":\"hashjoule\"},\"results\":["
#define OK_RESULT                                                                       \
    "{\"kernel\":\"scalar\",\"kind\":\"cpu\",\"threads\":1,\"status\":\"ok\","          \
    "\"hashes_per_second\":{\"median\":1e6,\"min\":1e6,\"max\":1e6,\"samples\":[1e6]}," \
    "\"repetitions\":[{\"hashes\":1000000,\"seconds\":1}],\"energy\":null,\"energy_unavailable_reason\":\"none\"}"
#define FAILED_RESULT                                                                                      \
    "{\"kernel\":\"broken\",\"kind\":\"cpu\",\"threads\":1,\"status\":\"failed\",\"error\":\"self-test\"," \
    "\"hashes_per_second\":null,\"repetitions\":[]}"

static void test_results_documents(void **state)
{
    (void)state;
    hj_error err;
    const char *good = DOC_HEAD OK_RESULT "," FAILED_RESULT "]}";
    json_t *doc = hj_results_parse(good, strlen(good), &err);
    assert_non_null(doc);
    json_decref(doc);
    /* found by the fuzzer's seeds: fleet --bench refused a file with a failed kernel */
    hj_bench_file b;
    assert_int_equal(hj_fleet_parse_bench(good, strlen(good), "r.json", &b, &err), HJ_OK);
    assert_int_equal(b.n_results, 1);
    assert_int_equal(b.n_failed, 1);
    assert_string_equal(b.results[0].kernel, "scalar");
    hj_bench_file_free(&b);
    /* found by review: fleet --bench took a hand-edited median that compare refuses */
    const char *edited = DOC_HEAD "{\"kernel\":\"scalar\",\"kind\":\"cpu\",\"threads\":1,\"status\":\"ok\","
                                  "\"hashes_per_second\":{\"median\":9e9,\"min\":1e6,\"max\":1e6,\"samples\":[1e6]},"
                                  "\"repetitions\":[{\"hashes\":1000000,\"seconds\":1}],\"energy\":null}]}";
    assert_null(hj_results_parse(edited, strlen(edited), &err));
    contains(err.message, "do not match its samples");
    assert_int_equal(hj_fleet_parse_bench(edited, strlen(edited), "e.json", &b, &err), HJ_ERR_INPUT);
    contains(err.message, "e.json: results[0] (scalar): median/min/max");
    /* duplicate keys, NaN and overflowing numbers, non-UTF-8: not JSON */
    const char *dup = "{\"schema_version\":1,\"schema_version\":1}";
    assert_null(hj_results_parse(dup, strlen(dup), &err));
    contains(err.message, "duplicate");
    const char *nan = DOC_HEAD "{\"kernel\":\"k\",\"threads\":NaN}]}";
    assert_null(hj_results_parse(nan, strlen(nan), &err));
    contains(err.message, "not valid JSON");
    const char *inf = DOC_HEAD "{\"kernel\":\"k\",\"threads\":1e400}]}";
    assert_null(hj_results_parse(inf, strlen(inf), &err));
    contains(err.message, "overflow");
    const char *latin1 = "{\"schema_version\":1,\"tool\":{\"name\":\"hashjoul\xe9\"},\"results\":[]}";
    assert_null(hj_results_parse(latin1, strlen(latin1), &err));
    contains(err.message, "not valid JSON");
    /* text after the document, and a NUL inside it */
    const char *trailing = DOC_HEAD "]} {}";
    assert_null(hj_results_parse(trailing, strlen(trailing), &err));
    const char nul[] = DOC_HEAD "]}\0";
    assert_null(hj_results_parse(nul, sizeof nul, &err));
    /* the file loader names the file */
    write_file("r.json", good, strlen(good));
    hj_status st;
    doc = hj_results_load(path_of("r.json"), &st, &err);
    assert_non_null(doc);
    json_decref(doc);
    write_file("t.json", good, 40);
    assert_null(hj_results_load(path_of("t.json"), &st, &err));
    assert_int_equal(st, HJ_ERR_INPUT);
    contains(err.message, "t.json: not valid JSON");
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_input_file),   cmocka_unit_test(test_sysfs_values),
        cmocka_unit_test(test_sysfs_files),       cmocka_unit_test(test_power_output),
        cmocka_unit_test(test_results_documents),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return rc;
}
