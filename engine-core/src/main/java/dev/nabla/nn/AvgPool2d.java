package dev.nabla.nn;

import dev.nabla.NoGrad;
import dev.nabla.Tensor;

/**
 * The mean over each kernel window, stride defaulting to the kernel size, zero padding of at most
 * half the kernel. As PyTorch's default ({@code count_include_pad=True}) padded zeros count in the
 * mean; with countIncludePad false each window divides by its number of real elements.
 *
 * <pre>{@code
 * Tensor y = new AvgPool2d(2).forward(x);   // [N, C, 28, 28] -> [N, C, 14, 14]
 * }</pre>
 */
public final class AvgPool2d extends Module {
    private final int[] kernel, stride, padding;
    private final boolean countIncludePad;

    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize}, new int[] {kernelSize}, new int[] {0}, true);
    }

    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        this.kernel = Im2col.pair("AvgPool2d", kernelSize);
        this.stride = Im2col.pair("AvgPool2d", stride);
        this.padding = Im2col.pair("AvgPool2d", padding);
        this.countIncludePad = countIncludePad;
        for (int d = 0; d < 2; d++) {
            if (kernel[d] <= 0 || this.stride[d] <= 0 || this.padding[d] < 0 || this.padding[d] > kernel[d] / 2) {
                throw new IllegalArgumentException("AvgPool2d: kernel and stride must be positive and padding at most half the kernel");
            }
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Operands.floating("AvgPool2d", x);
        boolean unbatched = x.rank() == 3;
        Tensor xb = unbatched ? x.unsqueeze(0) : x;
        Tensor windows = Im2col.windows("AvgPool2d", xb, kernel, stride, padding, 0);
        Tensor y;
        if (countIncludePad || (padding[0] == 0 && padding[1] == 0)) {
            y = windows.mean(2);
        } else {
            // per window, the count of positions inside the unpadded input: the same windows over ones
            Tensor counts;
            try (NoGrad ng = NoGrad.open()) {
                Tensor ones = Tensor.ones(xb.dtype(), xb.device(), 1, 1, xb.size(2), xb.size(3));
                counts = Im2col.windows("AvgPool2d", ones, kernel, stride, padding, 0).sum(2);
            }
            y = windows.sum(2).div(counts);
        }
        return unbatched ? y.squeeze(0) : y;
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=(" + kernel[0] + ", " + kernel[1] + "), stride=(" + stride[0] + ", " + stride[1]
                + "), padding=(" + padding[0] + ", " + padding[1] + "), count_include_pad=" + countIncludePad;
    }
}
