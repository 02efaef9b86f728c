package dev.nabla.opencl;

import dev.nabla.gpu.Discovered;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.List;

import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetPlatformIDs;

/**
 * Every device of every OpenCL platform, numbered in platform order then device order: that number
 * is the index of {@code Device.opencl(i)}. Or, when there are none, why: no ICD loader
 * ({@code libOpenCL.so.1}) to load, no platform registered with it, or platforms without devices.
 * Never throws.
 */
final class Discovery {

    /** ocl-icd's and Khronos' loaders answer this when no driver is registered. */
    private static final int CL_PLATFORM_NOT_FOUND_KHR = -1001;

    private Discovery() {}

    static Discovered<OpenClDevice> run() {
        try {
            CL.setExceptionsEnabled(true);
            int[] n = new int[1];
            try {
                clGetPlatformIDs(0, null, n);
            } catch (CLException e) {
                if (e.getStatus() == CL_PLATFORM_NOT_FOUND_KHR) return none(noPlatform());
                return none("clGetPlatformIDs failed: " + CL.stringFor_errorCode(e.getStatus()));
            }
            if (n[0] == 0) return none(noPlatform());
            cl_platform_id[] platforms = new cl_platform_id[n[0]];
            clGetPlatformIDs(n[0], platforms, null);
            List<OpenClDevice> out = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (cl_platform_id p : platforms) {
                int[] m = new int[1];
                try {
                    clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, m);
                } catch (CLException e) {
                    if (e.getStatus() != CL_DEVICE_NOT_FOUND) problems.add(CL.stringFor_errorCode(e.getStatus()));
                    continue;
                }
                cl_device_id[] ds = new cl_device_id[m[0]];
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, m[0], ds, null);
                for (cl_device_id d : ds) {
                    out.add(new OpenClDevice(out.size(), p, d, DeviceInfoCl.read(p, d)));
                }
            }
            if (out.isEmpty()) {
                return none(platforms.length + " OpenCL platform(s) but no device"
                        + (problems.isEmpty() ? "" : " (" + String.join(", ", problems) + ")"));
            }
            return new Discovered<>(List.copyOf(out), null);
        } catch (LinkageError e) {
            // JOCL's native part or the ICD loader could not be loaded
            return none("the OpenCL library could not be loaded (" + e.getMessage() + "): install an ICD loader "
                    + "(Debian: ocl-icd-libopencl1) and a driver (pocl-opencl-icd runs OpenCL on the CPU)");
        } catch (CLException e) {
            return none("OpenCL discovery failed: " + CL.stringFor_errorCode(e.getStatus()));
        } catch (RuntimeException e) {
            return none("OpenCL discovery failed: " + e);
        }
    }

    private static String noPlatform() {
        return "no OpenCL platform: the ICD loader found no driver (install one: pocl-opencl-icd runs OpenCL "
                + "on the CPU; GPU vendors ship their own)";
    }

    private static Discovered<OpenClDevice> none(String why) {
        return Discovered.none(why);
    }
}
