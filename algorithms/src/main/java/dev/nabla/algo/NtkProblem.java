package dev.nabla.algo;

import dev.nabla.DType;
import dev.nabla.DTypeMismatchException;
import dev.nabla.Device;
import dev.nabla.DeviceMismatchException;
import dev.nabla.NoGrad;
import dev.nabla.Scope;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import dev.nabla.algo.EmpiricalNtk.Outputs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One kernel computation's validated inputs: the model, its parameters (detached, so the user's
 * leaves collect no gradients and nothing is recorded beyond what each product needs), the two
 * input batches, the number of outputs O and of parameters P, and where the result goes. Both
 * methods share it, and with it the placement of computed blocks into the result.
 */
record NtkProblem(String op, BiFunction<List<Tensor>, Tensor, Tensor> model, List<Tensor> params, long[] sizes,
                  Tensor x1, Tensor x2, boolean symmetric, long outputs, long dimension, DType dtype, Device device) {

    /**
     * Validates and prepares: params as {@link ParameterLayout#of} wants them; inputs of rank ≥ 1
     * on the parameters' device with equal trailing shapes; a model mapping [n, …] to [n, O] in
     * the parameters' dtype (checked on one sample). x2 null, or x2 == x1, is the symmetric case.
     */
    static NtkProblem of(String op, BiFunction<List<Tensor>, Tensor, Tensor> model, List<Tensor> params, Tensor x1, Tensor x2) {
        Objects.requireNonNull(model, op + ": model must not be null");
        Objects.requireNonNull(x1, op + ": x1 must not be null");
        ParameterLayout layout = ParameterLayout.of(op, params);
        boolean symmetric = x2 == null || x2 == x1;
        Tensor b = symmetric ? x1 : x2;
        Tensor p0 = params.getFirst();
        for (Tensor x : symmetric ? List.of(x1) : List.of(x1, b)) {
            if (x.rank() < 1) throw Operands.shape(op, "inputs must be batches [N, ...] (rank >= 1)", x);
            if (!x.device().equals(layout.device())) {
                throw new DeviceMismatchException(op + ": inputs must live on the parameters' device: x1" + Operands.describe(x1)
                        + ", x2" + Operands.describe(b) + ", parameter 0" + Operands.describe(p0));
            }
        }
        long[] t1 = Arrays.copyOfRange(x1.shape(), 1, x1.rank());
        long[] t2 = Arrays.copyOfRange(b.shape(), 1, b.rank());
        if (!Arrays.equals(t1, t2)) {
            throw new ShapeMismatchException(op + ": x1 and x2 must hold samples of one shape: x1" + Operands.describe(x1)
                    + ", x2" + Operands.describe(b));
        }
        List<Tensor> detached = new ArrayList<>(params.size());
        long[] sizes = new long[params.size()];
        try (NoGrad ng = NoGrad.open()) {
            for (int i = 0; i < params.size(); i++) {
                detached.add(params.get(i).detach());
                sizes[i] = params.get(i).numel();
            }
        }
        long outputs = outputsOf(op, model, detached, x1.shape()[0] > 0 ? x1 : b, layout.dtype());
        return new NtkProblem(op, model, List.copyOf(detached), sizes, x1, b, symmetric, outputs, layout.dimension(),
                layout.dtype(), layout.device());
    }

    /** O, from the model's output on one sample, which must be [1, O] in the parameters' dtype. */
    private static long outputsOf(String op, BiFunction<List<Tensor>, Tensor, Tensor> model, List<Tensor> params, Tensor x,
                                  DType dtype) {
        if (x.shape()[0] == 0) {
            throw new ShapeMismatchException(op + ": both input batches are empty; the number of outputs is unknown: x"
                    + Operands.describe(x));
        }
        try (Scope s = Scope.open(); NoGrad ng = NoGrad.open()) {
            Tensor one = x.narrow(0, 0, 1);
            Tensor y = model.apply(params, one);
            if (y == null || y.rank() != 2 || y.shape()[0] != 1) {
                throw new ShapeMismatchException(op + ": the model must map inputs [n, ...] to outputs [n, O]; for input"
                        + Operands.describe(one) + " it returned " + (y == null ? "null" : Operands.describe(y)));
            }
            if (y.dtype() != dtype) {
                throw new DTypeMismatchException(op + ": the model's outputs must have the parameters' dtype " + dtype
                        + ": output" + Operands.describe(y) + ", parameter 0" + Operands.describe(params.getFirst()));
            }
            return y.shape()[1];
        }
    }

    long n1() { return x1.shape()[0]; }

    long n2() { return x2.shape()[0]; }

    /** The result's shape: [N1, N2, O, O], [N1, N2] or [N1, N2, O]. */
    long[] resultShape(Outputs outputs) {
        return switch (outputs) {
            case FULL -> new long[] {n1(), n2(), this.outputs, this.outputs};
            case TRACE -> new long[] {n1(), n2()};
            case DIAGONAL -> new long[] {n1(), n2(), this.outputs};
        };
    }

    /** The O one-hot cotangents [1, O] that pick each output of one sample. */
    List<Tensor> oneHots() {
        List<Tensor> e = new ArrayList<>((int) outputs);
        for (int o = 0; o < outputs; o++) {
            double[] v = new double[(int) outputs];
            v[o] = 1;
            e.add(Tensor.of(dtype, device, v, 1, outputs));
        }
        return e;
    }

    /** Writes block, a computed [rows, cols, ...] piece of the result, at (row, col). */
    static void place(Tensor result, Tensor block, long row, long col) {
        result.narrow(0, row, block.shape()[0]).narrow(1, col, block.shape()[1]).copyFrom(block);
    }

    /** The block of the transposed pair: Θ(x2, x1)[j, i, b, a] = Θ(x1, x2)[i, j, a, b]. */
    static Tensor transposed(Tensor block) {
        return switch (block.rank()) {
            case 2, 3 -> block.transpose(0, 1);
            default -> block.permute(1, 0, 3, 2);
        };
    }
}
