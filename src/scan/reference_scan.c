/* The plain reference scanner: hash every nonce in full with the reference
 * SHA-256d. Slow on purpose; kernels are compared with it. */
#include <string.h>

#include "hashjoule/scan.h"

static void hash_nonce(const hj_job *job, uint32_t version_index, uint32_t nonce, uint8_t hash[32])
{
    uint8_t header[HJ_HEADER_BYTES];
    memcpy(header, job->header, sizeof header);
    hj_write_le32(header, hj_job_version(job, version_index));
    hj_write_le32(header + HJ_NONCE_OFFSET, nonce);
    hj_header_hash(header, hash);
}

size_t hj_reference_scan_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t start, uint32_t count,
                                  hj_hit *hits)
{
    size_t n = 0;
    for (uint32_t v = v_first; v < v_first + v_count; v++)
        for (uint32_t i = 0; i < count; i++) {
            uint32_t nonce = start + i;
            uint8_t hash[32];
            hash_nonce(job, v, nonce, hash);
            if (hj_hash_meets_target(hash, &job->target)) {
                hits[n].nonce = nonce;
                hits[n].version = hj_job_version(job, v);
                memcpy(hits[n].hash, hash, 32);
                n++;
            }
        }
    return n;
}

size_t hj_reference_candidates_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t start,
                                        uint32_t count, hj_vcandidate *candidates)
{
    size_t n = 0;
    for (uint32_t v = v_first; v < v_first + v_count; v++)
        for (uint32_t i = 0; i < count; i++) {
            uint32_t nonce = start + i;
            uint8_t hash[32];
            hash_nonce(job, v, nonce, hash);
            /* Bytes 28..31 of the digest are H7 big-endian; read little-endian
             * they are bswap32(H7), the top 32 bits of the hash as a number. */
            if (hj_read_le32(hash + 28) <= job->h7_limit)
                candidates[n++] = (hj_vcandidate){v, nonce};
        }
    return n;
}

size_t hj_reference_scan(const hj_job *job, uint32_t start, uint32_t count, hj_hit *hits)
{
    return hj_reference_scan_versions(job, 0, 1, start, count, hits);
}

size_t hj_reference_candidates(const hj_job *job, uint32_t start, uint32_t count, uint32_t *candidates)
{
    size_t n = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t nonce = start + i;
        uint8_t hash[32];
        hash_nonce(job, 0, nonce, hash);
        if (hj_read_le32(hash + 28) <= job->h7_limit)
            candidates[n++] = nonce;
    }
    return n;
}
