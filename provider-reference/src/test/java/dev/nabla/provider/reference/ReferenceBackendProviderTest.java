package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.FusedKernel;
import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.types.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReferenceBackendProviderTest {

    @Test
    void providerDescribesItself() {
        ReferenceBackendProvider p = new ReferenceBackendProvider();
        assertEquals("reference", p.name());
        assertEquals(0, p.priority());
        assertTrue(p.availability().available());
        assertFalse(p.availability().reason().isBlank());
    }

    @Test
    void backendIsOnCpuAndOffersLogSoftmaxOnly() {
        Backend b = new ReferenceBackendProvider().create();
        assertEquals("reference", b.name());
        assertEquals(Device.CPU, b.device());
        assertTrue(b.fused(LogSoftmaxKernel.class).isPresent());
        assertTrue(b.fused(Unknown.class).isEmpty());
        assertTrue(b.fused(FusedKernel.class).isEmpty());
        assertEquals(java.util.Set.of(LogSoftmaxKernel.class), b.fusedKernels().kinds());
    }

    @Test
    void providerIsRegisteredAsAService() throws IOException {
        String service = BackendProvider.class.getName();
        String impl = ReferenceBackendProvider.class.getName();
        Module module = ReferenceBackendProvider.class.getModule();
        if (module.isNamed()) {
            boolean provided = module.getDescriptor().provides().stream()
                    .anyMatch(p -> p.service().equals(service) && p.providers().contains(impl));
            assertTrue(provided, "module-info does not provide " + service + " with " + impl);
        } else {
            try (InputStream in = ReferenceBackendProvider.class.getClassLoader()
                    .getResourceAsStream("META-INF/services/" + service)) {
                assertTrue(in != null, "no META-INF/services entry for " + service);
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.lines().map(String::trim).anyMatch(impl::equals), text);
            }
        }
    }

    private interface Unknown extends FusedKernel {
    }
}
