// Descriptor the image build adds to the automatic module org.apache.pdfbox:pdfbox-io (moditect
// add-module-info), so that jlink can link it. Written by jdeps --generate-module-info against the
// launcher's run-time modules. Added: jdk.unsupported, which IOUtils reaches by reflection
// (sun.misc.Unsafe, to unmap buffers); without it, writing a PDF chart fails in its static
// initializer (a NullPointerException on its logger).
module org.apache.pdfbox.io {
    requires transitive commons.logging;
    requires jdk.unsupported;
    exports org.apache.pdfbox.io;
}
