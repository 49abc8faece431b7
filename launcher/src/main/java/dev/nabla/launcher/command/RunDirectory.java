package dev.nabla.launcher.command;

import dev.nabla.launcher.UsageException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of one training run in its folder: {@code checkpoint.safetensors} (with its
 * {@code checkpoint.json} copy of the metadata), {@code metrics.csv}, {@code loss.png} and, for 2-D
 * data, {@code samples.png}.
 */
final class RunDirectory {
    static final String CHECKPOINT = "checkpoint.safetensors";

    private RunDirectory() {
    }

    /** The checkpoint in {@code dir}. */
    static Path checkpoint(Path dir) {
        return dir.resolve(CHECKPOINT);
    }

    /**
     * The checkpoint a {@code RUN} argument names: a run folder (its {@value #CHECKPOINT}) or a
     * {@code .safetensors} file.
     *
     * @throws UsageException if there is none
     */
    static Path existingCheckpoint(Path run) {
        Path file = Files.isDirectory(run) ? checkpoint(run) : run;
        if (!Files.isRegularFile(file)) {
            throw new UsageException(Files.isDirectory(run)
                    ? "no checkpoint in " + run + " (expected " + file.getFileName() + "; train one with: nabla train MODEL --dataset D --out " + run + ")"
                    : "checkpoint not found: " + run + " (give a run folder of nabla train or its " + CHECKPOINT + ")");
        }
        return file;
    }
}
