package dev.nabla.cpu;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;
import dev.nabla.OutOfMemoryException;
import dev.nabla.spi.Backend;
import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.DeviceInfo;
import dev.nabla.spi.Gemm;
import dev.nabla.spi.Layout;
import dev.nabla.spi.MemoryStats;
import dev.nabla.spi.Philox;
import dev.nabla.spi.RandomDist;
import dev.nabla.spi.ReduceOp;
import dev.nabla.spi.UnaryOp;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CPU backend: Java arrays as buffers, Vector API kernels, a packed GEMM, and a thread pool.
 * Registered in {@code META-INF/services/dev.nabla.spi.Backend}.
 */
public final class CpuBackend implements Backend {

    /** Elements per random-fill task: Philox costs ~4 ns per element, so this amortizes a hand-off. */
    private static final long RANDOM_GRAIN = 1 << 16;

    private final AtomicLong liveBuffers = new AtomicLong();
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();
    private final ArrayCache cache = new ArrayCache(ArrayCache.defaultCapacity());

    @Override public String kind() { return "cpu"; }

    @Override
    public List<DeviceInfo> probe() {
        String desc = Runtime.getRuntime().availableProcessors() + " cores, " + Parallel.threads() + " threads, "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors (Java Vector API), "
                + System.getProperty("os.arch");
        return List.of(DeviceInfo.available("cpu", 0, desc));
    }

    @Override
    public Set<DType> supportedDTypes(int deviceIndex) { return EnumSet.allOf(DType.class); }

    private static CpuBuffer cpu(Buffer b) { return (CpuBuffer) b; }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Buffer allocate(int deviceIndex, DType dtype, long numel) {
        if (deviceIndex != 0) throw new BackendUnavailableException("cpu: there is one cpu device, not cpu:" + deviceIndex);
        long bytes = numel * dtype.byteSize();
        if (numel > Integer.MAX_VALUE - 8) throw oom(bytes, "a Java array holds at most 2^31 - 9 elements");
        CpuBuffer b = new CpuBuffer(dtype, (int) numel, newOrCachedArray(dtype, (int) numel, bytes));
        liveBuffers.incrementAndGet();
        long now = allocatedBytes.addAndGet(bytes);
        peakBytes.accumulateAndGet(now, Math::max);
        return b;
    }

    /** A cached array of the size, else a new one; on heap exhaustion the cache goes first, then one retry. */
    private Object newOrCachedArray(DType dtype, int numel, long bytes) {
        Object reused = cache.take(dtype, numel);
        if (reused != null) return reused;
        try {
            return CpuBuffer.newArray(dtype, numel);
        } catch (OutOfMemoryError first) {
            cache.clear();
            try {
                return CpuBuffer.newArray(dtype, numel);
            } catch (OutOfMemoryError e) {
                throw oom(bytes, "the Java heap is exhausted");
            }
        }
    }

    private OutOfMemoryException oom(long requested, String why) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return new OutOfMemoryException("cpu: cannot allocate " + requested + " bytes (" + why + "): free "
                + free + ", total " + rt.maxMemory() + ", in use " + allocatedBytes.get() + ", cached " + cache.cachedBytes() + " bytes");
    }

    @Override
    public void free(Buffer buffer) {
        CpuBuffer b = cpu(buffer);
        liveBuffers.decrementAndGet();
        allocatedBytes.addAndGet(-b.byteSize());
        cache.give(b.dtype, b.array, b.numel);
    }

    @Override
    public void copyFromHost(Object hostArray, Buffer dst) {
        CpuBuffer d = cpu(dst);
        System.arraycopy(hostArray, 0, d.array, 0, d.numel);
    }

    @Override
    public Object copyToHost(Buffer src, long offset, long count) {
        CpuBuffer s = cpu(src);
        int from = (int) offset, to = (int) (offset + count);
        return switch (s.dtype) {
            case F32 -> Arrays.copyOfRange(s.f32(), from, to);
            case F64 -> Arrays.copyOfRange(s.f64(), from, to);
            case I32 -> Arrays.copyOfRange(s.i32(), from, to);
            case I64 -> Arrays.copyOfRange(s.i64(), from, to);
            case BOOL -> Arrays.copyOfRange(s.bool(), from, to);
        };
    }

    @Override
    public void fill(Buffer dst, double value) { CopyKernels.fill(cpu(dst), value); }

    @Override
    public void sync(int deviceIndex) {
        // every CPU call completes before it returns
    }

    @Override
    public MemoryStats memoryStats(int deviceIndex) {
        return new MemoryStats(liveBuffers.get(), allocatedBytes.get(), peakBytes.get(), cache.cachedBytes(),
                Runtime.getRuntime().maxMemory());
    }

    // ---- compute ------------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, Buffer x, Layout xl, Buffer out) {
        UnaryKernels.apply(op, cpu(x), xl, cpu(out));
    }

    @Override
    public void binary(BinaryOp op, Buffer a, Layout al, Buffer b, Layout bl, Buffer out) {
        BinaryKernels.apply(op, cpu(a), al, cpu(b), bl, cpu(out));
    }

    @Override
    public void where(Buffer cond, Layout cl, Buffer a, Layout al, Buffer b, Layout bl, Buffer out) {
        CopyKernels.where(cpu(cond), cl, cpu(a), al, cpu(b), bl, cpu(out));
    }

    @Override
    public void cast(Buffer x, Layout xl, Buffer out) { CopyKernels.cast(cpu(x), xl, cpu(out)); }

    @Override
    public void copy(Buffer x, Layout xl, Buffer out, Layout ol) { CopyKernels.copy(cpu(x), xl, cpu(out), ol); }

    @Override
    public void reduce(ReduceOp op, Buffer x, Layout xl, int reducedDims, Buffer out) {
        ReduceKernels.reduce(op, cpu(x), xl, reducedDims, cpu(out));
    }

    @Override
    public void matmul(Gemm g, Buffer a, Buffer b, Buffer c) {
        int batch = (int) g.batch(), m = (int) g.m(), n = (int) g.n(), k = (int) g.k();
        CpuBuffer ca = cpu(a), cb = cpu(b), cc = cpu(c);
        switch (ca.dtype) {
            case F32 -> GemmKernel.sgemm(batch, m, n, k, ca.f32(), g.aOffset(), g.aBatchStride(), g.aRowStride(), g.aColStride(),
                    cb.f32(), g.bOffset(), g.bBatchStride(), g.bRowStride(), g.bColStride(), cc.f32(), 0);
            case F64 -> GemmKernel.dgemm(batch, m, n, k, ca.f64(), g.aOffset(), g.aBatchStride(), g.aRowStride(), g.aColStride(),
                    cb.f64(), g.bOffset(), g.bBatchStride(), g.bRowStride(), g.bColStride(), cc.f64(), 0);
            case I32 -> GemmKernel.igemm(batch, m, n, k, ca.i32(), g.aOffset(), g.aBatchStride(), g.aRowStride(), g.aColStride(),
                    cb.i32(), g.bOffset(), g.bBatchStride(), g.bRowStride(), g.bColStride(), cc.i32(), 0);
            case I64 -> GemmKernel.lgemm(batch, m, n, k, ca.i64(), g.aOffset(), g.aBatchStride(), g.aRowStride(), g.aColStride(),
                    cb.i64(), g.bOffset(), g.bBatchStride(), g.bRowStride(), g.bColStride(), cc.i64(), 0);
            case BOOL -> throw new IllegalArgumentException("cpu matmul: BOOL reached the backend");
        }
    }

    @Override
    public long gather(Buffer x, Layout xl, int dim, Buffer index, Layout il, Buffer out, Layout ol) {
        return IndexKernels.gather(cpu(x), xl, dim, cpu(index), il, cpu(out), ol);
    }

    @Override
    public long scatterAdd(Buffer out, Layout ol, int dim, Buffer index, Layout il, Buffer src, Layout sl) {
        return IndexKernels.scatterAdd(cpu(out), ol, dim, cpu(index), il, cpu(src), sl);
    }

    @Override
    public boolean softmax(Buffer x, Layout xl, Buffer out, boolean log) {
        SoftmaxKernels.softmax(cpu(x), xl, cpu(out), log);
        return true;
    }

    @Override
    public void sparseCount(Buffer x, Layout xl, boolean magnitude, Buffer thresholds, Layout tl, Buffer counts) {
        SparseKernels.count(cpu(x), xl, magnitude, cpu(thresholds), tl, cpu(counts));
    }

    @Override
    public void sparseCompress(Buffer x, Layout xl, boolean magnitude, Buffer thresholds, Layout tl, Buffer quota, Layout ql,
                               Buffer rowPtr, Buffer colIdx, Buffer rowIdx, Buffer values) {
        SparseKernels.compress(cpu(x), xl, magnitude, cpu(thresholds), tl, cpu(quota), ql, cpu(rowPtr), cpu(colIdx),
                cpu(rowIdx), cpu(values));
    }

    @Override
    public void sparseMatmul(long rows, Buffer rowPtr, Buffer colIdx, Buffer values, Buffer b, Layout bl, Buffer out) {
        SparseKernels.matmul(rows, cpu(rowPtr), cpu(colIdx), cpu(values), cpu(b), bl, cpu(out));
    }

    @Override
    public void sparseTranspose(long rows, long cols, Buffer rowPtr, Buffer colIdx, Buffer rowIdx, Buffer tRowPtr,
                                Buffer tColIdx, Buffer tRowIdx, Buffer perm) {
        SparseKernels.transpose(rows, cols, cpu(rowPtr), cpu(colIdx), cpu(rowIdx), cpu(tRowPtr), cpu(tColIdx), cpu(tRowIdx),
                cpu(perm));
    }

    @Override
    public void random(RandomDist dist, Buffer out, long seed, long offset) {
        CpuBuffer o = cpu(out);
        // chunks start on multiples of 4 so no Philox block is split between threads needlessly
        long grain = RANDOM_GRAIN;
        Parallel.forRange((o.numel + 3) / 4, grain / 4, (from, to) -> {
            int a = (int) (from * 4), b = (int) Math.min(o.numel, to * 4);
            switch (o.dtype) {
                case F32 -> {
                    if (dist == RandomDist.UNIFORM) Philox.uniformF32(seed, offset, o.f32(), a, b);
                    else Philox.normalF32(seed, offset, o.f32(), a, b);
                }
                case F64 -> {
                    if (dist == RandomDist.UNIFORM) Philox.uniformF64(seed, offset, o.f64(), a, b);
                    else Philox.normalF64(seed, offset, o.f64(), a, b);
                }
                default -> throw new IllegalArgumentException("cpu random: " + o.dtype + " reached the backend");
            }
        });
    }
}
