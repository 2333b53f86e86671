/* hashjoule — SHA-256d nonce scanner for OpenCL 1.2 devices.
 *
 * Each work-item hashes HJ_ITERS vectors of HJ_VECTOR consecutive nonces. The
 * host (src/opencl/device.c) does all per-job work (include/hashjoule/job.h):
 * the midstate, block 2 up to round 3 with the nonce word W3 = 0, rounds 4..6
 * folded into sums of constants, and the nonce-independent parts of block 2's
 * schedule. The kernel does only what depends on the nonce, stops the second
 * hash after the e-half of rounds 57..60 (all H7 needs), and reports nonces
 * whose bswap32(H7) <= h7_limit ("candidates") for the host to re-verify.
 *
 * Build-time defines (the host sets them; defaults here so the file also
 * builds on its own, e.g. under oclgrind or clang):
 *   HJ_VECTOR  1, 2, 4, 8 or 16: nonces per vector (uintN lanes)
 *   HJ_ITERS   vectors per work-item (a loop)
 *   HJ_CH_XOR  1: write Ch as xor/and/xor instead of bitselect (see CH)
 *
 * SHA-256 constants: FIPS 180-4, §4.2.2 (K) and §5.3.3 (initial hash value).
 */
#ifndef HJ_VECTOR
#define HJ_VECTOR 1
#endif
#ifndef HJ_ITERS
#define HJ_ITERS 1
#endif
#ifndef HJ_CH_XOR
#define HJ_CH_XOR 0
#endif

#if HJ_VECTOR == 1
typedef uint uv;
#define LANE_OFFSETS ((uv)(0))
#elif HJ_VECTOR == 2
typedef uint2 uv;
#define LANE_OFFSETS ((uv)(0, 1))
#elif HJ_VECTOR == 4
typedef uint4 uv;
#define LANE_OFFSETS ((uv)(0, 1, 2, 3))
#elif HJ_VECTOR == 8
typedef uint8 uv;
#define LANE_OFFSETS ((uv)(0, 1, 2, 3, 4, 5, 6, 7))
#elif HJ_VECTOR == 16
typedef uint16 uv;
#define LANE_OFFSETS ((uv)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15))
#else
#error "HJ_VECTOR must be 1, 2, 4, 8 or 16"
#endif

/* rotate() is a left rotation; SHA-256 is written with right rotations. */
#define ROTR(x, n) rotate((x), (uv)(32u - (n)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3u))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10u))
/* bitselect(a, b, m) = m ? b : a, bit by bit: one LOP3 / v_bfi / vpternlog. */
#if HJ_CH_XOR
/* The same function as xor/and/xor: LLVM on CPUs (PoCL) rewrites bitselect's
 * and/andnot/or into and + andnot + add, an extra instruction per round,
 * while this form stays one vpternlogd. The host sets HJ_CH_XOR=1 for CPU
 * devices and 0 (bitselect: one LOP3 / v_bfi_b32) for GPUs. */
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#else
#define CH(e, f, g) bitselect((g), (f), (e))
#endif
#define MAJ(a, b, c) bitselect((a), (c), (a) ^ (b))

/* One round; the caller rotates the names instead of moving values. */
#define RND(a, b, c, d, e, f, g, h, kw)                                       \
    {                                                                         \
        uv t1_ = (h) + (kw) + BSIG1(e) + CH(e, f, g);                         \
        (d) += t1_;                                                           \
        (h) = t1_ + BSIG0(a) + MAJ(a, b, c);                                  \
    }
/* The e half only: enough for the last rounds feeding H7. */
#define RND_E(a, b, c, d, e, f, g, h, kw) ((d) += (h) + (kw) + BSIG1(e) + CH(e, f, g))

#define R8(i, W)                                                              \
    RND(a, b, c, d, e, f, g, h, K##i##_0 + W(i, 0));                          \
    RND(h, a, b, c, d, e, f, g, K##i##_1 + W(i, 1));                          \
    RND(g, h, a, b, c, d, e, f, K##i##_2 + W(i, 2));                          \
    RND(f, g, h, a, b, c, d, e, K##i##_3 + W(i, 3));                          \
    RND(e, f, g, h, a, b, c, d, K##i##_4 + W(i, 4));                          \
    RND(d, e, f, g, h, a, b, c, K##i##_5 + W(i, 5));                          \
    RND(c, d, e, f, g, h, a, b, K##i##_6 + W(i, 6));                          \
    RND(b, c, d, e, f, g, h, a, K##i##_7 + W(i, 7));

/* K[t], named by (group of 8, index) so R8 can paste them. */
#define K0_0 0x428a2f98u
#define K0_1 0x71374491u
#define K0_2 0xb5c0fbcfu
#define K0_3 0xe9b5dba5u
#define K0_4 0x3956c25bu
#define K0_5 0x59f111f1u
#define K0_6 0x923f82a4u
#define K0_7 0xab1c5ed5u
#define K8_0 0xd807aa98u
#define K8_1 0x12835b01u
#define K8_2 0x243185beu
#define K8_3 0x550c7dc3u
#define K8_4 0x72be5d74u
#define K8_5 0x80deb1feu
#define K8_6 0x9bdc06a7u
#define K8_7 0xc19bf174u
#define K16_0 0xe49b69c1u
#define K16_1 0xefbe4786u
#define K16_2 0x0fc19dc6u
#define K16_3 0x240ca1ccu
#define K16_4 0x2de92c6fu
#define K16_5 0x4a7484aau
#define K16_6 0x5cb0a9dcu
#define K16_7 0x76f988dau
#define K24_0 0x983e5152u
#define K24_1 0xa831c66du
#define K24_2 0xb00327c8u
#define K24_3 0xbf597fc7u
#define K24_4 0xc6e00bf3u
#define K24_5 0xd5a79147u
#define K24_6 0x06ca6351u
#define K24_7 0x14292967u
#define K32_0 0x27b70a85u
#define K32_1 0x2e1b2138u
#define K32_2 0x4d2c6dfcu
#define K32_3 0x53380d13u
#define K32_4 0x650a7354u
#define K32_5 0x766a0abbu
#define K32_6 0x81c2c92eu
#define K32_7 0x92722c85u
#define K40_0 0xa2bfe8a1u
#define K40_1 0xa81a664bu
#define K40_2 0xc24b8b70u
#define K40_3 0xc76c51a3u
#define K40_4 0xd192e819u
#define K40_5 0xd6990624u
#define K40_6 0xf40e3585u
#define K40_7 0x106aa070u
#define K48_0 0x19a4c116u
#define K48_1 0x1e376c08u
#define K48_2 0x2748774cu
#define K48_3 0x34b0bcb5u
#define K48_4 0x391c0cb3u
#define K48_5 0x4ed8aa4au
#define K48_6 0x5b9cca4fu
#define K48_7 0x682e6ff3u
#define K56_0 0x748f82eeu
#define K56_1 0x78a5636fu
#define K56_2 0x84c87814u
#define K56_3 0x8cc70208u
#define K56_4 0x90befffau
#define K56_5 0xa4506cebu
#define K56_6 0xbef9a3f7u
#define K56_7 0xc67178f2u

#define IV0 0x6a09e667u
#define IV1 0xbb67ae85u
#define IV2 0x3c6ef372u
#define IV3 0xa54ff53au
#define IV4 0x510e527fu
#define IV5 0x9b05688cu
#define IV6 0x1f83d9abu
#define IV7 0x5be0cd19u

/* Message words as W(group, index) -> w<group+index>. */
#define WV(i, j) w##i##_##j
#define ZERO(i, j) 0u

/* The schedule recurrence, in place over a 16-word window. */
#define SCHED(t, t2, t7, t15, t16) t = SSIG1(t2) + t7 + SSIG0(t15) + t16

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define VSTORE CAT(vstore, HJ_VECTOR)

/* Append a candidate; past `slots` only raise the overflow flag (the host
 * then rescans the launch in pieces that cannot overflow). */
#define REPORT(n)                                                             \
    {                                                                         \
        uint slot_ = atomic_inc(&out[0]);                                     \
        if (slot_ < slots)                                                    \
            out[2 + slot_] = (n);                                             \
        else                                                                  \
            out[1] = 1u;                                                      \
    }

/* Scan the nonces base + [0, count) (count <= global size * HJ_VECTOR *
 * HJ_ITERS); out[0] counts candidates, out[1] is set when more than `slots`
 * were found, out[2 .. 2 + slots) hold them (in no particular order). */
__kernel void hj_sha256d_scan(
    /* block 2 state after round 3 with W3 = 0 (job.h state_r3): a, b, c, e, f, g */
    uint s0, uint s1, uint s2, uint s4, uint s5, uint s6,
    /* rounds 4..6 fold the constant h (and d) with K+W: p<r>d = d+h+KW, p<r>a = h+KW */
    uint p4d, uint p4a, uint p5d, uint p5a, uint p6d, uint p6a,
    /* constant parts of block 2's schedule (job.h w[16..33]), K folded into 16, 17 */
    uint kw16, uint kw17, uint c18, uint c19, uint c20, uint c21, uint c22, uint c23,
    uint c24, uint c30, uint c31, uint c32, uint c33,
    /* the midstate, added to block 2's final state to give the first digest */
    uint m0, uint m1, uint m2, uint m3, uint m4, uint m5, uint m6, uint m7,
    uint h7_limit, uint base, uint count, uint slots, __global volatile uint *out)
{
    const uint item_first = (uint)get_global_id(0) * (HJ_VECTOR * HJ_ITERS);
    for (uint it = 0; it < HJ_ITERS; it++) {
        const uv off = (uv)(item_first + it * HJ_VECTOR) + LANE_OFFSETS;
        const uv nonce = (uv)(base) + off;
        /* W3: the header stores the nonce little-endian, SHA-256 reads big-endian. */
        const uv w3 = bitselect(rotate(nonce, (uv)(8u)), rotate(nonce, (uv)(24u)), (uv)(0xff00ff00u));

        /* ---- block 2, rounds 4..63 ---- */
        uv a = (uv)(s0) + w3, e = (uv)(s4) + w3;
        uv b, c, d, f, g, h;
        /* round 4: b, c, f, g, and h + KW (and d + h + KW) are per-job constants */
        {
            uv x = BSIG1(e) + CH(e, (uv)(s5), (uv)(s6));
            d = (uv)(p4d) + x;
            h = (uv)(p4a) + x + BSIG0(a) + MAJ(a, (uv)(s1), (uv)(s2));
        }
        /* round 5: state (h, a, s1, s2, d, e, s5, s6) */
        {
            uv x = BSIG1(d) + CH(d, e, (uv)(s5));
            c = (uv)(p5d) + x;
            g = (uv)(p5a) + x + BSIG0(h) + MAJ(h, a, (uv)(s1));
        }
        /* round 6: state (g, h, a, s1, c, d, e, s5) */
        {
            uv x = BSIG1(c) + CH(c, d, e);
            b = (uv)(p6d) + x;
            f = (uv)(p6a) + x + BSIG0(g) + MAJ(g, h, a);
        }
        /* Now (a..h) = (f, g, h, a, b, c, d, e) in round-7 order: rename by
         * calling RND with the names rotated. Rounds 7..15: W = padding (K folded). */
        RND(f, g, h, a, b, c, d, e, 0xab1c5ed5u);           /* K7 */
        RND(e, f, g, h, a, b, c, d, 0xd807aa98u);           /* K8 */
        RND(d, e, f, g, h, a, b, c, 0x12835b01u);           /* K9 */
        RND(c, d, e, f, g, h, a, b, 0x243185beu);           /* K10 */
        RND(b, c, d, e, f, g, h, a, 0x550c7dc3u);           /* K11 */
        RND(a, b, c, d, e, f, g, h, 0x72be5d74u);           /* K12 */
        RND(h, a, b, c, d, e, f, g, 0x80deb1feu);           /* K13 */
        RND(g, h, a, b, c, d, e, f, 0x9bdc06a7u);           /* K14 */
        RND(f, g, h, a, b, c, d, e, 0xc19bf174u + 640u);    /* K15 + W15 (640 bits) */

        /* schedule: constant parts from the host, nonce terms here (job.h) */
        uv w16_0, w16_1; /* W16, W17: only their sums with K (kw16, kw17) are needed */
        uv w16_2 = (uv)(c18) + SSIG0(w3);
        uv w16_3 = (uv)(c19) + w3;
        uv w16_4 = (uv)(c20) + SSIG1(w16_2);
        uv w16_5 = (uv)(c21) + SSIG1(w16_3);
        uv w16_6 = (uv)(c22) + SSIG1(w16_4);
        uv w16_7 = (uv)(c23) + SSIG1(w16_5);
        uv w24_0 = (uv)(c24) + SSIG1(w16_6);
        uv w24_1 = SSIG1(w16_7) + w16_2;
        uv w24_2 = SSIG1(w24_0) + w16_3;
        uv w24_3 = SSIG1(w24_1) + w16_4;
        uv w24_4 = SSIG1(w24_2) + w16_5;
        uv w24_5 = SSIG1(w24_3) + w16_6;
        uv w24_6 = (uv)(c30) + SSIG1(w24_4) + w16_7;
        uv w24_7 = (uv)(c31) + SSIG1(w24_5) + w24_0;
        uv w32_0 = (uv)(c32) + SSIG1(w24_6) + w24_1;
        uv w32_1 = (uv)(c33) + SSIG1(w24_7) + w24_2 + SSIG0(w16_2);
        uv w32_2, w32_3, w32_4, w32_5, w32_6, w32_7;
        uv w40_0, w40_1, w40_2, w40_3, w40_4, w40_5, w40_6, w40_7;
        uv w48_0, w48_1, w48_2, w48_3, w48_4, w48_5, w48_6, w48_7;
        uv w56_0, w56_1, w56_2, w56_3, w56_4, w56_5, w56_6, w56_7;

        /* rounds 16, 17: W16, W17 complete per-job constants, K folded by the host */
        RND(e, f, g, h, a, b, c, d, (uv)(kw16));
        RND(d, e, f, g, h, a, b, c, (uv)(kw17));
        RND(c, d, e, f, g, h, a, b, K16_2 + w16_2);
        RND(b, c, d, e, f, g, h, a, K16_3 + w16_3);
        RND(a, b, c, d, e, f, g, h, K16_4 + w16_4);
        RND(h, a, b, c, d, e, f, g, K16_5 + w16_5);
        RND(g, h, a, b, c, d, e, f, K16_6 + w16_6);
        RND(f, g, h, a, b, c, d, e, K16_7 + w16_7);
        /* The names are now shifted by 4 relative to R8's order; R8 wants
         * a..h in place, so swap the roles once (a value copy the compiler
         * removes). */
        {
            uv t;
            t = a; a = e; e = t;
            t = b; b = f; f = t;
            t = c; c = g; g = t;
            t = d; d = h; h = t;
        }
        R8(24, WV)
        SCHED(w32_2, w32_0, w24_3, w16_3, w16_2);
        SCHED(w32_3, w32_1, w24_4, w16_4, w16_3);
        SCHED(w32_4, w32_2, w24_5, w16_5, w16_4);
        SCHED(w32_5, w32_3, w24_6, w16_6, w16_5);
        SCHED(w32_6, w32_4, w24_7, w16_7, w16_6);
        SCHED(w32_7, w32_5, w32_0, w24_0, w16_7);
        R8(32, WV)
        SCHED(w40_0, w32_6, w32_1, w24_1, w24_0);
        SCHED(w40_1, w32_7, w32_2, w24_2, w24_1);
        SCHED(w40_2, w40_0, w32_3, w24_3, w24_2);
        SCHED(w40_3, w40_1, w32_4, w24_4, w24_3);
        SCHED(w40_4, w40_2, w32_5, w24_5, w24_4);
        SCHED(w40_5, w40_3, w32_6, w24_6, w24_5);
        SCHED(w40_6, w40_4, w32_7, w24_7, w24_6);
        SCHED(w40_7, w40_5, w40_0, w32_0, w24_7);
        R8(40, WV)
        SCHED(w48_0, w40_6, w40_1, w32_1, w32_0);
        SCHED(w48_1, w40_7, w40_2, w32_2, w32_1);
        SCHED(w48_2, w48_0, w40_3, w32_3, w32_2);
        SCHED(w48_3, w48_1, w40_4, w32_4, w32_3);
        SCHED(w48_4, w48_2, w40_5, w32_5, w32_4);
        SCHED(w48_5, w48_3, w40_6, w32_6, w32_5);
        SCHED(w48_6, w48_4, w40_7, w32_7, w32_6);
        SCHED(w48_7, w48_5, w48_0, w40_0, w32_7);
        R8(48, WV)
        SCHED(w56_0, w48_6, w48_1, w40_1, w40_0);
        SCHED(w56_1, w48_7, w48_2, w40_2, w40_1);
        SCHED(w56_2, w56_0, w48_3, w40_3, w40_2);
        SCHED(w56_3, w56_1, w48_4, w40_4, w40_3);
        SCHED(w56_4, w56_2, w48_5, w40_5, w40_4);
        SCHED(w56_5, w56_3, w48_6, w40_6, w40_5);
        SCHED(w56_6, w56_4, w48_7, w40_7, w40_6);
        SCHED(w56_7, w56_5, w56_0, w48_0, w40_7);
        R8(56, WV)

        /* ---- second hash: W0..7 = first digest, W8 = 0x80000000,
         * W9..14 = 0, W15 = 256 (a 32-byte message) ---- */
        uv w0_0 = (uv)(m0) + a, w0_1 = (uv)(m1) + b, w0_2 = (uv)(m2) + c, w0_3 = (uv)(m3) + d;
        uv w0_4 = (uv)(m4) + e, w0_5 = (uv)(m5) + f, w0_6 = (uv)(m6) + g, w0_7 = (uv)(m7) + h;
        a = (uv)(IV0); b = (uv)(IV1); c = (uv)(IV2); d = (uv)(IV3);
        e = (uv)(IV4); f = (uv)(IV5); g = (uv)(IV6); h = (uv)(IV7);
        R8(0, WV)
        /* rounds 8..15: padding words, K+W folded (the compiler adds the literals) */
        RND(a, b, c, d, e, f, g, h, K8_0 + 0x80000000u);
        RND(h, a, b, c, d, e, f, g, K8_1);
        RND(g, h, a, b, c, d, e, f, K8_2);
        RND(f, g, h, a, b, c, d, e, K8_3);
        RND(e, f, g, h, a, b, c, d, K8_4);
        RND(d, e, f, g, h, a, b, c, K8_5);
        RND(c, d, e, f, g, h, a, b, K8_6);
        RND(b, c, d, e, f, g, h, a, K8_7 + 256u);

        /* schedule with the zero words dropped and constant terms folded
         * (the same split as job.h's hj_hash2_w) */
        w16_0 = SSIG0(w0_1) + w0_0;
        w16_1 = 0x00a00000u + SSIG0(w0_2) + w0_1;                   /* s1(256) */
        w16_2 = SSIG1(w16_0) + SSIG0(w0_3) + w0_2;
        w16_3 = SSIG1(w16_1) + SSIG0(w0_4) + w0_3;
        w16_4 = SSIG1(w16_2) + SSIG0(w0_5) + w0_4;
        w16_5 = SSIG1(w16_3) + SSIG0(w0_6) + w0_5;
        w16_6 = 256u + SSIG1(w16_4) + SSIG0(w0_7) + w0_6;            /* W15 */
        w16_7 = 0x11002000u + SSIG1(w16_5) + w16_0 + w0_7;           /* s0(W8) */
        w24_0 = 0x80000000u + SSIG1(w16_6) + w16_1;                  /* W8 */
        w24_1 = SSIG1(w16_7) + w16_2;
        w24_2 = SSIG1(w24_0) + w16_3;
        w24_3 = SSIG1(w24_1) + w16_4;
        w24_4 = SSIG1(w24_2) + w16_5;
        w24_5 = SSIG1(w24_3) + w16_6;
        w24_6 = 0x00400022u + SSIG1(w24_4) + w16_7;                  /* s0(W15) */
        w24_7 = 256u + SSIG1(w24_5) + w24_0 + SSIG0(w16_0);          /* W15 */
        R8(16, WV)
        R8(24, WV)
        SCHED(w32_0, w24_6, w24_1, w16_1, w16_0);
        SCHED(w32_1, w24_7, w24_2, w16_2, w16_1);
        SCHED(w32_2, w32_0, w24_3, w16_3, w16_2);
        SCHED(w32_3, w32_1, w24_4, w16_4, w16_3);
        SCHED(w32_4, w32_2, w24_5, w16_5, w16_4);
        SCHED(w32_5, w32_3, w24_6, w16_6, w16_5);
        SCHED(w32_6, w32_4, w24_7, w16_7, w16_6);
        SCHED(w32_7, w32_5, w32_0, w24_0, w16_7);
        R8(32, WV)
        SCHED(w40_0, w32_6, w32_1, w24_1, w24_0);
        SCHED(w40_1, w32_7, w32_2, w24_2, w24_1);
        SCHED(w40_2, w40_0, w32_3, w24_3, w24_2);
        SCHED(w40_3, w40_1, w32_4, w24_4, w24_3);
        SCHED(w40_4, w40_2, w32_5, w24_5, w24_4);
        SCHED(w40_5, w40_3, w32_6, w24_6, w24_5);
        SCHED(w40_6, w40_4, w32_7, w24_7, w24_6);
        SCHED(w40_7, w40_5, w40_0, w32_0, w24_7);
        R8(40, WV)
        SCHED(w48_0, w40_6, w40_1, w32_1, w32_0);
        SCHED(w48_1, w40_7, w40_2, w32_2, w32_1);
        SCHED(w48_2, w48_0, w40_3, w32_3, w32_2);
        SCHED(w48_3, w48_1, w40_4, w32_4, w32_3);
        SCHED(w48_4, w48_2, w40_5, w32_5, w32_4);
        SCHED(w48_5, w48_3, w40_6, w32_6, w32_5);
        SCHED(w48_6, w48_4, w40_7, w32_7, w32_6);
        SCHED(w48_7, w48_5, w48_0, w40_0, w32_7);
        R8(48, WV)
        SCHED(w56_0, w48_6, w48_1, w40_1, w40_0);
        SCHED(w56_1, w48_7, w48_2, w40_2, w40_1);
        SCHED(w56_2, w56_0, w48_3, w40_3, w40_2);
        SCHED(w56_3, w56_1, w48_4, w40_4, w40_3);
        SCHED(w56_4, w56_2, w48_5, w40_5, w40_4);
        RND(a, b, c, d, e, f, g, h, K56_0 + w56_0);
        /* H7 = IV7 + e after round 60; rounds 57..60 need only e. The last
         * addition of IV7 is folded into round 60's constant. */
        RND_E(h, a, b, c, d, e, f, g, K56_1 + w56_1);
        RND_E(g, h, a, b, c, d, e, f, K56_2 + w56_2);
        RND_E(f, g, h, a, b, c, d, e, K56_3 + w56_3);
        RND_E(e, f, g, h, a, b, c, d, (K56_4 + IV7) + w56_4);
        /* h (round 60's "d" slot) is now H7. Candidate: bswap32(H7) <= h7_limit. */
        const uv top = bitselect(rotate(h, (uv)(8u)), rotate(h, (uv)(24u)), (uv)(0xff00ff00u));
#if HJ_VECTOR == 1
        if (top <= h7_limit && off < count)
            REPORT(nonce);
#else
        if (any((top <= (uv)(h7_limit)) & (off < (uv)(count)))) {
            uint tops[HJ_VECTOR], offs[HJ_VECTOR];
            VSTORE(top, 0, tops);
            VSTORE(off, 0, offs);
            for (int l = 0; l < HJ_VECTOR; l++)
                if (tops[l] <= h7_limit && offs[l] < count)
                    REPORT(base + offs[l]);
        }
#endif
    }
}
