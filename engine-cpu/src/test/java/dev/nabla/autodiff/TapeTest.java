package dev.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.NablaException;
import dev.nabla.NoGrad;
import dev.nabla.NotDifferentiableException;
import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tape (Tensor.requiresGrad / backward / grad / zeroGrad / detach, NoGrad, Autodiff.grad),
 * each gradient compared with a value computed by hand in the test.
 */
class TapeTest {

    private static final double TOL = 1e-12;

    static Tensor f64(double[] data, long... shape) {
        return Tensor.of(DType.F64, Device.cpu(), data, shape);
    }

    static Tensor leaf(double[] data, long... shape) {
        return f64(data, shape).requiresGrad(true);
    }

    static void assertValues(double[] expected, Tensor t) {
        assertNotNull(t, "tensor is null");
        double[] got = t.toDoubleArray();
        assertArrayEquals(expected, got, TOL, () -> "expected " + Arrays.toString(expected) + " got " + Arrays.toString(got));
    }

    static void assertValues(double[] expected, long[] shape, Tensor t) {
        assertNotNull(t, "tensor is null");
        assertArrayEquals(shape, t.shape(), () -> "shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        assertValues(expected, t);
    }

    // ---- accumulation, gradOutput, zeroGrad ---------------------------------------------------

    @Test
    void backwardAccumulatesAcrossCallsAsPyTorch() {
        Tensor x = leaf(new double[] {1, -2, 3});
        assertTrue(x.requiresGrad());
        assertNull(x.grad(), "no grad before any backward");
        x.square().sum().backward();                       // 2x
        assertValues(new double[] {2, -4, 6}, new long[] {3}, x.grad());
        Tensor held = x.grad();
        x.mul(x).mul(x).sum().backward();                  // + 3x²
        assertValues(new double[] {2 + 3, -4 + 12, 6 + 27}, x.grad());
        // accumulation is in place, as PyTorch: a grad the caller holds sees the sum
        assertValues(new double[] {5, 8, 33}, held);
        assertEquals(DType.F64, x.grad().dtype());
    }

    @Test
    void backwardWithGradOutputIsAVectorJacobianProduct() {
        Tensor x = leaf(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor y = x.square().mul(3.0);                    // dy/dx = 6x
        y.backward(f64(new double[] {1, 0.5, -1, 2}, 2, 2));
        assertValues(new double[] {6, 6, -18, 48}, new long[] {2, 2}, x.grad());
    }

    @Test
    void gradOutputOfTheWrongShapeIsRejected() {
        Tensor x = leaf(new double[] {1, 2, 3});
        Tensor y = x.mul(2.0);
        assertThrows(ShapeMismatchException.class, () -> y.backward(f64(new double[] {1, 2}, 2)));
    }

    @Test
    void zeroGradDropsTheGradient() {
        Tensor x = leaf(new double[] {1, 2});
        x.mul(5.0).sum().backward();
        assertValues(new double[] {5, 5}, x.grad());
        x.zeroGrad();
        assertNull(x.grad());
        x.square().sum().backward();
        assertValues(new double[] {2, 4}, x.grad());        // fresh, not 5 + 2x
    }

    @Test
    void onlyLeavesReachedByTheGraphGetAGradient() {
        Tensor a = leaf(new double[] {1, 2});
        Tensor b = leaf(new double[] {3, 4});
        a.mul(2.0).sum().backward();
        assertValues(new double[] {2, 2}, a.grad());
        assertNull(b.grad());
    }

    // ---- detach, NoGrad ----------------------------------------------------------------------

    @Test
    void detachStopsGradients() {
        Tensor x = leaf(new double[] {1.5, -2});
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertValues(new double[] {1.5, -2}, d);
        x.mul(d).sum().backward();                          // only the direct path: d/dx (x·c) = c = x
        assertValues(new double[] {1.5, -2}, x.grad());
        assertThrows(NotDifferentiableException.class, () -> d.square().sum().backward());
    }

    @Test
    void noGradStopsRecording() {
        Tensor x = leaf(new double[] {1, 2, 3});
        Tensor y;
        try (NoGrad ng = NoGrad.open()) {
            assertTrue(NoGrad.isActive());
            y = x.mul(2.0).exp();
            assertFalse(y.requiresGrad(), "an op under NoGrad must not be recorded");
        }
        assertFalse(NoGrad.isActive());
        Tensor fy = y;
        assertThrows(NotDifferentiableException.class, () -> fy.sum().backward());
        assertNull(x.grad());
        // recording resumes once closed; a value computed under NoGrad acts as a constant
        x.mul(y).sum().backward();
        double[] e = {Math.exp(2), Math.exp(4), Math.exp(6)};
        assertValues(e, x.grad());
    }

    @Test
    void noGradNests() {
        Tensor x = leaf(new double[] {1});
        try (NoGrad outer = NoGrad.open()) {
            try (NoGrad inner = NoGrad.open()) {
                assertFalse(x.mul(2.0).requiresGrad());
            }
            assertTrue(NoGrad.isActive());
            assertFalse(x.mul(2.0).requiresGrad());
        }
        assertTrue(x.mul(2.0).requiresGrad());
    }

    // ---- Autodiff.grad and createGraph --------------------------------------------------------

    @Test
    void gradWithoutCreateGraphFreesTheGraph() {
        Tensor x = leaf(new double[] {1, 2, 3});
        Tensor y = x.pow(3.0).sum();
        List<Tensor> g = Autodiff.grad(y, List.of(x), null, false);
        assertValues(new double[] {3, 12, 27}, g.get(0));
        assertFalse(g.get(0).requiresGrad(), "without createGraph the gradient is a plain tensor");
        assertNull(x.grad(), "Autodiff.grad returns gradients; it does not accumulate into leaves");
        NablaException e = assertThrows(NablaException.class, y::backward);
        assertTrue(e.getMessage().contains("createGraph"), () -> "message should say how to keep the graph: " + e.getMessage());
        NablaException e2 = assertThrows(NablaException.class, () -> Autodiff.grad(y, List.of(x), null, false));
        assertTrue(e2.getMessage().contains("freed"), e2::getMessage);
    }

    @Test
    void backwardWithoutCreateGraphFreesTheGraph() {
        Tensor x = leaf(new double[] {2});
        Tensor y = x.exp().mul(x).sum();
        y.backward();
        NablaException e = assertThrows(NablaException.class, y::backward);
        assertTrue(e.getMessage().contains("backward"), e::getMessage);
        assertValues(new double[] {3 * Math.exp(2)}, x.grad()); // (x+1)e^x, not doubled by the failed call
    }

    @Test
    void gradWithCreateGraphIsDifferentiable() {
        Tensor x = leaf(new double[] {1, 2, -3});
        Tensor y = x.pow(3.0).sum();
        Tensor g = Autodiff.grad(y, List.of(x), null, true).get(0);
        assertTrue(g.requiresGrad());
        assertValues(new double[] {3, 12, 27}, g);
        Tensor gg = Autodiff.grad(g.sum(), List.of(x), null, true).get(0);    // 6x
        assertValues(new double[] {6, 12, -18}, gg);
        Tensor ggg = Autodiff.grad(gg.sum(), List.of(x), null, false).get(0); // 6
        assertValues(new double[] {6, 6, 6}, ggg);
        // the graph was kept: another backward through y still works
        y.backward();
        assertValues(new double[] {3, 12, 27}, x.grad());
    }

    @Test
    void backwardWithCreateGraphGivesADifferentiableLeafGrad() {
        Tensor x = leaf(new double[] {0.5, -1});
        x.sin().sum().backward(null, true);                 // grad = cos x, on the tape
        Tensor g = x.grad();
        assertTrue(g.requiresGrad());
        List<Tensor> h = Autodiff.grad(g.sum(), List.of(x), null, false);
        assertValues(new double[] {-Math.sin(0.5), -Math.sin(-1)}, h.get(0));
    }

    @Test
    void gradOfAnUnusedInputIsZeros() {
        Tensor x = leaf(new double[] {1, 2});
        Tensor z = leaf(new double[] {5, 6, 7});
        List<Tensor> g = Autodiff.grad(x.square().sum(), List.of(x, z), null, false);
        assertValues(new double[] {2, 4}, g.get(0));
        assertValues(new double[] {0, 0, 0}, new long[] {3}, g.get(1));
    }

    @Test
    void gradWithGradOutputAndSeveralInputs() {
        Tensor a = leaf(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = leaf(new double[] {-1, 0.5}, 2);
        Tensor y = a.matmul(b);                             // [2]
        List<Tensor> g = Autodiff.grad(y, List.of(a, b), f64(new double[] {1, -2}, 2), false);
        // dL/da[i][j] = v[i]·b[j]; dL/db[j] = Σ_i v[i]·a[i][j]
        assertValues(new double[] {-1, 0.5, 2, -1}, new long[] {2, 2}, g.get(0));
        assertValues(new double[] {1 - 6, 2 - 8}, new long[] {2}, g.get(1));
    }

    // ---- broadcasting and views route gradients back -----------------------------------------

    @Test
    void broadcastGradientsAreSummedToTheInputShape() {
        Tensor a = leaf(new double[] {1, 2, 3}, 3, 1);
        Tensor b = leaf(new double[] {10, 20, 30, 40}, 4);
        Tensor s = leaf(new double[] {0.5});
        Tensor s0 = f64(new double[] {2}).reshape().requiresGrad(true);   // 0-d
        a.mul(b).mul(s).add(s0).sum().backward();
        assertValues(new double[] {50, 50, 50}, new long[] {3, 1}, a.grad());       // 0.5·Σb
        assertValues(new double[] {3, 3, 3, 3}, new long[] {4}, b.grad());          // 0.5·Σa
        assertValues(new double[] {6 * 100}, new long[] {1}, s.grad());               // Σ a_i b_j
        assertValues(new double[] {12}, new long[] {}, s0.grad());                    // 12 elements
    }

    @Test
    void sliceWithStepRoutesGradient() {
        Tensor x = leaf(new double[] {0, 1, 2, 3, 4, 5, 6});
        x.slice(0, 1, 7, 2).mul(f64(new double[] {10, 20, 30})).sum().backward();
        assertValues(new double[] {0, 10, 0, 20, 0, 30, 0}, x.grad());
    }

    @Test
    void expandRoutesGradient() {
        Tensor x = leaf(new double[] {1, 2}, 2, 1);
        Tensor w = f64(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3);
        x.expand(2, 2, 3).mul(w).sum().backward();
        // x[i] meets w[k][i][j] for every k, j
        assertValues(new double[] {1 + 2 + 3 + 7 + 8 + 9, 4 + 5 + 6 + 10 + 11 + 12}, new long[] {2, 1}, x.grad());
    }

    @Test
    void permuteRoutesGradient() {
        double[] xs = new double[24];
        Tensor x = leaf(xs, 2, 3, 4);
        double[] w = new double[24];
        for (int i = 0; i < 24; i++) w[i] = i + 1;
        x.permute(2, 0, 1).mul(f64(w, 4, 2, 3)).sum().backward();
        // x[a][b][c] sits at y[c][a][b]
        double[] expected = new double[24];
        for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 4; c++) {
            expected[(a * 3 + b) * 4 + c] = w[(c * 2 + a) * 3 + b];
        }
        assertValues(expected, new long[] {2, 3, 4}, x.grad());
    }

    @Test
    void selectAndNarrowRouteGradient() {
        Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        x.select(1, -1).mul(f64(new double[] {7, 8})).sum().add(x.narrow(0, 0, 1).sum().mul(2.0)).backward();
        assertValues(new double[] {2, 2, 9, 0, 0, 8}, x.grad());
    }

    @Test
    void gatherAccumulatesRepeatedIndices() {
        Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor idx = Tensor.of(new long[] {2, 2, 0, 1, 1, 1}, 2, 3);
        x.gather(1, idx).mul(f64(new double[] {1, 10, 100, 1000, 10000, 100000}, 2, 3)).sum().backward();
        assertValues(new double[] {100, 0, 11, 0, 111000, 0}, x.grad());
    }

    @Test
    void indexSelectAccumulatesRepeatedIndices() {
        Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor idx = Tensor.of(new int[] {2, 0, 2}, 3);
        x.indexSelect(0, idx).mul(f64(new double[] {1, 2, 3, 4, 5, 6}, 3, 2)).sum().backward();
        assertValues(new double[] {3, 4, 0, 0, 1 + 5, 2 + 6}, x.grad());
    }

    @Test
    void scatterAddRoutesToSelfAndSource() {
        Tensor self = leaf(new double[] {0, 0, 0, 0, 0, 0}, 2, 3);
        Tensor src = leaf(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);   // only the first 2 columns are scattered
        Tensor idx = Tensor.of(new long[] {2, 2, 0, 1}, 2, 2);
        Tensor w = f64(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor out = self.scatterAdd(1, idx, src);
        assertValues(new double[] {0, 0, 3, 5, 6, 0}, out);
        out.mul(w).sum().backward();
        assertValues(new double[] {1, 2, 3, 4, 5, 6}, self.grad());
        // src[i][j] went to out[i][idx[i][j]]; columns beyond the index get nothing
        assertValues(new double[] {3, 3, 0, 0, 4, 5, 0, 0}, new long[] {2, 4}, src.grad());
    }

    @Test
    void padAndCropRouteGradient() {
        Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // pad the last dim by 1 before, crop 1 after: [2, 3] -> [2, 3] holding [p, x0, x1]
        Tensor y = x.pad(new long[] {1}, new long[] {-1}, 9.0);
        assertValues(new double[] {9, 1, 2, 9, 4, 5}, y);
        y.mul(f64(new double[] {10, 20, 30, 40, 50, 60}, 2, 3)).sum().backward();
        assertValues(new double[] {20, 30, 0, 50, 60, 0}, x.grad());
    }

    @Test
    void catAndStackRouteGradient() {
        Tensor a = leaf(new double[] {1, 2}, 1, 2);
        Tensor b = leaf(new double[] {3, 4, 5, 6}, 2, 2);
        Tensor c = Tensor.cat(List.of(a, b, a), 0);                   // [4, 2]
        c.mul(f64(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)).sum().backward();
        assertValues(new double[] {1 + 7, 2 + 8}, new long[] {1, 2}, a.grad());
        assertValues(new double[] {3, 4, 5, 6}, new long[] {2, 2}, b.grad());

        Tensor p = leaf(new double[] {1, 2, 3});
        Tensor q = leaf(new double[] {4, 5, 6});
        Tensor s = Tensor.stack(List.of(p, q), 1);                    // [3, 2]
        s.mul(f64(new double[] {1, 2, 3, 4, 5, 6}, 3, 2)).sum().backward();
        assertValues(new double[] {1, 3, 5}, p.grad());
        assertValues(new double[] {2, 4, 6}, q.grad());
    }

    @Test
    void splitRoutesGradient() {
        Tensor x = leaf(new double[] {1, 2, 3, 4, 5});
        List<Tensor> parts = x.split(2, 0);
        assertEquals(3, parts.size());
        parts.get(0).mul(2.0).sum().add(parts.get(2).mul(-1.0).sum()).backward();
        assertValues(new double[] {2, 2, 0, 0, -1}, x.grad());
    }

    @Test
    void aTensorUsedTwiceAccumulatesBothPaths() {
        Tensor x = leaf(new double[] {2, 3});
        Tensor y = x.mul(x).add(x.reshape(2, 1).sum(1).mul(4.0));
        y.sum().backward();
        assertValues(new double[] {2 * 2 + 4, 2 * 3 + 4}, x.grad());
    }

    // ---- errors -------------------------------------------------------------------------------

    @Test
    void backwardOfANonScalarNeedsAGradOutput() {
        Tensor x = leaf(new double[] {1, 2, 3});
        Tensor y = x.mul(2.0);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, y::backward);
        assertTrue(e.getMessage().contains("backward"), e::getMessage);
        assertTrue(e.getMessage().contains("[3]"), e::getMessage);
        // a one-element output of any rank is fine
        x.sum(new int[] {0}, true).backward();
        assertValues(new double[] {1, 1, 1}, x.grad());
    }

    @Test
    void integerTensorsCannotRequireGrad() {
        assertThrows(NotDifferentiableException.class, () -> Tensor.of(new int[] {1, 2}).requiresGrad(true));
        assertThrows(NotDifferentiableException.class, () -> Tensor.of(new long[] {1, 2}).requiresGrad(true));
        assertThrows(NotDifferentiableException.class, () -> Tensor.of(new boolean[] {true}).requiresGrad(true));
        assertFalse(Tensor.of(new int[] {1}).requiresGrad(false).requiresGrad());
    }

    @Test
    void backwardFromArgmaxNamesTheOp() {
        Tensor x = leaf(new double[] {1, 5, 2}, 3);
        Tensor am = x.argmax(0);
        assertEquals(DType.I64, am.dtype());
        NotDifferentiableException e = assertThrows(NotDifferentiableException.class, () -> am.backward());
        assertTrue(e.getMessage().contains("argmax"), e::getMessage);
        Tensor amin = x.argmin(0);
        NotDifferentiableException e2 = assertThrows(NotDifferentiableException.class, () -> amin.backward());
        assertTrue(e2.getMessage().contains("argmin"), e2::getMessage);
    }

    @Test
    void backwardFromAComparisonNamesTheOp() {
        Tensor x = leaf(new double[] {1, 5, 2}, 3);
        Tensor c = x.gt(2.0).sum();
        assertThrows(NotDifferentiableException.class, c::backward);
        Tensor lt = x.lt(f64(new double[] {3, 3, 3}));
        NotDifferentiableException e = assertThrows(NotDifferentiableException.class,
                () -> lt.backward(Tensor.of(new boolean[] {true, true, true})));
        assertTrue(e.getMessage().contains("lt"), e::getMessage);
        Tensor eq = x.eq(5.0);
        NotDifferentiableException e2 = assertThrows(NotDifferentiableException.class,
                () -> eq.backward(Tensor.of(new boolean[] {true, true, true})));
        assertTrue(e2.getMessage().contains("eq"), e2::getMessage);
    }

    @Test
    void backwardOfAnUntrackedTensorIsNotDifferentiable() {
        Tensor y = f64(new double[] {1, 2}).square().sum();
        assertThrows(NotDifferentiableException.class, y::backward);
    }

    @Test
    void autodiffGradOfAnInputThatDoesNotRequireGradIsRejected() {
        Tensor x = leaf(new double[] {1});
        Tensor c = f64(new double[] {2});
        assertThrows(NotDifferentiableException.class, () -> Autodiff.grad(x.mul(c).sum(), List.of(c), null, false));
    }

    @Test
    void nonDifferentiableOpsDoNotBreakOtherPaths() {
        Tensor x = leaf(new double[] {0.5, -1.5, 2.5}, 3);
        Tensor ints = Tensor.of(new int[] {2, 3, 4}, 3);
        Tensor flags = Tensor.of(new boolean[] {true, false, true}, 3);
        // argmax / argmin feed an index; comparisons feed where and a mask; floor and sign are flat
        Tensor idx = x.argmax(0).reshape(1);
        Tensor picked = x.indexSelect(0, idx).sum();                          // x[2]
        Tensor lowest = x.gather(0, x.argmin(0).reshape(1)).sum();            // x[1]
        Tensor masked = Tensor.where(x.gt(0.0), x, x.mul(3.0)).sum();         // 1, 3, 1
        Tensor mask = x.mul(x.lt(1.0).to(DType.F64)).sum();                  // 1, 1, 0
        Tensor flat = x.floor().add(x.sign()).mul(x).sum();                  // floor+sign: 1, -3, 3
        Tensor integer = x.mul(ints).sum();                                   // 2, 3, 4
        Tensor bools = x.mul(flags).sum();                                    // 1, 0, 1
        Tensor total = picked.add(lowest).add(masked).add(mask).add(flat).add(integer).add(bools);
        total.backward();
        double[] expected = {
            0 + 0 + 1 + 1 + (0 + 1) + 2 + 1,
            0 + 1 + 3 + 1 + (-2 - 1) + 3 + 0,
            1 + 0 + 1 + 0 + (2 + 1) + 4 + 1,
        };
        assertValues(expected, x.grad());
    }

    // ---- kinks and ties (PyTorch's conventions) -----------------------------------------------

    @Test
    void reluAndAbsHaveZeroDerivativeAtZero() {
        Tensor x = leaf(new double[] {-1, 0, 2});
        x.relu().sum().backward();
        assertValues(new double[] {0, 0, 1}, x.grad());
        Tensor y = leaf(new double[] {-1, 0, 2});
        y.abs().sum().backward();
        assertValues(new double[] {-1, 0, 1}, y.grad());
        // forward mode agrees
        Tensor t = f64(new double[] {1, 1, 1});
        assertValues(new double[] {0, 0, 1}, Autodiff.jvp(Tensor::relu, f64(new double[] {-1, 0, 2}), t).tangent());
        assertValues(new double[] {-1, 0, 1}, Autodiff.jvp(Tensor::abs, f64(new double[] {-1, 0, 2}), t).tangent());
    }

    @Test
    void clampPassesGradientInsideAndAtTheBounds() {
        Tensor x = leaf(new double[] {-2, -1, 0, 1, 2});
        x.clamp(-1, 1).sum().backward();
        assertValues(new double[] {0, 1, 1, 1, 0}, x.grad());
    }

    @Test
    void amaxAndAminSplitTiesEvenly() {
        Tensor x = leaf(new double[] {1, 3, 3, 0, 5, 5, 5, 2}, 2, 4);
        x.amax(1).mul(f64(new double[] {2, 3})).sum().backward();
        assertValues(new double[] {0, 1, 1, 0, 1, 1, 1, 0}, x.grad());
        Tensor y = leaf(new double[] {4, 1, 1, 1});
        y.amin().backward();
        assertValues(new double[] {0, 1.0 / 3, 1.0 / 3, 1.0 / 3}, y.grad());
        Tensor z = leaf(new double[] {2, 2, 2, 2});
        z.amax().backward();
        assertValues(new double[] {0.25, 0.25, 0.25, 0.25}, z.grad());
        // forward mode: the tangent is the mean of the tied tangents
        assertValues(new double[] {2.5}, Autodiff.jvp(t -> t.amax(), f64(new double[] {1, 3, 3}), f64(new double[] {7, 2, 3})).tangent().reshape(1));
    }

    @Test
    void maximumAndMinimumGiveHalfToEachOnTies() {
        Tensor a = leaf(new double[] {1, 2, 3});
        Tensor b = leaf(new double[] {1, 5, 0});
        a.maximum(b).sum().backward();
        assertValues(new double[] {0.5, 0, 1}, a.grad());
        assertValues(new double[] {0.5, 1, 0}, b.grad());
        Tensor c = leaf(new double[] {1, 2, 3});
        Tensor d = leaf(new double[] {1, 5, 0});
        c.minimum(d).sum().backward();
        assertValues(new double[] {0.5, 1, 0}, c.grad());
        assertValues(new double[] {0.5, 0, 1}, d.grad());
        Tensor e = leaf(new double[] {0.5, 1});
        e.maximum(0.5).sum().backward();
        assertValues(new double[] {0.5, 1}, e.grad());
    }

    @Test
    void detachKeepsStorageButDropsTracking() {
        Tensor x = leaf(new double[] {1, 2});
        Tensor y = x.mul(3.0);
        Tensor d = y.detach();
        assertFalse(d.requiresGrad());
        assertTrue(y.requiresGrad());
        assertValues(new double[] {3, 6}, d);
        assertSame(d, d.requiresGrad(true));
        d.square().sum().backward();
        assertValues(new double[] {6, 12}, d.grad());
        assertNull(x.grad(), "a detached copy's backward must not reach the original graph");
    }

    @Test
    void requiresGradOnANonLeafIsRejected() {
        Tensor x = leaf(new double[] {1});
        Tensor y = x.mul(2.0);
        assertThrows(NablaException.class, () -> y.requiresGrad(true));
    }
}
