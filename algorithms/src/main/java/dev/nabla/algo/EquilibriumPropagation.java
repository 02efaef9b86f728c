package dev.nabla.algo;

import dev.nabla.DType;
import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;
import dev.nabla.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Generalized equilibrium propagation (Scellier and Bengio 2017; Laborieux and Zenke, ICLR 2024) on
 * an {@link EquilibriumNetwork}: the gradient of the cost at the network's fixed point u*, learned
 * from the network's own dynamics instead of a backward pass,
 *
 * <pre>
 *   g = (∂F/∂θ)ᵀ dσ(u*)/dβ,
 * </pre>
 *
 * where dσ(u*)/dβ, how the rates at equilibrium move when the output is nudged by β·∂ℓ/∂σ, comes
 * from nudged phases (Options.nudges() = N):
 * <ul>
 *   <li>N = 1: (σ(u_β) − σ(u₀))/β, one nudge (classic EP, biased by O(β));</li>
 *   <li>N = 2: (σ(u_β) − σ(u_−β))/(2β), symmetric nudges (bias O(β²));</li>
 *   <li>N ≥ 3: (1/N) Σₖ σ(u_{βωᵏ})/(βωᵏ), ω = e^{2πi/N}: holomorphic EP, complex nudges on a
 *       circle of radius |β| (bias O(β^N)); see {@link NudgeDerivative} and {@link Complex};</li>
 *   <li>N = 0: the exact derivative of the T2-step nudged dynamics, by forward-mode autodiff.</li>
 * </ul>
 * With symmetric weights (Jacobian of F symmetric) g is the gradient; without, it is not, and the
 * reference is {@link #recurrentBackprop}: δ ← δ + (∂F/∂u)ᵀδ + ∂L/∂u to convergence, g = (∂F/∂θ)ᵀδ.
 * The homeostatic loss ({@link JacobianHomeostasis}) pushes the Jacobian back towards symmetry:
 * with Options.homeostasis() = λ > 0 its gradient (u* held fixed) times λ joins the update.
 *
 * <p>Every phase runs its steps inside {@link Scope}s and frees the state it replaces, so memory
 * stays flat however many steps run. Tensors stay on the network's device.
 *
 * <pre>{@code
 * EquilibriumNetwork net = EquilibriumNetwork.builder(784, 256, 256, 10).build();
 * EquilibriumPropagation ep = new EquilibriumPropagation(net, EquilibriumPropagation.Options.defaults().withNudges(4).withBeta(0.5));
 * EquilibriumPropagation.Estimate e = ep.train(x, labels, optimizer);   // free + nudged phases, then one optimizer step
 * }</pre>
 */
public final class EquilibriumPropagation {

    /**
     * @param beta            nudge strength (radius of the circle for N ≥ 3); ignored for N = 0
     * @param nudges          N: 0 (forward mode), 1, 2, or ≥ 3 (holomorphic)
     * @param freeSteps       T1, the free phase's step limit
     * @param nudgedSteps     T2, the steps of each nudged phase, started from the free fixed point
     * @param tolerance       the free phase stops once every sample's ‖F(u)‖₂ is below it; recurrent
     *                        backprop once its update is below it relative to δ
     * @param homeostasis     λ, the homeostatic loss's coefficient (0: off)
     * @param homeostasisSamples Gaussian probes per sample for the homeostatic loss
     * @param perDimension    divide the homeostatic loss by the state size (the authors' normalization)
     * @param seed            of the homeostatic loss's probes
     */
    public record Options(double beta, int nudges, int freeSteps, int nudgedSteps, double tolerance, double homeostasis,
                          int homeostasisSamples, boolean perDimension, long seed) {
        public Options {
            String op = "EquilibriumPropagation.Options";
            Operands.require(nudges >= 0, op, "nudges must be 0 (forward mode) or more, got " + nudges);
            Operands.require(nudges == 0 || (beta != 0 && Double.isFinite(beta)), op, "beta must be finite and non-zero, got " + beta);
            Operands.require(freeSteps >= 1 && nudgedSteps >= 1, op, "step limits must be at least 1, got T1 " + freeSteps + ", T2 " + nudgedSteps);
            Operands.require(tolerance >= 0, op, "tolerance must be non-negative, got " + tolerance);
            Operands.require(homeostasis >= 0 && Double.isFinite(homeostasis), op, "homeostasis must be a finite coefficient >= 0, got " + homeostasis);
            Operands.require(homeostasisSamples >= 1, op, "homeostasisSamples must be at least 1, got " + homeostasisSamples);
        }

        /** β 0.5, N 2, T1 150, T2 20 (the paper's), tolerance 1e-4, no homeostasis (5 probes, per dimension when on), seed 0. */
        public static Options defaults() {
            return new Options(0.5, 2, 150, 20, 1e-4, 0, 5, true, 0);
        }

        public Options withBeta(double b) { return new Options(b, nudges, freeSteps, nudgedSteps, tolerance, homeostasis, homeostasisSamples, perDimension, seed); }
        public Options withNudges(int n) { return new Options(beta, n, freeSteps, nudgedSteps, tolerance, homeostasis, homeostasisSamples, perDimension, seed); }
        public Options withSteps(int t1, int t2) { return new Options(beta, nudges, t1, t2, tolerance, homeostasis, homeostasisSamples, perDimension, seed); }
        public Options withTolerance(double t) { return new Options(beta, nudges, freeSteps, nudgedSteps, t, homeostasis, homeostasisSamples, perDimension, seed); }
        /** The homeostatic loss's coefficient λ, its probes per sample, and whether it is divided by the state size. */
        public Options withHomeostasis(double lambda, int samples, boolean perDim) {
            return new Options(beta, nudges, freeSteps, nudgedSteps, tolerance, lambda, samples, perDim, seed);
        }
        public Options withSeed(long s) { return new Options(beta, nudges, freeSteps, nudgedSteps, tolerance, homeostasis, homeostasisSamples, perDimension, s); }
    }

    /** The free phase's end: states u* [B, D], the steps taken, and the largest per-sample ‖F(u*)‖₂. */
    public record FreePhase(Tensor states, int steps, double residual) implements AutoCloseable {
        @Override
        public void close() { states.close(); }
    }

    /**
     * A gradient estimate, one tensor per network parameter (shapes as {@link EquilibriumNetwork#parameters()}),
     * with what was learned on the way: the batch's mean cost and accuracy at the free fixed point,
     * the free phase's steps and residual, and the homeostatic loss (0 when off).
     */
    public record Estimate(List<Tensor> gradients, double loss, double accuracy, int freeSteps, double residual,
                           double homeostasisLoss) implements AutoCloseable {
        @Override
        public void close() { gradients.forEach(Tensor::close); }
    }

    private final EquilibriumNetwork net;
    private final Options options;
    private final Generator probes;
    /** Told the phase after each of its steps; package-private, for tests that watch memory through the loops. */
    Consumer<String> observer = phase -> {};

    public EquilibriumPropagation(EquilibriumNetwork net, Options options) {
        this.net = net;
        this.options = options;
        this.probes = new Generator(options.seed());
    }

    public EquilibriumNetwork network() { return net; }

    public Options options() { return options; }

    // ---- phases -------------------------------------------------------------------------------

    /** Relaxes the network on x [B, n₀] from u = 0 until every sample's ‖F(u)‖₂ ≤ tolerance, or T1 steps. */
    public FreePhase freePhase(Tensor x) {
        net.checkInput("EquilibriumPropagation.freePhase", x);
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            List<Tensor> p = net.detached();
            FreePhase f = relaxFree(p, net.drive(p, x), x);
            s.keep(f.states());
            return f;
        }
    }

    private FreePhase relaxFree(List<Tensor> p, Tensor drive, Tensor x) {
        Tensor u = Tensor.zeros(x.dtype(), x.device(), x.size(0), net.stateSize());
        double residual = Double.POSITIVE_INFINITY;
        int steps = 0;
        while (steps < options.freeSteps() && !(residual <= options.tolerance())) {
            try (Scope s = Scope.open()) {
                Tensor next = net.step(p, drive, Complex.real(u), null, null).re();
                residual = next.sub(u).square().sum(1).amax().sqrt().item() / net.stepSize();   // ‖F(u)‖, as next − u = dt F(u)
                s.keep(next);
                u.close();
                u = next;
            }
            steps++;
            observer.accept("free");
        }
        return new FreePhase(u, steps, residual);
    }

    /** T2 steps of the dynamics nudged by β (complex or real) from the free fixed point; returns the rates σ(u_β). */
    private Complex nudged(List<Tensor> p, Tensor drive, Tensor free, Complex beta, EquilibriumNetwork.Target t) {
        Complex u = Complex.real(free);
        for (int i = 0; i < options.nudgedSteps(); i++) {
            try (Scope s = Scope.open()) {
                Complex next = net.step(p, drive, u, beta, t);
                keep(s, next);
                if (i > 0) close(u);
                u = next;
            }
            observer.accept(beta.isReal() ? "nudged" : "nudged (complex)");
        }
        Complex r = net.rates(u);
        if (r.re() != u.re()) close(u);   // the identity activation returns the state itself
        return r;
    }

    /**
     * dσ(u*)/dβ [B, D] by the configured estimator, per sample (not divided by the batch), from the
     * free fixed point of x with the given targets.
     */
    public Tensor rateDerivative(Tensor x, Tensor target, FreePhase free) {
        String op = "EquilibriumPropagation.rateDerivative";
        net.checkInput(op, x);
        EquilibriumNetwork.Target t = net.target(op, x, target);
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            List<Tensor> p = net.detached();
            return s.keep(rateDerivative(p, net.drive(p, x), free.states(), t));
        }
    }

    private Tensor rateDerivative(List<Tensor> p, Tensor drive, Tensor free, EquilibriumNetwork.Target t) {
        if (options.nudges() == 0) return forwardMode(p, drive, free, t);
        Tensor r0 = net.rates(free);
        return NudgeDerivative.estimate(beta -> nudged(p, drive, free, beta, t), r0, options.beta(), options.nudges());
    }

    /**
     * N = 0: the nudged phase's derivative in β at β = 0, carried forward step by step as a tangent
     * (one JVP of the step map in (u, β) per step), so nothing grows with T2.
     */
    private Tensor forwardMode(List<Tensor> p, Tensor drive, Tensor free, EquilibriumNetwork.Target t) {
        Tensor zero = Tensor.scalar(free.dtype(), free.device(), 0), one = Tensor.scalar(free.dtype(), free.device(), 1);
        Tensor u = free, v = Tensor.zeros(free.dtype(), free.device(), free.shape());
        for (int i = 0; i < options.nudgedSteps(); i++) {
            try (Scope s = Scope.open()) {
                Autodiff.Jvp step = Autodiff.jvp(in -> net.step(p, drive, Complex.real(in.get(0)), Complex.real(in.get(1)), t).re(),
                        List.of(u, zero), List.of(v, one));
                s.keep(step.value());
                s.keep(step.tangent());
                if (i > 0) u.close();
                v.close();
                u = step.value();
                v = step.tangent();
            }
            observer.accept("forward mode");
        }
        return Autodiff.jvp(net::rates, u, v).tangent();
    }

    // ---- gradients ----------------------------------------------------------------------------

    /** The EP estimate of the gradient of the mean cost on (x, target): free phase, nudged phases, then (∂F/∂θ)ᵀ dσ/dβ. */
    public Estimate estimate(Tensor x, Tensor target) {
        String op = "EquilibriumPropagation.estimate";
        net.checkInput(op, x);
        EquilibriumNetwork.Target t = net.target(op, x, target);
        try (Scope s = Scope.open()) {
            List<Tensor> p = net.detached();
            FreePhase free;
            Tensor cotangent;
            try (NoGrad ng = NoGrad.open()) {
                Tensor drive = net.drive(p, x);
                free = relaxFree(p, drive, x);
                cotangent = rateDerivative(p, drive, free.states(), t).div(x.size(0));
            }
            Estimate e = gradients(p, x, free, cotangent, t);
            e.gradients().forEach(s::keep);
            return e;
        }
    }

    /**
     * The reference: recurrent backpropagation (Almeida-Pineda) at the free fixed point, the
     * exact gradient of the mean cost there whatever the weights' symmetry. Iterates
     * δ ← δ + (∂F/∂u)ᵀδ + ∂L/∂u (one VJP per step) until the update is below the tolerance
     * relative to δ, or T1 steps; the homeostatic term is added as in {@link #estimate}.
     */
    public Estimate recurrentBackprop(Tensor x, Tensor target) {
        String op = "EquilibriumPropagation.recurrentBackprop";
        net.checkInput(op, x);
        EquilibriumNetwork.Target t = net.target(op, x, target);
        try (Scope s = Scope.open()) {
            List<Tensor> p = net.detached();
            Tensor drive;
            FreePhase free;
            try (NoGrad ng = NoGrad.open()) {
                drive = net.drive(p, x);
                free = relaxFree(p, drive, x);
            }
            Tensor dLdu = Autodiff.grad(u -> net.loss(p, net.output(net.rates(u)), t), free.states());
            Autodiff.Vjp vjp = Autodiff.vjp(u -> net.field(p, drive, net.rates(u)).sub(u), free.states());
            Tensor delta = dLdu.mul(0.0);
            for (int i = 0; i < options.freeSteps(); i++) {
                try (Scope step = Scope.open()) {
                    Tensor update = vjp.apply(delta).detach().add(dLdu);
                    if (net.stepSize() != 1) update = update.mul(net.stepSize());
                    Tensor next = step.keep(delta.add(update));
                    double change = update.norm().item(), size = next.norm().item();
                    delta.close();
                    delta = next;
                    observer.accept("recurrent backprop");
                    if (change <= options.tolerance() * size) break;
                }
            }
            Estimate e = gradients(p, x, free, delta, t);
            e.gradients().forEach(s::keep);
            return e;
        }
    }

    /**
     * (∂F/∂θ)ᵀ cotangent at the free fixed point, plus the readout's own gradient and λ times the
     * homeostatic loss's gradient, in one reverse pass over the parameters.
     */
    private Estimate gradients(List<Tensor> p, Tensor x, FreePhase free, Tensor cotangent, EquilibriumNetwork.Target t) {
        Tensor rates;
        double loss, accuracy;
        try (NoGrad ng = NoGrad.open()) {
            rates = net.rates(free.states());
            Tensor out = net.output(rates);
            loss = net.loss(p, out, t).item();
            accuracy = net.logits(p, out).argmax(1).eq(t.labels()).to(DType.F64).mean().item();
        }
        double[] homeostasis = {0};
        List<Tensor> grads = Autodiff.grad(theta -> {
            Tensor drive = net.drive(theta, x);
            Tensor total = net.field(theta, drive, rates).mul(cotangent).sum();
            if (net.cost() == EquilibriumNetwork.Cost.CROSS_ENTROPY) total = total.add(net.loss(theta, net.output(rates), t));
            if (options.homeostasis() > 0) {
                Tensor h = JacobianHomeostasis.loss(net.rateField(theta, drive), rates, options.homeostasisSamples(), probes,
                        options.perDimension());
                homeostasis[0] = h.item();
                total = total.add(h.mul(options.homeostasis()));
            }
            return total;
        }, p);
        return new Estimate(grads, loss, accuracy, free.steps(), free.residual(), homeostasis[0]);
    }

    /**
     * The homeostatic loss at the free fixed point of x: {@link JacobianHomeostasis#loss} of the
     * rates' vector field r ↦ W r + b − r at σ(u*), with the options' probes and normalization.
     */
    public double homeostasisLoss(Tensor x) {
        net.checkInput("EquilibriumPropagation.homeostasisLoss", x);
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            List<Tensor> p = net.detached();
            Tensor drive = net.drive(p, x);
            FreePhase free = relaxFree(p, drive, x);
            return JacobianHomeostasis.loss(net.rateField(p, drive), net.rates(free.states()), options.homeostasisSamples(), probes,
                    options.perDimension()).item();
        }
    }

    /**
     * One training step: {@link #estimate}, the estimate loaded into the parameters' gradients
     * (replacing what they held), then {@code optimizer.step()}; the optimizer must hold the network's parameters.
     */
    public Estimate train(Tensor x, Tensor target, Optimizer optimizer) {
        Estimate e = estimate(x, target);
        apply(e, optimizer);
        return e;
    }

    /** Loads an estimate into the network's parameter gradients and takes one optimizer step. */
    public void apply(Estimate e, Optimizer optimizer) {
        List<Tensor> params = net.parameters();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            p.zeroGrad();
            // a leaf's backward takes gradOutput as its grad; a view, so that clearing the grad leaves the estimate open
            p.backward(e.gradients().get(i).detach());
        }
        optimizer.step();
        optimizer.zeroGrad();
    }

    /** The fraction of x [B, n₀] the network classifies as labels at its free fixed point. */
    public double accuracy(Tensor x, Tensor labels) {
        String op = "EquilibriumPropagation.accuracy";
        net.checkInput(op, x);
        EquilibriumNetwork.Target t = net.target(op, x, labels);
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            List<Tensor> p = net.detached();
            FreePhase free = relaxFree(p, net.drive(p, x), x);
            return net.logits(p, net.output(net.rates(free.states()))).argmax(1).eq(t.labels()).to(DType.F64).mean().item();
        }
    }

    /**
     * The cosine between two gradient lists over their first {@code count} tensors as one vector
     * (pass {@link EquilibriumNetwork#recurrentParameterCount()} to leave out the readout, whose
     * gradient every estimator computes the same way).
     */
    public static double cosine(List<Tensor> a, List<Tensor> b, int count) {
        Operands.require(count >= 1 && count <= a.size() && count <= b.size(), "EquilibriumPropagation.cosine",
                "count must be in [1, " + Math.min(a.size(), b.size()) + "], got " + count);
        double dot = 0, aa = 0, bb = 0;
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            for (int i = 0; i < count; i++) {
                Tensor x = a.get(i).to(DType.F64), y = b.get(i).to(DType.F64);
                dot += x.mul(y).sum().item();
                aa += x.square().sum().item();
                bb += y.square().sum().item();
            }
        }
        return dot / Math.sqrt(aa * bb);
    }

    private static void keep(Scope s, Complex c) {
        s.keep(c.re());
        if (c.im() != null) s.keep(c.im());
    }

    private static void close(Complex c) {
        c.re().close();
        if (c.im() != null) c.im().close();
    }
}
