package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import dev.nabla.spi.Layout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One kernel launch: arguments in the kernel's order, then the grid. Callers hold the device's
 * lock. A {@link Layout} argument is packed as the kernels' {@code Lay} struct (common.h), passed by
 * value: shape[8], stride[8], offset (i64 each), rank, contiguous (i32 each), 144 bytes. Unlike
 * OpenCL's global sizes, CUDA grids count blocks, and their y and z extents stop at 65535: callers
 * whose second or third extent could pass it split the work.
 *
 * <pre>{@code
 * Launch.of(dev, KernelFamily.COPY, KernelType.F32, "copy_fill").i64(n).scalar(DType.F32, 1.0).buf(out).run(n);
 * }</pre>
 */
final class Launch {
    /** Threads per block of one-dimensional launches (and the reduction kernels' RED_WG). */
    static final int WG = 256;
    static final int MAX_RANK = 8;
    static final int LAY_BYTES = 8 * MAX_RANK * 2 + 8 + 4 + 4;
    static final long MAX_GRID_X = Integer.MAX_VALUE;
    static final long MAX_GRID_YZ = 65535;

    private final CudaDevice dev;
    private final Object function;
    private final String name;
    private final List<KernelArg> args = new ArrayList<>();

    private Launch(CudaDevice dev, Object function, String name) {
        this.dev = dev;
        this.function = function;
        this.name = name;
    }

    static Launch of(CudaDevice dev, KernelFamily family, KernelType type, String name) {
        return new Launch(dev, dev.kernel(family, type, name), name);
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
        args.add(new KernelArg.I64(v));
        return this;
    }

    Launch i32(int v) {
        args.add(new KernelArg.I32(v));
        return this;
    }

    Launch buf(CudaBuffer b) {
        return buf(b, 0);
    }

    /** A buffer from element {@code offset} on. */
    Launch buf(CudaBuffer b, long offset) {
        // a freed block may already serve another buffer: writing through the old one would corrupt it
        if (b.freed) throw new IllegalStateException("cuda: " + name + " was given " + b + " after it was freed");
        args.add(new KernelArg.Ptr(b.ptr, offset * CudaBuffer.elementBytes(b.dtype)));
        return this;
    }

    /** A value of type T (the kernel's element type), converted as Java casts (BOOL: nonzero). */
    Launch scalar(DType t, double v) {
        args.add(switch (t) {
            case F32 -> new KernelArg.F32((float) v);
            case F64 -> new KernelArg.F64(v);
            case I32 -> new KernelArg.I32((int) v);
            case I64 -> new KernelArg.I64((long) v);
            case BOOL -> new KernelArg.U8((byte) (v != 0 ? 1 : 0));
        });
        return this;
    }

    /** A layout of rank at most {@link #MAX_RANK}. */
    Launch lay(Layout l) {
        if (l.rank() > MAX_RANK) throw new IllegalArgumentException("cuda: layout of rank " + l.rank() + " reached a kernel");
        ByteBuffer b = ByteBuffer.allocate(LAY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long[] sh = l.shape(), st = l.strides();
        for (int i = 0; i < MAX_RANK; i++) b.putLong(i < sh.length ? sh[i] : 1);
        for (int i = 0; i < MAX_RANK; i++) b.putLong(i < st.length ? st[i] : 0);
        b.putLong(l.offset());
        b.putInt(l.rank());
        b.putInt(l.isContiguous() ? 1 : 0);
        args.add(new KernelArg.Struct(b.array()));
        return this;
    }

    /** n threads in blocks of {@link #WG}. */
    void run(long n) {
        run(new long[] {(n + WG - 1) / WG, 1, 1}, new int[] {WG, 1, 1});
    }

    /** An explicit grid (in blocks) and block (in threads). */
    void run(long[] grid, int[] block) {
        if (grid[0] > MAX_GRID_X || grid[1] > MAX_GRID_YZ || grid[2] > MAX_GRID_YZ) {
            throw new IllegalArgumentException("cuda: grid " + java.util.Arrays.toString(grid) + " of " + name
                    + " exceeds the device's limits");
        }
        dev.api.launch(function, name, grid, block, List.copyOf(args));
    }
}
