package dev.nabla.gpu;

import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A device for the shared layer's tests, no driver behind it: memory is {@link HostMemory} within a
 * budget, kernels are their names, and every launch is recorded with its grid and arguments after
 * its pointers are checked. Kernels do not run, except copy_fill. Grid limits and float64 support
 * are the test's to choose.
 */
class FakeDevice extends GpuDevice implements KernelLauncher {
    /** One recorded launch. */
    record Launched(String family, String type, String name, long[] grid, int[] block, List<KernelArg> args) {
        long i64(int arg) { return ((KernelArg.I64) args.get(arg)).v(); }
    }

    final long budget;
    final HostMemory mem;
    final List<Launched> launches = new ArrayList<>();
    private final long[] maxGrid;
    private final boolean fp64;

    FakeDevice(int index, long budget, long[] maxGrid, boolean fp64) {
        super("fake", index, "fake device");
        this.budget = budget;
        this.mem = new HostMemory(budget, "FAKE_OUT_OF_MEMORY");
        this.maxGrid = maxGrid;
        this.fp64 = fp64;
    }

    static long[] unlimited() {
        return new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    }

    @Override public DeviceMemory memory() { return mem; }
    @Override public KernelLauncher launcher() { return this; }
    @Override protected AllocatorPolicy allocatorPolicy() { return new AllocatorPolicy(budget, budget, 1L << 20, false); }
    @Override public String describe() { return "fake device (GPU, " + (budget >> 20) + " MiB)"; }
    @Override public boolean fp64() { return fp64; }
    @Override public String fp64Missing() { return "no fake fp64"; }

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
        mem.checkPointers(name, args);
        launches.add(new Launched(k[0], k[1], name, grid.clone(), block.clone(), args));
        if (name.equals("copy_fill")) mem.fill(args);
    }

    @Override public long[] maxGrid() { return maxGrid.clone(); }

    @Override public void finish() { mem.driverCalls.add("finish"); }

    List<String> launchedNames() {
        return launches.stream().map(Launched::name).toList();
    }
}
