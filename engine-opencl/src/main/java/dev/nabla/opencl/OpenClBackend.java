package dev.nabla.opencl;

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
import org.jocl.Pointer;
import org.jocl.cl_mem;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;

/**
 * The OpenCL backend: every device of every OpenCL platform (through JOCL and the system's ICD
 * loader), running the kernels module's sources compiled at run time. Registered in
 * {@code META-INF/services/dev.nabla.spi.Backend}. Without an ICD loader or a platform it still
 * loads, and {@link #probe()} says why there is no device; using one then throws
 * {@link BackendUnavailableException} with that reason.
 *
 * <pre>{@code
 * Tensor x = Tensor.ones(DType.F32, Device.opencl(0), 1024).mul(2.0);   // on the first OpenCL device
 * }</pre>
 */
public final class OpenClBackend implements Backend {
    private volatile Discovery discovery;

    @Override public String kind() { return "opencl"; }

    private Discovery discovery() {
        Discovery d = discovery;
        if (d == null) {
            synchronized (this) {
                d = discovery;
                if (d == null) {
                    d = Discovery.run();
                    discovery = d;
                }
            }
        }
        return d;
    }

    @Override
    public List<DeviceInfo> probe() {
        Discovery d = discovery();
        if (d.failure() != null) return List.of(DeviceInfo.unavailable("opencl", 0, d.failure()));
        List<DeviceInfo> out = new ArrayList<>();
        for (OpenClDevice dev : d.devices()) out.add(DeviceInfo.available("opencl", dev.index, dev.info.describe()));
        return out;
    }

    /** The device at an index, or BackendUnavailableException saying why there is none. */
    OpenClDevice device(int index) {
        Discovery d = discovery();
        if (d.failure() != null) throw new BackendUnavailableException("opencl:" + index + " is unavailable: " + d.failure());
        if (index < 0 || index >= d.devices().size()) {
            StringBuilder sb = new StringBuilder("opencl:" + index + " does not exist; the OpenCL devices are:");
            for (OpenClDevice dev : d.devices()) sb.append(" opencl:").append(dev.index).append(" = ").append(dev.info.name()).append(';');
            throw new BackendUnavailableException(sb.toString());
        }
        return d.devices().get(index);
    }

    private OpenClDevice device(Buffer b) { return device(b.deviceIndex()); }

    private static OpenClBuffer cl(Buffer b) { return (OpenClBuffer) b; }

    @Override
    public Set<DType> supportedDTypes(int deviceIndex) {
        Set<DType> s = EnumSet.allOf(DType.class);
        if (!device(deviceIndex).info.fp64()) s.remove(DType.F64);
        return s;
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Buffer allocate(int deviceIndex, DType dtype, long numel) {
        OpenClDevice dev = device(deviceIndex);
        if (dtype == DType.F64 && !dev.info.fp64()) {
            throw new DTypeMismatchException(dev.label() + ": F64 is not supported by this device (no cl_khr_fp64)");
        }
        return allocateOn(dev, dtype, numel);
    }

    OpenClBuffer allocateOn(OpenClDevice dev, DType dtype, long numel) {
        long bytes = Math.multiplyExact(numel, (long) OpenClBuffer.elementBytes(dtype));
        long[] cls = new long[1];
        synchronized (dev.lock) {
            cl_mem m = dev.allocator().allocate(bytes, numel + " " + dtype + " elements (" + bytes + " bytes)", cls);
            return new OpenClBuffer(dtype, numel, dev.index, m, cls[0]);
        }
    }

    @Override
    public void free(Buffer buffer) {
        release(cl(buffer));
    }

    void release(OpenClBuffer b) {
        OpenClDevice dev = device(b.device);
        synchronized (dev.lock) {
            if (b.freed) throw new IllegalStateException("opencl: " + b + " freed twice");
            b.freed = true;
            dev.allocator().release(b.mem, b.bucketBytes);
        }
    }

    @Override
    public void copyFromHost(Object hostArray, Buffer dst) {
        OpenClBuffer d = cl(dst);
        if (d.numel == 0) return;
        long bytes = d.numel * OpenClBuffer.elementBytes(d.dtype);
        Pointer p = switch (d.dtype) {
            case F32 -> Pointer.to((float[]) hostArray);
            case F64 -> Pointer.to((double[]) hostArray);
            case I32 -> Pointer.to((int[]) hostArray);
            case I64 -> Pointer.to((long[]) hostArray);
            case BOOL -> {
                boolean[] z = (boolean[]) hostArray;
                byte[] b = new byte[(int) d.numel];
                for (int i = 0; i < b.length; i++) b[i] = (byte) (z[i] ? 1 : 0);
                yield Pointer.to(b);
            }
        };
        OpenClDevice dev = device(d);
        synchronized (dev.lock) {
            clEnqueueWriteBuffer(dev.queue(), d.mem, CL_TRUE, 0, bytes, p, 0, null, null);
        }
    }

    @Override
    public Object copyToHost(Buffer src, long offset, long count) {
        OpenClBuffer s = cl(src);
        int n = Math.toIntExact(count);
        Object host = switch (s.dtype) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
            case BOOL -> new byte[n];
        };
        if (n > 0) {
            int es = OpenClBuffer.elementBytes(s.dtype);
            Pointer p = switch (host) {
                case float[] f -> Pointer.to(f);
                case double[] f -> Pointer.to(f);
                case int[] f -> Pointer.to(f);
                case long[] f -> Pointer.to(f);
                default -> Pointer.to((byte[]) host);
            };
            OpenClDevice dev = device(s);
            synchronized (dev.lock) {
                clEnqueueReadBuffer(dev.queue(), s.mem, CL_TRUE, offset * es, (long) n * es, p, 0, null, null);
            }
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
        OpenClDevice dev = device(dst);
        synchronized (dev.lock) { ElementwiseCl.fill(dev, cl(dst), value); }
    }

    @Override
    public void sync(int deviceIndex) {
        OpenClDevice dev = device(deviceIndex);
        synchronized (dev.lock) { clFinish(dev.queue()); }
    }

    @Override
    public MemoryStats memoryStats(int deviceIndex) {
        OpenClDevice dev = device(deviceIndex);
        synchronized (dev.lock) { return dev.allocator().stats(); }
    }

    /** Returns the allocator's cached buffers to the driver (memory in use is untouched). */
    public void emptyCache(int deviceIndex) {
        OpenClDevice dev = device(deviceIndex);
        synchronized (dev.lock) { dev.allocator().releaseCache(); }
    }

    // ---- compute ------------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, Buffer x, Layout xl, Buffer out) {
        OpenClDevice dev = device(x);
        synchronized (dev.lock) { ElementwiseCl.unary(dev, op, cl(x), xl, cl(out)); }
    }

    @Override
    public void binary(BinaryOp op, Buffer a, Layout al, Buffer b, Layout bl, Buffer out) {
        OpenClDevice dev = device(a);
        synchronized (dev.lock) { ElementwiseCl.binary(dev, op, cl(a), al, cl(b), bl, cl(out)); }
    }

    @Override
    public void where(Buffer cond, Layout cl, Buffer a, Layout al, Buffer b, Layout bl, Buffer out) {
        OpenClDevice dev = device(a);
        synchronized (dev.lock) { ElementwiseCl.where(dev, cl(cond), cl, cl(a), al, cl(b), bl, cl(out)); }
    }

    @Override
    public void cast(Buffer x, Layout xl, Buffer out) {
        OpenClDevice dev = device(x);
        synchronized (dev.lock) { ElementwiseCl.cast(dev, cl(x), xl, cl(out)); }
    }

    @Override
    public void copy(Buffer x, Layout xl, Buffer out, Layout ol) {
        OpenClDevice dev = device(x);
        synchronized (dev.lock) { ElementwiseCl.copy(dev, cl(x), xl, cl(out), ol); }
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, Layout xl, int reducedDims, Buffer out) {
        OpenClDevice dev = device(x);
        synchronized (dev.lock) { ReduceCl.reduce(this, dev, op, cl(x), xl, reducedDims, cl(out)); }
    }

    @Override
    public void matmul(Gemm g, Buffer a, Buffer b, Buffer c) {
        OpenClDevice dev = device(a);
        synchronized (dev.lock) { GemmCl.matmul(dev, g, cl(a), cl(b), cl(c)); }
    }

    @Override
    public long gather(Buffer x, Layout xl, int dim, Buffer index, Layout il, Buffer out, Layout ol) {
        OpenClDevice dev = device(x);
        synchronized (dev.lock) { return IndexCl.gather(this, dev, cl(x), xl, dim, cl(index), il, cl(out), ol); }
    }

    @Override
    public long scatterAdd(Buffer out, Layout ol, int dim, Buffer index, Layout il, Buffer src, Layout sl) {
        OpenClDevice dev = device(out);
        synchronized (dev.lock) { return IndexCl.scatterAdd(this, dev, cl(out), ol, dim, cl(index), il, cl(src), sl); }
    }

    @Override
    public void random(RandomDist dist, Buffer out, long seed, long offset) {
        OpenClDevice dev = device(out);
        synchronized (dev.lock) { RandomCl.fill(dev, dist, cl(out), seed, offset); }
    }
}
