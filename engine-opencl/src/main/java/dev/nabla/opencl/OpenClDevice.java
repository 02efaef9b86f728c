package dev.nabla.opencl;

import dev.nabla.gpu.AllocatorPolicy;
import dev.nabla.gpu.DeviceMemory;
import dev.nabla.gpu.GpuDevice;
import dev.nabla.gpu.KernelLauncher;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_INVALID_BUFFER_SIZE;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clReleaseMemObject;

/**
 * One OpenCL device: its context and in-order queue (created on first use, not at discovery), its
 * memory calls on cl_mem objects, and its kernels ({@link OpenClKernels}). The queue is in order,
 * so a kernel sees everything enqueued before it and a buffer returned to the allocator may be
 * reused by the next command at once; host copies are blocking, so they wait for the queue.
 */
final class OpenClDevice extends GpuDevice implements DeviceMemory {
    /** Size classes above 1 MiB step by 1 MiB: OpenCL states no allocation granularity. */
    static final long LARGE_CLASS_STEP = 1L << 20;

    final cl_platform_id platform;
    final cl_device_id id;
    final DeviceInfoCl info;
    private final OpenClKernels kernels;
    private cl_context context;
    private cl_command_queue queue;

    OpenClDevice(int index, cl_platform_id platform, cl_device_id id, DeviceInfoCl info) {
        super("opencl", index, info.name());
        this.platform = platform;
        this.id = id;
        this.info = info;
        this.kernels = new OpenClKernels(this);
    }

    /** Creates the context and queue once. Callers hold the lock. */
    private void open() {
        if (context != null) return;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platform);
        context = clCreateContext(props, 1, new cl_device_id[] {id}, null, null, null);
        queue = clCreateCommandQueue(context, id, 0, null);
    }

    cl_context context() {
        open();
        return context;
    }

    cl_command_queue queue() {
        open();
        return queue;
    }

    @Override public DeviceMemory memory() { return this; }

    @Override public KernelLauncher launcher() { return kernels; }

    @Override
    protected AllocatorPolicy allocatorPolicy() {
        return new AllocatorPolicy(info.globalMemBytes(), info.maxAllocBytes(), LARGE_CLASS_STEP, true);
    }

    @Override public String describe() { return info.describe(); }

    @Override public boolean fp64() { return info.fp64(); }

    @Override public String fp64Missing() { return "no cl_khr_fp64"; }

    // ---- memory calls -------------------------------------------------------------------------

    @Override
    public Object alloc(long bytes) {
        try {
            return clCreateBuffer(context(), CL_MEM_READ_WRITE, bytes, null, null);
        } catch (CLException e) {
            if (isAllocationFailure(e)) throw new Refused(CL.stringFor_errorCode(e.getStatus()));
            throw e;
        }
    }

    private static boolean isAllocationFailure(CLException e) {
        int s = e.getStatus();
        return s == CL_MEM_OBJECT_ALLOCATION_FAILURE || s == CL_OUT_OF_RESOURCES || s == CL_OUT_OF_HOST_MEMORY
                || s == CL_INVALID_BUFFER_SIZE;
    }

    @Override
    public void free(Object handle) {
        clReleaseMemObject((cl_mem) handle);
    }

    @Override
    public void upload(Object hostArray, Object dst, long bytes) {
        clEnqueueWriteBuffer(queue(), (cl_mem) dst, CL_TRUE, 0, bytes, host(hostArray), 0, null, null);
    }

    @Override
    public void download(Object src, long byteOffset, Object hostArray, long bytes) {
        clEnqueueReadBuffer(queue(), (cl_mem) src, CL_TRUE, byteOffset, bytes, host(hostArray), 0, null, null);
    }

    private static Pointer host(Object a) {
        return switch (a) {
            case float[] f -> Pointer.to(f);
            case double[] d -> Pointer.to(d);
            case int[] i -> Pointer.to(i);
            case long[] l -> Pointer.to(l);
            case byte[] b -> Pointer.to(b);
            default -> throw new IllegalArgumentException("opencl: no host copy for " + a.getClass().getSimpleName());
        };
    }

    /** OpenCL reports no free memory: the allocator's books give the figure. */
    @Override
    public long driverFreeBytes() { return -1; }
}
