package dev.nabla.algo;

import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;

import java.util.List;
import java.util.function.Function;

/**
 * Generalized Gauss-Newton products G v = Jᵀ H_L J v for a loss L composed with a model's outputs
 * z(θ): J is the Jacobian of the outputs with respect to the parameters and H_L the Hessian of the
 * loss with respect to the outputs (Schraudolph 2002; the curvature of Martens' Hessian-free
 * optimization). G drops the term of the Hessian that carries the model's own second derivatives,
 * so it is positive semi-definite whenever L is convex in z, and equals the Hessian for a model
 * linear in its parameters, or at a minimum where the residuals vanish.
 *
 * <p>One product costs a forward-mode pass through the model (J v, with the outputs), a
 * Hessian-vector product of the loss alone over the outputs (cheap: it never enters the model),
 * and a reverse pass (Jᵀ u as the gradient of ⟨z(θ), u⟩). Nothing is kept between products, so
 * memory stays flat however many are taken.
 *
 * <pre>{@code
 * CurvatureOperator g = GaussNewton.operator(p -> model.functionalCall(p, x),
 *                                            z -> Losses.crossEntropy(z, y), params);
 * HessianSpectrum.Eigen top = HessianSpectrum.of(g, params, 0).topEigenvalues(3);
 * }</pre>
 */
public final class GaussNewton {
    private GaussNewton() {}

    /**
     * The Gauss-Newton matrix at params of outputLoss (a scalar function of the outputs) composed
     * with outputs (the model: parameters to any-shaped outputs).
     */
    public static CurvatureOperator operator(Function<List<Tensor>, Tensor> outputs, Function<Tensor, Tensor> outputLoss,
                                             List<Tensor> params) {
        ParameterLayout layout = ParameterLayout.of("GaussNewton.operator", params);
        List<Tensor> at = CurvatureOperator.detached(params);
        return v -> {
            layout.check("GaussNewton.operator", v);
            try (Scope s = Scope.open()) {
                Autodiff.Jvp jv = Autodiff.jvp(outputs, at, v);                      // z(θ) and J v
                Tensor u = Autodiff.hvp(outputLoss, jv.value(), jv.tangent());      // H_L (J v)
                List<Tensor> gv = Autodiff.grad(p -> outputs.apply(p).mul(u).sum(), at);   // Jᵀ u
                gv.forEach(s::keep);
                return gv;
            }
        };
    }

    /** G v for one vector: the Gauss-Newton matrix of outputLoss ∘ outputs at params, times v. */
    public static List<Tensor> product(Function<List<Tensor>, Tensor> outputs, Function<Tensor, Tensor> outputLoss,
                                       List<Tensor> params, List<Tensor> v) {
        return operator(outputs, outputLoss, params).apply(v);
    }
}
