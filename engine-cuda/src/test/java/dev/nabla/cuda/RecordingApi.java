package dev.nabla.cuda;

import dev.nabla.gpu.HostMemory;
import dev.nabla.gpu.KernelArg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CUDA device without a GPU, for the tests: memory is host bytes within a budget (engine-gpu's
 * {@link HostMemory}, so the allocator's out-of-memory path is real), modules are the bundled PTX,
 * and every launch is checked against the PTX's declaration of its kernel (argument count, sizes,
 * float versus integer, pointers into live allocations and inside them) and against CUDA's grid
 * limits, then recorded. Kernels do not run, except copy_fill, whose effect the host logic reads
 * back (index_check's flag).
 */
class RecordingApi extends HostMemory implements CudaApi {
    /** The kernels' Lay struct (common.h): shape[8], stride[8], offset (i64 each), rank, contiguous (i32 each). */
    static final int LAY_BYTES = 8 * 8 * 2 + 8 + 4 + 4;

    record Module(Map<String, List<PtxSignatures.Param>> entries) {}

    record Fn(String name, List<PtxSignatures.Param> params) {}

    /** One recorded launch. */
    record Launched(String name, long[] grid, int[] block, List<KernelArg> args) {}

    final List<Launched> launches = new ArrayList<>();
    Blas blas;

    RecordingApi(long budget) { super(budget, "CUDA_ERROR_OUT_OF_MEMORY"); }

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
            if (a instanceof KernelArg.Struct s && s.bytes().length != LAY_BYTES) throw new AssertionError(name + ": struct of " + s.bytes().length);
        }
        if (grid[0] < 1 || grid[0] > Integer.MAX_VALUE || grid[1] < 1 || grid[1] > 65535 || grid[2] < 1 || grid[2] > 65535) {
            throw new AssertionError(name + ": grid " + java.util.Arrays.toString(grid));
        }
        if ((long) block[0] * block[1] * block[2] > 1024) throw new AssertionError(name + ": block " + java.util.Arrays.toString(block));
        checkPointers(name, args);
        launches.add(new Launched(name, grid.clone(), block.clone(), args));
        if (name.equals("copy_fill")) fill(args);
    }

    @Override public void synchronize() { driverCalls.add("sync"); }

    @Override public Blas blas() { return blas; }

    List<String> launchedNames() {
        return launches.stream().map(Launched::name).toList();
    }
}
