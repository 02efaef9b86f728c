package dev.nabla.cuda;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;
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
 * The CUDA backend: every GPU the NVIDIA driver reports, through JCuda's driver API (a primary
 * context and one stream per device), running the kernels module's sources (bundled PTX and cubins,
 * else NVRTC) and cuBLAS for F32/F64 matmul. Registered in {@code META-INF/services}. Without an
 * NVIDIA driver it still loads, and {@link #probe()} says why there is no device; using one then
 * throws {@link BackendUnavailableException} with that reason. {@code -Dnabla.cuda.gemm=kernel}
 * runs matmul on the shared GEMM kernel even where cuBLAS is present.
 *
 * <pre>{@code
 * Tensor x = Tensor.ones(DType.F32, Device.cuda(0), 1024).mul(2.0);   // on the first GPU
 * }</pre>
 */
public final class CudaBackend implements Backend {
    private static final boolean KERNEL_GEMM = "kernel".equals(System.getProperty("nabla.cuda.gemm"));

    private final Supplier<Discovery> discover;
    private volatile Discovery discovery;

    public CudaBackend() { this(Discovery::standard); }

    /** A backend over given devices (the tests' recording devices). */
    CudaBackend(Supplier<Discovery> discover) { this.discover = discover; }

    @Override public String kind() { return "cuda"; }

    private Discovery discovery() {
        Discovery d = discovery;
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
    public List<DeviceInfo> probe() {
        Discovery d = discovery();
        if (d.failure() != null) return List.of(DeviceInfo.unavailable("cuda", 0, d.failure()));
        List<DeviceInfo> out = new ArrayList<>();
        for (CudaDevice dev : d.devices()) out.add(DeviceInfo.available("cuda", dev.index, dev.info.describe()));
        return out;
    }

    /** The device at an index, or BackendUnavailableException saying why there is none. */
    CudaDevice device(int index) {
        Discovery d = discovery();
        if (d.failure() != null) throw new BackendUnavailableException("cuda:" + index + " is unavailable: " + d.failure());
        if (index < 0 || index >= d.devices().size()) {
            StringBuilder sb = new StringBuilder("cuda:" + index + " does not exist; the CUDA devices are:");
            for (CudaDevice dev : d.devices()) sb.append(" cuda:").append(dev.index).append(" = ").append(dev.info.name()).append(';');
            throw new BackendUnavailableException(sb.toString());
        }
        return d.devices().get(index);
    }

    private CudaDevice device(Buffer b) { return device(b.deviceIndex()); }

    private static CudaBuffer cu(Buffer b) { return (CudaBuffer) b; }

    @Override
    public Set<DType> supportedDTypes(int deviceIndex) {
        device(deviceIndex);
        return EnumSet.allOf(DType.class);   // every CUDA GPU computes in float64
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Buffer allocate(int deviceIndex, DType dtype, long numel) {
        return allocateOn(device(deviceIndex), dtype, numel);
    }

    CudaBuffer allocateOn(CudaDevice dev, DType dtype, long numel) {
        long bytes = Math.multiplyExact(numel, (long) CudaBuffer.elementBytes(dtype));
        long[] cls = new long[1];
        synchronized (dev.lock) {
            Object p = dev.allocator().allocate(bytes, numel + " " + dtype + " elements (" + bytes + " bytes)", cls);
            return new CudaBuffer(dtype, numel, dev.index, p, cls[0]);
        }
    }

    @Override
    public void free(Buffer buffer) {
        release(cu(buffer));
    }

    void release(CudaBuffer b) {
        CudaDevice dev = device(b.device);
        synchronized (dev.lock) {
            if (b.freed) throw new IllegalStateException("cuda: " + b + " freed twice");
            b.freed = true;
            dev.allocator().release(b.ptr, b.bucketBytes);
        }
    }

    @Override
    public void copyFromHost(Object hostArray, Buffer dst) {
        CudaBuffer d = cu(dst);
        if (d.numel == 0) return;
        long bytes = d.numel * CudaBuffer.elementBytes(d.dtype);
        Object host = hostArray;
        if (hostArray instanceof boolean[] z) {
            byte[] b = new byte[(int) d.numel];
            for (int i = 0; i < b.length; i++) b[i] = (byte) (z[i] ? 1 : 0);
            host = b;
        }
        CudaDevice dev = device(d);
        synchronized (dev.lock) { dev.api.upload(host, d.ptr, bytes); }
    }

    @Override
    public Object copyToHost(Buffer src, long offset, long count) {
        CudaBuffer s = cu(src);
        int n = Math.toIntExact(count);
        Object host = switch (s.dtype) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case BOOL -> new byte[n];
        };
        if (n > 0) {
            int es = CudaBuffer.elementBytes(s.dtype);
            CudaDevice dev = device(s);
            synchronized (dev.lock) { dev.api.download(s.ptr, offset * es, host, (long) n * es); }
        }
        if (host instanceof byte[] b) {
            boolean[] z = new boolean[n];
            for (int i = 0; i < n; i++) z[i] = b[i] != 0;
            return z;
        }
        return host;
    }

    @Override
    public void fill(Buffer dst, double value) {
        CudaDevice dev = device(dst);
        synchronized (dev.lock) { ElementwiseCu.fill(dev, cu(dst), value); }
    }

    @Override
    public void sync(int deviceIndex) {
        CudaDevice dev = device(deviceIndex);
        synchronized (dev.lock) { dev.api.synchronize(); }
    }

    @Override
    public MemoryStats memoryStats(int deviceIndex) {
        CudaDevice dev = device(deviceIndex);
        synchronized (dev.lock) { return dev.allocator().stats(); }
    }

    /** Returns the allocator's cached blocks to the driver (memory in use is untouched). */
    public void emptyCache(int deviceIndex) {
        CudaDevice dev = device(deviceIndex);
        synchronized (dev.lock) { dev.allocator().releaseCache(); }
    }

    // ---- compute ------------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, Buffer x, Layout xl, Buffer out) {
        CudaDevice dev = device(x);
        synchronized (dev.lock) { ElementwiseCu.unary(dev, op, cu(x), xl, cu(out)); }
    }

    @Override
    public void binary(BinaryOp op, Buffer a, Layout al, Buffer b, Layout bl, Buffer out) {
        CudaDevice dev = device(a);
        synchronized (dev.lock) { ElementwiseCu.binary(dev, op, cu(a), al, cu(b), bl, cu(out)); }
    }

    @Override
    public void where(Buffer cond, Layout cl, Buffer a, Layout al, Buffer b, Layout bl, Buffer out) {
        CudaDevice dev = device(a);
        synchronized (dev.lock) { ElementwiseCu.where(dev, cu(cond), cl, cu(a), al, cu(b), bl, cu(out)); }
    }

    @Override
    public void cast(Buffer x, Layout xl, Buffer out) {
        CudaDevice dev = device(x);
        synchronized (dev.lock) { ElementwiseCu.cast(dev, cu(x), xl, cu(out)); }
    }

    @Override
    public void copy(Buffer x, Layout xl, Buffer out, Layout ol) {
        CudaDevice dev = device(x);
        synchronized (dev.lock) { ElementwiseCu.copy(dev, cu(x), xl, cu(out), ol); }
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, Layout xl, int reducedDims, Buffer out) {
        CudaDevice dev = device(x);
        synchronized (dev.lock) { ReduceCu.reduce(this, dev, op, cu(x), xl, reducedDims, cu(out)); }
    }

    @Override
    public void matmul(Gemm g, Buffer a, Buffer b, Buffer c) {
        CudaDevice dev = device(a);
        synchronized (dev.lock) { GemmCu.matmul(this, dev, g, cu(a), cu(b), cu(c), !KERNEL_GEMM); }
    }

    @Override
    public long gather(Buffer x, Layout xl, int dim, Buffer index, Layout il, Buffer out, Layout ol) {
        CudaDevice dev = device(x);
        synchronized (dev.lock) { return IndexCu.gather(this, dev, cu(x), xl, dim, cu(index), il, cu(out), ol); }
    }

    @Override
    public long scatterAdd(Buffer out, Layout ol, int dim, Buffer index, Layout il, Buffer src, Layout sl) {
        CudaDevice dev = device(out);
        synchronized (dev.lock) { return IndexCu.scatterAdd(this, dev, cu(out), ol, dim, cu(index), il, cu(src), sl); }
    }

    @Override
    public void random(RandomDist dist, Buffer out, long seed, long offset) {
        CudaDevice dev = device(out);
        synchronized (dev.lock) { RandomCu.fill(dev, dist, cu(out), seed, offset); }
    }
}
