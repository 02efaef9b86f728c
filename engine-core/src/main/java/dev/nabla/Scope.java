package dev.nabla;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Closes every tensor created on this thread while it is open, except those kept; kept tensors move
 * to the enclosing scope, if any. Scopes nest.
 *
 * <pre>{@code
 * Tensor y;
 * try (var s = Scope.open()) { y = s.keep(x.matmul(w).relu()); }   // the matmul result is freed
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> owned = new ArrayList<>();
    private final Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private Scope() {}

    public static Scope open() {
        Scope s = new Scope();
        STACK.get().push(s);
        return s;
    }

    /** Exempts t from this scope's close; it then belongs to the enclosing scope, if any. Returns t. */
    public <T extends Tensor> T keep(T t) {
        kept.add(t);
        return t;
    }

    /** Called by every tensor constructor. */
    static void register(Tensor t) {
        Scope s = STACK.get().peek();
        if (s != null) s.owned.add(t);
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("scope: closed on a different thread than it was opened on");
        }
        closed = true;
        ArrayDeque<Scope> stack = STACK.get();
        stack.remove(this);
        Scope parent = stack.peek();
        for (Tensor t : owned) {
            if (kept.contains(t)) {
                if (parent != null) parent.owned.add(t);
            } else {
                t.close();
            }
        }
        owned.clear();
        kept.clear();
    }
}
