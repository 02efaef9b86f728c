package dev.nabla.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel entry points of a PTX module and their parameter lists, read from the
 * {@code .visible .entry name( .param ... )} declarations nvcc writes: what a launch must pass.
 */
final class PtxSignatures {
    /** One parameter: its PTX type (u64, f32, b8, ...) and its size in bytes. */
    record Param(String type, int bytes) {
        boolean floating() { return type.startsWith("f"); }
    }

    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)", Pattern.DOTALL);
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+(?:\\.align\\s+\\d+\\s+)?\\.(\\w+)\\s+\\w+(?:\\[(\\d+)])?");

    private PtxSignatures() {}

    static Map<String, List<Param>> parse(String ptx) {
        Map<String, List<Param>> out = new HashMap<>();
        Matcher e = ENTRY.matcher(ptx);
        while (e.find()) {
            List<Param> ps = new ArrayList<>();
            Matcher p = PARAM.matcher(e.group(2));
            while (p.find()) {
                String t = p.group(1);
                int width = Integer.parseInt(t.substring(1)) / 8;
                int count = p.group(2) == null ? 1 : Integer.parseInt(p.group(2));
                ps.add(new Param(t, width * count));
            }
            out.put(e.group(1), ps);
        }
        return out;
    }
}
