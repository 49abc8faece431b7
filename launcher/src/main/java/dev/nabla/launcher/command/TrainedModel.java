package dev.nabla.launcher.command;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.FamilyRegistry;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.TrainedRun;

import java.nio.file.Path;

/**
 * A model rebuilt from a {@code nabla train} checkpoint by its family: the run's description and the
 * model with the checkpoint's parameters and buffers, in evaluation mode. Close it to release the parameters.
 *
 * @param spec   what the run was
 * @param family the family that built the model
 * @param model  the trained model
 * @param step   the training step the checkpoint was written at
 * @param file   the checkpoint file
 */
record TrainedModel(RunSpec spec, ModelFamily family, FamilyModel model, long step, Path file) implements AutoCloseable {
    /**
     * Loads the checkpoint of {@code run} (a run folder or a checkpoint file) onto {@code f}'s backend.
     *
     * @throws UsageException if it is missing, corrupt, not from {@code nabla train}, or its model is unknown here
     */
    static TrainedModel load(Path run, FamilyRegistry families, TensorFactory f) {
        Path file = RunDirectory.existingCheckpoint(run);
        Checkpoint ck;
        try {
            ck = Checkpoint.load(file, f);
        } catch (NablaException | java.io.UncheckedIOException e) {
            throw new UsageException("cannot read checkpoint " + file + ": " + e.getMessage());
        }
        try (ck) {
            RunSpec spec = RunSpec.fromMap(ck.modelConfig(), file);
            ModelFamily family = spec.family() != null ? families.family(spec.family()) : families.model(spec.model()).family();
            FamilyModel model = family.build(new ModelRequest(spec.model(), spec.dataset(), spec.config(), spec.data(), f,
                    new Generator(spec.seed()), families.components()));
            try {
                model.loadState(ck.model());
            } catch (RuntimeException e) {
                model.close();
                throw new UsageException("checkpoint " + file + " does not fit model '" + spec.model() + "': " + e.getMessage());
            }
            model.eval();
            return new TrainedModel(spec, family, model, ck.step(), file);
        }
    }

    /** This run as another run's family model sees it (a teacher). */
    TrainedRun asRun() {
        return new TrainedRun(spec.model(), step, file, model);
    }

    @Override
    public void close() {
        model.close();
    }
}
