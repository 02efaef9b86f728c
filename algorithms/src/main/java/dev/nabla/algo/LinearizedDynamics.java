package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.Arrays;

/**
 * What gradient flow on the MSE loss ½ Σᵢ ‖f(xᵢ) − yᵢ‖² does to a model linearized around its
 * initialization (Lee et al. 2019, "Wide Neural Networks of Any Depth Evolve as Linear Models
 * Under Gradient Descent"): with Θ the NTK on the training inputs X, at time t and learning rate η
 * <pre>
 *   f_t(X)  = y + e^{−ηΘt} (f₀(X) − y)
 *   f_t(X*) = f₀(X*) + Θ(X*, X) Θ⁻¹ (I − e^{−ηΘt}) (y − f₀(X))
 * </pre>
 * computed through the eigen-decomposition Θ = V diag(λ) Vᵀ ({@link SymmetricEigen}, on the host)
 * as V diag((1 − e^{−ηλt})/λ) Vᵀ, which tends to ηt as λ → 0, so a singular Θ is no obstacle;
 * eigenvalues below max(N, 64)·ε·λ_max (ε of the kernel's dtype) count as zero: their
 * directions are not learnt. For a mean loss
 * (1/N) Σ, pass η/N. t = ∞ gives kernel regression. Products run on the kernel's device.
 *
 * <p>It holds the eigenvectors and reads y (kept by reference) until closed.
 *
 * <p>Kernels: [N, N] is used for every output (Θ ⊗ I_O, as in the infinite-width limit; for an
 * empirical kernel of O outputs pass its trace over O), or the full [N, N, O, O].
 *
 * <pre>{@code
 * LinearizedDynamics lin = LinearizedDynamics.of(thetaTrain, f0Train, yTrain, eta);
 * Tensor fTest = lin.outputs(thetaTestTrain, f0Test, 1000);   // after time 1000 (= 1000 steps of size eta)
 * }</pre>
 */
public final class LinearizedDynamics implements AutoCloseable {

    private final Tensor vectors;   // [K, K], K = N (shared kernel) or N·O (full)
    private final double[] lambda;
    private final double cutoff;
    private final Tensor residual;  // Vᵀ (y − f₀(X)), [K, C]
    private final Tensor y;
    private final double eta;
    private final boolean full;
    private final long n, o;

    private LinearizedDynamics(Tensor vectors, double[] lambda, Tensor residual, Tensor y, double eta, boolean full,
                               long n, long o) {
        this.vectors = vectors;
        this.lambda = lambda;
        double max = 0;
        for (double l : lambda) max = Math.max(max, Math.abs(l));
        // the kernel's own rounding leaves its null directions at about ε·λ_max, not at zero
        double eps = y.dtype() == dev.nabla.DType.F64 ? 0x1p-52 : 0x1p-23;
        this.cutoff = Math.max(lambda.length, 64) * eps * max;
        this.residual = residual;
        this.y = y;
        this.eta = eta;
        this.full = full;
        this.n = n;
        this.o = o;
    }

    /**
     * Decomposes the training kernel once: kernel [N, N] or [N, N, O, O], f0 and y the initial
     * outputs and the targets on X, both [N] or [N, O] (the same shape), eta the learning rate.
     */
    public static LinearizedDynamics of(Tensor kernel, Tensor f0, Tensor y, double eta) {
        String op = "LinearizedDynamics.of";
        if (!(eta > 0) || Double.isInfinite(eta)) throw new IllegalArgumentException(op + ": eta must be positive and finite, got " + eta);
        checkPair(op, kernel, f0, y);
        boolean full = kernel.rank() == 4;
        long n = kernel.shape()[0];
        long o = y.rank() == 2 ? y.shape()[1] : 1;
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            SymmetricEigen.Decomposition e = SymmetricEigen.of(square(kernel));
            Tensor residual = s.keep(e.vectors().mT().matmul(columns(y.sub(f0), full)));
            return new LinearizedDynamics(s.keep(e.vectors()), e.values().toDoubleArray(), residual, y, eta, full, n, o);
        }
    }

    /** The outputs on the training inputs at time t: y + e^{−ηΘt}(f₀ − y), shaped like y. */
    public Tensor trainOutputs(double t) {
        checkTime(t);
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            Tensor decay = weights(t, false);
            Tensor moved = vectors.matmul(residual.mul(decay));   // V e^{−ηΛt} Vᵀ (y − f₀)
            return s.keep(y.sub(moved.reshape(y.shape())));
        }
    }

    /**
     * The outputs on test inputs at time t: f0Test + Θ(X*, X) V diag((1 − e^{−ηλt})/λ) Vᵀ (y − f₀);
     * kernelTestTrain [M, N] (or [M, N, O, O] for a full kernel), f0Test [M] or [M, O] like y.
     */
    public Tensor outputs(Tensor kernelTestTrain, Tensor f0Test, double t) {
        String op = "LinearizedDynamics.outputs";
        checkTime(t);
        long m = kernelTestTrain.rank() >= 1 ? kernelTestTrain.shape()[0] : -1;
        long[] want = full ? new long[] {m, n, o, o} : new long[] {m, n};
        long[] f0Shape = y.rank() == 2 ? new long[] {m, o} : new long[] {m};
        if (!Arrays.equals(kernelTestTrain.shape(), want) || !Arrays.equals(f0Test.shape(), f0Shape)) {
            throw Operands.shape(op, "expected a test kernel " + Arrays.toString(want) + " and initial test outputs "
                    + Arrays.toString(f0Shape), kernelTestTrain, f0Test);
        }
        if (kernelTestTrain.dtype() != y.dtype() || f0Test.dtype() != y.dtype()) {
            throw Operands.dtype(op, "test kernel and outputs must have the training kernel's dtype " + y.dtype(), kernelTestTrain, f0Test);
        }
        if (!kernelTestTrain.device().equals(y.device()) || !f0Test.device().equals(y.device())) {
            throw Operands.device(op, "test kernel and outputs must live on the training kernel's device " + y.device(), kernelTestTrain, f0Test);
        }
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            Tensor coefficients = vectors.matmul(residual.mul(weights(t, true)));   // Θ⁻¹(I − e^{−ηΘt})(y − f₀)
            Tensor cross = full ? kernelTestTrain.permute(0, 2, 1, 3).reshape(m * o, n * o) : kernelTestTrain;
            return s.keep(f0Test.add(cross.matmul(coefficients).reshape(f0Test.shape())));
        }
    }

    /** The training kernel's eigenvalues, ascending. */
    public double[] eigenvalues() {
        return lambda.clone();
    }

    @Override
    public void close() {
        vectors.close();
        residual.close();
    }

    /** Per eigenvalue, as a [K, 1] column: e^{−ηλt}, or (1 − e^{−ηλt})/λ for the test outputs. */
    private Tensor weights(double t, boolean integrated) {
        double[] w = new double[lambda.length];
        for (int k = 0; k < w.length; k++) {
            double l = lambda[k] <= cutoff ? 0 : lambda[k];
            if (!integrated) w[k] = l == 0 ? 1 : Math.exp(-eta * l * t);
            else if (l == 0) w[k] = 0;   // a direction Θ cannot move: Θ(X*, X) is blind to it too
            else w[k] = Double.isInfinite(t) ? 1 / l : -Math.expm1(-eta * l * t) / l;
        }
        return Tensor.of(y.dtype(), y.device(), w, w.length, 1);
    }

    private static void checkTime(double t) {
        if (!(t >= 0)) throw new IllegalArgumentException("LinearizedDynamics: time must be >= 0, got " + t);
    }

    private static void checkPair(String op, Tensor kernel, Tensor f0, Tensor y) {
        long n = kernel.rank() >= 1 ? kernel.shape()[0] : -1;
        boolean shapes = (kernel.rank() == 2 && kernel.shape()[1] == n && (y.rank() == 1 || y.rank() == 2))
                || (kernel.rank() == 4 && kernel.shape()[1] == n && kernel.shape()[2] == kernel.shape()[3] && y.rank() == 2
                    && y.shape()[1] == kernel.shape()[2]);
        if (!shapes || y.shape()[0] != n || !Arrays.equals(f0.shape(), y.shape())) {
            throw Operands.shape(op, "expected kernel [N, N] with outputs [N] or [N, O], or kernel [N, N, O, O] with outputs [N, O]",
                    kernel, f0, y);
        }
        if (!kernel.dtype().isFloating() || f0.dtype() != kernel.dtype() || y.dtype() != kernel.dtype()) {
            throw Operands.dtype(op, "kernel and outputs must share one floating dtype", kernel, f0, y);
        }
        if (!f0.device().equals(kernel.device()) || !y.device().equals(kernel.device())) {
            throw Operands.device(op, "kernel and outputs must live on one device", kernel, f0, y);
        }
    }

    /** A full kernel [N, N, O, O] as the [N·O, N·O] matrix over (sample, output) pairs. */
    private static Tensor square(Tensor kernel) {
        if (kernel.rank() == 2) return kernel;
        long n = kernel.shape()[0], o = kernel.shape()[2];
        return kernel.permute(0, 2, 1, 3).reshape(n * o, n * o);
    }

    /** Outputs as the columns the kernel acts on: [N, C] for a shared kernel, [N·O, 1] for a full one. */
    private static Tensor columns(Tensor outputs, boolean full) {
        if (full) return outputs.reshape(-1, 1);
        return outputs.rank() == 1 ? outputs.unsqueeze(1) : outputs;
    }
}
