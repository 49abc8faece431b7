// Descriptor the image build adds to the automatic module aopalliance:aopalliance (moditect
// add-module-info), so that jlink can link it. Written by jdeps --generate-module-info against the
// launcher's run-time modules.
module aopalliance {
    exports org.aopalliance.aop;
    exports org.aopalliance.intercept;
}
