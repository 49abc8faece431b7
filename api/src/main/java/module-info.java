/**
 * Nabla's API: tensors, autodiff, scopes, the backend kernel contract and the four SPIs.
 * Requires {@code java.base} only.
 */
module dev.nabla.api {
    exports dev.nabla.api;
    exports dev.nabla.api.types;
    exports dev.nabla.api.backend;
    exports dev.nabla.api.tensor;
    exports dev.nabla.api.nn;
    exports dev.nabla.api.flow;
    exports dev.nabla.api.train;
    exports dev.nabla.api.spi;

    uses dev.nabla.api.spi.BackendProvider;
    uses dev.nabla.api.spi.LayerProvider;
    uses dev.nabla.api.spi.FlowProvider;
    uses dev.nabla.api.spi.TrainerProvider;
}
