package dev.nabla.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.kernels.CudaBundle;
import java.util.List;

/** Backends over one recording device (no GPU): see {@link RecordingApi}. */
final class RecordingDevices {
    private RecordingDevices() {}

    /**
     * Compute capability 5.2: no bundled cubin matches, so the loader hands the device the bundled
     * PTX, which the recording device parses.
     */
    static DeviceInfoCu info(long totalBytes) {
        return new DeviceInfoCu("recording device", 5, 2, 4, totalBytes, 12080, 1_000_000, 256,
                "libcublas.so.12 could not be loaded (test)", null, "libnvrtc.so.12 could not be loaded (test)");
    }

    static CudaBackend backend(RecordingApi api, long totalBytes) {
        CudaDevice dev = new CudaDevice(0, api, info(totalBytes), null);
        return new CudaBackend(() -> new Discovery(List.of(dev), null));
    }

    /** Skips (with the reason) where the kernels module was built without nvcc. */
    static void requireBundle() {
        String why = CudaBundle.standard().present() ? null : CudaBundle.standard().unavailableReason(
                dev.nabla.kernels.KernelFamily.UNARY, dev.nabla.kernels.KernelType.F32);
        assumeTrue(why == null, () -> "no bundled PTX to check launches against: " + why);
    }
}
