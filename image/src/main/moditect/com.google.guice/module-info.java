// Descriptor the image build adds to the automatic module com.google.inject:guice (moditect
// add-module-info), so that jlink can link it. Written by jdeps --generate-module-info against the
// launcher's run-time modules. Edited: the annotations and jdk.unsupported are optional (static),
// as they are when Guice runs as an automatic module from the module path.
module com.google.guice {
    requires static com.google.errorprone.annotations;
    requires java.logging;
    requires static jdk.unsupported;
    requires transitive aopalliance;
    requires transitive com.google.common;
    requires transitive jakarta.inject;
    exports com.google.inject;
    exports com.google.inject.binder;
    exports com.google.inject.internal;
    exports com.google.inject.internal.aop;
    exports com.google.inject.internal.asm;
    exports com.google.inject.internal.util;
    exports com.google.inject.matcher;
    exports com.google.inject.multibindings;
    exports com.google.inject.name;
    exports com.google.inject.spi;
    exports com.google.inject.util;
}
