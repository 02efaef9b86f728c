package dev.nabla.autodiff;

import dev.nabla.DType;
import dev.nabla.Generator;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Checks derivatives against central finite differences in float64, as torch.autograd.gradcheck:
 * every entry of the Jacobian must satisfy |analytical - numerical| ≤ atol + rtol·|numerical|
 * with eps 1e-6, atol 1e-5, rtol 1e-3. Floating inputs are converted to F64 first; a failure
 * throws {@link GradCheckException} naming the input, the output and input positions and both values.
 *
 * <pre>{@code
 * GradCheck.gradcheck(xs -> xs.get(0).tanh().mul(xs.get(1)).sum(), List.of(a, b));
 * GradCheck.jvpcheck(xs -> xs.get(0).softmax(-1), List.of(a));
 * }</pre>
 */
public final class GradCheck {
    private GradCheck() {}

    public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    /** Reverse mode: one VJP per output element against finite differences. */
    public static void gradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        List<Tensor> xs = toF64(inputs);
        List<Tensor> analytical = Autodiff.jacrev(f, xs);
        compare("gradcheck", f, xs, analytical);
    }

    /** Forward mode: one JVP per input element against finite differences. */
    public static void jvpcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        List<Tensor> xs = toF64(inputs);
        List<Tensor> analytical = Autodiff.jacfwd(f, xs);
        compare("jvpcheck", f, xs, analytical);
    }

    /**
     * Second order: the gradients of ⟨f(xs), v⟩ for a fixed random v, as a function of xs, are
     * checked by gradcheck (their derivatives taken through the backward pass).
     */
    public static void gradgradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        List<Tensor> xs = toF64(inputs);
        Tensor v;
        try (Tensor y = f.apply(xs)) {
            v = Tensor.randn(DType.F64, y.device(), new Generator(0x6e61626c61L), y.shape());
        }
        Function<List<Tensor>, Tensor> g = ys -> Autodiff.flatten(Autodiff.grad(zs -> f.apply(zs).mul(v).sum(), ys));
        gradcheck(g, xs);
    }

    private static List<Tensor> toF64(List<Tensor> inputs) {
        List<Tensor> xs = new ArrayList<>(inputs.size());
        for (Tensor x : inputs) xs.add(x.dtype().isFloating() ? x.to(DType.F64).detach() : x);
        return xs;
    }

    private static void compare(String check, Function<List<Tensor>, Tensor> f, List<Tensor> xs, List<Tensor> analytical) {
        for (int j = 0; j < xs.size(); j++) {
            Tensor x = xs.get(j);
            if (!x.dtype().isFloating()) continue;
            double[] base = x.toDoubleArray();
            double[] a = analytical.get(j).toDoubleArray();
            long[] shape = x.shape();
            int n = base.length;
            int m = n == 0 ? 0 : a.length / n;
            for (int e = 0; e < n; e++) {
                double[] plus = evaluate(f, xs, j, shape, base, e, EPS);
                double[] minus = evaluate(f, xs, j, shape, base, e, -EPS);
                for (int i = 0; i < m; i++) {
                    double num = (plus[i] - minus[i]) / (2 * EPS);
                    double ana = a[i * n + e];
                    if (!(Math.abs(ana - num) <= ATOL + RTOL * Math.abs(num)) && !(Double.isNaN(ana) && Double.isNaN(num))) {
                        throw new GradCheckException(check + ": Jacobian mismatch for input " + j + " " + Arrays.toString(shape)
                                + " at output element " + i + ", input element " + e + ": analytical " + ana
                                + ", numerical " + num);
                    }
                }
            }
        }
    }

    private static double[] evaluate(Function<List<Tensor>, Tensor> f, List<Tensor> xs, int j, long[] shape,
                                     double[] base, int e, double delta) {
        double[] p = base.clone();
        p[e] += delta;
        List<Tensor> args = new ArrayList<>(xs);
        Tensor moved = Tensor.of(DType.F64, xs.get(j).device(), p, shape.length == 0 ? new long[] {1} : shape);
        if (shape.length == 0) moved = moved.reshape();
        args.set(j, moved);
        Tensor out = f.apply(args);
        double[] r = out.toDoubleArray();
        out.close();
        moved.close();
        return r;
    }
}
