package dev.nabla.algo;

import java.util.Arrays;

/**
 * The exact linear assignment problem by the Hungarian algorithm (Kuhn-Munkres with potentials,
 * O(n³)): the reference the entropic solvers' costs approach as η grows. With r = c = 1/n the
 * optimal transport plans are the permutations' vertices (Birkhoff), so the OT cost is the
 * assignment's cost over n.
 */
final class Assignment {
    private Assignment() {}

    /** The minimum of Σᵢ C[i][σ(i)] over permutations σ. */
    static double minCost(double[][] cost) {
        int n = cost.length;
        double[] u = new double[n + 1], v = new double[n + 1];
        int[] match = new int[n + 1], way = new int[n + 1];   // match[j]: the row assigned to column j (1-based)
        for (int i = 1; i <= n; i++) {
            match[0] = i;
            int j0 = 0;
            double[] minv = new double[n + 1];
            boolean[] used = new boolean[n + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            do {
                used[j0] = true;
                int i0 = match[j0], j1 = 0;
                double delta = Double.POSITIVE_INFINITY;
                for (int j = 1; j <= n; j++) {
                    if (used[j]) continue;
                    double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta) {
                        delta = minv[j];
                        j1 = j;
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[match[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (match[j0] != 0);
            do {
                int j1 = way[j0];
                match[j0] = match[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        double total = 0;
        for (int j = 1; j <= n; j++) total += cost[match[j] - 1][j - 1];
        return total;
    }

    /** The same by trying every permutation: the check of the check, for n ≤ 8. */
    static double bruteForce(double[][] cost) {
        int n = cost.length;
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        double best = Double.POSITIVE_INFINITY;
        do {
            double s = 0;
            for (int i = 0; i < n; i++) s += cost[i][p[i]];
            best = Math.min(best, s);
        } while (nextPermutation(p));
        return best;
    }

    private static boolean nextPermutation(int[] p) {
        int i = p.length - 2;
        while (i >= 0 && p[i] >= p[i + 1]) i--;
        if (i < 0) return false;
        int j = p.length - 1;
        while (p[j] <= p[i]) j--;
        int t = p[i]; p[i] = p[j]; p[j] = t;
        for (int a = i + 1, b = p.length - 1; a < b; a++, b--) { t = p[a]; p[a] = p[b]; p[b] = t; }
        return true;
    }
}
