package dev.nabla.optim;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Updates parameters in place from their accumulated gradients, as PyTorch's optimizers: a
 * parameter whose {@code grad()} is null is skipped (its state does not advance). The state
 * (momentum buffers, moment estimates) is allocated once, in the constructor, with the parameters'
 * shapes, dtypes and devices, so build the optimizer where the model was built, not inside a
 * per-step {@link Scope}; {@link #close()} frees it.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameterList(), 1e-3);
 * try (Scope s = Scope.open()) {
 *     Losses.crossEntropy(model.forward(x), y).backward();
 *     opt.step();
 *     opt.zeroGrad();
 * }
 * }</pre>
 */
public abstract class Optimizer implements AutoCloseable {
    private final List<Tensor> params;
    private final long[] steps;
    private final List<Tensor> state = new ArrayList<>();
    private double lr;

    protected Optimizer(List<Tensor> params, double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid learning rate " + lr);
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor p : params) {
            if (!p.dtype().isFloating() || !p.requiresGrad()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameters must be floating leaves requiring grad, got "
                        + java.util.Arrays.toString(p.shape()) + " (" + p.dtype() + ", " + p.device() + ")"
                        + (p.requiresGrad() ? "" : " without requiresGrad"));
            }
            if (!seen.add(p)) throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter appears twice");
        }
        this.params = List.copyOf(params);
        this.steps = new long[params.size()];
        this.lr = lr;
    }

    /** Applies one update to parameter i from its gradient g; runs inside a scope with recording off. */
    protected abstract void update(int i, Tensor p, Tensor g, long step);

    /** A zero tensor like p that the optimizer owns (freed by close()). For constructors. */
    protected final Tensor stateLike(Tensor p) {
        Tensor t = Tensor.zeros(p.dtype(), p.device(), p.shape());
        state.add(t);
        return t;
    }

    /** One update of every parameter that has a gradient. */
    public final void step() {
        try (NoGrad ng = NoGrad.open(); Scope scope = Scope.open()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor g = p.grad();
                if (g == null) continue;
                update(i, p, g, ++steps[i]);
            }
        }
    }

    /** Drops every parameter's gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    public final double learningRate() { return lr; }

    /** Sets the learning rate used by the next steps (what schedules call). */
    public final void setLearningRate(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid learning rate " + lr);
        this.lr = lr;
    }

    /** The parameters, in the order given. */
    public final List<Tensor> parameters() { return params; }

    /** How many updates parameter i has received. */
    public final long stepCount(int i) { return steps[i]; }

    /** Frees the optimizer's state; the parameters stay the caller's. */
    @Override
    public void close() {
        for (Tensor t : state) t.close();
        state.clear();
    }
}
