package dev.nabla.nn;

import dev.nabla.Tensor;

/**
 * The maximum over each kernel window, stride defaulting to the kernel size, implicit padding with
 * -∞ (PyTorch's semantics) of at most half the kernel. On [N, C, H, W] or [C, H, W]. Where a window
 * holds several equal maxima the gradient is split evenly among them (PyTorch gives it all to one).
 *
 * <pre>{@code
 * Tensor y = new MaxPool2d(2).forward(x);   // [N, C, 28, 28] -> [N, C, 14, 14]
 * }</pre>
 */
public final class MaxPool2d extends Module {
    private final int[] kernel, stride, padding;

    public MaxPool2d(int kernelSize) {
        this(new int[] {kernelSize}, new int[] {kernelSize}, new int[] {0});
    }

    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding) {
        this.kernel = Im2col.pair("MaxPool2d", kernelSize);
        this.stride = Im2col.pair("MaxPool2d", stride);
        this.padding = Im2col.pair("MaxPool2d", padding);
        for (int d = 0; d < 2; d++) {
            if (kernel[d] <= 0 || this.stride[d] <= 0 || this.padding[d] < 0 || this.padding[d] > kernel[d] / 2) {
                throw new IllegalArgumentException("MaxPool2d: kernel and stride must be positive and padding at most half the kernel");
            }
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Operands.floating("MaxPool2d", x);
        boolean unbatched = x.rank() == 3;
        Tensor xb = unbatched ? x.unsqueeze(0) : x;
        Tensor y = Im2col.windows("MaxPool2d", xb, kernel, stride, padding, Double.NEGATIVE_INFINITY).amax(2);
        return unbatched ? y.squeeze(0) : y;
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=(" + kernel[0] + ", " + kernel[1] + "), stride=(" + stride[0] + ", " + stride[1]
                + "), padding=(" + padding[0] + ", " + padding[1] + ")";
    }
}
