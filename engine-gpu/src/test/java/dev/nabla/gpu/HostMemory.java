package dev.nabla.gpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Device memory without a device, for the GPU backends' tests (engine-gpu's fake device, engine-cuda's
 * recording device; shared as engine-gpu's test jar): blocks of host bytes within a budget, so the
 * allocator's out-of-memory path is real, every driver call recorded, and pointers checked for
 * being live. It also runs copy_fill, the one kernel whose effect host code reads back
 * (index_check's flag), so a test device need not run any other.
 */
public class HostMemory implements DeviceMemory {
    /** Blocks above this size get no host bytes: their contents go unchecked. */
    private static final long HOST_BYTES_LIMIT = 64L << 20;

    /** One allocation: its size and the host bytes standing for it (null above 64 MiB). */
    public record Block(long id, long bytes, ByteBuffer mem) {
        @Override public String toString() { return "block#" + id + "(" + bytes + " B)"; }
    }

    private final long budget;
    private final String outOfMemory;
    private final Map<Long, Block> live = new HashMap<>();
    private long used;
    private long nextId = 1;
    /** "alloc N" and "free N" in bytes, in order; a test device may add its own ("sync"). */
    public final List<String> driverCalls = new ArrayList<>();

    /** Memory of {@code budget} bytes whose driver refuses more with {@code outOfMemory} ("CUDA_ERROR_OUT_OF_MEMORY"). */
    public HostMemory(long budget, String outOfMemory) {
        this.budget = budget;
        this.outOfMemory = outOfMemory;
    }

    @Override
    public Object alloc(long bytes) {
        driverCalls.add("alloc " + bytes);
        if (used + bytes > budget) throw new Refused(outOfMemory);
        ByteBuffer mem = bytes <= HOST_BYTES_LIMIT ? ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN) : null;
        Block b = new Block(nextId++, bytes, mem);
        live.put(b.id(), b);
        used += bytes;
        return b;
    }

    @Override
    public void free(Object handle) {
        Block b = (Block) handle;
        driverCalls.add("free " + b.bytes());
        if (live.remove(b.id()) == null) throw new AssertionError("free of " + b + ", which is not live");
        used -= b.bytes();
    }

    /** Bytes the driver has handed out. */
    public long driverBytes() { return used; }

    @Override
    public long driverFreeBytes() { return budget - used; }

    @Override
    public void upload(Object hostArray, Object dst, long bytes) {
        Block b = liveBlock(dst, "upload");
        if (bytes > b.bytes()) throw new AssertionError("upload of " + bytes + " B into " + b);
        if (b.mem() == null) return;
        ByteBuffer m = b.mem().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (hostArray) {
            case float[] f -> m.asFloatBuffer().put(f, 0, (int) (bytes / 4));
            case double[] d -> m.asDoubleBuffer().put(d, 0, (int) (bytes / 8));
            case int[] i -> m.asIntBuffer().put(i, 0, (int) (bytes / 4));
            case long[] l -> m.asLongBuffer().put(l, 0, (int) (bytes / 8));
            case byte[] by -> m.put(by, 0, (int) bytes);
            default -> throw new AssertionError("upload of a " + hostArray.getClass());
        }
    }

    @Override
    public void download(Object src, long byteOffset, Object hostArray, long bytes) {
        Block b = liveBlock(src, "download");
        if (byteOffset + bytes > b.bytes()) throw new AssertionError("download of " + bytes + " B at " + byteOffset + " from " + b);
        if (b.mem() == null) return;
        ByteBuffer m = b.mem().duplicate().position((int) byteOffset).slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (hostArray) {
            case float[] f -> m.asFloatBuffer().get(f, 0, (int) (bytes / 4));
            case double[] d -> m.asDoubleBuffer().get(d, 0, (int) (bytes / 8));
            case int[] i -> m.asIntBuffer().get(i, 0, (int) (bytes / 4));
            case long[] l -> m.asLongBuffer().get(l, 0, (int) (bytes / 8));
            case byte[] by -> m.get(by, 0, (int) bytes);
            default -> throw new AssertionError("download into a " + hostArray.getClass());
        }
    }

    /** The live block a pointer names; AssertionError for anything else or a freed block. */
    public Block liveBlock(Object p, String what) {
        if (!(p instanceof Block b)) throw new AssertionError(what + ": not a device pointer: " + p);
        if (!live.containsKey(b.id())) throw new AssertionError(what + ": " + b + " was freed");
        return b;
    }

    /** Checks a launch's pointers: live blocks, offsets inside them. */
    public void checkPointers(String kernel, List<KernelArg> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) instanceof KernelArg.Ptr p) {
                Block b = liveBlock(p.base(), kernel + " argument " + i);
                if (p.byteOffset() < 0 || p.byteOffset() > b.bytes()) {
                    throw new AssertionError(kernel + ": offset " + p.byteOffset() + " outside " + b);
                }
            }
        }
    }

    /** Runs copy_fill(n, v, out) on the host bytes. */
    public void fill(List<KernelArg> args) {
        long n = ((KernelArg.I64) args.get(0)).v();
        ByteBuffer mem = ((Block) ((KernelArg.Ptr) args.get(2)).base()).mem();
        if (mem == null) return;
        ByteBuffer m = mem.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            switch (args.get(1)) {
                case KernelArg.I32 v -> m.putInt(v.v());
                case KernelArg.I64 v -> m.putLong(v.v());
                case KernelArg.F32 v -> m.putFloat(v.v());
                case KernelArg.F64 v -> m.putDouble(v.v());
                case KernelArg.U8 v -> m.put(v.v());
                default -> throw new AssertionError("copy_fill value " + args.get(1));
            }
        }
    }
}
