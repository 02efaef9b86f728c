package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.spi.Backends;
import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.DeviceInfo;
import dev.nabla.spi.Gemm;
import dev.nabla.spi.Layout;
import dev.nabla.spi.RandomDist;
import dev.nabla.spi.ReduceOp;
import dev.nabla.spi.UnaryOp;
import jcuda.driver.CUevent;
import jcuda.driver.CUresult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;

/**
 * The CUDA kernel microbenchmarks of {@code ./nabla gpu-check}: device time from CUDA events around
 * repeated calls on the device's stream (so the JVM and launch overhead between calls is hidden as
 * it is in a real pipeline), F32. The ceiling for memory-bound kernels is measured, not quoted:
 * a device-to-device copy (cuMemcpyDtoDAsync, 2 bytes moved per byte copied). Elementwise and
 * reduction kernels report GB/s (minimum bytes moved) and their fraction of that copy bandwidth;
 * GEMM reports GFLOP/s (2·m·n·k per product) for cuBLAS and for the shared tiled kernel.
 *
 * <pre>
 * java -cp ... dev.nabla.cuda.GpuBench --out target/gpu-check/bench.md [--device 0]
 * </pre>
 */
public final class GpuBench {
    private static final long N = 1L << 26;            // 64 Mi floats, 256 MiB per operand: far past any L2
    private static final double MIN_SECONDS = 0.3;

    private final CudaBackend be;
    private final CudaDevice dev;
    private final JCudaApi api;
    private final List<String> rows = new ArrayList<>();
    private double copyGBs;

    private GpuBench(CudaBackend be, CudaDevice dev) {
        this.be = be;
        this.dev = dev;
        this.api = (JCudaApi) dev.api;
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("target", "gpu-check", "bench.md");
        int index = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) out = Path.of(args[++i]);
            else if (args[i].equals("--device") && i + 1 < args.length) index = Integer.parseInt(args[++i]);
        }
        CudaBackend be = (CudaBackend) Backends.get("cuda");
        List<DeviceInfo> infos = be.probe();
        if (!infos.get(0).available()) {
            System.out.println("gpu-bench: cuda unavailable: " + infos.get(0).reason());
            System.exit(2);
        }
        GpuBench b = new GpuBench(be, be.device(index));
        String md = b.run();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.out.println(md);
        System.out.println("gpu-bench: written to " + out);
    }

    private String run() {
        DeviceInfoCu info = dev.info;
        double peak = 2.0 * info.memClockKHz() * 1e3 * info.busWidthBits() / 8 / 1e9;
        StringBuilder sb = new StringBuilder("## CUDA microbenchmarks: " + dev.label() + "\n\n");
        sb.append(info.describe()).append("\n\nDevice time from CUDA events, F32, ").append(N).append(" elements per operand")
                .append(String.format(Locale.ROOT, "; theoretical memory bandwidth (2 × %d MHz × %d bit) %.0f GB/s.%n%n",
                        info.memClockKHz() / 1000, info.busWidthBits(), peak));
        copy();
        memoryBound();
        gemms();
        sb.append("| kernel | bytes or flops per call | time per call | rate | of measured copy bandwidth |\n|---|---|---|---|---|\n");
        for (String r : rows) sb.append(r).append('\n');
        sb.append(String.format(Locale.ROOT, "%nMeasured device-to-device copy: %.0f GB/s (%.0f%% of the theoretical figure).%n",
                copyGBs, 100 * copyGBs / peak));
        return sb.toString();
    }

    /** Seconds per call: warm-up, then as many calls as fill MIN_SECONDS, timed by events. */
    private double time(Runnable call) {
        synchronized (dev.lock) {
            call.run();
            api.synchronize();
            double one = measure(call, 1);
            int reps = (int) Math.max(3, Math.min(1000, MIN_SECONDS / Math.max(one, 1e-6)));
            return measure(call, reps) / reps;
        }
    }

    private double measure(Runnable call, int reps) {
        CUevent start = new CUevent(), stop = new CUevent();
        check(cuEventCreate(start, 0));
        check(cuEventCreate(stop, 0));
        try {
            check(cuEventRecord(start, api.stream()));
            for (int i = 0; i < reps; i++) call.run();
            check(cuEventRecord(stop, api.stream()));
            check(cuEventSynchronize(stop));
            float[] ms = new float[1];
            check(cuEventElapsedTime(ms, start, stop));
            return ms[0] / 1e3;
        } finally {
            cuEventDestroy(start);
            cuEventDestroy(stop);
        }
    }

    private void copy() {
        CudaBuffer a = be.allocateOn(dev, DType.F32, N), b = be.allocateOn(dev, DType.F32, N);
        try {
            double s = time(() -> check(cuMemcpyDtoDAsync((jcuda.driver.CUdeviceptr) b.ptr, (jcuda.driver.CUdeviceptr) a.ptr,
                    N * 4, api.stream())));
            copyGBs = 8.0 * N / s / 1e9;
            rows.add(row("device-to-device copy (cuMemcpyDtoDAsync)", 8.0 * N, s, copyGBs, "GB/s", 1.0));
        } finally {
            be.release(a);
            be.release(b);
        }
    }

    private void memoryBound() {
        CudaBuffer x = be.allocateOn(dev, DType.F32, N), y = be.allocateOn(dev, DType.F32, N), z = be.allocateOn(dev, DType.F32, N);
        CudaBuffer s = be.allocateOn(dev, DType.F32, 1);
        try {
            synchronized (dev.lock) {
                RandomCu.fill(dev, RandomDist.UNIFORM, x, 1, 0);
                RandomCu.fill(dev, RandomDist.UNIFORM, y, 1, 1);
            }
            Layout c = Layout.contiguous(N);
            memory("add (binary_add, contiguous)", 12.0 * N, () -> ElementwiseCu.binary(dev, BinaryOp.ADD, x, c, y, c, z));
            memory("exp (unary_exp, contiguous)", 8.0 * N, () -> ElementwiseCu.unary(dev, UnaryOp.EXP, x, c, z));
            memory("sum of all (reduce_part + reduce_final)", 4.0 * N,
                    () -> ReduceCu.reduce(be, dev, ReduceOp.SUM, x, Layout.contiguous(1, N), 1, s));
            long side = 1L << 13;
            Layout square = Layout.contiguous(side, side);
            memory("sum of rows [8192, 8192] (reduce_rows)", 4.0 * N,
                    () -> ReduceCu.reduce(be, dev, ReduceOp.SUM, x, square, 1, z));
            memory("transpose [8192, 8192] (copy_strided)", 8.0 * N,
                    () -> ElementwiseCu.copy(dev, x, square.permute(1, 0), z, Layout.contiguous(side, side)));
            memory("add broadcast [8192, 8192] + [8192] (binary_add, stride 0)", 8.0 * N + 4.0 * side,
                    () -> ElementwiseCu.binary(dev, BinaryOp.ADD, x, square,
                            y, new Layout(new long[] {side, side}, new long[] {0, 1}, 0), z));
        } finally {
            for (CudaBuffer b : new CudaBuffer[] {x, y, z, s}) be.release(b);
        }
    }

    private void memory(String what, double bytes, Runnable call) {
        double s = time(call);
        double gbs = bytes / s / 1e9;
        rows.add(row(what, bytes, s, gbs, "GB/s", gbs / copyGBs));
    }

    private void gemms() {
        for (DType t : List.of(DType.F32, DType.F64)) {
            for (int n : t == DType.F32 ? new int[] {1024, 2048, 4096} : new int[] {2048}) {
                CudaBuffer a = be.allocateOn(dev, t, (long) n * n), b = be.allocateOn(dev, t, (long) n * n);
                CudaBuffer c = be.allocateOn(dev, t, (long) n * n);
                try {
                    synchronized (dev.lock) {
                        RandomCu.fill(dev, RandomDist.UNIFORM, a, 2, 0);
                        RandomCu.fill(dev, RandomDist.UNIFORM, b, 2, 1);
                    }
                    Gemm g = new Gemm(1, n, n, n, 0, 0, n, 1, 0, 0, n, 1);
                    double flops = 2.0 * n * n * n;
                    if (dev.blas() != null) {
                        double s = time(() -> GemmCu.matmul(be, dev, g, a, b, c, true));
                        rows.add(row("GEMM " + t + " " + n + "³, " + dev.blas().version(), flops, s, flops / s / 1e9, "GFLOP/s", -1));
                    } else {
                        rows.add("| GEMM " + t + " " + n + "³, cuBLAS | | unavailable: " + dev.info.blasFailure() + " | | |");
                    }
                    double s = time(() -> GemmCu.kernel(dev, g, a, b, c));
                    rows.add(row("GEMM " + t + " " + n + "³, shared kernel (gemm_tiled)", flops, s, flops / s / 1e9, "GFLOP/s", -1));
                } finally {
                    be.release(a);
                    be.release(b);
                    be.release(c);
                }
            }
        }
    }

    private static String row(String what, double amount, double seconds, double rate, String unit, double fraction) {
        String amt = unit.equals("GB/s") ? String.format(Locale.ROOT, "%.0f MB", amount / 1e6)
                : String.format(Locale.ROOT, "%.2f GFLOP", amount / 1e9);
        return String.format(Locale.ROOT, "| %s | %s | %.3f ms | %.1f %s | %s |", what, amt, seconds * 1e3, rate, unit,
                fraction < 0 ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * fraction));
    }

    private void check(int r) {
        if (r != CUresult.CUDA_SUCCESS) throw new IllegalStateException(dev.label() + ": " + CUresult.stringFor(r));
    }
}
