package dev.nabla;

/**
 * Turns off gradient recording on this thread until closed; nests.
 *
 * <pre>{@code
 * try (var ng = NoGrad.open()) { w = w.sub(g.mul(lr)); }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private NoGrad() {}

    public static NoGrad open() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** True while some NoGrad is open on this thread. */
    public static boolean isActive() {
        return DEPTH.get()[0] > 0;
    }

    /**
     * Turns recording back on for this thread until the returned handle is closed, inside any
     * NoGrad: differentiation transforms use it so that a function they differentiate is recorded.
     */
    public static AutoCloseable enableGrad() {
        int[] d = DEPTH.get();
        int saved = d[0];
        d[0] = 0;
        return () -> d[0] = saved;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        DEPTH.get()[0]--;
    }
}
