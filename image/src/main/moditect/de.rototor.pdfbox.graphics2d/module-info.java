// Descriptor the image build adds to the automatic module de.rototor.pdfbox:graphics2d (moditect
// add-module-info), so that jlink can link it. Written by jdeps --generate-module-info against the
// launcher's run-time modules.
module de.rototor.pdfbox.graphics2d {
    requires java.logging;
    requires org.apache.fontbox;
    requires org.apache.pdfbox.io;
    requires transitive java.desktop;
    requires transitive org.apache.pdfbox;
    exports de.rototor.pdfbox.graphics2d;
}
