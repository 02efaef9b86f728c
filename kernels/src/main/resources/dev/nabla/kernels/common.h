/* Shared by every kernel family, after the target prelude and the variant's defines (T, the
 * element type; TK_F32 / TK_F64 / TK_I32 / TK_I64 / TK_BOOL; IS_FLOAT; UT, T's unsigned twin for
 * integers; VEC4, its 4-vector on OpenCL). */

/* A tensor view as the backend SPI's Layout: element i (row-major over shape) sits at
 * offset + sum(index_d * stride[d]). The host coalesces layouts first, so rank rarely passes 3;
 * views of higher rank than MAX_RANK are split by the host into launches over leading dims.
 * Passed by value: 144 bytes, the same on every target (all members 8- or 4-byte aligned). */
#define MAX_RANK 8
typedef struct {
    i64 shape[MAX_RANK];
    i64 stride[MAX_RANK];
    i64 offset;
    i32 rank;
    i32 contiguous; /* 1 when element i is at offset + i: the fast path, no division */
} Lay;

/* Position in the buffer of the element with row-major index i. */
DEVICE i64 lay_at(const Lay* l, i64 i) {
    if (l->contiguous) return l->offset + i;
    i64 off = l->offset;
    for (int d = l->rank - 1; d >= 0; d--) {
        i64 s = l->shape[d];
        i64 q = i / s;
        off += (i - q * s) * l->stride[d];
        i = q;
    }
    return off;
}

#if defined(T)
#if defined(IS_FLOAT)
#if defined(TK_F32)
#define T_NAN AS_F32(0x7fc00000)
#define T_INF AS_F32(0x7f800000)
#else
#define T_NAN AS_F64(0x7ff8000000000000L)
#define T_INF AS_F64(0x7ff0000000000000L)
#endif

/* Java's Math.max: NaN wins, and +0.0 is above -0.0. */
DEVICE T jmax(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0 && b == 0) return signbit(a) ? b : a;
    return a > b ? a : b;
}

/* Java's Math.min: NaN wins, and -0.0 is below +0.0. */
DEVICE T jmin(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0 && b == 0) return signbit(a) ? a : b;
    return a < b ? a : b;
}
#else
DEVICE T jmax(T a, T b) { return a > b ? a : b; }
DEVICE T jmin(T a, T b) { return a < b ? a : b; }
#endif
#endif /* T */
