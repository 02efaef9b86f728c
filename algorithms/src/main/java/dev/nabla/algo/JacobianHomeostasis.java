package dev.nabla.algo;

import dev.nabla.Generator;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The homeostatic loss of Laborieux and Zenke (ICLR 2024): a stochastic measure of how far the
 * Jacobian J of a vector field is from symmetric, whose expectation over ε ~ N(0, I) is
 *
 * <pre>
 *   E[‖Jε‖² − εᵀJ²ε] = ‖J‖²_F − tr(J²) = ½‖J − Jᵀ‖²_F,
 * </pre>
 *
 * zero exactly when J is symmetric, the condition under which equilibrium propagation's estimate
 * is the gradient. Per sample it costs two Jacobian-vector products, Jε and J(Jε), and
 * εᵀJ²ε = ⟨ε, J(Jε)⟩; no Jacobian is ever formed. The result is a differentiable function of
 * whatever the field closes over (its weights), so its gradient is one reverse pass away.
 *
 * <pre>{@code
 * Tensor h = JacobianHomeostasis.loss(r -> r.matmul(w.mT()).sub(r), rates, 5, new Generator(0));
 * List<Tensor> g = Autodiff.grad(ws -> JacobianHomeostasis.loss(r -> r.matmul(ws.get(0).mT()), rates, 5, gen), List.of(w));
 * }</pre>
 */
public final class JacobianHomeostasis {
    private JacobianHomeostasis() {}

    /**
     * The mean over the rows of u [B, dim] and over {@code samples} Gaussian ε per row of
     * ‖Jε‖² − εᵀJ²ε, with J the Jacobian of vectorField (each row of u to the same row of its
     * [B, dim] result) at that row. A 0-d tensor of u's dtype on u's device.
     */
    public static Tensor loss(Function<Tensor, Tensor> vectorField, Tensor u, int samples, Generator g) {
        return loss(vectorField, u, samples, g, false);
    }

    /**
     * As {@link #loss(Function, Tensor, int, Generator)}; with perDimension, divided by dim (the
     * authors' normalization, which keeps one coefficient meaningful across network sizes).
     */
    public static Tensor loss(Function<Tensor, Tensor> vectorField, Tensor u, int samples, Generator g, boolean perDimension) {
        String op = "JacobianHomeostasis.loss";
        if (u.rank() != 2) throw Operands.shape(op, "u must be [batch, dim]", u);
        if (!u.dtype().isFloating()) throw Operands.dtype(op, "u must be floating (F32 or F64)", u);
        Operands.require(samples >= 1, op, "samples must be at least 1, got " + samples);
        Tensor total = null;
        for (int s = 0; s < samples; s++) {
            Tensor e = Tensor.randn(u.dtype(), u.device(), g, u.shape());
            Autodiff.Jvp first = Autodiff.jvp(vectorField, u, e);
            if (!Arrays.equals(first.value().shape(), u.shape())) {
                throw Operands.shape(op, "the vector field must map u to a tensor of u's shape " + Arrays.toString(u.shape())
                        + ", got " + Arrays.toString(first.value().shape()), u);
            }
            Tensor je = first.tangent();
            Tensor jje = Autodiff.jvp(vectorField, u, je).tangent();
            Tensor perRow = je.square().sum(1).sub(e.mul(jje).sum(1));
            Tensor mean = perRow.mean();
            total = total == null ? mean : total.add(mean);
        }
        Tensor out = total.div(samples);
        return perDimension ? out.div(u.size(1)) : out;
    }
}
