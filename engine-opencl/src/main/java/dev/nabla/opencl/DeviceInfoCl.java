package dev.nabla.opencl;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;

import static org.jocl.CL.CL_DEVICE_DOUBLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_SINGLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformInfo;

/**
 * What nabla needs to know of one OpenCL device, read once at discovery: names for messages and
 * cache keys, the memory limits the allocator enforces, and the capabilities that pick build
 * options and supported dtypes.
 */
record DeviceInfoCl(String name, String platform, String type, String version, String driver,
                    long globalMemBytes, long maxAllocBytes, long maxWorkGroupSize,
                    boolean fp64, boolean correctlyRoundedDivSqrt) {

    static DeviceInfoCl read(cl_platform_id platform, cl_device_id d) {
        long type = longInfo(d, CL_DEVICE_TYPE);
        String t = (type & CL_DEVICE_TYPE_GPU) != 0 ? "GPU"
                : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "accelerator" : "device";
        long single = longInfo(d, CL_DEVICE_SINGLE_FP_CONFIG);
        long dbl = longInfo(d, CL_DEVICE_DOUBLE_FP_CONFIG);
        return new DeviceInfoCl(stringInfo(d, CL_DEVICE_NAME), platformName(platform), t,
                stringInfo(d, CL_DEVICE_VERSION), stringInfo(d, CL_DRIVER_VERSION),
                longInfo(d, CL_DEVICE_GLOBAL_MEM_SIZE), longInfo(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                sizeInfo(d, CL_DEVICE_MAX_WORK_GROUP_SIZE), dbl != 0,
                (single & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0);
    }

    /** One line for Device.probe(): the name, its kind (contains "GPU" for a GPU), platform, driver, memory. */
    String describe() {
        return name + " (" + type + ", " + platform + ", " + version.trim() + ", driver " + driver
                + ", " + (globalMemBytes >> 20) + " MiB" + (fp64 ? ", fp64" : ", no fp64") + ")";
    }

    private static String platformName(cl_platform_id p) {
        long[] size = new long[1];
        clGetPlatformInfo(p, CL_PLATFORM_NAME, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetPlatformInfo(p, CL_PLATFORM_NAME, b.length, Pointer.to(b), null);
        return cString(b);
    }

    private static String stringInfo(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    private static long longInfo(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_long, Pointer.to(v), null);
        return v[0];
    }

    private static long sizeInfo(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8).trim();
    }
}
