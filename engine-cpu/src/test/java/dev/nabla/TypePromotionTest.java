package dev.nabla;

import static dev.nabla.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Result dtypes of mixed-dtype binary ops, scalar overloads, division, bool arithmetic and where. */
class TypePromotionTest {

    private static final DType[] ALL = DType.values();

    /** BOOL < I32 < I64 < F32 < F64, written out independently of DType.promote. */
    private static DType expectedPromotion(DType a, DType b) {
        List<DType> order = List.of(DType.BOOL, DType.I32, DType.I64, DType.F32, DType.F64);
        return order.indexOf(a) >= order.indexOf(b) ? a : b;
    }

    @Test
    void promotionLatticeMatchesPyTorch() {
        assertEquals(DType.F64, DType.promote(DType.F32, DType.F64));
        assertEquals(DType.F32, DType.promote(DType.I32, DType.F32));
        assertEquals(DType.I64, DType.promote(DType.I32, DType.I64));
        assertEquals(DType.F32, DType.promote(DType.I64, DType.F32));
        assertEquals(DType.I32, DType.promote(DType.BOOL, DType.I32));
        for (DType a : ALL) for (DType b : ALL) assertEquals(expectedPromotion(a, b), DType.promote(a, b), a + "+" + b);
    }

    @Test
    void mixedDtypeArithmeticComputesInThePromotedType() {
        double[] av = {1, 0, 3, 1}, bv = {2, 1, 0, 1};
        for (DType a : ALL) {
            for (DType b : ALL) {
                DType out = expectedPromotion(a, b);
                Tensor x = Inputs.tensor(av, a, 2, 2), y = Inputs.tensor(bv, b, 2, 2);
                if (out == DType.BOOL) {
                    assertTensor(x.add(y), DType.BOOL, ReferenceArray.of(new double[] {1, 1, 1, 1}, 2, 2));
                    assertTensor(x.mul(y), DType.BOOL, ReferenceArray.of(new double[] {1, 0, 0, 1}, 2, 2));
                    assertThrows(DTypeMismatchException.class, () -> x.sub(y));
                    continue;
                }
                double[] ar = Inputs.round(av, a), br = Inputs.round(bv, b);
                double[] sum = new double[4], prod = new double[4], diff = new double[4], max = new double[4];
                for (int i = 0; i < 4; i++) {
                    sum[i] = ar[i] + br[i];
                    prod[i] = ar[i] * br[i];
                    diff[i] = ar[i] - br[i];
                    max[i] = Math.max(ar[i], br[i]);
                }
                assertTensor(x.add(y), out, ReferenceArray.of(sum, 2, 2), Tolerance.EXACT);
                assertTensor(x.mul(y), out, ReferenceArray.of(prod, 2, 2), Tolerance.EXACT);
                assertTensor(x.maximum(y), out, ReferenceArray.of(max, 2, 2), Tolerance.EXACT);
                if (a != DType.BOOL || b != DType.BOOL) {
                    assertTensor(x.sub(y), out, ReferenceArray.of(diff, 2, 2), Tolerance.EXACT);
                }
            }
        }
    }

    @Test
    void f32PlusF64KeepsF64Precision() {
        Tensor a = Tensor.of(new float[] {0.1f});
        Tensor b = Tensor.of(new double[] {1e-10});
        Tensor c = a.add(b);
        assertEquals(DType.F64, c.dtype());
        assertEquals((double) 0.1f + 1e-10, c.item(), 0);
    }

    @Test
    void i64PlusF32IsF32() {
        Tensor c = Tensor.of(new long[] {3}).add(Tensor.of(new float[] {0.5f}));
        assertEquals(DType.F32, c.dtype());
        assertEquals(3.5, c.item());
    }

    @Test
    void integerDivisionIsTrueDivisionInF32() {
        Tensor a = Tensor.of(new int[] {7, -7, 1, 0, 6});
        Tensor b = Tensor.of(new int[] {2, 2, 0, 0, 3});
        Tensor q = a.div(b);
        assertEquals(DType.F32, q.dtype());
        double[] got = q.toDoubleArray();
        assertArrayEquals(new double[] {3.5, -3.5, Double.POSITIVE_INFINITY}, java.util.Arrays.copyOf(got, 3));
        assertEquals(Double.NaN, got[3]);
        assertEquals(2.0, got[4]);
        Tensor l = Tensor.of(new long[] {1, 2}).div(Tensor.of(new long[] {3, 4}));
        assertEquals(DType.F32, l.dtype());
        assertArrayEquals(new float[] {1f / 3, 0.5f}, l.toFloatArray());
        Tensor s = Tensor.of(new int[] {7, 1}).div(2.0);
        assertEquals(DType.F32, s.dtype());
        assertArrayEquals(new float[] {3.5f, 0.5f}, s.toFloatArray());
        Tensor bb = Tensor.of(new boolean[] {true, false}).div(Tensor.of(new boolean[] {true, true}));
        assertEquals(DType.F32, bb.dtype());
        assertArrayEquals(new float[] {1, 0}, bb.toFloatArray());
        Tensor f = Tensor.of(new int[] {1}).div(Tensor.of(new double[] {4}));
        assertEquals(DType.F64, f.dtype());
        assertEquals(0.25, f.item());
    }

    @Test
    void doubleScalarKeepsFloatDtypes() {
        assertEquals(DType.F32, Tensor.of(new float[] {1}).add(0.5).dtype());
        assertEquals(DType.F32, Tensor.of(new float[] {1}).mul(1e300).dtype());
        assertEquals(DType.F64, Tensor.of(new double[] {1}).add(2).dtype());
        assertEquals((double) (float) 1.1, Tensor.of(new float[] {0}).add(1.1).item());
    }

    @Test
    void wholeDoubleScalarKeepsIntegerDtypeFractionalOneGivesF32() {
        Tensor i = Tensor.of(new int[] {1, 2});
        assertEquals(DType.I32, i.add(2.0).dtype());
        assertArrayEquals(new int[] {3, 4}, i.add(2.0).toIntArray());
        assertEquals(DType.I32, i.sub(5).dtype());
        assertEquals(DType.I32, i.maximum(1.0).dtype());
        assertEquals(DType.F32, i.add(0.5).dtype());
        assertArrayEquals(new float[] {1.5f, 2.5f}, i.add(0.5).toFloatArray());
        assertEquals(DType.F32, i.mul(1.5).dtype());
        assertArrayEquals(new float[] {1.5f, 3f}, i.mul(1.5).toFloatArray());
        Tensor l = Tensor.of(new long[] {1L << 40});
        assertEquals(DType.I64, l.add(1.0).dtype());
        assertArrayEquals(new long[] {(1L << 40) + 1}, l.add(1.0).toLongArray());
        assertEquals(DType.F32, Tensor.of(new int[] {4}).pow(0.5).dtype());
        assertEquals(2.0, Tensor.of(new int[] {4}).pow(0.5).item(), 1e-6);
    }

    @Test
    void boolWithWholeScalarBecomesI64() {
        Tensor b = Tensor.of(new boolean[] {true, false});
        Tensor s = b.add(1.0);
        assertEquals(DType.I64, s.dtype());
        assertArrayEquals(new long[] {2, 1}, s.toLongArray());
        assertEquals(DType.I64, b.mul(3).dtype());
        assertArrayEquals(new long[] {3, 0}, b.mul(3).toLongArray());
        Tensor f = b.add(0.5);
        assertEquals(DType.F32, f.dtype());
        assertArrayEquals(new float[] {1.5f, 0.5f}, f.toFloatArray());
    }

    @Test
    void boolPromotesWithNumbers() {
        Tensor b = Tensor.of(new boolean[] {true, false});
        Tensor i = Tensor.of(new int[] {5, 5});
        assertEquals(DType.I32, b.add(i).dtype());
        assertArrayEquals(new int[] {6, 5}, b.add(i).toIntArray());
        assertArrayEquals(new int[] {-4, -5}, b.sub(i).toIntArray());
        Tensor f = Tensor.of(new double[] {0.5, 0.5});
        assertEquals(DType.F64, b.mul(f).dtype());
        assertArrayEquals(new double[] {0.5, 0}, b.mul(f).toDoubleArray());
    }

    @Test
    void boolArithmeticIsLogical() {
        Tensor a = Tensor.of(new boolean[] {true, true, false, false});
        Tensor b = Tensor.of(new boolean[] {true, false, true, false});
        assertEquals(DType.BOOL, a.add(b).dtype());
        assertArrayEquals(new boolean[] {true, true, true, false}, a.add(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, false, false}, a.mul(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true, false}, a.maximum(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, false, false}, a.minimum(b).toBooleanArray());
        assertThrows(DTypeMismatchException.class, () -> a.sub(b));
    }

    @Test
    void comparisonsComputeInThePromotedType() {
        Tensor f = Tensor.of(new float[] {0.1f});
        Tensor d = Tensor.of(new double[] {0.1});
        assertArrayEquals(new boolean[] {false}, f.eq(d).toBooleanArray(), "0.1f vs 0.1 compared in F64");
        assertArrayEquals(new boolean[] {true}, f.eq(0.1).toBooleanArray(), "scalar converted to the tensor's F32");
        Tensor i = Tensor.of(new int[] {2, 3});
        assertArrayEquals(new boolean[] {true, false}, i.lt(2.5).toBooleanArray(), "2.5 is not truncated");
        assertArrayEquals(new boolean[] {false, false}, i.eq(2.5).toBooleanArray());
        Tensor big = Tensor.of(new long[] {(1L << 53) + 1});
        assertArrayEquals(new boolean[] {false}, big.eq(Tensor.of(new long[] {1L << 53})).toBooleanArray(), "I64 exact");
        assertArrayEquals(new boolean[] {true}, big.eq(Tensor.of(new double[] {Math.pow(2, 53)})).toBooleanArray(),
                "compared in F64 after promotion");
        Tensor b = Tensor.of(new boolean[] {true, false});
        assertArrayEquals(new boolean[] {true, false}, b.gt(Tensor.of(new int[] {0, 0})).toBooleanArray());
        assertEquals(DType.BOOL, i.ge(Tensor.of(new double[] {2.5})).dtype());
    }

    @Test
    void wherePromotesItsBranches() {
        Tensor c = Tensor.of(new boolean[] {true, false});
        Tensor w = Tensor.where(c, Tensor.of(new float[] {1.5f, 2.5f}), Tensor.of(new double[] {3, 4}));
        assertEquals(DType.F64, w.dtype());
        assertArrayEquals(new double[] {1.5, 4}, w.toDoubleArray());
        Tensor v = Tensor.where(c, Tensor.of(new int[] {1, 2}), Tensor.of(new long[] {3, 4}));
        assertEquals(DType.I64, v.dtype());
        assertArrayEquals(new long[] {1, 4}, v.toLongArray());
        Tensor u = Tensor.where(c, Tensor.of(new boolean[] {false, false}), Tensor.of(new int[] {7, 8}));
        assertEquals(DType.I32, u.dtype());
        assertArrayEquals(new int[] {0, 8}, u.toIntArray());
    }

    @Test
    void catAndStackPromote() {
        Tensor a = Tensor.of(new int[] {1, 2});
        Tensor b = Tensor.of(new float[] {0.5f});
        Tensor c = Tensor.cat(List.of(a, b), 0);
        assertEquals(DType.F32, c.dtype());
        assertArrayEquals(new float[] {1, 2, 0.5f}, c.toFloatArray());
        Tensor s = Tensor.stack(List.of(Tensor.of(new long[] {1, 2}), Tensor.of(new boolean[] {true, false})), 0);
        assertEquals(DType.I64, s.dtype());
        assertArrayEquals(new long[] {1, 2, 1, 0}, s.toLongArray());
    }
}
