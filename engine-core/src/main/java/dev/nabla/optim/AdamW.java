package dev.nabla.optim;

import dev.nabla.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), PyTorch's defaults (lr 1e-3, betas 0.9
 * and 0.999, eps 1e-8, weight decay 0.01): p ← p·(1 - lr·wd) first, then the Adam step on the
 * plain gradient.
 *
 * <pre>{@code
 * Optimizer opt = new AdamW(model.parameterList(), 1e-3, 0.9, 0.999, 1e-8, 0.05, false);
 * }</pre>
 */
public final class AdamW extends Adam {

    public AdamW(List<Tensor> params) {
        this(params, 1e-3);
    }

    public AdamW(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false);
    }

    public AdamW(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad);
    }

    @Override
    boolean decoupled() { return true; }
}
