package dev.nabla.algo;

import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The top eigenpairs of a symmetric operator by power iteration with deflation, as PyHessian:
 * each eigenvector is iterated in the orthogonal complement of those already found (every
 * product is projected off them), so the i-th run converges to the i-th eigenvalue of largest
 * magnitude. The estimate is the Rayleigh quotient vᵀHv; a run stops when it changes by at most
 * tol relative to itself between two iterations.
 */
final class PowerIteration {
    private PowerIteration() {}

    static HessianSpectrum.Eigen top(FlatOperator op, Generator g, int k, double tol, int maxIter) {
        ParameterLayout layout = op.layout();
        List<Tensor> found = new ArrayList<>(k);
        double[] values = new double[k];
        int[] iterations = new int[k];
        try (Scope method = Scope.open(); NoGrad ng = NoGrad.open()) {
            for (int i = 0; i < k; i++) {
                Tensor v;
                try (Scope start = Scope.open()) {
                    Tensor r = deflate(layout.gaussian(g), found);
                    v = start.keep(r.div(r.norm().item()));
                }
                double lambda = Double.NaN;
                int it = 0;
                while (it < maxIter) {
                    it++;
                    Tensor next;
                    double rayleigh;
                    boolean stop;
                    try (Scope step = Scope.open()) {
                        Tensor hv = op.apply(v);
                        rayleigh = v.dot(hv).item();
                        if (!Double.isFinite(rayleigh)) {
                            throw new ArithmeticException("topEigenvalues: the operator's product is not finite (iteration " + it + ")");
                        }
                        hv = deflate(hv, found);
                        double norm = hv.norm().item();
                        // a zero product: v lies in the (deflated) null space, and 0 is the eigenvalue
                        stop = norm == 0 || Math.abs(rayleigh - lambda) <= tol * Math.abs(rayleigh);
                        next = norm == 0 ? null : step.keep(hv.div(norm));
                    }
                    lambda = rayleigh;
                    if (next != null) {
                        v.close();
                        v = next;
                    }
                    if (stop) break;
                }
                values[i] = lambda;
                iterations[i] = it;
                found.add(method.keep(v));
            }
        }
        // descending by value (power iteration finds them by magnitude)
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> values[i]).reversed());
        double[] sortedValues = new double[k];
        int[] sortedIterations = new int[k];
        List<List<Tensor>> vectors = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            sortedValues[i] = values[order[i]];
            sortedIterations[i] = iterations[order[i]];
            vectors.add(layout.unflatten(found.get(order[i])));
        }
        return new HessianSpectrum.Eigen(sortedValues, List.copyOf(vectors), sortedIterations);
    }

    /** w with its components along the (unit, orthogonal) vectors removed. */
    private static Tensor deflate(Tensor w, List<Tensor> found) {
        for (Tensor u : found) w = w.sub(u.mul(u.dot(w).item()));
        return w;
    }
}
