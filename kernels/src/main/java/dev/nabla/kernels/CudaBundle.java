package dev.nabla.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The CUDA binaries the build bundled (see {@link CudaBuildCheck}): per family and element type a
 * PTX file and a cubin per architecture, under {@code dev/nabla/kernels/cuda/} on the class path,
 * with {@code bundle.properties} recording each source's SHA-256. A bundle whose hash differs from
 * the source now on the class path is stale and is not offered, so an edited kernel is never run
 * from an old binary. Empty when the build had no nvcc.
 *
 * <pre>{@code
 * CudaBundle b = CudaBundle.standard();
 * for (CudaBundle.Image im : b.images(KernelFamily.UNARY, KernelType.F32, 8, 6)) ...  // sm_80 cubin, then PTX
 * }</pre>
 */
public final class CudaBundle {
    static final String DIR = "dev/nabla/kernels/cuda";
    static final String INDEX = "bundle.properties";
    private static volatile CudaBundle standard;

    private final Properties index;

    private CudaBundle(Properties index) { this.index = index; }

    /** One loadable image: a cubin for an architecture, or PTX the driver compiles. */
    public record Image(String label, byte[] bytes, boolean ptx) {}

    /** The bundle on the class path (empty when the build bundled nothing). */
    public static CudaBundle standard() {
        CudaBundle b = standard;
        if (b == null) {
            Properties p = new Properties();
            try (InputStream in = CudaBundle.class.getResourceAsStream("/" + DIR + "/" + INDEX)) {
                if (in != null) p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("kernels: cannot read the CUDA bundle's index", e);
            }
            b = new CudaBundle(p);
            standard = b;
        }
        return b;
    }

    /** A bundle with nothing in it, as a build without nvcc leaves. */
    public static CudaBundle empty() {
        return new CudaBundle(new Properties());
    }

    /** "unary-f32": the file name stem of a family's variant. */
    public static String name(KernelFamily f, KernelType t) {
        return f.name().toLowerCase(Locale.ROOT) + "-" + t.name().toLowerCase(Locale.ROOT);
    }

    /** Whether the build bundled anything. */
    public boolean present() { return index.getProperty("archs") != null; }

    /** The cubin architectures bundled ("sm_75", ...), empty when none. */
    public List<String> archs() {
        String a = index.getProperty("archs");
        return a == null || a.isBlank() ? List.of() : Arrays.asList(a.split(","));
    }

    /** The nvcc that built the bundle, as its --version line, or null. */
    public String nvccVersion() { return index.getProperty("nvcc"); }

    /**
     * Why the variant cannot come from the bundle (not bundled, or bundled from another source), or
     * null when it can.
     */
    public String unavailableReason(KernelFamily f, KernelType t) {
        if (!present()) return "no CUDA binaries were bundled (nvcc was not on PATH when the kernels module was built)";
        String h = index.getProperty("source." + name(f, t));
        if (h == null) return "the bundle has no " + name(f, t);
        String now = KernelSource.sha256(KernelSource.assemble(Target.CUDA, f, t));
        if (!h.equals(now)) return "the bundled " + name(f, t) + " was built from another version of " + f.file() + " (stale build)";
        return null;
    }

    /**
     * The images worth trying for a GPU of compute capability major.minor, best first: the cubin of
     * its own architecture, else of the newest bundled one of the same major version and no newer
     * minor (cubins run on later minors of their major), then the PTX (JIT-compiled by the driver).
     */
    public List<Image> images(KernelFamily f, KernelType t, int major, int minor) {
        List<Image> out = new ArrayList<>();
        if (unavailableReason(f, t) != null) return out;
        String best = null;
        int bestMinor = -1;
        for (String arch : archs()) {
            int cc = Integer.parseInt(arch.substring(3));
            int aMajor = cc / 10, aMinor = cc % 10;
            if (aMajor == major && aMinor <= minor && aMinor > bestMinor) {
                best = arch;
                bestMinor = aMinor;
            }
        }
        String n = name(f, t);
        if (best != null) {
            byte[] cubin = resource(n + "." + best + ".cubin");
            if (cubin != null) out.add(new Image(n + "." + best + ".cubin", cubin, false));
        }
        byte[] ptx = resource(n + ".ptx");
        if (ptx != null) out.add(new Image(n + ".ptx (" + index.getProperty("ptx") + ")", ptx, true));
        return out;
    }

    /** The bundled PTX text of a variant, or null. */
    public String ptx(KernelFamily f, KernelType t) {
        byte[] b = resource(name(f, t) + ".ptx");
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] resource(String file) {
        try (InputStream in = CudaBundle.class.getResourceAsStream("/" + DIR + "/" + file)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
