package dev.nabla.algo;

import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The spectrum of the Hessian of a scalar loss over a list of parameters (a model's), seen only
 * through Hessian-vector products, on whatever device the parameters live: the top eigenpairs
 * (power iteration with deflation), Ritz values and quadrature weights (Lanczos with full
 * reorthogonalization), the spectral density (stochastic Lanczos quadrature) and the trace
 * (Hutchinson), after PyHessian (Yao, Gholami, Keutzer and Mahoney 2020).
 *
 * <pre>{@code
 * Function<List<Tensor>, Tensor> loss = p -> Losses.crossEntropy(model.functionalCall(p, x), y);
 * HessianSpectrum h = new HessianSpectrum(loss, model.parameterList());
 * double lambdaMax = h.topEigenvalues(1).values()[0];
 * HessianSpectrum.Trace t = h.trace(1e-2, 200);        // t.estimate() ± t.stdError()
 * }</pre>
 *
 * <p>The random vectors come from one seeded {@link Generator} (seed 0 unless given), drawn in
 * the order the methods are called: the same calls give the same numbers, on every device. Every
 * method runs its iterations inside {@link Scope}s, so memory stays where it started apart from
 * what it returns (the eigenvectors). Any symmetric {@link CurvatureOperator}, such as the
 * Gauss-Newton matrix, can take the Hessian's place through {@link #of}.
 */
public final class HessianSpectrum {

    /**
     * Eigenvalues in descending order with their unit eigenvectors (each a list shaped like the
     * parameters), and the power iterations each took.
     */
    public record Eigen(double[] values, List<List<Tensor>> vectors, int[] iterations) {}

    /**
     * The Ritz values of a Lanczos run (descending) and their Gauss quadrature weights: the
     * squared first components of the tridiagonal matrix's eigenvectors, which sum to one.
     */
    public record Ritz(double[] values, double[] weights) {}

    /**
     * A smoothed spectral density: bin centres (ascending, evenly spaced), the density averaged
     * over each bin (Σ values × binWidth = 1), the Gaussian's σ, and the Lanczos runs it came from.
     */
    public record Density(double[] grid, double[] values, double sigma, List<Ritz> runs) {
        /** The spacing of the grid. */
        public double binWidth() {
            return grid.length > 1 ? grid[1] - grid[0] : Double.NaN;
        }

        /** The estimated fraction of eigenvalues in [lo, hi] (bins whose centre lies there). */
        public double mass(double lo, double hi) {
            double m = 0;
            for (int i = 0; i < grid.length; i++) if (grid[i] >= lo && grid[i] <= hi) m += values[i];
            return m * binWidth();
        }
    }

    /** Hutchinson's trace estimate, the standard error of that mean (NaN from one sample), and the samples taken. */
    public record Trace(double estimate, double stdError, int samples) {}

    /** Defaults of {@link #topEigenvalues(int)}, as the issue fixes them. */
    public static final double DEFAULT_TOL = 1e-3;
    public static final int DEFAULT_MAX_ITER = 100;
    /** Bins of {@link #density(int, int, double)}. */
    public static final int DEFAULT_GRID_POINTS = 1000;

    private final FlatOperator operator;
    private final Generator generator;

    /** The Hessian of loss (a scalar function of the parameters) at params; random vectors from seed 0. */
    public HessianSpectrum(Function<List<Tensor>, Tensor> loss, List<Tensor> params) {
        this(loss, params, 0);
    }

    /** As {@link #HessianSpectrum(Function, List)}, with the random vectors drawn from seed. */
    public HessianSpectrum(Function<List<Tensor>, Tensor> loss, List<Tensor> params, long seed) {
        this(checkedHessian(loss, params), params, seed, "HessianSpectrum");
    }

    private HessianSpectrum(CurvatureOperator op, List<Tensor> params, long seed, String name) {
        this.operator = new FlatOperator(op, ParameterLayout.of(name, params), name);
        this.generator = new Generator(seed);
    }

    /**
     * The spectrum of any symmetric operator over vectors shaped like params (for example
     * {@link GaussNewton#operator}); params only gives the shapes, dtype and device.
     */
    public static HessianSpectrum of(CurvatureOperator operator, List<Tensor> params, long seed) {
        return new HessianSpectrum(operator, params, seed, "HessianSpectrum.of");
    }

    private static CurvatureOperator checkedHessian(Function<List<Tensor>, Tensor> loss, List<Tensor> params) {
        ParameterLayout.of("HessianSpectrum", params);
        // a loss that is not a scalar would otherwise fail deep inside the first product
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            Tensor value = loss.apply(CurvatureOperator.detached(params));
            if (value.numel() != 1) throw Operands.shape("HessianSpectrum", "the loss must return one element", value);
        }
        return CurvatureOperator.hessian(loss, params);
    }

    /** The number of parameters: the Hessian's order. */
    public long dimension() {
        return operator.dimension();
    }

    /** The k eigenvalues of largest magnitude with defaults tol 1e-3 and 100 iterations. */
    public Eigen topEigenvalues(int k) {
        return topEigenvalues(k, DEFAULT_TOL, DEFAULT_MAX_ITER);
    }

    /**
     * The k eigenvalues of largest magnitude and their eigenvectors, by power iteration with
     * deflation, returned in descending order. Each stops when its Rayleigh quotient changes by at
     * most tol (relative) between iterations, or after maxIter products. For a trained network the
     * top of the spectrum is positive, so these are its largest eigenvalues; a negative eigenvalue
     * larger in magnitude than the positive ones is found first.
     */
    public Eigen topEigenvalues(int k, double tol, int maxIter) {
        Operands.require(k >= 1 && k <= dimension(), "topEigenvalues", "k must be in [1, " + dimension() + "], got " + k);
        Operands.require(tol >= 0, "topEigenvalues", "tol must be >= 0, got " + tol);
        Operands.require(maxIter >= 1, "topEigenvalues", "maxIter must be >= 1, got " + maxIter);
        return PowerIteration.top(operator, generator, k, tol, maxIter);
    }

    /**
     * m steps of Lanczos with full reorthogonalization from a random ±1 vector: the Ritz values
     * (descending) and their quadrature weights. Fewer than m come back when the Krylov space is
     * exhausted first, e.g. the number of distinct eigenvalues of a small matrix.
     */
    public Ritz lanczos(int m) {
        Operands.require(m >= 1, "lanczos", "m must be >= 1, got " + m);
        try (Scope s = Scope.open()) {
            return ritz(Lanczos.run(operator, operator.layout().rademacher(generator), m));
        }
    }

    /** {@link #density(int, int, double, int)} on {@value #DEFAULT_GRID_POINTS} bins. */
    public Density density(int m, int starts, double sigma) {
        return density(m, starts, sigma, DEFAULT_GRID_POINTS);
    }

    /**
     * The spectral density by stochastic Lanczos quadrature: starts Lanczos runs of m steps, each
     * node smoothed by a Gaussian of standard deviation sigma (in eigenvalue units), on gridPoints
     * bins spanning the nodes and 8σ beyond.
     */
    public Density density(int m, int starts, double sigma, int gridPoints) {
        Operands.require(starts >= 1, "density", "starts must be >= 1, got " + starts);
        Operands.require(sigma > 0 && Double.isFinite(sigma), "density", "sigma must be positive and finite, got " + sigma);
        Operands.require(gridPoints >= 2, "density", "gridPoints must be >= 2, got " + gridPoints);
        List<Ritz> runs = new ArrayList<>(starts);
        for (int i = 0; i < starts; i++) runs.add(lanczos(m));
        return SpectralDensity.smooth(runs, sigma, gridPoints);
    }

    /** {@link #trace(double, int)} with tol 1e-2 and at most 1000 samples. */
    public Trace trace() {
        return trace(1e-2, 1000);
    }

    /**
     * The trace by Hutchinson's estimator with ±1 vectors: samples until the standard error is at
     * most tol relative to the estimate (after at least 10), or maxSamples.
     */
    public Trace trace(double tol, int maxSamples) {
        Operands.require(tol >= 0, "trace", "tol must be >= 0, got " + tol);
        Operands.require(maxSamples >= 1, "trace", "maxSamples must be >= 1, got " + maxSamples);
        return HutchinsonTrace.estimate(operator, generator, tol, maxSamples);
    }

    private static Ritz ritz(Lanczos.Tridiagonal t) {
        TridiagonalEigen.Decomposition d = TridiagonalEigen.decompose(t.alpha(), t.beta());
        double[] w = d.firstComponentsSquared();
        int n = w.length;
        double[] values = new double[n], weights = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = d.values()[n - 1 - k];
            weights[k] = w[n - 1 - k];
        }
        return new Ritz(values, weights);
    }
}
