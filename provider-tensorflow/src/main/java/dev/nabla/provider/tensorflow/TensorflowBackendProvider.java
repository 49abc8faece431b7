package dev.nabla.provider.tensorflow;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.Availability;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.provider.tensorflow.runtime.TfRuntime;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Service provider of the {@link TensorflowBackend}: name {@code "tensorflow"}, priority
 * {@value #PRIORITY}.
 *
 * <p><b>Priority.</b> 50 sits between the reference backend (0) and the native provider (100): when
 * the TensorFlow jar is on the module path it beats the pure-Java oracle, which is far slower on
 * anything but tiny tensors; but each TensorFlow eager op costs microseconds of dispatch, so for the
 * small-tensor, many-op workloads of most Nabla models the native provider (BLAS through FFM, per-op
 * overhead near a microsecond) is the better default. Name it ({@code -Dnabla.backend=tensorflow})
 * to choose it anyway, e.g. for a GPU.
 *
 * <p><b>Availability.</b> The first call to {@link #availability()} loads TensorFlow's native
 * library (about 650 MB, unpacked by JavaCPP into {@code -Dorg.bytedeco.javacpp.cachedir}, else
 * {@code ~/.javacpp/cache}) and creates the eager context. Any failure — the native jar missing from the
 * path ({@link UnsatisfiedLinkError}), a class that failed to initialise, a TensorFlow error — is caught
 * and reported as the reason; nothing is thrown and the JVM keeps running. The result is cached.
 *
 * <p><b>GPU.</b> With the {@code linux-x86_64-gpu} native jar (Maven profile {@code -Pgpu}) and CUDA
 * present, tensors are placed on the first GPU; {@code -Dnabla.tensorflow.gpu=false} keeps them on the
 * CPU.
 */
public final class TensorflowBackendProvider implements BackendProvider {
    /** The priority, {@value}: above the reference backend (0), below the native provider (100). */
    public static final int PRIORITY = 50;

    /** System property that, set to {@code false}, keeps tensors on the CPU even when a GPU is seen. */
    public static final String GPU_PROPERTY = "nabla.tensorflow.gpu";

    private static final Object SHARED_LOCK = new Object();
    private static TfRuntime shared;

    private final Callable<TfRuntime> loader;
    private volatile Availability availability;
    private volatile TfRuntime runtime;

    /** Creates the provider; called by {@link java.util.ServiceLoader}. Loads nothing yet. */
    public TensorflowBackendProvider() {
        this(TensorflowBackendProvider::sharedRuntime);
    }

    /**
     * A provider whose native loading is done by {@code loader}; tests inject a failing one to check
     * the unavailable path.
     */
    TensorflowBackendProvider(Callable<TfRuntime> loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** One eager context per JVM, created on first use. */
    private static TfRuntime sharedRuntime() {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                shared = TfRuntime.create(!"false".equalsIgnoreCase(System.getProperty(GPU_PROPERTY)));
            }
            return shared;
        }
    }

    @Override
    public String name() {
        return TensorflowBackend.NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            synchronized (this) {
                a = availability;
                if (a == null) {
                    a = probe();
                    availability = a;
                }
            }
        }
        return a;
    }

    private Availability probe() {
        try {
            TfRuntime rt = loader.call();
            runtime = rt;
            return Availability.available("TensorFlow " + TfRuntime.tensorflowVersion() + " through TensorFlow Java, "
                    + (rt.onGpu() ? "tensors on GPU 0" : "tensors on the CPU"));
        } catch (LinkageError e) {
            // UnsatisfiedLinkError (no native jar), NoClassDefFoundError, ExceptionInInitializerError
            return Availability.unavailable("the TensorFlow native library could not be loaded ("
                    + describe(e) + "); put org.tensorflow:tensorflow-core-native:1.1.0 with the classifier "
                    + "of this platform (e.g. linux-x86_64) on the module path");
        } catch (Exception e) {
            return Availability.unavailable("TensorFlow could not start an eager context (" + describe(e) + ")");
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error e) {
            return Availability.unavailable("TensorFlow failed to load (" + describe(e) + ")");
        }
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            b.append(": ").append(e.getMessage().lines().findFirst().orElse(""));
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            b.append("; caused by ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                b.append(": ").append(cause.getMessage().lines().findFirst().orElse(""));
            }
        }
        return b.toString();
    }

    /**
     * Creates a backend on the shared eager context.
     *
     * @throws IllegalStateException if TensorFlow is not available; the message gives the reason
     */
    @Override
    public Backend create() {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("tensorflow backend is unavailable: " + a.reason());
        }
        return new TensorflowBackend(runtime);
    }
}
