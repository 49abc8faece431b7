// Descriptor the image build adds to the automatic module
// de.erichseifert.vectorgraphics2d:VectorGraphics2D (moditect add-module-info), so that jlink can
// link it. Written by jdeps --generate-module-info against the launcher's run-time modules.
module VectorGraphics2D {
    requires java.xml;
    requires transitive java.desktop;
    exports de.erichseifert.vectorgraphics2d;
    exports de.erichseifert.vectorgraphics2d.eps;
    exports de.erichseifert.vectorgraphics2d.intermediate;
    exports de.erichseifert.vectorgraphics2d.intermediate.commands;
    exports de.erichseifert.vectorgraphics2d.intermediate.filters;
    exports de.erichseifert.vectorgraphics2d.pdf;
    exports de.erichseifert.vectorgraphics2d.svg;
    exports de.erichseifert.vectorgraphics2d.util;
}
