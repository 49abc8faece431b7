// Descriptor the image build adds to the automatic module ejml.core (EJML 0.46.1 ships no module-info and no
// Automatic-Module-Name; its jar name gives ejml.core) with moditect add-module-info, so that jlink can link it.
// Written by jdeps --generate-module-info --ignore-missing-deps (ejml-core's optional MAT-file support is not used).
module ejml.core {
    exports org.ejml;
    exports org.ejml.concurrency;
    exports org.ejml.data;
    exports org.ejml.interfaces;
    exports org.ejml.interfaces.decomposition;
    exports org.ejml.interfaces.linsol;
    exports org.ejml.masks;
    exports org.ejml.ops;
    exports org.ejml.sparse;
    exports pabeles.concurrency;

}
