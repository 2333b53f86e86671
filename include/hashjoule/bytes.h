/* hashjoule — 32-bit integers read from and written to byte arrays in a fixed byte order. */
#ifndef HASHJOULE_BYTES_H
#define HASHJOULE_BYTES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The block header stores its integers little-endian; SHA-256 reads and
 * writes its words big-endian. Byte by byte, so alignment and host order
 * never matter. */
static inline uint32_t hj_read_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint32_t hj_read_be32(const uint8_t *p)
{
    return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}
static inline void hj_write_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void hj_write_be32(uint8_t *p, uint32_t v)
{
    p[3] = (uint8_t)v;
    p[2] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)(v >> 16);
    p[0] = (uint8_t)(v >> 24);
}

#ifdef __cplusplus
}
#endif
#endif
