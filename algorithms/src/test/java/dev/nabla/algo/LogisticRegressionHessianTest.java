package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Logistic regression's Hessian is Xᵀ diag(p(1−p)) X / n (with a column of ones for the bias),
 * computed here in a float64 loop: the Hessian-vector products, the Gauss-Newton products (equal
 * for this canonical link) and the spectrum must all agree with it.
 */
class LogisticRegressionHessianTest {

    private static final Problems.Logistic DATA = Problems.logistic(64, 5, 21, Device.cpu());
    private static final double[] W = {0.4, -0.3, 0.2, 0.8, -0.5};
    private static final double B = 0.1;

    private static List<Tensor> params() {
        return List.of(Tensor.of(DType.F64, Device.cpu(), W, W.length), Tensor.scalar(DType.F64, Device.cpu(), B));
    }

    /** e_k over (w, b): a one in coordinate k. */
    private static List<Tensor> basis(int k) {
        double[] w = new double[W.length];
        double b = 0;
        if (k < W.length) w[k] = 1;
        else b = 1;
        return List.of(Tensor.of(DType.F64, Device.cpu(), w, W.length), Tensor.scalar(DType.F64, Device.cpu(), b));
    }

    private static double[] concat(List<Tensor> v) {
        double[] w = v.get(0).toDoubleArray();
        double[] out = java.util.Arrays.copyOf(w, w.length + 1);
        out[w.length] = v.get(1).item();
        return out;
    }

    private static void assertColumnsMatch(CurvatureOperator op, double[][] h, String what) {
        for (int k = 0; k <= W.length; k++) {
            double[] col = concat(op.apply(basis(k)));
            for (int r = 0; r <= W.length; r++) assertEquals(h[r][k], col[r], 1e-13, what + " (" + r + ", " + k + ")");
        }
    }

    @Test
    void hessianVectorProductsGiveTheClosedFormHessian() {
        assertColumnsMatch(CurvatureOperator.hessian(DATA::loss, params()), DATA.hessian(W, B), "Hessian");
    }

    @Test
    void gaussNewtonEqualsTheHessianForTheCanonicalLink() {
        CurvatureOperator g = GaussNewton.operator(DATA::logits,
                z -> dev.nabla.nn.Losses.binaryCrossEntropyWithLogits(z, DATA.ys()), params());
        assertColumnsMatch(g, DATA.hessian(W, B), "Gauss-Newton");
    }

    @Test
    void spectrumMatchesTheClosedFormHessiansEigenvalues() {
        double[][] h = DATA.hessian(W, B);
        DenseReference.Eigen ref = DenseReference.jacobi(h);
        HessianSpectrum s = new HessianSpectrum(DATA::loss, params(), 2);

        HessianSpectrum.Eigen top = s.topEigenvalues(3, 1e-12, 5000);
        for (int k = 0; k < 3; k++) assertEquals(ref.values()[k], top.values()[k], 1e-9 * ref.values()[0], "eigenvalue " + k);

        HessianSpectrum.Ritz ritz = s.lanczos(10);
        assertEquals(W.length + 1, ritz.values().length, "six parameters: the Krylov space ends after six steps");
        for (int k = 0; k <= W.length; k++) assertEquals(ref.values()[k], ritz.values()[k], 1e-12, "Ritz value " + k);

        HessianSpectrum.Trace t = s.trace(1e-3, 4000);
        assertEquals(DenseReference.trace(h), t.estimate(), 4 * t.stdError() + 1e-12);
    }

    @Test
    void densityOfTheLogisticHessianPutsItsMassAtTheEigenvalues() {
        double[][] h = DATA.hessian(W, B);
        DenseReference.Eigen ref = DenseReference.jacobi(h);
        double sigma = 1e-4;
        HessianSpectrum.Density d = new HessianSpectrum(DATA::loss, params(), 6).density(10, 4, sigma, 4000);
        assertEquals(1, d.mass(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), 1e-9);
        assertEquals(4, d.runs().size());
        List<Double> found = new ArrayList<>();
        for (HessianSpectrum.Ritz r : d.runs()) for (double v : r.values()) found.add(v);
        for (double lambda : ref.values()) {
            // every run recovers every eigenvalue, and the weights average to about 1/6 each
            assertEquals(4, found.stream().filter(v -> Math.abs(v - lambda) < 1e-10).count(), "eigenvalue " + lambda);
        }
    }
}
