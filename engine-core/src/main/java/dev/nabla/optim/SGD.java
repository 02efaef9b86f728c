package dev.nabla.optim;

import dev.nabla.Tensor;

import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's update: with weight decay wd the gradient becomes
 * g + wd·p; with momentum μ the buffer b is g on the first step and μ·b + (1 - dampening)·g after;
 * the step uses b, or g + μ·b with Nesterov; then p ← p - lr·step.
 *
 * <pre>{@code
 * Optimizer opt = new SGD(model.parameterList(), 0.1, 0.9, true, 5e-4);
 * }</pre>
 */
public final class SGD extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final Tensor[] buffers;

    /** Plain SGD. */
    public SGD(List<Tensor> params, double lr) {
        this(params, lr, 0, false, 0);
    }

    public SGD(List<Tensor> params, double lr, double momentum, boolean nesterov, double weightDecay) {
        this(params, lr, momentum, 0, nesterov, weightDecay);
    }

    public SGD(List<Tensor> params, double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        super(params, lr);
        if (!(momentum >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD: momentum and weight decay must be non-negative");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.buffers = new Tensor[params.size()];
        if (momentum != 0) for (int i = 0; i < buffers.length; i++) buffers[i] = stateLike(params.get(i));
    }

    @Override
    protected void update(int i, Tensor p, Tensor g, long step) {
        Tensor d = weightDecay != 0 ? g.add(p.mul(weightDecay)) : g;
        if (momentum != 0) {
            Tensor b = buffers[i];
            b.copyFrom(step == 1 ? d : b.mul(momentum).add(d.mul(1 - dampening)));
            d = nesterov ? d.add(b.mul(momentum)) : b;
        }
        p.copyFrom(p.sub(d.mul(learningRate())));
    }
}
