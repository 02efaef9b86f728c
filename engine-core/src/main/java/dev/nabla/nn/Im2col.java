package dev.nabla.nn;

import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The sliding windows of a 2-D convolution or pooling as one tensor, built from public views only
 * (pad, strided slice, stack), so gradients of every order come from the existing rules and it
 * runs on every backend: x [N, C, H, W] → [N, C, kh·kw, oh, ow], window position (i, j) at
 * index i·kw + j, which is the order of a PyTorch conv weight [out, C, kh, kw] flattened.
 */
final class Im2col {
    private Im2col() {}

    /** Output size of one spatial dim, or ShapeMismatchException when the window does not fit. */
    static long outSize(String op, Tensor x, long size, int k, int stride, int pad) {
        long o = (size + 2L * pad - k) / stride + 1;
        if (size + 2L * pad < k || o <= 0) {
            throw Operands.shape(op, "kernel " + k + " larger than the padded input (" + size + " + 2·" + pad + ")", x);
        }
        return o;
    }

    static int[] pair(String op, int... v) {
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length == 2) return v.clone();
        throw new IllegalArgumentException(op + ": expected one or two values, got " + v.length);
    }

    /** The windows of x [N, C, H, W] padded with padValue. */
    static Tensor windows(String op, Tensor x, int[] kernel, int[] stride, int[] padding, double padValue) {
        if (x.rank() != 4) throw Operands.shape(op, "expected input [N, C, H, W]", x);
        long oh = outSize(op, x, x.size(2), kernel[0], stride[0], padding[0]);
        long ow = outSize(op, x, x.size(3), kernel[1], stride[1], padding[1]);
        Tensor xp = padding[0] == 0 && padding[1] == 0 ? x
                : x.pad(new long[] {padding[0], padding[1]}, new long[] {padding[0], padding[1]}, padValue);
        List<Tensor> views = new ArrayList<>(kernel[0] * kernel[1]);
        for (int i = 0; i < kernel[0]; i++) {
            Tensor rows = xp.slice(2, i, i + stride[0] * (oh - 1) + 1, stride[0]);
            for (int j = 0; j < kernel[1]; j++) {
                views.add(rows.slice(3, j, j + stride[1] * (ow - 1) + 1, stride[1]));
            }
        }
        return Tensor.stack(views, 2);
    }
}
