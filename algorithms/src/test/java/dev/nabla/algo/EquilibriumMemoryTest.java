package dev.nabla.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Generator;
import dev.nabla.Tensor;
import dev.nabla.algo.EquilibriumNetwork.Activation;
import dev.nabla.algo.EquilibriumNetwork.Cost;
import dev.nabla.algo.EquilibriumPropagation.Estimate;
import dev.nabla.algo.EquilibriumPropagation.Options;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The relaxation loops keep memory flat: the CPU backend's live buffers, read after every step of
 * every phase (free, real and complex nudged, forward mode, recurrent backprop), do not grow with
 * the steps, and once the estimates are closed memory is back where it started.
 */
class EquilibriumMemoryTest {



    @Test
    void everyPhaseKeepsLiveBuffersFlatAndReturnsToBaseline() {
        EquilibriumNetwork net = EquilibriumNetwork.builder(6, 5, 4, 3).activation(Activation.STEEP_SIGMOID).cost(Cost.CROSS_ENTROPY)
                .seed(1).dtype(DType.F64).device(Device.cpu()).build();
        Tensor x = Tensor.rand(DType.F64, Device.cpu(), new Generator(2), 8, 6);
        Tensor y = Tensor.of(new long[] {0, 1, 2, 0, 1, 2, 0, 1}, 8);
        long baseline = LiveBuffers.settle();
        // tolerance 0: every phase runs its full length
        Options o = Options.defaults().withSteps(80, 80).withTolerance(0).withHomeostasis(1.0, 2, true);
        for (int n : new int[] {0, 1, 2, 5}) {
            EquilibriumPropagation ep = new EquilibriumPropagation(net, o.withNudges(n).withBeta(0.3));
            Map<String, List<Long>> seen = new LinkedHashMap<>();
            ep.observer = phase -> seen.computeIfAbsent(phase, k -> new ArrayList<>()).add(LiveBuffers.count());
            try (Estimate e = ep.estimate(x, y); Estimate r = ep.recurrentBackprop(x, y)) {
                assertEquals(net.parameters().size(), e.gradients().size());
                assertEquals(net.parameters().size(), r.gradients().size());
            }
            assertTrue(seen.get("free").size() == 160, "two free phases of 80 steps: " + seen.get("free").size());
            for (var entry : seen.entrySet()) assertFlat(entry.getValue(), "N = " + n + ", " + entry.getKey());
            if (n == 5) assertTrue(seen.containsKey("nudged (complex)"), "N = 5 runs complex phases");
        }
        assertEquals(baseline, LiveBuffers.settle(), "live buffers back at the baseline");
    }

    /** Within each run of a phase (the counts restart when a phase restarts), the second half never exceeds the first. */
    private static void assertFlat(List<Long> seen, String what) {
        for (int start = 0; start + 80 <= seen.size(); start += 80) {
            List<Long> run = seen.subList(start, start + 80);
            long first = run.subList(0, 40).stream().mapToLong(Long::longValue).max().orElseThrow();
            long second = run.subList(40, 80).stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(second <= first, what + ": live buffers grew from at most " + first + " to " + second);
        }
    }
}
