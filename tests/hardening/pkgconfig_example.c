/* A program outside the project that links the installed libhashjoule
 * through pkg-config: it scans a window of block 125552 at the block's own
 * target with the best kernel of this machine and must find the block's
 * nonce. Built and run by tests/hardening/test_install.sh. */
#include <stdio.h>

#include <hashjoule/hashjoule.h>

int main(void)
{
    static const char header_hex[] =
        "0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942"
        "ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695";
    uint8_t header[HJ_HEADER_BYTES];
    hj_error err;
    hj_target target;
    if (hj_header_from_hex(header_hex, header, "header", &err) != HJ_OK ||
        hj_target_from_compact(0x1a44b9f2, &target, "bits", &err) != HJ_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    hj_job job;
    hj_job_init(&job, header, &target);
    hj_scan_options opt;
    hj_scan_options_default(&opt);
    opt.threads = 1;
    hj_scan_result r;
    if (hj_scan_range(&job, 2504433000u, 2000, &opt, &r, &err) != HJ_OK) {
        fprintf(stderr, "scan: %s\n", err.message);
        return 1;
    }
    int found = r.n_hits == 1 && r.hits[0].nonce == 2504433986u;
    printf("hashjoule %s: kernel %s, %zu hit(s)%s\n", hj_version(), r.kernel->name, r.n_hits,
           found ? ", nonce 2504433986 (block 125552)" : "");
    hj_scan_result_free(&r);
    return found ? 0 : 1;
}
