package dev.nabla.launcher;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.nabla.api.types.NablaException;
import dev.nabla.launcher.wiring.GuiceFactory;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.launcher.wiring.LauncherModule;
import dev.nabla.launcher.wiring.SpecOnlyFactory;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code nabla} command's entry point. Exit status: 0 on success, 1 when the work itself failed
 * (a NaN loss, an I/O error), 2 for a mistake on the command line (one line naming the valid
 * choices, no stack trace). {@code NABLA_DEBUG=1} adds stack traces to failures.
 */
public final class Main {
    private Main() {
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err, System.getenv(), args));
    }

    /**
     * Runs the command in this JVM, writing to {@code out} and {@code err}, and returns its exit status.
     *
     * @param env the environment to honour ({@code NABLA_BACKEND}, {@code NABLA_DEBUG}, …)
     */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        LauncherConfig config = new LauncherConfig(out, err, env);
        Integer helped = helpOnly(config, args);
        if (helped != null) {
            return helped;
        }
        // the injector is built on a thread of its own while this one builds picocli's model of the
        // commands (in a fresh JVM each takes 0.1-0.2 s); the first command created waits for it
        CompletableFuture<Injector> injector = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("nabla-wiring").start(() -> {
            try {
                injector.complete(Guice.createInjector(new LauncherModule(config)));
            } catch (Throwable t) {
                injector.completeExceptionally(t);
            }
        });
        CommandLine cli = commandLine(new GuiceFactory(() -> joined(injector)), config);
        return cli.execute(args);
    }

    /** The injector, or what its creation threw, as it would have been thrown on this thread. */
    static Injector joined(CompletableFuture<Injector> injector) {
        try {
            return injector.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** The options that ask for usage or version help. */
    private static final java.util.Set<String> HELP_OPTIONS = java.util.Set.of("-h", "--help", "-V", "--version");

    /**
     * Usage or version help, printed from the command specifications alone (no injector, no registry, no
     * backend): the exit status when {@code args} ask for help, null otherwise (also when they do not
     * parse — the full command line then reports the mistake as usual).
     */
    static Integer helpOnly(LauncherConfig config, String... args) {
        if (java.util.Arrays.stream(args).noneMatch(HELP_OPTIONS::contains)) {
            return null;
        }
        CommandLine light = commandLine(new SpecOnlyFactory(), config);
        try {
            CommandLine.ParseResult parsed = light.parseArgs(args);
            return CommandLine.printHelpIfRequested(parsed) ? 0 : null;
        } catch (CommandLine.ParameterException e) {
            return null;
        }
    }

    /** The configured picocli command tree, its commands made by {@code factory}. */
    static CommandLine commandLine(CommandLine.IFactory factory, LauncherConfig config) {
        boolean debug = "1".equals(config.env("NABLA_DEBUG")) || "true".equalsIgnoreCase(config.env("NABLA_DEBUG"));
        CommandLine cli = new CommandLine(NablaCommand.class, factory);
        cli.setOut(new PrintWriter(config.out(), true));
        cli.setErr(new PrintWriter(config.err(), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            e.getCommandLine().getErr().println(prefix(c) + oneLine(e));
            return UsageException.EXIT_STATUS;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            Throwable t = unwrap(e);
            if (t instanceof UsageException) {
                c.getErr().println(prefix(c) + t.getMessage());
                return UsageException.EXIT_STATUS;
            }
            if (t instanceof IllegalArgumentException) {   // a bad configuration value, named by the model library
                c.getErr().println(prefix(c) + t.getMessage());
                if (debug) {
                    t.printStackTrace(c.getErr());
                }
                return UsageException.EXIT_STATUS;
            }
            String what = t instanceof NablaException ? "" : t.getClass().getSimpleName() + ": ";
            c.getErr().println(prefix(c) + "error: " + what + t.getMessage()
                    + (debug ? "" : " (NABLA_DEBUG=1 shows the stack trace)"));
            if (debug) {
                t.printStackTrace(c.getErr());
            }
            return 1;
        });
        return cli;
    }

    /** The exception a Guice provider threw, without Guice's wrapper. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof com.google.inject.ProvisionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String prefix(CommandLine c) {
        return c.getCommandSpec().qualifiedName(" ") + ": ";
    }

    /** Picocli's parse errors as one line that names the valid choices. */
    private static String oneLine(CommandLine.ParameterException e) {
        CommandLine c = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().getFirst();
            if (arg.startsWith("-")) {
                List<String> options = new ArrayList<>();
                for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                    options.add(o.longestName());
                }
                return "unknown option '" + arg + "'; valid: " + String.join(", ", options);
            }
            if (!c.getSubcommands().isEmpty()) {
                return "unknown command '" + arg + "'; valid: " + String.join(", ", c.getSubcommands().keySet());
            }
            return "unexpected argument '" + arg + "'; usage: " + usageLine(c);
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ').trim();
        return msg + "; usage: " + usageLine(c);
    }

    private static String usageLine(CommandLine c) {
        return c.getHelp().synopsis(0).replace(System.lineSeparator(), " ").replaceAll("\\s+", " ").trim();
    }
}
