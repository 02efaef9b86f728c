package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;
import dev.nabla.autodiff.Autodiff.HvpMode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A symmetric matrix over a model's parameters known only through its products with vectors
 * shaped like them: the Hessian of a loss (through {@link Autodiff#hvp}), the Gauss-Newton matrix
 * ({@link GaussNewton}), or any other. {@link HessianSpectrum} and {@link NewtonCG} take one, so a
 * Gauss-Newton product is usable wherever a Hessian-vector product is.
 *
 * <pre>{@code
 * CurvatureOperator h = CurvatureOperator.hessian(p -> Losses.crossEntropy(model.functionalCall(p, x), y), params);
 * List<Tensor> hv = h.apply(v);                      // v and hv shaped like params
 * }</pre>
 */
@FunctionalInterface
public interface CurvatureOperator {

    /** The matrix times v, a list shaped, typed and placed like the parameters; returns new tensors. */
    List<Tensor> apply(List<Tensor> v);

    /** The Hessian of a scalar loss at params, by forward-over-reverse Hessian-vector products. */
    static CurvatureOperator hessian(Function<List<Tensor>, Tensor> loss, List<Tensor> params) {
        return hessian(loss, params, HvpMode.FORWARD_OVER_REVERSE);
    }

    /**
     * The Hessian of a scalar loss at params, by Hessian-vector products in the given mode. The
     * parameters are read through detached views: the products neither record on the tape nor
     * touch the parameters' gradients, so a module's own parameter list may be passed.
     */
    static CurvatureOperator hessian(Function<List<Tensor>, Tensor> loss, List<Tensor> params, HvpMode mode) {
        ParameterLayout layout = ParameterLayout.of("CurvatureOperator.hessian", params);
        List<Tensor> at = detached(params);
        return v -> {
            layout.check("CurvatureOperator.hessian", v);
            try (Scope s = Scope.open()) {
                List<Tensor> hv = Autodiff.hvp(loss, at, v, mode);
                hv.forEach(s::keep);
                return hv;
            }
        };
    }

    /**
     * The Gauss-Newton matrix Jᵀ H_L J of outputLoss composed with outputs at params; see
     * {@link GaussNewton#operator}.
     */
    static CurvatureOperator gaussNewton(Function<List<Tensor>, Tensor> outputs, Function<Tensor, Tensor> outputLoss,
                                         List<Tensor> params) {
        return GaussNewton.operator(outputs, outputLoss, params);
    }

    /** Views of the tensors that autodiff does not track (the same storage). */
    static List<Tensor> detached(List<Tensor> params) {
        List<Tensor> out = new ArrayList<>(params.size());
        try (NoGrad ng = NoGrad.open()) {
            for (Tensor p : params) out.add(p.detach());
        }
        return List.copyOf(out);
    }
}
