package dev.nabla.provider.nativeblas.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds and loads a CBLAS library, trying in order:
 * <ol>
 *   <li>the path in the environment variable {@value #ENV}, when set;</li>
 *   <li>the system's {@value #SYSTEM_LIBRARY} (the dynamic linker's search path);</li>
 *   <li>the libraries shipped in a runtime image made by {@code jlink} (the {@code image} build), in
 *       {@code ${java.home}/}{@value #IMAGE_LIBRARIES}: the four files of {@link BundledOpenBlas#LIBRARIES},
 *       loaded as the extracted ones are (next step); skipped when that folder does not exist, as in any
 *       ordinary JDK;</li>
 *   <li>the copy bundled in the {@code org.bytedeco:openblas} jar, extracted to a cache folder
 *       ({@link BundledOpenBlas}): its {@code libgfortran} and {@code libquadmath} are loaded first
 *       (and {@code libgcc_s}, unless the system already has one), then {@code libopenblas}.</li>
 * </ol>
 * The first library that loads and has {@code cblas_sgemm} and {@code cblas_dgemm} wins. Every
 * attempt is recorded with the reason it failed, so that an unavailable backend can say what was
 * tried. A missing file, a file that is not a shared library, or a library without the symbols fails
 * its attempt with an exception caught here; nothing reaches the JVM's crash handler.
 *
 * <p>Libraries are loaded into the {@linkplain Arena#global() global arena}: OpenBLAS keeps worker
 * threads running inside its code, so it must never be unloaded while the process lives.
 *
 * <p>The environment, the system library's name, the image folder and the bundled source are
 * injected, so tests can point {@value #ENV} at a broken file, or the image step at a made-up Java home,
 * without touching the real environment.
 */
@SuppressWarnings("restricted") // loading libraries is this class's purpose; the module needs native access
public final class BlasLocator {
    /** The environment variable naming a BLAS library to load first. */
    public static final String ENV = "NABLA_BLAS_LIBRARY";
    /** The system library tried second. */
    public static final String SYSTEM_LIBRARY = "libopenblas.so.0";
    /** Where a runtime image keeps its OpenBLAS libraries, relative to its {@code java.home}. */
    public static final String IMAGE_LIBRARIES = "lib/nabla/openblas";

    /**
     * One attempt to load a library.
     *
     * @param source    which step of the lookup order ({@code "NABLA_BLAS_LIBRARY"}, {@code "system"},
     *                  {@code "image"}, {@code "bundled"})
     * @param candidate the path or library name tried
     * @param failure   why it failed, or null if it loaded
     */
    public record Attempt(String source, String candidate, String failure) {
        /** True if this attempt loaded the library. */
        public boolean succeeded() {
            return failure == null;
        }

        @Override
        public String toString() {
            return source + " " + candidate + (failure == null ? ": loaded" : ": " + failure);
        }
    }

    /**
     * The outcome of {@link #locate()}.
     *
     * @param blas     the library found, or null
     * @param attempts every attempt, in order
     */
    public record Result(OpenBlas blas, List<Attempt> attempts) {
        /** Copies the attempts. */
        public Result {
            attempts = List.copyOf(attempts);
        }

        /** The library, if one loaded. */
        public Optional<OpenBlas> library() {
            return Optional.ofNullable(blas);
        }

        /**
         * One line: what loaded and by which step (or that nothing did), after the failed attempts and
         * their reasons.
         */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            String step = attempts.stream().filter(Attempt::succeeded).map(Attempt::source).findFirst().orElse(null);
            sb.append(blas == null ? "no usable BLAS library"
                    : "OpenBLAS" + (step == null ? "" : " (" + step + ")") + " from " + blas.origin());
            List<Attempt> failed = attempts.stream().filter(a -> !a.succeeded()).toList();
            if (!failed.isEmpty()) {
                sb.append(blas != null ? " (after: " : "; tried: ");
                for (int i = 0; i < failed.size(); i++) {
                    sb.append(i == 0 ? "" : "; ").append(failed.get(i));
                }
                sb.append(blas != null ? ")" : "");
            }
            return sb.toString();
        }
    }

    private final Function<String, String> env;
    private final String systemLibrary;
    private final Path imageFolder;
    private final Supplier<BundledOpenBlas> bundled;

    /**
     * A locator.
     *
     * @param env           the environment ({@code System::getenv} in production)
     * @param systemLibrary the system library name to try, or null to skip that step
     * @param imageFolder   the folder of a runtime image's libraries ({@link #imageFolder(Path)}), or null
     *                      to skip that step; the step is skipped too when the folder does not exist
     * @param bundled       the bundled libraries, or null to skip that step
     */
    public BlasLocator(Function<String, String> env, String systemLibrary, Path imageFolder,
                       Supplier<BundledOpenBlas> bundled) {
        this.env = Objects.requireNonNull(env, "env");
        this.systemLibrary = systemLibrary;
        this.imageFolder = imageFolder;
        this.bundled = bundled;
    }

    /**
     * A locator without the runtime-image step.
     *
     * @param env           the environment ({@code System::getenv} in production)
     * @param systemLibrary the system library name to try, or null to skip that step
     * @param bundled       the bundled libraries, or null to skip that step
     */
    public BlasLocator(Function<String, String> env, String systemLibrary, Supplier<BundledOpenBlas> bundled) {
        this(env, systemLibrary, null, bundled);
    }

    /**
     * The locator of this process: its environment, the system library, the libraries of the runtime
     * image it runs in (under {@code java.home}), the bundled jar.
     */
    public static BlasLocator standard() {
        return new BlasLocator(System::getenv, SYSTEM_LIBRARY, imageFolder(Path.of(System.getProperty("java.home"))),
                () -> new BundledOpenBlas(BundledOpenBlas.cacheFolder(System::getenv, System::getProperty),
                        BundledOpenBlas::openResource));
    }

    /** The folder where a runtime image whose {@code java.home} is {@code javaHome} keeps its OpenBLAS. */
    public static Path imageFolder(Path javaHome) {
        return javaHome.resolve(IMAGE_LIBRARIES);
    }

    /** Tries each source in order; never throws for a missing or broken library. */
    public Result locate() {
        List<Attempt> attempts = new ArrayList<>();
        String explicit = env.apply(ENV);
        if (explicit != null && !explicit.isBlank()) {
            OpenBlas blas = attempt(attempts, ENV, explicit, () -> bindPath(Path.of(explicit)));
            if (blas != null) {
                return new Result(blas, attempts);
            }
        }
        if (systemLibrary != null) {
            OpenBlas blas = attempt(attempts, "system", systemLibrary,
                    () -> OpenBlas.bind(systemLibrary, SymbolLookup.libraryLookup(systemLibrary, Arena.global())));
            if (blas != null) {
                return new Result(blas, attempts);
            }
        }
        if (imageFolder != null && Files.isDirectory(imageFolder)) {
            OpenBlas blas = attempt(attempts, "image", imageFolder.toString(), () -> loadInOrder(imageFolder));
            if (blas != null) {
                return new Result(blas, attempts);
            }
        }
        if (bundled != null) {
            String where = "org.bytedeco:openblas:" + BundledOpenBlas.VERSION + ":linux-x86_64";
            OpenBlas blas = attempt(attempts, "bundled", where, () -> loadInOrder(bundled.get().extract()));
            if (blas != null) {
                return new Result(blas, attempts);
            }
        }
        return new Result(null, attempts);
    }

    private static OpenBlas attempt(List<Attempt> attempts, String source, String candidate, Supplier<OpenBlas> load) {
        try {
            OpenBlas blas = load.get();
            attempts.add(new Attempt(source, candidate, null));
            return blas;
        } catch (RuntimeException | LinkageError e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            attempts.add(new Attempt(source, candidate, why.replace('\n', ' ')));
            return null;
        }
    }

    private static OpenBlas bindPath(Path path) {
        return OpenBlas.bind(path.toString(), SymbolLookup.libraryLookup(path, Arena.global()));
    }

    /**
     * Loads the libraries of {@link BundledOpenBlas#LIBRARIES} from {@code folder}, in that order.
     *
     * @throws IllegalStateException naming the first library the folder lacks
     */
    private static OpenBlas loadInOrder(Path folder) {
        List<Path> libs = new ArrayList<>();
        for (String name : BundledOpenBlas.LIBRARIES) {
            Path lib = folder.resolve(name);
            boolean systemGccS = name.startsWith("libgcc_s") && loadsBySoname(name);
            if (!systemGccS && !Files.isRegularFile(lib)) {
                throw new IllegalStateException(name + " is missing");
            }
            libs.add(lib);
        }
        return loadInOrder(libs);
    }

    /**
     * Loads {@code libs} in order, dependencies first and OpenBLAS last, then binds OpenBLAS. A
     * {@code libgcc_s} is skipped when the system already has one.
     */
    private static OpenBlas loadInOrder(List<Path> libs) {
        for (Path lib : libs.subList(0, libs.size() - 1)) {
            String name = lib.getFileName().toString();
            if (name.startsWith("libgcc_s") && loadsBySoname(name)) {
                continue; // one libgcc_s per process: keep the system's when there is one
            }
            SymbolLookup.libraryLookup(lib, Arena.global());
        }
        return bindPath(libs.getLast());
    }

    private static boolean loadsBySoname(String name) {
        try {
            SymbolLookup.libraryLookup(name, Arena.global());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
