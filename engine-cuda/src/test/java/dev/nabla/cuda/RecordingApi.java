package dev.nabla.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CUDA device without a GPU, for the tests: memory is host bytes within a budget (so the
 * allocator's out-of-memory path is real), modules are the bundled PTX, and every launch is checked
 * against the PTX's declaration of its kernel (argument count, sizes, float versus integer,
 * pointers into live allocations and inside them) and against CUDA's grid limits, then recorded.
 * Kernels do not run, except copy_fill, whose effect the host logic reads back (index_check's flag).
 */
class RecordingApi implements CudaApi {
    /** One allocation: its size, and host bytes standing for it (null above 64 MiB). */
    static final class Block {
        final long id;
        final long bytes;
        final ByteBuffer mem;

        Block(long id, long bytes) {
            this.id = id;
            this.bytes = bytes;
            this.mem = bytes <= (64L << 20) ? ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN) : null;
        }

        @Override public String toString() { return "block#" + id + "(" + bytes + " B)"; }
    }

    record Module(Map<String, List<PtxSignatures.Param>> entries) {}

    record Fn(String name, List<PtxSignatures.Param> params) {}

    /** One recorded launch. */
    record Launched(String name, long[] grid, int[] block, List<KernelArg> args) {}

    private final long budget;
    private final Map<Long, Block> live = new HashMap<>();
    private long used;
    private long nextId = 1;
    final List<Launched> launches = new ArrayList<>();
    final List<String> driverCalls = new ArrayList<>();
    Blas blas;

    RecordingApi(long budget) { this.budget = budget; }

    @Override
    public Object alloc(long bytes) {
        driverCalls.add("alloc " + bytes);
        if (used + bytes > budget) return null;
        Block b = new Block(nextId++, bytes);
        live.put(b.id, b);
        used += bytes;
        return b;
    }

    @Override
    public void free(Object ptr) {
        Block b = (Block) ptr;
        driverCalls.add("free " + b.bytes);
        if (live.remove(b.id) == null) throw new AssertionError("free of " + b + ", which is not live");
        used -= b.bytes;
    }

    long driverBytes() { return used; }

    int driverBlocks() { return live.size(); }

    @Override
    public long[] memInfo() { return new long[] {budget - used, budget}; }

    @Override
    public void upload(Object hostArray, Object dst, long bytes) {
        Block b = liveBlock(dst, "upload");
        if (bytes > b.bytes) throw new AssertionError("upload of " + bytes + " B into " + b);
        if (b.mem == null) return;
        ByteBuffer m = b.mem.duplicate().order(ByteOrder.LITTLE_ENDIAN);
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
        if (byteOffset + bytes > b.bytes) throw new AssertionError("download of " + bytes + " B at " + byteOffset + " from " + b);
        if (b.mem == null) return;
        ByteBuffer m = b.mem.duplicate().order(ByteOrder.LITTLE_ENDIAN).position((int) byteOffset).slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (hostArray) {
            case float[] f -> m.asFloatBuffer().get(f, 0, (int) (bytes / 4));
            case double[] d -> m.asDoubleBuffer().get(d, 0, (int) (bytes / 8));
            case int[] i -> m.asIntBuffer().get(i, 0, (int) (bytes / 4));
            case long[] l -> m.asLongBuffer().get(l, 0, (int) (bytes / 8));
            case byte[] by -> m.get(by, 0, (int) bytes);
            default -> throw new AssertionError("download into a " + hostArray.getClass());
        }
    }

    @Override
    public Object loadModule(byte[] image, boolean ptx) {
        if (!ptx) throw new ModuleLoadException(209, "CUDA_ERROR_NO_BINARY_FOR_GPU", "the recording device reads PTX only");
        return new Module(PtxSignatures.parse(new String(image, StandardCharsets.UTF_8)));
    }

    @Override
    public Object function(Object module, String name) {
        List<PtxSignatures.Param> ps = ((Module) module).entries().get(name);
        if (ps == null) throw new IllegalStateException("cuModuleGetFunction(" + name + ") failed: CUDA_ERROR_NOT_FOUND");
        return new Fn(name, ps);
    }

    @Override
    public void launch(Object function, String name, long[] grid, int[] block, List<KernelArg> args) {
        Fn f = (Fn) function;
        if (!f.name().equals(name)) throw new AssertionError("launch named " + name + " runs " + f.name());
        if (args.size() != f.params().size()) {
            throw new AssertionError(name + ": " + args.size() + " arguments, the PTX declares " + f.params().size() + ": " + f.params());
        }
        for (int i = 0; i < args.size(); i++) {
            KernelArg a = args.get(i);
            PtxSignatures.Param p = f.params().get(i);
            if (a.size() != p.bytes()) throw new AssertionError(name + " argument " + i + ": " + a.size() + " bytes for ." + p.type() + " (" + p.bytes() + ")");
            boolean fl = a instanceof KernelArg.F32 || a instanceof KernelArg.F64;
            if (fl != p.floating()) throw new AssertionError(name + " argument " + i + ": " + a + " for ." + p.type());
            if (a instanceof KernelArg.Ptr ptr) {
                Block b = liveBlock(ptr.base(), name + " argument " + i);
                if (ptr.byteOffset() < 0 || ptr.byteOffset() > b.bytes) throw new AssertionError(name + ": offset " + ptr.byteOffset() + " outside " + b);
            }
            if (a instanceof KernelArg.Struct s && s.bytes().length != Launch.LAY_BYTES) throw new AssertionError(name + ": struct of " + s.bytes().length);
        }
        if (grid[0] < 1 || grid[0] > Integer.MAX_VALUE || grid[1] < 1 || grid[1] > 65535 || grid[2] < 1 || grid[2] > 65535) {
            throw new AssertionError(name + ": grid " + java.util.Arrays.toString(grid));
        }
        if ((long) block[0] * block[1] * block[2] > 1024) throw new AssertionError(name + ": block " + java.util.Arrays.toString(block));
        launches.add(new Launched(name, grid.clone(), block.clone(), args));
        if (name.equals("copy_fill")) runFill(args);
    }

    /** copy_fill(n, v, out): the one kernel the fake runs. */
    private void runFill(List<KernelArg> args) {
        long n = ((KernelArg.I64) args.get(0)).v();
        Block b = (Block) ((KernelArg.Ptr) args.get(2)).base();
        if (b.mem == null) return;
        ByteBuffer m = b.mem.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
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

    private Block liveBlock(Object p, String what) {
        if (!(p instanceof Block b)) throw new AssertionError(what + ": not a device pointer: " + p);
        if (!live.containsKey(b.id)) throw new AssertionError(what + ": " + b + " was freed");
        return b;
    }

    @Override public void synchronize() { driverCalls.add("sync"); }

    @Override public Blas blas() { return blas; }

    List<String> launchedNames() {
        return launches.stream().map(Launched::name).toList();
    }
}
