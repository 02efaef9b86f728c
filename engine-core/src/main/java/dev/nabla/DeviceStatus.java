package dev.nabla;

/**
 * What {@link Device#probe()} found for one device: usable, with a description, or not, with why.
 *
 * <pre>{@code
 * for (DeviceStatus s : Device.probe()) System.out.println(s);
 * }</pre>
 */
public record DeviceStatus(Device device, boolean available, String description, String reason) {
    @Override
    public String toString() {
        return available ? device + ": " + description : device + ": unavailable (" + reason + ")";
    }
}
