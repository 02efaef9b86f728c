package dev.nabla.opencl;

import dev.nabla.kernels.BinaryCache;
import dev.nabla.kernels.KernelFamily;
import dev.nabla.kernels.KernelSource;
import dev.nabla.kernels.KernelType;
import dev.nabla.kernels.Target;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_PROGRAM_BINARIES;
import static org.jocl.CL.CL_PROGRAM_BINARY_SIZES;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithBinary;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clGetProgramInfo;
import static org.jocl.CL.clReleaseProgram;

/**
 * One OpenCL device: its context and in-order queue (created on first use, not at discovery), its
 * caching allocator, and its kernels, built per family and element type on first use from the
 * kernels module's sources, through the on-disk {@link BinaryCache}. Every call that sets kernel
 * arguments and enqueues holds {@link #lock}: OpenCL kernel objects are not safe to configure from
 * two threads at once. The queue is in order, so a kernel sees everything enqueued before it and a
 * buffer returned to the allocator may be reused by the next command at once.
 */
final class OpenClDevice {
    final int index;
    final cl_platform_id platform;
    final cl_device_id id;
    final DeviceInfoCl info;
    final Object lock = new Object();

    private cl_context context;
    private cl_command_queue queue;
    private CachingAllocator allocator;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final Map<String, cl_program> programs = new HashMap<>();

    OpenClDevice(int index, cl_platform_id platform, cl_device_id id, DeviceInfoCl info) {
        this.index = index;
        this.platform = platform;
        this.id = id;
        this.info = info;
    }

    /** "opencl:0 (pthread-skylake-avx512)" for messages. */
    String label() {
        return "opencl:" + index + " (" + info.name() + ")";
    }

    /** Creates the context, queue and allocator once. Callers hold the lock. */
    private void open() {
        if (context != null) return;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platform);
        context = clCreateContext(props, 1, new cl_device_id[] {id}, null, null, null);
        queue = clCreateCommandQueue(context, id, 0, null);
        allocator = new CachingAllocator(context, label(), info.globalMemBytes(), info.maxAllocBytes());
    }

    cl_command_queue queue() {
        open();
        return queue;
    }

    CachingAllocator allocator() {
        open();
        return allocator;
    }

    /** The build options: never fast-math; correctly rounded float division and sqrt where offered. */
    String buildOptions() {
        return "-cl-std=CL1.2" + (info.correctlyRoundedDivSqrt() ? " -cl-fp32-correctly-rounded-divide-sqrt" : "");
    }

    /** The kernel {@code name} of a family's variant, building the program on first use. Callers hold the lock. */
    cl_kernel kernel(KernelFamily family, KernelType type, String name) {
        String key = family + "/" + type + "/" + name;
        cl_kernel k = kernels.get(key);
        if (k != null) return k;
        cl_program p = program(family, type);
        k = clCreateKernel(p, name, null);
        kernels.put(key, k);
        return k;
    }

    private cl_program program(KernelFamily family, KernelType type) {
        String key = family + "/" + type;
        cl_program p = programs.get(key);
        if (p != null) return p;
        open();
        String src = KernelSource.assemble(Target.OPENCL, family, type);
        String options = buildOptions();
        BinaryCache cache = BinaryCache.standard();
        String cacheKey = BinaryCache.key(src, options, info.name() + "|" + info.platform(),
                info.driver() + "|" + info.version());
        byte[] bin = cache.load(cacheKey);
        if (bin != null) p = fromBinary(bin, options);
        if (p == null) {
            p = clCreateProgramWithSource(context, 1, new String[] {src}, null, null);
            try {
                clBuildProgram(p, 1, new cl_device_id[] {id}, options, null, null);
            } catch (CLException e) {
                String log = buildLog(p);
                clReleaseProgram(p);
                throw new IllegalStateException(label() + ": building kernels " + family.file() + " for " + type
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
            p = clCreateProgramWithBinary(context, 1, new cl_device_id[] {id}, new long[] {bin.length},
                    new byte[][] {bin}, status, null);
            clBuildProgram(p, 1, new cl_device_id[] {id}, options, null, null);
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
            clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
            return new String(b, StandardCharsets.UTF_8).trim();
        } catch (CLException e) {
            return "(no build log: " + CL.stringFor_errorCode(e.getStatus()) + ")";
        }
    }
}
