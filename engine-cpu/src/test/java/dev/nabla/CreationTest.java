package dev.nabla;

import static dev.nabla.TensorAsserts.assertBits;
import static dev.nabla.TensorAsserts.assertShape;
import static dev.nabla.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Creation ops, metadata, host read-back and dtype/device conversion. */
class CreationTest {

    private static final Device CPU = Device.cpu();

    @Test
    void ofTakesDtypeFromTheJavaArrayType() {
        assertEquals(DType.F32, Tensor.of(new float[] {1, 2}).dtype());
        assertEquals(DType.F64, Tensor.of(new double[] {1, 2}).dtype());
        assertEquals(DType.I32, Tensor.of(new int[] {1, 2}).dtype());
        assertEquals(DType.I64, Tensor.of(new long[] {1, 2}).dtype());
        assertEquals(DType.BOOL, Tensor.of(new boolean[] {true, false}).dtype());
        assertEquals(CPU, Tensor.of(new float[] {1}).device());
    }

    @Test
    void ofWithoutShapeIsOneDimensional() {
        Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5});
        assertShape(t, 5);
        assertEquals(1, t.rank());
        assertEquals(5, t.numel());
        assertTrue(t.isContiguous());
    }

    @Test
    void ofWithShapeKeepsRowMajorOrder() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(data, 2, 3);
        assertShape(t, 2, 3);
        assertEquals(2, t.rank());
        assertEquals(6, t.numel());
        assertArrayEquals(data, t.toFloatArray());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.toDoubleArray());
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, t.toLongArray());
    }

    @Test
    void ofCopiesTheCallersArray() {
        double[] data = {1, 2, 3};
        Tensor t = Tensor.of(data, 3);
        data[0] = 99;
        assertArrayEquals(new double[] {1, 2, 3}, t.toDoubleArray());
    }

    @Test
    void shapeReturnsACopy() {
        Tensor t = Tensor.zeros(2, 3);
        t.shape()[0] = 7;
        assertShape(t, 2, 3);
    }

    @Test
    void everyOfOverloadRoundTripsItsArray() {
        assertArrayEquals(new float[] {1.5f, -2.25f, 3e-8f}, Tensor.of(new float[] {1.5f, -2.25f, 3e-8f}).toFloatArray());
        assertArrayEquals(new double[] {Math.PI, -1e300, 5e-324}, Tensor.of(new double[] {Math.PI, -1e300, 5e-324}).toDoubleArray());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE},
                Tensor.of(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}).toIntArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE},
                Tensor.of(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}).toLongArray());
        assertArrayEquals(new boolean[] {true, false, true},
                Tensor.of(new boolean[] {true, false, true}).toBooleanArray());
    }

    @Test
    void ofWithDtypeAndDeviceConverts() {
        Tensor a = Tensor.of(DType.F64, CPU, new float[] {1.5f, -2f}, 2);
        assertEquals(DType.F64, a.dtype());
        assertArrayEquals(new double[] {1.5, -2}, a.toDoubleArray());
        Tensor b = Tensor.of(DType.I32, CPU, new double[] {2.7, -2.7, 0.5}, 3);
        assertEquals(DType.I32, b.dtype());
        assertArrayEquals(new int[] {2, -2, 0}, b.toIntArray());
        Tensor c = Tensor.of(DType.F32, CPU, new int[] {1, 2, 3, 4}, 2, 2);
        assertEquals(DType.F32, c.dtype());
        assertShape(c, 2, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.toFloatArray());
        Tensor d = Tensor.of(DType.BOOL, CPU, new long[] {0, 5, -1}, 3);
        assertEquals(DType.BOOL, d.dtype());
        assertArrayEquals(new boolean[] {false, true, true}, d.toBooleanArray());
        Tensor e = Tensor.of(DType.F64, CPU, new boolean[] {true, false}, 2);
        assertArrayEquals(new double[] {1, 0}, e.toDoubleArray());
        Tensor f = Tensor.of(DType.I64, CPU, new long[] {7});
        assertShape(f, 1);
    }

    @Test
    void zeroSizeShapesAreAllowed() {
        Tensor t = Tensor.of(new float[0], 0, 3);
        assertShape(t, 0, 3);
        assertEquals(0, t.numel());
        assertEquals(0, t.toFloatArray().length);
        assertShape(Tensor.zeros(4, 0), 4, 0);
        assertEquals(0, Tensor.ones(DType.F64, CPU, 0).toDoubleArray().length);
    }

    @Test
    void scalarIsZeroDimensionalF32() {
        Tensor s = Tensor.scalar(2.5);
        assertEquals(DType.F32, s.dtype());
        assertEquals(0, s.rank());
        assertEquals(1, s.numel());
        assertShape(s);
        assertEquals(2.5, s.item());
        Tensor d = Tensor.scalar(DType.F64, CPU, Math.PI);
        assertEquals(DType.F64, d.dtype());
        assertEquals(Math.PI, d.item());
        Tensor i = Tensor.scalar(DType.I64, CPU, -3);
        assertEquals(DType.I64, i.dtype());
        assertEquals(-3.0, i.item());
        assertEquals((double) (float) 0.1, Tensor.scalar(0.1).item());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void zerosOnesAndFullFillEveryDtype(DType dt) {
        Tensor z = Tensor.zeros(dt, CPU, 2, 3);
        assertTensor(z, dt, ReferenceArray.of(new double[6], 2, 3));
        Tensor o = Tensor.ones(dt, CPU, 3, 1, 2);
        assertTensor(o, dt, ReferenceArray.of(new double[] {1, 1, 1, 1, 1, 1}, 3, 1, 2));
        Tensor f = Tensor.full(dt, CPU, 7, 4);
        double v = dt == DType.BOOL ? 1 : 7;
        assertTensor(f, dt, ReferenceArray.of(new double[] {v, v, v, v}, 4));
        assertEquals(CPU, f.device());
    }

    @Test
    void defaultCreationIsF32OnTheDefaultDevice() {
        for (Tensor t : new Tensor[] {Tensor.zeros(2), Tensor.ones(2), Tensor.full(3.5, 2), Tensor.eye(2),
                Tensor.arange(0, 3, 1), Tensor.linspace(0, 1, 3), Tensor.rand(new Generator(1), 2),
                Tensor.randn(new Generator(1), 2)}) {
            assertEquals(DType.F32, t.dtype());
            assertEquals(Device.defaultDevice(), t.device());
        }
        assertArrayEquals(new float[] {3.5f, 3.5f}, Tensor.full(3.5, 2).toFloatArray());
        assertShape(Tensor.zeros(), new long[0]);
        assertEquals(0.0, Tensor.zeros().item());
    }

    @Test
    void fullRoundsToTheDtype() {
        assertArrayEquals(new float[] {(float) 0.1}, Tensor.full(0.1, 1).toFloatArray());
        assertArrayEquals(new double[] {0.1}, Tensor.full(DType.F64, CPU, 0.1, 1).toDoubleArray());
        assertArrayEquals(new int[] {2}, Tensor.full(DType.I32, CPU, 2.9, 1).toIntArray());
        assertBits(Double.NaN, Tensor.full(Double.NaN, 1).item(), "full(NaN)");
        assertBits(Double.NEGATIVE_INFINITY, Tensor.full(DType.F64, CPU, Double.NEGATIVE_INFINITY, 1).item(), "full(-inf)");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void eyeIsTheIdentity(DType dt) {
        for (int n : new int[] {0, 1, 4, 7}) {
            double[] ref = new double[n * n];
            for (int i = 0; i < n; i++) ref[i * n + i] = 1;
            assertTensor(Tensor.eye(dt, CPU, n), dt, ReferenceArray.of(ref, n, n));
        }
        assertTensor(Tensor.eye(2), DType.F32, ReferenceArray.of(new double[] {1, 0, 0, 1}, 2, 2));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64", "I32", "I64"})
    void arangeHasCeilLengthAndStartPlusIStep(DType dt) {
        double[][] cases = {{0, 5, 1}, {1, 2, 0.3}, {5, 0, -1}, {-3, 3, 2}, {0, 1, 0.1}, {2, 2, 1}, {3, 0, 1},
                {0, 10, 3}, {10, -10, -2.5}};
        for (double[] c : cases) {
            boolean fractional = c[0] != Math.rint(c[0]) || c[2] != Math.rint(c[2]);
            if (!dt.isFloating() && fractional) continue;
            long n = Math.max(0, (long) Math.ceil((c[1] - c[0]) / c[2]));
            double[] ref = new double[(int) n];
            for (int i = 0; i < n; i++) ref[i] = c[0] + i * c[2];
            Tensor t = Tensor.arange(dt, CPU, c[0], c[1], c[2]);
            assertTensor(t, dt, ReferenceArray.of(Inputs.round(ref, dt), n), Tolerance.EXACT);
        }
        assertArrayEquals(new float[] {0, 1, 2}, Tensor.arange(0, 3, 1).toFloatArray());
    }

    @Test
    void arangeOfMoreThanAMillionElementsIsExactForIntegers() {
        long n = 1_000_003;
        long[] got = Tensor.arange(DType.I64, CPU, 0, n, 1).toLongArray();
        assertEquals(n, got.length);
        for (int i = 0; i < n; i++) if (got[i] != i) assertEquals(i, got[i], "element " + i);
    }

    @Test
    void arangeWithZeroStepThrows() {
        assertThrows(ShapeMismatchException.class, () -> Tensor.arange(0, 1, 0));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void linspaceEndsExactlyAtB(DType dt) {
        double[][] cases = {{0, 1, 5}, {-2, 3, 7}, {1, -1, 4}, {0.1, 0.7, 13}, {3, 3, 3}};
        for (double[] c : cases) {
            int n = (int) c[2];
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) ref[i] = c[0] + i * (c[1] - c[0]) / (n - 1);
            ref[n - 1] = c[1];
            Tensor t = Tensor.linspace(dt, CPU, c[0], c[1], n);
            assertTensor(t, dt, ReferenceArray.of(Inputs.round(ref, dt), n));
            assertBits(Inputs.round(new double[] {c[1]}, dt)[0], t.toDoubleArray()[n - 1], "last point");
            assertBits(Inputs.round(new double[] {c[0]}, dt)[0], t.toDoubleArray()[0], "first point");
        }
        assertArrayEquals(new double[] {2.5}, Tensor.linspace(DType.F64, CPU, 2.5, 9, 1).toDoubleArray());
        assertShape(Tensor.linspace(0, 1, 0), 0);
        assertThrows(ShapeMismatchException.class, () -> Tensor.linspace(0, 1, -1));
    }

    @Test
    void toArrayConvertsEveryDtype() {
        Tensor b = Tensor.of(new boolean[] {true, false, true});
        assertArrayEquals(new float[] {1, 0, 1}, b.toFloatArray());
        assertArrayEquals(new double[] {1, 0, 1}, b.toDoubleArray());
        assertArrayEquals(new long[] {1, 0, 1}, b.toLongArray());
        assertArrayEquals(new int[] {1, 0, 1}, b.toIntArray());
        Tensor i = Tensor.of(new int[] {-3, 4});
        assertArrayEquals(new float[] {-3, 4}, i.toFloatArray());
        assertArrayEquals(new double[] {-3, 4}, i.toDoubleArray());
        assertArrayEquals(new long[] {-3, 4}, i.toLongArray());
        assertArrayEquals(new boolean[] {true, true}, i.toBooleanArray());
        Tensor d = Tensor.of(new double[] {0.1, -2});
        assertArrayEquals(new float[] {(float) 0.1, -2}, d.toFloatArray());
        Tensor l = Tensor.of(new long[] {1L << 40});
        assertArrayEquals(new double[] {Math.pow(2, 40)}, l.toDoubleArray());
    }

    @Test
    void itemReadsAnySingleElementTensor() {
        assertEquals(4.0, Tensor.of(new float[] {4}, 1, 1, 1).item());
        assertEquals(-7.0, Tensor.of(new long[] {-7}).item());
        assertEquals(1.0, Tensor.of(new boolean[] {true}).item());
        assertEquals(0.1, Tensor.of(new double[] {0.1}, 1).item());
        assertThrows(ShapeMismatchException.class, () -> Tensor.zeros(2).item());
        assertThrows(ShapeMismatchException.class, () -> Tensor.zeros(0).item());
    }

    @Test
    void toSameDtypeOrDeviceReturnsThis() {
        Tensor t = Tensor.ones(3);
        assertSame(t, t.to(DType.F32));
        assertSame(t, t.to(CPU));
        assertSame(t, t.to(Device.parse("cpu")));
        Tensor u = t.to(DType.F64);
        assertNotSame(t, u);
        assertEquals(DType.F64, u.dtype());
        assertEquals(DType.F32, t.dtype());
    }

    @Test
    void castFloatToIntegerTruncatesTowardZeroAndSaturates() {
        Tensor f = Tensor.of(new double[] {2.7, -2.7, 0.5, -0.5, Double.NaN, 1e10, -1e10, 1e30, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY});
        assertArrayEquals(new int[] {2, -2, 0, 0, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MIN_VALUE}, f.to(DType.I32).toIntArray());
        assertArrayEquals(new long[] {2, -2, 0, 0, 0, 10_000_000_000L, -10_000_000_000L, Long.MAX_VALUE,
                Long.MAX_VALUE, Long.MIN_VALUE}, f.to(DType.I64).toLongArray());
        Tensor g = Tensor.of(new float[] {3.99f, -3.99f, Float.NaN, 3e9f});
        assertArrayEquals(new int[] {3, -3, 0, Integer.MAX_VALUE}, g.to(DType.I32).toIntArray());
        assertArrayEquals(new long[] {3, -3, 0, 3_000_000_000L}, g.to(DType.I64).toLongArray());
    }

    @Test
    void castToBoolIsNonZero() {
        Tensor f = Tensor.of(new double[] {0, -0.0, 0.1, -3, Double.NaN, Double.POSITIVE_INFINITY});
        Tensor b = f.to(DType.BOOL);
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new boolean[] {false, false, true, true, true, true}, b.toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, true}, Tensor.of(new int[] {0, 2, -1}).to(DType.BOOL).toBooleanArray());
    }

    @Test
    void castFromBoolIsOneOrZero() {
        Tensor b = Tensor.of(new boolean[] {true, false});
        for (DType dt : new DType[] {DType.F32, DType.F64, DType.I32, DType.I64}) {
            Tensor c = b.to(dt);
            assertEquals(dt, c.dtype());
            assertArrayEquals(new double[] {1, 0}, c.toDoubleArray());
        }
    }

    @Test
    void castBetweenFloatsRoundsAndKeepsSpecialValues() {
        double[] v = {0.1, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1e300, 1e-300, Math.PI};
        double[] got = Tensor.of(v).to(DType.F32).toDoubleArray();
        for (int i = 0; i < v.length; i++) assertBits((float) v[i], got[i], "F64->F32 of " + v[i]);
        float[] w = {0.1f, -0.0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
        double[] up = Tensor.of(w).to(DType.F64).toDoubleArray();
        for (int i = 0; i < w.length; i++) assertBits(w[i], up[i], "F32->F64 of " + w[i]);
    }

    @Test
    void castBetweenIntegersAndFloatsIsExactWhereRepresentable() {
        long[] v = {-5, 0, 1L << 40, (1L << 53) + 1};
        double[] got = Tensor.of(v).to(DType.F64).toDoubleArray();
        for (int i = 0; i < v.length; i++) assertEquals((double) v[i], got[i]);
        assertArrayEquals(new float[] {16777216f, -3f}, Tensor.of(new int[] {16777217, -3}).to(DType.F32).toFloatArray());
        assertArrayEquals(new long[] {-5, 7}, Tensor.of(new int[] {-5, 7}).to(DType.I64).toLongArray());
        assertArrayEquals(new int[] {-5, 7}, Tensor.of(new long[] {-5, 7}).to(DType.I32).toIntArray());
    }

    @Test
    void castOfANonContiguousViewFollowsLogicalOrder() {
        Tensor t = Tensor.of(new double[] {1.5, 2.5, 3.5, 4.5, 5.5, 6.5}, 2, 3).mT();
        assertFalse(t.isContiguous());
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, t.to(DType.I32).toIntArray());
        assertArrayEquals(new float[] {1.5f, 4.5f, 2.5f, 5.5f, 3.5f, 6.5f}, t.toFloatArray());
    }

    @Test
    void readBackAndCastOfExpandedAndSlicedViews() {
        Tensor e = Tensor.of(new int[] {1, 2, 3}, 3, 1).expand(3, 2);
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3}, e.toIntArray());
        assertArrayEquals(new double[] {1, 1, 2, 2, 3, 3}, e.to(DType.F64).toDoubleArray());
        assertTrue(e.to(DType.F64).isContiguous());
        Tensor s = Tensor.arange(DType.F64, CPU, 0, 10, 1).slice(0, 1, 10, 4);
        assertArrayEquals(new long[] {1, 5, 9}, s.to(DType.I64).toLongArray());
        assertArrayEquals(new boolean[] {true, true, true}, s.toBooleanArray());
        assertArrayEquals(new float[] {5}, s.select(0, 1).toFloatArray());
        assertEquals(9.0, s.select(0, -1).item());
    }

    @Test
    void toStringNamesValuesDtypeAndDevice() {
        String s = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString();
        assertTrue(s.contains("F32") && s.contains("cpu") && s.contains("1.0") && s.contains("4.0"), s);
        String big = Tensor.zeros(DType.F64, CPU, 1000, 1000).toString();
        assertTrue(big.length() < 10_000, "large tensors are elided, length " + big.length());
    }
}
