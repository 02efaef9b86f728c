package dev.nabla.cpu;

import dev.nabla.spi.Layout;

/**
 * Drives an elementwise kernel whose output is contiguous: the kernel only ever sees contiguous
 * input slices, so each op is written once, as a Vector API loop. How each input reaches it:
 * <ul>
 *   <li>linear (contiguous in the output's order): the kernel reads the buffer itself;</li>
 *   <li>constant (all strides 0, a broadcast scalar): a block filled once per chunk;</li>
 *   <li>strided: when the inner dim is long, blocks never cross an inner run, so an input whose
 *   inner stride is 1 (a row-vector bias over [m, n]) is still read in place; otherwise its run
 *   elements are gathered into a small block that stays in L1.</li>
 * </ul>
 * Work is split over threads by output position above a grain; below it everything runs inline.
 */
final class Elementwise {

    /** Elements per block: a few KiB per operand, so gathered blocks stay in L1. */
    static final int BLOCK = 2048;
    /** Inner runs at least this long are walked run by run rather than gathered across runs. */
    private static final int LONG_RUN = 256;

    /** Cheap ops (add, copy): hand-off pays from here. */
    static final long GRAIN_CHEAP = 1 << 16;
    /** Transcendental ops: a few ns per element, so threads pay earlier. */
    static final long GRAIN_HEAVY = 1 << 13;

    /** Computes out[outOff, outOff + len) from in[j][inOff[j] ...], each contiguous. */
    @FunctionalInterface
    interface BlockKernel {
        void run(Object[] in, int[] inOff, int outOff, int len);
    }

    private static final int LINEAR = 0, CONSTANT = 1, STRIDED = 2;

    private Elementwise() {}

    /** Runs k over the n output elements; {@code lays[j]} has the output's shape. */
    static void run(CpuBuffer[] ins, Layout[] lays, long n, long grain, BlockKernel k) {
        if (n <= 0) return;
        int m = ins.length;
        boolean allContiguous = true;
        for (Layout l : lays) allContiguous &= l.isContiguous();
        if (allContiguous) {
            if (n < 2 * grain) {
                runLinear(ins, lays, 0, n, k);
            } else {
                Parallel.forRange(n, grain, (from, to) -> runLinear(ins, lays, from, to, k));
            }
            return;
        }
        Layout[] all = new Layout[m + 1];
        System.arraycopy(lays, 0, all, 0, m);
        all[m] = Layout.contiguous(lays[0].shape());
        Layout[] co = Layout.coalesce(all);
        int[] kind = new int[m];
        boolean anyStrided = false;
        for (int j = 0; j < m; j++) {
            kind[j] = StridedIndex.isConstant(co[j]) ? CONSTANT
                    : StridedIndex.isLinear(co[j]) ? LINEAR : STRIDED;
            anyStrided |= kind[j] == STRIDED;
        }
        int rank = co[m].rank();
        boolean runMode = anyStrided && rank > 0 && co[m].shape()[rank - 1] >= LONG_RUN;
        Parallel.Range body = (from, to) -> runBlocks(ins, co, kind, runMode, from, to, k);
        if (n < 2 * grain) {
            body.run(0, n);
        } else {
            Parallel.forRange(n, grain, body);
        }
    }

    private static void runLinear(CpuBuffer[] ins, Layout[] lays, long from, long to, BlockKernel k) {
        int m = ins.length;
        Object[] src = new Object[m];
        int[] off = new int[m];
        for (int j = 0; j < m; j++) {
            src[j] = ins[j].array;
            off[j] = (int) (lays[j].offset() + from);
        }
        k.run(src, off, (int) from, (int) (to - from));
    }

    private static void runBlocks(CpuBuffer[] ins, Layout[] co, int[] kind, boolean runMode,
                                  long from, long to, BlockKernel k) {
        int m = ins.length;
        int blk = (int) Math.min(BLOCK, to - from);
        Object[] src = new Object[m];
        int[] off = new int[m];
        Object[] scratch = new Object[m];
        StridedIndex[] cur = new StridedIndex[m];
        StridedIndex lead = null;
        for (int j = 0; j < m; j++) {
            CpuBuffer b = ins[j];
            switch (kind[j]) {
                case CONSTANT -> {
                    Object s = StridedIndex.newArray(b.dtype, blk);
                    fillFrom(s, b.array, (int) co[j].offset(), blk);
                    scratch[j] = s;
                }
                case STRIDED -> {
                    cur[j] = new StridedIndex(co[j]);
                    cur[j].seek(from);
                    if (lead == null) lead = cur[j];
                }
                default -> { }
            }
        }
        long pos = from;
        while (pos < to) {
            int len = (int) Math.min(blk, to - pos);
            if (runMode) len = (int) Math.min(len, lead.runLeft());
            for (int j = 0; j < m; j++) {
                switch (kind[j]) {
                    case LINEAR -> {
                        src[j] = ins[j].array;
                        off[j] = (int) (co[j].offset() + pos);
                    }
                    case CONSTANT -> {
                        src[j] = scratch[j];
                        off[j] = 0;
                    }
                    default -> {
                        StridedIndex c = cur[j];
                        if (runMode && c.innerStride == 1) {
                            src[j] = ins[j].array;
                            off[j] = (int) c.offset;
                            c.advance(len);
                        } else {
                            if (scratch[j] == null) scratch[j] = StridedIndex.newArray(ins[j].dtype, blk);
                            StridedIndex.gather(ins[j].dtype, ins[j].array, c, scratch[j], 0, len);
                            src[j] = scratch[j];
                            off[j] = 0;
                        }
                    }
                }
            }
            k.run(src, off, (int) pos, len);
            pos += len;
        }
    }

    /** Fills dst[0, n) with src[at]. */
    private static void fillFrom(Object dst, Object src, int at, int n) {
        switch (dst) {
            case float[] d -> java.util.Arrays.fill(d, 0, n, ((float[]) src)[at]);
            case double[] d -> java.util.Arrays.fill(d, 0, n, ((double[]) src)[at]);
            case int[] d -> java.util.Arrays.fill(d, 0, n, ((int[]) src)[at]);
            case long[] d -> java.util.Arrays.fill(d, 0, n, ((long[]) src)[at]);
            case boolean[] d -> java.util.Arrays.fill(d, 0, n, ((boolean[]) src)[at]);
            default -> throw new IllegalArgumentException("not an element array: " + dst);
        }
    }
}
