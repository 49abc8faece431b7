// Descriptor the image build adds to the automatic module org.jline:jline-terminal (moditect
// add-module-info), so that jlink can link it. Written by jdeps --generate-module-info against the
// launcher's run-time modules.
module org.jline.terminal {
    requires java.logging;
    requires org.jline.nativ;
    exports org.jline.terminal;
    exports org.jline.terminal.impl;
    exports org.jline.terminal.impl.exec;
    exports org.jline.terminal.spi;
    exports org.jline.utils;
}
