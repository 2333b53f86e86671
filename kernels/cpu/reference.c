/* The baseline kernel: plain SHA-256d of the whole header for every nonce,
 * three compressions and no precomputation, the way a straightforward C
 * implementation (e.g. Bitcoin Core's portable CSHA256, run twice) hashes a
 * header. It exists only to be measured against: bench/cpu_kernels.sh reports
 * each kernel's speed-up over it in the same run. Never chosen by `auto`. */
#include <string.h>

#include "cpu_kernels.h"
#include "hashjoule/header.h"

uint32_t hj_scan_reference(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates)
{
    uint8_t header[HJ_HEADER_BYTES], hash[32];
    memcpy(header, job->header, sizeof header);
    uint32_t found = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t nonce = first + i;
        hj_write_le32(header + HJ_NONCE_OFFSET, nonce);
        hj_header_hash(header, hash);
        /* Bytes 28..31 read little-endian are bswap32(H7). */
        if (hj_read_le32(hash + 28) <= job->h7_limit)
            candidates[found++] = nonce;
    }
    return found;
}
