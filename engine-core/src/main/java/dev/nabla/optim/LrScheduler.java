package dev.nabla.optim;

/**
 * A learning-rate schedule driving an optimizer, as PyTorch's {@code lr_scheduler}: construction sets
 * the rate for epoch 0, each {@link #step()} advances one epoch (or one batch, if called per batch)
 * and sets the optimizer's rate from a closed form of the count.
 *
 * <pre>{@code
 * LrScheduler sched = new CosineAnnealingLR(opt, epochs, 0);
 * for (int e = 0; e < epochs; e++) { trainOneEpoch(); sched.step(); }
 * }</pre>
 */
public abstract class LrScheduler {
    private final Optimizer optimizer;
    private final double base;
    private long epoch;

    protected LrScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.base = optimizer.learningRate();
        optimizer.setLearningRate(rate(base, 0));
    }

    /** The rate at the given count of steps, from the rate the optimizer had at construction. */
    protected abstract double rate(double base, long epoch);

    /** Advances one epoch and sets the optimizer's learning rate. */
    public final void step() {
        epoch++;
        optimizer.setLearningRate(rate(base, epoch));
    }

    /** The rate last set (PyTorch's {@code get_last_lr()}). */
    public final double lastLr() { return optimizer.learningRate(); }

    /** Steps taken so far. */
    public final long epoch() { return epoch; }
}
