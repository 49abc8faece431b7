package dev.nabla.launcher.command;

import dev.nabla.launcher.UsageException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of one training run in its folder: {@code checkpoint.safetensors} (the last step, with its
 * {@code checkpoint.json} copy of the metadata), {@code best.safetensors} (the parameters at the lowest
 * validation loss so far, with {@code best.json}), {@code metrics.csv}, {@code loss.png} and, for 2-D
 * data, {@code samples.png} and {@code density.png}.
 */
final class RunDirectory {
    static final String CHECKPOINT = "checkpoint.safetensors";
    static final String BEST = "best.safetensors";
    /** The values of {@code --checkpoint}. */
    static final java.util.List<String> CHOICES = java.util.List.of("last", "best");

    private RunDirectory() {
    }

    /** The checkpoint in {@code dir}. */
    static Path checkpoint(Path dir) {
        return dir.resolve(CHECKPOINT);
    }

    /** The checkpoint of the best validation loss in {@code dir}. */
    static Path best(Path dir) {
        return dir.resolve(BEST);
    }

    /**
     * The checkpoint {@code --checkpoint which} picks from {@code run}: {@code last} as
     * {@link #existingCheckpoint(Path)}, {@code best} the run folder's {@value #BEST}.
     *
     * @throws UsageException for another choice, a file given with {@code best}, or a missing file
     */
    static Path existingCheckpoint(Path run, String which) {
        if (!CHOICES.contains(which)) {
            throw UsageException.unknown("--checkpoint", which, CHOICES);
        }
        if (which.equals("last")) {
            return existingCheckpoint(run);
        }
        if (!Files.isDirectory(run)) {
            throw new UsageException("--checkpoint best needs a run folder, not the file " + run);
        }
        Path file = best(run);
        if (!Files.isRegularFile(file)) {
            existingCheckpoint(run);   // no run at all is said as such
            throw new UsageException("no best checkpoint in " + run + " (expected " + BEST + ", written when the "
                    + "validation loss improves; this run was never validated) — use --checkpoint last");
        }
        return file;
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
