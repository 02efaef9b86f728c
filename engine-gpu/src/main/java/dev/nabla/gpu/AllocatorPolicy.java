package dev.nabla.gpu;

/**
 * What a {@link CachingAllocator} needs to know of its device.
 *
 * @param totalBytes the device's memory
 * @param maxAllocBytes the largest single allocation the device accepts (totalBytes where the
 *     driver states no smaller limit)
 * @param largeClassStep size classes above 1 MiB are multiples of this: the driver's own
 *     allocation granularity where it has one (CUDA: 2 MiB), else 1 MiB
 * @param holdTotalByBooks the driver may accept more than the device holds and fail later (OpenCL
 *     implementations commit memory at first use), so the allocator refuses, by its own books, what
 *     would exceed totalBytes, emptying its cache first when that makes room
 */
public record AllocatorPolicy(long totalBytes, long maxAllocBytes, long largeClassStep, boolean holdTotalByBooks) {}
