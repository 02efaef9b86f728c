package dev.nabla.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads why a JCuda library did not load. JCuda first looks for its JNI library
 * ({@code libJCudaDriver-12.6.0-linux-x86_64.so}, ...) on {@code java.library.path}, then extracts it
 * from its natives jar into {@code java.io.tmpdir} and loads it from there; the JNI library in turn
 * needs NVIDIA's own library ({@code libcuda.so.1}, {@code libcublas.so.12}, {@code libnvrtc.so.12}).
 * Its UnsatisfiedLinkError carries both attempts' stack traces in the message; this finds the
 * dynamic loader's one line that says what is missing, so probe reasons stay one line.
 */
final class NativeLibs {
    private static final Pattern MISSING = Pattern.compile("(lib[A-Za-z0-9_.+-]+\\.so[0-9.]*): cannot open shared object file");
    private static final Pattern SYMBOL = Pattern.compile("undefined symbol: ([A-Za-z0-9_]+)");

    private NativeLibs() {}

    /** The library the loader could not find (e.g. "libcuda.so.1"), or null. */
    static String missingLibrary(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() == null) continue;
            Matcher m = MISSING.matcher(t.getMessage());
            // the JCuda JNI library itself is found (it is in the jar); report what it depends on
            while (m.find()) {
                if (!m.group(1).startsWith("libJ")) return m.group(1);
            }
        }
        return null;
    }

    /** One line saying why a JCuda library failed to load. */
    static String explain(Throwable e, String component) {
        String missing = missingLibrary(e);
        if (missing != null) return missing + " could not be loaded (" + component + " needs it)";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() == null) continue;
            Matcher m = SYMBOL.matcher(t.getMessage());
            if (m.find()) return "the installed library lacks " + m.group(1) + " (" + component + " needs a newer one)";
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = msg.indexOf('\n');
        return component + " failed to load: " + e.getClass().getSimpleName() + ": " + (nl < 0 ? msg : msg.substring(0, nl)).trim();
    }
}
