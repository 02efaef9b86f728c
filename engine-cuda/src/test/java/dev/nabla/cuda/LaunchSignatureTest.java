package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.gpu.GpuBuffer;
import dev.nabla.gpu.KernelArg;
import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.Gemm;
import dev.nabla.spi.Layout;
import dev.nabla.spi.RandomDist;
import dev.nabla.spi.ReduceOp;
import dev.nabla.spi.UnaryOp;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every SPI primitive, in every dtype and on contiguous, strided, broadcast and high-rank layouts,
 * run through the real host code of the CUDA backend against a recording device: each launch must
 * name a kernel the bundled PTX defines and pass exactly the parameters the PTX declares (count,
 * sizes, float or integer), with pointers into live allocations and grids inside CUDA's limits. No
 * GPU needed; what the kernels then compute is the conformance suite's business on a GPU (and runs
 * on OpenCL in CI from the same sources).
 */
class LaunchSignatureTest {
    private RecordingApi api;
    private CudaBackend be;
    private final List<Buffer> held = new ArrayList<>();

    @BeforeEach
    void setUp() {
        RecordingDevices.requireBundle();
        api = new RecordingApi(1L << 34);
        be = RecordingDevices.backend(api, 1L << 34);
    }

    private Buffer buf(DType t, int n) {
        Buffer b = be.allocate(0, t, n);
        be.copyFromHost(host(t, n), b);
        held.add(b);
        return b;
    }

    static Object host(DType t, int n) {
        return switch (t) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case BOOL -> new boolean[n];
        };
    }

    private static final Layout C = Layout.contiguous(2, 3, 4);
    private static final Layout PERMUTED = C.permute(2, 0, 1);
    private static final Layout BROADCAST = new Layout(new long[] {2, 3, 4}, new long[] {0, 4, 1}, 0);
    private static final Layout SLICED = new Layout(new long[] {2, 3, 2}, new long[] {12, 4, 2}, 1);

    private static Set<BinaryOp> binaryOps(DType t) {
        Set<BinaryOp> cmp = EnumSet.of(BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE);
        Set<BinaryOp> s = EnumSet.copyOf(cmp);
        switch (t) {
            case F32, F64 -> s.addAll(EnumSet.allOf(BinaryOp.class));
            case I32, I64 -> s.addAll(EnumSet.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.POW, BinaryOp.MAX, BinaryOp.MIN));
            case BOOL -> s.addAll(EnumSet.of(BinaryOp.ADD, BinaryOp.MUL, BinaryOp.POW, BinaryOp.MAX, BinaryOp.MIN));
        }
        return s;
    }

    @Test
    void elementwiseCastCopyAndWhereInEveryDtypeMatchThePtx() {
        Buffer cond = buf(DType.BOOL, 24);
        for (DType t : DType.values()) {
            Buffer x = buf(t, 24), y = buf(t, 24), out = buf(t, 24), bools = buf(DType.BOOL, 24);
            be.fill(x, 1.5);
            for (Layout l : List.of(C, PERMUTED, BROADCAST, SLICED)) {
                for (UnaryOp op : UnaryOp.values()) {
                    if (t == DType.BOOL || (!t.isFloating() && !op.acceptsIntegers())) continue;
                    be.unary(op, x, l, out);
                }
                for (BinaryOp op : binaryOps(t)) be.binary(op, x, l, y, C, op.isComparison() ? bools : out);
                be.where(cond, l, x, C, y, BROADCAST, out);
                for (DType to : DType.values()) {
                    Buffer o = buf(to, 24);
                    be.cast(x, l, o);
                }
                be.copy(x, l, out, PERMUTED);
            }
        }
        Set<String> names = new TreeSet<>(api.launchedNames());
        for (String n : List.of("unary_gelu", "unary_relu", "binary_pow", "binary_ge", "copy_where", "copy_strided",
                "copy_fill", "cast_to_bool", "cast_to_f64", "cast_to_i32")) {
            assertTrue(names.contains(n), n + " launched: " + names);
        }
    }

    @Test
    void reductionsTakeEachPathAndMatchThePtx() {
        for (DType t : DType.values()) {
            Buffer many = buf(t, 300 * 5), few = buf(t, 2 * 5000), deep = buf(t, 1024);
            for (ReduceOp op : ReduceOp.values()) {
                boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
                DType outT = arg || (!t.isFloating() && (op == ReduceOp.SUM || op == ReduceOp.PROD)) ? DType.I64 : t;
                int before = api.launches.size();
                be.reduce(op, many, Layout.contiguous(300, 5), 1, buf(outT, 300));
                assertEquals(arg ? "argreduce_rows" : "reduce_rows", api.launches.get(before).name());
                before = api.launches.size();
                be.reduce(op, few, Layout.contiguous(2, 5000).permute(1, 0).permute(1, 0), 1, buf(outT, 2));
                assertEquals(arg ? "argreduce_part" : "reduce_part", api.launches.get(before).name());
                assertEquals(2, api.launches.get(before).grid()[1], "one row of blocks per output");
                // rank 10, permuted: no coalescing helps, so the reduction runs on a contiguous copy
                long[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
                Layout high = Layout.contiguous(shape).permute(9, 0, 8, 1, 7, 2, 6, 3, 5, 4);
                be.reduce(op, deep, high, 3, buf(outT, 128));
            }
            be.reduce(ReduceOp.SUM, many, new Layout(new long[] {4, 0}, new long[] {0, 1}, 0), 1,
                    buf(t.isFloating() ? t : DType.I64, 4));
        }
        assertTrue(api.launchedNames().contains("reduce_final") && api.launchedNames().contains("argreduce_final"));
    }

    @Test
    void matmulWithoutCublasRunsTheSharedKernelAndSplitsGridsPastCudaLimits() {
        for (DType t : List.of(DType.F32, DType.F64, DType.I32, DType.I64)) {
            Buffer a = buf(t, 6 * 5), b = buf(t, 5 * 7), c = buf(t, 6 * 7);
            be.matmul(new Gemm(1, 6, 7, 5, 0, 0, 5, 1, 0, 0, 7, 1), a, b, c);
            be.matmul(new Gemm(1, 6, 7, 5, 0, 0, 1, 6, 0, 0, 1, 5), a, b, c);   // both transposed
        }
        assertEquals(8, api.launchedNames().stream().filter("gemm_tiled"::equals).count());
        // 70,000 products of 1×1 matrices: the grid's z extent stops at 65,535
        Buffer a = buf(DType.F32, 70_000), b = buf(DType.F32, 70_000), c = buf(DType.F32, 70_000);
        int before = api.launches.size();
        be.matmul(new Gemm(70_000, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1), a, b, c);
        List<RecordingApi.Launched> ls = api.launches.subList(before, api.launches.size());
        assertEquals(2, ls.size());
        assertEquals(65_535, ls.get(0).grid()[2]);
        assertEquals(70_000 - 65_535, ls.get(1).grid()[2]);
        assertEquals(new KernelArg.Ptr(((GpuBuffer) c).handle(), 65_535L * 4), ls.get(1).args().get(13), "C of the second chunk");
        // k = 0: C is zeros, filled, nothing multiplied
        before = api.launches.size();
        be.matmul(new Gemm(1, 6, 7, 0, 0, 0, 0, 1, 0, 0, 7, 1), a, b, c);
        assertEquals(List.of("copy_fill"), api.launchedNames().subList(before, api.launches.size()));
    }

    @Test
    void gatherScatterAndRandomMatchThePtx() {
        for (DType t : DType.values()) {
            Buffer x = buf(t, 24), out = buf(t, 24), idx = buf(DType.I64, 24);
            assertEquals(-1, be.gather(x, C, 1, idx, C, out, C));
            assertEquals(-1, be.scatterAdd(out, C, 2, idx, PERMUTED.permute(1, 2, 0), x, C));
        }
        for (DType t : List.of(DType.F32, DType.F64)) {
            for (RandomDist d : RandomDist.values()) be.random(d, buf(t, 13), 42, 7);
        }
        List<String> names = api.launchedNames();
        for (String n : List.of("index_check", "index_gather", "index_scatter_add", "random_uniform_f32",
                "random_normal_f32", "random_uniform_f64", "random_normal_f64")) {
            assertTrue(names.contains(n), n);
        }
    }

    @Test
    void sparsePrimitivesMatchThePtx() {
        Layout rowsOfSix = Layout.contiguous(4, 6);
        Layout oneThreshold = new Layout(new long[] {4}, new long[] {0}, 0);
        for (DType t : List.of(DType.F32, DType.F64)) {
            Buffer x = buf(t, 24), thr = buf(DType.I64, 4), counts = buf(DType.I64, 6), quota = buf(DType.I64, 4);
            be.sparseCount(x, rowsOfSix, false, thr, oneThreshold, counts);
            be.sparseCount(x, rowsOfSix.permute(1, 0), true, thr, new Layout(new long[] {6}, new long[] {0}, 0), counts);
            Buffer rowPtr = buf(DType.I64, 5), col = buf(DType.I64, 8), row = buf(DType.I64, 8), values = buf(t, 8);
            be.sparseCompress(x, rowsOfSix, true, thr, Layout.contiguous(4), quota, oneThreshold, rowPtr, col, row, values);
            be.sparseMatmul(4, rowPtr, col, values, buf(t, 18), Layout.contiguous(6, 3), buf(t, 12));
            be.sparseMatmul(4, rowPtr, col, values, buf(t, 6), new Layout(new long[] {6, 1}, new long[] {1, 0}, 0), buf(t, 4));
            be.sparseTranspose(4, 6, rowPtr, col, row, buf(DType.I64, 7), buf(DType.I64, 8), buf(DType.I64, 8), buf(DType.I64, 8));
        }
        List<String> names = api.launchedNames();
        for (String n : List.of("sparse_count", "sparse_compress", "sparse_matmul", "sparse_col_count", "sparse_transpose_scatter",
                "sparse_sort_segments", "sparse_transpose_finish")) {
            assertTrue(names.contains(n), n);
        }
        assertEquals(4, api.launches.stream().filter(l -> l.name().equals("sparse_count")).findFirst().orElseThrow().grid()[0],
                "one work-group per row");
    }

    @Test
    void temporariesAreReturnedAndNothingLeaks() {
        Buffer few = buf(DType.F32, 2 * 5000);
        long baseline = be.memoryStats(0).liveBuffers();
        be.reduce(ReduceOp.ARGMAX, few, Layout.contiguous(2, 5000), 1, buf(DType.I64, 2));
        be.gather(few, Layout.contiguous(2, 5000), 1, buf(DType.I64, 4), Layout.contiguous(2, 2), buf(DType.F32, 4),
                Layout.contiguous(2, 2));
        assertEquals(baseline + 3, be.memoryStats(0).liveBuffers(), "only the three buffers this test holds");
        for (Buffer b : held) be.free(b);
        assertEquals(0, be.memoryStats(0).liveBuffers());
        assertEquals(0, be.memoryStats(0).allocatedBytes());
        assertFalse(api.launches.isEmpty());
    }
}
