package dev.nabla.cuda;

/**
 * What nabla needs to know of one CUDA device, read once at discovery: names for messages and
 * cache keys, the compute capability that picks a bundled cubin, memory for the allocator, and
 * which of cuBLAS and NVRTC this machine has (with the reason when one is missing).
 *
 * @param driverVersion the driver's CUDA version as cuDriverGetVersion gives it (12080 = 12.8)
 * @param memClockKHz memory clock, for the theoretical bandwidth the GPU check prints
 * @param busWidthBits memory bus width
 * @param blasFailure null when cuBLAS loads, else why not
 * @param nvrtc "NVRTC 12.6", or null when it does not load
 * @param nvrtcFailure why NVRTC does not load, or null
 */
record DeviceInfoCu(String name, int ccMajor, int ccMinor, int sms, long totalBytes, int driverVersion,
                    int memClockKHz, int busWidthBits, String blasFailure, String nvrtc, String nvrtcFailure) {

    /** Compute capability as one number: 86 for 8.6. */
    int cc() { return ccMajor * 10 + ccMinor; }

    /** "12.8" */
    String driver() { return driverVersion / 1000 + "." + driverVersion % 1000 / 10; }

    /** One line for Device.probe(); contains "GPU". */
    String describe() {
        return name + " (GPU, sm_" + cc() + ", " + sms + " SMs, " + (totalBytes >> 20) + " MiB, CUDA driver " + driver()
                + ", " + (blasFailure == null ? "cuBLAS" : "no cuBLAS: " + blasFailure)
                + ", " + (nvrtc != null ? nvrtc : "no NVRTC: " + nvrtcFailure) + ")";
    }
}
