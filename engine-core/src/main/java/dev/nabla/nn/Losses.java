package dev.nabla.nn;

import dev.nabla.Tensor;

import java.util.Arrays;

/**
 * Loss functions with PyTorch's definitions and defaults (mean reduction), written with tensor ops so
 * that their gradients, and gradients of those, come from autodiff. The ones taking logits never
 * form probabilities: log-softmax subtracts the maximum (log-sum-exp) and the binary one uses
 * softplus, so large logits neither overflow nor lose the loss to rounding.
 *
 * <pre>{@code
 * Tensor loss = Losses.crossEntropy(model.forward(x), labels);   // logits [N, C], labels [N] (I64)
 * loss.backward();
 * }</pre>
 */
public final class Losses {
    private Losses() {}

    /** Mean squared error; prediction and target have one shape. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        return mse(prediction, target, Reduction.MEAN);
    }

    public static Tensor mse(Tensor prediction, Tensor target, Reduction reduction) {
        Operands.floating("mse", prediction);
        sameShape("mse", prediction, target);
        return reduce(prediction.sub(target).square(), reduction);
    }

    /** Cross-entropy of logits [N, C] (or [N, C, d...]) against class indices [N] (or [N, d...]). */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, 0, Reduction.MEAN);
    }

    /**
     * Cross-entropy from logits, as {@code torch.nn.functional.cross_entropy}. The target is either
     * class indices (integer, the logits' shape without the class dim 1) or class probabilities
     * (floating, the logits' shape). With label smoothing ε the target becomes (1-ε)·target + ε/C.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, double labelSmoothing, Reduction reduction) {
        Operands.floating("crossEntropy", logits);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (logits.rank() < 1) throw Operands.shape("crossEntropy", "logits need a class dim", logits, target);
        int classDim = logits.rank() == 1 ? 0 : 1;
        long classes = logits.size(classDim);
        Tensor logProbs = logits.logSoftmax(classDim);
        Tensor perExample;
        if (target.dtype().isFloating()) {
            sameShape("crossEntropy", logits, target);
            Tensor t = labelSmoothing == 0 ? target : target.mul(1 - labelSmoothing).add(labelSmoothing / classes);
            perExample = t.mul(logProbs).sum(classDim).neg();
        } else {
            Tensor picked = pick("crossEntropy", logProbs, target, classDim).neg();
            if (labelSmoothing == 0) {
                perExample = picked;
            } else {
                // PyTorch: (1-ε)·nll + ε·mean over classes of -log p
                Tensor uniform = logProbs.mean(classDim).neg();
                perExample = picked.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing));
            }
        }
        return reduce(perExample, reduction);
    }

    /** Negative log-likelihood of log-probabilities [N, C] (or [N, C, d...]) at class indices. */
    public static Tensor nll(Tensor logProbs, Tensor target) {
        return nll(logProbs, target, Reduction.MEAN);
    }

    public static Tensor nll(Tensor logProbs, Tensor target, Reduction reduction) {
        Operands.floating("nll", logProbs);
        if (logProbs.rank() < 1) throw Operands.shape("nll", "log-probabilities need a class dim", logProbs, target);
        int classDim = logProbs.rank() == 1 ? 0 : 1;
        return reduce(pick("nll", logProbs, target, classDim).neg(), reduction);
    }

    /** Binary cross-entropy of logits against targets in [0, 1] of the same shape. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
        return binaryCrossEntropyWithLogits(logits, target, Reduction.MEAN);
    }

    /**
     * -[y·log σ(x) + (1-y)·log(1-σ(x))] written as softplus(x) - x·y, which is exact for every x
     * (softplus is computed without overflow).
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction) {
        Operands.floating("binaryCrossEntropyWithLogits", logits);
        sameShape("binaryCrossEntropyWithLogits", logits, target);
        return reduce(logits.softplus().sub(logits.mul(target)), reduction);
    }

    /** logProbs at the target classes along classDim, with the target's shape. */
    private static Tensor pick(String op, Tensor logProbs, Tensor target, int classDim) {
        if (!target.dtype().isInteger()) {
            throw Operands.dtype(op, "class indices must be I32 or I64", logProbs, target);
        }
        long[] expected = logProbs.shape();
        long[] without = new long[expected.length - 1];
        for (int i = 0, j = 0; i < expected.length; i++) if (i != classDim) without[j++] = expected[i];
        if (!Arrays.equals(without, target.shape())) {
            throw Operands.shape(op, "target must have the input's shape without the class dim " + Arrays.toString(without),
                    logProbs, target);
        }
        long classes = expected[classDim];
        if (target.numel() > 0) {
            double lo, hi;
            try (Tensor mn = target.amin(); Tensor mx = target.amax()) {
                lo = mn.item();
                hi = mx.item();
            }
            if (lo < 0 || hi >= classes) {
                throw Operands.shape(op, "class index out of range [0, " + classes + "): " + (lo < 0 ? (long) lo : (long) hi),
                        logProbs, target);
            }
        }
        return logProbs.gather(classDim, target.unsqueeze(classDim)).squeeze(classDim);
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) throw Operands.shape(op, "input and target shapes differ", a, b);
    }

    private static Tensor reduce(Tensor perElement, Reduction reduction) {
        return switch (reduction) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
        };
    }
}
