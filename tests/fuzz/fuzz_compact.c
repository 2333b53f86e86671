/* libFuzzer target: compact bits <-> target, round trips and invariants. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/hashjoule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    uint32_t bits;
    memcpy(&bits, data, 4);
    hj_target t;
    bool neg, ovf;
    hj_target_from_compact_raw(bits, &t, &neg, &ovf);
    uint32_t back = hj_target_to_compact(&t, neg);
    hj_target t2;
    hj_target_from_compact_raw(back, &t2, NULL, NULL);
    /* Re-encoding a decoded target is lossless unless bits were lost to
     * overflow, as in Bitcoin Core. */
    if (!ovf && memcmp(t.le, t2.le, 32) != 0)
        abort();
    hj_error err;
    if (hj_target_from_compact(bits, &t, "fuzz", &err) == HJ_OK && (neg || ovf))
        abort();
    (void)hj_difficulty_from_bits(bits);
    if (size >= 4 + 32) {
        hj_target other;
        memcpy(other.le, data + 4, 32);
        bool meets = hj_hash_meets_target(other.le, &t);
        bool meets_self = hj_hash_meets_target(t.le, &t);
        if (!meets_self)
            abort(); /* equality meets */
        (void)meets;
    }
    return 0;
}
