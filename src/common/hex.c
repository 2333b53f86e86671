/* Hex encoding and decoding with errors that name the input. */
#include <ctype.h>
#include <string.h>

#include "hashjoule/header.h"

/* 0..15, or HEX_NOT_A_DIGIT; unsigned so the decoder's shift is defined for any input */
enum { HEX_NOT_A_DIGIT = 16 };
static unsigned hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (unsigned)(c - 'A' + 10);
    return HEX_NOT_A_DIGIT;
}

hj_status hj_hex_decode(const char *hex, uint8_t *out, size_t out_len, const char *what, hj_error *err)
{
    if (!hex)
        return hj_fail(err, HJ_ERR_INPUT, "%s: missing hex value", what);
    /* Leading/trailing whitespace is forgiven (pasted values often carry a newline). */
    while (isspace((unsigned char)*hex))
        hex++;
    size_t len = strlen(hex);
    while (len > 0 && isspace((unsigned char)hex[len - 1]))
        len--;
    for (size_t i = 0; i < len; i++) {
        if (hex_digit_value(hex[i]) == HEX_NOT_A_DIGIT)
            return hj_fail(err, HJ_ERR_INPUT, "%s: character %zu ('%c') is not a hex digit; expected %zu hex digits",
                           what, i + 1, isprint((unsigned char)hex[i]) ? hex[i] : '?', 2 * out_len);
    }
    if (len % 2 != 0)
        return hj_fail(err, HJ_ERR_INPUT, "%s: odd number of hex digits (%zu); expected %zu", what, len, 2 * out_len);
    if (len != 2 * out_len)
        return hj_fail(err, HJ_ERR_INPUT, "%s: %zu bytes (%zu hex digits); expected exactly %zu bytes", what, len / 2,
                       len, out_len);
    for (size_t i = 0; i < out_len; i++)
        out[i] = (uint8_t)(hex_digit_value(hex[2 * i]) << 4 | hex_digit_value(hex[2 * i + 1]));
    return HJ_OK;
}

void hj_hex_encode(const uint8_t *in, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}

void hj_hash_to_display_hex(const uint8_t hash[32], char out[65])
{
    uint8_t reversed[32];
    for (int i = 0; i < 32; i++)
        reversed[i] = hash[31 - i];
    hj_hex_encode(reversed, 32, out);
}
