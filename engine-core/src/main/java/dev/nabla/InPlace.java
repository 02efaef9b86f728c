package dev.nabla;

import dev.nabla.spi.Layout;

/**
 * The one in-place write of the public API, {@link Tensor#copyFrom}: what optimizers, gradient
 * clipping and checkpoint loading need to update a parameter without replacing the tensor object
 * that a model, an optimizer and a user all hold.
 */
final class InPlace {
    private InPlace() {}

    static Tensor copyFrom(Tensor dst, Tensor src) {
        dst.live("copyFrom");
        src.live("copyFrom");
        Errors.sameDevice("copyFrom", dst, src);
        if (dst.node != null && !dst.node.isLeaf()) {
            // the tape saved or will read this value: overwriting it would make gradients silently wrong
            throw new NablaException(Errors.message("copyFrom", "cannot write in place into a tensor produced by "
                    + dst.node.rule.name + " on the tape (write into a leaf, or detach() first)", dst, src));
        }
        long[] shape = Elementwise.broadcast("copyFrom", dst, src);
        if (!java.util.Arrays.equals(shape, dst.shape)) {
            throw Errors.shape("copyFrom", "source does not broadcast to the destination's shape", dst, src);
        }
        if (dst.numel() == 0) return dst;
        Tensor s = Elementwise.castRaw(src, dst.dtype);
        // a source sharing the destination's storage (an overlapping view) is read into a copy first
        if (s == src && s.storage == dst.storage) s = Elementwise.copyRaw(src);
        try {
            Layout sl = Elementwise.layoutAs(s, dst.shape);
            dst.backend().copy(s.buffer(), sl, dst.buffer(), dst.layout());
        } finally {
            if (s != src) s.close();
        }
        return dst;
    }
}
