package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.DType;
import dev.nabla.spi.BinaryOp;
import dev.nabla.spi.Layout;
import dev.nabla.spi.ReduceOp;
import dev.nabla.spi.UnaryOp;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Checks the elementwise, copy and reduction kernels against float64 (or exact integer) scalar
 * loops written here, over contiguous, offset, permuted, stepped-slice and broadcast layouts and
 * odd lengths (1, 7, 1000003: never a multiple of the vector width), plus special values with the
 * sign of zero checked. Every view reads its logical elements through an index walk of its own
 * (div/mod per element), independent of the kernels' cursors.
 */
class KernelsTest {

    private static final double F32_RTOL = 1.3e-6, F32_ATOL = 1e-5;
    private static final double F64_RTOL = 1e-12, F64_ATOL = 1e-14;
    private static final DType[] ALL = DType.values();

    // ---- views: a logical shape over a physical buffer ---------------------------------------

    /** A layout plus the size of the buffer it needs. */
    record View(String name, Layout layout, int physical) {
        static View of(String name, long[] shape, long[] strides, long offset) {
            long hi = offset;
            boolean empty = false;
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 0) empty = true;
                else hi += (shape[d] - 1) * strides[d];
            }
            return new View(name, new Layout(shape.clone(), strides, offset), empty ? (int) offset : (int) hi + 1);
        }
    }

    /** Offset of logical element {@code linear} (row-major) of layout l. */
    static int at(Layout l, long linear) {
        long off = l.offset();
        for (int d = l.rank() - 1; d >= 0; d--) {
            long s = l.shape()[d];
            off += (linear % s) * l.strides()[d];
            linear /= s;
        }
        return (int) off;
    }

    static List<View> views(boolean all, long... shape) {
        List<View> v = new ArrayList<>();
        int r = shape.length;
        long[] cs = Layout.contiguousStrides(shape);
        v.add(View.of("contiguous", shape, cs, 0));
        v.add(View.of("offset", shape, cs, 3));
        long[] phys = new long[r];
        for (int d = 0; d < r; d++) phys[d] = shape[d] * 2 + 1;
        long[] ps = Layout.contiguousStrides(phys);
        long[] stepped = new long[r];
        for (int d = 0; d < r; d++) stepped[d] = ps[d] * 2;
        v.add(View.of("stepped", shape, stepped, 1 + (r > 0 ? ps[r - 1] : 0)));
        if (!all) return v;
        if (r >= 2) {
            // physical buffer is the reversed shape, logical view permutes it back
            long[] rev = new long[r];
            for (int d = 0; d < r; d++) rev[d] = shape[r - 1 - d];
            long[] rs = Layout.contiguousStrides(rev);
            long[] st = new long[r];
            for (int d = 0; d < r; d++) st[d] = rs[r - 1 - d];
            v.add(View.of("permuted", shape, st, 2));
            long[] row = cs.clone();
            for (int d = 0; d < r - 1; d++) row[d] = 0;
            long[] rowPhys = Layout.contiguousStrides(new long[] {shape[r - 1]});
            row[r - 1] = rowPhys[0];
            v.add(View.of("row-broadcast", shape, row, 1));
            long[] col = new long[r];
            col[0] = 1;
            v.add(View.of("column-broadcast", shape, col, 0));
        }
        if (r >= 1 && shape[0] > 1) {
            long[] b0 = cs.clone();
            b0[0] = 0;
            v.add(View.of("broadcast-dim0", shape, b0, 0));
        }
        v.add(View.of("scalar-broadcast", shape, new long[r], 4));
        return v;
    }

    static final long[][] SHAPES = {{}, {1}, {7}, {3, 5, 7}, {4, 33}, {2, 3, 4, 5}, {5, 300}, {0, 5}};
    static final long[] BIG = {1000003};

    /** The long views: contiguous (pure vector loops) and stepped (the strided gather path). */
    static List<View> bigViews() {
        List<View> v = views(false, BIG);
        return List.of(v.get(0), v.get(2));
    }

    /**
     * Every small view; with {@code long}, also the long ones (1000003 elements). Long views go
     * through the same loops as short ones, so tests run them for a few representative ops only.
     */
    static List<View> allViews(boolean withLong) {
        List<View> v = new ArrayList<>();
        for (long[] s : SHAPES) v.addAll(views(true, s));
        if (withLong) v.addAll(bigViews());
        return v;
    }

    // ---- buffers --------------------------------------------------------------------------------

    static double get(CpuBuffer b, int i) {
        return switch (b.dtype) {
            case F32 -> b.f32()[i];
            case F64 -> b.f64()[i];
            case I32 -> b.i32()[i];
            case I64 -> b.i64()[i];
            case BOOL -> b.bool()[i] ? 1 : 0;
        };
    }

    static long getL(CpuBuffer b, int i) {
        return switch (b.dtype) {
            case I32 -> b.i32()[i];
            case I64 -> b.i64()[i];
            case BOOL -> b.bool()[i] ? 1 : 0;
            default -> (long) get(b, i);
        };
    }

    interface Gen { double next(SplittableRandom r); }

    static CpuBuffer random(DType t, int n, SplittableRandom rnd, Gen g) {
        CpuBuffer b = new CpuBuffer(t, n);
        for (int i = 0; i < n; i++) {
            double v = g.next(rnd);
            switch (t) {
                case F32 -> b.f32()[i] = (float) v;
                case F64 -> b.f64()[i] = v;
                case I32 -> b.i32()[i] = (int) v;
                case I64 -> b.i64()[i] = (long) v;
                case BOOL -> b.bool()[i] = v != 0;
            }
        }
        return b;
    }

    static Gen uniform(double lo, double hi) {
        return r -> lo + (hi - lo) * r.nextDouble();
    }

    static final Gen SMALL_INTS = r -> r.nextInt(7) - 3;

    // ---- comparison -------------------------------------------------------------------------------

    /** NaN matches NaN, infinities match exactly, zeros match with their sign, else tolerance. */
    static boolean near(double got, double ref, double rtol, double atol) {
        if (Double.isNaN(ref) || Double.isNaN(got)) return Double.isNaN(ref) == Double.isNaN(got);
        if (Double.isInfinite(ref) || Double.isInfinite(got)) return got == ref;
        if (got == 0 && ref == 0) return Double.doubleToRawLongBits(got) == Double.doubleToRawLongBits(ref);
        return Math.abs(got - ref) <= atol + rtol * Math.abs(ref);
    }

    static void close(Supplier<String> what, double got, double ref, double rtol, double atol) {
        if (!near(got, ref, rtol, atol)) fail(what.get() + ": got " + got + ", want " + ref);
    }

    /** Within the dtype's tolerance of the float64 reference (rounded to float for F32). */
    static void closeAs(DType t, Supplier<String> what, double got, double ref) {
        if (t == DType.F32) close(what, got, (float) ref, F32_RTOL, F32_ATOL);
        else close(what, got, ref, F64_RTOL, F64_ATOL);
    }

    // ---- float64 references ---------------------------------------------------------------------

    /** erf by the positive series 2/√π·e^{-x²}·Σ 2^n x^{2n+1}/(2n+1)!!, ~1e-14 relative in double. */
    static double erfRef(double x) {
        if (Double.isNaN(x)) return x;
        double y = Math.abs(x);
        if (y > 6) return Math.signum(x);
        double term = y, sum = y;
        for (int n = 1; n < 500 && term > 1e-17 * sum; n++) {
            term *= 2 * y * y / (2 * n + 1);
            sum += term;
        }
        double e = 2 / Math.sqrt(Math.PI) * Math.exp(-y * y) * sum;
        return x < 0 ? -e : (x == 0 ? x : e);
    }

    /** erfc(z) for z ≥ 2 by its continued fraction e^{-z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))). */
    static double erfcTailRef(double z) {
        double f = z;
        for (int n = 120; n >= 1; n--) f = z + (n / 2.0) / f;
        return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
    }

    static double unaryRef(UnaryOp op, double v) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SQUARE -> v * v;
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case SQRT -> Math.sqrt(v);
            case RSQRT -> 1 / Math.sqrt(v);
            case RECIPROCAL -> 1 / v;
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
            case TANH -> Math.tanh(v);
            case SIGMOID -> v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
            case RELU -> Double.isNaN(v) ? v : v > 0 ? v : 0.0;
            case GELU -> v == Double.NEGATIVE_INFINITY ? -0.0
                    : v < -2 * Math.sqrt(2) ? 0.5 * v * erfcTailRef(-v / Math.sqrt(2))
                    : 0.5 * v * (1 + erfRef(v / Math.sqrt(2)));
            case SOFTPLUS -> v > 40 ? v : Math.log1p(Math.exp(v));
            case SIGN -> Double.isNaN(v) || v == 0 ? v : v > 0 ? 1 : -1;
            case FLOOR -> Math.floor(v);
            case CEIL -> Math.ceil(v);
            case ROUND -> Math.rint(v);
            case LOG1P -> Math.log1p(v);
            case EXPM1 -> Math.expm1(v);
            case ERF -> erfRef(v);
        };
    }

    static Gen unaryDomain(UnaryOp op) {
        return switch (op) {
            case LOG, SQRT, RSQRT -> uniform(-0.5, 20);
            case LOG1P -> uniform(-0.99, 20);
            case RECIPROCAL -> r -> (r.nextBoolean() ? 1 : -1) * (0.01 + 10 * r.nextDouble());
            case FLOOR, CEIL, ROUND -> r -> Math.floor(r.nextDouble() * 40 - 20) / 2 + (r.nextInt(4) == 0 ? 0.3 : 0);
            default -> uniform(-8, 8);
        };
    }

    // ---- unary ------------------------------------------------------------------------------------

    @Test
    void unaryFloatOpsMatchReferenceOnEveryLayout() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            for (UnaryOp op : UnaryOp.values()) {
                boolean withLong = switch (op) {
                    case NEG, EXP, SIGMOID, GELU, FLOOR -> true;
                    default -> false;
                };
                for (View v : allViews(withLong)) {
                    CpuBuffer x = random(t, v.physical, rnd, unaryDomain(op));
                    long n = v.layout.numel();
                    CpuBuffer out = new CpuBuffer(t, (int) n);
                    UnaryKernels.apply(op, x, v.layout, out);
                    for (int i = 0; i < n; i++) {
                        double in = get(x, at(v.layout, i));
                        closeAs(t, () -> op + " " + t + " " + v.name + " x=" + in, get(out, i), unaryRef(op, in));
                    }
                }
            }
        }
    }

    static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        0.0, -0.0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, -1.5, 100, -100, 88.9, -88.9, 1e-40, -1e-40,
        3e8, -3e8, 1e20, 0.1, -0.7, 0.46875, -0.47, 4.0, -4.1, 6.5, -27, 30, -30, 1e-300};

    @Test
    void unaryFloatOpsHandleSpecialValuesWithSignOfZero() {
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            // three copies: the specials land in full vectors and in the scalar tail
            int n = SPECIALS.length * 3;
            CpuBuffer x = new CpuBuffer(t, n);
            for (int i = 0; i < n; i++) {
                double s = SPECIALS[i % SPECIALS.length];
                if (t == DType.F32) x.f32()[i] = (float) s; else x.f64()[i] = s;
            }
            for (UnaryOp op : UnaryOp.values()) {
                CpuBuffer out = new CpuBuffer(t, n);
                UnaryKernels.apply(op, x, Layout.contiguous(n), out);
                for (int i = 0; i < n; i++) {
                    double in = get(x, i);
                    double ref = unaryRef(op, in);
                    if (op == UnaryOp.SIN || op == UnaryOp.COS) {
                        if (Math.abs(in) > 1e7) continue; // argument reduction of huge inputs: not our code
                    }
                    int at = i;
                    closeAs(t, () -> op + " " + t + " x=" + in + " at " + at, get(out, i), ref);
                }
            }
        }
    }

    @Test
    void sigmoidIsStableInBothTails() {
        CpuBuffer x = new CpuBuffer(DType.F64, 20);
        Arrays.fill(x.f64(), -100);
        x.f64()[19] = Double.NEGATIVE_INFINITY;
        x.f64()[18] = Double.POSITIVE_INFINITY;
        CpuBuffer out = new CpuBuffer(DType.F64, 20);
        UnaryKernels.apply(UnaryOp.SIGMOID, x, Layout.contiguous(20), out);
        assertEquals(3.720075976020836e-44, out.f64()[0], 1e-57);
        assertEquals(3.720075976020836e-44, out.f64()[17], 1e-57);
        assertEquals(1.0, out.f64()[18]);
        assertEquals(0.0, out.f64()[19]);
        CpuBuffer xf = new CpuBuffer(DType.F32, 20);
        Arrays.fill(xf.f32(), -100f);
        CpuBuffer of = new CpuBuffer(DType.F32, 20);
        UnaryKernels.apply(UnaryOp.SIGMOID, xf, Layout.contiguous(20), of);
        for (float f : of.f32()) assertTrue(f >= 0 && f < 1e-40f, "sigmoid(-100f) = " + f);
    }

    /** erf(x) to 60 digits: the positive series, summed in BigDecimal. */
    static double erfExact(double xd) {
        MathContext mc = new MathContext(60);
        BigDecimal x = new BigDecimal(Math.abs(xd));
        BigDecimal x2 = x.multiply(x, mc);
        BigDecimal term = x, sum = x;
        for (int n = 1; n < 2000; n++) {
            term = term.multiply(x2.multiply(BigDecimal.valueOf(2)), mc).divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term, mc);
            if (term.compareTo(sum.movePointLeft(40)) < 0) break;
        }
        BigDecimal expX2 = BigDecimal.ONE, t = BigDecimal.ONE;
        for (int n = 1; n < 4000; n++) {
            t = t.multiply(x2, mc).divide(BigDecimal.valueOf(n), mc);
            expX2 = expX2.add(t, mc);
            if (t.compareTo(expX2.movePointLeft(40)) < 0) break;
        }
        BigDecimal pi = new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494");
        BigDecimal e = sum.multiply(BigDecimal.valueOf(2), mc).divide(pi.sqrt(mc).multiply(expX2, mc), mc);
        return xd < 0 ? -e.doubleValue() : e.doubleValue();
    }

    @Test
    void erfIsAccurateToFloat64AndFloat32Bounds() {
        int n = 161;
        CpuBuffer x = new CpuBuffer(DType.F64, n), xf = new CpuBuffer(DType.F32, n);
        for (int i = 0; i < n; i++) {
            double v = -6 + 12.0 * i / (n - 1) + 1e-3 * (i % 7);
            x.f64()[i] = v;
            xf.f32()[i] = (float) v;
        }
        x.f64()[80] = 0.46875;
        x.f64()[81] = -0.4687500001;
        CpuBuffer out = new CpuBuffer(DType.F64, n), outf = new CpuBuffer(DType.F32, n);
        UnaryKernels.apply(UnaryOp.ERF, x, Layout.contiguous(n), out);
        UnaryKernels.apply(UnaryOp.ERF, xf, Layout.contiguous(n), outf);
        for (int i = 0; i < n; i++) {
            double ref = erfExact(x.f64()[i]);
            double rel = Math.abs(out.f64()[i] - ref) / Math.abs(ref);
            assertTrue(rel < 1e-13, "F64 erf(" + x.f64()[i] + ") rel error " + rel);
            double reff = erfExact(xf.f32()[i]);
            assertTrue(Math.abs(outf.f32()[i] - reff) < 1e-7, "F32 erf(" + xf.f32()[i] + ") = " + outf.f32()[i]);
        }
    }

    static long intUnaryRef(UnaryOp op, long v, boolean i32) {
        long r = switch (op) {
            case NEG -> -v;
            case ABS -> i32 ? Math.abs((int) v) : Math.abs(v);
            case SQUARE -> v * v;
            case SIGN -> Long.signum(v);
            case RELU -> Math.max(v, 0);
            default -> v;
        };
        return i32 ? (int) r : r;
    }

    @Test
    void unaryIntegerOpsAreExact() {
        SplittableRandom rnd = new SplittableRandom(2);
        Gen g = r -> r.nextInt(5) == 0 ? (r.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE) : r.nextInt(200001) - 100000;
        for (DType t : new DType[] {DType.I32, DType.I64}) {
            for (UnaryOp op : UnaryOp.values()) {
                if (!op.acceptsIntegers()) continue;
                for (View v : allViews(op == UnaryOp.ABS)) {
                    CpuBuffer x = random(t, v.physical, rnd, g);
                    int n = (int) v.layout.numel();
                    CpuBuffer out = new CpuBuffer(t, n);
                    UnaryKernels.apply(op, x, v.layout, out);
                    for (int i = 0; i < n; i++) {
                        long in = getL(x, at(v.layout, i));
                        long ref = intUnaryRef(op, in, t == DType.I32);
                        if (getL(out, i) != ref) fail(op + " " + t + " " + v.name + " x=" + in + ": " + getL(out, i));
                    }
                }
            }
        }
    }

    // ---- binary -----------------------------------------------------------------------------------

    static double binaryRef(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a == b ? (Double.doubleToRawLongBits(a) == 0 ? a : b) : a > b ? a : b;
            case MIN -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a == b ? (Double.doubleToRawLongBits(a) != 0 ? a : b) : a < b ? a : b;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
        };
    }

    /** Pairs of views of one shape: each kind against contiguous, and strided against strided. */
    static List<View[]> pairs(boolean withLong) {
        List<View[]> p = new ArrayList<>();
        for (long[] s : SHAPES) {
            List<View> vs = views(true, s);
            for (View v : vs) {
                p.add(new View[] {v, vs.get(0)});
                if (v != vs.get(0)) p.add(new View[] {vs.get(0), v});
            }
            p.add(new View[] {vs.get(2), vs.get(vs.size() - 1)});
            if (vs.size() > 4) p.add(new View[] {vs.get(3), vs.get(4)});
        }
        if (!withLong) return p;
        // long: both contiguous; stepped against a broadcast scalar
        List<View> big = views(true, BIG);
        p.add(new View[] {big.get(0), big.get(0)});
        p.add(new View[] {big.get(2), big.get(big.size() - 1)});
        return p;
    }

    @Test
    void binaryFloatOpsMatchReferenceOnEveryLayoutPair() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            for (BinaryOp op : BinaryOp.values()) {
                Gen ga = op == BinaryOp.POW ? uniform(0.05, 4) : op.isComparison() || op == BinaryOp.MAX
                        || op == BinaryOp.MIN ? r -> r.nextInt(9) - 4 + (r.nextInt(3) == 0 ? 0.5 : 0) : uniform(-10, 10);
                Gen gb = op == BinaryOp.POW ? uniform(-3, 3) : op == BinaryOp.DIV
                        ? r -> (r.nextBoolean() ? 1 : -1) * (0.05 + 5 * r.nextDouble()) : ga;
                boolean withLong = op == BinaryOp.ADD || op == BinaryOp.POW || op == BinaryOp.MAX || op == BinaryOp.LE;
                for (View[] pv : pairs(withLong)) {
                    CpuBuffer a = random(t, pv[0].physical, rnd, ga), b = random(t, pv[1].physical, rnd, gb);
                    int n = (int) pv[0].layout.numel();
                    CpuBuffer out = new CpuBuffer(op.isComparison() ? DType.BOOL : t, n);
                    BinaryKernels.apply(op, a, pv[0].layout, b, pv[1].layout, out);
                    for (int i = 0; i < n; i++) {
                        double x = get(a, at(pv[0].layout, i)), y = get(b, at(pv[1].layout, i));
                        Supplier<String> what = () -> op + " " + t + " " + pv[0].name + "/" + pv[1].name + " " + x + ", " + y;
                        if (op.isComparison()) assertEquals(binaryRef(op, x, y), get(out, i), what);
                        else closeAs(t, what, get(out, i), binaryRef(op, x, y));
                    }
                }
            }
        }
    }

    @Test
    void binaryFloatOpsHandleSpecialValues() {
        double[] s = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1, -1, 2, -2, 0.5, -3};
        int n = s.length * s.length;
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            CpuBuffer a = new CpuBuffer(t, n), b = new CpuBuffer(t, n);
            for (int i = 0; i < n; i++) {
                double x = s[i / s.length], y = s[i % s.length];
                if (t == DType.F32) { a.f32()[i] = (float) x; b.f32()[i] = (float) y; }
                else { a.f64()[i] = x; b.f64()[i] = y; }
            }
            for (BinaryOp op : BinaryOp.values()) {
                CpuBuffer out = new CpuBuffer(op.isComparison() ? DType.BOOL : t, n);
                BinaryKernels.apply(op, a, Layout.contiguous(n), b, Layout.contiguous(n), out);
                for (int i = 0; i < n; i++) {
                    double x = get(a, i), y = get(b, i);
                    Supplier<String> what = () -> op + " " + t + " " + x + ", " + y;
                    if (op.isComparison()) assertEquals(binaryRef(op, x, y), get(out, i), what);
                    else closeAs(t, what, get(out, i), binaryRef(op, x, y));
                }
            }
        }
    }

    static long ipowRef(long b, long e) {
        if (e < 0) return Math.abs(b) == 1 ? (b == 1 || e % 2 == 0 ? 1 : -1) : 0;
        long r = 1;
        for (long i = 0; i < e; i++) r *= b;
        return r;
    }

    @Test
    void binaryIntegerAndBoolOpsAreExact() {
        SplittableRandom rnd = new SplittableRandom(4);
        BinaryOp[] intOps = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.POW, BinaryOp.MAX, BinaryOp.MIN,
            BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE};
        for (DType t : new DType[] {DType.I32, DType.I64, DType.BOOL}) {
            for (BinaryOp op : intOps) {
                if (t == DType.BOOL && (op == BinaryOp.SUB || op == BinaryOp.POW)) continue;
                Gen ga = op == BinaryOp.POW ? r -> r.nextInt(9) - 4 : t == DType.BOOL ? r -> r.nextInt(2)
                        : r -> r.nextInt(4) == 0 ? r.nextInt(5) - 2 : r.nextInt();
                Gen gb = op == BinaryOp.POW ? r -> r.nextInt(15) - 3 : ga;
                for (View[] pv : pairs(op == BinaryOp.MUL || op == BinaryOp.GT)) {
                    CpuBuffer a = random(t, pv[0].physical, rnd, ga), b = random(t, pv[1].physical, rnd, gb);
                    int n = (int) pv[0].layout.numel();
                    CpuBuffer out = new CpuBuffer(op.isComparison() ? DType.BOOL : t, n);
                    BinaryKernels.apply(op, a, pv[0].layout, b, pv[1].layout, out);
                    for (int i = 0; i < n; i++) {
                        long x = getL(a, at(pv[0].layout, i)), y = getL(b, at(pv[1].layout, i));
                        long ref = switch (op) {
                            case ADD -> t == DType.BOOL ? x | y : x + y;
                            case SUB -> x - y;
                            case MUL -> x * y;
                            case POW -> ipowRef(x, y);
                            case MAX -> Math.max(x, y);
                            case MIN -> Math.min(x, y);
                            default -> (long) binaryRef(op, x, y);
                        };
                        if (t == DType.I32) ref = (int) ref;
                        if (getL(out, i) != ref) {
                            fail(op + " " + t + " " + pv[0].name + "/" + pv[1].name + " " + x + ", " + y + ": " + getL(out, i));
                        }
                    }
                }
            }
        }
    }

    // ---- copy, cast, where, fill ------------------------------------------------------------------

    @Test
    void copyWritesExactlyTheAddressedElementsOfAStridedOutput() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (DType t : ALL) {
            Gen g = t == DType.BOOL ? r -> r.nextInt(2) : uniform(-100, 100);
            for (long[] s : SHAPES) {
                List<View> vs = views(true, s);
                for (View src : vs) {
                    for (View dst : vs) {
                        if (dst.name.contains("broadcast")) continue; // an output never aliases itself
                        CpuBuffer x = random(t, src.physical, rnd, g);
                        CpuBuffer out = random(t, dst.physical + 2, rnd, g);
                        CpuBuffer before = new CpuBuffer(t, out.numel);
                        System.arraycopy(out.array, 0, before.array, 0, out.numel);
                        CopyKernels.copy(x, src.layout, out, dst.layout);
                        boolean[] written = new boolean[out.numel];
                        int n = (int) src.layout.numel();
                        for (int i = 0; i < n; i++) {
                            int o = at(dst.layout, i);
                            written[o] = true;
                            assertEquals(get(x, at(src.layout, i)), get(out, o), () -> t + " " + src.name + "->" + dst.name);
                        }
                        for (int i = 0; i < out.numel; i++) {
                            if (!written[i] && get(before, i) != get(out, i)) fail("untouched element " + i + " was written");
                        }
                    }
                }
            }
            // a long copy into every other element of a bigger buffer
            int n = 1000003;
            CpuBuffer x = random(t, n, rnd, g), out = new CpuBuffer(t, 2 * n + 1);
            CopyKernels.copy(x, Layout.contiguous(n), out, new Layout(new long[] {n}, new long[] {2}, 1));
            for (int i = 0; i < n; i++) {
                if (get(out, 1 + 2 * i) != get(x, i)) fail("long strided copy " + t + " at " + i);
            }
        }
    }

    static double castRef(DType to, double v) {
        return switch (to) {
            case F32 -> (float) v;
            case F64 -> v;
            case I32 -> (int) v;
            case I64 -> (long) v;
            case BOOL -> v != 0 ? 1 : 0;
        };
    }

    @Test
    void castCoversAllDTypePairsWithJavaCastSemantics() {
        SplittableRandom rnd = new SplittableRandom(6);
        double[] sp = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1e12, -1e12, 3e9,
            -2.5, 2.5, 0.7, -0.7, 1e-30, 16777217, Long.MAX_VALUE};
        for (DType from : ALL) {
            Gen g = from == DType.BOOL ? r -> r.nextInt(2)
                    : from.isFloating() ? r -> r.nextInt(3) == 0 ? sp[r.nextInt(sp.length)] : r.nextDouble() * 200 - 100
                    : r -> r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(201) - 100;
            for (DType to : ALL) {
                List<View> vs = new ArrayList<>();
                for (long[] sh : SHAPES) vs.addAll(views(true, sh));
                if (from == DType.F32 || to == DType.F32) vs.add(bigViews().get(0));
                for (View v : vs) {
                    CpuBuffer x = random(from, v.physical, rnd, g);
                    if (from == DType.I64) {
                        for (int i = 0; i < x.numel; i++) if (rnd.nextInt(4) == 0) x.i64()[i] = rnd.nextLong();
                    }
                    int n = (int) v.layout.numel();
                    CpuBuffer out = new CpuBuffer(to, n);
                    CopyKernels.cast(x, v.layout, out);
                    for (int i = 0; i < n; i++) {
                        int at = at(v.layout, i);
                        Supplier<String> what = () -> from + "->" + to + " " + v.name + " at " + at;
                        if (from == DType.I64 && to == DType.I32) {
                            assertEquals((int) x.i64()[at], out.i32()[i], what);
                        } else if (from == DType.I64 && to == DType.F32) {
                            assertEquals((float) x.i64()[at], out.f32()[i], what);
                        } else if (from == DType.I64 && to == DType.I64) {
                            assertEquals(x.i64()[at], out.i64()[i], what);
                        } else if (to == DType.I64 && from != DType.I64) {
                            assertEquals((long) castRef(DType.I64, get(x, at)), out.i64()[i], what);
                        } else {
                            double ref = castRef(to, get(x, at));
                            double got = get(out, i);
                            if (!(Double.isNaN(ref) && Double.isNaN(got))) assertEquals(ref, got, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void whereSelectsPerElementWithBroadcastOperands() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (DType t : ALL) {
            Gen g = t == DType.BOOL ? r -> r.nextInt(2) : uniform(-50, 50);
            for (View[] pv : pairs(t.isFloating())) {
                View cv = pv[rnd.nextInt(2)];
                CpuBuffer c = random(DType.BOOL, cv.physical, rnd, r -> r.nextInt(2));
                CpuBuffer a = random(t, pv[0].physical, rnd, g), b = random(t, pv[1].physical, rnd, g);
                int n = (int) pv[0].layout.numel();
                CpuBuffer out = new CpuBuffer(t, n);
                CopyKernels.where(c, cv.layout, a, pv[0].layout, b, pv[1].layout, out);
                for (int i = 0; i < n; i++) {
                    double ref = c.bool()[at(cv.layout, i)] ? get(a, at(pv[0].layout, i)) : get(b, at(pv[1].layout, i));
                    assertEquals(ref, get(out, i), () -> "where " + t + " " + pv[0].name + "/" + pv[1].name + "/" + cv.name);
                }
            }
        }
    }

    @Test
    void fillConvertsTheValueToEachDType() {
        for (DType t : ALL) {
            for (int n : new int[] {0, 1, 7, 1000003}) {
                CpuBuffer b = new CpuBuffer(t, n);
                CopyKernels.fill(b, -2.75);
                for (int i = 0; i < n; i++) if (get(b, i) != castRef(t, -2.75)) fail(t + " fill at " + i);
            }
        }
        CpuBuffer f = new CpuBuffer(DType.F64, 3);
        CopyKernels.fill(f, -0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(f.f64()[2]));
    }

    // ---- reductions -------------------------------------------------------------------------------

    static DType reduceOut(ReduceOp op, DType t) {
        return switch (op) {
            case SUM, PROD -> t.isFloating() ? t : DType.I64;
            case MAX, MIN -> t;
            case ARGMAX, ARGMIN -> DType.I64;
        };
    }

    /** Checks reduce(op) of view v over its last k dims against a float64 / exact loop. */
    static void checkReduce(ReduceOp op, CpuBuffer x, View v, int k) {
        Layout l = v.layout;
        int r = l.rank();
        long m = 1, kk = 1;
        for (int d = 0; d < r - k; d++) m *= l.shape()[d];
        for (int d = r - k; d < r; d++) kk *= l.shape()[d];
        DType t = x.dtype;
        CpuBuffer out = new CpuBuffer(reduceOut(op, t), (int) m);
        ReduceKernels.reduce(op, x, l, k, out);
        for (int i = 0; i < m; i++) {
            double sum = 0, mag = 0, prod = 1, best = Double.NaN;
            long lsum = 0, lprod = 1, arg = -1;
            boolean max = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
            for (int j = 0; j < kk; j++) {
                int at = at(l, i * kk + j);
                double v1 = get(x, at);
                sum += v1;
                mag += Math.abs(v1);
                prod *= v1;
                lsum += getL(x, at);
                lprod *= getL(x, at);
                if (arg < 0 || (!Double.isNaN(best) && (Double.isNaN(v1) || (max ? v1 > best : v1 < best)))) {
                    best = v1;
                    arg = j;
                }
            }
            int oi = i;
            Supplier<String> what = () -> op + " " + t + " " + v.name + " k=" + k + " out " + oi;
            double got = get(out, i);
            switch (op) {
                case SUM, PROD -> {
                    if (!t.isFloating()) {
                        assertEquals(op == ReduceOp.SUM ? lsum : lprod, out.i64()[i], what);
                    } else if (op == ReduceOp.SUM) {
                        double tol = (t == DType.F32 ? 1e-6 : 1e-13) * Math.sqrt(Math.max(kk, 1)) * mag + 1e-30;
                        double want = sum;
                        if (Double.isNaN(want)) assertTrue(Double.isNaN(got), what);
                        else assertTrue(Math.abs(got - want) <= tol, () -> what.get() + ": got " + got + ", want " + want);
                    } else {
                        double tol = (t == DType.F32 ? 1e-6 : 1e-13) * Math.sqrt(Math.max(kk, 1)) * Math.abs(prod);
                        close(what, got, t == DType.F32 ? (float) prod : prod, 0, tol);
                    }
                }
                case MAX, MIN -> {
                    if (Double.isNaN(best)) assertTrue(Double.isNaN(got), what);
                    else assertEquals(best, got, what);
                }
                case ARGMAX, ARGMIN -> assertEquals(arg, out.i64()[i], what);
            }
        }
    }

    @Test
    void reductionsMatchReferenceOverEveryLayoutAndDimCount() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (DType t : ALL) {
            for (ReduceOp op : ReduceOp.values()) {
                Gen g = t == DType.BOOL ? r -> r.nextInt(2)
                        : op == ReduceOp.PROD ? (t.isFloating() ? uniform(0.8, 1.25) : r -> r.nextInt(5) - 2)
                        : t.isFloating() ? r -> r.nextInt(40) == 0 ? Double.NaN : r.nextInt(11) - 5 + r.nextDouble() * (r.nextInt(2))
                        : r -> r.nextInt(21) - 10;
                for (long[] s : SHAPES) {
                    for (View v : views(true, s)) {
                        for (int k = 0; k <= s.length; k++) {
                            long kk = 1;
                            for (int d = s.length - k; d < s.length; d++) kk *= s[d];
                            if (kk == 0 && op != ReduceOp.SUM && op != ReduceOp.PROD) continue;
                            checkReduce(op, random(t, v.physical, rnd, g), v, k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void longAndColumnReductionsUseEveryPathAccurately() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (DType t : ALL) {
            for (ReduceOp op : ReduceOp.values()) {
                Gen g = t == DType.BOOL ? r -> r.nextInt(2)
                        : op == ReduceOp.PROD ? (t.isFloating() ? uniform(0.999, 1.001) : r -> r.nextInt(40) == 0 ? 2 : 1)
                        : t.isFloating() ? uniform(-1, 1) : r -> r.nextInt(2001) - 1000;
                // one long extent (split across threads), contiguous and stepped
                for (View v : bigViews()) checkReduce(op, random(t, v.physical, rnd, g), v, 1);
                // sum over dim 0 of a row-major [N, M]: the reduced dim is outer (column walk)
                for (long[] nm : new long[][] {{1001, 67}, {37, 5000}, {3, 16}, {2000, 7}}) {
                    long n = nm[0], m = nm[1];
                    View col = View.of("columns", new long[] {m, n}, new long[] {1, m}, 0);
                    checkReduce(op, random(t, col.physical, rnd, g), col, 1);
                    View col3 = View.of("columns-3d", new long[] {m, 2, n}, new long[] {1, m * n, m}, 0);
                    checkReduce(op, random(t, col3.physical, rnd, g), col3, 2);
                }
                // many outputs, each a long row
                View rows = View.of("rows", new long[] {64, 4099}, new long[] {4099, 1}, 0);
                checkReduce(op, random(t, rows.physical, rnd, g), rows, 1);
            }
        }
    }

    @Test
    void f32SumOf16MElementsStaysAccurate() {
        int n = 1 << 24;
        CpuBuffer x = new CpuBuffer(DType.F32, n);
        SplittableRandom rnd = new SplittableRandom(10);
        double sum = 0, mag = 0;
        for (int i = 0; i < n; i++) {
            float v = (float) (rnd.nextDouble() + 0.1);
            x.f32()[i] = v;
            sum += v;
            mag += v;
        }
        CpuBuffer out = new CpuBuffer(DType.F32, 1);
        ReduceKernels.reduce(ReduceOp.SUM, x, Layout.contiguous(n), 1, out);
        double err = Math.abs(out.f32()[0] - sum) / mag;
        // the float result itself rounds at 6e-8 relative; the accumulation must add little to that
        assertTrue(err < 2e-7, "relative error " + err);
    }

    @Test
    void argReductionsPickTheFirstExtremeAndFirstNaN() {
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            int n = 1003;
            CpuBuffer x = new CpuBuffer(t, n);
            CpuBuffer out = new CpuBuffer(DType.I64, 1);
            for (int i = 0; i < n; i++) {
                if (t == DType.F32) x.f32()[i] = i % 10; else x.f64()[i] = i % 10;
            }
            ReduceKernels.reduce(ReduceOp.ARGMAX, x, Layout.contiguous(n), 1, out);
            assertEquals(9, out.i64()[0]);
            ReduceKernels.reduce(ReduceOp.ARGMIN, x, Layout.contiguous(n), 1, out);
            assertEquals(0, out.i64()[0]);
            for (int at : new int[] {700, 500}) {
                if (t == DType.F32) x.f32()[at] = Float.NaN; else x.f64()[at] = Double.NaN;
            }
            for (ReduceOp op : ReduceOp.values()) {
                CpuBuffer o = new CpuBuffer(reduceOut(op, t), 1);
                ReduceKernels.reduce(op, x, Layout.contiguous(n), 1, o);
                if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) assertEquals(500, o.i64()[0], op.name());
                else assertTrue(Double.isNaN(get(o, 0)), op + " propagates NaN");
            }
            // -0.0 and 0.0 tie for arg-reductions; max keeps Math.max's ordering
            CpuBuffer z = new CpuBuffer(t, 40);
            for (int i = 0; i < 40; i++) {
                if (t == DType.F32) z.f32()[i] = i == 3 ? -0.0f : -1; else z.f64()[i] = i == 3 ? -0.0 : -1;
            }
            if (t == DType.F32) z.f32()[30] = 0.0f; else z.f64()[30] = 0.0;
            ReduceKernels.reduce(ReduceOp.ARGMAX, z, Layout.contiguous(40), 1, out);
            assertEquals(3, out.i64()[0]);
            CpuBuffer mx = new CpuBuffer(t, 1);
            ReduceKernels.reduce(ReduceOp.MAX, z, Layout.contiguous(40), 1, mx);
            assertEquals(0L, Double.doubleToRawLongBits(get(mx, 0)), "max(-0.0, 0.0) is +0.0");
        }
    }
}
