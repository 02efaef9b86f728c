package dev.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.NoGrad;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The functional transforms of {@link Autodiff}, over a tensor and over a list of tensors, against
 * closed forms and finite differences; nesting without perturbation confusion; forward mode that
 * needs no tape.
 */
class FunctionalTest {

    private static final double TOL = 1e-10;

    static Tensor f64(double[] data, long... shape) {
        return Tensor.of(DType.F64, Device.cpu(), data, shape);
    }

    static Tensor scalar(double v) {
        return Tensor.scalar(DType.F64, Device.cpu(), v);
    }

    static void assertValues(double[] expected, Tensor t, double tol) {
        assertNotNull(t, "tensor is null");
        double[] got = t.toDoubleArray();
        assertArrayEquals(expected, got, tol, () -> "expected " + Arrays.toString(expected) + " got " + Arrays.toString(got));
    }

    static void assertValues(double[] expected, long[] shape, Tensor t) {
        assertNotNull(t, "tensor is null");
        assertArrayEquals(shape, t.shape(), () -> "shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        assertValues(expected, t, TOL);
    }

    static double[] map(double[] x, java.util.function.DoubleUnaryOperator f) {
        return Arrays.stream(x).map(f).toArray();
    }

    /** Central differences of a tensor function of x, as a flat row-major [out.numel, x.numel] Jacobian. */
    static double[] numericJacobian(Function<Tensor, Tensor> f, Tensor x, double eps) {
        double[] base = x.toDoubleArray();
        long[] shape = x.shape();
        double[] y0 = f.apply(x).toDoubleArray();
        int m = y0.length, n = base.length;
        double[] jac = new double[m * n];
        for (int e = 0; e < n; e++) {
            double[] p = base.clone(), q = base.clone();
            p[e] += eps;
            q[e] -= eps;
            double[] yp = f.apply(f64(p, shape)).toDoubleArray();
            double[] yq = f.apply(f64(q, shape)).toDoubleArray();
            for (int i = 0; i < m; i++) jac[i * n + e] = (yp[i] - yq[i]) / (2 * eps);
        }
        return jac;
    }

    // ---- first order --------------------------------------------------------------------------

    @Test
    void gradAndValueAndGradOverATensor() {
        double[] x = {0.5, -1, 2};
        Tensor g = Autodiff.grad(t -> t.pow(3.0).sum(), f64(x));
        assertValues(map(x, v -> 3 * v * v), new long[] {3}, g);
        Autodiff.ValueAndGrad vg = Autodiff.valueAndGrad(t -> t.sin().mul(t).sum(), f64(x));
        assertEquals(Arrays.stream(x).map(v -> Math.sin(v) * v).sum(), vg.value().item(), TOL);
        assertValues(map(x, v -> Math.cos(v) * v + Math.sin(v)), new long[] {3}, vg.grad());
        assertFalse(vg.grad().requiresGrad(), "a top-level gradient is a plain tensor");
        assertFalse(vg.value().requiresGrad());
    }

    @Test
    void gradAndValueAndGradOverAList() {
        double[] a = {1, 2, 3, 4, 5, 6}, b = {0.5, -1, 2};
        Function<List<Tensor>, Tensor> f = xs -> xs.get(0).mul(xs.get(1).square()).sum();   // Σ a_ij b_j²
        List<Tensor> g = Autodiff.grad(f, List.of(f64(a, 2, 3), f64(b, 3)));
        assertValues(new double[] {0.25, 1, 4, 0.25, 1, 4}, new long[] {2, 3}, g.get(0));
        assertValues(new double[] {2 * 0.5 * 5, 2 * -1 * 7, 2 * 2 * 9}, new long[] {3}, g.get(1));
        Autodiff.ValueAndGrads vg = Autodiff.valueAndGrad(f, List.of(f64(a, 2, 3), f64(b, 3)));
        assertEquals(0.25 * 5 + 1 * 7 + 4 * 9, vg.value().item(), TOL);
        assertValues(g.get(1).toDoubleArray(), new long[] {3}, vg.grads().get(1));
    }

    @Test
    void vjpOverATensorAppliesAnyCotangent() {
        double[] x = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        Autodiff.Vjp v = Autodiff.vjp(t -> t.sin().mul(2.0), f64(x, 2, 3));
        assertValues(map(x, u -> 2 * Math.sin(u)), new long[] {2, 3}, v.value());
        double[] c1 = {1, 0, -1, 2, 0.5, 3};
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) expected[i] = 2 * Math.cos(x[i]) * c1[i];
        assertValues(expected, new long[] {2, 3}, v.apply(f64(c1, 2, 3)));
        // a second cotangent on the same vjp
        assertValues(map(x, u -> 2 * Math.cos(u)), new long[] {2, 3}, v.apply(Tensor.ones(DType.F64, Device.cpu(), 2, 3)));
    }

    @Test
    void vjpOverAList() {
        double[] a = {1, 2, 3, 4, 5, 6}, b = {1, -1, 0.5, 2, 0, 3};
        Autodiff.VjpList v = Autodiff.vjp(xs -> xs.get(0).matmul(xs.get(1)), List.of(f64(a, 2, 3), f64(b, 3, 2)));
        assertValues(new double[] {1 * 1 + 2 * 0.5 + 3 * 0, 1 * -1 + 2 * 2 + 3 * 3, 4 + 5 * 0.5, -4 + 10 + 18}, new long[] {2, 2}, v.value());
        double[] c = {1, 2, -1, 0.5};
        List<Tensor> g = v.apply(f64(c, 2, 2));
        // dA = C Bᵀ, dB = Aᵀ C
        double[] dA = new double[6], dB = new double[6];
        for (int i = 0; i < 2; i++) for (int k = 0; k < 3; k++) for (int j = 0; j < 2; j++) dA[i * 3 + k] += c[i * 2 + j] * b[k * 2 + j];
        for (int k = 0; k < 3; k++) for (int j = 0; j < 2; j++) for (int i = 0; i < 2; i++) dB[k * 2 + j] += a[i * 3 + k] * c[i * 2 + j];
        assertValues(dA, new long[] {2, 3}, g.get(0));
        assertValues(dB, new long[] {3, 2}, g.get(1));
    }

    @Test
    void jvpOverATensor() {
        double[] x = {0.1, -0.2, 0.3, 0.4, 0.5, -0.6}, t = {1, 2, 3, -1, 0.5, 0};
        Autodiff.Jvp r = Autodiff.jvp(u -> u.exp().sum(1), f64(x, 2, 3), f64(t, 2, 3));
        double[] value = new double[2], tangent = new double[2];
        for (int i = 0; i < 6; i++) {
            value[i / 3] += Math.exp(x[i]);
            tangent[i / 3] += Math.exp(x[i]) * t[i];
        }
        assertValues(value, new long[] {2}, r.value());
        assertValues(tangent, new long[] {2}, r.tangent());
    }

    @Test
    void jvpOverAList() {
        double[] a = {1, 2, 3}, b = {-1, 0.5, 2}, ta = {0.5, 0, 1}, tb = {1, 1, -2};
        Autodiff.Jvp r = Autodiff.jvp(xs -> xs.get(0).mul(xs.get(1)).tanh(), List.of(f64(a), f64(b)), List.of(f64(ta), f64(tb)));
        double[] v = new double[3], dt = new double[3];
        for (int i = 0; i < 3; i++) {
            double p = a[i] * b[i];
            v[i] = Math.tanh(p);
            dt[i] = (1 - v[i] * v[i]) * (ta[i] * b[i] + a[i] * tb[i]);
        }
        assertValues(v, new long[] {3}, r.value());
        assertValues(dt, new long[] {3}, r.tangent());
    }

    @Test
    void jvpIsTrueForwardModeAndWorksUnderNoGrad() {
        double[] x = {0.3, -1.2, 2}, t = {1, -2, 0.5};
        try (NoGrad ng = NoGrad.open()) {
            Autodiff.Jvp r = Autodiff.jvp(u -> u.sin().mul(u), f64(x), f64(t));
            double[] e = new double[3];
            for (int i = 0; i < 3; i++) e[i] = (Math.cos(x[i]) * x[i] + Math.sin(x[i])) * t[i];
            assertValues(e, new long[] {3}, r.tangent());
            assertValues(map(x, u -> Math.sin(u) * u), new long[] {3}, r.value());
            assertFalse(r.value().requiresGrad(), "nothing may be recorded on the tape under NoGrad");
            assertFalse(r.tangent().requiresGrad());
            // a whole Jacobian by forward mode, still without a tape
            Tensor j = Autodiff.jacfwd(u -> u.square(), f64(x));
            assertValues(new double[] {0.6, 0, 0, 0, -2.4, 0, 0, 0, 4}, new long[] {3, 3}, j);
        }
    }

    @Test
    void jvpOfAFunctionClosingOverALeafIsDifferentiableTapeStyle() {
        // f(x) = w x: its tangent w t, and d/dw sum(w t) = sum(t), by a backward after the jvp returned
        Tensor w = scalar(1.5).requiresGrad(true);
        Tensor t = f64(new double[] {1, 2, 3});
        Autodiff.Jvp r = Autodiff.jvp(x -> x.mul(w).sin(), f64(new double[] {0.1, 0.2, 0.3}), t);
        r.tangent().sum().backward();
        double g = 0;
        for (int i = 0; i < 3; i++) {
            double x = 0.1 * (i + 1), ti = i + 1;
            g += ti * (Math.cos(w.item() * x) - w.item() * x * Math.sin(w.item() * x));   // d/dw [cos(wx) w t]
        }
        assertValues(new double[] {g}, w.grad(), TOL);
    }

    // ---- second order -------------------------------------------------------------------------

    @Test
    void hvpHasTheClosedForm() {
        // f = Σ x⁴/4 + (Σ x)²: H = diag(3x²) + 2·11ᵀ
        double[] x = {0.5, -1, 2}, v = {1, 2, -1};
        Function<Tensor, Tensor> f = u -> u.pow(4.0).sum().div(4.0).add(u.sum().square());
        double sv = Arrays.stream(v).sum();
        double[] e = new double[3];
        for (int i = 0; i < 3; i++) e[i] = 3 * x[i] * x[i] * v[i] + 2 * sv;
        assertValues(e, new long[] {3}, Autodiff.hvp(f, f64(x), f64(v)));
        assertValues(e, new long[] {3}, Autodiff.hvp(f, f64(x), f64(v), Autodiff.HvpMode.REVERSE_OVER_REVERSE));
    }

    @Test
    void hvpEqualsFiniteDifferencesOfTheGradient() {
        double[] a = {1, 2, -1, 0.5, 0, 3, -2, 1, 1}, x = {0.3, -0.7, 1.1}, v = {0.5, -1, 2};
        Tensor A = f64(a, 3, 3);
        Function<Tensor, Tensor> f = u -> A.matmul(u).logsumexp().add(u.sin().mul(u.square()).sum());
        Tensor fwd = Autodiff.hvp(f, f64(x), f64(v));
        Tensor rev = Autodiff.hvp(f, f64(x), f64(v), Autodiff.HvpMode.REVERSE_OVER_REVERSE);
        double h = 1e-5;
        double[] xp = x.clone(), xm = x.clone();
        for (int i = 0; i < 3; i++) {
            xp[i] += h * v[i];
            xm[i] -= h * v[i];
        }
        double[] gp = Autodiff.grad(f, f64(xp)).toDoubleArray(), gm = Autodiff.grad(f, f64(xm)).toDoubleArray();
        double[] fd = new double[3];
        for (int i = 0; i < 3; i++) fd[i] = (gp[i] - gm[i]) / (2 * h);
        assertValues(fd, fwd, 1e-7);
        // forward-over-reverse equals reverse-over-reverse to rounding
        assertValues(rev.toDoubleArray(), fwd, 1e-12);
    }

    @Test
    void hvpOverAListMatchesBothModesAndFiniteDifferences() {
        double[] w = {0.2, -0.4, 0.6, 0.1, -0.3, 0.5}, b = {0.1, -0.2};
        double[] vw = {1, 0, -1, 0.5, 2, -0.5}, vb = {0.3, -1};
        Tensor X = f64(new double[] {1, 2, -1, 0.5, 0, 1.5, -2, 1, 0.5}, 3, 3);
        Function<List<Tensor>, Tensor> f = ps -> X.matmul(ps.get(0)).add(ps.get(1)).tanh().square().sum();
        List<Tensor> fwd = Autodiff.hvp(f, List.of(f64(w, 3, 2), f64(b, 2)), List.of(f64(vw, 3, 2), f64(vb, 2)));
        List<Tensor> rev = Autodiff.hvp(f, List.of(f64(w, 3, 2), f64(b, 2)), List.of(f64(vw, 3, 2), f64(vb, 2)),
                Autodiff.HvpMode.REVERSE_OVER_REVERSE);
        assertArrayEquals(new long[] {3, 2}, fwd.get(0).shape());
        assertArrayEquals(new long[] {2}, fwd.get(1).shape());
        double h = 1e-5;
        List<Tensor> gp = Autodiff.grad(f, List.of(f64(axpy(w, h, vw), 3, 2), f64(axpy(b, h, vb), 2)));
        List<Tensor> gm = Autodiff.grad(f, List.of(f64(axpy(w, -h, vw), 3, 2), f64(axpy(b, -h, vb), 2)));
        for (int k = 0; k < 2; k++) {
            double[] p = gp.get(k).toDoubleArray(), m = gm.get(k).toDoubleArray(), fd = new double[p.length];
            for (int i = 0; i < p.length; i++) fd[i] = (p[i] - m[i]) / (2 * h);
            assertValues(fd, fwd.get(k), 1e-7);
            assertValues(rev.get(k).toDoubleArray(), fwd.get(k), 1e-12);
        }
    }

    @Test
    void hvpOfAFunctionWithAConstantGradientIsZero() {
        // f = Σ 3x: ∇f = 3 does not depend on x, so H·v = 0 in either mode (as JAX / torch.func)
        Tensor x = f64(new double[] {1, 2, 3}), v = f64(new double[] {1, -1, 2});
        assertValues(new double[] {0, 0, 0}, new long[] {3}, Autodiff.hvp(u -> u.mul(3.0).sum(), x, v));
        assertValues(new double[] {0, 0, 0}, new long[] {3},
                Autodiff.hvp(u -> u.mul(3.0).sum(), x, v, Autodiff.HvpMode.REVERSE_OVER_REVERSE));
    }

    @Test
    void jacobiansOfAFunctionThatIgnoresItsInputAreZero() {
        Tensor x = f64(new double[] {0.5, -1});
        Function<Tensor, Tensor> f = u -> u.gt(0.0).to(DType.F64);    // piecewise constant: derivative 0
        assertValues(new double[] {0, 0, 0, 0}, new long[] {2, 2}, Autodiff.jacfwd(f, x));
        assertValues(new double[] {0, 0, 0, 0}, new long[] {2, 2}, Autodiff.jacrev(f, x));
    }

    static double[] axpy(double[] x, double a, double[] y) {
        double[] r = x.clone();
        for (int i = 0; i < r.length; i++) r[i] += a * y[i];
        return r;
    }

    @Test
    void hessianOfAQuadraticIsTheSymmetricPart() {
        double[] a = {1, 2, 0, -3, 4, 5, 0.5, -1, 2};  // not symmetric
        double[] b = {1, -2, 0.5};
        Tensor A = f64(a, 3, 3), B = f64(b, 3);
        Function<Tensor, Tensor> f = x -> x.dot(A.matmul(x)).mul(0.5).add(B.dot(x));
        Tensor h = Autodiff.hessian(f, f64(new double[] {0.3, -1, 2}));
        double[] e = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) e[i * 3 + j] = 0.5 * (a[i * 3 + j] + a[j * 3 + i]);
        assertValues(e, new long[] {3, 3}, h);
        // and the gradient is ½(A + Aᵀ)x + b
        double[] x = {0.3, -1, 2}, g = new double[3];
        for (int i = 0; i < 3; i++) {
            g[i] = b[i];
            for (int j = 0; j < 3; j++) g[i] += e[i * 3 + j] * x[j];
        }
        assertValues(g, new long[] {3}, Autodiff.grad(f, f64(x)));
    }

    @Test
    void rosenbrockHessianAtTheMinimum() {
        Function<Tensor, Tensor> f = x -> {
            Tensor x0 = x.select(0, 0), x1 = x.select(0, 1);
            return x0.neg().add(1.0).square().add(x1.sub(x0.square()).square().mul(100.0));
        };
        Tensor h = Autodiff.hessian(f, f64(new double[] {1, 1}));
        assertValues(new double[] {802, -400, -400, 200}, new long[] {2, 2}, h);
        assertValues(new double[] {0, 0}, new long[] {2}, Autodiff.grad(f, f64(new double[] {1, 1})));
        // away from the minimum: [[1200x0² - 400x1 + 2, -400x0], [-400x0, 200]]
        Tensor h2 = Autodiff.hessian(f, f64(new double[] {-0.5, 2}));
        assertValues(new double[] {1200 * 0.25 - 800 + 2, 200, 200, 200}, new long[] {2, 2}, h2);
    }

    @Test
    void hessianOfSumOfSinesIsDiagonal() {
        double[] x = {0.3, -1.1, 2.5, 0.7};
        Tensor h = Autodiff.hessian(u -> u.sin().sum(), f64(x, 2, 2));
        assertArrayEquals(new long[] {2, 2, 2, 2}, h.shape());
        double[] e = new double[16];
        for (int i = 0; i < 4; i++) e[i * 4 + i] = -Math.sin(x[i]);
        assertValues(e, h, TOL);
    }

    @Test
    void hessianOverAListMatchesFiniteDifferences() {
        // a 2-layer model's loss over its weights: Σ (tanh(X W1) W2 - Y)²
        Tensor X = f64(new double[] {1, -0.5, 0.3, 2, 0.7, -1}, 3, 2);
        Tensor Y = f64(new double[] {0.5, -1, 0.2}, 3, 1);
        Function<List<Tensor>, Tensor> loss = ps -> X.matmul(ps.get(0)).tanh().matmul(ps.get(1)).sub(Y).square().sum();
        double[] w1 = {0.3, -0.2, 0.5, 0.4, 0.1, -0.6}, w2 = {0.7, -0.3, 0.2};
        long[] s1 = {2, 3}, s2 = {3, 1};
        List<List<Tensor>> h = Autodiff.hessian(loss, List.of(f64(w1, s1), f64(w2, s2)));
        assertEquals(2, h.size());
        double[][] ws = {w1, w2};
        long[][] shapes = {s1, s2};
        double eps = 1e-5;
        for (int j = 0; j < 2; j++) {
            for (int e = 0; e < ws[j].length; e++) {
                // column (j, e) of the Hessian: central differences of the gradient list
                List<Tensor> plus = new ArrayList<>(), minus = new ArrayList<>();
                for (int k = 0; k < 2; k++) {
                    double[] p = ws[k].clone(), m = ws[k].clone();
                    if (k == j) {
                        p[e] += eps;
                        m[e] -= eps;
                    }
                    plus.add(f64(p, shapes[k]));
                    minus.add(f64(m, shapes[k]));
                }
                List<Tensor> gp = Autodiff.grad(loss, plus), gm = Autodiff.grad(loss, minus);
                for (int i = 0; i < 2; i++) {
                    Tensor block = h.get(i).get(j);
                    long[] expectShape = new long[shapes[i].length + shapes[j].length];
                    System.arraycopy(shapes[i], 0, expectShape, 0, shapes[i].length);
                    System.arraycopy(shapes[j], 0, expectShape, shapes[i].length, shapes[j].length);
                    assertArrayEquals(expectShape, block.shape(), "block " + i + "," + j);
                    double[] hb = block.toDoubleArray(), p = gp.get(i).toDoubleArray(), m = gm.get(i).toDoubleArray();
                    int n = ws[j].length;
                    for (int r = 0; r < p.length; r++) {
                        double fd = (p[r] - m[r]) / (2 * eps);
                        int at = r, col = e, bi = i, bj = j;
                        assertEquals(fd, hb[r * n + e], 1e-6, () -> "H[" + bi + "][" + bj + "] at (" + at + ", " + col + ")");
                    }
                }
            }
        }
        // symmetric: H[0][1] is H[1][0] transposed
        double[] h01 = h.get(0).get(1).toDoubleArray(), h10 = h.get(1).get(0).toDoubleArray();
        for (int r = 0; r < 6; r++) for (int c = 0; c < 3; c++) assertEquals(h01[r * 3 + c], h10[c * 6 + r], 1e-12);
    }

    // ---- Jacobians ----------------------------------------------------------------------------

    /** R³ → R²: (x0·x1 + sin x2, x0²·x2). */
    static Tensor nonSquare(Tensor x) {
        Tensor x0 = x.select(0, 0), x1 = x.select(0, 1), x2 = x.select(0, 2);
        return Tensor.stack(List.of(x0.mul(x1).add(x2.sin()), x0.square().mul(x2)), 0);
    }

    @Test
    void jacrevEqualsJacfwdOnANonSquareMap() {
        double[] x = {0.5, -2, 1.2};
        Tensor jr = Autodiff.jacrev(FunctionalTest::nonSquare, f64(x));
        Tensor jf = Autodiff.jacfwd(FunctionalTest::nonSquare, f64(x));
        double[] e = {x[1], x[0], Math.cos(x[2]), 2 * x[0] * x[2], 0, x[0] * x[0]};
        assertValues(e, new long[] {2, 3}, jr);
        assertValues(e, new long[] {2, 3}, jf);
        assertValues(numericJacobian(FunctionalTest::nonSquare, f64(x), 1e-6), jr, 1e-8);
    }

    @Test
    void jacobiansAreShapedOutputThenInput() {
        double[] x = {0.1, 0.2, 0.3, 0.4};
        Function<Tensor, Tensor> f = u -> u.sum(0).exp().unsqueeze(0).expand(3, 2).mul(f64(new double[] {1, 2, 3}, 3, 1));
        Tensor jr = Autodiff.jacrev(f, f64(x, 2, 2));
        Tensor jf = Autodiff.jacfwd(f, f64(x, 2, 2));
        assertArrayEquals(new long[] {3, 2, 2, 2}, jr.shape());
        assertArrayEquals(new long[] {3, 2, 2, 2}, jf.shape());
        double[] num = numericJacobian(f, f64(x, 2, 2), 1e-6);
        assertValues(num, jr, 1e-7);
        assertValues(num, jf, 1e-7);
    }

    @Test
    void jacobiansOverAList() {
        double[] a = {1, 2, 3}, b = {0.5, -1};
        Function<List<Tensor>, Tensor> f = xs -> xs.get(0).outer(xs.get(1)).sin().sum(1);     // [3]
        List<Tensor> jr = Autodiff.jacrev(f, List.of(f64(a), f64(b)));
        List<Tensor> jf = Autodiff.jacfwd(f, List.of(f64(a), f64(b)));
        double[] ja = new double[9], jb = new double[6];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double c = Math.cos(a[i] * b[j]);
                ja[i * 3 + i] += c * b[j];
                jb[i * 2 + j] = c * a[i];
            }
        }
        assertValues(ja, new long[] {3, 3}, jr.get(0));
        assertValues(jb, new long[] {3, 2}, jr.get(1));
        assertValues(ja, new long[] {3, 3}, jf.get(0));
        assertValues(jb, new long[] {3, 2}, jf.get(1));
    }

    // ---- nesting: no perturbation confusion ---------------------------------------------------
    // d/dx [x · (d/dy (x + y))] = d/dx [x · 1] = 1; confusing the inner derivative with the outer gives 2.

    @Test
    void nestedReverseModeFunctional() {
        Tensor one = scalar(1);
        Tensor atOne = Autodiff.grad(x -> x.mul(Autodiff.grad(y -> x.add(y), scalar(1))), one);
        assertEquals(1.0, atOne.item(), TOL);
        // the inner derivative taken at y = x itself
        Tensor atX = Autodiff.grad(x -> x.mul(Autodiff.grad(y -> x.add(y), x)), one);
        assertEquals(1.0, atX.item(), TOL);
    }

    @Test
    void nestedReverseModeTapeStyle() {
        Tensor x = scalar(1).requiresGrad(true);
        Tensor y = scalar(1).requiresGrad(true);
        Tensor inner = Autodiff.grad(x.add(y), List.of(y), null, true).get(0);
        Tensor outer = Autodiff.grad(x.mul(inner), List.of(x), null, false).get(0);
        assertEquals(1.0, outer.item(), TOL);
    }

    @Test
    void nestedForwardMode() {
        Tensor one = scalar(1);
        Tensor d = Autodiff.jvp(x -> x.mul(Autodiff.jvp(y -> x.add(y), scalar(1), scalar(1)).tangent()), one, scalar(1)).tangent();
        assertEquals(1.0, d.item(), TOL);
        Tensor atX = Autodiff.jvp(x -> x.mul(Autodiff.jvp(y -> x.add(y), x, scalar(1)).tangent()), one, scalar(1)).tangent();
        assertEquals(1.0, atX.item(), TOL);
    }

    @Test
    void nestedMixedModes() {
        Tensor one = scalar(1);
        // forward outside, reverse inside
        Tensor fr = Autodiff.jvp(x -> x.mul(Autodiff.grad(y -> x.add(y), x)), one, scalar(1)).tangent();
        assertEquals(1.0, fr.item(), TOL);
        // reverse outside, forward inside
        Tensor rf = Autodiff.grad(x -> x.mul(Autodiff.jvp(y -> x.add(y), x, scalar(1)).tangent()), one);
        assertEquals(1.0, rf.item(), TOL);
    }

    @Test
    void nestedDerivativesWhereTheInnerOneDependsOnTheOuterVariable() {
        // d/dx [x · d/dy (x·y)] = d/dx x² = 2x, at x = 1.5 → 3 (confusion would add the inner perturbation again)
        Tensor x0 = scalar(1.5);
        Tensor r = Autodiff.grad(x -> x.mul(Autodiff.grad(y -> x.mul(y), scalar(0.7))), x0);
        assertEquals(3.0, r.item(), TOL);
        Tensor f = Autodiff.jvp(x -> x.mul(Autodiff.jvp(y -> x.mul(y), scalar(0.7), scalar(1)).tangent()), x0, scalar(1)).tangent();
        assertEquals(3.0, f.item(), TOL);
        // third derivative of x⁴ by nested grads: 24x
        Tensor third = Autodiff.grad(a -> Autodiff.grad(b -> Autodiff.grad(c -> c.pow(4.0), b), a), x0);
        assertEquals(24 * 1.5, third.item(), 1e-9);
    }

    @Test
    void transformsDoNotTouchTheInputsTape() {
        Tensor x = f64(new double[] {1, 2}).requiresGrad(true);
        Tensor g = Autodiff.grad(u -> u.square().sum(), x);
        assertValues(new double[] {2, 4}, new long[] {2}, g);
        assertNull(x.grad(), "a functional grad must not accumulate into a leaf's grad");
    }
}
