package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.EmpiricalNtk.Outputs;
import dev.nabla.autodiff.Autodiff;

import java.util.List;

/**
 * Θ by Jacobian contraction (Novak, Sohl-Dickstein and Schoenholz 2022, "Fast Finite Width Neural
 * Tangent Kernel", §3.1): per-sample Jacobians of the outputs over the parameters, then one matrix
 * product Θ = J₁ J₂ᵀ. Cost N·O·[FP] for the Jacobians (one forward and O backward passes per
 * sample) plus N₁N₂O²P for the product (N₁N₂OP for the trace or the output diagonal); memory
 * O·P per sample held.
 *
 * <p>The per-sample Jacobian comes from one forward pass on that sample alone and O VJPs with
 * one-hot cotangents: a VJP over a whole batch would sum the samples' rows (there is no vmap), and
 * one on a batch with a cotangent picking a single sample would cost the batch's backward for one
 * row. Jacobians are held as [n, O, P] (sample-major): the full kernel is then one product of
 * [n·O, P] matrices, the trace and the diagonal one batched product over outputs (strided views).
 *
 * <p>Memory stays bounded: the samples whose Jacobians are held at once are capped by
 * {@link EmpiricalNtk.Options#memoryBytes()}. When x2's Jacobians fit beside a block of x1's they
 * are computed once; otherwise x2's blocks are recomputed for each block of x1 (more time, same
 * memory).
 */
final class JacobianContraction {
    private JacobianContraction() {}

    static Tensor kernel(NtkProblem p, Outputs outputs, EmpiricalNtk.Options options) {
        long rowBytes = Math.max(1, p.outputs() * p.dimension() * p.dtype().byteSize());
        long capacity = Math.max(1, options.memoryBytes() / rowBytes);   // samples whose Jacobians fit at once
        // and no block over 2^31 elements, what one Java array (the CPU backend's storage) can hold
        capacity = Math.min(capacity, Math.max(1, (Integer.MAX_VALUE - 8) / Math.max(1, p.outputs() * p.dimension())));
        Tensor result = Tensor.zeros(p.dtype(), p.device(), p.resultShape(outputs));
        List<Tensor> oneHots = p.oneHots();
        try {
            int[][] order = new int[p.sizes().length][];
            if (p.symmetric()) symmetric(p, outputs, capacity, oneHots, order, result);
            else general(p, outputs, capacity, oneHots, order, result);
        } finally {
            oneHots.forEach(Tensor::close);
        }
        return result;
    }

    private static void general(NtkProblem p, Outputs outputs, long capacity, List<Tensor> oneHots, int[][] order, Tensor result) {
        long n1 = p.n1(), n2 = p.n2();
        if (n1 == 0 || n2 == 0) return;
        long b2 = Math.min(n2, Math.max(1, capacity / 2));
        if (n1 + n2 <= capacity) b2 = n2;
        long b1 = Math.min(n1, Math.max(1, capacity - b2));
        boolean cached = b2 == n2;
        Tensor j2All = cached ? jacobian(p, p.x2(), oneHots, order) : null;
        try {
            for (long i = 0; i < n1; i += b1) {
                long m1 = Math.min(b1, n1 - i);
                try (Tensor j1 = jacobian(p, p.x1().narrow(0, i, m1), oneHots, order)) {
                    for (long j = 0; j < n2; j += b2) {
                        long m2 = Math.min(b2, n2 - j);
                        Tensor j2 = cached ? j2All : jacobian(p, p.x2().narrow(0, j, m2), oneHots, order);
                        try (Scope s = Scope.open()) {
                            NtkProblem.place(result, contract(j1, j2, outputs), i, j);
                        } finally {
                            if (!cached) j2.close();
                        }
                    }
                }
            }
        } finally {
            if (j2All != null) j2All.close();
        }
    }

    /** Θ(X, X): blocks on and above the diagonal computed, those below are their transposes. */
    private static void symmetric(NtkProblem p, Outputs outputs, long capacity, List<Tensor> oneHots, int[][] order,
                                  Tensor result) {
        long n = p.n1();
        if (n == 0) return;
        long b = n <= capacity ? n : Math.max(1, capacity / 2);
        for (long i = 0; i < n; i += b) {
            long mi = Math.min(b, n - i);
            try (Tensor ji = jacobian(p, p.x1().narrow(0, i, mi), oneHots, order)) {
                for (long j = i; j < n; j += b) {
                    long mj = Math.min(b, n - j);
                    Tensor jj = j == i ? ji : jacobian(p, p.x1().narrow(0, j, mj), oneHots, order);
                    try (Scope s = Scope.open()) {
                        Tensor block = contract(ji, jj, outputs);
                        // a blocked GEMM need not sum (r, c) and (c, r) in one order: make Θ exactly symmetric
                        if (j == i) block = block.add(NtkProblem.transposed(block)).mul(0.5);
                        NtkProblem.place(result, block, i, j);
                        if (j != i) NtkProblem.place(result, NtkProblem.transposed(block), j, i);
                    } finally {
                        if (jj != ji) jj.close();
                    }
                }
            }
        }
    }

    /** Θ between two Jacobian blocks [m1, O, P] and [m2, O, P], shaped as outputs asks. */
    static Tensor contract(Tensor j1, Tensor j2, Outputs outputs) {
        long m1 = j1.shape()[0], m2 = j2.shape()[0], o = j1.shape()[1], params = j1.shape()[2];
        try (NoGrad ng = NoGrad.open()) {
            return switch (outputs) {
                // rows (i, a) against rows (j, b): [m1·O, m2·O] -> [m1, m2, O, O]
                case FULL -> j1.reshape(m1 * o, params).matmul(j2.reshape(m2 * o, params).mT())
                        .reshape(m1, o, m2, o).permute(0, 2, 1, 3);
                // one product per output over strided views, then Σ_a (faster here than one GEMM over
                // K = O·P, whose M = N = block size is too thin for the packed kernel)
                case TRACE -> j1.permute(1, 0, 2).matmul(j2.permute(1, 2, 0)).sum(0);
                // one product per output over strided views, [O, m1, m2] -> [m1, m2, O]
                case DIAGONAL -> j1.permute(1, 0, 2).matmul(j2.permute(1, 2, 0)).permute(1, 2, 0);
            };
        }
    }

    /**
     * The Jacobians of the samples of x: [n, O, P] with row (s, o) = ∂f_o(x_s)/∂θ. Each sample's
     * forward pass and O backward passes run in a scope of their own, written straight into the
     * preallocated result.
     *
     * <p>A row lists each parameter's entries in the memory order of its gradient, not its index
     * order: a Linear layer's weight gradient arrives as a transposed view, and copying it in index
     * order would be a strided copy several times slower than the whole backward pass. Θ sums over
     * the parameters, so any order does, as long as every row of the call uses the same one: it is
     * fixed by the first sample's gradients ({@code order}, filled on first use).
     */
    static Tensor jacobian(NtkProblem p, Tensor x, List<Tensor> oneHots, int[][] order) {
        long n = x.shape()[0];
        Tensor jac = Tensor.zeros(p.dtype(), p.device(), n, p.outputs(), p.dimension());
        long[] sizes = p.sizes();
        for (long s = 0; s < n; s++) {
            try (Scope scope = Scope.open()) {
                Tensor xs = x.narrow(0, s, 1);
                Autodiff.VjpList vjp = Autodiff.vjp(q -> p.model().apply(q, xs), p.params());
                for (int o = 0; o < p.outputs(); o++) {
                    List<Tensor> g = vjp.apply(oneHots.get(o));
                    Tensor row = jac.select(0, s).select(0, o);
                    long at = 0;
                    for (int k = 0; k < sizes.length; k++) {
                        Tensor gk = g.get(k).detach();
                        if (order[k] == null) order[k] = memoryOrder(gk);
                        Tensor inOrder = gk.rank() < 2 ? gk : gk.permute(order[k]);
                        row.narrow(0, at, sizes[k]).copyFrom(inOrder.reshape(sizes[k]));
                        at += sizes[k];
                    }
                }
            }
        }
        return jac;
    }

    /** A permutation of t's dims under which it is contiguous (the identity if none is found). */
    static int[] memoryOrder(Tensor t) {
        int r = t.rank();
        int[] identity = new int[r];
        for (int i = 0; i < r; i++) identity[i] = i;
        if (t.isContiguous() || r < 2 || r > 4) return identity;
        int[] perm = identity.clone();
        do {
            if (t.permute(perm).isContiguous()) return perm.clone();
        } while (nextPermutation(perm));
        return identity;
    }

    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) i--;
        if (i < 0) return false;
        int j = a.length - 1;
        while (a[j] <= a[i]) j--;
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, h = a.length - 1; l < h; l++, h--) {
            t = a[l];
            a[l] = a[h];
            a[h] = t;
        }
        return true;
    }
}
