package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autodiff.Autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A Hessian-free Newton optimizer (Martens 2010): each iteration solves the damped Newton system
 * (B + λI) p = −∇f with truncated conjugate gradient, B the Hessian or the Gauss-Newton matrix
 * known only through products, then takes a backtracking (Armijo) line search along p. The
 * damping λ adapts Levenberg-Marquardt style to how well the quadratic model predicted the
 * decrease: ρ = (f(θ + p) − f(θ)) / (gᵀp + ½ pᵀBp); λ grows by 3/2 when ρ < 1/4 and shrinks by
 * 2/3 when ρ > 3/4. CG stops at the residual ‖r‖ ≤ min(½, √‖g‖) ‖g‖ (the forcing sequence that
 * makes truncated Newton superlinear), at its iteration cap, or on negative curvature; then the
 * step is the iterate so far (Nocedal and Wright's Newton-CG), and the next damping is raised past
 * the negative curvature found (twice its size), so that the next system is positive definite
 * along that direction and its solution follows it, as a Levenberg-Marquardt step does in a
 * saddle region, instead of stalling on short steps.
 *
 * <pre>{@code
 * NewtonCG.Result r = NewtonCG.hessian(p -> Losses.binaryCrossEntropyWithLogits(x.matmul(p.get(0)), y))
 *         .minimize(List.of(Tensor.zeros(DType.F64, Device.cpu(), d)));
 * Tensor w = r.params().get(0);           // r.iterations(), r.history(): one line per Newton step
 * }</pre>
 *
 * <p>Full-batch and deterministic: the function is whatever loss it is given (a mini-batch loss
 * makes it the stochastic variant). {@link #minimize} returns new tensors and leaves its start
 * untouched; copy the result into a model's parameters with {@link Tensor#copyFrom}.
 */
public final class NewtonCG {

    /**
     * Limits and starting values: at most maxIterations Newton steps; converged when ‖∇f‖ ≤
     * gradientTolerance; at most maxCgIterations products per step; damping starts at
     * initialDamping and never goes below minDamping; the line search halves the step at most
     * maxLineSearchSteps times.
     */
    public record Options(int maxIterations, double gradientTolerance, int maxCgIterations, double initialDamping,
                          double minDamping, int maxLineSearchSteps) {
        public Options {
            Operands.require(maxIterations >= 1, "NewtonCG", "maxIterations must be >= 1, got " + maxIterations);
            Operands.require(gradientTolerance >= 0, "NewtonCG", "gradientTolerance must be >= 0, got " + gradientTolerance);
            Operands.require(maxCgIterations >= 1, "NewtonCG", "maxCgIterations must be >= 1, got " + maxCgIterations);
            Operands.require(initialDamping >= 0 && minDamping >= 0, "NewtonCG",
                    "damping must be >= 0, got initial " + initialDamping + ", min " + minDamping);
            Operands.require(maxLineSearchSteps >= 0, "NewtonCG", "maxLineSearchSteps must be >= 0, got " + maxLineSearchSteps);
        }

        /** 100 steps, ‖∇f‖ ≤ 1e-6, 250 CG products, damping 1e-3 (floor 1e-8), 30 halvings. */
        public static Options defaults() {
            return new Options(100, 1e-6, 250, 1e-3, 1e-8, 30);
        }

        public Options withMaxIterations(int n) { return new Options(n, gradientTolerance, maxCgIterations, initialDamping, minDamping, maxLineSearchSteps); }
        public Options withGradientTolerance(double t) { return new Options(maxIterations, t, maxCgIterations, initialDamping, minDamping, maxLineSearchSteps); }
        public Options withMaxCgIterations(int n) { return new Options(maxIterations, gradientTolerance, n, initialDamping, minDamping, maxLineSearchSteps); }
        public Options withInitialDamping(double l) { return new Options(maxIterations, gradientTolerance, maxCgIterations, l, minDamping, maxLineSearchSteps); }
    }

    /**
     * One Newton step: the loss and gradient norm where it started, the CG products it took and
     * why CG stopped, the damping it used, the reduction ratio ρ and the accepted step length
     * (0 when the line search found no decrease and the step was refused).
     */
    public record Iteration(int iteration, double loss, double gradientNorm, int cgIterations, String cgStop, double damping,
                            double reductionRatio, double stepSize) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "step %2d  loss %.10g  |grad| %.3e  CG %3d (%s)  damping %.2e  rho %.3f  step %.3g",
                    iteration, loss, gradientNorm, cgIterations, cgStop, damping, reductionRatio, stepSize);
        }
    }

    /** The parameters reached (new tensors shaped like the start), their loss and gradient norm, and the history. */
    public record Result(List<Tensor> params, double loss, double gradientNorm, int iterations, boolean converged,
                         List<Iteration> history) {}

    private final Function<List<Tensor>, Tensor> loss;
    private final Function<List<Tensor>, CurvatureOperator> curvature;
    private final Options options;

    private NewtonCG(Function<List<Tensor>, Tensor> loss, Function<List<Tensor>, CurvatureOperator> curvature, Options options) {
        this.loss = loss;
        this.curvature = curvature;
        this.options = options;
    }

    /** Newton-CG on the Hessian of loss (forward-over-reverse products): may meet negative curvature, which CG handles. */
    public static NewtonCG hessian(Function<List<Tensor>, Tensor> loss) {
        return new NewtonCG(loss, at -> CurvatureOperator.hessian(loss, at), Options.defaults());
    }

    /**
     * Newton-CG on the Gauss-Newton matrix of outputLoss ∘ outputs, the choice of Martens' Hessian-free
     * optimization for networks: positive semi-definite for a convex outputLoss, so CG always applies.
     */
    public static NewtonCG gaussNewton(Function<List<Tensor>, Tensor> outputs, Function<Tensor, Tensor> outputLoss) {
        return new NewtonCG(p -> outputLoss.apply(outputs.apply(p)), at -> GaussNewton.operator(outputs, outputLoss, at),
                Options.defaults());
    }

    /** Newton-CG on any symmetric curvature: curvature gives the operator at a point. */
    public static NewtonCG of(Function<List<Tensor>, Tensor> loss, Function<List<Tensor>, CurvatureOperator> curvature) {
        return new NewtonCG(loss, curvature, Options.defaults());
    }

    /** The same optimizer with other options. */
    public NewtonCG withOptions(Options o) {
        return new NewtonCG(loss, curvature, o);
    }

    public Options options() { return options; }

    /** Minimizes from start (a list of floating tensors on one device; left untouched). */
    public Result minimize(List<Tensor> start) {
        ParameterLayout layout = ParameterLayout.of("NewtonCG.minimize", start);
        List<Iteration> history = new ArrayList<>();
        double damping = Math.max(options.initialDamping(), options.minDamping());
        double f = Double.NaN, gradNorm = Double.NaN;
        boolean converged = false;
        int steps = 0;
        Tensor x = layout.flatten(CurvatureOperator.detached(start));
        // a loss that is not a scalar would otherwise fail inside the first gradient, under another name
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            Tensor value = loss.apply(layout.unflatten(x));
            if (value.numel() != 1) throw Operands.shape("NewtonCG.minimize", "the loss must return one element", value);
        }
        while (true) {
            try (Scope it = Scope.open()) {
                List<Tensor> at = layout.unflatten(x);
                Autodiff.ValueAndGrads vg = Autodiff.valueAndGrad(loss, at);
                f = vg.value().item();
                Tensor g = layout.flatten(vg.grads());
                gradNorm = g.norm().item();
                if (!Double.isFinite(f) || !Double.isFinite(gradNorm)) {
                    throw new ArithmeticException("NewtonCG.minimize: loss " + f + ", gradient norm " + gradNorm + " at step " + steps);
                }
                if (gradNorm <= options.gradientTolerance()) {
                    converged = true;
                    break;
                }
                if (steps == options.maxIterations()) break;
                steps++;
                Step step = step(layout, x, at, f, g, gradNorm, damping);
                history.add(new Iteration(steps, f, gradNorm, step.cgIterations, step.cgStop, damping, step.rho, step.alpha));
                damping = adapt(damping, step.rho);
                if (step.curvature < 0) damping = Math.max(damping, -2 * step.curvature);
                if (step.next != null) {
                    it.keep(step.next);
                    x.close();
                    x = step.next;
                }
            }
        }
        return new Result(layout.unflatten(x), f, gradNorm, steps, converged, List.copyOf(history));
    }

    private record Step(Tensor next, int cgIterations, String cgStop, double rho, double alpha, double curvature) {}

    private Step step(ParameterLayout layout, Tensor x, List<Tensor> at, double f, Tensor g, double gradNorm, double damping) {
        try (NoGrad ng = NoGrad.open()) {
            FlatOperator b = new FlatOperator(curvature.apply(at), layout, "NewtonCG");
            Tensor minusG = g.neg();
            ConjugateGradient.Solution cg = ConjugateGradient.solve(b, damping, minusG, Math.min(0.5, Math.sqrt(gradNorm)),
                    options.maxCgIterations());
            Tensor p = cg.p(), bp = cg.bp();
            double gp = g.dot(p).item();
            if (!(gp < 0)) {
                // not a descent direction (only round-off can do this): take steepest descent instead
                p = minusG;
                bp = b.apply(p);
                gp = -gradNorm * gradNorm;
            }
            // the undamped quadratic model's predicted change; ρ compares the real one with it
            double model = gp + 0.5 * p.dot(bp).item();
            double alpha = 1;
            double fTrial = value(layout, x, p, alpha);
            double rho = model < 0 ? (fTrial - f) / model : Double.NaN;
            int halvings = 0;
            // Armijo: a decrease of at least 1e-4 of what the slope promises
            while (!(fTrial <= f + 1e-4 * alpha * gp) && halvings < options.maxLineSearchSteps()) {
                alpha *= 0.5;
                halvings++;
                fTrial = value(layout, x, p, alpha);
            }
            String stop = cg.stop().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            if (!(fTrial <= f + 1e-4 * alpha * gp)) return new Step(null, cg.iterations(), stop, rho, 0, cg.curvature());
            try (Tensor ap = p.mul(alpha)) {
                return new Step(x.add(ap), cg.iterations(), stop, rho, alpha, cg.curvature());
            }
        }
    }

    /** f(x + alpha p), recording nothing. */
    private double value(ParameterLayout layout, Tensor x, Tensor p, double alpha) {
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            Tensor v = loss.apply(layout.unflatten(x.add(p.mul(alpha))));
            return v.item();
        }
    }

    /** Levenberg-Marquardt adaptation with Martens' factors; a failed model prediction (NaN ρ) counts as poor. */
    private double adapt(double damping, double rho) {
        if (!(rho >= 0.25)) return Math.max(options.minDamping(), Math.max(damping, 1e-12) * 1.5);
        if (rho > 0.75) return Math.max(options.minDamping(), damping * 2.0 / 3.0);
        return damping;
    }
}
