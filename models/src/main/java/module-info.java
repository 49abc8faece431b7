/**
 * Nabla's model library: layers, losses, optimizers, normalizing flows, trainers, checkpoints and
 * data sets. Written against {@code dev.nabla.api} only, so it runs unchanged on every backend.
 */
module dev.nabla.models {
    requires transitive dev.nabla.api;

    exports dev.nabla.models.nn;
    exports dev.nabla.models.layers;
    exports dev.nabla.models.optim;
    exports dev.nabla.models.density;
    exports dev.nabla.models.data;
    exports dev.nabla.models.loss;
    exports dev.nabla.models.train;
    exports dev.nabla.models.checkpoint;
    exports dev.nabla.models.spi;

    uses dev.nabla.api.spi.LayerProvider;
    uses dev.nabla.api.spi.TrainerProvider;

    provides dev.nabla.api.spi.LayerProvider with dev.nabla.models.spi.ModelsLayerProvider;
    provides dev.nabla.api.spi.TrainerProvider with dev.nabla.models.spi.ModelsTrainerProvider;
}
