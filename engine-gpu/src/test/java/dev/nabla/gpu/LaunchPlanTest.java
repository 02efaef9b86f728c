package dev.nabla.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.Gemm;
import dev.nabla.spi.Layout;
import dev.nabla.spi.ReduceOp;
import dev.nabla.spi.UnaryOp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which kernels the shared host code launches, with which layouts, grids and temporaries: the
 * decisions both GPU backends now take from one place (the kernels' own arithmetic is the
 * conformance suite's business, on OpenCL here and on CUDA on a GPU).
 */
class LaunchPlanTest {
    private static final long MIB = 1L << 20;
    private static final long[] CUDA_LIKE = {Integer.MAX_VALUE, 65535, 65535};

    private final FakeDevice dev = new FakeDevice(0, 256 * MIB, CUDA_LIKE, true);
    private final FakeBackend be = new FakeBackend(dev);

    /** A Lay struct argument read back: shape, strides, offset, rank, contiguous flag. */
    private record Lay(long[] shape, long[] strides, long offset, int rank, boolean contiguous) {
        static Lay of(KernelArg a) {
            ByteBuffer b = ByteBuffer.wrap(((KernelArg.Struct) a).bytes()).order(ByteOrder.LITTLE_ENDIAN);
            long[] sh = new long[8], st = new long[8];
            for (int i = 0; i < 8; i++) sh[i] = b.getLong();
            for (int i = 0; i < 8; i++) st[i] = b.getLong();
            long off = b.getLong();
            int rank = b.getInt();
            boolean contiguous = b.getInt() == 1;
            return new Lay(java.util.Arrays.copyOf(sh, rank), java.util.Arrays.copyOf(st, rank), off, rank, contiguous);
        }
    }

    private Buffer buf(DType t, long n) {
        return be.allocate(0, t, n);
    }

    @Test
    void elementwiseCoalescesWhatItCanAndLaunchesOneItemPerElement() {
        Buffer x = buf(DType.F32, 24), y = buf(DType.F32, 24), out = buf(DType.BOOL, 24);
        be.unary(UnaryOp.EXP, x, Layout.contiguous(2, 3, 4), out);
        FakeDevice.Launched l = dev.launches.getLast();
        assertEquals("UNARY/F32/unary_exp", l.family() + "/" + l.type() + "/" + l.name());
        assertEquals(24, l.i64(0));
        Lay in = Lay.of(l.args().get(1));
        assertArrayEquals(new long[] {24}, in.shape(), "contiguous: one run");
        assertTrue(in.contiguous());
        assertArrayEquals(new long[] {1}, l.grid());
        assertArrayEquals(new int[] {256}, l.block());
        // a transposed operand keeps two dims, the broadcast one its zero stride
        Layout t = Layout.contiguous(4, 6).permute(1, 0);
        Layout bcast = new Layout(new long[] {6, 4}, new long[] {0, 1}, 0);
        be.binary(BinaryOp.LT, x, t, y, bcast, out);
        l = dev.launches.getLast();
        assertEquals("BINARY/F32/binary_lt", l.family() + "/" + l.type() + "/" + l.name());
        assertArrayEquals(new long[] {1, 6}, Lay.of(l.args().get(1)).strides());
        assertArrayEquals(new long[] {0, 1}, Lay.of(l.args().get(3)).strides());
        be.cast(x, Layout.contiguous(24), out);
        assertEquals("COPY/F32/cast_to_bool", dev.launches.getLast().family() + "/" + dev.launches.getLast().type() + "/"
                + dev.launches.getLast().name());
        be.cast(x, t, y);
        assertEquals("copy_strided", dev.launches.getLast().name(), "a cast to the same dtype is a copy");
    }

    @Test
    void aViewOfRankAboveEightIsSplitIntoBlocksThatCoverEveryElementOnce() {
        long[] shape = {2, 1, 3, 1, 2, 2, 3, 2, 2, 3};
        Layout high = Layout.contiguous(shape).permute(9, 0, 8, 2, 7, 4, 6, 5, 3, 1);   // nothing coalesces
        Buffer x = buf(DType.F64, 864), out = buf(DType.F64, 864);
        be.unary(UnaryOp.NEG, x, high, out);
        List<Long> firsts = new ArrayList<>();
        for (FakeDevice.Launched l : dev.launches) {
            Lay s = Lay.of(l.args().get(1));
            assertEquals(8, s.rank());
            assertEquals(l.i64(0), Layout.numel(s.shape()));
            firsts.add(l.i64(3));
        }
        // rank 10 with two size-1 dims dropped is 8: one launch; squeeze them out and it takes blocks
        Layout dense = Layout.contiguous(3, 2, 3, 2, 2, 3, 2, 2, 3, 2).permute(9, 0, 8, 1, 7, 2, 6, 3, 5, 4);
        Buffer big = buf(DType.F64, 5184), bigOut = buf(DType.F64, 5184);
        int before = dev.launches.size();
        be.unary(UnaryOp.NEG, big, dense, bigOut);
        List<FakeDevice.Launched> blocks = dev.launches.subList(before, dev.launches.size());
        assertEquals(2 * 3, blocks.size(), "one launch per index of the two leading dims");
        long covered = 0;
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(covered, blocks.get(i).i64(3), "first row-major position of block " + i);
            covered += blocks.get(i).i64(0);
        }
        assertEquals(5184, covered);
        assertEquals(List.of(0L), firsts);
    }

    @Test
    void reductionsTakeOnePassForManyOutputsAndTwoForFewLongRows() {
        Buffer many = buf(DType.F32, 300 * 5), out = buf(DType.F32, 300);
        be.reduce(ReduceOp.SUM, many, Layout.contiguous(300, 5), 1, out);
        assertEquals(List.of("reduce_rows"), dev.launchedNames());
        dev.launches.clear();
        long live = be.memoryStats(0).liveBuffers();
        Buffer few = buf(DType.F32, 2 * 100_000), two = buf(DType.F32, 2);
        be.reduce(ReduceOp.MAX, few, Layout.contiguous(2, 100_000), 1, two);
        assertEquals(List.of("reduce_part", "reduce_final"), dev.launchedNames());
        FakeDevice.Launched part = dev.launches.get(0);
        long p = part.i64(2);
        assertEquals(25, p, "100,000 terms at 256 items × 16 terms per part");
        assertEquals(4000, part.i64(3), "terms per part");
        assertArrayEquals(new long[] {p, 2}, part.grid());
        assertArrayEquals(new int[] {256, 1}, part.block());
        assertArrayEquals(new long[] {2}, dev.launches.get(1).grid(), "one work-group per output folds its partials");
        assertEquals(live + 2, be.memoryStats(0).liveBuffers(), "the partials went back");
    }

    @Test
    void integerExtremesFoldInSixtyFourBitsEmptyRowsWriteTheIdentityAndUnfoldableViewsAreCopiedFirst() {
        Buffer x = buf(DType.I32, 1024), out = buf(DType.I32, 128);
        be.reduce(ReduceOp.MAX, x, Layout.contiguous(128, 8), 1, out);
        assertEquals(List.of("reduce_rows", "cast_to_i32"), dev.launchedNames());
        assertEquals("I32", dev.launches.get(0).type());
        dev.launches.clear();
        be.reduce(ReduceOp.PROD, x, new Layout(new long[] {4, 0}, new long[] {0, 1}, 0), 1, buf(DType.I64, 4));
        assertEquals(List.of("copy_fill"), dev.launchedNames());
        assertEquals(new KernelArg.I64(1), dev.launches.get(0).args().get(1), "the empty product");
        dev.launches.clear();
        long[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        Layout high = Layout.contiguous(shape).permute(9, 0, 8, 1, 7, 2, 6, 3, 5, 4);
        be.reduce(ReduceOp.ARGMIN, x, high, 1, buf(DType.I64, 512));   // nine kept dims, none mergeable
        assertEquals(List.of("copy_strided", "copy_strided", "copy_strided", "copy_strided", "argreduce_rows"),
                dev.launchedNames(), "the copy in blocks of eight dims, then the reduction of the copy");
        Lay rows = Lay.of(dev.launches.getLast().args().get(4));
        assertArrayEquals(new long[] {2}, rows.shape(), "rows of the contiguous copy");
        assertTrue(rows.contiguous());
    }

    @Test
    void tiledGemmSplitsBatchesAndRowsPastTheGridLimitsAndOffsetsC() {
        FakeDevice small = new FakeDevice(0, 256 * MIB, new long[] {1000, 2, 3}, true);
        FakeBackend sb = new FakeBackend(small);
        Buffer a = sb.allocate(0, DType.F32, 7 * 300 * 5), b = sb.allocate(0, DType.F32, 5 * 70), c = sb.allocate(0, DType.F32, 7 * 300 * 70);
        sb.matmul(new Gemm(7, 3, 70, 5, 0, 15, 5, 1, 0, 0, 70, 1), a, b, c);
        List<long[]> grids = small.launches.stream().map(FakeDevice.Launched::grid).toList();
        assertEquals(3, grids.size());
        assertArrayEquals(new long[] {2, 1, 3}, grids.get(0));
        assertArrayEquals(new long[] {2, 1, 1}, grids.get(2));
        assertEquals(new KernelArg.Ptr(((GpuBuffer) c).handle(), 6L * 3 * 70 * 4), small.launches.get(2).args().get(13));
        assertEquals(6 * 15, small.launches.get(2).i64(4), "A's offset of the third chunk");
        small.launches.clear();
        sb.matmul(new Gemm(2, 300, 70, 5, 0, 1500, 5, 1, 0, 0, 70, 1), a, b, c);   // 5 row tiles, 2 allowed
        assertEquals(2 * 3, small.launches.size(), "per matrix: rows 0-127, 128-255, 256-299");
        FakeDevice.Launched last = small.launches.getLast();
        assertEquals(44, last.i64(0), "rows of the last chunk");
        assertEquals(1500 + 256 * 5, last.i64(4));
        assertEquals(new KernelArg.Ptr(((GpuBuffer) c).handle(), (300L + 256) * 70 * 4), last.args().get(13));
        // without limits (OpenCL) the same product is one launch over the whole grid
        FakeDevice open = new FakeDevice(0, 256 * MIB, FakeDevice.unlimited(), true);
        FakeBackend ob = new FakeBackend(open);
        Buffer oa = ob.allocate(0, DType.F32, 3000), obb = ob.allocate(0, DType.F32, 350), oc = ob.allocate(0, DType.F32, 42000);
        ob.matmul(new Gemm(2, 300, 70, 5, 0, 1500, 5, 1, 0, 0, 70, 1), oa, obb, oc);
        assertEquals(1, open.launches.size());
        assertArrayEquals(new long[] {2, 5, 2}, open.launches.get(0).grid());
        assertArrayEquals(new int[] {16, 16, 1}, open.launches.get(0).block());
        assertEquals(new KernelArg.Ptr(((GpuBuffer) oc).handle(), 0), open.launches.get(0).args().get(13));
    }

    @Test
    void gatherAndScatterCheckEveryIndexFirstAndScatterRunsOneItemPerLine() {
        Buffer x = buf(DType.F32, 24), idx = buf(DType.I64, 24), out = buf(DType.F32, 24);
        long live = be.memoryStats(0).liveBuffers();
        Layout c = Layout.contiguous(2, 3, 4);
        assertEquals(-1, be.gather(x, c, 1, idx, c, out, c));
        assertEquals(List.of("copy_fill", "index_check", "index_gather"), dev.launchedNames());
        assertEquals(4, dev.launches.getLast().i64(3), "the gathered dim's stride in x");
        assertEquals(3, dev.launches.getLast().i64(4), "and its extent");
        dev.launches.clear();
        assertEquals(-1, be.scatterAdd(out, c, 2, idx, c, x, c));
        assertEquals(List.of("copy_fill", "index_check", "index_scatter_add"), dev.launchedNames());
        FakeDevice.Launched s = dev.launches.getLast();
        assertEquals(6, s.i64(0), "2·3 lines");
        assertEquals(4, s.i64(1), "each 4 long");
        assertEquals(live, be.memoryStats(0).liveBuffers(), "the check's flag went back");
    }
}
