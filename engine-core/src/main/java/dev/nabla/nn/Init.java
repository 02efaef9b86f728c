package dev.nabla.nn;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Scope;
import dev.nabla.Tensor;

/**
 * Parameter initializations, drawn from a {@link Generator} (so one seed gives one model on every
 * device), F32 on the default device. The layers use PyTorch's defaults: Linear and Conv2d weights
 * and biases uniform on ±1/√fan_in (PyTorch's {@code kaiming_uniform_(a=√5)} reduces to that bound),
 * Embedding standard normal, LayerNorm ones and zeros.
 *
 * <pre>{@code
 * Tensor w = Init.uniform(new Generator(0), -0.1, 0.1, 256, 784);
 * }</pre>
 */
public final class Init {
    private Init() {}

    /** Uniform on [lo, hi). */
    public static Tensor uniform(Generator g, double lo, double hi, long... shape) {
        try (Scope s = Scope.open()) {
            Tensor u = Tensor.rand(DType.F32, Device.defaultDevice(), g, shape);
            return s.keep(u.mul(hi - lo).add(lo));
        }
    }

    /** Normal with the given mean and standard deviation. */
    public static Tensor normal(Generator g, double mean, double std, long... shape) {
        try (Scope s = Scope.open()) {
            Tensor z = Tensor.randn(DType.F32, Device.defaultDevice(), g, shape);
            return s.keep(z.mul(std).add(mean));
        }
    }

    /** PyTorch's default for Linear and Conv2d weights and biases: uniform on ±1/√fanIn. */
    public static Tensor fanInUniform(Generator g, long fanIn, long... shape) {
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        return uniform(g, -bound, bound, shape);
    }
}
