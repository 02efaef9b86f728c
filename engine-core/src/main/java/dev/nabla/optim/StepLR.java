package dev.nabla.optim;

/**
 * Multiplies the learning rate by gamma every stepSize epochs: lr = base·gamma^⌊epoch/stepSize⌋
 * (PyTorch's {@code StepLR}, default gamma 0.1).
 *
 * <pre>{@code
 * LrScheduler sched = new StepLR(opt, 30, 0.1);
 * }</pre>
 */
public final class StepLR extends LrScheduler {
    private final long stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, long stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, long stepSize, double gamma) {
        super(check(optimizer, stepSize));
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    private static Optimizer check(Optimizer o, long stepSize) {
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step size must be positive, got " + stepSize);
        return o;
    }

    @Override
    protected double rate(double base, long epoch) {
        // called by the superclass constructor before the fields are set: epoch 0 is the base
        return epoch == 0 ? base : base * Math.pow(gamma, Math.floorDiv(epoch, stepSize));
    }
}
