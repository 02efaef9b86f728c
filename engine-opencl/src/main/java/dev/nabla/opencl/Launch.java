package dev.nabla.opencl;

import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.Layout;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clSetKernelArg;

/**
 * One kernel launch: arguments in order, then the range. Callers hold the device's lock from the
 * first argument to the enqueue. A {@link Layout} argument is packed as the kernels' {@code Lay}
 * struct (common.h): shape[8], stride[8], offset (i64 each), rank, contiguous (i32 each).
 *
 * <pre>{@code
 * Launch.of(dev, KernelFamily.COPY, KernelType.F32, "copy_fill").i64(n).scalar(DType.F32, 1.0).buf(out).run(n);
 * }</pre>
 */
final class Launch {
    /** Work-group size of one-dimensional launches (and of the reduction kernels' RED_WG). */
    static final int WG = 256;
    static final int MAX_RANK = 8;
    private static final int LAY_BYTES = 8 * MAX_RANK * 2 + 8 + 4 + 4;

    private final OpenClDevice dev;
    private final cl_kernel kernel;
    private int arg;

    private Launch(OpenClDevice dev, cl_kernel kernel) {
        this.dev = dev;
        this.kernel = kernel;
    }

    static Launch of(OpenClDevice dev, KernelFamily family, KernelType type, String name) {
        return new Launch(dev, dev.kernel(family, type, name));
    }

    /** The kernels' variant of a dtype. */
    static KernelType type(DType t) {
        return switch (t) {
            case F32 -> KernelType.F32;
            case F64 -> KernelType.F64;
            case I32 -> KernelType.I32;
            case I64 -> KernelType.I64;
            case BOOL -> KernelType.BOOL;
        };
    }

    Launch i64(long v) {
        clSetKernelArg(kernel, arg++, Sizeof.cl_long, Pointer.to(new long[] {v}));
        return this;
    }

    Launch i32(int v) {
        clSetKernelArg(kernel, arg++, Sizeof.cl_int, Pointer.to(new int[] {v}));
        return this;
    }

    Launch buf(OpenClBuffer b) {
        return mem(b.mem);
    }

    Launch mem(cl_mem m) {
        clSetKernelArg(kernel, arg++, Sizeof.cl_mem, Pointer.to(m));
        return this;
    }

    /** A value of type T (the kernel's element type), converted as Java casts (BOOL: nonzero). */
    Launch scalar(DType t, double v) {
        switch (t) {
            case F32 -> clSetKernelArg(kernel, arg++, Sizeof.cl_float, Pointer.to(new float[] {(float) v}));
            case F64 -> clSetKernelArg(kernel, arg++, Sizeof.cl_double, Pointer.to(new double[] {v}));
            case I32 -> clSetKernelArg(kernel, arg++, Sizeof.cl_int, Pointer.to(new int[] {(int) v}));
            case I64 -> clSetKernelArg(kernel, arg++, Sizeof.cl_long, Pointer.to(new long[] {(long) v}));
            case BOOL -> clSetKernelArg(kernel, arg++, Sizeof.cl_uchar, Pointer.to(new byte[] {(byte) (v != 0 ? 1 : 0)}));
        }
        return this;
    }

    /** A layout of rank at most {@link #MAX_RANK}. */
    Launch lay(Layout l) {
        if (l.rank() > MAX_RANK) throw new IllegalArgumentException("opencl: layout of rank " + l.rank() + " reached a kernel");
        ByteBuffer b = ByteBuffer.allocate(LAY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long[] sh = l.shape(), st = l.strides();
        for (int i = 0; i < MAX_RANK; i++) b.putLong(i < sh.length ? sh[i] : 1);
        for (int i = 0; i < MAX_RANK; i++) b.putLong(i < st.length ? st[i] : 0);
        b.putLong(l.offset());
        b.putInt(l.rank());
        b.putInt(l.isContiguous() ? 1 : 0);
        clSetKernelArg(kernel, arg++, LAY_BYTES, Pointer.to(b.array()));
        return this;
    }

    /** n work items in groups of {@link #WG}. */
    void run(long n) {
        long global = (n + WG - 1) / WG * WG;
        clEnqueueNDRangeKernel(dev.queue(), kernel, 1, null, new long[] {global}, new long[] {WG}, 0, null, null);
    }

    /** An explicit range (global sizes are multiples of the local ones). */
    void run(long[] global, long[] local) {
        clEnqueueNDRangeKernel(dev.queue(), kernel, global.length, null, global, local, 0, null, null);
    }
}
