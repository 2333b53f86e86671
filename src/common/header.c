/* The 80-byte block header: field layout per the Bitcoin protocol
 * (developer.bitcoin.org/reference/block_chain.html#block-headers). */
#include <string.h>

#include "hashjoule/header.h"
#include "hashjoule/sha256.h"

void hj_header_serialize(const hj_block_header *h, uint8_t out[HJ_HEADER_BYTES])
{
    hj_write_le32(out + 0, h->version);
    memcpy(out + 4, h->prev_block, 32);
    memcpy(out + 36, h->merkle_root, 32);
    hj_write_le32(out + 68, h->time);
    hj_write_le32(out + 72, h->bits);
    hj_write_le32(out + HJ_NONCE_OFFSET, h->nonce);
}

void hj_header_deserialize(const uint8_t in[HJ_HEADER_BYTES], hj_block_header *h)
{
    h->version = hj_read_le32(in + 0);
    memcpy(h->prev_block, in + 4, 32);
    memcpy(h->merkle_root, in + 36, 32);
    h->time = hj_read_le32(in + 68);
    h->bits = hj_read_le32(in + 72);
    h->nonce = hj_read_le32(in + HJ_NONCE_OFFSET);
}

hj_status hj_header_from_hex(const char *hex, uint8_t out[HJ_HEADER_BYTES], const char *what, hj_error *err)
{
    return hj_hex_decode(hex, out, HJ_HEADER_BYTES, what, err);
}

void hj_header_hash(const uint8_t header[HJ_HEADER_BYTES], uint8_t hash[32])
{
    hj_sha256d(header, HJ_HEADER_BYTES, hash);
}
