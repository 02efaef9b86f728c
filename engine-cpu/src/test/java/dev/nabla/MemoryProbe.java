package dev.nabla;

import dev.nabla.spi.Backends;
import dev.nabla.spi.MemoryStats;

/**
 * Reads the CPU backend's memory accounting. Tensors that earlier tests dropped without closing
 * are freed by the garbage collector's cleaner at an unpredictable moment, so a test takes its
 * baseline only after that background freeing has settled.
 */
public final class MemoryProbe {

    private MemoryProbe() {}

    public static MemoryStats stats() {
        return Backends.get("cpu").memoryStats(0);
    }

    public static long liveBuffers() {
        return stats().liveBuffers();
    }

    public static long allocatedBytes() {
        return stats().allocatedBytes();
    }

    /** Runs the collector until the live-buffer count is stable; returns the stats then. */
    public static MemoryStats settle() {
        long last = -1;
        int stable = 0;
        for (int i = 0; i < 60 && stable < 3; i++) {
            System.gc();
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = liveBuffers();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return stats();
    }
}
