package dev.nabla;

import static dev.nabla.TensorAsserts.assertBits;
import static dev.nabla.TensorAsserts.assertShape;
import static dev.nabla.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reductions in their three forms (all, one dim, dims + keepDim) against float64 loops, with
 * tolerances relative to the magnitude rounding errors grow with (e.g. sum |x| for a sum).
 */
class ReductionTest {

    interface DimsForm { Tensor apply(Tensor t, int[] dims, boolean keepDim); }

    /**
     * One reduction: its three API forms, the reference over a slice, and the scale its rounding
     * error is relative to, also over the slice.
     */
    record Reduction(String name, Function<Tensor, Tensor> all, BiFunction<Tensor, Integer, Tensor> one, DimsForm dims,
                     ToDoubleFunction<double[]> ref, ToDoubleFunction<double[]> scale, double lo, double hi) {
        @Override public String toString() { return name; }
    }

    static double sumSquares(double[] s) {
        double a = 0;
        for (double x : s) a += x * x;
        return a;
    }

    static double maxAbs(double[] s) {
        double m = 0;
        for (double x : s) m = Math.max(m, Math.abs(x));
        return m;
    }

    static final List<Reduction> REDUCTIONS = List.of(
            new Reduction("sum", Tensor::sum, Tensor::sum, Tensor::sum, ReferenceArray::sum, ReferenceArray::sumAbs, -3, 3),
            new Reduction("mean", Tensor::mean, Tensor::mean, Tensor::mean, ReferenceArray::mean,
                    s -> ReferenceArray.sumAbs(s) / s.length, -3, 3),
            new Reduction("amax", Tensor::amax, Tensor::amax, Tensor::amax, ReferenceArray::max, ReductionTest::maxAbs, -3, 3),
            new Reduction("amin", Tensor::amin, Tensor::amin, Tensor::amin, ReferenceArray::min, ReductionTest::maxAbs, -3, 3),
            new Reduction("prod", Tensor::prod, Tensor::prod, Tensor::prod, ReferenceArray::prod,
                    s -> Math.abs(ReferenceArray.prod(s)), 0.5, 1.5),
            new Reduction("var", Tensor::var, Tensor::var, Tensor::var, s -> ReferenceArray.var(s, 1),
                    s -> sumSquares(s) / (s.length - 1), -3, 3),
            new Reduction("std", Tensor::std, Tensor::std, Tensor::std, s -> Math.sqrt(ReferenceArray.var(s, 1)),
                    s -> Math.sqrt(sumSquares(s) / (s.length - 1)), -3, 3),
            new Reduction("logsumexp", Tensor::logsumexp, Tensor::logsumexp, Tensor::logsumexp, ReferenceArray::logsumexp,
                    s -> maxAbs(s) + Math.log(s.length), -10, 10));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Reduction r : REDUCTIONS) for (DType dt : new DType[] {DType.F32, DType.F64}) out.add(Arguments.of(r, dt));
        return out.stream();
    }

    private static void check(Tensor got, DType dt, Inputs.Pair x, Reduction r, int[] dims, boolean keepDim) {
        ReferenceArray expected = x.ref().reduce(dims, keepDim, r.ref());
        ReferenceArray scale = x.ref().reduce(dims, keepDim, r.scale());
        long k = x.ref().values().length / Math.max(1, expected.values().length);
        assertTensor(got, dt, expected, Tolerance.of(dt).forSumOf(k), scale.values());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void reductionOverAllElementsIsZeroDim(Reduction r, DType dt) {
        var x = Inputs.random(1, dt, r.lo(), r.hi(), 3, 4, 5);
        check(r.all().apply(x.t()), dt, x, r, new int[0], false);
        assertShape(r.all().apply(x.t()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void reductionOverOneDimRemovesIt(Reduction r, DType dt) {
        var x = Inputs.random(2, dt, r.lo(), r.hi(), 3, 4, 5);
        for (int d : new int[] {0, 1, 2, -1, -2, -3}) {
            check(r.one().apply(x.t(), d), dt, x, r, new int[] {d}, false);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void reductionOverDimsWithAndWithoutKeepDim(Reduction r, DType dt) {
        var x = Inputs.random(3, dt, r.lo(), r.hi(), 3, 4, 5);
        int[][] dimSets = {{0, 2}, {-1, -2}, {1}, {2, 0, 1}, {0, -1}};
        for (int[] dims : dimSets) {
            for (boolean keep : new boolean[] {false, true}) {
                check(r.dims().apply(x.t(), dims, keep), dt, x, r, dims, keep);
            }
        }
        Tensor allKept = r.dims().apply(x.t(), new int[0], true);
        assertShape(allKept, 1, 1, 1);
        check(allKept, dt, x, r, new int[0], true);
        assertShape(r.dims().apply(x.t(), new int[0], false));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void reductionOverNonContiguousViewsMatchesReference(Reduction r, DType dt) {
        var x = Inputs.random(4, dt, r.lo(), r.hi(), 4, 6, 5);
        var small = Inputs.random(5, dt, r.lo(), r.hi(), 4, 1, 5);
        record V(Tensor t, ReferenceArray ref) {}
        V[] views = {
                new V(x.t().permute(2, 0, 1), x.ref().permute(2, 0, 1)),
                new V(x.t().mT(), x.ref().transpose(1, 2)),
                new V(x.t().slice(1, 1, 6, 2), x.ref().slice(1, 1, 6, 2)),
                new V(small.t().expand(4, 3, 5), small.ref().broadcastTo(new long[] {4, 3, 5})),
        };
        for (V v : views) {
            var p = new Inputs.Pair(v.t(), v.ref());
            check(r.all().apply(v.t()), dt, p, r, new int[0], false);
            for (int d = 0; d < 3; d++) check(r.one().apply(v.t(), d), dt, p, r, new int[] {d}, false);
            check(r.dims().apply(v.t(), new int[] {0, 2}, true), dt, p, r, new int[] {0, 2}, true);
        }
    }

    // ---- output dtypes ------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"I32", "I64", "BOOL"})
    void integerReductionsHaveTorchDtypes(DType dt) {
        var x = Inputs.random(6, dt, -9, 9, 3, 4);
        assertTensor(x.t().sum(), DType.I64, x.ref().reduce(new int[0], false, ReferenceArray::sum));
        assertTensor(x.t().sum(1), DType.I64, x.ref().reduce(new int[] {1}, false, ReferenceArray::sum));
        assertTensor(x.t().prod(0), DType.I64, x.ref().reduce(new int[] {0}, false, ReferenceArray::prod));
        assertTensor(x.t().amax(1), dt, x.ref().reduce(new int[] {1}, false, ReferenceArray::max));
        assertTensor(x.t().amin(new int[] {0}, true), dt, x.ref().reduce(new int[] {0}, true, ReferenceArray::min));
        assertTensor(x.t().mean(1), DType.F32, x.ref().reduce(new int[] {1}, false, ReferenceArray::mean));
        assertTensor(x.t().var(0), DType.F32, x.ref().reduce(new int[] {0}, false, s -> ReferenceArray.var(s, 1)));
        assertTensor(x.t().std(), DType.F32, x.ref().reduce(new int[0], false, s -> Math.sqrt(ReferenceArray.var(s, 1))));
        assertTensor(x.t().logsumexp(1), DType.F32, x.ref().reduce(new int[] {1}, false, ReferenceArray::logsumexp));
    }

    @Test
    void integerSumsDoNotOverflowI32() {
        int[] v = new int[1000];
        java.util.Arrays.fill(v, Integer.MAX_VALUE);
        Tensor s = Tensor.of(v).sum();
        assertEquals(DType.I64, s.dtype());
        assertArrayEquals(new long[] {1000L * Integer.MAX_VALUE}, s.toLongArray());
        long big = 1L << 60;
        assertArrayEquals(new long[] {big + 3}, Tensor.of(new long[] {big, 1, 2}).sum().toLongArray());
    }

    @Test
    void floatReductionsKeepDtype() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor t = Tensor.ones(dt, Device.cpu(), 2, 3);
            for (Tensor r : new Tensor[] {t.sum(), t.mean(0), t.amax(1), t.prod(), t.var(), t.std(0), t.logsumexp(),
                    t.norm(), t.softmax(1), t.logSoftmax(0)}) {
                assertEquals(dt, r.dtype());
            }
        }
    }

    // ---- var / std correction ---------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void varAndStdTakeACorrection(DType dt) {
        var x = Inputs.random(7, dt, -3, 3, 4, 6);
        for (double c : new double[] {0, 1, 2, 0.5}) {
            for (int[] dims : new int[][] {{1}, {0}, {0, 1}}) {
                double corr = c;
                Tolerance tol = Tolerance.of(dt).forSumOf(24);
                ReferenceArray scale = x.ref().reduce(dims, true, s -> sumSquares(s) / Math.max(1e-300, s.length - corr));
                assertTensor(x.t().var(dims, true, c), dt, x.ref().reduce(dims, true, s -> ReferenceArray.var(s, corr)),
                        tol, scale.values());
                assertTensor(x.t().std(dims, false, c), dt,
                        x.ref().reduce(dims, false, s -> Math.sqrt(ReferenceArray.var(s, corr))), tol,
                        x.ref().reduce(dims, false, s -> Math.sqrt(sumSquares(s) / (s.length - corr))).values());
            }
        }
    }

    @Test
    void varWithNoDegreesOfFreedomIsNanOrInf() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            assertBits(Double.NaN, Inputs.tensor(new double[] {3}, dt, 1).var().item(), "var of one element " + dt);
            assertBits(Double.NaN, Inputs.tensor(new double[] {3}, dt, 1).std().item(), "std of one element " + dt);
            assertBits(Double.POSITIVE_INFINITY, Inputs.tensor(new double[] {1, 2}, dt, 2).var(new int[] {0}, false, 2).item(),
                    "var with N - correction = 0 " + dt);
            assertBits(Double.POSITIVE_INFINITY, Inputs.tensor(new double[] {1, 2}, dt, 2).var(new int[] {0}, false, 3).item(),
                    "var with N - correction < 0 " + dt);
            assertBits(0.0, Inputs.tensor(new double[] {3}, dt, 1).var(new int[] {0}, false, 0).item(), "population var " + dt);
            assertEquals(0.25, Inputs.tensor(new double[] {1, 2}, dt, 2).var(new int[] {0}, false, 0).item(), 0);
        }
    }

    // ---- norms ----------------------------------------------------------------------------------

    static double pnorm(double[] s, double p) {
        if (p == Double.POSITIVE_INFINITY) return maxAbs(s);
        if (p == Double.NEGATIVE_INFINITY) {
            double m = Double.POSITIVE_INFINITY;
            for (double x : s) m = Math.min(m, Math.abs(x));
            return m;
        }
        if (p == 0) {
            double n = 0;
            for (double x : s) if (x != 0) n++;
            return n;
        }
        double a = 0;
        for (double x : s) a += Math.pow(Math.abs(x), p);
        return Math.pow(a, 1 / p);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void normsForEveryOrder(DType dt) {
        double[] v = Inputs.uniform(8, 60, -3, 3, dt);
        for (int i = 0; i < v.length; i += 7) v[i] = 0;   // zeros for p = 0 and -inf
        v[5] = 0;
        var x = new Inputs.Pair(Inputs.tensor(v, dt, 3, 4, 5), ReferenceArray.of(v, 3, 4, 5));
        Tolerance tol = Tolerance.of(dt).forSumOf(60);
        for (double p : new double[] {1, 2, 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0.5}) {
            for (int[] dims : new int[][] {{}, {0}, {-1}, {0, 2}, {1, 2}}) {
                for (boolean keep : new boolean[] {false, true}) {
                    ReferenceArray e = x.ref().reduce(dims, keep, s -> pnorm(s, p));
                    assertTensor(x.t().norm(p, dims, keep), dt, e, tol);
                }
            }
        }
        assertTensor(x.t().norm(), dt, x.ref().reduce(new int[0], false, s -> pnorm(s, 2)), tol);
        assertShape(x.t().norm());
    }

    @Test
    void twoNormOfAllElements() {
        assertEquals(5.0, Tensor.of(new double[] {3, 4}).norm().item(), 1e-15);
        assertEquals(5.0, Tensor.of(new float[] {3, 0, -4, 0}, 2, 2).norm().item(), 1e-6);
        assertEquals(0.0, Tensor.zeros(DType.F64, Device.cpu(), 3).norm().item(), 0);
    }

    // ---- argmax / argmin ----------------------------------------------------------------------

    static double argExtreme(double[] s, boolean max) {
        int best = 0;
        for (int i = 0; i < s.length; i++) {
            if (Double.isNaN(s[i])) return i;
            if (max ? s[i] > s[best] : s[i] < s[best]) best = i;
        }
        return best;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I32", "I64"})
    void argmaxAndArgminPickTheFirstExtreme(DType dt) {
        var x = Inputs.random(9, DType.I32, 0, 3, 3, 4, 5);   // many ties
        Tensor t = x.t().to(dt);
        for (int d : new int[] {0, 1, 2, -1}) {
            assertTensor(t.argmax(d), DType.I64, x.ref().reduce(new int[] {d}, false, s -> argExtreme(s, true)));
            assertTensor(t.argmin(d), DType.I64, x.ref().reduce(new int[] {d}, false, s -> argExtreme(s, false)));
        }
    }

    @Test
    void argmaxAndArgminTreatNanAsTheExtreme() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor t = Inputs.tensor(new double[] {1, 9, Double.NaN, 5, Double.NaN, 0, 0, -1, 7, 7, -1, 2}, dt, 3, 4);
            assertArrayEquals(new long[] {2, 0, 0}, t.argmax(1).toLongArray(), "argmax " + dt);
            assertArrayEquals(new long[] {2, 0, 2}, t.argmin(1).toLongArray(), "argmin " + dt);
            assertArrayEquals(new long[] {1, 0, 0, 0}, t.argmax(0).toLongArray(), "argmax dim 0 " + dt);
            assertArrayEquals(new long[] {1, 1, 0, 1}, t.argmin(0).toLongArray(), "argmin dim 0 " + dt);
        }
    }

    @Test
    void argmaxOnViewsAndInfinities() {
        Tensor t = Tensor.of(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 3, Double.POSITIVE_INFINITY,
                2, Double.POSITIVE_INFINITY}, 2, 3);
        assertArrayEquals(new long[] {2, 0}, t.argmax(1).toLongArray());
        assertArrayEquals(new long[] {0, 1}, t.argmin(1).toLongArray());
        assertArrayEquals(new long[] {2, 0}, t.mT().argmax(0).toLongArray());
        assertArrayEquals(new long[] {1, 1, 1}, t.mT().argmax(1).toLongArray());
        assertArrayEquals(new long[] {0, 1}, t.mT().argmin(0).toLongArray());
    }

    // ---- softmax --------------------------------------------------------------------------------

    static double[] softmax(double[] s) {
        double m = ReferenceArray.max(s);
        double z = 0;
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) z += out[i] = Math.exp(s[i] - m);
        for (int i = 0; i < s.length; i++) out[i] /= z;
        return out;
    }

    static double[] logSoftmax(double[] s) {
        double l = ReferenceArray.logsumexp(s);
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) out[i] = s[i] - l;
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void softmaxAndLogSoftmaxMatchReferenceAlongEveryDim(DType dt) {
        var x = Inputs.random(10, dt, -8, 8, 3, 4, 5);
        for (int d : new int[] {0, 1, 2, -1}) {
            assertTensor(x.t().softmax(d), dt, x.ref().alongDim(d, ReductionTest::softmax));
            assertTensor(x.t().logSoftmax(d), dt, x.ref().alongDim(d, ReductionTest::logSoftmax), Tolerance.of(dt).forSumOf(5));
            ReferenceArray ones = x.ref().reduce(new int[] {d}, false, s -> 1);
            assertTensor(x.t().softmax(d).sum(d), dt, ones, Tolerance.of(dt).forSumOf(5));
        }
        assertTensor(x.t().mT().softmax(1), dt, x.ref().transpose(1, 2).alongDim(1, ReductionTest::softmax));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void softmaxOfLongRowsSplitOverThreadsMatchesReference(DType dt) {
        // rows longer than a vector block and than the sum's float block, not a multiple of any
        // vector width, enough of them to be split across threads; then every other column
        var x = Inputs.random(11, dt, -30, 30, 9, 4099);
        assertTensor(x.t().softmax(1), dt, x.ref().alongDim(1, ReductionTest::softmax), Tolerance.of(dt).forSumOf(4099));
        assertTensor(x.t().logSoftmax(-1), dt, x.ref().alongDim(1, ReductionTest::logSoftmax), Tolerance.of(dt).forSumOf(4099));
        try (Tensor strided = x.t().slice(1, 1, 4099, 2)) {
            ReferenceArray r = ReferenceArray.of(strided.toDoubleArray(), strided.shape());
            assertTensor(strided.softmax(1), dt, r.alongDim(1, ReductionTest::softmax), Tolerance.of(dt).forSumOf(2049));
            assertTensor(strided.logSoftmax(1), dt, r.alongDim(1, ReductionTest::logSoftmax), Tolerance.of(dt).forSumOf(2049));
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void softmaxIsStableForLargeValues(DType dt) {
        Tensor t = Inputs.tensor(new double[] {1000, 1000, 999, -1000, 0, 1000}, dt, 2, 3);
        ReferenceArray r = ReferenceArray.of(new double[] {1000, 1000, 999, -1000, 0, 1000}, 2, 3);
        assertTensor(t.softmax(1), dt, r.alongDim(1, ReductionTest::softmax));
        assertTensor(t.logSoftmax(1), dt, r.alongDim(1, ReductionTest::logSoftmax), Tolerance.of(dt), new double[] {1000, 1000, 1000, 1000, 1000, 1000});
        assertTensor(t.logsumexp(1), dt, r.reduce(new int[] {1}, false, ReferenceArray::logsumexp), Tolerance.of(dt),
                new double[] {1000, 1000});
        assertEquals(1000 + Math.log(2), Inputs.tensor(new double[] {1000, 1000}, dt, 2).logsumexp().item(),
                dt == DType.F32 ? 1e-4 : 1e-12);
        assertEquals(-1000 + Math.log(2), Inputs.tensor(new double[] {-1000, -1000}, dt, 2).logsumexp().item(),
                dt == DType.F32 ? 1e-4 : 1e-12);
    }

    @Test
    void softmaxWithInfinities() {
        Tensor t = Tensor.of(new double[] {Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, 2, 2);
        double[] s = t.softmax(1).toDoubleArray();
        assertArrayEquals(new double[] {0, 1}, java.util.Arrays.copyOf(s, 2));
        assertBits(Double.NEGATIVE_INFINITY, t.logsumexp(1).toDoubleArray()[1], "logsumexp of all -inf");
        assertBits(Double.NEGATIVE_INFINITY, t.logSoftmax(1).toDoubleArray()[0], "logSoftmax of -inf");
        assertBits(Double.POSITIVE_INFINITY, Tensor.of(new double[] {Double.POSITIVE_INFINITY, 1}).logsumexp().item(),
                "logsumexp with +inf");
    }

    @Test
    void softmaxOfIntegersComputesInF32() {
        Tensor t = Tensor.of(new int[] {1, 2, 3});
        assertTensor(t.softmax(0), DType.F32, ReferenceArray.of(softmax(new double[] {1, 2, 3}), 3));
        assertTensor(t.logSoftmax(0), DType.F32, ReferenceArray.of(logSoftmax(new double[] {1, 2, 3}), 3));
    }

    // ---- special values and empty reductions --------------------------------------------------

    @Test
    void nanPropagatesThroughReductions() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor t = Inputs.tensor(new double[] {1, Double.NaN, 3, 4, 5, 6}, dt, 2, 3);
            double[] nanRow = {Double.NaN, 0};
            for (Tensor r : new Tensor[] {t.sum(1), t.mean(1), t.amax(1), t.amin(1), t.prod(1), t.var(1), t.std(1),
                    t.logsumexp(1), t.norm(2, new int[] {1}, false), t.norm(Double.POSITIVE_INFINITY, new int[] {1}, false)}) {
                double[] v = r.toDoubleArray();
                assertBits(nanRow[0], v[0], "NaN row " + dt);
                assertEquals(false, Double.isNaN(v[1]), "clean row " + dt);
            }
            assertBits(Double.POSITIVE_INFINITY, Inputs.tensor(new double[] {1, Double.POSITIVE_INFINITY}, dt, 2).sum().item(), "sum inf");
            assertBits(Double.NaN, Inputs.tensor(new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}, dt, 2).sum().item(),
                    "inf - inf");
        }
    }

    @Test
    void emptyReductionsGiveTheIdentity() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor e = Tensor.zeros(dt, Device.cpu(), 0);
            assertBits(0.0, e.sum().item(), "sum " + dt);
            assertBits(1.0, e.prod().item(), "prod " + dt);
            assertBits(Double.NaN, e.mean().item(), "mean " + dt);
            assertBits(Double.NaN, e.var().item(), "var " + dt);
            assertBits(Double.NEGATIVE_INFINITY, e.logsumexp().item(), "logsumexp " + dt);
            assertEquals(0.0, e.norm().item(), "norm " + dt);
            Tensor m = Tensor.zeros(dt, Device.cpu(), 0, 3);
            assertTensor(m.sum(0), dt, ReferenceArray.of(new double[3], 3));
            assertTensor(m.prod(0), dt, ReferenceArray.of(new double[] {1, 1, 1}, 3));
            assertTensor(m.sum(new int[] {0}, true), dt, ReferenceArray.of(new double[3], 1, 3));
            assertShape(m.sum(1), 0);
            assertShape(m.amax(1), 0);
            assertShape(m.argmax(1), 0);
        }
        Tensor ei = Tensor.zeros(DType.I32, Device.cpu(), 0);
        assertEquals(DType.I64, ei.sum().dtype());
        assertEquals(0.0, ei.sum().item());
        assertEquals(1.0, ei.prod().item());
    }

    @Test
    void extremesOverAnEmptyExtentThrow() {
        Tensor e = Tensor.zeros(0, 3);
        assertThrows(ShapeMismatchException.class, e::amax);
        assertThrows(ShapeMismatchException.class, e::amin);
        assertThrows(ShapeMismatchException.class, () -> e.amax(0));
        assertThrows(ShapeMismatchException.class, () -> e.argmax(0));
        assertThrows(ShapeMismatchException.class, () -> e.argmin(0));
    }

    // ---- large reductions (parallel paths) ------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void largeReductionsStayWithinSqrtKRoundingOfSumAbs(DType dt) {
        int n = 2_000_003;
        double[] v = Inputs.uniform(11, n, -1, 2, dt);
        Tensor t = Inputs.tensor(v, dt, n);
        double sum = 0, sumAbs = 0, sumSq = 0, max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
        for (double x : v) {
            sum += x;
            sumAbs += Math.abs(x);
            sumSq += x * x;
            max = Math.max(max, x);
            min = Math.min(min, x);
        }
        double unit = dt == DType.F32 ? 1e-6 : 1e-13;
        double tol = unit * Math.sqrt(n);
        assertEquals(sum, t.sum().item(), tol * sumAbs, "sum");
        assertEquals(sum / n, t.mean().item(), tol * sumAbs / n, "mean");
        assertEquals(max, t.amax().item(), 0, "amax");
        assertEquals(min, t.amin().item(), 0, "amin");
        assertEquals(Math.sqrt(sumSq), t.norm().item(), tol * Math.sqrt(sumSq), "norm");
        double mean = sum / n, dev = 0;
        for (double x : v) dev += (x - mean) * (x - mean);
        assertEquals(dev / (n - 1), t.var().item(), tol * sumSq / (n - 1), "var");
        double[] w = v.clone();
        int argmaxExpected = 0;
        for (int i = 0; i < n; i++) if (w[i] > w[argmaxExpected]) argmaxExpected = i;
        assertEquals(argmaxExpected, t.argmax(0).item(), "argmax");
    }

    @Test
    void varIsAccurateForDataWithALargeMean() {
        // E[x^2] - E[x]^2 would lose every digit here; two-pass or Welford keeps them
        double[] d = Inputs.uniform(13, 10_000, -1, 1, DType.F64);
        for (int i = 0; i < d.length; i++) d[i] += 1e8;
        double e = ReferenceArray.var(d, 1);
        assertEquals(e, Tensor.of(d).var().item(), 1e-8 * e, "F64 var");
        assertEquals(Math.sqrt(e), Tensor.of(d).std(new int[] {0}, false, 1).item(), 1e-8 * Math.sqrt(e), "F64 std");
        double[] f = Inputs.uniform(14, 10_000, 1e4 - 1, 1e4 + 1, DType.F32);
        double ef = ReferenceArray.var(f, 1);
        assertEquals(ef, Inputs.tensor(f, DType.F32, 10_000).var().item(), 1e-3 * ef, "F32 var");
        assertEquals(ef, Inputs.tensor(f, DType.F32, 100, 100).var(new int[] {0, 1}, false).item(), 1e-3 * ef, "F32 var over dims");
    }

    @Test
    void largeArgReductionsKeepFirstIndexAndNanAcrossThreads() {
        int n = 2_000_003;
        double[] v = Inputs.uniform(15, n, -1, 1, DType.F64);
        v[10] = 5;
        v[1_900_000] = 5;
        v[1_500_000] = -5;
        v[1_999_999] = -5;
        Tensor t = Tensor.of(v);
        assertEquals(10.0, t.argmax(0).item(), "first of tied maxima");
        assertEquals(1_500_000.0, t.argmin(0).item(), "first of tied minima");
        v[1_700_000] = Double.NaN;
        v[1_800_000] = Double.NaN;
        Tensor u = Tensor.of(v);
        assertEquals(1_700_000.0, u.argmax(0).item(), "first NaN is the maximum");
        assertEquals(1_700_000.0, u.argmin(0).item(), "first NaN is the minimum");
        assertTrue(Double.isNaN(u.amax().item()));
        assertTrue(Double.isNaN(u.amin().item()));
        assertTrue(Double.isNaN(u.sum().item()));
        int[] ints = new int[n];
        long exact = 0;
        for (int i = 0; i < n; i++) {
            ints[i] = (int) ((i * 2654435761L) % 2_000_000_000L) - 1_000_000_000;
            exact += ints[i];
        }
        assertArrayEquals(new long[] {exact}, Tensor.of(ints).sum().toLongArray(), "I32 sum accumulates in I64");
    }

    @Test
    void largeReductionAlongEitherAxisOfAMatrix() {
        int rows = 1000, cols = 2003;
        var x = Inputs.random(12, DType.F32, -1, 1, rows, cols);
        for (int d : new int[] {0, 1}) {
            ReferenceArray e = x.ref().reduce(new int[] {d}, false, ReferenceArray::sum);
            ReferenceArray scale = x.ref().reduce(new int[] {d}, false, ReferenceArray::sumAbs);
            long k = d == 0 ? rows : cols;
            assertTensor(x.t().sum(d), DType.F32, e, Tolerance.F32.forSumOf(k), scale.values());
            assertTensor(x.t().amax(d), DType.F32, x.ref().reduce(new int[] {d}, false, ReferenceArray::max));
            assertTensor(x.t().mT().sum(1 - d), DType.F32, e, Tolerance.F32.forSumOf(k), scale.values());
        }
    }
}
