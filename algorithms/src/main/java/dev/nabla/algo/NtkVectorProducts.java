package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.algo.EmpiricalNtk.Outputs;
import dev.nabla.autodiff.Autodiff;

import java.util.List;

/**
 * Θ by NTK-vector products (Novak, Sohl-Dickstein and Schoenholz 2022, §3.2): for each sample x′
 * of x2 and each output b, a VJP gives v = ∂f_b(x′)/∂θ, and one JVP of the model over a batch of
 * x1 in the direction v gives the column J₁v = Θ(x1, x′)[:, :, b] for every output at once. No
 * Jacobian is held: one parameter-sized vector and one batch's activations (and their tangents)
 * at a time. Cost N₁N₂O·[FP] (a JVP costs about three forward passes), whether the full kernel,
 * its trace or its diagonal is wanted.
 *
 * <p>In the symmetric case Θ(X, X) the JVP for x′ = x_j runs over x_j … x_N only and the rows
 * above are mirrored from the columns already computed, halving the products.
 */
final class NtkVectorProducts {
    private NtkVectorProducts() {}

    static Tensor kernel(NtkProblem p, Outputs outputs, EmpiricalNtk.Options options) {
        Tensor result = Tensor.zeros(p.dtype(), p.device(), p.resultShape(outputs));
        long n1 = p.n1(), n2 = p.n2();
        if (n1 == 0 || n2 == 0) return result;
        List<Tensor> oneHots = p.oneHots();
        try {
            for (long j = 0; j < n2; j++) {
                long from = p.symmetric() ? j : 0;
                try (Scope s = Scope.open()) {
                    Tensor xj = p.x2().narrow(0, j, 1);
                    Autodiff.VjpList vjp = Autodiff.vjp(q -> p.model().apply(q, xj), p.params());
                    for (int b = 0; b < p.outputs(); b++) {
                        try (Scope inner = Scope.open()) {
                            List<Tensor> v = detached(vjp.apply(oneHots.get(b)));
                            for (long i = from; i < n1; i += options.batchSize()) {
                                long m = Math.min(options.batchSize(), n1 - i);
                                Tensor xi = p.x1().narrow(0, i, m);
                                Tensor column = Autodiff.jvp(q -> p.model().apply(q, xi), p.params(), v).tangent();   // [m, O]
                                write(result, outputs, column, i, j, b);
                            }
                        }
                    }
                    if (p.symmetric()) mirror(result, outputs, j, n1);
                }
            }
        } finally {
            oneHots.forEach(Tensor::close);
        }
        return result;
    }

    /** Writes column [m, O] = Θ(x1[i:i+m], x2[j])[:, :, b] where outputs wants it. */
    private static void write(Tensor result, Outputs outputs, Tensor column, long i, long j, int b) {
        long m = column.shape()[0];
        try (NoGrad ng = NoGrad.open()) {
            switch (outputs) {
                case FULL -> result.narrow(0, i, m).select(1, j).select(2, b).copyFrom(column);
                case DIAGONAL -> result.narrow(0, i, m).select(1, j).select(1, b).copyFrom(column.select(1, b));
                case TRACE -> {
                    Tensor at = result.narrow(0, i, m).select(1, j);
                    at.copyFrom(at.add(column.select(1, b)));
                }
            }
        }
    }

    /** Θ(x_j, x_i) for i ≥ j, from Θ(x_i, x_j) just computed. */
    private static void mirror(Tensor result, Outputs outputs, long j, long n) {
        try (NoGrad ng = NoGrad.open()) {
            if (outputs == Outputs.FULL) {
                // Θ(x_j, x_j)[a, b] came from column b's product, [b, a] from column a's: average them
                Tensor own = result.select(0, j).select(0, j);
                own.copyFrom(own.add(own.mT()).mul(0.5));
            }
            if (j + 1 >= n) return;
            Tensor column = result.narrow(0, j + 1, n - j - 1).select(1, j);   // [m, ...] over i > j
            Tensor row = result.select(0, j).narrow(0, j + 1, n - j - 1);
            row.copyFrom(outputs == Outputs.FULL ? column.transpose(1, 2) : column);
        }
    }

    private static List<Tensor> detached(List<Tensor> ts) {
        try (NoGrad ng = NoGrad.open()) {
            return ts.stream().map(Tensor::detach).toList();
        }
    }
}
