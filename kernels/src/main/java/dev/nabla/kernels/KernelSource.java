package dev.nabla.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Assembles a kernel family into one compilable text: a header naming it, the variant's type
 * defines, the target's prelude, {@code common.h}, then the family's source. The same family text
 * goes to every target; only the prelude differs.
 *
 * <pre>{@code
 * String cl = KernelSource.assemble(Target.OPENCL, KernelFamily.GEMM, KernelType.F32);
 * String key = KernelSource.sha256(cl);
 * }</pre>
 */
public final class KernelSource {
    private static final Map<String, String> RESOURCES = new ConcurrentHashMap<>();

    private KernelSource() {}

    /** The full text of one family for one target and element type. */
    public static String assemble(Target target, KernelFamily family, KernelType type) {
        if (!family.types().contains(type)) {
            throw new IllegalArgumentException("kernels: family " + family + " has no " + type + " variant");
        }
        return "/* nabla kernels: " + family.file() + ", " + type + ", " + target + " */\n"
                + type.defines(target)
                + resource(target.prelude())
                + resource("common.h")
                + resource(family.file());
    }

    /** A source file under dev/nabla/kernels on the class path. */
    public static String resource(String name) {
        return RESOURCES.computeIfAbsent(name, n -> {
            try (InputStream in = KernelSource.class.getResourceAsStream(n)) {
                if (in == null) throw new IllegalStateException("kernels: resource " + n + " is missing from the class path");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("kernels: cannot read " + n, e);
            }
        });
    }

    /** Lower-case hex SHA-256 of the text's UTF-8 bytes. */
    public static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
