package dev.nabla.opencl;

import dev.nabla.gpu.KernelArg;
import dev.nabla.gpu.KernelLauncher;
import dev.nabla.kernels.BinaryCache;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelSource;
import dev.nabla.kernels.KernelType;
import dev.nabla.kernels.Target;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.jocl.CL.CL_PROGRAM_BINARIES;
import static org.jocl.CL.CL_PROGRAM_BINARY_SIZES;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithBinary;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clGetProgramInfo;
import static org.jocl.CL.clReleaseProgram;
import static org.jocl.CL.clSetKernelArg;

/**
 * How one OpenCL device runs the shared kernels: programs built per family and element type on
 * first use from the kernels module's sources, through the on-disk {@link BinaryCache}, and
 * launches as NDRanges on the device's queue. Callers hold the device's lock from setting the first
 * argument to the enqueue: a cl_kernel's arguments are state, not safe to set from two threads.
 */
final class OpenClKernels implements KernelLauncher {
    private static final long[] NO_GRID_LIMIT = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};

    private final OpenClDevice dev;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final Map<String, cl_program> programs = new HashMap<>();

    OpenClKernels(OpenClDevice dev) {
        this.dev = dev;
    }

    /** The build options: never fast-math; correctly rounded float division and sqrt where offered. */
    String buildOptions() {
        return "-cl-std=CL1.2" + (dev.info.correctlyRoundedDivSqrt() ? " -cl-fp32-correctly-rounded-divide-sqrt" : "");
    }

    @Override
    public Object kernel(KernelFamily family, KernelType type, String name) {
        String key = family + "/" + type + "/" + name;
        cl_kernel k = kernels.get(key);
        if (k != null) return k;
        cl_program p = program(family, type);
        k = clCreateKernel(p, name, null);
        kernels.put(key, k);
        return k;
    }

    /** Sets the arguments in order, then enqueues grid × block work items in groups of block. */
    @Override
    public void launch(Object kernel, String name, long[] grid, int[] block, List<KernelArg> args) {
        cl_kernel k = (cl_kernel) kernel;
        for (int i = 0; i < args.size(); i++) setArg(k, name, i, args.get(i));
        long[] global = new long[grid.length], local = new long[grid.length];
        for (int d = 0; d < grid.length; d++) {
            global[d] = grid[d] * block[d];
            local[d] = block[d];
        }
        clEnqueueNDRangeKernel(dev.queue(), k, grid.length, null, global, local, 0, null, null);
    }

    private static void setArg(cl_kernel k, String name, int i, KernelArg a) {
        switch (a) {
            case KernelArg.I32 v -> clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v.v()}));
            case KernelArg.I64 v -> clSetKernelArg(k, i, Sizeof.cl_long, Pointer.to(new long[] {v.v()}));
            case KernelArg.F32 v -> clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v.v()}));
            case KernelArg.F64 v -> clSetKernelArg(k, i, Sizeof.cl_double, Pointer.to(new double[] {v.v()}));
            case KernelArg.U8 v -> clSetKernelArg(k, i, Sizeof.cl_uchar, Pointer.to(new byte[] {v.v()}));
            case KernelArg.Struct s -> clSetKernelArg(k, i, s.bytes().length, Pointer.to(s.bytes()));
            case KernelArg.Ptr p -> {
                // a cl_mem cannot be offset; grids are unlimited here, so no launch splits its output
                if (p.byteOffset() != 0) throw new IllegalArgumentException(name + ": OpenCL passes whole buffers, not offset " + p.byteOffset());
                clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to((cl_mem) p.base()));
            }
        }
    }

    @Override
    public long[] maxGrid() { return NO_GRID_LIMIT.clone(); }

    @Override
    public void finish() {
        clFinish(dev.queue());
    }

    private cl_program program(KernelFamily family, KernelType type) {
        String key = family + "/" + type;
        cl_program p = programs.get(key);
        if (p != null) return p;
        String src = KernelSource.assemble(Target.OPENCL, family, type);
        String options = buildOptions();
        BinaryCache cache = BinaryCache.standard();
        DeviceInfoCl info = dev.info;
        String cacheKey = BinaryCache.key(src, options, info.name() + "|" + info.platform(),
                info.driver() + "|" + info.version());
        byte[] bin = cache.load(cacheKey);
        if (bin != null) p = fromBinary(bin, options);
        if (p == null) {
            p = clCreateProgramWithSource(dev.context(), 1, new String[] {src}, null, null);
            try {
                clBuildProgram(p, 1, new cl_device_id[] {dev.id}, options, null, null);
            } catch (CLException e) {
                String log = buildLog(p);
                clReleaseProgram(p);
                throw new IllegalStateException(dev.label() + ": building kernels " + family.file() + " for " + type
                        + " failed (" + CL.stringFor_errorCode(e.getStatus()) + "):\n" + log, e);
            }
            byte[] built = binary(p);
            if (built != null) cache.store(cacheKey, built);
        }
        programs.put(key, p);
        return p;
    }

    /** A program from a cached binary, or null when the driver rejects it (then the source is built). */
    private cl_program fromBinary(byte[] bin, String options) {
        cl_program p = null;
        try {
            int[] status = new int[1];
            p = clCreateProgramWithBinary(dev.context(), 1, new cl_device_id[] {dev.id}, new long[] {bin.length},
                    new byte[][] {bin}, status, null);
            clBuildProgram(p, 1, new cl_device_id[] {dev.id}, options, null, null);
            return p;
        } catch (CLException e) {
            if (p != null) clReleaseProgram(p);
            return null;
        }
    }

    private byte[] binary(cl_program p) {
        try {
            long[] sizes = new long[1];
            clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(sizes), null);
            if (sizes[0] <= 0) return null;
            byte[] b = new byte[(int) sizes[0]];
            clGetProgramInfo(p, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(new Pointer[] {Pointer.to(b)}), null);
            return b;
        } catch (CLException e) {
            return null;
        }
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, dev.id, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, dev.id, CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
            return new String(b, StandardCharsets.UTF_8).trim();
        } catch (CLException e) {
            return "(no build log: " + CL.stringFor_errorCode(e.getStatus()) + ")";
        }
    }
}
