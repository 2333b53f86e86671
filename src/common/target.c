/* Targets and compact `bits`, bit-for-bit as Bitcoin Core's arith_uint256
 * SetCompact/GetCompact (src/arith_uint256.cpp) and GetDifficulty
 * (src/rpc/blockchain.cpp). Targets are 32 bytes, little-endian. */
#include <string.h>

#include "hashjoule/header.h"
#include "hashjoule/target.h"

void hj_target_from_compact_raw(uint32_t bits, hj_target *target, bool *negative, bool *overflow)
{
    int size = (int)(bits >> 24);
    uint32_t word = bits & 0x007fffff;
    memset(target->le, 0, sizeof target->le);
    if (size <= 3) {
        word >>= 8 * (3 - size);
        hj_write_le32(target->le, word);
    } else {
        /* word << 8*(size-3); bytes shifted past bit 255 are lost, as in Core. */
        for (int i = 0; i < 3; i++) {
            int pos = i + size - 3;
            if (pos < 32)
                target->le[pos] = (uint8_t)(word >> (8 * i));
        }
    }
    if (negative)
        *negative = word != 0 && (bits & 0x00800000) != 0;
    if (overflow)
        *overflow = word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
}

static bool target_is_zero(const hj_target *t)
{
    for (int i = 0; i < 32; i++)
        if (t->le[i])
            return false;
    return true;
}

hj_status hj_target_from_compact(uint32_t bits, hj_target *target, const char *what, hj_error *err)
{
    bool negative, overflow;
    hj_target_from_compact_raw(bits, target, &negative, &overflow);
    if (negative)
        return hj_fail(err, HJ_ERR_INPUT, "%s: bits 0x%08x encode a negative target (sign bit 0x00800000 set)", what,
                       bits);
    if (overflow)
        return hj_fail(err, HJ_ERR_INPUT, "%s: bits 0x%08x overflow 256 bits (exponent 0x%02x too large)", what, bits,
                       bits >> 24);
    if (target_is_zero(target))
        return hj_fail(err, HJ_ERR_INPUT, "%s: bits 0x%08x encode a zero target; no hash can meet it", what, bits);
    return HJ_OK;
}

uint32_t hj_target_to_compact(const hj_target *target, bool negative)
{
    int size = 32; /* bytes up to and including the most significant non-zero one */
    while (size > 0 && target->le[size - 1] == 0)
        size--;
    uint32_t compact = 0;
    for (int i = 0; i < 3; i++) {
        int pos = size - 3 + i;
        if (pos >= 0)
            compact |= (uint32_t)target->le[pos] << (8 * i);
    }
    /* The mantissa is signed in the compact form: keep its top bit clear. */
    if (compact & 0x00800000) {
        compact >>= 8;
        size++;
    }
    compact |= (uint32_t)size << 24;
    if (negative && (compact & 0x007fffff))
        compact |= 0x00800000;
    return compact;
}

hj_status hj_target_from_hex(const char *hex, hj_target *target, const char *what, hj_error *err)
{
    uint8_t be[32];
    hj_status st = hj_hex_decode(hex, be, sizeof be, what, err);
    if (st != HJ_OK)
        return st;
    for (int i = 0; i < 32; i++)
        target->le[i] = be[31 - i];
    return HJ_OK;
}

void hj_target_to_hex(const hj_target *target, char out[65]) { hj_hash_to_display_hex(target->le, out); }

bool hj_hash_meets_target(const uint8_t hash[32], const hj_target *target)
{
    for (int i = 31; i >= 0; i--) {
        if (hash[i] != target->le[i])
            return hash[i] < target->le[i];
    }
    return true; /* equal */
}

double hj_difficulty_from_bits(uint32_t bits)
{
    int shift = (int)((bits >> 24) & 0xff);
    double diff = (double)0x0000ffff / (double)(bits & 0x00ffffff);
    while (shift < 29) {
        diff *= 256.0;
        shift++;
    }
    while (shift > 29) {
        diff /= 256.0;
        shift--;
    }
    return diff;
}

uint32_t hj_target_top32(const hj_target *target) { return hj_read_le32(target->le + 28); }
