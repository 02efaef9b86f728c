package dev.nabla.algo;

import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.Tensor;

/**
 * Centred kernel–target alignment (Cortes, Mohri and Rostamizadeh 2012):
 * A = ỹᵀK̃ỹ / (‖K̃‖_F ‖ỹ‖²), with K̃ = HKH and ỹ = Hy, H = I − 11ᵀ/N the centring matrix. It is
 * the cosine between K̃ and ỹỹᵀ as matrices: 1 when the kernel is the labels' outer product (up to
 * scale), near 0 for a kernel blind to them. For labels [N, O] the numerator sums over outputs
 * and ‖ỹ‖ is the Frobenius norm. Computed on the kernel's device with tensor operations.
 *
 * <pre>{@code
 * Tensor theta = EmpiricalNtk.kernel(model, params, x, null, true, Method.AUTO);
 * double a = KernelAlignment.of(theta, y);   // rises as the NTK learns the task
 * }</pre>
 */
public final class KernelAlignment {
    private KernelAlignment() {}

    /** The centred alignment of kernel [N, N] with labels [N] or [N, O]. */
    public static double of(Tensor kernel, Tensor labels) {
        String op = "KernelAlignment.of";
        if (kernel.rank() != 2 || kernel.shape()[0] != kernel.shape()[1]) throw Operands.shape(op, "the kernel must be [N, N]", kernel, labels);
        long n = kernel.shape()[0];
        if (labels.rank() < 1 || labels.rank() > 2 || labels.shape()[0] != n) {
            throw Operands.shape(op, "labels must be [N] or [N, O] for a kernel [N, N]", kernel, labels);
        }
        if (!kernel.dtype().isFloating() || kernel.dtype() != labels.dtype()) throw Operands.dtype(op, "kernel and labels must share one floating dtype", kernel, labels);
        if (!kernel.device().equals(labels.device())) throw Operands.device(op, "kernel and labels must live on one device", kernel, labels);
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            Tensor y = labels.rank() == 1 ? labels.unsqueeze(1) : labels;
            Tensor yc = y.sub(y.mean(new int[] {0}, true));
            Tensor kc = kernel.sub(kernel.mean(new int[] {0}, true)).sub(kernel.mean(new int[] {1}, true)).add(kernel.mean());
            double numerator = yc.mul(kc.matmul(yc)).sum().item();
            double kNorm = kc.square().sum().sqrt().item();
            double yNorm2 = yc.square().sum().item();
            return kNorm == 0 || yNorm2 == 0 ? 0 : numerator / (kNorm * yNorm2);
        }
    }
}
