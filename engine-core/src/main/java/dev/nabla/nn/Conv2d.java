package dev.nabla.nn;

import dev.nabla.Generator;
import dev.nabla.Tensor;

/**
 * 2-D convolution (cross-correlation, as PyTorch) with stride and zero padding, computed as
 * im2col + one batched matmul: x [N, C, H, W] (or [C, H, W]) → [N, out, oh, ow] with
 * oh = (H + 2·padding - kernel) / stride + 1. The weight is [out, C, kh, kw] and, like the bias,
 * initialized uniform on ±1/√(C·kh·kw) as PyTorch's default.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(1, 8, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, true, g);
 * Tensor y = conv.forward(images);   // [N, 1, 28, 28] -> [N, 8, 28, 28]
 * }</pre>
 */
public final class Conv2d extends Module {
    private final long in, out;
    private final int[] kernel, stride, padding;
    private final boolean bias;

    /** Stride 1, no padding, with bias. */
    public Conv2d(long inChannels, long outChannels, int kernelSize, Generator g) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {1}, new int[] {0}, true, g);
    }

    /** kernelSize, stride and padding each one value (both dims) or two (height, width). */
    public Conv2d(long inChannels, long outChannels, int[] kernelSize, int[] stride, int[] padding, boolean bias, Generator g) {
        this.kernel = Im2col.pair("Conv2d", kernelSize);
        this.stride = Im2col.pair("Conv2d", stride);
        this.padding = Im2col.pair("Conv2d", padding);
        if (inChannels <= 0 || outChannels <= 0 || kernel[0] <= 0 || kernel[1] <= 0 || this.stride[0] <= 0
                || this.stride[1] <= 0 || this.padding[0] < 0 || this.padding[1] < 0) {
            throw new IllegalArgumentException("Conv2d: channels, kernel and stride must be positive and padding non-negative");
        }
        this.in = inChannels;
        this.out = outChannels;
        this.bias = bias;
        long fanIn = in * kernel[0] * kernel[1];
        registerParameter("weight", Init.fanInUniform(g, fanIn, out, in, kernel[0], kernel[1]));
        if (bias) registerParameter("bias", Init.fanInUniform(g, fanIn, out));
    }

    public Tensor weight() { return parameter("weight"); }

    @Override
    public Tensor forward(Tensor x) {
        Operands.floating("Conv2d", x);
        boolean unbatched = x.rank() == 3;
        Tensor xb = unbatched ? x.unsqueeze(0) : x;
        if (xb.rank() != 4 || xb.size(1) != in) {
            throw Operands.shape("Conv2d", "expected input [N, " + in + ", H, W] or [" + in + ", H, W]", x, weight());
        }
        long n = xb.size(0);
        Tensor cols = Im2col.windows("Conv2d", xb, kernel, stride, padding, 0); // [N, C, K, oh, ow]
        long oh = cols.size(3), ow = cols.size(4);
        long ck = in * kernel[0] * kernel[1];
        // [out, C·K] @ [N, C·K, oh·ow] broadcasts over N: one batched GEMM
        Tensor y = weight().reshape(out, ck).matmul(cols.reshape(n, ck, oh * ow));
        if (bias) y = y.add(parameter("bias").reshape(out, 1));
        y = y.reshape(n, out, oh, ow);
        return unbatched ? y.squeeze(0) : y;
    }

    @Override
    protected String extraRepr() {
        return in + ", " + out + ", kernel_size=(" + kernel[0] + ", " + kernel[1] + "), stride=(" + stride[0] + ", "
                + stride[1] + "), padding=(" + padding[0] + ", " + padding[1] + "), bias=" + bias;
    }
}
