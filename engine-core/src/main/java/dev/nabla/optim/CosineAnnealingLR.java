package dev.nabla.optim;

/**
 * Cosine annealing from the base rate to etaMin over tMax epochs:
 * lr = etaMin + (base - etaMin)·(1 + cos(π·epoch/tMax))/2, PyTorch's {@code CosineAnnealingLR} in
 * its closed form (past tMax the cosine continues, rising again, as PyTorch's).
 *
 * <pre>{@code
 * LrScheduler sched = new CosineAnnealingLR(opt, 10, 0);
 * }</pre>
 */
public final class CosineAnnealingLR extends LrScheduler {
    private final long tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin) {
        super(check(optimizer, tMax));
        this.tMax = tMax;
        this.etaMin = etaMin;
    }

    private static Optimizer check(Optimizer o, long tMax) {
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive, got " + tMax);
        return o;
    }

    @Override
    protected double rate(double base, long epoch) {
        if (epoch == 0) return base;   // the superclass constructor calls this before the fields are set
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
