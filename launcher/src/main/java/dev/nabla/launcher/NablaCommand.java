package dev.nabla.launcher;

import dev.nabla.launcher.bench.BenchCommand;
import dev.nabla.launcher.command.BackendsCommand;
import dev.nabla.launcher.command.EvalCommand;
import dev.nabla.launcher.command.GradientsCommand;
import dev.nabla.launcher.command.ListCommand;
import dev.nabla.launcher.command.SampleCommand;
import dev.nabla.launcher.command.ServeCommand;
import dev.nabla.launcher.command.TrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code nabla} command: it only dispatches to its subcommands. */
@Command(name = "nabla", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Nabla: deep learning on the JVM. Train, sample and evaluate normalizing flows; list backends and plugins.",
        subcommands = {BackendsCommand.class, ListCommand.class, TrainCommand.class, SampleCommand.class,
                EvalCommand.class, BenchCommand.class, ServeCommand.class,
                GradientsCommand.class})
final class NablaCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required; valid: "
                + String.join(", ", spec.commandLine().getSubcommands().keySet()));
    }
}
