package dev.nabla;

import dev.nabla.spi.Backend;
import dev.nabla.spi.Buffer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device buffer shared by a tensor and its views. Each live tensor holds one reference; the buffer
 * goes back to its backend when the last one is released, so {@code close()} frees deterministically
 * and views keep their data alive.
 */
final class Storage {
    final Backend backend;
    final Buffer buffer;
    final Device device;
    private final AtomicInteger refs = new AtomicInteger();

    Storage(Backend backend, Buffer buffer, Device device) {
        this.backend = backend;
        this.buffer = buffer;
        this.device = device;
    }

    void retain() { refs.incrementAndGet(); }

    /** Live tensors holding this storage. */
    int refCount() { return refs.get(); }

    void release() {
        if (refs.decrementAndGet() == 0) backend.free(buffer);
    }
}
