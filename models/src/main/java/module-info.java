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
    exports dev.nabla.models.distributions;
    exports dev.nabla.models.flows;

    provides dev.nabla.api.spi.FlowProvider with dev.nabla.models.flows.NablaFlowProvider;
}
