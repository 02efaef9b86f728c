package dev.nabla;

import dev.nabla.spi.Backend;
import dev.nabla.spi.Backends;
import dev.nabla.spi.DeviceInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A compute device: a kind ("cpu", "cuda", "opencl") and an index. A value object.
 *
 * <pre>{@code
 * Device d = Device.best();                      // CUDA > OpenCL GPU > CPU
 * Tensor x = Tensor.zeros(DType.F32, d, 2, 3);
 * }</pre>
 */
public final class Device {

    private static final Device CPU = new Device("cpu", 0);
    private static volatile Device defaultDevice;

    private final String kind;
    private final int index;

    private Device(String kind, int index) {
        if (index < 0) throw new IllegalArgumentException("device index must be >= 0, got " + index);
        this.kind = kind;
        this.index = index;
    }

    public static Device cpu() { return CPU; }

    public static Device cuda(int index) { return new Device("cuda", index); }

    public static Device opencl(int index) { return new Device("opencl", index); }

    /** Parses "cpu", "cuda", "cuda:0", "opencl:1" (case-insensitive); anything else is an IllegalArgumentException. */
    public static Device parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        String kind = colon < 0 ? t : t.substring(0, colon);
        int index = 0;
        if (colon >= 0) {
            try {
                index = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device: cannot parse index in \"" + s + "\"");
            }
        }
        return switch (kind) {
            case "cpu" -> {
                if (index != 0) throw new IllegalArgumentException("device: there is one cpu device, got \"" + s + "\"");
                yield CPU;
            }
            case "cuda" -> cuda(index);
            case "opencl" -> opencl(index);
            default -> throw new IllegalArgumentException(
                    "device: unknown kind in \"" + s + "\" (expected cpu, cuda[:i] or opencl[:i])");
        };
    }

    /** Every device each backend probed, plus one entry per known kind without a backend. Never throws. */
    public static List<DeviceStatus> probe() {
        List<DeviceStatus> out = new ArrayList<>();
        for (String kind : new String[] {"cpu", "cuda", "opencl"}) {
            Backend b;
            try {
                b = Backends.get(kind);
            } catch (BackendUnavailableException e) {
                out.add(new DeviceStatus(new Device(kind, 0), false, null, e.getMessage()));
                continue;
            }
            List<DeviceInfo> infos;
            try {
                infos = b.probe();
            } catch (RuntimeException | LinkageError e) {
                out.add(new DeviceStatus(new Device(kind, 0), false, null, "probe failed: " + e));
                continue;
            }
            if (infos.isEmpty()) {
                out.add(new DeviceStatus(new Device(kind, 0), false, null, "no " + kind + " device found"));
            }
            for (DeviceInfo i : infos) {
                out.add(new DeviceStatus(new Device(kind, i.index()), i.available(), i.description(), i.reason()));
            }
        }
        return out;
    }

    /** The usable devices. */
    public static List<Device> available() {
        return probe().stream().filter(DeviceStatus::available).map(DeviceStatus::device).toList();
    }

    /** The fastest usable device: CUDA, then an OpenCL GPU, then the CPU (a CPU OpenCL device never wins). */
    public static Device best() {
        List<DeviceStatus> all = probe();
        for (DeviceStatus s : all) {
            if (s.available() && s.device().kind.equals("cuda")) return s.device();
        }
        for (DeviceStatus s : all) {
            if (s.available() && s.device().kind.equals("opencl") && s.description() != null
                    && s.description().contains("GPU")) {
                return s.device();
            }
        }
        return CPU;
    }

    /** The device creation ops use when none is given: set, else -Dnabla.device, else NABLA_DEVICE, else cpu. */
    public static Device defaultDevice() {
        Device d = defaultDevice;
        if (d != null) return d;
        String s = System.getProperty("nabla.device", System.getenv("NABLA_DEVICE"));
        d = (s == null || s.isBlank()) ? CPU : parse(s);
        defaultDevice = d;
        return d;
    }

    public static void setDefault(Device d) {
        if (d == null) throw new IllegalArgumentException("device: default device must not be null");
        defaultDevice = d;
    }

    /** "cpu", "cuda" or "opencl". */
    public String kind() { return kind; }

    public int index() { return index; }

    /** The backend serving this device; BackendUnavailableException when there is none or the device is unusable. */
    Backend backend() {
        Backend b = Backends.get(kind);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.kind.equals(kind) && d.index == index;
    }

    @Override
    public int hashCode() { return kind.hashCode() * 31 + index; }

    @Override
    public String toString() { return kind.equals("cpu") ? "cpu" : kind + ":" + index; }
}
