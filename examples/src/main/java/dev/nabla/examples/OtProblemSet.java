package dev.nabla.examples;

import dev.nabla.data.Mnist;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The optimal-transport problems of the SNS paper's comparison, built on the host in float64 so
 * that every device solves the same numbers: a random assignment problem, Fashion-MNIST image pairs
 * as distributions on the 28×28 pixel grid with L1 and squared-L2 ground costs, and W1 and W2
 * between two densities discretized on a grid of [0, 1]. Costs are scaled to [0, 1], so η is the
 * ratio of the cost's range to the entropic temperature.
 *
 * @param name     what the table calls it
 * @param cost     n × m, row-major
 * @param eta      the inverse temperature it is solved at
 * @param sparsity λ for SNS (0: the default 2/n)
 */
record OtProblemSet(String name, int n, int m, double[] cost, double[] r, double[] c, double eta, double sparsity) {

    /** Costs uniform in [0, 1), uniform marginals: the paper's random assignment problem. */
    static OtProblemSet assignment(int n, double eta, long seed) {
        Random rnd = new Random(seed);
        double[] cost = new double[n * n];
        for (int i = 0; i < cost.length; i++) cost[i] = rnd.nextDouble();
        return new OtProblemSet("random assignment, n = " + n, n, n, cost, uniform(n), uniform(n), eta, 0);
    }

    /**
     * Two images as distributions over their pixels (intensity plus a floor of 1e-3 of the mean,
     * so every pixel carries mass and the logarithms stay finite), L1 or squared-L2 distance
     * between pixel positions as the cost. L1 keeps λ = 15/n, as the paper does for it.
     */
    static OtProblemSet imagePair(Mnist images, int first, int second, boolean squared, double eta) {
        float[] all = images.images().narrow(0, first, 1).toFloatArray();
        float[] other = images.images().narrow(0, second, 1).toFloatArray();
        int side = 28, n = side * side;
        double[] cost = new double[n * n];
        double max = squared ? 2.0 * (side - 1) * (side - 1) : 2.0 * (side - 1);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                int di = Math.abs(a / side - b / side), dj = Math.abs(a % side - b % side);
                cost[a * n + b] = (squared ? di * di + dj * dj : di + dj) / max;
            }
        }
        String kind = squared ? "squared L2" : "L1";
        return new OtProblemSet("Fashion-MNIST pair (" + first + ", " + second + "), " + kind + ", n = " + n, n, n, cost,
                pixels(all), pixels(other), eta, squared ? 0 : 15.0 / n);
    }

    private static double[] pixels(float[] img) {
        double[] w = new double[img.length];
        double total = 0;
        for (float v : img) total += v;
        double floor = 1e-3 * total / img.length;
        double s = 0;
        for (int i = 0; i < w.length; i++) s += w[i] = img[i] + floor;
        for (int i = 0; i < w.length; i++) w[i] /= s;
        return w;
    }

    /**
     * W_p between two Gaussian mixtures discretized on n points of [0, 1]: cost |x − y|^p, which
     * lies in [0, 1] already.
     */
    static OtProblemSet density(int n, int p, double eta) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (i + 0.5) / n;
        double[] r = mixture(x, new double[] {0.25, 0.6}, new double[] {0.08, 0.12}, new double[] {0.6, 0.4});
        double[] c = mixture(x, new double[] {0.45, 0.8}, new double[] {0.1, 0.05}, new double[] {0.5, 0.5});
        double[] cost = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) cost[i * n + j] = Math.pow(Math.abs(x[i] - x[j]), p);
        return new OtProblemSet("W" + p + " between 1-D Gaussian mixtures, n = " + n, n, n, cost, r, c, eta, 0);
    }

    private static double[] mixture(double[] x, double[] mu, double[] sigma, double[] weight) {
        double[] d = new double[x.length];
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < mu.length; k++) {
                double z = (x[i] - mu[k]) / sigma[k];
                d[i] += weight[k] * Math.exp(-0.5 * z * z) / sigma[k];
            }
            d[i] += 1e-4;   // mass everywhere: a density's tails, and finite logarithms
            s += d[i];
        }
        for (int i = 0; i < x.length; i++) d[i] /= s;
        return d;
    }

    private static double[] uniform(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0 / n);
        return w;
    }

    /** The paper's comparison (full) or one small problem (the tour's quick part). */
    static List<OtProblemSet> standard(boolean quick, Mnist images) {
        List<OtProblemSet> out = new ArrayList<>();
        if (quick) {
            out.add(assignment(100, 1000, 2024));
            return out;
        }
        out.add(assignment(500, 1200, 2024));
        out.add(imagePair(images, 0, 1, false, 1000));
        out.add(imagePair(images, 0, 1, true, 1000));
        out.add(density(500, 1, 1000));
        out.add(density(500, 2, 1000));
        return out;
    }
}
