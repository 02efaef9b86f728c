package dev.nabla;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Independent tensors used from several threads at once give the same results as used alone. */
class ConcurrencyTest {

    private static double[] work(long seed) {
        try (Scope s = Scope.open()) {
            Tensor a = Tensor.randn(new Generator(seed), 300, 200);
            Tensor b = Tensor.randn(new Generator(seed + 1), 200, 150);
            Tensor c = a.matmul(b).tanh().add(a.sum(new int[] {1}, true));   // [300, 150] + [300, 1]
            Tensor big = Tensor.rand(new Generator(seed + 2), 1_000_003).exp();
            double[] out = new double[] {c.sum().item(), c.amax().item(), big.sum().item(), big.argmax(0).item(),
                    c.softmax(1).sum().item()};
            return out;
        }
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        int threads = 4;
        double[][] alone = new double[threads][];
        for (int i = 0; i < threads; i++) alone[i] = work(10L * i);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 2; round++) {
                List<Future<double[]>> fs = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    long seed = 10L * i;
                    fs.add(pool.submit(() -> work(seed)));
                }
                for (int i = 0; i < threads; i++) {
                    double[] got = fs.get(i).get();
                    // equal up to the summation order a thread split may choose
                    for (int k = 0; k < got.length; k++) {
                        assertEquals(alone[i][k], got[k], 1e-5 * Math.max(1, Math.abs(alone[i][k])), "thread " + i + " round " + round + " value " + k);
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(300.0, alone[0][4], 1e-3);
    }
}
