/* libFuzzer target: header hex parsing and hashing of whatever parses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/hashjoule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    uint8_t header[HJ_HEADER_BYTES], hash[32];
    hj_error err;
    if (hj_header_from_hex(text, header, "fuzz", &err) == HJ_OK) {
        hj_header_hash(header, hash);
        char hex[65];
        hj_hash_to_display_hex(hash, hex);
    } else if (err.message[0] == '\0') {
        abort(); /* every refusal must say why */
    }
    hj_target t;
    if (hj_target_from_hex(text, &t, "fuzz", &err) == HJ_OK) {
        char back[65];
        hj_target_to_hex(&t, back);
    }
    free(text);
    return 0;
}
