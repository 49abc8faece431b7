package dev.nabla.provider.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.spi.Availability;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.types.Device;
import dev.nabla.provider.tensorflow.runtime.TfRuntime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The availability probe: a native library that cannot load makes the backend unavailable with the
 * reason (and nothing is thrown); the real one loads here; the ServiceLoader finds the provider with
 * its priority between the reference (0) and the native provider (100).
 */
class AvailabilityTest {

    @Test
    void aMissingNativeLibraryIsReportedNotThrown() {
        AtomicInteger calls = new AtomicInteger();
        TensorflowBackendProvider p = new TensorflowBackendProvider(() -> {
            calls.incrementAndGet();
            throw new UnsatisfiedLinkError("no jnitensorflow in java.library.path");
        });
        Availability a = p.availability();
        assertFalse(a.available());
        assertTrue(a.reason().contains("UnsatisfiedLinkError: no jnitensorflow")
                && a.reason().contains("tensorflow-core-native"), a.reason());
        assertEquals(a, p.availability(), "the result is cached");
        assertEquals(1, calls.get(), "the loader runs once");
        IllegalStateException e = assertThrows(IllegalStateException.class, p::create);
        assertTrue(e.getMessage().contains("unavailable") && e.getMessage().contains("jnitensorflow"), e.getMessage());
    }

    @Test
    void classInitialisationFailuresAndTensorflowErrorsAreReportedToo() {
        Availability init = new TensorflowBackendProvider(() -> {
            throw new ExceptionInInitializerError(new IllegalStateException("broken static init"));
        }).availability();
        assertFalse(init.available());
        assertTrue(init.reason().contains("ExceptionInInitializerError") && init.reason().contains("broken static init"),
                init.reason());

        Availability missingClass = new TensorflowBackendProvider(() -> {
            throw new NoClassDefFoundError("org/tensorflow/internal/c_api/global/tensorflow");
        }).availability();
        assertFalse(missingClass.available());
        assertTrue(missingClass.reason().contains("NoClassDefFoundError"), missingClass.reason());

        Availability runtime = new TensorflowBackendProvider(() -> {
            throw new IllegalStateException("cannot create context");
        }).availability();
        assertFalse(runtime.available());
        assertTrue(runtime.reason().contains("eager context") && runtime.reason().contains("cannot create context"),
                runtime.reason());
    }

    @Test
    void theRealNativeLibraryLoadsAndRunsOnTheCpuHere() {
        TensorflowBackendProvider p = new TensorflowBackendProvider();
        Availability a = p.availability();
        assertTrue(a.available(), a.reason());
        assertTrue(a.reason().startsWith("TensorFlow 2."), a.reason());
        assertEquals("tensorflow", p.name());
        assertEquals(50, p.priority());
        // this machine has no GPU: the probe must fall back to the CPU
        assertEquals(Device.CPU, p.create().device());
        assertTrue(a.reason().contains("on the CPU"), a.reason());
    }

    @Test
    void theGpuProbeFindsNoGpuHereAndKeepsTensorsOnTheCpu() {
        TfRuntime rt = TfRuntime.create(true);
        assertFalse(rt.onGpu(), "no GPU on this machine; the CPU build must not report one");
        assertEquals(Device.CPU, rt.device());
    }

    @Test
    void serviceLoaderFindsBothProvidersAndPrefersTensorflowOverTheReference() {
        List<BackendProvider> found = Backends.providers();
        assertTrue(found.stream().anyMatch(p -> p.name().equals("tensorflow") && p.availability().available()),
                Backends.describe(found));
        assertTrue(found.stream().anyMatch(p -> p.name().equals("reference")), Backends.describe(found));
        if (System.getProperty(Backends.PROPERTY) == null && System.getenv(Backends.ENV) == null) {
            assertEquals("tensorflow", Nabla.backend().name(), "priority 50 beats the reference's 0");
        }
        assertEquals("reference", Nabla.backend("reference").name());
    }
}
