package dev.nabla.optim;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.List;

/**
 * Gradient clipping between backward and the optimizer step, in place on the parameters' grads.
 *
 * <pre>{@code
 * loss.backward();
 * double norm = GradientClipping.clipGradNorm(model.parameterList(), 1.0);
 * opt.step();
 * }</pre>
 */
public final class GradientClipping {
    private GradientClipping() {}

    /**
     * Scales all gradients by maxNorm / (total + 1e-6) when that is below 1, where total is the
     * 2-norm of all gradients together (PyTorch's {@code clip_grad_norm_}); returns the total norm
     * before clipping. Parameters without a gradient are ignored.
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("clipGradNorm: maxNorm must be non-negative, got " + maxNorm);
        try (NoGrad ng = NoGrad.open(); Scope s = Scope.open()) {
            double sumSquares = 0;
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g != null) sumSquares += g.square().sum().item();
            }
            double total = Math.sqrt(sumSquares);
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) {
                for (Tensor p : params) {
                    Tensor g = p.grad();
                    if (g != null) g.copyFrom(g.mul(coef));
                }
            }
            return total;
        }
    }

    /** Clamps every gradient element to [-clipValue, clipValue] (PyTorch's {@code clip_grad_value_}). */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) throw new IllegalArgumentException("clipGradValue: clipValue must be non-negative, got " + clipValue);
        try (NoGrad ng = NoGrad.open(); Scope s = Scope.open()) {
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g != null) g.copyFrom(g.clamp(-clipValue, clipValue));
            }
        }
    }
}
