package dev.nabla.gpu;

import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A device for the shared layer's tests, no driver behind it: memory is host bytes within a budget
 * (so the allocator's out-of-memory path is real), kernels are their names, and every launch is
 * recorded with its grid and arguments, after checking that its pointers are live. Kernels do not
 * run, except copy_fill, whose effect the host logic reads back (index_check's flag). Grid limits
 * and float64 support are the test's to choose.
 */
class FakeDevice extends GpuDevice implements DeviceMemory, KernelLauncher {
    /** One allocation: its size and the host bytes standing for it (null above 16 MiB: contents then go unchecked). */
    record Block(long id, long bytes, ByteBuffer mem) {
        @Override public String toString() { return "block#" + id + "(" + bytes + " B)"; }
    }

    /** One recorded launch. */
    record Launched(String family, String type, String name, long[] grid, int[] block, List<KernelArg> args) {
        long i64(int arg) { return ((KernelArg.I64) args.get(arg)).v(); }
    }

    final long budget;
    final List<Launched> launches = new ArrayList<>();
    final List<String> driverCalls = new ArrayList<>();
    private final Map<Long, Block> live = new HashMap<>();
    private final long[] maxGrid;
    private final boolean fp64;
    private final long maxAlloc;
    private final boolean holdTotalByBooks;
    private long used;
    private long nextId = 1;

    FakeDevice(int index, long budget, long[] maxGrid, boolean fp64) {
        this(index, budget, budget, maxGrid, fp64, false);
    }

    FakeDevice(int index, long budget, long maxAlloc, long[] maxGrid, boolean fp64, boolean holdTotalByBooks) {
        super("fake", index, "fake device");
        this.budget = budget;
        this.maxAlloc = maxAlloc;
        this.maxGrid = maxGrid;
        this.fp64 = fp64;
        this.holdTotalByBooks = holdTotalByBooks;
    }

    static long[] unlimited() {
        return new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    }

    @Override public DeviceMemory memory() { return this; }
    @Override public KernelLauncher launcher() { return this; }
    @Override protected AllocatorPolicy allocatorPolicy() { return new AllocatorPolicy(budget, maxAlloc, 1L << 20, holdTotalByBooks); }
    @Override public String describe() { return "fake device (GPU, " + (budget >> 20) + " MiB)"; }
    @Override public boolean fp64() { return fp64; }
    @Override public String fp64Missing() { return "no fake fp64"; }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Object alloc(long bytes) {
        driverCalls.add("alloc " + bytes);
        if (used + bytes > budget) throw new Refused("FAKE_OUT_OF_MEMORY");
        Block b = new Block(nextId++, bytes, bytes <= (16L << 20) ? ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN) : null);
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

    long driverBytes() { return used; }

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

    private Block liveBlock(Object p, String what) {
        if (!(p instanceof Block b)) throw new AssertionError(what + ": not a device pointer: " + p);
        if (!live.containsKey(b.id())) throw new AssertionError(what + ": " + b + " was freed");
        return b;
    }

    // ---- kernels ------------------------------------------------------------------------------

    @Override
    public Object kernel(KernelFamily family, KernelType type, String name) {
        return family + "/" + type + "/" + name;
    }

    @Override
    public void launch(Object kernel, String name, long[] grid, int[] block, List<KernelArg> args) {
        String[] k = ((String) kernel).split("/");
        if (!k[2].equals(name)) throw new AssertionError("launch named " + name + " runs " + kernel);
        if (grid.length != block.length || grid.length < 1 || grid.length > 3) {
            throw new AssertionError(name + ": grid " + Arrays.toString(grid) + ", block " + Arrays.toString(block));
        }
        for (KernelArg a : args) {
            if (a instanceof KernelArg.Ptr p) {
                Block b = liveBlock(p.base(), name);
                if (p.byteOffset() < 0 || p.byteOffset() > b.bytes()) throw new AssertionError(name + ": offset " + p.byteOffset() + " outside " + b);
            }
        }
        launches.add(new Launched(k[0], k[1], name, grid.clone(), block.clone(), args));
        if (name.equals("copy_fill")) runFill(args);
    }

    /** copy_fill(n, v, out): the one kernel the fake runs. */
    private void runFill(List<KernelArg> args) {
        long n = ((KernelArg.I64) args.get(0)).v();
        ByteBuffer mem = ((Block) ((KernelArg.Ptr) args.get(2)).base()).mem();
        if (mem == null) return;
        ByteBuffer m = mem.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n && m.hasRemaining(); i++) {
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

    @Override public long[] maxGrid() { return maxGrid.clone(); }

    @Override public void finish() { driverCalls.add("finish"); }

    List<String> launchedNames() {
        return launches.stream().map(Launched::name).toList();
    }
}
