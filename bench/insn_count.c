/* Instructions one call of a CPU kernel executes, counted exactly by
 * single-stepping it with ptrace: deterministic like callgrind's count, but
 * on the real CPU, so it also counts the kernels valgrind cannot run
 * (AVX-512, SHA-NI).
 *
 * Usage: insn_count [--direct] KERNEL NONCES [VERSIONS]
 *   Prints the instructions of one call over nonces [0, NONCES) of a fixed
 *   header at an easy target; with VERSIONS, of one call of the kernel's
 *   version-rolling form over that many versions (or, for a kernel without
 *   one, VERSIONS calls of the plain form, as the scan driver makes them).
 *   Per hash: the difference of two counts over the difference in hashes,
 *   which cancels the fixed cost of a call. About 40,000 steps a second.
 *   --direct: make the call without tracing it, for another counter (e.g.
 *   valgrind --tool=callgrind --toggle-collect=hj_scan_avx2_versions, which
 *   is faster where valgrind can run the kernel).
 * Exit status: 0 counted, 2 bad usage or a kernel this CPU cannot run, 3 a
 * ptrace failure. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hashjoule/hashjoule.h"

/* The traced child: everything is prepared before the first stop, so the
 * steps between the two stops are the kernel call alone. */
static void child(const hj_kernel *k, uint32_t nonces, uint32_t versions, bool traced)
{
    uint8_t header[HJ_HEADER_BYTES];
    for (size_t i = 0; i < sizeof header; i++)
        header[i] = (uint8_t)(i * 37 + 11);
    hj_write_le32(header, 0x20000000u);
    hj_target target;
    hj_error err;
    hj_target_from_hex("0000ffff00000000000000000000000000000000000000000000000000000000", &target, "target", &err);
    hj_job job, one;
    if (versions && hj_job_init_versions(&job, header, &target, 0, versions, &err) != HJ_OK)
        _exit(2);
    if (!versions)
        hj_job_init(&job, header, &target);
    size_t room = (size_t)nonces * (versions ? versions : 1);
    hj_vcandidate *vc = malloc(room * sizeof *vc);
    uint32_t *c = malloc(room * sizeof *c);
    if (!vc || !c)
        _exit(3);
    if (traced && ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
        _exit(3);
    if (traced)
        raise(SIGSTOP);
    uint32_t found = 0;
    if (!versions)
        found = k->scan_cpu(&job, 0, nonces, c);
    else if (k->scan_cpu_versions)
        found = k->scan_cpu_versions(&job, 0, versions, 0, nonces, vc);
    else
        for (uint32_t v = 0; v < versions; v++) {
            hj_job_for_version(&job, v, &one);
            found += k->scan_cpu(&one, 0, nonces, c);
        }
    if (traced)
        raise(SIGSTOP);
    _exit(found > room ? 3 : 0);
}

int main(int argc, char **argv)
{
    bool direct = argc > 1 && strcmp(argv[1], "--direct") == 0;
    argc -= direct;
    argv += direct;
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: insn_count [--direct] KERNEL NONCES [VERSIONS]\n");
        return 2;
    }
    const hj_kernel *k = hj_kernel_find(argv[1]);
    char why[256] = "";
    if (!k || k->kind != HJ_KERNEL_CPU || !hj_kernel_available(k, why, sizeof why)) {
        fprintf(stderr, "insn_count: no CPU kernel '%s' that runs here%s%s\n", argv[1], why[0] ? ": " : "", why);
        return 2;
    }
    long nonces = strtol(argv[2], NULL, 10), versions = argc == 4 ? strtol(argv[3], NULL, 10) : 0;
    if (nonces < 1 || nonces > (1L << 24) || versions < 0 || versions > 65536) {
        fprintf(stderr, "insn_count: NONCES 1..2^24, VERSIONS 1..65536\n");
        return 2;
    }
    if (direct)
        child(k, (uint32_t)nonces, (uint32_t)versions, false);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return 3;
    if (pid == 0)
        child(k, (uint32_t)nonces, (uint32_t)versions, true);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
        fprintf(stderr, "insn_count: the child did not stop (ptrace not permitted here?)\n");
        return 3;
    }
    unsigned long long steps = 0;
    for (;;) {
        if (ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL) != 0) {
            perror("insn_count: PTRACE_SINGLESTEP");
            kill(pid, SIGKILL);
            return 3;
        }
        if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
            fprintf(stderr, "insn_count: the child ended while being stepped\n");
            return 3;
        }
        if (WSTOPSIG(status) == SIGSTOP)
            break;
        steps++;
    }
    ptrace(PTRACE_CONT, pid, NULL, NULL);
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "insn_count: the kernel call failed\n");
        return 3;
    }
    printf("%llu\n", steps);
    return 0;
}
