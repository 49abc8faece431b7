package dev.nabla.api.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A region of deterministic memory release. Every tensor created on a thread while a scope is open
 * belongs to the innermost open scope of that thread and is released when the scope closes — unless
 * it was {@link #keep kept}, which hands it to the enclosing scope (or, at the outermost scope, to the
 * caller, who then owns it and closes it).
 *
 * <pre>{@code
 * try (Scope s = Scope.open()) {
 *     Tensor h = x.matmul(w).tanh();      // released at the end of the block
 *     result = s.keep(h.sum());           // survives the block
 * }
 * }</pre>
 *
 * <p>Scopes are confined to the thread that opened them and close in LIFO order. Parameters
 * ({@link Tensor#toParameter()}) never belong to a scope. Using a released tensor throws
 * {@link dev.nabla.api.types.ReleasedTensorException}.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Scope parent;
    private final Thread owner;
    private List<Tensor> owned = new ArrayList<>();

    private Scope(Scope parent) {
        this.parent = parent;
        this.owner = Thread.currentThread();
    }

    /** Opens a scope nested in the current thread's innermost open scope, if any. */
    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    static Scope current() {
        return CURRENT.get();
    }

    void adopt(Tensor t) {
        owned.add(t);
        t.scope = this;
    }

    /** Number of tensors this scope will release when it closes. */
    public int size() {
        return owned == null ? 0 : owned.size();
    }

    /**
     * Moves {@code t} out of this scope into the enclosing one (or to the caller's ownership when this
     * is the outermost scope) and returns it. Keeping a tensor this scope does not own is a no-op.
     */
    public Tensor keep(Tensor t) {
        if (owned == null) {
            throw new IllegalStateException("keep: scope is already closed");
        }
        if (t.scope == this) {
            // removal from the end is the common case (the result was created last)
            for (int i = owned.size() - 1; i >= 0; i--) {
                if (owned.get(i) == t) {
                    owned.remove(i);
                    break;
                }
            }
            t.scope = null;
            if (parent != null && parent.owned != null) {
                parent.adopt(t);
            }
        }
        return t;
    }

    /**
     * Releases every tensor still owned, newest first.
     *
     * @throws IllegalStateException if called from another thread or out of LIFO order
     */
    @Override
    public void close() {
        if (owned == null) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("scope: closed on thread " + Thread.currentThread().getName()
                    + " but opened on " + owner.getName() + "; scopes are thread-confined");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("scope: closed out of order; close nested scopes first");
        }
        List<Tensor> list = owned;
        owned = null;
        for (int i = list.size() - 1; i >= 0; i--) {
            Tensor t = list.get(i);
            t.scope = null;
            t.close();
        }
        CURRENT.set(parent);
    }

    /**
     * Runs {@code body} inside a new scope and closes the scope after it, also when it throws: every
     * tensor the body creates and does not {@link Tensor#keep() keep} is released. The same as
     * {@code try (Scope s = Scope.open()) { body.run(); }} without a variable that javac's
     * {@code -Xlint:try} warns is never referenced.
     *
     * <pre>{@code
     * Scope.run(() -> optimizer.step(model.loss(batch)));
     * }</pre>
     */
    public static void run(Runnable body) {
        try (Scope ignored = open()) {
            body.run();
        }
    }

    /**
     * Computes {@code body} inside a new scope and returns its result. A result that is a
     * {@link Tensor} is kept — moved to the enclosing scope, or to the caller when there is none — and
     * everything else the body created is released. (A result that holds several tensors, such as a
     * record or a list, must {@link Tensor#keep() keep} them itself inside the body.)
     *
     * <pre>{@code
     * Tensor loss = Scope.call(() -> model.forward(x).sub(y).square().mean());
     * }</pre>
     */
    public static <T> T call(java.util.function.Supplier<T> body) {
        try (Scope s = open()) {
            T result = body.get();
            if (result instanceof Tensor t) {
                s.keep(t);
            }
            return result;
        }
    }
}
