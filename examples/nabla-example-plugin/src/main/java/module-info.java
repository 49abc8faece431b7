/**
 * An example Nabla plugin: one layer, one flow and one trainer, each offered through its service
 * interface of the api, and a small model family (a regression) offered to the {@code nabla} command
 * through the model library's family interface. Put the jar on the module path ({@code ./plugins} or
 * {@code NABLA_PLUGINS} for the {@code nabla} command) and {@code nabla list} shows
 * {@code residual_mlp}, {@code sinh_arcsinh}, {@code sgd_momentum} and the family {@code regression}
 * under this module's name.
 *
 * <p>A plugin may require {@code dev.nabla.models} for layers, optimizers, the training loop and the
 * family interface; it never sees a provider (the command puts one on the module path). Nothing needs to
 * be exported for {@link java.util.ServiceLoader} to find the providers; the package is exported only so
 * Java code can also use the classes directly.
 */
module org.example.nabla.plugin {
    requires transitive dev.nabla.api;
    requires transitive dev.nabla.models;

    exports org.example.nabla.plugin;

    provides dev.nabla.api.spi.LayerProvider with org.example.nabla.plugin.ExampleLayerProvider;
    provides dev.nabla.api.spi.FlowProvider with org.example.nabla.plugin.ExampleFlowProvider;
    provides dev.nabla.api.spi.TrainerProvider with org.example.nabla.plugin.ExampleTrainerProvider;
    provides dev.nabla.models.family.ModelFamily with org.example.nabla.plugin.RegressionFamily;
}
