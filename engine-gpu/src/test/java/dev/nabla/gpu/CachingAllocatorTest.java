package dev.nabla.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.OutOfMemoryException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared caching allocator under both drivers' behaviours: refusing at once (CUDA) or only by the books (OpenCL). */
class CachingAllocatorTest {
    private static final long MIB = 1L << 20;

    /** Driver memory as numbered blocks within a budget; reports its free bytes, or -1 when {@code silent}. */
    private static final class Memory implements DeviceMemory {
        final long budget;
        final boolean silent;
        final List<String> calls = new ArrayList<>();
        long used;
        long next;

        Memory(long budget, boolean silent) {
            this.budget = budget;
            this.silent = silent;
        }

        @Override
        public Object alloc(long bytes) {
            calls.add("alloc " + bytes / MIB);
            if (used + bytes > budget) throw new Refused("NO_MEMORY");
            used += bytes;
            return new long[] {next++, bytes};
        }

        @Override
        public void free(Object handle) {
            long bytes = ((long[]) handle)[1];
            calls.add("free " + bytes / MIB);
            used -= bytes;
        }

        @Override public void upload(Object hostArray, Object dst, long bytes) {}
        @Override public void download(Object src, long byteOffset, Object hostArray, long bytes) {}
        @Override public long driverFreeBytes() { return silent ? -1 : budget - used; }
    }

    private static CachingAllocator allocator(Memory m, long maxAlloc, boolean books) {
        return new CachingAllocator(m, "fake:0 (test)", new AllocatorPolicy(m.budget, maxAlloc, 2 * MIB, books));
    }

    @Test
    void sizeClassesArePowersOfTwoToOneMebibyteThenThePolicysStep() {
        CachingAllocator mib = new CachingAllocator(new Memory(MIB, false), "a", new AllocatorPolicy(MIB, MIB, MIB, false));
        CachingAllocator two = allocator(new Memory(MIB, false), MIB, false);
        for (CachingAllocator a : List.of(mib, two)) {
            assertEquals(256, a.sizeClass(0));
            assertEquals(256, a.sizeClass(256));
            assertEquals(512, a.sizeClass(257));
            assertEquals(MIB, a.sizeClass(MIB));
        }
        assertEquals(2 * MIB, mib.sizeClass(MIB + 1));
        assertEquals(3 * MIB, mib.sizeClass(2 * MIB + 1));
        assertEquals(2 * MIB, two.sizeClass(MIB + 1));
        assertEquals(4 * MIB, two.sizeClass(2 * MIB + 1));
    }

    @Test
    void aFreedBlockServesTheNextRequestOfItsClassWithoutTheDriverAndTheCacheEmpties() {
        Memory m = new Memory(64 * MIB, false);
        CachingAllocator a = allocator(m, 64 * MIB, false);
        Object first = a.allocate(3 * MIB, "x");
        a.release(first, 3 * MIB);
        assertEquals(4 * MIB, a.stats().cachedBytes());
        assertSame(first, a.allocate(4 * MIB, "y"), "the same 4 MiB class");
        assertEquals(List.of("alloc 4"), m.calls);
        assertEquals(4 * MIB, a.stats().allocatedBytes());
        a.release(first, 4 * MIB);
        a.releaseCache();
        assertEquals(0, m.used);
        assertEquals(0, a.stats().cachedBytes());
        assertEquals(0, a.stats().liveBuffers());
        assertEquals(4 * MIB, a.stats().peakBytes());
    }

    @Test
    void aRefusalEmptiesTheCacheAndRetriesOnce() {
        Memory m = new Memory(64 * MIB, false);
        CachingAllocator a = allocator(m, 64 * MIB, false);
        a.release(a.allocate(40 * MIB, "x"), 40 * MIB);
        a.allocate(48 * MIB, "y");
        assertEquals(List.of("alloc 40", "alloc 48", "free 40", "alloc 48"), m.calls);
        assertEquals(0, a.stats().cachedBytes());
    }

    @Test
    void byTheBooksTheCacheIsEmptiedBeforeTheDriverIsAskedAndTheTotalIsNeverPassed() {
        Memory m = new Memory(1024 * MIB, true);   // a driver that would accept more than the device has
        CachingAllocator a = new CachingAllocator(m, "fake:0 (test)", new AllocatorPolicy(64 * MIB, 32 * MIB, MIB, true));
        a.release(a.allocate(20 * MIB, "x"), 20 * MIB);
        Object held = a.allocate(30 * MIB, "y");
        assertEquals(List.of("alloc 20", "alloc 30"), m.calls, "20 + 30 cached and in use fit in 64");
        Object more = a.allocate(30 * MIB, "z");
        assertEquals(List.of("alloc 20", "alloc 30", "free 20", "alloc 30"), m.calls, "the cache went first");
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class, () -> a.allocate(5 * MIB, "5 MiB"));
        assertEquals("fake:0 (test): cannot allocate 5 MiB (the device's memory is exhausted): requested " + 5 * MIB
                + " bytes, free " + 4 * MIB + ", total " + 64 * MIB + ", in use " + 60 * MIB + ", cached 0 bytes", e.getMessage());
        assertEquals(4, m.calls.size(), "the driver was not asked");
        e = assertThrows(OutOfMemoryException.class, () -> a.allocate(33 * MIB, "33 MiB"));
        assertTrue(e.getMessage().contains("(larger than the device's largest single allocation, " + 32 * MIB + " bytes)"), e.getMessage());
        a.release(held, 30 * MIB);
        a.release(more, 30 * MIB);
        assertEquals(0, a.stats().liveBuffers());
    }

    @Test
    void outOfMemoryGivesTheDriversFreeFigureAndTheAllocatorStaysUsable() {
        Memory m = new Memory(64 * MIB, false);
        CachingAllocator a = allocator(m, 64 * MIB, false);
        Object held = a.allocate(40 * MIB, "held");
        a.release(a.allocate(1000, "small"), 1000);
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class, () -> a.allocate(32 * MIB, "32 MiB"));
        assertEquals("fake:0 (test): cannot allocate 32 MiB (the driver reports NO_MEMORY even with the cache emptied): requested "
                + 32 * MIB + " bytes, free " + 24 * MIB + ", total " + 64 * MIB + ", in use " + 40 * MIB + ", cached 0 bytes",
                e.getMessage());
        e = assertThrows(OutOfMemoryException.class, () -> a.allocate(65 * MIB, "65 MiB"));
        assertTrue(e.getMessage().contains("(larger than the device's memory)"), e.getMessage());
        Object small = a.allocate(1000, "small");
        a.release(small, 1000);
        a.release(held, 40 * MIB);
        assertEquals(0, a.stats().allocatedBytes());
    }

    @Test
    void blocksBeyondTheCacheCapGoBackToTheDriver() {
        Memory m = new Memory(2048 * MIB, false);
        CachingAllocator a = allocator(m, 2048 * MIB, false);   // cap: a quarter of the device, 512 MiB
        Object x = a.allocate(400 * MIB, "x"), y = a.allocate(200 * MIB, "y");
        a.release(x, 400 * MIB);
        a.release(y, 200 * MIB);
        assertEquals(400 * MIB, a.stats().cachedBytes());
        assertEquals(List.of("alloc 400", "alloc 200", "free 200"), m.calls);
    }
}
