// Descriptor the image build adds to the automatic module commons-logging:commons-logging (moditect
// add-module-info), so that jlink can link it. Written by jdeps --generate-module-info against the
// launcher's run-time modules.
module commons.logging {
    requires transitive java.logging;
    exports org.apache.commons.logging;
    exports org.apache.commons.logging.impl;
}
