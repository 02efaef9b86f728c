package dev.nabla.spi;

/**
 * What a backend's probe found at one device index: available with a description, or unavailable
 * with the reason (a missing driver, no platform, no library).
 */
public record DeviceInfo(String kind, int index, boolean available, String description, String reason) {

    public static DeviceInfo available(String kind, int index, String description) {
        return new DeviceInfo(kind, index, true, description, null);
    }

    public static DeviceInfo unavailable(String kind, int index, String reason) {
        return new DeviceInfo(kind, index, false, null, reason);
    }

    /** True for a device whose compute units are a GPU's (decides {@code Device.best()}). */
    public boolean isGpu() {
        return available && description != null && description.contains("GPU");
    }
}
