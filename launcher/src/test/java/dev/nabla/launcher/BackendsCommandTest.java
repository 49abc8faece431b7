package dev.nabla.launcher;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla backends} and {@code nabla list} against the providers on this test's module path
 * (reference and native, from the launcher's runtime dependencies).
 */
class BackendsCommandTest {
    @Test
    void listsEveryBackendWithItsAvailabilityAndTheSelection() {
        Cli r = Cli.run("backends");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("reference") && r.out().contains("pure Java"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("native") && l.contains("OpenBLAS") && l.contains("thread")),
                "native names its BLAS and threads: " + r.out());
        assertTrue(r.out().contains("selected: native (highest priority available (100))"), r.out());
    }

    @Test
    void theSelectionFollowsTheFlagAndTheEnvironment() {
        Cli flag = Cli.run("backends", "--backend", "reference");
        assertTrue(flag.out().contains("selected: reference (named by --backend)"), flag.out());
        assertTrue(flag.out().lines().anyMatch(l -> l.startsWith("* reference")), flag.out());
        Cli env = Cli.run(Map.of("NABLA_BACKEND", "reference"), "backends");
        assertTrue(env.out().contains("selected: reference (named by NABLA_BACKEND)"), env.out());
        Cli bad = Cli.run(Map.of("NABLA_BACKEND", "nope"), "backends");
        assertEquals(2, bad.status());
        assertTrue(bad.out().contains("selected: none (backend 'nope' (from NABLA_BACKEND) is unknown"), bad.out());
    }

    @Test
    void listShowsModelsDatasetsLayersFlowsAndTrainersWithTheirModule() {
        Cli r = Cli.run("list");
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.contains("realnvp") && out.contains("built-in stack"), out);
        assertTrue(out.contains("moons, circles, 8gaussians, pinwheel, 2spirals, checkerboard"), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("dev.nabla.models:") && l.contains("linear") && l.contains("mlp")), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("dev.nabla.models:") && l.contains("affine_coupling")), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("dev.nabla.models:") && l.contains("distill, mle")), out);
    }
}
