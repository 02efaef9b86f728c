package dev.nabla.algo;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.NoGrad;
import dev.nabla.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shapes, dtype and device of a list of parameters, and the map between a list shaped like
 * them and one flat vector. Krylov methods work on flat vectors: an inner product or a whole
 * Gram-Schmidt pass is then one operation instead of one per parameter tensor.
 */
final class ParameterLayout {
    private final List<long[]> shapes;
    private final long[] sizes;
    private final DType dtype;
    private final Device device;
    private final long dimension;

    private ParameterLayout(List<long[]> shapes, DType dtype, Device device) {
        this.shapes = shapes;
        this.sizes = new long[shapes.size()];
        long n = 0;
        for (int i = 0; i < sizes.length; i++) {
            long k = 1;
            for (long d : shapes.get(i)) k *= d;
            sizes[i] = k;
            n += k;
        }
        this.dtype = dtype;
        this.device = device;
        this.dimension = n;
    }

    /**
     * The layout of params, which must be a non-empty list of floating tensors of one dtype on one
     * device (a model's parameters); op names the caller in the exception otherwise.
     */
    static ParameterLayout of(String op, List<Tensor> params) {
        Operands.require(params != null && !params.isEmpty(), op, "needs at least one parameter tensor");
        Tensor first = params.getFirst();
        List<long[]> shapes = new ArrayList<>(params.size());
        for (Tensor p : params) {
            if (!p.dtype().isFloating()) throw Operands.dtype(op, "parameters must be floating (F32 or F64)", p);
            if (p.dtype() != first.dtype()) throw Operands.dtype(op, "parameters must share one dtype", first, p);
            if (!p.device().equals(first.device())) throw Operands.device(op, "parameters must live on one device", first, p);
            shapes.add(p.shape());
        }
        return new ParameterLayout(List.copyOf(shapes), first.dtype(), first.device());
    }

    DType dtype() { return dtype; }

    Device device() { return device; }

    /** The number of scalar parameters: the size of the flat vector. */
    long dimension() { return dimension; }

    int tensors() { return shapes.size(); }

    /** Throws the typed exception naming op unless v is shaped, typed and placed like the parameters. */
    void check(String op, List<Tensor> v) {
        if (v.size() != shapes.size()) {
            throw new dev.nabla.ShapeMismatchException(op + ": expected " + shapes.size() + " tensors shaped like the parameters, got "
                    + v.size() + ": " + Operands.describe(v));
        }
        for (int i = 0; i < v.size(); i++) {
            Tensor t = v.get(i);
            if (!Arrays.equals(t.shape(), shapes.get(i))) {
                throw Operands.shape(op, "tensor " + i + " must have the parameter's shape " + Arrays.toString(shapes.get(i)), t);
            }
            if (t.dtype() != dtype) throw Operands.dtype(op, "tensor " + i + " must have the parameters' dtype " + dtype, t);
            if (!t.device().equals(device)) throw Operands.device(op, "tensor " + i + " must be on the parameters' device " + device, t);
        }
    }

    /** The elements of v (shaped like the parameters) one after another in a new 1-D tensor. */
    Tensor flatten(List<Tensor> v) {
        try (NoGrad ng = NoGrad.open()) {
            if (v.size() == 1) return v.getFirst().reshape(-1).contiguous();
            List<Tensor> flat = new ArrayList<>(v.size());
            for (Tensor t : v) flat.add(t.reshape(-1));
            return Tensor.cat(flat, 0);
        }
    }

    /** Views of flat (1-D, this layout's dimension) shaped like the parameters; they share its storage. */
    List<Tensor> unflatten(Tensor flat) {
        List<Tensor> out = new ArrayList<>(shapes.size());
        long at = 0;
        try (NoGrad ng = NoGrad.open()) {
            for (int i = 0; i < shapes.size(); i++) {
                out.add(flat.narrow(0, at, sizes[i]).reshape(shapes.get(i)));
                at += sizes[i];
            }
        }
        return out;
    }

    /**
     * A flat vector of independent ±1 entries (Rademacher). Drawn as F32 uniforms, which the
     * generator makes bit-identical on every device, then compared and cast: the same signs on
     * every backend, and no float64 random draw needed on devices without fp64.
     */
    Tensor rademacher(Generator g) {
        try (NoGrad ng = NoGrad.open(); Tensor u = Tensor.rand(DType.F32, device, g, dimension);
             Tensor below = u.lt(0.5); Tensor ones = below.to(dtype); Tensor twice = ones.mul(2.0)) {
            return twice.sub(1.0);
        }
    }

    /** A flat vector of independent standard normal entries. */
    Tensor gaussian(Generator g) {
        Tensor z = Tensor.randn(DType.F32, device, g, dimension);
        if (dtype == DType.F32) return z;
        try (z) {
            return z.to(dtype);
        }
    }

    Tensor zeros() {
        return Tensor.zeros(dtype, device, dimension);
    }

    /** Machine epsilon of the parameters' dtype: the scale of round-off in inner products. */
    double epsilon() {
        return dtype == DType.F64 ? 0x1p-52 : 0x1p-23;
    }
}
