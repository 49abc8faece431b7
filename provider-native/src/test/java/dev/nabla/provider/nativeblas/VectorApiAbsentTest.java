package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.tensor.Tensor;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Without the incubator module for real: a fresh JVM runs the provider from the class path, where
 * {@code jdk.incubator.vector} is not resolved. The backend must work on its plain loops and say so,
 * and print no incubator warning; given {@code --add-modules jdk.incubator.vector}, the same class path
 * runs the Vector API loops.
 */
class VectorApiAbsentTest {
    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String run(String... extra) throws Exception {
        List<String> entries = new ArrayList<>(List.of(location(VectorApiAbsentProbe.class).toString(),
                location(NativeBackendProvider.class).toString(), location(Tensor.class).toString()));
        // the OpenBLAS jar, a source of .so files, from wherever surefire put it
        Stream.of(System.getProperty("java.class.path", ""), System.getProperty("jdk.module.path", ""))
                .flatMap(p -> Arrays.stream(p.split(File.pathSeparator)))
                .filter(e -> e.contains("openblas") && e.endsWith(".jar")).findFirst().ifPresent(entries::add);
        // test-classes is patched into the module here: its location may be the main classes' folder
        entries.add(location(VectorApiAbsentProbe.class).resolveSibling("test-classes").toString());
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED"));
        String cache = System.getProperty("nabla.cache.dir");
        if (cache != null) {
            command.add("-Dnabla.cache.dir=" + cache);
        }
        command.addAll(List.of(extra));
        command.addAll(List.of("-cp", String.join(File.pathSeparator, entries), VectorApiAbsentProbe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("probe: answers right"), out);
        return out;
    }

    @Test
    void onTheClassPathTheBackendRunsItsPlainLoops() throws Exception {
        String out = run();
        assertTrue(out.contains("plain loops (module jdk.incubator.vector not available"), out);
        assertFalse(out.contains("Using incubator modules"), out);
    }

    @Test
    void addingTheModuleOnTheClassPathTurnsTheVectorLoopsOn() throws Exception {
        String out = run("--add-modules", "jdk.incubator.vector");
        assertTrue(out.contains("Vector API loops ("), out);
    }
}
