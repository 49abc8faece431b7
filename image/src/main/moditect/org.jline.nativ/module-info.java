// Descriptor the image build adds to the automatic module org.jline:jline-native (moditect
// add-module-info), so that jlink can link it. Written by jdeps --generate-module-info against the
// launcher's run-time modules.
module org.jline.nativ {
    requires java.logging;
    exports org.jline.nativ;
}
