package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.DType;
import dev.nabla.OutOfMemoryException;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.MemoryStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The caching allocator over a device with a fixed memory budget (no GPU: a recording device). */
class AllocatorTest {
    private static final long MIB = 1L << 20;

    @Test
    void sizeClassesArePowersOfTwoThenWholeTwoMebibyteSteps() {
        assertEquals(256, CachingAllocator.sizeClass(1));
        assertEquals(256, CachingAllocator.sizeClass(256));
        assertEquals(1024, CachingAllocator.sizeClass(1000));
        assertEquals(MIB, CachingAllocator.sizeClass(MIB - 5));
        assertEquals(2 * MIB, CachingAllocator.sizeClass(MIB + 1));
        assertEquals(4 * MIB, CachingAllocator.sizeClass(2 * MIB + 1));
        assertEquals(40 * MIB, CachingAllocator.sizeClass(40 * MIB));
    }

    @Test
    void aFreedBlockServesTheNextAllocationOfItsClassWithoutTheDriver() {
        RecordingApi api = new RecordingApi(64 * MIB);
        CudaBackend be = RecordingDevices.backend(api, 64 * MIB);
        Buffer a = be.allocate(0, DType.F32, 1000);
        be.free(a);
        MemoryStats s = be.memoryStats(0);
        assertEquals(0, s.liveBuffers());
        assertEquals(4096, s.cachedBytes());
        int driverCalls = api.driverCalls.size();
        Buffer b = be.allocate(0, DType.I32, 900);   // 3600 bytes: the same 4 KiB class
        assertEquals(driverCalls, api.driverCalls.size(), "no driver call, no device synchronization");
        assertEquals(((CudaBuffer) a).ptr, ((CudaBuffer) b).ptr);
        assertEquals(0, be.memoryStats(0).cachedBytes());
        assertEquals(4096, be.memoryStats(0).allocatedBytes());
        be.free(b);
        be.emptyCache(0);
        assertEquals(0, api.driverBytes());
        assertEquals(0, be.memoryStats(0).cachedBytes());
    }

    @Test
    void onFailureTheCacheIsEmptiedAndTheAllocationRetried() {
        RecordingApi api = new RecordingApi(64 * MIB);
        CudaBackend be = RecordingDevices.backend(api, 64 * MIB);
        be.free(be.allocate(0, DType.F32, 10 * MIB));   // 40 MiB now cached
        assertEquals(40 * MIB, be.memoryStats(0).cachedBytes());
        Buffer big = be.allocate(0, DType.F64, 6 * MIB);   // 48 MiB: fits only once the cache is gone
        assertEquals(List.of("alloc " + 40 * MIB, "alloc " + 48 * MIB, "free " + 40 * MIB, "alloc " + 48 * MIB), api.driverCalls);
        assertEquals(0, be.memoryStats(0).cachedBytes());
        assertEquals(48 * MIB, be.memoryStats(0).allocatedBytes());
        be.free(big);
    }

    @Test
    void outOfMemoryStatesTheNumbersAndTheBackendStaysUsable() {
        RecordingApi api = new RecordingApi(64 * MIB);
        CudaBackend be = RecordingDevices.backend(api, 64 * MIB);
        Buffer held = be.allocate(0, DType.F32, 10 * MIB);      // 40 MiB in use
        be.free(be.allocate(0, DType.F32, 1000));              // 4 KiB cached
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class, () -> be.allocate(0, DType.F32, 8 * MIB));
        String m = e.getMessage();
        assertTrue(m.startsWith("cuda:0 (recording device): cannot allocate 8388608 F32 elements (33554432 bytes)"), m);
        assertTrue(m.contains("requested 33554432 bytes"), m);
        assertTrue(m.contains("free " + (24 * MIB)), m);          // the driver's figure, after the cache was emptied
        assertTrue(m.contains("total " + (64 * MIB)), m);
        assertTrue(m.contains("in use " + (40 * MIB)), m);
        assertTrue(m.contains("cached 0 bytes"), m);
        // a request beyond the whole device fails before asking the driver
        assertThrows(OutOfMemoryException.class, () -> be.allocate(0, DType.F64, 9 * MIB));
        Buffer small = be.allocate(0, DType.F32, 5);
        be.copyFromHost(new float[] {1, 2, 3, 4, 5}, small);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, (float[]) be.copyToHost(small, 0, 5));
        assertArrayEquals(new float[] {3, 4}, (float[]) be.copyToHost(small, 2, 2));
        be.free(small);
        be.free(held);
        assertEquals(0, be.memoryStats(0).liveBuffers());
        assertEquals(40 * MIB + 4096, be.memoryStats(0).peakBytes());
    }

    @Test
    void boolRoundTripsAsOneBytePerElement() {
        RecordingApi api = new RecordingApi(MIB);
        CudaBackend be = RecordingDevices.backend(api, MIB);
        Buffer z = be.allocate(0, DType.BOOL, 3);
        be.copyFromHost(new boolean[] {true, false, true}, z);
        assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) be.copyToHost(z, 0, 3));
        be.free(z);
        assertThrows(IllegalStateException.class, () -> be.free(z));
    }
}
