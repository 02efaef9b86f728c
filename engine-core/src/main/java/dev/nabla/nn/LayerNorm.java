package dev.nabla.nn;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;

import java.util.Arrays;

/**
 * Normalizes each sample over its last dims (the normalized shape) to zero mean and unit variance
 * (biased variance, eps 1e-5 inside the square root, as PyTorch), then applies a learned gain
 * (ones) and bias (zeros) of the normalized shape.
 *
 * <pre>{@code
 * LayerNorm ln = new LayerNorm(256);
 * Tensor y = ln.forward(h);             // h [N, 256], each row normalized
 * }</pre>
 */
public final class LayerNorm extends Module {
    private final long[] normalized;
    private final double eps;
    private final boolean affine;

    public LayerNorm(long... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("LayerNorm: empty normalized shape");
        this.normalized = normalizedShape.clone();
        this.eps = eps;
        this.affine = elementwiseAffine;
        if (affine) {
            registerParameter("weight", Tensor.ones(DType.F32, Device.defaultDevice(), normalized));
            registerParameter("bias", Tensor.zeros(DType.F32, Device.defaultDevice(), normalized));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Operands.floating("LayerNorm", x);
        int k = normalized.length, r = x.rank();
        long[] shape = x.shape();
        if (r < k || !Arrays.equals(Arrays.copyOfRange(shape, r - k, r), normalized)) {
            throw Operands.shape("LayerNorm", "trailing dims must equal the normalized shape " + Arrays.toString(normalized), x);
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = r - k + i;
        Tensor centered = x.sub(x.mean(dims, true));
        Tensor var = centered.square().mean(dims, true);
        Tensor y = centered.mul(var.add(eps).rsqrt());
        return affine ? y.mul(parameter("weight")).add(parameter("bias")) : y;
    }

    @Override
    protected String extraRepr() {
        return "normalized_shape=" + Arrays.toString(normalized) + ", eps=" + eps + ", elementwise_affine=" + affine;
    }
}
