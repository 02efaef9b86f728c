package dev.nabla.algo;

import dev.nabla.Tensor;

/**
 * A complex tensor held as two real tensors of one shape, re + i·im; {@code im == null} is a real
 * tensor, on which every operation costs what the real operation costs. The holomorphic estimator
 * of {@link EquilibriumPropagation} needs complex neuron states only here, inside the algorithm.
 *
 * <p>Why a pair of real tensors rather than a complex dtype in the engine: the complex states meet
 * only real weights (a real matrix times a complex state is two real GEMMs, exactly what a complex
 * GEMM would do with a real operand, so nothing is lost in speed), plus a handful of elementwise
 * functions written here from real ones (exp through cos/sin, the sigmoid, a reciprocal, the
 * softmax of the readout). A complex dtype would have to go through every backend and kernel
 * (CPU Vector API, the shared OpenCL/CUDA sources), the conformance specs, type promotion and the
 * autodiff rules (Wirtinger derivatives) before any of that could run; the pair runs today on
 * every device the real ops run on, bit-for-bit the same code path as the real dynamics.
 *
 * <p>Operations build new tensors and never close their operands; callers run them inside a
 * {@link dev.nabla.Scope}.
 */
record Complex(Tensor re, Tensor im) {

    static Complex real(Tensor re) {
        return new Complex(re, null);
    }

    /** The 0-d complex scalar a + ib on the device and dtype of like (im null when b = 0). */
    static Complex scalar(Tensor like, double a, double b) {
        Tensor re = Tensor.scalar(like.dtype(), like.device(), a);
        return new Complex(re, b == 0 ? null : Tensor.scalar(like.dtype(), like.device(), b));
    }

    boolean isReal() {
        return im == null;
    }

    Complex add(Complex o) {
        return new Complex(re.add(o.re), sum(im, o.im));
    }

    Complex add(Tensor real) {
        return new Complex(re.add(real), im);
    }

    Complex sub(Complex o) {
        return new Complex(re.sub(o.re), im == null ? (o.im == null ? null : o.im.neg()) : o.im == null ? im : im.sub(o.im));
    }

    Complex sub(Tensor real) {
        return new Complex(re.sub(real), im);
    }

    Complex mul(double s) {
        return new Complex(re.mul(s), im == null ? null : im.mul(s));
    }

    /** Elementwise product with a real tensor. */
    Complex mul(Tensor real) {
        return new Complex(re.mul(real), im == null ? null : im.mul(real));
    }

    /** (a + ib)(c + id) = (ac − bd) + i(ad + bc), broadcasting as the real ops do. */
    Complex mul(Complex o) {
        if (o.im == null) return mul(o.re);
        if (im == null) return new Complex(re.mul(o.re), re.mul(o.im));
        return new Complex(re.mul(o.re).sub(im.mul(o.im)), re.mul(o.im).add(im.mul(o.re)));
    }

    /** 1 / (a + ib) = (a − ib) / (a² + b²). */
    Complex reciprocal() {
        if (im == null) return real(re.reciprocal());
        Tensor den = re.square().add(im.square());
        return new Complex(re.div(den), im.neg().div(den));
    }

    Complex div(Complex o) {
        return o.im == null ? new Complex(re.div(o.re), im == null ? null : im.div(o.re)) : mul(o.reciprocal());
    }

    /** e^(a + ib) = e^a (cos b + i sin b). */
    Complex exp() {
        if (im == null) return real(re.exp());
        Tensor m = re.exp();
        return new Complex(m.mul(im.cos()), m.mul(im.sin()));
    }

    /** This [.., k] times the real matrix w [k, n] (re and im each one real GEMM). */
    Complex matmul(Tensor w) {
        return new Complex(re.matmul(w), im == null ? null : im.matmul(w));
    }

    Complex sum(int dim, boolean keepDim) {
        return new Complex(re.sum(new int[] {dim}, keepDim), im == null ? null : im.sum(new int[] {dim}, keepDim));
    }

    /**
     * The logistic function 1 / (1 + e^(−z)), continued holomorphically. As the real kernel does, it
     * never exponentiates a large positive number: with t = e^(−|a|) ≤ 1 it computes
     * q = 1 / (1 + t e^(∓ib)) and takes q where a ≥ 0 and 1 − q' (the same q from e^z) where a < 0.
     */
    Complex sigmoid() {
        if (im == null) return real(re.sigmoid());
        Tensor pos = re.ge(0.0);
        Tensor t = re.abs().neg().exp();
        Tensor c = t.mul(im.cos());
        Tensor s = t.mul(im.sin());
        // w = e^(−z) where a ≥ 0, e^(z) where a < 0: the imaginary part flips sign with the branch
        Tensor wIm = Tensor.where(pos, s.neg(), s);
        Tensor onePlusRe = c.add(1.0);
        Tensor den = onePlusRe.square().add(wIm.square());
        Tensor qRe = onePlusRe.div(den);
        Tensor qIm = wIm.neg().div(den);
        return new Complex(Tensor.where(pos, qRe, qRe.neg().add(1.0)), Tensor.where(pos, qIm, qIm.neg()));
    }

    /**
     * Softmax along dim. Shifting every entry by one constant leaves it unchanged, for complex
     * entries too, so the row's largest real part is subtracted first, as for real logits.
     */
    Complex softmax(int dim) {
        if (im == null) return real(re.softmax(dim));
        Tensor shift = re.amax(new int[] {dim}, true).detach();
        Complex e = new Complex(re.sub(shift), im).exp();
        return e.div(e.sum(dim, true));
    }

    /** The real part; for a real tensor, the tensor itself. */
    Tensor real() {
        return re;
    }

    private static Tensor sum(Tensor a, Tensor b) {
        return a == null ? b : b == null ? a : a.add(b);
    }
}
