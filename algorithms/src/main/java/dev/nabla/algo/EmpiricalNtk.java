package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.nn.Module;

import java.util.List;
import java.util.function.BiFunction;

/**
 * The empirical neural tangent kernel Θ(x, x′) = J(x) J(x′)ᵀ of any model, J the Jacobian of its
 * outputs over its parameters (Jacot, Gabriel and Hongler 2018), computed exactly by either method
 * of Novak, Sohl-Dickstein and Schoenholz, "Fast Finite Width Neural Tangent Kernel" (ICML 2022):
 * Jacobian contraction or NTK-vector products, chosen by their cost model unless named. Also the
 * infinite-width kernel of a one-hidden-layer ReLU network, the reference empirical kernels of
 * wide networks converge to.
 *
 * <pre>{@code
 * // model(params, x[N, d]) -> [N, O]
 * Tensor k = EmpiricalNtk.kernel((p, x) -> x.matmul(p.get(0)).tanh().matmul(p.get(1)), params, x1, x2, true, Method.AUTO);
 * Tensor full = EmpiricalNtk.kernel(mlp, x1, x2, Outputs.FULL, Method.AUTO, Options.defaults());  // [N1, N2, O, O]
 * }</pre>
 *
 * <p>The model must treat samples independently (no batch statistics; a Module's dropout off, via
 * {@code eval()}): both methods evaluate it on single samples and on batches. The result is a new
 * tensor on the parameters' device in their dtype, not differentiable (the parameters are
 * detached). Inputs are processed in batches, so memory stays bounded: contraction holds at most
 * {@link Options#memoryBytes()} of Jacobians, the vector products one parameter-sized vector and
 * one batch of {@link Options#batchSize()} samples' activations.
 */
public final class EmpiricalNtk {
    private EmpiricalNtk() {}

    /** How Θ is computed. */
    public enum Method {
        /** The cheaper of the two by {@link NtkCost}. */
        AUTO,
        /** Per-sample Jacobians, then Θ = J₁J₂ᵀ: cost N·O·[FP] + N²O²P, memory O·P per sample. */
        JACOBIAN_CONTRACTION,
        /** A VJP then a JVP per sample of x2 and output: cost N²O·[FP], no Jacobian held. */
        NTK_VECTOR_PRODUCTS
    }

    /** Which part of Θ over the outputs is returned. */
    public enum Outputs {
        /** Θ[i, j, a, b] = ⟨∂f_a(x1_i)/∂θ, ∂f_b(x2_j)/∂θ⟩: [N1, N2, O, O]. */
        FULL,
        /** Σ_a Θ[i, j, a, a] (neural-tangents' trace_axes): [N1, N2]. */
        TRACE,
        /** Θ[i, j, a, a]: [N1, N2, O]. */
        DIAGONAL
    }

    /**
     * How the computation may use memory, and the forward cost the cost model assumes.
     *
     * @param memoryBytes the most bytes of Jacobians contraction holds at once (default 1 GiB)
     * @param batchSize the most samples of x1 in one JVP of the vector-product method (default 256)
     * @param forwardFlops one sample's forward pass in flops for {@link NtkCost}; NaN estimates 2P
     */
    public record Options(long memoryBytes, int batchSize, double forwardFlops) {
        public Options {
            if (memoryBytes < 1) throw new IllegalArgumentException("EmpiricalNtk.Options: memoryBytes must be positive, got " + memoryBytes);
            if (batchSize < 1) throw new IllegalArgumentException("EmpiricalNtk.Options: batchSize must be positive, got " + batchSize);
            if (!(Double.isNaN(forwardFlops) || forwardFlops > 0)) {
                throw new IllegalArgumentException("EmpiricalNtk.Options: forwardFlops must be positive (or NaN), got " + forwardFlops);
            }
        }

        public static Options defaults() {
            return new Options(1L << 30, 256, Double.NaN);
        }

        public Options withMemoryBytes(long bytes) { return new Options(bytes, batchSize, forwardFlops); }

        public Options withBatchSize(int samples) { return new Options(memoryBytes, samples, forwardFlops); }

        public Options withForwardFlops(double flops) { return new Options(memoryBytes, batchSize, flops); }
    }

    /**
     * Θ(x1, x2) of model at params: [N1, N2] when traceOutputs (the sum over outputs), else
     * [N1, N2, O, O]. x2 null (or x2 == x1) computes Θ(x1, x1), using its symmetry.
     *
     * @throws dev.nabla.ShapeMismatchException inputs not [N, ...] with equal sample shapes, or a
     *     model not mapping [n, ...] to [n, O]
     * @throws dev.nabla.DTypeMismatchException parameters not floating of one dtype, or outputs in another
     * @throws dev.nabla.DeviceMismatchException parameters and inputs not on one device
     */
    public static Tensor kernel(BiFunction<List<Tensor>, Tensor, Tensor> model, List<Tensor> params, Tensor x1, Tensor x2,
                                boolean traceOutputs, Method method) {
        return kernel(model, params, x1, x2, traceOutputs ? Outputs.TRACE : Outputs.FULL, method, Options.defaults());
    }

    /** Θ(x1, x2) with the outputs part and the options chosen. */
    public static Tensor kernel(BiFunction<List<Tensor>, Tensor, Tensor> model, List<Tensor> params, Tensor x1, Tensor x2,
                                Outputs outputs, Method method, Options options) {
        NtkProblem p = NtkProblem.of("EmpiricalNtk.kernel", model, params, x1, x2);
        Method m = method == Method.AUTO ? NtkCost.of(p, outputs, options).choice() : method;
        try (NoGrad ng = NoGrad.open()) {
            return switch (m) {
                case JACOBIAN_CONTRACTION -> JacobianContraction.kernel(p, outputs, options);
                case NTK_VECTOR_PRODUCTS, AUTO -> NtkVectorProducts.kernel(p, outputs, options);
            };
        }
    }

    /** Θ(x1, x2) of a module at its own parameters, through {@link Module#functionalCall}. */
    public static Tensor kernel(Module model, Tensor x1, Tensor x2, boolean traceOutputs, Method method) {
        return kernel(model, x1, x2, traceOutputs ? Outputs.TRACE : Outputs.FULL, method, Options.defaults());
    }

    public static Tensor kernel(Module model, Tensor x1, Tensor x2, Outputs outputs, Method method, Options options) {
        return kernel(model::functionalCall, model.parameterList(), x1, x2, outputs, method, options);
    }

    /** The output diagonal Θ[i, j, a, a]: [N1, N2, O]. */
    public static Tensor outputDiagonal(BiFunction<List<Tensor>, Tensor, Tensor> model, List<Tensor> params, Tensor x1, Tensor x2,
                                        Method method) {
        return kernel(model, params, x1, x2, Outputs.DIAGONAL, method, Options.defaults());
    }

    public static Tensor outputDiagonal(Module model, Tensor x1, Tensor x2, Method method) {
        return kernel(model, x1, x2, Outputs.DIAGONAL, method, Options.defaults());
    }

    /** What each method would cost and which AUTO takes, without computing Θ (one forward pass on one sample). */
    public static NtkCost cost(BiFunction<List<Tensor>, Tensor, Tensor> model, List<Tensor> params, Tensor x1, Tensor x2,
                               Outputs outputs, Options options) {
        return NtkCost.of(NtkProblem.of("EmpiricalNtk.cost", model, params, x1, x2), outputs, options);
    }

    /**
     * The infinite-width NTK of f(x) = σ_w/√n · vᵀ relu(σ_w/√d · W x + σ_b b₁) + σ_b b₂ with every
     * weight N(0, 1) (NTK parameterization), n → ∞: with Σ¹ = σ_w² x·x′/d + σ_b²,
     * θ = arccos(Σ¹(x,x′)/√(Σ¹(x,x)Σ¹(x′,x′))), Ṡ = (π − θ)/(2π) and
     * S = √(Σ¹(x,x)Σ¹(x′,x′))/(2π)·(sin θ + (π − θ) cos θ), Θ = σ_w² S + σ_b² + σ_w² Ṡ Σ¹.
     * x1 [N1, d], x2 [N2, d] → [N1, N2] on their device and dtype. The inner products run on the
     * device; the arccosines on the host in float64 (the API has no arccosine). The angle comes from
     * the inner products, so for distinct but nearly parallel inputs Θ carries a relative error of
     * about 1e-8 (arccos near 1 halves the digits); Θ(x, x) itself (x2 == x1) is exact.
     *
     * <pre>{@code
     * Tensor k = EmpiricalNtk.analyticReluNtk(Tensor.of(new double[] {1, 0}, 1, 2), Tensor.of(new double[] {0, 1}, 1, 2), 1, 0);
     * // [[1/(4π)]]
     * }</pre>
     */
    public static Tensor analyticReluNtk(Tensor x1, Tensor x2, double sigmaW, double sigmaB) {
        String op = "EmpiricalNtk.analyticReluNtk";
        if (x1.rank() != 2 || x2.rank() != 2 || x1.shape()[1] != x2.shape()[1]) {
            throw Operands.shape(op, "inputs must be [N1, d] and [N2, d]", x1, x2);
        }
        if (!x1.dtype().isFloating() || x1.dtype() != x2.dtype()) throw Operands.dtype(op, "inputs must share one floating dtype", x1, x2);
        if (!x1.device().equals(x2.device())) throw Operands.device(op, "inputs must live on one device", x1, x2);
        if (!(Double.isFinite(sigmaW) && Double.isFinite(sigmaB))) {
            throw new IllegalArgumentException(op + ": sigmaW and sigmaB must be finite, got " + sigmaW + ", " + sigmaB);
        }
        long n1 = x1.shape()[0], n2 = x2.shape()[0], d = x1.shape()[1];
        double w2 = sigmaW * sigmaW, b2 = sigmaB * sigmaB;
        double[] cross, diag1, diag2;
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            cross = x1.matmul(x2.mT()).toDoubleArray();
            diag1 = x1.square().sum(1).toDoubleArray();
            diag2 = x2.square().sum(1).toDoubleArray();
        }
        if (x1 == x2) {
            // x·x from one formula on both sides, so that θ is exactly 0 on the diagonal: arccos near 1
            // turns a rounding of the cosine by δ into an angle of √(2δ)
            for (int i = 0; i < n1; i++) cross[(int) (i * n2 + i)] = diag1[i];
        }
        double scale = d == 0 ? 0 : w2 / d;
        double[] theta = new double[(int) (n1 * n2)];
        for (int i = 0; i < n1; i++) {
            double s11 = scale * diag1[i] + b2;
            for (int j = 0; j < n2; j++) {
                double s22 = scale * diag2[j] + b2;
                double s12 = scale * cross[(int) (i * n2 + j)] + b2;
                double norm = Math.sqrt(s11 * s22);
                double cos = norm == 0 ? 1 : Math.max(-1, Math.min(1, s12 / norm));
                double angle = Math.acos(cos);
                double sDot = (Math.PI - angle) / (2 * Math.PI);
                double sValue = norm / (2 * Math.PI) * (Math.sin(angle) + (Math.PI - angle) * cos);
                theta[(int) (i * n2 + j)] = w2 * sValue + b2 + w2 * sDot * s12;
            }
        }
        return Tensor.of(x1.dtype(), x1.device(), theta, n1, n2);
    }
}
