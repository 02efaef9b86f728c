package dev.nabla.gpu;

import java.util.List;

/**
 * What a backend's discovery found: its devices in index order, or, when there are none, why (no
 * driver, no platform, no device), in one line for {@code Device.probe()}.
 */
public record Discovered<D extends GpuDevice>(List<D> devices, String failure) {

    public static <D extends GpuDevice> Discovered<D> none(String why) {
        return new Discovered<>(List.of(), why);
    }
}
