package dev.nabla.cuda;

import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

/**
 * Every CUDA device in the driver's order (the index of {@code Device.cuda(i)}), or, when there is
 * none, why: no NVIDIA driver ({@code libcuda.so.1} missing), a driver without devices, or a
 * failing cuInit. Run once per process (JCuda's native libraries load once: a second attempt after a
 * failure would only say "Could not initialize class"). Never throws.
 */
record Discovery(List<CudaDevice> devices, String failure) {
    private static volatile Discovery once;

    static Discovery standard() {
        Discovery d = once;
        if (d == null) {
            synchronized (Discovery.class) {
                d = once;
                if (d == null) {
                    d = run();
                    once = d;
                }
            }
        }
        return d;
    }

    private static Discovery run() {
        try {
            int r = cuInit(0);
            if (r == CUresult.CUDA_ERROR_NO_DEVICE) return none("the NVIDIA driver is installed but reports no CUDA device");
            if (r != CUresult.CUDA_SUCCESS) return none("cuInit failed: " + CUresult.stringFor(r));
            int[] v = new int[1];
            cuDriverGetVersion(v);
            int[] n = new int[1];
            r = cuDeviceGetCount(n);
            if (r != CUresult.CUDA_SUCCESS) return none("cuDeviceGetCount failed: " + CUresult.stringFor(r));
            if (n[0] == 0) return none("the NVIDIA driver is installed but reports no CUDA device");
            String blasFailure = Cublas.loadFailure();
            Nvrtc.Probe nvrtc = Nvrtc.load();
            List<CudaDevice> out = new ArrayList<>();
            for (int i = 0; i < n[0]; i++) {
                CUdevice d = new CUdevice();
                r = cuDeviceGet(d, i);
                if (r != CUresult.CUDA_SUCCESS) return none("cuDeviceGet(" + i + ") failed: " + CUresult.stringFor(r));
                DeviceInfoCu info = read(d, v[0], blasFailure, nvrtc);
                JCudaApi api = new JCudaApi(d, "cuda:" + i + " (" + info.name() + ")", blasFailure);
                out.add(new CudaDevice(i, api, info, nvrtc.nvrtc()));
            }
            return new Discovery(List.copyOf(out), null);
        } catch (LinkageError e) {
            if ("libcuda.so.1".equals(NativeLibs.missingLibrary(e))) {
                return none("no NVIDIA driver: libcuda.so.1 is not installed (JCuda's driver binding needs it; "
                        + "install the NVIDIA driver to use a GPU)");
            }
            return none(NativeLibs.explain(e, "JCuda's driver binding"));
        } catch (RuntimeException e) {
            return none("CUDA discovery failed: " + e);
        }
    }

    private static DeviceInfoCu read(CUdevice d, int driver, String blasFailure, Nvrtc.Probe nvrtc) {
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, d);
        int len = 0;
        while (len < name.length && name[len] != 0) len++;
        long[] total = new long[1];
        cuDeviceTotalMem(total, d);
        return new DeviceInfoCu(new String(name, 0, len, StandardCharsets.UTF_8).trim(),
                attr(d, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attr(d, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                attr(d, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                total[0], driver,
                attr(d, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE),
                attr(d, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH),
                blasFailure, nvrtc.nvrtc() == null ? null : nvrtc.nvrtc().version(), nvrtc.failure());
    }

    private static int attr(CUdevice d, int a) {
        int[] v = new int[1];
        cuDeviceGetAttribute(v, a, d);
        return v[0];
    }

    static Discovery none(String why) {
        return new Discovery(List.of(), why);
    }
}
