package dev.nabla.api.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The registry through which a backend offers its fused kernels: one implementation per kind (a
 * sub-interface of {@link FusedKernel}, such as {@link LogSoftmaxKernel}). A backend builds it once and
 * returns it from {@link Backend#fusedKernels()}; the tensor layer asks it with {@link #get(Class)} and
 * composes the function from primitive kernels when a kind is absent. The conformance kit checks every
 * kind listed in {@link #kinds()} against its composed form, so a kernel offered here is a kernel
 * tested.
 *
 * <pre>{@code
 * // given: LogSoftmaxKernel myLogSoftmax
 * FusedKernels fused = FusedKernels.builder()      // built once; the backend's fusedKernels() returns it
 *         .add(LogSoftmaxKernel.class, myLogSoftmax)
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class FusedKernels {
    private static final FusedKernels NONE = new FusedKernels(Map.of());

    private final Map<Class<? extends FusedKernel>, FusedKernel> byKind;

    private FusedKernels(Map<Class<? extends FusedKernel>, FusedKernel> byKind) {
        this.byKind = byKind;
    }

    /**
     * The empty registry: a backend that offers no fused kernel (every fused op is composed).
     *
     * @return the registry with no kinds
     */
    public static FusedKernels none() {
        return NONE;
    }

    /**
     * A builder of a registry.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The kernel of the given kind, if this registry has one.
     *
     * @param kind the kernel interface, e.g. {@code LogSoftmaxKernel.class}
     * @param <T>  the kind
     * @return the kernel, or empty
     */
    public <T extends FusedKernel> Optional<T> get(Class<T> kind) {
        FusedKernel k = byKind.get(kind);
        return k == null ? Optional.empty() : Optional.of(kind.cast(k));
    }

    /**
     * The kinds offered, in the order they were added.
     *
     * @return an unmodifiable set of kernel interfaces
     */
    public Set<Class<? extends FusedKernel>> kinds() {
        return byKind.keySet();
    }

    /**
     * Whether no kind is offered.
     *
     * @return true for an empty registry
     */
    public boolean isEmpty() {
        return byKind.isEmpty();
    }

    @Override
    public String toString() {
        return "FusedKernels" + byKind.keySet().stream().map(Class::getSimpleName).toList();
    }

    /** Collects the kernels of a registry; each kind at most once. */
    public static final class Builder {
        private final Map<Class<? extends FusedKernel>, FusedKernel> byKind = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Offers {@code kernel} as the implementation of {@code kind}.
         *
         * @param kind   a sub-interface of {@link FusedKernel} (not {@code FusedKernel} itself)
         * @param kernel its implementation
         * @param <T>    the kind
         * @return this builder
         * @throws IllegalArgumentException if {@code kind} is not such an interface, {@code kernel} does not
         *                                  implement it, or the kind was added before
         */
        public <T extends FusedKernel> Builder add(Class<T> kind, T kernel) {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(kernel, "kernel");
            if (!kind.isInterface() || kind == FusedKernel.class) {
                throw new IllegalArgumentException("FusedKernels.add: the kind must be an interface extending"
                        + " FusedKernel (such as LogSoftmaxKernel), got " + kind.getName());
            }
            if (!kind.isInstance(kernel)) {
                throw new IllegalArgumentException("FusedKernels.add: " + kernel.getClass().getName()
                        + " does not implement " + kind.getName());
            }
            if (byKind.putIfAbsent(kind, kernel) != null) {
                throw new IllegalArgumentException("FusedKernels.add: " + kind.getSimpleName()
                        + " was added twice (once as " + byKind.get(kind).getClass().getName() + ")");
            }
            return this;
        }

        /**
         * The registry of the kernels added so far.
         *
         * @return an immutable registry
         */
        public FusedKernels build() {
            return byKind.isEmpty() ? NONE : new FusedKernels(Collections.unmodifiableMap(new LinkedHashMap<>(byKind)));
        }
    }
}
