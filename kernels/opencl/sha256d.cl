/* hashjoule — SHA-256d nonce scanner for OpenCL 1.2 devices.
 *
 * Each work-item hashes HJ_ITERS vectors of HJ_VECTOR consecutive nonces. The
 * host (src/opencl/ocl_job.c) does all per-job work (include/hashjoule/job.h):
 * the midstate, block 2 up to round 3 with the nonce word W3 = 0, rounds 4..6
 * folded into sums of constants, and the nonce-independent parts of block 2's
 * schedule. The kernel does only what depends on the nonce, stops the second
 * hash after the e-half of rounds 57..60 (all H7 needs), and reports nonces
 * whose bswap32(H7) <= h7_limit ("candidates") for the host to re-verify.
 *
 * The file, top down: the build-time defines and the vector type; SHA-256's
 * functions, rounds and constants; the pieces both kernels are made of
 * (block 2's rounds, its schedule as one table, the second hash, the
 * candidate report), each written once as a macro so that every kernel gets
 * the same straight-line code; then the two kernels.
 *
 * Build-time defines (the host sets them; defaults here so the file also
 * builds on its own, e.g. under oclgrind or clang):
 *   HJ_VECTOR  1, 2, 4, 8 or 16: nonces per vector (uintN lanes)
 *   HJ_ITERS   vectors per work-item (a loop)
 *   HJ_CH_XOR  1: write Ch as xor/and/xor instead of bitselect (see CH)
 *   HJ_SPLIT_T1  1: group each round's additions as on gfx9 (see RND); the
 *              default is 1 when compiled for gfx9, 0 elsewhere
 *
 * SHA-256 constants: FIPS 180-4, section 4.2.2 (K) and section 5.3.3
 * (initial hash value).
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

/* AMD GPUs (docs/gpu.md, "How a round is written"). OPAQUE(x) is an empty
 * asm statement: no instruction, but LLVM no longer sees that Ch or Maj is an
 * xor. Without it, an add of Ch to one other value is selected as v_xad_u32
 * ((x ^ y) + z) taking Ch's last xor, and Ch costs xor + and + xad instead of
 * one v_bfi_b32 inside a v_add3_u32 (the rounds whose K + W is a constant). */
#if defined(__AMDGCN__) && HJ_VECTOR == 1
#define OPAQUE(x) __asm__("" : "+v"(x))
static inline uint opaque(uint x)
{
    OPAQUE(x);
    return x;
}
#else
#define OPAQUE(x)
#define opaque(x) (x)
#endif
#ifndef HJ_SPLIT_T1
#if defined(__GFX9__) && HJ_VECTOR == 1
#define HJ_SPLIT_T1 1
#else
#define HJ_SPLIT_T1 0
#endif
#endif

/* One round; the caller rotates the names instead of moving values. */
#if HJ_SPLIT_T1
/* gfx9 (GCN5, CDNA1-3) has v_add3_u32 and v_xad_u32 but no v_xor3_b32, so
 * each Sigma's last xor is best fused with an add: s = S1(e) + Ch and
 * m = S0(a) + Maj are one v_xad_u32 each. With u = h + K + W, the round is
 * then d' = d + u + s and a' = u + s + m: u, d' and a' one v_add3_u32 each,
 * no two-input add. LLVM would share t1 = u + s (the fewest two-input adds),
 * which costs a two-input add per round here, so a' is an explicit
 * v_add3_u32 that it cannot merge with d' (one instruction fewer per round). */
#if defined(__GFX9__) && HJ_VECTOR == 1
static inline uint add3(uint x, uint y, uint z)
{
    uint r;
    __asm__("v_add3_u32 %0, %1, %2, %3" : "=v"(r) : "v"(x), "v"(y), "v"(z));
    return r;
}
#else
#define add3(x, y, z) ((x) + (y) + (z))
#endif
#define RND(a, b, c, d, e, f, g, h, kw)                                       \
    {                                                                         \
        uv ch_ = CH(e, f, g), mj_ = MAJ(a, b, c);                             \
        OPAQUE(ch_);                                                          \
        OPAQUE(mj_);                                                          \
        uv u_ = (h) + (kw), s_ = BSIG1(e) + ch_;                              \
        (d) += u_ + s_;                                                       \
        (h) = add3(u_, s_, BSIG0(a) + mj_);                                   \
    }
#else
#define RND(a, b, c, d, e, f, g, h, kw)                                       \
    {                                                                         \
        uv t1_ = (h) + (kw) + BSIG1(e) + opaque(CH(e, f, g));                 \
        (d) += t1_;                                                           \
        (h) = t1_ + BSIG0(a) + MAJ(a, b, c);                                  \
    }
#endif
/* The e half only: enough for the last rounds feeding H7. */
#define RND_E(a, b, c, d, e, f, g, h, kw) ((d) += (h) + (kw) + BSIG1(e) + opaque(CH(e, f, g)))

#define K_0 0x428a2f98u
#define K_1 0x71374491u
#define K_2 0xb5c0fbcfu
#define K_3 0xe9b5dba5u
#define K_4 0x3956c25bu
#define K_5 0x59f111f1u
#define K_6 0x923f82a4u
#define K_7 0xab1c5ed5u
#define K_8 0xd807aa98u
#define K_9 0x12835b01u
#define K_10 0x243185beu
#define K_11 0x550c7dc3u
#define K_12 0x72be5d74u
#define K_13 0x80deb1feu
#define K_14 0x9bdc06a7u
#define K_15 0xc19bf174u
#define K_16 0xe49b69c1u
#define K_17 0xefbe4786u
#define K_18 0x0fc19dc6u
#define K_19 0x240ca1ccu
#define K_20 0x2de92c6fu
#define K_21 0x4a7484aau
#define K_22 0x5cb0a9dcu
#define K_23 0x76f988dau
#define K_24 0x983e5152u
#define K_25 0xa831c66du
#define K_26 0xb00327c8u
#define K_27 0xbf597fc7u
#define K_28 0xc6e00bf3u
#define K_29 0xd5a79147u
#define K_30 0x06ca6351u
#define K_31 0x14292967u
#define K_32 0x27b70a85u
#define K_33 0x2e1b2138u
#define K_34 0x4d2c6dfcu
#define K_35 0x53380d13u
#define K_36 0x650a7354u
#define K_37 0x766a0abbu
#define K_38 0x81c2c92eu
#define K_39 0x92722c85u
#define K_40 0xa2bfe8a1u
#define K_41 0xa81a664bu
#define K_42 0xc24b8b70u
#define K_43 0xc76c51a3u
#define K_44 0xd192e819u
#define K_45 0xd6990624u
#define K_46 0xf40e3585u
#define K_47 0x106aa070u
#define K_48 0x19a4c116u
#define K_49 0x1e376c08u
#define K_50 0x2748774cu
#define K_51 0x34b0bcb5u
#define K_52 0x391c0cb3u
#define K_53 0x4ed8aa4au
#define K_54 0x5b9cca4fu
#define K_55 0x682e6ff3u
#define K_56 0x748f82eeu
#define K_57 0x78a5636fu
#define K_58 0x84c87814u
#define K_59 0x8cc70208u
#define K_60 0x90befffau
#define K_61 0xa4506cebu
#define K_62 0xbef9a3f7u
#define K_63 0xc67178f2u

#define IV0 0x6a09e667u
#define IV1 0xbb67ae85u
#define IV2 0x3c6ef372u
#define IV3 0xa54ff53au
#define IV4 0x510e527fu
#define IV5 0x9b05688cu
#define IV6 0x1f83d9abu
#define IV7 0x5be0cd19u
/* The second hash's round 0 on the IV, without its W0 term (see there). */
#define H2_R0_E 0x98c7e2a2u
#define H2_R0_A 0xfc08884du

/* The schedule recurrence in place over a 16-word window: W[t] replaces
 * W[t-16] in the same variable. */
#define SCHED(t, t2, t7, t15) ((t) += SSIG1(t2) + (t7) + SSIG0(t15))
/* bswap32 lane by lane. */
#define BSWAP32(x) bitselect(rotate((x), (uv)(8u)), rotate((x), (uv)(24u)), (uv)(0xff00ff00u))

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define VSTORE CAT(vstore, HJ_VECTOR)
/* ---- the pieces of both kernels ----
 * Macros, not functions: they read and write the kernel's own variables by
 * name, and the code each kernel gets is exactly the inline sequence written
 * here (the schedule interleaved with the rounds as listed). */

/* The vector `it` of this work-item's nonces (item_first, it and base by
 * those names): off from base, the nonces, and w3, block 2's W3 (the header
 * stores the nonce little-endian, SHA-256 reads big-endian). */
#define NONCE_VECTOR                                                          \
    const uv off = (uv)(item_first + it * HJ_VECTOR) + LANE_OFFSETS;          \
    const uv nonce = (uv)(base) + off;                                        \
    const uv w3 = BSWAP32(nonce);

/* Rounds 5 and 6 of block 2, where d and h are still per job: with pd = d + h
 * + K + W and pa = h + K + W, a' = pa + x + S0 + Maj = d' + (S0 + Maj) + (pa -
 * pd), the last term a per-job constant: no two-input add for a'. The new d
 * and a go to nd and na. */
#define RND_JOB_DH(a, b, c, e, f, g, pd, pa, nd, na)                          \
    {                                                                         \
        uv ch = CH(e, f, g), mj = MAJ(a, b, c);                               \
        OPAQUE(ch);                                                           \
        OPAQUE(mj);                                                           \
        uv x = BSIG1(e) + ch;                                                 \
        (nd) = (uv)(pd) + x;                                                  \
        (na) = (nd) + (BSIG0(a) + mj) + (uv)(pa - pd);                        \
    }

/* Block 2's rounds 4..15 from the job's values (s0..s6 and p4d..p6a, by
 * those names) and w3: declares a..h, the state before round 16. Shared by
 * both kernels below. */
#define BLOCK2_ROUNDS_4_15 \
    /* ---- block 2, rounds 4..63 ---- */                                                         \
    uv a = (uv)(s0) + w3, e = (uv)(s4) + w3;                                                      \
    uv b, c, d, f, g, h;                                                                          \
    /* round 4: b, c, f, g, and h + KW (and d + h + KW) are per-job constants;                    \
     * Ch and Maj of per-job words are written as one v_bfi_b32 /                                 \
     * v_and_or_b32 each (from bitselect, LLVM hoists s5 ^ s6 out of the                          \
     * loop and the v_bfi_b32 is lost) */                                                         \
    {                                                                                             \
        uv ch = (e & (uv)(s5)) | (~e & (uv)(s6)), mj = (a & (uv)(s1 | s2)) | (uv)(s1 & s2);       \
        OPAQUE(ch);                                                                               \
        OPAQUE(mj);                                                                               \
        uv x = BSIG1(e) + ch;                                                                     \
        d = (uv)(p4d) + x;                                                                        \
        h = (uv)(p4a) + x + BSIG0(a) + mj;                                                        \
    }                                                                                             \
    /* round 5: state (h, a, s1, s2, d, e, s5, s6); round 6: (g, h, a, s1, c,                     \
     * d, e, s5) */                                                                               \
    RND_JOB_DH(h, a, (uv)(s1), d, e, (uv)(s5), p5d, p5a, c, g);                                   \
    RND_JOB_DH(g, h, a, c, d, e, p6d, p6a, b, f);                                                 \
    /* Now (a..h) = (f, g, h, a, b, c, d, e) in round-7 order; the names                          \
     * rotate from call to call instead of the values moving.                                     \
     * Rounds 7..15: W = padding, K + W folded. */                                                \
    RND(f, g, h, a, b, c, d, e, K_7);                                                             \
    RND(e, f, g, h, a, b, c, d, K_8);                                                             \
    RND(d, e, f, g, h, a, b, c, K_9);                                                             \
    RND(c, d, e, f, g, h, a, b, K_10);                                                            \
    RND(b, c, d, e, f, g, h, a, K_11);                                                            \
    RND(a, b, c, d, e, f, g, h, K_12);                                                            \
    RND(h, a, b, c, d, e, f, g, K_13);                                                            \
    RND(g, h, a, b, c, d, e, f, K_14);                                                            \
    RND(f, g, h, a, b, c, d, e, K_15 + 640u);

/* Block 2's rounds 16..63 as one table of two columns, in the order the plain
 * kernel runs them: W(statement) computes a schedule word in the window
 * x0..x15 from the job's values (kw16, kw17, c18..c33, by those names) and
 * w3; R(a..h, t, kw) is round t on the state names a..h with K + W = kw.
 * Each kernel picks what a column does (BLOCK2_* below): the plain kernel
 * runs both, the rolling kernel the W column once per vector of nonces
 * (storing each kw) and the R column once per version. */
#define BLOCK2_ROUNDS_16_63(W, R)                                                                \
    /* rounds 16..33: the schedule's per-job parts come from the host (job.h);                   \
     * each word just before its round fills the gaps of the round's                             \
     * dependency chain */                                                                       \
    R(e, f, g, h, a, b, c, d, 16, (uv)(kw16));                                                   \
    R(d, e, f, g, h, a, b, c, 17, (uv)(kw17));                                                   \
    W(x2 = (uv)(c18) + SSIG0(w3));                                                               \
    R(c, d, e, f, g, h, a, b, 18, K_18 + x2);                                                    \
    W(x3 = (uv)(c19) + w3);                                                                      \
    R(b, c, d, e, f, g, h, a, 19, K_19 + x3);                                                    \
    W(x4 = (uv)(c20) + SSIG1(x2));                                                               \
    R(a, b, c, d, e, f, g, h, 20, K_20 + x4);                                                    \
    W(x5 = (uv)(c21) + SSIG1(x3));                                                               \
    R(h, a, b, c, d, e, f, g, 21, K_21 + x5);                                                    \
    W(x6 = (uv)(c22) + SSIG1(x4));                                                               \
    R(g, h, a, b, c, d, e, f, 22, K_22 + x6);                                                    \
    W(x7 = (uv)(c23) + SSIG1(x5));                                                               \
    R(f, g, h, a, b, c, d, e, 23, K_23 + x7);                                                    \
    W(x8 = (uv)(c24) + SSIG1(x6));                                                               \
    R(e, f, g, h, a, b, c, d, 24, K_24 + x8);                                                    \
    W(x9 = SSIG1(x7) + x2);                                                                      \
    R(d, e, f, g, h, a, b, c, 25, K_25 + x9);                                                    \
    W(x10 = SSIG1(x8) + x3);                                                                     \
    R(c, d, e, f, g, h, a, b, 26, K_26 + x10);                                                   \
    W(x11 = SSIG1(x9) + x4);                                                                     \
    R(b, c, d, e, f, g, h, a, 27, K_27 + x11);                                                   \
    W(x12 = SSIG1(x10) + x5);                                                                    \
    R(a, b, c, d, e, f, g, h, 28, K_28 + x12);                                                   \
    W(x13 = SSIG1(x11) + x6);                                                                    \
    R(h, a, b, c, d, e, f, g, 29, K_29 + x13);                                                   \
    W(x14 = (uv)(c30) + SSIG1(x12) + x7);                                                        \
    R(g, h, a, b, c, d, e, f, 30, K_30 + x14);                                                   \
    W(x15 = (uv)(c31) + SSIG1(x13) + x8);                                                        \
    R(f, g, h, a, b, c, d, e, 31, K_31 + x15);                                                   \
    W(x0 = (uv)(c32) + SSIG1(x14) + x9);                                                         \
    R(e, f, g, h, a, b, c, d, 32, K_32 + x0);                                                    \
    W(x1 = (uv)(c33) + SSIG1(x15) + x10 + SSIG0(x2));                                            \
    R(d, e, f, g, h, a, b, c, 33, K_33 + x1);                                                    \
    /* rounds 34..63: the plain recurrence, in place over the 16-word window */                  \
    W(SCHED(x2, x0, x11, x3));                                                                   \
    R(c, d, e, f, g, h, a, b, 34, K_34 + x2);                                                    \
    W(SCHED(x3, x1, x12, x4));                                                                   \
    R(b, c, d, e, f, g, h, a, 35, K_35 + x3);                                                    \
    W(SCHED(x4, x2, x13, x5));                                                                   \
    R(a, b, c, d, e, f, g, h, 36, K_36 + x4);                                                    \
    W(SCHED(x5, x3, x14, x6));                                                                   \
    R(h, a, b, c, d, e, f, g, 37, K_37 + x5);                                                    \
    W(SCHED(x6, x4, x15, x7));                                                                   \
    R(g, h, a, b, c, d, e, f, 38, K_38 + x6);                                                    \
    W(SCHED(x7, x5, x0, x8));                                                                    \
    R(f, g, h, a, b, c, d, e, 39, K_39 + x7);                                                    \
    W(SCHED(x8, x6, x1, x9));                                                                    \
    R(e, f, g, h, a, b, c, d, 40, K_40 + x8);                                                    \
    W(SCHED(x9, x7, x2, x10));                                                                   \
    R(d, e, f, g, h, a, b, c, 41, K_41 + x9);                                                    \
    W(SCHED(x10, x8, x3, x11));                                                                  \
    R(c, d, e, f, g, h, a, b, 42, K_42 + x10);                                                   \
    W(SCHED(x11, x9, x4, x12));                                                                  \
    R(b, c, d, e, f, g, h, a, 43, K_43 + x11);                                                   \
    W(SCHED(x12, x10, x5, x13));                                                                 \
    R(a, b, c, d, e, f, g, h, 44, K_44 + x12);                                                   \
    W(SCHED(x13, x11, x6, x14));                                                                 \
    R(h, a, b, c, d, e, f, g, 45, K_45 + x13);                                                   \
    W(SCHED(x14, x12, x7, x15));                                                                 \
    R(g, h, a, b, c, d, e, f, 46, K_46 + x14);                                                   \
    W(SCHED(x15, x13, x8, x0));                                                                  \
    R(f, g, h, a, b, c, d, e, 47, K_47 + x15);                                                   \
    W(SCHED(x0, x14, x9, x1));                                                                   \
    R(e, f, g, h, a, b, c, d, 48, K_48 + x0);                                                    \
    W(SCHED(x1, x15, x10, x2));                                                                  \
    R(d, e, f, g, h, a, b, c, 49, K_49 + x1);                                                    \
    W(SCHED(x2, x0, x11, x3));                                                                   \
    R(c, d, e, f, g, h, a, b, 50, K_50 + x2);                                                    \
    W(SCHED(x3, x1, x12, x4));                                                                   \
    R(b, c, d, e, f, g, h, a, 51, K_51 + x3);                                                    \
    W(SCHED(x4, x2, x13, x5));                                                                   \
    R(a, b, c, d, e, f, g, h, 52, K_52 + x4);                                                    \
    W(SCHED(x5, x3, x14, x6));                                                                   \
    R(h, a, b, c, d, e, f, g, 53, K_53 + x5);                                                    \
    W(SCHED(x6, x4, x15, x7));                                                                   \
    R(g, h, a, b, c, d, e, f, 54, K_54 + x6);                                                    \
    W(SCHED(x7, x5, x0, x8));                                                                    \
    R(f, g, h, a, b, c, d, e, 55, K_55 + x7);                                                    \
    W(SCHED(x8, x6, x1, x9));                                                                    \
    R(e, f, g, h, a, b, c, d, 56, K_56 + x8);                                                    \
    W(SCHED(x9, x7, x2, x10));                                                                   \
    R(d, e, f, g, h, a, b, c, 57, K_57 + x9);                                                    \
    W(SCHED(x10, x8, x3, x11));                                                                  \
    R(c, d, e, f, g, h, a, b, 58, K_58 + x10);                                                   \
    W(SCHED(x11, x9, x4, x12));                                                                  \
    R(b, c, d, e, f, g, h, a, 59, K_59 + x11);                                                   \
    W(SCHED(x12, x10, x5, x13));                                                                 \
    R(a, b, c, d, e, f, g, h, 60, K_60 + x12);                                                   \
    W(SCHED(x13, x11, x6, x14));                                                                 \
    R(h, a, b, c, d, e, f, g, 61, K_61 + x13);                                                   \
    W(SCHED(x14, x12, x7, x15));                                                                 \
    R(g, h, a, b, c, d, e, f, 62, K_62 + x14);                                                   \
    W(SCHED(x15, x13, x8, x0));                                                                  \
    R(f, g, h, a, b, c, d, e, 63, K_63 + x15);

/* The plain kernel: each word computed just before its round. */
#define BLOCK2_RUN(s) s
#define BLOCK2_RND(a, b, c, d, e, f, g, h, t, v) RND(a, b, c, d, e, f, g, h, v)
/* The rolling kernel: the schedule into kw[16..63], then the rounds from it. */
#define BLOCK2_SKIP(s)
#define BLOCK2_STORE_KW(a, b, c, d, e, f, g, h, t, v) kw[t] = (v)
#define BLOCK2_RND_KW(a, b, c, d, e, f, g, h, t, v) RND(a, b, c, d, e, f, g, h, kw[t])

/* The second hash of the first digest (the midstate m0..m7 plus block 2's
 * final state a..h), by those names, in the window x0..x15: H7 ends in h.
 * Shared by both kernels below. */
#define HASH2_H7 \
    /* ---- second hash: W0..7 = first digest, W8 = 0x80000000, W9..14 = 0,                     \
     * W15 = 256 (a 32-byte message) ---- */                                                    \
    x0 = (uv)(m0) + e;                                                                          \
    x1 = (uv)(m1) + f;                                                                          \
    x2 = (uv)(m2) + g;                                                                          \
    x3 = (uv)(m3) + h;                                                                          \
    x4 = (uv)(m4) + a;                                                                          \
    x5 = (uv)(m5) + b;                                                                          \
    x6 = (uv)(m6) + c;                                                                          \
    x7 = (uv)(m7) + d;                                                                          \
    /* round 0 from the IV: all but W0 is constant, so its e and a are                          \
     * constants plus W0 (H2_R0_E = IV3 + t1 and H2_R0_A = t1 + S0 + Maj                        \
     * with t1 = IV7 + K0 + S1(IV4) + Ch(IV4, IV5, IV6)) */                                     \
    a = (uv)(IV0); b = (uv)(IV1); c = (uv)(IV2);                                                \
    d = (uv)(H2_R0_E) + x0;                                                                     \
    e = (uv)(IV4); f = (uv)(IV5); g = (uv)(IV6);                                                \
    h = (uv)(H2_R0_A) + x0;                                                                     \
    RND(h, a, b, c, d, e, f, g, K_1 + x1);                                                      \
    RND(g, h, a, b, c, d, e, f, K_2 + x2);                                                      \
    RND(f, g, h, a, b, c, d, e, K_3 + x3);                                                      \
    RND(e, f, g, h, a, b, c, d, K_4 + x4);                                                      \
    RND(d, e, f, g, h, a, b, c, K_5 + x5);                                                      \
    RND(c, d, e, f, g, h, a, b, K_6 + x6);                                                      \
    RND(b, c, d, e, f, g, h, a, K_7 + x7);                                                      \
    /* rounds 8..15: padding words, K + W folded */                                             \
    RND(a, b, c, d, e, f, g, h, K_8 + 0x80000000u);                                             \
    RND(h, a, b, c, d, e, f, g, K_9);                                                           \
    RND(g, h, a, b, c, d, e, f, K_10);                                                          \
    RND(f, g, h, a, b, c, d, e, K_11);                                                          \
    RND(e, f, g, h, a, b, c, d, K_12);                                                          \
    RND(d, e, f, g, h, a, b, c, K_13);                                                          \
    RND(c, d, e, f, g, h, a, b, K_14);                                                          \
    RND(b, c, d, e, f, g, h, a, K_15 + 256u);                                                   \
    /* rounds 16..31: the zero words dropped, constant terms folded (job.h hj_hash2_w) */       \
    x0 = SSIG0(x1) + x0;                                                                        \
    RND(a, b, c, d, e, f, g, h, K_16 + x0);                                                     \
    x1 = 0x00a00000u + SSIG0(x2) + x1; /* s1(W15 = 256) */                                      \
    RND(h, a, b, c, d, e, f, g, K_17 + x1);                                                     \
    x2 = SSIG1(x0) + SSIG0(x3) + x2;                                                            \
    RND(g, h, a, b, c, d, e, f, K_18 + x2);                                                     \
    x3 = SSIG1(x1) + SSIG0(x4) + x3;                                                            \
    RND(f, g, h, a, b, c, d, e, K_19 + x3);                                                     \
    x4 = SSIG1(x2) + SSIG0(x5) + x4;                                                            \
    RND(e, f, g, h, a, b, c, d, K_20 + x4);                                                     \
    x5 = SSIG1(x3) + SSIG0(x6) + x5;                                                            \
    RND(d, e, f, g, h, a, b, c, K_21 + x5);                                                     \
    x6 = 256u + SSIG1(x4) + SSIG0(x7) + x6; /* W15 */                                           \
    RND(c, d, e, f, g, h, a, b, K_22 + x6);                                                     \
    x7 = 0x11002000u + SSIG1(x5) + x0 + x7; /* s0(W8) */                                        \
    RND(b, c, d, e, f, g, h, a, K_23 + x7);                                                     \
    x8 = 0x80000000u + SSIG1(x6) + x1; /* W8 */                                                 \
    RND(a, b, c, d, e, f, g, h, K_24 + x8);                                                     \
    x9 = SSIG1(x7) + x2;                                                                        \
    RND(h, a, b, c, d, e, f, g, K_25 + x9);                                                     \
    x10 = SSIG1(x8) + x3;                                                                       \
    RND(g, h, a, b, c, d, e, f, K_26 + x10);                                                    \
    x11 = SSIG1(x9) + x4;                                                                       \
    RND(f, g, h, a, b, c, d, e, K_27 + x11);                                                    \
    x12 = SSIG1(x10) + x5;                                                                      \
    RND(e, f, g, h, a, b, c, d, K_28 + x12);                                                    \
    x13 = SSIG1(x11) + x6;                                                                      \
    RND(d, e, f, g, h, a, b, c, K_29 + x13);                                                    \
    x14 = 0x00400022u + SSIG1(x12) + x7; /* s0(W15) */                                          \
    RND(c, d, e, f, g, h, a, b, K_30 + x14);                                                    \
    x15 = 256u + SSIG1(x13) + x8 + SSIG0(x0); /* W15 */                                         \
    RND(b, c, d, e, f, g, h, a, K_31 + x15);                                                    \
    /* rounds 32..56 in full */                                                                 \
    SCHED(x0, x14, x9, x1);                                                                     \
    RND(a, b, c, d, e, f, g, h, K_32 + x0);                                                     \
    SCHED(x1, x15, x10, x2);                                                                    \
    RND(h, a, b, c, d, e, f, g, K_33 + x1);                                                     \
    SCHED(x2, x0, x11, x3);                                                                     \
    RND(g, h, a, b, c, d, e, f, K_34 + x2);                                                     \
    SCHED(x3, x1, x12, x4);                                                                     \
    RND(f, g, h, a, b, c, d, e, K_35 + x3);                                                     \
    SCHED(x4, x2, x13, x5);                                                                     \
    RND(e, f, g, h, a, b, c, d, K_36 + x4);                                                     \
    SCHED(x5, x3, x14, x6);                                                                     \
    RND(d, e, f, g, h, a, b, c, K_37 + x5);                                                     \
    SCHED(x6, x4, x15, x7);                                                                     \
    RND(c, d, e, f, g, h, a, b, K_38 + x6);                                                     \
    SCHED(x7, x5, x0, x8);                                                                      \
    RND(b, c, d, e, f, g, h, a, K_39 + x7);                                                     \
    SCHED(x8, x6, x1, x9);                                                                      \
    RND(a, b, c, d, e, f, g, h, K_40 + x8);                                                     \
    SCHED(x9, x7, x2, x10);                                                                     \
    RND(h, a, b, c, d, e, f, g, K_41 + x9);                                                     \
    SCHED(x10, x8, x3, x11);                                                                    \
    RND(g, h, a, b, c, d, e, f, K_42 + x10);                                                    \
    SCHED(x11, x9, x4, x12);                                                                    \
    RND(f, g, h, a, b, c, d, e, K_43 + x11);                                                    \
    SCHED(x12, x10, x5, x13);                                                                   \
    RND(e, f, g, h, a, b, c, d, K_44 + x12);                                                    \
    SCHED(x13, x11, x6, x14);                                                                   \
    RND(d, e, f, g, h, a, b, c, K_45 + x13);                                                    \
    SCHED(x14, x12, x7, x15);                                                                   \
    RND(c, d, e, f, g, h, a, b, K_46 + x14);                                                    \
    SCHED(x15, x13, x8, x0);                                                                    \
    RND(b, c, d, e, f, g, h, a, K_47 + x15);                                                    \
    SCHED(x0, x14, x9, x1);                                                                     \
    RND(a, b, c, d, e, f, g, h, K_48 + x0);                                                     \
    SCHED(x1, x15, x10, x2);                                                                    \
    RND(h, a, b, c, d, e, f, g, K_49 + x1);                                                     \
    SCHED(x2, x0, x11, x3);                                                                     \
    RND(g, h, a, b, c, d, e, f, K_50 + x2);                                                     \
    SCHED(x3, x1, x12, x4);                                                                     \
    RND(f, g, h, a, b, c, d, e, K_51 + x3);                                                     \
    SCHED(x4, x2, x13, x5);                                                                     \
    RND(e, f, g, h, a, b, c, d, K_52 + x4);                                                     \
    SCHED(x5, x3, x14, x6);                                                                     \
    RND(d, e, f, g, h, a, b, c, K_53 + x5);                                                     \
    SCHED(x6, x4, x15, x7);                                                                     \
    RND(c, d, e, f, g, h, a, b, K_54 + x6);                                                     \
    SCHED(x7, x5, x0, x8);                                                                      \
    RND(b, c, d, e, f, g, h, a, K_55 + x7);                                                     \
    SCHED(x8, x6, x1, x9);                                                                      \
    RND(a, b, c, d, e, f, g, h, K_56 + x8);                                                     \
    /* H7 = IV7 + e after round 60: rounds 57..60 need only e, and the final                    \
     * addition of IV7 is folded into round 60's constant */                                    \
    SCHED(x9, x7, x2, x10);                                                                     \
    RND_E(h, a, b, c, d, e, f, g, K_57 + x9);                                                   \
    SCHED(x10, x8, x3, x11);                                                                    \
    RND_E(g, h, a, b, c, d, e, f, K_58 + x10);                                                  \
    SCHED(x11, x9, x4, x12);                                                                    \
    RND_E(f, g, h, a, b, c, d, e, K_59 + x11);                                                  \
    SCHED(x12, x10, x5, x13);                                                                   \
    RND_E(e, f, g, h, a, b, c, d, (K_60 + IV7) + x12);

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

/* REPORT for the version-rolling kernel: the pair (v, n), v the version's
 * index (by that name). */
#define REPORT_PAIR(n)                                                        \
    {                                                                         \
        uint slot_ = atomic_inc(&out[0]);                                     \
        if (slot_ < slots) {                                                  \
            out[2 + 2 * slot_] = v;                                           \
            out[3 + 2 * slot_] = (n);                                         \
        } else {                                                              \
            out[1] = 1u;                                                      \
        }                                                                     \
    }

/* H7 in h is a candidate when bswap32(H7) <= h7_limit; lanes at off >= count
 * lie past the launch's range. REPORT_ONE(nonce) each candidate (h7_limit,
 * off, nonce, base and count by those names). */
#if HJ_VECTOR == 1
#define REPORT_CANDIDATES(REPORT_ONE)                                         \
    const uv top = BSWAP32(h);                                                \
    if (top <= h7_limit && off < count)                                       \
        REPORT_ONE(nonce);
#else
#define REPORT_CANDIDATES(REPORT_ONE)                                         \
    const uv top = BSWAP32(h);                                                \
    if (any((top <= (uv)(h7_limit)) & (off < (uv)(count)))) {                \
        uint tops[HJ_VECTOR], offs[HJ_VECTOR];                                \
        VSTORE(top, 0, tops);                                                 \
        VSTORE(off, 0, offs);                                                 \
        for (int l = 0; l < HJ_VECTOR; l++)                                   \
            if (tops[l] <= h7_limit && offs[l] < count)                       \
                REPORT_ONE(base + offs[l]);                                   \
    }
#endif

/* ---- the kernels ---- */

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
        NONCE_VECTOR
        BLOCK2_ROUNDS_4_15
        uv x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15;
        BLOCK2_ROUNDS_16_63(BLOCK2_RUN, BLOCK2_RND)
        HASH2_H7
        /* h (round 60's d slot) is now H7 */
        REPORT_CANDIDATES(REPORT)
    }
}

/* Version rolling (BIP 320): the same scan over a block of versions. vs holds
 * 20 words per version (s0, s1, s2, s4, s5, s6, p4d, p4a, p5d, p5a, p6d, p6a,
 * m0..m7: the per-version arguments of hj_sha256d_scan, in its order); the
 * versions differ in block 1 only, so block 2's schedule, as K + W of rounds
 * 16..63, is computed once per vector of nonces and used by every version.
 * Candidates are pairs: out[2 + 2 slot] the version's index in vs, out[3 +
 * 2 slot] the nonce; out[0] counts pairs, out[1] flags an overflow of
 * `slots` pairs. */
__kernel void hj_sha256d_scan_versions(
    __constant const uint *vs, uint nversions,
    uint kw16, uint kw17, uint c18, uint c19, uint c20, uint c21, uint c22, uint c23,
    uint c24, uint c30, uint c31, uint c32, uint c33,
    uint h7_limit, uint base, uint count, uint slots, __global volatile uint *out)
{
    const uint item_first = (uint)get_global_id(0) * (HJ_VECTOR * HJ_ITERS);
    for (uint it = 0; it < HJ_ITERS; it++) {
        NONCE_VECTOR
        /* block 2's K + W of rounds 16..63, as hj_sha256d_scan computes them */
        uv kw[64];
        uv x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15;
        BLOCK2_ROUNDS_16_63(BLOCK2_RUN, BLOCK2_STORE_KW)
        for (uint v = 0; v < nversions; v++) {
            __constant const uint *p = vs + 20 * v;
            const uint s0 = p[0], s1 = p[1], s2 = p[2], s4 = p[3], s5 = p[4], s6 = p[5];
            const uint p4d = p[6], p4a = p[7], p5d = p[8], p5a = p[9], p6d = p[10], p6a = p[11];
            const uint m0 = p[12], m1 = p[13], m2 = p[14], m3 = p[15], m4 = p[16], m5 = p[17], m6 = p[18],
                       m7 = p[19];
            BLOCK2_ROUNDS_4_15
            BLOCK2_ROUNDS_16_63(BLOCK2_SKIP, BLOCK2_RND_KW)
            HASH2_H7
            REPORT_CANDIDATES(REPORT_PAIR)
        }
    }
}
