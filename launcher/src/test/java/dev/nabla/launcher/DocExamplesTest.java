package dev.nabla.launcher;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The code users read must compile: every {@code ```java} block of the README (and of {@code docs/*.md})
 * and every {@code <pre>{@code …}</pre>} example in the Javadoc of the user-facing modules (api, models, tck,
 * the example plugin) is compiled
 * here against the real modules, so an example cannot rot when an API changes.
 *
 * <p>How a block is checked: an excerpt — a block whose first line is {@code // path/Source.java (excerpt)}
 * — must match its source line by line ({@code …} marks what it leaves out); a {@code module} declaration
 * is only parsed (it names packages of its own project); a block that declares a type is a compilation
 * unit; one that starts with a field or method goes into a class body; anything else is a sequence of
 * statements, put into a method body, whose parameters its first line may declare ({@code // given: Tensor x,
 * Optimizer optimizer}: what the example assumes it has). Every block may use the exported packages of {@code dev.nabla.api},
 * {@code dev.nabla.models} and {@code dev.nabla.tck} without importing them (its own imports are kept), so
 * examples stay short but must otherwise be complete: a name an example uses must exist.
 */
class DocExamplesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "(?m)^(public |abstract |final |sealed |non-sealed |static )*(class|record|interface|enum) \\w+");
    /** The modules whose Javadoc users read: the api, the models, the conformance kit, the example plugin. */
    private static final Pattern USER_FACING = Pattern.compile("(api|models|tck|examples/[^/]+)/src/main/java/");
    /** The first line of an excerpt: {@code // path/to/Source.java (excerpt)}. */
    private static final Pattern EXCERPT = Pattern.compile("\\s*// (\\S+\\.java) \\(excerpt\\)");
    /**
     * The first line of a sequence of statements may name what it works on — {@code // given: Tensor x,
     * Tensor w} — which becomes the parameters of the method it is compiled in.
     */
    private static final Pattern GIVEN = Pattern.compile("\\s*// given: ([^\\n]*)");
    /** A block of class members (a field or method first) rather than statements. */
    private static final Pattern MEMBERS = Pattern.compile("(?s)\\s*(@\\w+\\s+)*(private|protected|public) ");
    private static final Pattern JAVADOC_EXAMPLE = Pattern.compile("<pre>\\{@code(.*?)}</pre>", Pattern.DOTALL);

    /** One example: where it is, and its code. */
    record Example(String origin, String code) {
    }

    @Test
    void everyJavaExampleInTheDocsAndTheJavadocCompiles() throws IOException {
        List<Example> examples = new ArrayList<>(markdownExamples(ROOT.resolve("README.md")));
        Path docs = ROOT.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> s = Files.list(docs)) {
                for (Path md : s.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                    examples.addAll(markdownExamples(md));
                }
            }
        }
        int fromReadme = examples.size();
        examples.addAll(javadocExamples());
        assertTrue(fromReadme >= 1, "found no ```java block in the README");
        assertTrue(examples.size() > fromReadme, "found no Javadoc example in the main sources");

        List<String> problems = new ArrayList<>();
        List<JavaFileObject> units = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            var excerpt = EXCERPT.matcher(e.code());
            if (excerpt.lookingAt()) {
                problems.addAll(excerptProblems(e, excerpt.group(1)));
            } else if (e.code().strip().startsWith("module ")) {
                problems.addAll(parseOnly(e));
            } else {
                units.add(new Source("doc/ex" + i + "/Example.java", unit("doc.ex" + i, e.code()), e.origin()));
            }
        }
        problems.addAll(compile(units));
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s) in " + examples.size() + " examples:\n" + String.join("\n", problems));
        }
    }

    /**
     * The problems of an excerpt: every line of it (its elisions {@code …} cut out, its comments and blank
     * lines skipped) must appear, whitespace aside, in the source file it names.
     */
    static List<String> excerptProblems(Example e, String source) throws IOException {
        Path file = ROOT.resolve(source);
        if (!Files.isRegularFile(file)) {
            return List.of("  " + e.origin() + ": the excerpt's source " + source + " does not exist");
        }
        String text = squeeze(Files.readString(file, StandardCharsets.UTF_8));
        List<String> problems = new ArrayList<>();
        List<String> lines = e.code().lines().toList();
        for (String line : lines.subList(1, lines.size())) {
            String code = line.replaceFirst("//.*$", "");
            for (String piece : code.split("…")) {
                String p = squeeze(piece);
                if (!p.isEmpty() && !p.equals("{") && !p.equals("}") && !text.contains(p)) {
                    problems.add("  " + e.origin() + ": not in " + source + ": " + piece.strip());
                }
            }
        }
        return problems;
    }

    private static String squeeze(String s) {
        return s.replaceAll("\\s+", "");
    }

    /** The {@code ```java} blocks of a Markdown file. */
    static List<Example> markdownExamples(Path md) throws IOException {
        List<Example> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
        StringBuilder code = null;
        int start = 0;
        for (int n = 0; n < lines.size(); n++) {
            String l = lines.get(n);
            if (code == null && l.strip().equals("```java")) {
                code = new StringBuilder();
                start = n + 1;
            } else if (code != null && l.strip().equals("```")) {
                out.add(new Example(ROOT.relativize(md) + ":" + start, code.toString()));
                code = null;
            } else if (code != null) {
                code.append(l).append('\n');
            }
        }
        return out;
    }

    /** The {@code <pre>{@code …}</pre>} examples in the Javadoc of every module's main sources. */
    static List<Example> javadocExamples() throws IOException {
        List<Example> out = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> s = Files.walk(ROOT)) {
            sources = s.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/") && USER_FACING.matcher(ROOT.relativize(p).toString()).lookingAt())
                    .sorted().toList();
        }
        for (Path p : sources) {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            var m = JAVADOC_EXAMPLE.matcher(text);
            while (m.find()) {
                int line = (int) text.substring(0, m.start()).lines().count() + 1;
                StringBuilder code = new StringBuilder();
                for (String l : m.group(1).split("\n", -1)) {
                    code.append(l.replaceFirst("^\\s*\\* ?", "")).append('\n');
                }
                out.add(new Example(ROOT.relativize(p) + ":" + line, code.toString()
                        .replace("{@literal @}", "@").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")));
            }
        }
        return out;
    }

    /** The example as a compilation unit in package {@code pkg}. */
    static String unit(String pkg, String code) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String l : code.split("\n")) {
            (l.startsWith("import ") ? imports : body).append(l).append('\n');
        }
        StringBuilder u = new StringBuilder("package " + pkg + ";\n");
        for (String p : exportedPackages()) {
            u.append("import ").append(p).append(".*;\n");
        }
        u.append("import java.util.*;\nimport java.nio.file.*;\n").append(imports);
        if (TYPE_DECLARATION.matcher(body).find()) {
            u.append(body);
        } else if (MEMBERS.matcher(body).lookingAt()) {
            u.append("abstract class Example {\n").append(body).append("}\n");
        } else {
            var given = GIVEN.matcher(body);
            String parameters = given.lookingAt() ? given.group(1).strip() : "";
            u.append("class Example {\n    void run(").append(parameters).append(") throws Throwable {\n").append(body)
                    .append("    }\n}\n");
        }
        return u.toString();
    }

    /** Every package the api, the models and the tck export. */
    static List<String> exportedPackages() {
        TreeSet<String> pkgs = new TreeSet<>();
        for (String name : List.of("dev.nabla.api", "dev.nabla.models", "dev.nabla.tck")) {
            ModuleLayer.boot().findModule(name).ifPresent(m -> m.getDescriptor().exports().stream()
                    .filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source).forEach(pkgs::add));
        }
        pkgs.add("dev.nabla.tck");   // a test dependency the launcher does not require: on the class path, not a module here
        return List.copyOf(pkgs);
    }

    private static List<String> compile(List<JavaFileObject> units) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createDirectories(Path.of("target", "doc-examples"));
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-proc:none", "-Xlint:none",
                    "--add-modules", "ALL-MODULE-PATH"));
            String mp = System.getProperty("jdk.module.path", "");
            if (!mp.isBlank()) {
                options.addAll(List.of("--module-path", mp));
            }
            options.addAll(List.of("--class-path", System.getProperty("java.class.path", "")));
            javac.getTask(null, files, diagnostics, options, null, units).call();
        }
        return describe(diagnostics);
    }

    private static List<String> parseOnly(Example e) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics, List.of("-proc:none"), null,
                List.of(new Source("module-info.java", e.code(), e.origin())));
        try {   // JavacTask.parse(), through reflection: this module does not read jdk.compiler
            Class.forName("com.sun.source.util.JavacTask").getMethod("parse").invoke(task);
        } catch (ReflectiveOperationException x) {
            throw new AssertionError("cannot parse " + e.origin() + " with javac: " + x, x);
        }
        return describe(diagnostics);
    }

    private static List<String> describe(DiagnosticCollector<JavaFileObject> diagnostics) {
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                String where = d.getSource() instanceof Source s ? s.origin : String.valueOf(d.getSource());
                String line = d.getSource() instanceof Source s ? s.line(d.getLineNumber()) : "";
                problems.add("  " + where + ": " + d.getMessage(Locale.ROOT) + (line.isBlank() ? "" : "\n      " + line.strip()));
            }
        }
        return problems;
    }

    /** An in-memory source that remembers which example it came from. */
    private static final class Source extends SimpleJavaFileObject {
        final String code;
        final String origin;

        Source(String path, String code, String origin) {
            super(URI.create("string:///" + path), Kind.SOURCE);
            this.code = code;
            this.origin = origin;
        }

        String line(long n) {
            String[] lines = code.split("\n");
            return n >= 1 && n <= lines.length ? lines[(int) n - 1] : "";
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
