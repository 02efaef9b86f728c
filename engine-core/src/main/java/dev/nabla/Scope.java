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
    /** Opened by the engine around a composite op: what autodiff saves outlives it. */
    private final boolean internal;
    private boolean closed;

    private Scope(boolean internal) {
        this.internal = internal;
    }

    public static Scope open() {
        Scope s = new Scope(false);
        STACK.get().push(s);
        return s;
    }

    /** A scope for an op's own temporaries; tensors autodiff saves go to the enclosing user scope. */
    static Scope openInternal() {
        Scope s = new Scope(true);
        STACK.get().push(s);
        return s;
    }

    /**
     * Moves a tensor saved by autodiff, and the tangents it carries, out of internal scopes into
     * the nearest user scope: the graph outlives the composite op that recorded it.
     */
    static void registerSaved(Tensor t) {
        ArrayDeque<Scope> stack = STACK.get();
        Scope top = stack.peek();
        if (top == null || !top.internal) return;
        Scope user = null;
        for (Scope s : stack) {
            if (!s.internal) {
                user = s;
                break;
            }
        }
        rescue(t, stack, user);
    }

    private static void rescue(Tensor t, ArrayDeque<Scope> stack, Scope user) {
        for (Scope s : stack) {
            if (!s.internal) break;
            int i = s.owned.lastIndexOf(t);
            if (i >= 0) {
                s.owned.remove(i);
                if (user != null) user.owned.add(t);
                break;
            }
        }
        for (Tangent g = t.tangents; g != null; g = g.next()) rescue(g.value(), stack, user);
    }

    /** Exempts t from this scope's close; it then belongs to the enclosing scope, if any. Returns t. */
    public <T extends Tensor> T keep(T t) {
        kept.add(t);
        // forward-mode tangents travel with their primal
        for (Tangent g = t.tangents; g != null; g = g.next()) keep(g.value());
        return t;
    }

    /** Exempts a sparse matrix's tensors from this scope's close, as {@link #keep(Tensor)}. Returns m. */
    public CsrMatrix keep(CsrMatrix m) {
        keep(m.values);
        keep(m.colIdx);
        keep(m.rowIdx);
        keep(m.rowPtr);
        return m;
    }

    /** Called by every tensor constructor. */
    static void register(Tensor t) {
        Scope s = STACK.get().peek();
        if (s != null) s.owned.add(t);
    }

    /** Removes t from the scopes of this thread: it is owned elsewhere (a leaf's grad). */
    static void forget(Tensor t) {
        for (Scope s : STACK.get()) {
            for (int i = s.owned.size() - 1; i >= 0; i--) {
                if (s.owned.get(i) == t) {
                    s.owned.remove(i);
                    return;
                }
            }
        }
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
