package dev.nabla.opencl;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;

/** One small computation on opencl:0, compiling (or loading from the cache) the kernels it needs. */
public final class CacheMain {
    private CacheMain() {}

    public static void main(String[] args) {
        Tensor x = Tensor.of(DType.F32, Device.opencl(0), new double[] {1, 2, 3}, 3);
        System.out.println("sum=" + x.sum().item());
    }
}
