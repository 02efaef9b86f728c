package dev.nabla;

import dev.nabla.spi.Backends;
import dev.nabla.spi.MemoryStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every op, once its result is closed, leaves the backend's live buffer count and bytes where they
 * were: no internal temporary (casts, scalars, reduction partials, copies) outlives the call.
 */
class NoLeakTest {

    private static MemoryStats stats() {
        return Backends.get("cpu").memoryStats(0);
    }

    @Test
    void everyOpFreesItsTemporaries() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 4, 5);
        Tensor y = Tensor.randn(g, 5);
        Tensor i = Tensor.of(new int[] {1, 2, 3, 4, 5}, 5);
        Tensor idx = Tensor.of(new long[] {0, 2, 1, 0}, 4);
        Tensor gidx = Tensor.of(new long[] {0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 4, 3, 2, 1, 0}, 4, 5);
        Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
        ops.put("add", () -> x.add(y));
        ops.put("addScalar", () -> x.add(2.5));
        ops.put("intDiv", () -> i.div(i));
        ops.put("promote", () -> i.add(x));
        ops.put("cmp", () -> x.gt(0.0));
        ops.put("where", () -> Tensor.where(x.gt(y), x, i.to(DType.F64)));
        ops.put("clamp", () -> x.clamp(-0.5, 0.5));
        ops.put("exp", x::exp);
        ops.put("intExp", i::exp);
        ops.put("sum", () -> x.sum(new int[] {0}, true));
        ops.put("mean", () -> i.mean());
        ops.put("var", () -> x.var(1));
        ops.put("std", () -> x.std(new int[] {0, 1}, false, 0));
        ops.put("logsumexp", () -> x.logsumexp(1));
        ops.put("norm", () -> x.norm(3, new int[] {1}, true));
        ops.put("normInf", () -> x.norm(Double.POSITIVE_INFINITY, new int[] {0}, false));
        ops.put("softmax", () -> x.softmax(0));
        ops.put("logSoftmax", () -> x.logSoftmax(-1));
        ops.put("argmax", () -> x.argmax(1));
        ops.put("matmul", () -> x.matmul(x.mT()));
        ops.put("batched", () -> x.reshape(2, 2, 5).matmul(x.reshape(2, 5, 2).expand(3, 2, 5, 2)));
        ops.put("matvec", () -> x.matmul(y));
        ops.put("outer", () -> y.outer(y));
        ops.put("dot", () -> y.dot(y));
        ops.put("reshapeCopy", () -> x.mT().reshape(20));
        ops.put("cat", () -> Tensor.cat(List.of(x, i.reshape(1, 5)), 0));
        ops.put("stack", () -> Tensor.stack(List.of(x, x), 2));
        ops.put("pad", () -> x.pad(new long[] {1, -1}, new long[] {2, 0}, 7));
        ops.put("gather", () -> x.gather(1, gidx));
        ops.put("indexSelect", () -> x.indexSelect(0, idx));
        ops.put("scatterAdd", () -> x.scatterAdd(1, gidx, x));
        ops.put("eye", () -> Tensor.eye(4));
        ops.put("arange", () -> Tensor.arange(0, 10, 0.5));
        ops.put("toHost", () -> x.mT().toFloatArray());
        ops.put("item", () -> x.sum().item());
        ops.put("toString", x::toString);
        for (var e : ops.entrySet()) {
            System.gc();
            MemoryStats before = stats();
            List<Object> results = new ArrayList<>();
            try (Scope s = Scope.open()) {
                results.add(e.getValue().get());
            }
            MemoryStats after = stats();
            assertEquals(before.liveBuffers(), after.liveBuffers(), e.getKey() + " left live buffers");
            assertEquals(before.allocatedBytes(), after.allocatedBytes(), e.getKey() + " left bytes");
        }
        for (Tensor t : List.of(x, y, i, idx, gidx)) t.close();
    }

    @Test
    void failedOpFreesItsOutput() {
        Tensor x = Tensor.zeros(3, 3);
        Tensor bad = Tensor.of(new long[] {0, 5, 1}, 3);
        MemoryStats before = stats();
        try {
            x.indexSelect(0, bad).close();
        } catch (ShapeMismatchException expected) {
            assertTrue(expected.getMessage().contains("index 5"), expected.getMessage());
        }
        MemoryStats after = stats();
        assertEquals(before.liveBuffers(), after.liveBuffers());
        x.close();
        bad.close();
    }
}
