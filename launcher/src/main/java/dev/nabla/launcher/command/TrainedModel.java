package dev.nabla.launcher.command;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.ModelCatalog;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.flows.TransformedDistribution;

import java.nio.file.Path;

/**
 * A model rebuilt from a {@code nabla train} checkpoint: the run's description and the model with the
 * checkpoint's parameters and buffers, in evaluation mode. Close it to release the parameters.
 *
 * @param spec  what the run was
 * @param model the trained model
 * @param step  the training step the checkpoint was written at
 * @param file  the checkpoint file
 */
record TrainedModel(RunSpec spec, TransformedDistribution model, long step, Path file) implements AutoCloseable {
    /**
     * Loads the checkpoint of {@code run} (a run folder or a checkpoint file) onto {@code f}'s backend.
     *
     * @throws UsageException if it is missing, corrupt, not from {@code nabla train}, or its model is unknown here
     */
    static TrainedModel load(Path run, ModelCatalog catalog, TensorFactory f) {
        Path file = RunDirectory.existingCheckpoint(run);
        Checkpoint ck;
        try {
            ck = Checkpoint.load(file, f);
        } catch (NablaException | java.io.UncheckedIOException e) {
            throw new UsageException("cannot read checkpoint " + file + ": " + e.getMessage());
        }
        try (ck) {
            RunSpec spec = RunSpec.fromMap(ck.modelConfig(), file);
            TransformedDistribution model = catalog.build(spec.model(), spec.dim(), spec.config(), f, new Generator(spec.seed()));
            try {
                model.loadState(ck.model());
            } catch (RuntimeException e) {
                model.close();
                throw new UsageException("checkpoint " + file + " does not fit model '" + spec.model() + "': " + e.getMessage());
            }
            model.eval();
            return new TrainedModel(spec, model, ck.step(), file);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
