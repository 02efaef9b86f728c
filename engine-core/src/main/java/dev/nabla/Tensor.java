package dev.nabla;

import dev.nabla.spi.Backend;
import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.Layout;
import dev.nabla.spi.UnaryOp;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array on a device. Elementwise ops broadcast as NumPy, types promote as PyTorch,
 * and views (slice, permute, expand, select, reshape of contiguous data) share storage.
 * Tensors own device memory: close them, or create them inside a {@link Scope}.
 *
 * <pre>{@code
 * try (var s = Scope.open()) {
 *     Tensor y = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).matmul(Tensor.eye(2)).relu();
 * }
 * }</pre>
 */
public final class Tensor implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();

    final Storage storage;
    final long[] shape;
    final long[] strides;
    final long offset;
    final DType dtype;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    // autodiff state, managed by Graph
    /** The op that produced this tensor on the tape, or a leaf's accumulator; null when untracked. */
    Node node;
    /** Forward-mode tangents by nesting level; null when none. */
    Tangent tangents;
    /** A leaf's accumulated gradient. */
    Tensor grad;
    /** The non-differentiable op that produced this tensor from tracked inputs, for error messages. */
    String nonDiffOp;

    /** Releases the storage reference once, whether by close() or by the garbage collector. */
    private record Release(Storage storage) implements Runnable {
        @Override public void run() { storage.release(); }
    }

    Tensor(Storage storage, long[] shape, long[] strides, long offset, DType dtype) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.dtype = dtype;
        storage.retain();
        this.cleanable = CLEANER.register(this, new Release(storage));
        Scope.register(this);
    }

    /** A fresh contiguous tensor with unspecified contents. */
    static Tensor empty(DType dtype, Device device, long[] shape) {
        Backend b = device.backend();
        long n = Layout.numel(shape);
        Buffer buf = b.allocate(device.index(), dtype, n);
        return new Tensor(new Storage(b, buf, device), shape, Layout.contiguousStrides(shape), 0, dtype);
    }

    /** A view of this tensor's storage with another layout. */
    Tensor view(long[] shape, long[] strides, long offset) {
        return new Tensor(storage, shape, strides, offset, dtype);
    }

    Layout layout() { return new Layout(shape, strides, offset); }

    Backend backend() { return storage.backend; }

    Buffer buffer() { return storage.buffer; }

    /** Throws ClosedTensorException when closed; every op calls it on each operand. */
    Tensor live(String op) {
        if (closed) throw new ClosedTensorException(op + ": tensor " + describe() + " is closed");
        return this;
    }

    /** "[2, 3] (F32, cpu)", the form every error message uses. */
    String describe() {
        return Arrays.toString(shape) + " (" + dtype + ", " + storage.device + ")";
    }

    // ---- creation -----------------------------------------------------------------------------

    /** F32 tensor of the data with the given shape (none: 1-D), on the default device. */
    public static Tensor of(float[] data, long... shape) { return Creation.of(null, null, data, shape); }
    /** F64 tensor of the data with the given shape (none: 1-D), on the default device. */
    public static Tensor of(double[] data, long... shape) { return Creation.of(null, null, data, shape); }
    /** I32 tensor of the data with the given shape (none: 1-D), on the default device. */
    public static Tensor of(int[] data, long... shape) { return Creation.of(null, null, data, shape); }
    /** I64 tensor of the data with the given shape (none: 1-D), on the default device. */
    public static Tensor of(long[] data, long... shape) { return Creation.of(null, null, data, shape); }
    /** BOOL tensor of the data with the given shape (none: 1-D), on the default device. */
    public static Tensor of(boolean[] data, long... shape) { return Creation.of(null, null, data, shape); }
    /** The data converted to {@code dtype}, on {@code device}. */
    public static Tensor of(DType dtype, Device device, float[] data, long... shape) { return Creation.of(dtype, device, data, shape); }
    /** The data converted to {@code dtype}, on {@code device}. */
    public static Tensor of(DType dtype, Device device, double[] data, long... shape) { return Creation.of(dtype, device, data, shape); }
    /** The data converted to {@code dtype}, on {@code device}. */
    public static Tensor of(DType dtype, Device device, int[] data, long... shape) { return Creation.of(dtype, device, data, shape); }
    /** The data converted to {@code dtype}, on {@code device}. */
    public static Tensor of(DType dtype, Device device, long[] data, long... shape) { return Creation.of(dtype, device, data, shape); }
    /** The data converted to {@code dtype}, on {@code device}. */
    public static Tensor of(DType dtype, Device device, boolean[] data, long... shape) { return Creation.of(dtype, device, data, shape); }

    /** A 0-d F32 tensor. */
    public static Tensor scalar(double v) { return Creation.full(DType.F32, Device.defaultDevice(), v, new long[0]); }
    /** A 0-d tensor of the dtype on the device. */
    public static Tensor scalar(DType dtype, Device device, double v) { return Creation.full(dtype, device, v, new long[0]); }

    /** F32 zeros. */
    public static Tensor zeros(long... shape) { return Creation.full("zeros", DType.F32, Device.defaultDevice(), 0, shape); }
    /** As the overload without them, with the given dtype and device. */
    public static Tensor zeros(DType dtype, Device device, long... shape) { return Creation.full("zeros", dtype, device, 0, shape); }
    /** F32 ones. */
    public static Tensor ones(long... shape) { return Creation.full("ones", DType.F32, Device.defaultDevice(), 1, shape); }
    /** As the overload without them, with the given dtype and device. */
    public static Tensor ones(DType dtype, Device device, long... shape) { return Creation.full("ones", dtype, device, 1, shape); }
    /** F32 filled with v. */
    public static Tensor full(double v, long... shape) { return Creation.full(DType.F32, Device.defaultDevice(), v, shape); }
    /** As the overload without them, with the given dtype and device. */
    public static Tensor full(DType dtype, Device device, double v, long... shape) { return Creation.full(dtype, device, v, shape); }
    /** The n×n F32 identity. */
    public static Tensor eye(long n) { return Creation.eye(DType.F32, Device.defaultDevice(), n); }
    /** As the overload without them, with the given dtype and device. */
    public static Tensor eye(DType dtype, Device device, long n) { return Creation.eye(dtype, device, n); }
    /** F32 values start, start+step, … below end (above end for a negative step). */
    public static Tensor arange(double start, double end, double step) { return Creation.arange(DType.F32, Device.defaultDevice(), start, end, step); }
    /** As the overload without them, with the given dtype and device. */
    public static Tensor arange(DType dtype, Device device, double start, double end, double step) { return Creation.arange(dtype, device, start, end, step); }
    /** n F32 values evenly spaced from a to b inclusive. */
    public static Tensor linspace(double a, double b, long n) { return Creation.linspace(DType.F32, Device.defaultDevice(), a, b, n); }
    /** As the overload without them, with the given dtype and device. */
    public static Tensor linspace(DType dtype, Device device, double a, double b, long n) { return Creation.linspace(dtype, device, a, b, n); }
    /** F32 uniform on [0, 1) from the generator's next stream. */
    public static Tensor rand(Generator g, long... shape) { return Creation.random(DType.F32, Device.defaultDevice(), g, false, shape); }
    /** As the overload without them, with the given dtype and device. */
    public static Tensor rand(DType dtype, Device device, Generator g, long... shape) { return Creation.random(dtype, device, g, false, shape); }
    /** F32 standard normal from the generator's next stream. */
    public static Tensor randn(Generator g, long... shape) { return Creation.random(DType.F32, Device.defaultDevice(), g, true, shape); }
    /** As the overload without them, with the given dtype and device. */
    public static Tensor randn(DType dtype, Device device, Generator g, long... shape) { return Creation.random(dtype, device, g, true, shape); }

    // ---- metadata and conversion --------------------------------------------------------------

    /** The sizes of the dims (a copy). */
    public long[] shape() { return shape.clone(); }
    /** Size of one dim; negative dims count from the end. */
    public long size(int dim) { return shape[Shapes.dim("size", this, dim, shape.length)]; }
    /** The number of dims (0 for a scalar). */
    public int rank() { return shape.length; }
    /** The number of elements (the product of the shape). */
    public long numel() { return Layout.numel(shape); }
    /** The element type. */
    public DType dtype() { return dtype; }
    /** The device holding the storage. */
    public Device device() { return storage.device; }
    /** True when the elements are row-major without gaps, so no copy is needed to read them in order. */
    public boolean isContiguous() { return layout().isContiguous(); }

    /** This tensor on another device (itself when already there). */
    public Tensor to(Device d) { return Creation.toDevice(live("to"), d); }
    /** This tensor converted to another dtype (itself when already of it). */
    public Tensor to(DType t) { return live("to").dtype == t ? this : Elementwise.cast(this, t); }

    /** The elements in row-major order, converted with the cast rules (BOOL as 1/0). */
    public float[] toFloatArray() { return (float[]) Creation.toHost(live("toFloatArray"), DType.F32); }
    /** The elements in row-major order, converted with the cast rules (BOOL as 1/0). */
    public double[] toDoubleArray() { return (double[]) Creation.toHost(live("toDoubleArray"), DType.F64); }
    /** The elements in row-major order, converted with the cast rules (BOOL as 1/0). */
    public long[] toLongArray() { return (long[]) Creation.toHost(live("toLongArray"), DType.I64); }
    /** The elements in row-major order, converted with the cast rules (BOOL as 1/0). */
    public int[] toIntArray() { return (int[]) Creation.toHost(live("toIntArray"), DType.I32); }
    /** The elements in row-major order, converted with the cast rules (BOOL as 1/0). */
    public boolean[] toBooleanArray() { return (boolean[]) Creation.toHost(live("toBooleanArray"), DType.BOOL); }
    /** The value of a one-element tensor. */
    public double item() { return Creation.item(live("item")); }

    // ---- elementwise --------------------------------------------------------------------------

    /** Elementwise add with NumPy broadcasting and PyTorch type promotion. */
    public Tensor add(Tensor o) { return Elementwise.binary("add", BinaryOp.ADD, this, o); }
    /** Elementwise sub with NumPy broadcasting and PyTorch type promotion. */
    public Tensor sub(Tensor o) { return Elementwise.binary("sub", BinaryOp.SUB, this, o); }
    /** Elementwise mul with NumPy broadcasting and PyTorch type promotion. */
    public Tensor mul(Tensor o) { return Elementwise.binary("mul", BinaryOp.MUL, this, o); }
    /** True division: integers divide as F32. */
    public Tensor div(Tensor o) { return Elementwise.binary("div", BinaryOp.DIV, this, o); }
    /** Elementwise pow with NumPy broadcasting and PyTorch type promotion. */
    public Tensor pow(Tensor o) { return Elementwise.binary("pow", BinaryOp.POW, this, o); }
    /** Elementwise max; NaN propagates. */
    public Tensor maximum(Tensor o) { return Elementwise.binary("maximum", BinaryOp.MAX, this, o); }
    /** Elementwise min; NaN propagates. */
    public Tensor minimum(Tensor o) { return Elementwise.binary("minimum", BinaryOp.MIN, this, o); }
    /** As {@code add(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor add(double v) { return Elementwise.binaryScalar("add", BinaryOp.ADD, this, v); }
    /** As {@code sub(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor sub(double v) { return Elementwise.binaryScalar("sub", BinaryOp.SUB, this, v); }
    /** As {@code mul(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor mul(double v) { return Elementwise.binaryScalar("mul", BinaryOp.MUL, this, v); }
    /** As {@code div(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor div(double v) { return Elementwise.binaryScalar("div", BinaryOp.DIV, this, v); }
    /** As {@code pow(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor pow(double v) { return Elementwise.binaryScalar("pow", BinaryOp.POW, this, v); }
    /** As {@code maximum(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor maximum(double v) { return Elementwise.binaryScalar("maximum", BinaryOp.MAX, this, v); }
    /** As {@code minimum(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor minimum(double v) { return Elementwise.binaryScalar("minimum", BinaryOp.MIN, this, v); }

    /** Elementwise neg; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor neg() { return Elementwise.unary("neg", UnaryOp.NEG, this); }
    /** Elementwise abs; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor abs() { return Elementwise.unary("abs", UnaryOp.ABS, this); }
    /** Elementwise exp; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor exp() { return Elementwise.unary("exp", UnaryOp.EXP, this); }
    /** Elementwise log; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor log() { return Elementwise.unary("log", UnaryOp.LOG, this); }
    /** Elementwise sqrt; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor sqrt() { return Elementwise.unary("sqrt", UnaryOp.SQRT, this); }
    /** Elementwise rsqrt; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor rsqrt() { return Elementwise.unary("rsqrt", UnaryOp.RSQRT, this); }
    /** Elementwise square; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor square() { return Elementwise.unary("square", UnaryOp.SQUARE, this); }
    /** Elementwise reciprocal; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor reciprocal() { return Elementwise.unary("reciprocal", UnaryOp.RECIPROCAL, this); }
    /** Elementwise sin; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor sin() { return Elementwise.unary("sin", UnaryOp.SIN, this); }
    /** Elementwise cos; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor cos() { return Elementwise.unary("cos", UnaryOp.COS, this); }
    /** Elementwise tanh; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor tanh() { return Elementwise.unary("tanh", UnaryOp.TANH, this); }
    /** Elementwise sigmoid; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor sigmoid() { return Elementwise.unary("sigmoid", UnaryOp.SIGMOID, this); }
    /** Elementwise relu; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor relu() { return Elementwise.unary("relu", UnaryOp.RELU, this); }
    /** x·Φ(x) with the exact erf, as PyTorch's default. */
    public Tensor gelu() { return Elementwise.unary("gelu", UnaryOp.GELU, this); }
    /** The error function, 2/√π ∫₀ˣ e^(-t²) dt. */
    public Tensor erf() { return Elementwise.unary("erf", UnaryOp.ERF, this); }
    /** log(1 + eˣ), computed without overflow. */
    public Tensor softplus() { return Elementwise.unary("softplus", UnaryOp.SOFTPLUS, this); }
    /** Elementwise sign; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor sign() { return Elementwise.unary("sign", UnaryOp.SIGN, this); }
    /** Elementwise floor; integer inputs of float-valued ops compute in F32; NaN propagates. */
    public Tensor floor() { return Elementwise.unary("floor", UnaryOp.FLOOR, this); }
    /** min(max(x, lo), hi); NaN stays NaN. */
    public Tensor clamp(double lo, double hi) { return Elementwise.clamp(this, lo, hi); }

    /** Elementwise comparison (eq) with broadcasting, computed in the promoted dtype; BOOL result. */
    public Tensor eq(Tensor o) { return Elementwise.binary("eq", BinaryOp.EQ, this, o); }
    /** Elementwise comparison (ne) with broadcasting, computed in the promoted dtype; BOOL result. */
    public Tensor ne(Tensor o) { return Elementwise.binary("ne", BinaryOp.NE, this, o); }
    /** Elementwise comparison (lt) with broadcasting, computed in the promoted dtype; BOOL result. */
    public Tensor lt(Tensor o) { return Elementwise.binary("lt", BinaryOp.LT, this, o); }
    /** Elementwise comparison (le) with broadcasting, computed in the promoted dtype; BOOL result. */
    public Tensor le(Tensor o) { return Elementwise.binary("le", BinaryOp.LE, this, o); }
    /** Elementwise comparison (gt) with broadcasting, computed in the promoted dtype; BOOL result. */
    public Tensor gt(Tensor o) { return Elementwise.binary("gt", BinaryOp.GT, this, o); }
    /** Elementwise comparison (ge) with broadcasting, computed in the promoted dtype; BOOL result. */
    public Tensor ge(Tensor o) { return Elementwise.binary("ge", BinaryOp.GE, this, o); }
    /** As {@code eq(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor eq(double v) { return Elementwise.binaryScalar("eq", BinaryOp.EQ, this, v); }
    /** As {@code ne(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor ne(double v) { return Elementwise.binaryScalar("ne", BinaryOp.NE, this, v); }
    /** As {@code lt(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor lt(double v) { return Elementwise.binaryScalar("lt", BinaryOp.LT, this, v); }
    /** As {@code le(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor le(double v) { return Elementwise.binaryScalar("le", BinaryOp.LE, this, v); }
    /** As {@code gt(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor gt(double v) { return Elementwise.binaryScalar("gt", BinaryOp.GT, this, v); }
    /** As {@code ge(Tensor)} with a scalar: a float tensor keeps its dtype; an integer one too when v is whole. */
    public Tensor ge(double v) { return Elementwise.binaryScalar("ge", BinaryOp.GE, this, v); }

    /** cond ? a : b elementwise; cond is BOOL; all three broadcast, a and b promote. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Elementwise.where(cond, a, b); }

    // ---- reductions ---------------------------------------------------------------------------

    /** Sum of all elements (0-d); integers and bools sum to I64. */
    public Tensor sum() { return Reductions.sum(this, null, false); }
    /** {@code sum} over one dim (negative counts from the end), which is removed. */
    public Tensor sum(int dim) { return Reductions.sum(this, new int[] {dim}, false); }
    /** Sum over dims (none: all), keeping them as size 1 when keepDim. */
    public Tensor sum(int[] dims, boolean keepDim) { return Reductions.sum(this, dims, keepDim); }
    /** Mean; an empty mean is NaN; integers average as F32. */
    public Tensor mean() { return Reductions.mean(this, null, false); }
    /** {@code mean} over one dim (negative counts from the end), which is removed. */
    public Tensor mean(int dim) { return Reductions.mean(this, new int[] {dim}, false); }
    /** {@code mean} over dims (none: all), kept as size 1 when keepDim. */
    public Tensor mean(int[] dims, boolean keepDim) { return Reductions.mean(this, dims, keepDim); }
    /** Maximum; NaN propagates; an empty extent is an error. */
    public Tensor amax() { return Reductions.extreme("amax", this, null, false, true); }
    /** {@code amax} over one dim (negative counts from the end), which is removed. */
    public Tensor amax(int dim) { return Reductions.extreme("amax", this, new int[] {dim}, false, true); }
    /** {@code amax} over dims (none: all), kept as size 1 when keepDim. */
    public Tensor amax(int[] dims, boolean keepDim) { return Reductions.extreme("amax", this, dims, keepDim, true); }
    /** Minimum; NaN propagates; an empty extent is an error. */
    public Tensor amin() { return Reductions.extreme("amin", this, null, false, false); }
    /** {@code amin} over one dim (negative counts from the end), which is removed. */
    public Tensor amin(int dim) { return Reductions.extreme("amin", this, new int[] {dim}, false, false); }
    /** {@code amin} over dims (none: all), kept as size 1 when keepDim. */
    public Tensor amin(int[] dims, boolean keepDim) { return Reductions.extreme("amin", this, dims, keepDim, false); }
    /** Product; an empty product is 1; integers and bools multiply as I64. */
    public Tensor prod() { return Reductions.prod(this, null, false); }
    /** {@code prod} over one dim (negative counts from the end), which is removed. */
    public Tensor prod(int dim) { return Reductions.prod(this, new int[] {dim}, false); }
    /** {@code prod} over dims (none: all), kept as size 1 when keepDim. */
    public Tensor prod(int[] dims, boolean keepDim) { return Reductions.prod(this, dims, keepDim); }
    /** Unbiased variance (correction 1). */
    public Tensor var() { return Reductions.var("var", this, null, false, 1, false); }
    /** {@code var} over one dim (negative counts from the end), which is removed. */
    public Tensor var(int dim) { return Reductions.var("var", this, new int[] {dim}, false, 1, false); }
    /** {@code var} over dims (none: all), kept as size 1 when keepDim. */
    public Tensor var(int[] dims, boolean keepDim) { return Reductions.var("var", this, dims, keepDim, 1, false); }
    /** Variance with sum of squared deviations divided by max(0, N - correction). */
    public Tensor var(int[] dims, boolean keepDim, double correction) { return Reductions.var("var", this, dims, keepDim, correction, false); }
    /** Unbiased standard deviation (correction 1). */
    public Tensor std() { return Reductions.var("std", this, null, false, 1, true); }
    /** {@code std} over one dim (negative counts from the end), which is removed. */
    public Tensor std(int dim) { return Reductions.var("std", this, new int[] {dim}, false, 1, true); }
    /** {@code std} over dims (none: all), kept as size 1 when keepDim. */
    public Tensor std(int[] dims, boolean keepDim) { return Reductions.var("std", this, dims, keepDim, 1, true); }
    /** {@code std} over dims (none: all), kept as size 1 when keepDim. */
    public Tensor std(int[] dims, boolean keepDim, double correction) { return Reductions.var("std", this, dims, keepDim, correction, true); }
    /** log Σ exp(x), computed with the maximum subtracted. */
    public Tensor logsumexp() { return Reductions.logsumexp(this, null, false); }
    /** {@code logsumexp} over one dim (negative counts from the end), which is removed. */
    public Tensor logsumexp(int dim) { return Reductions.logsumexp(this, new int[] {dim}, false); }
    /** {@code logsumexp} over dims (none: all), kept as size 1 when keepDim. */
    public Tensor logsumexp(int[] dims, boolean keepDim) { return Reductions.logsumexp(this, dims, keepDim); }
    /** The 2-norm of all elements. */
    public Tensor norm() { return Reductions.norm(this, 2, null, false); }
    /** The p-norm over dims: p = ∞ max |x|, -∞ min |x|, 0 the count of nonzeros. */
    public Tensor norm(double p, int[] dims, boolean keepDim) { return Reductions.norm(this, p, dims, keepDim); }
    /** Index (I64) of the first maximum along dim; NaN counts as the maximum. */
    public Tensor argmax(int dim) { return Reductions.arg("argmax", this, dim, true); }
    /** Index (I64) of the first minimum along dim; NaN counts as the minimum. */
    public Tensor argmin(int dim) { return Reductions.arg("argmin", this, dim, false); }
    /** exp(x) / Σ exp(x) along dim, with the maximum subtracted first. */
    public Tensor softmax(int dim) { return Reductions.softmax(this, dim, false); }
    /** x - logsumexp(x) along dim. */
    public Tensor logSoftmax(int dim) { return Reductions.softmax(this, dim, true); }

    // ---- linear algebra -----------------------------------------------------------------------

    /** As torch.matmul: 1-D·1-D dot, matrix-vector, vector-matrix, and batched with broadcast batch dims. */
    public Tensor matmul(Tensor o) { return LinAlg.matmul(this, o); }
    /** a[i]·b[j] for 1-D a and b. */
    public Tensor outer(Tensor o) { return LinAlg.outer(this, o); }
    /** Σ a[i]·b[i] for 1-D a and b of one length (0-d). */
    public Tensor dot(Tensor o) { return LinAlg.dot(this, o); }

    // ---- views and movement -------------------------------------------------------------------

    /** Same elements in another shape (one -1 inferred): a view when strides allow, else a copy. */
    public Tensor reshape(long... shape) { return Shapes.reshape(this, shape, false); }
    /** Same elements in another shape, always a view; ShapeMismatchException when strides don't allow it. */
    public Tensor view(long... shape) { return Shapes.reshape(this, shape, true); }
    /** The elements as 1-D (a view when contiguous). */
    public Tensor flatten() { return Shapes.reshape(this, new long[] {-1}, false); }
    /** Removes dim when its size is 1, else returns a view of the same shape. */
    public Tensor squeeze(int dim) { return Shapes.squeeze(this, dim); }
    /** Inserts a size-1 dim at dim (in [-rank-1, rank]). */
    public Tensor unsqueeze(int dim) { return Shapes.unsqueeze(this, dim); }
    /** Result dim i is this dim dims[i]. */
    public Tensor permute(int... dims) { return Shapes.permute(this, dims); }
    /** Swaps two dims (a view). */
    public Tensor transpose(int d0, int d1) { return Shapes.transpose(this, d0, d1); }
    /** Swaps the last two dims. */
    public Tensor mT() { return Shapes.mT(this); }
    /** Size-1 dims broadcast to the shape (stride 0, no copy); -1 keeps a size; new leading dims allowed. */
    public Tensor expand(long... shape) { return Shapes.expand(this, shape); }
    /** Python slicing start:end:step along dim (negative bounds count from the end; step > 0). */
    public Tensor slice(int dim, long start, long end, long step) { return Shapes.slice(this, dim, start, end, step); }
    /** The sub-tensor at index i of dim, which is removed. */
    public Tensor select(int dim, long i) { return Shapes.select(this, dim, i); }
    /** length elements of dim from start. */
    public Tensor narrow(int dim, long start, long length) { return Shapes.narrow(this, dim, start, length); }
    /** This tensor when contiguous, else a contiguous copy. */
    public Tensor contiguous() { return live("contiguous").isContiguous() ? this : Elementwise.copyOf(this); }
    /** Concatenation along an existing dim. */
    public static Tensor cat(List<Tensor> ts, int dim) { return Shapes.cat(ts, dim); }
    /** Stacking along a new dim. */
    public static Tensor stack(List<Tensor> ts, int dim) { return Shapes.stack(ts, dim); }
    /** Views of {@code size} elements along dim (the last may be shorter). */
    public List<Tensor> split(long size, int dim) { return Shapes.split(this, size, dim); }
    /** Pads the last before.length dims with value (negative amounts crop). */
    public Tensor pad(long[] before, long[] after, double value) { return Shapes.pad(this, before, after, value); }
    /** out[i][j] = x[index[i][j]][j] for dim 0, and so on; index is I64 or I32 of this rank. */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }
    /** The entries of dim at the positions of a 1-D index. */
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }
    /** A copy of this tensor with src added at the index positions along dim. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatterAdd(this, dim, index, src); }

    /**
     * Writes src, broadcast to this shape and converted to this dtype, into this tensor's elements
     * in place (views of the same storage see the new values); returns this. Not recorded by
     * autodiff, as PyTorch's {@code copy_} under {@code no_grad}: for optimizer updates and loading
     * checkpoints into parameters.
     *
     * <pre>{@code
     * w.copyFrom(w.sub(w.grad().mul(lr)));   // an SGD step that keeps w the same object
     * }</pre>
     */
    public Tensor copyFrom(Tensor src) { return InPlace.copyFrom(this, src); }

    // ---- autodiff (tape style) ----------------------------------------------------------------

    /**
     * Marks a leaf as requiring grad (or not); returns this. Only floating leaves can require grad.
     *
     * <pre>{@code
     * Tensor w = Tensor.randn(g, 3).requiresGrad(true);
     * w.square().sum().backward();   // w.grad() is 2w
     * }</pre>
     */
    public Tensor requiresGrad(boolean on) {
        live("requiresGrad");
        if (node != null && !node.isLeaf()) {
            throw new NablaException(Errors.message("requiresGrad", "only a leaf's flag can be set; this tensor was produced by "
                    + node.rule.name + " (use detach())", this));
        }
        if (on && !dtype.isFloating()) {
            throw new NotDifferentiableException(Errors.message("requiresGrad", "only floating tensors can require grad", this));
        }
        node = on ? (node != null ? node : new Node(null, new Node[0], this, this)) : null;
        return this;
    }

    /** True when this tensor is tracked by the tape: a leaf requiring grad or the result of one. */
    public boolean requiresGrad() { return node != null; }

    /** Accumulates d(this)/d(leaf) into every leaf's grad; this must have one element. Frees the graph. */
    public void backward() { Graph.run("backward", this, null, null, false); }

    /** Accumulates the vector-Jacobian product with gradOutput (this tensor's shape) into the leaves' grads. */
    public void backward(Tensor gradOutput) { Graph.run("backward", this, gradOutput, null, false); }

    /**
     * As {@link #backward(Tensor)}; with createGraph the gradients are themselves differentiable and
     * the graph is kept (gradOutput null means ones for a one-element tensor).
     */
    public void backward(Tensor gradOutput, boolean createGraph) { Graph.run("backward", this, gradOutput, null, createGraph); }

    /** The gradient accumulated by backward passes (a leaf's), or null before any reached it. */
    public Tensor grad() {
        Tensor g = grad;
        return g == null || g.isClosed() ? null : g;
    }

    /** Drops (and frees) the accumulated gradient, as PyTorch's zero_grad(set_to_none=True). */
    public void zeroGrad() {
        Tensor g = grad;
        grad = null;
        if (g != null) g.close();
    }

    /** A tensor sharing this one's storage that is not tracked by autodiff (no tape, no tangents). */
    public Tensor detach() {
        live("detach");
        return view(shape, strides, offset);
    }

    // ---- memory -------------------------------------------------------------------------------

    /** Releases this tensor's hold on its storage, freed when no other view shares it. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        cleanable.clean();
        if (grad != null) {
            Tensor g = grad;
            grad = null;
            g.close();
        }
    }

    /** True after close(). */
    public boolean isClosed() { return closed; }

    @Override
    public String toString() {
        if (closed) return "tensor(closed, " + describe() + ")";
        return Format.format(this);
    }
}
