package dev.nabla.cuda;

import dev.nabla.BackendUnavailableException;
import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.DeviceStatus;
import dev.nabla.Tensor;

/** Run in a fresh JVM: prints the device list, the best device, and what using cuda:0 says. */
public final class NoDriverMain {
    private NoDriverMain() {}

    public static void main(String[] args) {
        for (DeviceStatus s : Device.probe()) System.out.println(s);
        System.out.println("best=" + Device.best());
        try {
            Tensor.zeros(DType.F32, Device.cuda(0), 2);
            System.out.println("no exception");
        } catch (BackendUnavailableException e) {
            System.out.println(e);
        }
    }
}
