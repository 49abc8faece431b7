// Descriptor the image build adds to the automatic module org.knowm.xchart:xchart (moditect
// add-module-info), so that jlink can link it. Written by jdeps --generate-module-info against the
// launcher's run-time modules.
module org.knowm.xchart {
    requires VectorGraphics2D;
    requires animated.gif.lib;
    requires de.rototor.pdfbox.graphics2d;
    requires java.xml;
    requires org.apache.pdfbox;
    requires transitive java.desktop;
    exports org.knowm.xchart;
    exports org.knowm.xchart.internal;
    exports org.knowm.xchart.internal.chartpart;
    exports org.knowm.xchart.internal.series;
    exports org.knowm.xchart.internal.style;
    exports org.knowm.xchart.style;
    exports org.knowm.xchart.style.colors;
    exports org.knowm.xchart.style.lines;
    exports org.knowm.xchart.style.markers;
    exports org.knowm.xchart.style.theme;
}
