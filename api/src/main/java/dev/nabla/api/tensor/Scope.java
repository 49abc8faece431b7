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
 * // given: Tensor x, Tensor w
 * Tensor result;
 * try (Scope s = Scope.open()) {
 *     Tensor h = x.matmul(w).tanh();      // released at the end of the block
 *     result = s.keep(h.sum());           // survives the block
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A scope is confined to the thread that opened it: {@link #keep}, {@link #size} and
 * {@link #close} (and {@link Tensor#keep()} of a tensor it owns) from any other thread throw
 * {@link IllegalStateException} naming both threads and change nothing. Scopes close in LIFO order. The
 * tensors a scope owns may still be <em>read</em> by other threads while it is open; once it closes they
 * are released, and a read on any thread — even one already under way — throws
 * {@link dev.nabla.api.types.ReleasedTensorException}, never returns a value. Parameters
 * ({@link Tensor#toParameter()}) never belong to a scope.
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

    /**
     * Number of tensors this scope will release when it closes.
     *
     * @throws IllegalStateException if called from a thread other than the one that opened it
     */
    public int size() {
        confined("size");
        return owned == null ? 0 : owned.size();
    }

    private void confined(String op) {
        Thread me = Thread.currentThread();
        if (me != owner) {
            throw new IllegalStateException("scope: " + op + " on thread " + describe(me) + " but the scope was"
                    + " opened on " + describe(owner) + "; scopes are thread-confined (keep() the result on the"
                    + " owning thread, or open a scope on this one)");
        }
    }

    private static String describe(Thread t) {
        String name = t.getName();
        return (name.isEmpty() ? (t.isVirtual() ? "virtual" : "unnamed") : "'" + name + "'") + " (#" + t.threadId()
                + ")";
    }

    /**
     * Moves {@code t} out of this scope into the enclosing one (or to the caller's ownership when this
     * is the outermost scope) and returns it. Keeping a tensor this scope does not own is a no-op.
     *
     * @throws IllegalStateException if called from a thread other than the one that opened it, or after
     *                               the scope closed
     */
    public Tensor keep(Tensor t) {
        confined("keep");
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
        confined("close");
        if (owned == null) {
            return;
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
     * // given: Layer model, Tensor x, Tensor y
     * Scope.run(() -> model.forward(x).sub(y).square().mean().backward());
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
     * // given: Layer model, Tensor x, Tensor y
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
