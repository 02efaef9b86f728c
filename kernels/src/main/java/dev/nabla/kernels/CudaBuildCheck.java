package dev.nabla.kernels;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The build's CUDA check, run by Maven after compiling this module: every kernel family, in every
 * element type, is assembled with the CUDA prelude and compiled by {@code nvcc} to a cubin for each
 * architecture in {@link #ARCHS} (so ptxas runs too). Any compiler error fails the build, even on a
 * machine without a GPU. Where {@code nvcc} is not on PATH it says so and succeeds. The assembled
 * {@code .cu} files, the cubins and nvcc's resource report ({@code -Xptxas -v}) stay in the output
 * directory; when the sources are unchanged since the last clean check nothing is recompiled.
 *
 * <pre>{@code
 * java -cp kernels/target/classes dev.nabla.kernels.CudaBuildCheck kernels/target/cuda
 * }</pre>
 */
public final class CudaBuildCheck {
    /** Turing (the oldest CUDA 13 still targets) and Hopper. */
    static final List<String> ARCHS = List.of("sm_75", "sm_90");
    private static final long TIMEOUT_S = 300;

    private CudaBuildCheck() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/cuda");
        String nvcc = findOnPath("nvcc");
        if (nvcc == null) {
            System.out.println("kernels: nvcc is not on PATH; the CUDA compile check of the kernels is skipped");
            return;
        }
        Files.createDirectories(out);
        StringBuilder all = new StringBuilder(String.join(",", ARCHS));
        List<Path> sources = new ArrayList<>();
        for (KernelFamily f : KernelFamily.values()) {
            for (KernelType t : f.types()) {
                String text = KernelSource.assemble(Target.CUDA, f, t);
                Path cu = out.resolve(f.name().toLowerCase() + "-" + t.name().toLowerCase() + ".cu");
                Files.writeString(cu, text, StandardCharsets.UTF_8);
                sources.add(cu);
                all.append(text);
            }
        }
        Path stamp = out.resolve("checked.sha256");
        String hash = KernelSource.sha256(all.toString());
        if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(hash)) {
            System.out.println("kernels: CUDA check up to date (" + sources.size() + " sources, " + ARCHS + ")");
            return;
        }
        Files.deleteIfExists(stamp);
        StringBuilder report = new StringBuilder();
        int failures = 0;
        for (Path cu : sources) {
            for (String arch : ARCHS) {
                Path cubin = out.resolve(cu.getFileName().toString().replace(".cu", "." + arch + ".cubin"));
                List<String> cmd = List.of(nvcc, "-cubin", "-arch=" + arch, "--fmad=false", "-diag-suppress", "177", "-Xptxas", "-v",
                        "-o", cubin.toString(), cu.toString());
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean done = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
                int rc = done ? p.exitValue() : -1;
                if (!done) p.destroyForcibly();
                report.append("== ").append(cu.getFileName()).append(' ').append(arch).append(" (exit ").append(rc).append(")\n")
                        .append(log).append('\n');
                if (rc != 0) {
                    failures++;
                    System.err.println("kernels: nvcc failed on " + cu.getFileName() + " for " + arch + ":\n" + log);
                }
            }
        }
        Files.writeString(out.resolve("nvcc-report.txt"), report.toString());
        if (failures > 0) {
            System.err.println("kernels: " + failures + " CUDA compilation(s) failed; see " + out.resolve("nvcc-report.txt"));
            System.exit(1);
        }
        Files.writeString(stamp, hash + "\n");
        System.out.println("kernels: " + sources.size() + " sources compiled by nvcc for " + ARCHS
                + " without errors (resource report: " + out.resolve("nvcc-report.txt") + ")");
    }

    private static String findOnPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, exe);
            if (f.isFile() && f.canExecute()) return f.getAbsolutePath();
        }
        return null;
    }
}
