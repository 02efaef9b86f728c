package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.ShapeMismatchException;
import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** 10 examples: inputs [10, 2] with row i = (i, 10i), targets i. */
    static TensorDataset data() {
        float[] x = new float[20];
        long[] y = new long[10];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, 10, 2), Tensor.of(y));
    }

    static List<long[]> epoch(DataLoader loader) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : loader) {
            try (b) {
                long[] y = b.targets().toLongArray();
                float[] x = b.inputs().toFloatArray();
                for (int i = 0; i < y.length; i++) {
                    assertEquals(y[i], x[2 * i]);            // inputs and targets stay paired
                    assertEquals(10 * y[i], x[2 * i + 1]);
                }
                out.add(y);
            }
        }
        return out;
    }

    @Test
    void inOrderBatchesKeepOrDropTheLastPartialBatch() {
        List<long[]> kept = epoch(new DataLoader(data(), 4, false, false, 0));
        assertEquals(3, kept.size());
        assertArrayEquals(new long[] {0, 1, 2, 3}, kept.get(0));
        assertArrayEquals(new long[] {8, 9}, kept.get(2));
        List<long[]> dropped = epoch(new DataLoader(data(), 4, false, true, 0));
        assertEquals(2, dropped.size());
        assertEquals(2, new DataLoader(data(), 4, false, true, 0).batches());
    }

    @Test
    void shuffleIsASeededPermutationPerEpoch() {
        DataLoader a = new DataLoader(data(), 3, true, false, 42);
        long[] e0 = flatten(epoch(a)), e1 = flatten(epoch(a));
        long[] sorted = e0.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertFalse(Arrays.equals(e0, e1), "epochs shuffle differently");
        assertFalse(Arrays.equals(e0, sorted), "shuffled");
        // same seed, same orders; resuming at epoch 1 reproduces epoch 1
        DataLoader b = new DataLoader(data(), 3, true, false, 42);
        assertArrayEquals(e0, flatten(epoch(b)));
        DataLoader c = new DataLoader(data(), 5, true, false, 42);
        c.setEpoch(1);
        assertArrayEquals(e1, flatten(epoch(c)));
        assertFalse(Arrays.equals(e0, new DataLoader(data(), 3, true, false, 43).order(0)));
    }

    @Test
    void shuffleIsUniformEnoughOverManyEpochs() {
        // each element lands in each position about 1/10 of the time
        DataLoader d = new DataLoader(data(), 10, true, false, 7);
        int[][] counts = new int[10][10];
        int epochs = 5000;
        for (int e = 0; e < epochs; e++) {
            long[] o = d.order(e);
            for (int pos = 0; pos < 10; pos++) counts[(int) o[pos]][pos]++;
        }
        for (int[] row : counts) for (int c : row) assertEquals(epochs / 10.0, c, 5 * Math.sqrt(epochs * 0.09));
    }

    @Test
    void datasetsCheckTheirArguments() {
        assertThrows(ShapeMismatchException.class, () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertThrows(IndexOutOfBoundsException.class, () -> data().get(new long[] {10}));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(data(), 0, false, false, 0));
    }

    static long[] flatten(List<long[]> batches) {
        return batches.stream().flatMapToLong(Arrays::stream).toArray();
    }
}
