package dev.nabla.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code nabla list} offers as models, {@code nabla train} trains, and every {@code --set} key a
 * model does not use is refused by name ({@code dim}, which the data set decides, with that reason).
 */
class ModelKeysTest {
    @TempDir
    Path tmp;

    private Cli train(String model, String... keys) {
        List<String> args = new java.util.ArrayList<>(List.of("train", model, "--dataset", "moons", "--backend",
                "reference", "--progress", "none", "--steps", "2", "--samples", "0", "--out", tmp.resolve(model).toString()));
        for (String k : keys) {
            args.addAll(List.of("--set", k));
        }
        return Cli.run(args.toArray(String[]::new));
    }

    /** The model names of the "models (nabla train MODEL):" section, of the flows family (which fit moons). */
    private static List<String> listedModels(String out) {
        List<String> lines = out.lines().toList();
        int start = lines.indexOf("models (nabla train MODEL):");
        assertTrue(start >= 0, out);
        return lines.subList(start + 1, lines.size()).stream().takeWhile(l -> l.startsWith("  "))
                .filter(l -> l.contains("[flows]")).map(l -> l.strip().split("\\s+")[0]).toList();
    }

    @Test
    void everyListedModelTrainsAndParameterFreeFlowsAreNotListed() {
        Cli list = Cli.run("list");
        assertEquals(0, list.status(), list.err());
        List<String> models = listedModels(list.out());
        assertTrue(models.containsAll(List.of("realnvp", "maf", "iaf")), models.toString());
        assertFalse(models.contains("permute") || models.contains("reverse"), models.toString());
        for (String m : models) {
            Cli r = train(m, "blocks=1");
            assertEquals(0, r.status(), m + ": " + r.err());
        }
        for (String m : List.of("permute", "reverse")) {
            Cli r = train(m);
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().contains("unknown model '" + m + "'") && r.err().contains("realnvp"), r.err());
        }
    }

    @Test
    void dimIsRefusedBecauseTheDataSetDecidesIt() {
        for (String m : List.of("realnvp", "maf", "actnorm")) {
            Cli r = train(m, "dim=3");
            assertEquals(2, r.status(), m + ": " + r.out() + r.err());
            assertTrue(r.err().contains("'dim'") && r.err().contains("comes from the data set")
                    && r.err().contains("moons has dim 2"), r.err());
            assertFalse(Files.exists(tmp.resolve(m)), "a refused key leaves no run folder");
        }
    }

    @Test
    void aKeyTheModelDoesNotUseIsRefusedByName() {
        for (String[] c : new String[][] {{"realnvp", "hiden=8"}, {"maf", "mask=half"}, {"actnorm", "hidden=8"},
                {"iaf", "net=mlp2"}}) {
            Cli r = train(c[0], c[1]);
            String key = c[1].substring(0, c[1].indexOf('='));
            assertEquals(2, r.status(), c[0] + " " + c[1] + ": " + r.out() + r.err());
            assertTrue(r.err().contains(key), c[0] + " " + c[1] + ": " + r.err());
        }
    }
}
