package dev.nabla.opencl;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.DeviceStatus;
import dev.nabla.Tensor;

/** Run in a JVM without OpenCL drivers: prints the device list and what using opencl:0 says. */
public final class NoPlatformMain {
    private NoPlatformMain() {}

    public static void main(String[] args) {
        for (DeviceStatus s : Device.probe()) System.out.println(s);
        try {
            Tensor.zeros(DType.F32, Device.opencl(0), 2);
            System.out.println("no exception");
        } catch (BackendUnavailableException e) {
            System.out.println(e);
        }
    }
}
