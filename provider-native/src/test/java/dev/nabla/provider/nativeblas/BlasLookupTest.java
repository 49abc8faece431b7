package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.spi.Availability;
import dev.nabla.provider.nativeblas.blas.BlasLocator;
import dev.nabla.provider.nativeblas.blas.BundledOpenBlas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BLAS lookup: {@code NABLA_BLAS_LIBRARY} pointing at garbage, at a missing file and at a library
 * without CBLAS each fail their attempt with a reason (and the JVM carries on); with nothing usable
 * the provider is unavailable and says what it tried; a runtime image's libraries under
 * {@code java.home} are loaded after the system's and before the jar's, and a missing or broken one
 * falls through with its reason; the bundled libraries are extracted into the cache folder with a
 * manifest, checked, and extracted again when damaged.
 */
class BlasLookupTest {
    @TempDir
    Path tmp;

    private static BlasLocator onlyEnv(String path) {
        return new BlasLocator(Map.of(BlasLocator.ENV, path)::get, null, null);
    }

    private BundledOpenBlas bundledIn(Path folder) {
        return new BundledOpenBlas(folder, BundledOpenBlas::openResource);
    }

    @Test
    void aGarbageFileFailsItsAttemptWithTheLoadersReason() throws IOException {
        Path garbage = tmp.resolve("libgarbage.so");
        // not an ELF file at all (random bytes made the JVM warn about a disabled stack guard in every build)
        Files.writeString(garbage, "this is not a shared library\n".repeat(100));
        BlasLocator.Result r = onlyEnv(garbage.toString()).locate();
        assertNull(r.blas());
        BlasLocator.Attempt a = r.attempts().getFirst();
        assertEquals(BlasLocator.ENV, a.source());
        assertEquals(garbage.toString(), a.candidate());
        assertFalse(a.succeeded());
        assertTrue(r.describe().contains("no usable BLAS library") && r.describe().contains(garbage.toString()),
                r.describe());
    }

    @Test
    void aMissingFileFailsItsAttempt() {
        Path missing = tmp.resolve("no-such-dir/libopenblas.so.0");
        BlasLocator.Result r = onlyEnv(missing.toString()).locate();
        assertNull(r.blas());
        assertEquals(1, r.attempts().size());
        assertTrue(r.describe().contains(missing.toString()), r.describe());
    }

    @Test
    void aLibraryWithoutCblasFailsNamingTheSymbol() {
        Path folder = tmp.resolve("cache");
        Path quadmath = bundledIn(folder).extract().get(1); // a real shared library, but not a BLAS
        assertTrue(quadmath.getFileName().toString().startsWith("libquadmath"));
        BlasLocator.Result r = onlyEnv(quadmath.toString()).locate();
        assertNull(r.blas());
        assertTrue(r.attempts().getFirst().failure().contains("cblas_sgemm"), r.describe());
    }

    @Test
    void withNothingUsableTheProviderIsUnavailableAndSaysWhatItTried() throws IOException {
        Path garbage = Files.write(tmp.resolve("garbage.so"), new byte[] {1, 2, 3});
        BlasLocator locator = new BlasLocator(Map.of(BlasLocator.ENV, garbage.toString())::get,
                "libnabla-test-no-such-blas.so.0", () -> new BundledOpenBlas(tmp.resolve("empty"), name -> null));
        NativeBackendProvider provider = NativeBackendProvider.using(locator, new ThreadSetting(1, "test"));
        Availability a = provider.availability();
        assertFalse(a.available());
        assertTrue(a.reason().contains(garbage.toString()), a.reason());
        assertTrue(a.reason().contains("system libnabla-test-no-such-blas.so.0"), a.reason());
        assertTrue(a.reason().contains("bundled") && a.reason().contains("not found"), a.reason());
        IllegalStateException e = assertThrows(IllegalStateException.class, provider::create);
        assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
        assertEquals(NativeBackendProvider.PRIORITY, provider.priority());
        assertTrue(provider.priority() > 50, "native must outrank the TensorFlow provider (50)");
        assertEquals("native", provider.name());
    }

    @Test
    void aBrokenExplicitLibraryFallsBackToTheBundledOneAndSaysSo() throws IOException {
        Path garbage = Files.write(tmp.resolve("garbage.so"), new byte[] {9, 9, 9});
        BlasLocator locator = new BlasLocator(Map.of(BlasLocator.ENV, garbage.toString())::get, null,
                () -> bundledIn(tmp.resolve("cache")));
        BlasLocator.Result r = locator.locate();
        assertTrue(r.library().isPresent(), r.describe());
        assertEquals(List.of(false, true), r.attempts().stream().map(BlasLocator.Attempt::succeeded).toList());
        assertTrue(r.describe().contains("after: " + BlasLocator.ENV + " " + garbage), r.describe());
    }

    /**
     * A made-up Java home whose {@value BlasLocator#IMAGE_LIBRARIES} holds {@code libraries}, copied from
     * an extraction of the bundled jar, as the image build lays them out.
     */
    private Path javaHomeWith(List<String> libraries) throws IOException {
        List<Path> extracted = bundledIn(tmp.resolve("extracted")).extract();
        Path home = tmp.resolve("image");
        Path folder = Files.createDirectories(BlasLocator.imageFolder(home));
        for (Path lib : extracted) {
            String name = lib.getFileName().toString();
            if (libraries.contains(name)) {
                Files.copy(lib, folder.resolve(name));
            }
        }
        return home;
    }

    @Test
    void theImagesLibrariesAreLoadedAfterTheSystemLibraryAndTheAvailabilitySaysSo() throws IOException {
        Path home = javaHomeWith(BundledOpenBlas.LIBRARIES);
        Path folder = home.resolve("lib/nabla/openblas");
        assertEquals(folder, BlasLocator.imageFolder(home));
        BlasLocator locator = new BlasLocator(Map.<String, String>of()::get, "libnabla-test-no-such-blas.so.0",
                folder, () -> {
                    throw new AssertionError("the bundled jar is not needed when the image has OpenBLAS");
                });
        BlasLocator.Result r = locator.locate();
        assertTrue(r.library().isPresent(), r.describe());
        assertEquals(List.of("system", "image"), r.attempts().stream().map(BlasLocator.Attempt::source).toList());
        assertEquals(folder.resolve("libopenblas.so.0").toString(), r.blas().origin());
        assertTrue(r.blas().config().startsWith("OpenBLAS"), r.blas().config());
        assertTrue(r.describe().startsWith("OpenBLAS (image) from " + folder.resolve("libopenblas.so.0")), r.describe());
        Availability a = NativeBackendProvider.using(locator, new ThreadSetting(1, "test")).availability();
        assertTrue(a.available(), a.reason());
        assertTrue(a.reason().startsWith("OpenBLAS (image) from " + folder), a.reason());
        assertTrue(a.reason().contains("after: system libnabla-test-no-such-blas.so.0"), a.reason());
    }

    @Test
    void anImageMissingALibraryFallsThroughToTheBundledJarNamingTheFile() throws IOException {
        Path folder = BlasLocator.imageFolder(javaHomeWith(List.of("libgcc_s.so.1", "libquadmath.so.0", "libopenblas.so.0")));
        BlasLocator.Result r = new BlasLocator(Map.<String, String>of()::get, null, folder,
                () -> bundledIn(tmp.resolve("cache"))).locate();
        assertTrue(r.library().isPresent(), r.describe());
        assertEquals(List.of("image", "bundled"), r.attempts().stream().map(BlasLocator.Attempt::source).toList());
        assertEquals("libgfortran.so.5 is missing", r.attempts().getFirst().failure());
        assertTrue(r.describe().startsWith("OpenBLAS (bundled) from "), r.describe());
        assertTrue(r.describe().contains("after: image " + folder + ": libgfortran.so.5 is missing"), r.describe());
    }

    @Test
    void aGarbageImageLibraryFailsWithTheLoadersReasonAndFallsThrough() throws IOException {
        Path folder = BlasLocator.imageFolder(javaHomeWith(BundledOpenBlas.LIBRARIES));
        byte[] bytes = new byte[4096];
        new Random(2).nextBytes(bytes);
        Files.write(folder.resolve("libopenblas.so.0"), bytes);
        BlasLocator.Result fallback = new BlasLocator(Map.<String, String>of()::get, null, folder,
                () -> bundledIn(tmp.resolve("cache"))).locate();
        assertTrue(fallback.library().isPresent(), fallback.describe());
        assertEquals(List.of(false, true), fallback.attempts().stream().map(BlasLocator.Attempt::succeeded).toList());
        BlasLocator.Attempt image = fallback.attempts().getFirst();
        assertEquals("image", image.source());
        assertEquals(folder.toString(), image.candidate());
        assertFalse(image.failure().isBlank());
        // with no jar to fall back on, the backend is unavailable and names the image's folder
        BlasLocator.Result none = new BlasLocator(Map.<String, String>of()::get, null, folder, null).locate();
        assertNull(none.blas());
        assertTrue(none.describe().startsWith("no usable BLAS library; tried: image " + folder + ": "), none.describe());
    }

    @Test
    void aJavaHomeWithoutTheFolderIsNotAnImageAndTheStepIsSkipped() throws IOException {
        Path jdk = Files.createDirectories(tmp.resolve("jdk/lib"));
        BlasLocator.Result r = new BlasLocator(Map.<String, String>of()::get, null,
                BlasLocator.imageFolder(jdk.getParent()), () -> bundledIn(tmp.resolve("cache"))).locate();
        assertTrue(r.library().isPresent(), r.describe());
        assertEquals(List.of("bundled"), r.attempts().stream().map(BlasLocator.Attempt::source).toList());
        // the JDK running these tests is no image: the standard lookup does not mention the step
        assertFalse(Files.exists(BlasLocator.imageFolder(Path.of(System.getProperty("java.home")))));
        assertTrue(BlasLocator.standard().locate().attempts().stream().noneMatch(a -> a.source().equals("image")));
    }

    @Test
    void bundledLibrariesAreExtractedWithAManifestAndExtractedAgainWhenDamaged() throws IOException {
        Path folder = tmp.resolve("openblas");
        BundledOpenBlas bundled = bundledIn(folder);
        assertFalse(bundled.verified());
        List<Path> libs = bundled.extract();
        assertEquals(BundledOpenBlas.LIBRARIES, libs.stream().map(p -> p.getFileName().toString()).toList());
        assertTrue(bundled.verified());
        Properties manifest = new Properties();
        try (var in = Files.newInputStream(folder.resolve(BundledOpenBlas.MANIFEST))) {
            manifest.load(in);
        }
        Path openblas = libs.getLast();
        long size = Files.size(openblas);
        assertTrue(manifest.getProperty("libopenblas.so.0").startsWith(size + ":"));
        // truncate one library: the check fails and the next extract() repairs it
        Files.write(openblas, new byte[] {0x7f, 'E', 'L', 'F'});
        assertFalse(bundled.verified());
        bundled.extract();
        assertEquals(size, Files.size(openblas));
        assertTrue(bundled.verified());
        // same size, one byte changed: the write changed its time, and the hash catches it too
        byte[] quad = Files.readAllBytes(libs.get(1));
        quad[quad.length / 2] ^= 1;
        Files.write(libs.get(1), quad);
        assertFalse(bundled.verified());
        assertFalse(bundled.verifiedByHash());
        bundled.extract();
        assertTrue(bundled.verified());
        assertTrue(bundled.verifiedByHash());
        try (var files = Files.list(folder)) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void theStartupCheckComparesSizeAndTimeWithoutHashing() throws IOException {
        Path folder = tmp.resolve("openblas");
        List<Path> libs = bundledIn(folder).extract();
        // an untouched cache is accepted: nothing is extracted again
        int[] opened = {0};
        BundledOpenBlas counting = new BundledOpenBlas(folder, name -> {
            opened[0]++;
            return BundledOpenBlas.openResource(name);
        });
        assertTrue(counting.verified());
        assertEquals(libs, counting.extract());
        assertEquals(0, opened[0], "an untouched cache is not extracted again");
        // one byte changed behind the check's back (time put back): the startup check reads no
        // library bytes, so it still accepts; only the hash would tell
        Path quad = libs.get(1);
        FileTime quadTime = Files.getLastModifiedTime(quad);
        byte[] bytes = Files.readAllBytes(quad);
        bytes[bytes.length / 2] ^= 1;
        Files.write(quad, bytes);
        Files.setLastModifiedTime(quad, quadTime);
        assertTrue(counting.verified(), "the startup check must not hash");
        assertFalse(counting.verifiedByHash());
        bytes[bytes.length / 2] ^= 1;
        Files.write(quad, bytes);
        Files.setLastModifiedTime(quad, quadTime);
        // a size change (time put back) fails the check by size alone and is extracted again
        Path openblas = libs.getLast();
        long size = Files.size(openblas);
        FileTime time = Files.getLastModifiedTime(openblas);
        Files.write(openblas, new byte[] {0x7f, 'E', 'L', 'F'});
        Files.setLastModifiedTime(openblas, time);
        assertFalse(counting.verified());
        counting.extract();
        assertEquals(BundledOpenBlas.LIBRARIES.size(), opened[0], "extracted again");
        assertEquals(size, Files.size(openblas));
        assertTrue(counting.verified());
        assertTrue(counting.verifiedByHash());
        // a manifest without times (an older version's) is extracted again once, then accepted
        Properties manifest = new Properties();
        Path manifestFile = folder.resolve(BundledOpenBlas.MANIFEST);
        try (var in = Files.newInputStream(manifestFile)) {
            manifest.load(in);
        }
        for (String lib : BundledOpenBlas.LIBRARIES) {
            String[] f = manifest.getProperty(lib).split(":");
            assertEquals(3, f.length, manifest.getProperty(lib));
            manifest.setProperty(lib, f[0] + ":" + f[1]);
        }
        try (var out = Files.newOutputStream(manifestFile)) {
            manifest.store(out, null);
        }
        assertFalse(counting.verified());
        assertTrue(counting.verifiedByHash());
        counting.extract();
        assertTrue(counting.verified());
    }

    @Test
    void theJarIsReadAsAZipFileWhereNoLoaderSeesIt() throws Exception {
        // where the build put the jar (on the class path here); on a module path no loader would see it
        String name = BundledOpenBlas.RESOURCE_DIR + "libquadmath.so.0";
        java.net.URL url = ClassLoader.getSystemClassLoader().getResource(name);
        assertTrue(url != null && url.getProtocol().equals("jar"), String.valueOf(url));
        String file = url.getPath().substring("file:".length(), url.getPath().indexOf("!/"));
        Path jar = Path.of(java.net.URI.create("file:" + file));
        for (Path entry : List.of(jar, jar.getParent())) { // a jar, or a module-path directory holding it
            try (var in = BundledOpenBlas.fromJars(name, List.of(tmp, entry))) {
                assertTrue(in != null, "found through " + entry);
                assertEquals(0x7f, in.read(), "an ELF file");
            }
        }
        assertNull(BundledOpenBlas.fromJars(name, List.of(tmp)));
        assertNull(BundledOpenBlas.fromJars(BundledOpenBlas.RESOURCE_DIR + "no-such.so", List.of(jar)));
    }

    @Test
    void aMissingJarIsReportedNotThrownOnTheFloor() {
        BundledOpenBlas none = new BundledOpenBlas(tmp.resolve("x"), name -> null);
        IllegalStateException e = assertThrows(IllegalStateException.class, none::extract);
        assertTrue(e.getMessage().contains("org.bytedeco:openblas") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void theCacheFolderHonoursThePropertyThenXdgThenHome() {
        Map<String, String> props = Map.of("nabla.cache.dir", "/opt/c", "user.home", "/home/u");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", "/xdg");
        String v = "openblas-" + BundledOpenBlas.VERSION;
        assertEquals(Path.of("/opt/c", v), BundledOpenBlas.cacheFolder(env::get, props::get));
        assertEquals(Path.of("/xdg/nabla", v), BundledOpenBlas.cacheFolder(env::get, Map.of("user.home", "/home/u")::get));
        assertEquals(Path.of("/home/u/.cache/nabla", v),
                BundledOpenBlas.cacheFolder(Map.<String, String>of()::get, Map.of("user.home", "/home/u")::get));
    }

    @Test
    void threadsComeFromThePropertyThenTheEnvironmentThenTheCores() {
        Map<String, String> env = Map.of(ThreadSetting.ENV, "3");
        assertEquals(5, ThreadSetting.resolve(env::get, Map.of(ThreadSetting.PROPERTY, "5")::get, 8).threads());
        assertEquals(3, ThreadSetting.resolve(env::get, Map.<String, String>of()::get, 8).threads());
        assertEquals(8, ThreadSetting.resolve(Map.<String, String>of()::get, Map.<String, String>of()::get, 8).threads());
        ThreadSetting bad = ThreadSetting.resolve(Map.of(ThreadSetting.ENV, "lots")::get,
                Map.of(ThreadSetting.PROPERTY, "0")::get, 2);
        assertEquals(2, bad.threads());
        assertTrue(bad.note().contains("ignored -Dnabla.threads=0") && bad.note().contains("NABLA_NUM_THREADS=lots"),
                bad.note());
        assertNotEquals(0, ThreadSetting.current().threads());
    }
}
