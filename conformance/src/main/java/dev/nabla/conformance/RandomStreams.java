package dev.nabla.conformance;

import dev.nabla.DType;
import dev.nabla.Generator;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.spi.Philox;

import java.util.ArrayList;
import java.util.List;

/**
 * Random streams: {@code rand} and {@code randn} on the device must equal, bit for bit, the Philox
 * reference in engine-core (which the CPU backend runs), for several seeds (one with its high bit
 * set), consecutive draws (stream offsets 0 and 1) and sizes that end inside a Philox block and
 * one over a million elements.
 */
final class RandomStreams {
    private static final long[] SEEDS = {42, 0x9E3779B97F4A7C15L};
    private static final int[] SIZES = {1, 3, 6, 4099, 1_048_583};

    private RandomStreams() {}

    static List<ConformanceRunner.Check> checks(ConformanceRunner runner) {
        List<ConformanceRunner.Check> out = new ArrayList<>();
        for (boolean normal : new boolean[] {false, true}) {
            String op = normal ? "randn" : "rand";
            for (DType t : new DType[] {DType.F32, DType.F64}) {
                out.add(new ConformanceRunner.Check(op, t.name(), "bit-identical stream", () -> stream(runner, op, normal, t)));
            }
        }
        return out;
    }

    private static Result stream(ConformanceRunner runner, String op, boolean normal, DType t) {
        String check = "bit-identical stream";
        Result skip = runner.skipIfUnsupported(op, t.name(), check, t);
        if (skip != null) return skip;
        try (Scope scope = Scope.open()) {
            for (long seed : SEEDS) {
                for (int n : SIZES) {
                    Generator g = new Generator(seed);
                    for (long offset = 0; offset < 2; offset++) {
                        Tensor x = normal ? Tensor.randn(t, runner.device(), g, n) : Tensor.rand(t, runner.device(), g, n);
                        String why = compare(x, normal, t, seed, offset, n);
                        x.close();
                        if (why != null) {
                            return runner.fail(op, t.name(), check, "seed " + seed + ", offset " + offset + ", " + n + " elements: " + why);
                        }
                    }
                }
            }
            return runner.pass(op, t.name(), check);
        } catch (RuntimeException e) {
            return runner.fail(op, t.name(), check, "threw " + e);
        }
    }

    private static String compare(Tensor x, boolean normal, DType t, long seed, long offset, int n) {
        if (t == DType.F32) {
            float[] want = new float[n];
            if (normal) Philox.normalF32(seed, offset, want, 0, n);
            else Philox.uniformF32(seed, offset, want, 0, n);
            float[] got = x.toFloatArray();
            for (int i = 0; i < n; i++) {
                if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                    return "element " + i + " is " + got[i] + ", the reference " + want[i] + mismatches(got, want);
                }
            }
        } else {
            double[] want = new double[n];
            if (normal) Philox.normalF64(seed, offset, want, 0, n);
            else Philox.uniformF64(seed, offset, want, 0, n);
            double[] got = x.toDoubleArray();
            for (int i = 0; i < n; i++) {
                if (Double.doubleToRawLongBits(got[i]) != Double.doubleToRawLongBits(want[i])) {
                    int bad = 0;
                    for (int j = 0; j < n; j++) if (Double.doubleToRawLongBits(got[j]) != Double.doubleToRawLongBits(want[j])) bad++;
                    return "element " + i + " is " + got[i] + ", the reference " + want[i] + " (" + bad + " of " + n + " differ)";
                }
            }
        }
        return null;
    }

    private static String mismatches(float[] got, float[] want) {
        int bad = 0;
        for (int j = 0; j < got.length; j++) if (Float.floatToRawIntBits(got[j]) != Float.floatToRawIntBits(want[j])) bad++;
        return " (" + bad + " of " + got.length + " differ)";
    }
}
