/**
 * An example Nabla plugin, written against {@code dev.nabla.api} alone: one layer, one flow and one
 * trainer, each offered through its service interface. Put the jar on the module path ({@code ./plugins}
 * or {@code NABLA_PLUGINS} for the {@code nabla} command) and {@code nabla list} shows
 * {@code residual_mlp}, {@code sinh_arcsinh} and {@code sgd_momentum} under this module's name.
 *
 * <p>Nothing needs to be exported for {@link java.util.ServiceLoader} to find the providers; the package
 * is exported only so Java code can also use the classes directly.
 */
module org.example.nabla.plugin {
    requires transitive dev.nabla.api;

    exports org.example.nabla.plugin;

    provides dev.nabla.api.spi.LayerProvider with org.example.nabla.plugin.ExampleLayerProvider;
    provides dev.nabla.api.spi.FlowProvider with org.example.nabla.plugin.ExampleFlowProvider;
    provides dev.nabla.api.spi.TrainerProvider with org.example.nabla.plugin.ExampleTrainerProvider;
}
