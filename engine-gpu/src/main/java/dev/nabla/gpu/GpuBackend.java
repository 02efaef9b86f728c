package dev.nabla.gpu;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.spi.Backend;
import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.DeviceInfo;
import dev.nabla.spi.Gemm;
import dev.nabla.spi.Layout;
import dev.nabla.spi.MemoryStats;
import dev.nabla.spi.RandomDist;
import dev.nabla.spi.ReduceOp;
import dev.nabla.spi.UnaryOp;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The backend SPI on the shared kernels, written once for every GPU backend: each call finds its
 * device, takes the device's lock, and runs the shared host code ({@link Elementwise}, reductions,
 * gather and scatter-add, Philox fills, {@link TiledGemm}) against the device's {@link
 * KernelLauncher} and {@link DeviceMemory}. A backend supplies its kind, how it discovers devices
 * (run once, on first use; a failure is kept as the reason every use then gives), and may route
 * matmul elsewhere ({@link #gemm}: CUDA's cuBLAS).
 */
public abstract class GpuBackend<D extends GpuDevice> implements Backend {
    private final Supplier<Discovered<D>> discover;
    private volatile Discovered<D> discovery;

    protected GpuBackend(Supplier<Discovered<D>> discover) {
        this.discover = discover;
    }

    /** "OpenCL", "CUDA": how messages name the kind's devices. */
    protected abstract String platformName();

    private Discovered<D> discovery() {
        Discovered<D> d = discovery;
        if (d == null) {
            synchronized (this) {
                d = discovery;
                if (d == null) {
                    d = discover.get();
                    discovery = d;
                }
            }
        }
        return d;
    }

    @Override
    public final List<DeviceInfo> probe() {
        Discovered<D> d = discovery();
        if (d.failure() != null) return List.of(DeviceInfo.unavailable(kind(), 0, d.failure()));
        List<DeviceInfo> out = new ArrayList<>();
        for (D dev : d.devices()) out.add(DeviceInfo.available(kind(), dev.index(), dev.describe()));
        return out;
    }

    /** The device at an index, or BackendUnavailableException saying why there is none. For the backend's tools and tests. */
    public final D device(int index) {
        Discovered<D> d = discovery();
        if (d.failure() != null) throw new BackendUnavailableException(kind() + ":" + index + " is unavailable: " + d.failure());
        if (index < 0 || index >= d.devices().size()) {
            StringBuilder sb = new StringBuilder(kind() + ":" + index + " does not exist; the " + platformName() + " devices are:");
            for (D dev : d.devices()) sb.append(' ').append(kind()).append(':').append(dev.index()).append(" = ").append(dev.name()).append(';');
            throw new BackendUnavailableException(sb.toString());
        }
        return d.devices().get(index);
    }

    private D device(Buffer b) { return device(b.deviceIndex()); }

    private static GpuBuffer gpu(Buffer b) { return (GpuBuffer) b; }

    @Override
    public final Set<DType> supportedDTypes(int deviceIndex) {
        Set<DType> s = EnumSet.allOf(DType.class);
        if (!device(deviceIndex).fp64()) s.remove(DType.F64);
        return s;
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public final Buffer allocate(int deviceIndex, DType dtype, long numel) {
        D dev = device(deviceIndex);
        if (dtype == DType.F64 && !dev.fp64()) {
            throw new DTypeMismatchException(dev.label() + ": F64 is not supported by this device (" + dev.fp64Missing() + ")");
        }
        return dev.allocate(dtype, numel);
    }

    @Override
    public final void free(Buffer buffer) {
        device(buffer).release(gpu(buffer));
    }

    @Override
    public final void copyFromHost(Object hostArray, Buffer dst) {
        GpuBuffer d = gpu(dst);
        if (d.numel() == 0) return;
        Object host = hostArray;
        if (hostArray instanceof boolean[] z) {
            byte[] b = new byte[(int) d.numel()];
            for (int i = 0; i < b.length; i++) b[i] = (byte) (z[i] ? 1 : 0);
            host = b;
        }
        D dev = device(d);
        synchronized (dev.lock()) { dev.memory().upload(host, d.handle(), d.bytes()); }
    }

    @Override
    public final Object copyToHost(Buffer src, long offset, long count) {
        GpuBuffer s = gpu(src);
        int n = Math.toIntExact(count);
        Object host = switch (s.dtype()) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case BOOL -> new byte[n];
        };
        if (n > 0) {
            int es = GpuBuffer.elementBytes(s.dtype());
            D dev = device(s);
            synchronized (dev.lock()) { dev.memory().download(s.handle(), offset * es, host, (long) n * es); }
        }
        if (host instanceof byte[] b) {
            boolean[] z = new boolean[n];
            for (int i = 0; i < n; i++) z[i] = b[i] != 0;
            return z;
        }
        return host;
    }

    @Override
    public final void fill(Buffer dst, double value) {
        D dev = device(dst);
        synchronized (dev.lock()) { Elementwise.fill(dev, gpu(dst), value); }
    }

    @Override
    public final void sync(int deviceIndex) {
        D dev = device(deviceIndex);
        synchronized (dev.lock()) { dev.launcher().finish(); }
    }

    @Override
    public final MemoryStats memoryStats(int deviceIndex) {
        D dev = device(deviceIndex);
        synchronized (dev.lock()) { return dev.allocator().stats(); }
    }

    /** Returns the allocator's cached blocks to the driver (memory in use is untouched). */
    public final void emptyCache(int deviceIndex) {
        D dev = device(deviceIndex);
        synchronized (dev.lock()) { dev.allocator().releaseCache(); }
    }

    // ---- compute ------------------------------------------------------------------------------

    @Override
    public final void unary(UnaryOp op, Buffer x, Layout xl, Buffer out) {
        D dev = device(x);
        synchronized (dev.lock()) { Elementwise.unary(dev, op, gpu(x), xl, gpu(out)); }
    }

    @Override
    public final void binary(BinaryOp op, Buffer a, Layout al, Buffer b, Layout bl, Buffer out) {
        D dev = device(a);
        synchronized (dev.lock()) { Elementwise.binary(dev, op, gpu(a), al, gpu(b), bl, gpu(out)); }
    }

    @Override
    public final void where(Buffer cond, Layout cl, Buffer a, Layout al, Buffer b, Layout bl, Buffer out) {
        D dev = device(a);
        synchronized (dev.lock()) { Elementwise.where(dev, gpu(cond), cl, gpu(a), al, gpu(b), bl, gpu(out)); }
    }

    @Override
    public final void cast(Buffer x, Layout xl, Buffer out) {
        D dev = device(x);
        synchronized (dev.lock()) { Elementwise.cast(dev, gpu(x), xl, gpu(out)); }
    }

    @Override
    public final void copy(Buffer x, Layout xl, Buffer out, Layout ol) {
        D dev = device(x);
        synchronized (dev.lock()) { Elementwise.copy(dev, gpu(x), xl, gpu(out), ol); }
    }

    @Override
    public final void reduce(ReduceOp op, Buffer x, Layout xl, int reducedDims, Buffer out) {
        D dev = device(x);
        synchronized (dev.lock()) { Reductions.reduce(dev, op, gpu(x), xl, reducedDims, gpu(out)); }
    }

    @Override
    public final void matmul(Gemm g, Buffer a, Buffer b, Buffer c) {
        if (g.batch() == 0 || g.m() == 0 || g.n() == 0) return;
        D dev = device(a);
        synchronized (dev.lock()) {
            if (g.k() == 0) {
                Elementwise.fill(dev, gpu(c), g.batch() * g.m() * g.n(), 0);   // a sum of no terms
            } else {
                gemm(dev, g, gpu(a), gpu(b), gpu(c));
            }
        }
    }

    /** A product with every size above 0, under the device's lock: the shared tiled kernel unless a backend has better. */
    protected void gemm(D dev, Gemm g, GpuBuffer a, GpuBuffer b, GpuBuffer c) {
        TiledGemm.run(dev, g, a, b, c);
    }

    @Override
    public final long gather(Buffer x, Layout xl, int dim, Buffer index, Layout il, Buffer out, Layout ol) {
        D dev = device(x);
        synchronized (dev.lock()) { return Indexing.gather(dev, gpu(x), xl, dim, gpu(index), il, gpu(out), ol); }
    }

    @Override
    public final long scatterAdd(Buffer out, Layout ol, int dim, Buffer index, Layout il, Buffer src, Layout sl) {
        D dev = device(out);
        synchronized (dev.lock()) { return Indexing.scatterAdd(dev, gpu(out), ol, dim, gpu(index), il, gpu(src), sl); }
    }

    @Override
    public final void sparseCount(Buffer x, Layout xl, boolean magnitude, Buffer thresholds, Layout tl, Buffer counts) {
        D dev = device(x);
        synchronized (dev.lock()) { Sparse.count(dev, gpu(x), xl, magnitude, gpu(thresholds), tl, gpu(counts)); }
    }

    @Override
    public final void sparseCompress(Buffer x, Layout xl, boolean magnitude, Buffer thresholds, Layout tl, Buffer quota,
                                     Layout ql, Buffer rowPtr, Buffer colIdx, Buffer rowIdx, Buffer values) {
        D dev = device(x);
        synchronized (dev.lock()) {
            Sparse.compress(dev, gpu(x), xl, magnitude, gpu(thresholds), tl, gpu(quota), ql, gpu(rowPtr), gpu(colIdx),
                    gpu(rowIdx), gpu(values));
        }
    }

    @Override
    public final void sparseMatmul(long rows, Buffer rowPtr, Buffer colIdx, Buffer values, Buffer b, Layout bl, Buffer out) {
        D dev = device(values);
        synchronized (dev.lock()) { Sparse.matmul(dev, rows, gpu(rowPtr), gpu(colIdx), gpu(values), gpu(b), bl, gpu(out)); }
    }

    @Override
    public final void sparseTranspose(long rows, long cols, Buffer rowPtr, Buffer colIdx, Buffer rowIdx, Buffer tRowPtr,
                                      Buffer tColIdx, Buffer tRowIdx, Buffer perm) {
        D dev = device(colIdx);
        synchronized (dev.lock()) {
            Sparse.transpose(dev, rows, cols, gpu(rowPtr), gpu(colIdx), gpu(rowIdx), gpu(tRowPtr), gpu(tColIdx), gpu(tRowIdx),
                    gpu(perm));
        }
    }

    @Override
    public final void random(RandomDist dist, Buffer out, long seed, long offset) {
        D dev = device(out);
        synchronized (dev.lock()) { RandomFill.fill(dev, dist, gpu(out), seed, offset); }
    }
}
