package dev.nabla.algo;

import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists of tensors shaped like a model's parameters, seen as one vector: what curvature
 * operators take and return, and what {@link HessianSpectrum} returns as eigenvectors. Inner
 * products come back as Java doubles; the arithmetic runs on the tensors' device without
 * recording on the tape.
 *
 * <pre>{@code
 * double overlap = ParameterVectors.dot(eigen.vectors().get(0), gradient);
 * List<Tensor> step = ParameterVectors.axpy(-0.1, gradient, params);   // params - 0.1 gradient
 * }</pre>
 */
public final class ParameterVectors {
    private ParameterVectors() {}

    /** Σᵢ ⟨a[i], b[i]⟩ over the whole list; a and b must be shaped alike. */
    public static double dot(List<Tensor> a, List<Tensor> b) {
        ParameterLayout.of("ParameterVectors.dot", a).check("ParameterVectors.dot", b);
        double s = 0;
        try (Scope scope = Scope.open(); NoGrad ng = NoGrad.open()) {
            for (int i = 0; i < a.size(); i++) s += a.get(i).reshape(-1).dot(b.get(i).reshape(-1)).item();
        }
        return s;
    }

    /** The Euclidean norm of the whole list. */
    public static double norm(List<Tensor> a) {
        return Math.sqrt(dot(a, a));
    }

    /** alpha·x + y, element by element, as new tensors. */
    public static List<Tensor> axpy(double alpha, List<Tensor> x, List<Tensor> y) {
        ParameterLayout.of("ParameterVectors.axpy", x).check("ParameterVectors.axpy", y);
        List<Tensor> out = new ArrayList<>(x.size());
        try (NoGrad ng = NoGrad.open()) {
            for (int i = 0; i < x.size(); i++) {
                try (Tensor ax = x.get(i).mul(alpha)) {
                    out.add(ax.add(y.get(i)));
                }
            }
        }
        return out;
    }

    /** s·x as new tensors. */
    public static List<Tensor> scale(List<Tensor> x, double s) {
        ParameterLayout.of("ParameterVectors.scale", x);
        List<Tensor> out = new ArrayList<>(x.size());
        try (NoGrad ng = NoGrad.open()) {
            for (Tensor t : x) out.add(t.mul(s));
        }
        return out;
    }

    /** Independent ±1 entries shaped, typed and placed like the list (the same signs on every device). */
    public static List<Tensor> rademacher(List<Tensor> like, Generator g) {
        ParameterLayout layout = ParameterLayout.of("ParameterVectors.rademacher", like);
        return layout.unflatten(layout.rademacher(g));
    }

    /** Independent standard normal entries shaped, typed and placed like the list. */
    public static List<Tensor> gaussian(List<Tensor> like, Generator g) {
        ParameterLayout layout = ParameterLayout.of("ParameterVectors.gaussian", like);
        return layout.unflatten(layout.gaussian(g));
    }

    /** The number of scalars in the list. */
    public static long dimension(List<Tensor> v) {
        long n = 0;
        for (Tensor t : v) n += t.numel();
        return n;
    }
}
