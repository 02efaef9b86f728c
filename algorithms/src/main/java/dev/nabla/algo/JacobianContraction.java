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
 * row. Jacobians are held as [O, n, P] (output-major) so that the trace and the diagonal are one
 * batched product over outputs.
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
            if (p.symmetric()) symmetric(p, outputs, capacity, oneHots, result);
            else general(p, outputs, capacity, oneHots, result);
        } finally {
            oneHots.forEach(Tensor::close);
        }
        return result;
    }

    private static void general(NtkProblem p, Outputs outputs, long capacity, List<Tensor> oneHots, Tensor result) {
        long n1 = p.n1(), n2 = p.n2();
        if (n1 == 0 || n2 == 0) return;
        long b2 = Math.min(n2, Math.max(1, capacity / 2));
        if (n1 + n2 <= capacity) b2 = n2;
        long b1 = Math.min(n1, Math.max(1, capacity - b2));
        boolean cached = b2 == n2;
        Tensor j2All = cached ? jacobian(p, p.x2(), oneHots) : null;
        try {
            for (long i = 0; i < n1; i += b1) {
                long m1 = Math.min(b1, n1 - i);
                try (Tensor j1 = jacobian(p, p.x1().narrow(0, i, m1), oneHots)) {
                    for (long j = 0; j < n2; j += b2) {
                        long m2 = Math.min(b2, n2 - j);
                        Tensor j2 = cached ? j2All : jacobian(p, p.x2().narrow(0, j, m2), oneHots);
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
    private static void symmetric(NtkProblem p, Outputs outputs, long capacity, List<Tensor> oneHots, Tensor result) {
        long n = p.n1();
        if (n == 0) return;
        long b = n <= capacity ? n : Math.max(1, capacity / 2);
        for (long i = 0; i < n; i += b) {
            long mi = Math.min(b, n - i);
            try (Tensor ji = jacobian(p, p.x1().narrow(0, i, mi), oneHots)) {
                for (long j = i; j < n; j += b) {
                    long mj = Math.min(b, n - j);
                    Tensor jj = j == i ? ji : jacobian(p, p.x1().narrow(0, j, mj), oneHots);
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

    /** Θ between two Jacobian blocks [O, m1, P] and [O, m2, P], shaped as outputs asks. */
    static Tensor contract(Tensor j1, Tensor j2, Outputs outputs) {
        long o = j1.shape()[0], m1 = j1.shape()[1], m2 = j2.shape()[1], params = j1.shape()[2];
        try (NoGrad ng = NoGrad.open()) {
            return switch (outputs) {
                // rows (a, i) against rows (b, j): [O·m1, O·m2] -> [m1, m2, O, O]
                case FULL -> j1.reshape(o * m1, params).matmul(j2.reshape(o * m2, params).mT())
                        .reshape(o, m1, o, m2).permute(1, 3, 0, 2);
                // one product per output, [O, m1, m2], then over outputs
                case TRACE -> j1.matmul(j2.mT()).sum(0);
                case DIAGONAL -> j1.matmul(j2.mT()).permute(1, 2, 0);
            };
        }
    }

    /**
     * The Jacobians of the samples of x: [O, n, P] with row (o, s) = ∂f_o(x_s)/∂θ, the parameters
     * flattened in list order. Each sample's forward pass and O backward passes run in a scope of
     * their own, written straight into the preallocated result.
     */
    static Tensor jacobian(NtkProblem p, Tensor x, List<Tensor> oneHots) {
        long n = x.shape()[0];
        Tensor jac = Tensor.zeros(p.dtype(), p.device(), p.outputs(), n, p.dimension());
        long[] sizes = p.sizes();
        for (long s = 0; s < n; s++) {
            try (Scope scope = Scope.open()) {
                Tensor xs = x.narrow(0, s, 1);
                Autodiff.VjpList vjp = Autodiff.vjp(q -> p.model().apply(q, xs), p.params());
                for (int o = 0; o < p.outputs(); o++) {
                    List<Tensor> g = vjp.apply(oneHots.get(o));
                    Tensor row = jac.select(0, o).select(0, s);
                    long at = 0;
                    for (int k = 0; k < sizes.length; k++) {
                        row.narrow(0, at, sizes[k]).copyFrom(g.get(k).detach().reshape(sizes[k]));
                        at += sizes[k];
                    }
                }
            }
        }
        return jac;
    }
}
