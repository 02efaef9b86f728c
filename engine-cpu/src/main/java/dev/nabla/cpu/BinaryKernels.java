package dev.nabla.cpu;

import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.Layout;

/**
 * out = a op b for the CPU backend. Float loops live in {@link BinaryFloatKernels}; integer and
 * bool loops here are plain loops (the JIT auto-vectorizes the simple ones). Broadcasting, strides
 * and threads are {@link Elementwise}'s: a broadcast scalar arrives as a constant block, a row
 * vector over [m, n] is read in place row by row.
 */
final class BinaryKernels {
    private BinaryKernels() {}

    /** al and bl have the output shape; out is contiguous, BOOL for comparisons. */
    static void apply(BinaryOp op, CpuBuffer a, Layout al, CpuBuffer b, Layout bl, CpuBuffer out) {
        long grain = BinaryFloatKernels.heavy(op) ? Elementwise.GRAIN_HEAVY : Elementwise.GRAIN_CHEAP;
        boolean cmp = op.isComparison();
        Object o = out.array;
        Elementwise.BlockKernel k = switch (a.dtype) {
            case F32 -> cmp
                    ? (in, off, oo, n) -> BinaryFloatKernels.cmpF32(op, (float[]) in[0], off[0],
                            (float[]) in[1], off[1], (boolean[]) o, oo, n)
                    : (in, off, oo, n) -> BinaryFloatKernels.f32(op, (float[]) in[0], off[0],
                            (float[]) in[1], off[1], (float[]) o, oo, n);
            case F64 -> cmp
                    ? (in, off, oo, n) -> BinaryFloatKernels.cmpF64(op, (double[]) in[0], off[0],
                            (double[]) in[1], off[1], (boolean[]) o, oo, n)
                    : (in, off, oo, n) -> BinaryFloatKernels.f64(op, (double[]) in[0], off[0],
                            (double[]) in[1], off[1], (double[]) o, oo, n);
            case I32 -> cmp
                    ? (in, off, oo, n) -> cmpI32(op, (int[]) in[0], off[0], (int[]) in[1], off[1],
                            (boolean[]) o, oo, n)
                    : (in, off, oo, n) -> i32(op, (int[]) in[0], off[0], (int[]) in[1], off[1],
                            (int[]) o, oo, n);
            case I64 -> cmp
                    ? (in, off, oo, n) -> cmpI64(op, (long[]) in[0], off[0], (long[]) in[1], off[1],
                            (boolean[]) o, oo, n)
                    : (in, off, oo, n) -> i64(op, (long[]) in[0], off[0], (long[]) in[1], off[1],
                            (long[]) o, oo, n);
            case BOOL -> (in, off, oo, n) -> bool(op, (boolean[]) in[0], off[0],
                    (boolean[]) in[1], off[1], (boolean[]) o, oo, n);
        };
        Elementwise.run(new CpuBuffer[] {a, b}, new Layout[] {al, bl}, al.numel(), grain, k);
    }

    // ---- I32 ----------------------------------------------------------------------------------

    static void i32(BinaryOp op, int[] a, int ao, int[] b, int bo, int[] o, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; }
            case MAX -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MIN -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = (int) pow(a[ao + i], b[bo + i]); }
            default -> throw new IllegalArgumentException(op + " on I32");
        }
    }

    static void cmpI32(BinaryOp op, int[] a, int ao, int[] b, int bo, boolean[] o, int oo, int n) {
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] == b[bo + i]; }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] != b[bo + i]; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] < b[bo + i]; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] <= b[bo + i]; }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] > b[bo + i]; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] >= b[bo + i]; }
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        }
    }

    // ---- I64 ----------------------------------------------------------------------------------

    static void i64(BinaryOp op, long[] a, int ao, long[] b, int bo, long[] o, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; }
            case MAX -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MIN -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = pow(a[ao + i], b[bo + i]); }
            default -> throw new IllegalArgumentException(op + " on I64");
        }
    }

    static void cmpI64(BinaryOp op, long[] a, int ao, long[] b, int bo, boolean[] o, int oo, int n) {
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] == b[bo + i]; }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] != b[bo + i]; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] < b[bo + i]; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] <= b[bo + i]; }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] > b[bo + i]; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] >= b[bo + i]; }
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        }
    }

    /**
     * Integer power by squaring, wrapping on overflow like integer multiplication (an I32 result
     * is the low 32 bits, which equal the I32 product chain's). A negative exponent truncates
     * base^e toward zero: ±1 for |base| == 1, else 0.
     */
    static long pow(long base, long e) {
        if (e < 0) {
            if (base == 1) return 1;
            if (base == -1) return (e & 1) == 0 ? 1 : -1;
            return 0;
        }
        long r = 1;
        while (e != 0) {
            if ((e & 1) != 0) r *= base;
            e >>>= 1;
            if (e != 0) base *= base;
        }
        return r;
    }

    // ---- BOOL ---------------------------------------------------------------------------------

    /** add/max = or, mul/min = and; comparisons order false &lt; true. */
    static void bool(BinaryOp op, boolean[] a, int ao, boolean[] b, int bo, boolean[] o, int oo, int n) {
        switch (op) {
            case ADD, MAX -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] | b[bo + i]; }
            case MUL, MIN -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] & b[bo + i]; }
            case POW -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] | !b[bo + i]; }
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] == b[bo + i]; }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] != b[bo + i]; }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i] = !a[ao + i] & b[bo + i]; }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i] = !a[ao + i] | b[bo + i]; }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] & !b[bo + i]; }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] | !b[bo + i]; }
            default -> throw new IllegalArgumentException(op + " on BOOL");
        }
    }
}
