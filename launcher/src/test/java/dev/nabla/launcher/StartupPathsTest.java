package dev.nabla.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code ./nabla} starts faster with (docs/startup.md): picocli's jar rewritten by the build to
 * class-file version 52 with stack maps ({@code src/build/ClassFileUpgrade.java}), and the front module
 * path without the providers for the commands that create no backend. Both must change nothing the user
 * sees: the upgraded jar holds the same entries, only newer classes, and picocli parses and prints as
 * before; help and {@code list} print the same on the front path as on the full one.
 */
class StartupPathsTest {
    private static final Path LOGS = Path.of("target", "startup-paths");

    /** The upgraded copies the build wrote (target/modules and target/front-modules). */
    private static List<Path> upgradedJars() {
        String paths = System.getProperty("nabla.test.upgradedPicocli");
        assertTrue(paths != null && !paths.isBlank(), "nabla.test.upgradedPicocli is not set (run by Maven)");
        return Arrays.stream(paths.split(",")).map(Path::of).toList();
    }

    private static Path originalJar() {
        return Path.of(System.getProperty("nabla.test.picocliJar"));
    }

    /** Every entry of a jar: name to bytes, in order. */
    private static Map<String, byte[]> entries(Path jar) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>();
        try (JarFile f = new JarFile(jar.toFile())) {
            for (var e : java.util.Collections.list(f.entries())) {
                try (InputStream in = f.getInputStream(e)) {
                    all.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return all;
    }

    private static int major(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    @Test
    void theUpgradedPicocliHoldsTheSameEntriesWithNoClassOlderThanJava8() throws IOException {
        Map<String, byte[]> original = entries(originalJar());
        long old = original.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".class") && major(e.getValue()) < 52).count();
        assertTrue(old > 100, "the original picocli jar was expected to hold Java 5 classes, has " + old);
        for (Path jar : upgradedJars()) {
            Map<String, byte[]> upgraded = entries(jar);
            assertEquals(new ArrayList<>(original.keySet()), new ArrayList<>(upgraded.keySet()), jar + ": other entries");
            for (var e : upgraded.entrySet()) {
                byte[] was = original.get(e.getKey());
                if (e.getKey().endsWith(".class") && major(was) < 52) {
                    assertEquals(52, major(e.getValue()), jar + "!" + e.getKey());
                } else {   // resources, the manifest, module-info (version 53): copied unchanged
                    assertArrayEquals(was, e.getValue(), jar + "!" + e.getKey() + " changed");
                }
            }
        }
    }

    /** This JVM's module path with picocli's jar replaced by {@code picocli}. */
    private static List<Path> modulesWith(Path picocli) {
        List<Path> modules = new ArrayList<>();
        for (Path e : ChildJvm.entries()) {
            if (!ChildJvm.isOpenBlasJar(e)) {
                modules.add(e.getFileName().toString().startsWith("picocli-") ? picocli : e);
            }
        }
        return modules;
    }

    private static ChildJvm.Result run(List<Path> modules, List<String> options, String... args) {
        List<Path> classPath = ChildJvm.entries().stream().filter(ChildJvm::isOpenBlasJar).toList();
        return ChildJvm.run(ChildJvm.command(modules, classPath, options, args), LOGS);
    }

    @Test
    void picocliFromTheUpgradedJarVerifiesAndParsesAsTheOriginalDoes() {
        Path upgraded = upgradedJars().getFirst();
        List<String> options = List.of("--enable-native-access=dev.nabla.provider.nativeblas");
        // usage help, a subcommand's help and a usage error exercise picocli's model, help and parser
        for (String line : List.of("--help", "train --help", "train realnvp --dataset moons --epochs x", "nonsense")) {
            ChildJvm.Result before = run(modulesWith(originalJar()), options, line.split(" "));
            ChildJvm.Result after = run(modulesWith(upgraded), options, line.split(" "));
            assertEquals(before.status(), after.status(), line + ":\n" + after.transcript());
            assertEquals(before.out(), after.out(), line);
            assertEquals(before.err(), after.err(), line);
        }
        // the classes came from the upgraded jar, and the JVM's verifier (on for every class of the module
        // path) accepted their stack maps
        List<String> verbose = new ArrayList<>(options);
        verbose.add("-Xlog:class+load");
        ChildJvm.Result r = run(modulesWith(upgraded), verbose, "train", "--help");
        assertEquals(0, r.status(), r.transcript());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("picocli.CommandLine ") && l.contains(upgraded.toAbsolutePath().toString())),
                "picocli was not loaded from " + upgraded + ":\n" + r.out().lines().filter(l -> l.contains("picocli.CommandLine "))
                        .toList());
    }

    @Test
    void helpAndListPrintTheSameOnTheFrontPathWithoutTheProviders() {
        List<Path> full = modulesWith(originalJar());
        List<Path> front = full.stream().filter(p -> !p.getFileName().toString().startsWith("nabla-provider-")
                && !p.toString().contains("provider-native") && !p.toString().contains("provider-reference")).toList();
        assertEquals(full.size() - 2, front.size(), "expected to leave out the two shipped providers: " + full);
        // the front path's options as ./nabla gives them: native access for JLine only (naming the absent
        // provider would make the JVM warn on every command)
        List<String> frontOptions = List.of("--enable-native-access=org.jline.nativ", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC");
        for (String line : List.of("--help", "--version", "train --help", "list", "list --help")) {
            ChildJvm.Result a = run(full, List.of("--enable-native-access=dev.nabla.provider.nativeblas"), line.split(" "));
            ChildJvm.Result b = ChildJvm.run(ChildJvm.command(front, List.of(), frontOptions, line.split(" ")), LOGS);
            assertEquals(0, a.status(), a.transcript());
            assertEquals(0, b.status(), b.transcript());
            assertEquals(a.out(), b.out(), line);
            assertEquals(a.err(), b.err(), line);
            assertEquals("", b.err(), line + ": the front path printed to standard error");
        }
        // and the front path's boot layer has no incubator module, which is what lets the start-up cache hold
        // the module graph
        ChildJvm.Result b = ChildJvm.run(ChildJvm.command(front, List.of(), List.of("--show-module-resolution"), "--version"), LOGS);
        assertTrue(b.out().contains("dev.nabla.launcher") && !b.out().contains("jdk.incubator.vector"), b.transcript());
    }

    /**
     * The native provider requires the Vector API statically: on the full module path it is resolved only
     * with {@code --add-modules jdk.incubator.vector} (as ./nabla adds it for long runs), and a training
     * runs either way, on the plain loops or the vector loops, to the same losses.
     */
    @Test
    void theFullPathResolvesTheVectorApiOnlyWhenAskedAndTrainsTheSameEitherWay() throws IOException {
        List<Path> full = modulesWith(originalJar());
        List<String> access = List.of("--enable-native-access=dev.nabla.provider.nativeblas");
        ChildJvm.Result lean = run(full, List.of("--show-module-resolution"), "--version");
        assertEquals(0, lean.status(), lean.transcript());
        assertTrue(lean.out().contains("dev.nabla.provider.nativeblas") && !lean.out().contains("jdk.incubator.vector"),
                lean.transcript());
        ChildJvm.Result vector = run(full, List.of("--show-module-resolution", "--add-modules", "jdk.incubator.vector"), "--version");
        assertTrue(vector.out().contains("jdk.incubator.vector"), vector.transcript());

        java.nio.file.Files.createDirectories(LOGS);
        Map<String, List<String>> metrics = new LinkedHashMap<>();
        for (String path : List.of("plain", "vector")) {
            Path out = java.nio.file.Files.createTempDirectory(LOGS.toAbsolutePath(), path);
            List<String> options = new ArrayList<>(access);
            if (path.equals("vector")) {
                options.addAll(List.of("--add-modules", "jdk.incubator.vector"));
            }
            options.add("-Dnabla.threads=1");
            options.add("-Xlog:class+load=info");   // which loops ran: the vector ones live in VectorRows
            ChildJvm.Result r = run(full, options, "train", "realnvp", "--dataset", "moons", "--steps", "20",
                    "--batch-size", "64", "--samples", "0", "--progress", "none", "--backend", "native",
                    "--out", out.resolve("run").toString());
            assertEquals(0, r.status(), r.transcript());
            boolean vectorLoops = r.out().lines().anyMatch(l -> l.contains("dev.nabla.provider.nativeblas.kernels.VectorRows "));
            assertEquals(path.equals("vector"), vectorLoops, path + ": the Vector API loops were "
                    + (vectorLoops ? "" : "not ") + "loaded");
            metrics.put(path, java.nio.file.Files.readAllLines(out.resolve("run").resolve("metrics.csv")));
        }
        List<String> plain = metrics.get("plain");
        List<String> vectorRows = metrics.get("vector");
        assertEquals(plain.size(), vectorRows.size());
        assertTrue(plain.size() > 20, "20 steps of metrics expected: " + plain);
        // step, train loss, ...: the first step's loss agrees to its printed digits; the updates then differ
        // by rounding (exp, tanh and sums are within a few ulps of each other, not bit for bit, and Adam's
        // first steps move every weight by about lr whatever the size of its gradient), so the losses stay
        // close without being equal
        assertEquals(Double.parseDouble(plain.get(1).split(",")[1]), Double.parseDouble(vectorRows.get(1).split(",")[1]),
                2e-6, plain.get(1) + " / " + vectorRows.get(1));
        for (int i = 1; i < plain.size(); i++) {
            String[] a = plain.get(i).split(",");
            String[] c = vectorRows.get(i).split(",");
            assertEquals(a[0], c[0], "step column");
            double la = Double.parseDouble(a[1]);
            double lc = Double.parseDouble(c[1]);
            assertEquals(la, lc, 2e-3 * Math.max(1, Math.abs(la)), "row " + i + ": " + plain.get(i) + " / " + vectorRows.get(i));
        }
    }
}
