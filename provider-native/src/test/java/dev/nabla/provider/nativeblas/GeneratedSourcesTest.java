package dev.nabla.provider.nativeblas;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The build's check that the generators in {@code provider-native/gen} reproduce the checked-in kernel
 * sources: each script is run with Python 3 into a temporary folder and its output must equal the file
 * under {@code src/main/java} byte for byte. An edit to a generated file (instead of its template) or
 * to a template without regenerating fails here, naming the first line that differs.
 */
class GeneratedSourcesTest {
    private static final Path KERNELS = Path.of("src/main/java/dev/nabla/provider/nativeblas/kernels");

    @ParameterizedTest(name = "{0} writes {1}")
    @CsvSource({"unary_rows.py, UnaryRows.java", "binary_rows.py, BinaryRows.java", "vector_rows.py, VectorRows.java"})
    void generatorReproducesTheCheckedInSource(String script, String generated, @TempDir Path out)
            throws IOException, InterruptedException {
        Path gen = Path.of("gen", script);
        assertTrue(Files.isRegularFile(gen), "generator " + gen.toAbsolutePath() + " is missing");
        Process p;
        try {
            p = new ProcessBuilder(List.of("python3", gen.toString(), out.toString()))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("checking that gen/" + script + " reproduces " + generated + " needs python3 on PATH: " + e.getMessage());
            return;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 gen/" + script + " did not finish in 60 s");
        assertEquals(0, p.exitValue(), "python3 gen/" + script + " failed:\n" + log);
        List<String> expected = Files.readAllLines(KERNELS.resolve(generated));
        List<String> actual = Files.readAllLines(out.resolve(generated));
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), generated + " line " + (i + 1) + " is not what gen/" + script
                    + " writes: edit the template and run python3 provider-native/gen/" + script);
        }
        assertEquals(expected.size(), actual.size(), generated + " has " + expected.size() + " lines, gen/" + script
                + " writes " + actual.size() + ": run python3 provider-native/gen/" + script);
        assertEquals(-1L, Files.mismatch(KERNELS.resolve(generated), out.resolve(generated)),
                generated + " differs from gen/" + script + "'s output in line endings or the final newline");
    }
}
