package dev.nabla.spi;

import dev.nabla.DType;

/**
 * A block of device memory owned by one backend: {@code numel} elements of {@code dtype} on device
 * {@code deviceIndex}. Backends subclass it with their own handle (a Java array, a cl_mem, a
 * CUdeviceptr); the frontend only passes it back.
 */
public interface Buffer {
    DType dtype();
    long numel();
    int deviceIndex();
}
