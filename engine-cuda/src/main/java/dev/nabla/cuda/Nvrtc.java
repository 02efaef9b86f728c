package dev.nabla.cuda;

import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * NVRTC through JCuda's JNvrtc: needs the CUDA 12 toolkit's {@code libnvrtc.so.12} (JCuda 12.6 is
 * built against it). {@link #load()} says why it is missing instead of throwing. Options match the
 * build's nvcc: {@code --fmad=false}, so no a*b+c is contracted (see prelude.cuda.h).
 */
final class Nvrtc implements RuntimeCompiler {
    private final String version;
    private final int[] archs;

    private Nvrtc(String version, int[] archs) {
        this.version = version;
        this.archs = archs;
    }

    /** NVRTC, or the reason it cannot be used. */
    record Probe(Nvrtc nvrtc, String failure) {}

    static Probe load() {
        try {
            int[] major = new int[1], minor = new int[1];
            int r = JNvrtc.nvrtcVersion(major, minor);
            if (r != nvrtcResult.NVRTC_SUCCESS) return new Probe(null, "nvrtcVersion failed: " + nvrtcResult.stringFor(r));
            int[] n = new int[1];
            JNvrtc.nvrtcGetNumSupportedArchs(n);
            int[] archs = new int[n[0]];
            if (n[0] > 0) JNvrtc.nvrtcGetSupportedArchs(archs);
            Arrays.sort(archs);
            return new Probe(new Nvrtc("NVRTC " + major[0] + "." + minor[0], archs), null);
        } catch (LinkageError e) {
            return new Probe(null, NativeLibs.explain(e, "JCuda's NVRTC binding"));
        } catch (RuntimeException e) {
            return new Probe(null, "NVRTC failed to start: " + e);
        }
    }

    @Override public String version() { return version; }

    @Override
    public List<String> options(int cc) {
        boolean known = Arrays.binarySearch(archs, cc) >= 0;
        int virt = cc;
        if (!known) {
            virt = archs.length == 0 ? 75 : archs[archs.length - 1];
            for (int a : archs) if (a <= cc) virt = a;
        }
        String arch = known ? "sm_" + cc : "compute_" + virt;
        return List.of("--gpu-architecture=" + arch, "--fmad=false");
    }

    @Override
    public Output compile(String source, String name, int cc) {
        List<String> options = options(cc);
        boolean ptx = options.get(0).contains("compute_");
        nvrtcProgram prog = new nvrtcProgram();
        check(JNvrtc.nvrtcCreateProgram(prog, source, name, 0, null, null), "nvrtcCreateProgram", name);
        try {
            int r = JNvrtc.nvrtcCompileProgram(prog, options.size(), options.toArray(new String[0]));
            if (r != nvrtcResult.NVRTC_SUCCESS) {
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(prog, log);
                throw new IllegalStateException(version + " could not compile " + name + " with " + options + " ("
                        + nvrtcResult.stringFor(r) + "):\n" + (log[0] == null ? "" : log[0].trim()));
            }
            byte[] image;
            if (ptx) {
                String[] out = new String[1];
                check(JNvrtc.nvrtcGetPTX(prog, out), "nvrtcGetPTX", name);
                image = out[0].getBytes(StandardCharsets.UTF_8);
            } else {
                long[] size = new long[1];
                check(JNvrtc.nvrtcGetCUBINSize(prog, size), "nvrtcGetCUBINSize", name);
                image = new byte[Math.toIntExact(size[0])];
                check(JNvrtc.nvrtcGetCUBIN(prog, image), "nvrtcGetCUBIN", name);
            }
            return new Output(image, ptx, options);
        } finally {
            JNvrtc.nvrtcDestroyProgram(prog);
        }
    }

    private void check(int r, String call, String name) {
        if (r != nvrtcResult.NVRTC_SUCCESS) {
            throw new IllegalStateException(version + ": " + call + " failed for " + name + ": " + nvrtcResult.stringFor(r));
        }
    }
}
