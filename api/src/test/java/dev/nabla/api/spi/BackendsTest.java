package dev.nabla.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.types.NablaException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backend selection: property over environment over priority, and messages that list what was found. */
class BackendsTest {

    private record Fake(String name, int priority, Availability availability) implements BackendProvider {
        @Override
        public Backend create() {
            throw new UnsupportedOperationException("not needed");
        }
    }

    private final BackendProvider slow = new Fake("reference", 0, Availability.available("pure Java"));
    private final BackendProvider fast = new Fake("native", 100, Availability.available("OpenBLAS"));
    private final BackendProvider gpu = new Fake("cuda", 200, Availability.unavailable("no GPU found"));
    private final List<BackendProvider> found = List.of(gpu, fast, slow);

    @Test
    void picksHighestPriorityAvailableWhenNothingIsNamed() {
        Backends.Selection s = Backends.select(null, null, found);
        assertEquals("native", s.provider().name());
        assertTrue(s.reason().contains("highest priority"), s.reason());
    }

    @Test
    void propertyWinsOverEnvironment() {
        assertEquals("reference", Backends.select("reference", "native", found).provider().name());
        assertEquals("native", Backends.select(" ", "native", found).provider().name());
        assertEquals("reference", Backends.select(null, "REFERENCE", found).provider().name());
    }

    @Test
    void unknownNameListsEverythingFound() {
        NablaException e = assertThrows(NablaException.class, () -> Backends.select("tpu", null, found));
        String m = e.getMessage();
        assertTrue(m.contains("'tpu'") && m.contains("unknown") && m.contains("-Dnabla.backend"), m);
        assertTrue(m.contains("reference") && m.contains("native") && m.contains("cuda"), m);
        assertTrue(m.contains("no GPU found"), "reason of the unavailable one must be listed: " + m);
    }

    @Test
    void unavailableNameSaysWhy() {
        NablaException e = assertThrows(NablaException.class, () -> Backends.select(null, "cuda", found));
        assertTrue(e.getMessage().contains("unavailable: no GPU found"), e.getMessage());
        assertTrue(e.getMessage().contains("NABLA_BACKEND"), e.getMessage());
    }

    @Test
    void nothingAvailableIsAnError() {
        NablaException e = assertThrows(NablaException.class, () -> Backends.select(null, null, List.of(gpu)));
        assertTrue(e.getMessage().contains("no backend is available") && e.getMessage().contains("no GPU found"),
                e.getMessage());
        assertThrows(NablaException.class, () -> Backends.select(null, null, List.of()));
    }
}
