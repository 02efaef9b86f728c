package dev.nabla.algo;

import java.util.List;

/**
 * Stochastic Lanczos quadrature (Lin, Saad and Yang; Ghorbani, Krishnan and Xiao; PyHessian): each
 * Lanczos run from a random unit vector v gives nodes θ_k and weights w_k with
 * vᵀ f(H) v ≈ Σ_k w_k f(θ_k), a quadrature of v's spectral measure, whose expectation over v is the
 * spectral density (1/n) Σ_i δ(t − λ_i). The density estimate averages the runs and replaces each
 * node by a Gaussian of standard deviation σ.
 *
 * <p>Each value is the smoothed density averaged over its grid bin (the Gaussian's mass in the
 * bin divided by the bin's width) rather than sampled at the bin's centre: the estimate then
 * integrates to one, and keeps every node's mass, however narrow σ is against the bins.
 */
final class SpectralDensity {
    private SpectralDensity() {}

    static HessianSpectrum.Density smooth(List<HessianSpectrum.Ritz> runs, double sigma, int gridPoints) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (HessianSpectrum.Ritz r : runs) {
            for (double t : r.values()) {
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
        }
        // room for the Gaussians' tails (beyond 8σ lies less than 1e-15 of the mass), and 1% of the span more
        double pad = 8 * sigma + 0.01 * (hi - lo);
        lo -= pad;
        hi += pad;
        double width = (hi - lo) / gridPoints;
        double[] grid = new double[gridPoints];
        double[] values = new double[gridPoints];
        for (int g = 0; g < gridPoints; g++) grid[g] = lo + (g + 0.5) * width;
        double scale = sigma * Math.sqrt(2);
        for (HessianSpectrum.Ritz r : runs) {
            for (int k = 0; k < r.values().length; k++) {
                double theta = r.values()[k], w = r.weights()[k] / runs.size();
                // only the bins within 8σ: beyond, the Gaussian holds less than 1e-15 of the node's mass
                int first = Math.max(0, (int) Math.floor((theta - 8 * sigma - lo) / width));
                int last = Math.min(gridPoints - 1, (int) Math.ceil((theta + 8 * sigma - lo) / width));
                for (int g = first; g <= last; g++) {
                    double a = (lo + g * width - theta) / scale, b = (lo + (g + 1) * width - theta) / scale;
                    values[g] += w * gaussianMass(a, b) / width;
                }
            }
        }
        return new HessianSpectrum.Density(grid, values, sigma, List.copyOf(runs));
    }

    /** ½(erf(b) − erf(a)) for a ≤ b, taken on the side of zero where it does not cancel. */
    private static double gaussianMass(double a, double b) {
        if (a >= 0) return 0.5 * (erfc(a) - erfc(b));
        if (b <= 0) return 0.5 * (erfc(-b) - erfc(-a));
        return 1 - 0.5 * (erfc(-a) + erfc(b));
    }

    /**
     * The complementary error function with relative error below 1.2e-7 everywhere, tails included
     * (the Chebyshev-fitted exponential of Numerical Recipes' erfcc): plenty for a plotted density.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
