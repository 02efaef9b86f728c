package dev.nabla.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One matmul the GEMM benchmarks measure, named the same way in {@link MatmulBench} (nabla),
 * {@link DjlMatmulBench} (PyTorch) and {@code bench/compare_numpy.py} (numpy), so the report can put
 * the three side by side:
 * <ul>
 *   <li>{@code n=1024}: square F32 [n, n] @ [n, n];</li>
 *   <li>{@code 128x784@784x256}: F32 [m, k] @ [k, n], both operands contiguous;</li>
 *   <li>a {@code ^T} after an operand: that operand is the transposed view of a contiguous
 *       tensor, as backward produces them: {@code 128x784@784x256^T} is {@code x @ W.mT()} with
 *       W [256, 784] (nn.Linear's forward), {@code 256x128^T@128x784} is {@code G.mT() @ x} with
 *       G [128, 256] (the weight gradient);</li>
 *   <li>{@code 64*64x64@64x64}: a batch of 64 products;</li>
 *   <li>{@code f64 n=1024}: the same in F64.</li>
 * </ul>
 *
 * @param name the case as written in a {@code @Param}
 * @param f64 F64 instead of F32
 * @param batch products per call (1 for a plain matmul)
 */
record GemmCase(String name, boolean f64, int batch, int m, int k, int n, boolean transA, boolean transB) {

    /** Every case, in the order the report lists them; the @Param lists of both benchmarks repeat it. */
    static final String[] ALL = {
        "n=256", "n=512", "n=1024", "n=2048",
        "128x784@784x256", "128x784@784x256^T", "256x128^T@128x784", "128x256@256x784",
        "128x256@256x10", "128x256@256x10^T", "10x128^T@128x256", "128x10@10x256",
        "64*64x64@64x64",
        "f64 n=512", "f64 n=1024",
    };

    private static final Pattern SQUARE = Pattern.compile("(f64 )?n=(\\d+)");
    private static final Pattern GENERAL =
            Pattern.compile("(f64 )?(?:(\\d+)\\*)?(\\d+)x(\\d+)(\\^T)?@(\\d+)x(\\d+)(\\^T)?");

    static GemmCase parse(String name) {
        Matcher s = SQUARE.matcher(name);
        if (s.matches()) {
            int n = Integer.parseInt(s.group(2));
            return new GemmCase(name, s.group(1) != null, 1, n, n, n, false, false);
        }
        Matcher g = GENERAL.matcher(name);
        if (!g.matches() || !g.group(4).equals(g.group(6))) {
            throw new IllegalArgumentException("not a matmul case: " + name);
        }
        int batch = g.group(2) == null ? 1 : Integer.parseInt(g.group(2));
        return new GemmCase(name, g.group(1) != null, batch, Integer.parseInt(g.group(3)),
                Integer.parseInt(g.group(4)), Integer.parseInt(g.group(7)), g.group(5) != null, g.group(8) != null);
    }

    /** Floating-point operations per call: 2·m·k·n per product. */
    double flops() {
        return 2.0 * batch * m * k * n;
    }

    /** Square F32 cases: their n (the chart's x axis and the GEMM targets); 0 otherwise. */
    int squareN() {
        return !f64 && batch == 1 && m == k && k == n && !transA && !transB ? n : 0;
    }

    /** Shape of the tensor A is made from: [m, k], or [k, m] when A is its transposed view. */
    long[] aStorage() {
        long[] s = transA ? new long[] {k, m} : new long[] {m, k};
        return batch == 1 ? s : new long[] {batch, s[0], s[1]};
    }

    /** Shape of the tensor B is made from: [k, n], or [n, k] when B is its transposed view. */
    long[] bStorage() {
        long[] s = transB ? new long[] {n, k} : new long[] {k, n};
        return batch == 1 ? s : new long[] {batch, s[0], s[1]};
    }

    /** What the case computes, in words, for the report. */
    String describe() {
        String a = transA ? "[" + k + ", " + m + "]ᵀ" : "[" + m + ", " + k + "]";
        String b = transB ? "[" + n + ", " + k + "]ᵀ" : "[" + k + ", " + n + "]";
        String s = (batch > 1 ? batch + " × " : "") + a + " @ " + b;
        return String.format(Locale.ROOT, "%s %s", f64 ? "F64" : "F32", s);
    }
}
