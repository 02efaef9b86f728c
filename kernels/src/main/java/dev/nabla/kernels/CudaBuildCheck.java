package dev.nabla.kernels;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The build's CUDA step, run by Maven after compiling this module, where {@code nvcc} is on PATH:
 * every kernel family, in every element type, is assembled with the CUDA prelude, compiled once to
 * PTX ({@link #PTX_ARCH}), and that PTX assembled by ptxas (through nvcc) to a cubin for each
 * architecture in {@link #ARCHS}. Any compiler error fails the build, even on a machine without a
 * GPU. The PTX and the cubins are then bundled into the module's classes
 * ({@code dev/nabla/kernels/cuda/}, indexed by {@code bundle.properties} with each source's hash) so
 * the CUDA backend loads them without a compiler; see {@link CudaBundle}. Without nvcc it says so and
 * bundles nothing (the backend then compiles with NVRTC at run time). The assembled {@code .cu}
 * files and nvcc's resource report ({@code -Xptxas -v}) stay in the output directory; when the
 * sources are unchanged since the last clean run nothing is recompiled, only bundled again.
 *
 * <pre>{@code
 * java -cp kernels/target/classes dev.nabla.kernels.CudaBuildCheck kernels/target/cuda kernels/target/classes
 * }</pre>
 */
public final class CudaBuildCheck {
    /**
     * Turing (the oldest CUDA 13 still targets), Ampere (its cubin also runs on sm_86 and sm_89:
     * A10, L4, RTX 30 and 40) and Hopper. Other GPUs JIT the PTX.
     */
    static final List<String> ARCHS = List.of("sm_75", "sm_80", "sm_90");
    /** The PTX's virtual architecture: the oldest of ARCHS, so every newer GPU can JIT it. */
    static final String PTX_ARCH = "compute_75";
    /**
     * No fused multiply-add from contraction: PTX then spells every product and sum with an explicit
     * rounding (mul.rn, add.rn), which neither ptxas nor a driver's JIT may fuse. 177 (unused
     * function) and 39 (the intentional division by zero of fdlibm's log) are noise.
     */
    static final List<String> OPTIONS = List.of("--fmad=false", "-diag-suppress", "177,39");
    private static final long TIMEOUT_S = 300;

    private CudaBuildCheck() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/cuda");
        Path classes = args.length > 1 ? Path.of(args[1]) : null;
        String nvcc = findOnPath("nvcc");
        if (nvcc == null) {
            System.out.println("kernels: nvcc is not on PATH; the CUDA compile check is skipped and no PTX is bundled"
                    + " (the CUDA backend will compile the kernels with NVRTC at run time)");
            return;
        }
        Files.createDirectories(out);
        StringBuilder all = new StringBuilder(String.join(",", ARCHS) + PTX_ARCH + OPTIONS);
        List<Path> sources = new ArrayList<>();
        Properties index = new Properties();
        for (KernelFamily f : KernelFamily.values()) {
            for (KernelType t : f.types()) {
                String text = KernelSource.assemble(Target.CUDA, f, t);
                String name = CudaBundle.name(f, t);
                Path cu = out.resolve(name + ".cu");
                Files.writeString(cu, text, StandardCharsets.UTF_8);
                sources.add(cu);
                all.append(text);
                index.setProperty("source." + name, KernelSource.sha256(text));
            }
        }
        Path stamp = out.resolve("checked.sha256");
        String hash = KernelSource.sha256(all.toString());
        if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(hash)) {
            System.out.println("kernels: CUDA check up to date (" + sources.size() + " sources, " + ARCHS + ")");
        } else {
            Files.deleteIfExists(stamp);
            if (!compileAll(nvcc, out, sources)) System.exit(1);
            Files.writeString(stamp, hash + "\n");
        }
        if (classes != null) bundle(nvcc, out, classes, sources, index);
    }

    /** PTX, then a cubin per arch, for every source; false (after printing nvcc's log) on any failure. */
    private static boolean compileAll(String nvcc, Path out, List<Path> sources) throws IOException, InterruptedException {
        StringBuilder report = new StringBuilder();
        int failures = 0;
        for (Path cu : sources) {
            String base = cu.getFileName().toString().replace(".cu", "");
            Path ptx = out.resolve(base + ".ptx");
            List<String> cmd = new ArrayList<>(List.of(nvcc, "-ptx", "-arch=" + PTX_ARCH));
            cmd.addAll(OPTIONS);
            cmd.addAll(List.of("-o", ptx.toString(), cu.toString()));
            if (!run(cmd, base + " " + PTX_ARCH, report)) {
                failures++;
                continue;
            }
            for (String arch : ARCHS) {
                Path cubin = out.resolve(base + "." + arch + ".cubin");
                List<String> as = List.of(nvcc, "-cubin", "-arch=" + arch, "-Xptxas", "-v", "-o", cubin.toString(), ptx.toString());
                if (!run(as, base + " " + arch, report)) failures++;
            }
        }
        Files.writeString(out.resolve("nvcc-report.txt"), report.toString());
        if (failures > 0) {
            System.err.println("kernels: " + failures + " CUDA compilation(s) failed; see " + out.resolve("nvcc-report.txt"));
            return false;
        }
        System.out.println("kernels: " + sources.size() + " sources compiled by nvcc to PTX (" + PTX_ARCH + ") and cubins for "
                + ARCHS + " without errors (resource report: " + out.resolve("nvcc-report.txt") + ")");
        return true;
    }

    private static boolean run(List<String> cmd, String what, StringBuilder report) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
        int rc = done ? p.exitValue() : -1;
        if (!done) p.destroyForcibly();
        report.append("== ").append(what).append(" (exit ").append(rc).append(")\n").append(log).append('\n');
        if (rc != 0) System.err.println("kernels: nvcc failed on " + what + ":\n" + log);
        return rc == 0;
    }

    /** Copies PTX and cubins into the classes directory with the index CudaBundle reads. */
    private static void bundle(String nvcc, Path out, Path classes, List<Path> sources, Properties index)
            throws IOException, InterruptedException {
        Path dir = classes.resolve(CudaBundle.DIR);
        Files.createDirectories(dir);
        for (Path cu : sources) {
            String base = cu.getFileName().toString().replace(".cu", "");
            Files.copy(out.resolve(base + ".ptx"), dir.resolve(base + ".ptx"), StandardCopyOption.REPLACE_EXISTING);
            for (String arch : ARCHS) {
                String cubin = base + "." + arch + ".cubin";
                Files.copy(out.resolve(cubin), dir.resolve(cubin), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        index.setProperty("archs", String.join(",", ARCHS));
        index.setProperty("ptx", PTX_ARCH);
        index.setProperty("options", String.join(" ", OPTIONS));
        index.setProperty("nvcc", nvccVersion(nvcc));
        try (var w = Files.newBufferedWriter(dir.resolve(CudaBundle.INDEX))) {
            index.store(w, "CUDA kernels bundled by CudaBuildCheck: source.<name> is the SHA-256 of the assembled source");
        }
    }

    private static String nvccVersion(String nvcc) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(nvcc, "--version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        String last = "";
        for (String line : v.split("\n")) if (line.contains("release")) last = line.trim();
        return last.isEmpty() ? "unknown" : last;
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
