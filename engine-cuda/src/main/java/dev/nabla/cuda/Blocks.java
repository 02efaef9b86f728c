package dev.nabla.cuda;

import dev.nabla.spi.Layout;

import java.util.Arrays;

/**
 * Splits layouts of rank above {@link Launch#MAX_RANK} (after coalescing) into blocks of the
 * trailing MAX_RANK dims, one launch each, so the kernels' fixed-size Lay struct serves any rank.
 * Such views are rare (coalescing merges every dim it can), so blocks run one after another.
 */
final class Blocks {
    private Blocks() {}

    @FunctionalInterface
    interface Body {
        /** sub: the layouts restricted to one block; first: the row-major position of its first element. */
        void run(Layout[] sub, long first);
    }

    /** Runs body once with the layouts themselves when their rank allows, else once per block. */
    static void forEach(Layout[] ls, Body body) {
        int r = ls[0].rank();
        if (r <= Launch.MAX_RANK) {
            body.run(ls, 0);
            return;
        }
        int lead = r - Launch.MAX_RANK;
        long[] shape = ls[0].shape();
        long[] leadShape = Arrays.copyOfRange(shape, 0, lead);
        long blocks = Layout.numel(leadShape), inner = Layout.numel(Arrays.copyOfRange(shape, lead, r));
        long[] idx = new long[lead];
        for (long b = 0; b < blocks; b++) {
            Layout[] sub = new Layout[ls.length];
            for (int j = 0; j < ls.length; j++) {
                long[] st = ls[j].strides();
                long off = ls[j].offset();
                for (int d = 0; d < lead; d++) off += idx[d] * st[d];
                sub[j] = new Layout(Arrays.copyOfRange(shape, lead, r), Arrays.copyOfRange(st, lead, r), off);
            }
            body.run(sub, b * inner);
            for (int d = lead - 1; d >= 0; d--) {
                if (++idx[d] < leadShape[d]) break;
                idx[d] = 0;
            }
        }
    }
}
