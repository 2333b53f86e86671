/* hashjoule — targets: compact `bits`, 256-bit comparisons, difficulty.
 *
 * A target is kept as 32 bytes, little-endian (byte 0 least significant),
 * the same order as a hash read as a number: a header is valid when its
 * hash, read little-endian, is <= the target. */
#ifndef HASHJOULE_TARGET_H
#define HASHJOULE_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_target {
    uint8_t le[32];
} hj_target;

/* Exactly Bitcoin Core's arith_uint256::SetCompact: mantissa bits & 0x007fffff,
 * exponent bits >> 24, sign bit 0x00800000. `negative` and `overflow` are set as
 * Core sets them (both false for a zero mantissa). Either may be NULL. */
void hj_target_from_compact_raw(uint32_t bits, hj_target *target, bool *negative, bool *overflow);

/* The checked form used for user input: refuses negative, overflowing and zero
 * targets (as Core's DeriveTarget does), with a message naming `what`. */
hj_status hj_target_from_compact(uint32_t bits, hj_target *target, const char *what, hj_error *err);

/* Exactly Bitcoin Core's arith_uint256::GetCompact(negative). */
uint32_t hj_target_to_compact(const hj_target *target, bool negative);

/* 64 hex digits, most significant first (as Core prints targets). */
hj_status hj_target_from_hex(const char *hex, hj_target *target, const char *what, hj_error *err);
void hj_target_to_hex(const hj_target *target, char out[65]);

/* hash (internal byte order, read as a little-endian number) <= target. */
bool hj_hash_meets_target(const uint8_t hash[32], const hj_target *target);

/* Bitcoin Core's GetDifficulty(): target(0x1d00ffff) / target(bits), as a double. */
double hj_difficulty_from_bits(uint32_t bits);

/* The most significant 32 bits of the target: a hash can only meet the target
 * when the byte-swapped last state word of the hash (H7) is <= this. The
 * fast kernels reject on that single word. */
uint32_t hj_target_top32(const hj_target *target);

#ifdef __cplusplus
}
#endif
#endif
