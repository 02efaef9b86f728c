package dev.nabla.cpu;

import dev.nabla.DType;
import dev.nabla.spi.Buffer;
import dev.nabla.spi.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ArrayCacheTest {

    private static final int BIG = 1 << 16;  // 256 KiB of floats: above the caching threshold

    @Test
    void freedArrayOfSameDtypeAndLengthIsHandedOutAgain() {
        ArrayCache c = new ArrayCache(1 << 30);
        float[] a = new float[BIG];
        c.give(DType.F32, a, BIG);
        assertEquals(4L * BIG, c.cachedBytes());
        assertNull(c.take(DType.F32, BIG - 1), "no reuse across lengths");
        assertNull(c.take(DType.I32, BIG), "no reuse across dtypes of the same width");
        assertSame(a, c.take(DType.F32, BIG));
        assertEquals(0, c.cachedBytes());
        assertNull(c.take(DType.F32, BIG), "an array is handed out once");
    }

    @Test
    void smallArraysAreNotCached() {
        ArrayCache c = new ArrayCache(1 << 30);
        c.give(DType.F32, new float[16], 16);
        assertEquals(0, c.cachedBytes());
        assertNull(c.take(DType.F32, 16));
    }

    @Test
    void overflowingArrayEmptiesTheCacheFirstAndOversizedOnesAreDropped() {
        long capacity = 3L * 4 * BIG;  // room for three arrays
        ArrayCache c = new ArrayCache(capacity);
        for (int i = 0; i < 3; i++) c.give(DType.F32, new float[BIG], BIG);
        assertEquals(capacity, c.cachedBytes());
        double[] d = new double[BIG];
        c.give(DType.F64, d, BIG);  // 2 arrays' worth more: the float arrays go
        assertEquals(8L * BIG, c.cachedBytes());
        assertNull(c.take(DType.F32, BIG));
        assertSame(d, c.take(DType.F64, BIG));
        c.give(DType.F64, new double[4 * BIG], 4 * BIG);  // larger than the whole cache
        assertEquals(0, c.cachedBytes());
    }

    @Test
    void backendReusesClosedBuffersAndReportsCachedBytes() {
        CpuBackend b = new CpuBackend();
        Buffer x = b.allocate(0, DType.F32, BIG);
        Object array = ((CpuBuffer) x).array;
        MemoryStats live = b.memoryStats(0);
        assertEquals(1, live.liveBuffers());
        assertEquals(4L * BIG, live.allocatedBytes());
        assertEquals(0, live.cachedBytes());
        b.free(x);
        MemoryStats freed = b.memoryStats(0);
        assertEquals(0, freed.liveBuffers());
        assertEquals(0, freed.allocatedBytes());
        assertEquals(4L * BIG, freed.cachedBytes());

        Buffer y = b.allocate(0, DType.F32, BIG);
        assertSame(array, ((CpuBuffer) y).array);
        Buffer z = b.allocate(0, DType.F32, BIG);  // the only cached one is in use by y
        assertNotSame(array, ((CpuBuffer) z).array);
        assertEquals(0, b.memoryStats(0).cachedBytes());
        b.free(y);
        b.free(z);
        assertEquals(8L * BIG, b.memoryStats(0).cachedBytes());
    }
}
