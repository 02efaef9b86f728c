package dev.nabla.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParallelTest {

    /** Counts how often each index of [0, n) was visited. */
    private static AtomicLongArray visit(long n, long grain) {
        AtomicLongArray seen = new AtomicLongArray((int) n);
        Parallel.forRange(n, grain, (from, to) -> {
            for (long i = from; i < to; i++) seen.incrementAndGet((int) i);
        });
        return seen;
    }

    private static void assertEachOnce(AtomicLongArray seen) {
        for (int i = 0; i < seen.length(); i++) assertEquals(1, seen.get(i), "index " + i);
    }

    @Test
    void everyIndexRunsExactlyOnceForAnyGrain() {
        for (long n : new long[] {1, 2, 3, 7, 100, 1001, 65_537}) {
            for (long grain : new long[] {1, 3, 64, 1 << 20}) assertEachOnce(visit(n, grain));
        }
    }

    @Test
    void backToBackCallsAfterWorkersParkStillComplete() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 200; i++) assertEachOnce(visit(4096, 1));
            // longer than the spin window: the workers park and must be woken again
            Thread.sleep(Parallel.SPIN_NANOS / 1_000_000 + 5);
        }
    }

    @Test
    void concurrentCallersFromManyThreadsEachGetTheirWholeRange() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 6; t++) {
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < 300; i++) assertEachOnce(visit(1000 + i, 1));
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        assertEquals(List.of(), failures);
    }

    @Test
    void nestedCallsRunInlineWithoutDeadlock() {
        AtomicLongArray seen = new AtomicLongArray(64 * 64);
        Parallel.forRange(64, 1, (f, t) -> {
            for (long i = f; i < t; i++) {
                long row = i;
                Parallel.forRange(64, 1, (g, u) -> {
                    for (long j = g; j < u; j++) seen.incrementAndGet((int) (row * 64 + j));
                });
            }
        });
        assertEachOnce(seen);
    }

    @Test
    void aFailureInAnyChunkReachesTheCallerAndThePoolStaysUsable() {
        IllegalStateException boom = new IllegalStateException("boom");
        for (long failAt : new long[] {0, 999}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                    Parallel.forRange(1000, 1, (from, to) -> {
                        if (from <= failAt && failAt < to) throw boom;
                    }));
            assertSame(boom, e);
        }
        assertEachOnce(visit(1000, 1));
    }
}
