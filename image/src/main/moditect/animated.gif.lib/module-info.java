// Descriptor the image build adds to the automatic module com.madgag:animated-gif-lib (moditect
// add-module-info), so that jlink can link it. Written by jdeps --generate-module-info against the
// launcher's run-time modules.
module animated.gif.lib {
    requires transitive java.desktop;
    exports com.madgag.gif.fmsware;
}
