package dev.nabla.spi;

import dev.nabla.BackendUnavailableException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The registry of backends found on the class path through {@link ServiceLoader}, one per kind.
 * engine-core never names a backend class; a backend module puts its class in
 * {@code META-INF/services/dev.nabla.spi.Backend}.
 *
 * <pre>{@code
 * Backend cpu = Backends.get("cpu");
 * MemoryStats s = cpu.memoryStats(0);
 * }</pre>
 */
public final class Backends {

    /** The kinds the engine knows, in the order {@code Device.best()} prefers them. */
    public static final String[] KINDS = {"cuda", "opencl", "cpu"};

    private static volatile Map<String, Object> loaded;

    private Backends() {}

    /** The backend of a kind, or {@code BackendUnavailableException} saying why there is none. */
    public static Backend get(String kind) {
        Object b = all().get(kind);
        if (b instanceof Backend backend) return backend;
        throw new BackendUnavailableException(b instanceof String why ? why
                : "no backend module for " + kind + " on the class path (add engine-" + kind + ")");
    }

    /** The backend of a kind, or null when none was found. */
    public static Backend find(String kind) {
        return all().get(kind) instanceof Backend b ? b : null;
    }

    /** Kind to Backend, or kind to the reason its provider failed to load. */
    private static Map<String, Object> all() {
        Map<String, Object> m = loaded;
        if (m == null) {
            synchronized (Backends.class) {
                m = loaded;
                if (m == null) {
                    m = load();
                    loaded = m;
                }
            }
        }
        return m;
    }

    private static Map<String, Object> load() {
        Map<String, Object> m = new LinkedHashMap<>();
        var it = ServiceLoader.load(Backend.class, Backends.class.getClassLoader()).stream().iterator();
        while (true) {
            ServiceLoader.Provider<Backend> p;
            try {
                if (!it.hasNext()) break;
                p = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                continue;   // a provider whose class cannot even be loaded is not a backend
            }
            try {
                Backend b = p.get();
                m.putIfAbsent(b.kind(), b);
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                String name = p.type().getSimpleName();
                String kind = name.toLowerCase().replace("backend", "");
                m.putIfAbsent(kind, name + " failed to start: " + e);
            }
        }
        return m;
    }
}
