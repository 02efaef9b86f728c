package dev.nabla.gpu;

import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelType;

import java.util.List;

/**
 * How a device runs the shared kernels: the one piece of launching each GPU backend writes itself
 * (OpenCL builds programs and enqueues NDRanges; CUDA loads modules and launches on its stream).
 * Everything before it (which kernel, which arguments, what grid) is decided once in this package.
 * Callers hold the device's lock from the lookup to the launch.
 */
public interface KernelLauncher {

    /** The compiled kernel {@code name} of a family's variant (an opaque handle), compiled or loaded on first use. */
    Object kernel(KernelFamily family, KernelType type, String name);

    /**
     * Queues one launch: {@code grid} counts work-groups (thread blocks) per dimension, {@code block}
     * the work items (threads) of one group; both have the same length, 1 to 3. The arguments are in
     * the kernel's parameter order.
     */
    void launch(Object kernel, String name, long[] grid, int[] block, List<KernelArg> args);

    /** The largest grid, in work-groups, per dimension (x, y, z); Long.MAX_VALUE where there is no limit. */
    long[] maxGrid();

    /** Waits until everything queued on the device has run. */
    void finish();
}
