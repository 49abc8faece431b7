/**
 * The {@code nabla} command: a picocli CLI ({@code backends}, {@code list}, {@code train},
 * {@code sample}, {@code eval}, {@code bench}, {@code serve}) wired by Guice. It finds backends, layers, flows,
 * trainers and model families with {@link java.util.ServiceLoader}, so a provider or plugin jar dropped on the module path
 * appears without a code change. This is the only module that knows Guice.
 */
module dev.nabla.launcher {
    requires dev.nabla.api;
    requires dev.nabla.models;
    requires com.google.guice;
    // Guice is an automatic module and cannot require Guava itself; this puts Guava in the module graph
    requires com.google.common;
    requires jakarta.inject;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires org.knowm.xchart;
    requires java.desktop;
    requires jdk.httpserver;

    exports dev.nabla.launcher;

    opens dev.nabla.launcher to info.picocli, com.google.guice;
    opens dev.nabla.launcher.command to info.picocli, com.google.guice;
    opens dev.nabla.launcher.bench to info.picocli, com.google.guice;
    opens dev.nabla.launcher.wiring to com.google.guice;
    opens dev.nabla.launcher.registry to com.google.guice;

    uses dev.nabla.api.spi.BackendProvider;
    uses dev.nabla.api.spi.LayerProvider;
    uses dev.nabla.api.spi.FlowProvider;
    uses dev.nabla.api.spi.TrainerProvider;
    uses dev.nabla.models.family.ModelFamily;
}
