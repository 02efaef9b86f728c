package dev.nabla.conformance;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;

import java.util.Arrays;

/**
 * One input of a sample: its logical values (what the reference sees) and how the tensor holding
 * them is laid out on the device: contiguous, a transposed view, a strided slice (step 2), or a
 * broadcast (expanded) view of a smaller source. The values are exactly representable in the
 * dtype, so the reference computes on exactly what the device stores.
 *
 * <pre>{@code
 * Arg a = Arg.transposed(DType.F32, Values.uniform(1, DType.F32, -1, 1, 3, 4));  // a [3, 4] view of a [4, 3] buffer
 * Tensor t = a.make(Device.cpu());
 * }</pre>
 */
public record Arg(DType dtype, Ref value, View view, Ref source) {

    /** How the device tensor is laid out. */
    public enum View { CONTIGUOUS, TRANSPOSED, STRIDED, BROADCAST }

    public static Arg of(DType dtype, Ref value) { return new Arg(dtype, value, View.CONTIGUOUS, null); }

    /** A view swapping the last two dims of a contiguous buffer (rank >= 2). */
    public static Arg transposed(DType dtype, Ref value) { return new Arg(dtype, value, View.TRANSPOSED, null); }

    /** Every second element along the last dim of a buffer twice as wide (rank >= 1). */
    public static Arg strided(DType dtype, Ref value) { return new Arg(dtype, value, View.STRIDED, null); }

    /** source expanded to the shape {@code to} (stride 0 along the stretched dims). */
    public static Arg broadcast(DType dtype, Ref source, long... to) {
        return new Arg(dtype, source.broadcastTo(to), View.BROADCAST, source);
    }

    /** The tensor on the device; its logical values equal {@link #value()}. */
    public Tensor make(Device device) {
        int r = value.rank();
        return switch (view) {
            case CONTIGUOUS -> tensor(dtype, device, value);
            case TRANSPOSED -> {
                int[] perm = new int[r];
                for (int i = 0; i < r; i++) perm[i] = i;
                perm[r - 2] = r - 1;
                perm[r - 1] = r - 2;
                yield tensor(dtype, device, value.permute(perm)).mT();
            }
            case STRIDED -> {
                long[] wide = value.shape().clone();
                long last = wide[r - 1];
                wide[r - 1] = 2 * last;
                double[] w = new double[(int) Ref.numel(wide)];
                Arrays.fill(w, dtype == DType.BOOL ? 1 : 7);   // the skipped elements: any wrong read shows
                for (int p = 0; p < value.size(); p++) w[(int) ((p / last) * 2 * last + 2 * (p % last))] = value.v()[p];
                yield tensor(dtype, device, Ref.of(w, wide)).slice(r - 1, 0, 2 * last, 2);
            }
            case BROADCAST -> tensor(dtype, device, source).expand(value.shape());
        };
    }

    /** A contiguous tensor of the values (0-d through {@code Tensor.scalar}). */
    public static Tensor tensor(DType dtype, Device device, Ref r) {
        if (r.rank() == 0) return Tensor.scalar(dtype, device, r.v()[0]);
        return Tensor.of(dtype, device, r.v(), r.shape());
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(value.shape()) + (view == View.CONTIGUOUS ? "" : " " + view.name().toLowerCase());
    }
}
