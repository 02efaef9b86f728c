package dev.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.spi.MemoryStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** close() and Scope give storage back deterministically; closed tensors refuse to be used. */
class MemoryTest {

    @Test
    void closeReleasesTheBufferAndItsBytes() {
        MemoryStats base = MemoryProbe.settle();
        Tensor a = Tensor.zeros(DType.F32, Device.cpu(), 1000);
        Tensor b = Tensor.zeros(DType.F64, Device.cpu(), 10, 100);
        MemoryStats mid = MemoryProbe.stats();
        assertEquals(base.liveBuffers() + 2, mid.liveBuffers());
        assertTrue(mid.allocatedBytes() - base.allocatedBytes() >= 4000 + 8000,
                "allocated grew by " + (mid.allocatedBytes() - base.allocatedBytes()));
        assertTrue(mid.peakBytes() >= mid.allocatedBytes());
        a.close();
        assertEquals(base.liveBuffers() + 1, MemoryProbe.liveBuffers());
        b.close();
        assertEquals(base.liveBuffers(), MemoryProbe.liveBuffers());
        assertEquals(base.allocatedBytes(), MemoryProbe.allocatedBytes());
    }

    @Test
    void opResultsAreFreedByClose() {
        MemoryStats base = MemoryProbe.settle();
        try (Tensor x = Tensor.ones(64, 64); Tensor y = x.matmul(x); Tensor z = y.add(x).exp(); Tensor s = z.sum(0)) {
            assertEquals(64.0 * 64, y.sum().item() / 64);
            assertTrue(s.numel() == 64);
        }
        // y.sum() above and the add(x) intermediate were not closed by the test: let the cleaner take them
        MemoryProbe.settle();
        assertEquals(base.liveBuffers(), MemoryProbe.liveBuffers());
        assertEquals(base.allocatedBytes(), MemoryProbe.allocatedBytes());
    }

    @Test
    void scopeClosesEverythingCreatedInside() {
        MemoryStats base = MemoryProbe.settle();
        List<Tensor> made = new ArrayList<>();
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.rand(new Generator(1), 100, 100);
            made.add(x);
            made.add(x.mul(2.0).relu());
            made.add(x.matmul(x).sum(1));
            made.add(x.mT());
            made.add(Tensor.cat(List.of(x, x), 0));
            assertTrue(MemoryProbe.liveBuffers() > base.liveBuffers());
        }
        assertEquals(base.liveBuffers(), MemoryProbe.liveBuffers());
        assertEquals(base.allocatedBytes(), MemoryProbe.allocatedBytes());
        for (Tensor t : made) {
            assertTrue(t.isClosed());
            assertThrows(ClosedTensorException.class, t::toFloatArray);
        }
    }

    @Test
    void keptTensorSurvivesTheScope() {
        MemoryStats base = MemoryProbe.settle();
        Tensor kept;
        Tensor dropped;
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(new float[] {1, 2, 3});
            dropped = x.add(1.0);
            kept = s.keep(x.mul(x));
        }
        assertFalse(kept.isClosed());
        assertTrue(dropped.isClosed());
        assertArrayEquals(new float[] {1, 4, 9}, kept.toFloatArray());
        assertEquals(base.liveBuffers() + 1, MemoryProbe.liveBuffers());
        kept.close();
        assertEquals(base.liveBuffers(), MemoryProbe.liveBuffers());
    }

    @Test
    void keptViewKeepsItsStorageAlive() {
        MemoryStats base = MemoryProbe.settle();
        Tensor view;
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
            view = s.keep(x.mT());
        }
        assertArrayEquals(new double[] {1, 3, 2, 4}, view.toDoubleArray());
        assertEquals(base.liveBuffers() + 1, MemoryProbe.liveBuffers());
        view.close();
        assertEquals(base.liveBuffers(), MemoryProbe.liveBuffers());
    }

    @Test
    void nestedScopesHandKeptTensorsOutward() {
        MemoryStats base = MemoryProbe.settle();
        Tensor innerKept, outerKept, innerOnly;
        try (Scope outer = Scope.open()) {
            try (Scope inner = Scope.open()) {
                innerKept = inner.keep(Tensor.ones(5));
                innerOnly = Tensor.ones(6);
                outerKept = outer.keep(inner.keep(Tensor.ones(7)));
            }
            assertTrue(innerOnly.isClosed());
            assertFalse(innerKept.isClosed(), "kept by the inner scope, now owned by the outer");
            assertEquals(5.0, innerKept.sum().item());
        }
        assertTrue(innerKept.isClosed(), "the outer scope closed what the inner one handed out");
        assertFalse(outerKept.isClosed());
        assertEquals(7.0, outerKept.sum().item());
        outerKept.close();
        MemoryProbe.settle();
        assertEquals(base.liveBuffers(), MemoryProbe.liveBuffers());
    }

    @Test
    void scopeLeavesTensorsCreatedBeforeItAlone() {
        Tensor before = Tensor.ones(3);
        try (Scope s = Scope.open()) {
            Tensor inside = before.add(before);
            assertEquals(6.0, inside.sum().item());
        }
        assertFalse(before.isClosed());
        assertEquals(3.0, before.sum().item());
        before.close();
    }

    @Test
    void viewsMadeInsideAScopeCloseWithoutTakingTheBase() {
        MemoryStats base = MemoryProbe.settle();
        Tensor outside = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor view;
        try (Scope s = Scope.open()) {
            view = outside.mT();
            assertEquals(base.liveBuffers() + 1, MemoryProbe.liveBuffers());
        }
        assertTrue(view.isClosed());
        assertFalse(outside.isClosed());
        assertArrayEquals(new float[] {1, 2, 3, 4}, outside.toFloatArray());
        assertEquals(base.liveBuffers() + 1, MemoryProbe.liveBuffers());
        outside.close();
        assertEquals(base.liveBuffers(), MemoryProbe.liveBuffers());
    }

    @Test
    void scopeOnlyOwnsTensorsOfItsThread() throws Exception {
        AtomicReference<Tensor> other = new AtomicReference<>();
        try (Scope s = Scope.open()) {
            Thread t = new Thread(() -> other.set(Tensor.ones(4)));
            t.start();
            t.join();
        }
        assertFalse(other.get().isClosed());
        assertEquals(4.0, other.get().sum().item());
        other.get().close();
    }

    @Test
    void loopInsideScopesDoesNotLeak() {
        MemoryStats base = MemoryProbe.settle();
        Tensor w = Tensor.randn(new Generator(3), 32, 32);
        for (int i = 0; i < 200; i++) {
            try (Scope s = Scope.open()) {
                Tensor y = w.matmul(w).tanh().sum(1).softmax(0);
                assertEquals(1.0, y.sum().item(), 1e-5);
            }
        }
        assertEquals(base.liveBuffers() + 1, MemoryProbe.liveBuffers());
        w.close();
        assertEquals(base.liveBuffers(), MemoryProbe.liveBuffers());
        assertEquals(base.allocatedBytes(), MemoryProbe.allocatedBytes());
    }

    @Test
    void doubleCloseIsHarmless() {
        MemoryStats base = MemoryProbe.settle();
        Tensor x = Tensor.ones(10);
        Tensor v = x.reshape(2, 5);
        x.close();
        assertDoesNotThrow(x::close);
        x.close();
        assertEquals(base.liveBuffers() + 1, MemoryProbe.liveBuffers(), "a repeated close must not release the view's hold");
        try (Tensor s = v.sum()) {
            assertEquals(10.0, s.item());
        }
        v.close();
        v.close();
        assertEquals(base.liveBuffers(), MemoryProbe.liveBuffers());
        Scope s = Scope.open();
        s.close();
        assertDoesNotThrow(s::close);
    }

    @Test
    void closeAfterScopeClosedItIsHarmless() {
        Tensor t;
        try (Scope s = Scope.open()) {
            t = Tensor.ones(2);
            t.close();
        }
        assertTrue(t.isClosed());
        assertDoesNotThrow(t::close);
    }

    @Test
    void usingAClosedTensorThrowsClosedTensorException() {
        Tensor x = Tensor.ones(2, 2);
        Tensor live = Tensor.ones(2, 2);
        x.close();
        List<Executable> uses = List.of(x::toFloatArray, x::toDoubleArray, x::toLongArray, x::item, () -> x.add(live),
                () -> live.add(x), () -> x.add(1.0), x::exp, x::sum, () -> x.sum(0), () -> x.matmul(live),
                () -> live.matmul(x), () -> x.to(DType.F64), x::contiguous, () -> Tensor.cat(List.of(live, x), 0),
                () -> Tensor.where(live.gt(0.0), x, live), () -> x.softmax(0));
        for (Executable use : uses) {
            ClosedTensorException e = assertThrows(ClosedTensorException.class, use);
            assertInstanceOf(NablaException.class, e);
        }
        live.close();
    }

    @Test
    void tryWithResourcesClosesTensors() {
        MemoryStats base = MemoryProbe.settle();
        Tensor seen;
        try (Tensor t = Tensor.zeros(100)) {
            seen = t;
            assertSame(t, seen);
        }
        assertTrue(seen.isClosed());
        assertEquals(base.liveBuffers(), MemoryProbe.liveBuffers());
    }
}
