package dev.nabla.algo;

import dev.nabla.spi.Backends;

/**
 * The CPU backend's live-buffer count for the memory tests. Earlier tests in the same JVM drop
 * tensors without closing them; their cleaners free those buffers whenever the collector finds
 * them, so a count is only comparable after {@link #settle()} has run the collector until it is stable.
 */
final class LiveBuffers {
    private LiveBuffers() {}

    static long count() {
        return count("cpu");
    }

    /** Device 0 of the named backend ("cpu", "opencl"). */
    static long count(String backend) {
        return Backends.get(backend).memoryStats(0).liveBuffers();
    }

    static long settle() {
        return settle("cpu");
    }

    /** Runs the collector until the live-buffer count stays the same three times in a row, and returns it. */
    static long settle(String backend) {
        long last = -1;
        for (int i = 0, stable = 0; i < 60 && stable < 3; i++) {
            System.gc();
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long now = count(backend);
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }
}
