package dev.nabla.spi;

/**
 * A device's memory accounting, read by tests and the conformance suite's leak check.
 *
 * @param liveBuffers buffers allocated and not yet freed
 * @param allocatedBytes bytes held by live buffers
 * @param peakBytes the largest allocatedBytes seen
 * @param cachedBytes bytes a caching allocator keeps for reuse (0 where there is no cache)
 * @param totalBytes the device's memory, or -1 where unknown
 */
public record MemoryStats(long liveBuffers, long allocatedBytes, long peakBytes, long cachedBytes, long totalBytes) {}
