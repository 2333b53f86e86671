/* hashjoule — the 80-byte Bitcoin block header and hex helpers. */
#ifndef HASHJOULE_HEADER_H
#define HASHJOULE_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "hashjoule/bytes.h" /* hj_read_le32 and friends, for the header's users */
#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_HEADER_BYTES 80
#define HJ_NONCE_OFFSET 76 /* byte offset of the nonce in the serialized header */

/* Field values; the wire format stores every integer little-endian and the two
 * hashes in internal (not display) byte order. */
typedef struct hj_block_header {
    uint32_t version;
    uint8_t prev_block[32];
    uint8_t merkle_root[32];
    uint32_t time;
    uint32_t bits;
    uint32_t nonce;
} hj_block_header;

void hj_header_serialize(const hj_block_header *header, uint8_t out[HJ_HEADER_BYTES]);
void hj_header_deserialize(const uint8_t in[HJ_HEADER_BYTES], hj_block_header *header);

/* Parse 160 hex digits (either case, no prefix, surrounding whitespace allowed).
 * `what` names the input in the error message (e.g. "--header"). */
hj_status hj_header_from_hex(const char *hex, uint8_t out[HJ_HEADER_BYTES], const char *what, hj_error *err);

/* SHA-256d of the serialized header, in internal byte order. */
void hj_header_hash(const uint8_t header[HJ_HEADER_BYTES], uint8_t hash[32]);

/* Hex helpers. hj_hex_decode accepts exactly 2*out_len hex digits. */
hj_status hj_hex_decode(const char *hex, uint8_t *out, size_t out_len, const char *what, hj_error *err);
void hj_hex_encode(const uint8_t *in, size_t len, char *out /* 2*len+1 */);
/* Byte-reversed hex, the way block explorers and Bitcoin Core show hashes. */
void hj_hash_to_display_hex(const uint8_t hash[32], char out[65]);

#ifdef __cplusplus
}
#endif
#endif
