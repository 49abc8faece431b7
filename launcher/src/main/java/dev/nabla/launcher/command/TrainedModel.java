package dev.nabla.launcher.command;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.FamilyRegistry;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.checkpoint.Json;
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
        RunSpec[] spec = new RunSpec[1];
        ModelFamily[] family = new ModelFamily[1];
        Checkpoint ck;
        try {
            // everything the model_config says is checked against the file's header before one tensor is read
            ck = Checkpoint.load(file, f, header -> {
                spec[0] = RunSpec.fromMap(header.modelConfig(), file);
                family[0] = family(spec[0], families);
                ModelBudget.requireLoadable(header, family[0], request(spec[0], f, families));
            });
        } catch (NablaException | java.io.UncheckedIOException e) {
            throw new UsageException("cannot read checkpoint " + file + ": " + Json.abbreviate(oneLine(e.getMessage()), 600));
        }
        try (ck) {
            try {
                ck.requireFinite(file);   // a diverged run is not a model to evaluate, sample or serve
            } catch (NablaException e) {
                throw new UsageException("cannot use " + Json.abbreviate(oneLine(e.getMessage()), 600));
            }
            FamilyModel model;
            try {
                model = family[0].build(request(spec[0], f, families));
            } catch (IllegalArgumentException e) {
                throw new UsageException("checkpoint " + file + " has a bad model_config: "
                        + Json.abbreviate(oneLine(e.getMessage()), 600));
            }
            try {
                model.loadState(ck.model());
            } catch (RuntimeException e) {
                model.close();
                throw new UsageException("checkpoint " + file + " does not fit model '" + spec[0].model() + "': "
                        + Json.abbreviate(oneLine(e.getMessage()), 600));
            }
            model.eval();
            return new TrainedModel(spec[0], family[0], model, ck.step(), file);
        }
    }

    private static ModelFamily family(RunSpec spec, FamilyRegistry families) {
        return spec.family() != null ? families.family(spec.family()) : families.model(spec.model()).family();
    }

    private static ModelRequest request(RunSpec spec, TensorFactory f, FamilyRegistry families) {
        return new ModelRequest(spec.model(), spec.dataset(), spec.config(), spec.data(), f, new Generator(spec.seed()),
                families.components());
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ");
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
