package dev.nabla.optim;

import dev.nabla.Tensor;

import java.util.List;

/**
 * Adam with PyTorch's update and defaults (lr 1e-3, betas 0.9 and 0.999, eps 1e-8, no weight
 * decay): with wd the gradient becomes g + wd·p (L2, coupled; see {@link AdamW} for decoupled);
 * m ← β₁m + (1-β₁)g, v ← β₂v + (1-β₂)g², and at step t
 * p ← p - lr/(1-β₁ᵗ) · m / (√v / √(1-β₂ᵗ) + eps). With amsgrad the running maximum of v is used.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameterList(), 1e-3);
 * }</pre>
 */
public class Adam extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean amsgrad;
    private final Tensor[] m, v, vMax;

    public Adam(List<Tensor> params) {
        this(params, 1e-3);
    }

    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": betas must be in [0, 1), eps and weight decay non-negative");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        int n = params.size();
        m = new Tensor[n];
        v = new Tensor[n];
        vMax = amsgrad ? new Tensor[n] : null;
        for (int i = 0; i < n; i++) {
            m[i] = stateLike(params.get(i));
            v[i] = stateLike(params.get(i));
            if (amsgrad) vMax[i] = stateLike(params.get(i));
        }
    }

    /** AdamW's decoupled decay, applied to p before the Adam step; Adam's own is the L2 term. */
    boolean decoupled() { return false; }

    @Override
    protected final void update(int i, Tensor p, Tensor g, long step) {
        double lr = learningRate();
        Tensor grad = g;
        if (weightDecay != 0) {
            if (decoupled()) p.copyFrom(p.mul(1 - lr * weightDecay));
            else grad = g.add(p.mul(weightDecay));
        }
        m[i].copyFrom(m[i].mul(beta1).add(grad.mul(1 - beta1)));
        v[i].copyFrom(v[i].mul(beta2).add(grad.square().mul(1 - beta2)));
        double bias1 = 1 - Math.pow(beta1, step), bias2 = 1 - Math.pow(beta2, step);
        Tensor second = v[i];
        if (amsgrad) {
            vMax[i].copyFrom(vMax[i].maximum(v[i]));
            second = vMax[i];
        }
        Tensor denom = second.sqrt().div(Math.sqrt(bias2)).add(eps);
        p.copyFrom(p.sub(m[i].div(denom).mul(lr / bias1)));
    }
}
