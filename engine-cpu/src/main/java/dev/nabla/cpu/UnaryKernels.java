package dev.nabla.cpu;

import dev.nabla.spi.Layout;
import dev.nabla.spi.UnaryOp;

/**
 * out = op(x) for the CPU backend. Float loops live in {@link UnaryFloatKernels}; the integer ops
 * here are plain loops the JIT's auto-vectorizer handles. Layout handling (contiguous fast path,
 * strided gather, threads) is {@link Elementwise}'s.
 */
final class UnaryKernels {
    private UnaryKernels() {}

    /** out (contiguous, xl.shape's numel, x's dtype) = op(x). */
    static void apply(UnaryOp op, CpuBuffer x, Layout xl, CpuBuffer out) {
        long grain = UnaryFloatKernels.heavy(op) ? Elementwise.GRAIN_HEAVY : Elementwise.GRAIN_CHEAP;
        Elementwise.BlockKernel k = switch (x.dtype) {
            case F32 -> {
                float[] o = out.f32();
                yield (in, off, oo, n) -> UnaryFloatKernels.f32(op, (float[]) in[0], off[0], o, oo, n);
            }
            case F64 -> {
                double[] o = out.f64();
                yield (in, off, oo, n) -> UnaryFloatKernels.f64(op, (double[]) in[0], off[0], o, oo, n);
            }
            case I32 -> {
                int[] o = out.i32();
                yield (in, off, oo, n) -> i32(op, (int[]) in[0], off[0], o, oo, n);
            }
            case I64 -> {
                long[] o = out.i64();
                yield (in, off, oo, n) -> i64(op, (long[]) in[0], off[0], o, oo, n);
            }
            case BOOL -> throw new IllegalArgumentException("unary " + op + " on BOOL");
        };
        Elementwise.run(new CpuBuffer[] {x}, new Layout[] {xl}, xl.numel(), grain, k);
    }

    static void i32(UnaryOp op, int[] x, int xo, int[] o, int oo, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[oo + i] = -x[xo + i]; }
            case ABS -> { for (int i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]); }
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    int v = x[xo + i];
                    o[oo + i] = v * v;
                }
            }
            case SIGN -> { for (int i = 0; i < n; i++) o[oo + i] = Integer.signum(x[xo + i]); }
            case RELU -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], 0); }
            case FLOOR, CEIL, ROUND -> System.arraycopy(x, xo, o, oo, n);
            default -> throw new IllegalArgumentException("unary " + op + " on I32");
        }
    }

    static void i64(UnaryOp op, long[] x, int xo, long[] o, int oo, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[oo + i] = -x[xo + i]; }
            case ABS -> { for (int i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]); }
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    long v = x[xo + i];
                    o[oo + i] = v * v;
                }
            }
            case SIGN -> { for (int i = 0; i < n; i++) o[oo + i] = Long.signum(x[xo + i]); }
            case RELU -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], 0L); }
            case FLOOR, CEIL, ROUND -> System.arraycopy(x, xo, o, oo, n);
            default -> throw new IllegalArgumentException("unary " + op + " on I64");
        }
    }
}
