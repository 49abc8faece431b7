package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The same seed on the same backend gives the same numbers, whichever way the JIT went: exp, log, tanh,
 * sigmoid and sums, float32 and float64, computed by the Vector API loops in a JVM that only interprets
 * ({@code -Xint}: every vector operation runs the Vector API's Java fallback) and in one where C2 has
 * compiled the loops (checked in its {@code -XX:+PrintCompilation} output) must agree bit for bit.
 * With {@code lanewise(EXP/LOG/TANH)} (the JDK's vector math library when compiled, {@link Math} per lane
 * when not) or {@code reduceLanes(ADD)} (order unspecified) they did not, and a training run gave different
 * numbers from one JVM to the next.
 */
class DeterminismTest {
    /** Loops that must have reached C2 (tier 4) in the compiled run, or the comparison proves nothing. */
    private static final String[] COMPILED = {"expF32", "logF32", "tanhF32", "sigmoidF32", "expF64", "sigmoidF64",
        "sumF32", "sumF64"};

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String run(int rounds, String... jvm) throws Exception {
        List<String> entries = new ArrayList<>(List.of(location(DeterminismProbe.class).toString(),
                location(NativeBackendProvider.class).toString(), location(Tensor.class).toString()));
        // the OpenBLAS jar, a source of .so files, from wherever surefire put it
        Stream.of(System.getProperty("java.class.path", ""), System.getProperty("jdk.module.path", ""))
                .flatMap(p -> Arrays.stream(p.split(File.pathSeparator)))
                .filter(e -> e.contains("openblas") && e.endsWith(".jar")).findFirst().ifPresent(entries::add);
        // test-classes is patched into the module here: its location may be the main classes' folder
        entries.add(location(DeterminismProbe.class).resolveSibling("test-classes").toString());
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-Dnabla.native.warmup=false", "-Dnabla.threads=1"));
        String cache = System.getProperty("nabla.cache.dir");
        if (cache != null) {
            command.add("-Dnabla.cache.dir=" + cache);
        }
        command.addAll(List.of(jvm));
        command.addAll(List.of("-cp", String.join(File.pathSeparator, entries), DeterminismProbe.class.getName(),
                Integer.toString(rounds)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the JVM finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("probe: done") && out.contains("Vector API loops ("), out);
        return out;
    }

    private static String results(String out) {
        return out.lines().filter(l -> l.startsWith("result ")).collect(Collectors.joining("\n"));
    }

    @Test
    void interpretedAndCompiledVectorLoopsGiveTheSameBits() throws Exception {
        String interpreted = run(0, "-Xint");
        String compiled = run(3000, "-Xbatch", "-XX:+PrintCompilation");
        for (String loop : COMPILED) {
            Pattern tier4 = Pattern.compile("\\s4\\s+dev\\.nabla\\.provider\\.nativeblas\\.kernels\\.VectorRows::"
                    + loop + "\\b");
            assertTrue(compiled.lines().anyMatch(l -> tier4.matcher(l).find()), "C2 compiled VectorRows::" + loop);
        }
        assertEquals(14, results(interpreted).lines().count(), interpreted);
        assertEquals(results(interpreted), results(compiled));
    }
}
